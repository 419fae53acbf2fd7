"""The ingestion job (what the schedule, the UI and `polefunds run` run) and its schedule."""

import dagster as dg

PARIS = "Europe/Paris"

# Every stage, in one run, in one process: DuckDB takes one writer, and the checks' process is
# started with the run (pipelines/defs/resources.py). `polefunds run` executes this very job.
ingestion_job = dg.define_asset_job(
    "ingestion",
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,
    description="Crawl, parse what is new, load, check, build the marts, publish, export, report.",
    tags={"dagster/max_runtime": str(4 * 3600)},
)

daily_ingestion = dg.ScheduleDefinition(
    name="daily_ingestion",
    cron_schedule="0 6 * * *",
    job=ingestion_job,
    execution_timezone=PARIS,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every day at 06:00 in Paris: the new deliberations, whatever their year.",
)
