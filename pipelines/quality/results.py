"""What a validation found, in plain Python: per expectation, and the keys of failing rows."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd

KEY_SEPARATOR = "|"  # joins the values of a composite key: "ECO 024-5567/19/BM#1|2"
_SEVERITY_RANK = {"info": 0, "warning": 1, "critical": 2}


@dataclass(frozen=True)
class ExpectationOutcome:
    """One expectation's result: which rule, on which columns, what it saw, which rows failed."""

    rule: str
    expectation: str
    columns: tuple[str, ...]
    description: str
    severity: str
    success: bool
    observed: Any = None
    unexpected_count: int | None = None
    failing_keys: tuple[str, ...] = ()
    failing_rows: tuple[dict[str, Any], ...] = ()
    error: str | None = None

    def describe(self) -> str:
        """One line a person reads: rule, columns, what failed, a few keys."""
        where = f" ({', '.join(self.columns)})" if self.columns else ""
        status = "ok" if self.success else f"FAILED [{self.severity}]"
        line = f"{self.rule}{where}: {status}"
        if self.error:
            return f"{line}: error: {self.error}"
        if self.unexpected_count:
            line += f", {self.unexpected_count} unexpected"
        elif self.observed is not None and not self.success:
            line += f", observed {self.observed}"
        if self.failing_keys:
            line += f", e.g. {', '.join(self.failing_keys)}"
        return line


@dataclass(frozen=True)
class Validation:
    """A suite validated on a frame: success, each expectation's outcome, failing keys."""

    suite: str
    row_count: int
    outcomes: tuple[ExpectationOutcome, ...]

    @property
    def success(self) -> bool:
        """Whether every expectation held (warnings included)."""
        return all(outcome.success for outcome in self.outcomes)

    @property
    def failures(self) -> tuple[ExpectationOutcome, ...]:
        """The expectations that did not hold."""
        return tuple(outcome for outcome in self.outcomes if not outcome.success)

    @property
    def severity(self) -> str | None:
        """The worst severity among the failures (critical, warning, info); None on success."""
        levels = [outcome.severity for outcome in self.failures]
        return max(levels, key=lambda level: _SEVERITY_RANK.get(level, 2)) if levels else None

    @property
    def blocking(self) -> bool:
        """Whether a critical expectation failed (a warning alone does not block)."""
        return self.severity == "critical"

    @property
    def failing_keys(self) -> tuple[str, ...]:
        """Keys of the failing rows across all failures, each once, in suite order."""
        return tuple(dict.fromkeys(key for o in self.failures for key in o.failing_keys))

    def outcome(self, rule: str) -> ExpectationOutcome:
        """The first outcome of a rule (KeyError if the suite has none)."""
        for outcome in self.outcomes:
            if outcome.rule == rule:
                return outcome
        raise KeyError(f"suite {self.suite!r} has no rule {rule!r}")

    def failed_rules(self) -> set[str]:
        """The rules that failed."""
        return {outcome.rule for outcome in self.failures}

    def describe(self) -> str:
        """Several lines: the verdict, then one line per failed expectation."""
        failures = self.failures
        head = (
            f"suite {self.suite}: {len(self.outcomes) - len(failures)}/{len(self.outcomes)}"
            f" expectations held on {self.row_count} rows"
        )
        return "\n".join([head, *(outcome.describe() for outcome in failures)])

    def metadata(self) -> dict[str, Any]:
        """JSON-ready summary (e.g. Dagster check metadata): counts, failures, failing keys."""
        return {
            "suite": self.suite,
            "rows": self.row_count,
            "expectations": len(self.outcomes),
            "failed": len(self.failures),
            "failed_rules": sorted(self.failed_rules()),
            "failing_keys": list(self.failing_keys),
            "failures": [
                {
                    "rule": o.rule,
                    "expectation": o.expectation,
                    "columns": list(o.columns),
                    "severity": o.severity,
                    "description": o.description,
                    "unexpected_count": o.unexpected_count,
                    "observed": o.observed,
                    "failing_keys": list(o.failing_keys),
                    "error": o.error,
                }
                for o in self.failures
            ],
        }


def outcome_of(
    config: Mapping[str, Any],
    success: bool,
    result: Mapping[str, Any],
    exception_info: Mapping[str, Any] | None,
    key: Sequence[str],
    max_keys: int,
) -> ExpectationOutcome:
    """An outcome from an expectation's JSON config and GX's result, exception info."""
    kwargs = config.get("kwargs", {})
    index_rows = list(result.get("partial_unexpected_index_list") or [])
    keys = tuple(dict.fromkeys(key_text(row, key) for row in index_rows if key))[:max_keys]
    return ExpectationOutcome(
        rule=str(config.get("meta", {}).get("rule") or config["type"]),
        expectation=str(config["type"]),
        columns=_columns(kwargs),
        description=str(config.get("description") or ""),
        severity=str(config.get("severity") or "critical"),
        success=bool(success),
        observed=plain(result.get("observed_value")),
        unexpected_count=_int_or_none(result.get("unexpected_count")),
        failing_keys=keys,
        failing_rows=tuple(
            {name: plain(value) for name, value in row.items()} for row in index_rows[:max_keys]
        ),
        error=_error(exception_info),
    )


def key_text(row: Mapping[str, Any], key: Sequence[str]) -> str:
    """A row's key as text: the value, or the values joined by KEY_SEPARATOR; null as "null"."""
    return KEY_SEPARATOR.join(_text(row.get(column)) for column in key)


def plain(value: Any) -> Any:
    """A JSON-ready copy: numpy/pandas scalars as Python, dates as ISO text, NaN/NA as None."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool | str | int):
        return value
    if isinstance(value, dt.date):  # datetime, pandas Timestamp too
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "item"):  # numpy scalar
        return plain(value.item())
    if isinstance(value, float):
        return None if math.isnan(value) else value
    return str(value)


def _text(value: Any) -> str:
    value = plain(value)
    if value is None:
        return "null"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _columns(kwargs: Mapping[str, Any]) -> tuple[str, ...]:
    if "column" in kwargs:
        return (str(kwargs["column"]),)
    if "column_A" in kwargs:
        return (str(kwargs["column_A"]), str(kwargs["column_B"]))
    return tuple(str(c) for c in kwargs.get("column_list", ()))


def _int_or_none(value: Any) -> int | None:
    return None if value is None else int(value)


def _error(exception_info: Mapping[str, Any] | None) -> str | None:
    """GX gives either one {raised_exception, exception_message} or one such per metric."""
    if not exception_info:
        return None
    infos = [exception_info] if "raised_exception" in exception_info else exception_info.values()
    messages = [
        str(info.get("exception_message"))
        for info in infos
        if isinstance(info, Mapping) and info.get("raised_exception")
    ]
    return "; ".join(dict.fromkeys(messages)) or None
