"""A dataset on an external SPARQL 1.1 server (Oxigraph server, Virtuoso, Fuseki, GraphDB): reading
it, asking it queries, and the HTTP exchange with it that :mod:`profgraph.push` uploads through too.

:func:`open_remote` reads the triples of the dataset's graph with one request, parsed as they stream
in: the SPARQL 1.1 Graph Store Protocol GET of the graph on a server known to offer one beside its
query endpoint (:func:`graph_store_url`: Oxigraph's ``/store``, Virtuoso's ``/sparql-graph-crud``),
else one ``CONSTRUCT``. A server that cuts the answer short (Virtuoso returns at most
``ResultSetMaxRows`` triples, 10,000 in Debian's configuration, without saying so) is noticed by the
graph's triple count, asked first, and then read in unsorted pages of the size it allowed, checked
to add up to that count (sorting, as ``ORDER BY`` with ``OFFSET`` would, is what Virtuoso refuses
past 10,000 rows). The model read back (:func:`model_from_facts`) becomes an ordinary store in the
cache folder, keyed by endpoint, graph and user; its RDF view is built from the model only when a
command needs it (SPARQL goes to the server). The cache is validated by the server's ETag when it
gives one (a conditional GET: 304 means the cached store is current, without the graph being sent)
and otherwise by the SHA-256 of the N-Triples as the server sent them: a change of any triple, not
only of their number, makes a new store; the same graph sent in another order costs one needless
rebuild, never a stale answer. Names, paths and similarity are then computed locally, exactly as
for the embedded store; SPARQL queries from ``sparql`` and ``serve`` go straight to the endpoint
(:func:`execute_remote`, :meth:`RemoteDataset.answer`).

Authentication (:class:`Credentials`): a user name and password, sent in the scheme the server
asks for (HTTP Digest, as Virtuoso's ``/sparql-auth`` and ``/sparql-graph-crud-auth`` ask, or
Basic) and only once it asks, or a bearer token sent with every request. The password and the token
come from the environment (``PROFGRAPH_PASSWORD``, ``PROFGRAPH_TOKEN``) or a prompt, never from the
command line.

A server is not trusted to behave. Every operation has one total deadline, from resolving the
host name to the last byte of the answer (not a timeout per read: an answer trickled one byte at a
time still stops on time), and every answer a size cap checked as the bytes arrive. Both come from
running httpx's asynchronous client under :func:`asyncio.timeout` on a private event loop: httpx has
no total deadline of its own, and cancelling the task closes the connection, which is all a client
can do to stop a query (the SPARQL 1.1 Protocol has no cancel). Every bad answer (not HTTP, cut
short, not the format asked for, an error page, a refused password) becomes one
:class:`RemoteError` line whose ``status`` is the HTTP status, if there was one.

Nothing a user types is pasted into a query: the only value that enters one is the graph IRI,
checked by :func:`check_iri`.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import math
import os
import queue
import threading
import urllib.parse
from collections import defaultdict
from collections.abc import AsyncIterable
from dataclasses import dataclass, field
from functools import cached_property

import httpx

from .errors import (AnswerTooLarge, QuerySyntaxError, QueryTimeout, RemoteError, RemoteTimeout, UsageError, printable,
                     shown)
from .formats import FORMATS, WEB_PAGE_TYPES, essence_of, for_media_type
from .rdf import model_from_facts, restates
from .store import Dataset, StoreError, build_store, cache_dir, fill_rdf, fingerprint, open_store
from .vocab import prefix_declarations

TIMEOUT = 60.0  # seconds for one request, from resolving the host to the last byte of the answer
PULL_TIMEOUT = 600.0  # seconds for reading a whole dataset, every request together
PUSH_TIMEOUT = 600.0  # seconds for uploading a dataset
TIMEOUT_VARIABLE = "PROFGRAPH_REMOTE_TIMEOUT"  # seconds, instead of each of the three above
USER_VARIABLE, PASSWORD_VARIABLE, TOKEN_VARIABLE = "PROFGRAPH_USER", "PROFGRAPH_PASSWORD", "PROFGRAPH_TOKEN"
MAX_ANSWER_BYTES = 256 * 1024 * 1024  # the largest answer read, and the most one read of a graph takes in all
SMALL_ANSWER_BYTES = 1024 * 1024  # a count, or the server's reply to an upload
ERROR_DETAIL = 200  # characters of an error page quoted in a message
PARSED_BLOCK = 1024 * 1024  # bytes of N-Triples parsed at a time as they arrive
PARSE_QUEUE = 8  # blocks received and waiting to be parsed
_IRI_FORBIDDEN = set('<>"{}|^`\\ \t\r\n')
_RDF_BUILD = threading.Lock()  # one in-memory RDF view built at a time
_NOT_OFFERED = (400, 404, 405, 406, 415, 501)  # a Graph Store GET the server does not do: CONSTRUCT instead


@dataclass(frozen=True)
class Credentials:
    """How to authenticate to a SPARQL server: a ``user`` name and ``password`` (HTTP Digest or Basic,
    whichever the server asks for, sent only once it asks) or a bearer ``token`` (sent with every
    request)."""

    user: str | None = None
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)

    def auth(self):
        """Return a fresh httpx authentication for one operation (a Digest challenge is remembered
        across its requests), or None when there is nothing to send."""
        if self.token:
            return _BearerAuth(self.token)
        if self.user is not None:
            return _PasswordAuth(self.user, self.password or "")
        return None


def credentials_from_environment(user: str | None = None, ask_password=None) -> Credentials | None:
    """Return the :class:`Credentials` for a server: ``user`` (else ``$PROFGRAPH_USER``) with the
    password of ``$PROFGRAPH_PASSWORD``, else the one ``ask_password(user)`` returns (a prompt), or the
    bearer token of ``$PROFGRAPH_TOKEN``; None when none is set. Raises
    :class:`~profgraph.errors.UsageError` for a user with no password to be had, a user together with a
    token, or a name or token that cannot go in an HTTP header."""
    user = user or os.environ.get(USER_VARIABLE) or None
    token = os.environ.get(TOKEN_VARIABLE) or None
    if user is not None and token is not None:
        raise UsageError(f"give either a user name (--user, {USER_VARIABLE}) or a token ({TOKEN_VARIABLE}), not both")
    if token is not None:
        if any(not char.isprintable() or char.isspace() for char in token) or not token.isascii():
            raise UsageError(f"{TOKEN_VARIABLE} must be one word of printable ASCII characters")
        return Credentials(token=token)
    if user is None:
        return None
    if ":" in user or any(not char.isprintable() for char in user):
        raise UsageError(f"not a usable user name: {shown(user)} (no colon, no control characters)")
    password = os.environ.get(PASSWORD_VARIABLE)
    if password is None and ask_password is not None:
        password = ask_password(user)
    if password is None:
        raise UsageError(f"no password for user {shown(user)}: set {PASSWORD_VARIABLE} "
                         "(a password is never read from the command line)")
    return Credentials(user=user, password=password)


class _BearerAuth(httpx.Auth):
    """``Authorization: Bearer TOKEN`` on every request (httpx drops it from a redirect to another origin)."""

    def __init__(self, token: str):
        self._header = f"Bearer {token}"

    def auth_flow(self, request):
        request.headers["Authorization"] = self._header
        yield request


class _PasswordAuth(httpx.Auth):
    """A user name and password in the scheme the server's first 401 asks for: Digest (preferred when
    offered) or Basic; nothing is sent to a server that does not ask. Request bodies can be sent
    again (bytes, or :class:`profgraph.push` chunks), so a request refused for want of credentials is."""

    def __init__(self, user: str, password: str):
        self._schemes = {"digest": httpx.DigestAuth(user, password), "basic": httpx.BasicAuth(user, password)}
        self._chosen = None

    def auth_flow(self, request):
        if self._chosen is not None:
            yield from self._chosen.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        offered = {value.split(None, 1)[0].lower() for value in response.headers.get_list("www-authenticate")
                   if value.strip()}
        scheme = next((name for name in ("digest", "basic") if name in offered), None)
        if scheme is None:
            return
        self._chosen = self._schemes[scheme]
        yield from self._chosen.auth_flow(request)


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


async def _answer(client, url: str, body: bytes | AsyncIterable[bytes] | None, headers: dict, method: str = "POST"):
    """Send one request with the httpx ``client`` and return the response as it starts (status and
    headers read, body not), to be read in an ``async with``. Raises :class:`RemoteError` for an
    HTTP error status (with the start of its page, as text, and the server's ``Server`` header); a
    ``304 Not Modified`` is returned, not raised."""
    headers = {**headers, "Accept-Encoding": "identity"}
    request = client.build_request(method, url, content=body, headers=headers)
    response = await client.send(request, stream=True)
    if response.status_code >= 300 and response.status_code != 304:
        try:
            detail = await _error_detail(response)
        finally:
            await response.aclose()
        raise RemoteError(f"{_where(url)} answered {response.status_code} {response.reason_phrase}"
                          + (f": {detail}" if detail else ""), response.status_code, detail,
                          response.headers.get("Server", ""))
    return response


async def _chunks(response, url: str, max_bytes: int):
    """Yield the body of ``response`` as it arrives; raise :class:`AnswerTooLarge` as soon as it
    passes ``max_bytes`` (or declares it will)."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise AnswerTooLarge(f"the answer of {_where(url)} is {int(declared)} bytes, over the cap of {max_bytes}")
    size = 0
    async with contextlib.aclosing(response.aiter_bytes()) as chunks:
        async for chunk in chunks:
            size += len(chunk)
            if size > max_bytes:
                raise AnswerTooLarge(f"the answer of {_where(url)} passed the cap of {max_bytes} bytes; "
                                     "reading stopped there")
            yield chunk


async def _fetch_with_headers(client, url: str, body: bytes | AsyncIterable[bytes] | None, headers: dict,
                              method: str = "POST",
                              max_bytes: int = MAX_ANSWER_BYTES) -> tuple:
    """Send one request with the httpx ``client``; return the answer's ``(headers, body)``. Raises as
    :func:`_answer` does, and :class:`AnswerTooLarge` as soon as the body passes ``max_bytes``."""
    response = await _answer(client, url, body, headers, method)
    async with contextlib.aclosing(response):
        data = bytearray()
        async for chunk in _chunks(response, url, max_bytes):
            data += chunk
        return response.headers, bytes(data)


async def _fetch(client, url: str, body: bytes | None, headers: dict, method: str = "POST",
                 max_bytes: int = MAX_ANSWER_BYTES) -> tuple[str, bytes]:
    """:func:`_fetch_with_headers`, returning the answer's ``(content type, body)``."""
    answer_headers, data = await _fetch_with_headers(client, url, body, headers, method, max_bytes)
    return answer_headers.get("Content-Type", ""), data


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


def _refusal_hint(status: int | None, credentials: Credentials | None) -> str:
    """What to do about an answer refusing access, by its status; empty for any other."""
    if status == 401:
        if credentials is None:
            return (f"; the server asks for credentials: --user NAME with {PASSWORD_VARIABLE}, "
                    f"or a token in {TOKEN_VARIABLE}")
        return "; the user name and password, or the token, were refused"
    if status == 403:
        return "; this account may not do that here (Virtuoso: grant its user SPARQL_UPDATE to upload)"
    return ""


def _run(operation, url: str, timeout: float, credentials: Credentials | None = None):
    """Run ``await operation(client)`` with a fresh httpx ``AsyncClient`` (authenticating with
    ``credentials``, if given), all of it within ``timeout`` seconds, on a private event loop (so it
    works from any thread, in a server's worker thread too). Returns what the operation returns.
    Raises :class:`RemoteTimeout` when the deadline passes (the connection is closed),
    :class:`RemoteError` for every failure to get a usable answer (a refusal of access saying what to
    do), and :class:`~profgraph.errors.UsageError` for a URL that cannot be asked."""
    where = _where(url)
    if not (timeout > 0 and math.isfinite(timeout)):
        raise UsageError(f"a timeout must be a positive number of seconds, not {timeout}")

    async def main():
        async with asyncio.timeout(timeout):
            async with httpx.AsyncClient(timeout=timeout, follow_redirects=True, max_redirects=5,
                                         auth=credentials.auth() if credentials else None) as client:
                return await operation(client)

    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(main())
    except RemoteError as error:
        hint = _refusal_hint(error.status, credentials)
        if not hint:
            raise
        raise type(error)(f"{error}{hint}", error.status, error.detail, error.server) from None
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
              max_bytes: int = MAX_ANSWER_BYTES, credentials: Credentials | None = None) -> tuple[str, bytes]:
    """Send one request and return the answer's ``(content type, body)``, within ``timeout`` seconds
    (default :func:`operation_timeout` of :data:`TIMEOUT`) in all and ``max_bytes`` of body (see
    :func:`_run` and :func:`_fetch` for what it raises)."""
    return _run(lambda client: _fetch(client, url, body, headers, method, max_bytes), url,
                operation_timeout(TIMEOUT, timeout), credentials)


