"""The incremental crawl against a local mirror that misbehaves on purpose."""

from __future__ import annotations

import dataclasses
import hashlib
import sqlite3
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from crawl_faults import (
    FAST,
    FIXTURES,
    ROADS,
    FaultyHandler,
    card,
    decision,
    documents_seen,
    pdf_bytes,
    serve,
    set_faults,
    simple_site,
)

from pipelines.crawl.crawler import CrawlStopped, LayoutChanged, crawl
from pipelines.crawl.mirror import Mirror, MirrorCard, MirrorDocument, MirrorSite, document_path
from pipelines.crawl.store import Catalogue, RawStore

DAY = date(2020, 6, 10)
GOOD = pdf_bytes("good act")
FLAKY = pdf_bytes("flaky act")
LIMITED = pdf_bytes("rate-limited act")
MOVED = pdf_bytes("moved act")
ROADWORKS = pdf_bytes("roadworks")
PRIVATE = "/documents/prive/deliberations/2020/06/04/DECISION/1008.pdf"


def _doc(offset: int, number: int, content: bytes, kind: str = "DECISION") -> MirrorDocument:
    return decision(DAY - timedelta(days=offset), number, content, kind)


def misbehaving_site() -> tuple[MirrorSite, dict[str, list[str]], dict[str, str]]:
    """Ten cards over four pages of three; the site, its faults, and paths by role."""
    paths = {
        "good": _doc(0, 1001, GOOD).path,
        "flaky": _doc(1, 1002, FLAKY).path,
        "same-bytes": _doc(1, 1003, GOOD, "ANNEXE").path,
        "rate-limited": _doc(2, 1004, LIMITED).path,
        "slow": _doc(3, 1005, pdf_bytes("slow")).path,
        "off-host": _doc(4, 1006, pdf_bytes("off host")).path,
        "redirected": _doc(5, 1007, pdf_bytes("old place")).path,
        "robots": PRIVATE,
        "html": _doc(7, 1009, pdf_bytes("html")).path,
        "truncated": _doc(8, 1010, pdf_bytes("truncated", size=4000)).path,
        "irrelevant": _doc(9, 1011, ROADWORKS).path,
    }
    moved_to = document_path("METROPOLE", DAY, "DECISION", 7007)

    def one(offset: int, title: str, *documents: MirrorDocument, **extra: str):
        return card(DAY - timedelta(days=offset), title, documents, **extra)

    cards = [
        one(0, "Subvention au Pôle OPTITEC", _doc(0, 1001, GOOD)),
        one(1, "Convention Eurobiomed", _doc(1, 1002, FLAKY), _doc(1, 1003, GOOD, "ANNEXE")),
        one(2, "Adhésion Capenergies", _doc(2, 1004, LIMITED)),
        one(3, "Soutien au Pôle Mer", _doc(3, 1005, pdf_bytes("slow"))),
        one(4, "Soutien à SAFE", _doc(4, 1006, pdf_bytes("off host"))),
        one(5, "Programme SCS", _doc(5, 1007, pdf_bytes("old place"))),
        one(6, "Pôle Terralia", MirrorDocument(PRIVATE, "Délibération", pdf_bytes("private"))),
        one(7, "Aqua-Valley", _doc(7, 1009, pdf_bytes("html"))),
        one(8, "Innov'Alliance", _doc(8, 1010, pdf_bytes("truncated", size=4000))),
        one(9, "Réfection de la voirie", _doc(9, 1011, ROADWORKS), commission=ROADS),
    ]
    site = MirrorSite(
        cards={"METROPOLE": cards, "ct1": []},
        per_page=3,
        robots_txt="User-agent: *\nDisallow: /documents/prive/\n",
        documents={moved_to: MirrorDocument(moved_to, "Délibération", MOVED)},
    )
    faults = {
        paths["flaky"]: ["503", "ok"],
        paths["rate-limited"]: ["429:1", "ok"],
        paths["slow"]: ["slow:3.0"],
        paths["off-host"]: ["redirect:http://elsewhere.invalid/1006.pdf"],
        paths["redirected"]: [f"redirect:{moved_to}"],
        paths["html"]: ["html"],
        paths["truncated"]: ["truncated"],
    }
    return site, faults, paths


