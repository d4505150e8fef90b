"""The SPARQL 1.1 Protocol endpoint of ``profgraph serve``: read-only, with a per-query timeout and
a cap on the size of a result.

Queries run in a small pool of worker processes, each holding the store open read-only
(:mod:`profgraph.sparql` executes and serialises them), each with a cap on its memory, each dying
with the server. Pyoxigraph cannot interrupt a query, so a query that outlives its timeout, or
outgrows the memory cap, has its worker killed and replaced. Queries wait for a worker in a
bounded queue, without holding a thread: pages and the API never wait behind them, and when the
queue is full a query is answered 503 at once. Requests:

- ``GET /sparql?query=...`` (``HEAD`` alike, without the body); ``POST`` with
  ``application/x-www-form-urlencoded`` (``query=...``) or ``application/sparql-query`` (the query
  is the body);
- ``default-graph-uri`` and ``named-graph-uri`` give the query its dataset, overriding its ``FROM``
  clauses (:func:`profgraph.sparql.dataset_options`);
- updates (``update=...``, ``application/sparql-update``) are refused with 403, and so are
  ``SERVICE`` calls to endpoints not on the allow-list; a query nested too deep for the engine
  (:func:`profgraph.sparql.check_query`) gets 400;
- the answer's format follows the ``Accept`` header, or a ``format`` parameter as clients such as
  SPARQLWrapper send it (:func:`named_formats`; an unknown value leaves it to ``Accept``, a known
  one that does not fit the query form gets 406): SPARQL results as JSON, XML, CSV or TSV; graphs
  (CONSTRUCT, DESCRIBE) as Turtle, N-Triples, JSON-LD or RDF/XML;
- ``GET /sparql`` without a query answers the SPARQL 1.1 Service Description, or a query form to a
  browser (:meth:`SparqlEndpoint.describe`);
- a syntax error answers 400 with the engine's message, a timeout, a query over the memory cap or
  a full queue 503, a result over the cap 400 with a hint to add LIMIT.

Against a remote dataset (:mod:`profgraph.remote`) the query goes to its endpoint, with the same
timeout and cap.
"""

from __future__ import annotations

import io
import queue
import threading
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

from ..formats import FORMATS, KIND_NAMES, W3C_FORMATS, WEB_PAGE_TYPES, essence_of, for_media_type, for_name, served

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer


