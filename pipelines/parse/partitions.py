"""Parsed records kept per session year, so a year is parsed in parallel and loaded in one step.

`parsed/session_year=2019.jsonl` holds one line per downloaded act of 2019:
`{"sha256", "parser_version", "record"}`. A partition is rebuilt by reusing the records of
unchanged documents parsed by the same parser version and parsing the rest; the file is
replaced in one rename, so a run killed half way leaves the previous file intact.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pipelines import atomic
from pipelines.parse.batch import parse_files
from pipelines.parse.record import DeliberationRecord
from pipelines.settings import DataLayout

_PARSER_SOURCES = ("parse", "reference")


@functools.cache
def parser_version() -> str:
    """A digest of the parser's code and reference data: a new parser re-parses everything."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for folder in _PARSER_SOURCES:
        for path in sorted((package / folder).rglob("*")):
            if path.suffix in {".py", ".csv"}:
                digest.update(str(path.relative_to(package)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@dataclass(frozen=True)
class Document:
    """A downloaded act to parse: its digest and the session year the listing gives it."""

    sha256: str
    session_year: int


@dataclass(frozen=True)
class PartitionStats:
    """What refreshing one year's partition did."""

    year: int
    documents: int
    parsed: int
    reused: int
    failed: int


def downloaded_acts(catalogue: Path) -> list[Document]:
    """Every downloaded act with its session year (its card's date), from the crawl catalogue.

    An act is the document the crawl marked as its card's act (`is_act`: the DECISION or
    DELIBERATION folder, else the report; annexes never). The year is the card's, never the
    date in the document's URL (the upload's, often a day or two before the session).
    """
    if not catalogue.exists():
        return []
    with sqlite3.connect(f"file:{catalogue}?mode=ro", uri=True) as db:
        rows = db.execute(
            """
            select distinct m.sha256,
                   cast(substr(coalesce(l.session_date, m.first_seen), 1, 4) as integer)
            from manifest as m left join listing as l using (card_id)
            where m.state = 'ok' and m.is_act = 1 and m.sha256 is not null
            order by 1
            """
        ).fetchall()
    # The same bytes under two cards of different years belong to the earliest year.
    years: dict[str, int] = {}
    for sha256, year in rows:
        years[sha256] = min(year, years.get(sha256, year))
    return [Document(sha256, year) for sha256, year in sorted(years.items())]


def read_partition(path: Path) -> Iterator[dict]:
    """The lines of a partition file ({sha256, parser_version, record})."""
    if not path.exists():
        return
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def refresh_partition(
    layout: DataLayout,
    year: int,
    documents: Iterable[Document],
    jobs: int = 1,
    fetch: Callable[[list[Path]], None] | None = None,
) -> PartitionStats:
    """Parse the year's acts that are new or were parsed by another parser version.

    `fetch` is handed the raw files about to be parsed first (to bring them from a store).
    """
    wanted = sorted({d.sha256 for d in documents if d.session_year == year})
    version = parser_version()
    path = layout.partition(year)
    known = {
        line["sha256"]: line
        for line in read_partition(path)
        if line["parser_version"] == version and line["sha256"] in wanted
    }
    to_parse = [sha for sha in wanted if sha not in known]
    paths = [layout.raw / f"{sha}.pdf" for sha in to_parse]
    if fetch is not None:
        fetch(paths)
    fresh = parse_files(paths, jobs=jobs)
    for sha, record in zip(to_parse, fresh, strict=True):
        known[sha] = {"sha256": sha, "parser_version": version, "record": record}
    lines = [known[sha] for sha in wanted]
    _write_atomically(path, lines)
    failed = sum(line["record"]["status"] != "ok" for line in lines)
    return PartitionStats(year, len(lines), len(to_parse), len(lines) - len(to_parse), failed)


@dataclass(frozen=True)
class ParsedDocument:
    """A parsed record and the parser version that made it."""

    record: DeliberationRecord
    parser_version: str


def all_records(layout: DataLayout) -> dict[str, ParsedDocument]:
    """Every parsed record, by document digest, across all partitions."""
    records: dict[str, ParsedDocument] = {}
    for path in layout.partitions():
        for line in read_partition(path):
            records[line["sha256"]] = ParsedDocument(line["record"], line["parser_version"])
    return records


def _write_atomically(path: Path, lines: list[dict]) -> None:
    with atomic.replacing(path) as staging, staging.open("w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")


def refresh_stale(
    layout: DataLayout,
    *,
    jobs: int = 2,
    fetch: Callable[[list[Path]], None] | None = None,
) -> list[PartitionStats]:
    """Refresh every session year whose partition lacks an act or holds another parser's
    records; the others are left as they are."""
    documents = downloaded_acts(layout.catalogue)
    return [
        refresh_partition(layout, year, documents, jobs=jobs, fetch=fetch)
        for year in stale_years(layout)
    ]


def stale_years(layout: DataLayout) -> list[int]:
    """Session years whose partition file lacks an act or holds another parser's record."""
    by_year: dict[int, set[str]] = {}
    for document in downloaded_acts(layout.catalogue):
        by_year.setdefault(document.session_year, set()).add(document.sha256)
    version = parser_version()
    stale = []
    for year, wanted in sorted(by_year.items()):
        held = {
            line["sha256"]
            for line in read_partition(layout.partition(year))
            if line["parser_version"] == version
        }
        if held != wanted:
            stale.append(year)
    return stale
