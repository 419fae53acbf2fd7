"""Batches: input order kept, bad files recorded with their reason, a hanging file cut off."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from reportlab.pdfgen import canvas

from pipelines.parse.batch import parse_files
from tests.conftest import ROOT, SAMPLES

REAL_SAMPLE = SAMPLES / "bm-2019-03-28-eco-024-5567-optitec.pdf"


def slow_pdf(path: Path) -> Path:
    """A valid one-page PDF whose thousands of strokes keep the table finder busy for seconds."""
    drawing = canvas.Canvas(str(path))
    drawing.drawString(100, 800, "Séance du 28 mars 2019 - ECO 024-5567/19/BM")
    for i in range(15000):
        x, y = (i * 7) % 500 + 20, (i * 13) % 700 + 50
        drawing.line(x, y, x + 30, y)
        drawing.line(x, y, x, y + 30)
    drawing.save()
    return path


def test_a_file_that_hangs_is_cut_off_and_the_batch_goes_on(tmp_path: Path) -> None:
    records = list(parse_files([slow_pdf(tmp_path / "slow.pdf"), REAL_SAMPLE], timeout_s=1))
    assert records[0]["status"] == "unreadable"
    assert "cut off" in records[0]["error"]
    assert len(records[0]["sha256"]) == 64
    assert records[1]["status"] == "ok"
    assert records[1]["deliberation_code"] == "ECO 024-5567/19/BM"


def test_bad_files_in_a_batch_keep_their_place(tmp_path: Path) -> None:
    html = tmp_path / "page-503.pdf"
    html.write_bytes(b"<!DOCTYPE html><html><body><h1>503 Service Unavailable</h1></body></html>")
    missing = tmp_path / "missing.pdf"
    records = list(parse_files([html, REAL_SAMPLE, missing, REAL_SAMPLE], jobs=2))
    assert [r["file"] for r in records] == [
        "page-503.pdf",
        REAL_SAMPLE.name,
        "missing.pdf",
        REAL_SAMPLE.name,
    ]
    assert [r["status"] for r in records] == ["unreadable", "ok", "unreadable", "ok"]
    assert "HTML" in records[0]["error"]
    assert "cannot read" in records[2]["error"]


def test_jobs_do_not_change_the_records() -> None:
    files = sorted(SAMPLES.glob("*.pdf"))
    assert list(parse_files(files, jobs=1)) == list(parse_files(files, jobs=2))


def test_command_line_prints_one_json_line_per_file(tmp_path: Path) -> None:
    broken = tmp_path / "cut.pdf"
    broken.write_bytes(REAL_SAMPLE.read_bytes()[:5000])
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipelines.cli",
            "parse",
            str(REAL_SAMPLE),
            str(broken),
            "--jobs",
            "2",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    expected = json.loads(REAL_SAMPLE.with_suffix(".expected.json").read_text(encoding="utf-8"))
    assert first == expected
    assert second["status"] == "unreadable" and "truncated" in second["error"]
