"""Ruled tables read from PDFium's own path objects: the rules drawn on a page, the grid they
make, and each cell's text.

pdfplumber's table finder reads a page through pdfminer's layout of every character (about
60 ms a page); the rules are already in the page's path objects, which PDFium lists in
microseconds, and PDFium reads the text inside a box as fast. The grid is read here when it is
a plain one (rows of cells between horizontal rules, columns between vertical ones, cells
spanning columns allowed); a page whose rules make anything else is left to pdfplumber.
"""

from __future__ import annotations

import ctypes
import itertools
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipelines.parse.tables import Row

# Points: rules closer than this are one rule; a rule thinner than this is a line.
_SNAP = 3.0
_THIN = 2.5
_MIN_RULE = 4.0


@dataclass(frozen=True)
class _Rule:
    horizontal: bool
    at: float  # y of a horizontal rule, x of a vertical one (PDF space: y grows upwards)
    start: float
    end: float


@dataclass(frozen=True)
class GridTable:
    """A table read from the rules: its rows of cell texts and its box, measured from the top
    of the page as pdfplumber measures it (x0, top, x1, bottom)."""

    rows: list[Row]
    bbox: tuple[float, float, float, float]


class IrregularGrid(Exception):
    """The rules make something else than a plain grid: let pdfplumber read the page."""


def read_grid_tables(page: pdfium.PdfPage) -> list[GridTable]:
    """The page's ruled tables, top to bottom; [] when it draws none; IrregularGrid when its
    rules cannot be read as plain grids."""
    rules = _merged(_rules(page))
    _width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        tables = [
            _table(group, textpage, height)
            for group in _connected(rules)
            if sum(r.horizontal for r in group) >= 2 and sum(not r.horizontal for r in group) >= 2
        ]
    finally:
        textpage.close()
    return sorted((t for t in tables if t.rows), key=lambda t: t.bbox[1])


def _rules(page: pdfium.PdfPage) -> list[_Rule]:
    rules: list[_Rule] = []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=1):
        left, bottom, right, top = obj.get_bounds()
        if top - bottom <= _THIN and right - left >= _MIN_RULE:  # a thin bar: a rule
            rules.append(_Rule(True, (top + bottom) / 2, left, right))
        elif right - left <= _THIN and top - bottom >= _MIN_RULE:
            rules.append(_Rule(False, (left + right) / 2, bottom, top))
        else:
            rules += _segment_rules(obj)
    return rules


def _segment_rules(obj: pdfium.PdfObject) -> list[_Rule]:
    """The straight, level or upright segments a path draws (lines, rectangles' sides)."""
    matrix = obj.get_matrix()
    a, b, c, d, e, f = matrix.get()
    count = pdfium_c.FPDFPath_CountSegments(obj.raw)
    x, y = ctypes.c_float(), ctypes.c_float()
    points: list[tuple[float, float]] = []
    start: tuple[float, float] | None = None
    rules: list[_Rule] = []
    for index in range(count):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj.raw, index)
        if not pdfium_c.FPDFPathSegment_GetPoint(segment, x, y):
            continue
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO or not points:
            points, start = [point], point
        elif kind == pdfium_c.FPDF_SEGMENT_LINETO:
            rules += _straight(points[-1], point)
            points.append(point)
        else:  # a curve: no rule
            points.append(point)
        if pdfium_c.FPDFPathSegment_GetClose(segment) and start is not None:
            rules += _straight(points[-1], start)
    return rules


def _straight(p: tuple[float, float], q: tuple[float, float]) -> list[_Rule]:
    (x0, y0), (x1, y1) = p, q
    if abs(y0 - y1) < 1 and abs(x1 - x0) >= _MIN_RULE:
        return [_Rule(True, (y0 + y1) / 2, min(x0, x1), max(x0, x1))]
    if abs(x0 - x1) < 1 and abs(y1 - y0) >= _MIN_RULE:
        return [_Rule(False, (x0 + x1) / 2, min(y0, y1), max(y0, y1))]
    return []


def _merged(rules: list[_Rule]) -> list[_Rule]:
    """Rules on one line (within the snap distance) that touch or overlap, joined."""
    merged: list[_Rule] = []
    for horizontal in (True, False):
        ordered = sorted(
            (r for r in rules if r.horizontal is horizontal), key=lambda r: (r.at, r.start)
        )
        lines: list[list[_Rule]] = []
        for rule in ordered:
            if lines and abs(lines[-1][0].at - rule.at) <= _SNAP:
                lines[-1].append(rule)
            else:
                lines.append([rule])
        for line in lines:
            at = sum(r.at for r in line) / len(line)
            spans = sorted((r.start, r.end) for r in line)
            current = list(spans[0])
            for start, end in spans[1:]:
                if start <= current[1] + _SNAP:
                    current[1] = max(current[1], end)
                else:
                    merged.append(_Rule(horizontal, at, current[0], current[1]))
                    current = [start, end]
            merged.append(_Rule(horizontal, at, current[0], current[1]))
    return merged


def _crosses(h: _Rule, v: _Rule) -> bool:
    return h.start - _SNAP <= v.at <= h.end + _SNAP and v.start - _SNAP <= h.at <= v.end + _SNAP


def _connected(rules: list[_Rule]) -> list[list[_Rule]]:
    """Groups of rules that cross each other: one group a table."""
    parent = list(range(len(rules)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, first in enumerate(rules):
        for j in range(i + 1, len(rules)):
            second = rules[j]
            if first.horizontal != second.horizontal:
                h, v = (first, second) if first.horizontal else (second, first)
                if _crosses(h, v):
                    parent[root(i)] = root(j)
    groups: dict[int, list[_Rule]] = {}
    for index, rule in enumerate(rules):
        groups.setdefault(root(index), []).append(rule)
    return list(groups.values())


def _positions(values: list[float]) -> list[float]:
    snapped: list[float] = []
    for value in sorted(values):
        if not snapped or value - snapped[-1] > _SNAP:
            snapped.append(value)
    return snapped


def _table(group: list[_Rule], textpage: pdfium.PdfTextPage, height: float) -> GridTable:
    horizontals = [r for r in group if r.horizontal]
    verticals = [r for r in group if not r.horizontal]
    ys = _positions([r.at for r in horizontals])[::-1]  # top first
    xs = _positions([r.at for r in verticals])
    left, right = xs[0], xs[-1]
    for rule in horizontals:  # every horizontal rule must run from the first column to the last
        if rule.start > left + _SNAP or rule.end < right - _SNAP:
            raise IrregularGrid("a horizontal rule stops inside the table")
    rows: list[Row] = []
    for top, bottom in itertools.pairwise(ys):
        middle = (top + bottom) / 2
        walls = [
            x
            for x in xs
            if any(
                abs(v.at - x) <= _SNAP and v.start - _SNAP <= bottom and v.end + _SNAP >= top
                for v in verticals
            )
        ]
        if not any(v.start <= middle <= v.end for v in verticals):
            raise IrregularGrid("a row without walls")
        if len(walls) < 2 or walls[0] > left + _SNAP or walls[-1] < right - _SNAP:
            raise IrregularGrid("a row not closed on both sides")
        row: Row = [None] * (len(xs) - 1)
        for x0, x1 in itertools.pairwise(walls):
            text = textpage.get_text_bounded(left=x0, bottom=bottom, right=x1, top=top)
            row[xs.index(x0)] = _cell_text(text)
        rows.append(row)
    return GridTable(rows, (left, height - ys[0], right, height - ys[-1]))


def _cell_text(text: str) -> str:
    lines = [
        " ".join(line.split())
        for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    ]
    return "\n".join(line for line in lines if line)
