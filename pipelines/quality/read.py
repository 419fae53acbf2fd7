"""The normalised tables of a DuckDB file as pandas frames, read and then closed."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from pipelines.normalise.schemas import BY_NAME


def read_tables(path: Path | str, tables: Iterable[str] | None = None) -> dict[str, pd.DataFrame]:
    """The declared tables the file holds (or those named), by name; the file opened read-only."""
    import duckdb

    wanted = list(tables) if tables is not None else list(BY_NAME)
    with duckdb.connect(str(path), read_only=True) as connection:
        present = {
            row[0]
            for row in connection.execute(
                "select table_name from information_schema.tables where table_schema = 'main'"
            ).fetchall()
        }
        # GX reads results after the fact: hand it frames, never the connection.
        return {
            name: connection.execute(f'select * from main."{name}"').df()
            for name in wanted
            if name in present
        }
