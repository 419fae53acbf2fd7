"""Exports of a real published warehouse, built once from the bundled sample over a local mirror."""

from __future__ import annotations

import csv
import dataclasses
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from pipelines.cli import main
from pipelines.exports import ExportReport, export_all, scdl
from pipelines.exports.validation import InvalidExport, validate_file


@pytest.fixture(scope="module")
def exported(published_sample, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The session's published sample, exported again into a folder of this module's."""
    layout, _ = published_sample
    report = export_all(layout.warehouse, tmp_path_factory.mktemp("exports") / "exports")
    return layout, report


def mart_columns(warehouse: Path) -> dict[str, list[tuple[str, str]]]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        rows = connection.execute(
            "select table_name, column_name, data_type from duckdb_columns() "
            "where schema_name = 'marts' order by table_name, column_index"
        ).fetchall()
    columns: dict[str, list[tuple[str, str]]] = {}
    for table, column, dtype in rows:
        columns.setdefault(table, []).append((column, dtype))
    return columns


def test_parquet_and_csv_round_trip_equal_the_marts(exported) -> None:  # type: ignore[no-untyped-def]
    layout, report = exported
    marts = mart_columns(layout.warehouse)
    assert set(report.marts) == set(marts) >= {"funding_by_pole_year", "counted_grants"}
    folder = report.target
    with duckdb.connect(str(layout.warehouse), read_only=True) as connection:
        for mart, columns in marts.items():
            names = ", ".join(f'"{name}"' for name, _ in columns)
            expected = sorted(
                connection.execute(f"select {names} from marts.{mart}").fetchall(), key=repr
            )
            assert len(expected) == report.marts[mart]
            parquet = folder / "parquet" / mart
            if any(name == "funding_year" for name, _ in columns):
                assert {p.name.split("=")[0] for p in parquet.iterdir()} == {"funding_year"}
            from_parquet = connection.execute(
                f"select {names} from read_parquet('{parquet}/**/*.parquet', hive_partitioning = true, "
                "hive_types = {'funding_year': INTEGER})"
            ).fetchall()
            types = "{" + ", ".join(f"'{name}': '{dtype}'" for name, dtype in columns) + "}"
            from_csv = connection.execute(
                f"select {names} from read_csv('{folder}/csv/{mart}.csv', header = true, "
                f"delim = ',', columns = {types})"
            ).fetchall()
            assert sorted(from_parquet, key=repr) == expected, mart
            assert sorted(from_csv, key=repr) == expected, mart
    header = (folder / "csv" / "funding_by_pole_year.csv").read_text(encoding="utf-8").splitlines()
    assert header[0] == "pole_id,pole_name,funding_year,kind,amount_eur,grant_count"
    assert all(".00," in line for line in header[1:])  # amounts with a decimal point


def test_the_dictionary_describes_every_column(exported) -> None:  # type: ignore[no-untyped-def]
    layout, report = exported
    with (report.target / "dictionary.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    expected = {
        (table, column)
        for table, cols in mart_columns(layout.warehouse).items()
        for column, _ in cols
    }
    assert {(row["table"], row["column"]) for row in rows} == expected
    assert all(row["description"] and row["type"] for row in rows)
    amount = next(r for r in rows if r["table"] == "counted_grants" and r["column"] == "amount_eur")
    assert amount["type"] == "DECIMAL(14,2)" and "euros" in amount["description"]
    markdown = (report.target / "dictionary.md").read_text(encoding="utf-8")
    assert all(f"## {table}" in markdown for table in report.marts)


def test_both_scdl_files_pass_the_validator(exported) -> None:  # type: ignore[no-untyped-def]
    _, report = exported
    for dataset in scdl.DATASETS:
        path = report.target / "scdl" / f"{dataset.name}.csv"
        result = validate_file(path, dataset.schema)
        assert result.valid, result.errors
        fields = [
            f["name"] for f in json.loads(dataset.schema.read_text(encoding="utf-8"))["fields"]
        ]
        with path.open(encoding="utf-8", newline="") as handle:
            assert next(csv.reader(handle)) == fields
    with (report.target / "scdl" / "subventions.csv").open(encoding="utf-8", newline="") as handle:
        grants = list(csv.DictReader(handle))
    optitec = next(g for g in grants if g["referenceDecision"] == "ECO 024-5567/19/BM")
    assert optitec["idAttribuant"] == "20005480700017"
    assert optitec["montant"] == "60000.00" and optitec["nature"] == "aide en numéraire"
    assert (
        optitec["idBeneficiaire"] == optitec["rnaBeneficiaire"] == optitec["dateConvention"] == ""
    )


def break_first_row(source: Path, target: Path, **values: str) -> None:
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
        fields = list(rows[0])
    rows[0].update(values)
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_a_row_that_breaks_the_schema_is_reported(exported, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, report = exported
    grants = tmp_path / "subventions.csv"
    break_first_row(
        report.target / "scdl" / "subventions.csv",
        grants,
        idAttribuant="2000548070001",  # 13 digits
        montant="60 000,00",  # French spelling: the schema wants a decimal point
        pourcentageSubvention="1.5",
    )
    result = validate_file(grants, scdl.SUBVENTIONS.schema)
    assert not result.valid
    text = "\n".join(result.errors)
    assert "idAttribuant" in text and "montant" in text and "pourcentageSubvention" in text
    assert len(result.errors) == 3

    deliberations = tmp_path / "deliberations.csv"
    break_first_row(
        report.target / "scdl" / "deliberations.csv",
        deliberations,
        DELIB_DATE="28/03/2019",
        BUDGET_ANNEE="2019-2020",
    )
    result = validate_file(deliberations, scdl.DELIBERATIONS.schema)
    assert {e.split('field "')[1].split('"')[0] for e in result.errors} == {
        "DELIB_DATE",
        "BUDGET_ANNEE",
    }


def test_empty_values_are_counted_not_invented(exported) -> None:  # type: ignore[no-untyped-def]
    _, report = exported
    files = {f.name: f for f in report.scdl}
    grants, acts = files["subventions"], files["deliberations"]
    assert grants.rows == report.marts["counted_grants"] > 0
    for column in (
        "dateConvention",
        "conditionsVersement",
        "datesPeriodeVersement",
        "notificationUE",
    ):
        assert grants.empty[column] == grants.rows
    assert grants.empty["idBeneficiaire"] == grants.empty["rnaBeneficiaire"] == grants.rows
    for column in ("nomAttribuant", "idAttribuant", "referenceDecision", "objet", "montant"):
        assert grants.empty[column] == 0
    assert acts.empty["DELIB_MATIERE_CODE"] == acts.rows > 0
    assert acts.empty["DELIB_ID"] == acts.empty["DELIB_DATE"] == 0
    validation = {v.path.name: v for v in report.validations}
    assert validation["subventions.csv"].missing["dateConvention"] == grants.rows
    assert "dateConvention: " in report.summary()


def test_an_invalid_export_replaces_nothing(exported, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    layout, report = exported
    target = layout.root / "exports-invalid"
    shutil.copytree(report.target, target)
    before = (target / "scdl" / "subventions.csv").read_bytes()
    broken = dataclasses.replace(
        scdl.SUBVENTIONS, query=scdl.SUBVENTIONS.query.replace(scdl.COLLECTIVITY_SIRET, "200054807")
    )
    monkeypatch.setattr(scdl, "DATASETS", (broken, scdl.DELIBERATIONS))
    with pytest.raises(InvalidExport, match="idAttribuant"):
        export_all(layout.warehouse, target)
    assert (target / "scdl" / "subventions.csv").read_bytes() == before
    assert not [p for p in layout.root.iterdir() if p.name.startswith(".exports-invalid")]


def test_polefunds_export_replaces_the_folder(exported, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    layout, report = exported
    target = layout.root / "exports-cli"
    target.mkdir()
    (target / "stale.txt").write_text("from an older export", encoding="utf-8")
    assert main(["export", "--data-dir", str(layout.root), "--to", str(target)]) == 0
    assert not (target / "stale.txt").exists()
    assert (target / "scdl" / "subventions.csv").read_bytes() == (
        report.target / "scdl" / "subventions.csv"
    ).read_bytes()
    assert "valid against its schema" in capsys.readouterr().out
    assert main(["export", "--data-dir", str(layout.root / "nowhere")]) == 2
    assert isinstance(report, ExportReport)
