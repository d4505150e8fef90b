"""A dataset on an external SPARQL 1.1 server (Oxigraph server, Virtuoso, Fuseki, GraphDB), and
``push``, which uploads one there with the SPARQL 1.1 Graph Store HTTP Protocol.

:func:`open_remote` pulls the triples of the dataset's graph in bounded pages (CONSTRUCT over an
ordered SELECT with LIMIT/OFFSET), reads them back into a :class:`~profgraph.model.Model`
(:func:`profgraph.rdf.model_from_triples`) and builds an ordinary store from it in the cache
folder, keyed by endpoint and graph. The next time a cheap probe (the graph's triple count) decides whether the cached
copy is still good. Names, paths and similarity are then computed locally, exactly as for the
embedded store; SPARQL queries from ``sparql`` and ``serve`` go straight to the endpoint
(:func:`execute_remote`, :meth:`RemoteDataset.answer`).

A server is not trusted to behave. Every operation has one total deadline, from resolving the
host name to the last byte of the answer (not a timeout per read: an answer trickled one byte at a
time still stops on time), and every answer a size cap checked as the bytes arrive. Both come from
running httpx's asynchronous client under :func:`asyncio.timeout` on a private event loop: httpx has
no total deadline of its own, and cancelling the task closes the connection, which is all a client
can do to stop a query (the SPARQL 1.1 Protocol has no cancel). Every bad answer (not HTTP, cut
short, not the format asked for, an error page) becomes one :class:`RemoteError` line.

Nothing a user types is pasted into a query: the only value that enters one is the graph IRI,
checked by :func:`check_iri`.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import math
import urllib.parse

from .errors import (AnswerTooLarge, QuerySyntaxError, QueryTimeout, RemoteError, RemoteTimeout, UsageError, printable,
                     shown)
from .rdf import model_from_triples
from .store import Dataset, StoreError, build_store, cache_dir, open_store
from .vocab import prefix_declarations

PAGE = 10_000  # triples per request
TIMEOUT = 60.0  # seconds for one request, from resolving the host to the last byte of the answer
PULL_TIMEOUT = 600.0  # seconds for pulling a whole dataset, every page together
PUSH_TIMEOUT = 600.0  # seconds for uploading a dataset
TIMEOUT_VARIABLE = "PROFGRAPH_REMOTE_TIMEOUT"  # seconds, instead of each of the three above
MAX_ANSWER_BYTES = 256 * 1024 * 1024  # the largest answer read, and the most one pull reads in all
SMALL_ANSWER_BYTES = 1024 * 1024  # a count, or the server's reply to an upload
ERROR_DETAIL = 200  # characters of an error page quoted in a message
_IRI_FORBIDDEN = set('<>"{}|^`\\ \t\r\n')


def check_iri(iri: str) -> str:
    """Return ``iri`` if it is an absolute IRI that can sit between ``<`` and ``>`` in SPARQL;
    raise :class:`~profgraph.errors.UsageError` otherwise (so it can never close the IRI early)."""
    if not iri or any(char in _IRI_FORBIDDEN or ord(char) < 0x20 for char in iri) or ":" not in iri:
        raise UsageError(f"not a usable graph IRI: {shown(iri)}")
    return iri


def check_endpoint(url: str) -> str:
    """Return ``url`` if it is an ``http`` or ``https`` URL with a host (an internationalised host name
    is fine); raise :class:`~profgraph.errors.UsageError` otherwise."""
    try:
        parts = urllib.parse.urlsplit(url)
        usable = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:  # a port that is not a number, a bad IPv6 address
        usable = False
    if not usable or any(not char.isprintable() or char.isspace() for char in url):
        raise UsageError(f"not a usable endpoint URL: {shown(url)} (expected http://host:port/path)")
    return url


def operation_timeout(default: float, given: float | None = None) -> float:
    """Return the seconds a remote operation may take: ``given`` if not None, else
    ``$PROFGRAPH_REMOTE_TIMEOUT`` if set, else ``default``. Raises :class:`~profgraph.errors.UsageError`
    when the variable is not a positive finite number."""
    import os

    if given is not None:
        return given
    text = os.environ.get(TIMEOUT_VARIABLE, "").strip()
    if not text:
        return default
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not (seconds > 0 and math.isfinite(seconds)):
        raise UsageError(f"{TIMEOUT_VARIABLE} must be a positive number of seconds, not {shown(text)}")
    return seconds


def _where(url: str) -> str:
    """The URL without its query string, for messages."""
    return printable(url.split("?")[0], 200)


def _form(query: str, graphs: dict | None = None) -> bytes:
    """The form of a Protocol query request: ``query`` and the dataset ``graphs`` (lists of IRIs
    ``default_graphs``, ``named_graphs``) as ``default-graph-uri`` / ``named-graph-uri``."""
    graphs = graphs or {}
    fields = [("query", query), *(("default-graph-uri", iri) for iri in graphs.get("default_graphs") or ()),
              *(("named-graph-uri", iri) for iri in graphs.get("named_graphs") or ())]
    return urllib.parse.urlencode(fields).encode()


_FORM = {"Content-Type": "application/x-www-form-urlencoded"}


async def _fetch(client, url: str, body: bytes | None, headers: dict, method: str = "POST",
                 max_bytes: int = MAX_ANSWER_BYTES) -> tuple[str, bytes]:
    """Send one request with the httpx ``client``; return the answer's ``(content type, body)``.
    Raises :class:`RemoteError` for an HTTP error status (with the start of its page, as text) and
    :class:`AnswerTooLarge` as soon as the body passes ``max_bytes``."""
    headers = {**headers, "Accept-Encoding": "identity"}
    async with client.stream(method, url, content=body, headers=headers) as response:
        if response.status_code >= 300:
            detail = await _error_detail(response)
            raise RemoteError(f"{_where(url)} answered {response.status_code} {response.reason_phrase}"
                              + (f": {detail}" if detail else ""), response.status_code, detail)
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise AnswerTooLarge(f"the answer of {_where(url)} is {int(declared)} bytes, over the cap of {max_bytes}")
        data = bytearray()
        async with contextlib.aclosing(response.aiter_bytes()) as chunks:
            async for chunk in chunks:
                data += chunk
                if len(data) > max_bytes:
                    raise AnswerTooLarge(f"the answer of {_where(url)} passed the cap of {max_bytes} bytes; "
                                         "reading stopped there")
        return response.headers.get("Content-Type", ""), bytes(data)


async def _error_detail(response) -> str:
    """Return the first words of an error answer's body as one line (tags of an HTML page dropped)."""
    import re

    data = b""
    async with contextlib.aclosing(response.aiter_bytes()) as chunks:
        async for chunk in chunks:
            data += chunk
            if len(data) >= 4096:
                break
    text = data[:4096].decode("utf-8", "replace")
    if "html" in response.headers.get("Content-Type", "").lower() or text.lstrip().startswith("<"):
        text = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>|<[^>]*>", " ", text)
    return printable(text, ERROR_DETAIL)


