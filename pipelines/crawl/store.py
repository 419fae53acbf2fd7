"""Where the crawl keeps what it found: a content-addressed raw store and a SQLite catalogue."""

from __future__ import annotations

import hashlib
import json
import math
import os
import sqlite3
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pipelines.crawl.ampmetropole import ACT_FOLDERS, REPORT_FOLDER, ListingCard, document_kind
from pipelines.crawl.impact import READER_VERSION, read_financial_impact

CATALOGUE_NAME = "crawl.sqlite"
RAW_FOLDER = "raw"
# A failure worth retrying waits a day, then two, four...: a daily schedule retries it gently.
RETRY_AFTER_FIRST_FAILURE = timedelta(days=1)
MAX_DOCUMENT_ATTEMPTS = 5

SCHEMA = """
create table if not exists listing (
    card_id text primary key,
    domaine text not null,
    session_date text,
    instance text,
    body text,
    authority text,
    territory_id text,
    commission text,
    rapporteur text,
    title text,
    summary text,
    financial_impact text,
    -- financial_impact read (pipelines/crawl/impact.py): none, expense, income or unread;
    -- sums as decimal text ('74500.00'); the split as JSON; the reader's version
    impact_kind text,
    impact_total_eur text,
    impact_total_ht_eur text,
    impact_split text,
    impact_reader text,
    document_urls text not null,
    relevant integer not null,
    listing_url text not null,
    first_seen text not null,
    last_seen text not null
);
create index if not exists listing_session_date on listing (session_date);

create table if not exists manifest (
    url text primary key,
    card_id text not null,
    kind text not null,
    -- 1 for the document that holds its card's act (the one the warehouse parses)
    is_act integer not null default 0,
    first_seen text not null,
    last_seen text not null,
    state text not null default 'new' check (state in ('new', 'ok', 'failed')),
    http_status integer,
    bytes integer,
    sha256 text,
    content_type text,
    error text,
    retryable integer,
    attempts integer not null default 0,
    fetched_at text,
    next_attempt_at text,
    final_url text,
    etag text,
    last_modified text
);
create index if not exists manifest_state on manifest (state);
create index if not exists manifest_sha256 on manifest (sha256);

create table if not exists listing_page (
    url text primary key,
    etag text,
    last_modified text,
    cards integer not null,
    -- the page's "N résultat(s)", so that an unchanged page (304) still tells the listing's end
    results integer,
    fetched_at text not null
);

-- The raw files whose bytes were last hashed and found intact, with what stat said then:
-- a file whose size and mtime still match is trusted until its turn in the rotation.
create table if not exists raw_check (
    sha256 text primary key,
    size integer not null,
    mtime_ns integer not null,
    checked_at text not null
);

-- next_page: where an unfinished walk down the listing carries on (1: none under way);
-- complete: the listing was read to its end once; deep_pass_at: when a walk last reached it.
create table if not exists crawl_state (
    domaine text primary key,
    next_page integer not null,
    complete integer not null,
    updated_at text not null,
    deep_pass_at text
);
"""
# Columns added since the first catalogues: added in place to an older file, then filled.
_ADDED_COLUMNS = (
    ("listing", "authority", "text"),
    ("listing", "territory_id", "text"),
    ("manifest", "is_act", "integer not null default 0"),
    ("listing_page", "results", "integer"),
    ("crawl_state", "deep_pass_at", "text"),
    ("listing", "impact_kind", "text"),
    ("listing", "impact_total_eur", "text"),
    ("listing", "impact_total_ht_eur", "text"),
    ("listing", "impact_split", "text"),
    ("listing", "impact_reader", "text"),
)
_LISTING_COLUMNS = (
    "card_id",
    "domaine",
    "session_date",
    "instance",
    "body",
    "authority",
    "territory_id",
    "commission",
    "rapporteur",
    "title",
    "summary",
    "financial_impact",
    "impact_kind",
    "impact_total_eur",
    "impact_total_ht_eur",
    "impact_split",
    "impact_reader",
    "document_urls",
    "relevant",
    "listing_url",
    "first_seen",
    "last_seen",
)