class ProtocolError(Exception):
    """A request the endpoint refuses: ``status`` is the HTTP status, the message says why."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def named_formats(values) -> list[str]:
    """Return the result formats named by the ``format`` parameter values ``values``, in order: names
    of the formats the endpoint serves (:func:`profgraph.formats.served`), the names common clients
    send (``turtle``, ``json-ld``, ``rdf+xml``...) or media types (a comma-separated list of them, as
    SPARQLWrapper sends). Unknown values are left out, so that the ``Accept`` header decides."""
    formats: list[str] = []
    for value in values:
        for item in value.split(","):
            name = essence_of(item)
            formats.extend(for_name(name) or for_media_type(name))
    return list(dict.fromkeys(formats))


def ranked_header(header: str | None) -> list[tuple[float, int, str]]:
    """Return the items of an ``Accept`` or ``Accept-Language`` header as ``(quality, position,
    lowercased value)``, leaving out those of quality 0 (at most the first 32 items are read)."""
    items = []
    for position, item in enumerate((header or "").split(",")[:32]):
        value, *options = [part.strip() for part in item.split(";")]
        quality = 1.0
        for option in options:
            if option.startswith("q="):
                try:
                    quality = float(option[2:])
                except ValueError:
                    quality = 0.0
        if quality > 0 and value:
            items.append((quality, position, value.lower()))
    return items


def preferred_formats(accept: str | None, explicit: list[str] | None = None) -> list[str]:
    """Return the result formats the client asks for, best first (``explicit``, the formats a
    ``format`` parameter named (:func:`named_formats`), else the ``Accept`` header by quality). An
    empty list means "any".

    Raises :class:`ProtocolError` (406) when ``Accept`` names only types the endpoint cannot give.
    """
    if explicit:
        return list(explicit)
    if not accept:
        return []
    ranked, wildcard = [], False
    for quality, position, media in ranked_header(accept):
        if media.endswith("/*"):
            wildcard = True
        else:
            ranked += [(-quality, position, name) for name in for_media_type(media)]
    formats = list(dict.fromkeys(name for _, _, name in sorted(ranked)))
    if not formats and not wildcard:
        raise ProtocolError(406, "none of the accepted media types is available; use "
                            + ", ".join(format_.essence for format_ in served()))
    return formats


def choose_format(kind: str, formats: list[str], strict: bool = False) -> str:
    """Return the first of ``formats`` that suits a result of ``kind`` (select, ask, graph), else the
    default (:func:`profgraph.formats.served`). With ``strict`` (the client named the format with
    ``format=``) a format that does not suit raises :class:`ProtocolError` (406) instead."""
    fitting = [format_.name for format_ in served(kind)]
    chosen = next((name for name in formats if name in fitting), None)
    if chosen is None and strict:
        raise ProtocolError(406, f"format={formats[0]} does not fit {KIND_NAMES[kind]} queries; "
                                 f"use one of {', '.join(fitting)}")
    return chosen or fitting[0]


async def query_text(request) -> tuple[str, dict, list[str]]:
    """Return the SPARQL query of a Protocol request, its dataset (a dict with the lists
    ``default_graphs`` and ``named_graphs`` of its ``default-graph-uri`` and ``named-graph-uri``
    parameters, empty when it has neither; see :func:`profgraph.sparql.dataset_options`) and its
    ``format`` parameter values. Raises :class:`ProtocolError` for an update (403), a request
    without exactly one query (400) or an unsupported body type (415). ``HEAD`` is read like ``GET``."""
    in_url = {key: request.query_params.getlist(key) for key in request.query_params.keys()}
    if request.method in ("GET", "HEAD"):
        params = in_url
    else:
        content_type = essence_of(request.headers.get("content-type", ""))
        body = await request.body()
        if content_type == "application/sparql-update":
            raise ProtocolError(403, "this endpoint is read-only: SPARQL Update is refused")
        if content_type == "application/sparql-query":  # the graphs are in the URL's parameters
            return _decode(body), _graphs(in_url), in_url.get("format", [])
        if content_type != "application/x-www-form-urlencoded":
            raise ProtocolError(415, "send the query as application/x-www-form-urlencoded or application/sparql-query")
        params = parse_qs(_decode(body), keep_blank_values=True)
        params["format"] = params.get("format", []) + in_url.get("format", [])
    if "update" in params:
        raise ProtocolError(403, "this endpoint is read-only: SPARQL Update is refused")
    queries = params.get("query", [])
    if len(queries) != 1 or not queries[0].strip():
        raise ProtocolError(400, "give exactly one non-empty 'query' parameter")
    return queries[0], _graphs(params), params.get("format", [])


def _graphs(params: dict) -> dict:
    """The Protocol's dataset of the request parameters ``params`` (lists of values by name)."""
    default, named = params.get("default-graph-uri", []), params.get("named-graph-uri", [])
    if not (default or named):
        return {}
    from pyoxigraph import NamedNode

    for iri in (*default, *named):
        try:
            NamedNode(iri)
        except ValueError:
            raise ProtocolError(400, f"not a graph IRI: {iri[:200]!r}") from None
    return {"default_graphs": default, "named_graphs": named}


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError(400, "the request body is not UTF-8") from None


class _CappedBuffer(io.BytesIO):
    """A binary sink that refuses to grow past ``limit`` bytes."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit, self.overflowed = limit, False

    def write(self, chunk: ReadableBuffer, /) -> int:
        if self.tell() + memoryview(chunk).nbytes > self.limit:
            self.overflowed = True
            raise OSError("result too large")
        return super().write(chunk)


def answer(store, sparql: str, formats: list[str], max_bytes: int, strict: bool = False,
           allow_service=(), graphs: dict | None = None) -> tuple:
    """Run ``sparql`` on the pyoxigraph ``store``; return ``("ok", format, body)`` or
    ``(status, message)`` for a query the endpoint refuses (never raises for a bad query).
    ``strict`` and ``allow_service`` are as in :func:`choose_format` and
    :func:`profgraph.sparql.check_query`; ``graphs`` is the Protocol's dataset (:func:`query_text`)."""
    from ..errors import ProfgraphError, QuerySyntaxError, QueryTooComplex, ServiceRefused
    from ..sparql import execute, result_kind, write_result

    try:
        result = execute(store, sparql, allow_service, **(graphs or {}))
        output_format = choose_format(result_kind(result), formats, strict)
        buffer = _CappedBuffer(max_bytes)
        try:
            write_result(result, buffer, output_format)
        except Exception:
            if buffer.overflowed:
                return 400, f"the result is larger than {max_bytes} bytes; add a LIMIT"
            raise
        return "ok", output_format, buffer.getvalue()
    except ProtocolError as error:
        return error.status, str(error)
    except ServiceRefused as error:
        return 403, str(error)
    except (QuerySyntaxError, QueryTooComplex) as error:
        return 400, str(error)
    except (ProfgraphError, OSError, ValueError, RuntimeError) as error:
        return 500, f"query failed: {error}"


