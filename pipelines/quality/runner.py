"""Validate a frame against a suite with Great Expectations, in memory, offline, quietly."""

from __future__ import annotations

import copy
import functools
import os
import threading
from collections.abc import Iterable, Mapping
from typing import Any

from pipelines.quality.derived import DERIVED, derived_frame
from pipelines.quality.frames import Frame, prepared
from pipelines.quality.parameters import default_parameters
from pipelines.quality.results import ExpectationOutcome, Validation, outcome_of
from pipelines.quality.suites import (
    load_suite,
    suite_key,
    suite_names,
    suite_parameter_names,
    suite_tables,
)

MAX_KEYS = 20
_POSITION = "polefunds_position"  # meta marker: GX returns results out of suite order
_LOCK = threading.Lock()


@functools.cache
def _batch_definition() -> Any:
    """One ephemeral GX context per process: in-memory stores, no docs site, no analytics."""
    os.environ["GX_ANALYTICS_ENABLED"] = "False"
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    config = DataContextConfig(
        # init_temp_docs_sites=False: no data docs site, so nothing is written under /tmp.
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    )
    context = gx.get_context(mode="ephemeral", project_config=config)
    asset = context.data_sources.add_pandas("polefunds").add_dataframe_asset("frame")
    return asset.add_batch_definition_whole_dataframe("whole frame")


def gx_suite(suite: Mapping[str, Any]) -> Any:
    """A GX ExpectationSuite of a suite's JSON; a malformed expectation raises ValueError."""
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration,
    )

    expectations = []
    for position, config in enumerate(suite["expectations"]):
        config = copy.deepcopy(dict(config))
        config.setdefault("meta", {})[_POSITION] = position
        # ExpectationSuite(expectations=...) logs and drops a malformed one: fail loudly instead.
        try:
            expectations.append(ExpectationConfiguration(**config).to_domain_obj())
        except Exception as error:
            raise ValueError(
                f"suite {suite['name']!r}, expectation {position} ({config.get('type')}): {error}"
            ) from error
    return gx.ExpectationSuite(
        name=suite["name"], expectations=expectations, meta=copy.deepcopy(suite.get("meta"))
    )


def validate(
    suite_name: str,
    frame: Frame,
    parameters: Mapping[str, Any] | None = None,
    *,
    max_keys: int = MAX_KEYS,
) -> Validation:
    """Validate a frame (pandas or polars) against a suite; parameters override the defaults."""
    # A given `today` moves what derives from it (fresh_since) too.
    values = {**default_parameters((parameters or {}).get("today")), **(parameters or {})}
    needed = suite_parameter_names(suite_name)
    missing = needed - set(values)
    if missing:
        raise ValueError(
            f"suite {suite_name!r} needs the parameter(s) {', '.join(sorted(missing))}"
        )
    data = prepared(frame)
    key = tuple(column for column in suite_key(suite_name) if column in data.columns)
    result_format = {
        "result_format": "SUMMARY",
        "unexpected_index_column_names": list(key),
        # A duplicate key shows up twice: ask for enough rows to name max_keys keys.
        "partial_unexpected_count": 2 * max_keys,
    }
    suite = load_suite(suite_name)
    configs = suite["expectations"]
    with _LOCK:
        batch = _batch_definition().get_batch(batch_parameters={"dataframe": data})
        result = batch.validate(
            gx_suite(suite),
            result_format=result_format,
            expectation_parameters={name: values[name] for name in needed},
        )
    if len(result.results) != len(configs):
        raise RuntimeError(
            f"suite {suite_name!r}: GX returned {len(result.results)} results"
            f" for {len(configs)} expectations"
        )
    outcomes: list[tuple[int, ExpectationOutcome]] = []
    for item in result.results:
        position = int(item.expectation_config.meta[_POSITION])
        outcome = outcome_of(
            configs[position],
            item.success,
            item.result or {},
            item.exception_info,
            key,
            max_keys,
        )
        outcomes.append((position, outcome))
    return Validation(
        suite=suite_name,
        row_count=len(data),
        outcomes=tuple(outcome for _, outcome in sorted(outcomes, key=lambda pair: pair[0])),
    )


def suites_reading(table: str) -> list[str]:
    """Every suite that reads a table: its own, then the derived ones that join it."""
    return [name for name in suite_names() if table in suite_tables(name)]


def validate_table(
    suite_name: str,
    frames_by_table: Mapping[str, Frame],
    parameters: Mapping[str, Any] | None = None,
    *,
    max_keys: int = MAX_KEYS,
) -> Validation:
    """Validate a table's suite, or a derived suite on the frame built from its tables."""
    if suite_name in DERIVED:
        frame: Frame = derived_frame(suite_name, frames_by_table)
    elif suite_name in frames_by_table:
        frame = frames_by_table[suite_name]
    else:
        raise KeyError(f"suite {suite_name!r} needs the table {suite_name!r}")
    return validate(suite_name, frame, parameters, max_keys=max_keys)


def validate_tables(
    frames_by_table: Mapping[str, Frame],
    parameters: Mapping[str, Any] | None = None,
    suites: Iterable[str] | None = None,
) -> dict[str, Validation]:
    """Every suite (or those named) whose tables are all given, by suite name."""
    names = list(suites) if suites is not None else suite_names()
    return {
        name: validate_table(name, frames_by_table, parameters)
        for name in names
        if all(table in frames_by_table for table in suite_tables(name))
    }