def _sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _manifest(data_dir: Path) -> dict[str, dict[str, object]]:
    with Catalogue(data_dir / "crawl.sqlite") as catalogue:
        return {str(row["url"]).split("/", 3)[3]: row for row in catalogue.manifest()}


def test_misbehaving_site_every_good_document_once_every_failure_explained(tmp_path: Path) -> None:
    site, faults, paths = misbehaving_site()
    with serve(site, faults) as mirror:
        stats = crawl(mirror.url, data_dir=tmp_path, policy=FAST)
        first_documents = documents_seen(mirror)
        before_rerun = len(mirror.server.paths_seen())
        again = crawl(mirror.url, data_dir=tmp_path, policy=FAST)
        rerun_paths = mirror.server.paths_seen()[before_rerun:]

    # Pagination to the end: four pages of cards, the fourth the last by the result count.
    assert stats.listing_pages == 5  # METROPOLE 1-4, ct1 1
    assert stats.cards_seen == stats.cards_new == 10
    # Every good document is stored exactly once; the same bytes under two URLs, once.
    raw = RawStore(tmp_path / "raw")
    assert raw.digests() == {_sha(GOOD), _sha(FLAKY), _sha(LIMITED), _sha(MOVED)}
    assert stats.documents_stored == 5 and stats.documents_duplicates == 1
    manifest = _manifest(tmp_path)
    by_role = {role: manifest[path.lstrip("/")] for role, path in paths.items()}
    assert by_role["same-bytes"]["sha256"] == by_role["good"]["sha256"] == _sha(GOOD)
    assert str(by_role["redirected"]["final_url"]).endswith("/DECISION/7007.pdf")
    for role in ("good", "flaky", "same-bytes", "rate-limited", "redirected"):
        assert by_role[role]["state"] == "ok", role
        assert by_role[role]["http_status"] == 200
        assert by_role[role]["content_type"] == "application/pdf"
    # Every failure is in the manifest with its reason.
    reasons = {
        "slow": "timed out",
        "off-host": "redirect to another host refused",
        "robots": "disallowed by robots.txt",
        "html": "not a PDF",
        "truncated": "truncated",
    }
    for role, reason in reasons.items():
        assert by_role[role]["state"] == "failed", role
        assert reason in str(by_role[role]["error"]), (role, by_role[role]["error"])
    assert stats.documents_failed == len(reasons)
    # Not fetched at all: the robots-disallowed path and the card about roadworks.
    assert PRIVATE not in first_documents
    assert paths["irrelevant"] not in first_documents
    assert by_role["irrelevant"]["state"] == "new"
    # A second run downloads nothing: the pages unchanged (304) down to a run of ten known
    # cards (pages of three: the fourth, the last), no document asked for.
    assert again.documents_due == 0 and again.documents_stored == 0
    assert again.listing_pages_not_modified == 5
    assert not [path for path in rerun_paths if path.startswith("/documents/")]
    assert raw.digests() == {_sha(GOOD), _sha(FLAKY), _sha(LIMITED), _sha(MOVED)}


def test_failures_are_retried_when_asked_once_the_site_mends(tmp_path: Path) -> None:
    site, faults, paths = misbehaving_site()
    with serve(site, faults) as mirror:
        crawl(mirror.url, data_dir=tmp_path, policy=FAST)
        set_faults(mirror, {paths["off-host"]: faults[paths["off-host"]]})
        stats = crawl(mirror.url, data_dir=tmp_path, policy=FAST, retry_failed=True)
        seen = documents_seen(mirror)
    manifest = _manifest(tmp_path)
    for role in ("slow", "html", "truncated"):
        assert manifest[paths[role].lstrip("/")]["state"] == "ok", role
        assert manifest[paths[role].lstrip("/")]["attempts"] == 2
    assert manifest[paths["off-host"].lstrip("/")]["state"] == "failed"
    assert PRIVATE not in seen
    assert stats.documents_stored == 3


