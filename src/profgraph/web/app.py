"""``profgraph serve``: one web server for counsellors (HTML pages), other systems (a JSON API) and
researchers (a SPARQL 1.1 endpoint), over one dataset.

Starlette under uvicorn: a small, well-kept ASGI toolkit whose test client drives the app without
a socket. :data:`ROUTES` is the table of contents of the server; the handlers are module-level
functions of :mod:`~profgraph.web.pages` (HTML), :mod:`~profgraph.web.api` (JSON, described by
``/api/openapi.json``), :mod:`~profgraph.web.deref` (the data's persistent IRIs) and
:mod:`~profgraph.web.endpoint` (SPARQL), and find the dataset in the app's
:class:`~profgraph.web.context.ServerContext`.

Query strings and request bodies are size-limited and must arrive in time, the Host header must
name the server (DNS rebinding), and every response carries a Content-Security-Policy and
anti-framing, anti-sniffing headers (:mod:`profgraph.web.middleware`); redirects are relative.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..errors import UsageError
from ..vocab import LANGUAGES
from . import api, deref, pages
from .context import ServerContext, context_of
from .middleware import MAX_BODY, MAX_QUERY_STRING, middleware_stack, protocol_with_header_deadline

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8000  # loopback: only this machine reaches the server
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")  # as Host headers give them
MAX_CONNECTIONS = 500  # open connections and requests at once; more get 503


@dataclass(frozen=True)
class ServerSettings:
    """What ``profgraph serve`` may spend on one request and whom it answers.

    ``sparql_timeout``: seconds a SPARQL query may run; ``max_result_bytes``: the largest SPARQL
    result; ``max_body``, ``max_query_string``: the largest request body and query string (bytes);
    ``sparql_workers``: query processes; ``sparql_queue``: queries that may wait for one (more get
    503 at once); ``sparql_memory_mb``: the address space of a query process (MiB);
    ``allowed_services``: URL prefixes a SPARQL ``SERVICE`` may call (none by default);
    ``allowed_hosts``: the names the Host header may give (``"*"``: any); ``request_timeout``:
    seconds a client has to send a request's head, and again its body.

    Raises :class:`~profgraph.errors.UsageError` for a timeout that is not a finite positive
    number or a count out of range.
    """

    sparql_timeout: float = 10.0
    max_result_bytes: int = 10 * 1024 * 1024
    max_body: int = MAX_BODY
    max_query_string: int = MAX_QUERY_STRING
    sparql_workers: int = 2
    sparql_queue: int = 8
    sparql_memory_mb: int = 1024
    allowed_services: tuple = ()
    allowed_hosts: tuple = LOOPBACK_NAMES
    request_timeout: float = 10.0

    def __post_init__(self):
        from ..sparql import check_timeout

        check_timeout(self.sparql_timeout, "sparql_timeout", 0, 3600)
        check_timeout(self.request_timeout, "request_timeout", 0, 3600)
        for name, value, low, high in (("sparql_workers", self.sparql_workers, 1, 64),
                                       ("sparql_queue", self.sparql_queue, 0, 1000),
                                       ("sparql_memory_mb", self.sparql_memory_mb, 256, 1 << 20)):
            if not low <= value <= high:
                raise UsageError("{parameter} must be between {low} and {high}, not {value}", name, low=low, high=high,
                                 value=value)


async def sparql_protocol(request):
    """``/sparql``: the SPARQL 1.1 Protocol over the app's dataset, read-only (:mod:`profgraph.web.endpoint`)."""
    return await context_of(request).sparql.handle(request)


async def http_error(request, exc: HTTPException):
    """The answer to an ``HTTPException`` (404 above all): JSON ``{error}`` under ``/api/`` and
    ``/sparql``, plain text elsewhere."""
    if request.url.path.startswith(("/api/", "/sparql")):
        return JSONResponse({"error": exc.detail}, exc.status_code)
    return Response(exc.detail, exc.status_code, media_type="text/plain; charset=utf-8")


