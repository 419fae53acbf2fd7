"""`polefunds crawl`: fetch what is new on the deliberations portal, politely."""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines import settings
from pipelines.crawl.ampmetropole import DOMAINES
from pipelines.datastore import DataStore
from pipelines.settings import PORTAL_URL

if TYPE_CHECKING:  # the crawl's modules load when the command runs, not when the CLI starts
    from tqdm import tqdm

    from pipelines.crawl.crawler import CrawlStats

EXIT_LISTING_FAILED = 1
EXIT_STOPPED = 3


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `crawl` sub-command."""
    parser = subparsers.add_parser(
        "crawl",
        help="crawl the deliberations portal into the raw store",
        description=(
            "Read the listing down to the cards already known, record every card, and download "
            "the documents of those about economic development or a pôle into DATA/raw/."
        ),
    )
    parser.add_argument("--base-url", default=PORTAL_URL, help=f"portal (default {PORTAL_URL})")
    parser.add_argument(
        "--since", type=date.fromisoformat, metavar="YYYY-MM-DD", help="stop at older cards"
    )
    parser.add_argument(
        "--max-pages", type=_positive, metavar="N", help="read at most N listing pages a domaine"
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR|URL",
        help="data folder or object-store URL (s3://bucket/prefix; default $POLEFUNDS_DATA_DIR)",
    )
    parser.add_argument(
        "--domaine",
        action="append",
        choices=DOMAINES,
        help="listing to read, repeatable (default: METROPOLE and ct1)",
    )
    parser.add_argument(
        "--all-documents",
        action="store_true",
        default=os.environ.get(settings.CRAWL_ALL_DOCUMENTS_ENV, "") in ("1", "true", "yes"),
        help=f"download every card's documents (or {settings.CRAWL_ALL_DOCUMENTS_ENV}=1)",
    )
    parser.add_argument(
        "--full",
        action="store_true",
        help="walk the whole listing now (a deep pass), not only down to the known cards",
    )
    parser.add_argument(
        "--retry-failed", action="store_true", help="retry failed documents now, not on schedule"
    )
    parser.add_argument(
        "--interval",
        type=float,
        metavar="SECONDS",
        help="seconds between two requests to the site (default 1)",
    )
    parser.add_argument(
        "--mirror",
        type=Path,
        metavar="DIR",
        help="serve DIR's PDFs as a local mirror on 127.0.0.1 and crawl that instead",
    )
    parser.add_argument(
        "--mirror-port", type=int, default=8765, help="port of the --mirror server (default 8765)"
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    parser.set_defaults(handler=run)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text}")
    return value


class BarProgress:
    """Progress bars on stderr: listing pages, then documents with the bytes downloaded."""

    def __init__(self, disable: bool | None) -> None:
        # disable=None lets tqdm hide the bars when stderr is not a terminal (cron, CI).
        self._disable = disable
        self._pages: tqdm | None = None
        self._documents: tqdm | None = None
        self._bytes = 0
        self._failed = 0

    def listing_page(self, domaine: str, page: int, cards: int, new: int) -> None:
        """One more listing page."""
        from tqdm import tqdm

        if self._pages is None:
            self._pages = tqdm(desc="listing", unit=" pages", disable=self._disable)
        self._pages.set_postfix_str(f"{domaine} p.{page}: {new}/{cards} new", refresh=False)
        self._pages.update()

    def documents_start(self, total: int) -> None:
        """The documents bar, now that their number is known."""
        from tqdm import tqdm

        if self._pages is not None:
            self._pages.close()
        self._documents = tqdm(total=total, desc="documents", unit=" docs", disable=self._disable)

    def document_done(self, size: int, ok: bool) -> None:
        """One more document."""
        from tqdm import tqdm

        if self._documents is None:
            return
        self._bytes += size
        self._failed += int(not ok)
        size_text = tqdm.format_sizeof(self._bytes, suffix="B", divisor=1024)
        self._documents.set_postfix_str(f"{size_text}, {self._failed} failed", refresh=False)
        self._documents.update()

    def close(self) -> None:
        """Close the bars."""
        for bar in (self._pages, self._documents):
            if bar is not None:
                bar.close()


def summary(stats: CrawlStats, data_dir: Path) -> str:
    """What the crawl did, in two lines."""
    from tqdm import tqdm

    size = tqdm.format_sizeof(stats.bytes_downloaded, suffix="B", divisor=1024)
    return (
        f"crawl: {stats.listing_pages} listing pages ({stats.listing_pages_not_modified} "
        f"unchanged), {stats.cards_seen} cards ({stats.cards_new} new); "
        f"{stats.documents_stored} documents stored ({stats.documents_new_files} new files, "
        f"{stats.documents_duplicates} already held), {stats.documents_failed} failed; "
        f"{size} in {stats.requests} requests, {stats.seconds:.1f} s\n"
        f"data: {data_dir} (crawl.sqlite: listing and manifest; raw/: <sha256>.pdf)"
    )


def run(args: argparse.Namespace) -> int:
    """Crawl; exit 1 when the listing could not be read (or its layout changed), 3 when the
    error budget stopped it."""
    from pipelines.crawl.crawler import CrawlStopped, LayoutChanged, crawl
    from pipelines.crawl.mirror import Mirror, load_site
    from pipelines.crawl.politeness import CrawlPolicy

    store = DataStore(args.data_dir)
    data_dir = store.layout.root
    policy = CrawlPolicy.from_env(min_interval=args.interval)
    progress = BarProgress(disable=True if args.no_progress else None)
    with ExitStack() as stack:
        base_url = args.base_url
        if args.mirror is not None:
            # A fixed port: the manifest keeps URLs, so a rerun must see the same ones.
            try:
                mirror = Mirror(load_site(args.mirror), port=args.mirror_port)
            except OSError as refused:
                print(
                    f"polefunds crawl: cannot serve the mirror on port {args.mirror_port} "
                    f"({refused.strerror}); choose another with --mirror-port",
                    file=sys.stderr,
                )
                return EXIT_LISTING_FAILED
            stack.enter_context(mirror)
            base_url = mirror.url
            print(f"mirror of {args.mirror} at {base_url}", file=sys.stderr)
        # What was fetched is kept in the store, even by a crawl cut short.
        with store.crawling() as (_, held):
            try:
                stats = crawl(
                    base_url,
                    held_elsewhere=held,
                    data_dir=data_dir,
                    since=args.since,
                    max_pages=args.max_pages,
                    domaines=tuple(args.domaine or DOMAINES),
                    download_all=args.all_documents,
                    full=args.full,
                    retry_failed=args.retry_failed,
                    policy=policy,
                    progress=progress,
                )
            except CrawlStopped as stopped:
                print(summary(stopped.stats, data_dir))
                print(f"polefunds crawl: {stopped}", file=sys.stderr)
                return EXIT_LISTING_FAILED if isinstance(stopped, LayoutChanged) else EXIT_STOPPED
    print(summary(stats, data_dir))
    for error in stats.listing_errors:
        print(f"polefunds crawl: listing not read to its end: {error}", file=sys.stderr)
    return EXIT_LISTING_FAILED if stats.listing_errors else 0
