"""SYNTHETIC corpus: French dates, amounts and numbers in words, as the acts print them."""

from __future__ import annotations

import datetime as dt
import random

from pipelines.report.french import format_date

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")

# Inside an amount, a space that line wrapping must not break (rendered as a plain space).
GLUE = "\u2060"
NBSP = "\u00a0"

AMOUNT_STYLES = (
    "dots_euros",  # 60.000 euros
    "spaces_euro_sign",  # 60 000 €
    "cents_euro_sign",  # 60 000,00 €
    "dots_euro_sign",  # 60.000 €
    "spaces_euros",  # 60 000 euros
    "dots_cents_euros",  # 60.000,00 euros
    "nbsp_euro_sign",  # 60 000 € with no-break spaces
)


def french_date(day: dt.date, weekday: bool = False) -> str:
    """28 mars 2019, 1er juillet 2021, jeudi 13 décembre 2018."""
    text = format_date(day)
    return f"{WEEKDAYS[day.weekday()]} {text}" if weekday else text


def short_date(day: dt.date) -> str:
    """28/03/2019."""
    return day.strftime("%d/%m/%Y")


def group(value: int, separator: str) -> str:
    """1250000 with "." → 1.250.000."""
    text = str(value)
    parts = []
    while len(text) > 3:
        parts.append(text[-3:])
        text = text[:-3]
    parts.append(text)
    return separator.join(reversed(parts))


def amount(value: int, style: str) -> str:
    """An amount of whole euros in one of the AMOUNT_STYLES, unbreakable by line wrapping."""
    space = GLUE
    if style == "dots_euros":
        text = f"{group(value, '.')} euros"
    elif style == "spaces_euro_sign":
        text = f"{group(value, ' ')} €"
    elif style == "cents_euro_sign":
        text = f"{group(value, ' ')},00 €"
    elif style == "dots_euro_sign":
        text = f"{group(value, '.')} €"
    elif style == "spaces_euros":
        text = f"{group(value, ' ')} euros"
    elif style == "dots_cents_euros":
        text = f"{group(value, '.')},00 euros"
    elif style == "nbsp_euro_sign":
        return f"{group(value, NBSP)}{NBSP}€"
    else:
        raise ValueError(f"unknown amount style {style!r}")
    return text.replace(" ", space)


def bare_number(value: int, style: str) -> str:
    """A number as a table cell prints it, without the currency: 60.000, 60 000, 60 000,00."""
    separator = "." if style.startswith("dots") else " "
    text = group(value, separator)
    if "cents" in style:
        text += ",00"
    return text.replace(" ", GLUE)


def percent(part: int, whole: int) -> str:
    """6,08 % (the share of a budget), with a comma as the decimal mark."""
    return f"{part * 100 / whole:.2f}".replace(".", ",") + GLUE + "%"


_UNITS = (
    "zéro",
    "un",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "neuf",
    "dix",
    "onze",
    "douze",
    "treize",
    "quatorze",
    "quinze",
    "seize",
    "dix-sept",
    "dix-huit",
    "dix-neuf",
)
_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}


def _below_100(n: int) -> str:
    """French words for 0 ≤ n < 100 (traditional spelling)."""
    if n < 20:
        return _UNITS[n]
    tens, unit = divmod(n, 10)
    if tens in (7, 9):
        base = "soixante" if tens == 7 else "quatre-vingt"
        rest = 10 + unit
        joiner = " et " if tens == 7 and unit == 1 else "-"
        return f"{base}{joiner}{_UNITS[rest]}"
    if tens == 8:
        return "quatre-vingts" if unit == 0 else f"quatre-vingt-{_UNITS[unit]}"
    if unit == 0:
        return _TENS[tens]
    if unit == 1:
        return f"{_TENS[tens]} et un"
    return f"{_TENS[tens]}-{_UNITS[unit]}"


def _below_1000(n: int, final: bool) -> str:
    """French words for 0 < n < 1000; `final` when nothing follows (cents takes its s)."""
    hundreds, rest = divmod(n, 100)
    words = []
    if hundreds:
        if hundreds == 1:
            words.append("cent")
        else:
            plural = final and rest == 0
            words.append(f"{_UNITS[hundreds]} cent{'s' if plural else ''}")
    if rest:
        text = _below_100(rest)
        if not final and text == "quatre-vingts":
            text = "quatre-vingt"
        words.append(text)
    return " ".join(words)


def in_words(n: int) -> str:
    """A whole number in French words: 60000 → soixante mille, 1250000 → un million deux cent..."""
    if n == 0:
        return "zéro"
    words = []
    millions, rest = divmod(n, 1_000_000)
    thousands, units = divmod(rest, 1000)
    if millions:
        head = _below_1000(millions, final=False)
        words.append(f"{head} million{'s' if millions > 1 else ''}")
    if thousands:
        words.append("mille" if thousands == 1 else f"{_below_1000(thousands, final=False)} mille")
    if units:
        words.append(_below_1000(units, final=True))
    return " ".join(words)


def amount_with_words(value: int, style: str) -> str:
    """60 000 euros (soixante mille euros)."""
    euros = "d'euros" if value % 1_000_000 == 0 else "euros"
    return f"{amount(value, style)} ({in_words(value)} {euros})"


def round_amount(rng: random.Random, low: int, high: int, step: int = 500) -> int:
    """A plausible grant: a multiple of `step` between low and high."""
    return rng.randrange(low // step, high // step + 1) * step


def split_amount(rng: random.Random, total: int, parts: int, step: int = 500) -> list[int]:
    """Cut a total into `parts` positive multiples of `step` (the last part takes the rest)."""
    if parts == 1:
        return [total]
    units = total // step
    cuts = sorted(rng.sample(range(1, units), parts - 1))
    bounds = [0, *cuts, units]
    result = [(bounds[i + 1] - bounds[i]) * step for i in range(parts)]
    result[-1] += total - sum(result)
    return result
