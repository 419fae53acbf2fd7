"""What the report shows, read from the published warehouse (read-only, no external access)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import duckdb

from pipelines.warehouse.readonly import connect_readonly

PARIS = "Europe/Paris"
# The Métropole as a whole, not one of its territories: drawn in a neutral colour, last.
METROPOLE = "metropole"


@dataclass(frozen=True)
class Series:
    """One pôle's or territory's funding by funding year."""

    series_id: str
    label: str
    amounts: dict[int, Decimal]
    rank: int  # position in the reference table: a stable colour from one report to the next

    @property
    def total(self) -> Decimal:
        return sum(self.amounts.values(), Decimal(0))


@dataclass(frozen=True)
class Grant:
    """A row of marts.counted_grants."""

    grant_id: str
    deliberation_code: str
    session_date: dt.date
    body: str | None
    beneficiary: str | None
    pole_id: str | None
    pole_name: str | None
    kind: str
    amount_eur: Decimal
    funding_year: int
    source_url: str | None
    title: str | None
    needs_review: bool = False  # its act awaits review: the parser's reading, not vouched for


@dataclass(frozen=True)
class QuarantineRule:
    """Rows held out of one table by one rule, with a reason as the load wrote it."""

    table_name: str
    check_name: str
    rows: int
    example_reason: str
    example_key: str


@dataclass(frozen=True)
class Freshness:
    """How recent the data is and what was held out."""

    published_at: dt.datetime
    latest_session: dt.date | None
    latest_crawl: dt.datetime | None
    deliberations: int
    documents_by_parse_status: list[tuple[str | None, int]]
    failed_downloads: int
    quarantine: list[QuarantineRule] = field(default_factory=list)

    @property
    def documents(self) -> int:
        return sum(count for _, count in self.documents_by_parse_status)

    @property
    def quarantined_rows(self) -> int:
        return sum(rule.rows for rule in self.quarantine)

    @property
    def documents_not_ok(self) -> int:
        return sum(count for status, count in self.documents_by_parse_status if status != "ok")


@dataclass(frozen=True)
class ReportData:
    """Everything the page shows."""

    by_pole: list[Series]
    by_territory: list[Series]
    largest_grants: list[Grant]
    pole_grant_count: int
    freshness: Freshness
    # Of pole_total, the part from acts awaiting review; the acts a person must still read.
    pole_under_review: Decimal = Decimal(0)
    acts_awaiting_review: int = 0

    @property
    def years(self) -> list[int]:
        """Every funding year from the first to the last with pôle funding (gaps included)."""
        funded = {year for series in self.by_pole + self.by_territory for year in series.amounts}
        return list(range(min(funded), max(funded) + 1)) if funded else []

    @property
    def pole_total(self) -> Decimal:
        return sum((series.total for series in self.by_pole), Decimal(0))


def read_report_data(warehouse: Path, *, top: int = 20) -> ReportData:
    """The report's figures from the published warehouse."""
    with connect_readonly(warehouse) as connection:
        # Publication replaces the file in one rename of a fresh copy: its mtime is that moment.
        published = dt.datetime.fromtimestamp(warehouse.stat().st_mtime, dt.UTC)
        by_pole = _series(
            connection,
            """
            select f.pole_id, any_value(f.pole_name), f.funding_year, sum(f.amount_eur),
                   coalesce(any_value(r.rank), 999)
            from marts.funding_by_pole_year f
            left join (select pole_id, row_number() over (order by pole_id) as rank
                       from main.poles) r using (pole_id)
            group by f.pole_id, f.funding_year
            """,
        )
        by_territory = _series(
            connection,
            f"""
            select f.territory_id, any_value(f.territory_name), f.funding_year, sum(f.amount_eur),
                   case when f.territory_id = '{METROPOLE}' then 999
                        else coalesce(any_value(r.rank), 998) end
            from marts.funding_by_territory_year f
            left join (select territory_id, row_number() over (order by territory_id) as rank
                       from main.territories) r using (territory_id)
            group by f.territory_id, f.funding_year
            """,
        )
        largest = [
            Grant(*row)
            for row in connection.execute(
                """
                select grant_id, deliberation_code, session_date, body, beneficiary, pole_id,
                       pole_name, kind, amount_eur, funding_year, source_url, title, needs_review
                from marts.counted_grants
                order by amount_eur desc, session_date desc, grant_id
                limit ?
                """,
                [top],
            ).fetchall()
        ]
        pole_grant_count = _scalar(
            connection, "select count(*) from marts.counted_grants where is_pole_grant"
        )
        pole_under_review = _scalar(
            connection,
            "select coalesce(sum(amount_under_review_eur), 0) from marts.funding_by_pole_year",
        )
        awaiting = _scalar(connection, "select count(*) from marts.review_queue")
        freshness = Freshness(
            published_at=published,
            latest_session=_scalar(connection, "select max(session_date) from main.deliberations"),
            latest_crawl=_scalar(connection, "select max(last_seen) from main.documents"),
            deliberations=_scalar(connection, "select count(*) from main.deliberations"),
            documents_by_parse_status=[
                (status, int(count))
                for status, count in connection.execute(
                    """
                    select parse_status, count(*) from main.documents
                    group by parse_status order by count(*) desc, parse_status nulls last
                    """
                ).fetchall()
            ],
            failed_downloads=_scalar(
                connection, "select count(*) from main.documents where download_state = 'failed'"
            ),
            quarantine=[
                QuarantineRule(*row)
                for row in connection.execute(
                    """
                    select table_name, check_name, count(*), min(reason), min(row_key)
                    from main.quarantine
                    group by table_name, check_name
                    order by count(*) desc, table_name, check_name
                    """
                ).fetchall()
            ],
        )
    return ReportData(
        by_pole=by_pole,
        by_territory=by_territory,
        largest_grants=largest,
        pole_grant_count=int(pole_grant_count or 0),
        freshness=freshness,
        pole_under_review=Decimal(pole_under_review or 0),
        acts_awaiting_review=int(awaiting or 0),
    )


def _series(connection: duckdb.DuckDBPyConnection, sql: str) -> list[Series]:
    """Rows (id, label, year, amount, rank) as series, the largest total first."""
    labels: dict[str, str] = {}
    ranks: dict[str, int] = {}
    amounts: dict[str, dict[int, Decimal]] = {}
    for series_id, label, year, amount, rank in connection.execute(sql).fetchall():
        labels[series_id] = label
        ranks[series_id] = int(rank)
        amounts.setdefault(series_id, {})[int(year)] = Decimal(amount)
    series = [
        Series(series_id, labels[series_id], amounts[series_id], ranks[series_id])
        for series_id in amounts
    ]
    funded = [s for s in series if s.total > 0]
    return sorted(funded, key=lambda s: (s.series_id == METROPOLE, -s.total, s.series_id))


def _scalar(connection: duckdb.DuckDBPyConnection, sql: str):  # type: ignore[no-untyped-def]
    row = connection.execute(sql).fetchone()
    return row[0] if row else None
