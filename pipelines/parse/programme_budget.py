"""The beneficiary's own budget that a grant is a share of (`programme_budget_eur`)."""

from __future__ import annotations

import re

from pipelines.parse.amounts import find_amounts
from pipelines.parse.beneficiaries import Recipient
from pipelines.parse.clauses import PROPOSES, Clause
from pipelines.parse.drafts import Draft, same_recipient
from pipelines.parse.years import own_year
from pipelines.reference import pole_index

# The beneficiary's budget: "budget prévisionnel 2019 d'un montant de 986.004 euros", "Son
# budget de fonctionnement pour 2016 est arrêté à", "Le budget 2017 de l'agence s'élève à"; its
# forecast accounts ("Les comptes prévisionnels de l'association présentent un total de charges de").
_WINDOW = 200  # how far before a sum its budget's words may stand
_BUDGET_BEFORE = re.compile(
    r"(?:\bbudget\b|\bcomptes\s+pr[ée]visionnels\b)(?P<tail>(?!\s+(?:principal|annexe|primitif|suppl[ée]mentaire))[^;:€.]{0,140}?"
    # "passe de 2 600 000 € à": the budget it becomes.
    r"(?:\bde\s+\d[\d\s.,]*\s*(?:euros?|€)\s+[àa]"
    r"|s'[ée]l[èe]v\w*\s+[àa]|s'[ée]tabli(?:t|ssent)\s+[àa]"
    r"|(?:arr[êe]t|estim|fix|[ée]valu|ramen|port|r[ée]vis|ajust)(?:[ée]e?s?)(?:\s+\w+){0,2}?\s+[àa]"
    r"|s'[ée]l[èe]ve(?:nt)?\s+pour\s+\d{4}\s+[àa]|atteignent|atteint|d'un\s+montant\s+de|de|:))\s*$",
    re.IGNORECASE,
)


# The verb before the budget: "portant son budget prévisionnel 2019 à 1 480 000 euros".
_BUDGET_SET_TO = re.compile(
    r"\b(?:port|ramen|fix|arr[êe]t)\w*\s+(?:son|leur|le|ce|cet)\s+budget\b"
    r"(?P<tail>(?!\s+(?:principal|annexe|primitif|suppl[ée]mentaire))[^;:€.]{0,60}?)\s[àa]\s*$",
    re.IGNORECASE,
)


# A budget changed since: "a été ramené à", "portant son budget à", "de 3 900 000 euros à".
_REVISED = re.compile(
    r"(?:\b(?:ramen|port|r[ée]vis|ajust|r[ée]duit)\w*(?:\s+\w+){0,6}"
    r"|\bde\s+\d[\d\s.,]*\s*(?:euros?|€))\s+[àa]\s*$"
    # "un budget révisé de", "son budget rectifié s'établit à", "le nouveau budget : ".
    r"|\b(?:r[ée]vis|rectifi|actualis|modifi|ajust|r[ée]estim|nouveau)\w*(?:\s+[\w']+){0,4}?"
    r"\s*(?:de|[àa]|:)\s*$",
    re.IGNORECASE,
)


_EVENT_OWNER = re.compile(
    r"[ée]v[ée]nement|manifestation|forum|organis[ée]|salon|congr[èe]s|colloque|rencontres|projet"
    r"|op[ée]ration|travaux|festival",
    re.IGNORECASE,
)


_NOT_OWN_BUDGET = re.compile(
    r"m[ée]tropole|manifestation|[ée]v[ée]nement|projet|op[ée]ration|travaux|salon|assises|[ée]dition"
    r"|colloque|investissement|[ée]quipement|co[uû]t|action\b|programme\s+d'invest|forum|rencontres"
    r"|journ[ée]es?|congr[èe]s|f[êe]te|festival|exposition|[ée]tude",
    re.IGNORECASE,
)


def programme_budget(
    draft: Draft, operative: list[Clause], report: list[Clause], drafts: list[Draft]
) -> tuple[int | float | None, int | None]:
    """The beneficiary's own budget, stated beside the grant or where the report presents it,
    and the year it is the budget of, when it says ("Le budget prévisionnel 2024 du pôle")."""
    if draft.programme_budget:
        return draft.programme_budget, None
    texts = [draft.context]
    years = [other.year or own_year(other) for other in drafts]
    one_a_year = None not in years and len(set(years)) == len(years)
    if len(drafts) == 1 or (one_a_year and all(same_recipient(o, draft) for o in drafts)):
        # One grant, or one beneficiary's grants a year each: the act's budget is its own (a
        # budget naming a year is that year's grant's only).
        texts += [c.text for c in operative] + [c.text for c in report]
    elif draft.recipient is not None:
        texts += _paragraph_of(report, draft)
        # One grant of several to this beneficiary: the report's presentation of it is its own;
        # so it is for grants of one beneficiary a year each (its budget names its year).
        same = [other for other in drafts if same_recipient(other, draft)]
        years = [other.year or own_year(other) for other in same]
        if len(same) == 1 or (None not in years and len(set(years)) == len(years)):
            texts += _presentations(report, draft.recipient)
    found = [
        (amount.value, _REVISED.search(before) is not None, _budget_year(before))
        for text in texts
        for amount in find_amounts(text)
        if amount.value > draft.amount
        and _is_own_budget(before := text[max(0, amount.start - _WINDOW) : amount.start])
    ]
    # A budget revised since ("a été ramené à", "portant son budget à") replaces the first one.
    revised = [(value, year) for value, is_revision, year in found if is_revision]
    if revised:
        return revised[-1]
    return (found[0][0], found[0][2]) if found else (None, None)


