"""The budget year a grant funds, and sums granted for several years at once."""

from __future__ import annotations

import re
from dataclasses import replace

from pipelines.parse.amounts import find_amounts
from pipelines.parse.clauses import Clause
from pipelines.parse.drafts import Draft
from pipelines.parse.tables import Row, yearly_schedule
from pipelines.parse.text import flatten

YEAR_RE = re.compile(
    r"(?:au\s+titre\s+(?:de\s+l'(?:ann[ée]e|exercice)\s+|de\s+)?|pour\s+l'(?:ann[ée]e|exercice)\s+"
    r"|programmes?\s+d'actions?\s+(?:de\s+l'ann[ée]e\s+|pour\s+)?|ann[ée]e\s+|exercice\s+(?:budg[ée]taire\s+)?"
    r"|cotisations?\s+(?:annuelles?\s+)?(?:pour\s+)?|budget\s+pr[ée]visionnel\s+(?:de\s+l'ann[ée]e\s+)?"
    r"|subvention\s+(?:de\s+fonctionnement\s+)?)(?P<year>20\d\d)(?!\d)",
    re.IGNORECASE,
)


# A year written right after a sum: "3 000 euros en 2020", "3 500 € TTC pour 2019".
YEAR_BESIDE = re.compile(
    r"^\s*(?:HT|TTC|net)?\s*,?\s*(?:en|pour|au\s+titre\s+de)\s+(?:l'(?:ann[ée]e|exercice)\s+)?"
    r"(?P<year>20\d\d)(?!\d)",
    re.IGNORECASE,
)


FIRM_YEAR_RE = re.compile(
    r"(?:au\s+titre\s+(?:de\s+l'(?:ann[ée]e|exercice)\s+|de\s+)|pour\s+l'(?:ann[ée]e|exercice)\s+"
    r"|programmes?\s+d'actions?\s+(?:de\s+l'ann[ée]e\s+|pour\s+)?|budget\s+pr[ée]visionnel\s+)"
    r"(?P<year>20\d\d)(?!\d)",
    re.IGNORECASE,
)


PAST = re.compile(
    r"\bavai(?:t|ent)\b|\b(?:a|ont)\s+(?:d[ée]j[àa]\s+)?(?:[ée]t[ée]\s+)?(?:attribu|allou|accord|vers|soutenu|octroy)"
    r"|pour\s+m[ée]moire|pr[ée]c[ée]dent"
    r"|au\s+cours\s+de\s+l'ann[ée]e|\ben\s+20\d\d\s*,",
    re.IGNORECASE,
)


# A sum stated for several years at once: "cotisations afférentes aux exercices 2017, 2018 et
# 2019, soit 9 500 € au total, selon l'échéancier figurant au rapport".
_SEVERAL_YEARS = re.compile(
    r"[ée]ch[ée]ancier|au\s+total|20\d\d\s*(?:,|et|à|-)\s*20\d\d|p[ée]riode|pluriannuel",
    re.IGNORECASE,
)


def own_year(draft: Draft) -> int | None:
    """The year the grant's own clause funds, when it says ("au titre de l'année 2024"), or the
    year written beside its sum ("3 000 euros en 2021", "la cotisation 2015, de 1 800 euros"),
    or the year of its table column."""
    if draft.year_column:
        return draft.year
    beside = _year_beside(draft)
    if beside:
        return beside
    match = YEAR_RE.search(draft.context)
    return int(match["year"]) if match else None


def _year_beside(draft: Draft) -> int | None:
    """The year written on the sum's own side of its clause: right after it when the clause
    dates its sums that way ("3 000 euros en 2020, 3 500 euros en 2021"), else the last one
    between the previous sum and this one ("la cotisation 2014, de 1 800 euros, et la
    cotisation 2015, de 1 800 euros")."""
    after = YEAR_BESIDE.match(draft.after)
    if after:
        return int(after["year"])
    text = draft.clause.text
    if any(YEAR_BESIDE.match(text[amount.end :]) for amount in find_amounts(text)):
        return None  # this clause writes each year after its sum; this sum has none
    before = list(YEAR_RE.finditer(draft.before))
    return int(before[-1]["year"]) if before else None


def firm_report_text(report: list[Clause]) -> str:
    """The report's clauses that tell no history ("avait attribué", "pour mémoire"): where a
    firm phrasing ("programme d'actions 2024") dates the grant."""
    return flatten([c.text for c in report if not PAST.search(c.text)])