def _parse_triples(body: bytes, url: str) -> list:
    """Return the triples of an N-Triples answer. Raises :class:`RemoteError` when it is not N-Triples."""
    from pyoxigraph import RdfFormat, parse

    try:
        return list(parse(body, format=RdfFormat.N_TRIPLES))
    except (SyntaxError, ValueError) as error:
        raise RemoteError(f"{_where(url)} answered with malformed N-Triples: {printable(str(error), 200)}") from None


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
    """A SPARQL query endpoint (and graph) to send queries to, without reading its dataset: what
    ``sparql --endpoint`` needs. :func:`profgraph.sparql.run_query` sends its queries there, with
    ``credentials`` if given."""

    def __init__(self, endpoint: str, graph_iri: str | None = None, credentials: Credentials | None = None):
        self.endpoint, self.graph_iri, self.credentials = check_endpoint(endpoint), graph_iri, credentials


class RemoteDataset(EndpointQueries, Dataset):
    """A :class:`~profgraph.store.Dataset` built from a SPARQL endpoint's graph and cached; it keeps
    the ``endpoint``, ``graph_iri`` and ``credentials`` so that SPARQL goes to the server."""

    endpoint: str
    graph_iri: str | None = None
    credentials: Credentials | None = None

    @cached_property
    def rdf(self):
        """The RDF of the model read from the server, as an in-memory :class:`pyoxigraph.Store` built
        on first use (the cached store leaves its RDF view empty: queries go to the server, and only
        ``export``, ``validate`` and a served IRI's description read this)."""
        if self.manifest.get("rdf") != "from-model":
            return super().rdf
        with _RDF_BUILD:
            from pyoxigraph import Store

            store = Store()
            fill_rdf(store, self.model)
            return store

    def answer(self, sparql: str, formats: list[str], timeout: float, max_bytes: int, graphs: dict | None = None,
               strict: bool = False, workers=None) -> tuple:
        """Send ``sparql`` (with the project's prefixes declared) to the endpoint, within ``timeout``
        seconds and ``max_bytes`` of answer; return ``("ok", format, body)`` or ``(status, message)``, as
        :func:`profgraph.web.endpoint.answer`: 400 for a query the server rejects or an answer over the cap,
        503 when the deadline passes (the connection to the server is closed), 502 for anything else."""
        accept = ", ".join(FORMATS[name].essence for name in formats) or "*/*"
        try:
            content_type, body = _exchange(self.endpoint, _form(_declared(sparql), graphs or _named_graph_dataset(self, sparql)),
                                           {**_FORM, "Accept": accept}, timeout=timeout, max_bytes=max_bytes,
                                           credentials=self.credentials)
        except RemoteTimeout:
            return 503, f"the query ran longer than the {timeout:g} s timeout and was stopped"
        except AnswerTooLarge:
            return 400, f"the result is larger than {max_bytes} bytes; add a LIMIT"
        except RemoteError as error:
            return (400 if error.status == 400 else 502), _own_position(str(error))
        served = for_media_type(essence_of(content_type))
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

    from .sparql import query_form

    if timeout is not None and not (timeout > 0 and math.isfinite(timeout)):
        raise UsageError("{timeout} must be a positive number of seconds", "timeout")
    # One type for the form asked: Virtuoso answers a CONSTRUCT asked for SPARQL JSON results in JSON of its own
    accept = {"graph": "application/n-triples", "select": "application/sparql-results+json",
              "ask": "application/sparql-results+json"}.get(query_form(sparql) or "",
                                                            "application/sparql-results+json, application/n-triples;q=0.9")
    timeout = operation_timeout(TIMEOUT, timeout)
    form = _form(_declared(sparql), graphs or _named_graph_dataset(dataset, sparql))
    try:
        content_type, body = _exchange(dataset.endpoint, form, {**_FORM, "Accept": accept}, timeout=timeout,
                                       max_bytes=max_bytes, credentials=getattr(dataset, "credentials", None))
    except RemoteTimeout:
        raise QueryTimeout(f"query stopped after the {timeout:g} s timeout "
                           f"(the connection to {_where(dataset.endpoint)} was closed)") from None
    except RemoteError as error:
        if error.status == 400:
            raise QuerySyntaxError(f"the server rejected the query: {_own_position(error.detail or str(error))}") from None
        raise
    media = essence_of(content_type)
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


