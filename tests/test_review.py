"""The review desk end to end: flagged acts counted apart and queued, people's corrections
applied by the next run (and flagged when the document changes under them), and the checks
that keep a bad publication from replacing a good one.

Every run is the ingestion job on a local mirror of the bundled sample plus one act the parser
flags (held-out set 10's Pôle Mer act, whose yearly split it cannot read: generated, like the
sample's other acts but the Optitec one).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pypdfium2 as pdfium
import pytest
import yaml

from pipelines import settings
from pipelines.cli import main
from pipelines.crawl.mirror import Mirror, MirrorSite, load_site
from tests.conftest import ROOT, SAMPLES, copy_of, run_ingestion_on

# One test worker takes the module: its base run is made once.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("review")]

FLAGGED = (
    ROOT / "tests" / "fixtures" / "heldout10" / "cm-2023-04-27-ecor-021-13502-pole-mer-2023-2025"
)
FLAGGED_CODE = "ECOR-021-13502/23/CM"
OPTITEC_CODE = "ECO 024-5567/19/BM"


def rows(warehouse: Path, sql: str, *params: object) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(sql, list(params)).fetchall()


@pytest.fixture(scope="module")
def site_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("review-site")
    for path in SAMPLES.iterdir():
        if path.is_file():
            shutil.copy(path, folder / path.name)
    for suffix in (".pdf", ".expected.json"):
        shutil.copy(FLAGGED.with_suffix(suffix), folder / f"{FLAGGED.name}{suffix}")
    return folder


@pytest.fixture(scope="module")
def mirror(site_folder: Path) -> Iterator[Mirror]:
    # Every card on page 1: a card that changes is seen by the daily walk, not the weekly one.
    with Mirror(load_site(site_folder, per_page=50)) as running:
        yield running


@pytest.fixture(scope="module")
def base(mirror: Mirror, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The site crawled, parsed, checked, built and published once: (layout, summary)."""
    layout = settings.layout(tmp_path_factory.mktemp("review-base"))
    summary = run_ingestion_on(layout.root, mirror.url)
    assert summary.success, summary.text()
    return layout, summary


def test_a_flagged_act_is_counted_apart_and_queued(base) -> None:  # type: ignore[no-untyped-def]
    layout, summary = base
    queue = rows(
        layout.warehouse,
        "select deliberation_code, queue_reason, review_codes, counted_amount_eur, "
        "document_path from marts.review_queue",
    )
    assert len(queue) == 1
    code, reason, codes, counted, path = queue[0]
    assert (code, reason) == (FLAGGED_CODE, "flagged")
    assert "charge_unclear" in codes and "unaccounted_amount" in codes
    assert (layout.root / path).is_file()
    # Its grants still count, and the marts say that much of their figures is under review.
    under_review = rows(
        layout.warehouse,
        "select sum(amount_under_review_eur) from marts.funding_by_pole_year",
    )
    assert under_review == [(counted,)] and counted > 0
    mer = rows(
        layout.warehouse,
        "select funding_year, amount_eur, amount_under_review_eur from marts.funding_by_pole_year "
        "where pole_id = 'pole-mer-mediterranee' and amount_under_review_eur > 0",
    )
    assert {year for year, _, _ in mer} <= {2023, 2024, 2025}
    assert all(0 < part <= amount for _, amount, part in mer)
    certain = rows(
        layout.warehouse,
        "select sum(amount_under_review_eur) from marts.funding_by_pole_year "
        "where pole_id = 'optitec'",
    )
    assert certain == [(0,)]
    assert summary.review is not None and summary.review.acts == 1
    assert "1 act(s) await review" in summary.text()


