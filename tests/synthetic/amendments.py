"""SYNTHETIC corpus: acts that raise an earlier grant (new total) or approve an avenant."""

from __future__ import annotations

import datetime as dt

from pipelines.parse.record import Body
from tests.synthetic import wording
from tests.synthetic.document import Block, Para
from tests.synthetic.exposes import pole_facts, signing_article, strategy_intro
from tests.synthetic.french import french_date
from tests.synthetic.session import other_code
from tests.synthetic.writer import (
    Draft,
    Writer,
    the_beneficiary,
    to_beneficiary,
)


def amendment(w: Writer, avenant: bool = False) -> Draft:
    """A later act raising an earlier grant: the new total, and `amends` the earlier code."""
    rng, s = w.rng, w.s
    pole_id = w.pick_poles()[0]
    beneficiary = w.pole_beneficiary(pole_id)
    original_date = s.date - dt.timedelta(days=rng.randint(40, 300))
    original_body: Body = rng.choice(("bureau", "bureau", "conseil"))
    original_code = other_code(rng, original_date.year, original_body)
    funding_year = s.year
    if original_date.year < s.year and original_date.month != 12:
        funding_year = original_date.year
    old = w.grant_amount(20_000, 120_000)
    new = old + w.grant_amount(2_000, old // 2)
    charge = rng.choice(("metropole", "split", "ets"))
    allocations = w.allocations(new, charge)
    printed_code = original_code if rng.random() < 0.7 else original_code.replace(" ", "  ", 1)
    n_sign = rng.choice(("n° ", "n°", "n°  "))
    ref = f"{n_sign}{printed_code} du {french_date(original_date)}"
    body_of = "Bureau de la Métropole" if original_body == "bureau" else "Conseil de la Métropole"
    if avenant:
        title = rng.choice(
            (
                "Approbation de l'avenant n° 1 à la convention d'objectifs conclue avec "
                f"{the_beneficiary(beneficiary)} - Modification du montant de la subvention",
                f"Avenant n°1 à la convention conclue avec {the_beneficiary(beneficiary)} - "
                f"Augmentation de la subvention de fonctionnement {funding_year}",
            )
        )
    else:
        title = rng.choice(
            (
                f"Modification de la délibération {ref} portant attribution d'une subvention "
                f"de fonctionnement {to_beneficiary(beneficiary)}",
                f"Attribution d'une subvention complémentaire {to_beneficiary(beneficiary)} - "
                f"Modification de la délibération {n_sign}{printed_code}",
            )
        )
    expose = strategy_intro(w)[:1]
    expose.append(
        Para(
            f"Par délibération {ref}, le {body_of} a attribué {to_beneficiary(beneficiary)} une "
            f"subvention de fonctionnement de {w.eur(old)} au titre de son programme d'actions "
            f"{funding_year}"
            + (" et approuvé la convention d'objectifs correspondante." if avenant else ".")
        )
    )
    expose += pole_facts(w, pole_id, funding_year, 1)
    extra = new - old
    expose.append(
        Para(
            "Le Pôle a depuis engagé des actions nouvelles, non prévues lors de l'élaboration de "
            f"son budget, pour un coût estimé à {w.eur(extra * rng.randint(2, 4))}. Il est proposé "
            f"d'augmenter la participation de la Métropole de {w.eur(extra)}."
        )
    )
    if avenant:
        first: list[Block] = [
            Para(
                "Est approuvé l'avenant n° 1 à la convention conclue avec "
                f"{the_beneficiary(beneficiary)}, "
                f"portant le montant de la subvention de {w.eur(old)} à {w.eur(new)}."
            )
        ]
    elif rng.random() < 0.6:
        first = [
            Para(
                f"Le montant de la subvention attribuée {to_beneficiary(beneficiary)} par la "
                "délibération "
                f"{ref} est porté de {w.eur(old)} à {w.eur(new)}."
            )
        ]
    else:
        first = [
            Para(
                f"Est attribuée {to_beneficiary(beneficiary)} une subvention complémentaire de "
                f"{w.eur(extra)}, portant le montant total de la subvention attribuée par la "
                f"délibération {ref} à {w.eur(new)}."
            )
        ]
    if len(allocations) == 1:
        second: list[Block] = [
            Para(
                f"L'ensemble de la subvention, soit {w.eur(new)}, est imputé "
                f"{w.charge_phrase(allocations[0])}."
            )
        ]
    else:
        second = [Para("La subvention est désormais prise en charge à hauteur de :")]
        second += w.split_lines(allocations, future=False)
    articles: list[list[Block]] = [first, second]
    if avenant:
        articles.append(signing_article(w))
    articles.append(
        [Para("Les autres dispositions de la délibération susvisée demeurent inchangées.")]
    )
    grant = w.grant(beneficiary, pole_id, "operating", new, funding_year, allocations)
    vu = [f"La délibération n° {original_code} du {body_of} du {french_date(original_date)} ;"]
    return Draft(
        title=title,
        slug=pole_id,
        expose=expose,
        articles=articles,
        grants=[grant],
        amends=original_code,
        vu=vu,
        considerants=[wording.CONSIDERANTS[1]],
    )
