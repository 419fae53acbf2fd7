"""PDF bytes -> page texts and ruled tables: PDFium for the text layer and the grids, pdfplumber
for the tables whose rules make no plain grid.

The text layer comes from PDFium (about 1 ms a page). On pages that draw enough line segments
to hold a ruled table, the grid is read from PDFium's own path objects and each cell's text
from the box it bounds (`grid`, about 2 ms a page); a page whose rules make anything else is
opened again with pdfplumber, whose table finder reads it (about 60 ms a page). The table's
band is cut out of the page's text and replaced by a marker line, so a table's figures are
read once, from its cells.
"""

from __future__ import annotations

import io
import itertools
import re
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipelines.parse.grid import IrregularGrid, read_grid_tables
from pipelines.parse.tables import Row

# A ruled table needs at least a few strokes; body text pages in these acts draw none.
_MIN_PATHS_FOR_TABLE = 4
# Below this many letters and digits in the whole document, there is no usable text layer.
_MIN_TEXT_CHARS = 20

TABLE_MARKER = "[[TABLE {index}]]"
# The marker as a pattern, its index as group 1.
TABLE_MARKER_RE = re.compile(re.escape(TABLE_MARKER).replace(r"\{index\}", r"(\d+)"))


class UnreadablePdf(Exception):
    """The file is not a PDF we can open: the message says why, in one line."""


class NoTextLayer(Exception):
    """A valid PDF without a text layer (a scan)."""


@dataclass(frozen=True)
class PdfContent:
    """What the parser reads of one PDF."""

    pages: list[str]
    tables: list[list[Row]] = field(default_factory=list)
    page_count: int = 0


def read_pdf(data: bytes) -> PdfContent:
    """Extract page texts and ruled tables, or raise UnreadablePdf / NoTextLayer."""
    _check_envelope(data)
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise UnreadablePdf(_describe_pdfium_error(str(error))) from None
    try:
        pages, table_pages = _page_texts(document)
    finally:
        document.close()
    if sum(ch.isalnum() for text in pages for ch in text) < _MIN_TEXT_CHARS:
        raise NoTextLayer(
            f"no text layer: {len(pages)} page(s) without extractable text (a scanned image?)"
        )
    tables: list[list[Row]] = []
    if table_pages:
        pages = _cut_tables(data, pages, table_pages, tables)
    return PdfContent(pages=pages, tables=tables, page_count=len(pages))


def _check_envelope(data: bytes) -> None:
    """Reject what is plainly not a whole PDF before handing it to PDFium."""
    if not data.strip():
        raise UnreadablePdf("empty file")
    head = data[:1024].lstrip()
    if not head.startswith(b"%PDF-"):
        lowered = head[:512].lower()
        if b"<html" in lowered or b"<!doctype" in lowered or b"<body" in lowered:
            raise UnreadablePdf("not a PDF: an HTML page saved as .pdf (an error page?)")
        raise UnreadablePdf("not a PDF: the file does not start with a %PDF header")
    if b"%%EOF" not in data[-2048:]:
        raise UnreadablePdf(
            f"truncated PDF: no end-of-file marker ({len(data)} bytes, cut short in transfer?)"
        )


def _describe_pdfium_error(message: str) -> str:
    lowered = message.lower()
    if "password" in lowered or "security" in lowered:
        return "encrypted PDF: a password is needed to open it"
    if "format" in lowered or "file" in lowered:
        return f"corrupt PDF: PDFium cannot read its structure ({message.strip()})"
    return f"unreadable PDF: {message.strip()}"


def _page_texts(document: pdfium.PdfDocument) -> tuple[list[str], list[int]]:
    """Every page's text, and the indexes of pages that may hold a ruled table."""
    pages: list[str] = []
    table_pages: list[int] = []
    for index in range(len(document)):
        page = document[index]
        try:
            textpage = page.get_textpage()
            try:
                pages.append(textpage.get_text_range())
            finally:
                textpage.close()
            strokes = page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2)
            if (
                sum(1 for _ in itertools.islice(strokes, _MIN_PATHS_FOR_TABLE))
                >= _MIN_PATHS_FOR_TABLE
            ):
                table_pages.append(index)
        except pdfium.PdfiumError as error:
            raise UnreadablePdf(f"corrupt PDF: page {index + 1} cannot be read ({error})") from None
        finally:
            page.close()
    return pages, table_pages


def _cut_tables(
    data: bytes, pages: list[str], table_pages: list[int], tables: list[list[Row]]
) -> list[str]:
    """Read each ruled table (its grid from PDFium's path objects, or pdfplumber's table finder
    where the rules make no plain grid) and rebuild those pages' text around a marker."""
    pages = list(pages)
    document = pdfium.PdfDocument(data)
    irregular: list[int] = []
    try:
        found_by_page: dict[int, list[tuple[tuple[float, float, float, float], list[Row]]]] = {}
        for index in table_pages:
            page = document[index]
            try:
                found_by_page[index] = [(t.bbox, t.rows) for t in read_grid_tables(page)]
            except IrregularGrid:
                irregular.append(index)
            finally:
                page.close()
        if irregular:
            found_by_page.update(_plumber_tables(data, irregular))
        for index in sorted(found_by_page):
            found = [(bbox, rows) for bbox, rows in found_by_page[index] if rows]
            if not found:
                continue
            pages[index] = _text_around_tables(
                document[index], [bbox for bbox, _ in found], len(tables)
            )
            tables.extend(rows for _, rows in found)
    finally:
        document.close()
    return pages


def _plumber_tables(
    data: bytes, indexes: list[int]
) -> dict[int, list[tuple[tuple[float, float, float, float], list[Row]]]]:
    """pdfplumber's table finder on the pages whose rules make no plain grid."""
    import pdfplumber  # imported here: it costs 0.3 s and most documents never need it

    found: dict[int, list[tuple[tuple[float, float, float, float], list[Row]]]] = {}
    with pdfplumber.open(io.BytesIO(data)) as plumber:
        for index in indexes:
            tables = sorted(plumber.pages[index].find_tables(), key=lambda table: table.bbox[1])
            found[index] = [(table.bbox, table.extract()) for table in tables]
    return found


def _text_around_tables(
    page: pdfium.PdfPage, boxes: list[tuple[float, float, float, float]], first_index: int
) -> str:
    """The page's text band by band, each table band replaced by its marker line."""
    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        parts: list[str] = []
        cursor = 0.0  # distance from the top of the page, as pdfplumber measures it
        for offset, (_, top, _, bottom) in enumerate(boxes):
            if top > cursor:
                parts.append(_band(textpage, width, height, cursor, top))
            parts.append(TABLE_MARKER.format(index=first_index + offset))
            cursor = max(cursor, bottom)
        parts.append(_band(textpage, width, height, cursor, height))
    finally:
        textpage.close()
        page.close()
    return "\n".join(parts)


def _band(
    textpage: pdfium.PdfTextPage, width: float, height: float, top: float, bottom: float
) -> str:
    return textpage.get_text_bounded(left=0, bottom=height - bottom, right=width, top=height - top)
