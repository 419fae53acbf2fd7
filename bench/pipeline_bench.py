"""The whole pipeline on N generated deliberations served by the local mirror, then reruns.

    python bench/pipeline_bench.py [--count 1000] [--seed 7] [--jobs 2]

Prints: the first full run (crawl, parse, load, checks, models, publish) and a rerun with
nothing new; wall time, CPU time, peak memory of the process tree. Politeness delays are off (--interval 0): the figures are the pipeline's own cost.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import ROOT, corpus, executable, timed

from pipelines.crawl.mirror import Mirror, load_site


def run(url: str, data: Path, jobs: int) -> dict[str, float]:
    """One `polefunds run`, measured; its summary's key lines are echoed."""
    command = [executable("polefunds"), "run", "--base-url", url, "--interval", "0"]
    summary = data.parent / f"{data.name}.summary.txt"
    result = timed([*command, "--data-dir", str(data), "--jobs", str(jobs)], summary)
    for line in summary.read_text(encoding="utf-8").splitlines():
        if line.startswith(("documents:", "loaded:", "checks:", "warehouse:", "FAILED")):
            print(f"  {line}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    args = parser.parse_args()

    pdfs = corpus(args.out, args.count, args.seed)
    site_dir = Path(tempfile.mkdtemp(prefix="polefunds-site-"))
    data = Path(tempfile.mkdtemp(prefix="polefunds-data-"))
    for pdf in pdfs:
        for path in (pdf, pdf.with_suffix(".expected.json")):
            os.link(path, site_dir / path.name)
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"corpus: {len(pdfs)} generated deliberations, --jobs {args.jobs}\n")
    rows = []
    with Mirror(load_site(site_dir)) as mirror:
        print("first run")
        rows.append(("first run (everything new)", run(mirror.url, data, args.jobs)))
        print("rerun")
        rows.append(("rerun, nothing new", run(mirror.url, data, args.jobs)))
    print(f"{'run':<32}{'wall s':>9}{'cpu s':>9}{'peak MB':>9}")
    for name, result in rows:
        print(f"{name:<32}{result['wall']:>9.1f}{result['cpu']:>9.1f}{result['peak_mb']:>9.0f}")
    shutil.rmtree(site_dir, ignore_errors=True)
    shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
