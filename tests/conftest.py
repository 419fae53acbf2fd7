"""Shared fixtures: paths of the bundled sample and a text-to-record helper."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.parse import parse_content
from pipelines.parse.pdf_text import PdfContent
from pipelines.parse.record import DeliberationRecord

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def record_of_text(text: str, tables: list | None = None) -> DeliberationRecord:
    """The record the parser makes of a text layer (one page), without a PDF."""
    return parse_content(PdfContent(pages=[text], tables=tables or []), "literal.pdf", "0" * 64)


@pytest.fixture
def samples_dir() -> Path:
    return SAMPLES
