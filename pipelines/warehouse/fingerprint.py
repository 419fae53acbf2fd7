"""What the published warehouse was built from: a rerun with the same inputs has nothing to do."""

from __future__ import annotations

import hashlib
import sqlite3

from pipelines.settings import PROJECT_ROOT, DataLayout

# The code and rules a warehouse depends on, besides its data.
_RULE_FOLDERS = (
    "sql/models",
    "sql/macros",
    "sql/tests",
    "expectations",
    "pipelines/normalise",
    "pipelines/reference",
    "pipelines/exports",
    "pipelines/report",
)
# The listing's reading of each card's "Incidence financière" (pipelines/crawl/impact.py).
_IMPACT_COLUMNS = ("impact_kind", "impact_total_eur", "impact_total_ht_eur", "impact_split")


def inputs_fingerprint(layout: DataLayout) -> str:
    """A digest of the crawl catalogue, the parsed records, and the models and checks' sources."""
    digest = hashlib.sha256()
    if layout.catalogue.exists():
        with sqlite3.connect(f"file:{layout.catalogue}?mode=ro", uri=True) as db:
            for row in db.execute(
                "select url, card_id, kind, is_act, state, sha256, error from manifest order by url"
            ):
                digest.update(repr(row).encode())
            # The card's financial impact as read (the warehouse's witness), where the
            # catalogue has been brought up to date to hold it.
            present = {row[1] for row in db.execute("pragma table_info(listing)")}
            impact = ", ".join(column for column in _IMPACT_COLUMNS if column in present)
            for row in db.execute(
                "select card_id, session_date, relevant, commission, rapporteur, "
                f"financial_impact{', ' + impact if impact else ''} from listing order by card_id"
            ):
                digest.update(repr(row).encode())
    for path in [*layout.partitions(), *sorted(layout.corrections.glob("*.yaml"))]:
        digest.update(layout.relative(path).encode())
        digest.update(path.read_bytes())
    for folder in _RULE_FOLDERS:
        for path in sorted((PROJECT_ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix in {".sql", ".yml", ".json", ".py", ".csv"}:
                digest.update(str(path.relative_to(PROJECT_ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def stamp_matches(layout: DataLayout, fingerprint: str) -> bool:
    """Whether the stamp says the published warehouse was built from exactly these inputs."""
    stamp = layout.stamp
    return stamp.exists() and stamp.read_text().strip() == fingerprint
