"""Load stage: the normalised tables, loaded into the DuckDB work file in one step, and checked.

The load decides whether there is anything to do: when the catalogue, the parsed records and
the rules are those the published warehouse was built from, it materialises nothing, and the
checks, the models, the publication, the exports and the report are skipped with it.
"""

import dagster as dg

from pipelines.defs.keys import LISTING, PARSED_RECORDS, table_key
from pipelines.defs.resources import QualityChecks, StoreResource
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
        frames = normalise(manifest, listing, all_records(layout))
        counts = load_tables(layout.work_warehouse, frames)
        layout.work_stamp.write_text(fingerprint + "\n")  # published with the work file
    quarantined = frames["quarantine"]
    if quarantined.height:
        context.log.warning(f"{quarantined.height} row(s) quarantined: see table quarantine")
    for name, count in counts.items():
        yield dg.MaterializeResult(asset_key=table_key(name), metadata={"dagster/row_count": count})


_CHECK_PREFIX = "gx_"


def suite_check_specs() -> list[dg.AssetCheckSpec]:
    """One blocking check per GX suite, on the table it validates (a derived suite: its first
    table). The suites' names come from expectations/ (read once, no GX import)."""
    from pipelines.quality.suites import suite_names, suite_tables

    return [
        dg.AssetCheckSpec(
            f"{_CHECK_PREFIX}{suite}",
            asset=table_key(suite_tables(suite)[0]),
            blocking=True,
            description=f"Great Expectations suite expectations/{suite}.json",
        )
        for suite in suite_names()
    ]


def build_table_checks() -> dg.AssetChecksDefinition:
    """The Great Expectations checks of the work file, one per suite."""
    specs = suite_check_specs()

    @dg.multi_asset_check(specs=specs, name="great_expectations")
    def great_expectations(
        context: dg.AssetCheckExecutionContext, store: StoreResource, quality: QualityChecks
    ):  # type: ignore[no-untyped-def]
        """Validate every table of the work file against its suite; a failure keeps the marts
        as they were."""
        from pipelines.quality import warm

        suites = [spec.name.removeprefix(_CHECK_PREFIX) for spec in specs]
        validations = warm.validate_file(store.store.layout.work_warehouse, suites)
        for spec, suite in zip(specs, suites, strict=True):
            validation = validations[suite]
            if not validation.success:
                context.log.error(validation.describe())
            yield dg.AssetCheckResult(
                asset_key=spec.asset_key,
                check_name=spec.name,
                passed=validation.success,
                severity=dg.AssetCheckSeverity.ERROR
                if validation.blocking
                else dg.AssetCheckSeverity.WARN,
                metadata=validation.metadata(),
            )

    return great_expectations
