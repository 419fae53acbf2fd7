"""The raw store (one file per distinct content) and the SQLite catalogue."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sqlite3
import stat
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from pipelines.crawl.ampmetropole import DocumentLink, ListingCard
from pipelines.crawl.store import Catalogue, RawStore

PORTAL = "https://deliberations.ampmetropole.fr"


def listing_card(number: int, *, session_date: str = "2019-03-28") -> ListingCard:
    """A card with one act."""
    path = f"/documents/metropole/deliberations/2019/03/28/DECISION/{number}.pdf"
    return ListingCard(
        card_id=path,
        domaine="METROPOLE",
        session_date=session_date,
        instance="Bureau de la Métropole",
        body="bureau",
        authority="metropole-aix-marseille-provence",
        territory_id=None,
        commission="Economie, Nouvelles Technologies, Enseignement Supérieur",
        rapporteur="Madame BÉRENGER Sylvie",
        title=f"Subvention {number}",
        summary=None,
        financial_impact=None,
        documents=(DocumentLink(PORTAL + path, "DECISION", "Délibération"),),
    )


def record(catalogue: Catalogue, *cards: tuple[ListingCard, bool], page: int = 1) -> None:
    """Record cards as one listing page."""
    catalogue.record_page(
        domaine="METROPOLE",
        page=page,
        url=f"{PORTAL}/{page}",
        cards=list(cards),
        etag='"v1"',
        last_modified=None,
        advance_to=page + 1,
    )


def test_the_same_bytes_are_stored_once_read_only_under_their_digest(tmp_path: Path) -> None:
    store = RawStore(tmp_path)
    content = b"%PDF-1.4 acte\n%%EOF\n"
    digest = hashlib.sha256(content).hexdigest()
    assert store.put(content) == (digest, True)
    assert store.put(content) == (digest, False)
    assert [path.name for path in tmp_path.iterdir()] == [f"{digest}.pdf"]
    assert store.path(digest).read_bytes() == content
    assert not os.stat(store.path(digest)).st_mode & stat.S_IWUSR


def test_a_damaged_stored_file_is_replaced(tmp_path: Path) -> None:
    store = RawStore(tmp_path)
    content = b"%PDF-1.4 acte\n%%EOF\n"
    digest, _ = store.put(content)
    store.path(digest).chmod(0o644)
    store.path(digest).write_bytes(b"%PDF-1.4 ac")
    assert store.put(content) == (digest, True)
    assert store.path(digest).read_bytes() == content


def test_sweep_removes_what_a_crash_left_half_written(tmp_path: Path) -> None:
    store = RawStore(tmp_path)
    (tmp_path / ".incoming-abc.part").write_bytes(b"%PDF-")
    assert store.sweep() == 1 and list(tmp_path.iterdir()) == []


def test_a_transaction_is_all_or_nothing(tmp_path: Path) -> None:
    with Catalogue(tmp_path / "crawl.sqlite") as catalogue:
        with pytest.raises(RuntimeError), catalogue.transaction() as db:
            db.execute(
                "insert into crawl_state (domaine, next_page, complete, updated_at) "
                "values ('METROPOLE', 9, 0, 'now')"
            )
            raise RuntimeError("crash")
        assert catalogue.state("METROPOLE").next_page == 1


def test_recording_a_card_twice_keeps_one_row_and_its_first_sighting(tmp_path: Path) -> None:
    with Catalogue(tmp_path / "crawl.sqlite") as catalogue:
        record(catalogue, (listing_card(1), True))
        first = catalogue.listing()[0]["first_seen"]
        record(catalogue, (listing_card(1), True), (listing_card(2), True))
        rows = catalogue.listing()
        assert len(rows) == 2 and rows[-1]["first_seen"] == first
        assert catalogue.known_cards([listing_card(1).card_id, "/other"]) == {
            listing_card(1).card_id
        }
        assert catalogue.counts() == {"cards": 2, "documents_new": 2}
        assert catalogue.page_validators(f"{PORTAL}/1") == ('"v1"', None)


def test_the_resume_point_only_moves_forward_until_the_walk_ends(tmp_path: Path) -> None:
    with Catalogue(tmp_path / "crawl.sqlite") as catalogue:
        record(catalogue, (listing_card(1), True), page=3)
        record(catalogue, (listing_card(2), True), page=1)
        assert catalogue.state("METROPOLE").next_page == 4
        assert not catalogue.state("METROPOLE").complete
        assert catalogue.state("METROPOLE").deep_pass_due(7)
        catalogue.record_page(
            domaine="METROPOLE",
            page=4,
            url=f"{PORTAL}/4",
            cards=[],
            etag=None,
            last_modified=None,
            advance_to=5,
            complete=True,
            results=2,
        )
        state = catalogue.state("METROPOLE")
        # Read to its end: the next walk starts from the top, a week from now.
        assert (state.next_page, state.complete) == (1, True)
        assert not state.deep_pass_due(7) and state.deep_pass_due(0)
        later = datetime.fromisoformat(str(state.deep_pass_at)) + timedelta(days=7)
        assert state.deep_pass_due(7, now=later)
        assert catalogue.page_counts(f"{PORTAL}/4") == (0, 2)


def test_each_cards_act_is_marked_for_the_warehouse(tmp_path: Path) -> None:
    folder = f"{PORTAL}/documents/ct1/deliberations/2016/12/14"
    annex = DocumentLink(f"{folder}/ANNEXE/1_PJ_1_Convention%20sign%C3%A9e.pdf", "ANNEXE", "")
    act = DocumentLink(f"{folder}/DELIBERATION/D0BLL.pdf", "DELIBERATION", "")
    report = DocumentLink(f"{folder}/RAPPORTDELACOMMISSION/C0D3N.pdf", "RAPPORTDELACOMMISSION", "")
    with Catalogue(tmp_path / "crawl.sqlite") as catalogue:
        record(
            catalogue,
            (dataclasses.replace(listing_card(1), card_id=act.url, documents=(annex, act)), True),
            (dataclasses.replace(listing_card(2), card_id=report.url, documents=(report,)), True),
        )
        acts = {row["url"]: row["is_act"] for row in catalogue.manifest()}
    assert acts == {annex.url: 0, act.url: 1, report.url: 1}


def test_an_older_catalogue_is_brought_up_to_date_in_place(tmp_path: Path) -> None:
    path = tmp_path / "crawl.sqlite"
    Catalogue(path).close()
    with sqlite3.connect(path) as db:
        # The catalogue as the first versions wrote it: without the columns added since.
        for table, column in (
            ("listing", "authority"),
            ("listing", "territory_id"),
            ("manifest", "is_act"),
            ("listing_page", "results"),
            ("crawl_state", "deep_pass_at"),
        ):
            db.execute(f"alter table {table} drop column {column}")
        db.executescript(
            """
            insert into manifest (url, card_id, kind, first_seen, last_seen) values
                ('a/ANNEXE/1.pdf', 'a', 'ANNEXE', 'then', 'then'),
                ('a/DECISION/2.pdf', 'a', 'DECISION', 'then', 'then'),
                ('b/RAPPORTDELACOMMISSION/C1.pdf', 'b', 'RAPPORTDELACOMMISSION', 'then', 'then'),
                ('c/2016/12/14/DELIBERATION/D0BLL.pdf', 'c', 'OTHER', 'then', 'then');
            insert into crawl_state values ('METROPOLE', 1, 1, 'then');
            """
        )
    db.close()
    with Catalogue(path) as catalogue:
        acts = {row["url"]: (row["kind"], row["is_act"]) for row in catalogue.manifest()}
        assert acts == {
            "a/ANNEXE/1.pdf": ("ANNEXE", 0),
            "a/DECISION/2.pdf": ("DECISION", 1),
            "b/RAPPORTDELACOMMISSION/C1.pdf": ("RAPPORTDELACOMMISSION", 1),
            # Stored as OTHER by the first versions, never parsed: now the act it is.
            "c/2016/12/14/DELIBERATION/D0BLL.pdf": ("DELIBERATION", 1),
        }
        # Never walked to the end since the deep pass exists: one is due.
        assert catalogue.state("METROPOLE").deep_pass_due(7)
        record(catalogue, (listing_card(3), True))
        assert catalogue.listing()[0]["authority"] == "metropole-aix-marseille-provence"


SAFE = (
    "74 500 euros : 45 000 euros budget principal métropolitain du Territoire Marseille "
    "Provence, 29 500 euros Etat Spécial de Territoire du Pays d'Aix."
)
IMPACT = ("impact_kind", "impact_total_eur", "impact_total_ht_eur", "impact_split")


def test_a_cards_financial_impact_is_read_into_the_listing_when_recorded(tmp_path: Path) -> None:
    cards = [
        dataclasses.replace(listing_card(1), financial_impact=SAFE),
        dataclasses.replace(
            listing_card(2), financial_impact="200 000,00 euros HT, soit 240 000,00 euros TTC."
        ),
        dataclasses.replace(listing_card(3), financial_impact="Sans."),
        listing_card(4),  # a ct1 card: no Incidence financière
    ]
    with Catalogue(tmp_path / "crawl.sqlite") as catalogue:
        record(catalogue, *((card, True) for card in cards))
        rows = {row["card_id"]: row for row in catalogue.listing()}
    safe, pair, none, ct1 = (rows[card.card_id] for card in cards)
    assert (safe["impact_kind"], safe["impact_total_eur"], safe["impact_total_ht_eur"]) == (
        "expense",
        "74500.00",
        None,
    )
    assert [
        (s["amount_eur"], s["territory_id"], s["budget"]) for s in json.loads(safe["impact_split"])
    ] == [
        ("45000.00", "marseille-provence", "principal"),
        ("29500.00", "pays-d-aix", "ets"),
    ]
    assert [pair[c] for c in IMPACT] == ["expense", "240000.00", "200000.00", None]
    assert [none[c] for c in IMPACT] == ["none", None, None, None]
    assert [ct1[c] for c in (*IMPACT, "impact_reader")] == [None] * 5


def test_cards_stored_before_the_reader_or_read_by_older_rules_are_read_on_opening(
    tmp_path: Path,
) -> None:
    path = tmp_path / "crawl.sqlite"
    with Catalogue(path) as catalogue:
        record(
            catalogue,
            (dataclasses.replace(listing_card(1), financial_impact=SAFE), True),
            (dataclasses.replace(listing_card(2), financial_impact="Sans."), True),
            (listing_card(3), True),
        )
    with sqlite3.connect(path) as db:
        # The listing as an older version wrote it: the text of the impact, no reading.
        for column in (*IMPACT, "impact_reader"):
            db.execute(f"alter table listing drop column {column}")
    db.close()
    with Catalogue(path) as catalogue:
        rows = {row["card_id"]: row for row in catalogue.listing()}
    assert [rows[listing_card(1).card_id][c] for c in IMPACT[:3]] == ["expense", "74500.00", None]
    assert rows[listing_card(2).card_id]["impact_kind"] == "none"
    assert rows[listing_card(3).card_id]["impact_kind"] is None
    # A reading by another version of the reader's rules is done again.
    with sqlite3.connect(path) as db:
        db.execute("update listing set impact_kind = 'unread', impact_reader = '0'")
    db.close()
    with Catalogue(path) as catalogue:
        kinds = sorted(str(row["impact_kind"]) for row in catalogue.listing())
    assert kinds == ["expense", "none", "unread"]  # card 3 states none: left as it was


def test_due_documents_are_the_wanted_new_ones_and_failures_whose_time_has_come(
    tmp_path: Path,
) -> None:
    with Catalogue(tmp_path / "crawl.sqlite") as catalogue:
        record(
            catalogue,
            (listing_card(1), True),
            (listing_card(2), False),
            (listing_card(3, session_date="2015-01-01"), True),
        )
        due = {document.url.rsplit("/", 1)[1] for document in _due(catalogue)}
        assert due == {"1.pdf", "3.pdf"}
        everything = catalogue.due_documents(download_all=True, since=None, retry_failed=False)
        assert len(everything) == 3
        recent = catalogue.due_documents(download_all=False, since="2016-01-01", retry_failed=False)
        assert [document.url.rsplit("/", 1)[1] for document in recent] == ["1.pdf"]

        url = listing_card(1).document_urls[0]
        catalogue.record_failure(url, status=503, error="HTTP 503", retryable=True, attempts=0)
        # Not due again until tomorrow, unless asked.
        assert {document.url.rsplit("/", 1)[1] for document in _due(catalogue)} == {"3.pdf"}
        retried = catalogue.due_documents(download_all=False, since=None, retry_failed=True)
        assert url in {document.url for document in retried}
        row = next(row for row in catalogue.manifest() if row["url"] == url)
        assert (row["state"], row["http_status"], row["attempts"]) == ("failed", 503, 1)
        assert row["next_attempt_at"] is not None

        catalogue.record_document(
            url,
            status=200,
            size=10,
            sha256="ab" * 32,
            content_type="application/pdf",
            final_url=url,
            etag=None,
            last_modified=None,
        )
        row = next(row for row in catalogue.manifest() if row["url"] == url)
        assert (row["state"], row["error"], row["attempts"]) == ("ok", None, 2)


def _due(catalogue: Catalogue) -> list:
    return catalogue.due_documents(download_all=False, since=None, retry_failed=False)


def test_damaged_finds_missing_resized_and_altered_files(tmp_path: Path) -> None:
    store = RawStore(tmp_path)
    contents = [f"%PDF-1.4 acte {n}\n%%EOF\n".encode() for n in range(4)]
    digests = [store.put(content)[0] for content in contents]
    expected = {digest: len(content) for digest, content in zip(digests, contents, strict=True)}
    assert store.damaged(expected) == []
    store.path(digests[0]).unlink()
    store.path(digests[1]).chmod(0o644)
    store.path(digests[1]).write_bytes(contents[1][:-3])  # truncated: the size tells
    store.path(digests[2]).chmod(0o644)
    flipped = bytearray(contents[2])
    flipped[3] ^= 0xFF  # same size, other bytes: the hash tells
    store.path(digests[2]).write_bytes(bytes(flipped))
    assert store.damaged(expected) == sorted(digests[:3])
    store.discard(digests[2])
    assert store.digests() == {digests[1], digests[3]}


def test_fetch_again_makes_a_damaged_files_documents_due(tmp_path: Path) -> None:
    with Catalogue(tmp_path / "crawl.sqlite") as catalogue:
        record(catalogue, (listing_card(1), True), (listing_card(2), True))
        for number, sha in ((1, "aa" * 32), (2, "bb" * 32)):
            url = listing_card(number).document_urls[0]
            catalogue.record_document(
                url,
                status=200,
                size=10 * number,
                sha256=sha,
                content_type="application/pdf",
                final_url=url,
                etag=None,
                last_modified=None,
            )
        assert catalogue.stored_digests() == {"aa" * 32: 10, "bb" * 32: 20}
        assert _due(catalogue) == []
        assert catalogue.fetch_again(["bb" * 32]) == 1
        assert [document.url for document in _due(catalogue)] == list(listing_card(2).document_urls)
        assert catalogue.stored_digests() == {"aa" * 32: 10}


def test_a_file_whose_stat_is_unchanged_is_trusted_until_its_turn_to_be_hashed(
    tmp_path: Path,
) -> None:
    """Bit rot that keeps size and mtime escapes the stat, not the rotation of full hashes."""
    import os

    store = RawStore(tmp_path / "raw")
    contents = [f"%PDF-1.4 acte {n}\n%%EOF\n".encode() for n in range(10)]
    expected = {store.put(content)[0]: len(content) for content in contents}
    with Catalogue(tmp_path / "crawl.sqlite") as catalogue:
        checked: dict[str, tuple[int, int]] = {}
        assert store.damaged(expected, trusted=catalogue.raw_checks(0.1), checked=checked) == []
        assert set(checked) == set(expected)  # nothing known yet: every file hashed
        catalogue.record_raw_checks(checked)

        victim = sorted(expected)[7]
        path = store.path(victim)
        status = path.stat()
        path.chmod(0o644)
        rotten = bytearray(path.read_bytes())
        rotten[5] ^= 0xFF
        path.write_bytes(bytes(rotten))
        os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))  # the stat says nothing

        assert store.damaged(expected, trusted=catalogue.raw_checks(0.0)) == []
        found_at = None
        for run in range(1, 11):  # a tenth hashed again each run: all within ten runs
            checked = {}
            damaged = store.damaged(expected, trusted=catalogue.raw_checks(0.1), checked=checked)
            assert len(checked) + len(damaged) == 1  # one file's bytes read per run
            catalogue.record_raw_checks(checked)
            if damaged:
                assert damaged == [victim]
                found_at = run
                break
        assert found_at is not None


def test_a_file_touched_since_its_check_is_hashed_again(tmp_path: Path) -> None:
    store = RawStore(tmp_path / "raw")
    content = b"%PDF-1.4 acte\n%%EOF\n"
    sha256, _ = store.put(content)
    with Catalogue(tmp_path / "crawl.sqlite") as catalogue:
        checked: dict[str, tuple[int, int]] = {}
        store.damaged({sha256: len(content)}, trusted={}, checked=checked)
        catalogue.record_raw_checks(checked)
        path = store.path(sha256)
        path.chmod(0o644)
        path.write_bytes(content.replace(b"acte", b"ACTE"))  # same size, new mtime
        trusted = catalogue.raw_checks(0.0)
        assert sha256 in trusted
        assert store.damaged({sha256: len(content)}, trusted=trusted) == [sha256]
