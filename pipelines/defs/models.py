"""SQL stage: the dbt project in sql/ (staging -> intermediate -> marts), one asset per model."""

import functools
import importlib.metadata
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets
from packaging import version

from pipelines.dbt_child import DATA_DIR_ENV, WAREHOUSE_ENV
from pipelines.defs.resources import StoreResource
from pipelines.lifetime import parent_named
from pipelines.settings import PROJECT_ROOT

DBT_PROJECT_DIR = PROJECT_ROOT / "sql"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


class LockedDbtCliResource(DbtCliResource):
    """dbt's CLI from this environment: its version is the locked dbt-core's.

    dagster-dbt otherwise learns it by running `dbt --version` before each build, a second
    start of dbt (seconds of imports) on every run.
    """

    @functools.cached_property
    def _cli_version(self) -> version.Version:
        if Path(self.dbt_executable) in _BESIDE:
            return version.parse(importlib.metadata.version("dbt-core"))
        return super()._cli_version

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:  # type: ignore[override]
        """No dbt adapter in the run's process.

        dagster-dbt opens one before each build (dbt's config and adapter imported and loaded
        here, a second or more) only to fetch column metadata and row counts, which this
        project does not ask for: dbt's own process does the work.
        """
        return None


# `polefunds-dbt` (pipelines/dbt_child.py: dbt that dies with its run), else `dbt`, both
# installed beside this Python.
_BESIDE = (Path(sys.executable).with_name("polefunds-dbt"), Path(sys.executable).with_name("dbt"))


def dbt_resource() -> DbtCliResource:
    """The dbt CLI of this environment (the one beside this Python, found without PATH)."""
    beside = next((path for path in _BESIDE if path.exists()), None)
    executable = str(beside) if beside else (shutil.which("dbt") or "dbt")
    # DbtCliResource.__init__ takes a DbtProject; the pydantic plugin sees only the str field
    return LockedDbtCliResource(project_dir=dbt_project, dbt_executable=executable)  # type: ignore[arg-type]


# dagster-dbt reads the models from dbt's manifest when the definitions load; making it (dbt
# parse, seconds) is never done at import: `make install` and CI make it (the Makefile remakes
# it whenever a file of sql/ changes), `dagster dev` makes it when it starts (prepare_if_dev).
dbt_project.prepare_if_dev()


def _manifest() -> Path:
    path = Path(dbt_project.manifest_path)
    if not path.exists():
        raise RuntimeError(
            f"dbt's manifest is missing ({path}): run `make install` (it runs `dbt parse` on sql/)"
        )
    sources = [
        source
        for folder in ("models", "macros", "tests")
        for source in (Path(dbt_project.project_dir) / folder).rglob("*")
        if source.suffix in {".sql", ".yml"}
    ]
    made = path.stat().st_mtime
    changed = [source for source in sources if source.stat().st_mtime > made]
    if changed:
        # dbt's build would name tests the manifest does not know (a KeyError mid-run)
        raise RuntimeError(
            f"dbt's manifest ({path}) is older than {changed[0]} and {len(changed) - 1} other "
            "files of the dbt project: run `make install` (it runs `dbt parse` on sql/)"
        )
    return path


# The production build runs the models and their data tests; the unit tests check the SQL's
# logic on fixed inputs, not the data, so they run with the test suite (tests/test_dbt_project.py)
# and in CI, not at every scheduled run.
# dbt's own log file (DATA/dbt/target/dbt.log) keeps warnings and errors: every event of the
# build is in the run's log already, and writing them again at debug level costs each run a
# second.
BUILD_ARGS = ("build", "--exclude-resource-type", "unit_test", "--log-level-file", "warn")


@dbt_assets(manifest=_manifest(), project=dbt_project)
def sql_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, store: StoreResource):  # type: ignore[no-untyped-def]
    """Build and test every model against the run's work file (dbt build)."""
    layout = store.store.layout
    os.environ[WAREHOUSE_ENV] = str(layout.work_warehouse)
    # polefunds-dbt runs dbt in the data folder, the work file named relative to it (the same
    # profile for every folder); a plain `dbt` ignores this and opens the path above.
    os.environ[DATA_DIR_ENV] = str(layout.work_warehouse.parent)
    # One target folder per data folder, reused from run to run: dbt's partial parse is kept,
    # and nothing piles up in the source tree.
    # polefunds-dbt exits at once if this step dies before dbt could bind itself to it.
    with parent_named():  # dbt starts within cli()
        build = dbt.cli(list(BUILD_ARGS), context=context, target_path=layout.dbt_target)
    yield from build.stream()
