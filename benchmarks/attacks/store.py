"""Attacks on and faults of the store and its cache, replayed through the real CLI in child processes.

Each case gets a cache folder (``PROFGRAPH_CACHE``) inside its work folder and, for the cases about a
store folder someone handed over (``--store DIR``), a store of the tiny test tables beside a file of
the user's (``notes.txt``). A case is handled when the command gives the expected answer (a damaged
cache: the right output and at most one line on stderr saying it is rebuilt; a damaged store
folder: exit 1 or 2 with one line naming it), nothing planted ran, and no traceback, ``Aborted!`` or
crash appeared. Data are lost when a file of the user's was deleted.
"""

from __future__ import annotations

import atexit
import hashlib
import io
import json
import os
import pickle
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import Case, Outcome

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "data" / "tiny"
PATH_QUERY = ("path", "кассир", "--to", "emerging", "--format", "json")
COUNT_QUERY = ("sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv")
STORE_QUERY = ("show", "clerk", "--format", "json")
_templates: dict[str, Path] = {}


def profgraph(*args: str, cache: Path, timeout: float = 120, **env: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("PROFGRAPH_STORE", "PROFGRAPH_DATA", "PROFGRAPH_ENDPOINT")}
    environment.update(PYTHONPATH=str(ROOT / "src"), PROFGRAPH_CACHE=str(cache), **env)
    return subprocess.run([sys.executable, "-m", "profgraph", *args], capture_output=True, text=True,
                          env=environment, timeout=timeout)


def python(code: str, cache: Path) -> subprocess.CompletedProcess:
    environment = dict(os.environ, PYTHONPATH=str(ROOT / "src"), PROFGRAPH_CACHE=str(cache))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment, timeout=120)


