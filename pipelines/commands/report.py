"""`polefunds report`: one self-contained HTML page of the published warehouse's funding."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from pipelines.datastore import DataStore


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `report` sub-command."""
    parser = subparsers.add_parser(
        "report",
        help="write an offline HTML report of the published warehouse",
        description="Write one self-contained HTML page (charts by pôle, territory and year, the "
        "largest grants with links to their acts, the data's freshness and checks) from "
        "DATA/warehouse.duckdb, opened read-only.",
    )
    parser.add_argument(
        "--to", type=Path, metavar="FILE", help="where to write it (default DATA/report.html)"
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR|URL",
        help="data folder or object-store URL (s3://bucket/prefix; default $POLEFUNDS_DATA_DIR)",
    )
    parser.add_argument(
        "--top", type=int, default=20, metavar="N", help="largest grants listed (default 20)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Write the page; exit 2 when there is no published warehouse to read."""
    from pipelines.report import write_report

    store = DataStore(args.data_dir)
    with store.reading() as layout:
        pass
    target = args.to or layout.report
    try:
        with store.reporting() if args.to is None else contextlib.nullcontext():
            summary = write_report(layout.warehouse, target, top=args.top)
    except FileNotFoundError as error:
        print(f"polefunds report: {error}", file=sys.stderr)
        return 2
    print(
        f"report: {summary.path} ({summary.bytes:,} bytes; {summary.poles} pôles, "
        f"{summary.territories} territories, {summary.grants_shown} largest grants)"
    )
    return 0
