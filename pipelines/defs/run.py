"""`polefunds run`: the ingestion job (the one the schedule runs) executed here, and its summary
read from the run's events.

The job decides itself what to skip (pipelines/defs/warehouse.py): this module only runs it,
shows each stage as it starts, sends Dagster's and dbt's own output to the run's log file, and
sums the run up from its events: what the crawl fetched, what the parse parsed, what was
loaded and checked, what failed and why.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import logging
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import dagster as dg
from dagster._utils.error import SerializableErrorInfo

from pipelines.defs.keys import PARSED_RECORDS, RAW_DOCUMENTS, SOURCE
from pipelines.defs.resources import PolefundsConfig, StoreResource
from pipelines.defs.warehouse import UP_TO_DATE

# What a step is, for the progress lines and the timings.
STAGE_OF_STEP = {
    "crawled": "crawl",
    "parse__parsed_records": "parse",
    "normalised_tables": "load",
    "great_expectations": "checks",
    "sql_models": "models",
    "publication_checks": "publication checks",
    "publish__warehouse": "publish",
    "exported_files": "exports",
    "report__html": "report",
}


@dataclass(frozen=True)
class ReviewCounts:
    """What the published warehouse holds that a person must still read."""

    acts: int  # rows of marts.review_queue: flagged, or unreadable
    unreadable: int
    under_review_eur: float  # of the euros counted (pôles and others), from flagged acts
    counted_eur: float

    def text(self) -> str:
        """One line."""
        if not self.acts:
            return "review: no act awaits review"
        unreadable = f", {self.unreadable} of them unreadable" if self.unreadable else ""
        return (
            f"review: {self.acts} act(s) await review{unreadable}; {_euros(self.under_review_eur)}"
            f" of the {_euros(self.counted_eur)} counted is under review (`polefunds review`)"
        )


def _euros(amount: float) -> str:
    return f"{amount:,.0f} €".replace(",", " ")


@dataclass
class RunSummary:
    """What a run did."""

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
    review: ReviewCounts | None = None
    log_path: str | None = None
    up_to_date: bool = False
    # Seconds per stage (crawl, parse, load, checks, models, publish, exports, report).
    timings: dict[str, float] = field(default_factory=dict)

    def text(self) -> str:
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
        if self.review is not None:
            lines.append(self.review.text())
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


def run_ingestion(
    store: StoreResource,
    polefunds: PolefundsConfig,
    *,
    rebuild: bool = False,
    progress: TextIO | None = None,
    instance: dg.DagsterInstance | None = None,
) -> RunSummary:
    """Execute the ingestion job here, as the schedule would; Dagster's and dbt's output go to
    DATA/logs/run-*.log, a line per stage to `progress` (when given)."""
    from pipelines.definitions import build_definitions

    layout = store.store.layout
    log_path = layout.logs / f"run-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    job = build_definitions(store=store, polefunds=polefunds).resolve_job_def("ingestion")
    instance = instance or dg.DagsterInstance.ephemeral()
    run_config = {
        "ops": {"normalised_tables": {"config": {"rebuild": rebuild}}},
        "loggers": {"run_log": {"config": {"path": str(log_path)}}},
    }
    _progress_to.stream = progress
    with log_path.open("a", encoding="utf-8") as file, _output_to(_Tolerant(file)):
        result = job.execute_in_process(
            run_config=run_config, instance=instance, raise_on_error=False
        )
    summary = summarise(result, instance)
    summary.log_path = str(log_path)
    if summary.success:
        with store.store.reading():
            summary.top_poles = top_poles(layout.warehouse)
            summary.review = review_counts(layout.warehouse)
    return summary


class _Tolerant(io.TextIOBase):
    """The run's log file, which never fails the run: a line that cannot be written (a full
    disk) is dropped, the run goes on and its summary names the cause."""

    def __init__(self, file: TextIO) -> None:
        self.file = file

    def write(self, text: str) -> int:
        with contextlib.suppress(OSError, ValueError):
            self.file.write(text)
        return len(text)

    def flush(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.file.flush()


@contextlib.contextmanager
def _output_to(log: io.TextIOBase):  # type: ignore[no-untyped-def]
    """Everything the run prints or warns, into the log (dbt, GX, deprecation warnings)."""
    with (
        contextlib.redirect_stdout(log),
        contextlib.redirect_stderr(log),
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("default")
        logging.captureWarnings(True)
        try:
            yield
        finally:
            logging.captureWarnings(False)


class _Progress:
    """Where the run's stage lines go (set by run_ingestion for the run it starts)."""

    stream: TextIO | None = None


_progress_to = _Progress()


class _RunLogHandler(logging.Handler):
    """Every Dagster log line into the run's file; a line per stage as it starts to the
    terminal."""

    def __init__(self, path: str) -> None:
        super().__init__(logging.DEBUG)
        self.path = path
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None)
        event = meta.get("dagster_event") if isinstance(meta, dict) else None
        stream = _progress_to.stream
        if stream is not None and event is not None and event.event_type_value == "STEP_START":
            stage = STAGE_OF_STEP.get(str(event.step_key), str(event.step_key))
            stream.write(f"… {stage}\n")
            stream.flush()
        with contextlib.suppress(OSError), open(self.path, "a", encoding="utf-8") as handle:
            handle.write(self.format(record) + "\n")  # a full disk drops the line, not the run


