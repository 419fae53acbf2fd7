"""The incremental crawl: read the listing down to what is known, then fetch what is due."""

from __future__ import annotations

import time
from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol

from pipelines import settings
from pipelines.crawl.ampmetropole import (
    DOMAINES,
    PORTAL_URL,
    concerns_economy_or_pole,
    decode_page,
    listing_url,
    parse_listing,
)
from pipelines.crawl.politeness import (
    CrawlAborted,
    CrawlPolicy,
    FetchError,
    PoliteClient,
    host_of,
)
from pipelines.crawl.store import CATALOGUE_NAME, RAW_FOLDER, Catalogue, RawStore


@dataclass
class CrawlStats:
    """What one crawl did; the counts become Dagster metadata."""

    listing_pages: int = 0
    listing_pages_not_modified: int = 0
    cards_seen: int = 0
    cards_new: int = 0
    documents_due: int = 0
    documents_stored: int = 0
    documents_new_files: int = 0
    documents_duplicates: int = 0
    documents_failed: int = 0
    # Stored files found missing or not hashing to their name, so fetched again.
    documents_damaged: int = 0
    bytes_downloaded: int = 0
    requests: int = 0
    seconds: float = 0.0
    listing_errors: list[str] = field(default_factory=list)
    aborted: str | None = None

    def as_metadata(self) -> dict[str, int | float | str]:
        """Flat numbers (and the abort reason, if any) for Dagster's MaterializeResult."""
        metadata: dict[str, int | float | str] = {
            name: value
            for name, value in asdict(self).items()
            if isinstance(value, int | float) and not isinstance(value, bool)
        }
        metadata["listing_errors"] = len(self.listing_errors)
        if self.aborted:
            metadata["aborted"] = self.aborted
        return metadata


class CrawlStopped(Exception):
    """The crawl stopped before its end (error budget spent); what it had done is kept."""

    def __init__(self, message: str, stats: CrawlStats) -> None:
        super().__init__(message)
        self.stats = stats


class Progress(Protocol):
    """Receives the crawl's progress (a progress bar on the command line, nothing in tests)."""

    def listing_page(self, domaine: str, page: int, cards: int, new: int) -> None:
        """A listing page was read."""

    def documents_start(self, total: int) -> None:
        """The download phase begins with total documents due."""

    def document_done(self, size: int, ok: bool) -> None:
        """One document was fetched (ok) or failed."""

    def close(self) -> None:
        """The crawl is over."""


class NoProgress:
    """Progress that shows nothing."""

    def listing_page(self, domaine: str, page: int, cards: int, new: int) -> None:
        """Ignore."""

    def documents_start(self, total: int) -> None:
        """Ignore."""

    def document_done(self, size: int, ok: bool) -> None:
        """Ignore."""

    def close(self) -> None:
        """Ignore."""


def crawl(
    base_url: str = PORTAL_URL,
    *,
    data_dir: str | Path | None = None,
    since: date | str | None = None,
    max_pages: int | None = None,
    domaines: Sequence[str] = DOMAINES,
    download_all: bool = False,
    full: bool = False,
    retry_failed: bool = False,
    policy: CrawlPolicy | None = None,
    progress: Progress | None = None,
    held_elsewhere: Collection[str] = (),
) -> CrawlStats:
    """Crawl the portal at base_url into data_dir; CrawlStopped when the error budget is spent."""
    started = time.monotonic()
    folder = settings.data_dir(data_dir)
    since_text = since.isoformat() if isinstance(since, date) else since
    progress = progress or NoProgress()
    stats = CrawlStats()
    store = RawStore(folder / RAW_FOLDER)
    # A crash between writing a temporary file and renaming it leaves a .part: harmless, swept.
    store.sweep()
    with (
        Catalogue(folder / CATALOGUE_NAME) as catalogue,
        PoliteClient([host_of(base_url)], policy) as client,
    ):
        # A stored file that lost bytes (disk, hand edit) no longer hashes to its name: it is
        # removed and its documents are fetched again by this run. A file whose size and mtime
        # are those of its last good hash is trusted, but for a rotating share hashed again.
        # A file held by the object store this folder is a working copy of (held_elsewhere)
        # need not be here.
        checked: dict[str, tuple[int, int]] = {}
        expected = {
            sha256: size
            for sha256, size in catalogue.stored_digests().items()
            if sha256 not in held_elsewhere or store.path(sha256).exists()
        }
        damaged = store.damaged(
            expected,
            trusted=catalogue.raw_checks(client.policy.raw_rehash_share),
            checked=checked,
        )
        catalogue.record_raw_checks(checked)
        for sha256 in damaged:
            store.discard(sha256)
        catalogue.fetch_again(damaged)
        stats.documents_damaged = len(damaged)
        try:
            for domaine in domaines:
                _read_listing(
                    client,
                    catalogue,
                    stats,
                    progress,
                    base_url,
                    domaine,
                    since_text,
                    max_pages,
                    full,
                )
            _download(
                client,
                catalogue,
                store,
                stats,
                progress,
                download_all=download_all,
                since=since_text,
                retry_failed=retry_failed,
            )
        except CrawlAborted as error:
            stats.aborted = str(error)
            raise CrawlStopped(str(error), stats) from error
        finally:
            stats.requests = client.requests
            stats.seconds = round(time.monotonic() - started, 3)
            progress.close()
    return stats


