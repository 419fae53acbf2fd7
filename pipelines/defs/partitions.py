"""Years of session: the unit of a backfill (2011, the former Marseille Provence Métropole, on)."""

from __future__ import annotations

import datetime as dt

import dagster as dg

FIRST_YEAR = 2011


def session_years(today: dt.date | None = None) -> list[str]:
    """Every session year from 2011 to next year (December acts fund the next one)."""
    last = (today or dt.date.today()).year + 1
    return [str(year) for year in range(FIRST_YEAR, last + 1)]


SESSION_YEARS = dg.StaticPartitionsDefinition(session_years())
