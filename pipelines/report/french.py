"""Amounts, dates and labels written the French way (60 000 €, 28 mars 2019)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

# CLDR's French: a narrow no-break space between thousands, a no-break space before the unit,
# so an amount never wraps across two lines.
THOUSANDS = "\u202f"
BEFORE_UNIT = "\u00a0"

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

KINDS = {
    "operating": "fonctionnement",
    "investment": "investissement",
    "membership": "adhésion",
    "other": "autre",
}

BODIES = {"bureau": "Bureau", "conseil": "Conseil"}

PARSE_STATUSES = {
    "ok": "analysés",
    "no_text": "sans texte (scan)",
    "unreadable": "illisibles",
    None: "pas encore analysés",
}


def group_thousands(whole: int) -> str:
    """1234567 -> '1 234 567' (narrow no-break spaces)."""
    sign = "-" if whole < 0 else ""
    return sign + f"{abs(whole):,}".replace(",", THOUSANDS)


def format_eur(amount: Decimal | int | float) -> str:
    """60000 -> '60 000 €'; cents only when there are some: '15 500,50 €'."""
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    whole = int(value)
    cents = abs(value - whole) * 100
    text = group_thousands(whole)
    if value < 0 and whole == 0:
        text = "-0"
    if cents:
        text += f",{int(cents):02d}"
    return f"{text}{BEFORE_UNIT}€"


def format_decimal(value: float, places: int = 1) -> str:
    """2.5 -> '2,5'; a whole number without decimals."""
    rounded = round(value, places)
    if rounded == int(rounded):
        return group_thousands(int(rounded))
    return f"{rounded:.{places}f}".replace(".", ",")


def format_compact_eur(amount: Decimal | int | float) -> str:
    """An axis label: 250000 -> '250 k€', 1500000 -> '1,5 M€', 800 -> '800 €'."""
    value = float(amount)
    if abs(value) >= 1_000_000:
        return f"{format_decimal(value / 1_000_000)}{BEFORE_UNIT}M€"
    if abs(value) >= 1_000:
        return f"{format_decimal(value / 1_000)}{BEFORE_UNIT}k€"
    return f"{format_decimal(value, 0)}{BEFORE_UNIT}€"


def format_percent(share: float) -> str:
    """0.234 -> '23,4 %'."""
    return f"{format_decimal(share * 100)}{BEFORE_UNIT}%"


def format_date(day: dt.date) -> str:
    """2019-03-28 -> '28 mars 2019' ('1er' for the first of the month)."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS[day.month - 1]} {day.year}"


def format_datetime(moment: dt.datetime) -> str:
    """'26 novembre 2026 à 16 h 52' in the moment's own time zone."""
    return f"{format_date(moment.date())} à {moment.hour} h {moment.minute:02d}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'1 document', '13 documents'; French counts 0 and 1 as singular."""
    word = singular if abs(count) < 2 else (plural_form or singular + "s")
    return f"{group_thousands(count)} {word}"
