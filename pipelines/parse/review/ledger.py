"""The act's sums, each given a role: what the articles state that the grants do not explain.

Every sum of the decision part (the articles and their tables) must be a grant, a share of
one, a total of grants, or another sum recognised for what it is (a cost, a budget, another
funder's share, a former amount, a rate, the change between two sums); what the report
proposes must be granted by the articles, split and dated the same way.
"""

from __future__ import annotations

import itertools
import re

from pipelines.parse.allocations import CHARGE_WORDS
from pipelines.parse.amounts import find_amounts, parse_amount
from pipelines.parse.clauses import PROPOSES, Role, RoledAmount, role_amounts
from pipelines.parse.grants import GrantReading
from pipelines.parse.record import Grant
from pipelines.parse.review.words import Number, around, describe, euros
from pipelines.parse.splits import stated_allocations
from pipelines.parse.tables import Row
from pipelines.parse.text import DocumentText
from pipelines.parse.years import PAST, own_year

# A sum recognised for what it is without being a grant, by the words just before it.
_OTHER_BEFORE = re.compile(
    r"(?:co[uû]t|budget|d[ée]penses?|plan\s+de\s+financement|assiette|capital|chiffre\s+d'affaires"
    r"|montant\s+(?:global|total|initial)|enveloppe|autorisation\s+de\s+programme|HT|TTC"
    r"|initialement|pr[ée]c[ée]demment|au\s+lieu\s+de|ancien|d[ée]j[àa]|pr[ée]vu"
    r"|l'[ÉEé]tat|r[ée]gion|d[ée]partement|FEDER|europ[ée]|Bpifrance|\bBPI\b|ADEME|ville\s+de"
    r"|commune|autres?\s+(?:financeurs?|partenaires?|collectivit)|partenaires?|m[ée]c[èe]nes?|sponsors?"
    r"|cofinanc|recettes?|per[çc]\w+"
    r"|apport|fonds\s+propres|autofinancement|acompte|solde|reliquat|avance)"
    r"[^.;]{0,90}$",
    re.IGNORECASE,
)
# A change of a sum: "une augmentation de 20 000 €", "un complément de 15 000 €".
_CHANGE_BEFORE = re.compile(
    r"(?:augment|suppl[ée]mentaire|compl[ée]ment|hausse|majoration|diminu|baisse|r[ée]duction"
    r"|abondement|effort)[^.;]{0,60}$",
    re.IGNORECASE,
)
_PER_UNIT_AFTER = re.compile(
    r"^\s*\)?\s*(?:HT|TTC)?\s*(?:par\s+an|/\s*an|annuels?|mensuels?|par\s+mois"
    r"|par\s+(?:habitant|membre|adh[ée]rent|entreprise|salari[ée]|participant|stagiaire|jour))",
    re.IGNORECASE,
)
_FORMER = re.compile(
    r"(?:port[ée]e?s?|ramen[ée]e?s?|pass[ée]e?s?|modifi[ée]e?s?|augment[ée]e?s?|r[ée]duite?s?)"
    r"\s+de\s*$|\bde\s*$",
    re.IGNORECASE,
)
# A total of something else than grants: a cost, a budget, a plan.
_OTHER_TOTAL = re.compile(
    r"(?:co[uû]t|budget|plan\s+de\s+financement|projet|op[ée]ration|programme|investissement"
    r"|d[ée]penses?\s+(?:subventionnables?|[ée]ligibles?))[^.;]{0,50}(?:total|global)",
    re.IGNORECASE,
)
# A sum proposed for another act: "... soit 35 000 euros, fera l'objet d'une délibération distincte".
_ANOTHER_ACT = re.compile(
    r"d[ée]lib[ée]ration\s+(?:distincte|ult[ée]rieure|sp[ée]cifique|s[ée]par[ée]e)|fera\s+l'objet\s+d'une?\s+"
    r"(?:autre\s+|nouvelle\s+)?d[ée]lib[ée]ration|prochaine\s+s[ée]ance",
    re.IGNORECASE,
)
_TOTAL_BEFORE = re.compile(
    r"(?:total|global|ensemble|cumul|soit|au\s+titre\s+de\s+l'ensemble)[^.;]{0,60}$", re.IGNORECASE
)


