"""Golden files: every PDF of the bundled sample, and every corpus variation, parses exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.parse import parse_pdf
from pipelines.parse.batch import parse_files
from tests.conftest import SAMPLES
from tests.synthetic.bad_inputs import generate_bad_inputs
from tests.synthetic.corpus import generate_corpus
from tests.synthetic.variations import VARIATION_NAMES

SAMPLE_PDFS = sorted(SAMPLES.glob("*.pdf"))


def expected_of(pdf: Path) -> dict:
    return json.loads(pdf.with_suffix(".expected.json").read_text(encoding="utf-8"))


def test_the_real_sample_parses_to_its_expected_record() -> None:
    real = SAMPLES / "bm-2019-03-28-eco-024-5567-optitec.pdf"
    assert parse_pdf(real) == expected_of(real)


@pytest.mark.parametrize("pdf", SAMPLE_PDFS, ids=[p.stem for p in SAMPLE_PDFS])
def test_bundled_sample(pdf: Path) -> None:
    assert parse_pdf(pdf) == expected_of(pdf)


@pytest.mark.parametrize("variation", VARIATION_NAMES)
def test_variation(variation: str, tmp_path: Path) -> None:
    """Four documents of one variation, drawn with a seed the parser was not tuned on."""
    pdfs = generate_corpus(
        tmp_path, count=4, seed=20_260 + VARIATION_NAMES.index(variation), variations=[variation]
    )
    for pdf, record in zip(pdfs, parse_files(pdfs), strict=True):
        assert record == expected_of(pdf), pdf.name


def test_bad_inputs_are_recorded_with_their_reason(tmp_path: Path) -> None:
    bad = generate_bad_inputs(tmp_path)
    records = {record["file"]: record for record in parse_files(bad)}
    statuses = {name: (r["status"], r["error"]) for name, r in records.items()}
    assert len(records) == len(bad) >= 5
    for name, record in records.items():
        assert record["status"] in {"no_text", "unreadable"}, statuses
        assert record["error"] and "\n" not in record["error"]
        assert record["grants"] == [] and record["deliberation_code"] is None
        assert len(record["sha256"]) == 64
        expected = expected_of(tmp_path / name)
        assert record["status"] == expected["status"], (name, record["error"])
    assert any("HTML" in error for _, error in statuses.values())
    assert any("encrypted" in error for _, error in statuses.values())
    assert any("truncated" in error for _, error in statuses.values())
