"""Invariants of the SYNTHETIC corpus generator (the parser's test oracle)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest

from pipelines.parse.record import RECORD_KEYS, Grant
from tests.synthetic import VARIATION_NAMES, generate_bad_inputs, generate_corpus
from tests.synthetic.assemble import build_document
from tests.synthetic.corpus import main, variation_plan
from tests.synthetic.french import french_date, in_words
from tests.synthetic.reference import case_sensitive_aliases, pole_aliases
from tests.synthetic.render import SYNTHETIC_MARK
from tests.synthetic.variations import BY_NAME

SEED = 20240611
POLE_IDS = {
    "optitec",
    "eurobiomed",
    "pole-mer-mediterranee",
    "scs",
    "capenergies",
    "safe",
    "terralia",
    "innov-alliance",
    "aqua-valley",
}
TERRITORY_IDS = {
    "marseille-provence",
    "pays-d-aix",
    "pays-salonais",
    "pays-d-aubagne-et-de-l-etoile",
    "istres-ouest-provence",
    "pays-de-martigues",
    "metropole",
}
GRANT_KEYS = set(Grant.__annotations__)
CODE = re.compile(r"^[A-Z]+ \d{3}-\d{3,5}/(\d\d)/(BM|CM)$")
REFERENCE = re.compile(r"^MET \d\d/\d{4,5}/(BM|CM)$")


def fold(text: str) -> str:
    """Spaces (no-break ones too) folded to one."""
    return " ".join(text.replace("\xa0", " ").split())


def pdf_text(path: Path) -> str:
    """The folded text layer of every page."""
    document = pdfium.PdfDocument(path)
    try:
        return fold("\n".join(page.get_textpage().get_text_range() for page in document))
    finally:
        document.close()


def load(path: Path) -> dict[str, Any]:
    """The expected record beside a PDF."""
    return json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Two full cycles of the variations and a few more."""
    out = tmp_path_factory.mktemp("corpus")
    return generate_corpus(out, 2 * len(VARIATION_NAMES) + 4, SEED, workers=1)


@pytest.fixture(scope="module")
def bad_inputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The five inputs the parser must refuse."""
    return generate_bad_inputs(tmp_path_factory.mktemp("bad"))


def test_expected_json_has_exactly_the_contract_keys_and_types(corpus: list[Path]) -> None:
    """Every key of the contract, in order, with its type and allowed values."""
    for path in corpus:
        record = load(path)
        assert tuple(record) == RECORD_KEYS, path.name
        assert record["file"] == path.name
        assert record["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert record["status"] == "ok" and record["error"] is None
        assert record["authority"] == "metropole-aix-marseille-provence"
        assert record["body"] in ("bureau", "conseil")
        session = dt.date.fromisoformat(record["session_date"])
        match = CODE.match(record["deliberation_code"])
        assert match, record["deliberation_code"]
        assert int(match.group(1)) == session.year % 100
        assert match.group(2) == {"bureau": "BM", "conseil": "CM"}[record["body"]]
        assert record["reference"] is None or REFERENCE.match(record["reference"])
        assert isinstance(record["title"], str) and record["title"] == fold(record["title"])
        assert record["outcome"] in ("adopted", "rejected", "withdrawn")
        members = record["members_present"]
        assert members is None or (isinstance(members, int) and 20 <= members <= 240)
        assert record["amends"] is None or CODE.match(record["amends"])
        assert record["amends"] != record["deliberation_code"]
        assert isinstance(record["grants"], list)
        for grant in record["grants"]:
            assert set(grant) == GRANT_KEYS
            assert isinstance(grant["beneficiary"], str) and grant["beneficiary"]
            assert grant["pole_id"] is None or grant["pole_id"] in POLE_IDS
            assert grant["kind"] in ("operating", "investment", "membership", "other")
            assert isinstance(grant["amount_eur"], int) and grant["amount_eur"] > 0
            assert session.year <= grant["funding_year"] <= session.year + 1 or (
                record["amends"] and grant["funding_year"] == session.year - 1
            )
            budget = grant["programme_budget_eur"]
            assert budget is None or (isinstance(budget, int) and budget > grant["amount_eur"])
            assert grant["allocations"]
            for item in grant["allocations"]:
                assert set(item) == {"territory_id", "budget", "amount_eur"}
                assert item["territory_id"] in TERRITORY_IDS
                assert item["budget"] in ("principal", "ets")
                assert isinstance(item["amount_eur"], int) and item["amount_eur"] > 0
                if item["territory_id"] == "metropole":
                    assert item["budget"] == "principal"


def test_allocations_add_up_to_the_grant(corpus: list[Path]) -> None:
    """The charges of a grant sum to its amount, one per territory and budget."""
    for path in corpus:
        for grant in load(path)["grants"]:
            total = sum(item["amount_eur"] for item in grant["allocations"])
            assert total == grant["amount_eur"], path.name
            keys = [(a["territory_id"], a["budget"]) for a in grant["allocations"]]
            assert len(keys) == len(set(keys))
            if ("metropole", "principal") in keys:
                assert len(keys) == 1


def test_every_pdf_opens_and_prints_its_code_date_and_grants(corpus: list[Path]) -> None:
    """The text layer holds the code, the date, the title and each grant's sums."""
    for path in corpus:
        record = load(path)
        text = pdf_text(path)
        assert record["deliberation_code"] in text, path.name
        assert french_date(dt.date.fromisoformat(record["session_date"])) in text
        assert record["title"] in text
        if record["reference"]:
            assert record["reference"] in text
        else:
            assert not re.search(r"\bMET \d\d/\d+/(BM|CM)", text)
        if record["members_present"] is not None:
            assert f"ont été présents {record['members_present']} membres" in text
        else:
            assert "ont été présents" not in text and "Etaient présents" not in text
        if record["amends"]:
            assert record["amends"] in text
        for grant in record["grants"]:
            assert grant["beneficiary"] in text
            for value in [grant["amount_eur"]] + [a["amount_eur"] for a in grant["allocations"]]:
                spellings = {f"{value:,}".replace(",", sep) for sep in (".", " ")}
                assert any(s in text for s in spellings), (path.name, value)
            if grant["funding_year"] != int(record["session_date"][:4]):
                assert str(grant["funding_year"]) in text


