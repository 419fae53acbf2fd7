"""The deliberations.ampmetropole.fr adapter, on saved listing pages (fixtures/ampmetropole/).

The saved pages print the text of archived copies of the real portal (fixtures/ampmetropole/
evidence/), line by line; their markup and links are guesses that vary from page to page.
"""

from __future__ import annotations

import dataclasses
import json

import pytest
from crawl_faults import EVIDENCE_PAGES, FIXTURES, evidence_cards
from selectolax.lexbor import LexborHTMLParser

from pipelines.crawl.ampmetropole import (
    CARD_SELECTOR,
    DocumentLink,
    ListingCard,
    ListingPage,
    act_of,
    card_body,
    card_lines,
    concerns_economy_or_pole,
    decode_page,
    document_kind,
    listing_url,
    parse_listing,
    read_listing_page,
)

PORTAL = "https://deliberations.ampmetropole.fr"
FORMER = "marseille-provence-metropole"
METROPOLE = "metropole-aix-marseille-provence"


def page_of(name: str, base: str = PORTAL) -> ListingPage:
    """What the adapter reads from a saved listing page."""
    domaine = "ct1" if name.startswith("ct1") else "METROPOLE"
    html = (FIXTURES / f"{name}.html").read_text(encoding="utf-8")
    return read_listing_page(html, listing_url(base, 1, domaine), domaine)


def cards_of(name: str, base: str = PORTAL) -> list[ListingCard]:
    """The cards of a saved listing page."""
    return page_of(name, base).cards


@pytest.mark.parametrize("name", EVIDENCE_PAGES)
def test_saved_pages_print_the_evidence_text_line_by_line(name: str) -> None:
    count, evidence = evidence_cards(name)
    tree = LexborHTMLParser((FIXTURES / f"{name}.html").read_text(encoding="utf-8"))
    assert [card_lines(node) for node in tree.css(CARD_SELECTOR)] == evidence
    assert page_of(name).result_count == (int(count.split()[0]) if count else None)


@pytest.mark.parametrize("name", EVIDENCE_PAGES)
def test_saved_listing_pages_give_the_expected_records(name: str) -> None:
    expected = json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))
    page = page_of(name)
    got = {
        "result_count": page.result_count,
        "cards": [
            dict(dataclasses.asdict(card), relevant=concerns_economy_or_pole(card))
            for card in page.cards
        ],
    }
    assert json.loads(json.dumps(got)) == expected  # tuples become lists, as in the file


def test_labels_alone_on_their_line_take_the_value_below() -> None:
    safe = cards_of("amp-2019-12-19-listing-safe")[1]
    assert safe.title == (
        "Attribution d'une subvention de fonctionnement au Pôle Safe - Approbation d'une convention"
    )
    assert safe.summary is not None
    assert safe.summary.startswith("Le Pôle de compétitivité SAFE est dédié aux technologies")
    assert (safe.instance, safe.commission, safe.rapporteur) == (
        "Bureau de la Métropole",
        "Economie, Nouvelles Technologies, Enseignement Supérieur",
        "Monsieur BRAMOULLÉ Gérard",
    )
    assert concerns_economy_or_pole(safe)


@pytest.mark.parametrize(
    ("name", "index", "impact"),
    [
        # The act's total and its split between budgets (the archived copy stops mid-word).
        ("amp-2019-12-19-listing-safe", 1, "74 500 euros : 45 000 euros budget principal"),
        # HT/TTC pairs with dotted thousands.
        ("amp-2019-12-19-listing-safe", 0, "La convention est portée de 908.333,34 euros H.T"),
        ("amp-listing-1195", 0, "200 000,00 euros HT, soit 240 000,00 euros TTC."),
        # Money coming in, not going out.
        ("amp-listing-1075", 0, "Le montant des soldes de subventions transférés à la Métropole"),
        ("amp-listing-5-motcle", 0, "Obtention d’une subvention FSE à hauteur de 1 350 100.00 €."),
        ("amp-listing-1164", 0, "Coût total 1 500 000 euros TTC. Cofinancement du Département"),
        ("amp-listing-1164", 1, "Sans."),
        ("amp-listing-869", 0, "La remise accordée par le budget port"),
    ],
)
def test_the_financial_impact_is_read_inline_at_the_end_of_the_resume(
    name: str, index: int, impact: str
) -> None:
    card = cards_of(name)[index]
    assert card.financial_impact is not None and card.financial_impact.startswith(impact)
    assert card.summary is not None and card.summary.endswith(card.financial_impact)
    assert "\n" not in card.summary  # one paragraph


