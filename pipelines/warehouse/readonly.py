"""Read-only SQL on the published warehouse: what analysts, `polefunds sql` and BI tools get."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

# Statement types a reader may run; anything else (insert, copy, attach, set...) is refused.
_READ_STATEMENTS = {"SELECT", "EXPLAIN", "PRAGMA"}


class ReadOnlyViolation(Exception):
    """A statement that would write, or reach files outside the warehouse."""


def connect_readonly(path: Path) -> duckdb.DuckDBPyConnection:
    """A connection that can read the warehouse and nothing else: no writes, no files, no ATTACH."""
    if not path.exists():
        raise FileNotFoundError(f"no published warehouse at {path}: run `polefunds run` first")
    return duckdb.connect(
        str(path),
        read_only=True,
        config={
            "enable_external_access": False,  # no read_csv('/etc/...'), COPY TO, ATTACH, httpfs
            "autoload_known_extensions": False,
            "autoinstall_known_extensions": False,
            "lock_configuration": True,  # and no SET to undo it
        },
    )


def query(path: Path, sql: str) -> pl.DataFrame:
    """The result of one read-only statement, as a polars frame."""
    with connect_readonly(path) as connection:
        statements = connection.extract_statements(sql)
        if len(statements) != 1:
            raise ReadOnlyViolation(f"one statement at a time, got {len(statements)}")
        kind = statements[0].type.name
        # PIVOT expands into several statements inside DuckDB: a read all the same.
        pivot = kind == "MULTI" and sql.lstrip().lower().startswith(("pivot", "unpivot"))
        if kind not in _READ_STATEMENTS and not pivot:
            raise ReadOnlyViolation(
                f"the warehouse is read-only here: {kind.lower().replace('_', ' ')} statements are refused"
            )
        try:
            relation = connection.sql(sql)
        except duckdb.PermissionException as error:
            raise ReadOnlyViolation(f"refused: {error}") from None
        except duckdb.InvalidInputException as error:
            if "read-only" in str(error).lower() or "read only" in str(error).lower():
                raise ReadOnlyViolation(f"refused: {error}") from None
            raise
        return relation.pl() if relation is not None else pl.DataFrame()
