"""Acts of every era through the mirror, the crawl and the parser: each one read and counted.

The headers are written after the archived acts (the 2016 Bureau's two codes, the 2016
recueil's code and title on one line) or, where no archived act shows one, after the forms
the record contract names (hyphenated codes from 2023, a Conseil de Territoire's `/CT1`, the
communauté urbaine's `/CC`): made-up acts, labelled as such in their PDFs by the generator.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from crawl_faults import FAST

from pipelines.crawl.crawler import crawl
from pipelines.crawl.mirror import Mirror, load_site
from pipelines.crawl.store import Catalogue
from pipelines.normalise.frames import normalise
from pipelines.parse import parse_pdf
from pipelines.parse.partitions import ParsedDocument, downloaded_acts
from tests.synthetic.document import Document, Footer, Para
from tests.synthetic.render import render_pdf

METROPOLE = "metropole-aix-marseille-provence"
FORMER = "marseille-provence-metropole"


def _closing(body: str, pole: str, amount: str, year: int, budget: str) -> list[str]:
    return [
        f"Telles sont les raisons qui nous incitent à proposer au {body} de prendre la "
        "délibération ci-après :",
        f"Le {body},",
        "Vu",
        "• Le Code Général des Collectivités Territoriales ;",
        "Ouï le rapport ci-dessus,",
        "Délibère",
        "Article 1 :",
        f"Est attribuée au {pole} une subvention de fonctionnement de {amount} euros au titre "
        f"de l'année {year}.",
        "Article 2 :",
        f"Les crédits nécessaires sont inscrits au {budget}.",
        "Cette proposition mise aux voix est adoptée.",
        "Certifié Conforme,",
    ]


GAUDIN = "Monsieur Jean-Claude GAUDIN, Président de la Métropole d’Aix-Marseille-Provence, a"
# name: (text lines, what the record must say: code, session, body, territory, authority, euros)
ERAS: dict[str, tuple[list[str], dict[str, object]]] = {
    # The header of the archived DECISION of 30 June 2016, two codes around the title.
    "bm-2016-06-30-double-code": (
        [
            "Provence Française Bouches du Rhône",
            "EXTRAIT DES REGISTRES DES DELIBERATIONS DU BUREAU DE LA METROPOLE D'AIX-",
            "MARSEILLE-PROVENCE-METROPOLE",
            "Séance du 30 juin 2016",
            f"{GAUDIN} ouvert la séance à laquelle ont été présents 33 membres.",
            "Etaient présents Mesdames et Messieurs :",
            "Béatrice ALIPHAT - Martial ALVAREZ - Christophe AMALRIC.",
            "Monsieur Le Président a proposé au Bureau de la Métropole d'accepter les conclusions",
            "exposées ci- après et de les convertir en délibération.",
            "ECO 007-416/16/BM",
            "Attribution d'une subvention de fonctionnement au Pôle Terralia - Approbation d'une",
            "convention",
            "MET 16/835/BM",
            "Monsieur le Président de la Métropole d’Aix-Marseille-Provence sur proposition du",
            "Commissaire Rapporteur soumet au Bureau de la Métropole le rapport suivant :",
            "La Métropole soutient le pôle de compétitivité Terralia, dédié à l'agroalimentaire.",
            *_closing(
                "Bureau de la Métropole", "Pôle Terralia", "25.000", 2016, "budget principal"
            ),
        ],
        {
            "code": "ECO 007-416/16/BM",
            "reference": "MET 16/835/BM",
            "session": "2016-06-30",
            "body": "bureau",
            "territory": None,
            "authority": METROPOLE,
            "euros": 25000,
        },
    ),
    # The same header as the archived copy's title line prints it: "D'AIX- MARSEILLE-...".
    "bm-2016-06-30-title-line": (
        [
            "EXTRAIT DES REGISTRES DES DELIBERATIONS DU BUREAU DE LA METROPOLE D'AIX- "
            "MARSEILLE-PROVENCE-METROPOLE",
            "Séance du 30 juin 2016",
            f"{GAUDIN} ouvert la séance à laquelle ont été présents 33 membres.",
            "Monsieur Le Président a proposé au Bureau de la Métropole d'accepter les conclusions",
            "exposées ci- après et de les convertir en délibération.",
            "DEVT 048-820/16/BM",
            "Attribution d'une subvention de fonctionnement au Pôle Optitec",
            "MET 16/2035/BM",
            "Monsieur le Président de la Métropole d’Aix-Marseille-Provence sur proposition du",
            "Commissaire Rapporteur soumet au Bureau de la Métropole le rapport suivant :",
            "La Métropole soutient le pôle de compétitivité Optitec.",
            *_closing("Bureau de la Métropole", "Pôle Optitec", "30.000", 2016, "budget principal"),
        ],
        {
            "code": "DEVT 048-820/16/BM",
            "reference": "MET 16/2035/BM",
            "session": "2016-06-30",
            "body": "bureau",
            "territory": None,
            "authority": METROPOLE,
            "euros": 30000,
        },
    ),
    # The 2016 recueil's form: code, title and registry number on one line.
    "bm-2016-04-28-recueil": (
        [
            "METROPOLE",
            "D’AIX-MARSEILLE-PROVENCE",
            "Bureau de la Métropole",
            "Séance du 28 avril 2016",
            f"{GAUDIN} ouvert la séance à laquelle ont été présents 31 membres.",
            "HN 001-071/16/BM – Attribution d'une subvention de fonctionnement au Pôle SCS et "
            "approbation d'une convention MET 16/194/BM",
            "Monsieur le Président de la Métropole d’Aix-Marseille-Provence soumet au Bureau de",
            "la Métropole le rapport suivant :",
            "Le pôle SCS réunit les entreprises des solutions communicantes sécurisées.",
            *_closing("Bureau de la Métropole", "Pôle SCS", "40.000", 2016, "budget principal"),
        ],
        {
            "code": "HN 001-071/16/BM",
            "reference": "MET 16/194/BM",
            "session": "2016-04-28",
            "body": "bureau",
            "territory": None,
            "authority": METROPOLE,
            "euros": 40000,
        },
    ),
    "cm-2023-06-22-hyphenated": (
        [
            " AIX-MARSEILLE-PROVENCE",
            "Séance du 22 juin 2023",
            "Madame Martine VASSAL, Présidente de la Métropole Aix-Marseille-Provence, a ouvert",
            "la séance à laquelle ont été présents 160 membres.",
            "Madame la Présidente a proposé au Conseil de la Métropole d'accepter les conclusions",
            "exposées ci-après et de les convertir en délibération.",
            "ECO-013-13246/23/CM",
            "Attribution d'une subvention de fonctionnement au Pôle Eurobiomed - Approbation",
            "d'une convention",
            "MET 23/22981/CM",
            "Madame la Présidente de la Métropole Aix-Marseille-Provence sur proposition du",
            "Commissaire Rapporteur soumet au Conseil de la Métropole le rapport suivant :",
            "Le pôle Eurobiomed fédère la filière santé.",
            *_closing(
                "Conseil de la Métropole",
                "Pôle Eurobiomed",
                "70.000",
                2023,
                "budget principal de la Métropole",
            ),
        ],
        {
            "code": "ECO-013-13246/23/CM",
            "reference": "MET 23/22981/CM",
            "session": "2023-06-22",
            "body": "conseil",
            "territory": None,
            "authority": METROPOLE,
            "euros": 70000,
        },
    ),
    "ct1-2019-06-20-conseil-de-territoire": (
        [
            "MÉTROPOLE AIX-MARSEILLE-PROVENCE",
            "CONSEIL DE TERRITOIRE MARSEILLE PROVENCE",
            "Séance du 20 juin 2019",
            "Monsieur le Président du Conseil de Territoire Marseille Provence a ouvert la séance",
            "à laquelle ont été présents 61 membres.",
            "ECO 004-1942/19/CT1",
            "Attribution d'une subvention de fonctionnement au Pôle Mer Méditerranée -",
            "Approbation d'une convention",
            "Monsieur le Président soumet au Conseil de Territoire le rapport suivant :",
            "Le Pôle Mer Méditerranée anime la filière maritime.",
            *_closing(
                "Conseil de Territoire Marseille Provence",
                "Pôle Mer Méditerranée",
                "30.000",
                2019,
                "Etat Spécial de Territoire Marseille Provence",
            ),
        ],
        {
            "code": "ECO 004-1942/19/CT1",
            "reference": None,
            "session": "2019-06-20",
            "body": "conseil-de-territoire",
            "territory": "marseille-provence",
            "authority": METROPOLE,
            "euros": 30000,
        },
    ),
    "cc-2014-02-21-communaute-urbaine": (
        [
            "COMMUNAUTE URBAINE MARSEILLE PROVENCE METROPOLE",
            "EXTRAIT DU REGISTRE DES DELIBERATIONS DU CONSEIL DE COMMUNAUTE",
            "Séance du 21 février 2014",
            "Monsieur le Président a ouvert la séance à laquelle ont assisté 140 membres.",
            "FCT 006-415/14/CC",
            "Soutien au Pôle Mer PACA - Programme d'actions 2014",
            "Monsieur le Président soumet au Conseil de Communauté le rapport suivant :",
            "La Communauté urbaine soutient le Pôle Mer PACA.",
            *_closing("Conseil de Communauté", "Pôle Mer PACA", "74.500", 2014, "budget principal"),
        ],
        {
            "code": "FCT 006-415/14/CC",
            "reference": None,
            "session": "2014-02-21",
            "body": "conseil",
            "territory": None,
            "authority": FORMER,
            "euros": 74500,
        },
    ),
}


def _card_record(stem: str, expected: dict[str, object]) -> dict[str, object]:
    """What the mirror reads to print the act's card (its expected.json)."""
    euros = expected["euros"]
    return {
        "session_date": expected["session"],
        "authority": expected["authority"],
        "body": expected["body"],
        "territory_id": expected["territory"],
        "title": stem.split("-", 4)[-1].replace("-", " ").capitalize(),
        "deliberation_code": expected["code"],
        "grants": [{"amount_eur": euros, "allocations": []}],
    }


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict]]:
    """The era acts served by the mirror, crawled, and parsed: (data folder, record by stem)."""
    site_dir = tmp_path_factory.mktemp("eras-site")
    for stem, (lines, expected) in ERAS.items():
        document = Document(
            stem=stem,
            variation="era",
            blocks=[Para("\n".join(lines), keep_lines=True)],
            footer=Footer(),
            font="helvetica",
            font_size=9.5,
            pdf_title=f"SYNTHETIC {stem}",
            record={},  # type: ignore[typeddict-item]
        )
        (site_dir / f"{stem}.pdf").write_bytes(render_pdf(document))
        record = _card_record(stem, expected)
        (site_dir / f"{stem}.expected.json").write_text(json.dumps(record), encoding="utf-8")
    data = tmp_path_factory.mktemp("eras-data")
    with Mirror(load_site(site_dir)) as mirror:
        stats = crawl(mirror.url, data_dir=data, policy=FAST, download_all=True)
    assert stats.documents_stored == len(ERAS) and not stats.listing_errors
    records = {}
    with Catalogue(data / "crawl.sqlite") as catalogue:
        by_sha = {row["sha256"]: row for row in catalogue.manifest()}
    for act in downloaded_acts(data / "crawl.sqlite"):
        record = parse_pdf(data / "raw" / f"{act.sha256}.pdf")
        stem = next(s for s, (_, e) in ERAS.items() if e["code"] == record["deliberation_code"])
        records[stem] = {"record": record, "year": act.session_year, "row": by_sha[act.sha256]}
    return data, records


