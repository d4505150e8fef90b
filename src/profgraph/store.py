"""The on-disk store: one folder holding every view of one dataset, in formats that are data only.

A store folder holds ``manifest.json`` and the store's current version, a folder ``store-<id>/``
(see :mod:`profgraph.versions`). The manifest says what the store holds (format, counts, the
fingerprint of its inputs), names the current version and lists each of its files with its size
and SHA-256. A version holds

- ``model.json``: the :class:`~profgraph.model.Model` and its :class:`~profgraph.lookup.NameIndex`,
  as JSON;
- ``transitions.npz``: every transition with coverage >= :data:`~profgraph.reskilling.GRAPH_FLOOR` as
  numpy arrays (read with ``allow_pickle=False``; the adjacency lists a path search reads and the
  networkx graph are built from it on demand, for the coverage asked);
- ``oxigraph/``: the RDF dataset (Oxigraph on RocksDB), for SPARQL.

Nothing read from a store is ever executed, so a store folder received from someone else is safe to
open. Every file is checked against the manifest before use: its size when the store is opened, its
SHA-256 when a view first reads it (the RDF files when the RDF view opens, since RocksDB does not
notice every damaged table: the user's cache remembers which RDF files were hashed, by inode, size
and times, so a big store is hashed once, not on every query); then the content is checked for
types, shapes and references. A store that fails is damaged: the cached store of curated tables is
rebuilt, with one line on stderr saying so; any other raises :class:`StoreDamaged`, one line naming
the folder and how to rebuild it.

The embedded curated data get a store in the user's cache folder, built on first use and rebuilt
whenever the data, the ontology or the building code change. A build writes a new version and then
replaces the manifest, so a reader never sees a half-built store, and a reader that opened a version
keeps it while it runs: old versions are removed once no reader holds them, and the workspace of a
build that was killed is removed by the next run.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from . import __version__, versions
from .atomic import remove_abandoned_workspaces, write_text_atomic
from .errors import ProfgraphError
from .model import Model, inconsistency

if TYPE_CHECKING:  # for annotations; the views import these where they load them
    import networkx as nx
    from pyoxigraph import Store
    from scipy import sparse

    from .lookup import NameIndex
    from .similarity import SkillMatrices

_Loaded = TypeVar("_Loaded")
_Viewed = TypeVar("_Viewed", bound="Dataset")

FORMAT = 3
MANIFEST, MODEL_FILE, TRANSITIONS_FILE, RDF_FOLDER = "manifest.json", "model.json", "transitions.npz", "oxigraph"
_BUILD_CODE = ("model.py", "measures.py", "vocab.py", "rdf.py", "similarity.py", "reskilling.py", "lookup.py", "store.py", "versions.py",
               "sources/curated.py")
GRAPHS_KEPT = 4  # adjacencies and graphs kept per dataset, one per min_coverage asked for
MANIFEST_LIMIT = 1 << 20
VERIFIED_FILE, VERIFIED_KEPT = "verified.json", 32  # RDF folders hashed before, in the user's cache
_LISTED = re.compile(rf"{re.escape(MODEL_FILE)}|{re.escape(TRANSITIONS_FILE)}|{RDF_FOLDER}/[A-Za-z0-9][\w.-]{{0,100}}")
_REQUIRED = (MODEL_FILE, TRANSITIONS_FILE, f"{RDF_FOLDER}/CURRENT")
_UNLISTED = re.compile(r"LOCK|LOG(\..+)?")  # RocksDB's lock and log files: no data
_SHA256 = re.compile(r"[0-9a-f]{64}")
_LEGACY_FILES = ("model.pickle", "transitions.npz", "oxigraph")  # format 2 kept its views beside the manifest
_STALE_AFTER = 600.0  # seconds after which a format-2 build workspace is abandoned for sure


class StoreError(ProfgraphError):
    """A store folder is missing, incomplete or from an incompatible version."""


class StoreDamaged(StoreError):
    """A store's files do not match its manifest or hold malformed data. ``folder`` is the store
    folder, ``problem`` what is wrong (one line), ``version`` the name of the damaged version if known."""

    def __init__(self, folder: Path, problem: str, version: str | None = None):
        self.folder, self.problem, self.version = Path(folder), " ".join(str(problem).split())[:300], version
        super().__init__(f"the store {self.folder} is damaged ({self.problem}); {_rebuild_hint(self.folder)}")


def _rebuild_hint(folder: Path) -> str:
    """Return how to rebuild the store folder ``folder``: a cached one is rebuilt when missing."""
    try:
        cached = folder.resolve().is_relative_to(cache_dir().resolve())
    except (OSError, RuntimeError):
        cached = False
    return "delete it to have it rebuilt" if cached else f"rebuild it with 'profgraph import esco FILES... --store {folder}'"


@dataclass
class _Names:
    """The parts of a :class:`~profgraph.lookup.NameIndex`, as ``model.json`` keeps them."""

    keys: list[str]
    entries: list[tuple[str, str, str, str]]
    preferred: list[int]


@dataclass
class _ModelFile:
    """What ``model.json`` holds."""

    model: Model
    names: _Names


class Dataset:
    """An opened store. ``path`` is the store folder, ``version`` the folder of the version opened,
    which stays in place as long as this object lives. Views load lazily, so a command pays only for
    what it uses; each raises :class:`StoreDamaged` when its files are damaged, unless ``repair`` is
    set: then ``repair(damage)`` returns the rebuilt store, which this object turns into."""

    def __init__(self, path: Path, manifest: dict, lease: versions.Lease | None = None):
        self.path = Path(path)
        self.manifest = manifest
        self.version = self.path / manifest["current"]
        self.lease = lease
        self.repair: Callable[[StoreDamaged | None], Dataset] | None = None
        # Per min_coverage asked for, least recently used first: adjacency lists, networkx graphs.
        self._adjacencies: OrderedDict[float, object] = OrderedDict()
        self._graphs: OrderedDict[float, object] = OrderedDict()
        self._views_lock, self._build_lock = threading.Lock(), threading.RLock()  # a graph builds its adjacency

    def viewed_as(self, kind: type[_Viewed]) -> _Viewed:
        """Return this opened store as a ``kind`` (a subclass of :class:`Dataset`) holding the same
        version, lease and the views read so far."""
        view = kind.__new__(kind)
        vars(view).update(vars(self))
        return view

    def _load(self, read: Callable[[], _Loaded]) -> _Loaded:
        """Return ``read()``; when it finds the store damaged, repair it and read again, if this store can be repaired."""
        try:
            return read()
        except StoreDamaged as damage:
            if self.repair is None:
                raise
            repair = self.repair
            if self.lease is not None:
                self.lease.release()  # the damaged version is of no more use
            rebuilt = repair(damage)
            self.__dict__.clear()  # the views loaded so far belong to the damaged version
            self.__dict__.update(rebuilt.__dict__)
            self.repair = repair
            return read()

    def _damaged(self, problem: str) -> StoreDamaged:
        return StoreDamaged(self.path, problem, self.version.name)

    def _check_sizes(self) -> None:
        """Raise :class:`StoreDamaged` unless every file the manifest lists is a regular file of its size."""
        import stat

        for name, entry in self.manifest["files"].items():
            try:
                status = os.lstat(self.version / name)
            except OSError as error:
                raise self._damaged(f"{name}: {error.strerror}") from None
            if not stat.S_ISREG(status.st_mode):
                raise self._damaged(f"{name} is not a regular file")
            if status.st_size != entry["size"]:
                raise self._damaged(f"{name} has {status.st_size} bytes instead of {entry['size']}")

    def _read_checked(self, name: str) -> bytes:
        """Return the content of the listed file ``name`` after checking its size and SHA-256."""
        entry = self.manifest["files"][name]
        try:
            with open(self.version / name, "rb") as handle:
                content = handle.read(entry["size"] + 1)
        except OSError as error:
            raise self._damaged(f"{name}: {error.strerror}") from None
        if len(content) != entry["size"] or hashlib.sha256(content).hexdigest() != entry["sha256"]:
            raise self._damaged(f"{name} does not match its checksum")
        return content

    def _check_hash(self, name: str) -> None:
        entry = self.manifest["files"][name]
        try:
            with open(self.version / name, "rb") as handle:
                digest = hashlib.file_digest(handle, "sha256").hexdigest()
        except OSError as error:
            raise self._damaged(f"{name}: {error.strerror}") from None
        if digest != entry["sha256"]:
            raise self._damaged(f"{name} does not match its checksum")

    @cached_property
    def _model_and_names(self) -> tuple[Model, NameIndex]:
        return self._load(self._read_model)

    def _read_model(self) -> tuple[Model, NameIndex]:
        try:
            return decode_model(self._read_checked(MODEL_FILE))
        except ValueError as error:
            raise self._damaged(f"{MODEL_FILE}: {error}") from None

    @property
    def model(self) -> Model:
        """The dataset's :class:`~profgraph.model.Model`."""
        return self._model_and_names[0]

    @property
    def names(self) -> NameIndex:
        """The :class:`~profgraph.lookup.NameIndex` of the model's labels."""
        return self._model_and_names[1]

    @cached_property
    def transitions(self) -> dict:
        """The stored transition table (:func:`profgraph.reskilling.transition_table`)."""
        return self._load(self._read_transitions)

    def _read_transitions(self) -> dict:
        try:
            table = read_arrays(self._read_checked(TRANSITIONS_FILE))
            problem = table_problem(table, self.model.professions)
        except ValueError as error:
            problem = str(error)
        if problem:
            raise self._damaged(f"{TRANSITIONS_FILE}: {problem}")
        return table

    @property
    def graph(self) -> nx.DiGraph:
        """The transition graph at the stored floor (:func:`profgraph.reskilling.graph_of`)."""
        return self.transition_graph(float(self.transitions["floor"]))

    def adjacency(self, min_coverage: float):
        """Return the :class:`~profgraph.reskilling.Adjacency` of every transition with coverage >=
        ``min_coverage``: what a path search reads. The last :data:`GRAPHS_KEPT` asked for are kept."""
        from .reskilling import Adjacency, adjacency_of

        def build():
            if min_coverage >= float(self.transitions["floor"]):
                return Adjacency.from_table(self.transitions, min_coverage)
            return adjacency_of(self.model, floor=min_coverage)

        return self._kept(self._adjacencies, min_coverage, build)

    def transition_graph(self, min_coverage: float):
        """Return a networkx graph holding every transition with coverage >= ``min_coverage``
        (:func:`profgraph.reskilling.graph_of`). The last :data:`GRAPHS_KEPT` graphs asked for are kept."""
        from .reskilling import graph_of

        return self._kept(self._graphs, min_coverage, lambda: graph_of(self.adjacency(min_coverage)))

    def _kept(self, kept: OrderedDict, min_coverage: float, build):
        """Return ``kept[min_coverage]``, built with ``build()`` if missing; keep the last :data:`GRAPHS_KEPT`.
        One view is built at a time, so threads asking for many values at once cannot hold many in memory."""
        with self._views_lock:
            if min_coverage in kept:
                kept.move_to_end(min_coverage)
                return kept[min_coverage]
        with self._build_lock:
            with self._views_lock:
                if min_coverage in kept:
                    return kept[min_coverage]
            view = build()
            with self._views_lock:
                kept[min_coverage] = view
                while len(kept) > GRAPHS_KEPT:
                    kept.popitem(last=False)
        return view

    @cached_property
    def specificity(self) -> dict[str, float]:
        """Skill id -> its specificity (:func:`profgraph.similarity.specificities`)."""
        from .similarity import specificities

        return specificities(self.model)

    @cached_property
    def skill_matrices(self) -> SkillMatrices:
        """The profession-by-skill matrices (:func:`profgraph.similarity.skill_matrices`)."""
        from .similarity import skill_matrices

        return skill_matrices(self.model)

    @cached_property
    def similarity_vectors(self) -> sparse.csr_matrix:
        """The professions' similarity vectors (:func:`profgraph.similarity.similarity_vectors`)."""
        from .similarity import similarity_vectors

        return similarity_vectors(self.skill_matrices)

    @cached_property
    def rdf_path(self) -> Path:
        """The Oxigraph folder of the version opened, its files checked against the manifest first."""
        return self._load(self._check_rdf)

    def _check_rdf(self) -> Path:
        listed = {name: entry for name, entry in self.manifest["files"].items() if name.startswith(f"{RDF_FOLDER}/")}
        identities = _identities(self.version, listed)
        if not _verified_before(self.version, identities):
            for name in listed:
                self._check_hash(name)
            _remember_verified(self.version, identities)
        return self.version / RDF_FOLDER

    @cached_property
    def rdf(self) -> Store:
        """The RDF dataset as a read-only :class:`pyoxigraph.Store`."""
        return self._load(self._open_rdf)

    def _open_rdf(self) -> Store:
        from pyoxigraph import Store

        try:
            return Store.read_only(str(self.rdf_path))
        except (OSError, RuntimeError, ValueError) as error:
            raise self._damaged(f"{RDF_FOLDER}: {error}") from None

    # Queries. A remote dataset (profgraph.remote.RemoteDataset) answers the same calls from its server.

    def execute(self, sparql: str, allow_service=(), default_graphs=None, named_graphs=None):
        """Run ``sparql`` on this dataset's RDF and return pyoxigraph's lazy result, as
        :func:`profgraph.sparql.execute` does, raising what it raises."""
        from .sparql import execute

        return execute(self.rdf, sparql, allow_service, default_graphs, named_graphs)

    def run_query(self, sparql: str, output, output_format: str = "table", timeout: float | None = None,
                  allow_service=()) -> None:
        """Write the result of ``sparql`` to the binary stream ``output`` in ``output_format``, streaming;
        with ``timeout`` (seconds, checked by the caller) the query runs in a child process that is
        killed when the time is up. Raises what :func:`profgraph.sparql.run_query` raises."""
        from .sparql import check_query, run_in_child, write_result

        if timeout is None:
            write_result(self.execute(sparql, allow_service), output, output_format)
            output.flush()
            return
        check_query(sparql, allow_service)  # here, so that a refusal needs no child
        run_in_child(self.rdf_path, sparql, output, output_format, timeout, tuple(allow_service))

    def answer(self, sparql: str, formats: list[str], timeout: float, max_bytes: int, graphs: dict | None = None,
               strict: bool = False, workers=None) -> tuple:
        """Answer a SPARQL Protocol request: return ``("ok", format, body)`` or ``(status, message)``, as
        :func:`profgraph.web.endpoint.answer` does. The query runs in one of the query processes
        ``workers(rdf_folder, timeout, max_bytes)`` returns (the SPARQL endpoint's pool,
        :class:`profgraph.web.endpoint.QueryWorkers`), killed when it outlives ``timeout`` seconds."""
        if workers is None:
            raise TypeError("a local dataset answers in query processes: give the workers")
        return workers(self.rdf_path, timeout, max_bytes).run(sparql, formats, strict, graphs)

    def graph_names(self) -> list[str]:
        """The IRIs of the named graphs a query of this dataset can address, sorted."""
        return sorted(graph.value for graph in self.rdf.named_graphs() if hasattr(graph, "value"))