def impact_columns(text: str | None) -> tuple[str | None, ...]:
    """A card's financial impact as the listing stores it: kind, total, HT total, split JSON,
    reader version (all None for a card that states none)."""
    if text is None:
        return (None, None, None, None, None)
    impact = read_financial_impact(text)
    return (
        impact.kind,
        None if impact.total_eur is None else str(impact.total_eur),
        None if impact.total_ht_eur is None else str(impact.total_ht_eur),
        impact.split_json(),
        READER_VERSION,
    )


def utc_now() -> str:
    """Now, as the catalogue writes times: ISO 8601 UTC to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class RawStore:
    """PDFs stored once each as <sha256>.pdf, written atomically; names never come from a server."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        """Where the document with this digest lives."""
        return self.folder / f"{sha256}.pdf"

    def put(self, content: bytes) -> tuple[str, bool]:
        """Store content; its sha256 and whether it was new to the store."""
        sha256 = hashlib.sha256(content).hexdigest()
        target = self.path(sha256)
        if target.exists() and self._intact(target, sha256):
            return sha256, False
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".incoming-", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(content)
                stream.flush()
                os.fsync(stream.fileno())
            # Re-read what landed on disk: the name is a promise about the bytes.
            if not self._intact(Path(temporary), sha256):
                raise OSError(f"raw store: {temporary} does not hash to {sha256}")
            # Read-only: a file named by its digest must never change.
            os.chmod(temporary, 0o444)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return sha256, True

    def sweep(self) -> int:
        """Remove temporary files a crash left behind; how many."""
        leftovers = list(self.folder.glob(".incoming-*.part"))
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)
        return len(leftovers)

    def damaged(
        self,
        expected: dict[str, int],
        trusted: Mapping[str, tuple[int, int]] | None = None,
        checked: dict[str, tuple[int, int]] | None = None,
    ) -> list[str]:
        """Of the digests expected (with their size), those whose file is missing or altered.

        A stat first (missing, other size); then the full hash (about 1 s a GB), except for a
        file in `trusted` whose (size, mtime_ns) are still those of its last check. The files
        hashed and found intact are added to `checked` with their (size, mtime_ns).
        """
        bad = []
        for sha256, size in sorted(expected.items()):
            target = self.path(sha256)
            try:
                status = target.stat()
                seen = (status.st_size, status.st_mtime_ns)
                if status.st_size != size:
                    intact = False
                elif trusted is not None and trusted.get(sha256) == seen:
                    continue
                else:
                    intact = self._intact(target, sha256)
            except OSError:
                intact = False
            if not intact:
                bad.append(sha256)
            elif checked is not None:
                checked[sha256] = seen
        return bad

    def discard(self, sha256: str) -> None:
        """Remove a damaged file, so that its document is fetched and stored again."""
        self.path(sha256).unlink(missing_ok=True)

    def digests(self) -> set[str]:
        """The digests of every stored document."""
        return {path.stem for path in self.folder.glob("*.pdf")}

    @staticmethod
    def _intact(path: Path, sha256: str) -> bool:
        digest = hashlib.sha256()
        with path.open("rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest() == sha256


@dataclass(frozen=True)
class DueDocument:
    """A document the download phase should fetch."""

    url: str
    card_id: str
    kind: str
    attempts: int


@dataclass(frozen=True)
class CrawlState:
    """How far the listing of one domaine has been read."""

    next_page: int
    complete: bool
    # When a walk last reached the end of the listing (ISO 8601 UTC), None if never.
    deep_pass_at: str | None = None

    def deep_pass_due(self, every_days: float, now: datetime | None = None) -> bool:
        """Whether a walk to the end of the listing is due (every_days <= 0: every crawl)."""
        if every_days <= 0 or self.deep_pass_at is None:
            return True
        now = now or datetime.now(UTC)
        return now - datetime.fromisoformat(self.deep_pass_at) >= timedelta(days=every_days)


class Catalogue:
    """The listing and the manifest, in SQLite; each change is one transaction."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        # Autocommit mode: transactions are opened explicitly by `transaction()`.
        self._db = sqlite3.connect(path, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("pragma journal_mode = wal")
        self._db.execute("pragma synchronous = normal")
        self._db.executescript(SCHEMA)
        self._migrate()

    def _migrate(self) -> None:
        """Bring a catalogue written by an earlier version up to this schema."""
        added = []
        for table, column, declaration in _ADDED_COLUMNS:
            columns = {row["name"] for row in self._db.execute(f"pragma table_info({table})")}
            if column not in columns:
                self._db.execute(f"alter table {table} add column {column} {declaration}")
                added.append(column)
        if "is_act" in added:
            # Folders an earlier adapter did not know (DELIBERATION was OTHER) get their kind.
            others = self._db.execute("select url from manifest where kind = 'OTHER'").fetchall()
            self._db.executemany(
                "update manifest set kind = ? where url = ?",
                [(document_kind(row["url"]), row["url"]) for row in others],
            )
            # Each card's act: its DECISION or DELIBERATION, else its report (act_of's rule).
            acts = ", ".join(f"'{kind}'" for kind in (*ACT_FOLDERS, REPORT_FOLDER))
            self._db.execute(
                f"""
                update manifest set is_act = coalesce(url = (
                    select a.url from manifest a
                    where a.card_id = manifest.card_id and a.kind in ({acts})
                    order by a.kind = '{REPORT_FOLDER}', a.rowid limit 1
                ), 0)
                """
            )
        # Cards stored before the reader, or read by an earlier version of its rules.
        stale = self._db.execute(
            "select card_id, financial_impact from listing "
            "where financial_impact is not null and impact_reader is not ?",
            (READER_VERSION,),
        ).fetchall()
        if stale:
            with self.transaction() as db:
                db.executemany(
                    "update listing set impact_kind = ?, impact_total_eur = ?, "
                    "impact_total_ht_eur = ?, impact_split = ?, impact_reader = ? "
                    "where card_id = ?",
                    [(*impact_columns(row[1]), row[0]) for row in stale],
                )

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def __enter__(self) -> Catalogue:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All or nothing: a crash inside leaves the catalogue as it was before."""
        self._db.execute("begin immediate")
        try:
            yield self._db
        except BaseException:
            self._db.execute("rollback")
            raise
        self._db.execute("commit")

    def known_cards(self, card_ids: Sequence[str]) -> set[str]:
        """Those of card_ids already in the listing."""
        if not card_ids:
            return set()
        marks = ",".join("?" * len(card_ids))
        rows = self._db.execute(
            f"select card_id from listing where card_id in ({marks})", tuple(card_ids)
        )
        return {row["card_id"] for row in rows}

    def record_page(
        self,
        *,
        domaine: str,
        page: int,
        url: str,
        cards: Sequence[tuple[ListingCard, bool]],
        etag: str | None,
        last_modified: str | None,
        advance_to: int | None,
        complete: bool = False,
        results: int | None = None,
    ) -> None:
        """One listing page's cards, their documents, its validators and the resume point.

        advance_to: the page an unfinished walk would carry on from (it only moves forward);
        complete: the walk reached the end of the listing (it is read through; the next walk
        starts from the top).
        """
        now = utc_now()
        columns = ", ".join(_LISTING_COLUMNS)
        marks = ", ".join("?" * len(_LISTING_COLUMNS))
        updates = ", ".join(
            f"{column} = excluded.{column}"
            for column in _LISTING_COLUMNS
            if column not in ("card_id", "domaine", "first_seen")
        )
        with self.transaction() as db:
            for card, relevant in cards:
                db.execute(
                    f"""
                    insert into listing ({columns}) values ({marks})
                    on conflict (card_id) do update set {updates}
                    """,
                    (
                        card.card_id,
                        card.domaine,
                        card.session_date,
                        card.instance,
                        card.body,
                        card.authority,
                        card.territory_id,
                        card.commission,
                        card.rapporteur,
                        card.title,
                        card.summary,
                        card.financial_impact,
                        *impact_columns(card.financial_impact),
                        json.dumps(list(card.document_urls)),
                        int(relevant),
                        url,
                        now,
                        now,
                    ),
                )
                act = card.act
                for document in card.documents:
                    db.execute(
                        """
                        insert into manifest (url, card_id, kind, is_act, first_seen, last_seen)
                        values (?,?,?,?,?,?)
                        on conflict (url) do update set last_seen = excluded.last_seen,
                            kind = excluded.kind, is_act = excluded.is_act
                        """,
                        (document.url, card.card_id, document.kind, int(document == act), now, now),
                    )
            db.execute(
                """
                insert into listing_page (url, etag, last_modified, cards, results, fetched_at)
                values (?,?,?,?,?,?)
                on conflict (url) do update set etag = excluded.etag,
                    last_modified = excluded.last_modified, cards = excluded.cards,
                    results = excluded.results, fetched_at = excluded.fetched_at
                """,
                (url, etag, last_modified, len(cards), results, now),
            )
            if complete:
                self._walk_done(db, domaine, now)
            elif advance_to is not None:
                self._set_state(db, domaine, advance_to, now)

    def page_validators(self, url: str) -> tuple[str | None, str | None]:
        """The ETag and Last-Modified a listing page came with last time."""
        row = self._db.execute(
            "select etag, last_modified from listing_page where url = ?", (url,)
        ).fetchone()
        return (row["etag"], row["last_modified"]) if row else (None, None)

    def page_counts(self, url: str) -> tuple[int, int | None]:
        """How many cards a listing page held last time, and the result count it printed."""
        row = self._db.execute(
            "select cards, results from listing_page where url = ?", (url,)
        ).fetchone()
        return (int(row["cards"]), row["results"]) if row else (0, None)

    def state(self, domaine: str) -> CrawlState:
        """How far the listing of domaine has been read."""
        row = self._db.execute(
            "select next_page, complete, deep_pass_at from crawl_state where domaine = ?",
            (domaine,),
        ).fetchone()
        if not row:
            return CrawlState(1, False)
        return CrawlState(row["next_page"], bool(row["complete"]), row["deep_pass_at"])

    @staticmethod
    def _set_state(db: sqlite3.Connection, domaine: str, next_page: int, now: str) -> None:
        db.execute(
            """
            insert into crawl_state (domaine, next_page, complete, updated_at) values (?, ?, 0, ?)
            on conflict (domaine) do update set
                next_page = max(next_page, excluded.next_page), updated_at = excluded.updated_at
            """,
            (domaine, next_page, now),
        )

    def finish_walk(self, domaine: str) -> None:
        """The walk reached the end of the listing on a page that had not changed (304)."""
        with self.transaction() as db:
            self._walk_done(db, domaine, utc_now())

    @staticmethod
    def _walk_done(db: sqlite3.Connection, domaine: str, now: str) -> None:
        db.execute(
            """
            insert into crawl_state (domaine, next_page, complete, updated_at, deep_pass_at)
            values (?, 1, 1, ?, ?)
            on conflict (domaine) do update set next_page = 1, complete = 1,
                updated_at = excluded.updated_at, deep_pass_at = excluded.deep_pass_at
            """,
            (domaine, now, now),
        )

    def stored_digests(self) -> dict[str, int]:
        """The digest and size of every document the manifest says is stored."""
        rows = self._db.execute(
            "select sha256, max(bytes) from manifest where state = 'ok' and sha256 is not null "
            "group by sha256"
        )
        return {sha256: int(size or 0) for sha256, size in rows}

    def raw_checks(self, rehash_share: float) -> dict[str, tuple[int, int]]:
        """The stored files to trust on a matching stat: (size, mtime_ns) by digest.

        The `rehash_share` of them checked longest ago are left out, so that they are hashed
        again: bit rot that leaves size and mtime alone is found within 1/rehash_share runs.
        """
        rows = self._db.execute(
            "select sha256, size, mtime_ns from raw_check order by checked_at, sha256"
        ).fetchall()
        rotate = math.ceil(len(rows) * rehash_share)
        return {sha256: (int(size), int(mtime_ns)) for sha256, size, mtime_ns in rows[rotate:]}

    def record_raw_checks(self, checked: Mapping[str, tuple[int, int]]) -> None:
        """Remember the files just hashed and found intact, with their stat."""
        now = datetime.now(UTC).isoformat()  # to the microsecond: the rotation's order
        with self.transaction() as db:
            db.executemany(
                "insert into raw_check (sha256, size, mtime_ns, checked_at) values (?, ?, ?, ?) "
                "on conflict (sha256) do update set size = excluded.size, "
                "mtime_ns = excluded.mtime_ns, checked_at = excluded.checked_at",
                [(sha, size, mtime, now) for sha, (size, mtime) in sorted(checked.items())],
            )

    def fetch_again(self, digests: Sequence[str]) -> int:
        """Mark the documents stored under these digests as new (their file was damaged)."""
        if not digests:
            return 0
        marks = ",".join("?" * len(digests))
        with self.transaction() as db:
            cursor = db.execute(
                f"update manifest set state = 'new', sha256 = null, bytes = null, fetched_at = null "
                f"where state = 'ok' and sha256 in ({marks})",
                tuple(digests),
            )
        return cursor.rowcount

    def due_documents(
        self, *, download_all: bool, since: str | None, retry_failed: bool
    ) -> list[DueDocument]:
        """Documents to fetch now: new wanted ones, then failures whose retry is due."""
        rows = self._db.execute(
            """
            select m.url, m.card_id, m.kind, m.attempts
            from manifest m join listing l using (card_id)
            where (
                m.state = 'new'
                and (l.relevant = 1 or :all)
                and (:since is null or l.session_date >= :since)
            ) or (
                m.state = 'failed'
                and (:retry or (m.retryable = 1 and m.attempts < :max_attempts
                                and m.next_attempt_at <= :now))
            )
            order by m.state desc, l.session_date desc, m.url
            """,
            {
                "all": int(download_all),
                "since": since,
                "retry": int(retry_failed),
                "max_attempts": MAX_DOCUMENT_ATTEMPTS,
                "now": utc_now(),
            },
        )
        return [DueDocument(r["url"], r["card_id"], r["kind"], r["attempts"]) for r in rows]

    def record_document(
        self,
        url: str,
        *,
        status: int,
        size: int,
        sha256: str,
        content_type: str | None,
        final_url: str,
        etag: str | None,
        last_modified: str | None,
    ) -> None:
        """A document fetched and stored."""
        now = utc_now()
        with self.transaction() as db:
            db.execute(
                """
                update manifest set state = 'ok', http_status = ?, bytes = ?, sha256 = ?,
                    content_type = ?, error = null, retryable = null, attempts = attempts + 1,
                    fetched_at = ?, next_attempt_at = null, final_url = ?, etag = ?,
                    last_modified = ?, last_seen = ?
                where url = ?
                """,
                (status, size, sha256, content_type, now, final_url, etag, last_modified, now, url),
            )

    def record_failure(
        self, url: str, *, status: int | None, error: str, retryable: bool, attempts: int
    ) -> None:
        """A document that could not be had, with its reason and when to try again."""
        now = datetime.now(UTC).replace(microsecond=0)
        wait = RETRY_AFTER_FIRST_FAILURE * 2**attempts
        with self.transaction() as db:
            db.execute(
                """
                update manifest set state = 'failed', http_status = ?, error = ?, retryable = ?,
                    attempts = attempts + 1, fetched_at = ?, next_attempt_at = ?
                where url = ?
                """,
                (
                    status,
                    error,
                    int(retryable),
                    now.isoformat(),
                    (now + wait).isoformat() if retryable else None,
                    url,
                ),
            )

    def manifest(self) -> list[dict[str, object]]:
        """Every manifest row, by URL."""
        return [dict(row) for row in self._db.execute("select * from manifest order by url")]

    def listing(self) -> list[dict[str, object]]:
        """Every listing row, newest session first."""
        rows = self._db.execute("select * from listing order by session_date desc, card_id")
        return [dict(row) for row in rows]

    def counts(self) -> dict[str, int]:
        """Cards, and documents by state."""
        counts = {"cards": self._db.execute("select count(*) from listing").fetchone()[0]}
        for row in self._db.execute("select state, count(*) as n from manifest group by state"):
            counts[f"documents_{row['state']}"] = row["n"]
        return counts
