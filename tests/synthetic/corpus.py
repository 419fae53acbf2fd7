"""SYNTHETIC corpus: generate deliberation PDFs and their expected records (CLI and API)."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from pipelines.parse.record import DeliberationRecord
from tests.synthetic.assemble import build_document
from tests.synthetic.bad_inputs import generate_bad_inputs
from tests.synthetic.render import SYNTHETIC_MARK, render_pdf
from tests.synthetic.variations import BY_NAME, VARIATION_NAMES

# Parallel generation pays off above this many documents.
PARALLEL_FROM = 64


def render_one(task: tuple[int, int, str]) -> tuple[str, bytes, DeliberationRecord]:
    """Build and render one document (runs in a worker process)."""
    index, seed, name = task
    doc = build_document(index, seed, BY_NAME[name])
    return doc.stem, render_pdf(doc), doc.record


def variation_plan(count: int, variations: Sequence[str] | None) -> list[str]:
    """The variation of each index: the chosen ones, cycled."""
    names = list(variations or VARIATION_NAMES)
    unknown = [n for n in names if n not in BY_NAME]
    if unknown:
        raise ValueError(f"unknown variation(s) {unknown}; known: {', '.join(VARIATION_NAMES)}")
    return [names[i % len(names)] for i in range(count)]


def _is_foreign(path: Path) -> bool:
    """A file already there that this generator did not write (e.g. the real sample)."""
    return path.exists() and SYNTHETIC_MARK.encode() not in path.read_bytes()


def write_document(out_dir: Path, stem: str, pdf: bytes, record: DeliberationRecord) -> Path:
    """Write <stem>.pdf and <stem>.expected.json, with the PDF's name and digest filled in."""
    path = out_dir / f"{stem}.pdf"
    record = DeliberationRecord(**record)
    record["file"] = path.name
    record["sha256"] = hashlib.sha256(pdf).hexdigest()
    path.write_bytes(pdf)
    text = json.dumps(record, ensure_ascii=False, indent=2) + "\n"
    (out_dir / f"{stem}.expected.json").write_text(text, encoding="utf-8")
    return path


def generate_corpus(
    out_dir: str | os.PathLike[str],
    count: int,
    seed: int,
    variations: Sequence[str] | None = None,
    workers: int | None = None,
) -> list[Path]:
    """Write `count` SYNTHETIC deliberations and their expected records; return the PDF paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tasks = [(i, seed, name) for i, name in enumerate(variation_plan(count, variations))]
    if workers is None:
        workers = min(os.cpu_count() or 1, 8) if count >= PARALLEL_FROM else 1
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(render_one, tasks, chunksize=max(1, count // (workers * 8))))
    else:
        results = [render_one(task) for task in tasks]
    paths = []
    used: set[str] = set()
    for stem, pdf, record in results:
        unique, n = stem, 1
        while unique in used or _is_foreign(out / f"{unique}.pdf"):
            n += 1
            unique = f"{stem}-{n}"
        used.add(unique)
        paths.append(write_document(out, unique, pdf, record))
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m tests.synthetic.corpus --out DIR --count N --seed S`."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.synthetic.corpus",
        description="Write SYNTHETIC AMP deliberation PDFs with their expected records.",
    )
    parser.add_argument("--out", required=True, help="output folder")
    parser.add_argument("--count", type=int, default=len(VARIATION_NAMES), help="documents")
    parser.add_argument("--seed", type=int, default=0, help="random seed (same seed, same bytes)")
    parser.add_argument(
        "--variation",
        action="append",
        choices=VARIATION_NAMES,
        metavar="NAME",
        help=f"restrict to these variations (repeatable): {', '.join(VARIATION_NAMES)}",
    )
    parser.add_argument(
        "--bad-inputs", action="store_true", help="also write the unreadable / no-text inputs"
    )
    parser.add_argument("--workers", type=int, default=None, help="processes (default: auto)")
    args = parser.parse_args(argv)
    paths = generate_corpus(args.out, args.count, args.seed, args.variation, args.workers)
    if args.bad_inputs:
        paths += generate_bad_inputs(args.out)
    print(f"wrote {len(paths)} PDF(s) with expected records to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
