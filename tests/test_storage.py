"""The data location as an object-store URL: pulls, pushes, and whole runs on S3.

The S3 endpoint is moto's server in its own process on 127.0.0.1 (a real S3 API over HTTP,
as the local mirror stands in for the portal), started and stopped by PID.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from pipelines import settings
from pipelines.crawl.mirror import Mirror
from pipelines.storage import Storage, is_url, working_copy
from tests.conftest import ROOT, SAMPLES, free_port, wait_until_serving

BUCKET = "polefunds-test"


# The Storage class on a file:// location (a shared folder seen as a store).


def _store(tmp_path: Path, name: str = "work") -> Storage:
    return Storage(f"file://{tmp_path / 'store'}", tmp_path / name)


def test_a_folder_is_not_a_url_and_a_url_gets_a_working_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert not is_url("/srv/polefunds") and not is_url("data")
    assert is_url("s3://bucket/polefunds") and is_url("file:///mnt/share")
    monkeypatch.delenv("POLEFUNDS_WORK_DIR", raising=False)
    assert working_copy("s3://a/b") != working_copy("s3://a/c")
    monkeypatch.setenv("POLEFUNDS_WORK_DIR", str(tmp_path))
    layout = settings.layout("s3://bucket/polefunds")
    assert (layout.root, layout.location) == (tmp_path, "s3://bucket/polefunds")
    local = settings.layout(tmp_path / "data")
    assert (local.root, local.location) == (tmp_path / "data", None)
    assert local.storage.push("crawl.sqlite") == [] and not local.storage.remote


def test_push_sends_changed_files_only_and_pull_brings_newer_ones(tmp_path: Path) -> None:
    one, other = _store(tmp_path, "one"), _store(tmp_path, "other")
    (one.local / "parsed").mkdir(parents=True)
    partition = one.local / "parsed" / "session_year=2019.jsonl"
    partition.write_text('{"a": 1}\n')
    assert one.push("parsed/session_year=2019.jsonl") == ["parsed/session_year=2019.jsonl"]
    assert one.push("parsed/session_year=2019.jsonl") == []  # unchanged: not sent again
    assert other.pull("parsed/session_year=2019.jsonl", "absent.txt") == [
        "parsed/session_year=2019.jsonl"
    ]
    assert other.pull("parsed/session_year=2019.jsonl") == []  # the store did not move
    time.sleep(0.01)
    partition.write_text('{"a": 2}\n')
    assert one.push_folder("parsed") == ["parsed/session_year=2019.jsonl"]
    assert other.pull_folder("parsed", "session_year=*.jsonl") == ["parsed/session_year=2019.jsonl"]
    assert (other.local / "parsed" / "session_year=2019.jsonl").read_text() == '{"a": 2}\n'


def test_a_working_copy_ahead_of_an_unchanged_store_is_not_overwritten(tmp_path: Path) -> None:
    """A run killed before its push keeps its local work; the next run pushes it."""
    storage = _store(tmp_path)
    storage.local.mkdir()
    (storage.local / "warehouse.inputs").write_text("old\n")
    storage.push("warehouse.inputs")
    (storage.local / "warehouse.inputs").write_text("new, not pushed\n")
    assert storage.pull("warehouse.inputs") == []
    assert (storage.local / "warehouse.inputs").read_text() == "new, not pushed\n"
    assert storage.push("warehouse.inputs") == ["warehouse.inputs"]


def test_immutable_files_move_once_and_a_sqlite_file_as_a_consistent_snapshot(
    tmp_path: Path,
) -> None:
    one, other = _store(tmp_path, "one"), _store(tmp_path, "other")
    (one.local / "raw").mkdir(parents=True)
    for name in ("a", "b"):
        (one.local / "raw" / f"{name}.pdf").write_bytes(b"%PDF " + name.encode())
    assert one.push_missing("raw", "*.pdf") == ["raw/a.pdf", "raw/b.pdf"]
    assert one.push_missing("raw", "*.pdf") == []
    assert other.pull_missing(["raw/b.pdf", "raw/missing.pdf"]) == ["raw/b.pdf"]
    assert other.pull_missing(["raw/b.pdf"]) == []

    catalogue = one.local / "crawl.sqlite"
    db = sqlite3.connect(catalogue)  # WAL mode, open: the rows are still in the -wal file
    db.execute("pragma journal_mode=wal")
    db.execute("create table t (x)")
    db.execute("insert into t values (42)")
    db.commit()
    db.execute("insert into t values (43)")  # not committed: not in the snapshot
    assert (one.local / "crawl.sqlite-wal").stat().st_size > 0
    assert one.push_sqlite("crawl.sqlite")
    db.close()
    assert other.pull("crawl.sqlite") == ["crawl.sqlite"]
    with sqlite3.connect(other.local / "crawl.sqlite") as db:
        assert db.execute("select x from t").fetchall() == [(42,)]


# Whole runs against S3 (moto's server on 127.0.0.1).


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(url + "/moto-api/")
        yield url
    finally:
        os.kill(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def s3_environment(s3_endpoint: str) -> dict[str, str]:
    environment = {
        **os.environ,
        "AWS_ENDPOINT_URL": s3_endpoint,
        "AWS_ACCESS_KEY_ID": "polefunds-test",
        "AWS_SECRET_ACCESS_KEY": "polefunds-test",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    environment.pop("POLEFUNDS_DATA_DIR", None)
    import s3fs

    s3 = s3fs.S3FileSystem(
        key="polefunds-test", secret="polefunds-test", client_kwargs={"endpoint_url": s3_endpoint}
    )
    s3.mkdir(BUCKET)
    return environment


def _run(environment: dict[str, str], work: Path, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", *arguments],
        cwd=ROOT,
        env={**environment, "POLEFUNDS_WORK_DIR": str(work)},
        capture_output=True,
        text=True,
        timeout=600,
    )


def _bucket(s3_environment: dict[str, str]) -> dict[str, bytes]:
    import s3fs

    s3 = s3fs.S3FileSystem(
        key="polefunds-test",
        secret="polefunds-test",
        client_kwargs={"endpoint_url": s3_environment["AWS_ENDPOINT_URL"]},
    )
    s3.invalidate_cache()
    return {path.split("/", 2)[2]: s3.cat_file(path) for path in s3.find(f"{BUCKET}/data")}


@pytest.mark.slow
def test_a_run_on_s3_leaves_everything_in_the_bucket_and_another_machine_carries_on(
    s3_environment: dict[str, str], sample_mirror: Mirror, tmp_path: Path
) -> None:
    """One machine runs the job on a bucket; the bucket then loses a partition; another machine,
    its working copy empty, parses that year again from the PDFs in the bucket (none fetched
    from the portal), finds the same warehouse, and an analyst reads the marts from the URL."""
    import s3fs

    location = f"s3://{BUCKET}/data"
    arguments = ("--data-dir", location, "--base-url", sample_mirror.url, "--interval", "0")
    first = _run(s3_environment, tmp_path / "machine-1", "run", *arguments)
    assert first.returncode == 0, first.stdout + first.stderr[-3000:]
    stored = _bucket(s3_environment)
    pdfs = sorted(name for name in stored if name.startswith("raw/"))
    assert len(pdfs) == len(list(SAMPLES.glob("*.pdf"))) == 13
    assert {"crawl.sqlite", "warehouse.duckdb", "warehouse.inputs", "report.html"} <= set(stored)
    assert any(name.startswith("parsed/session_year=2019") for name in stored)
    assert any(name.startswith("exports/scdl/") for name in stored)
    local = tmp_path / "machine-1"
    assert stored["warehouse.duckdb"] == (local / "warehouse.duckdb").read_bytes()

    s3 = s3fs.S3FileSystem(
        key="polefunds-test",
        secret="polefunds-test",
        client_kwargs={"endpoint_url": s3_environment["AWS_ENDPOINT_URL"]},
    )
    lost = max(s3.glob(f"{BUCKET}/data/parsed/session_year=*.jsonl"))  # the latest year
    count = len(s3.cat_file(lost).decode().splitlines())
    s3.rm(lost)

    # Another machine, an empty working copy.
    seen = len(sample_mirror.server.paths_seen())
    second = _run(s3_environment, tmp_path / "machine-2", "run", *arguments)
    assert second.returncode == 0, second.stdout + second.stderr[-3000:]
    year = lost.rsplit("=", 1)[1].split(".")[0]
    assert "documents: 0 new" in second.stdout
    assert f"parsed {year}: {count} parsed, 0 known" in second.stdout
    assert "warehouse: up to date" in second.stdout  # the same records: the same warehouse
    fetched = [p for p in sample_mirror.server.paths_seen()[seen:] if p.startswith("/documents/")]
    assert fetched == []
    assert len(list((tmp_path / "machine-2" / "raw").glob("*.pdf"))) == count  # only that year's
    s3.invalidate_cache()
    assert s3.exists(lost)

    # An analyst's machine reads the marts straight from the location.
    query = _run(
        s3_environment,
        tmp_path / "analyst",
        "sql", "--data-dir", location, "--format", "csv",
        "select sum(amount_eur)::bigint as total from marts.funding_by_pole_year",
    )  # fmt: skip
    assert query.returncode == 0, query.stderr
    with duckdb.connect(str(local / "warehouse.duckdb"), read_only=True) as connection:
        (total,) = connection.execute(
            "select sum(amount_eur)::bigint from marts.funding_by_pole_year"
        ).fetchone()
    assert query.stdout.split() == ["total", str(total)]
    assert total > 0
