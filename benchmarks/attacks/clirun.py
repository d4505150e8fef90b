"""Running the real ``profgraph`` command in a child process for an attack case, and judging the result.

:func:`run_profgraph` starts ``python -m profgraph ARGS`` with this checkout's ``src`` on PYTHONPATH
and a store cache inside the case's folder (seeded with a copy of the curated store, built once, so
that a case does not pay for building it), kills it at a deadline, and measures its wall time and
peak memory (``ru_maxrss`` from ``wait4``). :func:`judge` turns that into an
:class:`~attacks.Outcome`: the expected exit status, one ``Error:`` line, no traceback, no raw
control character, within the time (and memory) bound.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from . import Outcome

REPO = Path(__file__).resolve().parents[2]
SHARED_DATA = next((folder / "shared" / "data" for folder in REPO.parents if (folder / "shared" / "data").is_dir()),
                   REPO.parent / "shared" / "data")
_SEED: list[Path] = []
_LOCK = threading.Lock()


@dataclass
class Run:
    """What one run of the command did."""

    args: list[str]
    code: int | None
    stdout: str
    stderr: str
    seconds: float
    peak_rss: int  # bytes
    timed_out: bool


def environment(workdir: Path, extra: dict | None = None) -> dict:
    """The environment of a child: this checkout's ``src`` first, a cache in ``workdir``."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("PROFGRAPH_") and key not in ("HTTP_PROXY", "http_proxy", "ALL_PROXY")}
    env.update(PYTHONPATH=str(REPO / "src"), PROFGRAPH_CACHE=str(workdir / "cache"), PYTHONIOENCODING="utf-8")
    env.update(extra or {})
    return env


def _seed_cache() -> Path:
    """A cache folder holding the built curated store, made once per process."""
    with _LOCK:
        if not _SEED:
            folder = Path(tempfile.mkdtemp(prefix="attack-seed-"))
            atexit.register(shutil.rmtree, folder, True)
            subprocess.run([sys.executable, "-c", "import profgraph; profgraph.load()"], check=True,
                           env=environment(folder), capture_output=True, timeout=300)
            _SEED.append(folder / "cache")
        return _SEED[0]


def run_profgraph(args: list[str], workdir: Path, *, env: dict | None = None, timeout: float = 60,
                  seed: bool = True, stdin: bytes | None = None) -> Run:
    """Run ``python -m profgraph ARGS`` in ``workdir`` and return what it did; killed after ``timeout`` s."""
    if seed and not (workdir / "cache").exists():
        shutil.copytree(_seed_cache(), workdir / "cache", symlinks=True)
    started = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen([sys.executable, "-m", "profgraph", *args], cwd=workdir, stdout=out, stderr=err,
                                   stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                                   env=environment(workdir, env))
        if stdin is not None:
            process.stdin.write(stdin)
            process.stdin.close()
        timer = threading.Timer(timeout, process.kill)
        timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        return Run(args, process.returncode, out.read().decode("utf-8", "replace"),
                   err.read().decode("utf-8", "replace"), seconds, usage.ru_maxrss * 1024,
                   seconds >= timeout)


def judge(run: Run, codes=(1, 2), max_seconds: float = 30, max_rss: int | None = None,
          message: str | None = None, prefix: str = "Error:") -> Outcome:
    """Whether ``run`` was handled cleanly: exit status in ``codes``, (for a failure) one line on stderr
    starting with ``prefix`` and holding ``message`` if given, no traceback, no raw control character,
    at most ``max_seconds`` and ``max_rss`` bytes."""
    problems = []
    if run.timed_out:
        problems.append(f"still running after {run.seconds:.0f} s (killed)")
    if run.code not in codes:
        problems.append(f"exit status {run.code}, expected {codes}")
    output = run.stdout + run.stderr
    if "Traceback" in output:
        problems.append("a traceback")
    if any(char in output for char in "\x1b\x07\x9b\x00"):
        problems.append("raw control characters in the output")
    if run.code not in (0, None):
        errors = [line for line in run.stderr.splitlines() if line.startswith(prefix)]
        if len(errors) != 1:
            problems.append(f"{len(errors)} {prefix!r} lines")
        elif len(errors[0]) > 1000:
            problems.append(f"an error line of {len(errors[0])} characters")
        if message and not any(message in line for line in errors):
            problems.append(f"no {message!r} in the error")
    if run.seconds > max_seconds:
        problems.append(f"took {run.seconds:.1f} s (bound {max_seconds} s)")
    if max_rss is not None and run.peak_rss > max_rss:
        problems.append(f"peak memory {run.peak_rss / 2 ** 20:.0f} MB (bound {max_rss / 2 ** 20:.0f} MB)")
    last = (run.stderr.strip().splitlines() or [""])[-1][:300]
    detail = f"{' '.join(run.args)[:200]!r}: {'; '.join(problems) or 'ok'} | {last!r}"
    return Outcome(not problems, False, detail)
