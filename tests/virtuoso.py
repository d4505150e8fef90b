"""A private Virtuoso 7.2 server for the remote-store tests and benchmarks (Debian's
``virtuoso-opensource``: ``virtuoso-t`` and ``isql-vt``).

:func:`private_virtuoso` writes an ini file and a database folder of its own under a given folder,
starts ``virtuoso-t`` on two free loopback ports (SQL and HTTP), waits until its SPARQL endpoint
answers, creates a user with the ``SPARQL_UPDATE`` role (what ``push`` needs: it logs in with HTTP
Digest at ``/sparql-graph-crud-auth``), and stops the server when the block ends. The server is
told to die with the process that started it (``PR_SET_PDEATHSIG``), so it cannot outlive the tests
even when they are killed. Its result limit is Debian's (``ResultSetMaxRows = 10000``), the
setting that cuts a large answer short.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from conftest import free_port

VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt")
MISSING = ("Virtuoso is not installed (Debian: apt-get install virtuoso-opensource-7-bin, which gives virtuoso-t "
           "and isql-vt)") if not (VIRTUOSO and ISQL) else ""
DEBIAN_MAX_ROWS = 10_000  # [SPARQL] ResultSetMaxRows in Debian's /etc/virtuoso-opensource-7/virtuoso.ini
USER, PASSWORD = "profgraph_writer", "pg-test-secret"

INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = ., {folder}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
CheckpointInterval = 60
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
ServerThreads = 6
MaxClientConnections = 6
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 120
"""


@dataclass(frozen=True)
class Virtuoso:
    """A running Virtuoso: ``base`` URL, its query endpoint ``query``, its Graph Store endpoint with
    Digest login ``store``, the ``user`` and ``password`` that may write there, and its ``folder``."""

    base: str
    user: str
    password: str
    folder: Path

    @property
    def query(self) -> str:
        return f"{self.base}/sparql"

    @property
    def store(self) -> str:
        return f"{self.base}/sparql-graph-crud-auth"


def _die_with_parent() -> None:
    import ctypes

    ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG


def isql(port: int, statement: str) -> str:
    """Run the SQL ``statement`` as dba on the Virtuoso listening on ``port``; return its output.
    Raises AssertionError when isql fails."""
    result = subprocess.run([ISQL, f"127.0.0.1:{port}", "dba", "dba", f"exec={statement}"], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0 and "Error" not in result.stdout + result.stderr, result.stdout + result.stderr
    return result.stdout


@contextmanager
def private_virtuoso(folder: Path, max_rows: int = DEBIAN_MAX_ROWS, timeout: float = 180.0):
    """Run a Virtuoso of its own in ``folder`` until the block ends; yield its :class:`Virtuoso`.
    Fails (AssertionError, with the end of its log) when it does not answer within ``timeout`` s."""
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(INI.format(folder=folder, sql_port=sql_port, http_port=http_port, max_rows=max_rows),
                   encoding="utf-8")
    base = f"http://127.0.0.1:{http_port}"
    with open(folder / "console.log", "wb") as console:
        process = subprocess.Popen([VIRTUOSO, "+foreground", "+configfile", str(ini)], cwd=folder,
                                   stdout=console, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True, preexec_fn=_die_with_parent)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(f"{base}/sparql?query=ASK%7B%7D", timeout=5).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log = (folder / "virtuoso.log").read_text(errors="replace") if (folder / "virtuoso.log").exists() else ""
                    raise AssertionError(f"Virtuoso did not start: {log[-2000:]}") from None
                time.sleep(0.25)
        isql(sql_port, f"DB.DBA.USER_CREATE('{USER}', '{PASSWORD}'); GRANT SPARQL_UPDATE TO \"{USER}\";")
        yield Virtuoso(base, USER, PASSWORD, folder)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)
