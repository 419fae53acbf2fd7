"""`polefunds sql "select ..."`: read-only SQL on the published warehouse."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

EXIT_REFUSED = 2


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `sql` sub-command."""
    parser = subparsers.add_parser(
        "sql",
        help="run read-only SQL on the published warehouse",
        description="Run one read-only statement on DATA/warehouse.duckdb and print the result.",
    )
    parser.add_argument("statement", help='e.g. "select * from marts.funding_by_pole_year"')
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table")
    parser.add_argument(
        "--data-dir",
        metavar="DIR|URL",
        help="data folder or object-store URL (s3://bucket/prefix; default $POLEFUNDS_DATA_DIR)",
    )
    parser.add_argument(
        "--warehouse", type=Path, metavar="FILE", help="a DuckDB file to read instead"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the result; exit 2 on a refused or failing statement."""
    import duckdb

    from pipelines.warehouse.readonly import ReadOnlyViolation, query

    if args.warehouse:
        path = args.warehouse
    else:
        from pipelines.datastore import DataStore

        with DataStore(args.data_dir).reading() as layout:
            path = layout.warehouse
    try:
        frame = query(path, args.statement)
    except (ReadOnlyViolation, FileNotFoundError) as error:
        print(f"polefunds sql: {error}", file=sys.stderr)
        return EXIT_REFUSED
    except duckdb.Error as error:
        print(f"polefunds sql: {type(error).__name__}: {error}", file=sys.stderr)
        return EXIT_REFUSED
    sys.stdout.write(render(frame, args.format))
    return 0


def render(frame: pl.DataFrame, fmt: str) -> str:
    """The frame as an aligned table, CSV or JSON rows."""
    import polars as pl

    if fmt == "csv":
        return frame.write_csv()
    if fmt == "json":
        return frame.write_json() + "\n"
    with pl.Config(
        tbl_rows=-1,
        tbl_cols=-1,
        fmt_str_lengths=80,
        tbl_hide_dataframe_shape=True,
        tbl_formatting="ASCII_MARKDOWN",
        tbl_hide_column_data_types=True,
        fmt_table_cell_list_len=10,
    ):
        return f"{frame}\n({frame.height} row{'s' if frame.height != 1 else ''})\n"
