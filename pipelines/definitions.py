"""The Dagster code location: assembly only (assets, checks, resources, loggers, job, schedule)."""

from __future__ import annotations

import dagster as dg

from pipelines.defs import (
    checks,
    crawl,
    exports,
    models,
    parse,
    publish,
    report,
    run,
    schedules,
    warehouse,
)
from pipelines.defs.resources import PolefundsConfig, QualityChecks, StoreResource


def build_definitions(
    store: StoreResource | None = None, polefunds: PolefundsConfig | None = None
) -> dg.Definitions:
    """The definitions, with the given data location and settings (default: the environment)."""
    return dg.Definitions(
        assets=[
            crawl.crawled,
            parse.parsed_records,
            warehouse.normalised_tables,
            models.sql_models,
            publish.published_warehouse,
            exports.exported_files,
            report.report_html,
        ],
        asset_checks=[checks.build_table_checks(), checks.build_publication_checks()],
        jobs=[schedules.ingestion_job],
        schedules=[schedules.daily_ingestion],
        resources={
            "store": store or StoreResource(),
            "polefunds": polefunds or PolefundsConfig(),
            "quality": QualityChecks(),
            "dbt": models.dbt_resource(),
        },
        # The UI and the schedule log to the console; `polefunds run` to its log file.
        loggers={"console": dg.colored_console_logger, "run_log": run.run_log},
    )


defs = build_definitions()
