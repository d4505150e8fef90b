"""The SPARQL 1.1 Protocol endpoint of ``profgraph serve``: read-only, with a per-query timeout and
a cap on the size of a result.

Queries run in a small pool of worker processes, each holding the store open read-only
(:mod:`profgraph.sparql` executes and serialises them). Pyoxigraph cannot interrupt a query, so a
query that outlives its timeout has its worker killed and replaced; the server itself never blocks
on it. Requests:

- ``GET /sparql?query=...``; ``POST`` with ``application/x-www-form-urlencoded`` (``query=...``)
  or ``application/sparql-query`` (the query is the body);
- updates (``update=...``, ``application/sparql-update``) are refused with 403;
- the answer's format follows the ``Accept`` header (or a ``format`` parameter): SPARQL results
  as JSON, XML, CSV or TSV; graphs (CONSTRUCT, DESCRIBE) as Turtle or N-Triples;
- a syntax error answers 400 with the engine's message, a timeout 503, a result over the cap 400
  with a hint to add LIMIT.

Against a remote dataset (:mod:`profgraph.remote`) the query goes to its endpoint, with the same
timeout and cap.
"""

from __future__ import annotations

import queue
import threading
from urllib.parse import parse_qs

MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "ttl": "text/turtle; charset=utf-8",
    "nt": "application/n-triples",
}
_ACCEPTED = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
    "text/turtle": "ttl", "application/x-turtle": "ttl", "application/n-triples": "nt", "text/plain": "nt",
}
FITS = {"select": ("json", "xml", "csv", "tsv"), "ask": ("json", "xml"), "graph": ("ttl", "nt")}
DEFAULTS = {"select": "json", "ask": "json", "graph": "ttl"}


