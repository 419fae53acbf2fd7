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

import pypdfium2 as pdfium  # noqa: E402

from tests.synthetic.corpus import generate_corpus  # noqa: E402

_WRAPPER = """
import json, resource, subprocess, sys, time
import psutil
out, command = sys.argv[1], sys.argv[2:]
started = time.perf_counter()
peak_rss, cpu_by_pid = 0, {}
with open(out, "w") as sink:
    child = psutil.Popen(command, stdout=sink)
    while child.poll() is None:
        try:
            tree = [child, *child.children(recursive=True)]
        except psutil.Error:
            tree = [child]
        rss = 0
        for process in tree:
            try:
                rss += process.memory_info().rss
                times = process.cpu_times()
                cpu_by_pid[process.pid] = times.user + times.system
            except psutil.Error:
                pass
        peak_rss = max(peak_rss, rss)
        time.sleep(0.02)
wall = time.perf_counter() - started
if child.returncode:
    sys.exit(child.returncode)
# Short-lived children escape the sampler; those waited for are in RUSAGE_CHILDREN.
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = max(sum(cpu_by_pid.values()), usage.ru_utime + usage.ru_stime)
print(json.dumps({"wall": wall, "cpu": cpu, "peak_mb": peak_rss / 2**20}))
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
    """Wall time, CPU time and peak memory (RSS of its whole process tree, sampled every 20 ms)."""
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


def pages_of(pdfs: list[Path]) -> int:
    """The pages of these PDFs (PDFium)."""
    total = 0
    for path in pdfs:
        document = pdfium.PdfDocument(str(path))
        total += len(document)
        document.close()
    return total
