"""Crawl catalogue + parsed records + reference data -> the normalised tables, as polars frames.

Pure: takes rows and records, returns frames with the declared schemas (schemas.py). Rows
that break a rule are routed to the quarantine table with the reason, never silently dropped.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import polars as pl

from pipelines.normalise import schemas
from pipelines.normalise.corrections import Correction, CorrectionFile, apply, fold_code
from pipelines.normalise.schemas import Table
from pipelines.normalise.witnesses import listing_columns, warehouse_reasons
from pipelines.parse.partitions import ParsedDocument
from pipelines.reference import known_ids, read_csv

MAX_PLAUSIBLE_GRANT_EUR = Decimal(10_000_000)
FIRST_SESSION = dt.date(2011, 1, 1)


@dataclass
class _Rows:
    """Rows per table while they are being built."""

    by_table: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, table: Table, row: dict[str, Any]) -> None:
        self.by_table.setdefault(table.name, []).append(row)

    def quarantine(
        self, table: Table, key: str, check: str, reason: str, sha: str | None, row: dict
    ) -> None:
        self.add(
            schemas.QUARANTINE,
            {
                "table_name": table.name,
                "row_key": key,
                "check_name": check,
                "reason": reason,
                "document_sha256": sha,
                "row_json": json.dumps(row, ensure_ascii=False, default=str, sort_keys=True),
            },
        )

    def frame(self, table: Table) -> pl.DataFrame:
        rows = self.by_table.get(table.name, [])
        return pl.DataFrame(rows, schema=table.schema, orient="row") if rows else table.empty()


def normalise(
    manifest: Sequence[Mapping[str, Any]],
    listing: Sequence[Mapping[str, Any]],
    parsed: Mapping[str, ParsedDocument],
    today: dt.date | None = None,
    corrections: Sequence[CorrectionFile] = (),
) -> dict[str, pl.DataFrame]:
    """Every normalised table as a frame, by table name. A correction applies to the document
    it was made on (its sha256); the records of other documents are the parser's."""
    today = today or dt.date.today()
    cards = {card["card_id"]: card for card in listing}
    valid = [(file, file.correction) for file in corrections if file.correction is not None]
    by_sha = {correction.sha256: file for file, correction in valid}
    records = {sha: document.record for sha, document in parsed.items() if sha not in by_sha} | {
        correction.sha256: apply(parsed[correction.sha256].record, correction)
        for _, correction in valid
        if correction.sha256 in parsed
    }
    rows = _Rows()
    _documents(rows, manifest, cards, parsed)
    acts = _latest_acts(manifest, cards, records)
    by_code = {correction.code: file for file, correction in valid}
    for sha, url, card in acts:
        record = records[sha]
        applied = by_sha.get(sha)
        earlier = by_code.get(fold_code(record["deliberation_code"] or ""))
        _deliberation(rows, record, sha, url, card, today, applied, earlier)
    _corrections(rows, corrections, {sha: records[sha] for sha, _, _ in acts})
    _reference(rows)
    return {table.name: rows.frame(table) for table in schemas.TABLES}


def _documents(rows: _Rows, manifest, cards, parsed) -> None:  # type: ignore[no-untyped-def]
    for entry in manifest:
        parsed_document = parsed.get(entry["sha256"]) if entry.get("sha256") else None
        record = parsed_document.record if parsed_document else None
        card = cards.get(entry["card_id"], {})
        rows.add(
            schemas.DOCUMENTS,
            {
                "url": entry["url"],
                "card_id": entry["card_id"],
                "document_kind": entry["kind"],
                "is_act": bool(entry.get("is_act")),
                "card_relevant": bool(card.get("relevant")),
                "sha256": entry.get("sha256"),
                "bytes": entry.get("bytes"),
                "http_status": entry.get("http_status"),
                "content_type": entry.get("content_type"),
                "download_state": entry["state"],
                "download_error": entry.get("error"),
                "first_seen": _timestamp(entry.get("first_seen")),
                "last_seen": _timestamp(entry.get("last_seen")),
                "listing_session_date": _date(card.get("session_date")),
                "parse_status": record["status"] if record else None,
                "parse_error": record["error"] if record else None,
                "parser_version": parsed_document.parser_version if parsed_document else None,
            },
        )


