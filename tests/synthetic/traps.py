"""SYNTHETIC corpus: reports that say "pôle" but fund no pôle de compétitivité."""

from __future__ import annotations

from pipelines.parse.record import Kind
from tests.synthetic import wording
from tests.synthetic.document import Block, Para, Table
from tests.synthetic.exposes import pole_facts, signing_article, strategy_intro, upper_first
from tests.synthetic.reference import (
    case_sensitive_aliases,
    short_name,
)
from tests.synthetic.writer import (
    Draft,
    Writer,
    allocation,
    the_beneficiary,
)


def trap_technopole(w: Writer) -> Draft:
    """A grant to the association running the Technopôle de Château-Gombert (pole_id null)."""
    rng, s = w.rng, w.s
    beneficiary = rng.choice(
        (
            "Association du Technopôle de Château-Gombert",
            "Association Marseille Technopôle Château-Gombert",
        )
    )
    value = w.grant_amount(20_000, 120_000)
    # A Marseille site: charged on the Métropole, or on the Marseille Provence territory.
    allocations = [allocation(rng.choice(("metropole", "marseille-provence")), "principal", value)]
    title = (
        f"Attribution d'une subvention de fonctionnement à l'{beneficiary} pour l'animation du "
        "Technopôle - Approbation d'une convention"
    )
    expose = strategy_intro(w)[:1]
    firms = rng.randint(120, 200)
    expose.append(
        Para(
            f"Le Technopôle de Château-Gombert accueille sur près de 180 hectares {firms} "
            "entreprises, des écoles d'ingénieurs et des laboratoires de recherche. Plusieurs "
            "adhérents des pôles de compétitivité Optitec et SCS y sont implantés."
        )
    )
    expose.append(
        Para(
            f"L'{beneficiary} assure l'animation du site, l'accueil des entreprises et la "
            "promotion "
            f"du Technopôle. Il est proposé de lui attribuer une subvention de fonctionnement de "
            f"{w.eur(value)} pour l'année {s.year}."
        )
    )
    first: list[Block] = [
        Para(f"Est attribuée à l'{beneficiary} une subvention de fonctionnement de {w.eur(value)}.")
    ]
    if len(allocations) > 1:
        first.append(Para("Celle-ci est prise en charge à hauteur de :"))
        first += w.split_lines(allocations, future=False)
    articles: list[list[Block]] = [
        first,
        [Para(f"Est approuvée la convention à conclure avec l'{beneficiary}.")],
        signing_article(w),
        [Para(w.credits_article(allocations, "operating", s.year))],
    ]
    grant = w.grant(beneficiary, None, "operating", value, s.year, allocations)
    return Draft(title=title, slug="technopole", expose=expose, articles=articles, grants=[grant])


STATIONS = (
    "Saint-Antoine",
    "Aubagne",
    "La Ciotat",
    "Gardanne",
    "Miramas",
    "Vitrolles",
    "Pertuis",
    "Marignane",
)


