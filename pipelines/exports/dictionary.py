"""The data dictionary of the marts: table, column, type, description, from DuckDB's COMMENTs.

The comments come from the dbt docs (`sql/models/marts/_marts__models.yml`, persisted by dbt).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.exports.marts import MARTS_SCHEMA

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


def write_dictionary(connection: duckdb.DuckDBPyConnection, folder: Path) -> list[ColumnEntry]:
    """Write dictionary.csv and dictionary.md under folder; return the entries."""
    entries = column_entries(connection)
    with (folder / "dictionary.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows((e.table, e.column, e.type, e.description) for e in entries)

    lines = [
        "# Data dictionary: the marts of the polefunds warehouse",
        "",
        "Amounts in euros. Files: `parquet/<mart>/` (partitioned by `funding_year` where the mart",
        "has it, hive-style) and `csv/<mart>.csv` (UTF-8, comma, ISO dates, decimal point).",
    ]
    for table, description in table_descriptions(connection).items():
        lines += ["", f"## {table}", "", description, "", "| column | type | description |"]
        lines.append("|---|---|---|")
        lines += [
            f"| `{e.column}` | {e.type} | {_cell(e.description)} |"
            for e in entries
            if e.table == table
        ]
    (folder / "dictionary.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return entries
