"""An act whose grants are in its annex, through the mirror, the crawl, the parse partitions and
normalisation: the grants come from the annex, and the record is parsed again when its card's
annexes change.

The act, its annex (a ruled table of three pôles' grants with its total) and a convention are
made up and rendered by tests/synthetic/annexes.py; the mirror serves them as one card
(`<stem>.pdf`, `<stem>.annexe-1.pdf`, `<stem>.annexe-2.pdf`), as the portal files annexes.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
from crawl_faults import FAST

from pipelines.crawl.crawler import crawl
from pipelines.crawl.mirror import Mirror, load_site
from pipelines.crawl.store import Catalogue
from pipelines.normalise.frames import normalise
from pipelines.parse.partitions import (
    all_records,
    downloaded_acts,
    read_partition,
    refresh_stale,
    stale_years,
)
from pipelines.settings import DataLayout
from tests.synthetic.annexes import CODE, ROWS, SESSION, annexed_act

STEM = "cm-2021-07-08-eco-012-10234-poles"


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> tuple[DataLayout, dict[str, bytes]]:
    """The card crawled from the mirror: (the data folder's layout, each file's bytes)."""
    site = tmp_path_factory.mktemp("annex-site")
    act = annexed_act()
    files = {f"{STEM}.pdf": act.act}
    for rank, (_, data) in enumerate(act.annexes, start=1):
        files[f"{STEM}.annexe-{rank}.pdf"] = data
    for name, data in files.items():
        (site / name).write_bytes(data)
    card = {
        "session_date": SESSION,
        "authority": "metropole-aix-marseille-provence",
        "body": "conseil",
        "territory_id": None,
        "title": "Soutien aux pôles de compétitivité",
        "deliberation_code": CODE,
        "grants": [{"amount_eur": amount, "allocations": []} for *_, amount in ROWS],
    }
    (site / f"{STEM}.expected.json").write_text(json.dumps(card), encoding="utf-8")
    data_dir = tmp_path_factory.mktemp("annex-data")
    with Mirror(load_site(site)) as mirror:
        stats = crawl(mirror.url, data_dir=data_dir, policy=FAST, download_all=True)
    assert stats.documents_stored == len(files) and not stats.listing_errors
    return DataLayout(data_dir), files


@pytest.fixture(scope="module")
def parsed(crawled):  # type: ignore[no-untyped-def]
    """The crawled card parsed into its partition: (layout, files, stats, files fetched)."""
    layout, files = crawled
    fetched: list[Path] = []
    refreshed = refresh_stale(layout, jobs=2, fetch=fetched.extend)
    return layout, files, refreshed, fetched


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_the_act_is_given_its_cards_annexes_and_never_parsed_as_one(crawled) -> None:  # type: ignore[no-untyped-def]
    layout, files = crawled
    acts = downloaded_acts(layout.catalogue)
    assert [act.sha256 for act in acts] == [sha(files[f"{STEM}.pdf"])]
    assert set(acts[0].annexes) == {sha(files[f"{STEM}.annexe-{n}.pdf"]) for n in (1, 2)}
    assert acts[0].session_year == 2021


def test_grants_in_the_annex_reach_the_normalised_grants(parsed) -> None:  # type: ignore[no-untyped-def]
    layout, files, refreshed, fetched = parsed
    assert [(s.year, s.parsed, s.failed) for s in refreshed] == [(2021, 1, 0)]
    # The store is asked for the act and for its annexes, before they are parsed.
    assert {path.name for path in fetched} == {f"{sha(data)}.pdf" for data in files.values()}
    record = all_records(layout)[sha(files[f"{STEM}.pdf"])].record
    assert (record["needs_review"], record["review_reasons"]) == (False, [])
    assert record["annexes"] == [
        sha(files[f"{STEM}.annexe-1.pdf"])
    ]  # the table, not the convention
    with Catalogue(layout.catalogue) as catalogue:
        manifest, listing = catalogue.manifest(), catalogue.listing()
    frames = normalise(manifest, listing, all_records(layout))
    grants = frames["grants"].sort("grant_index")
    assert grants["deliberation_id"].unique().to_list() == [CODE]
    assert list(zip(grants["pole_id"], grants["amount_eur"], strict=True)) == [
        (pole, amount) for _, pole, amount in ROWS
    ]
    assert set(grants["funding_year"]) == {2021} and set(grants["kind"]) == {"operating"}
    assert frames["quarantine"].height == 0
    # Parsed once: nothing is stale while the act and its annexes stay as they are.
    assert stale_years(layout) == []
    assert refresh_stale(layout, jobs=2) == []


def test_a_card_whose_annexes_change_is_parsed_again(parsed) -> None:  # type: ignore[no-untyped-def]
    layout, files, _, _ = parsed
    table = sha(files[f"{STEM}.annexe-1.pdf"])
    # The table's download is found damaged and set aside: the card has only the convention.
    with sqlite3.connect(layout.catalogue) as db:
        db.execute("update manifest set state = 'failed' where sha256 = ?", (table,))
    try:
        assert stale_years(layout) == [2021]
        [stats] = refresh_stale(layout, jobs=1)
        assert (stats.parsed, stats.reused) == (1, 0)
        [line] = read_partition(layout.partition(2021))
        assert line["annexes"] == [sha(files[f"{STEM}.annexe-2.pdf"])]
        record = line["record"]
        assert record["review_reasons"][0].startswith("annex_unread:")
        assert (record["grants"], record["annexes"]) == ([], [])
    finally:
        with sqlite3.connect(layout.catalogue) as db:
            db.execute("update manifest set state = 'ok' where sha256 = ?", (table,))
    [stats] = refresh_stale(layout, jobs=1)
    assert (stats.parsed, stats.reused) == (1, 0)
    assert all_records(layout)[sha(files[f"{STEM}.pdf"])].record["annexes"] == [table]
