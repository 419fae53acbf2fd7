"""Write the report next to the warehouse, atomically (temporary file, fsync, rename)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from pipelines import atomic
from pipelines.report.data import read_report_data
from pipelines.report.page import render_page


@dataclass(frozen=True)
class ReportSummary:
    """What was written."""

    path: Path
    bytes: int
    grants_shown: int
    poles: int
    territories: int


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
    atomic.write_bytes(target, page)
    return ReportSummary(
        path=target,
        bytes=len(page),
        grants_shown=len(report.largest_grants),
        poles=len(report.by_pole),
        territories=len(report.by_territory),
    )
