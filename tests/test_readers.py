"""Analysts read the published warehouse while a run rebuilds it: no error, no partial state,
and the run does not wait for them."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, copy_of, run_ingestion_on

pytestmark = pytest.mark.slow  # whole pipeline runs

# A reader in its own process, as an analyst's session or a BI tool would be: it keeps one
# connection open for the whole run, and opens a fresh one for every other query.
READER = textwrap.dedent(
    """
    import json, sys, time, duckdb
    path, stop, out = sys.argv[1], sys.argv[2], sys.argv[3]
    CONSISTENT = '''
        select (select coalesce(sum(amount_eur), 0) from marts.funding_by_pole_year)
             = (select coalesce(sum(amount_eur), 0) from marts.funding_by_territory_year),
               (select count(*) from marts.funding_by_pole_year)
    '''
    held = duckdb.connect(path, read_only=True)
    results = {"queries": 0, "errors": [], "inconsistent": 0, "row_counts": set()}
    import os
    while not os.path.exists(stop):
        for connection in (held, None):
            try:
                fresh = connection or duckdb.connect(path, read_only=True)
                same, rows = fresh.execute(CONSISTENT).fetchone()
                if connection is None:
                    fresh.close()
                results["queries"] += 1
                results["inconsistent"] += int(not same)
                results["row_counts"].add(rows)
            except Exception as error:
                results["errors"].append(f"{type(error).__name__}: {error}")
        time.sleep(0.05)  # a query pair every 50 ms: readers, not a load on the run
    held.close()
    results["row_counts"] = sorted(results["row_counts"])
    open(out, "w").write(json.dumps(results))
    """
)


@pytest.fixture
def published(published_sample, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A copy of the session's published sample, for a run to rebuild under its readers."""
    return copy_of(published_sample[0], tmp_path / "data")


def test_readers_during_a_full_run_never_fail_nor_see_a_partial_state(  # type: ignore[no-untyped-def]
    published,
    mirror_url: str,
    tmp_path: Path,
) -> None:
    stop = tmp_path / "stop"
    readers = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                READER,
                str(published.warehouse),
                str(stop),
                str(tmp_path / f"r{i}.json"),
            ],
            cwd=ROOT,
        )
        for i in range(3)
    ]
    time.sleep(1.0)  # every reader has its connection open before the run starts
    before = published.warehouse.stat().st_ino
    outcome = run_ingestion_on(published.root, mirror_url, rebuild=True)
    stop.touch()
    for reader in readers:
        reader.wait(timeout=60)
    results = [json.loads((tmp_path / f"r{i}.json").read_text()) for i in range(3)]

    assert outcome.success, outcome.text()
    assert published.warehouse.stat().st_ino != before  # a new file was published under them
    for result in results:
        assert result["errors"] == []
        assert result["inconsistent"] == 0
        assert result["queries"] > 10
        assert len(result["row_counts"]) == 1  # the same marts before and after: never a half
