"""Export stage: the published warehouse as open files, built together and renamed into place."""

import dagster as dg

from pipelines.defs.keys import EXPORTED_MARTS, EXPORTED_SCDL, PUBLISHED
from pipelines.defs.resources import StoreResource


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            EXPORTED_MARTS,
            description="Every mart as one Parquet file and as CSV (and a French-Excel CSV), with a "
            "data dictionary.",
            deps=[PUBLISHED],
            group_name="exports",
            kinds={"parquet", "csv"},
        ),
        dg.AssetSpec(
            EXPORTED_SCDL,
            description="Grants and deliberations as SCDL-shaped CSV files, checked by frictionless "
            "with every constraint on; how many rows are valid.",
            deps=[PUBLISHED],
            group_name="exports",
            kinds={"csv", "frictionless"},
        ),
    ],
)
def exported_files(store: StoreResource):  # type: ignore[no-untyped-def]
    """DATA/exports/: one folder written aside and renamed over the last one, so both agree."""
    from pipelines.exports import export_all

    with store.store.exporting() as layout:
        report = export_all(layout.warehouse, layout.exports)
    yield dg.MaterializeResult(
        asset_key=EXPORTED_MARTS,
        metadata={
            "path": str(report.target),
            "dagster/row_count": sum(report.marts.values()),
            "columns_described": sum(1 for entry in report.dictionary if entry.description),
            **{f"rows/{mart}": rows for mart, rows in report.marts.items()},
        },
    )
    yield dg.MaterializeResult(
        asset_key=EXPORTED_SCDL,
        metadata={
            "path": str(report.target / "scdl"),
            "dagster/row_count": sum(scdl.rows for scdl in report.scdl),
            **{f"rows/{scdl.name}": scdl.rows for scdl in report.scdl},
            **{
                f"valid_rows/{validation.path.stem}": validation.valid_rows
                for validation in report.validations
            },
            **{
                f"left_empty/{scdl.name}/{column}": count
                for scdl in report.scdl
                for column, count in scdl.empty.items()
                if count
            },
        },
    )
