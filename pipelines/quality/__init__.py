"""Data-quality checks: the GX suites of expectations/*.json run on frames.

The names below are loaded on first use (PEP 562): the suites' names and tables come without
pandas or GX, so defining the checks costs nothing until they run.
"""

from __future__ import annotations

import importlib
from typing import Any

_HOME = {
    "DERIVED": "derived",
    "derived_frame": "derived",
    "derived_frames": "derived",
    "default_parameters": "parameters",
    "reference_parameters": "parameters",
    "read_tables": "read",
    "KEY_SEPARATOR": "results",
    "ExpectationOutcome": "results",
    "Validation": "results",
    "suites_reading": "runner",
    "validate": "runner",
    "validate_table": "runner",
    "validate_tables": "runner",
    "DERIVED_SOURCES": "suites",
    "EXPECTATIONS_DIR": "suites",
    "load_suite": "suites",
    "suite_key": "suites",
    "suite_names": "suites",
    "suite_tables": "suites",
}

__all__ = sorted(_HOME)


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
