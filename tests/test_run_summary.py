"""The run's one-line failure reason: Dagster's wrapper skipped, the root cause kept."""

from __future__ import annotations

import dagster as dg

from pipelines.defs.run import ReviewCounts, dbt_failure, failure_reason


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


def test_a_dbt_failure_names_the_model_and_its_error() -> None:
    message = (
        "The dbt CLI process with command\n\n`dbt build`\n\nfailed with exit code `1`.\n"
        "Errors parsed from dbt logs:\n"
        "83 of 149 ERROR creating sql table model marts.review_queue ... [\x1b[31mERROR\x1b[0m]\n"
        "\x1b[31mFailure in model review_queue (models/marts/review_queue.sql)\x1b[0m\n"
        "  Runtime Error in model review_queue (models/marts/review_queue.sql)\n"
        "  Binder Error: Deprecated lambda arrow (->) detected.\n"
    )
    assert dbt_failure(message) == (
        "dbt: Failure in model review_queue (models/marts/review_queue.sql): "
        "Binder Error: Deprecated lambda arrow (->) detected."
    )
    assert dbt_failure("no grant table on page 2") is None


def test_the_review_line_counts_acts_and_money() -> None:
    assert ReviewCounts(0, 0, 0.0, 1000.0).text() == "review: no act awaits review"
    line = ReviewCounts(3, 1, 220000.0, 2354500.0).text()
    assert line.startswith("review: 3 act(s) await review, 1 of them unreadable; 220 000 €")
    assert "of the 2 354 500 € counted is under review" in line
