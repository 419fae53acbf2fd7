"""French dates: `28 mars 2019`, `1er juillet 2021`, `jeudi 13 décembre 2018`, `28/03/2019`."""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    "janvier": 1,
    "fevrier": 2,
    "février": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "aout": 8,
    "août": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "decembre": 12,
    "décembre": 12,
}
_WEEKDAY = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
DATE_RE = re.compile(
    rf"(?:{_WEEKDAY}\s+)?(?P<day>1\s*er|\d{{1,2}})\s+(?P<month>{'|'.join(MONTHS)})\s+(?P<year>\d{{4}})"
    r"|(?P<nday>\d{1,2})[/.](?P<nmonth>\d{1,2})[/.](?P<nyear>\d{4})",
    re.IGNORECASE,
)


def date_from_match(match: re.Match[str]) -> dt.date | None:
    """The calendar date a DATE_RE match names, or None when it names no real day."""
    try:
        if match["month"]:
            day = int(re.sub(r"\s*er", "", match["day"], flags=re.IGNORECASE))
            return dt.date(int(match["year"]), MONTHS[match["month"].lower()], day)
        return dt.date(int(match["nyear"]), int(match["nmonth"]), int(match["nday"]))
    except ValueError:
        return None


def parse_french_date(text: str) -> dt.date | None:
    """The first real date written in the text, else None."""
    for match in DATE_RE.finditer(text):
        date = date_from_match(match)
        if date:
            return date
    return None
