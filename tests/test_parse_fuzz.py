"""Fuzzing the text parser: it never raises, and its record always keeps the contract.

Inputs are arbitrary text, and real deliberation texts (the sample's and the held-out sets')
mutated: lines shuffled, cut, duplicated, with amounts, codes and dates inserted.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import get_args

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.parse.record import RECORD_KEYS, Body, Budget, Kind, Outcome
from tests.conftest import FIXTURES, SAMPLES, record_of_text

FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
NULLABLE_TEXT = ("error", "authority", "session_date", "deliberation_code", "reference")
NULLABLE_TEXT += ("title", "amends")


@cache
def real_texts() -> list[list[str]]:
    """The lines of every real or hand-written deliberation text kept with the tests."""
    paths = sorted(SAMPLES.glob("*.txt")) + sorted(FIXTURES.glob("heldout*/*.txt"))
    return [path.read_text(encoding="utf-8").splitlines() for path in paths]


def number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def assert_contract(record: dict) -> None:  # type: ignore[type-arg]
    """The keys and types docs/deliberation-record.md promises."""
    assert tuple(record) == RECORD_KEYS
    assert record["status"] in ("ok", "no_text", "unreadable")
    assert record["file"] == "literal.pdf" and record["sha256"] == "0" * 64
    for key in NULLABLE_TEXT:
        assert record[key] is None or isinstance(record[key], str), key
    assert record["body"] in (None, *get_args(Body))
    assert record["outcome"] in (None, *get_args(Outcome))
    members = record["members_present"]
    assert members is None or (isinstance(members, int) and not isinstance(members, bool))
    if record["session_date"] is not None:
        dt.date.fromisoformat(record["session_date"])
    assert isinstance(record["grants"], list)
    for grant in record["grants"]:
        assert set(grant) == {
            "beneficiary",
            "pole_id",
            "kind",
            "amount_eur",
            "funding_year",
            "programme_budget_eur",
            "allocations",
        }
        assert isinstance(grant["beneficiary"], str)
        assert grant["pole_id"] is None or isinstance(grant["pole_id"], str)
        assert grant["kind"] in get_args(Kind)
        assert number(grant["amount_eur"])
        assert isinstance(grant["funding_year"], int)
        assert grant["programme_budget_eur"] is None or number(grant["programme_budget_eur"])
        for allocation in grant["allocations"]:
            assert set(allocation) == {"territory_id", "budget", "amount_eur"}
            assert isinstance(allocation["territory_id"], str)
            assert allocation["budget"] in get_args(Budget)
            assert number(allocation["amount_eur"])


# What a deliberation is made of, to sprinkle into texts.
AMOUNTS = st.one_of(
    st.integers(0, 10**12).map(lambda n: f"{n:,}".replace(",", " ") + " €"),
    st.integers(0, 10**9).map(lambda n: f"{n:,}".replace(",", ".") + ",00 euros"),
    st.decimals(0, 10**7, places=2).map(lambda d: f"{d} €".replace(".", ",")),
    st.sampled_from(["€", "0 €", "- €", "1 000 000 000 000 000 €", "12 000 euros TTC", "%"]),
)
CODES = st.from_regex(r"[A-Z]{2,5} \d{3}-\d{1,5}/\d{2}/(BM|CM)", fullmatch=True)
DATES = st.one_of(
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)).map(lambda d: f"{d:%d/%m/%Y}"),
    st.sampled_from(["Séance du 31 février 2019", "le 1er janvier 2020", "28 mars 2019"]),
)
WORDS = st.sampled_from(
    [
        "DÉLIBÈRE",
        "ARTICLE 1 :",
        "Est attribuée une subvention de",
        "au Pôle OPTITEC",
        "Pôle Mer Méditerranée",
        "SCS",
        "Territoire Marseille Provence",
        "Conseil de Territoire du Pays d'Aix",
        "Budget principal",
        "Etat Spécial de Territoire",
        "Bureau de la Métropole",
        "Adopté",
        "Retiré",
        "Abroge la délibération",
        "Présents :",
        "Reçu au Contrôle de légalité",
        "Le Président",
        "et",
        ";",
        "•",
    ]
)
FRAGMENTS = st.one_of(AMOUNTS, CODES, DATES, WORDS, st.text(max_size=40))


@st.composite
def mutated_texts(draw: st.DrawFn) -> str:
    """A real text, its lines shuffled, cut, duplicated, with fragments inserted."""
    lines = list(draw(st.sampled_from(real_texts())))
    for _ in range(draw(st.integers(0, 6))):
        action = draw(st.sampled_from(["shuffle", "cut", "duplicate", "insert", "truncate"]))
        if not lines and action != "insert":
            continue
        if action == "shuffle":
            lines = draw(st.permutations(lines))
        elif action == "cut":
            start = draw(st.integers(0, len(lines) - 1))
            del lines[start : start + draw(st.integers(1, 40))]
        elif action == "duplicate":
            start = draw(st.integers(0, len(lines) - 1))
            chunk = lines[start : start + draw(st.integers(1, 20))]
            lines[start:start] = chunk * draw(st.integers(1, 5))
        elif action == "insert":
            at = draw(st.integers(0, len(lines)))
            fragment = " ".join(draw(st.lists(FRAGMENTS, min_size=1, max_size=6)))
            if lines and at < len(lines) and draw(st.booleans()):
                lines[at] = lines[at] + " " + fragment  # inside a line
            else:
                lines.insert(at, fragment)
        else:
            at = draw(st.integers(0, len(lines) - 1))
            cut = draw(st.integers(0, len(lines[at])))
            lines[at] = lines[at][:cut]
    return "\n".join(lines)


def test_real_texts_are_there() -> None:
    texts = real_texts()
    assert len(texts) > 50
    assert any(re.search(r"\d \d{3} €|euros", "\n".join(lines)) for lines in texts)


@FUZZ
@given(st.text(max_size=3000))
def test_arbitrary_text_never_raises_and_keeps_the_contract(text: str) -> None:
    assert_contract(dict(record_of_text(text)))


@FUZZ
@given(st.lists(FRAGMENTS, max_size=60).map("\n".join))
def test_deliberation_like_fragments_never_raise(text: str) -> None:
    assert_contract(dict(record_of_text(text)))


@FUZZ
@given(mutated_texts())
def test_mutated_real_texts_never_raise_and_keep_the_contract(text: str) -> None:
    assert_contract(dict(record_of_text(text)))


def test_the_unmutated_real_texts_parse_ok() -> None:
    for lines in real_texts():
        record = record_of_text("\n".join(lines))
        assert_contract(dict(record))
        assert record["status"] == "ok"
