"""Child processes that die with the process that started them (Linux: PR_SET_PDEATHSIG).

A run killed with SIGKILL cannot clean up: a child of its own (dbt's build, the checks'
process) would go on, holding files and memory, while the next run starts. A child that
calls `die_with_parent()` first is killed by the kernel when its parent dies.
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
