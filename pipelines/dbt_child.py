"""`polefunds-dbt`: dbt's CLI, in a process that dies with the run that started it.

dagster-dbt starts dbt as a child process. When the run is killed (SIGKILL: nothing can
clean up), a plain dbt child would build on, holding the work file's lock while the next
run starts. This entry point first asks the kernel to kill it when its parent dies
(pipelines/lifetime.py), then runs dbt's own CLI in-process. Off Linux it is dbt's CLI as is.
"""

from __future__ import annotations

import sys

from pipelines.lifetime import die_with_parent


def main() -> None:
    """dbt's CLI (dbt.cli.main:cli, the `dbt` console script), bound to its parent's life."""
    die_with_parent()
    from dbt.cli.main import cli

    sys.argv[0] = "dbt"
    cli()


if __name__ == "__main__":
    main()
