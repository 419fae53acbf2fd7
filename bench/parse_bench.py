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
import time
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


def has_ruled_table(pdf: Path) -> bool:
    """Whether a page of the PDF draws the rules of a table (the parser's own test)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    document = pdfium.PdfDocument(pdf)
    try:
        return any(
            sum(
                1 for _ in document[i].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2)
            )
            >= 4
            for i in range(len(document))
        )
    finally:
        document.close()


def _by_kind(pdfs: list[Path]) -> list[tuple[str, int, float, float]]:
    """Milliseconds a document for acts with a ruled table and for plain acts: the parser in this
    process (its imports done once, as in a long batch), pdftotext one process a file as above:
    (kind, documents, polefunds, pdftotext)."""
    if shutil.which("pdftotext") is None:
        return []
    from pipelines.parse import parse_pdf

    parse_pdf(pdfs[0])  # imports and caches warmed
    tables = [pdf for pdf in pdfs if has_ruled_table(pdf)]
    plain = [pdf for pdf in pdfs if pdf not in set(tables)]
    figures = []
    for kind, group in (("with a ruled table", tables), ("plain", plain)):
        if not group:
            continue
        started = time.perf_counter()
        for pdf in group:
            parse_pdf(pdf)
        ours = time.perf_counter() - started
        theirs = pdftotext_run(group)
        assert theirs is not None
        figures.append(
            (kind, len(group), 1000 * ours / len(group), 1000 * theirs["wall"] / len(group))
        )
    return figures


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
    by_kind = _by_kind(pdfs)
    if by_kind:
        print(
            f"\n{'acts':<28}{'docs':>6}{'polefunds ms/doc':>18}{'pdftotext ms/doc':>18}{'x pdftotext':>13}"
        )
        for kind, count, ours, theirs in by_kind:
            print(f"{kind:<28}{count:>6}{ours:>18.1f}{theirs:>18.1f}{ours / theirs:>13.2f}")
    figures = {
        "count": len(pdfs),
        "pages": pages,
        "runs": [{"run": name, **result} for name, result in rows],
        "by_kind": [
            {"acts": kind, "count": count, "polefunds_ms": ours, "pdftotext_ms": theirs}
            for kind, count, ours, theirs in by_kind
        ],
    }
    (args.out / f"parse_bench-{args.count}.json").write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
