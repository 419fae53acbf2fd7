"""`polefunds run`: the scheduled ingestion job, run here, with a summary."""

from __future__ import annotations

import argparse
import sys
import time
from contextlib import ExitStack
from datetime import date
from pathlib import Path

from pipelines.settings import PORTAL_URL


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `run` sub-command."""
    parser = subparsers.add_parser(
        "run",
        help="run the ingestion job (the scheduled one) here and print a summary",
        description="Crawl, parse what is new, load, check, build the marts, publish "
        "DATA/warehouse.duckdb, export and report: the job the daily schedule runs.",
    )
    parser.add_argument("--base-url", default=PORTAL_URL, help=f"portal (default {PORTAL_URL})")
    parser.add_argument(
        "--since", type=date.fromisoformat, metavar="YYYY-MM-DD", help="stop at older cards"
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR|URL",
        help="data folder or object-store URL (s3://bucket/prefix; default $POLEFUNDS_DATA_DIR)",
    )
    parser.add_argument("--jobs", type=int, default=2, help="parse worker processes (default 2)")
    parser.add_argument(
        "--interval", type=float, metavar="SECONDS", help="seconds between two requests"
    )
    parser.add_argument(
        "--mirror", type=Path, metavar="DIR", help="serve DIR as a local mirror and crawl it"
    )
    parser.add_argument("--mirror-port", type=int, default=8765, help="port of the --mirror server")
    parser.add_argument(
        "--rebuild", action="store_true", help="load, check and build even when nothing is new"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run the job; exit 1 when a stage or a check fails (the published warehouse is kept)."""
    from pipelines.crawl.mirror import Mirror, load_site
    from pipelines.defs.resources import PolefundsConfig, StoreResource
    from pipelines.defs.run import run_ingestion

    store = StoreResource(data_dir=args.data_dir)
    started = time.monotonic()
    with ExitStack() as stack:
        base_url = args.base_url
        if args.mirror is not None:
            mirror = stack.enter_context(Mirror(load_site(args.mirror), port=args.mirror_port))
            base_url = mirror.url
            print(f"mirror of {args.mirror} at {base_url}", file=sys.stderr)
        summary = run_ingestion(
            store,
            PolefundsConfig(
                base_url=base_url,
                since=args.since.isoformat() if args.since else None,
                crawl_interval=args.interval,
                parse_jobs=args.jobs,
            ),
            rebuild=args.rebuild,
            progress=sys.stdout,
        )
    layout = store.store.layout
    print(summary.text())
    print(f"done in {time.monotonic() - started:.1f} s; warehouse: {layout.warehouse}")
    if summary.success:
        print(f"exports: {layout.exports}; report: {layout.report}")
    return 0 if summary.success else 1
