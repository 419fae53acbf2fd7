"""The Dagster code location: assembly only (assets, checks, resources, loggers, job, schedule).

Dagster's tools (`dagster dev -m pipelines.definitions`, the daemon, `dg`) build it when they
load the location (`@dg.definitions`), not when this module is imported: the import costs
Dagster's own; the build imports dagster-dbt (and with it dbt-core) and reads dbt's manifest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import dagster as dg

if TYPE_CHECKING:
    from pipelines.defs.resources import PolefundsConfig, StoreResource


def build_definitions(
    store: StoreResource | None = None, polefunds: PolefundsConfig | None = None
) -> dg.Definitions:
    """The definitions, with the given data location and settings (default: the environment)."""
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


@dg.definitions
def defs() -> dg.Definitions:
    """The code location as the environment configures it."""
    return build_definitions()
