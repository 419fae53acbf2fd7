"""Report stage: the published warehouse as one offline HTML page (DATA/report.html)."""

import dagster as dg

from pipelines import sync
from pipelines.defs.resources import PolefundsConfig
from pipelines.report import default_report_path, write_report

REPORT = dg.AssetKey(["report", "html"])
# The publish stage's key, spelled out: importing pipelines.defs.publish would load dbt's manifest.
PUBLISHED = dg.AssetKey(["publish", "warehouse"])


@dg.asset(key=REPORT, deps=[PUBLISHED], group_name="report", kinds={"html"})
def report_html(polefunds: PolefundsConfig) -> dg.MaterializeResult:
    """DATA/report.html: funding by pôle, territory and year, largest grants, freshness."""
    layout = polefunds.layout
    summary = write_report(layout.warehouse, default_report_path(layout))
    sync.report(layout, summary.path)
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(summary.path)),
            "bytes": summary.bytes,
            "grants_shown": summary.grants_shown,
            "poles": summary.poles,
            "territories": summary.territories,
        }
    )
