"""Where a sum is charged: a territory of the Métropole and its budget (principal or ETS)."""

from __future__ import annotations

import re

from pipelines.parse.record import Allocation
from pipelines.reference import territory_index

_ETS_RE = re.compile(r"[ée]tat\s+sp[ée]cial|\bE\.?T\.?S\b|conseil\s+de\s+territoire", re.IGNORECASE)
_PRINCIPAL_RE = re.compile(r"budget\s+principal|budget\s+(?:de\s+la\s+)?m[ée]tropol", re.IGNORECASE)
# The Métropole charges Marseille Provence's share on its budget principal; the other
# territories pay from their Etat Spécial de Territoire, unless the act says otherwise.
_DEFAULT_BUDGET = {"metropole": "principal", "marseille-provence": "principal"}


def charge(text: str) -> tuple[str, str] | None:
    """The (territory_id, budget) a phrase charges, or None when it names neither."""
    territories = {match.id for match in territory_index().find(text)}
    ets = bool(_ETS_RE.search(text))
    principal = bool(_PRINCIPAL_RE.search(text))
    if len(territories) > 1:
        return None
    if territories:
        territory = territories.pop()
    elif ets and not principal:
        return None  # an ETS always belongs to one territory: it must be named
    elif principal:
        territory = "metropole"
    else:
        return None
    if ets and not principal:
        budget = "ets"
    elif principal and not ets:
        budget = "principal"
    else:
        budget = _DEFAULT_BUDGET.get(territory, "ets")
    return territory, budget


def charge_of_share(before: str, after: str) -> tuple[str, str] | None:
    """The charge of one share of a split: named right after the sum, else right before it."""
    tail = before[-100:].split(" - ")[-1]
    if re.search(r"[(:]\s*$", tail):  # "Territoire Marseille Provence (45 000 €)", "Pays d'Aix : 15 000 €"
        return charge(re.split(r"\)|\s+et\s+|,", tail)[-1]) or charge(_until_next_share(after))
    return charge(_until_next_share(after)) or charge(tail)


def _until_next_share(after: str) -> str:
    # A split's shares are joined by "et", ",", " - " or ";": each share names its own charge.
    return re.split(r"\s+-\s+|;|\s+et\s+(?=\d)|,\s+(?=\d)", after, maxsplit=1)[0][:160]


def single_allocation(territory_budget: tuple[str, str], amount: int | float) -> list[Allocation]:
    """The whole sum charged to one budget."""
    territory, budget = territory_budget
    return [Allocation(territory_id=territory, budget=budget, amount_eur=amount)]  # type: ignore[typeddict-item]


def whole_metropole(amount: int | float) -> list[Allocation]:
    """The default charge: the Métropole's budget principal, as a whole."""
    return single_allocation(("metropole", "principal"), amount)


def merge_shares(shares: list[Allocation]) -> list[Allocation]:
    """Shares charged to the same budget of the same territory, added together, order kept."""
    merged: dict[tuple[str, str], Allocation] = {}
    for share in shares:
        key = (share["territory_id"], share["budget"])
        if key in merged:
            merged[key]["amount_eur"] += share["amount_eur"]
        else:
            merged[key] = Allocation(**share)  # type: ignore[typeddict-item]
    return list(merged.values())
