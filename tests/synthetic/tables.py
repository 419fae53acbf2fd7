"""SYNTHETIC corpus: several grants in ruled tables (by pôle, by territory, with totals)."""

from __future__ import annotations

from pipelines.parse.record import Allocation, Grant, Kind
from tests.synthetic import wording
from tests.synthetic.document import Block, Para, Table
from tests.synthetic.exposes import (
    funding_year_phrase,
    pole_facts,
    signing_article,
    strategy_intro,
)
from tests.synthetic.reference import (
    TERRITORY_IDS,
    of_territory,
    territories,
)
from tests.synthetic.writer import (
    Draft,
    Writer,
    allocation,
)


def table_poles(w: Writer) -> Draft:
    """Several pôles in a ruled table: Pôle / Objet / Montant (+ budget or nature), Total row."""
    rng, s = w.rng, w.s
    funding_year = s.year + 1 if s.date.month == 12 and rng.random() < 0.5 else s.year
    pole_ids = w.pick_poles(rng.randint(2, 6), funding_year)
    layout = rng.choice(("objet", "budget", "nature"))
    charge = rng.choices(("metropole", "ets"), (4, 1))[0]
    ets_territory = rng.choice(TERRITORY_IDS)
    with_unit = rng.random() < 0.5
    unit = "" if with_unit else " (€)" if rng.random() < 0.6 else " (en euros)"
    grants: list[Grant] = []
    if layout == "objet":
        rows = [["Pôle", "Objet", f"Montant{unit}"]]
        widths, numeric = [0.34, 0.42, 0.24], [False, False, True]
    elif layout == "budget":
        rows = [
            [
                "Bénéficiaire",
                f"Budget prévisionnel {funding_year}{unit}",
                f"Subvention {funding_year}{unit}",
            ]
        ]
        widths, numeric = [0.4, 0.3, 0.3], [False, True, True]
    else:
        rows = [["Pôle de compétitivité", "Nature de l'aide", f"Montant{unit}"]]
        widths, numeric = [0.36, 0.4, 0.24], [False, False, True]
    total = 0
    for pole_id in pole_ids:
        beneficiary = w.pole_beneficiary(pole_id)
        kind: Kind = "operating"
        if layout == "nature":
            kind = rng.choice(("operating", "operating", "investment", "membership"))
        low, high = {"membership": (1_000, 20_000), "investment": (40_000, 300_000)}.get(
            kind, (10_000, 120_000)
        )
        value = w.grant_amount(low, high)
        total += value
        budget = w.odd_budget(value) if layout == "budget" else None
        if charge == "metropole":
            allocations = [allocation("metropole", "principal", value)]
        else:
            allocations = [allocation(ets_territory, "ets", value)]
        grants.append(w.grant(beneficiary, pole_id, kind, value, funding_year, allocations, budget))
        if layout == "objet":
            objet = rng.choice(
                (
                    f"Programme d'actions {funding_year}",
                    f"Fonctionnement {funding_year}",
                    "Animation de la filière et accompagnement des PME",
                )
            )
            rows.append([beneficiary, objet, w.cell(value, with_unit)])
        elif layout == "budget":
            rows.append([beneficiary, w.cell(budget or 0, with_unit), w.cell(value, with_unit)])
        else:
            nature = {
                "operating": "Subvention de fonctionnement",
                "investment": "Subvention d'investissement",
                "membership": f"Cotisation {funding_year}",
            }[kind]
            rows.append([beneficiary, nature, w.cell(value, with_unit)])
    has_total = rng.random() < 0.75
    if has_total:
        rows.append(["Total", "", w.cell(total, with_unit)])
    table = Table(rows=rows, widths=widths, numeric=numeric, total_row=has_total)

    what = "subventions de fonctionnement" if layout != "nature" else "subventions et cotisations"
    fy = funding_year_phrase(w, funding_year)
    title = rng.choice(
        (
            f"Attribution de {what} aux pôles de compétitivité{fy} - Approbation des conventions",
            f"Soutien aux pôles de compétitivité - Attribution de {what}{fy}",
        )
    )
    expose = strategy_intro(w)
    for pole_id in pole_ids[:2]:
        expose += pole_facts(w, pole_id, funding_year, 1)
    table_in = rng.choice(("expose", "article", "both"))
    if table_in in ("expose", "both"):
        lead = (
            f"Il est proposé d'accorder, au titre de l'année {funding_year}, les {what} suivantes :"
        )
        expose += [Para(lead), table]
    else:
        lead = (
            f"Il est proposé d'accorder aux pôles, au titre de l'année {funding_year}, les {what}"
        )
        expose.append(Para(f"{lead} détaillées à l'article 1 de la présente délibération."))
    kinds = {g["kind"] for g in grants}
    if charge == "metropole":
        charge_text = (
            "Les crédits correspondants sont inscrits au budget principal de la Métropole."
        )
    else:
        of = of_territory(territories()[ets_territory].aliases[0])
        charge_text = rng.choice(
            (
                f"Ces subventions sont prises en charge par le Conseil de Territoire {of}.",
                f"Ces dépenses sont imputées sur l'Etat Spécial de Territoire {of}.",
            )
        )
    expose.append(Para(charge_text))
    expose.append(Para(rng.choice(wording.CONVENTION_SENTENCES)))
    first: list[Block] = [Para("Sont attribuées aux pôles de compétitivité les aides suivantes :")]
    if table_in in ("article", "both"):
        first.append(table)
    else:
        first = [
            Para(
                "Sont attribuées aux pôles de compétitivité les aides figurant dans le "
                "tableau ci-dessus."
            )
        ]
    articles: list[list[Block]] = [
        first,
        [Para("Sont approuvées les conventions à conclure avec chacun des bénéficiaires.")],
    ]
    articles.append(signing_article(w))
    allocations = [g["allocations"][0] for g in grants]
    for kind in sorted(kinds):
        articles.append([Para(w.credits_article(allocations, kind, funding_year))])
    return Draft(
        title=title,
        slug="poles",
        expose=expose,
        articles=articles,
        grants=grants,
        considerants=[wording.CONSIDERANTS[0]],
        avis=[ets_territory] if charge == "ets" else [],
    )


