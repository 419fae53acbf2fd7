"""Paths and environment names, in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pipelines.storage import Storage, is_url, working_copy

PROJECT_ROOT = Path(__file__).resolve().parent.parent
REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
SAMPLES_DIR = PROJECT_ROOT / "data" / "samples"

AUTHORITY = "metropole-aix-marseille-provence"
# The communauté urbaine Marseille Provence Métropole, whose acts (2011-2015) the portal keeps
# under the domaine ct1; the Métropole replaced it on 1 January 2016.
FORMER_AUTHORITY = "marseille-provence-metropole"
METROPOLE_CREATED = "2016-01-01"
# The portal of the Métropole's deliberations (the crawl's default source).
PORTAL_URL = "https://deliberations.ampmetropole.fr"
USER_AGENT = "polefunds/0.1 (+https://github.com/polefunds/polefunds; open-data research crawler)"

# The crawl: each CrawlPolicy number is settable as POLEFUNDS_CRAWL_<NAME> (MIN_INTERVAL,
# READ_TIMEOUT, MAX_ATTEMPTS, MAX_DOCUMENT_BYTES, MAX_FAILURES...; pipelines/crawl/politeness.py),
# and POLEFUNDS_CRAWL_ALL_DOCUMENTS=1 downloads every document, not only economic ones.
CRAWL_ENV_PREFIX = "POLEFUNDS_CRAWL_"
CRAWL_ALL_DOCUMENTS_ENV = "POLEFUNDS_CRAWL_ALL_DOCUMENTS"


def data_location(override: str | os.PathLike[str] | None = None) -> str:
    """Where the data lives: an explicit override, else $POLEFUNDS_DATA_DIR, else ./data.

    A folder, or an object-store URL (s3://bucket/prefix...: see pipelines/storage.py).
    """
    return str(override or os.environ.get("POLEFUNDS_DATA_DIR") or PROJECT_ROOT / "data")


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The local data folder: the data location, or the working copy of an object store."""
    location = data_location(override)
    return working_copy(location) if is_url(location) else Path(location)


@dataclass(frozen=True)
class DataLayout:
    """Where each stage keeps its files under the (local) data folder, and where they sync."""

    root: Path
    # The object-store URL the folder is a working copy of; None when the folder is the data.
    location: str | None = None

    @property
    def storage(self) -> Storage:
        """Pulls and pushes between the folder and the object store (nothing for a folder)."""
        return Storage(self.location or str(self.root), self.root)

    def relative(self, path: Path) -> str:
        """A path under the folder as the store names it (raw/x.pdf)."""
        return path.relative_to(self.root).as_posix()

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

    PARTITION_PATTERN = "session_year=*.jsonl"

    def partition(self, year: int) -> Path:
        """One session year's parsed records: parsed/session_year=YYYY.jsonl."""
        return self.parsed / f"session_year={year}.jsonl"

    def partitions(self) -> list[Path]:
        """Every session year's parsed records, in year order."""
        return sorted(self.parsed.glob(self.PARTITION_PATTERN))

    @property
    def corrections(self) -> Path:
        """People's corrections of parsed acts, one YAML file per act (versioned with git)."""
        return self.root / "corrections"

    CORRECTION_PATTERN = "*.yaml"

    @property
    def work_warehouse(self) -> Path:
        """The DuckDB file a run builds into (one writer: the run)."""
        return self.root / "warehouse.work.duckdb"

    @property
    def dbt_target(self) -> Path:
        """dbt's target folder for this data folder (manifest, run results, partial parse)."""
        return self.root / "dbt" / "target"

    @property
    def work_stamp(self) -> Path:
        """What the work file is being built from (the inputs' fingerprint)."""
        return self.root / "warehouse.work.inputs"

    @property
    def warehouse(self) -> Path:
        """The published warehouse: replaced in one rename after the checks pass."""
        return self.root / "warehouse.duckdb"

    @property
    def stamp(self) -> Path:
        """What the published warehouse was built from (the inputs' fingerprint)."""
        return self.root / "warehouse.inputs"

    @property
    def exports(self) -> Path:
        """Parquet, CSV, data dictionary and SCDL files of the published warehouse."""
        return self.root / "exports"

    @property
    def report(self) -> Path:
        """The self-contained HTML report of the published warehouse."""
        return self.root / "report.html"

    @property
    def logs(self) -> Path:
        """One log file per run: Dagster's and dbt's own output."""
        return self.root / "logs"


def layout(override: str | os.PathLike[str] | None = None) -> DataLayout:
    """The data layout of data_location(override)."""
    location = data_location(override)
    return DataLayout(data_dir(location), location if is_url(location) else None)
