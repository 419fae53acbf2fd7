"""Parse stage: the downloaded acts into parsed records, one file per session year."""

import dagster as dg

from pipelines.defs.keys import PARSED_RECORDS, RAW_DOCUMENTS
from pipelines.defs.resources import PolefundsConfig, StoreResource


@dg.asset(
    key=PARSED_RECORDS, deps=[RAW_DOCUMENTS], group_name="parse", kinds={"python", "pdf", "json"}
)
def parsed_records(store: StoreResource, polefunds: PolefundsConfig) -> dg.MaterializeResult:
    """Records of every downloaded act (parsed/session_year=YYYY.jsonl): a year is parsed again
    when it has new acts or the parser changed, unchanged acts reused; the others are left."""
    from pipelines.parse.partitions import parser_version, refresh_stale

    with store.store.parsing() as (layout, fetch):
        refreshed = refresh_stale(layout, jobs=polefunds.parse_jobs, fetch=fetch)
    years = {
        str(stats.year): {"parsed": stats.parsed, "reused": stats.reused, "failed": stats.failed}
        for stats in refreshed
    }
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": sum(stats.documents for stats in refreshed),
            "parsed": sum(stats.parsed for stats in refreshed),
            "reused": sum(stats.reused for stats in refreshed),
            "failed": sum(stats.failed for stats in refreshed),
            "years": dg.MetadataValue.json(years),
            "parser_version": parser_version(),
        }
    )
