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
from pipelines.reference import read_csv

Frames = dict[str, pd.DataFrame]
SHA_2019 = "3f1c" * 16
SHA_2021 = "a07e" * 16
SHA_2022 = "9b2d" * 16
SHA_2017 = "c4e8" * 16
SITE = "https://deliberations.ampmetropole.fr/documents/METROPOLE"
B19, C21, C22, C17 = (
    "ECO 024-5567/19/BM",
    "ECOR 122-3092/21/CM",
    "ECO 046-5573/22/CM",
    "DEVT 097-1413/17/CM",
)
UTC = dt.UTC


def _deliberation(code: str, reference: str | None, body: str, day: dt.date, sha: str, **extra):  # type: ignore[no-untyped-def]
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
    return {
        "url": url,
        "card_id": f"/seance/{day:%Y-%m-%d}/{url.rsplit('/', 1)[-1][:8]}",
        "document_kind": extra.get("kind", "DECISION"),
        "sha256": sha,
        "bytes": extra.get("bytes", 184_322),
        "http_status": extra.get("http_status", 200),
        "content_type": "application/pdf" if sha else "text/html",
        "download_state": extra.get("state", "ok"),
        "download_error": extra.get("error"),
        "first_seen": dt.datetime(2025, 3, 1, 9, 30, tzinfo=UTC),
        "last_seen": dt.datetime(2025, 11, 20, 9, 30, tzinfo=UTC),
        "listing_session_date": day,
        "parse_status": "ok" if sha else None,
        "parse_error": None,
        "parser_version": "5d0c8a1e7f42" if sha else None,
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


def _good_frames() -> dict[str, pl.DataFrame]:
    """Four acts of the bundled sample, their grants, allocations, documents, one quarantine."""
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
        ),
        _deliberation(
            C22,
            "MET 22/20372/CM",
            "conseil",
            dt.date(2022, 5, 12),
            SHA_2022,
            title="Modification de la subvention au Pôle Eurobiomed",
            amends="ECOR 007-10454/22/BM",
        ),
        _deliberation(
            C17,
            None,
            "conseil",
            dt.date(2017, 3, 9),
            SHA_2017,
            title="Subvention à l'Association du Technopôle de Château-Gombert",
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
    return {
        "documents": _table(schemas.DOCUMENTS, documents),
        "deliberations": _table(schemas.DELIBERATIONS, deliberations),
        "grants": _table(schemas.GRANTS, grants),
        "grant_allocations": _table(schemas.GRANT_ALLOCATIONS, allocations),
        "quarantine": _table(schemas.QUARANTINE, quarantine),
        **_reference_tables(),
    }


TABLES = _good_frames()
GOOD: Frames = {name: frame.to_pandas() for name, frame in TABLES.items()}
URL = GOOD["deliberations"].set_index("deliberation_id")["source_url"].to_dict()


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
    frame.at[_row(frame, column, key), field] = value


def _duplicate(frame: pd.DataFrame, column: str, key: Any) -> pd.DataFrame:
    return pd.concat([frame, frame.loc[[_row(frame, column, key)]]], ignore_index=True)


def _keys(validation: Validation, rule: str) -> set[str]:
    """Keys that the failed expectations of a rule name (asserting the rule failed)."""
    failed = [o for o in validation.failures if o.rule == rule]
    assert failed, f"{rule} did not fail:\n{validation.describe()}"
    return {key for outcome in failed for key in outcome.failing_keys}


# -- every suite passes on the realistic frames ------------------------------------------


@pytest.mark.parametrize("suite", suite_names())
def test_suite_passes_on_realistic_rows(suite: str, frames: Frames) -> None:
    validation = validate_table(suite, frames)
    assert validation.success, validation.describe()
    assert validation.row_count > 0 or suite == "quarantine"
    assert all(outcome.error is None for outcome in validation.outcomes)


def test_frames_read_back_from_duckdb_pass() -> None:
    """What the Dagster checks do: read the tables from DuckDB with `.df()` and validate."""
    with duckdb.connect() as connection:
        for name, frame in TABLES.items():
            connection.register(f"{name}_frame", frame)
            connection.execute(f"create table {name} as select * from {name}_frame")
        read = {name: connection.execute(f"select * from {name}").df() for name in TABLES}
    assert str(read["grants"]["amount_eur"].dtype) == "float64"
    results = validate_tables(read)
    assert set(results) == set(suite_names())
    assert all(v.success for v in results.values()), [v.describe() for v in results.values()]


def test_polars_frames_are_accepted() -> None:
    assert validate("grants", TABLES["grants"]).success
    assert validate_table("grant_totals", TABLES).success


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


def _deliberations_duplicate(f: Frames) -> None:
    f["deliberations"] = _duplicate(f["deliberations"], "deliberation_id", C21)


def _deliberations_bad_code(f: Frames) -> None:
    bad = "ECO 024-5567/2019/BM"
    _set(f["deliberations"], "deliberation_id", B19, "deliberation_code", bad)
    _set(f["deliberations"], "deliberation_id", B19, "deliberation_id", bad)


def _deliberations_bad_reference(f: Frames) -> None:
    _set(f["deliberations"], "deliberation_id", C22, "reference", "MET 22-20372-CM")


def _deliberations_body_mismatch(f: Frames) -> None:
    _set(f["deliberations"], "deliberation_id", B19, "body", "conseil")


def _deliberations_bad_enums(f: Frames) -> None:
    _set(f["deliberations"], "deliberation_id", C21, "outcome", "approved")
    _set(f["deliberations"], "deliberation_id", C17, "body", "commission")


def _deliberations_future_session(f: Frames) -> None:
    _set(f["deliberations"], "deliberation_id", C22, "session_date", dt.date(2099, 5, 12))


def _deliberations_too_early(f: Frames) -> None:
    _set(f["deliberations"], "deliberation_id", C17, "session_date", dt.date(2010, 12, 31))


def _grants_duplicate(f: Frames) -> None:
    f["grants"] = _duplicate(f["grants"], "grant_id", f"{C21}#2")


def _grants_bad_id(f: Frames) -> None:
    _set(f["grants"], "grant_id", f"{C22}#1", "grant_id", f"{C22}-1")


def _grants_negative_amount(f: Frames) -> None:
    _set(f["grants"], "grant_id", f"{C21}#1", "amount_eur", Decimal("-84500.00"))


def _grants_implausible_amount(f: Frames) -> None:
    _set(f["grants"], "grant_id", f"{C17}#1", "amount_eur", Decimal("55000000.00"))


def _grants_unknown_pole(f: Frames) -> None:
    _set(f["grants"], "grant_id", f"{B19}#1", "pole_id", "optitek")


def _grants_bad_kind(f: Frames) -> None:
    _set(f["grants"], "grant_id", f"{C22}#1", "kind", "subsidy")


def _allocations_duplicate(f: Frames) -> None:
    f["grant_allocations"] = _duplicate(f["grant_allocations"], "grant_id", f"{C22}#1")


def _allocations_unknown_territory(f: Frames) -> None:
    _set(f["grant_allocations"], "grant_id", f"{C17}#1", "territory_id", "pays-d-arles")


def _allocations_bad_budget(f: Frames) -> None:
    _set(f["grant_allocations"], "grant_id", f"{C22}#1", "budget", "special")


def _allocations_ets_on_metropole(f: Frames) -> None:
    _set(f["grant_allocations"], "grant_id", f"{C22}#1", "budget", "ets")


def _allocations_zero(f: Frames) -> None:
    _set(f["grant_allocations"], "grant_id", f"{C17}#1", "amount_eur", Decimal("0.00"))


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


def _totals_off_by_a_cent(f: Frames) -> None:
    _set(f["grant_allocations"], "territory_id", "pays-d-aix", "amount_eur", Decimal("14999.99"))


def _totals_no_allocation(f: Frames) -> None:
    allocations = f["grant_allocations"]
    f["grant_allocations"] = allocations[allocations["grant_id"] != f"{C22}#1"]


def _totals_orphan_allocation(f: Frames) -> None:
    orphan = pd.DataFrame(
        [_allocation("ECO 055-3493/24/BM#1", 1, "metropole", "principal", "64000.00")]
    )
    f["grant_allocations"] = pd.concat([f["grant_allocations"], orphan], ignore_index=True)


def _sessions_funding_year_late(f: Frames) -> None:
    _set(f["grants"], "grant_id", f"{B19}#1", "funding_year", 2022)


def _sessions_funding_year_early(f: Frames) -> None:
    _set(f["grants"], "grant_id", f"{C21}#2", "funding_year", 2019)


def _sessions_unknown_deliberation(f: Frames) -> None:
    deliberations = f["deliberations"]
    f["deliberations"] = deliberations[deliberations["deliberation_id"] != C17]


def _years_session_year(f: Frames) -> None:
    _set(f["deliberations"], "deliberation_id", C21, "session_year", 2012)


CASES: list[tuple[str, Mutation, set[str], dict[str, set[str]]]] = [
    # (suite, mutation, every rule expected to fail, keys named by some of those rules)
    ("documents", _documents_duplicate, {"key_unique"}, {"key_unique": {URL[B19]}}),
    ("documents", _documents_bad_sha, {"sha256_format"}, {"sha256_format": {URL[C21]}}),
    ("documents", _documents_bad_state, {"download_state_known"}, {"download_state_known": {URL[C22]}}),
    ("documents", _documents_future_card, {"session_date_in_range"}, {"session_date_in_range": {URL[C17]}}),
    ("documents", _documents_ok_without_sha, {"sha256_when_downloaded"}, {"sha256_when_downloaded": {URL[C17]}}),
    ("documents", _documents_seen_backwards, {"seen_in_order"}, {"seen_in_order": {URL[B19]}}),
    ("deliberations", _deliberations_duplicate, {"key_unique"}, {"key_unique": {C21}}),
    ("deliberations", _deliberations_bad_code, {"deliberation_code_format"}, {"deliberation_code_format": {"ECO 024-5567/2019/BM"}}),
    ("deliberations", _deliberations_bad_reference, {"reference_format"}, {"reference_format": {C22}}),
    ("deliberations", _deliberations_body_mismatch, {"body_matches_code"}, {"body_matches_code": {B19}}),
    ("deliberations", _deliberations_bad_enums, {"outcome_known", "body_known"}, {"outcome_known": {C21}, "body_known": {C17}}),
    ("deliberations", _deliberations_future_session, {"session_date_in_range"}, {"session_date_in_range": {C22}}),
    ("deliberations", _deliberations_too_early, {"session_date_in_range"}, {"session_date_in_range": {C17}}),
    ("grants", _grants_duplicate, {"key_unique", "rank_unique"}, {"key_unique": {f"{C21}#2"}}),
    ("grants", _grants_bad_id, {"grant_id_format"}, {"grant_id_format": {f"{C22}-1"}}),
    ("grants", _grants_negative_amount, {"amount_plausible"}, {"amount_plausible": {f"{C21}#1"}}),
    ("grants", _grants_implausible_amount, {"amount_plausible"}, {"amount_plausible": {f"{C17}#1"}}),
    ("grants", _grants_unknown_pole, {"pole_known"}, {"pole_known": {f"{B19}#1"}}),
    ("grants", _grants_bad_kind, {"kind_known"}, {"kind_known": {f"{C22}#1"}}),
    ("grant_allocations", _allocations_duplicate, {"key_unique"}, {"key_unique": {f"{C22}#1{KEY_SEPARATOR}1"}}),
    ("grant_allocations", _allocations_unknown_territory, {"territory_known"}, {"territory_known": {f"{C17}#1|1"}}),
    ("grant_allocations", _allocations_bad_budget, {"budget_known"}, {"budget_known": {f"{C22}#1|1"}}),
    ("grant_allocations", _allocations_ets_on_metropole, {"ets_has_territory"}, {"ets_has_territory": {f"{C22}#1|1"}}),
    ("grant_allocations", _allocations_zero, {"amount_plausible"}, {"amount_plausible": {f"{C17}#1|1"}}),
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
    ("grant_totals", _totals_off_by_a_cent, {"allocations_add_up"}, {"allocations_add_up": {f"{B19}#1"}}),
    ("grant_totals", _totals_no_allocation, {"grant_has_allocations", "allocations_add_up"}, {"grant_has_allocations": {f"{C22}#1"}}),
    ("grant_totals", _totals_orphan_allocation, {"allocations_have_grant"}, {"allocations_have_grant": {"ECO 055-3493/24/BM#1"}}),
    ("grant_sessions", _sessions_funding_year_late, {"funding_year_in_range"}, {"funding_year_in_range": {f"{B19}#1"}}),
    ("grant_sessions", _sessions_funding_year_early, {"funding_year_in_range"}, {"funding_year_in_range": {f"{C21}#2"}}),
    ("grant_sessions", _sessions_unknown_deliberation, {"grant_has_deliberation"}, {"grant_has_deliberation": {f"{C17}#1"}}),
    ("deliberation_years", _years_session_year, {"session_year_of_date", "code_year_is_session_year"}, {"session_year_of_date": {C21}}),
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
    validation = validate_table(suite, frames)
    assert not validation.success
    assert validation.failed_rules() == rules, validation.describe()
    for rule, expected in keys.items():
        assert expected <= _keys(validation, rule), validation.describe()
        assert expected <= set(validation.failing_keys)


def test_every_suite_has_failing_cases() -> None:
    assert {suite for suite, *_ in CASES} == set(suite_names())


# -- parameters, severities, results -------------------------------------------------------


def test_today_is_a_parameter(frames: Frames) -> None:
    before_2021 = {"today": dt.date(2020, 12, 31)}
    validation = validate("deliberations", frames["deliberations"], before_2021)
    assert validation.failed_rules() == {"session_date_in_range"}
    assert _keys(validation, "session_date_in_range") == {C21, C22}


def test_reference_ids_can_be_given(frames: Frames) -> None:
    without_scs = {"pole_ids": ["optitec", "eurobiomed"]}
    validation = validate("grants", frames["grants"], without_scs)
    assert _keys(validation, "pole_known") == {f"{C21}#2"}


def test_warnings_do_not_block(frames: Frames) -> None:
    _set(frames["deliberations"], "deliberation_id", C21, "members_present", 400)
    _set(frames["grants"], "grant_id", f"{B19}#1", "programme_budget_eur", Decimal("50000.00"))
    members = validate_table("deliberations", frames)
    budget = validate_table("grants", frames)
    for validation, rule, key in [
        (members, "members_present_plausible", C21),
        (budget, "share_of_budget", f"{B19}#1"),
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
    _set(frames["grants"], "grant_id", f"{C21}#1", "amount_eur", Decimal("-84500.00"))
    _set(frames["grants"], "grant_id", f"{C17}#1", "amount_eur", Decimal("55000000.00"))
    validation = validate_table("grants", frames)
    outcome = validation.outcome("amount_plausible")
    assert outcome.columns == ("amount_eur",)
    assert outcome.unexpected_count == 2
    assert outcome.severity == "critical" and validation.blocking
    assert {row["amount_eur"] for row in outcome.failing_rows} == {-84500.0, 55000000.0}
    assert "amount_plausible (amount_eur): FAILED [critical], 2 unexpected" in (
        validation.describe()
    )
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
        validate("deliberations", frames["deliberations"])


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


def test_suites_reading_a_table() -> None:
    assert suites_reading("grants") == ["grant_sessions", "grant_totals", "grants"]
    assert suites_reading("poles") == ["poles"]


def test_importing_does_not_import_great_expectations() -> None:
    code = "import sys, pipelines.quality; print('great_expectations' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


def test_command_line_reads_a_duckdb_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    warehouse = tmp_path / "warehouse.work.duckdb"
    late = TABLES["grants"].with_columns(
        pl.when(pl.col("grant_id") == f"{B19}#1")
        .then(2022)
        .otherwise(pl.col("funding_year"))
        .cast(pl.Int32)
        .alias("funding_year")
    )
    with duckdb.connect(str(warehouse)) as connection:
        for name, frame in {**TABLES, "grants": late}.items():
            connection.register("frame", frame)
            connection.execute(f"create table {name} as select * from frame")
            connection.unregister("frame")
    assert set(read_tables(warehouse)) == set(TABLES)
    assert main([str(warehouse), "grants", "grant_sessions"]) == 1
    printed = capsys.readouterr().out
    assert "suite grants: 17/17" in printed
    assert (
        f"funding_year_in_range (funding_year_offset): FAILED [critical], 1 unexpected, e.g. {B19}#1"
        in printed
    )
