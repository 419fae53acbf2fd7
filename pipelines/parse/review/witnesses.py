"""Second readings of each field of a grant: where the act's own words contradict the record.

Each check reads, more plainly than the grant reader does, what the act says of one field
(the years it funds, the kinds it names, the budgets it states, the territories it charges,
the pôles it names) and flags a grant whose value those words do not support.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pipelines.parse.allocations import ANY_TERRITORY, CHARGE_WORDS, lead_budget_of
from pipelines.parse.amounts import find_amounts
from pipelines.parse.beneficiaries import pole_of
from pipelines.parse.clauses import PROPOSES, Clause
from pipelines.parse.drafts import same_recipient
from pipelines.parse.grants import (
    ONE_OFF,
    REPORT_KIND_CUES,
    GrantReading,
    kinds_named,
    refers_to_table,
)
from pipelines.parse.header import Header
from pipelines.parse.programme_budget import BudgetStatement, budget_statements, owner_key
from pipelines.parse.review.words import euros, snippet
from pipelines.parse.tables import Row
from pipelines.parse.years import (
    FIRM_YEAR_RE,
    PAST,
    YEAR_BESIDE,
    YEAR_RE,
    firm_report_text,
    own_year,
)
from pipelines.reference import pole_index, territory_index

_ANNOUNCES = re.compile(
    r"attribu\w*\s+(?:d'une?\s+|des\s+|la\s+|les\s+)?(?:subvention|participation|cotisation|aide)"
    r"|(?:subvention|participation\s+financi[èe]re|cotisation|adh[ée]sion)s?\b",
    re.IGNORECASE,
)
_NO_MONEY = re.compile(
    r"sans\s+(?:incidence|contrepartie|impact)\s+financi|[àa]\s+titre\s+gratuit|aucune?\s+"
    r"(?:subvention|incidence|participation|contrepartie)|gracieu"
    # money the Métropole receives or asks for: "perception d'une subvention FEDER"
    r"|perception|percevoir|per[çc]oit|(?:subvention|aide|participation)s?\s+(?:r[ée]gionale|d[ée]partementale"
    r"|europ[ée]enne|FEDER|FSE|de\s+l'[ÉEé]tat)",
    re.IGNORECASE,
)
# A pôle named as the one who labelled, hosts, counts or partners the beneficiary.
_POLE_AS_PARTNER = re.compile(
    r"(?:labellis|membres?|adh[ée]rent|issus?|port[ée]|soutenu|accompagn|partenai|au\s+sein|pilot"
    r"|anim|coordonn|en\s+lien|appui|rattach|li[ée]|affili|agr[ée][ée]|reconnu|g[ée]r[ée]"
    r"|gestionnaire|absorb|int[ée]gr|fusion|rapproch|succ[èe]d|ancien|anciennement|devenu"
    r"|rejoint|regroup|comme|tels?\s+que|notamment|dont)[^.;]{0,60}$"
    r"|(?:entre|avec)[^.;]{0,110}$",
    re.IGNORECASE,
)
_ETS = re.compile(r"[ée]tats?\s+sp[ée]ci|\bE\.?T\.?S\b|conseils?\s+de\s+territoire", re.IGNORECASE)
_PRINCIPAL = re.compile(r"budget\s+principal|\bBP\b", re.IGNORECASE)


def identity_reasons(header: Header) -> list[str]:
    """The act's identity or outcome not read."""
    reasons = []
    gaps = header.missing()
    if gaps:
        reasons.append(f"header_incomplete: {', '.join(gaps)} not found")
    if header.outcome is None:
        reasons.append("outcome_unknown: no vote, withdrawal or rejection found")
    return reasons