def _worker_main() -> None:
    """A worker process: ``python -c ... PARENT_PID SETTINGS_JSON``. Answers JSON requests
    ``{"query", "formats", "strict"}`` read from stdin, one a line, each with a JSON header line
    ``{"status", "format", "length"}`` (or ``"message"``) and the body."""
    import json
    import os
    import sys

    from ..children import die_with_parent, limit_memory

    die_with_parent(int(sys.argv[1]))
    settings = json.loads(sys.argv[2])
    limit_memory(settings["memory_mb"])
    if hasattr(os, "nice"):
        os.nice(10)  # queries yield the CPU to the server, which answers the pages
    from pyoxigraph import Store

    store = Store.read_only(settings["rdf_folder"])
    output = sys.stdout.buffer
    for line in sys.stdin.buffer:
        request = json.loads(line)
        try:
            reply = answer(store, request["query"], request["formats"], settings["max_bytes"], request["strict"],
                           settings["allow_service"], request["graphs"])
        except MemoryError:
            reply = 503, _memory_message(settings["memory_mb"])
        if reply[0] == "ok":
            header, body = {"status": 200, "format": reply[1], "length": len(reply[2])}, reply[2]
        else:
            header, body = {"status": reply[0], "message": reply[1], "length": 0}, b""
        output.write(json.dumps(header).encode() + b"\n" + body)
        output.flush()


def _memory_message(megabytes: int) -> str:
    return f"the query needed more than the {megabytes} MB of memory a query may use and was stopped; narrow it"


