"""How a grant is charged: its split across territories and budgets, wherever the act states it."""

from __future__ import annotations

import re

from pipelines.parse.allocations import (
    CHARGE_WORDS,
    Hints,
    charge,
    charge_for_article,
    merge_shares,
    single_allocation,
    whole_metropole,
)
from pipelines.parse.amounts import find_amounts
from pipelines.parse.clauses import Clause
from pipelines.parse.drafts import Draft, same_recipient
from pipelines.parse.record import Allocation
from pipelines.reference import territory_index


def grant_allocations(
    draft: Draft,
    report_drafts: list[Draft],
    operative: list[Clause],
    count: int,
    hints: Hints,
    report_clauses: list[Clause] | None = None,
    total: float | None = None,
) -> tuple[list[Allocation], str]:
    """The split of the grant: stated beside it, else in the report, else in the credits article
    (`total`: the sum of the act's grants, which a credits article may restate); and where it
    was read (`default`: nowhere, the Métropole as a whole)."""
    if draft.allocations:
        return draft.allocations, "table"
    if draft.shares and sum(s["amount_eur"] for s in draft.shares) == draft.amount:
        return merge_shares(draft.shares), "shares"
    inline = _inline_charge(draft, hints)
    if inline:
        return single_allocation(inline, draft.amount), "inline"
    for twin in report_drafts:
        same = twin.amount == draft.amount and (count == 1 or same_recipient(twin, draft))
        if same:
            stated = stated_allocations(twin, hints)
            if stated:
                return stated, "report"
    split = _stated_split(draft, operative + (report_clauses or []), hints) if count == 1 else None
    if split:
        return split, "split"
    own = _article_charge(draft, operative, hints)
    if own:
        return single_allocation(own, draft.amount), "article"
    # The credits article's one charge, for every grant: a clause that states no sum, or only
    # the act's total ("Les crédits nécessaires, soit 130.000 euros, sont inscrits à ...").
    charges = {
        c
        for clause in operative
        if CHARGE_WORDS.search(clause.text)
        and all(a.value == total for a in find_amounts(clause.text))
        for c in [_credits_charge(clause.text)]
        if c
    }
    if len(charges) == 1:
        return single_allocation(charges.pop(), draft.amount), "credits"
    return whole_metropole(draft.amount), "default"


def _inline_charge(draft: Draft, hints: Hints) -> tuple[str, str] | None:
    """The charge written right after the sum ("de 15.000 €, imputée sur l'Etat Spécial ...")."""
    if re.search(r"imput|charge|sur\s|par\s|inscri", draft.after):
        return charge(draft.after, hints)
    return None


def stated_allocations(twin: Draft, hints: Hints) -> list[Allocation]:
    """The split the report states with the same grant: its table row, its shares, its charge."""
    if twin.allocations:
        return twin.allocations
    if twin.shares and sum(s["amount_eur"] for s in twin.shares) == twin.amount:
        return merge_shares(twin.shares)
    inline = _inline_charge(twin, hints)
    return single_allocation(inline, twin.amount) if inline else []


def _article_charge(draft: Draft, operative: list[Clause], hints: Hints) -> tuple[str, str] | None:
    """The one charge stated for the grant's own article: by a sentence of that article ("Cette
    dépense est imputée sur ..."), or by a credits article that names it ("..., pour la
    subvention visée à l'article 2")."""
    article = draft.clause.article
    if not article:
        return None
    own = {
        c
        for clause in operative
        if clause.article == article
        and clause is not draft.clause
        and CHARGE_WORDS.search(clause.text)
        and not find_amounts(clause.text)
        for c in [_credits_charge(clause.text)]
        if c
    }
    own |= {c for clause in operative if (c := charge_for_article(clause.text, article, hints))}
    return own.pop() if len(own) == 1 else None


_EQUAL_PARTS = re.compile(
    r"[àa]\s+parts\s+[ée]gales|pour\s+moiti[ée]|par\s+moiti[ée]", re.IGNORECASE
)


_PERCENT_SHARE = re.compile(
    r"(?P<pct>\d{1,3}(?:,\d+)?)\s*%(?P<rest>(?:(?!\d{1,3}(?:,\d+)?\s*%).){0,160})", re.IGNORECASE
)


def _stated_split(draft: Draft, clauses: list[Clause], hints: Hints) -> list[Allocation] | None:
    """A split stated without sums: "à parts égales par les Etats Spéciaux de A et de B", or in
    percentages of the grant ("à hauteur de 60 % sur ... A et de 40 % sur ... B")."""
    for clause in clauses:
        text = clause.text
        if _EQUAL_PARTS.search(text):
            names = territory_index().find(text)
            territories = list(dict.fromkeys(m.id for m in names))
            cents = round(draft.amount * 100)
            if len(territories) >= 2 and cents % len(territories) == 0:
                share = cents // len(territories) / 100
                value = int(share) if share == int(share) else share
                budget = (
                    "ets"
                    if re.search(r"[ée]tats?\s+sp[ée]ci(?:al|aux)", text, re.IGNORECASE)
                    else None
                )
                return [
                    Allocation(
                        territory_id=t,
                        budget=budget or (charge(t, hints) or (t, "ets"))[1],  # type: ignore[typeddict-item]
                        amount_eur=value,  # type: ignore[typeddict-item]
                    )
                    for t in territories
                ]
        shares: list[Allocation] = []
        for match in _PERCENT_SHARE.finditer(text):
            named = charge(re.split(r"\d{1,3}(?:,\d+)?\s*%", match["rest"])[0], hints)
            if not named:
                shares = []
                break
            value = draft.amount * float(match["pct"].replace(",", ".")) / 100
            value = int(value) if value == int(value) else round(value, 2)
            shares.append(Allocation(territory_id=named[0], budget=named[1], amount_eur=value))  # type: ignore[typeddict-item]
        if len(shares) >= 2 and sum(s["amount_eur"] for s in shares) == draft.amount:
            return merge_shares(shares)
    return None


def _credits_charge(text: str) -> tuple[str, str] | None:
    parts = re.split(r"\s+et\s+(?:sur|au|à|dans)\s+|;", text)
    charges = {c for part in parts if (c := charge(part))}
    return charges.pop() if len(charges) == 1 else None
