"""Faults survived: `polefunds run` killed with SIGKILL in each stage, then rerun.

The session's sample mirror runs in this process, so its access log tells how many times each
document was downloaded; the reference is the session's published sample; the runs to kill run
in their own process group (`polefunds run` in a subprocess), stopped by PID.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from pipelines import settings
from pipelines.crawl.mirror import Mirror
from pipelines.settings import DataLayout
from tests.conftest import ROOT, copy_of, run_ingestion_on
from tests.test_pipeline import snapshot

pytestmark = pytest.mark.slow  # whole pipeline runs


@pytest.fixture
def mirror(sample_mirror: Mirror) -> Mirror:
    return sample_mirror


@pytest.fixture
def clean(published_sample) -> DataLayout:  # type: ignore[no-untyped-def]
    """One uninterrupted run of the whole pipeline on the same mirror: the reference."""
    return published_sample[0]


def document_requests(mirror: Mirror, since: int = 0) -> Counter[str]:
    """How many times each document was requested, from the mirror's log entry `since` on."""
    return Counter(p for p in mirror.server.paths_seen()[since:] if p.startswith("/documents/"))


def group_members(group: int) -> list[int]:
    """The live processes of a process group (a killed run's orphans keep its group)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            members.append(int(entry.name))
    return members


def command_line(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


class KilledRun:
    """`polefunds run` in its own process group, killed with SIGKILL when `ready()` holds."""

    @staticmethod
    def command(mirror: Mirror, layout: DataLayout, interval: float) -> list[str]:
        return [
            sys.executable, "-m", "pipelines.cli", "run", "--base-url", mirror.url,
            "--interval", str(interval), "--data-dir", str(layout.root),
        ]  # fmt: skip

    def __init__(self, mirror: Mirror, layout: DataLayout, interval: float) -> None:
        self.process = subprocess.Popen(
            self.command(mirror, layout, interval),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.group = self.process.pid

    def kill_when(self, ready: Callable[[], bool], what: str, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while not ready():
            assert self.process.poll() is None, f"the run ended before {what}"
            assert time.monotonic() < deadline, f"no {what} after {timeout} s"
            time.sleep(0.02)
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


def reap(groups: list[int], timeout: float = 90) -> list[str]:
    """Wait for the killed runs' orphans to end by themselves; kill and name any still alive."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(group_members(g) for g in groups):
        time.sleep(0.2)
    left = [f"{pid} {command_line(pid)}" for g in groups for pid in group_members(g)]
    for g in groups:
        for pid in group_members(g):
            os.kill(pid, signal.SIGKILL)
    return left


def files(folder: Path) -> set[str]:
    return {path.name for path in folder.glob("*.pdf")} if folder.exists() else set()


def manifest_ok(layout: DataLayout) -> int:
    if not layout.catalogue.exists():
        return 0
    with sqlite3.connect(f"file:{layout.catalogue}?mode=ro", uri=True) as db:
        return int(db.execute("select count(*) from manifest where state = 'ok'").fetchone()[0])


