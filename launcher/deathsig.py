"""Linux's parent-death signal (prctl PR_SET_PDEATHSIG): a process asks the kernel to signal it
when the process that started it ends, however that one ends (kill -9 included), so that
nothing outlives its parent. Elsewhere (macOS) every function here does nothing."""

import ctypes
import functools
import os
import sys
from collections.abc import Callable

PR_SET_PDEATHSIG = 1


@functools.cache
def _prctl():
    if not sys.platform.startswith("linux"):
        return None
    return ctypes.CDLL(None, use_errno=True).prctl


def die_with_parent(signum: int, parent_pid: int) -> None:
    """Called in the child: `signum` once the parent `parent_pid` ends, or now if it has already.
    The kernel means the parent *thread*: the one that forked must live as long as the child."""
    prctl = _prctl()
    if prctl is None:
        return
    prctl(PR_SET_PDEATHSIG, int(signum), 0, 0, 0)
    if os.getppid() != parent_pid:  # it died before the call, so no signal would ever come
        os.kill(os.getpid(), signum)


def before_exec(signum: int) -> Callable[[], None] | None:
    """A `preexec_fn` for subprocess.Popen binding the child to this process, or None where
    there is nothing to bind (None keeps Popen on its faster path)."""
    if _prctl() is None:  # resolved here, in the parent: the child only calls it
        return None
    parent = os.getpid()
    return lambda: die_with_parent(signum, parent)
