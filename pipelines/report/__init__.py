"""The report: one self-contained HTML page (inline CSS and SVG) from the published warehouse."""

from pipelines.report.writer import ReportSummary, write_report

__all__ = ["ReportSummary", "write_report"]