@dg.logger(config_schema={"path": str}, description="The run's log file, and its stages.")
def run_log(init_context: dg.InitLoggerContext) -> logging.Logger:
    """`polefunds run`'s logger: DATA/logs/run-*.log, and a line per stage on the terminal."""
    logger = logging.getLogger("polefunds.run")
    logger.handlers.clear()
    logger.addHandler(_RunLogHandler(init_context.logger_config["path"]))
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    return logger


def summarise(result: dg.ExecuteInProcessResult, instance: dg.DagsterInstance) -> RunSummary:
    """The run's summary, from its events."""
    summary = RunSummary()
    for event in result.get_asset_materialization_events():
        key = event.asset_key
        metadata: dict[str, Any] = {
            name: value.value for name, value in event.materialization.metadata.items()
        }
        if key == RAW_DOCUMENTS:
            summary.crawl = metadata
        elif key == PARSED_RECORDS:
            years: dict[str, dict[str, object]] = metadata.get("years") or {}
            summary.parsed = {int(year): stats for year, stats in years.items()}
        elif key is not None and key.path[0] == SOURCE:
            count = metadata.get("dagster/row_count")
            summary.tables[key.path[-1]] = int(str(count)) if count is not None else 0
    for event in result.all_events:
        if event.event_type_value == "ASSET_OBSERVATION" and event.asset_observation_data:
            observation = event.asset_observation_data.asset_observation
            if UP_TO_DATE in observation.metadata:
                summary.up_to_date = True
    for evaluation in result.get_asset_check_evaluations():
        name = f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}"
        if evaluation.passed:
            summary.checks_passed += 1
        elif evaluation.severity == dg.AssetCheckSeverity.WARN:
            summary.checks_warned.append(name)
        else:
            summary.checks_failed.append(name)
    summary.timings = step_seconds(instance, result.run_id)
    if not result.success:
        summary.success = False
        failures = [
            (event.step_key, event.step_failure_data.error)
            for event in result.all_events
            if event.is_step_failure and event.step_failure_data and event.step_failure_data.error
        ]
        if failures:
            step, error = failures[0]
            summary.failure = f"{STAGE_OF_STEP.get(str(step), step)}: {failure_reason(error)}"
        else:
            summary.failure = "see the run's log"
    return summary


def step_seconds(instance: dg.DagsterInstance, run_id: str) -> dict[str, float]:
    """Each stage's time, from its step's start to its last logged event."""
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
        for step, stage in STAGE_OF_STEP.items()
        if step in first and step in last
    }


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
    for item in chain:
        failure = dbt_failure(item.message)
        if failure:
            return failure
    ours = [item for item in chain if not item.cls_name or not item.cls_name.startswith("Dagster")]
    first, innermost = (ours or chain)[0], chain[-1]
    reason = _one_line(first)
    if innermost is not first and _one_line(innermost) not in reason:
        reason += f" (cause: {_one_line(innermost)})"
    return reason


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_DBT_FAILURE = re.compile(r"^(?:Failure|Error) in (?:model|test|unit_test|seed|snapshot) .*$")


def dbt_failure(message: str) -> str | None:
    """The first failing dbt node and its error, from dagster-dbt's message ("Errors parsed
    from dbt logs"), e.g. `dbt: Failure in model review_queue (...): Binder Error: ...`."""
    lines = [_ANSI.sub("", line).strip() for line in message.splitlines()]
    for index, line in enumerate(lines):
        if _DBT_FAILURE.match(line):
            details = [
                text
                for text in lines[index + 1 : index + 4]
                if text and not text.startswith(("Runtime Error in", "Compilation Error in"))
            ]
            return f"dbt: {line}" + (f": {details[0]}" if details else "")
    return None


def _one_line(error: SerializableErrorInfo) -> str:
    lines = error.message.strip().splitlines()
    return lines[0] if lines else (error.cls_name or "error")


def top_poles(warehouse: Path, count: int = 5) -> list[tuple[int, str, float]]:
    """The pôles that got the most in the latest funding year of the published warehouse."""
    import duckdb

    if not warehouse.exists():
        return []
    with duckdb.connect(str(warehouse), read_only=True) as connection:
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


def review_counts(warehouse: Path) -> ReviewCounts | None:
    """How many acts of the published warehouse await review, and how much money they hold."""
    import duckdb

    if not warehouse.exists():
        return None
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        acts, unreadable = connection.execute(
            "select count(*), count(*) filter (where queue_reason != 'flagged') "
            "from marts.review_queue"
        ).fetchone() or (0, 0)
        counted, under_review = connection.execute(
            "select coalesce(sum(amount_eur), 0)::double, "
            "coalesce(sum(amount_eur) filter (where needs_review), 0)::double "
            "from marts.counted_grants"
        ).fetchone() or (0.0, 0.0)
    return ReviewCounts(int(acts), int(unreadable), float(under_review), float(counted))