def test_download_all_fetches_the_cards_outside_the_economy(tmp_path: Path) -> None:
    site = simple_site(3)
    roads = card(date(2021, 2, 1), "Voirie", [decision(date(2021, 2, 1), 9, ROADWORKS)])
    site.cards["METROPOLE"].append(dataclasses.replace(roads, commission=ROADS))
    site = MirrorSite(cards=site.cards, per_page=10)
    with serve(site) as mirror:
        first = crawl(mirror.url, data_dir=tmp_path, policy=FAST)
        everything = crawl(mirror.url, data_dir=tmp_path, policy=FAST, download_all=True)
    assert (first.documents_stored, everything.documents_stored) == (3, 1)
    assert _sha(ROADWORKS) in RawStore(tmp_path / "raw").digests()


def test_rerun_reads_only_down_to_known_cards_and_fetches_only_new_documents(
    tmp_path: Path,
) -> None:
    with serve(simple_site(25)) as mirror:
        crawl(mirror.url, data_dir=tmp_path, policy=FAST)
        # Three newer deliberations are published: page 1 now holds 3 new and 7 known cards.
        mirror.server.site = simple_site(28)
        start = len(mirror.server.paths_seen())
        stats = crawl(mirror.url, data_dir=tmp_path, policy=FAST)
        seen = mirror.server.paths_seen()[start:]
    listing = [path.split("?")[0] for path in seen if "typeDocument" in path]
    assert listing == ["/1", "/2", "/1"]  # METROPOLE 1 (new), 2 (all known: stop); ct1 1
    assert stats.cards_new == 3
    assert sorted(path.rsplit("/", 1)[1] for path in seen if path.startswith("/documents/")) == [
        "5025.pdf",
        "5026.pdf",
        "5027.pdf",
    ]
    with Catalogue(tmp_path / "crawl.sqlite") as catalogue:
        assert catalogue.counts() == {"cards": 28, "documents_ok": 28}


def test_conditional_requests_make_an_unchanged_listing_cost_one_request(tmp_path: Path) -> None:
    with serve(simple_site(5)) as mirror:
        crawl(mirror.url, data_dir=tmp_path, policy=FAST, domaines=("METROPOLE",))
        start = len(mirror.server.seen)
        stats = crawl(mirror.url, data_dir=tmp_path, policy=FAST, domaines=("METROPOLE",))
        rerun = mirror.server.seen[start:]
    pages = [(path, headers) for path, headers in rerun if "typeDocument" in path]
    assert len(pages) == 1 and "If-None-Match" in pages[0][1]
    assert stats.listing_pages_not_modified == 1 and stats.requests == 2  # robots.txt + page 1


def test_max_pages_then_resume_from_one_page_before_where_it_stopped(tmp_path: Path) -> None:
    with serve(simple_site(45)) as mirror:
        first = crawl(mirror.url, data_dir=tmp_path, policy=FAST, max_pages=2)
        start = len(mirror.server.paths_seen())
        second = crawl(mirror.url, data_dir=tmp_path, policy=FAST, domaines=("METROPOLE",))
        seen = mirror.server.paths_seen()[start:]
    assert (first.cards_seen, first.documents_stored) == (20, 20)
    listing = [path.split("?")[0] for path in seen if "typeDocument" in path]
    # Page 1 unchanged (the top caught up), then page 2 again (pages shift: the walk goes on
    # from a page it knows), then the rest; page 5 is the last by the result count.
    assert listing == ["/1", "/2", "/3", "/4", "/5"]
    assert second.cards_new == 25 and second.documents_stored == 25