def amount_reasons(
    document: DocumentText, tables: list[list[Row]], reading: GrantReading
) -> list[str]:
    """Unnamed grants, unaccounted sums, wrong totals, and the report's disagreements."""
    known = _known_values(reading)
    totals = known | _totals(reading.grants)
    differences = _differences(document)
    reasons = []
    for draft in reading.unnamed:
        if _OTHER_BEFORE.search(draft.before[-60:]):
            continue  # another funder's share, a cost: not granted by this act
        reasons.append(
            f"grant_without_beneficiary: {euros(draft.amount)} in "
            f"«{around(draft.clause.text, draft.amount)}»"
        )
    reasons += _unaccounted(reading, tables, known, totals, differences)
    reasons += _report_disagreements(reading, totals, differences)
    return reasons


def _known_values(reading: GrantReading) -> set[Number]:
    """The sums the grants account for: grants, shares, totals, the beneficiaries' budgets."""
    grants = reading.grants
    known: set[Number] = set()
    for grant in grants:
        known.add(grant["amount_eur"])
        if grant["programme_budget_eur"]:
            known.add(grant["programme_budget_eur"])
        known.update(share["amount_eur"] for share in grant["allocations"])
    # A sum granted for several years at once, broken down by year: the grants of one clause.
    by_clause: dict[int, list[Number]] = {}
    for grant, draft in zip(grants, reading.drafts, strict=True):
        by_clause.setdefault(id(draft.clause), []).append(grant["amount_eur"])
    known.update(sum(amounts) for amounts in by_clause.values())
    known.update(draft.amount for draft in reading.unnamed)  # their own reason says so
    return known


def _totals(grants: list[Grant]) -> set[Number]:
    """Totals an act may state: of all grants, of a kind, of one budget or territory."""
    totals: set[Number] = {sum(g["amount_eur"] for g in grants)}
    groups: dict[tuple[str, object], Number] = {}
    for grant in grants:
        keys: list[tuple[str, object]] = [("kind", grant["kind"]), ("pole", grant["pole_id"])]
        for key in keys:
            groups[key] = groups.get(key, 0) + grant["amount_eur"]
        for share in grant["allocations"]:
            shares: list[tuple[str, object]] = [
                (share["territory_id"], share["budget"]),
                ("budget", share["budget"]),
                ("territory", share["territory_id"]),
            ]
            for key in shares:
                groups[key] = groups.get(key, 0) + share["amount_eur"]
    totals.update(groups.values())
    if len(grants) <= 6:
        amounts = [g["amount_eur"] for g in grants]
        for size in range(2, len(amounts)):
            totals.update(sum(c) for c in itertools.combinations(amounts, size))
    return totals


def _differences(document: DocumentText) -> set[Number]:
    """Every difference between two sums of the act (an increase, a reduction, a balance)."""
    values = sorted({a.value for a in find_amounts(document.full)})[:60]
    return {b - a for a, b in itertools.combinations(values, 2)}


def _unaccounted(
    reading: GrantReading,
    tables: list[list[Row]],
    known: set[Number],
    totals: set[Number],
    differences: set[Number],
) -> list[str]:
    """Sums of the articles (and of the tables grants were read from) that are neither a grant,
    a share, a total (where the act says it states one) nor another known role."""
    reasons = []
    read_tables = {d.clause.table for d in reading.drafts if d.from_table}
    read_tables |= {c.table for c in reading.operative if c.table is not None}
    for index in sorted(t for t in read_tables if t is not None and t < len(tables)):
        reasons += _unaccounted_cells(tables[index], totals)
    for clause in reading.operative:
        if clause.table is not None:
            continue
        for item in role_amounts(clause.text, clause.lead):
            value = item.amount.value
            if value in known:
                continue
            said_total = _TOTAL_BEFORE.search(item.before[-70:])
            credits = CHARGE_WORDS.search(f"{clause.lead} {clause.text}")
            if (said_total or credits) and value in totals:
                continue  # a stated total, or what one budget bears of the grants
            if said_total and not _OTHER_TOTAL.search(item.before[-70:]):
                reasons.append(
                    f"total_mismatch: {euros(value)} stated, the grants found add up to "
                    f"{euros(sum(g['amount_eur'] for g in reading.grants))} "
                    f"(«{around(clause.text, value)}»)"
                )
            elif not _recognised(item, differences):
                reasons.append(
                    f"unaccounted_amount: {euros(value)} in «{around(clause.text, value)}»"
                )
    return reasons


