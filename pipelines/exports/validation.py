"""Frictionless validation of the SCDL files against their Table Schemas, every constraint on.

The schemas are used as published, `required` included. Two kinds of findings:

- a row that leaves a required field empty (a value the act does not state, never invented):
  the row is not valid, and it is reported (row, key, the fields it lacks); the file is
  still published, "SCDL-shaped, N of M rows valid";
- anything else (a value of the wrong type or pattern, outside an enum or a range, a missing or
  extra column, a blank row) is a bug of the export: the file is broken and the export fails
  with the validator's messages.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The note frictionless gives a cell that breaks `required`.
REQUIRED_NOTE = 'constraint "required" is "True"'


@dataclass
class IncompleteRow:
    """A row the schema rejects only for required fields left empty."""

    row: int  # row of the file, the header being row 1
    key: str  # the columns that name it (the act's code, the beneficiary)
    missing: list[str]


@dataclass
class Validation:
    """The validator's verdict on one file."""

    path: Path
    schema: Path
    rows: int = 0
    errors: list[str] = field(default_factory=list)
    # Per required column, the rows that leave it empty.
    missing: Counter[str] = field(default_factory=Counter)
    incomplete: list[IncompleteRow] = field(default_factory=list)

    @property
    def broken(self) -> bool:
        """An error other than required fields left empty: the export is wrong, not the acts."""
        return bool(self.errors)

    @property
    def valid_rows(self) -> int:
        """Rows that pass every constraint of the schema."""
        return self.rows - len(self.incomplete) if not self.broken else 0

    @property
    def valid(self) -> bool:
        """Every row valid: the file passes a validator of the published schema."""
        return not self.broken and not self.incomplete

    def schema_title(self) -> str:
        """The schema's title and version, e.g. 'Subventions 2.1.1'."""
        descriptor = json.loads(self.schema.read_text(encoding="utf-8"))
        return (
            f"{descriptor.get('title', self.schema.stem)} {descriptor.get('version', '')}".strip()
        )

    def verdict(self) -> str:
        """One line: 'SCDL-shaped, N of M rows valid against <schema>'."""
        return f"SCDL-shaped, {self.valid_rows} of {self.rows} rows valid against {self.schema_title()}"

    def as_report(self) -> dict[str, Any]:
        """The file's entry in scdl/validation.json."""
        return {
            "file": self.path.name,
            "schema": self.schema_title(),
            "rows": self.rows,
            "valid_rows": self.valid_rows,
            "required_left_empty": dict(self.missing),
            "invalid_rows": [
                {"row": row.row, "key": row.key, "missing": row.missing} for row in self.incomplete
            ],
            "errors": self.errors,
        }


class InvalidExport(Exception):
    """An export file the validator rejects for more than the acts' missing values."""

    def __init__(self, results: list[Validation]) -> None:
        lines = [
            f"{result.path.name} does not conform to {result.schema.name}: {message}"
            for result in results
            for message in result.errors[:20]
        ]
        super().__init__("\n".join(lines))
        self.results = results


def validate_file(path: Path, schema: Path, key: tuple[str, ...] = ()) -> Validation:
    """Validate one CSV file against one Table Schema with frictionless, every constraint on."""
    import frictionless
    from frictionless.formats import CsvControl

    descriptor = json.loads(schema.read_text(encoding="utf-8"))
    order = {column["name"]: index for index, column in enumerate(descriptor["fields"])}
    empty: dict[int, list[str]] = {}

    class Tally(frictionless.Checklist):  # type: ignore[misc]
        """Files each empty required cell under its row rather than in the report, where each
        error object keeps a copy of its row (about 170 MB at 20,000 grants)."""

        def match(self, error: Any) -> bool:
            if error.type == "constraint-error" and getattr(error, "note", "") == REQUIRED_NOTE:
                empty.setdefault(error.row_number, []).append(error.field_name)
                return False
            return bool(super().match(error))

    resource = frictionless.Resource(
        path=path.name,
        basepath=str(path.parent),
        format="csv",
        encoding="utf-8",
        dialect=frictionless.Dialect(controls=[CsvControl(delimiter=",")]),
        schema=frictionless.Schema.from_descriptor(descriptor),
    )
    report = resource.validate(Tally(), limit_errors=1000)
    result = Validation(path, schema)
    for task in report.tasks:
        result.errors += [error.message for error in task.errors]
    result.errors += [error.message for error in report.errors]

    keys = _row_keys(path, key)
    result.rows = len(keys)
    for row in sorted(empty):
        missing = sorted(empty[row], key=lambda column: order.get(column, len(order)))
        result.incomplete.append(IncompleteRow(row, keys.get(row, ""), missing))
    counts = Counter(column for row in result.incomplete for column in row.missing)
    result.missing = Counter({column: counts[column] for column in order if counts[column]})
    return result


def _row_keys(path: Path, columns: tuple[str, ...]) -> dict[int, str]:
    """Each data row's number (the header is row 1) and the columns that name it."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            number: " / ".join(row.get(column) or "" for column in columns)
            for number, row in enumerate(csv.DictReader(handle), start=2)
        }


def write_report(validations: list[Validation], path: Path) -> None:
    """scdl/validation.json: per file, rows, valid rows, the rows lacking required fields."""
    entries = [validation.as_report() for validation in validations]
    path.write_text(json.dumps(entries, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
