"""Children that die with their run (pipelines/lifetime.py), and polefunds-dbt, dbt's CLI among them."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG")

# A parent that starts a child bound to it, prints the child's PID once the child says it is
# bound (however slow the machine), then waits forever.
PARENT = """
import subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", sys.argv[1]], stdout=subprocess.PIPE, text=True)
assert child.stdout.readline().strip() == "bound"
print(child.pid, flush=True)
time.sleep(600)
"""
CHILD = (
    "from pipelines.lifetime import die_with_parent; die_with_parent(); print('bound', flush=True);"
    " import time; time.sleep(600)"
)


def test_the_child_is_killed_when_its_parent_is() -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, CHILD], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout is not None
    child = psutil.Process(int(parent.stdout.readline()))  # bound to its parent by now
    assert child.is_running() and child.status() != psutil.STATUS_ZOMBIE
    parent.kill()
    parent.wait(timeout=10)
    child.wait(timeout=10)  # raises psutil.TimeoutExpired if it outlives its parent


# A parent that names itself, starts a child and exits before the child can bind to it (the
# child waits a second first: a run killed while its dbt is still starting).
PARENT_GONE = """
import subprocess, sys
from pipelines.lifetime import parent_named
with parent_named():
    child = subprocess.Popen([sys.executable, "-c", sys.argv[1]], stdout=open(sys.argv[2], "w"))
print(child.pid, flush=True)
"""
LATE_CHILD = (
    "import time; time.sleep(1);"
    " from pipelines.lifetime import die_with_parent; die_with_parent(); print('bound', flush=True);"
    " time.sleep(600)"
)


def test_a_child_whose_parent_died_before_it_could_bind_exits(tmp_path: Path) -> None:
    said = tmp_path / "child.out"
    parent = subprocess.run(
        [sys.executable, "-c", PARENT_GONE, LATE_CHILD, str(said)],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    child = psutil.Process(int(parent.stdout))
    child.wait(timeout=30)  # raises psutil.TimeoutExpired if it lives on, an orphan
    assert said.read_text() == ""  # it never went on to its work


def test_polefunds_dbt_is_dbt() -> None:
    executable = Path(sys.executable).with_name("polefunds-dbt")
    result = subprocess.run(
        [str(executable), "--version"], capture_output=True, text=True, timeout=120, env=os.environ
    )
    assert result.returncode == 0, result.stderr
    assert "Core:" in result.stdout and "duckdb" in result.stdout


# A run that starts the checks' process (Great Expectations) and is then killed.
RUN_WITH_CHECKS = """
import time
from pipelines.quality import warm
if __name__ == "__main__":
    warm.start()
    while not warm._pool._processes:
        time.sleep(0.05)
    print(next(iter(warm._pool._processes)), flush=True)
    time.sleep(600)
"""


def test_the_checks_process_dies_with_a_killed_run() -> None:
    run = subprocess.Popen(
        [sys.executable, "-c", RUN_WITH_CHECKS], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert run.stdout is not None
    checks = psutil.Process(int(run.stdout.readline()))
    # Mid-import of Great Expectations: the process has been importing for a while, so its
    # initializer (the binding to its parent) has run, however slow the machine.
    deadline = time.monotonic() + 120
    while sum(checks.cpu_times()[:2]) < 0.5 and time.monotonic() < deadline:
        time.sleep(0.05)
    run.kill()
    run.wait(timeout=10)
    checks.wait(timeout=10)
