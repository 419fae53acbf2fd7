"""SYNTHETIC corpus: pôle and territory names loaded from the project's reference CSVs."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import cache

from pipelines.settings import REFERENCE_DIR

# Aliases that name a predecessor or a former name, with the last year a document may use them.
_FORMER_NAMES_UNTIL = {
    "POPsud": 2010,
    "Pôle Optique et Photonique Sud": 2010,
    "Pôle Mer PACA": 2013,
    "Mer PACA": 2013,
    "Pôle Pégase": 2015,
    "Pégase": 2015,
    "Pôle Risques": 2015,
    "Pôle filière de l'Eau": 2017,
    "Pôle EAU": 2017,
    "Pôle de l'Eau": 2017,
    "Pôle PASS": 2019,
    "PASS": 2019,
    "Parfums Arômes Senteurs Saveurs": 2019,
}


@dataclass(frozen=True)
class Pole:
    """One pôle de compétitivité of poles.csv."""

    pole_id: str
    name: str
    full_name: str
    theme: str
    valid_from: dt.date
    valid_to: dt.date | None


@dataclass(frozen=True)
class Territory:
    """One of the six territories of the Métropole (or the Métropole itself)."""

    territory_id: str
    name: str
    seat: str
    aliases: tuple[str, ...]


def _read(name: str) -> list[dict[str, str]]:
    """The rows of one reference CSV."""
    with open(REFERENCE_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _date(text: str) -> dt.date | None:
    """An ISO date, or None for an empty cell."""
    return dt.date.fromisoformat(text) if text.strip() else None


def _pole_rows() -> list[dict[str, str]]:
    """The rows of poles.csv, tolerating unquoted commas inside the theme column."""
    with open(REFERENCE_DIR / "poles.csv", encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    result = []
    for cells in rows:
        extra = len(cells) - len(header)
        if extra > 0:  # "aéronautique, spatial, défense" written without quotes
            theme = ",".join(cells[3 : 4 + extra])
            cells = [*cells[:3], theme, *cells[4 + extra :]]
        result.append(dict(zip(header, cells, strict=True)))
    return result


@cache
def poles() -> dict[str, Pole]:
    """The pôles de compétitivité by canonical id."""
    result: dict[str, Pole] = {}
    for row in _pole_rows():
        valid_from = _date(row["valid_from"]) or dt.date(2005, 1, 1)
        result[row["pole_id"]] = Pole(
            pole_id=row["pole_id"],
            name=row["name"],
            full_name=row["full_name"],
            theme=row["theme"],
            valid_from=valid_from,
            valid_to=_date(row["valid_to"]),
        )
    return result


@cache
def pole_aliases() -> dict[str, list[str]]:
    """The aliases of each pôle, in file order."""
    result: dict[str, list[str]] = {}
    for row in _read("pole_aliases.csv"):
        result.setdefault(row["pole_id"], []).append(row["alias"])
    return result


@cache
def case_sensitive_aliases() -> frozenset[str]:
    """The aliases that only name a pôle when written in capitals (SCS, SAFE, PASS)."""
    return frozenset(r["alias"] for r in _read("pole_aliases.csv") if r["case_sensitive"] == "true")


def active_poles(on: dt.date) -> list[str]:
    """The ids of the pôles that existed on a date (Optitec until 2023, Terralia until 2019...)."""
    return [
        p.pole_id
        for p in poles().values()
        if p.valid_from <= on and (p.valid_to is None or on <= p.valid_to)
    ]


def predecessor_poles(on: dt.date) -> list[str]:
    """Ids a document may reach through a predecessor's name (PASS, before Innov'Alliance)."""
    return ["innov-alliance"] if on.year <= 2019 else []


# Names that only exist from a year on (Innov'Alliance was formed from Terralia and PASS in 2020).
_NEW_NAMES_FROM = {"Innov'Alliance": 2020, "Innov Alliance": 2020, "InnovAlliance": 2020}


def alias_usable(alias: str, year: int) -> bool:
    """Whether a document of that year may name a pôle by this alias."""
    return _NEW_NAMES_FROM.get(alias, 0) <= year <= _FORMER_NAMES_UNTIL.get(alias, 9999)


def pole_names(pole_id: str, year: int) -> list[str]:
    """The names a document of that year may give the pôle, as it would print them."""
    names: list[str] = []
    for rank, alias in enumerate(pole_aliases()[pole_id]):
        if not alias_usable(alias, year):
            continue
        if alias in case_sensitive_aliases():
            names += [f"Pôle {alias}", f"pôle de compétitivité {alias}"]
            continue
        if alias.lower().startswith("pôle") or alias.endswith("Cluster"):
            names.append(alias)
            continue
        names += [f"Pôle {alias}", f"pôle de compétitivité {alias}"]
        if rank == 0:
            names.append(f"Pôle {alias.upper()}")
    if pole_id == "scs":
        names.append("Pôle Solutions Communicantes Sécurisées (SCS)")
    # Drop duplicates, keep order.
    return list(dict.fromkeys(names))


def short_name(pole_id: str, year: int) -> str:
    """How the exposé refers to the pôle once introduced (Optitec, le Pôle Mer...)."""
    if pole_id == "innov-alliance" and year <= 2019:
        return "PASS"
    if pole_id == "aqua-valley" and year <= 2017:
        return "Pôle EAU"
    return poles()[pole_id].name


@cache
def territories() -> dict[str, Territory]:
    """The six territories and the Métropole, by id, with their aliases."""
    aliases: dict[str, list[str]] = {}
    for row in _read("territory_aliases.csv"):
        aliases.setdefault(row["territory_id"], []).append(row["alias"])
    return {
        row["territory_id"]: Territory(
            territory_id=row["territory_id"],
            name=row["name"],
            seat=row["seat"],
            aliases=tuple(aliases.get(row["territory_id"], [row["name"]])),
        )
        for row in _read("territories.csv")
    }


TERRITORY_IDS = (
    "marseille-provence",
    "pays-d-aix",
    "pays-salonais",
    "pays-d-aubagne-et-de-l-etoile",
    "istres-ouest-provence",
    "pays-de-martigues",
)


def of_territory(alias: str) -> str:
    """What follows "Territoire": "du Pays d'Aix", "Marseille Provence"."""
    if alias.startswith("Pays "):
        return "du " + alias
    return alias