def test_pdf_metadata_says_synthetic(corpus: list[Path]) -> None:
    """Subject and Keywords of every generated PDF flag it as SYNTHETIC."""
    for path in corpus[:5]:
        document = pdfium.PdfDocument(path)
        metadata = document.get_metadata_dict()
        document.close()
        assert metadata["Subject"] == SYNTHETIC_MARK
        assert metadata["Keywords"] == SYNTHETIC_MARK


def test_pole_ids_match_the_names_written(corpus: list[Path]) -> None:
    """A pôle grant names an alias of its pôle; any other beneficiary names none."""
    aliases = [(a, p) for p, names in pole_aliases().items() for a in names]
    sensitive = case_sensitive_aliases()

    def named(beneficiary: str) -> set[str]:
        found = set()
        for alias, pole_id in aliases:
            if alias in sensitive:
                if re.search(rf"\b{re.escape(alias)}\b", beneficiary):
                    found.add(pole_id)
            elif alias.lower() in beneficiary.lower():
                found.add(pole_id)
        return found

    for path in corpus:
        for grant in load(path)["grants"]:
            if grant["pole_id"] is None:
                assert not named(grant["beneficiary"]), grant["beneficiary"]
            else:
                assert named(grant["beneficiary"]) == {grant["pole_id"]}, grant["beneficiary"]


def test_same_seed_same_bytes_other_seed_other_corpus(tmp_path: Path) -> None:
    """Determinism for a seed (bytes and records), variety across seeds."""
    first = generate_corpus(tmp_path / "a", 6, 99, workers=1)
    second = generate_corpus(tmp_path / "b", 6, 99, workers=1)
    other = generate_corpus(tmp_path / "c", 6, 100, workers=1)
    assert [p.name for p in first] == [p.name for p in second]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes()
        assert load(a) == load(b)
    assert [p.name for p in first] != [p.name for p in other]


def test_parallel_generation_matches_serial(tmp_path: Path) -> None:
    """Worker processes write the same files as a single process."""
    serial = generate_corpus(tmp_path / "serial", 4, 5, workers=1)
    parallel = generate_corpus(tmp_path / "parallel", 4, 5, workers=2)
    assert [p.read_bytes() for p in serial] == [p.read_bytes() for p in parallel]


def test_stems_are_unique_and_named_like_the_sample(corpus: list[Path]) -> None:
    """bm-2019-03-28-eco-024-5567-optitec: body, date, code, subject; never twice."""
    stems = [p.stem for p in corpus]
    assert len(stems) == len(set(stems))
    for path in corpus:
        record = load(path)
        sigle = {"bureau": "bm", "conseil": "cm"}[record["body"]]
        assert path.stem.startswith(f"{sigle}-{record['session_date']}-")


def _has(predicate: Callable[[dict[str, Any]], bool]) -> Callable[[dict[str, Any]], bool]:
    """Name a predicate on a record (readability of the table below)."""
    return predicate


def _poles(record: dict[str, Any]) -> set[str | None]:
    return {g["pole_id"] for g in record["grants"]}


