"""One export of the published warehouse, built in a temporary folder and renamed into place."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipelines.exports.dictionary import ColumnEntry, write_dictionary
from pipelines.exports.marts import write_marts
from pipelines.exports.scdl import DATASETS, ScdlFile, write_scdl
from pipelines.exports.validation import InvalidExport, Validation, validate_file, write_report

SCDL_FOLDER = "scdl"
VALIDATION_REPORT = "validation.json"


@dataclass
class ExportReport:
    """What an export wrote: rows per mart, the dictionary, the SCDL files and their validation."""

    target: Path
    marts: dict[str, int] = field(default_factory=dict)
    dictionary: list[ColumnEntry] = field(default_factory=list)
    scdl: list[ScdlFile] = field(default_factory=list)
    validations: list[Validation] = field(default_factory=list)

    def summary(self) -> str:
        """A few lines for a person: rows, files, valid SCDL rows, the values acts leave empty."""
        lines = [f"exported to {self.target}"]
        lines += [
            f"  {mart}: {rows} rows (parquet, csv, csv-excel-fr)"
            for mart, rows in self.marts.items()
        ]
        undescribed = sum(1 for entry in self.dictionary if not entry.description)
        lines.append(
            f"  dictionary: {len(self.dictionary)} columns"
            + (f", {undescribed} without a description" if undescribed else "")
        )
        verdicts = {validation.path.name: validation for validation in self.validations}
        for scdl in self.scdl:
            validation = verdicts.get(scdl.path.name)
            verdict = validation.verdict() if validation else "not validated"
            lines.append(f"  scdl/{scdl.path.name}: {scdl.rows} rows, {verdict}")
            if validation and validation.missing:
                lines.append("    required fields left empty (the acts do not state them), rows:")
                lines += [
                    f"      {column}: {count}" for column, count in validation.missing.items()
                ]
            gaps = {
                column: count
                for column, count in scdl.empty.items()
                if count and not (validation and column in validation.missing)
            }
            if gaps:
                lines.append("    recommended fields left empty, rows:")
                lines += [f"      {column}: {count}" for column, count in gaps.items()]
        if self.scdl:
            lines.append(f"  scdl/{VALIDATION_REPORT}: the rows that are not valid, and why")
        return "\n".join(lines)


def _build(warehouse: Path, folder: Path) -> ExportReport:
    report = ExportReport(folder)
    datasets = {dataset.name: dataset for dataset in DATASETS}
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        report.marts = write_marts(connection, folder)
        report.scdl = write_scdl(connection, folder / SCDL_FOLDER)
        report.validations = [
            validate_file(scdl.path, datasets[scdl.name].schema, datasets[scdl.name].key)
            for scdl in report.scdl
        ]
        broken = [result for result in report.validations if result.broken]
        if broken:
            raise InvalidExport(broken)
        write_report(report.validations, folder / SCDL_FOLDER / VALIDATION_REPORT)
        report.dictionary = write_dictionary(connection, folder, report.validations)
    return report


def _swap_into_place(built: Path, target: Path) -> None:
    """Put the built folder at target; a reader sees the old export or the new, never a mix."""
    if not target.exists():
        os.rename(built, target)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    os.rename(target, retired / target.name)
    os.rename(built, target)
    shutil.rmtree(retired, ignore_errors=True)


def export_all(warehouse: Path, target: Path) -> ExportReport:
    """Export the published warehouse to target (replaced as a whole); raise InvalidExport."""
    if not warehouse.exists():
        raise FileNotFoundError(f"no published warehouse at {warehouse}: run `polefunds run` first")
    target = target.absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    try:
        report = _build(warehouse, building)
        building.chmod(0o755)  # mkdtemp's 0700 would hide the export from its readers
        _swap_into_place(building, target)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    report.target = target
    for scdl in report.scdl:
        scdl.path = target / SCDL_FOLDER / scdl.path.name
    for validation in report.validations:
        validation.path = target / SCDL_FOLDER / validation.path.name
    return report