def pole_reasons(header: Header, reading: GrantReading) -> list[str]:
    """Pôles named and granted nothing; a beneficiary whose name and pôle disagree."""
    reasons = []
    for grant in reading.grants:
        named = pole_of(grant["beneficiary"])
        if named is not None and named != grant["pole_id"]:
            reasons.append(
                f"pole_unclear: {grant['beneficiary']} names the pôle {named}, "
                f"the grant is read as {grant['pole_id']}"
            )
    if not reading.grants and not reading.unnamed:
        return reasons
    funded = {grant["pole_id"] for grant in reading.grants}
    texts = [header.title or "", *(c.text for c in reading.operative if c.table is None)]
    for text in texts:
        for match in pole_index().find(text):
            before = text[max(0, match.start - 80) : match.start]
            if match.id in funded or _POLE_AS_PARTNER.search(before):
                continue
            funded.add(match.id)  # once per pôle
            reasons.append(
                f"pole_without_grant: {text[match.start : match.end]} named "
                f"(«{snippet(text, match.start, match.end)}») and granted nothing"
            )
    return reasons


def announcement_reasons(header: Header, reading: GrantReading) -> list[str]:
    """A grant announced by the title or the articles, and none found."""
    if reading.grants or reading.unnamed:
        return []
    texts = [header.title or "", *(c.text for c in reading.operative)]
    if any(_NO_MONEY.search(text) for text in texts):
        return []
    for text in texts:
        match = _ANNOUNCES.search(text)
        if match:
            return [f"no_grant_found: «{snippet(text, match.start(), match.end())}»"]
    return []


_ONE_GRANT = re.compile(
    r"\b(?:subvention|participation|cotisation|aide|contribution|adh[ée]sion|dotation|soutien)\b",
    re.IGNORECASE,
)
_SEVERAL_GRANTS = re.compile(
    r"\b(?:subventions|participations|cotisations|aides|contributions|dotations|adh[ée]sions|concours"
    r"|financements|soutiens|(?:deux|trois|quatre|cinq|six|sept|huit|plusieurs|\d)\s+(?:p[ôo]les|b[ée]n[ée]ficiaires"
    r"|associations|structures|entreprises|projets|laur[ée]ats))\b",
    re.IGNORECASE,
)


def count_reasons(header: Header, reading: GrantReading) -> list[str]:
    """More grants than the title announces ("Attribution d'une subvention à X"), unless they
    are one beneficiary's grants a year each."""
    title = header.title or ""
    nouns = len(_ONE_GRANT.findall(title))
    announced = max(nouns, len({m.id for m in pole_index().find(title)})) if nouns else 0
    if not announced or _SEVERAL_GRANTS.search(title) or len(reading.grants) <= announced:
        return []
    grants = reading.grants
    yearly = len({g["beneficiary"] for g in grants}) == 1 and len(
        {g["funding_year"] for g in grants}
    ) == len(grants)
    if yearly:
        return []
    listed = ", ".join(f"{euros(g['amount_eur'])} to {g['beneficiary']}" for g in grants)
    return [
        f"grant_count: the title announces {announced} grant(s), {len(grants)} were read ({listed})"
    ]


def duplicate_reasons(reading: GrantReading) -> list[str]:
    """The same grant twice (one beneficiary, sum, year and kind): read twice, or two grants
    the reading cannot tell apart."""
    seen: set[tuple[object, ...]] = set()
    reasons = []
    for grant in reading.grants:
        key = (grant["beneficiary"], grant["amount_eur"], grant["funding_year"], grant["kind"])
        if key in seen:
            reasons.append(
                f"duplicate_grant: {euros(grant['amount_eur'])} to {grant['beneficiary']} "
                f"for {grant['funding_year']} found twice"
            )
        seen.add(key)
    return reasons


def _proposals(reading: GrantReading) -> list[Clause]:
    """The report's clauses that propose, or split what is proposed (not those that tell what
    was done before)."""
    return [
        c
        for c in reading.report
        if c.table is None
        and not PAST.search(c.text)
        and (PROPOSES.search(c.text) or PROPOSES.search(c.lead) or CHARGE_WORDS.search(c.text))
    ]


