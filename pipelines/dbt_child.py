"""`polefunds-dbt`: dbt's CLI, in a process that dies with the run that started it.

dagster-dbt starts dbt as a child process. When the run is killed (SIGKILL: nothing can
clean up), a plain dbt child would build on, holding the work file's lock while the next
run starts. On Linux this entry point first asks the kernel to kill it when its parent dies
(PR_SET_PDEATHSIG), then runs dbt's own CLI in-process. Elsewhere it is dbt's CLI as is.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> bool:
    """Ask for SIGKILL when the parent process exits; whether the kernel agreed."""
    if not sys.platform.startswith("linux"):
        return False
    parent = os.getppid()
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        return False
    if os.getppid() != parent:  # the parent died before the request: nobody to outlive
        os._exit(1)
    return True


def main() -> None:
    """dbt's CLI (dbt.cli.main:cli, the `dbt` console script), bound to its parent's life."""
    die_with_parent()
    from dbt.cli.main import cli

    sys.argv[0] = "dbt"
    cli()


if __name__ == "__main__":
    main()
