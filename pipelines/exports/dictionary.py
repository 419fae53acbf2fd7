"""The data dictionary of the marts: table, column, type, description, from DuckDB's COMMENTs.

The comments come from the dbt docs (`sql/models/marts/_marts__models.yml`, persisted by dbt).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from pipelines.exports.marts import MARTS_SCHEMA

if TYPE_CHECKING:
    from pipelines.exports.validation import Validation

HEADER = ("table", "column", "type", "description")


@dataclass(frozen=True)
class ColumnEntry:
    """One column of one mart, as the dictionary lists it."""

    table: str
    column: str
    type: str
    description: str


def column_entries(connection: duckdb.DuckDBPyConnection) -> list[ColumnEntry]:
    """Every column of every mart, in table then column order."""
    rows = connection.execute(
        "select table_name, column_name, data_type, coalesce(comment, '') from duckdb_columns() "
        "where schema_name = ? order by table_name, column_index",
        [MARTS_SCHEMA],
    ).fetchall()
    return [ColumnEntry(*row) for row in rows]


def table_descriptions(connection: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Each mart's description."""
    rows = connection.execute(
        "select table_name, coalesce(comment, '') from duckdb_tables() where schema_name = ? "
        "order by table_name",
        [MARTS_SCHEMA],
    ).fetchall()
    return {name: " ".join(text.split()) for name, text in rows}


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _scdl_lines(validations: list[Validation]) -> list[str]:
    """The SCDL files' section: shaped like the schema, and how many rows pass it."""
    from pipelines.exports.scdl import FILL_RULES

    lines = ["", "## SCDL open-data files (`scdl/`)", ""]
    lines += [f"- `scdl/{v.path.name}`: {v.verdict()}." for v in validations]
    lines += [
        "",
        "Every column of the schema, in its order and formats; a value the act does not state",
        "is left empty, so a row can lack a field the schema requires: such rows are not valid,",
        "and `scdl/validation.json` lists them with the fields they lack. Required fields filled",
        "from what the act states:",
        "",
    ]
    lines += [f"- `{column}` ({dataset}): {rule}." for dataset, column, rule in FILL_RULES]
    return lines


def write_dictionary(
    connection: duckdb.DuckDBPyConnection,
    folder: Path,
    validations: list[Validation] | None = None,
) -> list[ColumnEntry]:
    """Write dictionary.csv and dictionary.md under folder; return the entries."""
    entries = column_entries(connection)
    with (folder / "dictionary.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows((e.table, e.column, e.type, e.description) for e in entries)

    lines = [
        "# Data dictionary: the marts of the polefunds warehouse",
        "",
        "Amounts in euros. Files, one per mart, the same rows in each:",
        "",
        "- `parquet/<mart>.parquet`: the feed for BI tools and programs; every column in the file,",
        "  `funding_year` included, readable by any Parquet reader;",
        "- `csv/<mart>.csv`: UTF-8 with a byte-order mark, comma, decimal point, ISO dates",
        "  (Excel in an English locale, LibreOffice, programs);",
        "- `csv-excel-fr/<mart>.csv`: UTF-8 with a byte-order mark, semicolon, decimal comma, ISO",
        "  dates (Excel in a French locale).",
    ]
    for table, description in table_descriptions(connection).items():
        lines += ["", f"## {table}", "", description, "", "| column | type | description |"]
        lines.append("|---|---|---|")
        lines += [
            f"| `{e.column}` | {e.type} | {_cell(e.description)} |"
            for e in entries
            if e.table == table
        ]
    if validations:
        lines += _scdl_lines(validations)
    (folder / "dictionary.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return entries
