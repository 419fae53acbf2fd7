"""Child processes that die with the process that started them (Linux: PR_SET_PDEATHSIG).

A run killed with SIGKILL cannot clean up: a child of its own (dbt's build, the checks'
process) would go on, holding files and memory, while the next run starts. A child that
calls `die_with_parent()` first is killed by the kernel when its parent dies.

The parent may die before the child asks (a run killed while its dbt is starting): the child
then already belongs to another process (init, a subreaper), and `os.getppid()` alone cannot
tell. So the starting process names itself in the environment while it starts the child
(`parent_named()`), and the child exits at once if that process is no longer its parent.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager

_PR_SET_PDEATHSIG = 1
PARENT_ENV = "POLEFUNDS_PARENT_PID"


@contextmanager
def parent_named() -> Iterator[None]:
    """Within the block, the children this process starts learn which process started them.

    Only within it: a name left in the environment would reach the children of children
    started later by other processes, which would take it for their parent's.
    """
    before = os.environ.get(PARENT_ENV)
    os.environ[PARENT_ENV] = str(os.getpid())
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(PARENT_ENV, None)
        else:
            os.environ[PARENT_ENV] = before


def die_with_parent() -> bool:
    """Ask for SIGKILL when the parent process exits; whether the kernel agreed. A child whose
    named parent (`parent_named`) is already gone exits at once."""
    if not sys.platform.startswith("linux"):
        return False
    named = os.environ.pop(PARENT_ENV, None)  # popped: it names no grandchild's parent
    parent = int(named) if named else os.getppid()
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        return False
    if os.getppid() != parent:  # the parent died before the request: nobody to outlive
        os._exit(1)
    return True
