"""How long importing the Dagster code location takes (`dagster dev`, the daemon and every run
start with it): the median of fresh processes.

    python bench/import_time.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = (
    "import time; started = time.perf_counter(); import pipelines.definitions; "
    "print(time.perf_counter() - started)"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    seconds = [
        float(subprocess.run([sys.executable, "-c", CODE], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout)
        for _ in range(args.runs)
    ]  # fmt: skip
    print(
        f"import pipelines.definitions: median {statistics.median(seconds):.2f} s "
        f"(min {min(seconds):.2f}, max {max(seconds):.2f}, {args.runs} fresh processes)"
    )


if __name__ == "__main__":
    main()
