"""Data-quality checks: Great Expectations suites (expectations/*.json) run on pandas frames.

No Dagster here, and GX is imported only when a validation runs (it is slow to import).
"""

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
]
