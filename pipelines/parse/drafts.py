"""Grants being read: each sum a clause grants, with its beneficiary and the shares beside it.

A draft is filled in from its own clause first (the sum, the name beside it, a split stated
with it), then from its neighbours (a table of territories next to it, a later clause that
charges it); extract_grants then completes what the clause leaves unsaid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipelines.parse.allocations import (
    ANY_TERRITORY,
    Hints,
    charge,
    charge_of_share,
    lead_budget_of,
    single_allocation,
)
from pipelines.parse.amounts import find_amounts
from pipelines.parse.beneficiaries import (
    Recipient,
    carrier_recipient,
    colon_recipient,
    display_name,
    labelled_recipient,
    recipients,
    same_beneficiary,
    subject_recipient,
)
from pipelines.parse.clauses import GRANT_WORDS, Clause, Role, RoledAmount, role_amounts
from pipelines.parse.record import Allocation
from pipelines.parse.tables import Row, table_grants, table_shares
from pipelines.reference import pole_index, territory_index

_POLE_PREFIX = re.compile(
    r"(?:(?:l'association|association|le|la)\s+)?p[ôo]le\s+(?:de\s+comp[ée]titivit[ée]\s+)?$",
    re.IGNORECASE,
)


@dataclass
class Draft:
    """A grant being read: filled in from the clause, then from its neighbours."""

    amount: int | float
    clause: Clause
    before: str = ""
    after: str = ""
    recipient: Recipient | None = None
    shares: list[Allocation] = field(default_factory=list)
    allocations: list[Allocation] = field(default_factory=list)
    programme_budget: int | float | None = None
    context: str = ""
    from_table: bool = False
    kind: str | None = None
    year: int | None = None
    year_column: bool = False  # a table's year column dates the grant
    new_total: bool = False


def _respective_shares(text: str, hints: Hints) -> list[Allocation]:
    """ "à hauteur respectivement de 18 000 € et de 10 000 € par les Etats Spéciaux du Pays
    Salonais et du Pays d'Aubagne": the n-th sum goes to the n-th territory named after them."""
    if "respectivement" not in text.lower():
        return []
    amounts = find_amounts(text)
    if len(amounts) < 2:
        return []
    tail = text[amounts[-1].end :]
    territories = list(dict.fromkeys(match.id for match in territory_index().find(tail)))
    if len(territories) != len(amounts):
        return []
    ets = re.search(
        r"[ée]tats?\s+sp[ée]ci(?:al|aux)|conseils?\s+de\s+territoire", tail, re.IGNORECASE
    )
    principal = re.search(r"budget\s+principal", tail, re.IGNORECASE)
    shares = []
    for amount, territory in zip(amounts, territories, strict=True):
        if bool(ets) != bool(principal):
            budget = "ets" if ets else "principal"
        else:
            budget = (charge(territory.replace("-", " "), hints) or (territory, "ets"))[1]
        shares.append(Allocation(territory_id=territory, budget=budget, amount_eur=amount.value))  # type: ignore[typeddict-item]
    return shares


def _takes_share(current: Draft | None, amount: int | float, share: tuple[str, str] | None) -> bool:
    """Whether a charged sum is one more share of the grant being read."""
    if current is None or share is None or current.from_table:
        return False
    return sum(s["amount_eur"] for s in current.shares) + amount <= current.amount