def test_dotted_thousands_stay_as_printed() -> None:
    (card,) = cards_of("amp-listing-1075")
    assert card.financial_impact is not None and "8.151.298,30 €" in card.financial_impact


def test_the_communaute_urbaine_cards_have_no_financial_impact() -> None:
    excent, airport = cards_of("ct1-listing-559")
    assert (excent.financial_impact, airport.financial_impact) == (None, None)
    assert excent.summary is not None and "250.000 euros" in excent.summary
    # The archived copy stops in the second card's objet: no résumé.
    assert (airport.title, airport.summary) == ("Attribution d'une subvention à l'aéropor", None)


def test_a_card_cut_before_its_financial_impact_has_none() -> None:
    amorce = cards_of("amp-listing-1164")[2]
    assert amorce.financial_impact is None and amorce.summary is not None


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("18921 résultat(s)", 18921),
        ("238 résultat(s)", 238),
        ("19&nbsp;204 résultats", 19204),
        ("1 résultat", 1),
        ("0 r&eacute;sultat(s)", 0),
        ("Aucun document ne correspond à votre recherche.", None),
    ],
)
def test_the_result_count_is_read_above_the_cards(text: str, count: int | None) -> None:
    page = read_listing_page(f"<html><body><p>{text}</p></body></html>", listing_url(PORTAL, 1))
    assert page == ListingPage([], count)


def test_a_number_of_results_in_a_resume_is_not_the_count() -> None:
    html = (FIXTURES / "amp-listing-1164.html").read_text(encoding="utf-8")
    html = html.replace("Sans.", "Sans. Voir les 3 résultats de l'étude.")
    assert read_listing_page(html, listing_url(PORTAL, 1)).result_count is None


def test_listing_urls_follow_the_portal() -> None:
    assert listing_url(PORTAL + "/", 869) == (
        f"{PORTAL}/869?domaine=METROPOLE&typeDocument=DELIBERATION"
    )
    assert listing_url(PORTAL, 559, "ct1") == f"{PORTAL}/559?domaine=ct1&typeDocument=DELIBERATION"
    # Keyword search is motCle (singular), as the archived search page shows.
    assert listing_url(PORTAL, 5, keyword="plan vélo") == (
        f"{PORTAL}/5?domaine=METROPOLE&motCle=plan+v%C3%A9lo&typeDocument=DELIBERATION"
    )
    with pytest.raises(ValueError, match="count from 1"):
        listing_url(PORTAL, 0)


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/documents/metropole/deliberations/2026/06/24/DECISION/164963.pdf", "DECISION"),
        ("/documents/ct1/deliberations/2016/12/14/DELIBERATION/D0BLL.pdf", "DELIBERATION"),
        (
            "/documents/metropole/deliberations/2018/10/18/RAPPORTDELACOMMISSION/C06HH.pdf",
            "RAPPORTDELACOMMISSION",
        ),
        (
            "/documents/metropole/deliberations/2022/12/15/ANNEXE/"
            "38873_PJ_38873_Projet%20de%20convention%20Valtram-Vdef.pdf",
            "ANNEXE",
        ),
        (
            "/documents/metropole/deliberations/2025/04/03/ANNEXE/"
            "111129_10-111129_Appro%20aven%20ETNS1_31.3.2025.pdf",
            "ANNEXE",
        ),
        ("/documents/metropole/deliberations/2019/03/28/decision/12345.pdf", "DECISION"),
        ("/documents/metropole/deliberations/2019/03/28/AUTRE/1.pdf", "OTHER"),
        ("/mentions-legales", "OTHER"),
    ],
)
def test_document_kind_is_the_folder_after_the_date(path: str, kind: str) -> None:
    assert document_kind(PORTAL + path) == kind


