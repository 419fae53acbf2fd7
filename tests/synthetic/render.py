"""SYNTHETIC corpus: lay out a generated deliberation on A4 pages (reportlab canvas, fast)."""

from __future__ import annotations

import io
import os
from functools import cache

import reportlab
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, TableStyle
from reportlab.platypus import Table as RLTable

from tests.synthetic.document import Document, PageBreak, Para, Spacer, Table
from tests.synthetic.french import GLUE

SYNTHETIC_MARK = "SYNTHETIC polefunds test corpus"
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_LEFT = 56.0
MARGIN_RIGHT = 50.0
MARGIN_TOP = 56.0
MARGIN_BOTTOM = 78.0  # room for the footer stamp
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT

# Font families: regular and bold face names.
FONTS = {
    "helvetica": ("Helvetica", "Helvetica-Bold"),
    "times": ("Times-Roman", "Times-Bold"),
    "vera": ("Vera", "VeraBd"),  # embedded TrueType, shipped with reportlab
}


@cache
def _register_vera() -> None:
    """Register reportlab's bundled Bitstream Vera TrueType faces once per process."""
    folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    pdfmetrics.registerFont(TTFont("Vera", os.path.join(folder, "Vera.ttf")))
    pdfmetrics.registerFont(TTFont("VeraBd", os.path.join(folder, "VeraBd.ttf")))


def _faces(font: str) -> tuple[str, str]:
    """The regular and bold face of a font family."""
    if font == "vera":
        _register_vera()
    return FONTS[font]


def wrap(text: str, face: str, size: float, width: float) -> list[str]:
    """Greedy line breaking on spaces; GLUE keeps amounts whole and prints as a space."""
    lines: list[str] = []
    space = pdfmetrics.stringWidth(" ", face, size)
    for source in text.split("\n"):
        words = source.split(" ")
        current: list[str] = []
        current_width = 0.0
        for word in words:
            word_width = pdfmetrics.stringWidth(word.replace(GLUE, " "), face, size)
            extra = word_width if not current else current_width + space + word_width
            if current and extra > width:
                lines.append(" ".join(current))
                current, current_width = [word], word_width
            else:
                current.append(word)
                current_width = extra
        lines.append(" ".join(current))
    return [line.replace(GLUE, " ") for line in lines]


class _Layout:
    """A cursor over pages of a canvas."""

    def __init__(self, canvas: Canvas, doc: Document) -> None:
        """Start on the first page."""
        self.canvas = canvas
        self.doc = doc
        self.regular, self.bold = _faces(doc.font)
        self.y = PAGE_HEIGHT - MARGIN_TOP
        self.page = 1

    def new_page(self) -> None:
        """Close the page and open the next."""
        self.canvas.showPage()
        self.page += 1
        self.y = PAGE_HEIGHT - MARGIN_TOP

    def room(self, height: float) -> None:
        """Open a new page when `height` points do not fit any more."""
        if self.y - height < MARGIN_BOTTOM:
            self.new_page()

    def para(self, block: Para) -> None:
        """Draw a paragraph, line by line, across pages if need be."""
        face = self.bold if block.bold else self.regular
        size = self.doc.font_size + block.size_delta
        leading = size * 1.28
        width = TEXT_WIDTH - block.indent
        if block.keep_lines:
            lines = [line.replace(GLUE, " ") for line in block.text.split("\n")]
        else:
            lines = wrap(block.text, face, size, width)
        canvas = self.canvas
        for line in lines:
            self.room(leading)
            self.y -= leading
            canvas.setFont(face, size)
            x = MARGIN_LEFT + block.indent
            if block.align == "center":
                canvas.drawCentredString(MARGIN_LEFT + TEXT_WIDTH / 2, self.y, line)
            elif block.align == "right":
                canvas.drawRightString(MARGIN_LEFT + TEXT_WIDTH, self.y, line)
            else:
                canvas.drawString(x, self.y, line)
        self.y -= block.space_after

    def table(self, block: Table) -> None:
        """Draw a ruled table; it moves to the next page whole when it does not fit."""
        size = self.doc.font_size - (1.0 if len(block.widths) <= 4 else 1.5)
        cell = ParagraphStyle("cell", fontName=self.regular, fontSize=size, leading=size * 1.2)
        head = ParagraphStyle("head", parent=cell, fontName=self.bold)
        data = []
        last = len(block.rows) - 1
        for r, row in enumerate(block.rows):
            cells: list[object] = []
            for c, text in enumerate(row):
                plain = text.replace(GLUE, " ")
                is_head = r == 0 or (block.total_row and r == last)
                if block.numeric[c] and r > 0:
                    cells.append(plain)
                else:
                    cells.append(Paragraph(_escape(plain), head if is_head else cell))
            data.append(cells)
        widths = [w * TEXT_WIDTH for w in block.widths]
        table = RLTable(data, colWidths=widths, repeatRows=1)
        style = [
            ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("FONT", (0, 0), (-1, -1), self.regular, size),
            ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.88, 0.88, 0.88)),
        ]
        for c, numeric in enumerate(block.numeric):
            if numeric:
                style.append(("ALIGN", (c, 1), (c, -1), "RIGHT"))
        if block.total_row:
            style.append(("FONT", (0, last), (-1, last), self.bold, size))
        table.setStyle(TableStyle(style))
        _, height = table.wrapOn(self.canvas, TEXT_WIDTH, PAGE_HEIGHT)
        self.room(height)
        table.drawOn(self.canvas, MARGIN_LEFT, self.y - height)
        self.y -= height + block.space_after


