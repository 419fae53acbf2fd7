"""SYNTHETIC corpus: the layout-free model of one generated deliberation (blocks and footer)."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipelines.parse.record import DeliberationRecord


@dataclass
class Para:
    """A paragraph that wraps to the text width."""

    text: str
    bold: bool = False
    size_delta: float = 0.0
    align: str = "left"  # left | center | right
    indent: float = 0.0
    space_after: float = 6.0
    keep_lines: bool = False  # print each "\n"-separated line as it is (no reflow)


@dataclass
class Table:
    """A ruled table: a header row, body rows, maybe a total row; numeric columns right-aligned."""

    rows: list[list[str]]
    widths: list[float]  # fractions of the text width
    numeric: list[bool]
    total_row: bool = False
    space_after: float = 10.0


@dataclass
class Spacer:
    """Vertical space; `need` starts a new page unless that much room is left (keep together)."""

    height: float
    need: float = 0.0


@dataclass
class PageBreak:
    """Start a new page."""


Block = Para | Table | Spacer | PageBreak


@dataclass
class Footer:
    """What every page repeats at its foot: the prefecture's receipt stamp and the page number."""

    stamp_lines: list[str] = field(default_factory=list)
    page_format: str = "{page}"  # {page} and {pages}


@dataclass
class Document:
    """One generated deliberation: its blocks, footer, PDF metadata and expected record."""

    stem: str
    variation: str
    blocks: list[Block]
    footer: Footer
    font: str
    font_size: float
    pdf_title: str
    record: DeliberationRecord
