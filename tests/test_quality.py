"""Data-quality suites: each passes on realistic rows and names the failing rows' keys."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import polars as pl
import pytest

from pipelines.normalise import schemas
from pipelines.quality import (
    DERIVED,
    KEY_SEPARATOR,
    Validation,
    default_parameters,
    derived_frame,
    derived_frames,
    load_suite,
    read_tables,
    runner,
    suite_key,
    suite_names,
    suites_reading,
    validate,
    validate_table,
    validate_tables,
)
from pipelines.quality.__main__ import main
from pipelines.quality.publication import read_publication_frames
from pipelines.quality.suites import PUBLICATION_SUITES
from pipelines.reference import read_csv

Frames = dict[str, pd.DataFrame]
SHA_2019 = "3f1c" * 16
SHA_2021 = "a07e" * 16
SHA_2022 = "9b2d" * 16
SHA_2017 = "c4e8" * 16
SHA_AMENDED = "7e5a" * 16
SITE = "https://deliberations.ampmetropole.fr/documents/METROPOLE"
B19, C21, C22, C17 = (
    "ECO 024-5567/19/BM",
    "ECOR 122-3092/21/CM",
    "ECO 046-5573/22/CM",
    "DEVT 097-1413/17/CM",
)
AMENDED = "ECOR 007-10454/22/BM"  # C22 amends it: published before C22, now replaced
CHECKED = "corrections/ECOR-122-3092-21-CM.yaml"
UTC = dt.UTC
# The date of the run the frames are realistic for: the latest act (C22) is seven weeks old.
TODAY = dt.date(2022, 6, 30)
PARAMS = default_parameters(TODAY)


def _deliberation(code: str, reference: str | None, body: str, day: dt.date, sha: str, **extra):  # type: ignore[no-untyped-def]
    reasons = extra.pop("review_reasons", [])
    return {
        "deliberation_id": code,
        "deliberation_code": code,
        "reference": reference,
        "authority": "metropole-aix-marseille-provence",
        "body": body,
        "session_date": day,
        "session_year": day.year,
        "title": extra.pop("title"),
        "outcome": "adopted",
        "members_present": extra.pop("members_present", None),
        "amends": extra.pop("amends", None),
        "document_sha256": sha,
        "source_url": f"{SITE}/{day:%Y-%m-%d}/DECISION/{sha[:8]}.pdf",
        "commission": "Développement économique",
        "rapporteur": "Mme Martine VASSAL",
        "listing_impact_kind": extra.pop("listing_impact_kind", None),
        "listing_impact_eur": extra.pop("listing_impact_eur", None),
        "listing_impact_ht_eur": None,
        "needs_review": extra.pop("needs_review", False),
        "review_reasons": reasons,
        "review_status": extra.pop("review_status", "not_flagged"),
        "correction_file": extra.pop("correction_file", None),
    }


def _grant(code: str, index: int, beneficiary: str, pole: str | None, amount: str, year: int):  # type: ignore[no-untyped-def]
    return {
        "grant_id": f"{code}#{index}",
        "deliberation_id": code,
        "grant_index": index,
        "beneficiary": beneficiary,
        "pole_id": pole,
        "kind": "operating",
        "amount_eur": Decimal(amount),
        "funding_year": year,
        "programme_budget_eur": None,
    }


def _allocation(grant_id: str, index: int, territory: str, budget: str, amount: str):  # type: ignore[no-untyped-def]
    return {
        "grant_id": grant_id,
        "allocation_index": index,
        "territory_id": territory,
        "budget": budget,
        "amount_eur": Decimal(amount),
    }


def _document(url: str, sha: str | None, day: dt.date, **extra: Any) -> dict[str, Any]:
    kind = extra.get("kind", "DECISION")
    return {
        "url": url,
        "card_id": extra.get("card", f"/seance/{day:%Y-%m-%d}/{url.rsplit('/', 1)[-1][:8]}"),
        "document_kind": kind,
        "is_act": extra.get("is_act", kind in ("DECISION", "DELIBERATION")),
        "card_relevant": extra.get("relevant", True),
        "sha256": sha,
        "bytes": extra.get("bytes", 184_322),
        "http_status": extra.get("http_status", 200),
        "content_type": "application/pdf" if sha else "text/html",
        "download_state": extra.get("state", "ok"),
        "download_error": extra.get("error"),
        "first_seen": dt.datetime(2025, 3, 1, 9, 30, tzinfo=UTC),
        "last_seen": dt.datetime(2025, 11, 20, 9, 30, tzinfo=UTC),
        "listing_session_date": day,
        "parse_status": extra.get("parse_status", "ok" if sha else None),
        "parse_error": None,
        "parser_version": "5d0c8a1e7f42" if sha else None,
    }


def _correction(code: str | None, file: str, state: str, **extra: Any) -> dict[str, Any]:
    return {
        "correction_file": file,
        "deliberation_code": code,
        "document_sha256": extra.get("sha"),
        "verdict": extra.get("verdict", "checked"),
        "changed": extra.get("changed", []),
        "corrected_by": "Claire Martin",
        "corrected_on": dt.date(2022, 6, 2),
        "why": "Read the PDF: the grants are as parsed.",
        "state": state,
        "error": extra.get("error"),
    }


# marts.counted_grants as dbt builds it (sql/models/marts/counted_grants.sql).
COUNTED = pl.Schema(
    {
        "grant_id": pl.String(),
        "deliberation_code": pl.String(),
        "session_date": pl.Date(),
        "body": pl.String(),
        "beneficiary": pl.String(),
        "is_pole_grant": pl.Boolean(),
        "pole_id": pl.String(),
        "pole_name": pl.String(),
        "kind": pl.String(),
        "amount_eur": schemas.MONEY,
        "funding_year": pl.Int32(),
        "needs_review": pl.Boolean(),
        "review_status": pl.String(),
        "correction_file": pl.String(),
        "replaces_deliberation_code": pl.String(),
        "document_sha256": pl.String(),
        "source_url": pl.String(),
        "title": pl.String(),
    }
)


def _counted(grant: dict[str, Any], act: dict[str, Any], replaces: str | None = None):  # type: ignore[no-untyped-def]
    """A counted_grants row: a grant beside its adopted act."""
    return {
        "grant_id": grant["grant_id"],
        "deliberation_code": act["deliberation_code"],
        "session_date": act["session_date"],
        "body": act["body"],
        "beneficiary": grant["beneficiary"],
        "is_pole_grant": grant["pole_id"] is not None,
        "pole_id": grant["pole_id"],
        "pole_name": grant["pole_id"].title() if grant["pole_id"] else None,
        "kind": grant["kind"],
        "amount_eur": grant["amount_eur"],
        "funding_year": grant["funding_year"],
        "needs_review": act["needs_review"],
        "review_status": act["review_status"],
        "correction_file": act["correction_file"],
        "replaces_deliberation_code": replaces,
        "document_sha256": act["document_sha256"],
        "source_url": act["source_url"],
        "title": act["title"],
    }


def _table(table: schemas.Table, rows: list[dict[str, Any]]) -> pl.DataFrame:
    """Rows in the declared polars schema: what the normaliser makes."""
    return pl.DataFrame(rows, schema=table.schema, orient="row")


def _reference_tables() -> dict[str, pl.DataFrame]:
    poles = [
        {
            **row,
            "valid_from": dt.date.fromisoformat(row["valid_from"]),
            "valid_to": dt.date.fromisoformat(row["valid_to"]) if row["valid_to"] else None,
            "successor_id": row["successor_id"] or None,
            "history": row["history"] or None,
        }
        for row in read_csv("poles.csv")
    ]
    aliases = [
        {**row, "case_sensitive": row["case_sensitive"] == "true", "note": row["note"] or None}
        for row in read_csv("pole_aliases.csv")
    ]
    territories = [{**row, "ets": row["ets"] == "true"} for row in read_csv("territories.csv")]
    return {
        "poles": _table(schemas.POLES, poles),
        "pole_aliases": _table(schemas.POLE_ALIASES, aliases),
        "territories": _table(schemas.TERRITORIES, territories),
    }


def _good_acts() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Four acts of the bundled sample (one checked by a person, one awaiting review), grants."""
    deliberations = [
        _deliberation(
            B19,
            "MET 19/10103/BM",
            "bureau",
            dt.date(2019, 3, 28),
            SHA_2019,
            title="Attribution d'une subvention de fonctionnement au Pôle OPTITEC",
            members_present=31,
        ),
        _deliberation(
            C21,
            "MET 21/27531/CM",
            "conseil",
            dt.date(2021, 7, 8),
            SHA_2021,
            title="Soutien aux pôles de compétitivité au titre de l'année 2021",
            members_present=187,
            listing_impact_kind="expense",
            listing_impact_eur=Decimal("168000.00"),
            review_reasons=["listing_disagrees: the card states 168 000 €, the grants 169 000 €"],
            review_status="checked",
            correction_file=CHECKED,
        ),
        _deliberation(
            C22,
            "MET 22/20372/CM",
            "conseil",
            dt.date(2022, 5, 12),
            SHA_2022,
            title="Modification de la subvention au Pôle Eurobiomed",
            amends=AMENDED,
        ),
        _deliberation(
            C17,
            None,
            "conseil",
            dt.date(2017, 3, 9),
            SHA_2017,
            title="Subvention à l'Association du Technopôle de Château-Gombert",
            needs_review=True,
            review_reasons=["unaccounted_amount: 12 000 € (« dont 12 000 € en 2018 »)"],
            review_status="awaiting_review",
        ),
    ]
    optitec = _grant(B19, 1, "Pôle OPTITEC", "optitec", "60000.00", 2019)
    optitec["programme_budget_eur"] = Decimal("986004.00")
    grants = [
        optitec,
        _grant(C21, 1, "Pôle Eurobiomed", "eurobiomed", "84500.00", 2021),
        _grant(C21, 2, "pôle de compétitivité SCS", "scs", "84500.00", 2021),
        _grant(C22, 1, "Pôle Eurobiomed", "eurobiomed", "159000.00", 2022),
        _grant(C17, 1, "Association du Technopôle de Château-Gombert", None, "55000.00", 2017),
    ]
    return deliberations, grants