async def _count(client, endpoint: str, graph: str | None) -> tuple[int, str]:
    """Ask ``endpoint`` for the number of triples in ``graph``; return it with the server's ``Server``
    header. Raises :class:`RemoteError` when the answer is not a count."""
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ {_graph_pattern(graph)} }}"
    headers, body = await _fetch_with_headers(client, endpoint, _form(query),
                                              {**_FORM, "Accept": "application/sparql-results+json"},
                                              max_bytes=SMALL_ANSWER_BYTES)
    if essence_of(headers.get("Content-Type", "")) in WEB_PAGE_TYPES:
        raise RemoteError(f"{_where(endpoint)} answered with a web page, not SPARQL results: is it a SPARQL query "
                          "endpoint?", server=headers.get("Server", ""))
    try:
        count = int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
    except (ValueError, KeyError, IndexError, TypeError) as error:
        raise RemoteError(f"{_where(endpoint)} gave an unreadable count "
                          f"({type(error).__name__}: {printable(str(error), 80)})") from None
    if count < 0:
        raise RemoteError(f"{_where(endpoint)} gave a negative count")
    return count, headers.get("Server", "")


def count_triples(endpoint: str, graph: str | None = None, timeout: float | None = None,
                  credentials: Credentials | None = None) -> int:
    """Return the number of triples in ``graph`` (default graph if None) at ``endpoint``, asked within
    ``timeout`` seconds (default :func:`operation_timeout` of :data:`TIMEOUT`). Raises
    :class:`RemoteError` when the answer is not a count."""
    count, _ = _run(lambda client: _count(client, endpoint, graph), check_endpoint(endpoint),
                    operation_timeout(TIMEOUT, timeout), credentials)
    return count


