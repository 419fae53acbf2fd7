"""SQL stage: the dbt project in sql/ (staging -> intermediate -> marts), one asset per model."""

import functools
import importlib.metadata
import os
import shutil
import sys
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets
from packaging import version

from pipelines.defs.resources import PolefundsConfig
from pipelines.settings import PROJECT_ROOT

DBT_PROJECT_DIR = PROJECT_ROOT / "sql"
WAREHOUSE_ENV = "POLEFUNDS_WAREHOUSE_PATH"

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


# `polefunds-dbt` (pipelines/dbt_child.py: dbt that dies with its run), else `dbt`, both
# installed beside this Python.
_BESIDE = (Path(sys.executable).with_name("polefunds-dbt"), Path(sys.executable).with_name("dbt"))


def dbt_resource() -> DbtCliResource:
    """The dbt CLI of this environment (the one beside this Python, found without PATH)."""
    beside = next((path for path in _BESIDE if path.exists()), None)
    executable = str(beside) if beside else (shutil.which("dbt") or "dbt")
    # DbtCliResource.__init__ takes a DbtProject; the pydantic plugin sees only the str field
    return LockedDbtCliResource(project_dir=dbt_project, dbt_executable=executable)  # type: ignore[arg-type]


# What the manifest is made from (dbt_project.yml's model-, macro- and test-paths).
_PROJECT_SOURCES = ("dbt_project.yml", "models", "macros", "tests")


def _stale(manifest: Path, project_dir: Path) -> bool:
    """Whether the manifest is missing or older than a file of the project it describes."""
    if not manifest.exists():
        return True
    made = manifest.stat().st_mtime
    for name in _PROJECT_SOURCES:
        source = project_dir / name
        files = source.rglob("*") if source.is_dir() else [source]
        if any(path.is_file() and path.stat().st_mtime > made for path in files):
            return True
    return False


def ensure_manifest(project: DbtProject = dbt_project) -> Path:
    """The dbt manifest (dagster-dbt loads models from it), parsed again when sql/ changed."""
    if _stale(project.manifest_path, Path(project.project_dir)):
        from dbt.cli.main import dbtRunner  # heavy: only when the manifest must be made

        os.environ.setdefault(WAREHOUSE_ENV, str(PROJECT_ROOT / "data" / "warehouse.work.duckdb"))
        result = dbtRunner().invoke(
            [
                "parse",
                "--project-dir",
                str(project.project_dir),
                "--profiles-dir",
                str(project.profiles_dir),
                "--quiet",
            ]
        )
        if not result.success:
            raise RuntimeError(f"dbt parse failed: {result.exception}")
    return project.manifest_path


# The production build runs the models and their data tests; the unit tests check the SQL's
# logic on fixed inputs, not the data, so they run with the test suite (tests/test_dbt_project.py)
# and in CI, not at every scheduled run.
BUILD_ARGS = ("build", "--exclude-resource-type", "unit_test")


@dbt_assets(manifest=ensure_manifest(), project=dbt_project)
def sql_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, polefunds: PolefundsConfig):  # type: ignore[no-untyped-def]
    """Build and test every model against the run's work file (dbt build)."""
    layout = polefunds.layout
    os.environ[WAREHOUSE_ENV] = str(layout.work_warehouse)
    # One target folder per data folder, reused from run to run: dbt's partial parse (its
    # profile names this data folder's file) is kept, and nothing piles up in the source tree.
    yield from dbt.cli(list(BUILD_ARGS), context=context, target_path=layout.dbt_target).stream()
