"""What the warehouse knows about an act that its PDF alone does not: review reasons added at
normalisation, `code: detail` like the parser's (docs/deliberation-record.md, Review reasons).
Pure functions of the act's record and its listing card.

The listing card is a second witness: its "Incidence financière", read by the crawl
(pipelines/crawl/impact.py, the `impact_*` columns of the listing), states what the act
spends. When it states another total than the act's grants, the act is flagged
`listing_disagrees`. The rules, and why, are in docs/deliberation-record.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from pipelines.crawl.impact import FinancialImpact, ImpactShare, read_financial_impact
from pipelines.parse.review.words import euros
from pipelines.reference import known_ids

# The card's objet announces a sum granted to someone ("Attribution d'une subvention…").
_ANNOUNCES_GRANT = re.compile(
    r"\b(?:subventions?|participations?|cotisations?|adh[ée]sions?|contributions?)\b",
    re.IGNORECASE,
)


def listing_impact(card: Mapping[str, Any]) -> FinancialImpact | None:
    """The card's financial impact as the listing read it; None when the card states none.

    A card row without the listing's `impact_*` columns (built by hand) is read from its text.
    """
    if "impact_kind" not in card:
        text = card.get("financial_impact")
        return read_financial_impact(text) if text is not None else None
    if card["impact_kind"] is None:
        return None
    split = tuple(
        ImpactShare(
            Decimal(share["amount_eur"]), share["words"], share["territory_id"], share["budget"]
        )
        for share in json.loads(card.get("impact_split") or "[]")
    )
    return FinancialImpact(
        kind=card["impact_kind"],
        total_eur=_decimal(card.get("impact_total_eur")),
        total_ht_eur=_decimal(card.get("impact_total_ht_eur")),
        split=split,
    )


def listing_columns(card: Mapping[str, Any]) -> dict[str, Any]:
    """The card's figure, kept beside the act in the warehouse (table deliberations)."""
    impact = listing_impact(card)
    return {
        "listing_impact_kind": impact.kind if impact else None,
        "listing_impact_eur": impact.total_eur if impact else None,
        "listing_impact_ht_eur": impact.total_ht_eur if impact else None,
    }


def warehouse_reasons(record: Mapping[str, Any], card: Mapping[str, Any]) -> list[str]:
    """The reasons the warehouse adds to the parser's for this act: `listing_disagrees`."""
    impact = listing_impact(card)
    # An amendment's grants are its new totals; its card may state the change, or "Sans."
    # when the sum stays (an archived card): without the former sum nothing can be compared.
    if impact is None or record.get("amends"):
        return []
    grants = record.get("grants") or []
    granted = sum(
        (Decimal(str(g["amount_eur"])) for g in grants if g.get("amount_eur") is not None),
        Decimal(0),
    )
    if impact.kind == "none":
        if not granted:
            return []
        text = card.get("financial_impact") or "Sans."
        return [
            f"listing_disagrees: the card's Incidence financière reads «{text}», the act's "
            f"grants add up to {_euros(granted)}"
        ]
    # Money coming in says nothing of what the act grants; an unread text cannot be compared
    # without guessing (its kind stays in the warehouse for a person to look at).
    if impact.kind != "expense" or impact.total_eur is None:
        return []
    stated = _stated(impact)
    if not grants:
        # An act spending on something that is no grant (works, a study, a convention) is no
        # disagreement; one whose objet announces a subvention is, unless the parser already
        # said it found none (no_grant_found).
        announced = _ANNOUNCES_GRANT.search(card.get("title") or "")
        already = any(r.startswith("no_grant_found") for r in record.get("review_reasons") or [])
        if announced and not already:
            return [
                f"listing_disagrees: the card's Incidence financière states {stated}, the act "
                "grants nothing the parser could read"
            ]
        return []
    if granted not in (impact.total_eur, impact.total_ht_eur):
        return [
            f"listing_disagrees: the card's Incidence financière states {stated}, the act's "
            f"grants add up to {_euros(granted)}"
        ]
    return _split_reasons(impact, grants)


def _split_reasons(impact: FinancialImpact, grants: Sequence[Mapping[str, Any]]) -> list[str]:
    """The card's split against the act's allocations, where the card names a territory for
    every share (a "budget principal de la Métropole" names none: it is not compared)."""
    # The territories a share can name (not `metropole`, the Métropole as a whole).
    named = known_ids("territories.csv", "territory_id") - {"metropole"}
    if (
        not impact.split
        or impact.total_ht_eur is not None
        or any(share.territory_id not in named for share in impact.split)
    ):
        return []
    with_budget = all(share.budget for share in impact.split)
    card: dict[tuple[str, str], Decimal] = {}
    for share in impact.split:
        key = (str(share.territory_id), str(share.budget) if with_budget else "")
        card[key] = card.get(key, Decimal(0)) + share.amount_eur
    act: dict[tuple[str, str], Decimal] = {}
    for grant in grants:
        for allocation in grant.get("allocations") or []:
            key = (
                str(allocation["territory_id"]),
                str(allocation["budget"]) if with_budget else "",
            )
            act[key] = act.get(key, Decimal(0)) + Decimal(str(allocation["amount_eur"]))
    if card == act:
        return []
    return [
        f"listing_disagrees: the card's Incidence financière charges {_shares(card)}, the "
        f"act's allocations {_shares(act)}"
    ]


def _shares(by_key: Mapping[tuple[str, str], Decimal]) -> str:
    return ", ".join(
        f"{_euros(amount)} {territory}" + (f"/{budget}" if budget else "")
        for (territory, budget), amount in sorted(by_key.items())
    )


def _stated(impact: FinancialImpact) -> str:
    total = impact.total_eur or Decimal(0)
    ht = impact.total_ht_eur
    if ht is None:
        return _euros(total)
    if ht == total:
        return f"{_euros(total)} HT"
    return f"{_euros(total)} TTC ({_euros(ht)} HT)"


def _euros(value: Decimal) -> str:
    """`74 500 €`, `54 993.71 €` (the parser's reasons write sums so)."""
    return euros(int(value) if value == value.to_integral_value() else float(value))


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)