def graph_store_url(endpoint: str, graph: str | None, server: str) -> str | None:
    """Return the SPARQL 1.1 Graph Store Protocol URL of ``graph`` (the default graph if None) on the
    server whose query endpoint is ``endpoint`` and whose ``Server`` header is ``server``, for the
    servers known to offer one beside it: Oxigraph (``/query`` beside ``/store``) and Virtuoso
    (``/sparql`` beside ``/sparql-graph-crud``, ``/sparql-auth`` beside ``/sparql-graph-crud-auth``;
    named graphs only: Virtuoso's has no default graph). None for any other."""
    parts = urllib.parse.urlsplit(endpoint)
    path = parts.path.rstrip("/")
    if parts.query or parts.fragment:
        return None
    if server.startswith("Oxigraph/") and path.endswith("/query"):
        path = path.removesuffix("query") + "store"
    elif server.startswith("Virtuoso/") and graph and path.endswith(("/sparql", "/sparql-auth")):
        path = path.replace("/sparql", "/sparql-graph-crud") if path.endswith("/sparql") else \
            path.removesuffix("/sparql-auth") + "/sparql-graph-crud-auth"
    else:
        return None
    return graph_url(urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", "")),
                     check_iri(graph) if graph else None)


def graph_url(store_url: str, graph: str | None) -> str:
    """The Graph Store Protocol URL of ``graph`` (``?graph=IRI``, or ``?default`` for None) at the Graph
    Store endpoint ``store_url``."""
    target = urllib.parse.urlencode({"graph": graph}) if graph else "default"
    return f"{store_url}{'&' if '?' in store_url else '?'}{target}"


