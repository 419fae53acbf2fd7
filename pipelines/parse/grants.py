"""The act's grants: who receives what, of which kind, for which year, charged where.

The operative part (after "Délibère") is what the act decides, so grants are read there
first; the report (exposé) is read only when the act has no operative part (a withdrawn
report), and otherwise lends what the articles leave unsaid: the split across territories,
the beneficiary's budget.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from pipelines.parse.allocations import (
    Hints,
    budget_hints,
    charge,
    charge_for_article,
    charge_of_share,
    merge_shares,
    single_allocation,
    whole_metropole,
)
from pipelines.parse.amounts import find_amounts
from pipelines.parse.beneficiaries import (
    Recipient,
    colon_recipient,
    display_name,
    labelled_recipient,
    recipients,
    same_beneficiary,
)
from pipelines.parse.clauses import Clause, Role, RoledAmount, role_amounts, split_clauses
from pipelines.parse.header import CODE_RE, Header, fold_spaces
from pipelines.parse.record import Allocation, Grant
from pipelines.parse.tables import Row, table_grants, table_shares, yearly_schedule
from pipelines.parse.text import DocumentText, flatten
from pipelines.reference import pole_index, territory_index

_KIND_CUES = (
    ("membership", re.compile(r"adh[ée]sion|cotisation", re.IGNORECASE)),
    ("investment", re.compile(r"d'investissement|d'[ée]quipement", re.IGNORECASE)),
    ("operating", re.compile(r"(?:de|au)\s+fonctionnement", re.IGNORECASE)),
)
# A grant for one event, one action or one-off: "other", whatever the report calls the rest.
_ONE_OFF = re.compile(
    r"pour\s+l'organisation|exceptionnelle|affect[ée]e?\s+[àa]|sp[ée]cifique|pour\s+la\s+r[ée]alisation"
    r"|[ée]v[ée]nement|manifestation",
    re.IGNORECASE,
)
_REFERS_TO_TABLE = re.compile(r"tableau|ci-dessus|ci-dessous|suivante?s", re.IGNORECASE)
_REPORT_KIND_CUES = re.compile(
    r"subventions?\s+(?:de\s+fonctionnement|d'investissement|d'[ée]quipement)|cotisation|adh[ée]sion",
    re.IGNORECASE,
)
_YEAR_RE = re.compile(
    r"(?:au\s+titre\s+(?:de\s+l'(?:ann[ée]e|exercice)\s+|de\s+)?|pour\s+l'(?:ann[ée]e|exercice)\s+"
    r"|programmes?\s+d'actions?\s+(?:de\s+l'ann[ée]e\s+|pour\s+)?|ann[ée]e\s+|exercice\s+(?:budg[ée]taire\s+)?"
    r"|cotisations?\s+(?:annuelles?\s+)?(?:pour\s+)?|budget\s+pr[ée]visionnel\s+(?:de\s+l'ann[ée]e\s+)?"
    r"|subvention\s+(?:de\s+fonctionnement\s+)?)(?P<year>20\d\d)(?!\d)",
    re.IGNORECASE,
)
# A year written right after a sum: "3 000 euros en 2020", "3 500 € TTC pour 2019".
_YEAR_BESIDE = re.compile(
    r"^\s*(?:HT|TTC|net)?\s*,?\s*(?:en|pour|au\s+titre\s+de)\s+(?:l'(?:ann[ée]e|exercice)\s+)?"
    r"(?P<year>20\d\d)(?!\d)",
    re.IGNORECASE,
)
_COMPLEMENT = re.compile(
    r"compl[ée]mentaire|suppl[ée]mentaire|additionnel|compl[ée]ment", re.IGNORECASE
)
_FIRM_YEAR_RE = re.compile(
    r"(?:au\s+titre\s+(?:de\s+l'(?:ann[ée]e|exercice)\s+|de\s+)|pour\s+l'(?:ann[ée]e|exercice)\s+"
    r"|programmes?\s+d'actions?\s+(?:de\s+l'ann[ée]e\s+|pour\s+)?|budget\s+pr[ée]visionnel\s+)"
    r"(?P<year>20\d\d)(?!\d)",
    re.IGNORECASE,
)
_PAST = re.compile(
    r"\bavai(?:t|ent)\b|\ba\s+(?:attribu|allou|accord|vers|soutenu)|pour\s+m[ée]moire|pr[ée]c[ée]dent"
    r"|au\s+cours\s+de\s+l'ann[ée]e|\ben\s+20\d\d\s*,",
    re.IGNORECASE,
)
# The beneficiary's budget: "budget prévisionnel 2019 d'un montant de 986.004 euros", "Son
# budget de fonctionnement pour 2016 est arrêté à", "Le budget 2017 de l'agence s'élève à"; its
# forecast accounts ("Les comptes prévisionnels de l'association présentent un total de charges de").
_BUDGET_BEFORE = re.compile(
    r"(?:\bbudget\b|\bcomptes\s+pr[ée]visionnels\b)(?P<tail>(?!\s+(?:principal|annexe|primitif|suppl[ée]mentaire))[^;:€.]{0,90}?"
    r"(?:s'[ée]l[èe]ve\s+[àa]|s'[ée]tablit\s+[àa]|est\s+(?:arr[êe]t[ée]|estim[ée]|fix[ée]|[ée]valu[ée])\s+[àa]"
    r"|s'[ée]l[èe]ve\s+pour\s+\d{4}\s+[àa]|atteint|d'un\s+montant\s+de|de|:))\s*$",
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
_PROPOSES = re.compile(
    r"s'[ée]l[èe]ver(?:a|ait)|propos|sollicit|attribuer|octroyer|allouer|verser|pourrait|serait|envisag",
    re.IGNORECASE,
)
# Where an act says how its sums are charged (credits article, split sentences).
_CHARGE_WORDS = re.compile(
    r"cr[ée]dits|imput|d[ée]penses?|pris(?:e|es)?\s+en\s+charge|r[ée]parti|[ée]tats?\s+sp[ée]ciaux"
    r"|[ée]tat\s+sp[ée]cial|budget\s+principal",
    re.IGNORECASE,
)
_AMENDMENT = re.compile(
    r"port[ée]e?s?\s+de\s|portant\s+le\s+montant|\bporte\s+(?:ainsi\s+)?(?:la|le)\s+(?:subvention|montant)"
    r"|ramen[ée]e?s?\s+de\s|modifi|rectifi|compl[èée]t|remplac|amend|major(?:ation|[ée]e?s?)\b|revalori"
    r"|augment",
    re.IGNORECASE,
)
_FROM_TO_AMOUNTS = re.compile(r"\bde\s+\d[\d .,]*\s*(?:euros?|€)\s+à\s+\d", re.IGNORECASE)
_GRANTED = re.compile(r"attribu|accord|allou|octroy|approuv", re.IGNORECASE)
_STANDING_VISA = re.compile(
    r"d[ée]l[ée]gation|r[èe]glement\s+budg[ée]taire|budget\s+primitif", re.IGNORECASE
)
_POLE_PREFIX = re.compile(
    r"(?:(?:l'association|association|le|la)\s+)?p[ôo]le\s+(?:de\s+comp[ée]titivit[ée]\s+)?$",
    re.IGNORECASE,
)


@dataclass
class _Draft:
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


def _takes_share(
    current: _Draft | None, amount: int | float, share: tuple[str, str] | None
) -> bool:
    """Whether a charged sum is one more share of the grant being read."""
    if current is None or share is None or current.from_table:
        return False
    return sum(s["amount_eur"] for s in current.shares) + amount <= current.amount


def extract_grants(
    document: DocumentText, tables: list[list[Row]], header: Header
) -> tuple[list[Grant], str | None]:
    """Every grant the act states, and the code of the act it amends (if any)."""
    operative = split_clauses(document.operative)
    report = split_clauses(document.report)
    hints = budget_hints([c.text for c in operative + report if _CHARGE_WORDS.search(c.text)])
    drafts = _drafts(operative, tables, hints)
    if not drafts:
        drafts = _drafts(
            [c for c in report if _PROPOSES.search(c.text) or c.table is not None], tables, hints
        )
    drafts = _without_totals(_without_complements(_merged(drafts)))
    drafts = _split_by_year(drafts, _schedules(report, tables))
    title = header.title or ""
    title_recipients = recipients(title)
    session_year = int(header.session_date[:4]) if header.session_date else None
    report_drafts = _drafts(report, tables, hints, keep_orphan_shares=True) if drafts else []
    amends = _amended_code(document, header)
    # An amendment funds the programme of the act it amends: the report tells which year that was.
    amended_history = " ".join(c.text for c in report if amends and amends in fold_spaces(c.text))
    grants = []
    for draft in drafts:
        recipient = draft.recipient or _fallback_recipient(
            draft, operative, title_recipients, report
        )
        draft.recipient = recipient
        grants.append(
            Grant(
                beneficiary=_display_name(recipient, title_recipients) if recipient else "",
                pole_id=recipient.pole_id if recipient else None,
                kind=_kind(draft, operative, title, report, drafts),  # type: ignore[typeddict-item]
                amount_eur=draft.amount,  # type: ignore[typeddict-item]
                funding_year=_funding_year(
                    draft, operative, title, report, session_year, amended_history
                ),
                programme_budget_eur=_programme_budget(draft, operative, report, len(drafts))
                or _twin_budget(draft, report_drafts),  # type: ignore[typeddict-item]
                allocations=_allocations(
                    draft, report_drafts, operative, len(drafts), hints, report
                ),
            )
        )
    return [g for g in grants if g["beneficiary"]], amends


def _drafts(
    clauses: list[Clause], tables: list[list[Row]], hints: Hints, keep_orphan_shares: bool = False
) -> list[_Draft]:
    drafts: list[_Draft] = []
    current: _Draft | None = None
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
                    _Draft(
                        amount=row.amount,
                        clause=clause,
                        recipient=recipient,
                        allocations=row.allocations,
                        programme_budget=row.programme_budget,
                        context=row.context,
                        from_table=True,
                        kind=row.kind,
                        year=row.year,
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
        for index, item in enumerate(roled):
            share = (
                charge_of_share(item.before, item.after, hints)
                if item.role is Role.ALLOCATION
                else None
            )
            if item.role is Role.ALLOCATION and not _takes_share(current, item.amount.value, share):
                # A sum charged to a budget that splits no grant is a grant stated with its charge.
                item = RoledAmount(item.amount, Role.GRANT, item.before, item.after)
                roled[index] = item
            if item.role is Role.GRANT:
                named = _recipient(clause.text, roled, index)
                if named is None and current is not None and current.clause is clause:
                    # "à Capenergies, une subvention de 40 000 € et une subvention de 12 000 €".
                    named = current.recipient
                current = _Draft(
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
        drafts.append(_Draft(amount=amount, clause=clauses[-1], shares=pending))
    return drafts


# A sum stated for several years at once: "cotisations afférentes aux exercices 2017, 2018 et
# 2019, soit 9 500 € au total, selon l'échéancier figurant au rapport".
_SEVERAL_YEARS = re.compile(
    r"[ée]ch[ée]ancier|au\s+total|20\d\d\s*(?:,|et|à|-)\s*20\d\d|p[ée]riode|pluriannuel",
    re.IGNORECASE,
)


def _schedules(
    report: list[Clause], tables: list[list[Row]]
) -> list[list[tuple[int, int | float]]]:
    """The report's schedules of sums by year: a table by year, or "3 000 euros pour 2020,
    3 000 euros pour 2021 et 3 200 euros pour 2022"."""
    found = []
    for clause in report:
        if clause.table is not None:
            rows = tables[clause.table] if clause.table < len(tables) else []
            schedule = yearly_schedule(rows)
        else:
            schedule = _text_schedule(clause.text)
        if schedule:
            found.append(schedule)
    return found