def _run(operation, url: str, timeout: float):
    """Run ``await operation(client)`` with a fresh httpx ``AsyncClient``, all of it within ``timeout``
    seconds, on a private event loop (so it works from any thread, in a server's worker thread too).
    Returns what the operation returns. Raises :class:`RemoteTimeout` when the deadline passes (the
    connection is closed), :class:`RemoteError` for every failure to get a usable answer, and
    :class:`~profgraph.errors.UsageError` for a URL that cannot be asked."""
    import httpx

    where = _where(url)
    if not (timeout > 0 and math.isfinite(timeout)):
        raise UsageError(f"a timeout must be a positive number of seconds, not {timeout}")

    async def main():
        async with asyncio.timeout(timeout):
            async with httpx.AsyncClient(timeout=timeout, follow_redirects=True, max_redirects=5) as client:
                return await operation(client)

    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(main())
    except (TimeoutError, httpx.TimeoutException):
        raise RemoteTimeout(f"{where} did not finish answering within {timeout:g} s; the request was stopped") from None
    except (httpx.UnsupportedProtocol, httpx.InvalidURL, UnicodeError) as error:
        raise UsageError(f"not a usable endpoint URL: {shown(url)} ({printable(str(error), 120)})") from None
    except httpx.ConnectError as error:
        raise RemoteError(f"cannot reach {where}: {printable(str(error), 200) or 'connection failed'}") from None
    except httpx.RemoteProtocolError as error:
        raise RemoteError(f"{where} gave a broken HTTP answer: {printable(str(error), 200)}") from None
    except httpx.TooManyRedirects:
        raise RemoteError(f"{where} redirects too many times") from None
    except httpx.HTTPError as error:
        reason = printable(str(error), 200) or f"the connection was closed ({type(error).__name__})"
        raise RemoteError(f"the exchange with {where} failed: {reason}") from None
    finally:
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()


