"""``push``: upload a dataset to a SPARQL server with the SPARQL 1.1 Graph Store HTTP Protocol, in
chunks of bounded size.

The RDF of the dataset (the ontology and the data graphs, merged into the one graph named) is
written as N-Triples by Oxigraph in a thread, cut at line ends into chunks of at most
:data:`CHUNK_BYTES`, and sent while the next ones are written: first an empty ``PUT``, which
replaces the graph with nothing (and shows which server it is and, if it asks for credentials, how),
then one ``POST`` per chunk, which adds to it. At most :data:`CHUNKS_AHEAD` chunks wait besides the
one being written and the one being sent, so a graph of any size goes out in bounded memory. Every
request states its length: Virtuoso takes a chunked request body for an empty one.

Servers differ, and the differences are handled here:

- Oxigraph server: the ``POST`` requests ask for its bulk loader (``no_transaction``), several times
  faster than a transaction per chunk;
- Virtuoso: its Graph Store endpoint is ``/sparql-graph-crud-auth`` (HTTP Digest, with ``--user``;
  the user needs the ``SPARQL_UPDATE`` role) or ``/sparql-graph-crud`` (no login; the ``SPARQL``
  user then needs that role). It has no default graph to store into: a push without ``--graph``
  goes to the dataset's own named graph, with a note saying which (read it with
  ``PROFGRAPH_GRAPH``).

The upload is not one transaction: if it fails partway, the graph holds the chunks sent so far and
the error line says how many triples that is; pushing again replaces them.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from dataclasses import dataclass

from .formats import WEB_PAGE_TYPES, essence_of
from .remote import (PUSH_TIMEOUT, SMALL_ANSWER_BYTES, Credentials, RemoteError, _fetch_with_headers, _run,
                     _where, check_endpoint, check_iri, graph_url, operation_timeout)

CHUNK_BYTES = 8 * 1024 * 1024  # N-Triples per request
CHUNKS_AHEAD = 1  # chunks written and waiting to be sent
PIECE_BYTES = 256 * 1024  # of a chunk, handed to the connection at a time
PROGRESS_FROM = 200_000  # triples: a push this large shows its progress
_N_TRIPLES = {"Content-Type": "application/n-triples"}
_REFUSED = (401, 403, 407)  # an answer about access, not about the default graph


@dataclass
class Pushed:
    """What :func:`push` did: ``triples`` sent to ``graph`` (None: the default graph), and a ``note``
    for the user when the graph is not the one asked for."""

    triples: int
    graph: str | None
    note: str = ""


def push(dataset, store_url: str, graph: str | None = None, timeout: float | None = None,
         credentials: Credentials | None = None, chunk_bytes: int = CHUNK_BYTES, progress=None) -> Pushed:
    """Upload the RDF of ``dataset`` (data and ontology) to the Graph Store endpoint ``store_url``,
    replacing the graph ``graph`` (default: the default graph; on Virtuoso, which has none there, the
    dataset's own named graph), in chunks of at most ``chunk_bytes`` of N-Triples, authenticating with
    ``credentials`` if given, all within ``timeout`` seconds (default :func:`operation_timeout` of
    :data:`PUSH_TIMEOUT`). ``progress``, a :class:`profgraph.workload.Progress`, hears of every chunk
    sent when the dataset is large. Returns what was done (:class:`Pushed`). Raises
    :class:`~profgraph.errors.UsageError` for an unusable URL or graph IRI, :class:`RemoteError` when
    the server refuses or cannot be reached (saying how many triples the graph got before)."""
    from .export import data_graphs
    from .vocab import ONTOLOGY_GRAPH

    check_endpoint(store_url)
    if graph is not None:
        check_iri(graph)
    store = dataset.rdf
    own_graphs = data_graphs(store)
    total = len(store)
    sent = [0, 0]  # triples and chunks the server has taken
    if total < PROGRESS_FROM:
        progress = None

    async def upload(client) -> Pushed:
        from pyoxigraph import NamedNode

        target, note = graph, ""
        try:
            headers = await _store(client, graph_url(store_url, target), b"", "PUT")
        except RemoteError as error:
            if not (target is None and own_graphs and error.server.startswith("Virtuoso/")
                    and error.status not in _REFUSED):
                raise
            target = own_graphs[0].value
            note = (f"{_where(store_url)} (Virtuoso) has no default graph to store into; the dataset went to "
                    f"its named graph {target}: read it with PROFGRAPH_GRAPH={target}")
            headers = await _store(client, graph_url(store_url, target), b"", "PUT")
        url = graph_url(store_url, target)
        if headers.get("Server", "").startswith("Oxigraph/"):
            url += "&no_transaction"
        if progress is not None:
            progress.start(total, "Sending triples")
        chunks = _Chunks(store, [NamedNode(ONTOLOGY_GRAPH), *own_graphs], chunk_bytes)
        try:
            while (chunk := await chunks.next()) is not None:
                await _store(client, url, chunk, "POST")
                lines = chunk.count(b"\n")
                chunk = None  # not held while the next one is awaited
                sent[0] += lines
                sent[1] += 1
                if progress is not None:
                    progress.advance(lines)
        finally:
            chunks.close()
            if progress is not None:
                progress.finish()
        return Pushed(sent[0], target, note)

    try:
        return _run(upload, store_url, operation_timeout(PUSH_TIMEOUT, timeout), credentials)
    except RemoteError as error:
        if not sent[1]:
            raise
        raise type(error)(f"{error}; the graph holds the first {sent[0]} triples of {total}: push again",
                          error.status, error.detail, error.server) from None


async def _store(client, url: str, body: bytes, method: str):
    """Send N-Triples ``body`` to the Graph Store ``url`` with ``method``; return the answer's headers.
    Raises :class:`RemoteError` for an error status, and for a web page answered instead (a Graph
    Store answers an upload with nothing, or a short report, never HTML)."""
    content = _Body(body)
    try:
        headers, answer = await _fetch_with_headers(client, url, content if body else b"",
                                                    {**_N_TRIPLES, "Content-Length": str(len(body))}, method,
                                                    SMALL_ANSWER_BYTES)
    finally:  # httpx's request and response refer to each other: the chunk would wait for the cycle collector
        content.data = b""
    if answer.strip() and essence_of(headers.get("Content-Type", "")) in WEB_PAGE_TYPES:
        raise RemoteError(f"{_where(url)} answered the upload with a web page, as a Graph Store endpoint never does: "
                          "is it one? (Oxigraph: /store; Virtuoso: /sparql-graph-crud-auth)",
                          server=headers.get("Server", ""))
    return headers


class _Body:
    """A request body of ``data`` that httpx sends in pieces of :data:`PIECE_BYTES` (sent whole, it would be
    copied twice on its way to the socket), and can send again when a login is asked for first."""

    def __init__(self, data: bytes):
        self.data = data

    async def __aiter__(self):
        with memoryview(self.data) as whole:
            for start in range(0, len(whole), PIECE_BYTES):
                yield bytes(whole[start:start + PIECE_BYTES])


class _Stopped(Exception):
    """The upload ended: the writer stops."""


class _Chunks:
    """The N-Triples of ``graphs`` of the Oxigraph ``store``, written by a thread and cut at line ends
    into chunks of at most ``limit`` bytes (a longer line is a chunk of its own); :meth:`next` waits
    for the next one without blocking the event loop, :meth:`close` stops the writer."""

    def __init__(self, store, graphs: list, limit: int):
        self._queue: queue.Queue = queue.Queue(CHUNKS_AHEAD)
        self._stop = threading.Event()
        self._buffer = bytearray()
        self._limit = limit
        self._thread = threading.Thread(target=self._write_all, args=(store, graphs), daemon=True)
        self._thread.start()

    async def next(self) -> bytes | None:
        """Return the next chunk, or None after the last. Raises what the writer met."""
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                await asyncio.sleep(0.005)
                continue
            if isinstance(item, BaseException):
                raise item
            return item

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def _write_all(self, store, graphs: list) -> None:
        from pyoxigraph import RdfFormat

        try:
            for graph in graphs:
                store.dump(self, format=RdfFormat.N_TRIPLES, from_graph=graph)
            if self._buffer:
                self._put(bytes(self._buffer))
            self._put(None)
        except _Stopped:
            pass
        except Exception as error:  # noqa: BLE001 - handed to the reader, which raises it
            try:
                self._put(error)
            except _Stopped:
                pass

    def write(self, data: bytes) -> int:
        """Take the next bytes Oxigraph writes; queue every whole chunk they complete."""
        self._buffer += data
        while len(self._buffer) >= self._limit:
            cut = self._buffer.rfind(b"\n", 0, self._limit) + 1 or self._buffer.find(b"\n") + 1
            if not cut:  # a line longer than a chunk, not ended yet
                break
            with memoryview(self._buffer) as written:
                chunk = bytes(written[:cut])
            self._put(chunk)
            del self._buffer[:cut]
        return len(data)

    def flush(self) -> None:
        """Oxigraph flushes at the end of each graph: whole chunks are queued as they fill."""

    def _put(self, item) -> None:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return
            except queue.Full:
                continue
        raise _Stopped
