"""The whole pipeline on N generated deliberations served by the local mirror, then reruns.

    python bench/pipeline_bench.py [--count 1000] [--seed 7] [--jobs 2] [--new 20]

Prints: the first full run (crawl, parse, load, checks, models, publish, exports, report),
a rerun with nothing new, a rerun after --new deliberations dated after all the others appear
at the top of the listing; for each, wall time, CPU time, peak memory of the process tree and
the time of each stage (from the run's own summary). Then the median time of the first ten
queries of docs/analysts.md on the published warehouse. Politeness delays are off
(--interval 0): the figures are the pipeline's own cost. Saves out/pipeline_bench.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import ROOT, corpus, executable, pages_of, timed

from pipelines.crawl.mirror import Mirror, load_site
from tests.synthetic.corpus import generate_corpus

ANALYSTS_GUIDE = ROOT / "docs" / "analysts.md"
STAGES = re.compile(r"(\w+) ([0-9.]+) s")


def run(url: str, data: Path, jobs: int) -> dict[str, object]:
    """One `polefunds run`, measured; its summary's key lines are echoed, its stages kept."""
    command = [executable("polefunds"), "run", "--base-url", url, "--interval", "0"]
    summary = data.parent / f"{data.name}.summary.txt"
    result: dict[str, object] = dict(
        timed([*command, "--data-dir", str(data), "--jobs", str(jobs)], summary)
    )
    for line in summary.read_text(encoding="utf-8").splitlines():
        if line.startswith(("documents:", "loaded:", "checks:", "warehouse:", "stages:", "FAILED")):
            print(f"  {line}")
        if line.startswith("stages:"):
            result["stages"] = {name: float(secs) for name, secs in STAGES.findall(line)}
    summary.unlink()
    return result


def add_new_deliberations(site_dir: Path, count: int, seed: int) -> int:
    """count generated deliberations whose cards are dated after every card of the site.

    The mirror dates a card by its `<stem>.expected.json` session_date: the new ones get the
    days after the latest one, so they come first in the listing, as a day's new acts do.
    Returns their pages.
    """
    latest = max(
        date.fromisoformat(json.loads(path.read_text(encoding="utf-8"))["session_date"])
        for path in site_dir.glob("*.expected.json")
    )
    fresh = Path(tempfile.mkdtemp(prefix="polefunds-new-"))
    pdfs = generate_corpus(fresh, count=count, seed=seed, workers=1)
    for index, pdf in enumerate(sorted(pdfs)):
        expected = pdf.with_suffix(".expected.json")
        record = json.loads(expected.read_text(encoding="utf-8"))
        record["session_date"] = (latest + timedelta(days=1 + index // 5)).isoformat()
        stem = f"new-{index:03d}-{pdf.stem}"
        shutil.copyfile(pdf, site_dir / f"{stem}.pdf")
        (site_dir / f"{stem}.expected.json").write_text(json.dumps(record), encoding="utf-8")
    pages = pages_of(sorted(site_dir.glob("new-*.pdf")))
    shutil.rmtree(fresh, ignore_errors=True)
    return pages


def analysts_queries(count: int = 10) -> list[tuple[str, str]]:
    """The first `count` numbered queries of docs/analysts.md: (title, SQL)."""
    text = ANALYSTS_GUIDE.read_text(encoding="utf-8")
    block = text.split("```sql", 1)[1].split("```", 1)[0]
    queries = []
    for chunk in re.split(r"^-- (?=\d+\. )", block, flags=re.MULTILINE)[1:]:
        title, _, sql = chunk.partition("\n")
        statement = sql.strip().split(";")[0]
        queries.append((title.strip(), statement))
    return queries[:count]


def query_times(warehouse: Path, repeats: int = 7) -> list[dict[str, object]]:
    """Median milliseconds of each analysts' query, read-only on the published file."""
    rows = []
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        for title, sql in analysts_queries():
            samples = []
            for _ in range(repeats):
                started = time.perf_counter()
                result = connection.execute(sql).fetchall()
                samples.append((time.perf_counter() - started) * 1000)
            rows.append(
                {"query": title, "median_ms": statistics.median(samples), "rows": len(result)}
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--new", type=int, default=20, help="deliberations of the daily rerun")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    args = parser.parse_args()

    pdfs = corpus(args.out, args.count, args.seed)
    pages = pages_of(pdfs)
    site_dir = Path(tempfile.mkdtemp(prefix="polefunds-site-"))
    data = Path(tempfile.mkdtemp(prefix="polefunds-data-"))
    for pdf in pdfs:
        for path in (pdf, pdf.with_suffix(".expected.json")):
            os.link(path, site_dir / path.name)
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"corpus: {len(pdfs)} generated deliberations, {pages} pages, --jobs {args.jobs}\n")
    rows: list[tuple[str, dict[str, object]]] = []
    with Mirror(load_site(site_dir)) as mirror:
        print("first run")
        first = run(mirror.url, data, args.jobs)
        first["pages"] = pages
        rows.append(("first run (everything new)", first))
        print("rerun")
        rows.append(("rerun, nothing new", run(mirror.url, data, args.jobs)))
        new_pages = add_new_deliberations(site_dir, args.new, seed=args.seed + 1000)
        mirror.server.site = load_site(site_dir)
        print(f"rerun after {args.new} new deliberations")
        daily = run(mirror.url, data, args.jobs)
        daily["pages"] = new_pages
        rows.append((f"rerun, {args.new} new deliberations", daily))
    queries = query_times(data / "warehouse.duckdb")

    print(f"\n{'run':<32}{'wall s':>9}{'cpu s':>9}{'peak MB':>9}  stages (s)")
    for name, result in rows:
        stages = result.get("stages", {})
        assert isinstance(stages, dict)
        print(
            f"{name:<32}{result['wall']:>9.1f}{result['cpu']:>9.1f}{result['peak_mb']:>9.0f}  "
            + ", ".join(f"{stage} {secs:.1f}" for stage, secs in stages.items())
        )
    print(f"\n{'analysts query (docs/analysts.md)':<64}{'median ms':>10}{'rows':>7}")
    for query in queries:
        print(f"{query['query'][:63]:<64}{query['median_ms']:>10.1f}{query['rows']:>7}")
    figures = {
        "count": args.count,
        "pages": pages,
        "jobs": args.jobs,
        "runs": [{"run": name, **result} for name, result in rows],
        "queries": queries,
    }
    (args.out / f"pipeline_bench-{args.count}.json").write_text(
        json.dumps(figures, indent=2) + "\n"
    )
    shutil.rmtree(site_dir, ignore_errors=True)
    shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
