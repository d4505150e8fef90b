"""Shared fixtures. Built stores go to a temporary cache, never to the user's."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
SRC = TESTS.parent / "src"
TINY = TESTS / "data" / "tiny"
# ../shared/data beside the checkout; a git worktree further down finds it in an ancestor folder.
SHARED_DATA = next((folder / "shared" / "data" for folder in TESTS.parents[1:] if (folder / "shared" / "data").is_dir()),
                   TESTS.parent.parent / "shared" / "data")


# The slow tests (pytest -m slow; the default run keeps them, `python -m pytest -m "not slow"` is the fast
# run): whole modules whose tests take seconds each (RDF exports and the ESCO import, Chromium, SPARQL servers
# and child processes, the networkx brute force of the path search), every test that needs the full ESCO
# import, the built site, Chromium or a server process, and single tests marked in their modules.
SLOW_MODULES = {"test_browser", "test_browser_client", "test_browser_server", "test_esco", "test_export",
                "test_linked_data", "test_path_search", "test_remote", "test_remote_faults", "test_remote_virtuoso",
                "test_serve_process", "test_site", "test_store_damage", "test_workload"}
SLOW_FIXTURES = {"esco", "curated_site", "browser", "live_server"}


def pytest_collection_modifyitems(items):
    """Mark ``slow`` the tests of :data:`SLOW_MODULES` and those that use one of :data:`SLOW_FIXTURES`."""
    for item in items:
        if item.path.stem in SLOW_MODULES or SLOW_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory):
    patcher = pytest.MonkeyPatch()
    patcher.setenv("PROFGRAPH_CACHE", str(tmp_path_factory.mktemp("cache")))
    for name in ("PROFGRAPH_STORE", "PROFGRAPH_DATA", "PROFGRAPH_ENDPOINT", "PROFGRAPH_GRAPH"):
        patcher.delenv(name, raising=False)
    yield
    patcher.undo()


def run(*args, **options):
    """Run ``profgraph ARGS`` (each made a string) in this process with click's CliRunner and return its
    result (``exit_code``, ``output``, ``stdout``, ``stderr``). An exception the command does not turn
    into an exit status is raised with its traceback; ``options`` go to ``CliRunner.invoke`` (``input``,
    ``env``)."""
    from click.testing import CliRunner

    from profgraph.cli import main

    return CliRunner().invoke(main, [str(arg) for arg in args], **{"catch_exceptions": False, **options})


def run_ok(*args, **options) -> str:
    """Return the output of :func:`run`, after checking that the command succeeded."""
    result = run(*args, **options)
    assert result.exit_code == 0, result.output
    return result.output


def child_environment(**variables) -> dict[str, str]:
    """The environment of a child Python process that imports this checkout's profgraph, with ``variables`` set."""
    return {**os.environ, "PYTHONPATH": str(SRC), **variables}


def run_python(*args, timeout: float = 180, **variables) -> subprocess.CompletedProcess:
    """Run ``python ARGS`` in a child process (:func:`child_environment` with ``variables``) and return it
    finished, its output captured as text."""
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=timeout,
                          env=child_environment(**variables))


def curated_table(name: str):
    """The curated table ``data/NAME.csv`` as a pandas DataFrame of strings (empty cells stay '')."""
    import pandas as pd

    from profgraph.resources import data_dir

    return pd.read_csv(data_dir() / f"{name}.csv", dtype=str, keep_default_na=False)


