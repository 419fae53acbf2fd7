"""Parse many files in worker processes, each cut off by a time and memory limit."""

from __future__ import annotations

import hashlib
import multiprocessing
import resource
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

from pebble import ProcessExpired, ProcessPool

from pipelines.parse import parse_pdf
from pipelines.parse.record import DeliberationRecord, failed_record

DEFAULT_TIMEOUT_S = 60.0
DEFAULT_MEMORY_MB = 2048


def parse_files(
    paths: Iterable[str | Path],
    jobs: int = 1,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    memory_mb: int | None = DEFAULT_MEMORY_MB,
    annexes: Sequence[Sequence[str | Path]] | None = None,
) -> Iterator[DeliberationRecord]:
    """Records of the files in input order; a file that hangs or blows up gets a failed record.

    `annexes`: for each file, the files of its card's annexes (read only by an act that puts
    its amounts in an annex)."""
    files = [Path(p) for p in paths]
    if not files:
        return
    annex_files = [[str(a) for a in of_file] for of_file in annexes or [[] for _ in files]]
    if len(annex_files) != len(files):
        raise ValueError("parse_files: one list of annexes per file")
    # forkserver: workers fork from a clean, single-threaded server, never from a caller that
    # runs threads (Dagster, DuckDB, GX); a fork of a threaded process can deadlock or crash.
    with ProcessPool(
        max_workers=max(1, jobs),
        initializer=_limit_memory,
        initargs=(memory_mb,),
        context=_forkserver(),
    ) as pool:
        futures = [
            pool.schedule(parse_pdf, args=(str(path), annexes), timeout=timeout_s)
            for path, annexes in zip(files, annex_files, strict=True)
        ]
        for path, future in zip(files, futures, strict=True):
            try:
                yield future.result()
            except FutureTimeout:
                yield _failed(path, f"parsing took longer than {timeout_s:g} s and was cut off")
            except ProcessExpired as error:
                yield _failed(
                    path,
                    f"the PDF library died on this file (exit code {error.exitcode}; "
                    f"memory limit {memory_mb} MB)",
                )
            except MemoryError:
                yield _failed(path, f"parsing needed more than the {memory_mb} MB memory limit")
            except Exception as error:  # a parser bug must not stop the batch: record it
                yield _failed(path, f"internal parser error: {type(error).__name__}: {error}")


def _forkserver() -> multiprocessing.context.BaseContext:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["pipelines.parse"])  # the server imports the parser once
    return context


def _failed(path: Path, reason: str) -> DeliberationRecord:
    try:
        sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        sha256 = ""
    return failed_record(path.name, sha256, "unreadable", reason)


def _limit_memory(memory_mb: int | None) -> None:
    if memory_mb:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
