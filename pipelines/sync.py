"""What each stage pulls from and pushes to the object store (nothing for a local folder).

The table of pipelines/storage.py, as code: every stage calls its pair around its work.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pipelines.settings import DataLayout
from pipelines.warehouse.fingerprint import stamp_path

EXPORTS = "exports"


def before_crawl(layout: DataLayout) -> set[str]:
    """The catalogue, if another machine moved it on since this copy last saw it.

    Returns the digests of the raw files the store holds: a file missing from this copy but
    held there is not damaged (the parse brings it when it needs it).
    """
    layout.storage.pull(layout.relative(layout.catalogue))
    return {Path(name).stem for name in layout.storage.names(layout.relative(layout.raw), "*.pdf")}


def after_crawl(layout: DataLayout) -> None:
    """The catalogue's snapshot and the raw files the store does not hold yet."""
    layout.storage.push_sqlite(layout.relative(layout.catalogue))
    layout.storage.push_missing(layout.relative(layout.raw), "*.pdf")


def parsed_state(layout: DataLayout) -> None:
    """The catalogue and every parsed partition: what the parse and the load read."""
    layout.storage.pull(layout.relative(layout.catalogue))
    layout.storage.pull_folder(layout.relative(layout.parsed), "session_year=*.jsonl")


def partition_state(layout: DataLayout, partition: Path) -> None:
    """The catalogue and one year's partition: what that year's parse reads."""
    layout.storage.pull(layout.relative(layout.catalogue), layout.relative(partition))


def raw_files(layout: DataLayout, paths: Iterable[Path]) -> None:
    """The raw files about to be parsed that this copy does not have."""
    layout.storage.pull_missing(layout.relative(path) for path in paths)


def after_parse(layout: DataLayout, partition: Path) -> None:
    """One refreshed partition."""
    layout.storage.push(layout.relative(partition))


def published(layout: DataLayout) -> None:
    """The warehouse just published."""
    layout.storage.push(layout.relative(layout.warehouse))


def fingerprint(layout: DataLayout, pushing: bool = False) -> None:
    """What the published warehouse was built from (pulled before comparing, pushed after)."""
    relative = layout.relative(stamp_path(layout))
    if pushing:
        layout.storage.push(relative)
    else:
        layout.storage.pull(relative)


def warehouse(layout: DataLayout) -> None:
    """The published warehouse, for a run that found nothing to rebuild."""
    layout.storage.pull(layout.relative(layout.warehouse))


def exports(layout: DataLayout) -> None:
    """The export folder's files that changed."""
    layout.storage.push_folder(EXPORTS)


def report(layout: DataLayout, path: Path) -> None:
    """The HTML report."""
    layout.storage.push(layout.relative(path))