def _text_schedule(text: str) -> list[tuple[int, int | float]]:
    amounts = find_amounts(text)
    schedule = []
    for amount in amounts:
        year = _YEAR_BESIDE.match(text, amount.end)
        if year is None:
            return []
        schedule.append((int(year["year"]), amount.value))
    distinct = len({year for year, _ in schedule}) == len(schedule)
    return schedule if distinct and len(schedule) >= 2 else []


def _split_by_year(
    drafts: list[_Draft], schedules: list[list[tuple[int, int | float]]]
) -> list[_Draft]:
    """A sum the act grants for several years, that a schedule of the report breaks down by
    year: one grant a year, funding that year."""
    split: list[_Draft] = []
    for draft in drafts:
        schedule = next(
            (s for s in schedules if sum(amount for _, amount in s) == draft.amount), None
        )
        if schedule is None or draft.from_table or not _SEVERAL_YEARS.search(draft.context):
            split.append(draft)
            continue
        split.extend(replace(draft, amount=amount, year=year) for year, amount in schedule)
    return split


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
        return _pole_mention(text[start:end])
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


def _pole_mention(text: str) -> Recipient | None:
    """A pôle named without a preposition ("Le Pôle X bénéficie de ..."), when it is the only one."""
    matches = pole_index().find(text)
    if len({m.id for m in matches}) != 1:
        return None
    match = matches[0]
    prefix = _POLE_PREFIX.search(text[: match.start])
    start = prefix.start() if prefix else match.start
    name = re.sub(r"^(?:l'association|le|la)\s+", "", text[start : match.end], flags=re.IGNORECASE)
    return Recipient(display_name(name), match.id, start, match.end)