@dataclass
class GraphRead:
    """A graph read from a server: its triples gathered by subject and predicate (``facts``: subject
    IRI -> predicate IRI -> objects; see :class:`_NTriplesStream` for those left out), how many arrived
    (``triples``, all of them), the SHA-256 of the N-Triples as
    they arrived (``content``), the URL they came from (``source``) and the ETag the server gave for
    them, if any."""

    facts: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    triples: int = 0
    content: str = ""
    source: str = ""
    etag: str | None = None


class _NTriplesStream:
    """N-Triples arriving in pieces: hashed as they arrive, and parsed by a thread of its own a block of
    whole lines at a time (a line never holds a newline of its own) while the next bytes arrive,
    into a :class:`GraphRead`, leaving out the triples that :func:`~profgraph.rdf.restates` unless
    ``every_triple`` (for a reader that counts them). :meth:`close` stops the thread."""

    def __init__(self, where: str, max_bytes: int, every_triple: bool = False):
        self.read, self.where, self.cap, self.left = GraphRead(), where, max_bytes, max_bytes
        self.every_triple = every_triple
        self._digest = hashlib.sha256()
        self._blocks: queue.Queue = queue.Queue(PARSE_QUEUE)
        self._handed = self._parsed = 0
        self._error: RemoteError | None = None
        self._thread = threading.Thread(target=self._parse_all, name="profgraph-ntriples", daemon=True)
        self._thread.start()

    async def take(self, response, url: str) -> int:
        """Read the body of ``response`` (from ``url``); return the number of triples it held, once
        parsed. Raises :class:`AnswerTooLarge` once the stream passes its cap, :class:`RemoteError` for
        an answer that is not N-Triples."""
        media = essence_of(response.headers.get("Content-Type", ""))
        if media not in FORMATS["nt"].accepted:
            raise RemoteError(f"{_where(url)} answered with the type {shown(media)}, not N-Triples",
                              server=response.headers.get("Server", ""))
        await self._settle()
        before, pending = self.read.triples, bytearray()
        try:
            async for chunk in _chunks(response, url, self.left):
                self.left -= len(chunk)
                self._digest.update(chunk)
                pending += chunk
                if len(pending) >= PARSED_BLOCK:  # one parser per block: a server may send a chunk per line
                    cut = pending.rfind(b"\n") + 1
                    if cut:
                        await self._hand(bytes(pending[:cut]))
                        del pending[:cut]
        except AnswerTooLarge:
            raise AnswerTooLarge(f"the graph at {self.where} is larger than {self.cap} bytes of N-Triples; "
                                 "reading stopped there") from None
        if pending.strip():
            await self._hand(bytes(pending))
        await self._settle()
        self.read.content = self._digest.hexdigest()
        return self.read.triples - before

    def close(self) -> None:
        """Stop the parsing thread (the blocks not parsed yet are dropped)."""
        self._error = self._error or RemoteError("stopped")
        with contextlib.suppress(queue.Full):
            self._blocks.put_nowait(None)
        self._thread.join(5)

    async def _hand(self, block: bytes) -> None:
        while True:
            if self._error:
                raise self._error
            try:
                self._blocks.put_nowait(block)
                self._handed += 1
                return
            except queue.Full:
                await asyncio.sleep(0.002)

    async def _settle(self) -> None:
        """Wait until every block handed over is parsed; raise what the parser met."""
        while self._parsed < self._handed and not self._error:
            await asyncio.sleep(0.002)
        if self._error:
            raise self._error

    def _parse_all(self) -> None:
        while (block := self._blocks.get()) is not None:
            if not self._error:
                try:
                    self._parse(block)
                except RemoteError as error:
                    self._error = error
            self._parsed += 1

    def _parse(self, block: bytes) -> None:
        from pyoxigraph import RdfFormat, parse

        facts, count = self.read.facts, 0
        try:
            for quad in parse(block, format=RdfFormat.N_TRIPLES):
                count += 1
                subject, predicate = quad.subject.value, quad.predicate.value
                if self.every_triple or not restates(subject, predicate):
                    facts[subject][predicate].append(quad.object)
        except (SyntaxError, ValueError) as error:
            raise RemoteError(f"{self.where} answered with malformed N-Triples: {printable(str(error), 200)}") from None
        finally:
            self.read.triples += count


