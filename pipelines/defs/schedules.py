"""Jobs and the daily schedule."""

import datetime as dt
from zoneinfo import ZoneInfo

import dagster as dg

from pipelines.defs.partitions import SESSION_YEARS

PARIS = "Europe/Paris"

ingestion_job = dg.define_asset_job(
    "ingestion",
    selection=dg.AssetSelection.all(),
    partitions_def=SESSION_YEARS,
    description="Crawl, parse one session year, load, check, build the marts and publish.",
    tags={"dagster/max_runtime": str(4 * 3600)},
)


@dg.schedule(
    cron_schedule="0 6 * * *",
    job=ingestion_job,
    execution_timezone=PARIS,
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
def daily_ingestion(context: dg.ScheduleEvaluationContext):  # type: ignore[no-untyped-def]
    """Every day at 06:00 in Paris: the new deliberations of this session year (and, in January,
    the late ones of last year), one run after the other."""
    now = (
        context.scheduled_execution_time.astimezone(ZoneInfo(PARIS))
        if context.scheduled_execution_time
        else dt.datetime.now(ZoneInfo(PARIS))
    )
    years = [now.year - 1, now.year] if now.month == 1 else [now.year]
    for year in years:
        yield dg.RunRequest(run_key=f"{now.date()}-{year}", partition_key=str(year))
