"""The Great Expectations checks (expectations/*.json), as blocking Dagster asset checks.

- After the load, every table suite and the suites derived from the tables (review_health,
  freshness...), on the work file's normalised tables.
- After the models, the publication suites (publication_losses, publication_volume) on
  marts.counted_grants: the work file against the warehouse published before.

A failed check of severity error stops the run before the publication: the published
warehouse stays as it was. A failed warning is reported and blocks nothing.
"""

from collections.abc import Iterator, Mapping, Sequence

import dagster as dg

from pipelines.defs.keys import table_key
from pipelines.defs.models import sql_models
from pipelines.defs.resources import QualityChecks, StoreResource

_CHECK_PREFIX = "gx_"

# The mart the publication suites are attached to (dagster-dbt names it after the model).
COUNTED_GRANTS = next(key for key in sql_models.keys if key.path[-1] == "counted_grants")


def suite_check_specs() -> list[dg.AssetCheckSpec]:
    """One blocking check per table or derived suite, on the table it validates (a derived
    suite: its first table). The suites' names come from expectations/ (no GX import)."""
    from pipelines.quality.suites import PUBLICATION_SUITES, suite_names, suite_tables

    return [
        dg.AssetCheckSpec(
            f"{_CHECK_PREFIX}{suite}",
            asset=table_key(suite_tables(suite)[0]),
            blocking=True,
            description=f"Great Expectations suite expectations/{suite}.json",
        )
        for suite in suite_names()
        if suite not in PUBLICATION_SUITES
    ]


def build_table_checks() -> dg.AssetChecksDefinition:
    """The Great Expectations checks of the work file's tables, one per suite."""
    specs = suite_check_specs()

    @dg.multi_asset_check(specs=specs, name="great_expectations")
    def great_expectations(
        context: dg.AssetCheckExecutionContext, store: StoreResource, quality: QualityChecks
    ):  # type: ignore[no-untyped-def]
        """Validate every table of the work file against its suite; a failure keeps the marts
        as they were."""
        from pipelines.quality import warm

        suites = _suites(specs)
        validations = warm.validate_file(store.store.layout.work_warehouse, suites)
        yield from _results(context, specs, validations)

    return great_expectations


def build_publication_checks() -> dg.AssetChecksDefinition:
    """The checks of what the publication would change, on marts.counted_grants."""
    from pipelines.quality.suites import PUBLICATION_SUITES

    specs = [
        dg.AssetCheckSpec(
            f"{_CHECK_PREFIX}{suite}",
            asset=COUNTED_GRANTS,
            blocking=True,
            description=f"Great Expectations suite expectations/{suite}.json: the work file "
            "against the warehouse published before",
        )
        for suite in PUBLICATION_SUITES
    ]

    @dg.multi_asset_check(specs=specs, name="publication_checks")
    def publication_checks(
        context: dg.AssetCheckExecutionContext, store: StoreResource, quality: QualityChecks
    ):  # type: ignore[no-untyped-def]
        """Compare the built marts with the published ones: a grant counted as certain and
        lost stops the publication."""
        from pipelines.quality import warm

        with store.store.reading() as layout:  # the store's published file, if this copy is behind
            validations = warm.validate_publication(
                layout.work_warehouse, layout.warehouse, _suites(specs)
            )
        yield from _results(context, specs, validations)

    return publication_checks


def _suites(specs: Sequence[dg.AssetCheckSpec]) -> list[str]:
    return [spec.name.removeprefix(_CHECK_PREFIX) for spec in specs]


def _results(
    context: dg.AssetCheckExecutionContext,
    specs: Sequence[dg.AssetCheckSpec],
    validations: Mapping,  # type: ignore[type-arg]
) -> Iterator[dg.AssetCheckResult]:
    for spec, suite in zip(specs, _suites(specs), strict=True):
        validation = validations[suite]
        if not validation.success:
            log = context.log.error if validation.blocking else context.log.warning
            log(validation.describe())
        yield dg.AssetCheckResult(
            asset_key=spec.asset_key,
            check_name=spec.name,
            passed=validation.success,
            severity=dg.AssetCheckSeverity.ERROR
            if validation.blocking
            else dg.AssetCheckSeverity.WARN,
            metadata=validation.metadata(),
        )
