"""Exports of a real published warehouse, built once from the bundled sample over a local mirror."""

from __future__ import annotations

import csv
import dataclasses
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import duckdb
import pyarrow.parquet as pq
import pytest

from pipelines.cli import main
from pipelines.exports import ExportReport, export_all, scdl
from pipelines.exports.marts import UTF8_BOM
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
            # One file per mart that carries every column, funding_year included.
            parquet = folder / "parquet" / f"{mart}.parquet"
            assert pq.read_schema(parquet).names == [name for name, _ in columns], mart
            from_parquet = connection.execute(
                f"select {names} from read_parquet('{parquet}')"
            ).fetchall()
            types = "{" + ", ".join(f"'{name}': '{dtype}'" for name, dtype in columns) + "}"
            from_csv = connection.execute(
                f"select {names} from read_csv('{folder}/csv/{mart}.csv', header = true, "
                f"delim = ',', columns = {types})"
            ).fetchall()
            from_excel_fr = connection.execute(
                f"select {names} from read_csv('{folder}/csv-excel-fr/{mart}.csv', header = true, "
                f"delim = ';', decimal_separator = ',', columns = {types})"
            ).fetchall()
            assert sorted(from_parquet, key=repr) == expected, mart
            assert sorted(from_csv, key=repr) == expected, mart
            assert sorted(from_excel_fr, key=repr) == expected, mart
    assert sorted(p.name for p in (folder / "parquet").iterdir()) == sorted(
        f"{mart}.parquet" for mart in marts
    )
    raw = (folder / "csv" / "funding_by_pole_year.csv").read_bytes()
    assert raw.startswith(UTF8_BOM)  # what tells Excel the file is UTF-8
    lines = raw[len(UTF8_BOM) :].decode("utf-8").splitlines()
    assert (
        lines[0]
        == "pole_id,pole_name,funding_year,kind,amount_eur,amount_under_review_eur,grant_count"
    )
    assert all(re.search(r",\d+\.00,\d+\.00,\d+$", line) for line in lines[1:])  # decimal points
    raw = (folder / "csv-excel-fr" / "funding_by_pole_year.csv").read_bytes()
    assert raw.startswith(UTF8_BOM)
    lines = raw[len(UTF8_BOM) :].decode("utf-8").splitlines()
    assert (
        lines[0]
        == "pole_id;pole_name;funding_year;kind;amount_eur;amount_under_review_eur;grant_count"
    )
    assert all(re.search(r";\d+,00;\d+,00;\d+$", line) for line in lines[1:])  # decimal commas


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
    grants = next(v for v in report.validations if v.path.name == "subventions.csv")
    assert f"SCDL-shaped, {grants.valid_rows} of {grants.rows} rows valid" in markdown
    assert "`dateConvention` (subventions)" in markdown


def test_scdl_files_keep_the_schema_but_for_what_the_acts_do_not_state(exported) -> None:  # type: ignore[no-untyped-def]
    _, report = exported
    for dataset in scdl.DATASETS:
        path = report.target / "scdl" / f"{dataset.name}.csv"
        result = validate_file(path, dataset.schema, dataset.key)
        assert not result.broken, result.errors
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
    assert optitec["idBeneficiaire"] == optitec["rnaBeneficiaire"] == ""
    # "Attribution d'une subvention ... - Approbation d'une convention", voted on 28 March 2019
    assert optitec["dateConvention"] == "2019-03-28"
    assert optitec["conditionsVersement"] == optitec["notificationUE"] == ""
    # "Renouvellement de l'adhésion ... et versement de la cotisation 2016": one payment
    fee = next(g for g in grants if g["referenceDecision"] == "ECO 006-8931/16/BM")
    assert fee["conditionsVersement"] == "unique" and fee["dateConvention"] == ""


def test_required_fields_are_checked_and_the_report_counts_valid_rows(  # type: ignore[no-untyped-def]
    exported, tmp_path: Path
) -> None:
    _, report = exported
    validations = {v.path.name: v for v in report.validations}
    grants, acts = validations["subventions.csv"], validations["deliberations.csv"]
    assert grants.rows == report.marts["counted_grants"] > 0
    # No act of the sample states payment dates nor an EU notification: no row is valid.
    assert grants.valid_rows == 0 and not grants.valid
    assert (
        grants.missing["notificationUE"] == grants.missing["datesPeriodeVersement"] == grants.rows
    )
    assert acts.valid_rows == 0 and acts.missing["DELIB_MATIERE_CODE"] == acts.rows > 0
    written = json.loads((report.target / "scdl" / "validation.json").read_text(encoding="utf-8"))
    entry = next(e for e in written if e["file"] == "subventions.csv")
    assert entry["rows"] == grants.rows and entry["valid_rows"] == 0
    assert entry["schema"] == "Subventions 2.1.1"
    optitec = next(r for r in entry["invalid_rows"] if r["key"].startswith("ECO 024-5567/19/BM"))
    assert optitec["missing"] == ["conditionsVersement", "datesPeriodeVersement", "notificationUE"]
    assert "Pôle OPTITEC" in optitec["key"]
    assert "SCDL-shaped, 0 of" in report.summary()

    # The same row with what an act would have to state is valid: `required` is checked, and
    # a row is counted valid once it holds every required field.
    complete = tmp_path / "subventions.csv"
    write_rows(
        report.target / "scdl" / "subventions.csv",
        complete,
        {
            "dateConvention": "2019-03-28",
            "conditionsVersement": "unique",
            "datesPeriodeVersement": "2019-01-01/2019-12-31",
            "notificationUE": "non",
        },
        keep=1,
    )
    result = validate_file(complete, scdl.SUBVENTIONS.schema, scdl.SUBVENTIONS.key)
    assert (result.rows, result.valid_rows, result.valid) == (1, 1, True)