async def _stream_graph(client, stream: _NTriplesStream, url: str, body: bytes | None, headers: dict,
                        method: str) -> tuple[int, httpx.Headers] | None:
    """Send one request for N-Triples and feed its answer into ``stream``; return the number of
    triples it held and the answer's headers, or None when the server answered 304 Not Modified."""
    response = await _answer(client, url, body, {**headers, "Accept": FORMATS["nt"].essence}, method)
    async with contextlib.aclosing(response):
        if response.status_code == 304:
            return None
        return await stream.take(response, url), response.headers


def read_graph(endpoint: str, graph: str | None = None, credentials: Credentials | None = None,
               known: tuple[str, str] | None = None, timeout: float | None = None,
               max_bytes: int = MAX_ANSWER_BYTES) -> GraphRead | None:
    """Read every triple of ``graph`` (the default graph if None) at the query endpoint ``endpoint``:
    its count first, then the graph with one request (:func:`graph_store_url`'s Graph Store GET, else a
    ``CONSTRUCT``), parsed as it streams in; if fewer triples came than counted, in unsorted pages of
    the size the server allowed. ``known`` is the ``(source URL, ETag)`` of an earlier read: when the
    server answers its conditional GET with 304 Not Modified, None is returned. All of it within
    ``timeout`` seconds (default :func:`operation_timeout` of :data:`PULL_TIMEOUT`) and ``max_bytes`` of
    N-Triples. Raises :class:`RemoteError` (:class:`RemoteTimeout`, :class:`AnswerTooLarge`) when the
    server cannot be read, answers too slowly or too much, or sends something that is not N-Triples,
    or pages that do not add up to the graph."""
    where = _where(endpoint)
    construct = _form(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {_graph_pattern(graph)} }}")

    async def read(client) -> GraphRead | None:
        count, server = await _count(client, endpoint, graph)
        source, got = graph_store_url(endpoint, graph, server), None
        with _parsing(where, max_bytes) as stream:
            if source:
                conditional = {"If-None-Match": known[1]} if known and known[0] == source and known[1] else {}
                try:
                    got = await _stream_graph(client, stream, source, None, conditional, "GET")
                except RemoteError as error:  # refused before any triple came: the stream is still empty
                    if error.status not in _NOT_OFFERED:
                        raise
                else:
                    if got is None:
                        return None
            if got is None:
                source = endpoint
                got = await _stream_graph(client, stream, endpoint, construct, _FORM, "POST")
            received, headers = got if got is not None else (0, httpx.Headers())  # 304 to a POST: nothing came
            if received >= count:
                stream.read.source, stream.read.etag = source, headers.get("ETag") if source != endpoint else None
                return stream.read
        # cut short by the server's cap on results: read it in pages that size, every triple kept to be counted
        with _parsing(where, max_bytes, every_triple=True) as stream:
            await _read_pages(client, stream, endpoint, graph, received, count)
            stream.read.source = endpoint
            return stream.read

    return _run(read, check_endpoint(endpoint), operation_timeout(PULL_TIMEOUT, timeout), credentials)