def _escape(text: str) -> str:
    """Escape the three characters that Paragraph markup reserves."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _footer(canvas: Canvas, doc: Document, page: int, pages: int) -> None:
    """The page number and the prefecture stamp at the foot of a page."""
    regular, _ = _faces(doc.font)
    canvas.setFont(regular, 7)
    y = 62.0
    for line in doc.footer.stamp_lines:
        canvas.drawString(MARGIN_LEFT, y, line)
        y -= 9
    canvas.setFont(regular, 8)
    text = doc.footer.page_format.format(page=page, pages=pages)
    canvas.drawRightString(PAGE_WIDTH - MARGIN_RIGHT, 22, text)


class _FooterCanvas(Canvas):
    """A canvas that knows the page count when it stamps the footers."""

    def __init__(self, *args: object, document: Document, **kwargs: object) -> None:
        """Remember the pages so the footer can say "2 / 5"."""
        super().__init__(*args, **kwargs)
        self._document = document
        self._pages: list[dict[str, object]] = []

    def showPage(self) -> None:
        """Defer the page until the count is known."""
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        """Stamp every page with its footer, then write the file."""
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            _footer(self, self._document, number, total)
            Canvas.showPage(self)
        Canvas.save(self)


def render_pdf(doc: Document, encrypt: object | None = None) -> bytes:
    """The PDF bytes of a generated deliberation (deterministic: invariant dates and ids)."""
    buffer = io.BytesIO()
    canvas = _FooterCanvas(
        buffer,
        pagesize=A4,
        invariant=1,
        pageCompression=1,
        encrypt=encrypt,
        document=doc,
    )
    canvas.setTitle(doc.pdf_title)
    canvas.setSubject(SYNTHETIC_MARK)
    canvas.setKeywords(SYNTHETIC_MARK)
    canvas.setAuthor("polefunds synthetic generator")
    canvas.setCreator("polefunds synthetic generator (SYNTHETIC, not a real deliberation)")
    layout = _Layout(canvas, doc)
    for block in doc.blocks:
        if isinstance(block, Para):
            layout.para(block)
        elif isinstance(block, Table):
            layout.table(block)
        elif isinstance(block, Spacer):
            layout.room(max(block.height, block.need))
            layout.y -= block.height
        elif isinstance(block, PageBreak):
            layout.new_page()
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
