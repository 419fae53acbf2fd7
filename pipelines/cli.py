"""The `polefunds` command line: one sub-command per module in `pipelines.commands`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from pipelines.commands import crawl as crawl_command
from pipelines.commands import export as export_command
from pipelines.commands import mirror as mirror_command
from pipelines.commands import parse as parse_command
from pipelines.commands import report as report_command
from pipelines.commands import review as review_command
from pipelines.commands import run as run_command
from pipelines.commands import sql as sql_command

COMMANDS = (
    parse_command,
    crawl_command,
    mirror_command,
    run_command,
    sql_command,
    report_command,
    export_command,
    review_command,
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="polefunds",
        description="Public funding of the pôles de compétitivité, from deliberations to marts.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    args = build_parser().parse_args(argv)
    return int(args.handler(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
