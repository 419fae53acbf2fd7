"""Page texts -> one clean text: characters normalised, page furniture removed, zones found."""

from __future__ import annotations

import re
from dataclasses import dataclass

_CHAR_MAP = str.maketrans(
    {
        "\ufffe": "-",  # PDFium's mark for a hyphen at the end of a line
        "\u00ad": "",  # soft hyphen
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u2007": " ",
        "\t": " ",
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u00b4": "'",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\uf0b7": "•",  # Symbol-font bullet as Word exports it
        "\uf02d": "-",
    }
)

# Lines that are page furniture, not the act: the prefecture's receipt stamp, page numbers.
_FURNITURE = re.compile(
    r"""^(?:
        .*accus[ée]\s+de\s+r[ée]ception.*
      | .*date\s+de\s+(?:t[ée]l[ée]transmission|r[ée]ception\s+(?:en\s+)?pr[ée]fecture).*
      | .*re[çc]u\s+(?:le\s+.*\s+)?en\s+pr[ée]fecture.*
      | (?:ID\s*:\s*)?\d{3}-\d{9}-\d{8}-\S*-(?:DE|AI|AR|CC|BF|AU)
      | [\s\-–—.()\[\]]*(?:page|p\.)?\s*\d{1,3}(?:\s*(?:/|sur|de)\s*\d{1,3})?[\s\-–—.()\[\]]*
      | publi[ée]\s+le\s*:?.*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)

_OPERATIVE_START = re.compile(
    r"^\s*(?:d[ée]lib[èe]re|d[ée]cide|arr[êe]te)\s*[:.]?\s*$", re.IGNORECASE
)
_REPORT_START = re.compile(r"rapport\s+suivant", re.IGNORECASE)
_VISAS_START = re.compile(
    r"^\s*(?:telles\s+sont\s+les\s+raisons|vu\b|le\s+(?:bureau|conseil)\s+de\s+la\s+m[ée]tropole"
    r"\s+aix-marseille-provence\s*,?\s*$)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DocumentText:
    """The act's text as lines, split into its zones (each a list of lines)."""

    lines: list[str]
    header: list[str]
    report: list[str]
    visas: list[str]
    operative: list[str]

    @property
    def full(self) -> str:
        """The whole act on one line."""
        return flatten(self.lines)


# PDFium marks a hyphen that ends a line (\ufffe) and joins the lines: between two lowercase
# letters it is a word broken at the margin ("subven-tion"), unless the part before it is the
# head of a compound ("ci-après", "sous-total"); elsewhere a hyphen ("Istres-Ouest Provence").
_LINE_END_HYPHEN = re.compile(r"(?P<word>[\w']+)\ufffe(?=[a-zàâçéèêëîïôûùüÿœ])")
_COMPOUND_HEADS = frozenset(
    "ci là vice sous non demi semi mi ex peut porte après avant arrière contre grand haut celle"  # noqa: SIM905
    " celui ceux celles entre quasi saint sainte".split()
)


def _unbreak_words(page: str) -> str:
    def joined(match: re.Match[str]) -> str:
        word = match["word"]
        head = word.split("'")[-1].lower()
        if word[-1].islower() and head not in _COMPOUND_HEADS:
            return word
        return f"{word}-"

    return _LINE_END_HYPHEN.sub(joined, page) if "\ufffe" in page else page


def clean_lines(pages: list[str]) -> list[str]:
    """Normalised, non-empty lines of all pages, page furniture dropped."""
    lines: list[str] = []
    for page in pages:
        for raw in (
            _unbreak_words(page)
            .translate(_CHAR_MAP)
            .replace("\r\n", "\n")
            .replace("\r", "\n")
            .split("\n")
        ):
            line = " ".join(raw.split())
            if line and not _FURNITURE.match(line):
                lines.append(line)
    return lines


def flatten(lines: list[str]) -> str:
    """Lines joined into one line, spaces folded."""
    return " ".join(" ".join(lines).split())


def split_zones(lines: list[str]) -> DocumentText:
    """Header (up to the report), report (the exposé), visas (Vu, Considérant), operative part."""
    report_at = _first(lines, lambda line: bool(_REPORT_START.search(line)), 0)
    if report_at is None:
        report_at = min(len(lines), 12)
    else:
        report_at += 1
    operative_at = _first(lines, lambda line: bool(_OPERATIVE_START.match(line)), report_at)
    visas_at = _first(lines, lambda line: bool(_VISAS_START.match(line)), report_at)
    if operative_at is None:
        operative_at = len(lines)
    if visas_at is None or visas_at > operative_at:
        visas_at = operative_at
    return DocumentText(
        lines=lines,
        header=lines[:report_at],
        report=lines[report_at:visas_at],
        visas=lines[visas_at:operative_at],
        operative=lines[operative_at + 1 :] if operative_at < len(lines) else [],
    )


def _first(lines: list[str], predicate, start: int) -> int | None:  # type: ignore[no-untyped-def]
    for index in range(start, len(lines)):
        if predicate(lines[index]):
            return index
    return None