def test_the_act_is_the_decision_or_deliberation_else_the_report() -> None:
    def link(kind: str, name: str) -> DocumentLink:
        return DocumentLink(
            f"{PORTAL}/documents/ct1/deliberations/2016/12/14/{kind}/{name}", kind, ""
        )

    annex, report = link("ANNEXE", "1_PJ_1_x.pdf"), link("RAPPORTDELACOMMISSION", "C0D3N.pdf")
    deliberation = link("DELIBERATION", "D0BLL.pdf")
    assert act_of([annex, report, deliberation]) == deliberation
    assert act_of([annex, report]) == report
    assert act_of([annex]) is None


def test_deliberation_folders_alphanumeric_ids_and_earlier_url_dates() -> None:
    cards = cards_of("amp-listing-1164")
    deliberation = cards[1]
    assert (
        deliberation.card_id
        == "/documents/metropole/deliberations/2019/10/23/DELIBERATION/D0E7Q.pdf"
    )
    assert deliberation.act is not None and deliberation.act.kind == "DELIBERATION"
    # The URL says 23 October, the card 24 October: the act's date is the card's.
    assert deliberation.session_date == "2019-10-24"
    amorce = cards[2]
    assert [document.kind for document in amorce.documents] == ["DECISION", "RAPPORTDELACOMMISSION"]
    assert amorce.act == amorce.documents[0]


def test_annex_names_are_kept_and_spelt_one_way() -> None:
    (card,) = cards_of("amp-listing-1075")
    # The raw spaces of the href and the fragment's repeat of the act: one spelling, one link.
    assert [document.url.rsplit("/", 2)[1:] for document in card.documents] == [
        ["DECISION", "108830.pdf"],
        ["ANNEXE", "108831_PJ_108831_Convention%20de%20transfert%20GIP%20MRU.pdf"],
    ]
    laureats = cards_of("amp-listing-5-motcle")[1].documents[1]
    assert laureats.kind == "ANNEXE" and "laur%C3%A9ats%20volets%201%20et%202.pdf" in laureats.url
    accented = read_listing_page(
        '<p>1 résultat(s)</p><div class="card w-100">Délibération du 15/12/2016 '
        '<a href="/documents/ct1/deliberations/2016/12/14/ANNEXE/12_PJ_12_Délib annexée.pdf">'
        "</a></div>",
        listing_url(PORTAL, 1, "ct1"),
        "ct1",
    )
    assert accented.cards[0].document_urls == (
        f"{PORTAL}/documents/ct1/deliberations/2016/12/14/ANNEXE/12_PJ_12_D%C3%A9lib%20annex%C3%A9e.pdf",
    )


@pytest.mark.parametrize(
    ("instance", "domaine", "session", "expected"),
    [
        ("Bureau de la Métropole", "METROPOLE", "2019-12-19", ("bureau", METROPOLE, None)),
        ("Conseil de la Métropole", "METROPOLE", "2019-06-20", ("conseil", METROPOLE, None)),
        ("Conseil Métropolitain", "METROPOLE", "2023-06-22", ("conseil", METROPOLE, None)),
        ("Conseil de Communauté", "ct1", "2014-02-21", ("conseil", FORMER, None)),
        ("Bureau de la Communauté", "ct1", "2013-04-10", ("bureau", FORMER, None)),
        # ct1 after 2016 carries the Conseil de Territoire Marseille Provence.
        (
            "Conseil de Territoire Marseille Provence",
            "ct1",
            "2019-06-20",
            ("conseil-de-territoire", METROPOLE, "marseille-provence"),
        ),
        (
            "Conseil de Territoire",
            "ct1",
            "2016-12-15",
            ("conseil-de-territoire", METROPOLE, "marseille-provence"),
        ),
        (
            "Conseil de Territoire du Pays d'Aix",
            "ct2",
            "2018-03-01",
            ("conseil-de-territoire", METROPOLE, "pays-d-aix"),
        ),
        # Before the Métropole, whatever the words: the communauté urbaine's act.
        ("Conseil", "ct1", "2015-12-17", ("conseil", FORMER, None)),
        (None, "METROPOLE", "2020-01-01", (None, METROPOLE, None)),
    ],
)
def test_body_authority_and_territory_follow_the_record_contract(
    instance: str | None, domaine: str, session: str, expected: tuple[str | None, ...]
) -> None:
    assert card_body(instance, domaine, session) == expected


