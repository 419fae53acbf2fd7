"""The scheduled job's stages run in-process, one Dagster run each: what `polefunds run` does."""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from dataclasses import dataclass, field

import dagster as dg
import duckdb
from dagster._utils.error import SerializableErrorInfo

from pipelines import sync
from pipelines.defs import crawl, exports, models, parse, publish, report, warehouse
from pipelines.defs.resources import PolefundsConfig
from pipelines.quality import warm as quality_warm
from pipelines.settings import DataLayout
from pipelines.warehouse.fingerprint import (
    inputs_fingerprint,
    record,
    stamp_matches,
    up_to_date,
)
from pipelines.warehouse.parsed import stale_years


@dataclass
class Outcome:
    """What a run did, for its summary."""

    success: bool = True
    failure: str | None = None
    crawl: dict[str, object] = field(default_factory=dict)
    parsed: dict[int, dict[str, object]] = field(default_factory=dict)
    tables: dict[str, int] = field(default_factory=dict)
    checks_passed: int = 0
    checks_failed: list[str] = field(default_factory=list)
    # Checks of severity "warn" that did not pass: reported, they block nothing.
    checks_warned: list[str] = field(default_factory=list)
    top_poles: list[tuple[int, str, float]] = field(default_factory=list)
    log_path: str | None = None
    up_to_date: bool = False
    # Seconds per stage (crawl, parse, load, checks, models, publish, exports, report).
    timings: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        """The run in a few lines."""
        lines = []
        if self.crawl:
            c = self.crawl
            lines.append(
                f"documents: {c.get('documents_stored', 0)} new, {c.get('documents_duplicates', 0)} "
                f"already held, {c.get('documents_failed', 0)} failed "
                f"({c.get('cards_new', 0)} new cards of {c.get('cards_seen', 0)} seen)"
            )
        for year, stats in sorted(self.parsed.items()):
            lines.append(
                f"parsed {year}: {stats.get('parsed', 0)} parsed, {stats.get('reused', 0)} known, "
                f"{stats.get('failed', 0)} unreadable or without text"
            )
        if not self.parsed:
            lines.append("parsed: nothing new")
        if self.up_to_date:
            lines.append(
                "warehouse: up to date, nothing new to load (polefunds run --rebuild forces it)"
            )
        if self.tables:
            lines.append(
                f"loaded: {self.tables.get('deliberations', 0)} deliberations, "
                f"{self.tables.get('grants', 0)} grants, {self.tables.get('grant_allocations', 0)} "
                f"allocations, {self.tables.get('quarantine', 0)} quarantined"
            )
        if not self.up_to_date:
            lines.append(
                f"checks: {self.checks_passed} passed, {len(self.checks_failed)} failed, "
                f"{len(self.checks_warned)} warned"
            )
            lines.extend(f"  failed: {name}" for name in self.checks_failed)
            lines.extend(f"  warned: {name}" for name in self.checks_warned)
        if self.top_poles:
            year = self.top_poles[0][0]
            lines.append(f"top pôles of {year}:")
            lines.extend(
                f"  {name:<32} {f'{amount:,.0f}'.replace(',', ' '):>14} €"
                for _, name, amount in self.top_poles
            )
        if self.failure:
            lines.append(f"FAILED: {self.failure} (the published warehouse was left as it was)")
        if self.timings:
            lines.append(
                "stages: "
                + ", ".join(f"{name} {secs:.1f} s" for name, secs in self.timings.items())
            )
        if self.log_path:
            lines.append(f"log: {self.log_path}")
        return "\n".join(lines)


def run_pipeline(
    layout: DataLayout,
    *,
    base_url: str,
    since: dt.date | None = None,
    jobs: int = 2,
    interval: float | None = None,
    instance: dg.DagsterInstance | None = None,
    log_level: str = "WARNING",
    rebuild: bool = False,
) -> Outcome:
    """Crawl, parse the stale years, then load, check, build and publish."""
    config = PolefundsConfig(
        data_dir=layout.location or str(layout.root),
        work_dir=str(layout.root) if layout.location else None,
        base_url=base_url,
        since=since.isoformat() if since else None,
        crawl_interval=interval,
        parse_jobs=jobs,
    )
    resources = {"polefunds": config, "dbt": models.dbt_resource()}
    instance = instance or dg.DagsterInstance.ephemeral()
    outcome = Outcome()
    log_path = layout.root / "logs" / f"run-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    outcome.log_path = str(log_path)

    def stage(assets: list, partition_key: str | None = None) -> dg.ExecuteInProcessResult:  # type: ignore[type-arg]
        # dbt's and Dagster's own chatter goes to the run's log file; stdout keeps the summary.
        with log_path.open("a", encoding="utf-8") as log, contextlib.redirect_stdout(log):
            return dg.materialize(
                assets,
                resources=resources,
                instance=instance,
                partition_key=partition_key,
                raise_on_error=False,
                run_config={"loggers": {"console": {"config": {"log_level": log_level}}}},
            )

    # Great Expectations' imports (seconds) happen in their own process while the crawl runs.
    quality_warm.start()
    try:
        return _run_stages(layout, outcome, stage, instance, rebuild)
    finally:
        quality_warm.stop()


