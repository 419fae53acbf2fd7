"""Each mart as one Parquet file (the BI feed) and as CSV for spreadsheets (two dialects).

- `parquet/<mart>.parquet`: one file per mart, every column in it (`funding_year` included),
  so any Parquet reader gets the whole mart from one file, whatever its version; a filter on
  `funding_year` still skips row groups by their statistics.
- `csv/<mart>.csv`: UTF-8 with a byte-order mark (what tells Excel the file is UTF-8), comma,
  decimal point, ISO dates: Excel in an English locale, LibreOffice, any program.
- `csv-excel-fr/<mart>.csv`: the same rows for Excel in a French locale: byte-order mark,
  semicolon, decimal comma (Excel there splits on `;` and reads `140000.00` as text).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

MARTS_SCHEMA = "marts"
PARQUET_FOLDER = "parquet"
CSV_FOLDER = "csv"
CSV_EXCEL_FR_FOLDER = "csv-excel-fr"
# UTF-8's byte-order mark: Excel reads a CSV file without one in the machine's 8-bit code page.
UTF8_BOM = b"\xef\xbb\xbf"
_DECIMAL_TYPES = ("DECIMAL", "DOUBLE", "FLOAT", "REAL")


def mart_names(connection: duckdb.DuckDBPyConnection) -> list[str]:
    """The marts of the warehouse, by name."""
    rows = connection.execute(
        "select table_name from duckdb_tables() where schema_name = ? order by table_name",
        [MARTS_SCHEMA],
    ).fetchall()
    return [name for (name,) in rows]


def mart_column_types(connection: duckdb.DuckDBPyConnection, mart: str) -> list[tuple[str, str]]:
    """The columns of one mart with their DuckDB types, in order."""
    rows = connection.execute(
        "select column_name, data_type from duckdb_columns() "
        "where schema_name = ? and table_name = ? order by column_index",
        [MARTS_SCHEMA, mart],
    ).fetchall()
    return [(name, dtype) for name, dtype in rows]


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def copy_csv(
    connection: duckdb.DuckDBPyConnection, select: str, path: Path, delimiter: str = ","
) -> None:
    """Write a query as CSV (header, ISO dates) preceded by UTF-8's byte-order mark."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = path.with_name(f".{path.name}.body")
    connection.execute(
        f"copy ({select}) to {_literal(body)} "
        f"(format csv, header, delimiter '{delimiter}', quote '\"', dateformat '%Y-%m-%d')"
    )
    # DuckDB writes no byte-order mark: the body is streamed behind one.
    with path.open("wb") as target, body.open("rb") as source:
        target.write(UTF8_BOM)
        shutil.copyfileobj(source, target, 1 << 20)
    body.unlink()


def _french_excel_select(table: str, columns: list[tuple[str, str]], order: str) -> str:
    """The mart's rows with decimal commas in its decimal columns (DuckDB writes points)."""
    cells = []
    for name, dtype in columns:
        if dtype.upper().startswith(_DECIMAL_TYPES):
            cells.append(f"replace(cast({_quoted(name)} as varchar), '.', ',') as {_quoted(name)}")
        else:
            cells.append(_quoted(name))
    return f"select {', '.join(cells)} from {table} order by {order}"


def write_mart(connection: duckdb.DuckDBPyConnection, mart: str, folder: Path) -> int:
    """Write the mart's Parquet file and both CSV files under folder; return the row count."""
    table = f"{MARTS_SCHEMA}.{_quoted(mart)}"
    columns = mart_column_types(connection, mart)
    # A stable order makes two exports of the same warehouse byte-comparable.
    order = ", ".join(_quoted(name) for name, _ in columns)
    select = f"select * from {table} order by {order}"
    rows = connection.execute(f"select count(*) from {table}").fetchone()
    count = int(rows[0]) if rows else 0

    parquet = folder / PARQUET_FOLDER / f"{mart}.parquet"
    parquet.parent.mkdir(parents=True, exist_ok=True)
    connection.execute(f"copy ({select}) to {_literal(parquet)} (format parquet)")

    copy_csv(connection, select, folder / CSV_FOLDER / f"{mart}.csv")
    copy_csv(
        connection,
        _french_excel_select(table, columns, order),
        folder / CSV_EXCEL_FR_FOLDER / f"{mart}.csv",
        delimiter=";",
    )
    return count


def write_marts(connection: duckdb.DuckDBPyConnection, folder: Path) -> dict[str, int]:
    """Every mart written under folder; rows per mart."""
    return {mart: write_mart(connection, mart, folder) for mart in mart_names(connection)}
