"""Shared by the benchmarks: a generated corpus (cached) and the cost of one command."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipelines.synthetic.corpus import generate_corpus  # noqa: E402

_WRAPPER = """
import json, resource, subprocess, sys, time
out, command = sys.argv[1], sys.argv[2:]
started = time.perf_counter()
with open(out, "w") as sink:
    subprocess.run(command, stdout=sink, check=True)
wall = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024}))
"""


def corpus(out: Path, count: int, seed: int) -> list[Path]:
    """The generated corpus, reused when an earlier run already wrote it."""
    folder = out / f"corpus-{count}-{seed}"
    pdfs = sorted(folder.glob("*.pdf"))
    if len(pdfs) != count:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        started = time.perf_counter()
        generate_corpus(folder, count=count, seed=seed)
        print(f"generated {count} deliberations in {time.perf_counter() - started:.1f} s")
        pdfs = sorted(folder.glob("*.pdf"))
    return pdfs


def timed(command: list[str], stdout_path: Path | None = None) -> dict[str, float]:
    """Wall time, CPU time and peak RSS of one command (its largest process), from a fresh wrapper."""
    result = subprocess.run(
        [sys.executable, "-c", _WRAPPER, str(stdout_path or os.devnull), *command],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def executable(name: str) -> str:
    """A console script of this environment."""
    return str(Path(sys.executable).with_name(name))
