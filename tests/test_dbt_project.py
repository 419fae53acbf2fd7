"""The dbt project in sql/: `dbt build` on a small warehouse, and the marts' figures."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pytest

from pipelines.normalise import dbt_sources, schemas
from pipelines.reference import read_csv

# One test worker takes the module: its dbt build is made once.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("dbt-project")]

DBT_PROJECT_DIR = dbt_sources.DBT_PROJECT_DIR
MARTS = (
    "funding_by_pole_year",
    "funding_by_territory_year",
    "funding_by_pole_territory_year",
    "counted_grants",
    "funding_by_pole_lineage_year",
    "review_queue",
)
URL = "https://deliberations.ampmetropole.fr/documents/metropole/deliberations/{}.pdf"


def deliberation(
    code: str,
    session: str,
    outcome: str | None,
    amends: str | None = None,
    reasons: tuple[str, ...] = (),
) -> dict:
    """A deliberations row as the normaliser writes it (flagged when given review reasons)."""
    date = dt.date.fromisoformat(session)
    slug = code.lower().replace(" ", "-").replace("/", "-")
    return {
        "deliberation_id": code,
        "deliberation_code": code,
        "reference": None,
        "authority": "metropole-aix-marseille-provence",
        "body": "conseil" if code.endswith("/CM") else "bureau",
        "session_date": date,
        "session_year": date.year,
        "title": f"Attribution d'une subvention ({code})",
        "outcome": outcome,
        "members_present": 40,
        "amends": amends,
        "document_sha256": slug.ljust(64, "0")[:64],
        "source_url": URL.format(slug),
        "commission": "ECO",
        "rapporteur": None,
        "needs_review": bool(reasons),
        "review_reasons": list(reasons),
        "review_status": "awaiting_review" if reasons else "not_flagged",
        "correction_file": None,
    }


def grant(
    code: str,
    index: int,
    beneficiary: str,
    pole_id: str | None,
    kind: str,
    amount: int,
    year: int,
    shares: list[tuple[str, str, int]],
) -> tuple[dict, list[dict]]:
    """A grants row and its grant_allocations rows."""
    grant_id = f"{code}#{index}"
    row = {
        "grant_id": grant_id,
        "deliberation_id": code,
        "grant_index": index,
        "beneficiary": beneficiary,
        "pole_id": pole_id,
        "kind": kind,
        "amount_eur": Decimal(amount),
        "funding_year": year,
        "programme_budget_eur": None,
    }
    allocations = [
        {
            "grant_id": grant_id,
            "allocation_index": rank,
            "territory_id": territory,
            "budget": budget,
            "amount_eur": Decimal(share),
        }
        for rank, (territory, budget, share) in enumerate(shares, start=1)
    ]
    return row, allocations


DELIBERATIONS = [
    deliberation("ECO 006-8931/16/BM", "2016-04-07", "adopted"),
    deliberation("DEVT 097-1413/17/CM", "2017-03-09", "adopted"),
    deliberation("ECO 024-5567/19/BM", "2019-03-28", "adopted"),
    deliberation("ECO 010-2222/20/BM", "2020-03-05", "adopted"),
    deliberation("ECO 029-9733/20/BM", "2020-12-17", "adopted"),
    deliberation("ECO 030-1111/21/BM", "2021-07-08", "rejected"),
    deliberation("ECOR 007-10454/22/BM", "2022-02-10", "adopted"),
    deliberation("ECO 046-5573/22/CM", "2022-05-12", "adopted", amends="ECOR 007-10454/22/BM"),
    # flagged: its grants count, and the marts say how much of their figures is under review
    deliberation(
        "ECO 108-7653/23/CM",
        "2023-06-22",
        "adopted",
        reasons=("unaccounted_amount: 12 000 € (« dont 12 000 € en 2024 »)",),
    ),
    deliberation("ECO 115-5172/23/CM", "2023-12-21", "adopted"),
    deliberation("ECO 055-3493/24/BM", "2024-04-11", "withdrawn"),
]
GRANTS = [
    grant("ECO 006-8931/16/BM", 1, "Pôle Terralia", "terralia", "membership", 6000, 2016,
          [("metropole", "principal", 6000)]),
    grant("DEVT 097-1413/17/CM", 1, "Association du Technopôle de Château-Gombert", None,
          "operating", 55000, 2017, [("marseille-provence", "principal", 55000)]),
    grant("ECO 024-5567/19/BM", 1, "Pôle OPTITEC", "optitec", "operating", 60000, 2019,
          [("marseille-provence", "principal", 45000), ("pays-d-aix", "ets", 15000)]),
    # named by its old name after the merger: counts under Innov'Alliance in the lineage mart
    grant("ECO 010-2222/20/BM", 1, "Pôle Terralia", "terralia", "membership", 6000, 2020,
          [("metropole", "principal", 6000)]),
    grant("ECO 029-9733/20/BM", 1, "pôle de compétitivité Innov Alliance", "innov-alliance",
          "operating", 128000, 2020,
          [("marseille-provence", "principal", 117000), ("pays-salonais", "ets", 11000)]),
    grant("ECO 030-1111/21/BM", 1, "Pôle Capenergies", "capenergies", "operating", 45000, 2021,
          [("metropole", "principal", 45000)]),
    grant("ECOR 007-10454/22/BM", 1, "Pôle Eurobiomed", "eurobiomed", "operating", 120000, 2022,
          [("metropole", "principal", 120000)]),
    # the amendment's new total: replaces the 120,000 above
    grant("ECO 046-5573/22/CM", 1, "Pôle Eurobiomed", "eurobiomed", "operating", 159000, 2022,
          [("metropole", "principal", 159000)]),
    grant("ECO 108-7653/23/CM", 1, "Optitec", "optitec", "operating", 96500, 2023,
          [("metropole", "principal", 96500)]),
    grant("ECO 108-7653/23/CM", 2, "Pôle SCS", "scs", "operating", 75000, 2023,
          [("metropole", "principal", 75000)]),
    grant("ECO 115-5172/23/CM", 1, "Pôle Optitec", "optitec", "operating", 50000, 2024,
          [("marseille-provence", "principal", 30000),
           ("pays-d-aubagne-et-de-l-etoile", "ets", 20000)]),
    grant("ECO 115-5172/23/CM", 2, "Pôle SCS", "scs", "operating", 80000, 2024,
          [("metropole", "principal", 80000)]),
    grant("ECO 055-3493/24/BM", 1, "Pôle Eurobiomed", "eurobiomed", "operating", 64000, 2024,
          [("metropole", "principal", 64000)]),
]  # fmt: skip


def reference_rows() -> dict[str, list[dict[str, Any]]]:
    """The reference tables, read from pipelines/reference as the normaliser loads them."""

    def date(text: str) -> dt.date | None:
        return dt.date.fromisoformat(text) if text else None

    return {
        "poles": [
            {
                **row,
                "valid_from": date(row["valid_from"]),
                "valid_to": date(row["valid_to"]),
                "successor_id": row["successor_id"] or None,
                "history": row["history"] or None,
            }
            for row in read_csv("poles.csv")
        ],
        "pole_aliases": [
            {**row, "case_sensitive": row["case_sensitive"] == "true", "note": row["note"] or None}
            for row in read_csv("pole_aliases.csv")
        ],
        "territories": [
            {**row, "ets": row["ets"] == "true"} for row in read_csv("territories.csv")
        ],
    }


def document_rows() -> list[dict[str, Any]]:
    seen = dt.datetime(2025, 1, 6, 9, 30, tzinfo=dt.UTC)
    return [
        {
            "url": row["source_url"],
            "card_id": row["deliberation_id"],
            "document_kind": "DECISION",
            "sha256": row["document_sha256"],
            "bytes": 48213,
            "http_status": 200,
            "content_type": "application/pdf",
            "is_act": True,
            "card_relevant": True,
            "download_state": "ok",
            "download_error": None,
            "first_seen": seen,
            "last_seen": seen,
            "listing_session_date": row["session_date"],
            "parse_status": "ok",
            "parse_error": None,
            "parser_version": "0.1.0",
        }
        for row in DELIBERATIONS
    ]


def load_sources(path: Path) -> None:
    """Write every normalised table into schema main of a new DuckDB file."""
    rows: dict[str, list[dict[str, Any]]] = {
        "documents": document_rows(),
        "deliberations": DELIBERATIONS,
        "grants": [row for row, _ in GRANTS],
        "grant_allocations": [share for _, shares in GRANTS for share in shares],
        "quarantine": [],
        "corrections": [],
        **reference_rows(),
    }
    with duckdb.connect(str(path)) as con:
        for table in schemas.TABLES:
            frame = pl.DataFrame(rows[table.name], schema=table.schema, orient="row")
            con.register("frame", frame)
            con.execute(f"create table main.{table.name} as select * from frame")
            con.unregister("frame")


def dbt(*args: str, target: Path) -> Any:
    """Run one dbt command on sql/, its target and logs kept under `target`."""
    from dbt.cli.main import dbtRunner

    result = dbtRunner().invoke(
        [
            *args,
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(target / "target"),
            "--log-path",
            str(target / "logs"),
        ]
    )
    return result


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Any]]:
    """A warehouse file loaded with the rows above, after `dbt build`."""
    root = tmp_path_factory.mktemp("dbt")
    warehouse = root / "warehouse.work.duckdb"
    load_sources(warehouse)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("POLEFUNDS_WAREHOUSE_PATH", str(warehouse))
        result = dbt("build", target=root)
    yield warehouse, result


def query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_the_committed_sources_file_is_what_the_schemas_give() -> None:
    committed = dbt_sources.SOURCES_FILE.read_text(encoding="utf-8")
    assert committed == dbt_sources.sources_yaml(), "run python -m pipelines.normalise.dbt_sources"


def test_every_source_column_is_declared_with_its_description() -> None:
    import yaml

    document = yaml.safe_load(dbt_sources.sources_yaml())
    tables = {table["name"]: table for table in document["sources"][0]["tables"]}
    assert set(tables) == set(schemas.BY_NAME)
    for name, table in schemas.BY_NAME.items():
        declared = {column["name"]: column for column in tables[name]["columns"]}
        assert list(declared) == list(table.columns)
        for column, (_, description) in table.columns.items():
            assert declared[column]["description"] == description


def test_dbt_build_succeeds_with_every_test(built: tuple[Path, Any]) -> None:
    _, result = built
    failures = [
        f"{r.node.name}: {r.status} {r.message}"
        for r in (result.result or [])
        if str(r.status) not in ("success", "pass")
    ]
    assert result.success, failures or result.exception
    assert not failures
    kinds = {r.node.resource_type for r in result.result}
    assert {"model", "test", "unit_test"} <= {str(kind) for kind in kinds}


def test_the_marts_are_tables_in_schema_marts(built: tuple[Path, Any]) -> None:
    warehouse, _ = built
    tables = {
        name
        for (name,) in query(
            warehouse, "select table_name from duckdb_tables() where schema_name = 'marts'"
        )
    }
    assert tables == set(MARTS)
    views = set(query(warehouse, "select schema_name, view_name from duckdb_views()"))
    assert ("staging", "stg_polefunds__grants") in views
    # The amendment rules are computed once a build (tables), not once per test (views).
    intermediate = set(query(warehouse, "select schema_name, table_name from duckdb_tables()")) & {
        ("intermediate", "int_grants__effective"),
        ("intermediate", "int_allocations__effective"),
    }
    assert len(intermediate) == 2


def test_funding_by_pole_year(built: tuple[Path, Any]) -> None:
    warehouse, _ = built
    rows = query(
        warehouse,
        "select pole_id, pole_name, funding_year, kind, amount_eur, grant_count "
        "from marts.funding_by_pole_year order by funding_year, pole_id, kind",
    )
    assert rows == [
        ("terralia", "Terralia", 2016, "membership", Decimal("6000.00"), 1),
        ("optitec", "Optitec", 2019, "operating", Decimal("60000.00"), 1),
        ("innov-alliance", "Innov'Alliance", 2020, "operating", Decimal("128000.00"), 1),
        ("terralia", "Terralia", 2020, "membership", Decimal("6000.00"), 1),
        # the amendment's 159,000 replaced the first act's 120,000: not 279,000
        ("eurobiomed", "Eurobiomed", 2022, "operating", Decimal("159000.00"), 1),
        ("optitec", "Optitec", 2023, "operating", Decimal("96500.00"), 1),
        ("scs", "SCS", 2023, "operating", Decimal("75000.00"), 1),
        ("optitec", "Optitec", 2024, "operating", Decimal("50000.00"), 1),
        ("scs", "SCS", 2024, "operating", Decimal("80000.00"), 1),
    ]
    types = set(
        query(
            warehouse,
            "select data_type from duckdb_columns() where schema_name = 'marts' "
            "and column_name = 'amount_eur'",
        )
    )
    assert types == {("DECIMAL(14,2)",)}


def test_the_marts_say_how_much_is_under_review(built: tuple[Path, Any]) -> None:
    warehouse, _ = built
    rows = query(
        warehouse,
        "select pole_id, funding_year, amount_eur, amount_under_review_eur "
        "from marts.funding_by_pole_year where amount_under_review_eur > 0 order by pole_id",
    )
    # the flagged act of 2023 granted Optitec 96,500 and SCS 75,000: counted, under review
    assert rows == [
        ("optitec", 2023, Decimal("96500.00"), Decimal("96500.00")),
        ("scs", 2023, Decimal("75000.00"), Decimal("75000.00")),
    ]
    by_territory = query(
        warehouse,
        "select sum(amount_under_review_eur) from marts.funding_by_territory_year",
    )
    assert by_territory == [(Decimal("171500.00"),)]
    flagged = query(
        warehouse,
        "select grant_id, needs_review, review_status from marts.counted_grants "
        "where needs_review order by grant_id",
    )
    assert flagged == [
        ("ECO 108-7653/23/CM#1", True, "awaiting_review"),
        ("ECO 108-7653/23/CM#2", True, "awaiting_review"),
    ]


def test_the_review_queue_lists_the_flagged_act(built: tuple[Path, Any]) -> None:
    warehouse, _ = built
    rows = query(
        warehouse,
        "select deliberation_code, queue_reason, review_codes, grant_count, amount_eur, "
        "pole_amount_eur, counted_amount_eur, document_path from marts.review_queue",
    )
    sha = "eco-108-7653-23-cm".ljust(64, "0")
    assert rows == [
        (
            "ECO 108-7653/23/CM",
            "flagged",
            "unaccounted_amount",
            2,
            Decimal("171500.00"),
            Decimal("171500.00"),
            Decimal("171500.00"),
            f"raw/{sha}.pdf",
        )
    ]


def test_withdrawn_and_rejected_acts_count_nothing(built: tuple[Path, Any]) -> None:
    warehouse, _ = built
    grants = dict(
        query(warehouse, "select grant_id, amount_eur from marts.counted_grants order by grant_id")
    )
    assert "ECO 055-3493/24/BM#1" not in grants  # withdrawn
    assert "ECO 030-1111/21/BM#1" not in grants  # rejected
    assert "ECOR 007-10454/22/BM#1" not in grants  # replaced by its amendment
    assert grants["ECO 046-5573/22/CM#1"] == Decimal("159000.00")
    assert len(grants) == 10
    (other,) = query(
        warehouse,
        "select beneficiary, is_pole_grant, pole_name from marts.counted_grants where not is_pole_grant",
    )
    assert other == ("Association du Technopôle de Château-Gombert", False, None)


def test_funding_by_territory_year(built: tuple[Path, Any]) -> None:
    warehouse, _ = built
    rows = query(
        warehouse,
        "select territory_id, funding_year, kind, amount_eur from marts.funding_by_territory_year "
        "order by territory_id, funding_year, kind",
    )
    assert rows == [
        ("marseille-provence", 2019, "operating", Decimal("45000.00")),
        ("marseille-provence", 2020, "operating", Decimal("117000.00")),
        ("marseille-provence", 2024, "operating", Decimal("30000.00")),
        ("metropole", 2016, "membership", Decimal("6000.00")),
        ("metropole", 2020, "membership", Decimal("6000.00")),
        ("metropole", 2022, "operating", Decimal("159000.00")),
        ("metropole", 2023, "operating", Decimal("171500.00")),
        ("metropole", 2024, "operating", Decimal("80000.00")),
        ("pays-d-aix", 2019, "operating", Decimal("15000.00")),
        ("pays-d-aubagne-et-de-l-etoile", 2024, "operating", Decimal("20000.00")),
        ("pays-salonais", 2020, "operating", Decimal("11000.00")),
    ]
    (name,) = query(
        warehouse,
        "select distinct territory_name from marts.funding_by_territory_year "
        "where territory_id = 'metropole'",
    )
    assert name == ("Métropole Aix-Marseille-Provence",)


def test_funding_by_pole_territory_year(built: tuple[Path, Any]) -> None:
    warehouse, _ = built
    rows = query(
        warehouse,
        "select territory_id, amount_eur from marts.funding_by_pole_territory_year "
        "where pole_id = 'optitec' and funding_year = 2024 order by territory_id",
    )
    assert rows == [
        ("marseille-provence", Decimal("30000.00")),
        ("pays-d-aubagne-et-de-l-etoile", Decimal("20000.00")),
    ]
    (total,) = query(warehouse, "select sum(amount_eur) from marts.funding_by_pole_territory_year")
    assert total == (Decimal("660500.00"),)


def test_funding_by_pole_lineage_year_follows_mergers(built: tuple[Path, Any]) -> None:
    warehouse, _ = built
    rows = query(
        warehouse,
        "select lineage_pole_id, lineage_pole_name, funding_year, kind, amount_eur, grant_count "
        "from marts.funding_by_pole_lineage_year order by funding_year, lineage_pole_id, kind",
    )
    assert rows == [
        ("terralia", "Terralia", 2016, "membership", Decimal("6000.00"), 1),
        ("optitec", "Optitec", 2019, "operating", Decimal("60000.00"), 1),
        ("innov-alliance", "Innov'Alliance", 2020, "membership", Decimal("6000.00"), 1),
        ("innov-alliance", "Innov'Alliance", 2020, "operating", Decimal("128000.00"), 1),
        ("eurobiomed", "Eurobiomed", 2022, "operating", Decimal("159000.00"), 1),
        ("optitec", "Optitec", 2023, "operating", Decimal("96500.00"), 1),
        ("scs", "SCS", 2023, "operating", Decimal("75000.00"), 1),
        # Optitec's 2024 grant under SCS, with SCS's own
        ("scs", "SCS", 2024, "operating", Decimal("130000.00"), 2),
    ]


def test_descriptions_land_as_comments(built: tuple[Path, Any]) -> None:
    warehouse, _ = built
    uncommented = query(
        warehouse,
        "select table_name, column_name from duckdb_columns() "
        "where schema_name in ('staging', 'intermediate', 'marts') "
        "and coalesce(comment, '') = ''",
    )
    assert uncommented == []
    tables = dict(
        query(
            warehouse, "select table_name, comment from duckdb_tables() where schema_name = 'marts'"
        )
    )
    assert all(tables[name] for name in MARTS)
    assert "amendment" in tables["counted_grants"]


def test_views_survive_the_publishing_rename(built: tuple[Path, Any], tmp_path: Path) -> None:
    warehouse, _ = built
    published = tmp_path / "warehouse.duckdb"
    shutil.copy(warehouse, published)
    (count,) = query(published, "select count(*) from intermediate.int_grants__effective")
    assert count == (10,)


def test_staging_columns_keep_their_source_descriptions(built: tuple[Path, Any]) -> None:
    warehouse, _ = built
    manifest = json.loads((warehouse.parent / "target" / "manifest.json").read_text())
    models = {
        node["name"]: node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
    }
    for table in schemas.TABLES:
        model = models.get(f"stg_polefunds__{table.name}")
        if model is None:
            continue
        for name, column in model["columns"].items():
            assert column["description"], f"{model['name']}.{name} has no description"
            if name in table.columns:
                assert column["description"] == table.columns[name][1], f"{model['name']}.{name}"
    for model in models.values():
        assert model["description"], model["name"]
        assert all(column["description"] for column in model["columns"].values()), model["name"]
