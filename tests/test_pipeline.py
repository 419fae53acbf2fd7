"""The whole pipeline on the bundled sample, served by a local mirror started by PID.

Real crawl over HTTP, real PDFs, real Dagster runs, a real DuckDB file, real GX and dbt. The
session's published sample (tests/conftest.py) is the ingestion job run once; the tests that
change a data folder work on a copy of it.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT, SAMPLES, copy_of, run_ingestion_on


@pytest.fixture
def clean_run(published_sample):  # type: ignore[no-untyped-def]
    return published_sample


def expected_totals() -> dict[tuple[str, int], Decimal]:
    """Pôle funding by (pôle, year) computed from the sample's expected records, by hand."""
    records = [
        json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(SAMPLES.glob("*.expected.json"))
    ]
    adopted = [r for r in records if r["status"] == "ok" and r["outcome"] == "adopted"]
    replaced = {
        (r["amends"], g["pole_id"] or g["beneficiary"].lower())
        for r in adopted
        if r["amends"]
        for g in r["grants"]
    }
    totals: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for record in adopted:
        for grant in record["grants"]:
            key = grant["pole_id"] or grant["beneficiary"].lower()
            if grant["pole_id"] and (record["deliberation_code"], key) not in replaced:
                totals[(grant["pole_id"], grant["funding_year"])] += Decimal(
                    str(grant["amount_eur"])
                )
    return dict(totals)


def snapshot(path: Path) -> dict[str, list[tuple]]:
    """Every mart and fact table, rows sorted (volatile crawl timestamps left out)."""
    tables = {
        "main.deliberations": "*",
        "main.grants": "*",
        "main.grant_allocations": "*",
        "main.quarantine": "*",
        "marts.funding_by_pole_year": "*",
        "marts.funding_by_territory_year": "*",
        "marts.funding_by_pole_territory_year": "*",
        "marts.funding_by_pole_lineage_year": "*",
        "marts.counted_grants": "* exclude (source_url)",
    }
    with duckdb.connect(str(path), read_only=True) as connection:
        return {
            name: sorted(connection.execute(f"select {columns} from {name}").fetchall(), key=repr)
            for name, columns in tables.items()
        }


@pytest.mark.slow
def test_marts_equal_the_documents_totals_to_the_euro(clean_run) -> None:  # type: ignore[no-untyped-def]
    layout, outcome = clean_run
    with duckdb.connect(str(layout.warehouse), read_only=True) as connection:
        rows = connection.execute(
            "select pole_id, funding_year, sum(amount_eur) from marts.funding_by_pole_year group by all"
        ).fetchall()
        territory_total = connection.execute(
            "select sum(amount_eur) from marts.funding_by_territory_year"
        ).fetchone()[0]
    got = {(pole, year): amount for pole, year, amount in rows}
    expected = expected_totals()
    assert got == expected
    assert territory_total == sum(expected.values())
    assert outcome.tables["deliberations"] == 13
    assert outcome.checks_passed > 50 and not outcome.checks_failed


def test_the_real_sample_reaches_the_marts(clean_run) -> None:  # type: ignore[no-untyped-def]
    layout, _ = clean_run
    with duckdb.connect(str(layout.warehouse), read_only=True) as connection:
        split = connection.execute(
            """
            select territory_id, amount_eur from marts.funding_by_pole_territory_year
            where pole_id = 'optitec' and funding_year = 2019 order by territory_id
            """
        ).fetchall()
        comment = connection.execute(
            "select comment from duckdb_columns() where schema_name = 'marts' "
            "and table_name = 'funding_by_pole_year' and column_name = 'amount_eur'"
        ).fetchone()[0]
    assert split == [
        ("marseille-provence", Decimal("45000.00")),
        ("pays-d-aix", Decimal("15000.00")),
    ]
    assert comment


@pytest.mark.slow
def test_a_rerun_with_nothing_new_changes_nothing_and_skips_the_build(  # type: ignore[no-untyped-def]
    clean_run, mirror_url: str, tmp_path: Path
) -> None:
    layout = copy_of(clean_run[0], tmp_path / "data")
    before = snapshot(layout.warehouse)
    published = layout.warehouse.stat().st_mtime_ns
    outcome = run_ingestion_on(layout.root, mirror_url)
    assert outcome.success, outcome.text()
    assert outcome.crawl.get("documents_stored", 0) == 0
    assert outcome.parsed == {}
    assert outcome.up_to_date and not outcome.tables
    assert set(outcome.timings) == {"crawl", "parse", "load"}  # the rest skipped by the job
    assert layout.warehouse.stat().st_mtime_ns == published
    assert snapshot(layout.warehouse) == before


