"""Whether a record can be trusted (docs/deliberation-record.md, "Review reasons").

The promise: a record without a reason is right in every field. The checks do not re-read the
act the way the grant reader does; they hold its result against the text: every sum of the
articles accounted for (`ledger`), and each field of each grant against a plainer reading of
the words that speak of it (`witnesses`).
"""

from __future__ import annotations

from pipelines.parse.grants import GrantReading
from pipelines.parse.header import Header
from pipelines.parse.review.ledger import amount_reasons
from pipelines.parse.review.witnesses import (
    announcement_reasons,
    budget_reasons,
    charge_reasons,
    count_reasons,
    duplicate_reasons,
    identity_reasons,
    kind_reasons,
    pole_reasons,
    year_reasons,
)
from pipelines.parse.tables import Row
from pipelines.parse.text import DocumentText

__all__ = ["review"]


def review(
    document: DocumentText, tables: list[list[Row]], header: Header, reading: GrantReading
) -> list[str]:
    """The reasons to review the record, `code: detail`; [] when the reading accounts for the
    whole act."""
    reasons = [
        *identity_reasons(header),
        *amount_reasons(document, tables, reading),
        *pole_reasons(header, reading),
        *announcement_reasons(header, reading),
        *duplicate_reasons(reading),
        *count_reasons(header, reading),
        *year_reasons(header, reading),
        *kind_reasons(header, reading),
        *budget_reasons(reading),
        *charge_reasons(reading, tables),
    ]
    return list(dict.fromkeys(reasons))
