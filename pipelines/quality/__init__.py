"""Data-quality checks: the GX suites of expectations/*.json run on frames (GX imported lazily)."""

from pipelines.quality.derived import DERIVED, derived_frame, derived_frames
from pipelines.quality.parameters import default_parameters, reference_parameters
from pipelines.quality.read import read_tables
from pipelines.quality.results import KEY_SEPARATOR, ExpectationOutcome, Validation
from pipelines.quality.runner import (
    suite_tables,
    suites_reading,
    validate,
    validate_table,
    validate_tables,
    warm_up,
)
from pipelines.quality.suites import EXPECTATIONS_DIR, load_suite, suite_key, suite_names

__all__ = [
    "DERIVED",
    "EXPECTATIONS_DIR",
    "KEY_SEPARATOR",
    "ExpectationOutcome",
    "Validation",
    "default_parameters",
    "derived_frame",
    "derived_frames",
    "load_suite",
    "read_tables",
    "reference_parameters",
    "suite_key",
    "suite_names",
    "suite_tables",
    "suites_reading",
    "validate",
    "validate_table",
    "validate_tables",
    "warm_up",
]
