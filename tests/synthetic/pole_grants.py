"""SYNTHETIC corpus: one pôle, one grant (operating, investment, membership, other)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pipelines.parse.record import Kind
from tests.synthetic import wording
from tests.synthetic.document import Block, Para, Table
from tests.synthetic.exposes import (
    convention_article,
    funding_year_phrase,
    long_filler,
    pole_facts,
    programme_paragraph,
    signing_article,
    strategy_intro,
)
from tests.synthetic.french import french_date, group, percent
from tests.synthetic.reference import (
    short_name,
)
from tests.synthetic.writer import (
    Draft,
    Writer,
    the_beneficiary,
    to_beneficiary,
)


@dataclass
class SingleOptions:
    """Knobs of the one-pôle grant report."""

    kind: Kind = "operating"
    charge: str | None = None  # metropole | ets | split
    funding_year: int | None = None
    words: bool = False
    long: bool = False


def single_pole(w: Writer, options: SingleOptions | None = None) -> Draft:
    """One pôle, one grant, split or not, stated in the exposé and/or the articles."""
    o = options or SingleOptions()
    rng, s = w.rng, w.s
    funding_year = o.funding_year or s.year
    pole_id = w.pick_poles(1, funding_year)[0]
    beneficiary = w.pole_beneficiary(pole_id)
    next_year = funding_year != s.year
    low, high = {"operating": (15_000, 150_000), "other": (5_000, 60_000)}.get(
        o.kind, (15_000, 150_000)
    )
    value = w.grant_amount(low, high)
    charge = o.charge or rng.choices(("split", "metropole", "ets"), (5, 4, 2))[0]
    allocations = w.allocations(value, charge)
    where = rng.choice(("expose", "articles", "both"))
    budget = w.odd_budget(value) if rng.random() < 0.65 else None
    kind_words = {
        "operating": "subvention de fonctionnement",
        "other": rng.choice(("subvention exceptionnelle", "subvention spécifique")),
    }[o.kind]

    # Title
    year_in_title = (next_year and rng.random() < 0.7) or (not next_year and rng.random() < 0.2)
    fy = funding_year_phrase(w, funding_year) if year_in_title else ""
    title = rng.choice(
        (
            f"Attribution d'une {kind_words} {to_beneficiary(beneficiary)}{fy} - Approbation "
            "d'une convention",
            f"Attribution d'une {kind_words} {to_beneficiary(beneficiary)}{fy} - Approbation "
            "d'une convention d'objectifs",
            f"Approbation d'une convention d'objectifs avec {the_beneficiary(beneficiary)} et "
            f"attribution d'une {kind_words}{fy}",
        )
    )

    # Exposé
    expose = strategy_intro(w)
    expose += pole_facts(w, pole_id, funding_year, 4 if o.long else rng.randint(1, 3))
    if o.long:
        expose += [
            Para(text.format(phase="phase IV (2019-2022)")) for text in wording.POLES_IN_GENERAL[:2]
        ]
    if next_year or rng.random() < 0.6:
        expose.append(programme_paragraph(w, pole_id, funding_year))
    if s.year > 2016 and rng.random() < 0.3:
        previous = w.grant_amount(low, high)
        expose.append(
            Para(
                f"Pour mémoire, la Métropole avait soutenu le Pôle à hauteur de {w.eur(previous)} "
                f"en {funding_year - 1}."
            )
        )
    name = short_name(pole_id, s.year)
    the_pole = name if name.startswith("Pôle") else f"Pôle {name}"
    amount_text = w.eur_words(value) if o.words and rng.random() < 0.5 else w.eur(value)
    if budget is not None:
        if rng.random() < 0.5:
            expose.append(
                Para(
                    f"Pour les actions menées au titre de la gouvernance et de l'animation du "
                    f"{the_pole}, le soutien financier de la Métropole Aix-Marseille-Provence "
                    f"s'élèvera à {amount_text}, représentant {percent(value, budget)} du budget "
                    f"prévisionnel {funding_year} d'un montant de {w.eur(budget)}."
                )
            )
        else:
            expose.append(
                Para(
                    f"Le budget prévisionnel {funding_year} du {the_pole} s'élève à "
                    f"{w.eur(budget)}. La participation sollicitée auprès de la Métropole est de "
                    f"{amount_text}, soit {percent(value, budget)} de ce budget."
                )
            )
    else:
        expose.append(
            Para(
                f"Il est proposé d'attribuer {to_beneficiary(beneficiary)} "
                f"une {kind_words} d'un montant de {amount_text}."
            )
        )
    if where in ("expose", "both"):
        if len(allocations) > 1 and rng.random() < 0.6:
            expose.append(Para("Ce soutien financier se décompose comme suit :"))
            expose += w.split_lines(allocations, future=True)
        else:
            expose.append(Para(w.split_sentence(allocations)))
    expose.append(Para(rng.choice(wording.CONVENTION_SENTENCES)))
    if o.long:
        expose += long_filler(w, pole_id, funding_year)

    # Articles
    target = beneficiary if rng.random() < 0.7 else the_pole
    in_words = w.eur_words(value) if o.words else w.eur(value)
    year_text = funding_year_phrase(w, funding_year) if next_year or rng.random() < 0.3 else ""
    first: list[Block] = []
    if where in ("articles", "both"):
        if len(allocations) > 1:
            first.append(
                Para(
                    f"Est attribuée {to_beneficiary(target)} une subvention de "
                    f"{in_words}{year_text}. "
                    "Celle-ci est prise en charge à hauteur de :"
                )
            )
            first += w.split_lines(allocations, future=False)
        else:
            first.append(
                Para(
                    f"Est attribuée {to_beneficiary(target)} une {kind_words} de {in_words}"
                    f"{year_text}, imputée {w.charge_phrase(allocations[0])}."
                )
            )
    else:
        first.append(
            Para(f"Est attribuée {to_beneficiary(target)} une subvention de {in_words}{year_text}.")
        )
    articles: list[list[Block]] = [first, convention_article(w, target), signing_article(w)]
    articles.append([Para(w.credits_article(allocations, o.kind, funding_year))])

    grant = w.grant(beneficiary, pole_id, o.kind, value, funding_year, allocations, budget)
    ets = [a["territory_id"] for a in allocations if a["budget"] == "ets"]
    return Draft(
        title=title,
        slug=pole_id,
        expose=expose,
        articles=articles,
        grants=[grant],
        considerants=[wording.CONSIDERANTS[0]],
        avis=ets,
    )


PROJECTS = {
    "optitec": (
        "l'acquisition d'équipements pour sa plate-forme mutualisée de caractérisation optique"
    ),
    "eurobiomed": "l'aménagement d'un living lab dédié à la e-santé",
    "pole-mer-mediterranee": "l'équipement d'un plateau d'essais pour drones marins",
    "scs": "la création d'un démonstrateur de cybersécurité industrielle",
    "capenergies": "l'installation d'une plateforme de démonstration hydrogène",
    "safe": "l'équipement d'une plateforme d'essais de drones",
    "terralia": "l'équipement d'une halle pilote de transformation agroalimentaire",
    "innov-alliance": "l'équipement d'un laboratoire partagé d'analyse sensorielle",
    "aqua-valley": "une plateforme d'expérimentation de réutilisation des eaux usées traitées",
}


def investment(w: Writer) -> Draft:
    """Subvention d'investissement: project cost and a financing plan with other funders."""
    rng, s = w.rng, w.s
    pole_id = w.pick_poles()[0]
    beneficiary = w.pole_beneficiary(pole_id)
    value = w.grant_amount(40_000, 400_000)
    cost = value * rng.randint(3, 7) + rng.choice((0, 2_500, 7_500, 12_000))
    region = w.grant_amount(value // 2, value * 2)
    europe = w.grant_amount(value // 2, value * 2)
    own = cost - value - region - europe
    if own <= 0:
        cost = value + region + europe + w.grant_amount(10_000, 100_000)
        own = cost - value - region - europe
    allocations = w.allocations(value, rng.choices(("metropole", "split"), (3, 1))[0])
    label = rng.choice(("subvention d'investissement", "subvention d'équipement"))
    project = PROJECTS[pole_id]
    title = (
        f"Attribution d'une {label} {to_beneficiary(beneficiary)} pour {project} - Approbation "
        "d'une convention"
    )
    expose = strategy_intro(w)[:2] + pole_facts(w, pole_id, s.year, 1)
    expose.append(
        Para(
            f"Le Pôle porte un projet d'investissement consistant en {project}. Le coût total du "
            f"projet est estimé à {w.eur(cost)} HT. Il est financé selon le plan suivant :"
        )
    )
    rows = [["Financeurs", "Montant HT", "%"]]
    plan = [
        ("Union européenne (FEDER)", europe),
        ("Région Provence-Alpes-Côte d'Azur", region),
        ("Métropole Aix-Marseille-Provence", value),
        ("Autofinancement", own),
    ]
    for funder, part in plan:
        rows.append([funder, w.cell(part, True), percent(part, cost)])
    rows.append(["Total", w.cell(cost, True), percent(cost, cost)])
    expose.append(
        Table(rows=rows, widths=[0.5, 0.3, 0.2], numeric=[False, True, True], total_row=True)
    )
    expose.append(
        Para(
            f"Il est proposé que la Métropole participe à ce projet à hauteur de {w.eur(value)}, "
            "sous la forme d'une subvention d'investissement."
        )
    )
    first: list[Block] = [
        Para(
            f"Est attribuée {to_beneficiary(beneficiary)} une {label} de {w.eur(value)} pour "
            f"{project}."
        )
    ]
    if len(allocations) > 1:
        first.append(Para("Celle-ci est prise en charge à hauteur de :"))
        first += w.split_lines(allocations, future=False)
    articles: list[list[Block]] = [
        first,
        [
            Para(
                "Est approuvée la convention d'investissement à conclure avec "
                f"{the_beneficiary(beneficiary)}."
            )
        ],
        signing_article(w),
        [
            Para(
                w.split_sentence(allocations)
                if len(allocations) == 1
                else w.credits_article(allocations, "investment", s.year)
            )
        ],
    ]
    grant = w.grant(beneficiary, pole_id, "investment", value, s.year, allocations)
    return Draft(
        title=title,
        slug=pole_id,
        expose=expose,
        articles=articles,
        grants=[grant],
        considerants=[wording.CONSIDERANTS[1]],
    )


def membership(w: Writer) -> Draft:
    """Adhésion of the Métropole to a pôle and payment of the yearly cotisation."""
    rng, s = w.rng, w.s
    pole_id = w.pick_poles()[0]
    beneficiary = w.pole_beneficiary(pole_id)
    value = w.grant_amount(1_000, 25_000)
    funding_year = s.year
    renew = rng.random() < 0.5
    allocations = w.allocations(value, rng.choices(("metropole", "ets"), (4, 1))[0])
    if renew:
        title = (
            "Renouvellement de l'adhésion de la Métropole Aix-Marseille-Provence "
            f"{to_beneficiary(beneficiary)} et versement de la cotisation {funding_year}"
        )
    else:
        title = (
            f"Adhésion de la Métropole Aix-Marseille-Provence {to_beneficiary(beneficiary)} - "
            f"Paiement de la cotisation {funding_year}"
        )
    population = rng.choice((500_000, 1_000_000))
    expose = strategy_intro(w)[:2] + pole_facts(w, pole_id, s.year, rng.randint(1, 2))
    expose.append(
        Para(
            f"L'adhésion permet à la Métropole de siéger au sein des instances du Pôle et de "
            f"participer à ses travaux. Le barème des cotisations, fixé par l'assemblée générale "
            f"du Pôle, prévoit pour les collectivités de plus de {group(population, '.')} "
            "habitants une "
            f"cotisation annuelle de {w.eur(value)}."
        )
    )
    if rng.random() < 0.5:
        expose.append(
            Para(w.split_sentence(allocations).replace("Cette subvention", "Cette cotisation"))
        )
    articles: list[list[Block]] = [
        [
            Para(
                "Est approuvée l'adhésion de la Métropole Aix-Marseille-Provence "
                f"{to_beneficiary(beneficiary)}."
                if not renew
                else (
                    "Est approuvé le renouvellement de l'adhésion de la Métropole "
                    f"{to_beneficiary(beneficiary)}."
                )
            )
        ],
        [
            Para(
                f"Est autorisé le versement {to_beneficiary(beneficiary)} de la cotisation "
                f"{funding_year} d'un montant de {w.eur(value)}."
            )
        ],
        [
            Para(
                "Est désigné(e) pour représenter la Métropole au sein des instances du Pôle "
                ": Monsieur ou Madame le/la Vice-Président(e) délégué(e) à "
                f"l'{rng.choice(('Economie', 'Innovation'))}."
            )
        ],
    ]
    if len(allocations) == 1 and allocations[0]["territory_id"] != "metropole":
        articles.append(
            [Para(w.split_sentence(allocations).replace("Cette subvention", "Cette cotisation"))]
        )
    else:
        articles.append([Para(w.credits_article(allocations, "membership", funding_year))])
    grant = w.grant(beneficiary, pole_id, "membership", value, funding_year, allocations)
    return Draft(title=title, slug=pole_id, expose=expose, articles=articles, grants=[grant])


EVENTS = (
    "des Rencontres de l'innovation",
    "de la convention d'affaires annuelle",
    "du congrès annuel",
    "de la journée « Innovation et Territoires »",
)


def other_grant(w: Writer) -> Draft:
    """A grant that is neither operating, investment nor membership (an event)."""
    rng, s = w.rng, w.s
    pole_id = w.pick_poles()[0]
    beneficiary = w.pole_beneficiary(pole_id)
    value = w.grant_amount(5_000, 60_000)
    cost = value * rng.randint(3, 9) + rng.randint(1, 99) * 100
    allocations = w.allocations(value, rng.choice(("metropole", "ets", "split")))
    event = rng.choice(EVENTS)
    place = rng.choice(
        (
            "au Palais du Pharo",
            "au Parc Chanot",
            "à Aix-en-Provence",
            "au World Trade Center de Marseille",
        )
    )
    participation = rng.random() < 0.5
    if participation:
        title = (
            f"Participation financière de la Métropole à l'organisation {event} {s.year} par "
            f"{the_beneficiary(beneficiary)}"
        )
        grant_words = "une participation financière"
    else:
        title = (
            f"Attribution d'une subvention exceptionnelle {to_beneficiary(beneficiary)} pour "
            f"l'organisation {event} {s.year}"
        )
        grant_words = "une subvention exceptionnelle"
    expose = strategy_intro(w)[:1] + pole_facts(w, pole_id, s.year, 1)
    expose.append(
        Para(
            "Le Pôle organisera le "
            f"{french_date(s.date + dt.timedelta(days=rng.randint(20, 120)))} "
            f"{place} l'édition {s.year} {event}, qui devrait réunir près de "
            f"{rng.randint(3, 15) * 100} participants. Le coût global de la manifestation est "
            f"estimé à {w.eur(cost)}."
        )
    )
    expose.append(Para(f"Il est proposé d'accorder {grant_words} de {w.eur(value)}."))
    first: list[Block] = [
        Para(
            f"Est attribuée {to_beneficiary(beneficiary)} {grant_words} de {w.eur(value)} "
            f"pour l'organisation {event} {s.year}."
        )
    ]
    first.append(Para(w.split_sentence(allocations).replace("Cette subvention", "Cette somme")))
    articles: list[list[Block]] = [first, signing_article(w)]
    grant = w.grant(beneficiary, pole_id, "other", value, s.year, allocations)
    return Draft(title=title, slug=pole_id, expose=expose, articles=articles, grants=[grant])
