"""The store: built from the tables on first use, cached, rebuilt when the data change, atomic,
versioned under its readers, and read as untrusted data."""

from __future__ import annotations

import pytest

import profgraph
from profgraph.errors import DataError
from profgraph.store import StoreError, open_store

from conftest import edit_csv


def _count(store, sparql):
    return int(next(iter(store.query(sparql, use_default_graph_as_union=True)))[0].value)


def test_rdf_and_graph_come_from_the_same_model(tiny):
    model = tiny.model
    professions = _count(tiny.rdf, "SELECT (COUNT(?p) AS ?n) WHERE { ?p a <https://w3id.org/profgraph/ontology#Profession> }")
    requirements = _count(tiny.rdf, "SELECT (COUNT(?r) AS ?n) WHERE { ?r a <https://w3id.org/profgraph/ontology#SkillRequirement> }")
    assert professions == len(model.professions) == tiny.manifest["professions"]
    assert requirements == sum(len(p.skills) for p in model.professions.values())
    assert set(tiny.graph.nodes) == set(model.professions)
    # the ontology is loaded beside the data
    assert _count(tiny.rdf, "SELECT (COUNT(*) AS ?n) WHERE { <https://w3id.org/profgraph/ontology#Profession> a <http://www.w3.org/2002/07/owl#Class> }") == 1


def test_labels_carry_language_tags(tiny):
    rows = list(tiny.rdf.query(
        "SELECT ?l WHERE { <https://w3id.org/profgraph/profession/clerk> <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }",
        use_default_graph_as_union=True))
    assert sorted((row[0].value, row[0].language) for row in rows) == [
        ("clerk", "en"), ("делопроизводитель", "ru"), ("хатшы", "kk")]


def test_cached_until_the_data_change(tiny_copy):
    first = profgraph.load(data=tiny_copy)
    again = profgraph.load(data=tiny_copy)
    assert again.manifest["built"] == first.manifest["built"]
    assert again.manifest["fingerprint"] == first.manifest["fingerprint"]
    edit_csv(tiny_copy / "professions.csv", "делопроизводитель", "конторский служащий")
    rebuilt = profgraph.load(data=tiny_copy)
    assert rebuilt.manifest["fingerprint"] != first.manifest["fingerprint"]
    assert rebuilt.model.professions["clerk"].labels["ru"] == "конторский служащий"


def test_bad_data_leaves_the_previous_store_intact(tiny_copy):
    good = profgraph.load(data=tiny_copy)
    edit_csv(tiny_copy / "profession_measures.csv", "clerk,3.70", "clerk,9.9")  # off Nesta's 1..5 scale
    with pytest.raises(DataError):
        profgraph.load(data=tiny_copy)
    kept = open_store(good.path)
    assert kept.manifest["fingerprint"] == good.manifest["fingerprint"]
    assert kept.model.professions["clerk"].exposure == 0.9
    assert not [p for folder in (good.path, good.path.parent) for p in folder.iterdir() if ".build-" in p.name]


def test_a_folder_that_is_not_a_store(tmp_path):
    with pytest.raises(StoreError, match="not a profgraph store"):
        profgraph.load(store=tmp_path)


READER = """
import json, sys, time
from profgraph.store import StoreError, open_store
folder, seconds = sys.argv[1], float(sys.argv[2])
reads, failures = 0, []
deadline = time.monotonic() + seconds
while time.monotonic() < deadline:
    try:
        dataset = open_store(folder)
        label = dataset.model.professions["clerk"].labels["ru"]
        rows = list(dataset.rdf.query("SELECT ?l WHERE { <https://w3id.org/profgraph/profession/clerk> "
                                      "<http://www.w3.org/2004/02/skos/core#prefLabel> ?l FILTER(lang(?l) = 'ru') }",
                                      use_default_graph_as_union=True))
        assert [row[0].value for row in rows] == [label], (rows, label)
        assert len(dataset.graph) == len(dataset.model.professions)
        reads += 1
    except Exception as error:
        failures.append(f"{type(error).__name__}: {error}"[:300])
print(json.dumps({"reads": reads, "failures": failures[:10]}))  # a few: the parent reads the pipe only at the end
"""