def test_every_eras_act_is_crawled_as_an_act_and_parsed(crawled) -> None:  # type: ignore[no-untyped-def]
    _, records = crawled
    assert set(records) == set(ERAS)
    for stem, (_, expected) in ERAS.items():
        record = records[stem]["record"]
        got = (
            record["deliberation_code"],
            record["reference"],
            record["session_date"],
            record["body"],
            record["territory_id"],
            [grant["amount_eur"] for grant in record["grants"]],
        )
        assert got == (
            expected["code"],
            expected["reference"],
            expected["session"],
            expected["body"],
            expected["territory"],
            [expected["euros"]],
        ), stem
        assert record["status"] == "ok" and record["outcome"] == "adopted", stem
        # The session year of the partition is the card's, whatever the URL says.
        assert records[stem]["year"] == int(str(expected["session"])[:4]), stem


@pytest.mark.parametrize(
    "stem",
    [
        "bm-2016-06-30-double-code",
        "bm-2016-06-30-title-line",
        "bm-2016-04-28-recueil",
        "cm-2023-06-22-hyphenated",
        "ct1-2019-06-20-conseil-de-territoire",
        "cc-2014-02-21-communaute-urbaine",
    ],
)
def test_the_authority_of_each_eras_act(crawled, stem: str) -> None:  # type: ignore[no-untyped-def]
    _, records = crawled
    assert records[stem]["record"]["authority"] == ERAS[stem][1]["authority"]


