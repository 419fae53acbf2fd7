"""Crawl stage: the portal's listing and the raw documents."""

import dagster as dg

from pipelines.defs.keys import LISTING, RAW_DOCUMENTS
from pipelines.defs.resources import PolefundsConfig, StoreResource


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            LISTING,
            description="Every card of the portal's listing (date, instance, objet, résumé, links).",
            group_name="crawl",
            kinds={"python", "sqlite"},
        ),
        dg.AssetSpec(
            RAW_DOCUMENTS,
            description="Downloaded PDFs in the content-addressed raw store, and their manifest.",
            group_name="crawl",
            kinds={"python", "pdf"},
        ),
    ],
)
def crawled(context: dg.AssetExecutionContext, store: StoreResource, polefunds: PolefundsConfig):  # type: ignore[no-untyped-def]
    """Read the listing down to known cards, then download what is due (polite, incremental)."""
    from pipelines.crawl.crawler import CrawlStopped, crawl
    from pipelines.crawl.store import Catalogue

    with store.store.crawling() as (layout, held):
        try:
            stats = crawl(
                polefunds.base_url,
                data_dir=layout.root,
                held_elsewhere=held,
                since=polefunds.since_date,
                download_all=polefunds.download_all,
                policy=polefunds.crawl_policy(),
            )
        except CrawlStopped as stopped:
            raise dg.Failure(
                description=str(stopped), metadata=stopped.stats.as_metadata()
            ) from None
        with Catalogue(layout.catalogue) as catalogue:
            counts = catalogue.counts()
    for error in stats.listing_errors:
        context.log.warning(f"listing not read to its end: {error}")
    metadata = stats.as_metadata()
    yield dg.MaterializeResult(
        asset_key=LISTING,
        metadata={
            "dagster/row_count": counts.get("cards", 0),
            "cards_seen": metadata["cards_seen"],
            "cards_new": metadata["cards_new"],
            "listing_pages": metadata["listing_pages"],
            "listing_errors": metadata["listing_errors"],
        },
    )
    yield dg.MaterializeResult(
        asset_key=RAW_DOCUMENTS,
        metadata={"dagster/row_count": counts.get("documents_ok", 0), **metadata},
    )
