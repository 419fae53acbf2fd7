"""Frictionless validation of the SCDL files against their Table Schemas.

An empty cell in a required column is what the documents do not give: counted (`missing`),
never a reason to invent a value. Every other error (a value of the wrong type or pattern, a
value outside an enum or a range, a missing or extra column, a blank row) makes the file
invalid, and the export fails with the validator's messages.
"""

from __future__ import annotations

import json
import sys
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


def _is_left_empty(error: object) -> bool:
    """A required cell that is empty: a value the documents do not give."""
    return (
        getattr(error, "type", None) == "constraint-error"
        and 'constraint "required"' in str(getattr(error, "note", ""))
        and str(getattr(error, "cell", "") or "").strip() == ""
    )


def validate_file(path: Path, schema: Path) -> Validation:
    """Validate one CSV file against one Table Schema with frictionless."""
    import frictionless
    from frictionless.formats import CsvControl

    resource = frictionless.Resource(
        path=path.name,
        basepath=str(path.parent),
        format="csv",
        encoding="utf-8",
        dialect=frictionless.Dialect(controls=[CsvControl(delimiter=",")]),
        schema=frictionless.Schema.from_descriptor(json.loads(schema.read_text(encoding="utf-8"))),
    )
    # Every error is wanted: the empty required cells alone can pass the default limit of 1000.
    report = resource.validate(limit_errors=sys.maxsize)
    result = Validation(path, schema)
    for task in report.tasks:
        for error in task.errors:
            if _is_left_empty(error):
                result.missing[str(getattr(error, "field_name", ""))] += 1
            else:
                result.errors.append(error.message)
    result.errors += [error.message for error in report.errors]
    return result
