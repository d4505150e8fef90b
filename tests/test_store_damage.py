"""Damaged, planted and half-built stores, through the real CLI in child processes.

A cached store of the embedded data that is damaged is rebuilt with one line on stderr; a store
folder given with --store that is damaged is refused in one line; nothing found in a store is
ever executed; a build killed half-way leaves nothing behind after the next run.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import TINY, run_python

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from attacks.store import damage, payload  # noqa: E402  the faults the attack benchmark replays too

PATH_QUERY = ("path", "кассир", "--to", "emerging", "--format", "json")
COUNT_QUERY = ("sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv")


def profgraph(*args, cache: Path, timeout: float = 180, **env) -> subprocess.CompletedProcess:
    """Run ``python -m profgraph ARGS`` with the cache folder ``cache``; return the finished process."""
    return run_python("-m", "profgraph", *args, timeout=timeout, PROFGRAPH_CACHE=str(cache), **env)


def store_files(folder: Path) -> dict[str, Path]:
    """Return one file of each kind a store holds, whatever its layout: the model, the transition
    table, the biggest RDF table, the RDF catalogue files and the manifest."""
    files = [path for path in folder.rglob("*") if path.is_file()]

    def biggest(match) -> Path:
        found = sorted((path for path in files if match(path)), key=lambda path: path.stat().st_size)
        assert found, f"no such file in {folder}: {[str(path.relative_to(folder)) for path in files]}"
        return found[-1]

    return {
        "model": biggest(lambda path: path.name.startswith("model.")),
        "transitions": biggest(lambda path: path.name.startswith("transitions.")),
        "rdf-table": biggest(lambda path: path.suffix == ".sst"),
        "rdf-catalogue": biggest(lambda path: path.name.startswith("MANIFEST-")),
        "rdf-current": biggest(lambda path: path.name == "CURRENT" and path.parent.name == "oxigraph"),
        "manifest": folder / "manifest.json",
    }


def assert_clean_failure(done: subprocess.CompletedProcess, *words: str) -> None:
    """The command failed with one line on stderr that says ``words``, and no traceback."""
    assert done.returncode in (1, 2), done
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), done.stderr
    for word in words:
        assert word in lines[0], done.stderr


@pytest.fixture(scope="module")
def built_cache(tmp_path_factory) -> tuple[Path, str, str]:
    """A cache holding the store of the embedded data, and the answers of a path query and a count query."""
    cache = tmp_path_factory.mktemp("template") / "cache"
    path_answer = profgraph(*PATH_QUERY, cache=cache)
    count_answer = profgraph(*COUNT_QUERY, cache=cache)
    assert path_answer.returncode == count_answer.returncode == 0, (path_answer.stderr, count_answer.stderr)
    return cache, path_answer.stdout, count_answer.stdout


@pytest.fixture
def cache(built_cache, tmp_path) -> Path:
    """A private copy of :func:`built_cache`'s cache folder."""
    copy = tmp_path / "cache"
    shutil.copytree(built_cache[0], copy, symlinks=True)
    return copy


def curated_folder(cache: Path) -> Path:
    return cache / "curated"


@pytest.mark.parametrize("kind", ["model", "transitions", "rdf-table", "rdf-catalogue", "rdf-current", "manifest"])
@pytest.mark.parametrize("how", ["truncated", "garbage", "deleted"])
def test_a_damaged_cache_is_rebuilt_with_one_line(built_cache, cache, kind, how):
    _, path_answer, count_answer = built_cache
    damage(store_files(curated_folder(cache))[kind], how)
    first = profgraph(*PATH_QUERY, cache=cache)
    second = profgraph(*COUNT_QUERY, cache=cache)
    assert (first.returncode, first.stdout) == (0, path_answer), first.stderr
    assert (second.returncode, second.stdout) == (0, count_answer), second.stderr
    notices = (first.stderr + second.stderr).strip().splitlines()
    if kind == "manifest" and how == "deleted":
        assert len(notices) <= 1  # without its manifest the folder is no store: building one may go unsaid
    else:
        assert len(notices) == 1, notices
    assert all("rebuil" in line and str(curated_folder(cache)) in line for line in notices), notices
    again = profgraph(*PATH_QUERY, cache=cache)
    assert (again.returncode, again.stdout, again.stderr) == (0, path_answer, "")


