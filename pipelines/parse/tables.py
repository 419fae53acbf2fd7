"""Ruled tables of grants -> one row per beneficiary, with its split across territories."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from pipelines.parse.allocations import Hints, charge
from pipelines.parse.amounts import parse_amount
from pipelines.parse.beneficiaries import display_name, pole_of
from pipelines.parse.record import Allocation

Row = list[str | None]

_NAME_HEADER = re.compile(
    r"p[ôo]le|b[ée]n[ée]ficiaire|structure|organisme|association|porteur|nom|entit|attributaire|raison",
    re.IGNORECASE,
)
_AMOUNT_HEADER = re.compile(
    r"montant|subvention|total|cotisation|aide|participation|contribution|€|euros|somme|attribu",
    re.IGNORECASE,
)
_BUDGET_HEADER = re.compile(r"budget|co[uû]t|d[ée]penses", re.IGNORECASE)
_TOTAL_HEADER = re.compile(r"\btotal", re.IGNORECASE)
_TOTAL_ROW = re.compile(r"^(?:sous-)?total\b", re.IGNORECASE)
_EMPTY_CELL = re.compile(r"[-–—/]|0|n[ée]ant|sans\s+objet|s\.?o\.?", re.IGNORECASE)
_CELL_KINDS = (
    ("membership", re.compile(r"\b(?:adh[ée]sion|cotisation)", re.IGNORECASE)),
    ("investment", re.compile(r"\b(?:investissement|[ée]quipement)", re.IGNORECASE)),
    ("operating", re.compile(r"\bfonctionnement", re.IGNORECASE)),
)
_BUDGET_NAMED = re.compile(
    r"[ée]tats?\s+sp[ée]ci(?:al|aux)|\bETS\b|budget\s+principal", re.IGNORECASE
)
_CHARGE_HEADER = re.compile(r"territoire|imputation|budget|financement\s+par", re.IGNORECASE)
_METROPOLE_CELL = re.compile(
    r"^(?:la\s+)?m[ée]tropole(?:\s+aix-marseille-provence)?(?:\s*\(.*\))?$|^budget\s+principal$",
    re.IGNORECASE,
)
_TEXT_HEADER = re.compile(
    r"objet|nature|type|action|programme|ann[ée]e|exercice|intitul", re.IGNORECASE
)


@dataclass
class TableGrant:
    """One row of a table of grants."""

    beneficiary: str
    pole_id: str | None
    amount: int | float
    allocations: list[Allocation] = field(default_factory=list)
    programme_budget: int | float | None = None
    context: str = ""
    kind: str | None = None
    year: int | None = None
    year_column: bool = False  # the year is the column's ("Cotisation 2015"): the grant's own


@dataclass(frozen=True)
class _Columns:
    name: int
    amount: int | None
    shares: list[tuple[int, tuple[str, str]]]
    budget: int | None
    texts: list[int]
    header: str
    charged: int | None = None  # a "Territoire" / "Imputation" column naming each row's charge
    charged_header: str = ""
    yearly: tuple[tuple[int, int], ...] = ()  # ("Cotisation 2014", "Cotisation 2015"): column, year


def table_shares(rows: list[Row], hints: Hints | None = None) -> list[Allocation]:
    """The split of one grant when a table lists territories, not beneficiaries; else []."""
    cleaned = [[_cell(cell) for cell in row] for row in rows if any(_cell(c) for c in row)]
    header_count = _header_rows(cleaned)
    if header_count == 0 or header_count >= len(cleaned):
        return []
    if len(_beneficiary_columns(cleaned, header_count, hints)) > 1:
        return []  # one column per beneficiary: a table of grants, read by table_grants
    header = " ".join(cell for row in cleaned[:header_count] for cell in row)
    shares: list[Allocation] = []
    for row in cleaned[header_count:]:
        label = row[0]
        if re.match(r"^(?:sous-)?total\b", label, re.IGNORECASE):
            continue
        texts = " ".join(cell for cell in row if parse_amount(cell) is None)
        named = cell_charge(label, "", hints) and charge(f"{texts} {header}", hints)
        values = [parse_amount(cell) for cell in row[1:] if cell and parse_amount(cell) is not None]
        if not named or not values:
            return []
        shares.append(Allocation(territory_id=named[0], budget=named[1], amount_eur=values[-1]))  # type: ignore[typeddict-item]
    return shares


def yearly_schedule(rows: list[Row]) -> list[tuple[int, int | float]]:
    """The sums of a schedule by year ("Exercice | Cotisation", "2017 | 3 000 €"); else []."""
    cleaned = [[_cell(cell) for cell in row] for row in rows if any(_cell(c) for c in row)]
    header_count = _header_rows(cleaned)
    if header_count == 0:
        return []
    schedule = []
    for row in cleaned[header_count:]:
        if _TOTAL_ROW.match(row[0]):
            continue
        years = [int(cell) for cell in row if _is_year(cell)]
        sums = [value for cell in row if not _is_year(cell) if (value := parse_amount(cell))]
        if len(years) != 1 or len(sums) != 1:
            return []
        schedule.append((years[0], sums[0]))
    distinct = len({year for year, _ in schedule}) == len(schedule)
    return schedule if distinct and len(schedule) >= 2 else []


def table_grants(rows: list[Row], hints: Hints | None = None) -> list[TableGrant]:
    """The grants a table lists; [] when it is not a table of grants."""
    kept = [row for row in rows if any(_cell(cell) for cell in row)]
    cleaned = [[_cell(cell) for cell in row] for row in kept]
    header_count = _header_rows(cleaned)
    if header_count == 0 or header_count >= len(cleaned):
        return []
    width = max(len(row) for row in cleaned)
    cleaned = [row + [""] * (width - len(row)) for row in cleaned]
    by_column = _column_grants(cleaned, header_count, hints)
    if by_column:
        return by_column
    headers = [" ".join(row[i] for row in cleaned[:header_count]).strip() for i in range(width)]
    raw_headers = [
        "".join((row[i] or "") if i < len(row) else "" for row in kept[:header_count])
        for i in range(width)
    ]
    columns = _columns(headers, raw_headers, cleaned[header_count:], hints)
    if columns is None:
        return []
    grants = []
    for row in cleaned[header_count:]:
        if columns.yearly:
            grants += _yearly_row_grants(row, columns, hints)
            continue
        grant = _row_grant(row, columns, hints)
        if grant:
            grants.append(grant)
    return _merged_split_rows(grants) if columns.charged is not None else grants


def _yearly_row_grants(row: list[str], columns: _Columns, hints: Hints | None) -> list[TableGrant]:
    """A row whose sums stand in one column per year: one grant a year."""
    grants = []
    for index, year in columns.yearly:
        cell = row[index]
        if not cell or _EMPTY_CELL.fullmatch(cell):
            continue
        dated = {i for i, _ in columns.yearly}
        single = [cell if i == index or i not in dated else "" for i, cell in enumerate(row)]
        grant = _row_grant(single, replace(columns, amount=index, yearly=()), hints)
        if grant:
            grant.year, grant.year_column = year, True
            grants.append(grant)
    return grants


def _merged_split_rows(grants: list[TableGrant]) -> list[TableGrant]:
    """Rows of one beneficiary that differ only by the territory they charge ("Eurobiomed |
    Marseille Provence | 50 000", "Eurobiomed | Pays d'Aix | 20 000"): one grant, split."""
    merged: list[TableGrant] = []
    for grant in grants:
        twin = next(
            (
                kept
                for kept in merged
                if kept.context == grant.context
                and kept.allocations
                and len(grant.allocations) == 1
                and not _same_charge(kept.allocations, grant.allocations[0])
            ),
            None,
        )
        if twin is None or not grant.allocations:
            merged.append(grant)
            continue
        twin.amount += grant.amount
        twin.allocations = [*twin.allocations, *grant.allocations]
    return merged


def _same_charge(allocations: list[Allocation], share: Allocation) -> bool:
    return any(
        a["territory_id"] == share["territory_id"] and a["budget"] == share["budget"]
        for a in allocations
    )


def _column_grants(
    rows: list[list[str]], header_count: int, hints: Hints | None
) -> list[TableGrant]:
    """A table whose rows are territories and whose columns are beneficiaries ("Territoire |
    Capenergies | SAFE"): one grant per column, split over the rows."""
    columns = _beneficiary_columns(rows, header_count, hints)
    if len(columns) < 2:
        return []
    grants = []
    for index, name in columns:
        allocations: list[Allocation] = []
        for row in rows[header_count:]:
            named = cell_charge(row[0], "", hints)
            value = parse_amount(row[index]) if named and row[index] else None
            if named and value:
                allocations.append(
                    Allocation(territory_id=named[0], budget=named[1], amount_eur=value)  # type: ignore[typeddict-item]
                )
        if allocations:
            amount = sum(share["amount_eur"] for share in allocations)
            grants.append(
                TableGrant(display_name(name), pole_of(name), amount, allocations, context=name)
            )
    return grants


def _beneficiary_columns(
    rows: list[list[str]], header_count: int, hints: Hints | None
) -> list[tuple[int, str]]:
    """The columns headed by a beneficiary's name, when every row names a territory."""
    body = [row for row in rows[header_count:] if not _TOTAL_ROW.match(row[0])]
    if not body or not all(cell_charge(row[0], "", hints) for row in body):
        return []
    columns = []
    for index in range(1, min(len(row) for row in rows)):
        header = " ".join(row[index] for row in rows[:header_count]).strip()
        cells = [row[index] for row in body if row[index] and not _EMPTY_CELL.fullmatch(row[index])]
        numeric = sum(parse_amount(cell) is not None for cell in cells) > len(cells) / 2
        if numeric and _is_beneficiary_header(header, hints):
            columns.append((index, header))
    return columns


def _is_beneficiary_header(header: str, hints: Hints | None) -> bool:
    generic = (
        _AMOUNT_HEADER,
        _BUDGET_HEADER,
        _BUDGET_NAMED,
        _TEXT_HEADER,
        _CHARGE_HEADER,
        _TOTAL_HEADER,
    )
    return (
        bool(header)
        and header[0].isupper()
        and not any(pattern.search(header) for pattern in generic)
        and not any(cue.search(header) for _, cue in _CELL_KINDS)
        and not _is_year(header)
        and cell_charge(header, "", hints) is None
    )


def _cell(cell: str | None) -> str:
    return " ".join((cell or "").split())


def _header_rows(rows: list[list[str]]) -> int:
    """How many rows at the top hold column titles (no amount in them)."""
    for index, row in enumerate(rows):
        if any(parse_amount(cell) is not None and not _is_year(cell) for cell in row if cell):
            return index
    return 0


def _is_year(cell: str) -> bool:
    return bool(re.fullmatch(r"(?:19|20)\d\d", cell.strip()))


def _rejoinings(cell: str, most_breaks: int = 5) -> Iterator[str]:
    """A wrapped cell's text with each line break read as a space or as nothing (spaces first)."""
    lines = cell.split("\n")
    breaks = len(lines) - 1
    if breaks == 0 or breaks > most_breaks:
        yield cell.replace("\n", "")
        return
    for glue in itertools.product((" ", ""), repeat=breaks):
        yield lines[0] + "".join(g + line for g, line in zip(glue, lines[1:], strict=True))


def _columns(
    headers: list[str], raw_headers: list[str], body: list[list[str]], hints: Hints | None
) -> _Columns | None:
    name = next(
        (
            i
            for i, h in enumerate(headers)
            if _NAME_HEADER.search(h) and not _AMOUNT_HEADER.search(h)
        ),
        None,
    )
    if name is None:
        name = next(
            (
                i
                for i in range(len(headers))
                if all(parse_amount(row[i]) is None for row in body if row[i])
            ),
            None,
        )
    if name is None:
        return None
    shares: list[tuple[int, tuple[str, str]]] = []
    amounts: list[int] = []
    budget = None
    texts: list[int] = []
    for index, header in enumerate(headers):
        if index == name:
            continue
        cells = [row[index] for row in body if row[index] and not _EMPTY_CELL.fullmatch(row[index])]
        numeric = sum(parse_amount(cell) is not None for cell in cells) > len(cells) / 2
        territory = None
        if not _TOTAL_HEADER.search(header):
            # A narrow cell breaks lines between words and inside them ("Istres-Oue" / "st" /
            # "Provence"): each break read as a space or as nothing, until a territory is named.
            territory = charge(header, hints) or next(
                (
                    found
                    for joined in _rejoinings(raw_headers[index])
                    if (found := charge(joined, hints))
                ),
                None,
            )
        if not numeric:
            texts.append(index)
        elif territory:
            shares.append((index, territory))
        elif _BUDGET_HEADER.search(header):
            budget = index
        elif _AMOUNT_HEADER.search(header) or not _TEXT_HEADER.search(header):
            amounts.append(index)
    amount = next(
        (i for i in amounts if _TOTAL_HEADER.search(headers[i])), amounts[-1] if amounts else None
    )
    # Sums in one column per year ("Cotisation 2014 | Cotisation 2015 | Total"): a grant a year.
    dated = [
        (i, int(years[0]))
        for i in amounts
        if not _TOTAL_HEADER.search(headers[i])
        and len(years := re.findall(r"\b(20\d\d)\b", headers[i])) == 1
    ]
    # Only columns that are one series by year: their headers alike but for the year (not
    # "Rappel 2014" beside "Proposition 2015").
    series = {re.sub(r"\b20\d\d\b", "", headers[i]).strip().lower() for i, _ in dated}
    yearly = (
        tuple(dated)
        if len(dated) >= 2 and len(series) == 1 and len({y for _, y in dated}) == len(dated)
        else ()
    )
    if amount is None and not shares:
        return None
    charged = next(
        (
            i
            for i in texts
            if _CHARGE_HEADER.search(headers[i])
            and any(cell_charge(row[i], "", hints) for row in body if row[i])
        ),
        None,
    )
    if charged is not None:
        texts.remove(charged)
    return _Columns(
        name,
        amount,
        shares,
        budget,
        texts,
        " ".join(headers),
        charged,
        headers[charged] if charged is not None else "",
        yearly,
    )


def cell_charge(cell: str, header: str, hints: Hints | None) -> tuple[str, str] | None:
    """The charge a cell names ("Pays d'Aix", "Métropole", "Etat Spécial de Territoire ...")."""
    if _METROPOLE_CELL.match(cell.strip()):
        return "metropole", "principal"
    if _BUDGET_NAMED.search(header):  # a column "Etat Spécial de Territoire": its cells' budget
        return charge(f"{cell} {header}", hints) or charge(cell, hints)
    return charge(cell, hints) or charge(f"{cell} {header}", hints)


def _row_grant(row: list[str], columns: _Columns, hints: Hints | None) -> TableGrant | None:
    name = row[columns.name]
    if not name or re.match(r"^(?:sous-)?total\b", name, re.IGNORECASE):
        return None
    allocations = []
    for index, (territory, budget) in columns.shares:
        value = parse_amount(row[index]) if row[index] else None
        if value:
            allocations.append(Allocation(territory_id=territory, budget=budget, amount_eur=value))  # type: ignore[typeddict-item]
    amount = (
        parse_amount(row[columns.amount])
        if columns.amount is not None and row[columns.amount]
        else None
    )
    if amount is None and allocations:
        amount = sum(share["amount_eur"] for share in allocations)
    if not amount:
        return None
    if allocations and sum(share["amount_eur"] for share in allocations) != amount:
        allocations = []
    if not allocations and columns.charged is not None and row[columns.charged]:
        # A "Budget" column beside the territory ("ETS", "Budget principal") says which budget.
        budgets = [row[i] for i in columns.texts if _BUDGET_NAMED.search(row[i])]
        named = cell_charge(
            row[columns.charged], " ".join([columns.charged_header, *budgets]), hints
        )
        if named:
            allocations = [Allocation(territory_id=named[0], budget=named[1], amount_eur=amount)]  # type: ignore[typeddict-item]
    programme_budget = (
        parse_amount(row[columns.budget])
        if columns.budget is not None and row[columns.budget]
        else None
    )
    cells = " ".join(row[i] for i in columns.texts)
    kind = next((kind for kind, cue in _CELL_KINDS if cue.search(cells)), None)
    years = re.findall(r"\b(20\d\d)\b", cells)
    context = " ".join([columns.header, name, cells])
    return TableGrant(
        display_name(name),
        pole_of(name),
        amount,
        allocations,
        programme_budget,
        context,
        kind,
        int(years[0]) if years else None,
    )
