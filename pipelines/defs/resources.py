"""The pipeline's one resource: where data lives and how to reach the source."""

import datetime as dt
from pathlib import Path

import dagster as dg

from pipelines import settings
from pipelines.crawl.ampmetropole import PORTAL_URL
from pipelines.crawl.politeness import CrawlPolicy
from pipelines.settings import DataLayout


class PolefundsConfig(dg.ConfigurableResource):
    """Data folder, source portal and the crawl's and parse's settings."""

    # A folder or an object-store URL (pipelines/storage.py); $POLEFUNDS_DATA_DIR when unset.
    data_dir: str | None = None
    # The working copy of an object store ($POLEFUNDS_WORK_DIR, else under ~/.cache/polefunds).
    work_dir: str | None = None
    base_url: str = PORTAL_URL
    since: str | None = None
    download_all: bool = False
    crawl_interval: float | None = None
    parse_jobs: int = 2

    @property
    def layout(self) -> DataLayout:
        """The data folder's layout ($POLEFUNDS_DATA_DIR when data_dir is not set)."""
        found = settings.layout(self.data_dir)
        if self.work_dir and found.location:
            return DataLayout(Path(self.work_dir), found.location)
        return found

    @property
    def since_date(self) -> dt.date | None:
        """--since as a date."""
        return dt.date.fromisoformat(self.since) if self.since else None

    def crawl_policy(self) -> CrawlPolicy:
        """The politeness policy: POLEFUNDS_CRAWL_* settings, then this resource's interval."""
        overrides = {} if self.crawl_interval is None else {"min_interval": self.crawl_interval}
        return CrawlPolicy.from_env(None, **overrides)