def _exchange(url: str, body: bytes | None, headers: dict, method: str = "POST", timeout: float | None = None,
              max_bytes: int = MAX_ANSWER_BYTES) -> tuple[str, bytes]:
    """Send one request and return the answer's ``(content type, body)``, within ``timeout`` seconds
    (default :func:`operation_timeout` of :data:`TIMEOUT`) in all and ``max_bytes`` of body (see
    :func:`_run` and :func:`_fetch` for what it raises)."""
    return _run(lambda client: _fetch(client, url, body, headers, method, max_bytes), url,
                operation_timeout(TIMEOUT, timeout))


def _parse_triples(body: bytes, url: str) -> list:
    """Return the triples of an N-Triples answer. Raises :class:`RemoteError` when it is not N-Triples."""
    from pyoxigraph import RdfFormat, parse

    try:
        return list(parse(body, format=RdfFormat.N_TRIPLES))
    except (SyntaxError, ValueError) as error:
        raise RemoteError(f"{_where(url)} answered with malformed N-Triples: {printable(str(error), 200)}") from None


def push(dataset, store_url: str, graph: str | None = None, timeout: float | None = None) -> int:
    """Upload the RDF of ``dataset`` (data and ontology) to the Graph Store endpoint ``store_url``,
    replacing the graph ``graph`` (default: the default graph) with HTTP PUT, within ``timeout``
    seconds (default :func:`operation_timeout` of :data:`PUSH_TIMEOUT`). Returns the number of triples
    sent. Raises :class:`~profgraph.errors.UsageError` for an unusable URL or graph IRI,
    :class:`RemoteError` when the server refuses or cannot be reached."""
    from pyoxigraph import RdfFormat, serialize

    target = urllib.parse.urlencode({"graph": check_iri(graph)}) if graph else "default"
    url = f"{check_endpoint(store_url)}{'&' if '?' in store_url else '?'}{target}"
    triples = [quad.triple for quad in dataset.rdf]
    body = serialize(triples, format=RdfFormat.N_TRIPLES)
    _exchange(url, body, {"Content-Type": "application/n-triples"}, "PUT", operation_timeout(PUSH_TIMEOUT, timeout),
              SMALL_ANSWER_BYTES)
    return len(triples)


_PROLOGUE = " ".join(prefix_declarations()) + " "


def _declared(sparql: str) -> str:
    """``sparql`` with the project's prefixes declared in front (the server does not know them), on
    its first line, so that the server's line numbers are the query's own (see :func:`_own_position`)."""
    return _PROLOGUE + sparql


