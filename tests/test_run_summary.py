"""The run's one-line failure reason: Dagster's wrapper skipped, the root cause kept."""

from __future__ import annotations

import dagster as dg

from pipelines.defs.run import failure_reason


@dg.asset
def writes_to_a_full_disk() -> None:
    try:
        raise OSError(28, "No space left on device")
    except OSError as error:
        raise RuntimeError("could not write the work file") from error


@dg.asset
def fails_plainly() -> None:
    raise ValueError("no grant table on page 2")


def _reason(asset: dg.AssetsDefinition) -> str:
    result = dg.materialize([asset], raise_on_error=False)
    (failure,) = [event for event in result.all_events if event.is_step_failure]
    assert failure.step_failure_data and failure.step_failure_data.error
    return failure_reason(failure.step_failure_data.error)


def test_the_reason_names_our_message_and_the_innermost_cause() -> None:
    assert _reason(writes_to_a_full_disk) == (
        "RuntimeError: could not write the work file"
        " (cause: OSError: [Errno 28] No space left on device)"
    )


def test_a_single_error_is_given_once() -> None:
    assert _reason(fails_plainly) == "ValueError: no grant table on page 2"
