"""The deliberation record (docs/deliberation-record.md): its types and constructors."""

from __future__ import annotations

from typing import Literal, TypedDict

Status = Literal["ok", "no_text", "unreadable"]
Body = Literal["bureau", "conseil", "conseil-de-territoire"]
Outcome = Literal["adopted", "rejected", "withdrawn"]
Kind = Literal["operating", "investment", "membership", "other"]
Budget = Literal["principal", "ets"]

RECORD_KEYS = (
    "file",
    "sha256",
    "status",
    "error",
    "authority",
    "body",
    "territory_id",
    "session_date",
    "deliberation_code",
    "reference",
    "title",
    "outcome",
    "members_present",
    "amends",
    "grants",
    "needs_review",
    "review_reasons",
    "annexes",
)


class Allocation(TypedDict):
    """How much of a grant is charged to which territory's budget."""

    territory_id: str
    budget: Budget
    amount_eur: int


class Grant(TypedDict):
    """One sum that a deliberation grants or pays to a beneficiary."""

    beneficiary: str
    pole_id: str | None
    kind: Kind
    amount_eur: int
    funding_year: int
    programme_budget_eur: int | None
    allocations: list[Allocation]


class DeliberationRecord(TypedDict):
    """One parsed file: what `polefunds parse` prints and the warehouse loads."""

    file: str
    sha256: str
    status: Status
    error: str | None
    authority: str | None
    body: Body | None
    territory_id: str | None
    session_date: str | None
    deliberation_code: str | None
    reference: str | None
    title: str | None
    outcome: Outcome | None
    members_present: int | None
    amends: str | None
    grants: list[Grant]
    needs_review: bool | None
    review_reasons: list[str] | None
    annexes: list[str] | None


def failed_record(file: str, sha256: str, status: Status, error: str) -> DeliberationRecord:
    """The record of a file that could not be read: every field null but the reason (the
    review fields too: the status already says why nothing could be read)."""
    return DeliberationRecord(
        file=file,
        sha256=sha256,
        status=status,
        error=" ".join(error.split()),
        authority=None,
        body=None,
        territory_id=None,
        session_date=None,
        deliberation_code=None,
        reference=None,
        title=None,
        outcome=None,
        members_present=None,
        amends=None,
        grants=[],
        needs_review=None,
        review_reasons=None,
        annexes=None,
    )