def _unaccounted_cells(rows: list[Row], known: set[Number]) -> list[str]:
    """Sums of a table that no grant, share or total explains; a total row must add up its
    column. A column of former sums ("Pour mémoire : versé en 2015") holds no grant."""
    cleaned = [[" ".join((cell or "").split()) for cell in row] for row in rows]
    header = cleaned[0] if cleaned else []
    former = {i for i, title in enumerate(header) if _FORMER_COLUMN.search(title)}
    reasons = []
    for index, row in enumerate(cleaned):
        is_total = bool(row) and bool(_TOTAL_ROW.match(row[0]))
        for column, text in enumerate(row):
            if not text or column in former or re.fullmatch(r"(?:19|20)\d\d", text):
                continue
            value = parse_amount(text)
            if value is None or value == 0 or value in known:
                continue
            others = [parse_amount(c) for i, c in enumerate(row) if i != column and c]
            if not is_total and value == sum(v for v in others if v):
                continue  # the row's total
            if is_total:
                above = [
                    parse_amount(r[column])
                    for r in cleaned[:index]
                    if column < len(r) and r[column]
                ]
                column_sum = sum(v for v in above if v)
                if value == column_sum:
                    continue
                reasons.append(
                    f"total_mismatch: a table's total row states {euros(value)}, its column adds "
                    f"up to {euros(column_sum)}"
                )
                continue
            reasons.append(
                f"unaccounted_amount: {euros(value)} in a table row «{' | '.join(row)[:120]}»"
            )
    return reasons


_FORMER_COLUMN = re.compile(
    r"rappel|m[ée]moire|pr[ée]c[ée]dent|ant[ée]rieur|\bN\s*-\s*1\b|r[ée]alis[ée]|vers[ée]|attribu[ée]e?s?\s+en\s+20",
    re.IGNORECASE,
)
_TOTAL_ROW = re.compile(r"^(?:sous-)?total\b", re.IGNORECASE)


def _recognised(item: RoledAmount, differences: set[Number], strict: bool = True) -> bool:
    """A sum that is not granted, recognised for what it is: a cost, a budget, another funder's
    share, a former amount, a rate, the change between two sums of the act. `strict` (the
    articles): a sum the clause grants is recognised only as such a change."""
    before = item.before[-110:]
    if _CHANGE_BEFORE.search(before) and item.amount.value in differences:
        return True
    if strict and item.role is Role.GRANT:
        return False
    return bool(
        _OTHER_BEFORE.search(before)
        or (not strict and _CHANGE_BEFORE.search(before))
        or _PER_UNIT_AFTER.match(item.after)
        or (_FORMER.search(before) and re.match(r"^\s*(?:HT|TTC)?\s*[àa]\s", item.after))
        or re.search(r"remplac", item.after[:60], re.IGNORECASE)
    )


def _report_disagreements(
    reading: GrantReading, known: set[Number], differences: set[Number]
) -> list[str]:
    """What the report proposes that the articles do not grant, and grants the report splits or
    dates otherwise."""
    if reading.from_report or not reading.grants:
        return []
    reasons = []
    for clause in reading.report:
        if (
            clause.table is not None
            or not PROPOSES.search(clause.text)
            or PAST.search(clause.text)
            or _ANOTHER_ACT.search(clause.text)
        ):
            continue
        for item in role_amounts(clause.text, clause.lead):
            value = item.amount.value
            if (
                item.role is Role.GRANT
                and value not in known
                and not _recognised(item, differences, strict=False)
            ):
                reasons.append(
                    f"report_disagrees: the report proposes {euros(value)} "
                    f"(«{around(clause.text, value)}»), not granted by the articles"
                )
    for grant, draft in zip(reading.grants, reading.drafts, strict=True):
        for twin in reading.report_drafts:
            if not (
                twin.amount == grant["amount_eur"]
                and twin.recipient is not None
                and draft.recipient is not None
                and (len(reading.grants) == 1 or twin.recipient.pole_id == grant["pole_id"])
                and not PAST.search(twin.clause.text)
            ):
                continue
            split = stated_allocations(twin, reading.hints)
            if split and _split_key(split) != _split_key(grant["allocations"]):
                reasons.append(
                    f"report_disagrees: the report charges {euros(grant['amount_eur'])} "
                    f"{describe(split)}, the record {describe(grant['allocations'])}"
                )
            year = own_year(twin)
            if year and year != grant["funding_year"] and PROPOSES.search(twin.clause.text):
                reasons.append(
                    f"report_disagrees: the report funds year {year} with "
                    f"{euros(grant['amount_eur'])}, the record {grant['funding_year']}"
                )
    return reasons


def _split_key(allocations: list) -> frozenset[tuple[str, str, Number]]:  # type: ignore[type-arg]
    return frozenset((a["territory_id"], a["budget"], a["amount_eur"]) for a in allocations)
