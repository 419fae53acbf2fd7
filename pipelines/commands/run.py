"""`polefunds run`: the whole pipeline in-process (crawl, parse, load, check, models, publish)."""

from __future__ import annotations

import argparse
import sys
import time
from contextlib import ExitStack
from datetime import date
from pathlib import Path

from pipelines import settings
from pipelines.crawl.ampmetropole import PORTAL_URL


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `run` sub-command."""
    parser = subparsers.add_parser(
        "run",
        help="run the whole pipeline in-process and print a summary",
        description="Crawl, parse the session years with new acts, load, check, build the marts "
        "and publish DATA/warehouse.duckdb, as the scheduled Dagster job does.",
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
    """Run every stage; exit 1 when a stage or a check fails (the published warehouse is kept)."""
    from pipelines.crawl.mirror import Mirror, load_site
    from pipelines.defs.inprocess import run_pipeline

    layout = settings.layout(args.data_dir)
    started = time.monotonic()
    with ExitStack() as stack:
        base_url = args.base_url
        if args.mirror is not None:
            mirror = stack.enter_context(Mirror(load_site(args.mirror), port=args.mirror_port))
            base_url = mirror.url
            print(f"mirror of {args.mirror} at {base_url}", file=sys.stderr)
        outcome = run_pipeline(
            layout,
            base_url=base_url,
            since=args.since,
            jobs=args.jobs,
            interval=args.interval,
            rebuild=args.rebuild,
        )
    print(outcome.summary())
    print(f"done in {time.monotonic() - started:.1f} s; warehouse: {layout.warehouse}")
    if outcome.success:
        print(f"exports: {layout.root / 'exports'}; report: {layout.root / 'report.html'}")
    return 0 if outcome.success else 1