def test_the_card_and_the_act_agree_on_body_territory_and_authority(crawled) -> None:  # type: ignore[no-untyped-def]
    data, records = crawled
    with Catalogue(data / "crawl.sqlite") as catalogue:
        cards = {row["card_id"]: row for row in catalogue.listing()}
    for stem, (_, expected) in ERAS.items():
        card = cards[records[stem]["row"]["card_id"]]
        assert (card["body"], card["territory_id"], card["authority"]) == (
            expected["body"],
            expected["territory"],
            expected["authority"],
        ), stem
        assert card["session_date"] == expected["session"]
        # ct1: the communauté urbaine until 2015, then the Conseil de Territoire.
        in_ct1 = expected["authority"] == FORMER or expected["body"] == "conseil-de-territoire"
        assert card["domaine"] == ("ct1" if in_ct1 else "METROPOLE"), stem


def test_acts_filed_under_deliberation_or_dated_early_are_read_all_the_same(crawled) -> None:  # type: ignore[no-untyped-def]
    _, records = crawled
    rows = [entry["row"] for entry in records.values()]
    folders = {str(row["url"]).split("/")[-2] for row in rows}
    assert folders == {"DECISION", "DELIBERATION"}
    early = 0
    for entry in records.values():
        url_date = date(*(int(part) for part in str(entry["row"]["url"]).split("/")[-5:-2]))
        session = date.fromisoformat(entry["record"]["session_date"])
        early += url_date < session
        assert url_date <= session
    assert early >= 1


def test_every_eras_act_reaches_the_warehouse_tables_to_the_euro(crawled) -> None:  # type: ignore[no-untyped-def]
    data, records = crawled
    with Catalogue(data / "crawl.sqlite") as catalogue:
        manifest, listing = catalogue.manifest(), catalogue.listing()
    parsed = {
        entry["row"]["sha256"]: ParsedDocument(entry["record"], "test")
        for entry in records.values()
    }
    frames = normalise(manifest, listing, parsed)
    deliberations = frames["deliberations"]
    assert sorted(deliberations["deliberation_code"].to_list()) == sorted(
        str(expected["code"]) for _, expected in ERAS.values()
    )
    assert frames["quarantine"].height == 0
    assert Decimal(str(frames["grants"]["amount_eur"].sum())) == sum(
        Decimal(str(expected["euros"])) for _, expected in ERAS.values()
    )
