"""SYNTHETIC corpus: the per-document writer (amount styles, pôle names, charges, grants)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipelines.parse.record import Allocation, Budget, Grant, Kind, Outcome
from tests.synthetic import wording
from tests.synthetic.document import Block, Para
from tests.synthetic.french import (
    AMOUNT_STYLES,
    GLUE,
    amount,
    amount_with_words,
    bare_number,
    split_amount,
)
from tests.synthetic.reference import (
    TERRITORY_IDS,
    active_poles,
    alias_usable,
    of_territory,
    pole_names,
    poles,
    predecessor_poles,
    short_name,
    territories,
)
from tests.synthetic.session import Session

# The six pôles a report lists as "principalement impliqués sur son territoire".
CORE_POLES = ("optitec", "eurobiomed", "pole-mer-mediterranee", "scs", "capenergies", "safe")
BARE_NAMES = {
    "optitec": "Optitec",
    "eurobiomed": "Eurobiomed",
    "capenergies": "Capenergies",
    "safe": "SAFE Cluster",
    "terralia": "Terralia",
    "innov-alliance": "Innov'Alliance",
    "aqua-valley": "Aqua-Valley",
}


@dataclass
class Draft:
    """What a variation writes: title, exposé, articles and the grants they state."""

    title: str
    slug: str
    expose: Sequence[Block]
    articles: Sequence[Sequence[Block]]
    grants: list[Grant]
    amends: str | None = None
    outcome: Outcome = "adopted"
    vu: list[str] = field(default_factory=list)
    considerants: list[str] = field(default_factory=list)
    avis: list[str] = field(default_factory=list)


def fold(text: str) -> str:
    """One line, spaces folded, glue printed as a space."""
    return " ".join(text.replace(GLUE, " ").split())


# A lowercase "pôle" or "pôle de compétitivité" before a name says what the beneficiary is;
# the record keeps the name ("Pôle OPTITEC", capitalised, is a name as a whole).
_LOWERCASE_DESCRIPTORS = ("pôle de compétitivité ", "pôle ")


def record_name(printed: str) -> str:
    """The beneficiary as the record gives it: the printed name without a lowercase descriptor."""
    name = fold(printed)
    for descriptor in _LOWERCASE_DESCRIPTORS:
        if name.startswith(descriptor):
            return name[len(descriptor) :]
    return name


def to_beneficiary(name: str) -> str:
    """The beneficiary after "à": "au Pôle Optitec", "à l'association Eurobiomed"."""
    return f"au {name}" if name.lower().startswith("pôle") else f"à l'association {name}"


def the_beneficiary(name: str) -> str:
    """The beneficiary with its article: "le Pôle Optitec", "l'association Eurobiomed"."""
    return f"le {name}" if name.lower().startswith("pôle") else f"l'association {name}"


def allocation(territory_id: str, budget: Budget, value: int) -> Allocation:
    """One charge of a grant on a territory's budget."""
    return Allocation(territory_id=territory_id, budget=budget, amount_eur=value)


