"""The on-disk store: one folder holding every view of one dataset.

A store folder contains ``manifest.json`` (what it holds and the fingerprint of its inputs),
``model.pickle`` (the :class:`~profgraph.model.Model` and its name index),
``transitions.npz`` (every transition with coverage >= :data:`~profgraph.paths.GRAPH_FLOOR`
as sparse arrays; the networkx graph is built from it on demand, for the coverage asked) and
``oxigraph/`` (the RDF dataset, for SPARQL).
The embedded curated data get a store in the user's cache folder, built on first use and
rebuilt whenever the data, the ontology or the building code change. Stores are built in a
temporary folder and renamed into place, so a reader never sees a half-built one.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import time
from functools import cached_property
from pathlib import Path

from . import __version__
from .atomic import OutputFolder
from .errors import ProfgraphError
from .model import Model

FORMAT = 2
MANIFEST, MODEL_FILE, TRANSITIONS_FILE, RDF_FOLDER = "manifest.json", "model.pickle", "transitions.npz", "oxigraph"
_BUILD_CODE = ("model.py", "measures.py", "rdf.py", "similarity.py", "paths.py", "lookup.py", "store.py",
               "sources/curated.py")


class StoreError(ProfgraphError):
    """A store folder is missing, incomplete or from an incompatible version."""


class Dataset:
    """An opened store. Views load lazily, so a command pays only for what it uses."""

    def __init__(self, path: Path, manifest: dict):
        self.path = path
        self.manifest = manifest
        self._graphs: dict[float, object] = {}

    @cached_property
    def _model_and_names(self):
        with (self.path / MODEL_FILE).open("rb") as handle:
            return pickle.load(handle)

    @property
    def model(self) -> Model:
        """The dataset's :class:`~profgraph.model.Model`."""
        return self._model_and_names[0]

    @property
    def names(self):
        """The :class:`~profgraph.lookup.NameIndex` of the model's labels."""
        return self._model_and_names[1]

    @cached_property
    def transitions(self) -> dict:
        """The stored transition table (:func:`profgraph.paths.transition_table`)."""
        import numpy as np

        with np.load(self.path / TRANSITIONS_FILE, allow_pickle=False) as arrays:
            return dict(arrays)

    @property
    def graph(self):
        """The transition graph at the stored floor (:func:`profgraph.paths.transition_graph`)."""
        return self.transition_graph(float(self.transitions["floor"]))

    def transition_graph(self, min_coverage: float):
        """Return a transition graph holding every edge with coverage >= ``min_coverage`` (built once per value)."""
        if min_coverage not in self._graphs:
            from .paths import graph_from_table, transition_graph

            if min_coverage >= float(self.transitions["floor"]):
                self._graphs[min_coverage] = graph_from_table(self.transitions, min_coverage)
            else:
                self._graphs[min_coverage] = transition_graph(self.model, floor=min_coverage)
        return self._graphs[min_coverage]

    @cached_property
    def skill_matrices(self):
        """The profession-by-skill matrices (:func:`profgraph.similarity.skill_matrices`)."""
        from .similarity import skill_matrices

        return skill_matrices(self.model)

    @cached_property
    def similarity_vectors(self):
        """The professions' similarity vectors (:func:`profgraph.similarity.similarity_vectors`)."""
        from .similarity import similarity_vectors

        return similarity_vectors(self.skill_matrices)

    @cached_property
    def rdf(self):
        """The RDF dataset as a read-only :class:`pyoxigraph.Store`."""
        from pyoxigraph import Store

        return Store.read_only(str(self.path / RDF_FOLDER))


