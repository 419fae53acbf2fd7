"""The beneficiary's own budget that a grant is a share of (`programme_budget_eur`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.parse.amounts import find_amounts
from pipelines.parse.clauses import Clause
from pipelines.parse.drafts import Draft, same_recipient
from pipelines.reference import fold, pole_index

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
    r"|s'[ée]l[èe]ve(?:nt)?\s+pour\s+\d{4}\s+[àa]|atteignent|atteint|d'un\s+montant\s+de|de|:|,?\s*soit))\s*$",
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
    r"(?:\b(?:ramen|port|r[ée]vis|ajust|r[ée]duit)\w*(?:\s+[\w']+){0,7}"
    r"|\bde\s+\d[\d\s.,]*\s*(?:euros?|€))\s+[àa]\s*$"
    # "un budget révisé de", "son budget rectifié s'établit à", "le nouveau budget : ".
    r"|\b(?:r[ée]vis|rectifi|actualis|modifi|ajust|r[ée]estim|nouveau)\w*(?:\s+[\w']+){0,4}?"
    r"\s*(?:de|[àa]|:)\s*$",
    re.IGNORECASE,
)


# Whole words: "salon" is not in "Pays Salonais".
_EVENT_OWNER = re.compile(
    r"\b(?:[ée]v[ée]nements?|manifestations?|forums?|organis[ée]e?s?|salons?|congr[èe]s|colloques?"
    r"|rencontres?|projets?|op[ée]rations?|travaux|festivals?)\b",
    re.IGNORECASE,
)


_NOT_OWN_BUDGET = re.compile(
    r"m[ée]tropole|manifestation|[ée]v[ée]nement|projet|op[ée]ration|travaux|salon|assises|[ée]dition"
    r"|colloque|investissement|[ée]quipement|co[uû]t|action\b|programme\s+d'invest|forum|rencontres"
    r"|journ[ée]es?|congr[èe]s|f[êe]te|festival|exposition|[ée]tude",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class BudgetStatement:
    """A sum an act states as somebody's own budget, and whose it is: the beneficiary named in
    its clause before it ("Le budget du Pôle Mer s'élève à"), else the one the text was speaking
    of ("Capenergies anime ... Son budget prévisionnel s'établit à")."""

    value: int | float
    revised: bool
    year: int | None
    owner: str | None
    named_in_clause: bool


def budget_statements(
    texts: list[str], drafts: list[Draft], loose: bool = False
) -> list[BudgetStatement]:
    """Every budget statement of the texts, in order, with its owner (a pôle or a beneficiary):
    the one its words name ("le budget du Pôle Mer"), else the subject of its sentence ("Le
    pôle SCS, qui a intégré Optitec, ..."), else the subject the text was speaking of."""
    keys = _keys(drafts)
    names = {
        keys[id(d)]: d.recipient.name.lower()
        for d in drafts
        if d.recipient and keys[id(d)] != d.recipient.pole_id
    }
    shared = {
        d.recipient.pole_id for d in drafts if d.recipient and keys[id(d)] != d.recipient.pole_id
    }
    subject: str | None = None
    statements = []
    for text in texts:
        by_name = [(i, key) for key, name in names.items() if (i := text.lower().find(name)) >= 0]
        mentions = sorted(
            [(m.start, m.id) for m in pole_index().find(text) if m.id not in shared] + by_name
        )
        lead = next((key for start, key in mentions if start <= _SUBJECT_REACH), None)
        for amount in find_amounts(text):
            before = text[max(0, amount.start - _WINDOW) : amount.start]
            named_after = _BUDGET_AFTER.match(text[amount.end : amount.end + 80])
            if not (named_after or (_is_loose_budget(before) if loose else _is_own_budget(before))):
                continue
            cues = [m.end() for m in _CUE.finditer(before)]
            cue_at = (max(cues) if cues else len(before)) + amount.start - len(before)
            named = next(
                (key for start, key in mentions if cue_at <= start <= cue_at + _OWNER_REACH), None
            )
            owner = named or lead or subject
            statements.append(
                BudgetStatement(
                    amount.value,
                    _REVISED.search(_without_former(before)) is not None,
                    _budget_year(before),
                    owner,
                    bool(named or lead),
                )
            )
        subject = lead or subject
    return statements


# How far into a sentence its subject may stand ("- Le Pôle Mer Méditerranée, ..."), and how far
# after "budget" its owner ("le budget prévisionnel 2019 de l'association Capenergies").
_SUBJECT_REACH = 25
_OWNER_REACH = 45
# The budget named after its sum: "2.150.000 euros, montant de son budget prévisionnel".
_BUDGET_AFTER = re.compile(
    r"^\s*(?:HT|TTC)?\s*[,(]?\s*(?:soit\s+|c'est-[àa]-dire\s+)?(?:le\s+|au\s+)?(?:montant\s+(?:total\s+)?de\s+"
    r"|total\s+de\s+)?(?:son|leur)\s+budget\b(?!\s+(?:principal|annexe|primitif))",
    re.IGNORECASE,
)
_CUE = re.compile(r"\bbudget\b|comptes\s+pr[ée]visionnels|\bcharges\b", re.IGNORECASE)


def _keys(drafts: list[Draft]) -> dict[int, str]:
    """Who each draft's beneficiary is, for budgets: its pôle, unless two beneficiaries of the
    act share one (the Pôle Risques and Pégase, both SAFE's forerunners): then its name."""
    by_pole: dict[str, set[str]] = {}
    for d in drafts:
        if d.recipient is not None and d.recipient.pole_id:
            by_pole.setdefault(d.recipient.pole_id, set()).add(fold(d.recipient.name))
    keys = {}
    for d in drafts:
        if d.recipient is None:
            continue
        pole = d.recipient.pole_id
        shared = pole is not None and len(by_pole.get(pole, set())) > 1
        keys[id(d)] = pole if pole and not shared else d.recipient.name.lower()
    return keys


def owner_key(draft: Draft, drafts: list[Draft]) -> str | None:
    """Whose budget a draft's beneficiary would own, among the act's drafts."""
    return _keys(drafts).get(id(draft))


def programme_budget(
    draft: Draft, operative: list[Clause], report: list[Clause], drafts: list[Draft]
) -> tuple[int | float | None, int | None]:
    """The beneficiary's own budget, and the year it is the budget of when it says ("Le budget
    prévisionnel 2024 du pôle"): stated in a table row, beside the grant, or where the act
    speaks of this beneficiary. With several beneficiaries, a budget is its owner's only; with
    one, any budget not named as another's."""
    if draft.programme_budget:
        return draft.programme_budget, None
    if draft.recipient is None:
        return None, None
    key = owner_key(draft, drafts)
    alone = all(same_recipient(other, draft) for other in drafts)
    texts = [c.text for c in report + operative if c.table is None]
    found = [
        s
        for s in budget_statements(texts, drafts)
        if s.value > draft.amount
        and (s.owner == key or (alone and (s.owner is None or not s.named_in_clause)))
    ]
    # A budget revised since ("a été ramené à", "portant son budget à") replaces the first one.
    revised = [s for s in found if s.revised]
    chosen = revised[-1] if revised else (found[0] if found else None)
    return (chosen.value, chosen.year) if chosen else (None, None)


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


# "son budget, initialement de 1 640 000 €, est ramené à": the former sum stands between the
# budget's words and the new one; read past it.
_FORMER_THEN_REVISED = re.compile(
    r"\d[\d\s.,]*\s*(?:euros?|€)(?=[^€]{0,40}\b(?:ramen|port|r[ée]vis|ajust|r[ée]duit|revu|pass|fix|arr[êe]t)\w*"
    r"[^€]{0,30}[àa]\s*$)",
    re.IGNORECASE,
)


def _without_former(before: str) -> str:
    return _FORMER_THEN_REVISED.sub("un montant", before)


def _is_own_budget(before: str) -> bool:
    """Whether the sum ahead is a budget of the beneficiary (not of an event, a project, a work)."""
    before = _without_former(before)
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


# What may stand between "budget" and its owner: "prévisionnel", "2020", "de l'exercice 2020"...
_BUDGET_QUALIFIER = (
    r"(?:pr[ée]visionnel|de\s+fonctionnement|global|annuel|consolid[ée]|r[ée]vis[ée]|\d{4}"
    r"|(?:de\s+l'|pour\s+l')(?:exercice|ann[ée]e)\s+\d{4})"
)
_OWNER = re.compile(
    rf"^(?:\s+{_BUDGET_QUALIFIER})*"
    r"\s+(?:de\s+la|du|de\s+l'|des|d')\s*(?!(?:exercice|ann[ée]e|une?)\b)(?P<owner>[\w-]+)",
    re.IGNORECASE,
)
_ORGANISATION_WORD = re.compile(
    r"(?:association|p[ôo]le|structure|cluster|organisme|agence|soci[ée]t[ée]|entreprise|groupement"
    r"|fondation|f[ée]d[ée]ration|r[ée]seau|incubateur|technop[ôo]le|b[ée]n[ée]ficiaire|ce|cette)",
    re.IGNORECASE,
)
_BENEFICIARY_OWNER = re.compile(
    rf"^(?:\s+{_BUDGET_QUALIFIER})*"
    r"\s+(?:de\s+l'association|du\s+p[ôo]le|de\s+la\s+structure|du\s+cluster|de\s+l'organisme)\b",
    re.IGNORECASE,
)


# Looser than the reader's own test, on purpose (the review's second reading): any sum the words
# "budget" or "comptes prévisionnels" lead to in its sentence, unless a nearer noun says what
# the sum is ("pour un coût de"), or the budget is a thing's (an event's, a project's).
_BUDGET_WORD = re.compile(
    r"\bbudget\b(?!\s+(?:principal|annexe|primitif|suppl[ée]mentaire|m[ée]tropolitain|communautaire"
    r"|de\s+la\s+m[ée]tropole))|comptes\s+pr[ée]visionnels|total\s+(?:des\s+)?charges"
    r"|charges\s+pr[ée]visionnelles",
    re.IGNORECASE,
)
_NOT_BENEFICIARY_BUDGET = re.compile(
    r"\bbudget\s+(?:\w+\s+){0,2}?(?:de\s+l'|du|de\s+la|des|d')\s*(?:[ée]v[ée]nement|manifestation|projet"
    r"|op[ée]ration|[ée]dition|salon|forum|colloque|congr[èe]s|travaux|[ée]tude|investissement|[ée]quipement"
    r"|rencontres|journ[ée]es?|festival|action)",
    re.IGNORECASE,
)
_THING_SUBJECT = re.compile(
    r"^\W*(?:l'|le\s+|la\s+|les\s+|cet\s+|cette\s+|ce\s+|ces\s+)(?:[ée]v[ée]nement|manifestation|projet"
    r"|op[ée]ration|[ée]dition|salon|forum|colloque|congr[èe]s|travaux|[ée]tude|investissement|rencontres"
    r"|festival|chaire|programme\s+d'investissement|action)",
    re.IGNORECASE,
)
_OTHER_MONEY_NOUN = re.compile(
    r"\b(?:co[uû]ts?|montants?|d[ée]penses?|subventions?|participations?|aides?|sommes?|prix"
    r"|cotisations?|contributions?|financements?|apports?|recettes?)\b",
    re.IGNORECASE,
)


def _is_loose_budget(before: str) -> bool:
    """Whether budget words lead to the sum ahead, in its sentence, with no sum between."""
    sentence = re.split(r"[.!?]\s", before)[-1]
    sums = find_amounts(sentence)
    sentence = sentence[sums[-1].end :] if sums else sentence
    cues = list(_BUDGET_WORD.finditer(sentence))
    if not cues:
        return False
    after_cue = sentence[cues[-1].start() :]
    owned = _OWNER.match(sentence[cues[-1].end() :])
    if owned and not owned["owner"][0].isupper() and not _ORGANISATION_WORD.match(owned["owner"]):
        return False  # "Budget de la chaire": a thing's
    return not (
        _NOT_BENEFICIARY_BUDGET.search(after_cue)
        or _OTHER_MONEY_NOUN.search(after_cue[6:])
        or _THING_SUBJECT.match(sentence)
    )
