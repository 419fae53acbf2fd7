"""French amounts: every way these acts write a sum parses to the same number of euros."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipelines.parse.amounts import find_amounts, number_value, parse_amount


def group(n: int, sep: str) -> str:
    digits = str(n)
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return sep.join(groups)


@given(
    n=st.integers(min_value=1, max_value=999_999_999),
    sep=st.sampled_from([".", " ", "\u00a0", "\u202f", ""]),
    cents=st.sampled_from(["", ",00", ",0"]),
    currency=st.sampled_from([" euros", " €", "€", " EUR", " euros HT", " € TTC", " euro"]),
)
def test_written_amount_parses_to_its_value(n: int, sep: str, cents: str, currency: str) -> None:
    text = f"une subvention de {group(n, sep)}{cents}{currency} est attribuée"
    amounts = find_amounts(text)
    assert [a.value for a in amounts] == [n]
    assert text[amounts[0].start : amounts[0].end].startswith(group(n, sep))


@given(n=st.integers(min_value=0, max_value=99_999), cents=st.integers(min_value=1, max_value=99))
def test_cents_are_kept(n: int, cents: int) -> None:
    assert parse_amount(f"{group(n, ' ')},{cents:02d} €") == round(n + cents / 100, 2)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_any_text_never_raises(text: str) -> None:
    for amount in find_amounts(text):
        assert amount.value >= 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("60.000 euros", [60000]),
        ("60 000 €", [60000]),
        ("60 000,00 €", [60000]),
        ("1.250.000 euros", [1250000]),
        ("1,2 million d'euros", [1200000]),
        ("représentant 6,08 % du budget", []),
        ("programme 2019 60 000 euros", [60000]),
        ("Article 2 : 15.000 euros sur le budget", [15000]),
        ("soit 45.000 euros et 15.000 euros.", [45000, 15000]),
        ("(soixante mille euros)", [60000]),
        ("60 000 € (soixante mille euros)", [60000]),
        ("une subvention de cent cinquante mille euros", [150000]),
        ("un million deux cent cinquante mille euros (1.250.000 €)", [1250000]),
        ("quatre-vingt-dix mille euros", [90000]),
        ("les cinq pôles et leurs deux cents membres", []),
        ("220 membres dont 125 entreprises", []),
        # a point before the two last digits is a decimal mark, never a thousands separator
        ("à hauteur de 1 350 100.00 €", [1350100]),
        ("un solde de 2 450.50 euros", [2450.5]),
        ("8.151.298,30 €", [8151298.3]),
    ],
)
def test_examples(text: str, expected: list[int]) -> None:
    assert [a.value for a in find_amounts(text)] == expected


def test_number_value_rejects_garbage() -> None:
    with pytest.raises(ValueError):
        number_value("abc")
    assert parse_amount("60 000") == 60000  # a table cell under a "Montant (€)" header
    assert parse_amount("Pôle Optitec") is None