def test_killed_in_the_crawl_the_parse_and_dbt_then_rerun_builds_what_the_scheduled_job_built(
    mirror: Mirror, clean: DataLayout, tmp_path: Path
) -> None:
    """Three runs of `polefunds run`, each SIGKILLed in a later stage, then one to the end: the
    same marts and facts as the ingestion job (the schedule's) published for the session's
    sample, and no document downloaded twice (but the one in flight at the kill). The command a
    user types and the job the schedule runs are one code path."""
    expected_files = files(clean.raw)
    layout = settings.layout(tmp_path / "data")
    log_start = len(mirror.server.paths_seen())
    groups: list[int] = []
    try:
        # (a) In the crawl: a few documents stored, not all (0.3 s between requests).
        run = KilledRun(mirror, layout, interval=0.3)
        groups.append(run.group)
        run.kill_when(lambda: len(files(layout.raw)) >= 4, "documents stored")
        held = files(layout.raw)
        assert 4 <= len(held) < len(expected_files)
        assert held <= expected_files
        assert not layout.parsed.exists() and not layout.warehouse.exists()

        # (b) The next run, in the parse: once the first year's records are written.
        run = KilledRun(mirror, layout, interval=0)
        groups.append(run.group)
        run.kill_when(lambda: any(layout.parsed.glob("session_year=*.jsonl")), "parsed year")
        assert files(layout.raw) == expected_files
        crawled = document_requests(mirror, log_start)
        assert not layout.warehouse.exists()

        # (c) The next one, in dbt: once `dbt build` runs on the work file.
        run = KilledRun(mirror, layout, interval=0)
        groups.append(run.group)
        run.kill_when(
            lambda: any("dbt" in command_line(pid) for pid in group_members(run.group)),
            "dbt build",
        )
        assert layout.work_warehouse.exists()
        assert not layout.warehouse.exists()

        # Then the command to the end (it waits for the killed run's dbt to let go of the work
        # file): its progress and summary on the terminal, Dagster's chatter in its log file.
        rerun = subprocess.run(
            KilledRun.command(mirror, layout, interval=0),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert rerun.returncode == 0, rerun.stdout + rerun.stderr[-3000:]
        assert "… crawl" in rerun.stdout and "top pôles of" in rerun.stdout
        assert "Logging an AssetObservation" not in rerun.stdout + rerun.stderr
        # Nor in the run's log: every dbt test is a check of a dbt asset (none on the sources).
        log = next(
            line.removeprefix("log: ")
            for line in rerun.stdout.splitlines()
            if line.startswith("log: ")
        )
        assert "instead of an `AssetCheckResult`" not in Path(log).read_text(encoding="utf-8")
    finally:
        left = reap(groups)
    assert not left, f"processes of killed runs still alive: {left}"

    assert snapshot(layout.warehouse) == snapshot(clean.warehouse)
    assert layout.warehouse.stat().st_size > 0
    assert files(layout.raw) == expected_files
    assert not list(layout.raw.glob(".incoming-*"))
    # Nothing downloaded twice: the runs after (b) fetched no document, and across all runs
    # each document was requested once, but at most the one in flight when (a) was killed.
    requests = document_requests(mirror, log_start)
    assert requests == crawled
    twice = [path for path, count in requests.items() if count > 1]
    assert len(twice) <= 1 and all(requests[path] == 2 for path in twice)
    assert sum(requests.values()) == manifest_ok(clean) + len(twice)
    assert len(requests) == manifest_ok(clean)
    with sqlite3.connect(f"file:{layout.catalogue}?mode=ro", uri=True) as db:
        attempts = db.execute(
            "select state, attempts, count(*) from manifest where state != 'new' group by 1, 2"
        ).fetchall()
    assert attempts == [("ok", 1, manifest_ok(clean))]


def test_a_raw_file_damaged_on_disk_is_fetched_again_and_the_warehouse_unchanged(
    mirror: Mirror, clean: DataLayout, tmp_path: Path
) -> None:
    import hashlib

    layout = copy_of(clean, tmp_path / "data")
    published = layout.warehouse.read_bytes()
    victim = sorted(layout.raw.glob("*.pdf"))[len(expected := files(clean.raw)) // 2]
    good = victim.read_bytes()
    victim.chmod(0o644)
    with victim.open("r+b") as handle:  # flip bytes in the middle: same size, other content
        handle.seek(len(good) // 2)
        handle.write(bytes(b ^ 0xFF for b in good[len(good) // 2 : len(good) // 2 + 16]))
    assert hashlib.sha256(victim.read_bytes()).hexdigest() != victim.stem

    start = len(mirror.server.paths_seen())
    outcome = run_ingestion_on(layout.root, mirror.url)
    assert outcome.success, outcome.text()
    assert outcome.crawl["documents_damaged"] == 1
    assert outcome.crawl["documents_stored"] == 1
    assert sum(document_requests(mirror, start).values()) == 1
    assert victim.read_bytes() == good and files(layout.raw) == expected
    # The same bytes again: same records, same inputs, nothing to rebuild.
    assert outcome.up_to_date
    assert layout.warehouse.read_bytes() == published


def test_a_full_disk_fails_the_run_clearly_and_keeps_the_published_warehouse(
    mirror: Mirror, clean: DataLayout, tmp_path: Path
) -> None:
    """The data folder on a small tmpfs, filled up: the rebuild fails, nothing published."""
    import shutil

    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs to fill needs root")
    disk = tmp_path / "disk"
    disk.mkdir()
    size_mb = sum(p.stat().st_size for p in clean.root.rglob("*") if p.is_file()) // 2**20 + 4
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_mb}m", "tmpfs", str(disk)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        layout = copy_of(clean, disk / "data")
        published = layout.warehouse.read_bytes()
        stamp = layout.stamp.read_bytes()
        free = shutil.disk_usage(disk).free
        with (disk / "filler").open("wb") as filler:  # leave 128 KB: the logs, not the load
            filler.write(b"\0" * (free - 128 * 1024))
        command = [
            sys.executable, "-m", "pipelines.cli", "run", "--base-url", mirror.url,
            "--interval", "0", "--data-dir", str(layout.root), "--rebuild",
        ]  # fmt: skip
        result = subprocess.run(
            command,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 1, result.stdout + result.stderr[-3000:]
        assert "FAILED" in result.stdout and "Traceback" not in result.stdout
        # The summary's one line names the root cause, not only Dagster's wrapper.
        failed = next(line for line in result.stdout.splitlines() if line.startswith("FAILED"))
        assert re.search(r"No space left on device|database or disk is full", failed), failed
        assert layout.warehouse.read_bytes() == published
        assert layout.stamp.read_bytes() == stamp
    finally:
        subprocess.run(["umount", str(disk)], check=False)