@contextlib.contextmanager
def _parsing(where: str, max_bytes: int, every_triple: bool = False):
    """A :class:`_NTriplesStream` for the ``with`` block, its thread stopped at the end."""
    stream = _NTriplesStream(where, max_bytes, every_triple)
    try:
        yield stream
    finally:
        stream.close()


async def _read_pages(client, stream: _NTriplesStream, endpoint: str, graph: str | None, page: int,
                      count: int) -> None:
    """Read the ``count`` triples of ``graph`` at ``endpoint`` into ``stream`` in pages of ``page``
    triples, unsorted (``LIMIT``/``OFFSET`` without ``ORDER BY``). Raises :class:`RemoteError` when
    the pages do not hold exactly ``count`` different triples (the graph changed meanwhile, or the
    server does not page in a stable order)."""
    where = _where(endpoint)
    if page <= 0:
        raise RemoteError(f"{where} sent no triple of the {count} it counted")
    for offset in range(0, count, page):
        query = (f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {{ SELECT ?s ?p ?o WHERE {{ {_graph_pattern(graph)} }} "
                 f"LIMIT {int(page)} OFFSET {int(offset)} }} }}")
        got = await _stream_graph(client, stream, endpoint, _form(query), _FORM, "POST")
        if got is None or got[0] == 0:
            break
    distinct = sum(len(set(objects)) for predicates in stream.read.facts.values() for objects in predicates.values())
    if not stream.read.triples == distinct == count:
        raise RemoteError(f"{where} sends at most {page} triples per answer, and its pages held {distinct} different "
                          f"triples of the {count} it counted: the graph changed while it was read, or the server "
                          "does not page in a stable order; try again, or raise its result limit (Virtuoso: "
                          "ResultSetMaxRows in the [SPARQL] section of virtuoso.ini)")


def open_remote(endpoint: str, graph: str | None = None, credentials: Credentials | None = None) -> RemoteDataset:
    """Return the dataset in ``graph`` (default graph if None) at the SPARQL query endpoint
    ``endpoint``, read with :func:`read_graph` (authenticating with ``credentials``, if given): from the
    cache when the server answers the cached copy's ETag with 304 Not Modified, or sends N-Triples of
    the same SHA-256 as the cached copy's; else built into the cache anew. Raises
    :class:`RemoteError` when the server cannot be read or holds something that is not a profgraph
    dataset, :class:`~profgraph.errors.UsageError` for an unusable URL."""
    check_endpoint(endpoint)
    user = credentials.user if credentials and credentials.user else ""
    key = hashlib.sha256(f"{endpoint}\n{graph or ''}\n{user}".encode()).hexdigest()[:16]
    folder = cache_dir() / f"remote-{key}"
    code = fingerprint([])  # the building code: a store built by other code is not reused
    cached: Dataset | None
    try:
        cached = open_store(folder)
        if cached.manifest.get("code") != code:
            cached = None
    except StoreError:
        cached = None
    known = (cached.manifest.get("source", ""), cached.manifest.get("etag") or "") if cached else None
    read = read_graph(endpoint, graph, credentials, known)
    if cached is not None and (read is None or cached.manifest.get("content") == read.content):
        dataset = cached  # 304 Not Modified, or the same triples
    elif read is None:
        raise RemoteError(f"{_where(endpoint)} answered Not Modified to a read that asked for the whole graph")
    else:
        try:
            model = model_from_facts(read.facts)
        except (KeyError, TypeError, ValueError, AttributeError) as error:  # triples of another shape
            raise RemoteError(f"{_where(endpoint)} holds triples that are not a profgraph dataset "
                              f"({type(error).__name__}: {printable(str(error), 120)})") from None
        if not model.professions:
            raise RemoteError(f"{_where(endpoint)} holds no profgraph professions"
                              + (f" in graph {shown(graph)}" if graph else "")) from None
        read.facts.clear()  # the model holds what was needed of them: their memory is free for the build
        details = {"endpoint": endpoint, "graph": graph, "code": code, "content": read.content,
                   "source": read.source, "etag": read.etag, "triples": read.triples, "rdf": "from-model"}
        dataset = build_store(model, folder, f"{endpoint}|{graph or ''}|sha256:{read.content}", details=details,
                              rdf=False)
    remote = dataset.viewed_as(RemoteDataset)
    remote.endpoint, remote.graph_iri, remote.credentials = endpoint, graph, credentials
    return remote
