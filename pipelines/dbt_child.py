"""`polefunds-dbt`: dbt's CLI, in a process that dies with the run that started it.

dagster-dbt starts dbt as a child process. When the run is killed (SIGKILL: nothing can
clean up), a plain dbt child would build on, holding the work file's lock while the next
run starts. This entry point first asks the kernel to kill it when its parent dies
(pipelines/lifetime.py), then runs dbt's own CLI in-process. Off Linux it is dbt's CLI as is.
"""

from __future__ import annotations

import os
import sys

from pipelines.lifetime import die_with_parent

# The work file the profile (sql/profiles.yml) opens.
WAREHOUSE_ENV = "POLEFUNDS_WAREHOUSE_PATH"
# The data folder to run dbt in: the work file is then named relative to it, so the profile is
# the same for every data folder and dbt's partial parse holds in a new one too (a profile that
# names a folder makes dbt parse the whole project again in every new folder).
DATA_DIR_ENV = "POLEFUNDS_DBT_DATA_DIR"


def main() -> None:
    """dbt's CLI (dbt.cli.main:cli, the `dbt` console script), bound to its parent's life."""
    die_with_parent()
    folder = os.environ.pop(DATA_DIR_ENV, None)
    if folder:
        os.environ.setdefault("DBT_PROJECT_DIR", os.getcwd())  # where dagster-dbt started us
        if WAREHOUSE_ENV in os.environ:
            os.environ[WAREHOUSE_ENV] = os.path.relpath(os.environ[WAREHOUSE_ENV], folder)
        os.chdir(folder)
    from dbt.cli.main import cli

    sys.argv[0] = "dbt"
    cli()


if __name__ == "__main__":
    main()