def test_since_stops_the_listing_and_limits_downloads(tmp_path: Path) -> None:
    # 30 cards from 2021-01-04, ten a page, newest first: page 3 is all before 2021-01-20.
    with serve(simple_site(30)) as mirror:
        stats = crawl(
            mirror.url, data_dir=tmp_path, policy=FAST, since="2021-01-20", domaines=("METROPOLE",)
        )
    assert stats.listing_pages == 3
    assert stats.cards_seen == 30
    assert stats.documents_stored == 30 - 16  # 2021-01-20 .. 2021-02-02


def test_a_crash_mid_download_resumes_without_loss_or_duplicates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original_put = RawStore.put
    calls = {"n": 0}

    def failing_put(self: RawStore, content: bytes) -> tuple[str, bool]:
        calls["n"] += 1
        if calls["n"] == 7:
            raise KeyboardInterrupt("power cut")
        return original_put(self, content)

    with serve(simple_site(12)) as mirror:
        monkeypatch.setattr(RawStore, "put", failing_put)
        with pytest.raises(KeyboardInterrupt):
            crawl(mirror.url, data_dir=tmp_path, policy=FAST)
        monkeypatch.setattr(RawStore, "put", original_put)
        # The crash also left a half-written temporary file behind.
        (tmp_path / "raw" / ".incoming-crash.part").write_bytes(b"%PDF-1.4 half")
        stats = crawl(mirror.url, data_dir=tmp_path, policy=FAST)
    assert stats.documents_stored == 6  # the 6 not stored before the crash
    raw = RawStore(tmp_path / "raw")
    assert len(raw.digests()) == 12
    assert not list((tmp_path / "raw").glob("*.part"))
    manifest = _manifest(tmp_path)
    assert len(manifest) == 12
    assert {row["state"] for row in manifest.values()} == {"ok"}
    assert {row["sha256"] for row in manifest.values()} == raw.digests()


def test_a_crash_mid_listing_resumes_from_the_last_page_recorded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = Catalogue.record_page

    def failing_record_page(self: Catalogue, **kwargs: object) -> None:
        if kwargs["page"] == 3:
            raise RuntimeError("killed")
        original(self, **kwargs)  # type: ignore[arg-type]

    with serve(simple_site(35)) as mirror:
        monkeypatch.setattr(Catalogue, "record_page", failing_record_page)
        with pytest.raises(RuntimeError):
            crawl(mirror.url, data_dir=tmp_path, policy=FAST)
        monkeypatch.setattr(Catalogue, "record_page", original)
        with Catalogue(tmp_path / "crawl.sqlite") as catalogue:
            assert catalogue.counts()["cards"] == 20
            assert catalogue.state("METROPOLE").next_page == 3
        stats = crawl(mirror.url, data_dir=tmp_path, policy=FAST)
    assert stats.cards_new == 15
    with Catalogue(tmp_path / "crawl.sqlite") as catalogue:
        assert catalogue.counts() == {"cards": 35, "documents_ok": 35}
        assert catalogue.state("METROPOLE").complete


def test_the_error_budget_stops_a_sick_crawl_with_a_clear_message(tmp_path: Path) -> None:
    site = simple_site(8)
    faults = {path: ["500"] for path in site.documents}
    policy = dataclasses.replace(FAST, max_attempts=1, max_consecutive_failures=3)
    with serve(site, faults) as mirror:
        with pytest.raises(CrawlStopped) as stopped:
            crawl(mirror.url, data_dir=tmp_path, policy=policy)
        assert len(documents_seen(mirror)) == 3
    assert "error budget" in str(stopped.value) and "3 failures in a row" in str(stopped.value)
    assert "HTTP 500" in str(stopped.value)
    assert stopped.value.stats.documents_failed == 3
    failed = [row for row in _manifest(tmp_path).values() if row["state"] == "failed"]
    assert len(failed) == 3 and all("HTTP 500" in str(row["error"]) for row in failed)