def funding_year(
    draft: Draft,
    operative: list[Clause],
    title: str,
    report: list[Clause],
    session_year: int | None,
    amended_history: str = "",
) -> tuple[int, str]:
    """The budget year the grant funds, and where it was read (`session` when nothing says)."""
    article = " ".join(
        c.text for c in operative if c.article == draft.clause.article and draft.clause.article
    )
    # The report tells history too ("au cours de l'année 2015"): only its firm phrasings count.
    report_text = firm_report_text(report)
    if draft.year and (draft.year_column or not draft.from_table):
        return draft.year, "schedule"
    beside = _year_beside(draft)
    if beside and (session_year is None or session_year - 1 <= beside <= session_year + 2):
        return beside, "beside"
    sources = (
        # "2 500 euros pour l'année 2021 et de 2 600 euros pour l'année 2022"
        ("after", draft.after, YEAR_RE),
        ("clause", draft.context, YEAR_RE),
        ("article", article, YEAR_RE),
        ("articles", " ".join(c.text for c in operative), YEAR_RE),
        ("amended", amended_history, YEAR_RE),
        ("title", title, YEAR_RE),
        ("report", report_text, FIRM_YEAR_RE),
    )
    for name, text, pattern in sources:
        for match in pattern.finditer(text):
            year = int(match["year"])
            if session_year is None or session_year - 1 <= year <= session_year + 2:
                return year, name
    return session_year or 0, "session"


def schedules(report: list[Clause], tables: list[list[Row]]) -> list[list[tuple[int, int | float]]]:
    """The report's schedules of sums by year: a table by year, or "3 000 euros pour 2020,
    3 000 euros pour 2021 et 3 200 euros pour 2022"."""
    found = []
    for clause in report:
        if clause.table is not None:
            rows = tables[clause.table] if clause.table < len(tables) else []
            schedule = yearly_schedule(rows)
        elif not PAST.search(clause.text):  # not what was paid before
            schedule = _text_schedule(clause.text)
        else:
            schedule = []
        if schedule:
            found.append(schedule)
    return found


def _text_schedule(text: str) -> list[tuple[int, int | float]]:
    amounts = find_amounts(text)
    schedule = []
    for amount in amounts:
        year = YEAR_BESIDE.match(text[amount.end :])
        if year is None:
            return []
        schedule.append((int(year["year"]), amount.value))
    distinct = len({year for year, _ in schedule}) == len(schedule)
    return schedule if distinct and len(schedule) >= 2 else []


def split_by_year(
    drafts: list[Draft], schedules: list[list[tuple[int, int | float]]]
) -> list[Draft]:
    """A sum the act grants for several years, that a schedule of the report breaks down by
    year: one grant a year, funding that year."""
    split: list[Draft] = []
    for draft in drafts:
        each = _each_year(draft)
        if each:
            split.extend(replace(draft, year=year) for year in each)
            continue
        named = _years_named(draft.context)
        schedule = next(
            (
                s
                for s in schedules
                if sum(amount for _, amount in s) == draft.amount
                and (not named or {year for year, _ in s} <= named)
            ),
            None,
        )
        if schedule is None or draft.from_table or not _SEVERAL_YEARS.search(draft.context):
            split.append(draft)
            continue
        split.extend(replace(draft, amount=amount, year=year) for year, amount in schedule)
    return split


# The same sum for each of several years: "la cotisation annuelle de 5 500 € au titre de chacune
# des années 2022, 2023 et 2024", "5 000 € par an pour les exercices 2024 à 2026".
_EACH_YEAR = re.compile(
    r"^[^.;€]{0,60}?(?:\bchacune?\s+des\s+(?:ann[ée]es|exercices)\b|\bpar\s+an(?:n[ée]e)?\b"
    r"|\bannuellement\b)[^.;€]*",
    re.IGNORECASE,
)


def _each_year(draft: Draft) -> list[int]:
    """The years a sum is granted for, each, when its clause says so right after it."""
    if draft.from_table:
        return []
    match = _EACH_YEAR.match(draft.after)
    years = sorted(_years_named(match[0])) if match else []
    return years if len(years) >= 2 else []


_YEAR_SPAN = re.compile(r"\b(?P<first>20\d\d)\s*(?:à|-|/)\s*(?P<last>20\d\d)\b")


def _years_named(text: str) -> set[int]:
    """The years a clause names, spans included ("exercices 2017 à 2019" -> 2017, 2018, 2019)."""
    years = {int(year) for year in re.findall(r"\b20\d\d\b", text)}
    for span in _YEAR_SPAN.finditer(text):
        first, last = int(span["first"]), int(span["last"])
        if 0 < last - first <= 10:
            years.update(range(first, last + 1))
    return years
