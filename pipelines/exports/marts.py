"""Each mart as Parquet (hive-partitioned by funding_year when it has one) and as CSV."""

from __future__ import annotations

from pathlib import Path

import duckdb

MARTS_SCHEMA = "marts"
PARTITION_COLUMN = "funding_year"


def mart_names(connection: duckdb.DuckDBPyConnection) -> list[str]:
    """The marts of the warehouse, by name."""
    rows = connection.execute(
        "select table_name from duckdb_tables() where schema_name = ? order by table_name",
        [MARTS_SCHEMA],
    ).fetchall()
    return [name for (name,) in rows]


def mart_columns(connection: duckdb.DuckDBPyConnection, mart: str) -> list[str]:
    """The columns of one mart, in order."""
    rows = connection.execute(
        "select column_name from duckdb_columns() where schema_name = ? and table_name = ? "
        "order by column_index",
        [MARTS_SCHEMA, mart],
    ).fetchall()
    return [name for (name,) in rows]


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def write_mart(connection: duckdb.DuckDBPyConnection, mart: str, folder: Path) -> int:
    """Write parquet/<mart>/ and csv/<mart>.csv under folder; return the row count."""
    table = f"{MARTS_SCHEMA}.{_quoted(mart)}"
    columns = mart_columns(connection, mart)
    # A stable order makes two exports of the same warehouse byte-comparable.
    order = ", ".join(_quoted(column) for column in columns)
    select = f"select * from {table} order by {order}"
    rows = connection.execute(f"select count(*) from {table}").fetchone()
    count = int(rows[0]) if rows else 0

    parquet = folder / "parquet" / mart
    parquet.mkdir(parents=True, exist_ok=True)
    if PARTITION_COLUMN in columns and count:
        connection.execute(
            f"copy ({select}) to {_literal(parquet)} "
            f"(format parquet, partition_by ({PARTITION_COLUMN}), overwrite_or_ignore)"
        )
    else:
        # Unpartitioned marts, and an empty mart (which has no partition to hold its schema).
        connection.execute(
            f"copy ({select}) to {_literal(parquet / 'data.parquet')} (format parquet)"
        )

    csv = folder / "csv" / f"{mart}.csv"
    csv.parent.mkdir(parents=True, exist_ok=True)
    connection.execute(
        f"copy ({select}) to {_literal(csv)} "
        "(format csv, header, delimiter ',', quote '\"', dateformat '%Y-%m-%d')"
    )
    return count


def write_marts(connection: duckdb.DuckDBPyConnection, folder: Path) -> dict[str, int]:
    """Every mart written under folder; rows per mart."""
    return {mart: write_mart(connection, mart, folder) for mart in mart_names(connection)}