def test_a_ct1_card_of_2019_is_the_conseil_de_territoire() -> None:
    html = (FIXTURES / "ct1-listing-559.html").read_text(encoding="utf-8")
    html = html.replace("21/02/2014", "20/06/2019").replace(
        "Conseil de Communaut&eacute;", "Conseil de Territoire Marseille Provence"
    )
    cards = read_listing_page(html, listing_url(PORTAL, 1, "ct1"), "ct1").cards
    assert {(card.body, card.authority, card.territory_id) for card in cards} == {
        ("conseil-de-territoire", METROPOLE, "marseille-provence")
    }


def test_card_ids_do_not_depend_on_the_host() -> None:
    https = cards_of("amp-listing-1164")
    local = cards_of("amp-listing-1164", base="http://127.0.0.1:8765")
    assert [card.card_id for card in https] == [card.card_id for card in local]
    assert https[0].document_urls != local[0].document_urls


def test_a_card_without_documents_still_gets_a_stable_id() -> None:
    html = (FIXTURES / "ct1-listing-559.html").read_text(encoding="utf-8")
    bare = html.replace("/documents/ct1/deliberations/2014/02/21/DECISION/46611.pdf", "#")
    cards = parse_listing(bare, listing_url(PORTAL, 1, "ct1"), "ct1")
    assert cards[1].documents == () and cards[1].card_id.startswith("card:")
    assert parse_listing(bare, listing_url(PORTAL, 1, "ct1"), "ct1")[1].card_id == cards[1].card_id


def test_a_label_and_its_value_on_one_line_are_read_too() -> None:
    html = (
        '<div class="card w-100"><h5>Délibération du 28/03/2019</h5>'
        "<p><b>Objet :</b> Soutien au Pôle OPTITEC</p>"
        "<p><b>Résumé :</b> La Métropole soutient le pôle.<br>"
        "Incidence financière : 60 000 euros</p></div>"
    )
    (card,) = parse_listing(html, listing_url(PORTAL, 1))
    assert (card.title, card.financial_impact) == ("Soutien au Pôle OPTITEC", "60 000 euros")
    assert card.summary == "La Métropole soutient le pôle.\nIncidence financière : 60 000 euros"


def test_a_redesigned_page_yields_no_card_but_its_count() -> None:
    html = (FIXTURES / "redesigned-listing.html").read_text(encoding="utf-8")
    assert read_listing_page(html, listing_url(PORTAL, 1090)) == ListingPage([], 18921)


@pytest.mark.parametrize(
    ("commission", "title", "relevant"),
    [
        ("Economie, Nouvelles Technologies, Enseignement Supérieur", "Marché de nettoyage", True),
        ("Développer l'économie et servir l'emploi", "Prime d'aménagement", True),
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
    card = dataclasses.replace(cards_of("amp-listing-1195")[0], commission=commission)
    card = dataclasses.replace(card, title=title, summary=None)
    assert concerns_economy_or_pole(card) is relevant


@pytest.mark.parametrize(
    "content_type",
    ["text/html; charset=ISO-8859-1", "text/html; charset=utf-8", "text/html", None],
)
def test_pages_in_latin_1_decode_whatever_the_header_says(content_type: str | None) -> None:
    html = (FIXTURES / "amp-listing-1164.html").read_text(encoding="utf-8")
    latin = html.replace("’", "'").replace("œ", "oe").replace("«", '"').replace("»", '"')
    cards = parse_listing(
        decode_page(latin.encode("latin-1"), content_type), listing_url(PORTAL, 1)
    )
    assert cards[1].rapporteur == "Madame ALIPHAT Béatrice"
    assert decode_page("Résumé".encode(), "text/html; charset=utf-8") == "Résumé"
