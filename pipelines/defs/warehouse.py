"""Load stage: the normalised tables, loaded into the DuckDB work file in one step, and checked."""

import dagster as dg

from pipelines import sync
from pipelines.crawl.store import Catalogue
from pipelines.defs.crawl import LISTING
from pipelines.defs.parse import PARSED_RECORDS
from pipelines.defs.resources import PolefundsConfig
from pipelines.normalise.frames import normalise
from pipelines.normalise.schemas import TABLES
from pipelines.warehouse.duckdb_file import load_tables
from pipelines.warehouse.parsed import all_records

# The dbt project reads these tables as the source `polefunds`: same asset keys, so the
# lineage runs from the crawl to the marts.
SOURCE = "polefunds"


def table_key(name: str) -> dg.AssetKey:
    """The asset key of a normalised table."""
    return dg.AssetKey([SOURCE, name])


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            table_key(table.name),
            description=table.description,
            deps=[PARSED_RECORDS, LISTING],
            group_name="warehouse",
            kinds={"polars", "duckdb"},
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
def normalised_tables(context: dg.AssetExecutionContext, polefunds: PolefundsConfig):  # type: ignore[no-untyped-def]
    """Normalise records and crawl metadata with polars and load them in one DuckDB transaction."""
    layout = polefunds.layout
    sync.parsed_state(layout)
    with Catalogue(layout.catalogue) as catalogue:
        manifest, listing = catalogue.manifest(), catalogue.listing()
    frames = normalise(manifest, listing, all_records(layout))
    counts = load_tables(layout.work_warehouse, frames)
    quarantined = frames["quarantine"]
    if quarantined.height:
        context.log.warning(f"{quarantined.height} row(s) quarantined: see table quarantine")
    for name, count in counts.items():
        yield dg.MaterializeResult(asset_key=table_key(name), metadata={"dagster/row_count": count})


_CHECK_PREFIX = "gx_"


def _suite_specs() -> list[dg.AssetCheckSpec]:
    """One blocking check per GX suite, on the table it validates (a derived suite: its first table)."""
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


SUITE_CHECKS = _suite_specs()


@dg.multi_asset_check(specs=SUITE_CHECKS, name="great_expectations")
def great_expectations(context: dg.AssetCheckExecutionContext, polefunds: PolefundsConfig):  # type: ignore[no-untyped-def]
    """Validate every table of the work file against its suite; a failure keeps the marts as they were."""
    from pipelines.quality import warm

    suites = [spec.name.removeprefix(_CHECK_PREFIX) for spec in SUITE_CHECKS]
    validations = warm.validate_file(polefunds.layout.work_warehouse, suites)
    for spec, suite in zip(SUITE_CHECKS, suites, strict=True):
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


table_checks = [great_expectations]