def _identities(version: Path, listed: dict) -> dict:
    """Return, for each file of ``listed`` (name -> manifest entry), what changes whenever it is written
    (inode, size, modification and status-change times) with its checksum: a file whose identity is
    unchanged since it was hashed still has that hash."""
    identities = {}
    for name, entry in listed.items():
        try:
            status = os.lstat(version / name)
        except OSError:
            return {}
        identities[name] = [status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns,
                            entry["sha256"]]
    return identities


def _verified_before(version: Path, identities: dict) -> bool:
    """Whether the user's cache records the files ``identities`` of ``version`` as verified."""
    try:
        record = json.loads((cache_dir() / VERIFIED_FILE).read_bytes()[:MANIFEST_LIMIT])
        return bool(identities) and record.get(str(version.resolve())) == identities
    except (OSError, ValueError, RecursionError, AttributeError):
        return False


def _remember_verified(version: Path, identities: dict) -> None:
    """Record in the user's cache that the files ``identities`` of ``version`` match their checksums (best effort)."""
    try:
        record = json.loads((cache_dir() / VERIFIED_FILE).read_bytes()[:MANIFEST_LIMIT])
        record = record if isinstance(record, dict) else {}
    except (OSError, ValueError, RecursionError):
        record = {}
    record.pop(str(version.resolve()), None)
    record[str(version.resolve())] = identities
    kept = dict(list(record.items())[-VERIFIED_KEPT:])
    try:
        cache_dir().mkdir(parents=True, exist_ok=True)
        write_text_atomic(cache_dir() / VERIFIED_FILE, json.dumps(kept))
    except (OSError, ProfgraphError):
        pass