def _own_position(message: str) -> str:
    """A server's error ``message`` about a :func:`_declared` query with the column of a position on
    the first line (as Oxigraph writes it: ``at LINE:COLUMN``) made the query's own again."""
    import re

    shift = len(_PROLOGUE)

    def own(found) -> str:  # a column inside the declarations is left as the server wrote it
        column = int(found[1])
        return f"at 1:{column - shift}" if column > shift else found[0]

    return re.sub(r"\bat 1:(\d+)\b", own, message, count=1)


def _named_graph_dataset(dataset, sparql: str) -> dict:
    """The Protocol dataset of a query to ``dataset``'s endpoint: its graph (``graph_iri``) as the
    default graph and the one named graph, unless it has none or the query names its own with FROM."""
    from .sparql import names_dataset

    graph = getattr(dataset, "graph_iri", None)
    if not graph or names_dataset(sparql):
        return {}
    return {"default_graphs": [graph], "named_graphs": [graph]}


class EndpointQueries:
    """The query calls of a :class:`~profgraph.store.Dataset`, answered by the SPARQL endpoint
    ``endpoint`` (graph ``graph_iri``) instead of a local store."""

    endpoint: str
    graph_iri: str | None

    def execute(self, sparql: str, allow_service=(), default_graphs=None, named_graphs=None):
        """Send ``sparql`` to the endpoint and return its answer (see :func:`execute_remote`). The server
        decides which ``SERVICE`` calls it makes, so ``allow_service`` is not consulted; ``default_graphs``
        and ``named_graphs`` (lists of IRIs), if given, are the Protocol's dataset."""
        graphs = ({"default_graphs": default_graphs, "named_graphs": named_graphs}
                  if default_graphs is not None or named_graphs is not None else None)
        return execute_remote(self, sparql, graphs=graphs)

    def run_query(self, sparql: str, output, output_format: str = "table", timeout: float | None = None,
                  allow_service=()) -> None:
        """Write the answer of the endpoint to ``sparql`` to the binary stream ``output`` in
        ``output_format``, the whole exchange within ``timeout`` seconds (see :func:`execute_remote`)."""
        from .sparql import write_result

        write_result(execute_remote(self, sparql, timeout), output, output_format)
        output.flush()

    def graph_names(self) -> list[str]:
        """No graph names: the server's named graphs are its own to describe."""
        return []


class RemoteEndpoint(EndpointQueries):
    """A SPARQL query endpoint (and graph) to send queries to, without pulling its dataset: what
    ``sparql --endpoint`` needs. :func:`profgraph.sparql.run_query` sends its queries there."""

    def __init__(self, endpoint: str, graph_iri: str | None = None):
        self.endpoint, self.graph_iri = check_endpoint(endpoint), graph_iri


class RemoteDataset(EndpointQueries, Dataset):
    """A :class:`~profgraph.store.Dataset` built from a SPARQL endpoint's graph and cached; it keeps
    the ``endpoint`` and ``graph_iri`` so that SPARQL goes to the server."""

    def answer(self, sparql: str, formats: list[str], timeout: float, max_bytes: int, graphs: dict | None = None,
               strict: bool = False, workers=None) -> tuple:
        """Send ``sparql`` (with the project's prefixes declared) to the endpoint, within ``timeout``
        seconds and ``max_bytes`` of answer; return ``("ok", format, body)`` or ``(status, message)``, as
        :func:`profgraph.web.endpoint.answer`: 400 for a query the server rejects or an answer over the cap,
        503 when the deadline passes (the connection to the server is closed), 502 for anything else."""
        from .formats import FORMATS, for_media_type

        accept = ", ".join(FORMATS[name].essence for name in formats) or "*/*"
        try:
            content_type, body = _exchange(self.endpoint, _form(_declared(sparql), graphs or _named_graph_dataset(self, sparql)),
                                           {**_FORM, "Accept": accept}, timeout=timeout, max_bytes=max_bytes)
        except RemoteTimeout:
            return 503, f"the query ran longer than the {timeout:g} s timeout and was stopped"
        except AnswerTooLarge:
            return 400, f"the result is larger than {max_bytes} bytes; add a LIMIT"
        except RemoteError as error:
            return (400 if error.status == 400 else 502), _own_position(str(error))
        served = for_media_type(content_type.split(";")[0].strip().lower())
        if not served:
            return 502, f"the endpoint answered with an unknown type {shown(content_type)}"
        return "ok", served[0], body