class Writer:
    """Draws every wording choice of one document from its own random stream."""

    def __init__(self, rng: random.Random, session: Session) -> None:
        """Fix the document's amount styles and its sitting."""
        self.rng = rng
        self.s = session
        self.styles = rng.sample(AMOUNT_STYLES, 2)

    # Amounts -------------------------------------------------------------------------------
    def eur(self, value: int) -> str:
        """An amount in the document's main style, sometimes its second one."""
        return amount(value, self.styles[0] if self.rng.random() < 0.75 else self.styles[1])

    def eur_words(self, value: int) -> str:
        """An amount followed by its spelling in words."""
        return amount_with_words(value, self.styles[0])

    def cell(self, value: int, with_unit: bool) -> str:
        """An amount as a table cell prints it."""
        return amount(value, self.styles[0]) if with_unit else bare_number(value, self.styles[0])

    def grant_amount(self, low: int, high: int) -> int:
        """A round grant amount."""
        step = self.rng.choice((500, 1000, 1000, 5000))
        return max(step, self.rng.randrange(low // step, high // step + 1) * step)

    def odd_budget(self, grant: int) -> int:
        """A beneficiary's budget of which the grant is a small share: 986004."""
        return int(grant * self.rng.uniform(6, 28)) + self.rng.randint(1, 999)

    # Names ---------------------------------------------------------------------------------
    def metropole(self) -> str:
        """The Métropole as a subject, in full or shorter."""
        return self.rng.choice(wording.METROPOLE_FORMS)

    def pick_poles(self, count: int = 1, funding_year: int | None = None) -> list[str]:
        """Pôles that existed on the sitting date (and still exist in the year funded)."""
        active = active_poles(self.s.date)
        if self.rng.random() < 0.15:  # now and then, a pôle under a predecessor's name (PASS)
            active += predecessor_poles(self.s.date)
        if funding_year and funding_year > self.s.year:
            later = set(active_poles(dt.date(funding_year, 1, 1)))
            active = [p for p in active if p in later]
        return self.rng.sample(active, min(count, len(active)))

    def pole_beneficiary(self, pole_id: str) -> str:
        """The name a title gives the pôle: "Pôle OPTITEC", "pôle de compétitivité SCS"..."""
        names = pole_names(pole_id, self.s.year)
        roll = self.rng.random()
        if roll < 0.4:
            return names[0]
        bare = BARE_NAMES.get(pole_id)
        if roll < 0.5 and bare and alias_usable(bare, self.s.year):
            return bare
        return self.rng.choice(names)

    def pole_subject(self, pole_id: str, year: int) -> str:
        """How the exposé calls the pôle at the start of a sentence: "Optitec", "Le Pôle SCS"."""
        name = short_name(pole_id, year)
        if name.startswith("Pôle") or self.rng.random() < 0.5:
            return name
        return f"Le Pôle {name}"

    def core_pole_list(self) -> str:
        """The core pôles as a background sentence lists them (Optitec, Eurobiomed...)."""
        names = []
        for pole_id in CORE_POLES:
            if pole_id == "optitec" and self.s.year >= 2024:
                continue
            if pole_id == "pole-mer-mediterranee":
                names.append("Mer Méditerranée")
            elif pole_id == "scs":
                names.append(
                    self.rng.choice(
                        (
                            "Solutions Communicantes Sécurisées",
                            "SCS",
                            "SCS (Solutions Communicantes Sécurisées)",
                        )
                    )
                )
            elif pole_id == "safe":
                names.append(self.rng.choice(("Safe", "SAFE", "SAFE Cluster")))
            else:
                names.append(poles()[pole_id].name)
        return ", ".join(names)

    # Charges -------------------------------------------------------------------------------
    def allocations(self, total: int, mode: str) -> list[Allocation]:
        """How a grant is charged: on the Métropole, one territory's ETS, or split."""
        rng = self.rng
        if mode == "metropole":
            return [allocation("metropole", "principal", total)]
        if mode == "ets":
            return [allocation(rng.choice(TERRITORY_IDS), "ets", total)]
        parts = 2 if rng.random() < 0.7 or total < 3000 else 3
        others = [t for t in TERRITORY_IDS if t != "marseille-provence"]
        roll = rng.random()
        if roll < 0.7:
            first = [allocation("marseille-provence", "principal", 0)]
        elif roll < 0.85:
            first = [allocation("marseille-provence", "ets", 0)]
        else:
            first = [allocation(rng.choice(others), "ets", 0)]
        rest = [t for t in others if t != first[0]["territory_id"]]
        chosen = first + [allocation(t, "ets", 0) for t in rng.sample(rest, parts - 1)]
        step = 500 if total % 1000 else 1000
        values = sorted(split_amount(rng, total, parts, step), reverse=True)
        for item, value in zip(chosen, values, strict=True):
            item["amount_eur"] = value
        return chosen

    def charge_phrase(self, item: Allocation) -> str:
        """Where an allocation is charged: "sur le budget principal ...", "par le Conseil ..."."""
        rng = self.rng
        territory_id = item["territory_id"]
        if territory_id == "metropole":
            return rng.choice(
                (
                    "sur le budget principal de la Métropole",
                    "au Budget Principal de la Métropole",
                    "sur le budget principal métropolitain",
                )
            )
        of = of_territory(rng.choice(territories()[territory_id].aliases))
        if item["budget"] == "principal":
            return rng.choice(
                (
                    f"sur le budget Principal Métropole du Territoire {of}",
                    f"sur le budget principal de la Métropole du Territoire {of}",
                    f"sur le budget principal du Territoire {of}",
                )
            )
        return rng.choice(
            (
                f"sur l'Etat Spécial de Territoire {of}",
                f"par le Conseil de Territoire {of}",
                f"sur l'État Spécial du Territoire {of}",
            )
        )

    def budget_name(self, item: Allocation, year: int) -> str:
        """The budget an Article 4 names, without an amount."""
        if item["territory_id"] == "metropole":
            return f"au Budget Principal {year} de la Métropole"
        of = of_territory(territories()[item["territory_id"]].aliases[0])
        if item["budget"] == "principal":
            return f"au Budget Principal Métropole du Territoire {of}"
        return f"sur l'État Spécial de Territoire {of}"

    def credits_article(self, allocations: list[Allocation], kind: Kind, year: int) -> str:
        """Article "Les crédits nécessaires sont inscrits ..." naming the budgets charged."""
        seen: list[tuple[str, str]] = []
        parts = []
        for item in allocations:
            key = (item["territory_id"], item["budget"])
            if key not in seen:
                seen.append(key)
                parts.append(self.budget_name(item, year))
        line = {
            "operating": "chapitre 65 - nature 6574 - fonction 61",
            "investment": "chapitre 204 - nature 20421 - fonction 90",
            "membership": "chapitre 011 - nature 6281 - fonction 90",
            "other": "chapitre 65 - nature 6574 - fonction 90",
        }[kind]
        if kind == "operating" and self.rng.random() < 0.5:
            line = "sous politique B370 - chapitre 65 - nature 65748 - fonction 61"
        names = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} et {parts[-1]}"
        return f"Les crédits nécessaires sont inscrits {names} : {line}."

    def split_lines(self, allocations: list[Allocation], future: bool) -> list[Block]:
        """One line per allocation: "- 45.000 euros seront pris en charge sur ..."."""
        verb = "seront pris en charge" if future else "sont pris en charge"
        lines = []
        for item in allocations:
            if future:
                lines.append(f"- {self.eur(item['amount_eur'])} {verb} {self.charge_phrase(item)}")
            else:
                lines.append(f"- {self.eur(item['amount_eur'])} {self.charge_phrase(item)}")
        blocks: list[Block] = [Para(line, indent=12, space_after=2) for line in lines[:-1]]
        blocks.append(Para(lines[-1], indent=12, space_after=8))
        return blocks

    def split_sentence(self, allocations: list[Allocation]) -> str:
        """The sentence "Cette subvention est financée à hauteur de X sur ... et de Y par ..."."""
        if len(allocations) == 1:
            return f"Cette subvention est imputée en totalité {self.charge_phrase(allocations[0])}."
        parts = [f"{self.eur(a['amount_eur'])} {self.charge_phrase(a)}" for a in allocations]
        return (
            "Cette subvention est financée à hauteur de "
            + ", de ".join(parts[:-1])
            + f" et de {parts[-1]}."
        )

    # Grants --------------------------------------------------------------------------------
    def grant(
        self,
        beneficiary: str,
        pole_id: str | None,
        kind: Kind,
        value: int,
        funding_year: int,
        allocations: list[Allocation],
        programme_budget: int | None = None,
    ) -> Grant:
        """A grant of the expected record, checked to add up."""
        if sum(a["amount_eur"] for a in allocations) != value:
            raise AssertionError(f"allocations of {beneficiary} do not add up to {value}")
        return Grant(
            beneficiary=record_name(beneficiary),
            pole_id=pole_id,
            kind=kind,
            amount_eur=value,
            funding_year=funding_year,
            programme_budget_eur=programme_budget,
            allocations=allocations,
        )