def _good_frames() -> dict[str, pl.DataFrame]:
    """The acts, their allocations, documents, one quarantined row, one correction applied."""
    deliberations, grants = _good_acts()
    allocations = [
        _allocation(f"{B19}#1", 1, "marseille-provence", "principal", "45000.00"),
        _allocation(f"{B19}#1", 2, "pays-d-aix", "ets", "15000.00"),
        _allocation(f"{C21}#1", 1, "marseille-provence", "ets", "54500.00"),
        _allocation(f"{C21}#1", 2, "pays-de-martigues", "ets", "30000.00"),
        _allocation(f"{C21}#2", 1, "marseille-provence", "ets", "31500.00"),
        _allocation(f"{C21}#2", 2, "pays-de-martigues", "ets", "53000.00"),
        _allocation(f"{C22}#1", 1, "metropole", "principal", "159000.00"),
        _allocation(f"{C17}#1", 1, "marseille-provence", "principal", "55000.00"),
    ]
    documents = [
        _document(row["source_url"], row["document_sha256"], row["session_date"])
        for row in deliberations
    ]
    documents.append(
        _document(
            f"{SITE}/2021-07-08/ANNEXE/annexe-poles.pdf",
            None,
            dt.date(2021, 7, 8),
            card=documents[1]["card_id"],  # the annex of C21's card
            kind="ANNEXE",
            state="failed",
            bytes=None,
            http_status=404,
            error="not found (HTTP 404)",
        )
    )
    quarantine = [
        {
            "table_name": "grants",
            "row_key": "ECO 055-3493/24/BM#1",
            "check_name": "allocations_add_up",
            "reason": "allocations add up to 60000.00, not to the grant's 64000.00",
            "document_sha256": "e5" * 32,
            "row_json": json.dumps({"grant_id": "ECO 055-3493/24/BM#1", "amount_eur": "64000.00"}),
        }
    ]
    corrections = [_correction(C21, CHECKED, "applied", sha=SHA_2021)]
    return {
        "documents": _table(schemas.DOCUMENTS, documents),
        "deliberations": _table(schemas.DELIBERATIONS, deliberations),
        "grants": _table(schemas.GRANTS, grants),
        "grant_allocations": _table(schemas.GRANT_ALLOCATIONS, allocations),
        "corrections": _table(schemas.CORRECTIONS, corrections),
        "quarantine": _table(schemas.QUARANTINE, quarantine),
        **_reference_tables(),
    }


def _publication_frames() -> dict[str, pl.DataFrame]:
    """The work file's counted_grants, and the warehouse published before C22 was crawled: it
    counted the grant of the act C22 amends (now replaced, excused) and the four others."""
    deliberations, grants = _good_acts()
    acts = {act["deliberation_code"]: act for act in deliberations}
    counted = [
        _counted(grant, acts[grant["deliberation_id"]], acts[grant["deliberation_id"]]["amends"])
        for grant in grants
    ]
    amended = _deliberation(
        AMENDED,
        "MET 22/10454/BM",
        "bureau",
        dt.date(2022, 2, 10),
        SHA_AMENDED,
        title="Attribution d'une subvention au Pôle Eurobiomed",
    )
    published = [row for row in counted if row["deliberation_code"] != C22]
    published.append(
        _counted(_grant(AMENDED, 1, "Pôle Eurobiomed", "eurobiomed", "150000.00", 2022), amended)
    )
    published_acts = [act for act in deliberations if act["deliberation_code"] != C22]
    return {
        "counted_grants": pl.DataFrame(counted, schema=COUNTED, orient="row"),
        "published_counted_grants": pl.DataFrame(published, schema=COUNTED, orient="row"),
        "published_deliberations": pl.DataFrame(
            {
                "deliberation_code": [
                    act["deliberation_code"] for act in [*published_acts, amended]
                ],
                "document_sha256": [act["document_sha256"] for act in [*published_acts, amended]],
            }
        ),
    }


TABLES = _good_frames()
PUBLICATION = _publication_frames()
GOOD: Frames = {name: frame.to_pandas() for name, frame in {**TABLES, **PUBLICATION}.items()}
URL = GOOD["deliberations"].set_index("deliberation_id")["source_url"].to_dict()
ANNEX = f"{SITE}/2021-07-08/ANNEXE/annexe-poles.pdf"


@pytest.fixture
def frames() -> Frames:
    """A fresh copy of the passing frames, to break one rule at a time."""
    return {name: frame.copy(deep=True) for name, frame in GOOD.items()}


def _row(frame: pd.DataFrame, column: str, value: Any) -> int:
    """The index of the first row whose column holds value."""
    return int(frame.index[frame[column] == value][0])


