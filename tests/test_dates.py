"""French dates as these acts write them."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from pipelines.parse.dates import parse_french_date

MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


@given(
    date=st.dates(min_value=dt.date(2011, 1, 1), max_value=dt.date(2030, 12, 31)),
    weekday=st.booleans(),
    upper=st.booleans(),
)
def test_written_date_parses(date: dt.date, weekday: bool, upper: bool) -> None:
    day = "1er" if date.day == 1 else str(date.day)
    text = f"{day} {MONTHS[date.month - 1]} {date.year}"
    if weekday:
        text = f"{WEEKDAYS[date.weekday()]} {text}"
    text = f"Séance du {text}"
    assert parse_french_date(text.upper() if upper else text) == date


@given(date=st.dates(min_value=dt.date(2011, 1, 1), max_value=dt.date(2030, 12, 31)))
def test_numeric_date_parses(date: dt.date) -> None:
    assert parse_french_date(f"Délibération du {date:%d/%m/%Y}") == date


def test_impossible_dates_are_skipped() -> None:
    assert parse_french_date("31 février 2019 puis 1er mars 2019") == dt.date(2019, 3, 1)
    assert parse_french_date("aucune date ici") is None


@given(st.text(max_size=200))
def test_any_text_never_raises(text: str) -> None:
    parse_french_date(text)
