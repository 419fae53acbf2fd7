"""Great Expectations in a process of its own, started at the beginning of a run.

Importing GX takes seconds (scipy, altair, sqlalchemy...), about a quarter of a daily run.
`polefunds run` starts this process before the crawl, so the imports happen while the crawl
waits on the portal; the check step then hands it the work file's path and gets the
validations back. A separate process, not a thread: imports in two threads of one process can
meet half-initialised modules. Without a started process (a run from the Dagster UI), or if it
died, the step validates in its own process, as before.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from pipelines.lifetime import die_with_parent, parent_named
from pipelines.quality.results import Validation

_pool: ProcessPoolExecutor | None = None
_ready: Future[None] | None = None


def start() -> None:
    """Start the checking process now; it imports GX and makes its context meanwhile."""
    global _pool, _ready
    if _pool is None:
        # The process dies with the run (a run killed mid-import leaves nothing behind).
        with parent_named():  # the process starts within submit()
            _pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=die_with_parent,
            )
            _ready = _pool.submit(_warm_up)


def stop() -> None:
    """Stop the checking process now, even mid-import (nothing if none was started)."""
    global _pool, _ready
    if _pool is not None:
        if _ready is None or not _ready.done():
            # A run with nothing to check must not wait for GX's imports to finish: end the
            # process mid-import (ProcessPoolExecutor has no public kill before Python 3.14).
            for process in list(getattr(_pool, "_processes", {}).values()):
                process.terminate()
        # Once idle, the process waits on its queue: let it exit by itself (a process killed
        # there would leave the queue's lock behind).
        _pool.shutdown(wait=True, cancel_futures=True)
    _pool, _ready = None, None


def validate_file(path: Path, suites: Sequence[str]) -> dict[str, Validation]:
    """Each suite's validation of the work file's tables, by suite name."""
    return _checked(_validate_file, str(path), tuple(suites))


def validate_publication(
    work: Path, published: Path, suites: Sequence[str]
) -> dict[str, Validation]:
    """Each publication suite's validation: the work file against the published one."""
    return _checked(_validate_publication, str(work), str(published), tuple(suites))


def _checked(
    validate: Callable[..., dict[str, Validation]], *args: object
) -> dict[str, Validation]:
    """`validate(*args)` in the checking process if one was started, else (or if it died) here."""
    if _pool is not None:
        try:
            return _pool.submit(validate, *args).result()
        except BrokenProcessPool:
            stop()  # the process died (memory, a signal): validate here instead
    return validate(*args)


def _warm_up() -> None:
    from pipelines.quality.runner import _batch_definition

    _batch_definition()


def _validate_file(path: str, suites: tuple[str, ...]) -> dict[str, Validation]:
    from pipelines.quality.read import read_tables

    return _validate(read_tables(path), suites)


def _validate_publication(
    work: str, published: str, suites: tuple[str, ...]
) -> dict[str, Validation]:
    from pipelines.quality.publication import read_publication_frames

    return _validate(read_publication_frames(Path(work), Path(published)), suites)


def _validate(frames: Mapping[str, Any], suites: tuple[str, ...]) -> dict[str, Validation]:
    from pipelines.quality.runner import validate_table

    return {suite: validate_table(suite, frames) for suite in suites}