def execute_remote(dataset, sparql: str, timeout: float | None = None, max_bytes: int = MAX_ANSWER_BYTES,
                   graphs: dict | None = None):
    """Send ``sparql`` (the project's prefixes declared) to the endpoint of ``dataset`` (a
    :class:`RemoteEndpoint` or :class:`RemoteDataset`) and return the answer as
    :func:`profgraph.sparql.execute` would: ``QuerySolutions``, ``QueryBoolean`` or, for
    CONSTRUCT/DESCRIBE, a list of triples, checked whole before it is returned.

    ``timeout`` (default :func:`operation_timeout` of :data:`TIMEOUT`) bounds the whole exchange and
    ``max_bytes`` the answer; ``graphs`` (``default_graphs``, ``named_graphs``) is the query's
    Protocol dataset, by default the dataset's graph (:func:`_named_graph_dataset`). Raises
    :class:`~profgraph.errors.QuerySyntaxError` when the server rejects the query as malformed,
    :class:`~profgraph.errors.QueryTimeout` when the deadline passes, :class:`RemoteError` when it
    cannot be asked or its answer cannot be read."""
    from pyoxigraph import QuerySolutions, QueryResultsFormat, parse_query_results

    if timeout is not None and not (timeout > 0 and math.isfinite(timeout)):
        raise UsageError("{timeout} must be a positive number of seconds", "timeout")
    accept = "application/sparql-results+json, application/n-triples;q=0.9"
    timeout = operation_timeout(TIMEOUT, timeout)
    form = _form(_declared(sparql), graphs or _named_graph_dataset(dataset, sparql))
    try:
        content_type, body = _exchange(dataset.endpoint, form, {**_FORM, "Accept": accept}, timeout=timeout,
                                       max_bytes=max_bytes)
    except RemoteTimeout:
        raise QueryTimeout(f"query stopped after the {timeout:g} s timeout "
                           f"(the connection to {_where(dataset.endpoint)} was closed)") from None
    except RemoteError as error:
        if error.status == 400:
            raise QuerySyntaxError(f"the server rejected the query: {_own_position(error.detail or str(error))}") from None
        raise
    media = content_type.split(";")[0].strip().lower()
    if media == "application/n-triples":
        return _parse_triples(body, dataset.endpoint)
    if media != "application/sparql-results+json":
        raise RemoteError(f"{_where(dataset.endpoint)} answered with an unexpected type {shown(content_type)}")
    try:  # parse it all once, so that a broken answer fails here and not halfway through the output
        result = parse_query_results(body, format=QueryResultsFormat.JSON)
        if isinstance(result, QuerySolutions):
            for _ in result:
                pass
        return parse_query_results(body, format=QueryResultsFormat.JSON)
    except (SyntaxError, ValueError) as error:
        raise RemoteError(f"{_where(dataset.endpoint)} answered with malformed SPARQL JSON results: "
                          f"{printable(str(error), 200)}") from None


def _graph_pattern(graph: str | None) -> str:
    return f"GRAPH <{check_iri(graph)}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"