def trap_pole_echanges(w: Writer) -> Draft:
    """A pôle d'échanges multimodal: works (no grant) or a participation paid to SNCF."""
    rng, s = w.rng, w.s
    station = rng.choice(STATIONS)
    cost = w.grant_amount(2_000_000, 15_000_000)
    expose: list[Block] = [
        Para(
            f"{upper_first(w.metropole())} est autorité organisatrice de la mobilité sur son "
            "territoire. Elle conduit un programme de création et de modernisation des pôles "
            "d'échanges multimodaux, afin de faciliter les correspondances entre le train, les "
            "cars, les bus, les modes actifs et la voiture."
        ),
        Para(
            f"Le pôle d'échanges multimodal de la gare de {station} comprendra une gare routière "
            f"de {rng.randint(6, 14)} quais, un parc relais de {rng.randint(150, 600)} places et "
            f"des stationnements vélos sécurisés. Le coût total de l'opération est estimé à "
            f"{w.eur(cost)} HT."
        ),
    ]
    if rng.random() < 0.5:
        title = (
            f"Pôle d'Echanges Multimodal de {station} - Approbation du programme de l'opération "
            "et de l'affectation de l'autorisation de programme"
        )
        articles: list[list[Block]] = [
            [
                Para(
                    "Est approuvé le programme de l'opération de création du pôle d'échanges "
                    f"multimodal de {station}."
                )
            ],
            [
                Para(
                    "Est approuvée l'affectation de l'autorisation de programme relative à "
                    f"cette opération pour un montant de {w.eur(cost)}."
                )
            ],
            [
                Para(
                    "Les crédits nécessaires sont inscrits au budget annexe Transports de la "
                    "Métropole."
                )
            ],
        ]
        return Draft(title=title, slug="pole-echanges", expose=expose, articles=articles, grants=[])
    beneficiary = rng.choice(("SNCF Gares & Connexions", "SNCF Réseau"))
    value = w.grant_amount(cost // 10, cost // 3)
    title = (
        f"Pôle d'échanges multimodal de la gare de {station} - Approbation d'une convention de "
        f"financement avec {beneficiary}"
    )
    expose.append(
        Para(
            "Les travaux relevant du domaine ferroviaire sont réalisés sous la maîtrise "
            "d'ouvrage de "
            f"{beneficiary}. La participation financière de la Métropole à ces travaux s'élève à "
            f"{w.eur(value)}."
        )
    )
    allocations = [allocation("metropole", "principal", value)]
    articles = [
        [Para(f"Est approuvée la convention de financement à conclure avec {beneficiary}.")],
        [
            Para(
                "Est approuvée la participation financière de la Métropole d'un montant de "
                f"{w.eur(value)} versée à {beneficiary}, imputée sur le budget principal de "
                "la Métropole."
            )
        ],
        signing_article(w),
    ]
    grant = w.grant(beneficiary, None, "other", value, s.year, allocations)
    return Draft(
        title=title, slug="pole-echanges", expose=expose, articles=articles, grants=[grant]
    )


def trap_pole_emploi(w: Writer) -> Draft:
    """A grant to Pôle emploi (an agency, not a pôle de compétitivité)."""
    rng, s = w.rng, w.s
    beneficiary = "Pôle emploi"
    value = w.grant_amount(5_000, 50_000)
    allocations = w.allocations(value, rng.choice(("metropole", "ets")))
    forum = rng.choice(
        (
            "Forum de l'emploi métropolitain",
            "Forum des métiers de l'industrie",
            "Job dating de l'économie bleue",
        )
    )
    operating = rng.random() < 0.4
    kind: Kind = "operating" if operating else "other"
    words = "une subvention de fonctionnement" if operating else "une subvention"
    title = f"Attribution d'{words} à Pôle emploi pour l'organisation du {forum} {s.year}"
    expose = [
        Para(rng.choice(wording.STRATEGY_OPENINGS).format(M=w.metropole())),
        Para(
            f"Pôle emploi organise chaque année, avec le soutien de la Métropole, le {forum}, qui "
            f"réunit plus de {rng.randint(40, 150)} employeurs et {rng.randint(2, 9)} 000 "
            "visiteurs. Les entreprises adhérentes des pôles de compétitivité du territoire y "
            "présentent leurs métiers en tension."
        ),
        Para(f"Il est proposé d'attribuer à Pôle emploi {words} de {w.eur(value)}."),
    ]
    articles: list[list[Block]] = [
        [
            Para(
                f"Est attribuée à Pôle emploi {words} de {w.eur(value)} pour l'organisation "
                f"du {forum} {s.year}."
            )
        ],
        [Para(w.split_sentence(allocations))],
    ]
    grant = w.grant(beneficiary, None, kind, value, s.year, allocations)
    return Draft(title=title, slug="pole-emploi", expose=expose, articles=articles, grants=[grant])


# Invented companies and project acronyms, by the theme of the pôle that labels them.
PROJECTS_BY_POLE: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "optitec": (("NOVAPTIC SAS", "SENSIA LABS", "LUMIVISIO"), ("SMARTLENS", "CLEARWAVE")),
    "eurobiomed": (("BIOSANTÉ CONCEPT", "THERANOVA", "MEDISENS"), ("BIOTRACE", "ONCOSCAN")),
    "pole-mer-mediterranee": (
        ("OCÉANIS ROBOTICS", "HYDROMER TECHNOLOGIES", "NAVALIS"),
        ("DRONIMER", "HYDROCAP"),
    ),
    "scs": (("CYBELIA SYSTEMS", "SENSIA LABS", "IOTRUST"), ("SECURIOT", "EDGEGUARD")),
    "capenergies": (("SOLARIX INDUSTRIE", "HYDROGEN'SUD", "GRIDELIA"), ("H2PORT", "FLEXIGRID")),
    "safe": (("AEROVISIO", "DRONEXIA", "FIRESCAN"), ("SKYWATCH", "FEUVERT")),
    "terralia": (("AGRINOVA SAS", "FRUITECH"), ("FRESHPACK", "AGROSENS")),
    "innov-alliance": (("ARÔMES & SENS", "NATURALIA LAB"), ("NATURACT", "SENTEURS+")),
    "aqua-valley": (("AQUALYS INNOVATION", "HYDREKA SUD"), ("REUSE", "AQUASENS")),
}
LABS = (
    "Aix-Marseille Université",
    "CNRS Délégation Provence et Corse",
    "Ecole Centrale de Marseille",
)