def _read_listing(
    client: PoliteClient,
    catalogue: Catalogue,
    stats: CrawlStats,
    progress: Progress,
    base_url: str,
    domaine: str,
    since: str | None,
    max_pages: int | None,
    full: bool,
) -> None:
    """Read listing pages from the newest until known cards, then finish an unfinished backfill."""
    state = catalogue.state(domaine)
    resume = state.next_page
    page, pages_read = 1, 0
    while max_pages is None or pages_read < max_pages:
        url = listing_url(base_url, page, domaine)
        etag, last_modified = catalogue.page_validators(url)
        try:
            fetched = client.get(url, etag=etag, last_modified=last_modified)
        except FetchError as error:
            stats.listing_errors.append(f"{domaine} page {page}: {error.reason}")
            return
        pages_read += 1
        stats.listing_pages += 1
        if fetched.not_modified:
            # Unchanged since we read it: every card on it is known.
            stats.listing_pages_not_modified += 1
            progress.listing_page(domaine, page, 0, 0)
            all_known, past_since = True, False
        else:
            text = decode_page(fetched.content, fetched.content_type)
            cards = parse_listing(text, url, domaine)
            if not cards:
                progress.listing_page(domaine, page, 0, 0)
                # Past the end: the listing has been read through once.
                catalogue.record_page(
                    domaine=domaine,
                    page=page,
                    url=url,
                    cards=[],
                    etag=fetched.etag,
                    last_modified=fetched.last_modified,
                    advance_to=None,
                    complete=True,
                )
                return
            known = catalogue.known_cards([card.card_id for card in cards])
            new = sum(card.card_id not in known for card in cards)
            catalogue.record_page(
                domaine=domaine,
                page=page,
                url=url,
                cards=[(card, concerns_economy_or_pole(card)) for card in cards],
                etag=fetched.etag,
                last_modified=fetched.last_modified,
                advance_to=page + 1,
            )
            resume = max(resume, page + 1)
            stats.cards_seen += len(cards)
            stats.cards_new += new
            progress.listing_page(domaine, page, len(cards), new)
            all_known = new == 0
            # Newest first: once a whole page is older than --since, so is the rest.
            past_since = since is not None and all(
                card.session_date is not None and card.session_date < since for card in cards
            )
        if past_since:
            return
        if all_known and not full:
            if state.complete:
                return
            if page + 1 < resume:
                # The top is caught up; an earlier run stopped mid-way: carry on from there.
                page = resume
                continue
        page += 1


def _download(
    client: PoliteClient,
    catalogue: Catalogue,
    store: RawStore,
    stats: CrawlStats,
    progress: Progress,
    *,
    download_all: bool,
    since: str | None,
    retry_failed: bool,
) -> None:
    """Fetch every due document once; store it by content; record success or reason."""
    due = catalogue.due_documents(download_all=download_all, since=since, retry_failed=retry_failed)
    stats.documents_due = len(due)
    progress.documents_start(len(due))
    for document in due:
        try:
            fetched = client.get(document.url, expect_pdf=True)
            if fetched.not_modified:
                raise FetchError("HTTP 304 to an unconditional request", url=document.url)
        except FetchError as error:
            catalogue.record_failure(
                document.url,
                status=error.status,
                error=error.reason,
                retryable=error.retryable,
                attempts=document.attempts,
            )
            stats.documents_failed += 1
            progress.document_done(0, ok=False)
            continue
        sha256, new_file = store.put(fetched.content)
        catalogue.record_document(
            document.url,
            status=fetched.status,
            size=len(fetched.content),
            sha256=sha256,
            content_type=fetched.content_type,
            final_url=fetched.final_url,
            etag=fetched.etag,
            last_modified=fetched.last_modified,
        )
        stats.documents_stored += 1
        stats.documents_new_files += int(new_file)
        stats.documents_duplicates += int(not new_file)
        stats.bytes_downloaded += len(fetched.content)
        progress.document_done(len(fetched.content), ok=True)
