"""How a review reason quotes the act: sums in euros, the words around a sum."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pipelines.parse.amounts import find_amounts

Number = int | float
_SNIPPET = 70


def euros(value: Number) -> str:
    """`60 000 €`, `1 350 100.5 €`."""
    whole = f"{value:,.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"
    return whole.replace(",", " ") + " €"


def around(text: str, value: Number) -> str:
    """The words around the first sum of `value` in the text (its start when there is none)."""
    for amount in find_amounts(text):
        if amount.value == value:
            return snippet(text, amount.start, amount.end)
    return snippet(text, 0, min(len(text), _SNIPPET))


def snippet(text: str, start: int, end: int) -> str:
    """text[start:end] with some words either side, cut marks where the text goes on."""
    left = max(0, start - _SNIPPET)
    right = min(len(text), end + _SNIPPET)
    return ("…" if left else "") + text[left:right].strip() + ("…" if right < len(text) else "")


def describe(allocations: Iterable[Mapping[str, Any]]) -> str:
    """`45 000 € marseille-provence/principal, 15 000 € pays-d-aix/ets`."""
    return ", ".join(
        f"{euros(a['amount_eur'])} {a['territory_id']}/{a['budget']}" for a in allocations
    )
