"""Where a sum is charged: a territory of the Métropole and its budget (principal or ETS)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from pipelines.parse.record import Allocation
from pipelines.reference import territory_index

_ETS_RE = re.compile(
    r"[ée]tats?\s+sp[ée]ci(?:al|aux)|\bE\.?T\.?S\b|conseils?\s+de\s+territoire", re.IGNORECASE
)
_PRINCIPAL_RE = re.compile(r"budget\s+principal|budget\s+(?:de\s+la\s+)?m[ée]tropol", re.IGNORECASE)
# The Métropole charges Marseille Provence's share on its budget principal; the other
# territories pay from their Etat Spécial de Territoire, unless the act says otherwise.
_DEFAULT_BUDGET = {"metropole": "principal", "marseille-provence": "principal"}

# Where an act says how its sums are charged (credits article, split sentences).
CHARGE_WORDS = re.compile(
    r"cr[ée]dits|imput|d[ée]penses?|pris(?:e|es)?\s+en\s+charge|r[ée]parti|[ée]tats?\s+sp[ée]ciaux"
    r"|[ée]tat\s+sp[ée]cial|budget\s+principal",
    re.IGNORECASE,
)

Hints = Mapping[str, str]
ANY_TERRITORY = "*"
_EACH_TERRITORY = re.compile(
    r"\b(?:ce|chaque|leur|son)\s+territoire|territoires?\s+(?:concern|indiqu|mentionn|d[ée]sign|vis"
    r"|correspondant|d'implantation)\w*|territoires?\s+respectifs?"
    r"|[ée]tats\s+sp[ée]ciaux|chacun\s+sur\s+son|sur\s+(?:son|leur)\s+[ée]tat",
    re.IGNORECASE,
)
_SPLIT_CHARGES = re.compile(r"\s+et\s+(?:sur|au|à|dans|par)\s+|[;,]")


def lead_budget_of(lead: str) -> str | None:
    """The one budget a list's lead names for all its items (principal or ets), if it names one."""
    if not lead:
        return None
    ets, principal = bool(_ETS_RE.search(lead)), bool(_PRINCIPAL_RE.search(lead))
    if ets == principal or territory_index().find(lead):
        return None
    return "ets" if ets else "principal"


def budget_hints(texts: list[str]) -> dict[str, str]:
    """The budget each territory is charged on, as the credits article states it."""
    hints: dict[str, str] = {}
    for text in texts:
        # "imputées sur l'Etat Spécial de ce Territoire": every territory pays from its own ETS.
        if _ETS_RE.search(text) and _EACH_TERRITORY.search(text):
            hints.setdefault(ANY_TERRITORY, "ets")
        for part in _SPLIT_CHARGES.split(text):
            territories = {match.id for match in territory_index().find(part)}
            ets, principal = bool(_ETS_RE.search(part)), bool(_PRINCIPAL_RE.search(part))
            if len(territories) == 1 and ets != principal:
                hints.setdefault(territories.pop(), "ets" if ets else "principal")
    return hints


def charge(text: str, hints: Hints | None = None) -> tuple[str, str] | None:
    """The (territory_id, budget) a phrase charges, or None when it names neither.

    A budget the phrase does not name is the one the credits article gives its territory
    (`hints`), else the usual one.
    """
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
        hinted = (hints or {}).get(territory)
        if hinted is None and territory != "metropole":
            hinted = (hints or {}).get(ANY_TERRITORY)
        budget = hinted or _DEFAULT_BUDGET.get(territory, "ets")
    return territory, budget


def charge_of_share(before: str, after: str, hints: Hints | None = None) -> tuple[str, str] | None:
    """The charge of one share of a split: named right after the sum, else right before it."""
    tail = before[-100:].split(" - ")[-1]
    if _OWN_CHARGE_AFTER.match(after):
        # "le Territoire du Pays d'Aix en assume 20 000 € sur son Etat Spécial": the budget is
        # the subject's, named before the sum (after the share before it).
        subject = re.split(r"€|\beuros?\b", tail)[-1]
        own = re.split(r"[,;]|\s+et\s+", after, maxsplit=1)[0]
        named = charge(f"{subject} {own}", hints) if charge(subject, hints) else None
        if named:
            return named
    if re.search(
        r"[(:]\s*$", tail
    ):  # "Territoire Marseille Provence (45 000 €)", "Pays d'Aix : 15 000 €"
        named_before = charge(re.split(r"\)|\s+et\s+|,", tail)[-1], hints)
        return named_before or charge(_until_next_share(after), hints)
    if not _CHARGE_AFTER.match(after) and BUDGET_THEN_SUM.search(tail):
        # "sur l'ETS de A à hauteur de 70 000 € et sur l'ETS de B ...", "aux Etats Spéciaux du
        # Pays Salonais, pour 18 000 €, et du Pays d'Aix, pour 10 000 €": named before the sum.
        named_before = charge(re.split(r"\s+et\s+", tail)[-1], hints)
        if named_before:
            return named_before
    return charge(_until_next_share(after), hints) or charge(tail, hints)


# A sum followed by its own charge: "15 000 € sur ...", "20 000 €, imputés au budget ...".
_CHARGE_AFTER = re.compile(
    r"^\s*(?:HT|TTC)?\s*,?\s*(?:(?:est|sont|sera|seront)\s+)?(?:pris\w*\s+en\s+charge\s+|imput\w*\s+"
    r"|inscrits?\s+|financ\w*\s+)?(?:sur|par|au|aux|à|dans|en\s+provenance|\()",
    re.IGNORECASE,
)
# A sum charged to its subject's own budget: "… 20 000 € sur son Etat Spécial", "sur le sien".
_OWN_CHARGE_AFTER = re.compile(
    r"^\s*,?\s*(?:(?:est|sont|sera|seront)\s+)?(?:pris\w*\s+en\s+charge\s+|imput\w*\s+)?"
    r"(?:sur|par|au|dans)\s+(?:son|sa|leur|le\s+sien|la\s+sienne|le\s+leur)\b",
    re.IGNORECASE,
)
# What joins a budget named first to its sum: "sur l'Etat Spécial de X à hauteur de | pour".
BUDGET_THEN_SUM = re.compile(
    r"(?:[àa]\s+hauteur\s+de|\bpour(?:\s+un\s+montant\s+de)?)\s*$", re.IGNORECASE
)


def _until_next_share(after: str) -> str:
    # A split's shares are joined by "et", ",", " - " or ";": each share names its own charge.
    return re.split(r"\s+-\s+(?=\d)|;|\s+et\s+(?=\d)|,\s+(?=\d)", after, maxsplit=1)[0][:160]


# "..., pour la subvention visée à l'article 2": the charge written before it is that article's.
_FOR_ARTICLE = re.compile(
    r"\b(?:pour|concernant)\s+(?:la|le|les)\s+(?:subventions?|sommes?|cotisations?|participations?"
    r"|montants?|aides?|d[ée]penses?)\s+(?:vis[ée]e?s?|pr[ée]vue?s?|mentionn[ée]e?s?)\s+[àa]\s+l'article\s+"
    r"(?P<article>\d+)",
    re.IGNORECASE,
)


def charge_for_article(
    text: str, article: int, hints: Hints | None = None
) -> tuple[str, str] | None:
    """The charge a credits clause gives the grant of one article, when it names each article."""
    start = 0
    for match in _FOR_ARTICLE.finditer(text):
        if int(match["article"]) == article:
            return charge(text[start : match.start()], hints)
        start = match.end()
    return None


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
