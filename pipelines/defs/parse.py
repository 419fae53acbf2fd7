"""Parse stage: one session year of downloaded acts into parsed records (in parallel, to files)."""

import dagster as dg

from pipelines import sync
from pipelines.defs.crawl import RAW_DOCUMENTS
from pipelines.defs.partitions import SESSION_YEARS
from pipelines.defs.resources import PolefundsConfig
from pipelines.warehouse.parsed import (
    downloaded_acts,
    parser_version,
    partition_path,
    refresh_partition,
)

PARSED_RECORDS = dg.AssetKey(["parse", "parsed_records"])


@dg.asset(
    key=PARSED_RECORDS,
    deps=[RAW_DOCUMENTS],
    partitions_def=SESSION_YEARS,
    group_name="parse",
    kinds={"python", "pdf", "json"},
)
def parsed_records(
    context: dg.AssetExecutionContext, polefunds: PolefundsConfig
) -> dg.MaterializeResult:
    """Records of the year's acts (parsed/session_year=YYYY.jsonl); unchanged ones are reused."""
    layout = polefunds.layout
    year = int(context.partition_key)
    sync.partition_state(layout, partition_path(layout, year))
    stats = refresh_partition(
        layout,
        year,
        downloaded_acts(layout.catalogue),
        jobs=polefunds.parse_jobs,
        fetch=lambda paths: sync.raw_files(layout, paths),
    )
    sync.after_parse(layout, partition_path(layout, year))
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": stats.documents,
            "parsed": stats.parsed,
            "reused": stats.reused,
            "failed": stats.failed,
            "parser_version": parser_version(),
        }
    )