class ProtocolError(Exception):
    """A request the endpoint refuses: ``status`` is the HTTP status, the message says why."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def preferred_formats(accept: str | None, explicit: str | None = None) -> list[str]:
    """Return the result formats the client asks for, best first (from ``explicit``, a ``format``
    parameter, then the ``Accept`` header by quality). An empty list means "any".

    Raises :class:`ProtocolError` (406) when ``Accept`` names only types the endpoint cannot give.
    """
    if explicit:
        if explicit not in MEDIA_TYPES:
            raise ProtocolError(400, f"unknown format {explicit[:20]!r}; use one of {', '.join(MEDIA_TYPES)}")
        return [explicit]
    if not accept:
        return []
    ranked, wildcard = [], False
    for position, item in enumerate(accept.split(",")[:32]):
        media, *options = [part.strip() for part in item.split(";")]
        quality = 1.0
        for option in options:
            if option.startswith("q="):
                try:
                    quality = float(option[2:])
                except ValueError:
                    quality = 0.0
        if quality <= 0:
            continue
        if media.endswith("/*"):
            wildcard = True
        elif media.lower() in _ACCEPTED:
            ranked.append((-quality, position, _ACCEPTED[media.lower()]))
    formats = list(dict.fromkeys(name for _, _, name in sorted(ranked)))
    if not formats and not wildcard:
        raise ProtocolError(406, "none of the accepted media types is available; use "
                            + ", ".join(media.split(";")[0] for media in MEDIA_TYPES.values()))
    return formats


def choose_format(kind: str, formats: list[str]) -> str:
    """Return the first of ``formats`` that suits a result of ``kind`` (select, ask, graph), else the default."""
    return next((name for name in formats if name in FITS[kind]), DEFAULTS[kind])


async def query_text(request) -> str:
    """Return the SPARQL query of a Protocol request. Raises :class:`ProtocolError` for an update
    (403), a request without exactly one query (400) or an unsupported body type (415)."""
    if request.method == "GET":
        params = {key: request.query_params.getlist(key) for key in request.query_params.keys()}
    else:
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await request.body()
        if content_type == "application/sparql-update":
            raise ProtocolError(403, "this endpoint is read-only: SPARQL Update is refused")
        if content_type == "application/sparql-query":
            return _decode(body)
        if content_type != "application/x-www-form-urlencoded":
            raise ProtocolError(415, "send the query as application/x-www-form-urlencoded or application/sparql-query")
        params = parse_qs(_decode(body), keep_blank_values=True)
    if "update" in params:
        raise ProtocolError(403, "this endpoint is read-only: SPARQL Update is refused")
    if params.get("default-graph-uri") or params.get("named-graph-uri"):
        raise ProtocolError(400, "default-graph-uri and named-graph-uri are not supported; use FROM or GRAPH")
    queries = params.get("query", [])
    if len(queries) != 1 or not queries[0].strip():
        raise ProtocolError(400, "give exactly one non-empty 'query' parameter")
    return queries[0]


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError(400, "the request body is not UTF-8") from None


class _CappedBuffer:
    """A binary sink that refuses to grow past ``limit`` bytes."""

    def __init__(self, limit: int):
        self.limit, self.data, self.overflowed = limit, bytearray(), False

    def write(self, chunk) -> int:
        if len(self.data) + len(chunk) > self.limit:
            self.overflowed = True
            raise OSError("result too large")
        self.data += chunk
        return len(chunk)

    def flush(self) -> None:
        pass


def answer(store, sparql: str, formats: list[str], max_bytes: int) -> tuple:
    """Run ``sparql`` on the pyoxigraph ``store``; return ``("ok", format, body)`` or
    ``(status, message)`` for a query the endpoint refuses (never raises for a bad query)."""
    from .errors import ProfgraphError
    from .sparql import QuerySyntaxError, execute, result_kind, write_result

    try:
        result = execute(store, sparql)
        output_format = choose_format(result_kind(result), formats)
        buffer = _CappedBuffer(max_bytes)
        try:
            write_result(result, buffer, output_format)
        except Exception:
            if buffer.overflowed:
                return 400, f"the result is larger than {max_bytes} bytes; add a LIMIT"
            raise
        return "ok", output_format, bytes(buffer.data)
    except QuerySyntaxError as error:
        return 400, str(error)
    except (ProfgraphError, OSError, ValueError, RuntimeError) as error:
        return 500, f"query failed: {error}"


def _worker_main(rdf_folder: str, max_bytes: int) -> None:
    """A worker process: answer JSON requests ``{"query", "formats"}`` read from stdin, one a line,
    each with a JSON header line ``{"status", "format", "length"}`` (or ``"message"``) and the body."""
    import json
    import sys

    from pyoxigraph import Store

    store = Store.read_only(rdf_folder)
    output = sys.stdout.buffer
    for line in sys.stdin.buffer:
        request = json.loads(line)
        reply = answer(store, request["query"], request["formats"], max_bytes)
        if reply[0] == "ok":
            header, body = {"status": 200, "format": reply[1], "length": len(reply[2])}, reply[2]
        else:
            header, body = {"status": reply[0], "message": reply[1], "length": 0}, b""
        output.write(json.dumps(header).encode() + b"\n" + body)
        output.flush()


class QueryWorkers:
    """``size`` worker processes over the store folder ``rdf_folder``; :meth:`run` answers one query
    in one of them, killing and replacing a worker whose query outlives ``timeout`` seconds."""

    def __init__(self, rdf_folder: str, size: int, timeout: float, max_bytes: int):
        self.rdf_folder, self.timeout, self.max_bytes = rdf_folder, timeout, max_bytes
        self._idle: queue.Queue = queue.Queue()
        self._all: list = []
        self._lock = threading.Lock()
        for _ in range(size):
            self._idle.put(self._start())

    def _start(self):
        import os
        import subprocess
        import sys

        # A fresh interpreter, not a fork: forking a threaded server is unsafe.
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(entry for entry in sys.path if entry))
        process = subprocess.Popen(
            [sys.executable, "-c", "import sys; from profgraph.endpoint import _worker_main; "
                                   "_worker_main(sys.argv[1], int(sys.argv[2]))", self.rdf_folder, str(self.max_bytes)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        with self._lock:
            self._all.append(process)
        return process

    def _retire(self, process) -> None:
        process.kill()
        process.wait()
        process.stdin.close()
        process.stdout.close()
        with self._lock:
            self._all.remove(process)

    def run(self, sparql: str, formats: list[str]) -> tuple:
        """Return what :func:`answer` returns, or ``(503, message)`` on timeout or when every worker
        stays busy for ``timeout`` seconds."""
        import json
        import select

        try:
            process = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            return 503, "every query worker is busy; try again later"
        message = f"the query ran longer than the {self.timeout:g} s timeout and was stopped"
        try:
            process.stdin.write(json.dumps({"query": sparql, "formats": formats}).encode() + b"\n")
            process.stdin.flush()
            ready, _, _ = select.select([process.stdout], [], [], self.timeout)
            if ready:
                header = json.loads(process.stdout.readline())
                body = process.stdout.read(header["length"])
                self._idle.put(process)
                if header["status"] != 200:
                    return header["status"], header["message"]
                return "ok", header["format"], body
        except (OSError, ValueError, KeyError):
            message = "the query worker failed; try again"
        self._retire(process)
        self._idle.put(self._start())
        return 503, message

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            processes = list(self._all)
        for process in processes:
            process.kill()
            process.wait()


class SparqlEndpoint:
    """The ``/sparql`` route over ``dataset``, with the timeout, caps and worker count of ``settings``
    (a :class:`profgraph.server.ServerSettings`). Workers start on the first query."""

    def __init__(self, dataset, settings):
        self.dataset, self.settings = dataset, settings
        self._workers: QueryWorkers | None = None
        self._lock = threading.Lock()

    def _run(self, sparql: str, formats: list[str]) -> tuple:
        remote = getattr(self.dataset, "endpoint", None)
        if remote is not None:
            return self.dataset.answer(sparql, formats, timeout=self.settings.sparql_timeout,
                                       max_bytes=self.settings.max_result_bytes)
        with self._lock:
            if self._workers is None:
                self._workers = QueryWorkers(str(self.dataset.rdf_path), self.settings.sparql_workers,
                                             self.settings.sparql_timeout, self.settings.max_result_bytes)
        return self._workers.run(sparql, formats)

    async def handle(self, request):
        """Answer one Protocol request (see the module's docstring)."""
        from starlette.concurrency import run_in_threadpool
        from starlette.responses import PlainTextResponse, Response

        try:
            formats = preferred_formats(request.headers.get("accept"), request.query_params.get("format"))
            sparql = await query_text(request)
        except ProtocolError as error:
            return PlainTextResponse(str(error), error.status)
        reply = await run_in_threadpool(self._run, sparql, formats)
        if reply[0] != "ok":
            return PlainTextResponse(reply[1], reply[0])
        _, output_format, body = reply
        return Response(body, media_type=MEDIA_TYPES[output_format], headers={"Vary": "Accept"})

    def close(self) -> None:
        """Stop the workers, if any started."""
        if self._workers is not None:
            self._workers.close()
