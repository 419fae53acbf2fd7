"""How long the Dagster code location takes to import, and to build (`dagster dev`, the daemon
and every run load it): the median of fresh processes.

    python bench/import_time.py [--runs 5]

The import is `import pipelines.definitions`; the build is `pipelines.definitions.defs()`, what
Dagster's loader calls next (it imports dagster-dbt and dbt-core and reads dbt's manifest).
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
    "imported = time.perf_counter(); pipelines.definitions.defs(); "
    "print(imported - started, time.perf_counter() - imported)"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    runs = [
        [float(part) for part in subprocess.run([sys.executable, "-c", CODE], cwd=ROOT,
                                                capture_output=True, text=True,
                                                check=True).stdout.split()]
        for _ in range(args.runs)
    ]  # fmt: skip
    for name, seconds in (("import", [r[0] for r in runs]), ("build", [r[1] for r in runs])):
        print(
            f"{name} pipelines.definitions: median {statistics.median(seconds):.2f} s "
            f"(min {min(seconds):.2f}, max {max(seconds):.2f}, {args.runs} fresh processes)"
        )


if __name__ == "__main__":
    main()
