"""Paths and environment names, in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
SAMPLES_DIR = PROJECT_ROOT / "data" / "samples"

AUTHORITY = "metropole-aix-marseille-provence"
USER_AGENT = "polefunds/0.1 (+https://github.com/polefunds/polefunds; open-data research crawler)"

# The crawl: each CrawlPolicy number is settable as POLEFUNDS_CRAWL_<NAME> (MIN_INTERVAL,
# READ_TIMEOUT, MAX_ATTEMPTS, MAX_DOCUMENT_BYTES, MAX_FAILURES...; pipelines/crawl/politeness.py),
# and POLEFUNDS_CRAWL_ALL_DOCUMENTS=1 downloads every document, not only economic ones.
CRAWL_ENV_PREFIX = "POLEFUNDS_CRAWL_"
CRAWL_ALL_DOCUMENTS_ENV = "POLEFUNDS_CRAWL_ALL_DOCUMENTS"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The data folder: an explicit override, else $POLEFUNDS_DATA_DIR, else ./data."""
    return Path(override or os.environ.get("POLEFUNDS_DATA_DIR") or PROJECT_ROOT / "data")


@dataclass(frozen=True)
class DataLayout:
    """Where each stage keeps its files under the data folder."""

    root: Path

    @property
    def raw(self) -> Path:
        """Content-addressed raw store: raw/<sha256>.pdf."""
        return self.root / "raw"

    @property
    def catalogue(self) -> Path:
        """The crawl's SQLite catalogue (listing, manifest)."""
        return self.root / "crawl.sqlite"

    @property
    def parsed(self) -> Path:
        """Parsed records, one JSON-lines file per session year."""
        return self.root / "parsed"

    @property
    def work_warehouse(self) -> Path:
        """The DuckDB file a run builds into (one writer: the run)."""
        return self.root / "warehouse.work.duckdb"

    @property
    def dbt_target(self) -> Path:
        """dbt's target folder for this data folder (manifest, run results, partial parse)."""
        return self.root / "dbt" / "target"

    @property
    def warehouse(self) -> Path:
        """The published warehouse: replaced in one rename after the checks pass."""
        return self.root / "warehouse.duckdb"


def layout(override: str | os.PathLike[str] | None = None) -> DataLayout:
    """The data layout under data_dir(override)."""
    return DataLayout(data_dir(override))