def test_ct1_listing_is_read_and_its_cards_kept_apart(tmp_path: Path) -> None:
    old_day = date(2013, 6, 28)
    old = card(old_day, "Soutien au Pôle Mer PACA", [], domaine="ct1")
    old = dataclasses.replace(
        old,
        documents=(
            MirrorDocument(
                document_path("ct1", old_day, "DECISION", 88231), "Délibération", pdf_bytes("mpm")
            ),
        ),
    )
    site = simple_site(2)
    site = MirrorSite(cards={"METROPOLE": site.cards["METROPOLE"], "ct1": [old]}, per_page=10)
    with serve(site) as mirror:
        stats = crawl(mirror.url, data_dir=tmp_path, policy=FAST)
    assert stats.documents_stored == 3
    with Catalogue(tmp_path / "crawl.sqlite") as catalogue:
        domaines = {row["card_id"]: row["domaine"] for row in catalogue.listing()}
    assert domaines["/documents/ct1/deliberations/2013/06/28/DECISION/88231.pdf"] == "ct1"


def test_a_stored_file_damaged_on_disk_is_fetched_again_and_nothing_else(tmp_path: Path) -> None:
    with serve(simple_site(5)) as mirror:
        crawl(mirror.url, data_dir=tmp_path, policy=FAST)
        store = RawStore(tmp_path / "raw")
        victim, other = sorted(store.digests())[:2]
        good = store.path(victim).read_bytes()
        store.path(victim).chmod(0o644)
        middle = len(good) // 2
        store.path(victim).write_bytes(
            good[:middle] + bytes([good[middle] ^ 0xFF]) + good[middle + 1 :]
        )
        store.path(other).unlink()
        start = len(mirror.server.paths_seen())
        stats = crawl(mirror.url, data_dir=tmp_path, policy=FAST)
        fetched = [p for p in mirror.server.paths_seen()[start:] if p.startswith("/documents/")]
    assert (stats.documents_damaged, stats.documents_stored, len(fetched)) == (2, 2, 2)
    assert store.path(victim).read_bytes() == good
    assert {victim, other} <= store.digests()
    with Catalogue(tmp_path / "crawl.sqlite") as catalogue:
        assert catalogue.counts() == {"cards": 5, "documents_ok": 5}
        assert store.damaged(catalogue.stored_digests()) == []


def _site(cards: list[MirrorCard], per_page: int = 10) -> MirrorSite:
    return MirrorSite(cards={"METROPOLE": list(cards), "ct1": []}, per_page=per_page)


def _act(day: date, number: int, title: str) -> MirrorCard:
    return card(day, title, [decision(day, number, pdf_bytes(title))])


def _week_later(data_dir: Path) -> None:
    """As if the last walk to the end of the listing was eight days ago."""
    with sqlite3.connect(data_dir / "crawl.sqlite") as db:
        then = (datetime.now(UTC) - timedelta(days=8)).replace(microsecond=0).isoformat()
        db.execute("update crawl_state set deep_pass_at = ?", (then,))
    db.close()


def _documents_fetched(mirror_paths: list[str]) -> Counter[str]:
    return Counter(
        path.rsplit("/", 1)[1] for path in mirror_paths if path.startswith("/documents/")
    )


