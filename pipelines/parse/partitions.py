"""Parsed records kept per session year, so a year is parsed in parallel and loaded in one step.

`parsed/session_year=2019.jsonl` holds one line per downloaded act of 2019:
`{"sha256", "parser_version", "annexes", "record"}` (`annexes`: the digests of the annexes of
the act's card when it was parsed). A partition is rebuilt by reusing the records of unchanged
documents parsed by the same parser version with the same annexes, and parsing the rest; the
file is replaced in one rename, so a run killed half way leaves the previous file intact.
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
# Bookkeeping of the parsed records, not reading: editing it re-parses nothing.
_NOT_PARSER = frozenset({Path(__file__).name})


@functools.cache
def parser_version() -> str:
    """A digest of the parser's code and reference data: a new parser re-parses everything."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for folder in _PARSER_SOURCES:
        for path in sorted((package / folder).rglob("*")):
            if path.suffix in {".py", ".csv"} and path.name not in _NOT_PARSER:
                digest.update(str(path.relative_to(package)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@dataclass(frozen=True)
class Document:
    """A downloaded act to parse: its digest, the session year the listing gives it, and the
    digests of its card's downloaded annexes (what the act may put its amounts in)."""

    sha256: str
    session_year: int
    annexes: tuple[str, ...] = ()


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
    date in the document's URL (the upload's, often a day or two before the session). Its
    annexes are the card's ANNEXE documents stored intact (of every card that holds the act).
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
        annex_rows = db.execute(
            """
            select distinct m.sha256, a.sha256, a.url
            from manifest as m join manifest as a using (card_id)
            where m.state = 'ok' and m.is_act = 1 and m.sha256 is not null
              and a.kind = 'ANNEXE' and a.is_act = 0 and a.state = 'ok' and a.sha256 is not null
            order by a.url
            """
        ).fetchall()
    # The same bytes under two cards of different years belong to the earliest year.
    years: dict[str, int] = {}
    for sha256, year in rows:
        years[sha256] = min(year, years.get(sha256, year))
    annexes: dict[str, list[str]] = {}
    for act, annex, _ in annex_rows:
        if annex not in annexes.setdefault(act, []):
            annexes[act].append(annex)
    return [
        Document(sha256, year, tuple(annexes.get(sha256, ())))
        for sha256, year in sorted(years.items())
    ]


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
    """Parse the year's acts that are new, were parsed by another parser version, or whose
    card's annexes changed.

    `fetch` is handed the raw files about to be parsed first, the acts' and their annexes' (to
    bring them from a store).
    """
    annexes_of = {d.sha256: list(d.annexes) for d in documents if d.session_year == year}
    wanted = sorted(annexes_of)
    version = parser_version()
    path = layout.partition(year)
    known = {
        line["sha256"]: line
        for line in read_partition(path)
        if _reusable(line, version, annexes_of)
    }
    to_parse = [sha for sha in wanted if sha not in known]
    paths = [layout.raw / f"{sha}.pdf" for sha in to_parse]
    annex_paths = [[layout.raw / f"{a}.pdf" for a in annexes_of[sha]] for sha in to_parse]
    if fetch is not None:
        fetch([*paths, *dict.fromkeys(p for of_act in annex_paths for p in of_act)])
    fresh = parse_files(paths, jobs=jobs, annexes=annex_paths)
    for sha, record in zip(to_parse, fresh, strict=True):
        known[sha] = {
            "sha256": sha,
            "parser_version": version,
            "annexes": annexes_of[sha],
            "record": record,
        }
    lines = [known[sha] for sha in wanted]
    _write_atomically(path, lines)
    failed = sum(line["record"]["status"] != "ok" for line in lines)
    return PartitionStats(year, len(lines), len(to_parse), len(lines) - len(to_parse), failed)


def _reusable(line: dict, version: str, annexes_of: dict[str, list[str]]) -> bool:
    """Whether a partition's line still holds the record of its act: same parser, same annexes."""
    sha = line["sha256"]
    return (
        sha in annexes_of
        and line["parser_version"] == version
        and line.get("annexes", []) == annexes_of[sha]
    )


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
        for year in stale_years(layout, documents)
    ]


def stale_years(layout: DataLayout, documents: list[Document] | None = None) -> list[int]:
    """Session years whose partition file lacks an act, holds another parser's record, or a
    record parsed with other annexes than its card's (of `documents`, else the catalogue's)."""
    by_year: dict[int, dict[str, list[str]]] = {}
    if documents is None:
        documents = downloaded_acts(layout.catalogue)
    for document in documents:
        by_year.setdefault(document.session_year, {})[document.sha256] = list(document.annexes)
    version = parser_version()
    stale = []
    for year, annexes_of in sorted(by_year.items()):
        held = {
            line["sha256"]
            for line in read_partition(layout.partition(year))
            if _reusable(line, version, annexes_of)
        }
        if held != set(annexes_of):
            stale.append(year)
    return stale