def read_drafts(
    clauses: list[Clause], tables: list[list[Row]], hints: Hints, keep_orphan_shares: bool = False
) -> list[Draft]:
    drafts: list[Draft] = []
    current: Draft | None = None
    pending: list[Allocation] = []
    for clause in clauses:
        if clause.table is not None:
            rows = tables[clause.table] if clause.table < len(tables) else []
            shares = table_shares(rows, hints)
            if shares:
                # A table of territories splits the grant beside it (before it, or next).
                if current is not None and sum(s["amount_eur"] for s in shares) == current.amount:
                    current.shares = shares
                else:
                    pending = shares
                continue
            for row in table_grants(rows, hints):
                recipient = Recipient(row.beneficiary, row.pole_id, 0, 0)
                drafts.append(
                    Draft(
                        amount=row.amount,
                        clause=clause,
                        recipient=recipient,
                        allocations=row.allocations,
                        programme_budget=row.programme_budget,
                        context=row.context,
                        from_table=True,
                        kind=row.kind,
                        year=row.year,
                        year_column=row.year_column,
                    )
                )
            current = None
            continue
        respective = _respective_shares(clause.text, hints)
        if respective:
            total = sum(share["amount_eur"] for share in respective)
            if current is not None and total == current.amount and not current.shares:
                current.shares = respective
            else:
                pending = respective
            continue
        roled = role_amounts(clause.text, clause.lead)
        # "imputée sur le budget principal à hauteur de : - 15 000 € au titre du Pays d'Aix":
        # the budget the list's lead names is its items'.
        # So does the budget a clause names once before its shares ("imputée sur le budget
        # principal à hauteur de 40 000 € au titre du Pays d'Aix et de 20 000 € au titre ...").
        charged = [r for r in roled if r.role is Role.ALLOCATION]
        opening = clause.text[: charged[0].amount.start] if charged else ""
        lead_budget = lead_budget_of(clause.lead) or lead_budget_of(opening)
        item_hints = {ANY_TERRITORY: lead_budget} if lead_budget else hints
        for index, item in enumerate(roled):
            share = (
                charge_of_share(item.before, item.after, item_hints)
                if item.role is Role.ALLOCATION
                else None
            )
            if item.role is Role.ALLOCATION and not _takes_share(current, item.amount.value, share):
                if not GRANT_WORDS.search(f"{clause.lead} {clause.text}"):
                    continue  # a credits line ("BP 2025 : 100 000 €") of grants stated elsewhere
                # A sum charged to a budget that splits no grant is a grant stated with its charge.
                item = RoledAmount(item.amount, Role.GRANT, item.before, item.after)
                roled[index] = item
            if item.role is Role.GRANT:
                named = _recipient(clause.text, roled, index)
                if named is None and current is not None and current.clause is clause:
                    # "à Capenergies, une subvention de 40 000 € et une subvention de 12 000 €".
                    named = current.recipient
                current = Draft(
                    amount=item.amount.value,
                    clause=clause,
                    before=item.before,
                    after=item.after,
                    recipient=named,
                    context=clause.text,
                    new_total=item.new_total,
                )
                if pending and sum(s["amount_eur"] for s in pending) == current.amount:
                    current.shares, pending = pending, []
                drafts.append(current)
            elif current is not None and share is not None:
                current.shares.extend(single_allocation(share, item.amount.value))
    if keep_orphan_shares and pending:
        # A table of shares whose grant the report states as a "montant total": keep the split
        # for the operative grant of that amount.
        amount = sum(share["amount_eur"] for share in pending)
        drafts.append(Draft(amount=amount, clause=clauses[-1], shares=pending))
    return drafts


def _recipient(text: str, roled: list[RoledAmount], index: int) -> Recipient | None:
    """The beneficiary of the index-th sum: named on the side the clause names its beneficiaries."""
    item = roled[index]
    start = item.amount.start - len(item.before)
    end = item.amount.end + len(item.after)
    found = [r for r in recipients(text) if r.start >= start and r.end <= end]
    colon = colon_recipient(item.before) or labelled_recipient(item.before)
    if colon:
        found.append(Recipient(colon.name, colon.pole_id, start + colon.start, start + colon.end))
    if not found:
        return (
            pole_mention(text[start:end])
            or (subject_recipient(text) if start == 0 else None)
            or carrier_recipient(text[start:end])
        )
    grants = [r for r in roled if r.role is Role.GRANT]
    first = grants[0]
    first_start = first.amount.start - len(first.before)
    names_before = (
        any(r.start >= first_start and r.end <= first.amount.start for r in recipients(text))
        or colon_recipient(first.before) is not None
        or labelled_recipient(first.before) is not None
    )
    before = [r for r in found if r.end <= item.amount.start]
    after = [r for r in found if r.start >= item.amount.end]
    if names_before and before:
        return before[-1]
    if after:
        return after[0]
    return before[-1] if before else None


def pole_mention(text: str) -> Recipient | None:
    """A pôle named without a preposition ("Le Pôle X bénéficie de ..."), when it is the only one."""
    matches = pole_index().find(text)
    if len({m.id for m in matches}) != 1:
        return None
    match = matches[0]
    prefix = _POLE_PREFIX.search(text[: match.start])
    start = prefix.start() if prefix else match.start
    name = re.sub(r"^(?:l'association|le|la)\s+", "", text[start : match.end], flags=re.IGNORECASE)
    return Recipient(display_name(name), match.id, start, match.end)


def same_recipient(a: Draft, b: Draft) -> bool:
    if a.recipient is None or b.recipient is None:
        return True
    return same_beneficiary(a.recipient.name, b.recipient.name)