def year_reasons(header: Header, reading: GrantReading) -> list[str]:
    """A grant dated a year its own clause does not give, or that the act does not name while
    it names others; dated by default while the act names other years."""
    if not reading.grants or header.session_date is None:
        return []
    session_year = int(header.session_date[:4])
    texts = [header.title or "", *(c.text for c in reading.operative + _proposals(reading))]
    stated = {int(m["year"]) for text in texts for m in YEAR_RE.finditer(text)}
    for text in texts:
        for amount in find_amounts(text):
            beside = YEAR_BESIDE.match(text[amount.end :])
            if beside:
                stated.add(int(beside["year"]))
    # The report's firm phrasings date grants too ("Le programme d'actions 2024 du pôle").
    stated |= {int(m["year"]) for m in FIRM_YEAR_RE.finditer(firm_report_text(reading.report))}
    stated = {y for y in stated if session_year - 1 <= y <= session_year + 2}
    # An amendment funds the year of the act it amends, which the report recalls.
    if reading.amends:
        stated |= {
            int(m["year"])
            for c in reading.report
            if reading.amends in " ".join(c.text.split())
            for m in YEAR_RE.finditer(c.text)
        }
    reasons = []
    for grant, draft, source in zip(reading.grants, reading.drafts, reading.sources, strict=True):
        year = grant["funding_year"]
        label = f"{euros(grant['amount_eur'])} to {grant['beneficiary']} dated {year}"
        own = None if source["year"] == "schedule" else own_year(draft)
        if own is not None and session_year - 1 <= own <= session_year + 2 and own != year:
            reasons.append(f"year_unclear: {label}, its own clause says {own}")
        elif source["year"] == "session" and stated - {year}:
            others = ", ".join(map(str, sorted(stated - {year})))
            reasons.append(
                f"year_unclear: {label} (the session's year) while the act names {others}"
            )
        elif (
            year not in stated and (stated or year != session_year) and source["year"] != "schedule"
        ):
            named = ", ".join(map(str, sorted(stated))) or "none"
            reasons.append(
                f"year_unclear: {label}, a year the act does not name (it names {named})"
            )
    return reasons


def kind_reasons(header: Header, reading: GrantReading) -> list[str]:
    """A grant of another kind than the nearest words that name one: its clause, else its
    article, else the title, else the report's proposal; of kind `other` while they name one
    (unless the grant is a one-off: an event, an exceptional grant)."""
    reasons = []
    title = header.title or ""
    single = len(reading.grants) == 1
    # The report's clauses that name a kind of grant ("subvention de fonctionnement"), past
    # ones too: a complement is of the kind of the grant it adds to.
    report_kinds = " ".join(c.text for c in reading.report if REPORT_KIND_CUES.search(c.text))
    table_articles = " ".join(c.text for c in reading.operative if refers_to_table(c.text))
    for grant, draft in zip(reading.grants, reading.drafts, strict=True):
        article = [
            c.text
            for c in reading.operative
            if draft.clause.article and c.article == draft.clause.article
        ]
        alone = (
            sum(
                d.clause is draft.clause or d.clause.article == draft.clause.article
                for d in reading.drafts
            )
            == 1
        )
        levels = [
            ({draft.kind} if draft.kind else set())
            | kinds_named(draft.before[-80:] + " " + draft.context),
            kinds_named(" ".join(article)) if alone and draft.clause.article else set(),
            kinds_named(table_articles) if draft.from_table else set(),
            kinds_named(f"{draft.clause.lead} {title}")
            if single or draft.clause.lead or draft.from_table
            else set(),
            kinds_named(report_kinds) if single else set(),
        ]
        nearest = next((level for level in levels if level), set())
        kind = grant["kind"]
        label = f"{euros(grant['amount_eur'])} to {grant['beneficiary']} read as {kind}"
        if kind == "other" and ONE_OFF.search(draft.context):
            continue
        if nearest and kind not in nearest:
            reasons.append(
                f"kind_unclear: {label} while the act's words name {', '.join(sorted(nearest))}"
            )
        elif not nearest and kind != "other":
            reasons.append(f"kind_unclear: {label} while the act's words name no kind")
    return reasons