@pytest.mark.slow
def test_readers_never_see_a_store_being_replaced(tiny_copy):
    import json
    import subprocess
    import sys

    folder = profgraph.load(data=tiny_copy).path
    readers = [subprocess.Popen([sys.executable, "-c", READER, str(folder), "8"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for _ in range(2)]
    labels = ["делопроизводитель", "конторский служащий"]
    rebuilds = 0
    while any(reader.poll() is None for reader in readers):
        edit_csv(tiny_copy / "professions.csv", labels[rebuilds % 2], labels[(rebuilds + 1) % 2])
        profgraph.load(data=tiny_copy)
        rebuilds += 1
    reports = [json.loads(reader.communicate()[0] or '{"reads": 0, "failures": ["no report"]}') for reader in readers]
    assert rebuilds >= 3
    assert all(report["reads"] > 0 for report in reports), reports
    assert [report["failures"] for report in reports] == [[], []]


def test_a_reader_that_opened_an_older_version_never_removes_the_current_one(tiny_copy, monkeypatch):
    # A reader sweeps old versions after opening its own; a build that replaced the store meanwhile
    # must keep its version: sweeping by the version the reader opened removed the current one, and
    # the store was left naming a missing version.
    import gc

    from profgraph import versions

    folder = profgraph.load(data=tiny_copy).path
    gc.collect()
    lease, built = versions.lease, []

    def lease_then_rebuild(version):
        held = lease(version)
        if not built:  # the first reader: the store is replaced between its lease and its sweep
            built.append(None)
            edit_csv(tiny_copy / "professions.csv", "делопроизводитель", "конторский служащий")
            built[0] = profgraph.load(data=tiny_copy).manifest["current"]
            gc.collect()  # the build's own dataset lets its version go
        return held

    monkeypatch.setattr(versions, "lease", lease_then_rebuild)
    reader = open_store(folder)
    monkeypatch.undo()
    assert reader.manifest["current"] != built[0]
    assert open_store(folder).manifest["current"] == built[0]
    assert reader.model.professions["clerk"].labels["ru"] == "делопроизводитель"


def test_a_reader_keeps_the_version_it_opened(tiny_copy):
    first = profgraph.load(data=tiny_copy)  # opened; nothing read yet
    edit_csv(tiny_copy / "professions.csv", "делопроизводитель", "конторский служащий")
    second = profgraph.load(data=tiny_copy)
    assert first.model.professions["clerk"].labels["ru"] == "делопроизводитель"
    assert second.model.professions["clerk"].labels["ru"] == "конторский служащий"
    query = ("SELECT ?l WHERE { <https://w3id.org/profgraph/profession/clerk> "
             "<http://www.w3.org/2004/02/skos/core#prefLabel> ?l FILTER(lang(?l) = 'ru') }")
    assert [row[0].value for row in first.rdf.query(query, use_default_graph_as_union=True)] == ["делопроизводитель"]
    assert len(first.graph) == len(second.graph) == len(first.model.professions)


def test_old_versions_go_once_no_reader_holds_them(tiny_copy):
    import gc

    first = profgraph.load(data=tiny_copy)
    edit_csv(tiny_copy / "professions.csv", "делопроизводитель", "конторский служащий")
    second = profgraph.load(data=tiny_copy)
    assert first.version.is_dir() and second.version.is_dir()  # first is still in use
    kept, gone = second.version, first.version
    del first
    gc.collect()
    edit_csv(tiny_copy / "professions.csv", "конторский служащий", "делопроизводитель")
    third = profgraph.load(data=tiny_copy)
    versions = sorted(path.name for path in third.path.iterdir() if path.name.startswith("store-"))
    assert versions == sorted([kept.name, third.version.name]) and not gone.exists()
    del second
    gc.collect()
    assert [path.name for path in open_store(third.path).path.iterdir() if path.name.startswith("store-")] == [
        third.version.name]


def test_a_running_build_keeps_its_workspace(tiny_copy):
    from profgraph import versions

    dataset = profgraph.load(data=tiny_copy)
    with versions.build_lock(dataset.path), versions.workspace(dataset.path) as workspace:
        open_store(dataset.path)  # a reader meanwhile: the build is running, its workspace stays
        assert workspace.is_dir()
        leftover = workspace
    assert leftover.is_dir()  # the block ended without committing, as a killed build would
    open_store(dataset.path)
    assert not leftover.exists()


@pytest.mark.parametrize("found, word", [(2, "older"), (99, "newer")])
def test_a_store_of_another_format(tiny_copy, tmp_path, found, word):
    import json

    store = profgraph.load(data=tiny_copy).path
    manifest = json.loads((store / "manifest.json").read_text())
    (store / "manifest.json").write_text(json.dumps({**manifest, "format": found}))
    with pytest.raises(StoreError, match=f"built by an? {word} profgraph"):
        open_store(store)
    rebuilt = profgraph.load(data=tiny_copy)  # a cached store is rebuilt
    assert rebuilt.manifest["format"] != found and rebuilt.model.professions["clerk"]


def test_no_code_executing_loader_in_the_package():
    """Nothing in profgraph can execute what it reads: no pickle, marshal, shelve, eval, exec,
    yaml.load or numpy loading that allows pickles."""
    import ast
    from pathlib import Path

    package = Path(profgraph.__file__).parent
    found = []
    for source in package.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            if any(name.split(".")[0] in ("pickle", "cPickle", "marshal", "shelve", "dill", "joblib", "cloudpickle")
                   for name in names):
                found.append(f"{source.name}:{node.lineno} imports {names}")
            if isinstance(node, ast.Call):
                called = ast.unparse(node.func)
                keywords = {keyword.arg: ast.unparse(keyword.value) for keyword in node.keywords}
                if called in ("eval", "exec", "yaml.load", "yaml.unsafe_load", "pandas.read_pickle", "pd.read_pickle"):
                    found.append(f"{source.name}:{node.lineno} calls {called}")
                if called in ("np.load", "numpy.load") and keywords.get("allow_pickle") != "False":
                    found.append(f"{source.name}:{node.lineno} calls {called} without allow_pickle=False")
    assert found == []


def test_upgrading_a_cached_format_2_store_removes_what_it_left(tiny_copy):
    import gc
    import json
    import os
    import shutil
    import time

    folder = profgraph.load(data=tiny_copy).path
    gc.collect()
    shutil.rmtree(folder)  # as the pickle format left it, with workspaces of killed builds beside it
    (folder / "oxigraph").mkdir(parents=True)
    (folder / "manifest.json").write_text(json.dumps({"format": 2, "name": "curated"}))
    (folder / "model.pickle").write_bytes(b"old")
    (folder / "transitions.npz").write_bytes(b"old")
    abandoned = folder.with_name(f".{folder.name}.build-abcd1234")
    running = folder.with_name(f".{folder.name}.build-efgh5678")
    abandoned.mkdir()
    running.mkdir()
    an_hour_ago = time.time() - 3600
    os.utime(abandoned, (an_hour_ago, an_hour_ago))
    rebuilt = profgraph.load(data=tiny_copy)
    assert sorted(path.name for path in folder.iterdir() if not path.name.startswith("store-")) == [
        "build.lock", "manifest.json"]
    assert not abandoned.exists() and running.exists()  # a recent one may belong to a build still running
    assert rebuilt.model.professions["clerk"]


def test_a_new_version_removes_the_workspaces_of_killed_first_builds_only(tiny_copy):
    """Beside a store, the workspace of a first build (swapped in whole, atomic.OutputFolder) is removed by
    a later build once its process is gone, and never while it runs, however long it has been running."""
    import os
    import subprocess
    import sys
    import time

    folder = profgraph.load(data=tiny_copy).path
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    running = folder.with_name(f".{folder.name}.build-{os.getpid()}-slow")
    killed = folder.with_name(f".{folder.name}.build-{int(finished.stdout)}-killed")
    for workspace in (running, killed):
        workspace.mkdir()
    an_hour_ago = time.time() - 3600
    os.utime(running, (an_hour_ago, an_hour_ago))
    edit_csv(tiny_copy / "professions.csv", "делопроизводитель", "конторский служащий")
    assert profgraph.load(data=tiny_copy).model.professions["clerk"].labels["ru"] == "конторский служащий"
    assert running.exists() and not killed.exists()


def test_without_locks_a_build_removes_only_abandoned_workspaces(tiny_copy, monkeypatch):
    import os
    import subprocess
    import sys

    from profgraph import versions

    folder = profgraph.load(data=tiny_copy).path
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    live, dead = folder / f".build-{os.getpid()}-live", folder / f".build-{int(finished.stdout)}-dead"
    live.mkdir()
    dead.mkdir()
    monkeypatch.setattr(versions, "fcntl", None)  # as on a file system without flock
    edit_csv(tiny_copy / "professions.csv", "делопроизводитель", "конторский служащий")
    rebuilt = profgraph.load(data=tiny_copy)
    assert rebuilt.model.professions["clerk"].labels["ru"] == "конторский служащий"
    assert live.exists() and not dead.exists()
