"""Where the data lives, and what each stage reads and writes there.

`DataStore` is the one way to the data: a folder, or an object store seen through a local
working copy (pipelines/storage.py). Each stage opens it for what it does — `crawling()`,
`parsing()`, `loading()`, `publishing()`, `exporting()`, `reporting()`, `reading()` — and gets
the local layout; the store pulls what the stage reads before and pushes what it writes after
(nothing, for a folder). The table in pipelines/storage.py's docstring, as code. The Dagster
assets reach it through the `store` resource (pipelines/defs/resources.py), the commands
directly: both go through the same class.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pipelines import settings
from pipelines.settings import DataLayout


class DataStore:
    """A data location (folder or object-store URL) and its stages' files."""

    def __init__(self, location: str | None = None, work_dir: str | None = None) -> None:
        found = settings.layout(location)
        if work_dir and found.location:
            found = DataLayout(Path(work_dir), found.location)
        self.layout = found

    def _relative(self, path: Path) -> str:
        return self.layout.relative(path)

    @contextmanager
    def crawling(self) -> Iterator[tuple[DataLayout, set[str]]]:
        """The crawl: the catalogue if another machine moved it on, and the digests of the raw
        files the store holds (one missing here but held there is not damaged: the parse brings
        it when it needs it); after, even a crawl cut short, the catalogue's snapshot and the
        raw files the store lacks."""
        layout, storage = self.layout, self.layout.storage
        storage.pull(self._relative(layout.catalogue))
        held = {Path(name).stem for name in storage.names(self._relative(layout.raw), "*.pdf")}
        try:
            yield layout, held
        finally:
            storage.push_sqlite(self._relative(layout.catalogue))
            storage.push_missing(self._relative(layout.raw), "*.pdf")

    @contextmanager
    def parsing(self) -> Iterator[tuple[DataLayout, Callable[[list[Path]], None]]]:
        """The parse: the catalogue and every partition, and a function that brings the raw
        files about to be parsed; after, the partitions it refreshed."""
        layout, storage = self.layout, self.layout.storage
        storage.pull(self._relative(layout.catalogue))
        storage.pull_folder(self._relative(layout.parsed), layout.PARTITION_PATTERN)

        def fetch(paths: list[Path]) -> None:
            storage.pull_missing(self._relative(path) for path in paths)

        yield layout, fetch
        storage.push_folder(self._relative(layout.parsed), layout.PARTITION_PATTERN)

    @contextmanager
    def loading(self) -> Iterator[DataLayout]:
        """The load: the catalogue, every partition, people's corrections and the published
        warehouse's stamp."""
        layout, storage = self.layout, self.layout.storage
        storage.pull(self._relative(layout.catalogue), self._relative(layout.stamp))
        storage.pull_folder(self._relative(layout.parsed), layout.PARTITION_PATTERN)
        storage.pull_folder(self._relative(layout.corrections), layout.CORRECTION_PATTERN)
        yield layout

    @contextmanager
    def correcting(self) -> Iterator[DataLayout]:
        """People's corrections (`polefunds review accept`): the corrections folder; after,
        the corrections written."""
        layout, storage = self.layout, self.layout.storage
        storage.pull_folder(self._relative(layout.corrections), layout.CORRECTION_PATTERN)
        yield layout
        storage.push_folder(self._relative(layout.corrections), layout.CORRECTION_PATTERN)

    @contextmanager
    def reading(self) -> Iterator[DataLayout]:
        """A reader of the published warehouse (a run with nothing to build, `polefunds sql`):
        the store's warehouse, if this copy is behind it."""
        self.layout.storage.pull(self._relative(self.layout.warehouse))
        yield self.layout

    @contextmanager
    def publishing(self) -> Iterator[DataLayout]:
        """The publication: after, the warehouse and what it was built from."""
        yield self.layout
        storage = self.layout.storage
        storage.push(self._relative(self.layout.warehouse), self._relative(self.layout.stamp))

    @contextmanager
    def exporting(self) -> Iterator[DataLayout]:
        """The exports: after, the export folder's files that changed."""
        yield self.layout
        self.layout.storage.push_folder(self._relative(self.layout.exports))

    @contextmanager
    def reporting(self) -> Iterator[DataLayout]:
        """The report: after, the page (DATA/report.html)."""
        yield self.layout
        self.layout.storage.push(self._relative(self.layout.report))