def table_territories(w: Writer) -> Draft:
    """Pôles by territory: one column per territory, a Total column and a Total row."""
    rng, s = w.rng, w.s
    funding_year = s.year
    pole_ids = w.pick_poles(rng.randint(2, 5))
    columns = ["marseille-provence", *rng.sample(TERRITORY_IDS[1:], rng.randint(1, 3))]
    if rng.random() < 0.2:
        columns = columns[1:] if len(columns) > 2 else columns
    mp_budget = rng.choice(("principal", "ets"))
    with_unit = False  # the header sentence says "montants en euros"
    zero = rng.choice(("-", "0", ""))
    header = ["Pôle", *[territories()[t].aliases[0] for t in columns], "Total"]
    rows = [header]
    grants: list[Grant] = []
    column_sums = [0] * len(columns)
    for pole_id in pole_ids:
        beneficiary = w.pole_beneficiary(pole_id)
        present = sorted(rng.sample(range(len(columns)), rng.randint(1, len(columns))))
        allocations: list[Allocation] = []
        cells = []
        for c, territory_id in enumerate(columns):
            if c in present:
                value = w.grant_amount(5_000, 60_000)
                budget = mp_budget if territory_id == "marseille-provence" else "ets"
                allocations.append(allocation(territory_id, budget, value))  # type: ignore[arg-type]
                column_sums[c] += value
                cells.append(w.cell(value, with_unit))
            else:
                cells.append(zero)
        value = sum(a["amount_eur"] for a in allocations)
        rows.append([beneficiary, *cells, w.cell(value, with_unit)])
        grants.append(w.grant(beneficiary, pole_id, "operating", value, funding_year, allocations))
    rows.append(
        ["Total", *[w.cell(v, with_unit) for v in column_sums], w.cell(sum(column_sums), with_unit)]
    )
    first_width = 0.3
    other = (1 - first_width) / (len(columns) + 1)
    table = Table(
        rows=rows,
        widths=[first_width] + [other] * (len(columns) + 1),
        numeric=[False] + [True] * (len(columns) + 1),
        total_row=True,
    )
    title = rng.choice(
        (
            "Attribution de subventions de fonctionnement aux pôles de compétitivité au "
            f"titre de l'année {funding_year} - Répartition entre les Territoires",
            "Soutien aux pôles de compétitivité - Attribution de subventions de "
            "fonctionnement et répartition de la dépense entre Territoires",
        )
    )
    expose = strategy_intro(w)
    expose.append(
        Para(
            "Les Conseils de Territoire ont souhaité poursuivre leur soutien aux pôles de "
            "compétitivité implantés sur leur périmètre. La répartition des subventions "
            "proposées est la suivante (montants en euros) :"
        )
    )
    expose.append(table)
    if mp_budget == "principal":
        expose.append(
            Para(
                "La part du Territoire Marseille Provence est imputée sur le budget Principal "
                "Métropole du Territoire Marseille Provence ; la part des autres Territoires est "
                "prise en charge par leurs Etats Spéciaux de Territoire respectifs."
            )
        )
    else:
        expose.append(
            Para(
                "Chaque part est prise en charge sur l'Etat Spécial de Territoire du Territoire "
                "concerné, y compris pour le Territoire Marseille Provence."
            )
        )
    articles: list[list[Block]] = [
        [
            Para(
                "Sont attribuées aux pôles de compétitivité les subventions de "
                "fonctionnement figurant dans le tableau ci-dessus, selon la répartition "
                "entre Territoires qui y est indiquée."
            )
        ],
        [Para("Sont approuvées les conventions à conclure avec chacun des pôles.")],
        signing_article(w),
    ]
    all_allocations = [a for g in grants for a in g["allocations"]]
    articles.append([Para(w.credits_article(all_allocations, "operating", funding_year))])
    return Draft(
        title=title,
        slug="poles-territoires",
        expose=expose,
        articles=articles,
        grants=grants,
        considerants=[wording.CONSIDERANTS[0], wording.CONSIDERANTS[3]],
        avis=[c for c in columns if c != "marseille-provence"],
    )
