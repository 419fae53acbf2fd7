"""SYNTHETIC corpus: an act that puts its grants in an annex, the annex's table, a convention.

Written in the held-out sets' markup (tests/synthetic/markup.py) and rendered the same way:
made-up acts of the Métropole's style, labelled SYNTHETIC in their PDF titles.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.synthetic.markup import parse_source, render

CODE = "ECO 012-10234/21/CM"
SESSION = "2021-07-08"
# The pôles the annex lists and their grants; the total row is theirs unless told otherwise.
ROWS = (
    ("Pôle OPTITEC", "optitec", 60000),
    ("Pôle SCS", "scs", 80000),
    ("Capenergies", "capenergies", 40000),
)


def _euros(value: int) -> str:
    return f"{value:,}".replace(",", " ") + " €"


def act_text(
    article: str = (
        "Sont attribuées aux pôles de compétitivité, au titre de l'année 2021, les subventions "
        "de fonctionnement figurant dans le tableau ci-annexé."
    ),
) -> str:
    """The act: its report and its first article put the amounts in an annex."""
    return f"""@font helvetica 9.5
@stamp 013-200054807-20210708-lmc1110234-DE | 15/07/2021
@pages Page {{page}} / {{pages}}
@pdftitle SYNTHETIC {CODE}

@center @bold MÉTROPOLE AIX-MARSEILLE-PROVENCE

@center @bold CONSEIL DE LA MÉTROPOLE

@center Séance du 8 juillet 2021

Madame Martine VASSAL, Présidente de la Métropole Aix-Marseille-Provence, a ouvert la séance à laquelle ont été présents 180 membres.

Madame la Présidente a proposé au Conseil de la Métropole d'accepter les conclusions exposées ci-après et de les convertir en délibération.

@bold {CODE}

@bold Soutien aux pôles de compétitivité - Attribution de subventions de fonctionnement au titre de l'année 2021 - Approbation des conventions d'objectifs

MET 21/10234/CM

Madame la Présidente de la Métropole Aix-Marseille-Provence sur proposition du Commissaire Rapporteur soumet au Conseil de la Métropole le rapport suivant :

La Métropole soutient les pôles de compétitivité implantés sur son territoire, qui fédèrent les entreprises, les laboratoires et les centres de formation de leurs filières.

Trois pôles présentent cette année leur programme d'actions : le Pôle OPTITEC, le Pôle SCS et Capenergies. Les montants proposés pour chacun d'eux figurent dans le tableau annexé au présent rapport.

Telles sont les raisons qui nous incitent à proposer au Conseil de la Métropole de prendre la délibération ci-après :

Le Conseil de la Métropole Aix-Marseille-Provence,

Vu
- Le Code Général des Collectivités Territoriales ;
- L'avis de la Commission Développement économique du 24 juin 2021.

Ouï le rapport ci-dessus,

Délibère

Article 1 :
{article}

Article 2 :
Sont approuvées les conventions d'objectifs ci-annexées. Madame la Présidente de la Métropole, ou son représentant, est autorisée à les signer.

Article 3 :
Les crédits nécessaires sont inscrits au budget principal de la Métropole 2021, chapitre 65, nature 6574.

Cette proposition mise aux voix est adoptée.

@right Certifié Conforme,
@right Le Vice-Président Délégué
"""


def annex_text(rows: tuple[tuple[str, str, int], ...] = ROWS, total: int | None = None) -> str:
    """The annex: a ruled table of the grants with their total row."""
    stated = sum(amount for _, _, amount in rows) if total is None else total
    body = "\n".join(f"{name} | Fonctionnement | {_euros(amount)}" for name, _, amount in rows)
    return f"""@font helvetica 9.5
@pdftitle SYNTHETIC annexe 1 {CODE}

@center @bold ANNEXE 1

@center Délibération {CODE} du 8 juillet 2021

Répartition des subventions aux pôles de compétitivité au titre de l'année 2021

@table 0.45 0.25 0.30n total
Pôle de compétitivité | Nature | Montant
{body}
Total |  | {_euros(stated)}
@end
"""


def convention_text() -> str:
    """Another annex of the card: a convention, prose only."""
    return f"""@font times 10
@pdftitle SYNTHETIC annexe 2 {CODE}

@center @bold CONVENTION D'OBJECTIFS 2021

Entre la Métropole Aix-Marseille-Provence et l'association Pôle OPTITEC.

Article 1 - Objet : la présente convention fixe les engagements du pôle pour son programme d'actions 2021.

Article 2 - Montant : la Métropole attribue au pôle une subvention de fonctionnement de 60 000 euros.
"""


@dataclass(frozen=True)
class AnnexedAct:
    """The rendered act and its annexes (name, PDF bytes)."""

    act: bytes
    annexes: list[tuple[str, bytes]]


def render_text(text: str) -> bytes:
    """One markup text rendered to PDF (deterministic)."""
    return render(parse_source(text))


def annexed_act(total: int | None = None, with_convention: bool = True) -> AnnexedAct:
    """The act, its annex of grants (stating `total`, else the rows' sum), and a convention."""
    annexes = [("annexe-1.pdf", render_text(annex_text(total=total)))]
    if with_convention:
        annexes.append(("annexe-2.pdf", render_text(convention_text())))
    return AnnexedAct(render_text(act_text()), annexes)