def budget_reasons(reading: GrantReading) -> list[str]:
    """The beneficiary's budget: one not stated where the act speaks of this beneficiary, one
    stated there and none kept, several stated there and none revised. Budgets are found both
    as the reader finds them and more loosely (budget words leading to a sum)."""
    texts = [c.text for c in reading.report + reading.operative if c.table is None]
    strict = budget_statements(texts, reading.drafts)
    loose = budget_statements(texts, reading.drafts, loose=True)
    table_budgets = {t.programme_budget for t in reading.report_drafts if t.from_table}
    groups: dict[str, list[int]] = {}
    for index, grant in enumerate(reading.grants):
        groups.setdefault(grant["pole_id"] or grant["beneficiary"], []).append(index)
    alone = len(groups) == 1
    reasons = []
    for indexes in groups.values():
        grants = [reading.grants[i] for i in indexes]
        drafts = [reading.drafts[i] for i in indexes]
        for grant, draft in zip(grants, drafts, strict=True):
            twins = {
                t.programme_budget
                for t in reading.report_drafts
                if t.from_table
                and t.programme_budget
                and t.amount == grant["amount_eur"]
                and same_recipient(t, draft)
            }
            if twins and grant["programme_budget_eur"] not in twins:
                reasons.append(
                    f"budget_unclear: the report's table gives {label_of(grant)} a budget of "
                    f"{euros(min(twins))}, the record {grant['programme_budget_eur']}"
                )
            if grant["kind"] in ("investment", "membership") and grant["programme_budget_eur"]:
                reasons.append(
                    f"budget_unclear: a {grant['kind']} grant to {grant['beneficiary']} read as a "
                    "share of its budget"
                )
        if any(d.from_table for d in drafts) or all(
            g["kind"] in ("investment", "membership") for g in grants
        ):
            continue
        smallest = min(g["amount_eur"] for g in grants)
        key = owner_key(drafts[0], reading.drafts)
        strict_near = _owned(strict, key, smallest, alone)
        values = {s.value for s in strict_near} | {
            s.value for s in _owned(loose, key, smallest, alone)
        }
        label = grants[0]["beneficiary"]
        for grant in grants:
            kept = grant["programme_budget_eur"]
            if kept is not None and kept not in values | table_budgets:
                reasons.append(
                    f"budget_unclear: {euros(kept)} kept as the budget of {label}, which the act "
                    "does not state where it speaks of it"
                )
        if values and all(g["programme_budget_eur"] is None for g in grants):
            reasons.append(
                f"budget_unclear: a budget of {euros(max(values))} is stated for {label} and none kept"
            )
        strict_values = {s.value for s in strict_near}
        if len(strict_values) > 1 and not any(s.revised for s in strict_near) and len(grants) == 1:
            listed = ", ".join(euros(v) for v in sorted(strict_values))
            reasons.append(f"budget_unclear: several budgets stated ({listed}) for {label}")
    return reasons


def label_of(grant: Mapping[str, Any]) -> str:
    """`60 000 € to Pôle OPTITEC`."""
    return f"{euros(grant['amount_eur'])} to {grant['beneficiary']}"


def _owned(
    statements: list[BudgetStatement], key: str | None, above: float, alone: bool
) -> list[BudgetStatement]:
    """The statements of this beneficiary's budget; for the act's only beneficiary, those not
    named as another's."""
    return [
        s
        for s in statements
        if s.value > above
        and (s.owner == key or (alone and (s.owner is None or not s.named_in_clause)))
    ]