def _fallback_recipient(
    draft: _Draft, operative: list[Clause], title_recipients: list[Recipient], report: list[Clause]
) -> Recipient | None:
    """A sum whose clause names nobody: its article's beneficiary, else the title's."""
    article = [c for c in operative if c.article == draft.clause.article and c is not draft.clause]
    for clause in article:
        found = recipients(clause.text) or ([p] if (p := _pole_mention(clause.text)) else [])
        if len(found) == 1:
            return found[0]
    if title_recipients:
        return title_recipients[0]
    return _pole_mention(flatten([c.text for c in report[:40]]))


def _display_name(recipient: Recipient, title_recipients: list[Recipient]) -> str:
    """The beneficiary as the title spells it, when the title names the same one."""
    for candidate in title_recipients:
        if same_beneficiary(candidate.name, recipient.name):
            return candidate.name
    return recipient.name


def _merged(drafts: list[_Draft]) -> list[_Draft]:
    """One draft per grant: a sum restated in a later article is the same grant."""
    kept: list[_Draft] = []
    for draft in drafts:
        twin = next(
            (
                k
                for k in kept
                if k.amount == draft.amount
                and _same_recipient(k, draft)
                and _own_year(k) in (None, _own_year(draft))
                and _own_year(draft) in (None, _own_year(k))
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


def _without_complements(drafts: list[_Draft]) -> list[_Draft]:
    """An amendment grants the new total: the complement that led to it is not a grant of its own."""
    totals = [d for d in drafts if d.new_total]
    return [
        d
        for d in drafts
        if d.new_total
        or not _COMPLEMENT.search(d.before[-80:] + d.after[:40])
        or not any(_same_recipient(d, t) for t in totals)
    ]


def _own_year(draft: _Draft) -> int | None:
    """The year the grant's own clause funds, when it says ("au titre de l'année 2024"), or the
    year written right after its sum ("3 000 euros en 2021")."""
    match = _YEAR_BESIDE.match(draft.after) or _YEAR_RE.search(draft.context)
    return int(match["year"]) if match else None


def _same_recipient(a: _Draft, b: _Draft) -> bool:
    if a.recipient is None or b.recipient is None:
        return True
    return same_beneficiary(a.recipient.name, b.recipient.name)


def _without_totals(drafts: list[_Draft]) -> list[_Draft]:
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


def _allocations(
    draft: _Draft,
    report_drafts: list[_Draft],
    operative: list[Clause],
    count: int,
    hints: Hints,
    report_clauses: list[Clause] | None = None,
) -> list[Allocation]:
    """The split of the grant: stated beside it, else in the report, else in the credits article."""
    if draft.allocations:
        return draft.allocations
    if draft.shares and sum(s["amount_eur"] for s in draft.shares) == draft.amount:
        return merge_shares(draft.shares)
    inline = _inline_charge(draft, hints)
    if inline:
        return single_allocation(inline, draft.amount)
    for twin in report_drafts:
        same = twin.amount == draft.amount and (count == 1 or _same_recipient(twin, draft))
        if same:
            stated = _stated_allocations(twin, hints)
            if stated:
                return stated
    split = _stated_split(draft, operative + (report_clauses or []), hints) if count == 1 else None
    if split:
        return split
    own = _article_charge(draft, operative, hints)
    if own:
        return single_allocation(own, draft.amount)
    charges = {
        c
        for clause in operative
        if _CHARGE_WORDS.search(clause.text) and not find_amounts(clause.text)
        for c in [_credits_charge(clause.text)]
        if c
    }
    if len(charges) == 1:
        return single_allocation(charges.pop(), draft.amount)
    return whole_metropole(draft.amount)


def _inline_charge(draft: _Draft, hints: Hints) -> tuple[str, str] | None:
    """The charge written right after the sum ("de 15.000 €, imputée sur l'Etat Spécial ...")."""
    if re.search(r"imput|charge|sur\s|par\s|inscri", draft.after):
        return charge(draft.after, hints)
    return None


def _stated_allocations(twin: _Draft, hints: Hints) -> list[Allocation]:
    """The split the report states with the same grant: its table row, its shares, its charge."""
    if twin.allocations:
        return twin.allocations
    if twin.shares and sum(s["amount_eur"] for s in twin.shares) == twin.amount:
        return merge_shares(twin.shares)
    inline = _inline_charge(twin, hints)
    return single_allocation(inline, twin.amount) if inline else []


def _article_charge(draft: _Draft, operative: list[Clause], hints: Hints) -> tuple[str, str] | None:
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
        and _CHARGE_WORDS.search(clause.text)
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


def _stated_split(draft: _Draft, clauses: list[Clause], hints: Hints) -> list[Allocation] | None:
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


def _kind(
    draft: _Draft, operative: list[Clause], title: str, report: list[Clause], drafts: list[_Draft]
) -> str:
    """The kind the grant's own words give; else its article's, the title's, the report's when
    they can only speak of this grant."""
    near = draft.kind or _nearest_kind(draft.before) or _first_kind(draft.context)
    if near:
        return near
    if not draft.from_table and _ONE_OFF.search(draft.context):
        return "other"
    if draft.from_table:
        # The articles name the kind of the grants a table lists ("les subventions
        # d'investissement figurant dans le tableau ci-dessus").
        for clause in operative:
            kind = _first_kind(clause.text) if _REFERS_TO_TABLE.search(clause.text) else None
            if kind:
                return kind
    alone_in_article = sum(d.clause.article == draft.clause.article for d in drafts) == 1
    if draft.clause.article and alone_in_article:
        article = " ".join(c.text for c in operative if c.article == draft.clause.article)
        kind = _first_kind(article)
        if kind:
            return kind
    shared = draft.from_table or bool(draft.clause.lead)
    if len(drafts) == 1 or shared:
        kind = _first_kind(f"{draft.clause.lead} {title}")
        if kind:
            return kind
    if len(drafts) == 1:
        for clause in report:
            if _REPORT_KIND_CUES.search(clause.text):
                kind = _first_kind(clause.text)
                if kind:
                    return kind
    return "other"


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


def _funding_year(
    draft: _Draft,
    operative: list[Clause],
    title: str,
    report: list[Clause],
    session_year: int | None,
    amended_history: str = "",
) -> int:
    article = " ".join(
        c.text for c in operative if c.article == draft.clause.article and draft.clause.article
    )
    # The report tells history too ("au cours de l'année 2015"): only its firm phrasings count.
    report_text = flatten([c.text for c in report if not _PAST.search(c.text)])
    if draft.year and not draft.from_table:
        return draft.year  # a year of a schedule
    sources = (
        (draft.after, _YEAR_BESIDE),  # "3 000 euros en 2020, 3 000 euros en 2021"
        (
            draft.after,
            _YEAR_RE,
        ),  # "2 500 euros pour l'année 2021 et de 2 600 euros pour l'année 2022"
        (draft.context, _YEAR_RE),
        (article, _YEAR_RE),
        (" ".join(c.text for c in operative), _YEAR_RE),
        (amended_history, _YEAR_RE),
        (title, _YEAR_RE),
        (report_text, _FIRM_YEAR_RE),
    )
    for text, pattern in sources:
        for match in pattern.finditer(text):
            year = int(match["year"])
            if session_year is None or session_year - 1 <= year <= session_year + 2:
                return year
    return session_year or 0


def _programme_budget(
    draft: _Draft, operative: list[Clause], report: list[Clause], count: int
) -> int | float | None:
    """The beneficiary's own budget, stated beside the grant or where the report presents it."""
    if draft.programme_budget:
        return draft.programme_budget
    texts = [draft.context]
    if count == 1:
        texts += [c.text for c in operative] + [c.text for c in report]
    elif draft.recipient is not None:
        texts += _paragraph_of(report, draft)
    for text in texts:
        for amount in find_amounts(text):
            if amount.value > draft.amount and _is_own_budget(
                text[max(0, amount.start - 120) : amount.start]
            ):
                return amount.value
    return None


def _twin_budget(draft: _Draft, report_drafts: list[_Draft]) -> int | float | None:
    """The budget a report's table gives the same grant ("Budget prévisionnel" column)."""
    for twin in report_drafts:
        if twin.programme_budget and twin.amount == draft.amount and _same_recipient(twin, draft):
            return twin.programme_budget
    return None


def _paragraph_of(report: list[Clause], draft: _Draft) -> list[str]:
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


def _other_subject(text: str, recipient: Recipient) -> bool:
    """Whether a clause proposes another sum or speaks of another pôle."""
    if _PROPOSES.search(text) and find_amounts(text):
        return True
    poles = {m.id for m in pole_index().find(text)}
    return bool(poles) and recipient.pole_id not in poles


def _is_own_budget(before: str) -> bool:
    """Whether the sum ahead is a budget of the beneficiary (not of an event, a project, a work)."""
    match = _BUDGET_BEFORE.search(before)
    if not match:
        return False
    # "L'événement est organisé par ..., pour un budget de": whose budget is said before it too.
    owner = before[max(0, match.start() - 60) : match.start()]
    return not _NOT_OWN_BUDGET.search(match["tail"]) and not _EVENT_OWNER.search(owner)


def _mentions(text: str, recipient: Recipient) -> bool:
    if recipient.pole_id:
        return any(m.id == recipient.pole_id for m in pole_index().find(text))
    return recipient.name.lower() in text.lower()


def _amended_code(document: DocumentText, header: Header) -> str | None:
    """The code of the deliberation this act modifies, cited beside the words that modify it."""
    own = header.deliberation_code
    operative = [c.text for c in split_clauses(document.operative)]
    report = [c.text for c in split_clauses(document.report)]
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
