"""Crawl timings on a generated 2,000-document mirror served on 127.0.0.1.

    python bench/crawl_bench.py [--count 2000] [--per-page 10] [--out bench/out]

Prints one row per scenario: the first crawl (politeness interval 0, the mirror being local),
then reruns with nothing new (with and without conditional requests, and at the default
politeness of one request a second), then a rerun after a few new deliberations appear.
The mirror runs in a thread of this process, so the figures include its own work.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipelines.crawl.crawler import CrawlStats, crawl  # noqa: E402
from pipelines.crawl.mirror import Mirror, load_site  # noqa: E402
from pipelines.crawl.politeness import CrawlPolicy  # noqa: E402

SAMPLE = ROOT / "data" / "samples" / "bm-2019-03-28-eco-024-5567-optitec.pdf"
FIRST_DAY = date(2016, 3, 1)


def write_corpus(folder: Path, count: int, start: int = 0) -> None:
    """count copies of the real sample, each with different bytes and its own date and name."""
    folder.mkdir(parents=True, exist_ok=True)
    content = SAMPLE.read_bytes()
    for index in range(start, start + count):
        day = FIRST_DAY + timedelta(days=index // 3)
        name = f"bm-{day.isoformat()}-eco-{index:05d}-subvention-pole-optitec.pdf"
        # Bytes after %%EOF are ignored by readers and make each copy a distinct document.
        (folder / name).write_bytes(content + f"% polefunds bench copy {index}\n".encode())


def row(label: str, stats: CrawlStats) -> dict[str, object]:
    """One printed and saved figure."""
    size_mb = stats.bytes_downloaded / 1e6
    rate = stats.documents_stored / stats.seconds if stats.seconds else 0.0
    print(
        f"{label:<46} {stats.seconds:8.2f} s  {stats.requests:5d} requests  "
        f"{stats.listing_pages:4d} pages  {stats.documents_stored:5d} docs  "
        f"{size_mb:7.1f} MB  {rate:6.0f} docs/s"
    )
    return {"scenario": label, **stats.as_metadata()}


def main() -> int:
    """Run the scenarios and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--per-page", type=int, default=10)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    args = parser.parse_args()

    corpus = args.out / f"crawl-mirror-{args.count}"
    data = args.out / "crawl-data"
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.rmtree(data, ignore_errors=True)
    started = time.perf_counter()
    write_corpus(corpus, args.count)
    print(f"generated {args.count} PDFs in {time.perf_counter() - started:.1f} s ({corpus})")
    print(f"python {platform.python_version()} on {platform.machine()}, mirror on 127.0.0.1")

    local = CrawlPolicy(min_interval=0.0)
    polite = CrawlPolicy()  # the defaults: one request a second per host
    figures = []
    site = load_site(corpus, per_page=args.per_page)
    with Mirror(site) as mirror:
        figures.append(
            row("first crawl (interval 0)", crawl(mirror.url, data_dir=data, policy=local))
        )
        figures.append(
            row("rerun, nothing new (interval 0)", crawl(mirror.url, data_dir=data, policy=local))
        )
        figures.append(
            row(
                "rerun, nothing new (default 1 req/s)",
                crawl(mirror.url, data_dir=data, policy=polite),
            )
        )
        mirror.server.site.etags = False
        figures.append(
            row(
                "rerun, nothing new, server without ETag (1/s)",
                crawl(mirror.url, data_dir=data, policy=polite),
            )
        )
        write_corpus(corpus, 25, start=args.count)
        mirror.server.site = load_site(corpus, per_page=args.per_page)
        figures.append(
            row(
                "rerun, 25 new deliberations (default 1 req/s)",
                crawl(mirror.url, data_dir=data, policy=polite),
            )
        )
    stored = len(list((data / "raw").glob("*.pdf")))
    print(f"raw store: {stored} files for {args.count + 25} distinct documents")
    (args.out / f"crawl_bench-{args.count}.json").write_text(json.dumps(figures, indent=2) + "\n")
    return 0 if stored == args.count + 25 else 1


if __name__ == "__main__":
    sys.exit(main())
