"""Paths and environment names, in one place."""

from __future__ import annotations

import os
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
