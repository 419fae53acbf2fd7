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
    CARD_SELECTOR,
    DOMAINES,
    ListingCard,
    ListingPage,
    concerns_economy_or_pole,
    decode_page,
    listing_url,
    read_listing_page,
)
from pipelines.crawl.politeness import (
    CrawlAborted,
    CrawlPolicy,
    FetchError,
    PoliteClient,
    host_of,
)
from pipelines.crawl.store import CATALOGUE_NAME, RAW_FOLDER, Catalogue, RawStore
from pipelines.settings import PORTAL_URL


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
        except LayoutChanged as error:
            stats.aborted = str(error)
            raise
        finally:
            stats.requests = client.requests
            stats.seconds = round(time.monotonic() - started, 3)
            progress.close()
    return stats


class LayoutChanged(CrawlStopped):
    """A listing page answered, but not with what the adapter knows: the portal changed."""

    def __init__(self, url: str, missing: str, stats: CrawlStats) -> None:
        super().__init__(
            f"listing page {url} answered, but {missing}: the portal's layout may have changed "
            "and the adapter (pipelines/crawl/ampmetropole.py) must follow it; "
            "nothing after this page was read",
            stats,
        )
        self.url = url
        self.missing = missing


@dataclass
class _Page:
    """What one listing page told the walk."""

    cards: int
    new: int
    # Whether each card, in page order, was new (empty for a page answered 304).
    new_flags: list[bool]
    end: bool
    past_since: bool


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
    """Walk the listing from the newest card; see docs/crawling.md.

    Pages shift as acts are added, so the walk does not trust page numbers: it stops after
    `known_run` known cards in a row, unless a walk to the end is under way (the first one,
    one cut short, a deep pass due every `deep_pass_days`, or --full). A walk cut short carries
    on from one page before where it stopped, stepping back until it meets a known card.
    """
    policy = client.policy
    state = catalogue.state(domaine)
    walking = full or not state.complete or state.next_page > 1
    walking = walking or state.deep_pass_due(policy.deep_pass_days)
    resume = 1 if full else state.next_page
    walk = _Walk(client, catalogue, stats, progress, base_url, domaine, since, walking)
    page, run, pages_read = 1, 0, 0
    top_end = 0  # the last page read before jumping to the resume point
    checking_overlap = False
    while max_pages is None or pages_read < max_pages:
        read = walk.page(page)
        if read is None:
            return
        pages_read += 1
        if checking_overlap:
            if read.cards and read.new == read.cards and page - 1 > top_end:
                # Nothing known where the walk stopped: the listing moved up; step back.
                page -= 1
                continue
            checking_overlap = False
        if read.end or read.past_since:
            return
        for new in read.new_flags or [False] * read.cards:
            run = 0 if new else run + 1
        if run >= policy.known_run:
            if not walking:
                return
            if top_end == 0 and resume - 1 > page + 1:
                # The top is caught up; a walk stopped further down last time: carry on there.
                top_end, page, checking_overlap = page, resume - 1, True
                continue
        page += 1


class _Walk:
    """Reads one domaine's listing pages for _read_listing: fetch, check, record."""

    def __init__(
        self,
        client: PoliteClient,
        catalogue: Catalogue,
        stats: CrawlStats,
        progress: Progress,
        base_url: str,
        domaine: str,
        since: str | None,
        walking: bool,
    ) -> None:
        self.client, self.catalogue, self.stats, self.progress = client, catalogue, stats, progress
        self.base_url, self.domaine, self.since, self.walking = base_url, domaine, since, walking
        # Cards a full page holds (the most seen on one page) and the latest result count.
        self.per_page = 0
        self.results: int | None = None

    def page(self, page: int) -> _Page | None:
        """Read, check and record one page; None when it could not be fetched."""
        url = listing_url(self.base_url, page, self.domaine)
        etag, last_modified = self.catalogue.page_validators(url)
        try:
            fetched = self.client.get(url, etag=etag, last_modified=last_modified)
        except FetchError as error:
            self.stats.listing_errors.append(f"{self.domaine} page {page}: {error.reason}")
            return None
        self.stats.listing_pages += 1
        if fetched.not_modified:
            # Unchanged since we read it: every card on it is known, and so is its count.
            self.stats.listing_pages_not_modified += 1
            held, results = self.catalogue.page_counts(url)
            self._learn(held, results)
            self.progress.listing_page(self.domaine, page, 0, 0)
            end = self._at_end(page, held)
            if end:
                self.catalogue.finish_walk(self.domaine)
            return _Page(held, 0, [], end, False)
        listing = read_listing_page(
            decode_page(fetched.content, fetched.content_type), url, self.domaine
        )
        self._check_layout(url, page, listing)
        cards = listing.cards
        self._learn(len(cards), listing.result_count)
        end = self._at_end(page, len(cards))
        known = self.catalogue.known_cards([card.card_id for card in cards])
        flags = [card.card_id not in known for card in cards]
        self._record(
            page, url, cards, fetched.etag, fetched.last_modified, listing.result_count, end
        )
        self.stats.cards_seen += len(cards)
        self.stats.cards_new += sum(flags)
        self.progress.listing_page(self.domaine, page, len(cards), sum(flags))
        # Newest first: once a whole page is older than --since, so is the rest.
        past_since = (
            bool(cards)
            and self.since is not None
            and all(
                card.session_date is not None and card.session_date < self.since for card in cards
            )
        )
        return _Page(len(cards), sum(flags), flags, end, past_since)

    def _learn(self, cards: int, results: int | None) -> None:
        self.per_page = max(self.per_page, cards)
        if results is not None:
            self.results = results

    def _at_end(self, page: int, cards: int) -> bool:
        """Whether this page is the listing's last, by the result count (not by asking past it)."""
        if self.results is None:
            return False
        if self.results == 0:
            return True
        if cards == 0:
            return self.per_page > 0 and (page - 1) * self.per_page >= self.results
        return page * self.per_page >= self.results

    def _check_layout(self, url: str, page: int, listing: ListingPage) -> None:
        """Stop the crawl, naming the page and what is missing, when it is not what we know."""
        cards = listing.cards
        missing = None
        if not cards and listing.result_count is None:
            missing = f"no card (no {CARD_SELECTOR!r}) and no result count ('N résultat(s)')"
        elif not cards:
            results = self.results if listing.result_count is None else listing.result_count
            per_page = self.per_page
            if results and not (per_page and (page - 1) * per_page >= results):
                missing = (
                    f"no card (no {CARD_SELECTOR!r}), though {results} résultat(s) should put "
                    "some on this page"
                )
        elif listing.result_count is None:
            missing = "no result count ('N résultat(s)') above its cards"
        elif undated := sum(card.session_date is None for card in cards):
            missing = f"{undated} of its {len(cards)} cards without a date ('Délibération du')"
        elif not any(card.documents for card in cards):
            missing = f"none of its {len(cards)} cards links a document (/documents/...)"
        if missing:
            raise LayoutChanged(url, missing, self.stats)

    def _record(
        self,
        page: int,
        url: str,
        cards: list[ListingCard],
        etag: str | None,
        last_modified: str | None,
        results: int | None,
        end: bool,
    ) -> None:
        self.catalogue.record_page(
            domaine=self.domaine,
            page=page,
            url=url,
            cards=[(card, concerns_economy_or_pole(card)) for card in cards],
            etag=etag,
            last_modified=last_modified,
            # Only a walk to the end moves the resume point; a daily look at the top does not.
            advance_to=page + 1 if self.walking else None,
            complete=end,
            results=results,
        )


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
