"""`python -m pipelines.quality WAREHOUSE.duckdb [SUITE...]`: validate the tables, print failures."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from pipelines.quality.read import read_tables
from pipelines.quality.runner import validate_tables


def main(argv: list[str] | None = None) -> int:
    """Validate every suite whose tables the file holds; exit 1 if a critical rule failed."""
    parser = argparse.ArgumentParser(prog="python -m pipelines.quality", description=__doc__)
    parser.add_argument("warehouse", help="a DuckDB file with the normalised tables")
    parser.add_argument("suites", nargs="*", help="suite names (default: every suite)")
    parser.add_argument("--today", type=dt.date.fromisoformat, help="YYYY-MM-DD (default: today)")
    args = parser.parse_args(argv)
    frames = read_tables(args.warehouse)
    parameters = {"today": args.today} if args.today else None
    validations = validate_tables(frames, parameters, args.suites or None)
    for validation in validations.values():
        print(validation.describe())
    return 1 if any(validation.blocking for validation in validations.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