def pull_triples(endpoint: str, graph: str | None = None, page: int = PAGE, timeout: float | None = None,
                 max_bytes: int = MAX_ANSWER_BYTES) -> list:
    """Return every triple of ``graph`` (default graph if None) at ``endpoint``, read in pages of
    ``page`` triples ordered by subject, predicate, object: all pages within ``timeout`` seconds
    (default :func:`operation_timeout` of :data:`PULL_TIMEOUT`) and ``max_bytes`` of N-Triples
    together. Raises :class:`RemoteError` (:class:`RemoteTimeout`, :class:`AnswerTooLarge`) when the
    server cannot be read, answers too slowly or too much, or sends something that is not N-Triples."""
    pattern = _graph_pattern(graph)

    async def pull(client) -> list:
        triples: list = []
        offset, budget = 0, max_bytes
        while True:
            query = (f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {{ SELECT ?s ?p ?o WHERE {{ {pattern} }} "
                     f"ORDER BY ?s ?p ?o LIMIT {int(page)} OFFSET {int(offset)} }} }}")
            try:
                _, body = await _fetch(client, endpoint, _form(query), {**_FORM, "Accept": "application/n-triples"},
                                       max_bytes=budget)
            except AnswerTooLarge:
                raise AnswerTooLarge(f"the dataset at {_where(endpoint)} is larger than {max_bytes} bytes of "
                                     "N-Triples; reading stopped there") from None
            budget -= len(body)
            batch = _parse_triples(body, endpoint)
            triples += batch
            if len(batch) < page:
                return triples
            offset += page

    return _run(pull, check_endpoint(endpoint), operation_timeout(PULL_TIMEOUT, timeout))


def count_triples(endpoint: str, graph: str | None = None, timeout: float | None = None) -> int:
    """Return the number of triples in ``graph`` at ``endpoint`` (the cache's change probe), asked
    within ``timeout`` seconds (default :func:`operation_timeout` of :data:`TIMEOUT`). Raises
    :class:`RemoteError` when the answer is not a count."""
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ {_graph_pattern(graph)} }}"
    _, body = _exchange(check_endpoint(endpoint), _form(query), {**_FORM, "Accept": "application/sparql-results+json"},
                        timeout=timeout, max_bytes=SMALL_ANSWER_BYTES)
    try:
        count = int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
    except (ValueError, KeyError, IndexError, TypeError) as error:
        raise RemoteError(f"{_where(endpoint)} gave an unreadable count "
                          f"({type(error).__name__}: {printable(str(error), 80)})") from None
    if count < 0:
        raise RemoteError(f"{_where(endpoint)} gave a negative count")
    return count


def open_remote(endpoint: str, graph: str | None = None) -> RemoteDataset:
    """Return the dataset in ``graph`` (default graph if None) at the SPARQL query endpoint
    ``endpoint``, from the cache when the server's triple count has not changed since it was pulled.
    Raises :class:`RemoteError` when the server cannot be reached or answers with something that is
    not a profgraph dataset, :class:`~profgraph.errors.UsageError` for an unusable URL."""
    check_endpoint(endpoint)
    key = hashlib.sha256(f"{endpoint}\n{graph or ''}".encode()).hexdigest()[:16]
    folder = cache_dir() / f"remote-{key}"
    stamp = f"{endpoint}|{graph or ''}|{count_triples(endpoint, graph)}"
    try:
        dataset = open_store(folder)
        if dataset.manifest.get("fingerprint") != stamp:
            raise StoreError("stale")
    except StoreError:
        triples = pull_triples(endpoint, graph)
        try:
            model = model_from_triples(triples)
        except (KeyError, TypeError, ValueError, AttributeError) as error:  # triples of another shape
            raise RemoteError(f"{_where(endpoint)} holds triples that are not a profgraph dataset "
                              f"({type(error).__name__}: {printable(str(error), 120)})") from None
        if not model.professions:
            raise RemoteError(f"{_where(endpoint)} holds no profgraph professions"
                              + (f" in graph {shown(graph)}" if graph else "")) from None
        dataset = build_store(model, folder, stamp, details={"endpoint": endpoint, "graph": graph})
    remote = RemoteDataset(dataset.path, dataset.manifest, dataset.lease)
    remote.endpoint, remote.graph_iri = endpoint, graph
    return remote
