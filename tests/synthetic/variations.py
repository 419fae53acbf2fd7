"""SYNTHETIC corpus: the catalogue of variations, each one kind of deliberation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pipelines.parse.record import Body
from tests.synthetic.amendments import amendment
from tests.synthetic.pole_grants import (
    SingleOptions,
    investment,
    membership,
    other_grant,
    single_pole,
)
from tests.synthetic.session import VASSAL_FROM
from tests.synthetic.tables import table_poles, table_territories
from tests.synthetic.traps import (
    trap_background,
    trap_labelled_company,
    trap_partnership,
    trap_pole_echanges,
    trap_pole_emploi,
    trap_technopole,
)
from tests.synthetic.writer import (
    Draft,
    Writer,
)


@dataclass(frozen=True)
class Variation:
    """A named kind of deliberation and the constraints on its sitting."""

    name: str
    build: Callable[[Writer], Draft]
    body: Body | None = None
    years: tuple[int, int] = (2016, 2025)
    months: tuple[int, ...] | None = None
    subject: str = "eco"
    legacy: bool = False
    outcome: str = "adopted"
    stamp: bool | None = None
    long_pages: bool = False


def _legacy(w: Writer) -> Draft:
    """A 2016-2018 act: one of the common reports, in the old letterhead."""
    builder = w.rng.choice((single_pole, single_pole, table_poles))
    return builder(w)


VARIATIONS: tuple[Variation, ...] = (
    Variation("single-pole-split", lambda w: single_pole(w, SingleOptions(charge="split"))),
    Variation("table-poles", table_poles),
    Variation("amendment", amendment, years=(2017, 2025)),
    Variation("withdrawn", single_pole, outcome="withdrawn"),
    Variation("trap-technopole", trap_technopole),
    Variation("legacy-gaudin", _legacy, years=(2016, 2018), legacy=True),
    Variation("investment", investment),
    Variation(
        "next-year-december",
        lambda w: single_pole(w, SingleOptions(funding_year=w.s.year + 1)),
        years=(2016, 2024),
        months=(12,),
    ),
    Variation("table-territories", table_territories),
    Variation("trap-labelled-company", trap_labelled_company),
    Variation("membership", membership),
    Variation("amount-in-words", lambda w: single_pole(w, SingleOptions(words=True))),
    Variation("single-pole-metropole", lambda w: single_pole(w, SingleOptions(charge="metropole"))),
    Variation("single-pole-territory-ets", lambda w: single_pole(w, SingleOptions(charge="ets"))),
    Variation("conseil", lambda w: w.rng.choice((single_pole, table_poles))(w), body="conseil"),
    Variation("other-grant", other_grant),
    Variation("avenant", lambda w: amendment(w, avenant=True), years=(2017, 2025)),
    Variation("rejected", single_pole, outcome="rejected"),
    Variation(
        "long-stamped",
        lambda w: single_pole(w, SingleOptions(long=True)),
        stamp=True,
        long_pages=True,
    ),
    Variation("trap-pole-echanges", trap_pole_echanges, subject="mobility"),
    Variation("trap-pole-emploi", trap_pole_emploi, years=(2016, 2023), subject="employment"),
    Variation("trap-partnership-no-money", trap_partnership),
    Variation("trap-background-mention", trap_background),
)
VARIATION_NAMES = tuple(v.name for v in VARIATIONS)
BY_NAME = {v.name: v for v in VARIATIONS}
LEGACY_UNTIL = VASSAL_FROM
