"""People's corrections of parsed acts: `corrections/<code>.yaml` in the data folder.

Someone who reads a flagged act records what it says, one file per act:

```yaml
deliberation_code: ECO 024-5567/19/BM
sha256: 3f5c...            # the PDF read: a correction holds for these bytes only
verdict: corrected         # or `checked`: the act says what the parser read
by: Jeanne Martin
when: 2026-12-06
why: Article 2 charges 15 000 € to the Pays d'Aix; the parser read 12 000 €
grants:                    # the act's grants, replacing the parsed ones (corrected only)
  - beneficiary: Pôle OPTITEC
    pole_id: optitec
    kind: operating
    amount_eur: 60000
    funding_year: 2019
    allocations:
      - {territory_id: marseille-provence, budget: principal, amount_eur: 45000}
      - {territory_id: pays-d-aix, budget: principal, amount_eur: 15000}
fields:                    # other fields of the record, replaced (corrected only)
  outcome: adopted
```

Pure: reading validates a file (pydantic) and `apply` returns the corrected record. The
normaliser applies a correction to the document of the same sha256; a correction of a
document the portal has since replaced (same code, other sha256) is not applied, and the act
is flagged `correction_stale`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

Verdict = Literal["corrected", "checked"]

_STRICT = ConfigDict(extra="forbid", frozen=True)


class Allocation(BaseModel):
    """A share of a grant, charged to a territory and a budget."""

    model_config = _STRICT

    territory_id: str
    budget: Literal["principal", "ets"]
    amount_eur: Decimal = Field(gt=0)


class Grant(BaseModel):
    """A grant as the record contract states it (docs/deliberation-record.md)."""

    model_config = _STRICT

    beneficiary: str = Field(min_length=1)
    pole_id: str | None = None
    kind: Literal["operating", "investment", "membership", "other"]
    amount_eur: Decimal = Field(gt=0)
    funding_year: int = Field(ge=2000, le=2100)
    programme_budget_eur: Decimal | None = None
    allocations: list[Allocation] = Field(min_length=1)

    @model_validator(mode="after")
    def _allocations_add_up(self) -> Grant:
        total = sum((share.amount_eur for share in self.allocations), Decimal(0))
        if total != self.amount_eur:
            raise ValueError(
                f"the allocations of {self.beneficiary!r} add up to {total}, not {self.amount_eur}"
            )
        return self


class Fields(BaseModel):
    """The record's other fields a correction may set (what the header gives)."""

    model_config = _STRICT

    deliberation_code: str | None = None
    session_date: dt.date | None = None
    body: Literal["bureau", "conseil", "conseil-de-territoire"] | None = None
    authority: str | None = None
    territory_id: str | None = None
    reference: str | None = None
    title: str | None = None
    outcome: Literal["adopted", "rejected", "withdrawn"] | None = None
    members_present: int | None = Field(default=None, ge=1)
    amends: str | None = None


class Correction(BaseModel):
    """One act's correction: what a person read in it, who, when and why."""

    model_config = _STRICT

    deliberation_code: str = Field(min_length=1)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    verdict: Verdict
    by: str = Field(min_length=1)
    when: dt.date
    why: str = Field(min_length=1)
    fields: Fields | None = None
    grants: list[Grant] | None = None

    @model_validator(mode="after")
    def _verdict_matches_content(self) -> Correction:
        changes = self.fields is not None or self.grants is not None
        if self.verdict == "checked" and changes:
            raise ValueError("a `checked` entry says the act is as parsed: no fields, no grants")
        if self.verdict == "corrected" and not changes:
            raise ValueError("a `corrected` entry gives the corrected `fields` or `grants`")
        return self

    @property
    def code(self) -> str:
        """The act's code, spaces folded (codes are matched against each other)."""
        return fold_code(self.deliberation_code)

    def changed(self) -> list[str]:
        """What the correction replaces: field names, and `grants`."""
        names = sorted(self.fields.model_dump(exclude_unset=True)) if self.fields else []
        return names + (["grants"] if self.grants is not None else [])


@dataclass(frozen=True)
class CorrectionFile:
    """A file of the corrections folder: its correction, or why it could not be read."""

    path: str  # relative to the data folder: corrections/x.yaml
    correction: Correction | None
    error: str | None = None


def fold_code(code: str) -> str:
    """A deliberation code with one space between words."""
    return re.sub(r"\s+", " ", code.strip())


def read_corrections(folder: Path, relative_to: Path) -> list[CorrectionFile]:
    """Every correction file of the folder, read and validated; a bad file is kept with its
    error (listed by `polefunds review`, warned by the checks), never silently skipped."""
    if not folder.is_dir():
        return []
    return [_read(path, path.relative_to(relative_to).as_posix()) for path in _files(folder)]


def _files(folder: Path) -> Iterable[Path]:
    return sorted(path for path in folder.glob("*.yaml") if path.is_file())


def _read(path: Path, name: str) -> CorrectionFile:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        return CorrectionFile(name, None, f"cannot read {name}: {_first_line(error)}")
    if not isinstance(document, dict):
        return CorrectionFile(name, None, f"{name} does not hold one entry (a YAML mapping)")
    try:
        return CorrectionFile(name, Correction.model_validate(document))
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in issue['loc']) or 'entry'}: {issue['msg']}"
            for issue in error.errors()
        )
        return CorrectionFile(name, None, f"{name}: {problems}")


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def apply(record: Mapping[str, Any], correction: Correction) -> dict[str, Any]:
    """The record as the correction says the act reads (a `checked` entry changes nothing).
    A document the parser could not read becomes readable by a person's hand: status ok."""
    corrected = dict(record)
    if correction.fields is not None:
        for name, value in correction.fields.model_dump(exclude_unset=True).items():
            corrected[name] = value.isoformat() if isinstance(value, dt.date) else value
    if correction.grants is not None:
        corrected["grants"] = [_grant(grant) for grant in correction.grants]
    if correction.verdict == "corrected" and record.get("status") != "ok":
        # what made the file unreadable stays the act's review reason, for its lineage
        corrected.update(
            status="ok",
            error=None,
            grants=corrected.get("grants") or [],
            review_reasons=[f"{record.get('status')}: {record.get('error')}"],
        )
    return corrected


def _grant(grant: Grant) -> dict[str, Any]:
    return {
        "beneficiary": grant.beneficiary,
        "pole_id": grant.pole_id,
        "kind": grant.kind,
        "amount_eur": grant.amount_eur,
        "funding_year": grant.funding_year,
        "programme_budget_eur": grant.programme_budget_eur,
        "allocations": [share.model_dump() for share in grant.allocations],
    }


def entry_yaml(entry: Mapping[str, Any]) -> str:
    """A correction entry as the YAML a person reads and edits (keys in the documented order)."""
    return yaml.safe_dump(
        _plain(dict(entry)), allow_unicode=True, sort_keys=False, default_flow_style=False, width=96
    )


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def file_name(code: str) -> str:
    """The file of an act's correction: its code with every run of other characters as '-'."""
    return re.sub(r"[^A-Za-z0-9]+", "-", fold_code(code)).strip("-") + ".yaml"