def curated_rows(name: str) -> list[dict[str, str]]:
    """The rows of the curated table ``data/NAME.csv``, read with the csv module."""
    import csv

    from profgraph.resources import data_dir

    with (data_dir() / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def routes(report: dict) -> list[list[str]]:
    """The professions each path of a path answer (JSON) goes through, origin first."""
    return [[path["steps"][0]["from"]["id"]] + [step["to"]["id"] for step in path["steps"]] for path in report["paths"]]


@pytest.fixture(scope="session")
def curated():
    """The embedded curated dataset, built once for the session."""
    import profgraph

    return profgraph.load()


@pytest.fixture(scope="session")
def path_origin(curated):
    """The disappearing profession of the curated data with the most paths to emerging professions
    under the default rules (at most 5, the first id among equals), as its model entity: the origin
    of the tests that need paths to look at. Its paths are at least three."""
    from profgraph.answers import reskilling_report_for

    disappearing = sorted(pid for pid, p in curated.model.professions.items() if p.status == "disappearing")
    counts = {pid: len(reskilling_report_for(curated, pid, status="emerging", top=5)["paths"]) for pid in disappearing}
    best = min(disappearing, key=lambda pid: (-counts[pid], pid))
    assert counts[best] >= 3, counts
    return curated.model.professions[best]


@pytest.fixture(scope="session")
def origin(path_origin):
    """The id of :func:`path_origin`: where a client comes from in the tests of a client's own skills."""
    return path_origin.id


@pytest.fixture(scope="session")
def tiny():
    """The hand-made tiny dataset of tests/data/tiny."""
    import profgraph

    return profgraph.load(data=TINY)


@pytest.fixture(scope="session")
def tiny_store(tmp_path_factory) -> Path:
    """A store folder of the tiny tables, built once, as a user would receive one (copy it to change it:
    fixture ``store``)."""
    from profgraph.sources.curated import read_curated
    from profgraph.store import build_store

    folder = tmp_path_factory.mktemp("received") / "store"
    build_store(read_curated(TINY), folder)
    return folder


@pytest.fixture
def store(tiny_store, tmp_path) -> Path:
    """A copy of :func:`tiny_store` of the test's own, for tests that damage it."""
    copy = tmp_path / "store"
    shutil.copytree(tiny_store, copy, symlinks=True)
    return copy


@pytest.fixture
def tiny_copy(tmp_path) -> Path:
    """A writable copy of the tiny tables, for tests that break them."""
    folder = tmp_path / "tiny"
    shutil.copytree(TINY, folder)
    return folder


def curated_exposures() -> dict[str, float | None]:
    """Each curated profession's automation exposure as the tables give it: the automation-risk
    percentile of data/profession_measures.csv (None where unknown)."""
    return {row["profession"]: float(row["automation_percentile"]) if row["automation_percentile"] else None
            for row in curated_rows("profession_measures")}


def edit_csv(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in the file with ``new`` (fails the test if ``old`` is absent)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="session")
def curated_site(curated, tmp_path_factory) -> Path:
    """The static site of the curated data in kk, ru and en, built once for the session."""
    from profgraph.web.site import build_site

    return build_site(curated, tmp_path_factory.mktemp("site") / "site").folder


ESCO_DOWNLOAD = SHARED_DATA / "esco-v1.1.1"
NESTA_RISK = SHARED_DATA / "nesta-mcc" / "mcc_risk_All_occupations.csv"


@pytest.fixture(scope="session")
def esco(tmp_path_factory):
    """The full ESCO v1.1.1 download with Nesta's risk table, imported once per session through the CLI."""
    if not (ESCO_DOWNLOAD.is_dir() and NESTA_RISK.is_file()):
        pytest.skip(f"the ESCO reference data are not in {SHARED_DATA}")
    from profgraph.store import open_store

    store = tmp_path_factory.mktemp("esco") / "store"
    run_ok("import", "esco", ESCO_DOWNLOAD, "--risk", NESTA_RISK, "--reference", SHARED_DATA, "--store", store)
    return open_store(store)


def free_port() -> int:
    """Return a TCP port on the loopback interface that nothing listens on now."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(command: list[str], probe: str, timeout: float = 60.0):
    """Run the server ``command`` in a child process until the block ends; wait until the URL
    ``probe`` answers first. Fails the test with the server's stderr if it never does."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(probe, timeout=2).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(process.stderr.read().decode()) from None
                time.sleep(0.1)
        yield
    finally:
        process.terminate()
        process.wait(10)


@contextmanager
def app_client(dataset, follow_redirects: bool = True, **settings):
    """A Starlette test client of the app serving ``dataset`` with the :class:`ServerSettings` ``settings``."""
    from starlette.testclient import TestClient

    from profgraph.web.app import ServerSettings, create_app

    with TestClient(create_app(dataset, ServerSettings(**settings)), base_url="http://127.0.0.1",
                    follow_redirects=follow_redirects) as client:
        yield client


@pytest.fixture(scope="module")
def client(curated):
    """A test client of the app serving the curated data (SPARQL timeout 10 s); modules that need other
    settings define their own."""
    with app_client(curated, sparql_timeout=10.0) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def live_server(curated):
    """``profgraph serve`` in a child process on a free loopback port; yields its base URL."""
    base = f"http://127.0.0.1:{free_port()}"
    with serving([sys.executable, "-m", "profgraph", "serve", "--port", base.rsplit(":", 1)[1]], base + "/"):
        yield base
