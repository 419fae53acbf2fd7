"""Every sum an act writes, with its line and the part of the act it stands in: what a person
reads to check the parser (`polefunds review show`). Pure: PDF bytes in, lines out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from pipelines.parse.amounts import find_amounts
from pipelines.parse.pdf_text import read_pdf
from pipelines.parse.text import clean_lines, split_zones

# The parts of an act, as the parser splits it (pipelines/parse/text.py), in reading order.
ZONES = (("header", "header"), ("report", "report"), ("visas", "visas"), ("operative", "articles"))


@dataclass(frozen=True)
class SumLine:
    """A line of the act that writes one or more sums."""

    zone: str  # header, report, visas, articles, table
    text: str
    amounts: tuple[Decimal, ...]


def sums_in_context(data: bytes) -> list[SumLine]:
    """The act's lines that write sums, zone by zone, then its tables' rows. Raises the
    parser's UnreadablePdf or NoTextLayer when the PDF cannot be read."""
    content = read_pdf(data)
    document = split_zones(clean_lines(content.pages))
    found: list[SumLine] = []
    for attribute, zone in ZONES:
        found.extend(_lines(zone, getattr(document, attribute)))
    rows = (" | ".join(cell or "" for cell in row) for table in content.tables for row in table)
    found.extend(_lines("table", rows))
    return found


def _lines(zone: str, lines: Iterable[str]) -> list[SumLine]:
    result = []
    for line in lines:
        amounts = tuple(Decimal(str(amount.value)) for amount in find_amounts(line))
        if amounts:
            result.append(SumLine(zone, line.strip(), amounts))
    return result
