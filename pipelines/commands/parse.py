"""`polefunds parse FILE... [--jobs N]`: one JSON record a line, in input order."""

from __future__ import annotations

import argparse
import json
import sys

from pipelines.parse.batch import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S, parse_files


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `parse` sub-command."""
    parser = subparsers.add_parser(
        "parse",
        help="parse deliberation PDFs into JSON records",
        description="Print one JSON record per file (docs/deliberation-record.md), in input order.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="PDF files to parse")
    parser.add_argument("--jobs", "-j", type=int, default=1, help="worker processes (default 1)")
    parser.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT_S, help="seconds allowed per file"
    )
    parser.add_argument(
        "--memory-mb", type=int, default=DEFAULT_MEMORY_MB, help="memory allowed per worker"
    )
    parser.add_argument("--indent", type=int, default=None, help="pretty-print with this indent")
    parser.add_argument(
        "--annex",
        action="append",
        default=[],
        metavar="PDF",
        help="an annex of the act's card (repeatable; with one FILE): read when the act puts "
        "its amounts in an annex",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Parse the files and print their records; exit 0 even when some files are bad."""
    if args.annex and len(args.files) != 1:
        print("polefunds parse: --annex goes with one act (one FILE)", file=sys.stderr)
        return 2
    out = sys.stdout
    annexes = [args.annex] if args.annex else None
    for record in parse_files(
        args.files,
        jobs=args.jobs,
        timeout_s=args.timeout,
        memory_mb=args.memory_mb,
        annexes=annexes,
    ):
        out.write(json.dumps(record, ensure_ascii=False, indent=args.indent) + "\n")
        out.flush()
    return 0