def decode_model(content: bytes) -> tuple[Model, NameIndex]:
    """Return ``(model, names)`` read from the content of a ``model.json``.

    Raises ValueError (one line) when it is not JSON of the expected types or the model does not hold
    together (:func:`~profgraph.model.inconsistency`).
    """
    import msgspec

    from .lookup import NameIndex

    try:
        stored = msgspec.json.decode(content, type=_ModelFile)
    except (msgspec.MsgspecError, RecursionError) as error:  # deep nesting in a field it skips
        raise ValueError(str(error)) from None
    problem = inconsistency(stored.model) or _names_problem(stored.names, stored.model)
    if problem:
        raise ValueError(problem)
    return stored.model, NameIndex.stored(stored.names.keys, stored.names.entries, stored.names.preferred)


def _names_problem(names: _Names, model: Model) -> str | None:
    """Return what keeps ``names`` from being an index of ``model``'s names, or None."""
    if len(names.keys) != len(names.entries):
        return f"{len(names.keys)} search keys for {len(names.entries)} names"
    tables: dict[str, Mapping[str, object]] = {"profession": model.professions, "skill": model.skills}
    for kind, entity_id, _, _ in names.entries:
        if entity_id not in tables.get(kind, ()):
            return f"a name of the unknown {kind} {entity_id!r}"
    if names.preferred and not 0 <= min(names.preferred) <= max(names.preferred) < len(names.entries):
        return "a preferred name out of range"
    return None