def _set(frame: pd.DataFrame, column: str, key: Any, field: str, value: Any) -> None:
    if isinstance(value, dt.date):  # date columns come from polars as datetime64
        value = pd.Timestamp(value)
    if value is None and frame[field].dtype == bool:
        frame[field] = frame[field].astype(object)
    frame.at[_row(frame, column, key), field] = value


def _duplicate(frame: pd.DataFrame, column: str, key: Any) -> pd.DataFrame:
    return pd.concat([frame, frame.loc[[_row(frame, column, key)]]], ignore_index=True)


def _without(frame: pd.DataFrame, column: str, value: Any) -> pd.DataFrame:
    return frame[frame[column] != value].reset_index(drop=True)


def _append(frame: pd.DataFrame, rows: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.concat([frame, pd.DataFrame(rows)], ignore_index=True)


def _keys(validation: Validation, rule: str) -> set[str]:
    """Keys that the failed expectations of a rule name (asserting the rule failed)."""
    failed = [o for o in validation.failures if o.rule == rule]
    assert failed, f"{rule} did not fail:\n{validation.describe()}"
    return {key for outcome in failed for key in outcome.failing_keys}


def _grant_key(code: str, beneficiary: str, year: int) -> str:
    """A publication_losses key: deliberation_code|beneficiary|funding_year."""
    return KEY_SEPARATOR.join((code, beneficiary, str(year)))


LOST_OPTITEC = _grant_key(B19, "Pôle OPTITEC", 2019)


# -- every suite passes on the realistic frames ------------------------------------------


@pytest.mark.parametrize("suite", suite_names())
def test_suite_passes_on_realistic_rows(suite: str, frames: Frames) -> None:
    validation = validate_table(suite, frames, PARAMS)
    assert validation.success, validation.describe()
    assert validation.row_count > 0 or suite == "quarantine"
    assert all(outcome.error is None for outcome in validation.outcomes)


def test_frames_read_back_from_duckdb_pass() -> None:
    """What the Dagster checks do: read the tables from DuckDB with `.df()` and validate."""
    written = {**TABLES, **PUBLICATION}
    with duckdb.connect() as connection:
        for name, frame in written.items():
            connection.register(f"{name}_frame", frame)
            connection.execute(f"create table {name} as select * from {name}_frame")
        read = {name: connection.execute(f"select * from {name}").df() for name in written}
    assert str(read["grants"]["amount_eur"].dtype) == "float64"
    results = validate_tables(read, PARAMS)
    assert set(results) == set(suite_names())
    assert all(v.success for v in results.values()), [v.describe() for v in results.values()]


def test_polars_frames_are_accepted() -> None:
    assert validate("grants", TABLES["grants"]).success
    assert validate_table("grant_totals", TABLES).success
    assert validate_table("review_health", TABLES).success
    for suite in PUBLICATION_SUITES:
        assert validate_table(suite, {**TABLES, **PUBLICATION}).success


def test_the_former_authority_and_the_territory_councils_are_known(frames: Frames) -> None:
    _set(
        frames["deliberations"], "deliberation_id", C17, "authority", "marseille-provence-metropole"
    )
    _set(frames["deliberations"], "deliberation_id", B19, "body", "conseil-de-territoire")
    assert validate_table("deliberations", frames).success


def test_the_quarantine_rules_are_not_re_tested() -> None:
    """The rules that restated the parser's patterns or the normaliser's quarantine are gone;
    the quarantine stays, and its share is a blocking rule of review_health."""
    dropped = {
        "deliberations": {
            "deliberation_code_format",
            "body_matches_code",
            "reference_format",
            "session_date_in_range",
            "amends_format",
        },
        "grants": {"grant_id_format", "deliberation_code_format", "pole_known", "amount_plausible"},
        "grant_allocations": {"grant_id_format", "territory_known", "amount_plausible"},
        "grant_sessions": {"funding_year_in_range"},
        "grant_totals": {"allocations_add_up", "grant_has_allocations"},
        "deliberation_years": {"session_year_of_date"},
    }
    for suite, rules in dropped.items():
        kept = {e["meta"]["rule"] for e in load_suite(suite)["expectations"]}
        assert not rules & kept, suite
    health = {e["meta"]["rule"]: e for e in load_suite("review_health")["expectations"]}
    assert health["quarantine_share_bounded"].get("severity", "critical") == "critical"


def test_what_the_quarantine_holds_passes_the_suites(frames: Frames) -> None:
    """Faults the normaliser quarantines are no business of the suites any more."""
    _set(frames["grants"], "grant_id", f"{B19}#1", "pole_id", "optitek")
    _set(frames["grants"], "grant_id", f"{C17}#1", "amount_eur", Decimal("55000000.00"))
    _set(frames["grants"], "grant_id", f"{B19}#1", "funding_year", 2025)
    _set(frames["grant_allocations"], "territory_id", "pays-d-aix", "amount_eur", Decimal("1.00"))
    _set(frames["deliberations"], "deliberation_id", C22, "reference", "MET 22-20372-CM")
    for suite in ("grants", "grant_allocations", "grant_totals", "grant_sessions", "deliberations"):
        assert validate_table(suite, frames, PARAMS).success, suite


# -- one failing frame per rule family -----------------------------------------------------

Mutation = Callable[[Frames], None]


def _documents_duplicate(f: Frames) -> None:
    f["documents"] = _duplicate(f["documents"], "sha256", SHA_2019)


def _documents_bad_sha(f: Frames) -> None:
    _set(f["documents"], "sha256", SHA_2021, "sha256", "A07E" * 15)


def _documents_bad_state(f: Frames) -> None:
    _set(f["documents"], "sha256", SHA_2022, "download_state", "done")


def _documents_future_card(f: Frames) -> None:
    _set(f["documents"], "sha256", SHA_2017, "listing_session_date", dt.date(2099, 1, 1))


def _documents_ok_without_sha(f: Frames) -> None:
    _set(f["documents"], "sha256", SHA_2017, "sha256", None)


def _documents_seen_backwards(f: Frames) -> None:
    row = _row(f["documents"], "sha256", SHA_2019)
    f["documents"].at[row, "last_seen"] = pd.Timestamp("2024-01-01", tz="UTC")


def _documents_relevant_kind_unread(f: Frames) -> None:
    # a folder the portal adds on a relevant card: its acts would never reach the parser
    _set(f["documents"], "url", ANNEX, "document_kind", "PROCESVERBAL")


def _deliberations_duplicate(f: Frames) -> None:
    f["deliberations"] = _duplicate(f["deliberations"], "deliberation_id", C21)


def _deliberations_id_not_code(f: Frames) -> None:
    _set(f["deliberations"], "deliberation_id", B19, "deliberation_code", "ECO 024-5567/2019/BM")


def _deliberations_bad_enums(f: Frames) -> None:
    _set(f["deliberations"], "deliberation_id", C21, "outcome", "approved")
    _set(f["deliberations"], "deliberation_id", C17, "body", "commission")
    _set(f["deliberations"], "deliberation_id", C22, "authority", "region-sud")


def _deliberations_no_session_date(f: Frames) -> None:
    _set(f["deliberations"], "deliberation_id", C22, "session_date", None)


def _deliberations_needs_review_missing(f: Frames) -> None:
    _set(f["deliberations"], "deliberation_id", B19, "needs_review", None)


def _deliberations_review_status_unknown(f: Frames) -> None:
    _set(f["deliberations"], "deliberation_id", C21, "review_status", "reviewed")


def _deliberations_flagged_but_not_awaiting(f: Frames) -> None:
    _set(f["deliberations"], "deliberation_id", C17, "review_status", "not_flagged")


def _grants_duplicate(f: Frames) -> None:
    f["grants"] = _duplicate(f["grants"], "grant_id", f"{C21}#2")


def _grants_bad_kind(f: Frames) -> None:
    _set(f["grants"], "grant_id", f"{C22}#1", "kind", "subsidy")


def _grants_no_amount(f: Frames) -> None:
    _set(f["grants"], "grant_id", f"{C21}#1", "amount_eur", None)


def _allocations_duplicate(f: Frames) -> None:
    f["grant_allocations"] = _duplicate(f["grant_allocations"], "grant_id", f"{C22}#1")


def _allocations_bad_budget(f: Frames) -> None:
    _set(f["grant_allocations"], "grant_id", f"{C22}#1", "budget", "special")


def _allocations_ets_on_metropole(f: Frames) -> None:
    _set(f["grant_allocations"], "grant_id", f"{C22}#1", "budget", "ets")


def _corrections_invalid(f: Frames) -> None:
    invalid = _correction(
        None, "corrections/ECO-108.yaml", "invalid", error="grants[0].amount_eur: not a number"
    )
    f["corrections"] = _append(f["corrections"], [invalid])


def _corrections_unmatched(f: Frames) -> None:
    typo = _correction("ECO 024-5567/91/BM", "corrections/ECO-024-5567-91-BM.yaml", "unmatched")
    f["corrections"] = _append(f["corrections"], [typo])


def _poles_duplicate(f: Frames) -> None:
    f["poles"] = _duplicate(f["poles"], "pole_id", "safe")


def _poles_bad_id(f: Frames) -> None:
    _set(f["poles"], "pole_id", "aqua-valley", "pole_id", "Aqua Valley")


def _poles_backwards(f: Frames) -> None:
    _set(f["poles"], "pole_id", "terralia", "valid_to", dt.date(2004, 12, 31))


def _poles_unknown_successor(f: Frames) -> None:
    _set(f["poles"], "pole_id", "optitec", "successor_id", "solutions-communicantes")


def _poles_successor_without_end(f: Frames) -> None:
    _set(f["poles"], "pole_id", "terralia", "valid_to", None)


def _aliases_duplicate(f: Frames) -> None:
    f["pole_aliases"] = _duplicate(f["pole_aliases"], "alias", "Pôle Mer")


def _aliases_unknown_pole(f: Frames) -> None:
    _set(f["pole_aliases"], "alias", "Pégase", "pole_id", "pegase")


def _territories_duplicate(f: Frames) -> None:
    f["territories"] = _duplicate(f["territories"], "territory_id", "pays-d-aix")


def _territories_no_metropole(f: Frames) -> None:
    territories = f["territories"]
    f["territories"] = territories[territories["territory_id"] != "metropole"]


def _territories_metropole_ets(f: Frames) -> None:
    _set(f["territories"], "territory_id", "metropole", "ets", True)


def _quarantine_duplicate(f: Frames) -> None:
    f["quarantine"] = pd.concat([f["quarantine"]] * 2, ignore_index=True)


def _quarantine_bad_row(f: Frames) -> None:
    f["quarantine"].at[0, "table_name"] = "subsidies"
    f["quarantine"].at[0, "row_json"] = "{'grant_id': 'ECO 055-3493/24/BM#1'"


def _totals_orphan_allocation(f: Frames) -> None:
    orphan = _allocation("ECO 055-3493/24/BM#1", 1, "metropole", "principal", "64000.00")
    f["grant_allocations"] = _append(f["grant_allocations"], [orphan])


def _sessions_unknown_deliberation(f: Frames) -> None:
    f["deliberations"] = _without(f["deliberations"], "deliberation_id", C17)


def _years_session_year(f: Frames) -> None:
    _set(f["deliberations"], "deliberation_id", C21, "session_year", 2012)


def _health(f: Frames, **counts: int) -> None:
    f.update(_health_frames(**counts))


def _health_flagged(f: Frames) -> None:
    _health(f, acts=10, flagged=5)


def _health_unparsed(f: Frames) -> None:
    _health(f, acts=8, unparsed=2)


def _health_quarantined(f: Frames) -> None:
    _health(f, acts=10, grants=8, quarantined=2)


def _freshness_stale(f: Frames) -> None:
    f["deliberations"] = _without(f["deliberations"], "deliberation_id", C22)


def _losses_grant_lost(f: Frames) -> None:
    f["counted_grants"] = _without(f["counted_grants"], "grant_id", f"{B19}#1")


def _losses_amount_changed(f: Frames) -> None:
    _set(f["counted_grants"], "grant_id", f"{B19}#1", "amount_eur", Decimal("66000.00"))


def _losses_act_lost(f: Frames) -> None:
    # the crawl lost the act: it is in neither the mart nor the tables
    f["counted_grants"] = _without(f["counted_grants"], "deliberation_code", B19)
    f["deliberations"] = _without(f["deliberations"], "deliberation_id", B19)


def _volume_falls(f: Frames) -> None:
    counted = _without(f["counted_grants"], "deliberation_code", C21)
    f["counted_grants"] = _without(counted, "deliberation_code", B19)


def _volume_jumps(f: Frames) -> None:
    _set(f["counted_grants"], "grant_id", f"{C22}#1", "amount_eur", Decimal("1159000.00"))


CASES: list[tuple[str, Mutation, set[str], dict[str, set[str]]]] = [
    # (suite, mutation, every rule expected to fail, keys named by some of those rules)
    ("documents", _documents_duplicate, {"key_unique"}, {"key_unique": {URL[B19]}}),
    ("documents", _documents_bad_sha, {"sha256_format"}, {"sha256_format": {URL[C21]}}),
    ("documents", _documents_bad_state, {"download_state_known"}, {"download_state_known": {URL[C22]}}),
    ("documents", _documents_future_card, {"session_date_in_range"}, {"session_date_in_range": {URL[C17]}}),
    ("documents", _documents_ok_without_sha, {"sha256_when_downloaded"}, {"sha256_when_downloaded": {URL[C17]}}),
    ("documents", _documents_seen_backwards, {"seen_in_order"}, {"seen_in_order": {URL[B19]}}),
    ("documents", _documents_relevant_kind_unread, {"document_kind_known", "relevant_kind_read"}, {"relevant_kind_read": {ANNEX}, "document_kind_known": {ANNEX}}),
    ("deliberations", _deliberations_duplicate, {"key_unique"}, {"key_unique": {C21}}),
    ("deliberations", _deliberations_id_not_code, {"id_is_code"}, {"id_is_code": {B19}}),
    ("deliberations", _deliberations_bad_enums, {"outcome_known", "body_known", "authority_known"}, {"outcome_known": {C21}, "body_known": {C17}, "authority_known": {C22}}),
    ("deliberations", _deliberations_no_session_date, {"session_date_present"}, {"session_date_present": {C22}}),
    ("deliberations", _deliberations_needs_review_missing, {"needs_review_present"}, {"needs_review_present": {B19}}),
    ("deliberations", _deliberations_review_status_unknown, {"review_status_known"}, {"review_status_known": {C21}}),
    ("deliberations", _deliberations_flagged_but_not_awaiting, {"review_status_agrees"}, {"review_status_agrees": {C17}}),
    ("grants", _grants_duplicate, {"key_unique", "rank_unique"}, {"key_unique": {f"{C21}#2"}}),
    ("grants", _grants_bad_kind, {"kind_known"}, {"kind_known": {f"{C22}#1"}}),
    ("grants", _grants_no_amount, {"amount_present"}, {"amount_present": {f"{C21}#1"}}),
    ("grant_allocations", _allocations_duplicate, {"key_unique"}, {"key_unique": {f"{C22}#1{KEY_SEPARATOR}1"}}),
    ("grant_allocations", _allocations_bad_budget, {"budget_known"}, {"budget_known": {f"{C22}#1|1"}}),
    ("grant_allocations", _allocations_ets_on_metropole, {"ets_has_territory"}, {"ets_has_territory": {f"{C22}#1|1"}}),
    ("corrections", _corrections_invalid, {"correction_readable"}, {"correction_readable": {"corrections/ECO-108.yaml"}}),
    ("corrections", _corrections_unmatched, {"correction_matches_an_act"}, {"correction_matches_an_act": {"corrections/ECO-024-5567-91-BM.yaml"}}),
    ("poles", _poles_duplicate, {"key_unique"}, {"key_unique": {"safe"}}),
    ("poles", _poles_bad_id, {"id_format"}, {"id_format": {"Aqua Valley"}}),
    ("poles", _poles_backwards, {"valid_in_order"}, {"valid_in_order": {"terralia"}}),
    ("poles", _poles_unknown_successor, {"pole_known"}, {"pole_known": {"optitec"}}),
    ("poles", _poles_successor_without_end, {"successor_has_end"}, {"successor_has_end": {"terralia"}}),
    ("pole_aliases", _aliases_duplicate, {"key_unique"}, {"key_unique": {"Pôle Mer"}}),
    ("pole_aliases", _aliases_unknown_pole, {"pole_known"}, {"pole_known": {"Pégase"}}),
    ("territories", _territories_duplicate, {"key_unique", "seven_territories"}, {"key_unique": {"pays-d-aix"}}),
    ("territories", _territories_no_metropole, {"metropole_present", "seven_territories"}, {}),
    ("territories", _territories_metropole_ets, {"metropole_has_no_ets"}, {"metropole_has_no_ets": {"metropole"}}),
    ("quarantine", _quarantine_duplicate, {"key_unique"}, {"key_unique": {"grants|ECO 055-3493/24/BM#1|allocations_add_up"}}),
    ("quarantine", _quarantine_bad_row, {"table_known", "row_is_json"}, {"table_known": {"subsidies|ECO 055-3493/24/BM#1|allocations_add_up"}}),
    ("grant_totals", _totals_orphan_allocation, {"allocations_have_grant"}, {"allocations_have_grant": {"ECO 055-3493/24/BM#1"}}),
    ("grant_sessions", _sessions_unknown_deliberation, {"grant_has_deliberation"}, {"grant_has_deliberation": {f"{C17}#1"}}),
    ("deliberation_years", _years_session_year, {"code_year_is_session_year"}, {"code_year_is_session_year": {C21}}),
    ("review_health", _health_flagged, {"flagged_share_bounded"}, {"flagged_share_bounded": {"run"}}),
    ("review_health", _health_unparsed, {"relevant_cards_parsed"}, {"relevant_cards_parsed": {"run"}}),
    ("review_health", _health_quarantined, {"quarantine_share_bounded"}, {"quarantine_share_bounded": {"run"}}),
    ("freshness", _freshness_stale, {"latest_act_recent"}, {"latest_act_recent": {C21}}),
    ("publication_losses", _losses_grant_lost, {"no_counted_grant_lost"}, {"no_counted_grant_lost": {LOST_OPTITEC}}),
    ("publication_losses", _losses_amount_changed, {"no_counted_grant_lost"}, {"no_counted_grant_lost": {LOST_OPTITEC}}),
    ("publication_losses", _losses_act_lost, {"no_counted_grant_lost"}, {"no_counted_grant_lost": {LOST_OPTITEC}}),
    ("publication_volume", _volume_falls, {"volume_does_not_fall"}, {"volume_does_not_fall": {"grants", "euros", "acts"}}),
    ("publication_volume", _volume_jumps, {"volume_does_not_jump"}, {"volume_does_not_jump": {"euros"}}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("suite", "mutate", "rules", "keys"),
    CASES,
    ids=[f"{suite}-{mutate.__name__.lstrip('_')}" for suite, mutate, _, _ in CASES],
)
def test_failing_rows_are_named(
    suite: str, mutate: Mutation, rules: set[str], keys: dict[str, set[str]], frames: Frames
) -> None:
    mutate(frames)
    validation = validate_table(suite, frames, PARAMS)
    assert not validation.success
    assert validation.failed_rules() == rules, validation.describe()
    for rule, expected in keys.items():
        assert expected <= _keys(validation, rule), validation.describe()
        assert expected <= set(validation.failing_keys)


def test_every_suite_has_failing_cases() -> None:
    assert {suite for suite, *_ in CASES} == set(suite_names())


def test_awaiting_review_without_the_flag_fails(frames: Frames) -> None:
    _set(frames["deliberations"], "deliberation_id", B19, "review_status", "awaiting_review")
    validation = validate_table("deliberations", frames)
    assert _keys(validation, "review_status_agrees") == {B19}


def test_a_relevant_card_in_a_folder_the_crawl_does_not_know_blocks(frames: Frames) -> None:
    _set(frames["documents"], "url", ANNEX, "document_kind", "OTHER")
    validation = validate_table("documents", frames, PARAMS)
    assert validation.blocking
    assert _keys(validation, "relevant_kind_read") == {ANNEX}


# -- review_health: thresholds and minimum counts ------------------------------------------


def _health_frames(
    acts: int = 12,
    flagged: int = 0,
    unreadable: int = 0,
    unparsed: int = 0,
    grants: int | None = None,
    quarantined: int = 0,
) -> Frames:
    """documents, deliberations, grants and quarantine of a run: `acts` acts parsed (the first
    `flagged` awaiting review), `unreadable` acts whose PDF has no text, `unparsed` relevant
    cards whose act never reached the parser, `grants` grants (default: one per act) and
    `quarantined` rows held out."""
    day = dt.date(2021, 1, 14)
    deliberations = []
    documents = []
    for index in range(acts):
        code = f"ECO {index + 1:03d}-{4000 + index}/21/BM"
        reasons = ["unaccounted_amount: 9 000 €"] if index < flagged else []
        act = _deliberation(
            code,
            None,
            "bureau",
            day,
            f"{index + 1:08x}" * 8,
            title=f"Subvention n°{index + 1}",
            needs_review=bool(reasons),
            review_reasons=reasons,
            review_status="awaiting_review" if reasons else "not_flagged",
        )
        deliberations.append(act)
        card = f"/seance/2021-01-14/{index}"
        documents.append(_document(act["source_url"], act["document_sha256"], day, card=card))
    for index in range(unreadable):
        sha = f"d{index:07x}" * 8
        documents.append(
            _document(
                f"{SITE}/2021-01-14/DECISION/scan-{index}.pdf", sha, day, parse_status="no_text"
            )
        )
    for index in range(unparsed):
        # a download that failed, or a folder the crawl does not take for an act
        failed = index % 2 == 0
        documents.append(
            _document(
                f"{SITE}/2021-01-14/{'DECISION' if failed else 'NOUVEAU'}/lost-{index}.pdf",
                None,
                day,
                kind="DECISION" if failed else "OTHER",
                state="failed" if failed else "ok",
            )
        )
    rows = [
        _grant(
            deliberations[index % acts]["deliberation_code"],
            index + 1,
            "Pôle SCS",
            "scs",
            "9000.00",
            2021,
        )
        for index in range(acts if grants is None else grants)
    ]
    quarantine = [
        {
            "table_name": "grants",
            "row_key": f"ECO 900-{index}/21/BM#1",
            "check_name": "amount_plausible",
            "reason": "amount 90 000 000 € above 10 M€",
            "document_sha256": "e5" * 32,
            "row_json": "{}",
        }
        for index in range(quarantined)
    ]
    return {
        "documents": _table(schemas.DOCUMENTS, documents).to_pandas(),
        "deliberations": _table(schemas.DELIBERATIONS, deliberations).to_pandas(),
        "grants": _table(schemas.GRANTS, rows).to_pandas(),
        "quarantine": _table(schemas.QUARANTINE, quarantine).to_pandas(),
    }


HEALTH = [
    # (counts, rules expected to fail)
    ({"acts": 10, "flagged": 4}, set()),  # 40 %: at the bound
    ({"acts": 10, "flagged": 5}, {"flagged_share_bounded"}),
    ({"acts": 8, "unreadable": 2, "flagged": 3}, {"flagged_share_bounded"}),  # 5 of 10
    ({"acts": 9, "flagged": 9}, set()),  # fewer than 10 acts: no bound
    ({"acts": 9, "unparsed": 1}, set()),  # 10 %: at the bound
    ({"acts": 8, "unparsed": 2}, {"relevant_cards_parsed"}),
    ({"acts": 4, "unparsed": 5}, set()),  # fewer than 10 relevant cards: no bound
    ({"acts": 10, "grants": 9, "quarantined": 1}, set()),  # 5 % of 20 rows: at the bound
    ({"acts": 10, "grants": 8, "quarantined": 2}, {"quarantine_share_bounded"}),
    ({"acts": 5, "grants": 10, "quarantined": 4}, set()),  # fewer than 20 rows: no bound
    ({"acts": 10, "flagged": 6, "unparsed": 3, "grants": 2, "quarantined": 8}, {"flagged_share_bounded", "relevant_cards_parsed", "quarantine_share_bounded"}),
]  # fmt: skip


@pytest.mark.parametrize(("counts", "rules"), HEALTH, ids=[str(counts) for counts, _ in HEALTH])
def test_review_health_thresholds(counts: dict[str, int], rules: set[str]) -> None:
    validation = validate_table("review_health", _health_frames(**counts), PARAMS)
    assert validation.failed_rules() == rules, validation.describe()
    assert validation.blocking == bool(rules)
    assert set(validation.failing_keys) == ({"run"} if rules else set())


def test_review_health_counts_the_run() -> None:
    health = derived_frame(
        "review_health",
        _health_frames(acts=8, flagged=2, unreadable=2, unparsed=3, grants=10, quarantined=1),
    )
    assert health.to_dict("records") == [
        {
            "scope": "run",
            "acts": 10,
            "acts_flagged": 2,
            "acts_unreadable": 2,
            "flagged_or_unreadable_share": 0.4,
            "relevant_cards": 13,
            "relevant_cards_unparsed": 3,
            "unparsed_share": 3 / 13,
            "rows_loaded": 19,
            "rows_quarantined": 1,
            "quarantine_share": 1 / 19,
        }
    ]


# -- freshness ------------------------------------------------------------------------------


def test_freshness_warns_and_does_not_block(frames: Frames) -> None:
    late = default_parameters(dt.date(2022, 9, 1))  # C22, of 12 May, is 112 days old
    validation = validate_table("freshness", frames, late)
    assert (validation.severity, validation.blocking) == ("warning", False)
    assert _keys(validation, "latest_act_recent") == {C22}
    assert validate_table("freshness", frames, default_parameters(dt.date(2022, 8, 12))).success


def test_fresh_since_is_a_parameter(frames: Frames) -> None:
    assert not validate_table("freshness", frames, {"fresh_since": dt.date(2022, 6, 1)}).success
    assert validate_table("freshness", frames, {"fresh_since": dt.date(2022, 5, 12)}).success


def test_fresh_since_follows_a_given_today(frames: Frames) -> None:
    assert validate_table("freshness", frames, {"today": TODAY}).success


def test_freshness_says_nothing_without_acts(frames: Frames) -> None:
    frames["deliberations"] = frames["deliberations"].head(0)
    validation = validate_table("freshness", frames, PARAMS)
    assert validation.success and validation.row_count == 0


# -- publication_losses: a grant counted as certain may not be lost silently ---------------


def _lose_optitec(f: Frames) -> None:
    _losses_grant_lost(f)


def _document_changed(f: Frames) -> None:
    _set(f["deliberations"], "deliberation_id", B19, "document_sha256", "0b1d" * 16)


def _correction_applies(f: Frames) -> None:
    file = "corrections/ECO-024-5567-19-BM.yaml"
    applied = _correction(B19, file, "applied", verdict="corrected", changed=["grants"])
    f["corrections"] = _append(f["corrections"], [applied])


def _amendment_replaces(f: Frames) -> None:
    act = _deliberation(
        "ECO 201-6601/20/BM",
        "MET 20/6601/BM",
        "bureau",
        dt.date(2020, 1, 30),
        "2a2a" * 16,
        title="Modification de la subvention au Pôle OPTITEC",
        amends=B19,
    )
    grant = _grant(act["deliberation_code"], 1, "Pôle OPTITEC", "optitec", "65000.00", 2019)
    f["counted_grants"] = _append(f["counted_grants"], [_counted(grant, act, B19)])


def _was_under_review(f: Frames) -> None:
    _set(f["published_counted_grants"], "grant_id", f"{B19}#1", "needs_review", True)


EXCUSES = [
    (_document_changed, "the act's document changed"),
    (_correction_applies, "a person's correction of the act applies"),
    (_amendment_replaces, "an adopted act now replaces it"),
]


@pytest.mark.parametrize(
    ("excuse", "why"), EXCUSES, ids=[excuse.__name__.lstrip("_") for excuse, _ in EXCUSES]
)
def test_a_lost_grant_is_excused(excuse: Mutation, why: str, frames: Frames) -> None:
    _lose_optitec(frames)
    assert validate_table("publication_losses", frames).blocking
    excuse(frames)
    validation = validate_table("publication_losses", frames)
    assert validation.success, validation.describe()
    losses = derived_frame("publication_losses", frames).set_index("deliberation_code")
    assert losses.loc[B19, "excused"]
    assert losses.loc[B19, "excuse"] == why


def test_a_lost_grant_blocks_and_is_named(frames: Frames) -> None:
    _lose_optitec(frames)
    validation = validate_table("publication_losses", frames)
    assert validation.blocking
    outcome = validation.outcome("no_counted_grant_lost")
    assert outcome.unexpected_count == 1
    assert outcome.failing_keys == (LOST_OPTITEC,)
    assert outcome.failing_rows[0]["beneficiary"] == "Pôle OPTITEC"


def test_a_stale_correction_does_not_excuse(frames: Frames) -> None:
    _lose_optitec(frames)
    stale = _correction(B19, "corrections/ECO-024-5567-19-BM.yaml", "stale", sha="0b1d" * 16)
    frames["corrections"] = _append(frames["corrections"], [stale])
    assert _keys(validate_table("publication_losses", frames), "no_counted_grant_lost") == {
        LOST_OPTITEC
    }


def test_a_grant_under_review_when_published_is_not_held(frames: Frames) -> None:
    _lose_optitec(frames)
    _was_under_review(frames)
    validation = validate_table("publication_losses", frames)
    assert validation.success, validation.describe()
    assert B19 not in set(derived_frame("publication_losses", frames)["deliberation_code"])


def test_a_grant_now_under_review_is_still_counted(frames: Frames) -> None:
    _set(frames["counted_grants"], "grant_id", f"{B19}#1", "needs_review", True)
    _set(frames["counted_grants"], "grant_id", f"{B19}#1", "review_status", "awaiting_review")
    assert validate_table("publication_losses", frames).success


def test_grant_ids_may_move(frames: Frames) -> None:
    """Grant ids are ranks: a grant keeps its identity when another is added before it."""
    _set(frames["counted_grants"], "grant_id", f"{C21}#1", "grant_id", f"{C21}#3")
    _set(frames["counted_grants"], "grant_id", f"{C21}#2", "grant_id", f"{C21}#1")
    assert validate_table("publication_losses", frames).success


def test_a_second_amendment_of_the_same_act_excuses_the_first(frames: Frames) -> None:
    # published: C22 (amending AMENDED) counted; now a later act amending AMENDED replaces it
    frames["published_counted_grants"] = frames["counted_grants"].copy()
    frames["published_deliberations"] = frames["deliberations"][
        ["deliberation_code", "document_sha256"]
    ].copy()
    later = _deliberation(
        "ECO 077-8120/22/CM",
        "MET 22/8120/CM",
        "conseil",
        dt.date(2022, 6, 23),
        "5c5c" * 16,
        title="Nouvelle modification de la subvention au Pôle Eurobiomed",
        amends=AMENDED,
    )
    grant = _grant(
        later["deliberation_code"], 1, "Pôle Eurobiomed", "eurobiomed", "170000.00", 2022
    )
    counted = _without(frames["counted_grants"], "deliberation_code", C22)
    frames["counted_grants"] = _append(counted, [_counted(grant, later, AMENDED)])
    validation = validate_table("publication_losses", frames)
    assert validation.success, validation.describe()


def test_the_first_publication_passes(frames: Frames) -> None:
    frames["published_counted_grants"] = frames["counted_grants"].head(0)
    frames["published_deliberations"] = frames["published_deliberations"].head(0)
    for suite in PUBLICATION_SUITES:
        validation = validate_table(suite, frames, PARAMS)
        assert validation.success, validation.describe()
    assert derived_frame("publication_losses", frames).empty
    assert derived_frame("publication_volume", frames)["change"].isna().all()


# -- publication_volume: swings warn ------------------------------------------------------


def _counted_frame(grants: int) -> pd.DataFrame:
    """counted_grants of that many acts, one 10,000 € grant each."""
    rows = []
    for index in range(grants):
        act = _deliberation(
            f"ECO {index + 1:03d}-{5000 + index}/21/BM",
            None,
            "bureau",
            dt.date(2021, 3, 11),
            f"{index + 1:064x}",
            title=f"Subvention n°{index + 1}",
        )
        grant = _grant(act["deliberation_code"], 1, "Pôle SCS", "scs", "10000.00", 2021)
        rows.append(_counted(grant, act))
    return pl.DataFrame(rows, schema=COUNTED, orient="row").to_pandas()


VOLUMES = [
    # (grants published, grants now, rules expected to fail)
    (10, 9, set()),  # -10 %: at the bound
    (10, 8, {"volume_does_not_fall"}),
    (10, 0, {"volume_does_not_fall"}),
    (5, 10, set()),  # doubled: at the bound
    (5, 11, {"volume_does_not_jump"}),
    (0, 30, set()),  # the first publication
]


@pytest.mark.parametrize(("before", "after", "rules"), VOLUMES)
def test_volume_swings_warn(before: int, after: int, rules: set[str]) -> None:
    published = _counted_frame(before)
    frames = {"counted_grants": _counted_frame(after), "published_counted_grants": published}
    validation = validate_table("publication_volume", frames)
    assert validation.failed_rules() == rules, validation.describe()
    assert not validation.blocking
    if rules:
        assert validation.severity == "warning"
        assert set(validation.failing_keys) == {"grants", "euros", "acts"}


def test_volume_measures(frames: Frames) -> None:
    volume = derived_frame("publication_volume", frames).set_index("measure")
    assert volume.loc["grants", ["published", "new"]].tolist() == [5.0, 5.0]
    assert volume.loc["euros", ["published", "new"]].tolist() == [434000.0, 443000.0]
    assert volume.loc["acts", ["published", "new"]].tolist() == [4.0, 4.0]


# -- the publication suites on DuckDB files -----------------------------------------------


def _warehouse(path: Path, counted: pl.DataFrame, frames: dict[str, pl.DataFrame]) -> None:
    """A DuckDB file as the pipeline leaves it: main's tables and marts.counted_grants."""
    with duckdb.connect(str(path)) as connection:
        connection.execute("create schema marts")
        for name, frame in {**frames, "marts.counted_grants": counted}.items():
            connection.register("frame", frame)
            connection.execute(f"create table {name} as select * from frame")
            connection.unregister("frame")


def test_publication_suites_read_the_work_and_the_published_files(tmp_path: Path) -> None:
    work, published = tmp_path / "warehouse.work.duckdb", tmp_path / "warehouse.duckdb"
    tables = {name: TABLES[name] for name in ("deliberations", "corrections")}
    lost = PUBLICATION["counted_grants"].filter(pl.col("grant_id") != f"{B19}#1")
    _warehouse(work, lost, tables)

    first = read_publication_frames(work, published)  # nothing published yet
    assert first["published_counted_grants"].empty
    for suite in PUBLICATION_SUITES:
        assert validate_table(suite, first).success, suite

    _warehouse(published, PUBLICATION["counted_grants"], tables)
    validation = validate_table("publication_losses", read_publication_frames(work, published))
    assert validation.blocking
    assert validation.failing_keys == (LOST_OPTITEC,)


# -- parameters, severities, results -------------------------------------------------------


def test_today_is_a_parameter(frames: Frames) -> None:
    before_2021 = {"today": dt.date(2020, 12, 31)}
    validation = validate("documents", frames["documents"], before_2021)
    assert validation.failed_rules() == {"session_date_in_range"}
    assert _keys(validation, "session_date_in_range") == {URL[C21], URL[C22], ANNEX}


def test_reference_ids_can_be_given(frames: Frames) -> None:
    without_martigues = {"ets_territory_ids": ["marseille-provence", "pays-d-aix"]}
    validation = validate("grant_allocations", frames["grant_allocations"], without_martigues)
    assert _keys(validation, "ets_has_territory") == {f"{C21}#1|2", f"{C21}#2|2"}


def test_warnings_do_not_block(frames: Frames) -> None:
    _set(frames["deliberations"], "deliberation_id", C21, "members_present", 400)
    _set(frames["grants"], "grant_id", f"{B19}#1", "programme_budget_eur", Decimal("50000.00"))
    # a new folder on a card of no interest: worth a look, not a stop
    _set(frames["documents"], "url", URL[B19], "card_relevant", False)
    _set(frames["documents"], "url", URL[B19], "document_kind", "PROCESVERBAL")
    frames["corrections"] = _append(
        frames["corrections"], [_correction(None, "corrections/x.yaml", "invalid")]
    )
    members = validate_table("deliberations", frames, PARAMS)
    budget = validate_table("grants", frames, PARAMS)
    kind = validate_table("documents", frames, PARAMS)
    corrections = validate_table("corrections", frames, PARAMS)
    for validation, rule, key in [
        (members, "members_present_plausible", C21),
        (budget, "share_of_budget", f"{B19}#1"),
        (kind, "document_kind_known", URL[B19]),
        (corrections, "correction_readable", "corrections/x.yaml"),
    ]:
        assert not validation.success
        assert validation.severity == "warning"
        assert not validation.blocking
        assert _keys(validation, rule) == {key}


def test_code_year_mismatch_is_a_warning(frames: Frames) -> None:
    _set(frames["deliberations"], "deliberation_id", C17, "session_date", dt.date(2018, 3, 9))
    _set(frames["deliberations"], "deliberation_id", C17, "session_year", 2018)
    validation = validate_table("deliberation_years", frames)
    assert validation.failed_rules() == {"code_year_is_session_year"}
    assert (validation.severity, validation.blocking) == ("warning", False)


def test_outcome_reports_counts_columns_and_rows(frames: Frames) -> None:
    _set(frames["grants"], "grant_id", f"{C21}#1", "kind", "subsidy")
    _set(frames["grants"], "grant_id", f"{C17}#1", "kind", "loan")
    validation = validate_table("grants", frames)
    outcome = validation.outcome("kind_known")
    assert outcome.columns == ("kind",)
    assert outcome.unexpected_count == 2
    assert outcome.severity == "critical" and validation.blocking
    assert {row["kind"] for row in outcome.failing_rows} == {"subsidy", "loan"}
    assert "kind_known (kind): FAILED [critical], 2 unexpected" in validation.describe()
    json.dumps(validation.metadata())  # ready for Dagster metadata


def test_failing_keys_are_a_short_list(frames: Frames) -> None:
    grants = pd.concat([frames["grants"]] * 30, ignore_index=True)
    validation = validate("grants", grants, max_keys=3)
    outcome = validation.outcome("key_unique")
    assert outcome.unexpected_count == len(grants)
    assert len(outcome.failing_keys) == 3


def test_aggregate_expectations_report_what_they_observed(frames: Frames) -> None:
    _territories_no_metropole(frames)
    validation = validate_table("territories", frames)
    assert validation.outcome("seven_territories").observed == 6


def test_missing_columns_fail_without_raising(frames: Frames) -> None:
    validation = validate("grants", frames["grants"].drop(columns=["kind"]))
    assert "columns_as_declared" in validation.failed_rules()
    assert validation.outcome("kind_known").error


def test_missing_parameter_is_an_error(frames: Frames, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "default_parameters", lambda today=None: {})
    with pytest.raises(ValueError, match="today"):
        validate("documents", frames["documents"])
    with pytest.raises(ValueError, match="fresh_since"):
        validate_table("freshness", frames)


@pytest.mark.parametrize(
    "expectation",
    [
        {"type": "expect_column_values_to_be_unique", "kwargs": {"colum": "grant_id"}},
        {"type": "expect_column_values_to_be_uniq", "kwargs": {"column": "grant_id"}},
    ],
)
def test_a_malformed_expectation_is_an_error(expectation: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="expectation 1"):
        runner.gx_suite(
            {
                "name": "grants",
                "expectations": [load_suite("grants")["expectations"][0], expectation],
            }
        )


def test_unknown_suite_and_missing_table_are_errors(frames: Frames) -> None:
    with pytest.raises(KeyError, match="no suite"):
        validate("subsidies", frames["grants"])
    with pytest.raises(KeyError, match="grant_allocations"):
        validate_table("grant_totals", {"grants": frames["grants"]})
    with pytest.raises(KeyError, match="published_counted_grants"):
        validate_table("publication_volume", {"counted_grants": frames["counted_grants"]})


# -- the suites themselves -------------------------------------------------------------


@pytest.mark.parametrize("table", schemas.TABLES, ids=lambda table: table.name)
def test_table_suites_match_the_declared_schema(table: schemas.Table) -> None:
    suite = load_suite(table.name)
    assert suite_key(table.name) == table.key
    declared = [
        e for e in suite["expectations"] if e["type"] == "expect_table_columns_to_match_set"
    ]
    assert declared and declared[0]["kwargs"]["column_set"] == list(table.columns)


@pytest.mark.parametrize("suite", suite_names())
def test_suites_are_readable(suite: str) -> None:
    config = load_suite(suite)
    assert config["notes"] and config["meta"]["key"]
    for expectation in config["expectations"]:
        assert expectation["description"] and expectation["meta"]["rule"]


def test_derived_frames_are_built_from_the_tables() -> None:
    derived = derived_frames(GOOD)
    assert set(derived) == set(DERIVED)
    totals = derived["grant_totals"].set_index("grant_id")
    assert totals.loc[f"{B19}#1", "allocated_cents"] == 6_000_000
    sessions = derived["grant_sessions"].set_index("grant_id")
    assert sessions.loc[f"{C17}#1", "funding_year_offset"] == 0
    assert derived["deliberation_years"]["code_year"].tolist() == [2019, 2021, 2022, 2017]
    health = derived["review_health"].iloc[0]
    assert (health["acts"], health["acts_flagged"], health["relevant_cards"]) == (4, 1, 4)
    assert (health["rows_loaded"], health["rows_quarantined"]) == (10, 1)
    assert derived["freshness"]["deliberation_id"].tolist() == [C22]
    losses = derived["publication_losses"]
    assert losses[["deliberation_code", "excused"]].values.tolist() == [[AMENDED, True]]


def test_suites_reading_a_table() -> None:
    assert suites_reading("grants") == ["grant_sessions", "grant_totals", "grants", "review_health"]
    assert suites_reading("poles") == ["poles"]
    assert suites_reading("counted_grants") == list(PUBLICATION_SUITES)
    assert suites_reading("corrections") == ["corrections", "publication_losses"]


def test_importing_does_not_import_great_expectations() -> None:
    code = "import sys, pipelines.quality; print('great_expectations' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


def test_command_line_reads_a_duckdb_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    warehouse = tmp_path / "warehouse.work.duckdb"
    orphan = TABLES["deliberations"].filter(pl.col("deliberation_id") != C17)
    with duckdb.connect(str(warehouse)) as connection:
        for name, frame in {**TABLES, "deliberations": orphan}.items():
            connection.register("frame", frame)
            connection.execute(f"create table {name} as select * from frame")
            connection.unregister("frame")
    assert set(read_tables(warehouse)) == set(TABLES)
    assert main([str(warehouse), "grants", "grant_sessions"]) == 1
    printed = capsys.readouterr().out
    assert "suite grants: 13/13" in printed
    assert (
        f"grant_has_deliberation (deliberation_found): FAILED [critical], 1 unexpected,"
        f" e.g. {C17}#1" in printed
    )
    # every suite of the tables and the derived frames; none of the publication suites
    assert main([str(warehouse), "--today", TODAY.isoformat()]) == 1
    printed = capsys.readouterr().out
    assert "suite review_health: 3/3" in printed
    assert "suite corrections: 5/5" in printed
    assert "publication" not in printed
