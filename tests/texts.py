"""Literal deliberation texts for the parser's text-to-record tests (no PDF involved)."""

from __future__ import annotations

HEADER_2019 = """ AIX-MARSEILLE-PROVENCE
Séance du {date}
Madame Martine VASSAL, Présidente de la Métropole Aix-Marseille-Provence, a ouvert la séance à
laquelle ont été présents {members} membres.
Etaient présents Mesdames et Messieurs :
Béatrice ALIPHAT - Martial ALVAREZ - Christophe AMALRIC.
Madame la Présidente a proposé au {body} de la Métropole d'accepter les conclusions exposées ci-
après et de les convertir en délibération."""

HEADER_2016 = """EXTRAIT DES REGISTRES DES DELIBERATIONS
DU {BODY} DE LA METROPOLE AIX-MARSEILLE-PROVENCE
Séance du {date}
Monsieur Jean-Claude GAUDIN, Président de la Métropole Aix-Marseille-Provence, a ouvert la
séance à laquelle ont assisté {members} membres.
Monsieur le Président a proposé au {body} de la Métropole d'accepter les conclusions exposées ci-
après et de les convertir en délibération."""

STAMP = (
    "Accusé de réception en préfecture\n013-200054807-20190328-lmc1100000-DE\n"
    "Date de télétransmission : 02/04/2019\nDate de réception préfecture : 02/04/2019"
)


def deliberation(
    *,
    code: str = "ECO 024-5567/19/BM",
    title: str = "Attribution d'une subvention de fonctionnement au Pôle OPTITEC",
    reference: str | None = "MET 19/10103/BM",
    date: str = "28 mars 2019",
    members: int = 31,
    old_header: bool = False,
    report: str = "Dans le cadre de sa stratégie de développement économique, la Métropole soutient les pôles.",
    articles: str = "Article 1 :\nEst attribuée au Pôle Optitec une subvention de 60.000 euros.",
    closing: str = "Cette proposition mise aux voix est adoptée.",
) -> str:
    """A whole act's text layer, page furniture included."""
    body = "Bureau" if code.endswith("/BM") else "Conseil"
    template = HEADER_2016 if old_header else HEADER_2019
    president = "Monsieur le Président" if old_header else "Madame la Présidente"
    parts = [
        template.format(date=date, members=members, body=body, BODY=body.upper()),
        code,
        title,
        *([reference] if reference else []),
        f"{president} de la Métropole Aix-Marseille-Provence sur proposition du Commissaire",
        f"Rapporteur soumet au {body} de la Métropole le rapport suivant :",
        report,
        STAMP,
        "2",
        f"Telles sont les raisons qui nous incitent à proposer au {body} de la Métropole de prendre",
        "la délibération ci-après :",
        f"Le {body} de la Métropole Aix-Marseille-Provence,",
        "Vu",
        "• Le Code Général des Collectivités Territoriales ;",
        "• La délibération n° HN 021-049/16/CM du Conseil de la Métropole du 7 avril 2016 ;",
        "• La délibération n°FAG 152-4969/18/CM du 13 décembre 2018 portant délégation ;",
        "Ouï le rapport ci-dessus,",
        "Délibère",
        articles,
        closing,
        "Certifié Conforme,",
        "Le Vice-Président Délégué",
    ]
    return "\n".join(parts)