# First match wins: the fixed paths come before /{lang}/..., and /{lang}/{kind} last but one.
ROUTES = [
    # the language chooser, short links and the assets (web.pages)
    Route("/", pages.languages_page),
    Route("/search", pages.to_default_language),
    Route("/path", pages.to_default_language),
    Route("/assets/{name}", pages.asset),
    # the JSON API, its parameters in web.api.OPERATIONS
    api.route("/api/search"),
    api.route("/api/profession/{id}"),
    api.route("/api/path"),
    api.route("/api/similar"),
    Route("/api/openapi.json", api.description),
    # SPARQL 1.1 Protocol (web.endpoint) and the data's persistent IRIs (web.deref)
    Route("/sparql", sparql_protocol, methods=["GET", "POST"]),
    *(Route(f"/{kind}/{{slug}}", deref.linked_resource) for kind in deref.KINDS),
    # the pages in each language (web.pages)
    Route("/{lang}/", pages.index_page),
    Route("/{lang}/search", pages.search_page),
    Route("/{lang}/path", pages.path_page),
    Route("/{lang}/plan", pages.plan_page),
    Route("/{lang}/profession/{id}", pages.profession_page),
    Route("/{lang}/skill/{id}", pages.skill_page),
    Route("/{lang}/{kind}", pages.list_pages),
    Route("/{lang}", pages.language_home),
]


def create_app(dataset, settings: ServerSettings = ServerSettings(), languages=LANGUAGES) -> Starlette:
    """Return the ASGI application serving ``dataset`` (a :class:`profgraph.store.Dataset` or a
    remote dataset, :mod:`profgraph.remote`) with ``settings``, its pages in ``languages``: the
    :data:`ROUTES` behind the middleware of :func:`profgraph.web.middleware.middleware_stack`."""
    context = ServerContext(dataset, settings, languages)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        context.close()

    # starlette's types give every handler an Exception, though it passes one of the class registered
    app = Starlette(routes=ROUTES, exception_handlers={HTTPException: http_error},  # type: ignore[dict-item]
                    middleware=middleware_stack(settings), lifespan=lifespan)
    app.router.redirect_slashes = False  # Starlette's slash redirects are absolute URLs built from the Host header
    app.state.context = context
    return app


def host_names(host: str, extra=()) -> tuple:
    """Return the names a Host header may give for a server bound to ``host``: the loopback names,
    ``host`` itself unless it is a wildcard address (0.0.0.0, ::), and ``extra``."""
    def as_in_host_header(name: str) -> str:
        return f"[{name}]" if ":" in name and not name.startswith("[") else name

    bound = [] if host.strip("[]") in ("0.0.0.0", "::", "") else [host]
    return tuple(dict.fromkeys(as_in_host_header(name).lower() for name in [*LOOPBACK_NAMES, *bound, *extra]))


def _quiet_cancellation(record: logging.LogRecord) -> bool:
    """Return False for uvicorn's traceback of a request cancelled at shutdown (a SPARQL query still
    running when the server stops: its worker is killed by the app's shutdown, nothing went wrong)."""
    return not (record.exc_info and isinstance(record.exc_info[1], asyncio.CancelledError))


def serve(dataset, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, settings: ServerSettings = ServerSettings(),
          languages=LANGUAGES) -> None:
    """Serve ``dataset`` on ``host``:``port`` with uvicorn until interrupted. The Host header must
    be one of ``settings.allowed_hosts`` (see :func:`host_names`); idle keep-alive connections
    close after 5 s, and a request's head must arrive within ``settings.request_timeout``. SIGHUP
    (the terminal closed) shuts down gracefully like SIGTERM, then raises ``SystemExit(129)``."""
    import signal

    import uvicorn

    config = uvicorn.Config(create_app(dataset, settings, languages), host=host, port=port, log_level="warning",
                            http=protocol_with_header_deadline(settings.request_timeout), timeout_keep_alive=5,
                            timeout_graceful_shutdown=5, limit_concurrency=MAX_CONNECTIONS,
                            h11_max_incomplete_event_size=settings.max_query_string + 8 * 1024)
    server = uvicorn.Server(config)
    logging.getLogger("uvicorn.error").addFilter(_quiet_cancellation)
    # uvicorn handles SIGINT and SIGTERM only; a SIGHUP left to the default or to a raising handler
    # would stop the event loop mid-request and wait on the threads talking to the query workers.
    hung_up = []

    def hang_up(signum, frame):
        hung_up.append(signum)
        server.handle_exit(signum, frame)

    previous = signal.signal(signal.SIGHUP, hang_up)
    try:
        server.run()
    finally:
        signal.signal(signal.SIGHUP, previous)
    if hung_up:
        raise SystemExit(128 + signal.SIGHUP)


__all__ = ["ROUTES", "ServerSettings", "create_app", "host_names", "serve"]