def test_acts_inserted_at_the_top_and_in_the_middle_are_each_fetched_once(tmp_path: Path) -> None:
    start = date(2021, 1, 4)
    old = [_act(start + timedelta(days=i), 5000 + i, f"Subvention {i}") for i in range(40)]
    with serve(_site(old)) as mirror:
        crawl(mirror.url, data_dir=tmp_path, policy=FAST)
        # Between two crawls: three acts of a newer session at the top, and two acts published
        # late under the date of an earlier session: page 3, below the top (pages shift).
        top = [_act(date(2021, 3, 1), 6000 + i, f"Nouvelle {i}") for i in range(3)]
        late = [_act(start + timedelta(days=15), 7000 + i, f"Tardive {i}") for i in range(2)]
        mirror.server.site = _site(old + top + late)
        before = len(mirror.server.paths_seen())
        # The daily crawl reads from the newest card down to ten known in a row: the top.
        daily = crawl(mirror.url, data_dir=tmp_path, policy=FAST)
        after_daily = len(mirror.server.paths_seen())
        listing = [p.split("?")[0] for p in mirror.server.paths_seen()[before:] if "domaine=M" in p]
        # A week later the deeper pass walks the listing to its end.
        _week_later(tmp_path)
        deep = crawl(mirror.url, data_dir=tmp_path, policy=FAST)
        again = crawl(mirror.url, data_dir=tmp_path, policy=FAST)
        fetched = _documents_fetched(mirror.server.paths_seen()[before:])
        daily_fetched = _documents_fetched(mirror.server.paths_seen()[before:after_daily])
    assert listing == ["/1", "/2"]
    assert sorted(daily_fetched) == ["6000.pdf", "6001.pdf", "6002.pdf"]
    assert (daily.cards_new, deep.cards_new, again.cards_new) == (3, 2, 0)
    assert deep.listing_pages == 5 + 1  # METROPOLE 1-5 (45 cards), ct1 1
    # Every new act fetched, each once; no old one again.
    assert fetched == Counter({f"{n}.pdf": 1 for n in (6000, 6001, 6002, 7000, 7001)})
    with Catalogue(tmp_path / "crawl.sqlite") as catalogue:
        assert catalogue.counts() == {"cards": 45, "documents_ok": 45}


def test_a_deep_pass_due_at_every_crawl_finds_the_middle_at_once(tmp_path: Path) -> None:
    start = date(2021, 1, 4)
    old = [_act(start + timedelta(days=i), 5000 + i, f"Subvention {i}") for i in range(30)]
    every_crawl = dataclasses.replace(FAST, deep_pass_days=0)
    with serve(_site(old)) as mirror:
        crawl(mirror.url, data_dir=tmp_path, policy=every_crawl)
        late = _act(start + timedelta(days=3), 7000, "Tardive")
        mirror.server.site = _site([*old, late])
        before = len(mirror.server.paths_seen())
        stats = crawl(mirror.url, data_dir=tmp_path, policy=every_crawl)
        fetched = _documents_fetched(mirror.server.paths_seen()[before:])
    assert stats.cards_new == 1 and fetched == Counter({"7000.pdf": 1})


def test_pages_shifting_during_a_walk_lose_no_card_and_fetch_none_twice(tmp_path: Path) -> None:
    start = date(2021, 1, 4)
    old = [_act(start + timedelta(days=i), 5000 + i, f"Subvention {i}") for i in range(35)]
    newer = [_act(date(2021, 3, 1), 6000 + i, f"Nouvelle {i}") for i in range(4)]

    class Publishing(FaultyHandler):
        """Four acts go online while the crawler reads page 2: every later page shifts."""

        def route(self, *, send_body: bool) -> None:
            if urlsplit(self.path).path == "/3" and len(self.server.site.cards["METROPOLE"]) == 35:
                self.server.site = _site(old + newer)
            super().route(send_body=send_body)

    handler = type("Handler", (Publishing,), {"faults": {}, "hits": Counter()})
    with Mirror(_site(old), handler=handler) as mirror:
        first = crawl(mirror.url, data_dir=tmp_path, policy=FAST)
        second = crawl(mirror.url, data_dir=tmp_path, policy=FAST)
        fetched = _documents_fetched(mirror.server.paths_seen())
    # Page 3 came after the shift: four cards of page 2 seen again, none missed.
    assert first.cards_new == 35 and first.cards_seen == 39
    assert second.cards_new == 4
    assert set(fetched) == {f"{n}.pdf" for n in range(5000, 5035)} | {
        f"{n}.pdf" for n in range(6000, 6004)
    }
    assert set(fetched.values()) == {1}


