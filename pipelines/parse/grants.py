"""The act's grants: who receives what, of which kind, for which year, charged where.

The operative part (after "Délibère") is what the act decides, so grants are read there
first; the report (exposé) is read only when the act has no operative part (a withdrawn
report), and otherwise lends what the articles leave unsaid: the split across territories,
the beneficiary's budget.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipelines.parse.allocations import CHARGE_WORDS, budget_hints
from pipelines.parse.annexes import amounts_in_annex
from pipelines.parse.beneficiaries import Recipient, recipients, same_beneficiary
from pipelines.parse.clauses import PROPOSES, Clause, split_clauses
from pipelines.parse.drafts import Draft, pole_mention, read_drafts, same_recipient
from pipelines.parse.header import CODE_RE, Header, fold_spaces
from pipelines.parse.programme_budget import programme_budget, twin_budget
from pipelines.parse.record import Grant
from pipelines.parse.splits import grant_allocations
from pipelines.parse.tables import Row
from pipelines.parse.text import DocumentText, flatten
from pipelines.parse.years import funding_year, own_year, schedules, split_by_year

_KIND_CUES = (
    ("membership", re.compile(r"adh[ée]sion|cotisation", re.IGNORECASE)),
    ("investment", re.compile(r"d'investissement|d'[ée]quipement", re.IGNORECASE)),
    ("operating", re.compile(r"(?:de|au)\s+fonctionnement", re.IGNORECASE)),
)


# A grant for one event, one action or one-off: "other", whatever the report calls the rest.
ONE_OFF = re.compile(
    r"pour\s+l'organisation|exceptionnelle|affect[ée]e?\s+[àa]|sp[ée]cifique|pour\s+la\s+r[ée]alisation"
    r"|[ée]v[ée]nement|manifestation",
    re.IGNORECASE,
)


REFERS_TO_TABLE = re.compile(r"tableau|ci-dessus|ci-dessous|suivante?s", re.IGNORECASE)


def refers_to_table(text: str) -> bool:
    """Whether a clause speaks of a table of grants: beside it, or in an annex."""
    return bool(REFERS_TO_TABLE.search(text)) or amounts_in_annex(text)


REPORT_KIND_CUES = re.compile(
    r"subventions?\s+(?:de\s+fonctionnement|d'investissement|d'[ée]quipement)|cotisation|adh[ée]sion",
    re.IGNORECASE,
)


_COMPLEMENT = re.compile(
    r"compl[ée]mentaire|suppl[ée]mentaire|additionnel|compl[ée]ment", re.IGNORECASE
)


_AMENDMENT = re.compile(
    r"port[ée]e?s?\s+de\s|portant\s+le\s+montant|\bporte\s+(?:ainsi\s+)?(?:la|le)\s+(?:subvention|montant)"
    r"|ramen[ée]e?s?\s+de\s|modifi|rectifi|compl[èée]t|remplac|amend|major(?:ation|[ée]e?s?)\b|revalori"
    r"|augment",
    re.IGNORECASE,
)


_FROM_TO_AMOUNTS = re.compile(r"\bde\s+\d[\d .,]*\s*(?:euros?|€)\s+à\s+\d", re.IGNORECASE)


_SAME_SPLIT = re.compile(
    r"m[êe]mes?\s+(?:r[ée]partition|imputations?|ventilation|modalit[ée]s)|r[ée]partition\s+identique"
    r"|r[ée]parti(?:e|s|es)?\s+de\s+(?:la\s+)?m[êe]me\s+(?:mani[èe]re|fa[çc]on)",
    re.IGNORECASE,
)


_GRANTED = re.compile(r"attribu|accord|allou|octroy|approuv", re.IGNORECASE)


_STANDING_VISA = re.compile(
    r"d[ée]l[ée]gation|r[èe]glement\s+budg[ée]taire|budget\s+primitif", re.IGNORECASE
)


@dataclass
class GrantReading:
    """The act's grants as read, with what the review needs to check them: the drafts they
    came from (one per grant), the sums granted to nobody, the clauses, where each grant's
    split and year were found."""

    grants: list[Grant]
    amends: str | None
    drafts: list[Draft]
    unnamed: list[Draft]
    operative: list[Clause]
    report: list[Clause]
    report_drafts: list[Draft]
    from_report: bool
    hints: dict[str, str] = field(default_factory=dict)
    budget_years: list[int | None] = field(default_factory=list)
    sources: list[dict[str, str]] = field(default_factory=list)


def extract_grants(document: DocumentText, tables: list[list[Row]], header: Header) -> GrantReading:
    """Every grant the act states, and the code of the act it amends (if any)."""
    operative = split_clauses(document.operative)
    report = split_clauses(document.report)
    hints = budget_hints([c.text for c in operative + report if CHARGE_WORDS.search(c.text)])
    drafts = read_drafts(operative, tables, hints)
    from_report = not drafts
    if from_report:
        drafts = read_drafts(
            [c for c in report if PROPOSES.search(c.text) or c.table is not None], tables, hints
        )
    drafts = _without_totals(_without_complements(_merged(drafts)))
    drafts = split_by_year(drafts, schedules(report, tables))
    title = header.title or ""
    title_recipients = recipients(title)
    session_year = int(header.session_date[:4]) if header.session_date else None
    report_drafts = read_drafts(report, tables, hints, keep_orphan_shares=True) if drafts else []
    amends = _amended_code(document, header, operative, report)
    # An amendment funds the programme of the act it amends: the report tells which year that was.
    amended_history = " ".join(c.text for c in report if amends and amends in fold_spaces(c.text))
    reading = GrantReading(
        [], amends, [], [], operative, report, report_drafts, from_report, dict(hints)
    )
    for draft in drafts:
        recipient = draft.recipient or _fallback_recipient(
            draft, operative, title_recipients, report
        )
        draft.recipient = recipient
        if recipient is None:
            reading.unnamed.append(draft)
            continue
        year, year_source = funding_year(
            draft, operative, title, report, session_year, amended_history
        )
        allocations, charge_source = grant_allocations(
            draft,
            report_drafts,
            operative,
            len(drafts),
            hints,
            report,
            total=sum(d.amount for d in drafts),
        )
        if charge_source == "default" and reading.grants and _SAME_SPLIT.search(draft.after[:80]):
            # "60 000 € au titre de 2026 : même répartition": the split of the grant before it.
            previous = reading.grants[-1]
            if previous["amount_eur"] == draft.amount:
                allocations = [dict(share) for share in previous["allocations"]]  # type: ignore[misc]
                charge_source = "previous"
        kind, kind_source = _kind(draft, operative, title, report, drafts)
        # An investment grant pays for an equipment, a membership fee for belonging: neither is a
        # share of the beneficiary's budget.
        shares_budget = kind not in ("investment", "membership")
        budget, budget_year = (
            programme_budget(draft, operative, report, drafts) if shares_budget else (None, None)
        )
        reading.budget_years.append(budget_year)
        reading.grants.append(
            Grant(
                beneficiary=_display_name(recipient, title_recipients),
                pole_id=recipient.pole_id,
                kind=kind,  # type: ignore[typeddict-item]
                amount_eur=draft.amount,  # type: ignore[typeddict-item]
                funding_year=year,
                programme_budget_eur=budget
                or (twin_budget(draft, report_drafts) if shares_budget else None),  # type: ignore[typeddict-item]
                allocations=allocations,
            )
        )
        reading.drafts.append(draft)
        reading.sources.append({"year": year_source, "charge": charge_source, "kind": kind_source})
    _budgets_of_their_year(reading)
    return reading


def _budgets_of_their_year(reading: GrantReading) -> None:
    """A budget stated for one year ("Le budget prévisionnel 2024 du pôle") is the budget of
    that year's grant only, when a beneficiary gets grants for several years; a budget that
    names no year is no year's."""
    for grant, draft, year in zip(
        reading.grants, reading.drafts, reading.budget_years, strict=True
    ):
        years = {
            g["funding_year"]
            for g, d in zip(reading.grants, reading.drafts, strict=True)
            if same_recipient(d, draft)
        }
        if len(years) > 1 and year != grant["funding_year"] and not draft.from_table:
            grant["programme_budget_eur"] = None


