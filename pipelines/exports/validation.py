"""Frictionless validation of the SCDL files against their Table Schemas.

An empty cell in a required column is what the documents do not give: counted (`missing`),
never a reason to invent a value. Every other error (a value of the wrong type or pattern, a
value outside an enum or a range, a missing or extra column, a blank row) makes the file
invalid, and the export fails with the validator's messages.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Validation:
    """The validator's verdict on one file."""

    path: Path
    schema: Path
    errors: list[str] = field(default_factory=list)
    missing: Counter[str] = field(default_factory=Counter)

    @property
    def valid(self) -> bool:
        """No error other than required cells the documents leave empty."""
        return not self.errors


class InvalidExport(Exception):
    """An export file the validator rejects."""

    def __init__(self, results: list[Validation]) -> None:
        lines = [
            f"{result.path.name} does not conform to {result.schema.name}: {message}"
            for result in results
            for message in result.errors[:20]
        ]
        super().__init__("\n".join(lines))
        self.results = results


def validate_file(path: Path, schema: Path) -> Validation:
    """Validate one CSV file against one Table Schema with frictionless.

    Frictionless checks every constraint but `required`; the empty required cells are counted
    here. (Left to frictionless, each empty cell of a column the acts never fill is an error
    object built and discarded: most of the export's time at 20,000 deliberations.)
    """
    import frictionless
    from frictionless.formats import CsvControl

    descriptor = json.loads(schema.read_text(encoding="utf-8"))
    required = []
    for column in descriptor["fields"]:
        constraints = column.get("constraints", {})
        if constraints.pop("required", False):
            required.append(column["name"])
    resource = frictionless.Resource(
        path=path.name,
        basepath=str(path.parent),
        format="csv",
        encoding="utf-8",
        dialect=frictionless.Dialect(controls=[CsvControl(delimiter=",")]),
        schema=frictionless.Schema.from_descriptor(descriptor),
    )
    report = resource.validate(limit_errors=1000)
    result = Validation(path, schema)
    for task in report.tasks:
        result.errors += [error.message for error in task.errors]
    result.errors += [error.message for error in report.errors]
    result.missing = _empty_cells(path, required)
    return result


def _empty_cells(path: Path, columns: list[str]) -> Counter[str]:
    """How many rows leave each of the columns empty (absent columns are the validator's)."""
    empty: Counter[str] = Counter()
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for column in columns:
                if column in row and not (row[column] or "").strip():
                    empty[column] += 1
    return empty
