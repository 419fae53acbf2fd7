"""Report stage: the published warehouse as one offline HTML page (DATA/report.html)."""

import dagster as dg

from pipelines.defs.keys import PUBLISHED, REPORT
from pipelines.defs.resources import StoreResource


@dg.asset(key=REPORT, deps=[PUBLISHED], group_name="report", kinds={"html"})
def report_html(store: StoreResource) -> dg.MaterializeResult:
    """DATA/report.html: funding by pôle, territory and year, largest grants, freshness."""
    from pipelines.report import write_report

    with store.store.reporting() as layout:
        summary = write_report(layout.warehouse, layout.report)
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(summary.path)),
            "bytes": summary.bytes,
            "grants_shown": summary.grants_shown,
            "poles": summary.poles,
            "territories": summary.territories,
        }
    )