@pytest.mark.slow
def test_a_failed_check_keeps_the_published_warehouse(  # type: ignore[no-untyped-def]
    clean_run, mirror_url: str, tmp_path: Path
) -> None:
    """A record with a kind no grant has (a parser bug) fails a GX suite: nothing is published."""
    layout = copy_of(clean_run[0], tmp_path / "data")
    published = layout.warehouse.read_bytes()
    partition = layout.partition(2019)
    lines = [json.loads(line) for line in partition.read_text(encoding="utf-8").splitlines()]
    target = next(
        line for line in lines if line["record"]["deliberation_code"] == "ECO 024-5567/19/BM"
    )
    target["record"]["grants"][0]["kind"] = "donation"
    partition.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")

    outcome = run_ingestion_on(layout.root, mirror_url)
    assert not outcome.success
    assert outcome.checks_failed == ["polefunds/grants:gx_grants"], outcome.text()
    assert "models" not in outcome.timings and "publish" not in outcome.timings
    assert layout.warehouse.read_bytes() == published
    log = Path(str(outcome.log_path)).read_text(encoding="utf-8")
    assert "ECO 024-5567/19/BM#1" in log


def test_definitions_load_and_schedule_runs_daily_at_six_in_paris() -> None:
    import datetime as dt
    from zoneinfo import ZoneInfo

    import dagster as dg

    from pipelines.definitions import defs as load_definitions
    from pipelines.defs.schedules import daily_ingestion

    defs = load_definitions()
    job = defs.resolve_job_def("ingestion")
    assert {key.to_user_string() for key in job.asset_layer.executable_asset_keys} >= {
        "crawl/raw_documents",
        "parse/parsed_records",
        "polefunds/grants",
        "publish/warehouse",
        "report/html",
    }
    assert daily_ingestion.cron_schedule == "0 6 * * *"
    assert daily_ingestion.execution_timezone == "Europe/Paris"
    paris = ZoneInfo("Europe/Paris")
    context = dg.build_schedule_context(
        scheduled_execution_time=dt.datetime(2026, 3, 2, 6, tzinfo=paris),
        repository_def=defs.get_repository_def(),
    )
    [request] = daily_ingestion.evaluate_tick(context).run_requests
    assert request.partition_key is None  # every session year with new acts, in one run


def test_importing_the_definitions_runs_no_dbt() -> None:
    """Importing the code location imports neither dbt nor dagster-dbt, and building it runs no
    dbt command (its manifest is made at install); how long each takes is measured by
    `make bench` (bench/import_time.py), not here."""
    code = (
        "import subprocess, sys\n"
        "calls = []\n"
        "real = subprocess.Popen.__init__\n"
        "def spy(self, *a, **k):\n"
        "    calls.append(a[0] if a else k.get('args'))\n"
        "    real(self, *a, **k)\n"
        "subprocess.Popen.__init__ = spy\n"
        "import pipelines.definitions\n"
        "assert 'dagster_dbt' not in sys.modules and 'dbt' not in sys.modules\n"
        "pipelines.definitions.defs()\n"
        # dagster's vendored croniter runs `file -b python` (platform.architecture) where the
        # `file` command exists: not dbt, not ours
        "dbt = [c for c in calls if 'dbt' in ' '.join(map(str, c if isinstance(c, list) else [c]))]\n"
        "assert not dbt, dbt\n"
        "assert 'dbt.cli.main' not in sys.modules and 'great_expectations' not in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.mark.slow
def test_dagsters_own_loader_finds_the_code_location(tmp_path: Path) -> None:
    """`dagster dev -m pipelines.definitions` and the daemon load the location as this does."""
    import os

    done = subprocess.run(
        [str(Path(sys.executable).with_name("dagster")), "definitions", "validate", "-m",
         "pipelines.definitions"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "DAGSTER_HOME": str(tmp_path)},
    )  # fmt: skip
    said = done.stdout + done.stderr
    assert done.returncode == 0, said[-2000:]
    assert "Validation successful for code location pipelines.definitions" in said


@pytest.mark.slow
def test_the_checks_process_started_early_gives_the_same_validations(clean_run) -> None:  # type: ignore[no-untyped-def]
    """GX in its own process (started before the crawl) or in the step's: the same verdicts;
    a checking process that died is replaced by validating in the step's own process."""
    import os

    from pipelines.quality import suite_names, warm
    from pipelines.quality.suites import PUBLICATION_SUITES

    layout, _ = clean_run
    # the publication suites compare two files: validated after the models, not here
    suites = [name for name in suite_names() if name not in PUBLICATION_SUITES]
    here = warm.validate_file(layout.work_warehouse, suites)  # no process started: in-process
    warm.start()
    try:
        assert warm._ready is not None
        warm._ready.result(timeout=120)
        there = warm.validate_file(layout.work_warehouse, suites)
        # the sample's latest act is years old: freshness warns, nothing blocks
        assert there == here and not any(v.blocking for v in there.values())
        assert warm._pool is not None
        for pid in list(warm._pool._processes):  # kill the checking process
            os.kill(pid, signal.SIGKILL)
        time.sleep(0.5)
        assert warm.validate_file(layout.work_warehouse, suites) == here
    finally:
        warm.stop()
