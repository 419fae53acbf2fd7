"""People's corrections: the file format (validated, a bad file kept with its reason) and how
normalisation applies them (pure: frames in, frames out). End to end: tests/test_review.py."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from pipelines.normalise.corrections import Correction, CorrectionFile, apply, read_corrections
from pipelines.normalise.frames import normalise
from pipelines.parse.partitions import ParsedDocument
from tests.conftest import SAMPLES

SAMPLE = SAMPLES / "bm-2019-03-28-eco-024-5567-optitec"
CODE = "ECO 024-5567/19/BM"


def sample_record() -> dict:
    return json.loads(SAMPLE.with_suffix(".expected.json").read_text(encoding="utf-8"))


def entry(**changes: object) -> dict:
    base = {
        "deliberation_code": CODE,
        "sha256": sample_record()["sha256"],
        "verdict": "checked",
        "by": "A. Reviewer",
        "when": "2026-12-06",
        "why": "read it",
    }
    return {**base, **changes}


def write(folder: Path, name: str, content: object) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    text = content if isinstance(content, str) else yaml.safe_dump(content, allow_unicode=True)
    (folder / name).write_text(text, encoding="utf-8")


GRANT = {
    "beneficiary": "Pôle OPTITEC",
    "pole_id": "optitec",
    "kind": "operating",
    "amount_eur": 61000,
    "funding_year": 2019,
    "allocations": [
        {"territory_id": "marseille-provence", "budget": "principal", "amount_eur": 46000},
        {"territory_id": "pays-d-aix", "budget": "ets", "amount_eur": 15000},
    ],
}


def test_files_are_read_and_bad_ones_kept_with_their_reason(tmp_path: Path) -> None:
    folder = tmp_path / "corrections"
    write(folder, "a-good.yaml", entry())
    write(folder, "b-not-yaml.yaml", "deliberation_code: [unclosed")
    write(folder, "c-checked-with-grants.yaml", entry(grants=[GRANT]))
    short = {**GRANT, "allocations": GRANT["allocations"][:1]}
    write(folder, "d-shares.yaml", entry(verdict="corrected", grants=[short]))
    write(folder, "e-unknown-key.yaml", entry(amount=3))
    write(folder, "f-list.yaml", [entry()])
    files = read_corrections(folder, tmp_path)
    assert [f.path for f in files] == [
        "corrections/a-good.yaml",
        "corrections/b-not-yaml.yaml",
        "corrections/c-checked-with-grants.yaml",
        "corrections/d-shares.yaml",
        "corrections/e-unknown-key.yaml",
        "corrections/f-list.yaml",
    ]
    good, *bad = files
    assert good.correction is not None and good.correction.when == dt.date(2026, 12, 6)
    assert all(f.correction is None and f.error for f in bad)
    errors = [f.error or "" for f in bad]
    assert "cannot read corrections/b-not-yaml.yaml" in errors[0]
    assert "no fields, no grants" in errors[1]
    assert "add up to 46000, not 61000" in errors[2]
    assert "amount" in errors[3] and "extra" in errors[3].lower()
    assert "one entry" in errors[4]
    assert read_corrections(tmp_path / "none", tmp_path) == []


def test_a_correction_of_an_unreadable_pdf_makes_it_a_record() -> None:
    failed = {
        "file": "scan.pdf",
        "sha256": "a" * 64,
        "status": "no_text",
        "error": "no text layer",
        "grants": [],
        "review_reasons": None,
        "needs_review": None,
    }
    folder_entry = entry(
        sha256="a" * 64,
        verdict="corrected",
        fields={"deliberation_code": CODE, "session_date": "2019-03-28", "body": "bureau"},
        grants=[GRANT],
    )
    record = apply(failed, Correction.model_validate(folder_entry))
    assert record["status"] == "ok" and record["deliberation_code"] == CODE
    assert record["session_date"] == "2019-03-28" and record["grants"][0]["amount_eur"] == 61000
    assert record["review_reasons"] == ["no_text: no text layer"]


def manifest_and_listing(sha: str) -> tuple[list[dict], list[dict]]:
    url = "http://127.0.0.1/documents/metropole/deliberations/2019/03/28/DECISION/1.pdf"
    manifest = [
        {
            "url": url,
            "card_id": "card",
            "kind": "DECISION",
            "is_act": 1,
            "sha256": sha,
            "state": "ok",
            "fetched_at": "2026-12-06T06:00:00",
        }
    ]
    return manifest, [{"card_id": "card", "session_date": "2019-03-28", "relevant": 1}]


@pytest.mark.parametrize("same_document", [True, False])
def test_normalisation_applies_a_correction_to_its_document_only(same_document: bool) -> None:
    record = sample_record()
    sha = record["sha256"] if same_document else "b" * 64
    record = {**record, "sha256": sha}
    manifest, listing = manifest_and_listing(sha)
    files = [
        CorrectionFile(
            "corrections/x.yaml",
            Correction.model_validate(entry(verdict="corrected", grants=[GRANT])),
        )
    ]
    frames = normalise(manifest, listing, {sha: ParsedDocument(record, "v")}, corrections=files)
    (act,) = frames["deliberations"].to_dicts()
    (grant,) = frames["grants"].to_dicts()
    (state,) = frames["corrections"]["state"].to_list()
    if same_document:
        assert act["review_status"] == "corrected" and not act["needs_review"]
        assert act["correction_file"] == "corrections/x.yaml"
        assert grant["amount_eur"] == 61000 and state == "applied"
    else:
        # Made on another PDF of the act: not applied, and the act waits for a new reading.
        assert act["review_status"] == "awaiting_review" and act["needs_review"]
        assert act["review_reasons"][-1].startswith("correction_stale: A. Reviewer corrected")
        assert grant["amount_eur"] == 60000 and state == "stale"