def test_the_listing_ends_where_its_count_says_without_asking_past_it(tmp_path: Path) -> None:
    with serve(simple_site(25)) as mirror:
        stats = crawl(mirror.url, data_dir=tmp_path, policy=FAST, domaines=("METROPOLE",))
        listing = [p.split("?")[0] for p in mirror.server.paths_seen() if "typeDocument" in p]
    assert listing == ["/1", "/2", "/3"] and stats.cards_seen == 25
    with Catalogue(tmp_path / "crawl.sqlite") as catalogue:
        state = catalogue.state("METROPOLE")
    assert state.complete and state.next_page == 1 and state.deep_pass_at is not None


@pytest.mark.parametrize(
    ("fault", "page", "missing"),
    [
        ("blank", 1, "no card (no 'div.card.w-100') and no result count ('N résultat(s)')"),
        (
            "redesigned",
            1,
            "no card (no 'div.card.w-100'), though 25 résultat(s) should put some on this page",
        ),
        (
            "redesigned",
            2,
            "no card (no 'div.card.w-100'), though 25 résultat(s) should put some on this page",
        ),
        ("no-count", 1, "no result count ('N résultat(s)') above its cards"),
        ("no-dates", 1, "10 of its 10 cards without a date ('Délibération du')"),
        ("no-links", 2, "none of its 10 cards links a document (/documents/...)"),
    ],
)
def test_a_changed_layout_stops_the_crawl_naming_the_page_and_what_is_missing(
    tmp_path: Path, fault: str, page: int, missing: str
) -> None:
    with serve(simple_site(25), {f"/{page}": [fault]}) as mirror:
        with pytest.raises(LayoutChanged) as changed:
            crawl(mirror.url, data_dir=tmp_path, policy=FAST)
        fetched = documents_seen(mirror)
    message = str(changed.value)
    url = f"{mirror.url}/{page}?domaine=METROPOLE&typeDocument=DELIBERATION"
    assert message.startswith(f"listing page {url} answered, but {missing}")
    assert "the portal's layout may have changed" in message
    assert isinstance(changed.value, CrawlStopped)
    assert changed.value.stats.aborted == message
    # Nothing is downloaded; the pages read before it are kept.
    assert fetched == []
    with Catalogue(tmp_path / "crawl.sqlite") as catalogue:
        assert catalogue.counts() == {
            "cards": 10 * (page - 1),
            **({"documents_new": 10} if page == 2 else {}),
        }
        assert not catalogue.state("METROPOLE").complete


def test_the_saved_redesigned_page_stops_the_crawl(tmp_path: Path) -> None:
    page = (FIXTURES / "redesigned-listing.html").read_bytes()

    class Redesigned(FaultyHandler):
        def route(self, *, send_body: bool) -> None:
            if urlsplit(self.path).path == "/1":
                self.reply(200, page, "text/html; charset=utf-8", send_body)
            else:
                super().route(send_body=send_body)

    handler = type("Handler", (Redesigned,), {"faults": {}, "hits": Counter()})
    with (
        Mirror(simple_site(5), handler=handler) as mirror,
        pytest.raises(LayoutChanged, match=r"no card .*18921 résultat"),
    ):
        crawl(mirror.url, data_dir=tmp_path, policy=FAST)


def test_a_listing_with_no_result_is_an_empty_listing_not_a_changed_layout(tmp_path: Path) -> None:
    with serve(MirrorSite(cards={"METROPOLE": [], "ct1": []})) as mirror:
        stats = crawl(mirror.url, data_dir=tmp_path, policy=FAST)
    assert (stats.listing_pages, stats.cards_seen) == (2, 0)