def read_arrays(content: bytes) -> dict:
    """Return the arrays of the ``.npz`` archive ``content`` by name.

    Raises ValueError when it is not an uncompressed archive of plain (not object) arrays whose data
    fit in it.
    """
    import io
    import zipfile

    import numpy as np

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for info in archive.infolist():
                if info.compress_type != zipfile.ZIP_STORED or not info.filename.endswith(".npy"):
                    raise ValueError(f"unexpected member {info.filename!r}")
                with archive.open(info) as member:  # the header's claim, checked before numpy allocates it
                    major, _ = np.lib.format.read_magic(member)
                    read_header = np.lib.format.read_array_header_1_0 if major == 1 else np.lib.format.read_array_header_2_0
                    shape, _, dtype = read_header(member)
                if dtype.hasobject or int(np.prod(shape, dtype=np.float64)) * dtype.itemsize > info.file_size:
                    raise ValueError(f"member {info.filename!r} claims more than it holds")
        with np.load(io.BytesIO(content), allow_pickle=False) as arrays:
            return {name: arrays[name] for name in arrays.files}
    except (OSError, EOFError, KeyError, zipfile.BadZipFile, zipfile.LargeZipFile) as error:
        raise ValueError(f"not a valid archive: {error}") from None


_TABLE_KINDS = {"ids": "U", "floor": "f", "indptr": "iu", "indices": "iu", "coverage": "f", "gap": "f"}