CHARACTER: dict[str, Callable[[dict[str, Any]], bool]] = {
    "single-pole-split": _has(lambda r: len(r["grants"][0]["allocations"]) >= 2),
    "table-poles": _has(lambda r: len(r["grants"]) >= 2 and None not in _poles(r)),
    "amendment": _has(lambda r: r["amends"] is not None),
    "withdrawn": _has(lambda r: r["outcome"] == "withdrawn" and len(r["grants"]) == 1),
    "trap-technopole": _has(lambda r: _poles(r) == {None} and "Technopôle" in r["title"]),
    "legacy-gaudin": _has(lambda r: r["session_date"] < "2018-09-20"),
    "investment": _has(lambda r: r["grants"][0]["kind"] == "investment"),
    "next-year-december": _has(
        lambda r: (
            r["session_date"][5:7] == "12"
            and r["grants"][0]["funding_year"] == int(r["session_date"][:4]) + 1
        )
    ),
    "table-territories": _has(
        lambda r: (
            len(r["grants"]) >= 2
            and any(a["budget"] == "ets" for g in r["grants"] for a in g["allocations"])
        )
    ),
    "trap-labelled-company": _has(lambda r: _poles(r) == {None} and "labellisé" in r["title"]),
    "membership": _has(lambda r: r["grants"][0]["kind"] == "membership"),
    "amount-in-words": _has(lambda r: len(r["grants"]) == 1),
    "single-pole-metropole": _has(
        lambda r: [a["territory_id"] for a in r["grants"][0]["allocations"]] == ["metropole"]
    ),
    "single-pole-territory-ets": _has(
        lambda r: [a["budget"] for a in r["grants"][0]["allocations"]] == ["ets"]
    ),
    "conseil": _has(lambda r: r["body"] == "conseil"),
    "other-grant": _has(lambda r: r["grants"][0]["kind"] == "other"),
    "avenant": _has(lambda r: r["amends"] is not None and "venant" in r["title"]),
    "rejected": _has(lambda r: r["outcome"] == "rejected"),
    "long-stamped": _has(lambda r: len(r["grants"]) == 1),
    "trap-pole-echanges": _has(lambda r: "changes" in r["title"] and _poles(r) <= {None}),
    "trap-pole-emploi": _has(lambda r: r["grants"][0]["beneficiary"] == "Pôle emploi"),
    "trap-partnership-no-money": _has(lambda r: r["grants"] == []),
    "trap-background-mention": _has(lambda r: _poles(r) <= {None}),
}


def test_every_variation_is_cycled_and_shows_its_feature() -> None:
    """Any count >= the number of variations covers them all; each builds what it says."""
    assert set(CHARACTER) == set(VARIATION_NAMES)
    assert set(variation_plan(len(VARIATION_NAMES), None)) == set(VARIATION_NAMES)
    assert variation_plan(3, ["withdrawn", "rejected"]) == ["withdrawn", "rejected", "withdrawn"]
    for name in VARIATION_NAMES:
        for index in range(6):
            record = build_document(index, SEED, BY_NAME[name]).record
            assert CHARACTER[name](record), (name, index, record["title"])


def test_amount_in_words_and_stamp_really_printed(tmp_path: Path) -> None:
    """The words variation spells the sum; the stamped one carries the prefecture receipt."""
    (words,) = generate_corpus(tmp_path, 1, 3, ["amount-in-words"], workers=1)
    text = pdf_text(words)
    assert f"({in_words(load(words)['grants'][0]['amount_eur'])} euros)" in text
    (stamped,) = generate_corpus(tmp_path, 1, 3, ["long-stamped"], workers=1)
    document = pdfium.PdfDocument(stamped)
    pages = len(document)
    document.close()
    assert pages >= 2
    assert pdf_text(stamped).count("Accusé de réception en préfecture 013-200054807-") == pages


def test_bad_inputs_fail_to_open_or_have_no_text(bad_inputs: list[Path]) -> None:
    """Unreadable ones do not open; the scan opens with no text; records say so."""
    assert len(bad_inputs) == 5
    for path in bad_inputs:
        record = load(path)
        assert tuple(record) == RECORD_KEYS
        assert record["file"] == path.name
        assert record["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert isinstance(record["error"], str) and record["error"]
        assert record["grants"] == []
        others = set(RECORD_KEYS) - {"file", "sha256", "status", "error", "grants"}
        assert all(record[key] is None for key in others)
        if record["status"] == "unreadable":
            with pytest.raises(pdfium.PdfiumError):
                pdfium.PdfDocument(path)
        else:
            assert record["status"] == "no_text"
            document = pdfium.PdfDocument(path)
            assert len(document) >= 1
            document.close()
            assert pdf_text(path) == ""


def test_cli_writes_corpus_and_bad_inputs(tmp_path: Path) -> None:
    """python -m tests.synthetic.corpus --out DIR --count N --seed S --bad-inputs."""
    argv = ["--out", str(tmp_path), "--count", "2", "--seed", "7", "--bad-inputs"]
    argv += ["--variation", "table-poles", "--workers", "1"]
    assert main(argv) == 0
    assert len(list(tmp_path.glob("*.pdf"))) == 7
    assert len(list(tmp_path.glob("*.expected.json"))) == 7


def test_a_foreign_file_is_never_overwritten(tmp_path: Path) -> None:
    """A real document already at a generated stem is kept; the synthetic one is renamed."""
    stem = build_document(0, 11, BY_NAME["withdrawn"]).stem
    real = tmp_path / f"{stem}.pdf"
    real.write_bytes(b"%PDF-1.4 a real deliberation")
    (written,) = generate_corpus(tmp_path, 1, 11, ["withdrawn"], workers=1)
    assert real.read_bytes() == b"%PDF-1.4 a real deliberation"
    assert written.name == f"{stem}-2.pdf"
    assert load(written)["file"] == written.name
