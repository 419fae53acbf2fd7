"""`polefunds export`: the published warehouse as Parquet, CSV, a data dictionary and SCDL files."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from pipelines.datastore import DataStore

EXIT_FAILED = 1
EXIT_NO_WAREHOUSE = 2


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `export` sub-command."""
    parser = subparsers.add_parser(
        "export",
        help="export the marts (Parquet, CSV, dictionary) and the SCDL open-data files",
        description=(
            "Write every mart of DATA/warehouse.duckdb as Parquet and CSV, a data dictionary, "
            "and the grants and deliberations as SCDL files validated against their schemas; "
            "the folder is replaced as a whole."
        ),
    )
    parser.add_argument("--to", type=Path, metavar="DIR", help="export folder (DATA/exports)")
    parser.add_argument(
        "--data-dir",
        metavar="DIR|URL",
        help="data folder or object-store URL (s3://bucket/prefix; default $POLEFUNDS_DATA_DIR)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Export; exit 1 when a file breaks its schema, 2 without a published warehouse."""
    from pipelines.exports import export_all
    from pipelines.exports.validation import InvalidExport

    store = DataStore(args.data_dir)
    with store.reading() as layout:
        pass
    target = args.to or layout.exports
    try:
        with store.exporting() if args.to is None else contextlib.nullcontext():
            report = export_all(layout.warehouse, target)
    except FileNotFoundError as error:
        print(f"polefunds export: {error}", file=sys.stderr)
        return EXIT_NO_WAREHOUSE
    except InvalidExport as error:
        print(f"polefunds export: invalid, nothing replaced:\n{error}", file=sys.stderr)
        return EXIT_FAILED
    print(report.summary())
    return 0
