"""The local mirror: a folder of PDFs served in the portal's structure on 127.0.0.1."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import httpx
import pytest
from crawl_faults import EVIDENCE_PAGES, evidence_cards, simple_site
from selectolax.lexbor import LexborHTMLParser

from pipelines.crawl.ampmetropole import (
    CARD_SELECTOR,
    card_lines,
    listing_url,
    parse_listing,
    read_listing_page,
)
from pipelines.crawl.mirror import (
    Mirror,
    MirrorCard,
    MirrorDocument,
    MirrorSite,
    document_path,
    load_site,
    render_listing,
)

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
    # The commission of the 2016-2020 mandate, as the archived cards of 2019 name it.
    assert card.commission == "Economie, Nouvelles Technologies, Enseignement Supérieur"
    assert card.rapporteur.split()[0] in ("Monsieur", "Madame")
    assert card.rapporteur.split()[1].isupper()  # Monsieur SURNAME Firstname
    # The act's total, then its split between budgets, inline at the end of the résumé.
    assert card.summary.endswith(
        "Incidence financière : 60 000 euros : 45 000 euros budget principal métropolitain du "
        "Territoire Marseille Provence, 15 000 euros Etat Spécial de Territoire du Pays d'Aix."
    )
    (document,) = card.documents
    assert document.path.startswith("/documents/metropole/deliberations/2019/03/")
    assert site.cards["ct1"] == []


def test_a_file_beside_an_act_makes_its_card_state_another_incidence(real_sample: Path) -> None:
    text = "74 500 euros budget principal de la Métropole."
    (real_sample / f"{SAMPLE}.incidence.txt").write_text(f"{text}\n", encoding="utf-8")
    site = load_site(real_sample)
    (card,) = site.cards["METROPOLE"]
    assert card.summary.endswith(f"Incidence financière : {text}")
    # The sidecar is no document of the card.
    assert len(card.documents) == 1


def test_rendered_pages_parse_back_to_the_same_cards(real_sample: Path) -> None:
    site = load_site(real_sample)
    html = render_listing(site, "METROPOLE", 1)
    page = read_listing_page(html, listing_url("http://127.0.0.1:1", 1), "METROPOLE")
    assert page.result_count == 1
    (parsed,) = page.cards
    (card,) = site.cards["METROPOLE"]
    assert parsed.session_date == card.session_date.isoformat()
    assert (parsed.instance, parsed.commission, parsed.rapporteur, parsed.title) == (
        card.instance,
        card.commission,
        card.rapporteur,
        card.title,
    )
    assert parsed.summary == card.summary
    assert parsed.financial_impact is not None
    assert parsed.financial_impact.startswith("60 000 euros : 45 000 euros budget principal")
    assert parsed.act is not None and parsed.act.kind in ("DECISION", "DELIBERATION")


@pytest.mark.parametrize("name", EVIDENCE_PAGES)
def test_a_mirror_card_prints_the_evidence_cards_lines_labels_and_order(name: str) -> None:
    _, evidence = evidence_cards(name)
    domaine = "ct1" if name.startswith("ct1") else "METROPOLE"
    cards = []
    for lines in evidence:
        if "Résumé" not in lines:
            continue  # a card the archived copy cuts before its résumé
        values = dict(line.split(" : ", 1) for line in lines[1:4])
        day, month, year = (int(part) for part in lines[0].split()[-1].split("/"))
        cards.append(
            MirrorCard(
                domaine=domaine,
                session_date=date(year, month, day),
                instance=values["Instance"],
                commission=values["Commission"],
                rapporteur=values["Rapporteur"],
                title=lines[lines.index("Objet") + 1],
                summary=lines[lines.index("Résumé") + 1],
                documents=(
                    MirrorDocument(
                        document_path(domaine, date(year, month, day), "DECISION", 1), "", b""
                    ),
                ),
            )
        )
    site = MirrorSite(cards={domaine: cards}, per_page=10)
    html = render_listing(site, domaine, 1)
    tree = LexborHTMLParser(html)
    printed = [card_lines(node) for node in tree.css(CARD_SELECTOR)]
    assert printed == [lines for lines in evidence if "Résumé" in lines]
    assert f"{len(cards)} résultat(s)" in tree.body.text()  # type: ignore[union-attr]
    # Line by line: the date, three "Label : value" lines, each of Objet and Résumé alone
    # on its line with its value below.
    for lines in printed:
        assert [line.split(" : ")[0] for line in lines[1:4]] == [
            "Instance",
            "Commission",
            "Rapporteur",
        ]
        assert lines[4] == "Objet" and lines[6] == "Résumé" and len(lines) == 8


def test_acts_are_filed_as_the_portal_files_them() -> None:
    """DELIBERATION with alphanumeric ids for some, URL dates a day or two early for others."""
    site = load_site(SAMPLES)
    acts = [card.documents[0].path for cards in site.cards.values() for card in cards]
    folders = [path.split("/")[-2] for path in acts]
    assert {"DECISION", "DELIBERATION"} == set(folders)
    ids = {
        path.rsplit("/", 1)[1].removesuffix(".pdf"): folder
        for path, folder in zip(acts, folders, strict=True)
    }
    for name, folder in ids.items():
        assert re.fullmatch(r"D[0-9A-Z]{4}" if folder == "DELIBERATION" else r"\d+", name), name
    assert any(re.search("[A-Z]", name[1:]) for name in ids)  # D0BLL: letters, not a number
    early = 0
    url = listing_url("http://127.0.0.1:1", 1)
    for domaine in site.cards:
        for page in range(1, site.pages(domaine) + 1):
            for card in parse_listing(render_listing(site, domaine, page), url, domaine):
                assert card.act is not None
                url_date = date(*(int(part) for part in card.act.url.split("/")[-5:-2]))
                assert card.session_date is not None and url_date.isoformat() <= card.session_date
                early += url_date.isoformat() < card.session_date
    assert early >= 1


def test_cards_from_file_names_with_annexes_and_the_former_communaute(tmp_path: Path) -> None:
    pdf = SAMPLES / f"{SAMPLE}.pdf"
    shutil.copy(pdf, tmp_path / "cm-2014-06-30-eco-12-soutien-pole-mer.pdf")
    shutil.copy(pdf, tmp_path / "cm-2014-06-30-eco-12-soutien-pole-mer.annexe-1.pdf")
    shutil.copy(pdf, tmp_path / "cm-2014-06-30-eco-12-soutien-pole-mer.rapport.pdf")
    shutil.copy(pdf, tmp_path / "bm-2020-01-15-voi-3-chaussee.pdf")
    shutil.copy(pdf, tmp_path / "ct-2019-06-20-eco-4-pole-mer.pdf")
    site = load_site(tmp_path)
    old, territory = sorted(site.cards["ct1"], key=lambda card: card.session_date)
    assert (old.instance, old.title) == ("Conseil de Communauté", "Soutien pole mer")
    assert old.commission == "Développer l'économie et servir l'emploi"
    # The communauté urbaine's cards print no financial impact.
    assert "Incidence financière" not in old.summary
    act, annex, report = (document.path.split("/") for document in old.documents)
    assert act[-2] in ("DECISION", "DELIBERATION") and annex[-2] == "ANNEXE"
    assert report[-2] == "RAPPORTDELACOMMISSION" and report[-1][0] == "C"
    # The annex keeps an original file name: spaces, a degree sign, accents, dots.
    assert "_PJ_" in annex[-1] and "%20" in annex[-1] and "%C3%A9" in annex[-1]
    assert annex[-1].endswith("%2030.06.2014.pdf")
    assert old.documents[0].path.startswith("/documents/ct1/deliberations/2014/06/")
    # After 2016, ct1 carries the Conseil de Territoire Marseille Provence.
    assert territory.instance == "Conseil de Territoire Marseille Provence"
    assert territory.documents[0].path.startswith("/documents/ct1/deliberations/2019/06/")
    (new,) = site.cards["METROPOLE"]
    assert new.instance == "Bureau de la Métropole"
    assert new.summary.endswith("Incidence financière : Sans.")


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
        page = client.get("/1", params={"domaine": "METROPOLE", "typeDocument": "DELIBERATION"})
        assert page.status_code == 200 and "card w-100" in page.text
        assert "1 résultat(s)" in page.text
        # A bare page number is the Métropole's deliberations, as on the portal.
        assert client.get("/1").text == page.text
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


def test_keyword_search_is_motcle_and_filters_objet_and_resume() -> None:
    site = simple_site(12)
    with Mirror(site) as mirror, httpx.Client(base_url=mirror.url) as client:
        found = client.get("/1", params={"domaine": "METROPOLE", "motCle": "NUMÉRO 1"})
        page = read_listing_page(found.text, mirror.url + "/1", "METROPOLE")
    # "numéro 1", "numéro 10" and "numéro 11", whatever the case and accents.
    assert page.result_count == 3
    assert sorted(card.title for card in page.cards) == [
        "Subvention numéro 1",
        "Subvention numéro 10",
        "Subvention numéro 11",
    ]


def test_documents_are_served_however_their_name_is_escaped(tmp_path: Path) -> None:
    pdf = SAMPLES / f"{SAMPLE}.pdf"
    shutil.copy(pdf, tmp_path / "bm-2019-03-28-eco-24-optitec.pdf")
    shutil.copy(pdf, tmp_path / "bm-2019-03-28-eco-24-optitec.annexe-1.pdf")
    site = load_site(tmp_path)
    (card,) = site.cards["METROPOLE"]
    annex = card.documents[1].path
    raw = annex.replace("%20", " ").replace("%C3%A9", "é").replace("%C2%B0", "°")
    with Mirror(site) as mirror, httpx.Client(base_url=mirror.url) as client:
        assert client.get(annex).content == pdf.read_bytes()
        assert client.get(raw).content == pdf.read_bytes()