def _latest_acts(manifest, cards, records) -> list[tuple[str, str, Mapping[str, Any]]]:  # type: ignore[no-untyped-def]
    """One document per deliberation code: the one fetched last (a republished act replaces)."""
    latest: dict[str, tuple[str, str, str, Mapping[str, Any]]] = {}
    for entry in sorted(manifest, key=lambda e: (e.get("fetched_at") or "", e["url"])):
        sha = entry.get("sha256")
        # The act of its card, as the crawl marked it (DECISION, DELIBERATION...), not an annex.
        if entry["state"] != "ok" or not entry.get("is_act") or sha not in records:
            continue
        record = records[sha]
        if record["status"] != "ok":
            continue
        code = record["deliberation_code"] or f"sha256:{sha}"
        latest[code] = (
            entry.get("fetched_at") or "",
            sha,
            entry["url"],
            cards.get(entry["card_id"], {}),
        )
    return [(sha, url, card) for _, sha, url, card in latest.values()]


def _deliberation(  # type: ignore[no-untyped-def]
    rows: _Rows,
    record,
    sha: str,
    url: str,
    card,
    today: dt.date,
    applied: CorrectionFile | None,
    earlier: CorrectionFile | None,
) -> None:
    code = record["deliberation_code"]
    # The act's own date (its header), else its card's; never the date in the document's URL.
    session = _date(record["session_date"]) or _date(card.get("session_date"))
    row = {
        "deliberation_id": code,
        "deliberation_code": code,
        "reference": record["reference"],
        "authority": record["authority"],
        "body": record["body"],
        "session_date": session,
        "session_year": session.year if session else None,
        "title": record["title"],
        "outcome": record["outcome"],
        "members_present": record["members_present"],
        "amends": record["amends"],
        "document_sha256": sha,
        "source_url": url,
        "commission": card.get("commission"),
        "rapporteur": card.get("rapporteur"),
        **listing_columns(card),
        **_review(record, card, applied, earlier),
    }
    table = schemas.DELIBERATIONS
    if code is None:
        rows.quarantine(
            table,
            f"sha256:{sha}",
            "deliberation_code_present",
            "the act's code was not found",
            sha,
            row,
        )
        return
    if session is None or not FIRST_SESSION <= session <= today:
        reason = f"session date {session} is missing or outside {FIRST_SESSION}..{today}"
        rows.quarantine(table, code, "session_date_in_range", reason, sha, row)
        return
    rows.add(table, row)
    for index, grant in enumerate(record["grants"], start=1):
        _grant(rows, grant, code, index, session.year, sha)


def _review(  # type: ignore[no-untyped-def]
    record, card, applied: CorrectionFile | None, earlier: CorrectionFile | None
) -> dict[str, Any]:
    """The act's review columns: the parser's reasons, then the warehouse's; a person's
    correction of this very document settles them (they stay, for the lineage)."""
    reasons = [*(record["review_reasons"] or []), *warehouse_reasons(record, card)]
    if applied is not None and applied.correction is not None:
        return {
            "needs_review": False,
            "review_reasons": reasons,
            "review_status": applied.correction.verdict,
            "correction_file": applied.path,
        }
    if earlier is not None and earlier.correction is not None:
        reasons.append(_stale(earlier.correction, record["sha256"] or ""))
    return {
        "needs_review": bool(reasons),
        "review_reasons": reasons,
        "review_status": "awaiting_review" if reasons else "not_flagged",
        "correction_file": None,
    }


def _stale(correction: Correction, sha: str) -> str:
    return (
        f"correction_stale: {correction.by} {correction.verdict} this act on "
        f"{correction.when.isoformat()} reading document {correction.sha256[:12]}; the portal now "
        f"serves {sha[:12]}: read it again, then update the correction's sha256"
    )


