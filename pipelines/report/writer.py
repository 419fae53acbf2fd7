"""Write the report next to the warehouse, atomically (temporary file, fsync, rename)."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from pipelines.report.data import read_report_data
from pipelines.report.page import render_page
from pipelines.settings import DataLayout

REPORT_NAME = "report.html"


@dataclass(frozen=True)
class ReportSummary:
    """What was written."""

    path: Path
    bytes: int
    grants_shown: int
    poles: int
    territories: int


def default_report_path(layout: DataLayout) -> Path:
    """DATA/report.html, beside the published warehouse."""
    return layout.root / REPORT_NAME


def write_report(
    warehouse: Path,
    target: Path,
    *,
    top: int = 20,
    generated_at: dt.datetime | None = None,
) -> ReportSummary:
    """Read the published warehouse, render the page and put it at target in one rename."""
    report = read_report_data(warehouse, top=top)
    page = render_page(report, generated_at=generated_at).encode("utf-8")
    write_atomically(target, page)
    return ReportSummary(
        path=target,
        bytes=len(page),
        grants_shown=len(report.largest_grants),
        poles=len(report.by_pole),
        territories=len(report.by_territory),
    )


def write_atomically(target: Path, content: bytes) -> None:
    """A reader sees the old file or the new one, never half of one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with staging.open("wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(staging, target)
    finally:
        staging.unlink(missing_ok=True)
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
