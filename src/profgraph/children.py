"""Child processes that never outlive profgraph.

Pyoxigraph cannot interrupt a query, so a query that must stop early runs in a child Python
process that is killed instead (``profgraph sparql --timeout``, the workers of ``profgraph serve``).
Such a child must die with the process that started it, however that one ends:

- in the child, :func:`die_with_parent` asks Linux to kill it when its parent goes
  (``prctl(PR_SET_PDEATHSIG, SIGKILL)``, which covers SIGKILL of the parent too) and, everywhere,
  watches the parent's pid from a thread as a fallback;
- in the parent, :func:`exit_on_signals` turns SIGTERM and SIGHUP into :class:`SystemExit`, so the
  ``finally`` blocks that kill the children run.

``PR_SET_PDEATHSIG`` fires when the *thread* that started the child ends, so a long-lived process
starts its children from a thread that lives as long as it does (see
:class:`profgraph.web.endpoint.QueryWorkers`).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from types import FrameType
from typing import Any, NoReturn

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
PARENT_POLL_SECONDS = 0.5


def start_python(code: str, *args: str, **popen_options: Any) -> subprocess.Popen:
    """Start ``python -c code PARENT_PID *args`` with this interpreter and this process's import
    path; return the :class:`subprocess.Popen`. ``code`` should call :func:`die_with_parent` with
    ``int(sys.argv[1])`` first."""
    # A fresh interpreter, not a fork: forking a threaded process is unsafe.
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(entry for entry in sys.path if entry))
    # Few malloc arenas: each reserves address space, which counts against a worker's RLIMIT_AS cap.
    env.setdefault("MALLOC_ARENA_MAX", "2")
    return subprocess.Popen([sys.executable, "-c", code, str(os.getpid()), *args], env=env, **popen_options)


def die_with_parent(parent_pid: int) -> None:
    """In a child process: arrange to be killed when the process ``parent_pid`` ends; exit now if
    it already has."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # the watcher thread below still works
    if os.getppid() != parent_pid:
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent_pid,), name="profgraph-parent-watch", daemon=True).start()


def _watch_parent(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)


def limit_memory(megabytes: int) -> None:
    """In a child process: cap its address space at ``megabytes`` MiB (``RLIMIT_AS``), so that an
    allocation past it fails instead of exhausting the machine. A no-op where rlimits do not exist."""
    try:
        import resource
    except ImportError:
        return
    wanted = megabytes * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))


@contextlib.contextmanager
def exit_on_signals(signals: Iterable[signal.Signals] = (signal.SIGTERM, signal.SIGHUP)) -> Iterator[None]:
    """Within the block, make ``signals`` raise :class:`SystemExit` (status 128 + signal number) so
    that cleanup code runs; restore the previous handlers after. Signals the process ignores stay
    ignored, and outside the main thread (where Python cannot set handlers) this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def leave(signum: int, frame: FrameType | None) -> NoReturn:
        raise SystemExit(128 + signum)

    previous = {}
    for number in signals:
        if signal.getsignal(number) is not signal.SIG_IGN:
            previous[number] = signal.signal(number, leave)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


__all__ = ["start_python", "die_with_parent", "limit_memory", "exit_on_signals"]