def _corrections(  # type: ignore[no-untyped-def]
    rows: _Rows, files: Sequence[CorrectionFile], acts: Mapping[str, Any]
) -> None:
    """What became of each correction file."""
    codes = {fold_code(record["deliberation_code"] or ""): sha for sha, record in acts.items()}
    for file in files:
        correction = file.correction
        row: dict[str, Any] = {"correction_file": file.path, "error": file.error}
        if correction is None:
            rows.add(schemas.CORRECTIONS, {**row, "state": "invalid"})
            continue
        if correction.sha256 in acts:
            state = "applied"
        elif correction.code in codes:
            state = "stale"
        else:
            state = "unmatched"
        rows.add(
            schemas.CORRECTIONS,
            {
                **row,
                "deliberation_code": correction.code,
                "document_sha256": correction.sha256,
                "verdict": correction.verdict,
                "changed": correction.changed(),
                "corrected_by": correction.by,
                "corrected_on": correction.when,
                "why": correction.why,
                "state": state,
            },
        )


def _grant(rows: _Rows, grant, code: str, index: int, session_year: int, sha: str) -> None:  # type: ignore[no-untyped-def]
    grant_id = f"{code}#{index}"
    amount = _money(grant["amount_eur"])
    row = {
        "grant_id": grant_id,
        "deliberation_id": code,
        "grant_index": index,
        "beneficiary": grant["beneficiary"],
        "pole_id": grant["pole_id"],
        "kind": grant["kind"],
        "amount_eur": amount,
        "funding_year": grant["funding_year"],
        "programme_budget_eur": _money(grant["programme_budget_eur"]),
    }
    shares = [
        {
            "grant_id": grant_id,
            "allocation_index": rank,
            "territory_id": share["territory_id"],
            "budget": share["budget"],
            "amount_eur": _money(share["amount_eur"]),
        }
        for rank, share in enumerate(grant["allocations"], start=1)
    ]
    problem = _grant_problem(row, shares, session_year)
    if problem:
        check, reason = problem
        rows.quarantine(
            schemas.GRANTS, grant_id, check, reason, sha, {**row, "allocations": shares}
        )
        return
    rows.add(schemas.GRANTS, row)
    for share in shares:
        rows.add(schemas.GRANT_ALLOCATIONS, share)


def _grant_problem(row: dict, shares: list[dict], session_year: int) -> tuple[str, str] | None:
    amount = row["amount_eur"]
    if amount is None or not Decimal(0) < amount <= MAX_PLAUSIBLE_GRANT_EUR:
        return (
            "amount_plausible",
            f"amount {amount} is not within 0..{MAX_PLAUSIBLE_GRANT_EUR} euros",
        )
    if row["pole_id"] is not None and row["pole_id"] not in known_ids("poles.csv", "pole_id"):
        return "pole_known", f"pôle {row['pole_id']!r} is not in the reference table"
    if not session_year - 1 <= row["funding_year"] <= session_year + 2:
        return "funding_year_in_range", (
            f"funding year {row['funding_year']} is not within {session_year - 1}..{session_year + 2}"
        )
    unknown = [
        s["territory_id"]
        for s in shares
        if s["territory_id"] not in known_ids("territories.csv", "territory_id")
    ]
    if unknown:
        return "territory_known", f"territories {unknown} are not in the reference table"
    total = sum((s["amount_eur"] for s in shares), Decimal(0))
    if not shares or total != amount:
        return "allocations_add_up", f"allocations add up to {total}, not to the grant's {amount}"
    return None


def _reference(rows: _Rows) -> None:
    for row in read_csv("poles.csv"):
        rows.add(
            schemas.POLES,
            {
                **row,
                "valid_from": _date(row["valid_from"]),
                "valid_to": _date(row["valid_to"]),
                "successor_id": row["successor_id"] or None,
                "history": row["history"] or None,
            },
        )
    for row in read_csv("pole_aliases.csv"):
        rows.add(
            schemas.POLE_ALIASES,
            {**row, "case_sensitive": row["case_sensitive"] == "true", "note": row["note"] or None},
        )
    for row in read_csv("territories.csv"):
        rows.add(schemas.TERRITORIES, {**row, "ets": row["ets"] == "true"})


def _money(value: float | int | None) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _timestamp(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    parsed = dt.datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