def _fallback_recipient(
    draft: Draft, operative: list[Clause], title_recipients: list[Recipient], report: list[Clause]
) -> Recipient | None:
    """A sum whose clause names nobody: its article's beneficiary, else the title's."""
    article = [c for c in operative if c.article == draft.clause.article and c is not draft.clause]
    for clause in article:
        found = recipients(clause.text) or ([p] if (p := pole_mention(clause.text)) else [])
        if len(found) == 1:
            return found[0]
    if title_recipients:
        return title_recipients[0]
    return pole_mention(flatten([c.text for c in report[:40]]))


def _display_name(recipient: Recipient, title_recipients: list[Recipient]) -> str:
    """The beneficiary as the title spells it, when the title names the same one."""
    for candidate in title_recipients:
        if same_beneficiary(candidate.name, recipient.name):
            return candidate.name
    return recipient.name


def _merged(drafts: list[Draft]) -> list[Draft]:
    """One draft per grant: a sum restated in a later article is the same grant."""
    kept: list[Draft] = []
    for draft in drafts:
        twin = next(
            (
                k
                for k in kept
                if k.amount == draft.amount
                and same_recipient(k, draft)
                and _same_year(own_year(k), own_year(draft))
            ),
            None,
        )
        if twin is None:
            kept.append(draft)
            continue
        if not twin.shares and draft.shares:
            twin.shares = draft.shares
        if twin.recipient is None:
            twin.recipient = draft.recipient
    return kept