def table_problem(table: dict, professions) -> str | None:
    """Return what is wrong with the transition table ``table`` (:func:`profgraph.reskilling.transition_table`)
    of a model whose professions are ``professions`` (ids), or None when it is sound."""
    import numpy as np

    for name, kinds in _TABLE_KINDS.items():
        if name not in table:
            return f"no array {name!r}"
        if table[name].dtype.kind not in kinds:
            return f"array {name!r} holds {table[name].dtype}"
    ids, floor, indptr, indices = table["ids"], table["floor"], table["indptr"], table["indices"]
    coverage, gap = table["coverage"], table["gap"]
    if (ids.ndim != 1 or floor.ndim != 0 or indptr.shape != (len(ids) + 1,) or indices.ndim != 1
            or coverage.shape != indices.shape or gap.shape != indices.shape):
        return "arrays of inconsistent shapes"
    if len(set(ids.tolist())) != len(ids) or set(ids.tolist()) != set(professions):
        return "its professions are not the model's"
    if not 0.0 <= float(floor) <= 1.0:
        return f"floor {float(floor)} outside [0, 1]"
    if indptr[0] != 0 or indptr[-1] != len(indices) or np.any(np.diff(indptr) < 0):
        return "row pointers out of order"
    if len(indices) and (indices.min() < 0 or indices.max() >= len(ids)):
        return "a profession index out of range"
    if not (np.all(np.isfinite(gap)) and np.all((coverage >= 0.0) & (coverage <= 1.0))):
        return "a coverage or gap out of range"
    return None