def test_a_correction_changes_the_marts_and_a_changed_document_flags_it(  # type: ignore[no-untyped-def]
    base, mirror: Mirror, tmp_path: Path
) -> None:
    layout = copy_of(base[0], tmp_path / "data")
    data = str(layout.root)
    assert main(["review", "--data-dir", data, "correct", OPTITEC_CODE, "--why", "Article 1: 61 000 euros"]) == 0  # fmt: skip
    path = layout.corrections / "ECO-024-5567-19-BM.yaml"
    entry = yaml.safe_load(path.read_text())
    assert entry["verdict"] == "corrected" and entry["grants"][0]["amount_eur"] == 60000
    entry["grants"][0]["amount_eur"] = 61000
    entry["grants"][0]["allocations"][0]["amount_eur"] = 46000
    path.write_text(yaml.safe_dump(entry, allow_unicode=True, sort_keys=False))

    summary = run_ingestion_on(layout.root, mirror.url)
    assert summary.success, summary.text()
    assert rows(
        layout.warehouse,
        "select amount_eur, amount_under_review_eur from marts.funding_by_pole_year "
        "where pole_id = 'optitec' and funding_year = 2019",
    ) == [(61000, 0)]
    assert rows(
        layout.warehouse,
        "select amount_eur from marts.funding_by_pole_territory_year "
        "where pole_id = 'optitec' and funding_year = 2019 order by territory_id",
    ) == [(46000,), (15000,)]
    assert rows(
        layout.warehouse,
        "select review_status, correction_file from marts.counted_grants where deliberation_code = ?",
        OPTITEC_CODE,
    ) == [("corrected", "corrections/ECO-024-5567-19-BM.yaml")]

    # The portal republishes the act (other bytes, same text, a new link): the correction was
    # made on the old PDF, so it is not applied and the act goes back to the queue.
    site: MirrorSite = mirror.server.site
    try:
        mirror.server.site = republished(site, OPTITEC_CODE, tmp_path)
        summary = run_ingestion_on(layout.root, mirror.url)
    finally:
        mirror.server.site = site
    assert summary.success, summary.text()
    ((reasons, status),) = rows(
        layout.warehouse,
        "select review_reasons, review_status from main.deliberations where deliberation_code = ?",
        OPTITEC_CODE,
    )
    assert status == "awaiting_review"
    assert any(reason.startswith("correction_stale: ") for reason in reasons)
    assert rows(layout.warehouse, "select state from main.corrections") == [("stale",)]
    queued = rows(layout.warehouse, "select deliberation_code from marts.review_queue order by 1")
    assert (OPTITEC_CODE,) in queued
    # The parser's reading counts again (60 000), under review until someone reads the new PDF.
    assert rows(
        layout.warehouse,
        "select amount_eur, amount_under_review_eur from marts.funding_by_pole_year "
        "where pole_id = 'optitec' and funding_year = 2019",
    ) == [(60000, 60000)]


def republished(site: MirrorSite, code: str, folder: Path) -> MirrorSite:
    """The site with the act of that code served under a new link, its PDF saved again (the
    same pages, other bytes)."""
    cards = {}
    for domaine, listed in site.cards.items():
        cards[domaine] = []
        for card in listed:
            act = card.documents[0]
            if isinstance(act.source, Path) and _code_of(act.source) == code:
                copy = folder / "republished.pdf"
                document = pdfium.PdfDocument(act.source)
                document.save(copy)
                document.close()
                assert copy.read_bytes() != act.source.read_bytes()
                act = dataclasses.replace(act, path=act.path + "-v2", source=copy)
                card = dataclasses.replace(card, documents=(act, *card.documents[1:]))
            cards[domaine].append(card)
    return MirrorSite(cards=cards, per_page=site.per_page)


def _code_of(pdf: Path) -> str | None:
    expected = pdf.with_name(pdf.stem + ".expected.json")
    if not expected.exists():
        return None
    return json.loads(expected.read_text(encoding="utf-8")).get("deliberation_code")


