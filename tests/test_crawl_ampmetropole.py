"""The deliberations.ampmetropole.fr adapter, on saved listing pages (fixtures/ampmetropole/)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from pipelines.crawl.ampmetropole import (
    ListingCard,
    concerns_economy_or_pole,
    decode_page,
    document_kind,
    listing_url,
    parse_listing,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ampmetropole"
PORTAL = "https://deliberations.ampmetropole.fr"


def cards_of(name: str, domaine: str = "METROPOLE", base: str = PORTAL) -> list[ListingCard]:
    """The cards of a saved listing page."""
    html = (FIXTURES / f"{name}.html").read_text(encoding="utf-8")
    return parse_listing(html, listing_url(base, 1, domaine), domaine)


@pytest.mark.parametrize(
    ("name", "domaine"),
    [
        ("listing-metropole-page-1", "METROPOLE"),
        ("listing-ct1-page-1", "ct1"),
        ("listing-metropole-page-past-end", "METROPOLE"),
    ],
)
def test_saved_listing_pages_give_the_expected_records(name: str, domaine: str) -> None:
    expected = json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))
    got = [
        dict(dataclasses.asdict(card), relevant=concerns_economy_or_pole(card))
        for card in cards_of(name, domaine)
    ]
    assert json.loads(json.dumps(got)) == expected  # tuples become lists, as in the file


def test_a_page_past_the_end_has_no_card() -> None:
    assert cards_of("listing-metropole-page-past-end") == []


def test_listing_url_follows_the_portal() -> None:
    assert listing_url(PORTAL + "/", 2) == (
        "https://deliberations.ampmetropole.fr/2?typeDocument=DELIBERATION&domaine=METROPOLE"
    )
    assert listing_url(PORTAL, 1, "ct1").endswith("/1?typeDocument=DELIBERATION&domaine=ct1")
    with pytest.raises(ValueError, match="count from 1"):
        listing_url(PORTAL, 0)


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/documents/metropole/deliberations/2019/03/28/DECISION/12345.pdf", "DECISION"),
        ("/documents/metropole/deliberations/2019/03/28/ANNEXE/12346.pdf", "ANNEXE"),
        (
            "/documents/metropole/deliberations/2019/03/28/RAPPORTDELACOMMISSION/1.pdf",
            "RAPPORTDELACOMMISSION",
        ),
        ("/documents/metropole/deliberations/2019/03/28/decision/12345.pdf", "DECISION"),
        ("/documents/metropole/deliberations/2019/03/28/AUTRE/1.pdf", "OTHER"),
        ("/mentions-legales", "OTHER"),
    ],
)
def test_document_kind_is_the_folder_after_the_date(path: str, kind: str) -> None:
    assert document_kind(PORTAL + path) == kind


def test_the_three_document_folders_of_a_card_in_order() -> None:
    first = cards_of("listing-metropole-page-1")[0]
    assert [document.kind for document in first.documents] == [
        "DECISION",
        "ANNEXE",
        "RAPPORTDELACOMMISSION",
    ]
    assert first.document_urls[0] == (
        PORTAL + "/documents/metropole/deliberations/2019/03/28/DECISION/410113.pdf"
    )


def test_incidence_financiere_is_kept_as_text_and_stays_in_the_resume() -> None:
    first = cards_of("listing-metropole-page-1")[0]
    assert first.financial_impact is not None
    assert first.financial_impact.startswith("60 000 euros : 45 000 euros au budget principal")
    assert first.summary is not None and first.summary.endswith(first.financial_impact)


def test_entities_and_non_breaking_spaces_are_decoded() -> None:
    capenergies = cards_of("listing-metropole-page-1")[2]
    assert capenergies.session_date == "2019-02-14"
    assert capenergies.rapporteur == "Madame Sylvie BÉRENGER"
    assert capenergies.title == (
        "Adhésion et versement d'une cotisation à l'association Capenergies pour l'année 2019"
    )


def test_a_date_inside_the_resume_is_not_taken_for_the_session() -> None:
    roads = cards_of("listing-metropole-page-1")[3]
    assert roads.session_date == "2019-02-14"
    assert roads.summary == (
        "Approbation du programme et modification de la délibération du 13/12/2018."
    )


def test_a_link_repeated_with_a_fragment_is_one_document() -> None:
    transport = cards_of("listing-metropole-page-1")[1]
    assert len(transport.documents) == 1


def test_card_ids_do_not_depend_on_the_host() -> None:
    https = cards_of("listing-metropole-page-1")
    local = cards_of("listing-metropole-page-1", base="http://127.0.0.1:8765")
    assert [card.card_id for card in https] == [card.card_id for card in local]
    assert https[0].document_urls != local[0].document_urls


def test_a_card_without_documents_still_gets_a_stable_id() -> None:
    cards = cards_of("listing-ct1-page-1", "ct1")
    assert cards[1].documents == () and cards[1].card_id.startswith("card:")
    assert cards_of("listing-ct1-page-1", "ct1")[1].card_id == cards[1].card_id


@pytest.mark.parametrize(
    ("commission", "title", "relevant"),
    [
        ("Développement économique et Attractivité", "Marché de nettoyage", True),
        ("Finances", "Cotisation 2020 à l'association Eurobiomed", True),
        ("Finances", "Soutien au pôle de compétitivité Aqua-Valley", True),
        ("Finances", "Programme d'actions du Pôle Mer Méditerranée", True),
        ("Finances", "Subvention au pôle SCS pour 2021", True),
        ("Finances", "Adhésion au Cap'Energies", True),
        ("Transports", "Aménagement du pôle d'échanges multimodal", False),
        ("Emploi", "Convention avec Pôle emploi", False),
        ("Finances", "Fonds de scolarisation", False),  # "scs" only matches in capitals
    ],
)
def test_which_cards_concern_the_economy_or_a_pole(
    commission: str, title: str, relevant: bool
) -> None:
    card = dataclasses.replace(cards_of("listing-metropole-page-1")[3], commission=commission)
    card = dataclasses.replace(card, title=title, summary=None)
    assert concerns_economy_or_pole(card) is relevant


@pytest.mark.parametrize(
    "content_type",
    ["text/html; charset=ISO-8859-1", "text/html; charset=utf-8", "text/html", None],
)
def test_pages_in_latin_1_decode_whatever_the_header_says(content_type: str | None) -> None:
    html = (FIXTURES / "listing-metropole-page-1.html").read_text(encoding="utf-8")
    latin = html.replace("’", "'").encode("latin-1")
    cards = parse_listing(decode_page(latin, content_type), listing_url(PORTAL, 1))
    assert cards[3].rapporteur == "Monsieur Éric CASTELLANI"
    assert decode_page("Résumé".encode(), "text/html; charset=utf-8") == "Résumé"
