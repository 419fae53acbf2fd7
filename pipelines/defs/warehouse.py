"""Load stage: the normalised tables, loaded into the DuckDB work file in one step, and checked.

The load decides whether there is anything to do: when the catalogue, the parsed records and
the rules are those the published warehouse was built from, it materialises nothing, and the
checks, the models, the publication, the exports and the report are skipped with it.
"""

import dagster as dg

from pipelines.defs.keys import LISTING, PARSED_RECORDS, table_key
from pipelines.defs.resources import StoreResource
from pipelines.normalise.schemas import TABLES

# The observation a load that found nothing new leaves, for the run's summary.
UP_TO_DATE = "up_to_date"


class LoadConfig(dg.Config):
    """`rebuild`: load, check and build even when nothing is new (`polefunds run --rebuild`)."""

    rebuild: bool = False


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            table_key(table.name),
            description=table.description,
            deps=[PARSED_RECORDS, LISTING],
            group_name="warehouse",
            kinds={"polars", "duckdb"},
            skippable=True,
            metadata={
                "dagster/column_schema": dg.TableSchema(
                    columns=[
                        dg.TableColumn(name, str(dtype), description=text)
                        for name, (dtype, text) in table.columns.items()
                    ]
                )
            },
        )
        for table in TABLES
    ],
)
def normalised_tables(context: dg.AssetExecutionContext, config: LoadConfig, store: StoreResource):  # type: ignore[no-untyped-def]
    """Normalise records and crawl metadata with polars and load them in one DuckDB transaction."""
    from pipelines.crawl.store import Catalogue
    from pipelines.normalise.corrections import read_corrections
    from pipelines.normalise.frames import normalise
    from pipelines.parse.partitions import all_records
    from pipelines.warehouse.duckdb_file import load_tables
    from pipelines.warehouse.fingerprint import inputs_fingerprint, stamp_matches

    with store.store.loading() as layout:
        fingerprint = inputs_fingerprint(layout)
        if not config.rebuild and stamp_matches(layout, fingerprint):
            with store.store.reading():  # this copy needs the store's warehouse, if behind it
                pass
            if layout.warehouse.exists():
                context.log.info("nothing new since the published warehouse: nothing to load")
                context.log_event(
                    dg.AssetObservation(
                        asset_key=table_key(TABLES[0].name), metadata={UP_TO_DATE: True}
                    )
                )
                return
        with Catalogue(layout.catalogue) as catalogue:
            manifest, listing = catalogue.manifest(), catalogue.listing()
        corrections = read_corrections(layout.corrections, layout.root)
        frames = normalise(manifest, listing, all_records(layout), corrections=corrections)
        counts = load_tables(layout.work_warehouse, frames)
        layout.work_stamp.write_text(fingerprint + "\n")  # published with the work file
    quarantined = frames["quarantine"]
    if quarantined.height:
        context.log.warning(f"{quarantined.height} row(s) quarantined: see table quarantine")
    for name, count in counts.items():
        yield dg.MaterializeResult(asset_key=table_key(name), metadata={"dagster/row_count": count})