def test_a_publication_that_would_lose_a_counted_grant_fails_until_people_read_the_acts(  # type: ignore[no-untyped-def]
    base, mirror: Mirror, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A run that reads 6 000 where the published warehouse counts 60 000 publishes nothing.
    People then read the acts with `polefunds review`: one stands by the new figure, another
    accepts the flagged act as parsed. The next run publishes both verdicts, with their
    lineage, and nothing is left in the queue."""
    layout = copy_of(base[0], tmp_path / "data")
    data = str(layout.root)
    before = hashlib.sha256(layout.warehouse.read_bytes()).hexdigest()
    # A parser that reads 6 000 where the act says 60 000 (its partition edited by hand).
    partition = layout.partition(2019)
    lines = [json.loads(line) for line in partition.read_text(encoding="utf-8").splitlines()]
    for line in lines:
        for grant in line["record"]["grants"] or []:
            if line["record"]["deliberation_code"] == OPTITEC_CODE:
                grant["amount_eur"] = grant["amount_eur"] / 10
                for share in grant["allocations"]:
                    share["amount_eur"] = share["amount_eur"] / 10
    partition.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines))

    summary = run_ingestion_on(layout.root, mirror.url)
    assert not summary.success
    assert any(name.endswith("gx_publication_losses") for name in summary.checks_failed)
    assert hashlib.sha256(layout.warehouse.read_bytes()).hexdigest() == before
    assert rows(
        layout.warehouse,
        "select amount_eur from marts.funding_by_pole_year where pole_id = 'optitec' and funding_year = 2019",
    ) == [(60000,)]

    # The queue, the flagged act shown, then accepted as parsed (a second entry is refused).
    assert main(["review", "--data-dir", data]) == 0
    assert FLAGGED_CODE in capsys.readouterr().out
    assert main(["review", "--data-dir", data, "show", FLAGGED_CODE]) == 0
    shown = capsys.readouterr().out
    assert "charge_unclear" in shown and "[articles]" in shown
    assert str(layout.raw) in shown
    why = "Read it: the yearly split is the act's own, as parsed"
    assert main(["review", "--data-dir", data, "accept", FLAGGED_CODE, "--by", "A. Reviewer", "--why", why]) == 0  # fmt: skip
    entry = yaml.safe_load((layout.corrections / "ECOR-021-13502-23-CM.yaml").read_text())
    assert entry["verdict"] == "checked" and entry["by"] == "A. Reviewer" and entry["why"] == why
    assert main(["review", "--data-dir", data, "accept", FLAGGED_CODE, "--why", "again"]) == 2
    # A person who read the Optitec act stands by the new figure.
    assert main(["review", "--data-dir", data, "accept", OPTITEC_CODE, "--by", "B. Reviewer", "--why", "6 000 €, as read"]) == 0  # fmt: skip

    summary = run_ingestion_on(layout.root, mirror.url)
    assert summary.success, summary.text()
    assert rows(
        layout.warehouse,
        "select amount_eur from marts.funding_by_pole_year where pole_id = 'optitec' and funding_year = 2019",
    ) == [(6000,)]
    assert rows(layout.warehouse, "select count(*) from marts.review_queue") == [(0,)]
    lineage = rows(
        layout.warehouse,
        "select distinct review_status, correction_file, needs_review from marts.counted_grants "
        "where deliberation_code = ?",
        FLAGGED_CODE,
    )
    assert lineage == [("checked", "corrections/ECOR-021-13502-23-CM.yaml", False)]
    assert rows(
        layout.warehouse, "select state, corrected_by from main.corrections order by corrected_by"
    ) == [("applied", "A. Reviewer"), ("applied", "B. Reviewer")]
    assert rows(
        layout.warehouse, "select sum(amount_under_review_eur) from marts.funding_by_pole_year"
    ) == [(0,)]
    assert "no act awaits review" in summary.text()


def test_acts_filed_where_the_pipeline_does_not_look_stop_the_publication(tmp_path: Path) -> None:
    """A quarter of the acts under a folder the crawl does not take for an act: the run fails
    its checks instead of publishing three quarters of the money as if it were all."""
    site = load_site(SAMPLES)
    moved = 0
    cards = {}
    for domaine, listed in site.cards.items():
        cards[domaine] = []
        for rank, card in enumerate(listed):
            if rank % 4 == 1:
                act = card.documents[0]
                folder = "/DECISION/" if "/DECISION/" in act.path else "/DELIBERATION/"
                act = dataclasses.replace(act, path=act.path.replace(folder, "/ACTE/"))
                card = dataclasses.replace(card, documents=(act, *card.documents[1:]))
                moved += 1
            cards[domaine].append(card)
    assert moved >= 3
    layout = settings.layout(tmp_path / "data")
    with Mirror(MirrorSite(cards=cards)) as running:
        summary = run_ingestion_on(layout.root, running.url)
    assert not summary.success
    failed = " ".join(summary.checks_failed)
    assert "gx_review_health" in failed and "gx_documents" in failed
    assert not layout.warehouse.exists()
