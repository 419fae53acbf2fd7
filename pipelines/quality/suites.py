"""The expectation suites: plain JSON files in expectations/, one per table or derived frame."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from pipelines.settings import PROJECT_ROOT

EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"

# The suites that validate a frame built from several tables (pipelines/quality/derived.py):
# the tables each reads, in its builder's argument order. Every other suite reads its table.
DERIVED_SOURCES: dict[str, tuple[str, ...]] = {
    "grant_totals": ("grants", "grant_allocations"),
    "grant_sessions": ("grants", "deliberations"),
    "deliberation_years": ("deliberations",),
    "review_health": ("documents", "deliberations", "grants", "quarantine"),
    "freshness": ("deliberations",),
    # After the models, against the warehouse published before (pipelines/quality/publication.py):
    # `published_*` are the published file's tables, `counted_grants` the work file's mart.
    "publication_losses": (
        "counted_grants",
        "deliberations",
        "corrections",
        "published_counted_grants",
        "published_deliberations",
    ),
    "publication_volume": ("counted_grants", "published_counted_grants"),
}

# The suites that compare the work file with the published one: checked once the models are
# built (on marts.counted_grants), not with the normalised tables.
PUBLICATION_SUITES = ("publication_losses", "publication_volume")


def suite_tables(suite_name: str) -> tuple[str, ...]:
    """The tables a suite reads: itself for a table, its sources for a derived frame."""
    return DERIVED_SOURCES.get(suite_name, (suite_name,))


def suite_path(name: str, directory: Path = EXPECTATIONS_DIR) -> Path:
    """The JSON file of a suite."""
    return directory / f"{name}.json"


def suite_names(directory: Path = EXPECTATIONS_DIR) -> list[str]:
    """Every suite in the folder, by name, sorted."""
    return sorted(path.stem for path in directory.glob("*.json"))


@functools.cache
def load_suite(name: str, directory: Path = EXPECTATIONS_DIR) -> dict[str, Any]:
    """A suite as its JSON says (cached: treat it as read-only)."""
    path = suite_path(name, directory)
    if not path.is_file():
        known = ", ".join(suite_names(directory))
        raise KeyError(f"no suite {name!r} in {directory} (known: {known})")
    suite: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if suite.get("name") != name:
        raise ValueError(f"{path} names its suite {suite.get('name')!r}, not {name!r}")
    return suite


def suite_key(name: str, directory: Path = EXPECTATIONS_DIR) -> tuple[str, ...]:
    """The columns that name a row of the suite's frame (meta.key)."""
    return tuple(load_suite(name, directory).get("meta", {}).get("key", ()))


def suite_parameter_names(name: str, directory: Path = EXPECTATIONS_DIR) -> set[str]:
    """The run-time parameters (`{"$PARAMETER": ...}`) the suite's expectations use."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if set(value) == {"$PARAMETER"}:
                found.add(str(value["$PARAMETER"]))
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for expectation in load_suite(name, directory)["expectations"]:
        walk(expectation.get("kwargs", {}))
    return found