def own_budgets(texts: list[str], above: int | float) -> list[tuple[int | float, bool]]:
    """Every sum above `above` the texts present as a beneficiary's own budget, and whether
    it is a revised one."""
    return [
        (amount.value, _REVISED.search(before) is not None)
        for text in texts
        for amount in find_amounts(text)
        if amount.value > above
        and _is_own_budget(before := text[max(0, amount.start - _WINDOW) : amount.start])
    ]


_BUDGET_YEAR = re.compile(r"\bbudget\b[^.;€]{0,40}?\b(?P<year>20\d\d)\b", re.IGNORECASE)


def _budget_year(before: str) -> int | None:
    matches = list(_BUDGET_YEAR.finditer(before))
    return int(matches[-1]["year"]) if matches else None


def twin_budget(draft: Draft, report_drafts: list[Draft]) -> int | float | None:
    """The budget a report's table gives the same grant ("Budget prévisionnel" column)."""
    for twin in report_drafts:
        if twin.programme_budget and twin.amount == draft.amount and same_recipient(twin, draft):
            return twin.programme_budget
    return None


def _paragraph_of(report: list[Clause], draft: Draft) -> list[str]:
    """The report's clauses that present the beneficiary and propose its grant: back from the
    one stating its amount, up to the previous proposal or a clause about another pôle."""
    assert draft.recipient is not None
    for end, clause in enumerate(report):
        if not any(a.value == draft.amount for a in find_amounts(clause.text)):
            continue
        start = end
        while start > 0 and not _other_subject(report[start - 1].text, draft.recipient):
            start -= 1
        return [c.text for c in report[start : end + 1]]
    return [c.text for c in report if _mentions(c.text, draft.recipient)]


_PRESENTATION_SENTENCES = 5


def _presentations(report: list[Clause], recipient: Recipient) -> list[str]:
    """The report's sentences presenting this beneficiary alone: one that names it and those
    after it up to another subject ("Le pôle SAFE compte ... Son budget 2021 s'élève à ...")."""
    texts: list[str] = []
    for start, clause in enumerate(report):
        if not _mentions(clause.text, recipient) or _other_subject(clause.text, recipient):
            continue
        for following in report[start : start + _PRESENTATION_SENTENCES]:
            if _other_subject(following.text, recipient):
                break
            texts.append(following.text)
    return texts


def _other_subject(text: str, recipient: Recipient) -> bool:
    """Whether a clause proposes another sum or speaks of another pôle."""
    if PROPOSES.search(text) and find_amounts(text):
        return True
    poles = {m.id for m in pole_index().find(text)}
    return bool(poles) and recipient.pole_id not in poles


def _is_own_budget(before: str) -> bool:
    """Whether the sum ahead is a budget of the beneficiary (not of an event, a project, a work)."""
    match = _BUDGET_BEFORE.search(before) or _BUDGET_SET_TO.search(before)
    if not match:
        return False
    # "Le budget prévisionnel 2020 du pôle, revu du fait de l'annulation des salons, ...": the
    # words right after "budget" say whose it is; what follows may speak of anything.
    if _BENEFICIARY_OWNER.match(match["tail"]):
        return True
    # "Budget de la chaire : 600 000 €": a budget whose owner is a thing, not an organisation.
    owned = _OWNER.match(match["tail"])
    if owned and not owned["owner"][0].isupper() and not _ORGANISATION_WORD.match(owned["owner"]):
        return False
    # "L'événement est organisé par ..., pour un budget de": whose budget is said before it too.
    owner = before[max(0, match.start() - 60) : match.start()]
    return not _NOT_OWN_BUDGET.search(match["tail"]) and not _EVENT_OWNER.search(owner)


_OWNER = re.compile(
    r"^(?:\s+(?:pr[ée]visionnel|de\s+fonctionnement|global|annuel|consolid[ée]|r[ée]vis[ée]|\d{4}))*"
    r"\s+(?:de\s+la|du|de\s+l'|des)\s*(?P<owner>[\w-]+)",
    re.IGNORECASE,
)
_ORGANISATION_WORD = re.compile(
    r"(?:association|p[ôo]le|structure|cluster|organisme|agence|soci[ée]t[ée]|entreprise|groupement"
    r"|fondation|f[ée]d[ée]ration|r[ée]seau|incubateur|technop[ôo]le|b[ée]n[ée]ficiaire|ce|cette)",
    re.IGNORECASE,
)
_BENEFICIARY_OWNER = re.compile(
    r"^(?:\s+(?:pr[ée]visionnel|de\s+fonctionnement|global|annuel|consolid[ée]|r[ée]vis[ée]|\d{4}))*"
    r"\s+(?:de\s+l'association|du\s+p[ôo]le|de\s+la\s+structure|du\s+cluster|de\s+l'organisme)\b",
    re.IGNORECASE,
)


def _mentions(text: str, recipient: Recipient) -> bool:
    if recipient.pole_id:
        return any(m.id == recipient.pole_id for m in pole_index().find(text))
    return recipient.name.lower() in text.lower()
