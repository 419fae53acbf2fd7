"""The local mirror: a folder of PDFs served in the portal's structure on 127.0.0.1."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import httpx
import pytest
from crawl_faults import simple_site

from pipelines.crawl.ampmetropole import listing_url, parse_listing
from pipelines.crawl.mirror import Mirror, load_site, render_listing

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
SAMPLE = "bm-2019-03-28-eco-024-5567-optitec"


@pytest.fixture
def real_sample(tmp_path: Path) -> Path:
    """A folder holding only the real deliberation of the sample and its expected record."""
    folder = tmp_path / "real-sample"
    folder.mkdir()
    for suffix in (".pdf", ".expected.json"):
        shutil.copy(SAMPLES / f"{SAMPLE}{suffix}", folder)
    return folder


def test_the_bundled_sample_is_served_whole() -> None:
    site = load_site(SAMPLES)
    pdfs = [path for path in SAMPLES.glob("*.pdf") if ".annexe" not in path.name]
    assert sum(len(cards) for cards in site.cards.values()) == len(pdfs)
    assert len(site.documents) == len(list(SAMPLES.glob("*.pdf")))


def test_the_sample_card_comes_from_its_expected_record(real_sample: Path) -> None:
    site = load_site(real_sample)
    (card,) = site.cards["METROPOLE"]
    assert card.session_date == date(2019, 3, 28)
    assert card.instance == "Bureau de la Métropole"
    assert card.title.startswith("Attribution d'une subvention de fonctionnement au Pôle OPTITEC")
    assert card.commission.startswith("Développement économique")
    assert card.summary.endswith("Incidence financière : 60 000 euros : budget principal 2019")
    (document,) = card.documents
    assert document.path.startswith("/documents/metropole/deliberations/2019/03/28/DECISION/")
    assert site.cards["ct1"] == []


def test_rendered_pages_parse_back_to_the_same_cards(real_sample: Path) -> None:
    site = load_site(real_sample)
    html = render_listing(site, "METROPOLE", 1)
    (parsed,) = parse_listing(html, listing_url("http://127.0.0.1:1", 1), "METROPOLE")
    (card,) = site.cards["METROPOLE"]
    assert parsed.session_date == card.session_date.isoformat()
    assert (parsed.instance, parsed.commission, parsed.rapporteur, parsed.title) == (
        card.instance,
        card.commission,
        card.rapporteur,
        card.title,
    )
    assert parsed.summary == card.summary
    assert parsed.financial_impact == "60 000 euros : budget principal 2019"
    assert [document.kind for document in parsed.documents] == ["DECISION"]


def test_cards_from_file_names_with_annexes_and_the_former_communaute(tmp_path: Path) -> None:
    pdf = SAMPLES / f"{SAMPLE}.pdf"
    shutil.copy(pdf, tmp_path / "cm-2014-06-30-eco-12-soutien-pole-mer.pdf")
    shutil.copy(pdf, tmp_path / "cm-2014-06-30-eco-12-soutien-pole-mer.annexe-1.pdf")
    shutil.copy(pdf, tmp_path / "cm-2014-06-30-eco-12-soutien-pole-mer.rapport.pdf")
    shutil.copy(pdf, tmp_path / "bm-2020-01-15-voi-3-chaussee.pdf")
    site = load_site(tmp_path)
    (old,) = site.cards["ct1"]
    assert (old.instance, old.title) == ("Conseil de Communauté", "Soutien pole mer")
    assert [document.path.split("/")[-2] for document in old.documents] == [
        "DECISION",
        "ANNEXE",
        "RAPPORTDELACOMMISSION",
    ]
    assert old.documents[0].path.startswith("/documents/ct1/deliberations/2014/06/30/")
    (new,) = site.cards["METROPOLE"]
    assert new.commission.startswith("Voirie")


def test_pages_are_newest_first_and_past_the_end_is_empty() -> None:
    site = simple_site(25, per_page=10)
    dates = [card.session_date for card in site.cards["METROPOLE"]]
    assert dates == sorted(dates, reverse=True)
    url = listing_url("http://127.0.0.1:1", 1)
    counts = [len(parse_listing(render_listing(site, "METROPOLE", n), url)) for n in (1, 2, 3, 4)]
    assert counts == [10, 10, 5, 0]


def test_the_mirror_serves_listing_documents_etags_and_404_on_loopback(real_sample: Path) -> None:
    site = load_site(real_sample)
    (document,) = site.documents
    with Mirror(site) as mirror, httpx.Client(base_url=mirror.url) as client:
        assert mirror.url.startswith("http://127.0.0.1:")
        page = client.get("/1", params={"typeDocument": "DELIBERATION", "domaine": "METROPOLE"})
        assert page.status_code == 200 and "card w-100" in page.text
        again = client.get(page.url, headers={"If-None-Match": page.headers["ETag"]})
        assert again.status_code == 304 and again.content == b""
        pdf = client.get(document)
        assert pdf.headers["content-type"] == "application/pdf"
        assert pdf.content == (SAMPLES / f"{SAMPLE}.pdf").read_bytes()
        assert "Last-Modified" in pdf.headers
        assert client.get("/documents/nothing.pdf").status_code == 404
        assert "Disallow" in client.get("/robots.txt").text


def test_polefunds_mirror_prints_its_url_and_serves_until_killed() -> None:
    command = [sys.executable, "-m", "pipelines.cli", "mirror", "--dir", str(SAMPLES)]
    process = subprocess.Popen(
        [*command, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        response = httpx.get(url + "/1?typeDocument=DELIBERATION&domaine=METROPOLE", timeout=10)
        assert "Délibération du 28/03/2019" in response.text
    finally:
        process.terminate()
        process.wait(timeout=10)