def trap_labelled_company(w: Writer) -> Draft:
    """Grants to companies whose project a pôle labelled: the companies are the beneficiaries."""
    rng, s = w.rng, w.s
    pole_id = w.pick_poles()[0]
    name = short_name(pole_id, s.year)
    if name in case_sensitive_aliases() or not name.startswith("Pôle"):
        label = f"le pôle {name}"
    else:
        label = f"le {name}"
    companies, acronyms = PROJECTS_BY_POLE[pole_id]
    acronym = rng.choice(acronyms)
    cost = w.grant_amount(800_000, 4_000_000)
    expose = strategy_intro(w)[:1]
    expose.append(
        Para(
            f"Le projet collaboratif de R&D {acronym} a été labellisé par {label} et retenu à "
            f"l'appel à projets du Fonds Unique Interministériel. Son coût total s'élève à "
            f"{w.eur(cost)}."
        )
    )
    if rng.random() < 0.5:
        company = rng.choice(companies)
        value = w.grant_amount(30_000, 250_000)
        allocations = [allocation("metropole", "principal", value)]
        title = (
            f"Attribution d'une subvention d'investissement à la société {company} pour le projet "
            f"{acronym} labellisé par {label}"
        )
        articles: list[list[Block]] = [
            [
                Para(
                    f"Est attribuée à la société {company} une subvention d'investissement de "
                    f"{w.eur(value)} pour le projet {acronym}."
                )
            ],
            [Para(w.credits_article(allocations, "investment", s.year))],
        ]
        grants = [w.grant(company, None, "investment", value, s.year, allocations)]
        return Draft(
            title=title, slug="entreprise", expose=expose, articles=articles, grants=grants
        )
    partners = [*rng.sample(companies, 2), *rng.sample(LABS, 1)]
    rows = [["Partenaire", "Statut", "Subvention"]]
    grants = []
    for partner in partners:
        value = w.grant_amount(20_000, 200_000)
        rows.append(
            [partner, "Laboratoire" if partner in LABS else "Entreprise", w.cell(value, True)]
        )
        grants.append(
            w.grant(
                partner,
                None,
                "investment",
                value,
                s.year,
                [allocation("metropole", "principal", value)],
            )
        )
    title = (
        "Fonds Unique Interministériel - Attribution de subventions d'investissement aux "
        f"partenaires du projet {acronym} labellisé par {label}"
    )
    expose.append(
        Para(
            "Il est proposé d'attribuer aux partenaires du projet les subventions "
            "d'investissement suivantes :"
        )
    )
    expose.append(Table(rows=rows, widths=[0.5, 0.25, 0.25], numeric=[False, False, True]))
    articles = [
        [
            Para(
                f"Sont attribuées aux partenaires du projet {acronym} les subventions "
                "d'investissement figurant dans le tableau ci-dessus."
            )
        ],
        [Para(w.credits_article([g["allocations"][0] for g in grants], "investment", s.year))],
    ]
    return Draft(
        title=title,
        slug="fui",
        expose=expose,
        articles=articles,
        grants=grants,
        considerants=[wording.CONSIDERANTS[1]],
    )