def fingerprint(inputs: list[Path]) -> str:
    """Return a hash of the input files, the building code and the format version."""
    digest = hashlib.sha256(f"{FORMAT}:{__version__}".encode())
    package = Path(__file__).resolve().parent
    for path in [*inputs, *(package / name for name in _BUILD_CODE)]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def build_store(model: Model, destination: Path, fingerprint_value: str = "", ontology: Path | None = None,
                progress=None, details: dict | None = None, force: bool = False, rdf: bool = True) -> Dataset:
    """Build every view of ``model`` into the store folder ``destination`` and return it opened.

    ``progress``, if given, is called with the name of each view when it is built;
    ``details`` go into the manifest as they are; with ``rdf`` False the RDF view is left empty (for
    a reader that builds it from the model when it needs it, as a remote dataset's does). A store of this format gets a new version beside
    its current one: readers of an older version keep it, and it is removed once none holds it. Any
    other ``destination`` must be new, empty or a store of an older format, or ``force`` given; the
    store is then built beside it and swapped in whole (:class:`~profgraph.atomic.OutputFolder`). On
    any error ``destination`` is left as it was. Raises :class:`~profgraph.errors.UsageError` for a
    folder refused as :func:`~profgraph.atomic.check_output_folder` says, :class:`StoreError` when the
    model cannot be stored faithfully, OSError when the folder cannot be written.
    """
    from .atomic import OutputFolder, check_output_folder

    destination = Path(destination)
    if _legacy_format(destination) is False and not check_output_folder(destination, "store", force=force):
        with versions.build_lock(destination) as locked:
            return _build(model, destination, fingerprint_value, ontology, progress, details, locked, rdf)
    with OutputFolder(destination, "store", force=force) as output:
        built = _build(model, output.workspace, fingerprint_value, ontology, progress, details, locked=True, rdf=rdf)
    dataset = open_store(destination)
    if dataset.manifest["current"] == built.manifest["current"]:
        dataset._model_and_names = built._model_and_names
    return dataset


def _build(model: Model, destination: Path, fingerprint_value: str, ontology: Path | None, progress,
           details: dict | None, locked: bool, rdf: bool = True) -> Dataset:
    """:func:`build_store` into a store of this format, for a caller that took the build lock of
    ``destination`` (``locked`` says whether it holds it: see :func:`~profgraph.versions.build_lock`)."""
    import msgspec
    import numpy as np
    from pyoxigraph import Store

    from .lookup import NameIndex
    from .reskilling import transition_table

    legacy = bool(_legacy_format(destination))
    with versions.workspace(destination) as workspace:
        names = NameIndex(model)
        content = msgspec.json.encode(_ModelFile(model, _Names(names.keys, names.entries, sorted(names.preferred))))
        try:
            stored = decode_model(content)  # what is written must read back: the reader trusts nothing else
        except ValueError as error:
            raise StoreError(f"the dataset cannot be stored: {error}") from None
        (workspace / MODEL_FILE).write_bytes(content)
        if progress:
            progress("names")
        transitions = transition_table(model)
        np.savez(workspace / TRANSITIONS_FILE, **transitions)
        if progress:
            progress("transitions")
        triples = Store(str(workspace / RDF_FOLDER))
        if rdf:
            fill_rdf(triples, model, ontology)
        triples.flush()
        triples.optimize()
        del triples
        if progress:
            progress("rdf")
        files = _file_list(workspace)
        version = versions.commit(workspace)
    lease = versions.lease(version)
    manifest = {
        "format": FORMAT,
        "version": __version__,
        "name": model.name,
        "fingerprint": fingerprint_value,
        "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "professions": len(model.professions),
        "skills": len(model.skills),
        "requirements": sum(len(p.skills) for p in model.professions.values()),
        "transitions": len(transitions["indices"]),
        "transitions_floor": float(transitions["floor"]),
        **(details or {}),
        "current": version.name,
        "files": files,
    }
    write_text_atomic(destination / MANIFEST, json.dumps(manifest, indent=2))
    versions.clean(destination, keep=version.name, locked=locked)
    _remove_legacy(destination, legacy)
    dataset = Dataset(destination, manifest, lease)
    dataset._model_and_names = stored  # read back above: the builder need not read it again
    return dataset


