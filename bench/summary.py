"""One table of the three benchmarks' figures for N documents (what `make bench` prints).

    python bench/summary.py [--count 1000] [--out bench/out]

Reads out/parse_bench-N.json, out/crawl_bench-N.json and out/pipeline_bench-N.json (written
by bench/parse_bench.py, bench/crawl_bench.py and bench/pipeline_bench.py) and prints each
figure beside the target of issue 6 where there is one.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    args = parser.parse_args()
    parse = _load(args.out / f"parse_bench-{args.count}.json")
    crawl = _load(args.out / f"crawl_bench-{args.count}.json")
    pipeline = _load(args.out / f"pipeline_bench-{args.count}.json")

    lines: list[tuple[str, str, str]] = []
    if pipeline:
        first, idle, daily = pipeline["runs"]
        stages = first.get("stages", {})
        for stage in ("crawl", "parse", "load", "checks", "models"):
            lines.append((f"first run: {stage}", f"{stages.get(stage, 0):.1f} s", ""))
        rest = sum(stages.get(s, 0) for s in ("publish", "exports", "report"))
        lines.append(("first run: publish, exports, report", f"{rest:.1f} s", ""))
        other = first["wall"] - sum(stages.values())
        lines.append(("first run: start-up and between stages", f"{other:.1f} s", ""))
        lines.append(("first run: total wall", f"{first['wall']:.1f} s", "20,000 docs < 600 s"))
        lines.append(("first run: CPU (process tree)", f"{first['cpu']:.1f} s", ""))
        lines.append(("first run: peak memory (tree)", f"{first['peak_mb']:.0f} MB", "< 2,048 MB"))
        lines.append(("first run: pages/s end to end", f"{first['pages'] / first['wall']:.0f}", ""))
        lines.append(("rerun, nothing new", f"{idle['wall']:.1f} s", ""))
        lines.append((daily["run"], f"{daily['wall']:.1f} s", "< 30 s excluding politeness"))
        slowest = max(pipeline["queries"], key=lambda q: q["median_ms"])
        lines.append(
            (
                f"analysts' queries ({len(pipeline['queries'])}), slowest median",
                f"{slowest['median_ms']:.1f} ms",
                "< 50 ms each",
            )
        )
    if parse:
        runs = {run["run"]: run for run in parse["runs"]}
        yardstick = runs.get("pdftotext (1 process)")
        for name, run in runs.items():
            ratio = f", {run['wall'] / yardstick['wall']:.2f}× pdftotext" if yardstick else ""
            target = "< 3× pdftotext" if name.endswith("--jobs 1") else ""
            rate = parse["pages"] / run["wall"]
            lines.append((name, f"{run['wall']:.1f} s, {rate:.0f} pages/s{ratio}", target))
    if crawl:
        for scenario in crawl:
            lines.append(
                (
                    f"crawl: {scenario['scenario']}",
                    f"{scenario['seconds']:.2f} s, {scenario['requests']} requests",
                    "",
                )
            )

    print(
        f"\nN = {args.count}; {platform.platform()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    width = max(len(name) for name, _, _ in lines) + 2 if lines else 40
    print(f"{'figure':<{width}}{'measured':<44}target")
    for name, value, target in lines:
        print(f"{name:<{width}}{value:<44}{target}")


if __name__ == "__main__":
    main()
