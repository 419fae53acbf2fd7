"""What the warehouse knows about an act that its PDF alone does not: review reasons added at
normalisation, `code: detail` like the parser's (docs/deliberation-record.md, Review reasons).
Pure functions of the act's record and its listing card."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def warehouse_reasons(record: Mapping[str, Any], card: Mapping[str, Any]) -> list[str]:
    """The reasons the warehouse adds to the parser's for this act (none yet: the listing
    card's "Incidence financière" is the next witness)."""
    return []