def fill_rdf(triples: Store, model: Model, ontology: Path | None = None) -> None:
    """Load a dataset's RDF view into the empty pyoxigraph store ``triples``: the ontology
    (``profgraph.ttl`` of the folder ``ontology``, default the packaged one) in its own graph, and
    ``model``'s quads (:func:`~profgraph.rdf.model_quads`)."""
    from pyoxigraph import NamedNode, RdfFormat

    from .rdf import model_quads
    from .resources import ontology_dir
    from .vocab import ONTOLOGY_GRAPH

    ontology_file = (ontology or ontology_dir()) / "profgraph.ttl"
    triples.load(path=str(ontology_file), format=RdfFormat.TURTLE, to_graph=NamedNode(ONTOLOGY_GRAPH))
    triples.bulk_extend(model_quads(model))


def _file_list(version: Path) -> dict:
    """Return ``{name: {"size", "sha256"}}`` for every data file in the folder ``version``."""
    files = {}
    for path in sorted(version.rglob("*")):
        name = path.relative_to(version).as_posix()
        if path.is_file() and _LISTED.fullmatch(name) and not _UNLISTED.fullmatch(path.name):
            with path.open("rb") as handle:
                files[name] = {"size": path.stat().st_size, "sha256": hashlib.file_digest(handle, "sha256").hexdigest()}
    return files


def open_store(path: str | Path) -> Dataset:
    """Open the store folder ``path``: read its manifest, hold its current version and check the sizes of its files.

    Raises :class:`StoreError` if it is not a store or was built in another format,
    :class:`StoreDamaged` if its manifest or files are damaged.
    """
    path = Path(path)
    missing = None
    while True:
        manifest = _read_manifest(path)
        try:
            lease = versions.lease(path / manifest["current"])
        except FileNotFoundError:
            if missing == manifest["current"]:  # not a build replacing it: it is gone
                raise StoreDamaged(path, f"its version {missing} is missing") from None
            missing = manifest["current"]
            continue
        except OSError as error:
            raise StoreDamaged(path, f"{manifest['current']}: {error.strerror}") from None
        dataset = Dataset(path, manifest, lease)
        try:
            dataset._check_sizes()
        except StoreDamaged:
            lease.release()
            raise
        versions.sweep(path, manifest["current"], lambda: _current_version(path))
        return dataset


def _current_version(path: Path) -> str | None:
    """The version the manifest of the store folder ``path`` names now, or None if it cannot be read."""
    try:
        return _read_manifest(path)["current"]
    except StoreError:
        return None


def _read_manifest(path: Path) -> dict:
    """Return the manifest of the store folder ``path``, checked for the fields a reader relies on."""
    try:
        with open(path / MANIFEST, "rb") as handle:
            text = handle.read(MANIFEST_LIMIT + 1)
    except (FileNotFoundError, NotADirectoryError):
        raise StoreError(f"{path} is not a profgraph store (no {MANIFEST}); build one with 'profgraph import'") from None
    except OSError as error:
        raise StoreDamaged(path, f"{MANIFEST}: {error.strerror}") from None
    if len(text) > MANIFEST_LIMIT:
        raise StoreDamaged(path, f"{MANIFEST} is too large")
    try:
        manifest = json.loads(text)
    except (ValueError, RecursionError):
        raise StoreDamaged(path, f"{MANIFEST} is not JSON") from None
    found = manifest.get("format") if isinstance(manifest, dict) else None
    if type(found) is not int:
        raise StoreDamaged(path, f"{MANIFEST} gives no store format")
    if found != FORMAT:
        age = "an older" if found < FORMAT else "a newer"
        raise StoreError(f"{path} was built by {age} profgraph (store format {found}, this one reads {FORMAT}); "
                         f"{_rebuild_hint(path)}")
    problem = _manifest_problem(manifest)
    if problem:
        raise StoreDamaged(path, f"{MANIFEST}: {problem}")
    return manifest


def _manifest_problem(manifest: dict) -> str | None:
    current, files = manifest.get("current"), manifest.get("files")
    if not isinstance(current, str) or not versions.VERSION.fullmatch(current):
        return "no valid current version"
    if not isinstance(files, dict):
        return "no file list"
    for name, entry in files.items():
        if not _LISTED.fullmatch(name):
            return f"unexpected file {name[:80]!r}"
        if not (isinstance(entry, dict) and type(entry.get("size")) is int and entry["size"] >= 0
                and isinstance(entry.get("sha256"), str) and _SHA256.fullmatch(entry["sha256"])):
            return f"a malformed entry for {name}"
    for name in _REQUIRED:
        if name not in files:
            return f"{name} is not listed"
    for key in ("name", "fingerprint"):
        if not isinstance(manifest.get(key, ""), str):
            return f"{key} is not text"
    return None