def _template(kind: str) -> Path:
    """A cache of the embedded data's store with the answers of :data:`PATH_QUERY` and :data:`COUNT_QUERY`,
    or a store folder of the tiny tables; built once per run, copied by every case."""
    if kind not in _templates:
        folder = Path(tempfile.mkdtemp(prefix=f"attack-store-{kind}-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        if kind == "cache":
            cache = folder / "cache"
            for name, query in (("path", PATH_QUERY), ("count", COUNT_QUERY)):
                done = profgraph(*query, cache=cache)
                assert done.returncode == 0, done.stderr
                (folder / f"{name}.out").write_text(done.stdout)
        else:
            done = python("from profgraph.sources.curated import read_curated\nfrom profgraph.store import build_store\n"
                          f"build_store(read_curated({str(TINY)!r}), {str(folder / 'store')!r})", folder / "cache")
            assert done.returncode == 0, done.stderr
        _templates[kind] = folder
    return _templates[kind]


def _clean(done: subprocess.CompletedProcess) -> str:
    """Return what is wrong with how the command ended, whatever its status: a traceback or a crash."""
    if done.returncode < 0:
        return f"killed by signal {-done.returncode}"
    if "Traceback" in done.stderr or "Aborted!" in done.stderr:
        return "traceback:\n" + done.stderr[-1500:]
    return ""


def _marker(workdir: Path) -> Path:
    return workdir / "payload-ran"


def payload(marker: Path) -> bytes:
    """A pickle that creates ``marker`` when it is loaded."""
    class Payload:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    return pickle.dumps((Payload(), Payload()), protocol=2)


def _version(store: Path) -> Path:
    return store / json.loads((store / "manifest.json").read_text())["current"]


def _pick(store: Path, kind: str) -> Path:
    """One file of the store of the given kind."""
    version = _version(store)
    if kind == "manifest":
        return store / "manifest.json"
    if kind in ("model.json", "transitions.npz"):
        return version / kind
    files = sorted((version / "oxigraph").iterdir(), key=lambda path: path.stat().st_size)
    if kind == "rdf-table":
        return [path for path in files if path.suffix == ".sst"][-1]
    return next(path for path in files if path.name.startswith(kind))  # CURRENT, MANIFEST-


def damage(path: Path, how: str) -> None:
    """Damage the file ``path``: cut it to half its size (``truncated``), fill it with garbage of the same
    size (``garbage``), or delete it."""
    if how == "truncated":
        os.truncate(path, path.stat().st_size // 2)
    elif how == "garbage":
        path.write_bytes(os.urandom(max(path.stat().st_size, 16)))
    else:
        path.unlink()


def _forge(store: Path, name: str, content: bytes) -> None:
    """Write ``content`` as the file ``name`` of the store and make the manifest agree, as a forger would."""
    manifest = json.loads((store / "manifest.json").read_text())
    (store / manifest["current"] / name).write_bytes(content)
    manifest["files"][name] = {"size": len(content), "sha256": hashlib.sha256(content).hexdigest()}
    (store / "manifest.json").write_text(json.dumps(manifest))


# ------------------------------------------------------------------ the cached store of the embedded data

def _cache(workdir: Path) -> tuple[Path, Path]:
    """Copy the cache template into ``workdir``; return the cache and its store folder."""
    cache = workdir / "cache"
    shutil.copytree(_template("cache") / "cache", cache)
    (workdir / "canary.txt").write_text("a file of the user's beside the cache")
    return cache, cache / "curated"


def _cache_outcome(workdir: Path, cache: Path, queries=(PATH_QUERY, COUNT_QUERY), notices: tuple[int, ...] = (1,),
                   ) -> Outcome:
    """Run ``queries`` on the cache; handled when each answers as on a sound cache, with ``notices``
    lines on stderr in all, each saying the store is rebuilt, and nothing planted ran."""
    answers = {PATH_QUERY: "path.out", COUNT_QUERY: "count.out"}
    stderr = ""
    for query in queries:
        done = profgraph(*query, cache=cache)
        problem = _clean(done)
        if problem:
            return Outcome(False, not (workdir / "canary.txt").exists(), problem)
        if done.returncode != 0 or done.stdout != (_template("cache") / answers[query]).read_text():
            return Outcome(False, False, f"exit {done.returncode}: {done.stderr[-500:]}")
        stderr += done.stderr
    lines = stderr.strip().splitlines()
    lost = not (workdir / "canary.txt").exists()
    if _marker(workdir).exists():
        return Outcome(False, lost, "the planted payload ran")
    if len(lines) not in notices or not all("rebuilding" in line for line in lines):
        return Outcome(False, lost, f"expected {notices} notice line(s), got: {lines}")
    again = profgraph(*PATH_QUERY, cache=cache)
    if again.returncode != 0 or again.stderr:
        return Outcome(False, lost, f"the run after the rebuild: exit {again.returncode}, {again.stderr[-300:]}")
    return Outcome(True, lost)


def _damaged_cache(kind: str, how: str):
    def run(workdir: Path) -> Outcome:
        cache, store = _cache(workdir)
        damage(_pick(store, kind), how)
        return _cache_outcome(workdir, cache, notices=(0, 1) if kind == "manifest" and how == "deleted" else (1,))

    return run


def _cache_pickle_as_model(workdir: Path) -> Outcome:
    cache, store = _cache(workdir)
    _pick(store, "model.json").write_bytes(payload(_marker(workdir)))
    return _cache_outcome(workdir, cache, (PATH_QUERY,))


def _cache_pickles_everywhere(workdir: Path) -> Outcome:
    cache, store = _cache(workdir)
    for folder in [store, _version(store), _version(store) / "oxigraph"]:
        (folder / "model.pickle").write_bytes(payload(_marker(workdir)))
    return _cache_outcome(workdir, cache, (PATH_QUERY,), notices=(0,))


def _cache_forged_pickle(workdir: Path) -> Outcome:
    """A payload whose checksum the manifest was made to match."""
    cache, store = _cache(workdir)
    _forge(store, "model.json", payload(_marker(workdir)))
    return _cache_outcome(workdir, cache, (PATH_QUERY,))


def _cache_old_pickle_format(workdir: Path) -> Outcome:
    """A store of the format that kept the model as a pickle, for the current data."""
    cache, store = _cache(workdir)
    manifest = json.loads((store / "manifest.json").read_text())
    (store / "model.pickle").write_bytes(payload(_marker(workdir)))
    (store / "manifest.json").write_text(json.dumps({"format": 2, "fingerprint": manifest["fingerprint"]}))
    return _cache_outcome(workdir, cache, (PATH_QUERY,), notices=(0,))


def _cache_manifest(edit, notices=(1,)):
    def run(workdir: Path) -> Outcome:
        cache, store = _cache(workdir)
        manifest = json.loads((store / "manifest.json").read_text())
        (store / "manifest.json").write_bytes(edit(manifest))
        return _cache_outcome(workdir, cache, notices=notices)

    return run


def _wrong_checksums(manifest: dict) -> bytes:
    for entry in manifest["files"].values():
        entry["sha256"] = "0" * 64
    return json.dumps(manifest).encode()


def _outside(manifest: dict) -> bytes:
    return json.dumps({**manifest, "current": "../../canary.txt"}).encode()


def _cache_killed_build(workdir: Path) -> Outcome:
    """A build killed (SIGKILL) half-way leaves its workspace; the next run removes it."""
    cache = workdir / "cache"
    data = workdir / "tiny"
    shutil.copytree(TINY, data)
    killed = python("import os, signal\nimport profgraph.reskilling\n"
                    "profgraph.reskilling.transition_table = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)\n"
                    f"import profgraph\nprofgraph.load(data={str(data)!r})", cache)
    left = [path for path in cache.rglob("*") if ".build-" in path.name]
    if killed.returncode != -signal.SIGKILL or not left:
        return Outcome(False, False, f"the build was not killed half-way: {killed.returncode} {left}")
    done = profgraph(*STORE_QUERY, cache=cache, PROFGRAPH_DATA=str(data))
    left = [path for path in cache.rglob("*") if ".build-" in path.name]
    problem = _clean(done) or (f"exit {done.returncode}: {done.stderr}" if done.returncode else "")
    return Outcome(not problem and not left, False, problem or (f"left behind: {left}" if left else ""))


def _cache_legacy_workspace(workdir: Path) -> Outcome:
    """Workspaces that the pickle-format builds left beside the cached store, found when upgrading."""
    cache, store = _cache(workdir)
    manifest = json.loads((store / "manifest.json").read_text())
    (store / "manifest.json").write_text(json.dumps({"format": 2, "fingerprint": manifest["fingerprint"]}))
    leftover = cache / ".curated.build-k1lled00"
    (leftover / "oxigraph").mkdir(parents=True)
    an_hour_ago = time.time() - 3600
    os.utime(leftover, (an_hour_ago, an_hour_ago))
    outcome = _cache_outcome(workdir, cache, (PATH_QUERY,), notices=(0,))
    if outcome.handled and leftover.exists():
        return Outcome(False, outcome.data_lost, f"{leftover.name} is still there")
    return outcome


def _cache_version_symlink(workdir: Path) -> Outcome:
    """A link named like an old version, pointing at a folder of the user's: never followed, never deleted."""
    cache, store = _cache(workdir)
    mine = workdir / "mine"
    mine.mkdir()
    (mine / "thesis.docx").write_text("a year of work")
    (store / "store-0123456789abcdef").symlink_to(mine)
    outcome = _cache_outcome(workdir, cache, (PATH_QUERY,), notices=(0,))
    lost = not (mine / "thesis.docx").exists()
    return Outcome(outcome.handled, lost or outcome.data_lost, outcome.detail)


READER_LOOP = """
import os, subprocess, sys, time
deadline = time.monotonic() + float(sys.argv[1])
failures = 0
while time.monotonic() < deadline:
    for args in (["sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv"],
                 ["show", "clerk", "--format", "json"]):
        done = subprocess.run([sys.executable, "-m", "profgraph", *args], capture_output=True, text=True)
        if done.returncode != 0 or done.stderr:
            failures += 1
            sys.stderr.write(done.stderr[-400:])
print(failures)
"""


def _concurrent_rebuilds(workdir: Path) -> Outcome:
    """Two processes query the cached store while a third rebuilds it again and again."""
    cache = workdir / "cache"
    data = workdir / "tiny"
    shutil.copytree(TINY, data)
    environment = dict(os.environ, PYTHONPATH=str(ROOT / "src"), PROFGRAPH_CACHE=str(cache), PROFGRAPH_DATA=str(data))
    first = profgraph(*STORE_QUERY, cache=cache, PROFGRAPH_DATA=str(data))
    if first.returncode:
        return Outcome(False, False, first.stderr)
    readers = [subprocess.Popen([sys.executable, "-c", READER_LOOP, "10"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=environment) for _ in range(2)]
    labels = ["делопроизводитель", "конторский служащий"]
    rebuilds = 0
    while any(reader.poll() is None for reader in readers):
        table = data / "professions.csv"
        table.write_text(table.read_text(encoding="utf-8").replace(labels[rebuilds % 2], labels[(rebuilds + 1) % 2], 1),
                         encoding="utf-8")
        done = profgraph("stats", cache=cache, PROFGRAPH_DATA=str(data))
        if done.returncode:
            return Outcome(False, False, f"the rebuild failed: {done.stderr}")
        rebuilds += 1
    results = [reader.communicate() for reader in readers]
    failures = sum(int(out.strip() or 1) for out, _ in results)
    detail = f"{rebuilds} rebuilds, {failures} failed reads " + " ".join(err for _, err in results)[:1000]
    return Outcome(failures == 0 and rebuilds >= 3, False, detail)


# ------------------------------------------------------------------ a store folder handed over (--store DIR)

def _store(workdir: Path) -> Path:
    store = workdir / "store"
    shutil.copytree(_template("store") / "store", store)
    (store / "notes.txt").write_text("a file of the user's in the store folder")
    return store


def _store_outcome(workdir: Path, store: Path, args=STORE_QUERY, words=("rebuild",)) -> Outcome:
    """Handled when the command fails in one line naming the store (and ``words``), nothing planted ran,
    and the user's file is still there."""
    done = profgraph(*args, "--store", str(store), cache=workdir / "cache")
    lost = not (store / "notes.txt").exists()
    problem = _clean(done)
    if problem:
        return Outcome(False, lost, problem)
    lines = done.stderr.strip().splitlines()
    if _marker(workdir).exists():
        return Outcome(False, lost, "the planted payload ran")
    if done.returncode not in (1, 2) or len(lines) != 1 or not lines[0].startswith("Error: "):
        return Outcome(False, lost, f"exit {done.returncode}, stderr {lines}")
    if str(store) not in lines[0] or not all(word in lines[0] for word in words):
        return Outcome(False, lost, f"the message does not say what to do: {lines[0]}")
    return Outcome(True, lost)


def _damaged_store(kind: str, how: str):
    def run(workdir: Path) -> Outcome:
        store = _store(workdir)
        damage(_pick(store, kind), how)
        args = {"model.json": STORE_QUERY, "transitions.npz": ("path", "clerk", "--to", "emerging"),
                "manifest": STORE_QUERY}.get(kind, COUNT_QUERY)
        words = ("not a profgraph store",) if kind == "manifest" and how == "deleted" else ("rebuild",)
        return _store_outcome(workdir, store, args, words)

    return run


def _store_forged(name: str, content):
    def run(workdir: Path) -> Outcome:
        store = _store(workdir)
        _forge(store, name, content(store, workdir))
        return _store_outcome(workdir, store, STORE_QUERY if name == "model.json" else ("path", "clerk", "--to", "emerging"))

    return run


def _bad_labels(store: Path, workdir: Path) -> bytes:
    document = json.loads((_version(store) / "model.json").read_bytes())
    next(iter(document["model"]["professions"].values()))["labels"] = 5
    return json.dumps(document).encode()


def _object_array(store: Path, workdir: Path) -> bytes:
    import numpy as np

    class Payload:
        def __reduce__(self):
            return (open, (str(_marker(workdir)), "w"))

    with np.load(_version(store) / "transitions.npz", allow_pickle=False) as arrays:
        table = dict(arrays)
    table["ids"] = np.array([Payload()] * len(table["ids"]), dtype=object)
    buffer = io.BytesIO()
    np.savez(buffer, **table)
    return buffer.getvalue()


def _store_manifest(edit, words=("rebuild",)):
    def run(workdir: Path) -> Outcome:
        store = _store(workdir)
        manifest = json.loads((store / "manifest.json").read_text())
        (store / "manifest.json").write_bytes(edit(manifest))
        return _store_outcome(workdir, store, words=words)

    return run


def _store_old_format(workdir: Path) -> Outcome:
    store = workdir / "old-store"
    (store / "oxigraph").mkdir(parents=True)
    (store / "manifest.json").write_text(json.dumps({"format": 2, "name": "esco", "fingerprint": "x"}))
    (store / "model.pickle").write_bytes(payload(_marker(workdir)))
    (store / "notes.txt").write_text("mine")
    return _store_outcome(workdir, store, words=("older profgraph", "rebuild"))


def _store_killed_import(workdir: Path) -> Outcome:
    """A build into the store folder killed half-way; the next command on it removes its workspace."""
    store = _store(workdir)
    (store / "notes.txt").rename(workdir / "notes.txt")  # a build refuses a store holding other files
    killed = python("import os, signal\nimport profgraph.reskilling\n"
                    "profgraph.reskilling.transition_table = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)\n"
                    "from profgraph.sources.curated import read_curated\nfrom profgraph.store import build_store\n"
                    f"build_store(read_curated({str(TINY)!r}), {str(store)!r})", workdir / "cache")
    if killed.returncode != -signal.SIGKILL or not list(store.glob(".build-*")):
        return Outcome(False, False, f"the build was not killed half-way: {killed.returncode}")
    done = profgraph(*STORE_QUERY, "--store", str(store), cache=workdir / "cache")
    problem = _clean(done) or (done.stderr if done.returncode else "")
    left = list(store.glob(".build-*"))
    lost = not (workdir / "notes.txt").exists()
    return Outcome(not problem and not left, lost, problem or (f"left behind: {left}" if left else ""))


def _not_a_store(make):
    def run(workdir: Path) -> Outcome:
        target = make(workdir)
        done = profgraph(*STORE_QUERY, "--store", str(target), cache=workdir / "cache")
        problem = _clean(done)
        errors = [line for line in done.stderr.splitlines() if line.startswith("Error: ")]
        lines = done.stderr.strip().splitlines()
        # One line, or click's usage error (exit 2: usage, a hint, then the error).
        handled = (not problem and done.returncode in (1, 2) and len(errors) == 1 and str(target) in errors[0]
                   and (len(lines) == 1 or done.returncode == 2))
        lost = target.name == "notes.txt" and not (target.is_file() and target.read_text() == "mine")
        return Outcome(handled, lost, problem or f"exit {done.returncode}, stderr {lines}")

    return run


def _a_file(workdir: Path) -> Path:
    target = workdir / "notes.txt"
    target.write_text("mine")
    return target


def _an_empty_folder(workdir: Path) -> Path:
    target = workdir / "empty"
    target.mkdir()
    return target


KINDS = ("model.json", "transitions.npz", "rdf-table", "MANIFEST-", "CURRENT", "manifest")
HOWS = ("truncated", "garbage", "deleted")

CASES = [
    *(Case("store", f"cache: {kind} {how}", _damaged_cache(kind, how)) for kind in KINDS for how in HOWS),
    Case("store", "cache: a pickle payload as model.json", _cache_pickle_as_model),
    Case("store", "cache: model.pickle payloads in every folder", _cache_pickles_everywhere),
    Case("store", "cache: a pickle payload with a forged checksum", _cache_forged_pickle),
    Case("store", "cache: a store of the old pickle format", _cache_old_pickle_format),
    Case("store", "cache: a store of a newer format", _cache_manifest(lambda m: json.dumps({**m, "format": 99}).encode(),
                                                                      notices=(0,))),
    Case("store", "cache: manifest with wrong checksums", _cache_manifest(_wrong_checksums)),
    Case("store", "cache: manifest of garbage bytes", _cache_manifest(lambda m: os.urandom(300))),
    Case("store", "cache: manifest nested 100,000 deep", _cache_manifest(lambda m: b"[" * 100_000)),
    Case("store", "cache: manifest naming a version outside", _cache_manifest(_outside)),
    Case("store", "cache: a build killed half-way", _cache_killed_build),
    Case("store", "cache: workspaces of the pickle format", _cache_legacy_workspace),
    Case("store", "cache: a link named like an old version", _cache_version_symlink),
    Case("store", "cache: rebuilt again and again under two readers", _concurrent_rebuilds),
    *(Case("store", f"--store: {kind} {how}", _damaged_store(kind, how)) for kind in KINDS for how in HOWS),
    Case("store", "--store: a pickle payload as model.json", _store_forged("model.json", lambda s, w: payload(_marker(w)))),
    Case("store", "--store: a forged model of wrong types", _store_forged("model.json", _bad_labels)),
    Case("store", "--store: a forged object array", _store_forged("transitions.npz", _object_array)),
    Case("store", "--store: a store of the old pickle format", _store_old_format),
    Case("store", "--store: a store of a newer format", _store_manifest(lambda m: json.dumps({**m, "format": 99}).encode(),
                                                                        words=("newer profgraph",))),
    Case("store", "--store: manifest naming a file outside",
         _store_manifest(lambda m: json.dumps({**m, "files": {**m["files"], "../../notes.txt": m["files"]["model.json"]}}
                                              ).encode())),
    Case("store", "--store: manifest of 2 MB", _store_manifest(lambda m: b" " * (2 << 20) + json.dumps(m).encode())),
    Case("store", "--store: manifest with wrong checksums", _store_manifest(_wrong_checksums)),
    Case("store", "--store: an import killed half-way", _store_killed_import),
    Case("store", "--store: a file", _not_a_store(_a_file)),
    Case("store", "--store: an empty folder", _not_a_store(_an_empty_folder)),
    Case("store", "--store: a missing folder", _not_a_store(lambda workdir: workdir / "nowhere")),
]
