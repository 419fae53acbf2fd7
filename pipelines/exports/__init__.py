"""Exports of the published warehouse: marts as Parquet and CSV, a data dictionary, SCDL open data.

No Dagster here: `polefunds export` and the `exports/*` assets both call `export_all`.
"""

from pipelines.exports.bundle import ExportReport, export_all

__all__ = ["ExportReport", "export_all"]