def _same_year(a: int | None, b: int | None) -> bool:
    """Whether two sums can fund the same year: one of them says none, or both say this one."""
    return a is None or b is None or a == b


def _without_complements(drafts: list[Draft]) -> list[Draft]:
    """An amendment grants the new total: the complement that led to it is not a grant of its own."""
    totals = [d for d in drafts if d.new_total]
    return [
        d
        for d in drafts
        if d.new_total
        or not _COMPLEMENT.search(d.before[-80:] + d.after[:40])
        or not any(same_recipient(d, t) for t in totals)
    ]


def _without_totals(drafts: list[Draft]) -> list[Draft]:
    """Drop an unnamed sum that is the total of the other grants ("soit un total de ...")."""
    if len(drafts) < 3 and not any(d.from_table for d in drafts):
        return drafts
    kept = []
    for draft in drafts:
        others = [d.amount for d in drafts if d is not draft and (d.recipient or d.from_table)]
        if (
            not draft.from_table
            and (draft.recipient is None or draft.recipient.pole_id is None)
            and len(others) > 1
            and sum(others) == draft.amount
        ):
            continue
        kept.append(draft)
    return kept


def _kind(
    draft: Draft, operative: list[Clause], title: str, report: list[Clause], drafts: list[Draft]
) -> tuple[str, str]:
    """The kind the grant's own words give; else its article's, the title's, the report's when
    they can only speak of this grant; and where it was read (`default`: nowhere)."""
    near = draft.kind or _nearest_kind(draft.before) or _first_kind(draft.context)
    if near:
        return near, "clause"
    if not draft.from_table and ONE_OFF.search(draft.context):
        return "other", "clause"
    if draft.from_table:
        # The articles name the kind of the grants a table lists ("les subventions
        # d'investissement figurant dans le tableau ci-dessus").
        for clause in operative:
            kind = _first_kind(clause.text) if refers_to_table(clause.text) else None
            if kind:
                return kind, "article"
    alone_in_article = sum(d.clause.article == draft.clause.article for d in drafts) == 1
    if draft.clause.article and alone_in_article:
        article = " ".join(c.text for c in operative if c.article == draft.clause.article)
        kind = _first_kind(article)
        if kind:
            return kind, "article"
    shared = draft.from_table or bool(draft.clause.lead)
    if len(drafts) == 1 or shared:
        kind = _first_kind(f"{draft.clause.lead} {title}")
        if kind:
            return kind, "title"
    if len(drafts) == 1:
        for clause in report:
            if REPORT_KIND_CUES.search(clause.text):
                kind = _first_kind(clause.text)
                if kind:
                    return kind, "report"
    return "other", "default"


def kinds_named(text: str) -> set[str]:
    """Every kind of grant the text names."""
    return {kind for kind, cue in _KIND_CUES if cue.search(text)}


def _nearest_kind(before: str) -> str | None:
    best: tuple[int, str] | None = None
    for kind, cue in _KIND_CUES:
        for match in cue.finditer(before):
            if best is None or match.start() > best[0]:
                best = (match.start(), kind)
    return best[1] if best else None


def _first_kind(text: str) -> str | None:
    best: tuple[int, str] | None = None
    for kind, cue in _KIND_CUES:
        match = cue.search(text)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), kind)
    return best[1] if best else None


def _amended_code(
    document: DocumentText,
    header: Header,
    operative_clauses: list[Clause],
    report_clauses: list[Clause],
) -> str | None:
    """The code of the deliberation this act modifies, cited beside the words that modify it
    (the decision's and the report's clauses, as extract_grants split them)."""
    own = header.deliberation_code
    operative = [c.text for c in operative_clauses]
    report = [c.text for c in report_clauses]
    for text in [header.title or "", *operative, *report]:
        if _AMENDMENT.search(text):
            code = _cited_code(text, own)
            if code:
                return code
    if not any(
        _AMENDMENT.search(text) or _FROM_TO_AMOUNTS.search(text)
        for text in [header.title or "", *operative]
    ):
        return None
    # An amending act that cites the act it amends elsewhere: where that act granted the sum,
    # else among the visas, past the standing ones (budget rules, delegations).
    for text in report:
        if _GRANTED.search(text):
            code = _cited_code(text, own)
            if code:
                return code
    visas = [c.text for c in split_clauses(document.visas) if not _STANDING_VISA.search(c.text)]
    for text in reversed(visas):
        code = _cited_code(text, own)
        if code:
            return code
    return None


def _cited_code(text: str, own: str | None) -> str | None:
    for match in CODE_RE.finditer(text):
        code = fold_spaces(match["code"])
        if code != own:
            return code
    return None
