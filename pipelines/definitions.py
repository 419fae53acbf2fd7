"""The Dagster code location: assembly only (assets, checks, resources, jobs, schedules)."""

from __future__ import annotations

import dagster as dg

from pipelines.defs import crawl, exports, models, parse, publish, report, schedules, warehouse
from pipelines.defs.resources import PolefundsConfig


def build_definitions(polefunds: PolefundsConfig | None = None) -> dg.Definitions:
    """The definitions, with the given settings (default: from the environment)."""
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
        asset_checks=[*warehouse.table_checks],
        jobs=[schedules.ingestion_job],
        schedules=[schedules.daily_ingestion],
        resources={
            "polefunds": polefunds or PolefundsConfig(),
            "dbt": models.dbt_resource(),
        },
    )


defs = build_definitions()