def _run_stages(  # type: ignore[no-untyped-def]
    layout: DataLayout, outcome: Outcome, stage, instance: dg.DagsterInstance, rebuild: bool
) -> Outcome:
    started = time.perf_counter()
    result = stage([crawl.crawled])
    outcome.timings["crawl"] = time.perf_counter() - started
    outcome.crawl = _metadata(result, crawl.RAW_DOCUMENTS)
    if not result.success:
        return _failed(outcome, result, "crawl")

    started = time.perf_counter()
    sync.parsed_state(layout)
    for year in stale_years(layout):
        result = stage([parse.parsed_records], partition_key=str(year))
        outcome.parsed[year] = _metadata(result, parse.PARSED_RECORDS)
        if not result.success:
            return _failed(outcome, result, f"parse {year}")
    outcome.timings["parse"] = time.perf_counter() - started

    fingerprint = inputs_fingerprint(layout)
    sync.fingerprint(layout)
    if not rebuild and stamp_matches(layout, fingerprint):
        sync.warehouse(layout)  # nothing to build: this copy needs the store's warehouse
    if not rebuild and up_to_date(layout, fingerprint):
        outcome.up_to_date = True
        outcome.top_poles = _top_poles(layout)
        return outcome
    result = stage(
        [
            warehouse.normalised_tables,
            *warehouse.table_checks,
            models.sql_models,
            publish.published_warehouse,
            exports.exported_files,
            report.report_html,
        ]
    )
    outcome.timings.update(_step_seconds(instance, result.run_id))
    for event in result.get_asset_materialization_events():
        key = event.asset_key
        if key and key.path[0] == warehouse.SOURCE:
            count = event.materialization.metadata.get("dagster/row_count")
            outcome.tables[key.path[-1]] = int(str(count.value)) if count else 0
    for evaluation in result.get_asset_check_evaluations():
        name = f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}"
        if evaluation.passed:
            outcome.checks_passed += 1
        elif evaluation.severity == dg.AssetCheckSeverity.WARN:
            outcome.checks_warned.append(name)
        else:
            outcome.checks_failed.append(name)
    if not result.success:
        return _failed(outcome, result, "load, checks or models")
    record(layout, fingerprint)
    sync.fingerprint(layout, pushing=True)
    outcome.top_poles = _top_poles(layout)
    return outcome


# The steps of the load-to-report run, by the name of the stage they are.
_STAGE_OF_STEP = {
    "normalised_tables": "load",
    "great_expectations": "checks",
    "sql_models": "models",
    "publish__warehouse": "publish",
    "exported_files": "exports",
    "report__html": "report",
}


def _step_seconds(instance: dg.DagsterInstance, run_id: str) -> dict[str, float]:
    """Each step's time, from its start to its last logged event (Dagster's timestamps)."""
    first: dict[str, float] = {}
    last: dict[str, float] = {}
    for entry in instance.all_logs(run_id):
        if entry.step_key is None:
            continue
        if entry.dagster_event_type == dg.DagsterEventType.STEP_START:
            first[entry.step_key] = entry.timestamp
        last[entry.step_key] = entry.timestamp
    return {
        stage: last[step] - first[step]
        for step, stage in _STAGE_OF_STEP.items()
        if step in first and step in last
    }


def _metadata(result: dg.ExecuteInProcessResult, key: dg.AssetKey) -> dict[str, object]:
    for event in result.get_asset_materialization_events():
        if event.asset_key == key:
            return {name: value.value for name, value in event.materialization.metadata.items()}
    return {}


def _failed(outcome: Outcome, result: dg.ExecuteInProcessResult, stage: str) -> Outcome:
    outcome.success = False
    reasons = [
        failure_reason(event.step_failure_data.error)
        for event in result.all_events
        if event.is_step_failure and event.step_failure_data and event.step_failure_data.error
    ]
    outcome.failure = f"{stage}: {reasons[0] if reasons else 'see the Dagster log'}"
    return outcome


def failure_reason(error: SerializableErrorInfo) -> str:
    """A step's error in one line: the first message of our code, and the innermost cause.

    Dagster wraps an asset's exception ("Error occurred while executing op ..."), and the
    code may chain its own ("could not load ...") from the system's ("[Errno 28] No space
    left on device"): the summary names the first that is not Dagster's wrapper and, when it
    differs, the root cause at the end of the chain.
    """
    chain: list[SerializableErrorInfo] = []
    current: SerializableErrorInfo | None = error
    while current is not None and len(chain) < 20:
        chain.append(current)
        current = current.cause or current.context
    ours = [item for item in chain if not item.cls_name or not item.cls_name.startswith("Dagster")]
    first, innermost = (ours or chain)[0], chain[-1]
    reason = _one_line(first)
    if innermost is not first and _one_line(innermost) not in reason:
        reason += f" (cause: {_one_line(innermost)})"
    return reason


def _one_line(error: SerializableErrorInfo) -> str:
    lines = error.message.strip().splitlines()
    return lines[0] if lines else (error.cls_name or "error")


def _top_poles(layout: DataLayout, count: int = 5) -> list[tuple[int, str, float]]:
    if not layout.warehouse.exists():
        return []
    with duckdb.connect(str(layout.warehouse), read_only=True) as connection:
        rows = connection.execute(
            """
            with latest as (select max(funding_year) as year from marts.funding_by_pole_year)
            select funding_year, pole_name, sum(amount_eur)::double as amount
            from marts.funding_by_pole_year, latest
            where funding_year = latest.year
            group by all order by amount desc limit ?
            """,
            [count],
        ).fetchall()
    return [(int(year), str(name), float(amount)) for year, name, amount in rows]
