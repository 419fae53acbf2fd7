"""Parse throughput on generated deliberations, beside pdftotext on the same files.

    python bench/parse_bench.py [--count 1000] [--seed 7] [--jobs 1 2] [--out bench/out]

Prints one row per run: wall and CPU time, documents/s, pages/s, peak memory, and the ratio
to pdftotext's wall time (single process). Also checks every generated record parses exactly.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import ROOT, corpus, executable, pages_of, timed


def pdftotext_run(pdfs: list[Path]) -> dict[str, float] | None:
    """pdftotext on every file, one after the other: the yardstick."""
    tool = shutil.which("pdftotext")
    if tool is None:
        return None
    script = (
        "import subprocess, sys\n"
        "for f in sys.argv[2:]: subprocess.run([sys.argv[1], f, '-'], stdout=subprocess.DEVNULL)"
    )
    return timed([sys.executable, "-c", script, tool, *map(str, pdfs)])


def accuracy(pdfs: list[Path], records_path: Path) -> tuple[int, int]:
    """How many records equal their expected record, of how many."""
    got = [json.loads(line) for line in records_path.read_text(encoding="utf-8").splitlines()]
    exact = 0
    for path, record in zip(pdfs, got, strict=True):
        expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
        exact += record == expected
    return exact, len(pdfs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    args = parser.parse_args()

    pdfs = corpus(args.out, args.count, args.seed)
    pages = pages_of(pdfs)
    polefunds = executable("polefunds")
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"corpus: {len(pdfs)} documents, {pages} pages\n")

    rows = []
    yardstick = pdftotext_run(pdfs)
    if yardstick:
        rows.append(("pdftotext (1 process)", yardstick))
    for jobs in args.jobs:
        out = args.out / f"records-{jobs}.jsonl"
        result = timed([polefunds, "parse", "--jobs", str(jobs), *map(str, pdfs)], out)
        rows.append((f"polefunds parse --jobs {jobs}", result))
        exact, total = accuracy(pdfs, out)
        print(f"--jobs {jobs}: {exact}/{total} records exactly as expected")

    print(
        f"\n{'run':<28}{'wall s':>9}{'cpu s':>9}{'docs/s':>9}{'pages/s':>10}{'peak MB':>9}{'x pdftotext':>13}"
    )
    for name, result in rows:
        ratio = f"{result['wall'] / yardstick['wall']:.2f}" if yardstick else "n/a"
        print(
            f"{name:<28}{result['wall']:>9.2f}{result['cpu']:>9.2f}{len(pdfs) / result['wall']:>9.0f}"
            f"{pages / result['wall']:>10.0f}{result['peak_mb']:>9.0f}{ratio:>13}"
        )
    if not yardstick:
        print("pdftotext not found (apt-get install poppler-utils): no yardstick")
    figures = {
        "count": len(pdfs),
        "pages": pages,
        "runs": [{"run": name, **result} for name, result in rows],
    }
    (args.out / f"parse_bench-{args.count}.json").write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
