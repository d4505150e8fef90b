"""Shared fixtures. Built stores go to a temporary cache, never to the user's."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
TINY = TESTS / "data" / "tiny"
# ../shared/data beside the checkout; a git worktree further down finds it in an ancestor folder.
SHARED_DATA = next((folder / "shared" / "data" for folder in TESTS.parents[1:] if (folder / "shared" / "data").is_dir()),
                   TESTS.parent.parent / "shared" / "data")


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory):
    patcher = pytest.MonkeyPatch()
    patcher.setenv("PROFGRAPH_CACHE", str(tmp_path_factory.mktemp("cache")))
    patcher.delenv("PROFGRAPH_STORE", raising=False)
    patcher.delenv("PROFGRAPH_DATA", raising=False)
    yield
    patcher.undo()


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
def tiny():
    """The hand-made tiny dataset of tests/data/tiny."""
    import profgraph

    return profgraph.load(data=TINY)


@pytest.fixture
def tiny_copy(tmp_path) -> Path:
    """A writable copy of the tiny tables, for tests that break them."""
    folder = tmp_path / "tiny"
    shutil.copytree(TINY, folder)
    return folder


def curated_exposures() -> dict[str, float | None]:
    """Each curated profession's automation exposure as the tables give it: the automation-risk
    percentile of data/profession_measures.csv (None where unknown)."""
    import csv

    from profgraph.resources import data_dir

    with (data_dir() / "profession_measures.csv").open(encoding="utf-8", newline="") as handle:
        return {row["profession"]: float(row["automation_percentile"]) if row["automation_percentile"] else None
                for row in csv.DictReader(handle)}


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
    from click.testing import CliRunner

    from profgraph.cli import main
    from profgraph.store import open_store

    store = tmp_path_factory.mktemp("esco") / "store"
    result = CliRunner().invoke(main, ["import", "esco", str(ESCO_DOWNLOAD), "--risk", str(NESTA_RISK),
                                       "--reference", str(SHARED_DATA), "--store", str(store)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
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


@pytest.fixture(scope="module")
def live_server(curated):
    """``profgraph serve`` in a child process on a free loopback port; yields its base URL."""
    base = f"http://127.0.0.1:{free_port()}"
    with serving([sys.executable, "-m", "profgraph", "serve", "--port", base.rsplit(":", 1)[1]], base + "/"):
        yield base