def fingerprint(inputs: list[Path]) -> str:
    """Return a hash of the input files, the building code and the format version."""
    digest = hashlib.sha256(f"{FORMAT}:{__version__}".encode())
    package = Path(__file__).resolve().parent
    for path in [*inputs, *(package / name for name in _BUILD_CODE)]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def build_store(model: Model, destination: Path, fingerprint_value: str = "", ontology: Path | None = None,
                progress=None, details: dict | None = None, force: bool = False) -> Dataset:
    """Build every view of ``model`` into the folder ``destination`` and return it opened.

    ``progress``, if given, is called with the name of each view when it is built;
    ``details`` go into the manifest as they are. The build happens in a temporary sibling
    folder that replaces ``destination`` only when complete; on any error nothing at
    ``destination`` changes. ``destination`` must be new, empty or a store, or ``force`` given
    (:class:`~profgraph.atomic.OutputFolder`); else :class:`~profgraph.errors.UsageError` is raised.
    """
    import numpy as np
    from pyoxigraph import NamedNode, RdfFormat, Store

    from .lookup import NameIndex
    from .paths import transition_table
    from .rdf import model_quads
    from .resources import ontology_dir
    from .vocab import ONTOLOGY_GRAPH

    destination = Path(destination)
    output = OutputFolder(destination, "store", force=force, whole=(RDF_FOLDER,))
    workspace = output.workspace
    try:
        with (workspace / MODEL_FILE).open("wb") as handle:
            pickle.dump((model, NameIndex(model)), handle, protocol=pickle.HIGHEST_PROTOCOL)
        if progress:
            progress("names")
        transitions = transition_table(model)
        np.savez(workspace / TRANSITIONS_FILE, **transitions)
        if progress:
            progress("transitions")
        rdf = Store(str(workspace / RDF_FOLDER))
        ontology_file = (ontology or ontology_dir()) / "profgraph.ttl"
        rdf.load(path=str(ontology_file), format=RdfFormat.TURTLE, to_graph=NamedNode(ONTOLOGY_GRAPH))
        rdf.bulk_extend(model_quads(model))
        rdf.flush()
        rdf.optimize()
        del rdf
        if progress:
            progress("rdf")
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
        }
        (workspace / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        output.commit()
    except BaseException:
        output.discard()
        raise
    return Dataset(destination, manifest)


def open_store(path: str | Path) -> Dataset:
    """Open the store folder ``path``. Raises :class:`StoreError` if it is not a complete store."""
    path = Path(path)
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StoreError(f"{path} is not a profgraph store (no {MANIFEST}); build one with 'profgraph import'") from None
    except (OSError, ValueError) as error:
        raise StoreError(f"{path}: unreadable {MANIFEST}: {error}") from None
    if manifest.get("format") != FORMAT:
        raise StoreError(f"{path} was built by an incompatible profgraph version; rebuild it")
    return Dataset(path, manifest)


def cache_dir() -> Path:
    """Return the folder for built stores: ``$PROFGRAPH_CACHE``, else ``$XDG_CACHE_HOME/profgraph``, else ``~/.cache/profgraph``."""
    if os.environ.get("PROFGRAPH_CACHE"):
        return Path(os.environ["PROFGRAPH_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "profgraph"


def curated_store(data: str | Path | None = None) -> Dataset:
    """Return the store of the curated tables in ``data`` (default: the embedded data), building it if stale.

    Raises :class:`~profgraph.errors.DataError` when a table is malformed.
    """
    from .resources import data_dir, ontology_dir
    from .sources.curated import table_paths

    folder = Path(data) if data else data_dir()
    ontology = ontology_dir()
    inputs = [*table_paths(folder), ontology / "profgraph.ttl"]
    missing = [path for path in inputs if not path.is_file()]
    if missing:
        raise StoreError(f"missing data file {missing[0]}")
    stamp = fingerprint(inputs)
    destination = cache_dir() / ("curated" if data is None else f"data-{hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:12]}")
    try:
        dataset = open_store(destination)
        if dataset.manifest.get("fingerprint") == stamp:
            return dataset
    except StoreError:
        pass
    from .sources.curated import read_curated

    return build_store(read_curated(folder), destination, stamp, ontology)


def load(store: str | Path | None = None, data: str | Path | None = None, endpoint: str | None = None) -> Dataset:
    """Return the dataset to work on: the one at the SPARQL endpoint ``endpoint`` (or
    ``$PROFGRAPH_ENDPOINT``, graph ``$PROFGRAPH_GRAPH``; see :mod:`profgraph.remote`) if given, else
    the store folder ``store`` (or ``$PROFGRAPH_STORE``), else the curated tables in ``data`` (or
    ``$PROFGRAPH_DATA``; default: the embedded data), built and cached on first use.
    """
    endpoint = endpoint or os.environ.get("PROFGRAPH_ENDPOINT")
    if endpoint:
        from .remote import open_remote

        return open_remote(endpoint, os.environ.get("PROFGRAPH_GRAPH") or None)
    store = store or os.environ.get("PROFGRAPH_STORE")
    if store:
        return open_store(store)
    return curated_store(data or os.environ.get("PROFGRAPH_DATA") or None)