def trap_partnership(w: Writer) -> Draft:
    """A partnership agreement with a pôle, "sans incidence financière": no grant."""
    rng, s = w.rng, w.s
    pole_id = w.pick_poles()[0]
    beneficiary = w.pole_beneficiary(pole_id)
    budget = w.grant_amount(800_000, 4_000_000) + rng.randint(1, 999)
    title = (
        "Approbation d'une convention de partenariat entre la Métropole Aix-Marseille-Provence "
        f"et {the_beneficiary(beneficiary)}"
    )
    expose = strategy_intro(w)[:2] + pole_facts(w, pole_id, s.year, 2)
    expose.append(
        Para(
            f"Le Pôle, dont le budget annuel s'élève à {w.eur(budget)}, propose à la Métropole de "
            "formaliser leur coopération : échanges d'information, association de la Métropole "
            "aux comités de labellisation, promotion commune du territoire."
        )
    )
    expose.append(Para("Cette convention est conclue sans incidence financière pour la Métropole."))
    articles: list[list[Block]] = [
        [
            Para(
                "Est approuvée la convention de partenariat ci-annexée entre la Métropole et "
                f"{the_beneficiary(beneficiary)}."
            )
        ],
        signing_article(w),
        [Para("La présente délibération est sans incidence financière.")],
    ]
    return Draft(
        title=title, slug=f"partenariat-{pole_id}", expose=expose, articles=articles, grants=[]
    )


OTHER_ASSOCIATIONS = (
    "Association Provence Innovation Export",
    "Réseau Méditerranée Entreprendre",
    "Association Sud Start-up Accélération",
    "Club des Entreprises Innovantes du Pays d'Aix",
)


def trap_background(w: Writer) -> Draft:
    """A report naming the pôles only as background: a grant to someone else, or none."""
    rng, s = w.rng, w.s
    names = w.core_pole_list()
    background = Para(rng.choice(wording.BACKGROUND_POLE_PARAS).format(names=names))
    if rng.random() < 0.5:
        title = (
            "Approbation de la feuille de route métropolitaine pour l'innovation "
            f"{s.year}-{s.year + 2}"
        )
        expose = [
            *strategy_intro(w)[:1],
            background,
            Para(
                "La feuille de route mobilise un budget indicatif de "
                f"{w.eur(w.grant_amount(1000000, 5000000))} "
                "sur trois ans, qui fera l'objet de délibérations ultérieures."
            ),
        ]
        articles: list[list[Block]] = [
            [Para("Est approuvée la feuille de route métropolitaine pour l'innovation ci-annexée.")]
        ]
        return Draft(
            title=title, slug="feuille-de-route", expose=expose, articles=articles, grants=[]
        )
    beneficiary = rng.choice(OTHER_ASSOCIATIONS)
    value = w.grant_amount(10_000, 80_000)
    allocations = w.allocations(value, rng.choice(("metropole", "ets", "split")))
    to = f"à l'{beneficiary}" if beneficiary.startswith("Association") else f"au {beneficiary}"
    title = f"Attribution d'une subvention de fonctionnement {to} - Approbation d'une convention"
    expose = [
        *strategy_intro(w)[:1],
        background,
        Para(
            f"{beneficiary} accompagne les jeunes entreprises innovantes du territoire et "
            "travaille "
            "en lien étroit avec ces pôles. Il est proposé de lui attribuer une subvention de "
            f"fonctionnement de {w.eur(value)}."
        ),
    ]
    first: list[Block] = [
        Para(f"Est attribuée {to} une subvention de fonctionnement de {w.eur(value)}.")
    ]
    if len(allocations) > 1:
        first.append(Para("Celle-ci est prise en charge à hauteur de :"))
        first += w.split_lines(allocations, future=False)
    articles = [first, [Para(w.credits_article(allocations, "operating", s.year))]]
    grant = w.grant(beneficiary, None, "operating", value, s.year, allocations)
    return Draft(title=title, slug="association", expose=expose, articles=articles, grants=[grant])
