"""The DuckDB files: load the normalised tables into the work file, publish it for readers.

DuckDB accepts one writer. A run builds into `warehouse.work.duckdb` (its only writer), and
publishes by copying it beside `warehouse.duckdb` and renaming the copy over it: a reader
that has the old file open keeps reading it, a new reader opens the new one, and nobody ever
sees a file half written. A run that dies before the rename leaves the published file as it was.

The copy is written in an older storage format (`PUBLISHED_STORAGE_VERSION`) than the work
file's, so that the DuckDB builds BI tools and analysts' clients bundle can open it.

A run killed during dbt takes its `dbt build` with it (`polefunds-dbt` dies with its
parent: pipelines/dbt_child.py); should another writer still hold the work file (a dbt
started by hand, a platform without that guarantee), the next run waits for it before loading.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from pathlib import Path

import duckdb
import polars as pl

from pipelines import atomic
from pipelines.normalise.schemas import BY_NAME

# The storage format of the published file. DuckDB 2.0 writes its own by default, which every
# older DuckDB refuses ("version number 999"): the CLI on PyPI (1.5), Evidence's node driver
# (1.4), Metabase's JDBC driver. v1.4.0, the format of the 1.4 LTS release, opens in DuckDB 1.4
# to 2.0; an older one (v1.0.0) would reach DuckDB 1.0 too, at a file 6 % larger (no compression
# added since 1.2, on the sample), for clients no user of the project has named.
PUBLISHED_STORAGE_VERSION = "v1.4.0"

# How long a run waits for another process (a killed run's dbt) to release the work file.
LOCK_WAIT_S = 180.0
_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.*?) \(PID (?P<pid>\d+)\)")


class WorkFileBusy(RuntimeError):
    """Another process kept the work file locked longer than the run would wait."""


def connect_writer(path: Path, wait_s: float = LOCK_WAIT_S) -> duckdb.DuckDBPyConnection:
    """A read-write connection, once no other process holds the file (DuckDB: one writer)."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            return duckdb.connect(str(path))
        except duckdb.IOException as error:
            holder = _LOCK_HOLDER.search(str(error))
            if holder is None:
                raise
            if time.monotonic() >= deadline:
                raise WorkFileBusy(
                    f"{path} is locked by PID {holder['pid']} ({holder['program']}) after waiting "
                    f"{wait_s:g} s: a run still going, or the dbt build of a run killed half way"
                ) from None
            time.sleep(0.5)


def load_tables(path: Path, frames: Mapping[str, pl.DataFrame]) -> dict[str, int]:
    """Replace the normalised tables in one transaction; row counts by table."""
    path.parent.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    with connect_writer(path) as connection:
        connection.execute("begin transaction")
        try:
            for name, frame in frames.items():
                arrow = frame.to_arrow()
                connection.register("incoming", arrow)
                connection.execute(
                    f'create or replace table main."{name}" as select * from incoming'
                )
                connection.unregister("incoming")
                _describe(connection, name)
                counts[name] = frame.height
            connection.execute("commit")
        except BaseException:
            connection.execute("rollback")
            raise
        connection.execute("checkpoint")
    return counts


def _describe(connection: duckdb.DuckDBPyConnection, name: str) -> None:
    """COMMENT ON the table and its columns, from the declared schema."""
    table = BY_NAME.get(name)
    if table is None:
        return
    connection.execute(f'comment on table main."{name}" is {_quote(table.description)}')
    for column, (_, description) in table.columns.items():
        connection.execute(f'comment on column main."{name}"."{column}" is {_quote(description)}')


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def read_frames(path: Path, names: list[str]) -> dict[str, pl.DataFrame]:
    """Tables of a DuckDB file as polars frames, read-only."""
    with duckdb.connect(str(path), read_only=True) as connection:
        return {name: connection.sql(f'select * from main."{name}"').pl() for name in names}


def publish(work: Path, published: Path, storage_version: str = PUBLISHED_STORAGE_VERSION) -> int:
    """Copy the work file beside the published one and rename it over: atomic for readers.

    The copy is a new database in `storage_version` holding every schema, table, view and
    comment of the work file (`COPY FROM DATABASE`), not the work file's bytes.
    """
    with atomic.replacing(published) as staging:
        staging.unlink()  # DuckDB creates the file: an empty one is "not a valid DuckDB file"
        with connect_writer(work) as connection:
            source = connection.execute("select current_database()").fetchone()
            assert source is not None
            connection.execute(
                f"attach {_quote(str(staging))} as published "
                f"(storage_version {_quote(storage_version)})"
            )
            try:
                connection.execute(f'copy from database "{source[0]}" to published')
            finally:
                connection.execute("detach published")  # checkpointed: no WAL beside the copy
    return published.stat().st_size
