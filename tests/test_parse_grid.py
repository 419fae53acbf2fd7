"""Ruled tables read from PDFium's path objects: the same cells as pdfplumber's table finder on
every ruled page of the held-out sets and the sample, rules drawn as thin filled bars read
too, and a page whose rules make no plain grid left to pdfplumber."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from pipelines.parse.grid import IrregularGrid, read_grid_tables
from pipelines.parse.pdf_text import read_pdf
from tests.conftest import FIXTURES, SAMPLES

RULED = sorted([*FIXTURES.glob("heldout*/*.pdf"), *SAMPLES.glob("*.pdf")])


def ruled_pages(pdf: Path) -> list[int]:
    import pypdfium2.raw as pdfium_c

    document = pdfium.PdfDocument(pdf)
    try:
        return [
            i
            for i in range(len(document))
            if sum(1 for _ in document[i].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH])) >= 4
        ]
    finally:
        document.close()


def test_every_ruled_page_reads_as_pdfplumber_reads_it() -> None:
    compared = 0
    for pdf in RULED:
        pages = ruled_pages(pdf)
        if not pages:
            continue
        document = pdfium.PdfDocument(pdf)
        with pdfplumber.open(pdf) as plumber:
            for index in pages:
                grid = [t.rows for t in read_grid_tables(document[index])]
                found = sorted(plumber.pages[index].find_tables(), key=lambda t: t.bbox[1])
                assert grid == [rows for t in found if (rows := t.extract())], (pdf.name, index)
                compared += 1
        document.close()
    assert compared >= 15  # the held-out sets hold that many ruled tables at least


def _page(draw) -> bytes:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setFont("Helvetica", 10)
    canvas.drawString(60, 800, "Article 1 : Sont attribuées les subventions suivantes :")
    draw(canvas)
    canvas.drawString(60, 500, "Cette proposition mise aux voix est adoptée.")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _cells(canvas: Canvas) -> None:
    for x, y, text in [
        (65, 762, "Pôle"),
        (255, 762, "Montant"),
        (65, 737, "Capenergies"),
        (255, 737, "40 000 €"),
        (65, 712, "Eurobiomed"),
        (255, 712, "25 000 €"),
    ]:
        canvas.drawString(x, y, text)


def test_rules_drawn_as_thin_filled_bars() -> None:
    def draw(canvas: Canvas) -> None:
        for y in (780, 755, 730, 705):  # as word processors export borders: filled bars
            canvas.rect(60, y, 300, 0.8, stroke=0, fill=1)
        for x in (60, 250, 360):
            canvas.rect(x, 705, 0.8, 75.8, stroke=0, fill=1)
        _cells(canvas)

    document = pdfium.PdfDocument(_page(draw))
    [table] = read_grid_tables(document[0])
    assert table.rows == [
        ["Pôle", "Montant"],
        ["Capenergies", "40 000 €"],
        ["Eurobiomed", "25 000 €"],
    ]


def test_rules_that_make_no_plain_grid_are_left_to_pdfplumber() -> None:
    def draw(canvas: Canvas) -> None:
        canvas.setLineWidth(0.6)
        for y in (780, 730, 705):
            canvas.line(60, y, 360, y)
        canvas.line(60, 755, 250, 755)  # a rule that stops inside the table
        for x in (60, 250, 360):
            canvas.line(x, 705, x, 780)
        _cells(canvas)

    data = _page(draw)
    with pytest.raises(IrregularGrid):
        read_grid_tables(pdfium.PdfDocument(data)[0])
    content = read_pdf(data)
    assert content.tables, "pdfplumber read the table"
    assert any("40 000 €" in (cell or "") for row in content.tables[0] for cell in row)
    assert any("[[TABLE 0]]" in page for page in content.pages)
