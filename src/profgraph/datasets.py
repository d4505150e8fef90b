"""The dataset to work on: the one at a SPARQL endpoint (:mod:`profgraph.remote`), a store folder or
the curated tables (:mod:`profgraph.store`). Both kinds answer the same query calls (``execute``,
``run_query``, ``answer``, ``graph_names``), so nothing above this module asks which kind it holds."""

from __future__ import annotations

import os
from pathlib import Path

from typing import TYPE_CHECKING

from .store import Dataset, curated_store, open_store

if TYPE_CHECKING:  # imported where used: httpx and asyncio cost a cold path query 60 ms
    from .remote import Credentials

_OPENED: dict = {}  # store version folder -> its Dataset, whose RDF store stays open between calls
OPENED_KEPT = 4


def load(store: str | Path | None = None, data: str | Path | None = None, endpoint: str | None = None,
         credentials: Credentials | None = None) -> Dataset:
    """Return the dataset to work on: the one at the SPARQL endpoint ``endpoint`` (or
    ``$PROFGRAPH_ENDPOINT``, graph ``$PROFGRAPH_GRAPH``; see :mod:`profgraph.remote`), read with the
    :class:`~profgraph.remote.Credentials` ``credentials`` (default: those the environment gives), if given, else
    the store folder ``store`` (or ``$PROFGRAPH_STORE``), else the curated tables in ``data`` (or
    ``$PROFGRAPH_DATA``; default: the embedded data), built and cached on first use.

    Raises :class:`~profgraph.errors.RemoteError` when the endpoint cannot be read,
    :class:`~profgraph.store.StoreError` for a folder that is not a sound store,
    :class:`~profgraph.errors.DataError` for a malformed curated table.
    """
    endpoint = endpoint or os.environ.get("PROFGRAPH_ENDPOINT")
    if endpoint:
        from .remote import credentials_from_environment, open_remote

        return open_remote(endpoint, os.environ.get("PROFGRAPH_GRAPH") or None,
                           credentials or credentials_from_environment())
    return load_local(store, data)


def load_local(store: str | Path | None = None, data: str | Path | None = None) -> Dataset:
    """Return the dataset :func:`load` returns when no endpoint is named, whatever
    ``$PROFGRAPH_ENDPOINT`` says: the store folder ``store`` (or ``$PROFGRAPH_STORE``), else the
    curated tables in ``data`` (or ``$PROFGRAPH_DATA``; default: the embedded data)."""
    store = store or os.environ.get("PROFGRAPH_STORE")
    if store:
        return open_store(store)
    return curated_store(data or os.environ.get("PROFGRAPH_DATA") or None)


def opened(store: str | os.PathLike | Dataset | None = None) -> Dataset:
    """Return ``store`` when it is a dataset already, else :func:`load` ``store`` (a store folder, or
    None for the default dataset). A dataset of a store version opened by an earlier call is reused
    (a version folder never changes once built, so its opened RDF store can be kept); the last
    :data:`OPENED_KEPT` versions are kept."""
    if store is not None and not isinstance(store, (str, os.PathLike)):
        return store
    dataset = load(None if store is None else Path(store))
    kept = _OPENED.setdefault(dataset.version, dataset)
    while len(_OPENED) > OPENED_KEPT:
        _OPENED.pop(next(iter(_OPENED)))
    return kept