def _legacy_format(folder: Path) -> bool | None:
    """Whether ``folder`` holds a store of format 2 or older (its views beside the manifest), False when it
    holds one of this format, None when it holds no store."""
    try:
        found = json.loads((folder / MANIFEST).read_bytes()[:MANIFEST_LIMIT]).get("format")
    except (OSError, ValueError, RecursionError, AttributeError):
        return None
    return None if type(found) is not int or found > FORMAT else found < FORMAT


def _remove_legacy(folder: Path, legacy: bool) -> None:
    """Remove what older builds left: a format-2 store's views beside the manifest (if ``legacy``), the
    workspaces of killed builds beside ``folder`` (:func:`~profgraph.atomic.remove_abandoned_workspaces`)
    and those of format-2 builds, named without a process id, once they are old enough to be abandoned."""
    import shutil

    if legacy:
        for name in _LEGACY_FILES:
            target = folder / name
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target, ignore_errors=True)
            elif target.exists() or target.is_symlink():
                target.unlink(missing_ok=True)
    remove_abandoned_workspaces(folder)
    pattern = re.compile(rf"\.{re.escape(folder.name)}\.build-[a-z0-9_]+")  # tempfile.mkdtemp's names
    try:
        leftovers = [entry for entry in os.scandir(folder.parent) if pattern.fullmatch(entry.name)]
    except OSError:
        return
    for entry in leftovers:
        try:
            abandoned = entry.is_dir(follow_symlinks=False) and time.time() - entry.stat().st_mtime > _STALE_AFTER
        except OSError:
            continue
        if abandoned:
            shutil.rmtree(entry.path, ignore_errors=True)


def cache_dir() -> Path:
    """Return the folder for built stores: ``$PROFGRAPH_CACHE``, else ``$XDG_CACHE_HOME/profgraph``, else ``~/.cache/profgraph``."""
    if os.environ.get("PROFGRAPH_CACHE"):
        return Path(os.environ["PROFGRAPH_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "profgraph"


def curated_store(data: str | Path | None = None) -> Dataset:
    """Return the store of the curated tables in ``data`` (default: the embedded data), building it if
    stale and rebuilding it if damaged (saying so on stderr).

    Raises :class:`~profgraph.errors.DataError` when a table is malformed.
    """
    from .resources import data_dir, ontology_dir
    from .sources.curated import read_curated, table_paths

    folder = Path(data) if data else data_dir()
    ontology = ontology_dir()
    inputs = [*table_paths(folder), ontology / "profgraph.ttl"]
    missing = [path for path in inputs if not path.is_file()]
    if missing:
        raise StoreError(f"missing data file {missing[0]}")
    stamp = fingerprint(inputs)
    destination = cache_dir() / ("curated" if data is None else f"data-{hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:12]}")

    def rebuild(damage: StoreDamaged | None) -> Dataset:
        with versions.build_lock(destination) as locked:
            dataset, found = _fresh(destination, stamp)
            if dataset is not None and (damage is None or dataset.version.name != damage.version):
                return dataset  # another process has built it meanwhile
            damage = damage or found
            if damage is not None:
                sys.stderr.write(f"profgraph: the cached store {destination} was damaged ({damage.problem}); "
                                 "rebuilding it\n")
            return _build(read_curated(folder), destination, stamp, ontology, None, None, locked)

    dataset, _ = _fresh(destination, stamp)
    if dataset is None:
        dataset = rebuild(None)
    dataset.repair = rebuild
    return dataset


def _fresh(destination: Path, stamp: str) -> tuple[Dataset | None, StoreDamaged | None]:
    """Return the store at ``destination`` if it holds ``stamp`` and is sound so far, else None and the damage found, if any."""
    try:
        dataset = open_store(destination)
    except StoreDamaged as damage:
        return None, damage
    except StoreError:
        return None, None
    return (dataset, None) if dataset.manifest.get("fingerprint") == stamp else (None, None)