class QueryWorkers:
    """``size`` worker processes over the store folder ``rdf_folder``; :meth:`run` answers one query
    in one of them, killing and replacing a worker whose query outlives ``timeout`` seconds or dies
    (its address space is capped at ``memory_mb`` MiB). Workers are started from one thread that
    lives as long as this object, so that they die with the server (see :mod:`profgraph.children`)
    and only then."""

    def __init__(self, rdf_folder: str, size: int, timeout: float, max_bytes: int, memory_mb: int = 1024,
                 allow_service=()):
        from concurrent.futures import ThreadPoolExecutor

        self.timeout, self.memory_mb = timeout, memory_mb
        self._settings = {"rdf_folder": rdf_folder, "max_bytes": max_bytes, "memory_mb": memory_mb,
                          "allow_service": list(allow_service)}
        self._spawner = ThreadPoolExecutor(1, thread_name_prefix="profgraph-sparql-workers")
        self._idle: queue.Queue = queue.Queue()
        self._all: list = []
        self._lock = threading.Lock()
        for _ in range(size):
            self._idle.put(self._start())

    def _start(self):
        return self._spawner.submit(self._spawn).result()

    def _spawn(self):
        import json
        import subprocess

        from ..children import start_python

        process = start_python("from profgraph.web.endpoint import _worker_main; _worker_main()", json.dumps(self._settings),
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        with self._lock:
            self._all.append(process)
        return process

    def _retire(self, process) -> None:
        import contextlib

        process.kill()
        process.wait()
        for pipe in (process.stdin, process.stdout):
            with contextlib.suppress(OSError):  # a dead worker's pipe may still hold unsent bytes
                pipe.close()
        with self._lock:
            self._all.remove(process)

    def run(self, sparql: str, formats: list[str], strict: bool = False, graphs: dict | None = None) -> tuple:
        """Return what :func:`answer` returns, or ``(503, message)`` when the query outlives the
        timeout, outgrows the memory cap, or every worker stays busy for ``timeout`` seconds."""
        import json
        import select
        import signal
        import subprocess

        try:
            process = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            return 503, "every query worker is busy; try again later"
        if process.poll() is not None:  # died while idle (an earlier query left it at its memory cap)
            self._retire(process)
            process = self._start()
        message = f"the query ran longer than the {self.timeout:g} s timeout and was stopped"
        try:
            process.stdin.write(json.dumps({"query": sparql, "formats": formats, "strict": strict,
                                            "graphs": graphs or {}}).encode() + b"\n")
            process.stdin.flush()
            ready, _, _ = select.select([process.stdout], [], [], self.timeout)
            if ready:
                header = json.loads(process.stdout.readline())
                body = process.stdout.read(header["length"])
                self._idle.put(process)
                if header["status"] != 200:
                    return header["status"], header["message"]
                return "ok", header["format"], body
        except (OSError, ValueError, KeyError):  # the worker died: most likely its memory ran out
            try:
                process.wait(2)
            except subprocess.TimeoutExpired:
                pass
            aborted = process.returncode in (-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGBUS)
            message = _memory_message(self.memory_mb) if aborted else "the query worker failed; try again"
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
        self._spawner.shutdown(wait=False)


class SparqlEndpoint:
    """The ``/sparql`` route over ``dataset``, with the timeout, caps, worker count, queue length and
    allowed ``SERVICE`` endpoints of ``settings`` (a :class:`profgraph.web.app.ServerSettings`).
    Workers start on the first query."""

    def __init__(self, dataset, settings):
        self.dataset, self.settings = dataset, settings
        self._workers: QueryWorkers | None = None
        self._lock = threading.Lock()
        self._admitted = 0  # queries running or waiting; only the event loop's thread changes it
        self._gate = None  # (event loop, semaphore of workers, thread limiter), made on the loop

    def _run(self, sparql: str, formats: list[str], strict: bool, graphs: dict) -> tuple:
        return self.dataset.answer(sparql, formats, self.settings.sparql_timeout, self.settings.max_result_bytes,
                                   graphs, strict, workers=self._query_workers)

    def _query_workers(self, rdf_folder, timeout: float, max_bytes: int) -> QueryWorkers:
        """The query processes over the Oxigraph folder ``rdf_folder``, started on the first call."""
        with self._lock:
            if self._workers is None:
                self._workers = QueryWorkers(str(rdf_folder), self.settings.sparql_workers, timeout, max_bytes,
                                             self.settings.sparql_memory_mb, self.settings.allowed_services)
        return self._workers

    async def _when_a_worker_is_free(self, sparql: str, formats: list[str], strict: bool, graphs: dict) -> tuple:
        """Wait (asynchronously, holding no thread) for a free worker, at most the query timeout;
        then run the query in a thread of the endpoint's own."""
        import asyncio

        import anyio

        loop = asyncio.get_running_loop()
        if self._gate is None or self._gate[0] is not loop:
            workers = self.settings.sparql_workers
            self._gate = loop, anyio.Semaphore(workers), anyio.CapacityLimiter(workers)
        _, free, threads = self._gate
        with anyio.move_on_after(self.settings.sparql_timeout):
            await free.acquire()
            try:
                with anyio.CancelScope(shield=True):
                    return await anyio.to_thread.run_sync(self._run, sparql, formats, strict, graphs,
                                                         limiter=threads)
            finally:
                free.release()
        return 503, f"every query worker stayed busy for {self.settings.sparql_timeout:g} s; try again later"

    async def handle(self, request):
        """Answer one Protocol request (see the module's docstring)."""
        from starlette.responses import PlainTextResponse, Response

        from ..errors import QueryTooComplex, ServiceRefused
        from ..sparql import check_query

        if request.method in ("GET", "HEAD") and not ({"query", "update"} & set(request.query_params.keys())):
            return self.describe(request)
        try:
            sparql, graphs, format_values = await query_text(request)
            explicit = named_formats(format_values)
            formats = preferred_formats(request.headers.get("accept"), explicit)
            check_query(sparql, self.settings.allowed_services)
        except ProtocolError as error:
            return PlainTextResponse(str(error), error.status)
        except QueryTooComplex as error:
            return PlainTextResponse(str(error), 400)
        except ServiceRefused as error:
            return PlainTextResponse(str(error), 403)
        if self._admitted >= self.settings.sparql_workers + self.settings.sparql_queue:
            return PlainTextResponse("every query worker is busy and the queue is full; try again later", 503,
                                     headers={"Retry-After": str(max(1, round(self.settings.sparql_timeout)))})
        self._admitted += 1
        try:
            reply = await self._when_a_worker_is_free(sparql, formats, bool(explicit), graphs)
        finally:
            self._admitted -= 1
        if reply[0] != "ok":
            return PlainTextResponse(reply[1], reply[0])
        _, output_format, body = reply
        if explicit and output_format not in explicit:  # a remote endpoint chose another format
            return PlainTextResponse(f"format={format_values[0][:40]} does not fit this query's result", 406)
        return Response(body, media_type=FORMATS[output_format].media_type, headers={"Vary": "Accept"})

    def describe(self, request):
        """``GET /sparql`` without a query: the query form (HTML) when the client prefers HTML, else
        the SPARQL 1.1 Service Description of the endpoint, in the RDF format it asks for (Turtle
        by default; 406 when it accepts none)."""
        from starlette.responses import HTMLResponse, PlainTextResponse, Response

        accept = request.headers.get("accept") or ""
        if prefers_html(accept):
            return HTMLResponse(query_form(), headers={"Vary": "Accept"})
        try:
            output_format = choose_format("graph", preferred_formats(accept))
        except ProtocolError as error:
            return PlainTextResponse(str(error), error.status)
        from io import BytesIO

        from ..export import write_triples

        buffer = BytesIO()
        endpoint_url = str(request.url.replace(query="", fragment=""))
        write_triples(service_description(endpoint_url, self.dataset.graph_names()), buffer, output_format)
        return Response(buffer.getvalue(), media_type=FORMATS[output_format].media_type, headers={"Vary": "Accept"})

    def close(self) -> None:
        """Stop the workers, if any started."""
        if self._workers is not None:
            self._workers.close()


SD = "http://www.w3.org/ns/sparql-service-description#"


def prefers_html(accept: str) -> bool:
    """True when the ``Accept`` header ranks ``text/html`` above every RDF type (as browsers send it)."""
    best_html = best_rdf = 0.0
    for quality, _, media in ranked_header(accept):
        if media in WEB_PAGE_TYPES:
            best_html = max(best_html, quality)
        elif for_media_type(media):
            best_rdf = max(best_rdf, quality)
    return best_html > best_rdf


def service_description(endpoint_url: str, named_graphs: list[str]) -> list:
    """Return the triples of the SPARQL 1.1 Service Description of the endpoint at ``endpoint_url``:
    SPARQL 1.1 Query, the result formats it serves (:func:`profgraph.formats.served`), a default
    graph that is the union of the store's graphs (``sd:UnionDefaultGraph``), and ``named_graphs``."""
    from pyoxigraph import BlankNode, NamedNode, Triple

    from ..vocab import RDF

    def sd(name: str) -> NamedNode:
        return NamedNode(SD + name)

    service, dataset, default = NamedNode(endpoint_url), BlankNode(), BlankNode()
    triples = [Triple(service, NamedNode(RDF + "type"), sd("Service")),
               Triple(service, sd("endpoint"), service),
               Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
               Triple(service, sd("feature"), sd("UnionDefaultGraph")),
               *(Triple(service, sd("resultFormat"), NamedNode(W3C_FORMATS + format_.w3c))
                 for format_ in served()),
               Triple(service, sd("defaultDataset"), dataset),
               Triple(dataset, NamedNode(RDF + "type"), sd("Dataset")),
               Triple(dataset, sd("defaultGraph"), default),
               Triple(default, NamedNode(RDF + "type"), sd("Graph"))]
    for iri in named_graphs:
        graph = BlankNode()
        triples += [Triple(dataset, sd("namedGraph"), graph), Triple(graph, NamedNode(RDF + "type"), sd("NamedGraph")),
                    Triple(graph, sd("name"), NamedNode(iri))]
    return triples


def query_form() -> str:
    """Return the HTML page of the query form of ``GET /sparql``: a query box, a result format and
    the prefixes that need no declaration. It sends the query to ``/sparql`` with GET."""
    from html import escape

    from ..vocab import PREFIXES

    options = "".join(f'<option value="{format_.name}">{escape(format_.name)} ({escape(format_.essence)})</option>'
                      for format_ in served())
    prefixes = escape(", ".join(f"{name}:" for name in PREFIXES))
    example = "SELECT ?profession ?label WHERE {\n  ?profession a pg:Profession ; skos:prefLabel ?label .\n" \
              "  FILTER(lang(?label) = \"en\")\n} LIMIT 10"
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>profgraph SPARQL</title></head>'
            '<body><h1>profgraph SPARQL 1.1 endpoint</h1>'
            '<form method="get" action="/sparql">'
            f'<p><textarea name="query" rows="14" cols="100" aria-label="SPARQL query">{escape(example)}</textarea></p>'
            f'<p><label>Result format <select name="format">{options}</select></label> '
            '<button type="submit">Run</button></p></form>'
            f'<p>Prefixes that need no declaration: {prefixes}.</p>'
            '<p>Without FROM the default graph is the union of the store\'s graphs; FROM, FROM NAMED, '
            'default-graph-uri and named-graph-uri name other datasets.</p></body></html>\n')