@pytest.mark.parametrize("kind", ["model", "transitions", "rdf-table", "rdf-catalogue", "rdf-current", "manifest"])
@pytest.mark.parametrize("how", ["truncated", "garbage", "deleted"])
def test_a_damaged_store_folder_is_refused_in_one_line(store, tmp_path, kind, how):
    damage(store_files(store)[kind], how)
    command = COUNT_QUERY if kind.startswith("rdf") else ("path", "clerk", "--to", "emerging")
    done = profgraph(*command, "--store", str(store), cache=tmp_path / "cache")
    assert_clean_failure(done, str(store))


def test_a_planted_pickle_in_the_cache_never_runs(built_cache, cache, tmp_path):
    _, path_answer, _ = built_cache
    marker = tmp_path / "pwned"
    folder = curated_folder(cache)
    store_files(folder)["model"].write_bytes(payload(marker))
    for sub in [folder, *(path for path in folder.iterdir() if path.is_dir())]:
        (sub / "model.pickle").write_bytes(payload(marker))
    done = profgraph(*PATH_QUERY, cache=cache)
    assert not marker.exists(), "the planted payload ran"
    assert (done.returncode, done.stdout) == (0, path_answer), done.stderr


def test_a_planted_pickle_in_a_received_store_never_runs(store, tmp_path):
    marker = tmp_path / "pwned"
    store_files(store)["model"].write_bytes(payload(marker))
    for sub in [store, *(path for path in store.iterdir() if path.is_dir())]:
        (sub / "model.pickle").write_bytes(payload(marker))
    done = profgraph("path", "clerk", "--to", "emerging", "--store", str(store), cache=tmp_path / "cache")
    assert not marker.exists(), "the planted payload ran"
    assert_clean_failure(done, str(store))


def test_a_store_in_the_old_pickle_format_is_refused_unread(tmp_path):
    marker = tmp_path / "pwned"
    store = tmp_path / "old-store"
    (store / "oxigraph").mkdir(parents=True)
    (store / "manifest.json").write_text(json.dumps({"format": 2, "name": "esco", "fingerprint": "x"}))
    (store / "model.pickle").write_bytes(payload(marker))
    done = profgraph("show", "clerk", "--store", str(store), cache=tmp_path / "cache")
    assert not marker.exists(), "the planted payload ran"
    assert_clean_failure(done, str(store), "rebuild")


def _kill_during_build(code: str, cache: Path) -> None:
    """Run ``code`` in a child that kills itself (SIGKILL) when a build computes its transition table."""
    prologue = ("import os, signal\nimport profgraph.reskilling\n"
                "profgraph.reskilling.transition_table = lambda *args, **kwargs: os.kill(os.getpid(), signal.SIGKILL)\n")
    done = run_python("-c", prologue + code, timeout=120, PROFGRAPH_CACHE=str(cache))
    assert done.returncode == -9, done.stderr


def _workspaces(*folders: Path) -> list[Path]:
    return [path for folder in folders if folder.exists() for path in folder.rglob("*") if ".build-" in path.name]


def test_a_build_killed_half_way_is_cleaned_up_by_the_next_run(tiny_copy, tmp_path):
    cache = tmp_path / "cache"
    _kill_during_build(f"import profgraph; profgraph.load(data={str(tiny_copy)!r})", cache)
    assert _workspaces(cache), "the killed build left no workspace: the test kills too late"
    done = profgraph("show", "clerk", "--format", "json", cache=cache, PROFGRAPH_DATA=str(tiny_copy))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["id"] == "clerk"
    assert _workspaces(cache) == []


def test_an_import_killed_half_way_is_cleaned_up_by_the_next_run(store, tmp_path):
    _kill_during_build("from profgraph.sources.curated import read_curated\nfrom profgraph.store import build_store\n"
                       f"build_store(read_curated({str(TINY)!r}), {str(store)!r})", tmp_path / "cache")
    assert _workspaces(store.parent), "the killed build left no workspace: the test kills too late"
    done = profgraph("show", "clerk", "--store", str(store), "--format", "json", cache=tmp_path / "cache")
    assert done.returncode == 0, done.stderr
    assert _workspaces(store.parent) == []
