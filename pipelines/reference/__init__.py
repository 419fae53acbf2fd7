"""Reference data kept in the repository: pôles (aliases, history) and the Métropole's territories."""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parent


def read_csv(name: str) -> list[dict[str, str]]:
    """Rows of one reference CSV file."""
    with (REFERENCE_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@functools.cache
def known_ids(name: str, column: str) -> frozenset[str]:
    """The ids of one reference CSV file (a column of it), read once."""
    return frozenset(row[column] for row in read_csv(name))


def _fold_char(char: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    base = base.lower()
    return base if len(base) == 1 else char.lower()[:1] or char


def fold(text: str) -> str:
    """Lowercase without accents, one character per character: positions carry over."""
    return "".join(_fold_char(char) for char in text).replace("’", "'").replace("–", "-")


def _key(name: str) -> str:
    return re.sub(r"[\s\-']+", " ", fold(name)).strip()


@dataclass(frozen=True)
class NameMatch:
    """A reference name found in a text."""

    id: str
    start: int
    end: int


def _alias_pattern(alias: str) -> str:
    # Spaces, dashes and apostrophes vary between documents: "Aqua-Valley", "Aqua Valley".
    parts = re.split(r"[\s\-']+", fold(alias))
    return r"[\s\-']*".join(re.escape(part) for part in parts if part)


class NameIndex:
    """Finds the aliases of reference entities in a text, longest alias first."""

    def __init__(self, aliases: list[tuple[str, str, bool]], forbidden_before: str = "") -> None:
        insensitive = [(alias, entity) for alias, entity, sensitive in aliases if not sensitive]
        sensitive = [(alias, entity) for alias, entity, case in aliases if case]
        self._entity_by_key = {_key(alias): entity for alias, entity in insensitive}
        self._entity_by_exact = dict(sensitive)
        before = rf"(?<![\w]){forbidden_before}"
        self._folded_re = self._compile(insensitive, before, fold)
        self._exact_re = self._compile(sensitive, before, lambda alias: alias)

    @staticmethod
    def _compile(pairs, before, transform):  # type: ignore[no-untyped-def]
        if not pairs:
            return None
        ordered = sorted({transform(alias) for alias, _ in pairs}, key=len, reverse=True)
        patterns = (
            _alias_pattern(alias) if transform is fold else re.escape(alias) for alias in ordered
        )
        return re.compile(rf"{before}(?:{'|'.join(patterns)})(?![\w])")

    def find(self, text: str) -> list[NameMatch]:
        """Every alias in the text, left to right, overlapping matches resolved to the longest."""
        found: list[NameMatch] = []
        if self._folded_re is not None:
            for match in self._folded_re.finditer(fold(text)):
                entity = self._entity_by_key.get(_key(match.group(0)))
                if entity:
                    found.append(NameMatch(entity, match.start(), match.end()))
        if self._exact_re is not None:
            for match in self._exact_re.finditer(text):
                found.append(
                    NameMatch(self._entity_by_exact[match.group(0)], match.start(), match.end())
                )
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        kept: list[NameMatch] = []
        for candidate in found:
            if kept and candidate.start < kept[-1].end:
                continue
            kept.append(candidate)
        return kept


@functools.cache
def pole_index() -> NameIndex:
    """The pôles de compétitivité by every name documents give them."""
    rows = read_csv("pole_aliases.csv")
    return NameIndex([(r["alias"], r["pole_id"], r["case_sensitive"] == "true") for r in rows])


@functools.cache
def territory_index() -> NameIndex:
    """The Métropole's territories; "Marseille Provence" never inside "Aix-Marseille-Provence"."""
    rows = read_csv("territory_aliases.csv")
    return NameIndex(
        [(r["alias"], r["territory_id"], False) for r in rows],
        forbidden_before=r"(?<!aix-)(?<!aix )",
    )