def write_rows(source: Path, target: Path, values: dict[str, str], keep: int | None = None) -> None:
    """A copy of an SCDL file (its first `keep` rows) whose first row takes `values`."""
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))[:keep]
        fields = list(rows[0])
    rows[0].update(values)
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def break_first_row(source: Path, target: Path, **values: str) -> None:
    write_rows(source, target, values)


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
    assert result.broken
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
    layout, report = exported
    files = {f.name: f for f in report.scdl}
    grants, acts = files["subventions"], files["deliberations"]
    with duckdb.connect(str(layout.warehouse), read_only=True) as connection:
        titles = [
            t for (t,) in connection.execute("select title from marts.counted_grants").fetchall()
        ]
    conventions = sum(1 for t in titles if re.search(scdl.APPROVES_CONVENTION, t.lower()))
    fees = sum(1 for t in titles if re.search(scdl.PAYS_ONE_FEE, t.lower()))
    assert 0 < conventions < grants.rows and fees == 1
    assert grants.empty["dateConvention"] == grants.rows - conventions
    assert grants.empty["conditionsVersement"] == grants.rows - fees
    for column in ("datesPeriodeVersement", "notificationUE", "idBeneficiaire", "rnaBeneficiaire"):
        assert grants.empty[column] == grants.rows
    for column in ("nomAttribuant", "idAttribuant", "referenceDecision", "objet", "montant"):
        assert grants.empty[column] == 0
    assert acts.empty["DELIB_MATIERE_CODE"] == acts.rows > 0
    assert acts.empty["DELIB_ID"] == acts.empty["DELIB_DATE"] == 0
    validation = {v.path.name: v for v in report.validations}
    assert validation["subventions.csv"].missing["dateConvention"] == grants.rows - conventions
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
    assert "SCDL-shaped, 0 of" in capsys.readouterr().out
    assert main(["export", "--data-dir", str(layout.root / "nowhere")]) == 2
    assert isinstance(report, ExportReport)


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
ODS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
}


def open_in_libreoffice(path: Path, options: str, workdir: Path) -> list[list[object]]:
    """The sheet LibreOffice makes of a CSV file (headless, its own profile): each cell a float
    when Calc read a number, else its text."""
    assert SOFFICE is not None
    out = workdir / "ods"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{workdir / 'profile'}",
            "--headless",
            "--norestore",
            f"--infilter={options}",
            "--convert-to",
            "ods",
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    content = zipfile.ZipFile(out / f"{path.stem}.ods").read("content.xml")
    sheet: list[list[object]] = []
    for row in ElementTree.fromstring(content).iter(f"{{{ODS['table']}}}table-row"):
        cells: list[object] = []
        for cell in row.iter(f"{{{ODS['table']}}}table-cell"):
            if cell.get(f"{{{ODS['office']}}}value-type") == "float":
                cells.append(float(cell.get(f"{{{ODS['office']}}}value") or "nan"))
            elif cell.get(f"{{{ODS['office']}}}value-type") is not None:
                cells.append("".join(cell.itertext()))
        sheet.append(cells)
    return sheet


@pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice is not installed and could not be (make test installs "
    "libreoffice-calc-nogui with apt-get)",
)
def test_csv_files_open_in_libreoffice_with_accents_and_numbers(exported, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """As a person opens them: separator chosen, character set left to Calc, and the locale
    the file is for (English for csv/, French for csv-excel-fr/)."""
    layout, report = exported
    with duckdb.connect(str(layout.warehouse), read_only=True) as connection:
        expected = [
            [pole_id, name, float(year), kind, float(amount), float(review), float(count)]
            for pole_id, name, year, kind, amount, review, count in connection.execute(
                "select * from marts.funding_by_pole_year order by all"
            ).fetchall()
        ]
        beneficiaries = sorted(
            b
            for (b,) in connection.execute(
                "select beneficiary from marts.counted_grants"
            ).fetchall()
        )
    header = [
        "pole_id",
        "pole_name",
        "funding_year",
        "kind",
        "amount_eur",
        "amount_under_review_eur",
        "grant_count",
    ]
    assert any("ô" in row[1] or "é" in row[1] for row in expected)  # accents to get right
    # filter options: separator, quote, character set (empty: Calc detects it), first line,
    # column formats, language (1033 English (US), 1036 French)
    for folder, options in (("csv", "CSV:44,34,,1,,1033"), ("csv-excel-fr", "CSV:59,34,,1,,1036")):
        sheet = open_in_libreoffice(
            report.target / folder / "funding_by_pole_year.csv", options, tmp_path / folder
        )
        assert sheet[0] == header, folder  # the byte-order mark is no part of the first name
        assert sheet[1:] == expected, folder  # names with their accents, amounts as numbers
        grants = open_in_libreoffice(
            report.target / folder / "counted_grants.csv", options, tmp_path / folder
        )
        column = grants[0].index("beneficiary")
        assert sorted(row[column] for row in grants[1:]) == beneficiaries, folder
