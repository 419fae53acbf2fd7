"""Run-time values of the suites' parameters: reference ids from the CSVs, today's date."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from pipelines.reference import read_csv


@functools.cache
def _reference_ids() -> dict[str, tuple[str, ...]]:
    territories = read_csv("territories.csv")
    return {
        "pole_ids": tuple(sorted(row["pole_id"] for row in read_csv("poles.csv"))),
        "territory_ids": tuple(sorted(row["territory_id"] for row in territories)),
        "ets_territory_ids": tuple(
            sorted(row["territory_id"] for row in territories if row["ets"] == "true")
        ),
    }


def reference_parameters() -> dict[str, list[str]]:
    """pole_ids, territory_ids and ets_territory_ids, read from pipelines/reference/*.csv."""
    return {name: list(ids) for name, ids in _reference_ids().items()}


# The Métropole's Bureau and Conseil sit about monthly but for the summer: no act for three
# months means the crawl, or the portal, has stopped bringing them.
FRESH_DAYS = 92


def default_parameters(today: dt.date | None = None) -> dict[str, Any]:
    """Every parameter a suite may use: the reference ids, `today` (default: today) and
    `fresh_since` (FRESH_DAYS before today)."""
    today = today or dt.date.today()
    return {
        **reference_parameters(),
        "today": today,
        "fresh_since": today - dt.timedelta(days=FRESH_DAYS),
    }
