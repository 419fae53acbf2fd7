"""The pipeline's resources: where the data lives, the source and its settings, the checks."""

from __future__ import annotations

import datetime as dt
import functools
import sys
from typing import TYPE_CHECKING

import dagster as dg

from pipelines.settings import PORTAL_URL

if TYPE_CHECKING:
    from pipelines.crawl.politeness import CrawlPolicy
from pipelines.datastore import DataStore


class StoreResource(dg.ConfigurableResource):
    """Where the data lives: a folder or an object-store URL ($POLEFUNDS_DATA_DIR when unset),
    and what each stage pulls from and pushes to it (pipelines/datastore.py)."""

    data_dir: str | None = None
    # The working copy of an object store ($POLEFUNDS_WORK_DIR, else under ~/.cache/polefunds).
    work_dir: str | None = None

    @functools.cached_property
    def store(self) -> DataStore:
        """The data store the stages open."""
        return DataStore(self.data_dir, self.work_dir)


class PolefundsConfig(dg.ConfigurableResource):
    """The source portal and the crawl's and the parse's settings."""

    base_url: str = PORTAL_URL
    since: str | None = None
    download_all: bool = False
    crawl_interval: float | None = None
    parse_jobs: int = 2

    @property
    def since_date(self) -> dt.date | None:
        """--since as a date."""
        return dt.date.fromisoformat(self.since) if self.since else None

    def crawl_policy(self) -> CrawlPolicy:
        """The politeness policy: POLEFUNDS_CRAWL_* settings, then this resource's interval."""
        from pipelines.crawl.politeness import CrawlPolicy

        overrides = {} if self.crawl_interval is None else {"min_interval": self.crawl_interval}
        return CrawlPolicy.from_env(None, **overrides)


class QualityChecks(dg.ConfigurableResource):
    """Great Expectations, imported in a process of its own started with the run (its seconds
    of imports overlap the crawl; pipelines/quality/warm.py) and stopped with it.

    Not when the run's process has imported GX already (one that runs a run after another: a
    test session, a notebook, the UI's in-process runs): no import is left to overlap with the
    crawl, and the checks validate in the run's process, sooner than a new process could
    import GX again.
    """

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        from pipelines.quality import warm

        if "great_expectations" not in sys.modules:
            warm.start()

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        from pipelines.quality import warm

        warm.stop()