def charge_reasons(reading: GrantReading, tables: list[list[Row]]) -> list[str]:
    """A share charged to a territory the act never charges, or on another budget than the
    act names for it; a grant charged to the Métropole as a whole while the act charges sums
    to territories."""
    texts = [
        (c.text, c.lead)
        for c in reading.operative + _proposals(reading)
        if c.table is None and (CHARGE_WORDS.search(c.text) or find_amounts(c.text))
    ]
    budgets_named: dict[str, set[str]] = {}
    for table in tables:  # a row of one territory: its budget words anywhere in the row
        for row in table:
            line = " | ".join(cell or "" for cell in row)
            named = {m.id for m in territory_index().find(line)}
            if len(named) == 1:
                ets, principal = bool(_ETS.search(line)), bool(_PRINCIPAL.search(line))
                found = budgets_named.setdefault(named.pop(), set())
                if ets != principal:
                    found.add("ets" if ets else "principal")
            else:
                texts.append((line, ""))
    for text, lead in texts:
        sums = find_amounts(text)
        opening = text[: sums[0].start] if sums else ""
        for territory, budget in _territory_budgets(text):
            found = budgets_named.setdefault(territory, set())
            # A list item's budget may be its lead's ("imputée sur le budget principal : - ..."),
            # a share's the one its clause names before the shares.
            budget = budget or lead_budget_of(lead) or lead_budget_of(opening)
            if budget:
                found.add(budget)
    # The credits article's budget for a territory ("imputés sur l'Etat Spécial du Pays d'Aix"),
    # or for each territory ("sur l'Etat Spécial de chaque Territoire").
    for territory, found in budgets_named.items():
        hinted = reading.hints.get(territory) or reading.hints.get(ANY_TERRITORY)
        if hinted:
            found.add(hinted)
    reasons = []
    for grant, source in zip(reading.grants, reading.sources, strict=True):
        label = f"{euros(grant['amount_eur'])} to {grant['beneficiary']}"
        for share in grant["allocations"]:
            territory = share["territory_id"]
            if territory == "metropole":
                if share["budget"] != "principal":
                    reasons.append(
                        f"charge_unclear: {label} charged to the Métropole's {share['budget']}, "
                        "which only a territory has"
                    )
                continue
            if territory not in budgets_named:
                reasons.append(
                    f"charge_unclear: {label} charged to {territory}, a territory the act does not charge"
                )
            elif budgets_named[territory] and share["budget"] not in budgets_named[territory]:
                reasons.append(
                    f"charge_unclear: {label} charged to {territory}/{share['budget']}, the act names "
                    f"its {', '.join(sorted(budgets_named[territory]))}"
                )
            elif not budgets_named[territory] and territory != "marseille-provence":
                reasons.append(
                    f"charge_unclear: {label} charged to {territory}/{share['budget']}, a budget the "
                    "act does not name (taken by default)"
                )
        if source["charge"] == "default":
            charged = [t for t, b in budgets_named.items() if b]
            if charged:
                reasons.append(
                    f"charge_unclear: {label} charged to the Métropole as a whole, yet the act "
                    f"charges sums to {', '.join(sorted(charged))}"
                )
    return reasons


def _territory_budgets(text: str) -> list[tuple[str, str | None]]:
    """Each territory a text names, with the budget its own words give it (`ets`, `principal`,
    or None): the words from the previous territory, sum or cell up to the next."""
    mentions = territory_index().find(text)
    found: list[tuple[str, str | None]] = []
    for index, mention in enumerate(mentions):
        start = mentions[index - 1].end if index else max(0, mention.start - 70)
        end = mentions[index + 1].start if index + 1 < len(mentions) else mention.end + 50
        head, tail = text[start : mention.start], text[mention.end : end]
        head = _HEAD_CUT.split(head)[-1]
        head_sums = find_amounts(head)
        head = head[head_sums[-1].end :] if head_sums else head
        tail = _TAIL_CUT.split(tail)[0]
        tail_sums = find_amounts(tail)
        tail = tail[: tail_sums[0].start] if tail_sums else tail
        window = head + " " + tail
        ets, principal = bool(_ETS.search(window)), bool(_PRINCIPAL.search(window))
        found.append((mention.id, ("ets" if ets else "principal") if ets != principal else None))
    return found


_HEAD_CUT = re.compile(r"\||;")
_TAIL_CUT = re.compile(r"\||;|\s+et\s+|,\s+(?:et\s+)?(?:sur|par|au|à|de)\s")
