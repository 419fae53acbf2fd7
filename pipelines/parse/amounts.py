"""French amounts of money: `60.000 euros`, `60 000 €`, `60 000,00 €`, `1,2 million d'euros`."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Thousands are grouped by a dot or a (non-breaking) space; a comma is the decimal mark, or a
# point before the two last digits ("1 350 100.00 €": a point never groups two digits).
_NUMBER = (
    r"(?<![\d.,])(?:\d{1,3}(?:[.\u00a0\u202f ]\d{3})+|\d+)(?:,\d{1,2}(?!\d)|\.\d{2}(?![\d.,]))?"
)
_CURRENCY = r"(?:euros?|€|EUR\b|eur\b)"
_MILLION = r"(?:millions?|M)\s*(?:d['’]\s*euros?|€|EUR\b)"

AMOUNT_RE = re.compile(
    rf"(?:(?P<number>{_NUMBER})\s*(?:(?P<million>{_MILLION})|(?P<currency>{_CURRENCY}))"
    # The sign before the figures: "€ 60.000", "EUR 60 000".
    rf"|(?:€|\bEUR\b)\s?(?P<prefixed>{_NUMBER})(?!\s*(?:%|{_CURRENCY})))"
    r"(?:\s*(?:HT|TTC|hors taxes|net de taxe)\b)?",
    re.IGNORECASE,
)
# A table cell under a "Montant (€)" header carries the number alone.
_CELL_RE = re.compile(rf"^\s*(?P<number>{_NUMBER})\s*(?:{_CURRENCY})?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Amount:
    """An amount found in a text, with where it stands."""

    value: int | float
    start: int
    end: int


def number_value(number: str) -> int | float:
    """`60.000` -> 60000, `60 000,50` and `60 000.50` -> 60000.5; whole euros come back as int."""
    point_cents = re.fullmatch(r"(?P<whole>[^,]*)\.(?P<cents>\d{2})", number)
    if point_cents:
        whole, cents = point_cents["whole"], point_cents["cents"]
    else:
        whole, _, cents = number.partition(",")
    digits = re.sub(r"[.\s\u00a0\u202f]", "", whole)
    if not digits.isdigit():
        raise ValueError(f"not a French amount: {number!r}")
    value = int(digits)
    if cents and int(cents):
        return round(value + int(cents) / 10 ** len(cents), 2)
    return value


_NUMBER_WORD = (
    r"z[ée]ro|une?|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze"
    r"|quinze|seize|vingts?|trente|quarante|cinquante|soixante|cents?|mille|millions?|milliards?|et"
)
WORDS_AMOUNT_RE = re.compile(
    rf"(?<![\w-])(?P<words>(?:(?:{_NUMBER_WORD})(?![\w'])[\s-]*)+?)\s*(?:d['’]\s*)?euros?\b",
    re.IGNORECASE,
)


def find_amounts(text: str) -> list[Amount]:
    """Every sum of money written in the text, in order (percentages are not sums).

    Sums written in words count too ("cent cinquante mille euros"), except where they repeat
    the figures beside them ("60 000 € (soixante mille euros)").
    """
    found = []
    for match in AMOUNT_RE.finditer(text):
        value = number_value(match["number"] or match["prefixed"])
        if match["million"]:
            value = round(value * 1_000_000) if isinstance(value, float) else value * 1_000_000
        found.append(Amount(value=value, start=match.start(), end=match.end()))
    if "euro" not in text.lower():
        return found
    for match in WORDS_AMOUNT_RE.finditer(text):
        in_words = words_value(match["words"])
        if in_words is None or any(a.start < match.end() and match.start() < a.end for a in found):
            continue
        found.append(Amount(value=in_words, start=match.start("words"), end=match.end()))
    found.sort(key=lambda amount: amount.start)
    return _without_restatements(text, found)


def words_value(words: str) -> int | None:
    """`cent cinquante mille` -> 150000; None when the words are not one number."""
    from text_to_num import text2num  # a well-kept parser of French number words

    tokens = words.replace("-", " ").split()
    while tokens and tokens[0].lower() in {"et", "un", "une"} and len(tokens) > 1:
        if tokens[0].lower() != "et" and tokens[1].lower() in {"million", "millions", "milliard"}:
            break
        tokens = tokens[1:]
    if not tokens or tokens == ["et"]:
        return None
    try:
        return int(text2num(" ".join(tokens).lower(), "fr"))
    except ValueError:
        return None


def _without_restatements(text: str, amounts: list[Amount]) -> list[Amount]:
    """Drop a sum restated in parentheses right after the same sum."""
    kept: list[Amount] = []
    for amount in amounts:
        previous = kept[-1] if kept else None
        between = text[previous.end : amount.start] if previous else ""
        if previous and previous.value == amount.value and re.fullmatch(r"\s*[(,]?\s*", between):
            continue
        kept.append(amount)
    return kept


def parse_amount(text: str) -> int | float | None:
    """The one amount a short text (a sentence or a table cell) states, else None."""
    amounts = find_amounts(text)
    if len(amounts) == 1:
        return amounts[0].value
    if not amounts:
        cell = _CELL_RE.match(text)
        if cell:
            return number_value(cell["number"])
    return None
