"""``profgraph serve``: one web server for counsellors (HTML pages), other systems (a JSON API) and
researchers (a SPARQL 1.1 endpoint), over one dataset.

Starlette under uvicorn: a small, well-kept ASGI toolkit whose test client drives the app without
a socket. The pages are the templates of the static site (:mod:`profgraph.web.site`) rendered with
:class:`ServerUrls`, plus a search page and a path finder; the API returns what
:mod:`profgraph.answers` returns, as JSON. Routes:

- ``/``, ``/{lang}/``, ``/{lang}/sectors``, ``/{lang}/skills``, ``/{lang}/graph``,
  ``/{lang}/profession/{id}``, ``/{lang}/skill/{id}``, ``/{lang}/search?q=``,
  ``/{lang}/path?from=&to=`` (``/search`` and ``/path`` redirect to the Russian pages);
- ``/assets/{name}``: the site's fixed set of assets (no file system path is ever built from a request);
- ``/api/search``, ``/api/profession/{id}``, ``/api/path``, ``/api/similar``, described by ``/api/openapi.json``;
- ``/sparql``: the SPARQL 1.1 Protocol (:mod:`profgraph.web.endpoint`), read-only.

Query strings and request bodies are size-limited and must arrive in time (:class:`LimitRequests`,
and a deadline for the request head, :func:`protocol_with_header_deadline`); the Host header must
name the server (DNS rebinding); every response carries a Content-Security-Policy and
anti-framing, anti-sniffing headers (:class:`SecurityHeaders`); redirects are relative; every page
is rendered with Jinja's autoescaping.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import quote, urlencode

from ..errors import Ambiguous, NotFound, ProfgraphError
from .i18n import LANGUAGE_NAMES, STATUS_NAMES, texts
from .templating import OWN_ASSETS, PAGE_KINDS, VIS_ASSETS, asset_path, render
from ..reskilling import DEFAULT_MAX_STEPS, DEFAULT_MIN_COVERAGE, DEFAULT_TOP
from ..vocab import LANGUAGES

MAX_QUERY_STRING = 8 * 1024  # bytes; longer URLs get 414
MAX_BODY = 64 * 1024  # bytes; larger request bodies get 413
MAX_TEXT = 200  # characters of a name or search text
MAX_LISTED_SKILLS = 3000  # the path finder lists every skill to add when there are at most this many
MEDIA_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")  # as Host headers give them
MAX_CONNECTIONS = 500  # open connections and requests at once; more get 503
API_CACHE_ANSWERS = 256  # API answers kept; each is at most a few hundred KB
# The pages load every script from /assets and run no inline script; the graph's legend colours its
# icons with style attributes and vis-network styles its elements, hence 'unsafe-inline' for styles
# only (checked in Chromium by tests/test_browser_server.py).
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                           "img-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
                           "frame-ancestors 'none'")
SECURITY_HEADERS = [(b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
                    (b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"same-origin")]


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
        from ..errors import UsageError
        from ..sparql import check_timeout

        check_timeout(self.sparql_timeout, "--sparql-timeout", 0, 3600)
        check_timeout(self.request_timeout, "--request-timeout", 0, 3600)
        for name, value, low, high in (("--sparql-workers", self.sparql_workers, 1, 64),
                                       ("--sparql-queue", self.sparql_queue, 0, 1000),
                                       ("--sparql-memory", self.sparql_memory_mb, 256, 1 << 20)):
            if not low <= value <= high:
                raise UsageError(f"{name} must be between {low} and {high}, not {value}")


class ServerUrls:
    """The links of one page served by ``profgraph serve``: the same methods as
    :class:`profgraph.web.templating.RelativeUrls`, plus ``search()`` and ``path_finder()``.

    ``query`` (a dict) is kept when the page links to itself in another language.
    """

    def __init__(self, lang: str, languages, kind: str, entity_id: str | None = None, query: dict | None = None):
        self.lang, self.languages, self.kind, self.entity_id = lang, tuple(languages), kind, entity_id
        self.query = query or {}

    def page(self, kind: str, entity_id: str | None = None, lang: str | None = None) -> str:
        """Return the absolute path of a page (``lang`` defaults to this page's language)."""
        lang = lang or self.lang
        if kind == "index":
            return f"/{lang}/"
        if kind in PAGE_KINDS or kind in ("search", "path", "plan"):
            return f"/{lang}/{kind}"
        if entity_id is None:
            raise ValueError(f"a {kind} page needs an id")
        return f"/{lang}/{kind}/{quote(entity_id, safe='')}"

    def asset(self, name: str) -> str:
        """Return the path of the shared asset ``name``."""
        return f"/assets/{name}"

    def entity_pattern(self, kind: str) -> str:
        """Return the path of the page of any profession or skill (``kind``), with ``{id}`` where its
        id goes, URL-encoded (the search box fills it in)."""
        return f"/{self.lang}/{kind}/{{id}}"

    def language(self, lang: str) -> str:
        """Return the path of this same page in ``lang``, with the same query."""
        query = urlencode(self.query)
        return self.page(self.kind, self.entity_id, lang) + (f"?{query}" if query else "")

    def home(self) -> str:
        """Return the path of the language chooser."""
        return "/"

    def search(self) -> str:
        """Return the path of the search page."""
        return self.page("search")

    def path_finder(self) -> str:
        """Return the path of the path finder."""
        return self.page("path")


class SecurityHeaders:
    """ASGI middleware: add :data:`SECURITY_HEADERS` (Content-Security-Policy, nosniff, no framing)
    to every HTTP response."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message = {**message, "headers": [*message.get("headers", []),
                                                  *(header for header in SECURITY_HEADERS if header[0] not in present)]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class OpenToScripts:
    """ASGI middleware: CORS for ``/sparql`` and ``/api/`` (``Access-Control-Allow-Origin: *``, and the
    answer to a browser's ``OPTIONS`` preflight), so that a page of any site may query the data;
    the HTML pages are left same-origin."""

    PATHS = ("/sparql", "/api/")

    def __init__(self, app):
        from starlette.middleware.cors import CORSMiddleware

        self.app = app
        self.open = CORSMiddleware(app, allow_origins=["*"], allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
                                   allow_headers=["*"], max_age=3600)

    async def __call__(self, scope, receive, send):
        path = scope.get("path", "") if scope["type"] == "http" else ""
        opened = path == self.PATHS[0] or path.startswith(self.PATHS[1])
        await (self.open if opened else self.app)(scope, receive, send)


def protocol_with_header_deadline(seconds: float):
    """Return uvicorn's h11 protocol class with a deadline for the head of each request: a
    connection that has not sent a whole request line and headers ``seconds`` after it opened, or
    after its previous response, is closed (whatever it sends meanwhile, such as the rest of a body
    the application never read). Uvicorn itself only times out idle keep-alive connections, so a
    half-sent request would otherwise hold its connection open forever."""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class H11ProtocolWithHeaderDeadline(H11Protocol):
        head_deadline = None
        waiting_after = None  # the request whose successor's head is awaited (None: the first)

        def connection_made(self, transport):
            super().connection_made(transport)
            self._await_head()

        def data_received(self, data):
            super().data_received(data)
            if self.head_deadline is not None and self.cycle is not self.waiting_after:  # a new head came
                self._cancel_deadline()

        def on_response_complete(self):
            super().on_response_complete()
            if self.cycle is None or self.cycle.response_complete:  # not already on a pipelined request
                self._await_head()

        def connection_lost(self, exc):
            self._cancel_deadline()
            super().connection_lost(exc)

        def _await_head(self):
            self._cancel_deadline()
            self.waiting_after = self.cycle
            if not self.transport.is_closing():
                self.head_deadline = self.loop.call_later(seconds, self._head_too_slow)

        def _cancel_deadline(self):
            if self.head_deadline is not None:
                self.head_deadline.cancel()
                self.head_deadline = None

        def _head_too_slow(self):
            self.head_deadline = None
            if self.cycle is self.waiting_after and not self.transport.is_closing():
                self.transport.close()

    return H11ProtocolWithHeaderDeadline


class LimitRequests:
    """ASGI middleware: refuse a query string longer than ``max_query_string`` bytes (414), a body
    larger than ``max_body`` bytes (413), whether it declares its length or streams it, and a body
    that takes longer than ``body_timeout`` seconds to arrive (408)."""

    def __init__(self, app, max_query_string: int = MAX_QUERY_STRING, max_body: int = MAX_BODY,
                 body_timeout: float = 10.0):
        self.app, self.max_query_string, self.max_body = app, max_query_string, max_body
        self.body_timeout = body_timeout

    def too_long(self, scope):
        """The 414 answer: plain text, or for a page (``/kk/...``, ``/ru/...``, ``/en/...``) a short page in its
        language that says so and links back to the path finder."""
        from html import escape

        from starlette.responses import HTMLResponse, PlainTextResponse

        lang = scope.get("path", "").strip("/").split("/")[0]
        if lang not in LANGUAGES:
            return PlainTextResponse(f"query string longer than {self.max_query_string} bytes", 414)
        words = texts(lang)
        message = escape(words["url_too_long"].format(limit=self.max_query_string))
        return HTMLResponse(f'<!doctype html><html lang="{lang}"><meta charset="utf-8"><title>414</title>'
                            f'<p class="error">{message}</p><p><a href="/{lang}/path">{escape(words["path_finder"])}'
                            f'</a></p></html>', 414)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        from starlette.responses import PlainTextResponse

        if len(scope.get("query_string", b"")) > self.max_query_string:
            return await self.too_long(scope)(scope, receive, send)
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            return await PlainTextResponse(f"request body larger than {self.max_body} bytes", 413)(scope, receive, send)
        import anyio

        received, complete = 0, False
        deadline = anyio.current_time() + self.body_timeout

        async def limited_receive():
            nonlocal received, complete
            if complete:  # the body is in: what follows is a disconnect, awaited without deadline
                return await receive()
            with anyio.move_on_after(max(deadline - anyio.current_time(), 0)):
                message = await receive()
                if message["type"] == "http.request":
                    received += len(message.get("body", b""))
                    complete = not message.get("more_body", False)
                    if received > self.max_body:
                        raise _BodyTooLarge()
                return message
            raise _BodyTooSlow()

        started = False

        async def tracked_send(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracked_send)
        except _BodyTooLarge:
            if not started:
                await PlainTextResponse(f"request body larger than {self.max_body} bytes", 413)(scope, receive, send)
        except _BodyTooSlow:
            if not started:
                await PlainTextResponse(f"the request body did not arrive within {self.body_timeout:g} s", 408,
                                        headers={"Connection": "close"})(scope, receive, send)


class _BodyTooLarge(Exception):
    pass


class _BodyTooSlow(Exception):
    pass


class BadRequest(ProfgraphError):
    """A request parameter is missing or out of range (answered with 400)."""


def _text(params, name: str, required: bool = True, default: str = "") -> str:
    value = params.get(name, default).strip()
    if required and not value:
        raise BadRequest(f"the parameter {name!r} is required")
    if len(value) > MAX_TEXT:
        raise BadRequest(f"the parameter {name!r} is longer than {MAX_TEXT} characters")
    return value


def _number(params, name: str, kind, default, low, high):
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise BadRequest(f"the parameter {name!r} must be a number, not {raw[:40]!r}") from None
    if not low <= value <= high:
        raise BadRequest(f"the parameter {name!r} must be between {low} and {high}, not {raw}")
    return value


def _flag(params, name: str) -> bool:
    raw = params.get(name, "").strip().lower()
    if raw not in ("", "0", "1", "true", "false", "yes", "no"):
        raise BadRequest(f"the parameter {name!r} must be true or false, not {raw[:40]!r}")
    return raw in ("1", "true", "yes")


def _rules(params):
    """The transition rules a request asks for (profgraph.rules.make_rules checks them: a UsageError is a 400)."""
    from ..rules import make_rules

    return make_rules(min_coverage=_number(params, "min_coverage", float, DEFAULT_MIN_COVERAGE, 0.01, 1.0),
                      max_prep_step=_number(params, "max_prep_step", int, 1, 0, 4),
                      min_pay_ratio=_number(params, "min_pay_ratio", float, 0.75, 0.0, 1.0),
                      risk=_text(params, "risk", required=False, default="automation"),
                      allow_riskier=_flag(params, "allow_riskier"), allow_lower_pay=_flag(params, "allow_lower_pay"),
                      allow_stepping_stones=_flag(params, "allow_stepping_stones"),
                      region=_text(params, "region", required=False) or None)


def _client_skills(params) -> dict:
    """The ``have`` and ``lack`` skill lists of a request (comma-separated names or ids), as keyword
    arguments of answers.reskilling_report; the query string's length limit bounds them."""
    from ..client import split_names

    return {key: split_names(params.get(key)) for key in ("have", "lack")}


def _lang(params) -> str:
    lang = params.get("lang", "en")
    if lang not in LANGUAGES:
        raise BadRequest(f"the parameter 'lang' must be one of {', '.join(LANGUAGES)}")
    return lang


def _status_code(error: Exception) -> int:
    return 404 if isinstance(error, NotFound) else 400


def _error_json(error: ProfgraphError):
    from starlette.responses import JSONResponse

    body: dict[str, str | list[str]] = {"error": str(error)}
    if isinstance(error, NotFound):
        body["suggestions"] = error.suggestions
    if isinstance(error, Ambiguous):
        body["candidates"] = error.candidates
    return JSONResponse(body, _status_code(error))


# The transition rules' parameters (profgraph.rules), shared by the answers that judge moves.
RULE_PARAMETERS = [
    ("risk", "string", False, "automation", "what 'safer' is judged on: automation, genai or both"),
    ("min_pay_ratio", "number", False, 0.75, "least pay of a destination as a share of the origin's, 0 to 1"),
    ("max_prep_step", "integer", False, 1, "most change in preparation level in one step, 0 to 4"),
    ("allow_riskier", "boolean", False, False, "also show destinations that are not safer, flagged"),
    ("allow_lower_pay", "boolean", False, False, "also show destinations that pay less, flagged"),
    ("allow_stepping_stones", "boolean", False, False, "let paths go through disappearing or riskier professions"),
    ("region", "string", False, None, "compare pay with this region's wages (default: the whole country)"),
]

# The API's parameters: one table that both parses requests and documents them in OpenAPI.
API: dict[str, tuple[str, list[tuple[str, str, bool, Any, str]]]] = {  # name, kind, required, default, text
    "/api/search": ("Professions and skills whose labels match q, in any language (answers.search_report).", [
        ("q", "string", True, None, "the text to look for"),
        ("kind", "string", False, None, "profession or skill (default: both)"),
        ("limit", "integer", False, 10, "most hits, 1 to 100"),
        ("lang", "string", False, "en", "language of the labels: kk, ru or en")]),
    "/api/profession/{id}": ("The card of one profession (answers.profession_card).", [
        ("id", "path", True, None, "the profession's id (see /api/search)"),
        ("lang", "string", False, "en", "language of the labels: kk, ru or en")]),
    "/api/path": ("Ranked reskilling paths (answers.reskilling_report).", [
        ("from", "string", True, None, "the profession a worker has (a name in any language or an id)"),
        ("to", "string", True, None, "emerging, transforming, stable, safer or a profession name"),
        ("top", "integer", False, DEFAULT_TOP, "how many paths, 1 to 50"),
        ("max_steps", "integer", False, DEFAULT_MAX_STEPS, "most transitions in one path, 1 to 6"),
        ("min_coverage", "number", False, DEFAULT_MIN_COVERAGE, "least coverage of a viable transition, (0, 1]"),
        ("have", "string", False, None, "skills the client has beyond the profession's, comma-separated names or ids"),
        ("lack", "string", False, None, "skills of the profession the client lacks, comma-separated names or ids"),
        *RULE_PARAMETERS,
        ("lang", "string", False, "en", "language of the labels: kk, ru or en")]),
    "/api/similar": ("The professions most similar by skills, each move judged by the rules (answers.similar_report).", [
        ("name", "string", True, None, "a profession name in any language or an id"),
        ("top", "integer", False, 10, "how many professions, 1 to 100"),
        ("min_coverage", "number", False, DEFAULT_MIN_COVERAGE, "least coverage of a viable transition, (0, 1]"),
        *RULE_PARAMETERS,
        ("lang", "string", False, "en", "language of the labels: kk, ru or en")]),
}


def openapi() -> dict:
    """Return the OpenAPI 3 description of the JSON API, built from :data:`API`."""
    from .. import __version__

    kinds = {"string": "string", "path": "string", "integer": "integer", "number": "number", "boolean": "boolean"}
    paths = {}
    for route, (summary, parameters) in API.items():
        paths[route] = {"get": {"summary": summary, "parameters": [
            {"name": name, "in": "path" if kind == "path" else "query", "required": required, "description": text,
             "schema": {"type": kinds[kind], **({} if default is None else {"default": default})}}
            for name, kind, required, default, text in parameters],
            "responses": {"200": {"description": "the answer as JSON"},
                          "400": {"description": "a bad parameter or an ambiguous name: {error}"},
                          "404": {"description": "a name that matches nothing: {error, suggestions}"}}}}
    return {"openapi": "3.0.3", "info": {"title": "profgraph API", "version": __version__}, "paths": paths}


def create_app(dataset, settings: ServerSettings = ServerSettings(), languages=LANGUAGES):
    """Return the ASGI application serving ``dataset`` (a :class:`profgraph.store.Dataset` or a
    remote dataset, :mod:`profgraph.remote`) with ``settings``, its pages in ``languages``."""
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.exceptions import HTTPException
    from starlette.middleware import Middleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware
    from starlette.responses import (FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse,
                                     Response)
    from starlette.routing import Route

    from .. import answers
    from . import site
    from . import deref
    from .endpoint import SparqlEndpoint

    languages = tuple(languages)
    model = dataset.model
    sparql = SparqlEndpoint(dataset, settings)
    # Build the lazy views now: the request threads then only read them.
    dataset.names
    dataset.transition_graph(DEFAULT_MIN_COVERAGE)

    def common(lang: str) -> dict:
        return {"lang": lang, "words": texts(lang), "language_names": LANGUAGE_NAMES, "footer": footer(lang)}

    @lru_cache(maxsize=None)
    def footer(lang: str) -> str:
        from .graphview import footer as render_footer

        return render_footer(model, lang)

    def page_lang(request) -> str:
        lang = request.path_params["lang"]
        if lang not in languages:
            raise HTTPException(404, f"no pages in {lang!r}")
        return lang

    def html(template: str, urls: ServerUrls, status_code: int = 200, **context) -> HTMLResponse:
        return HTMLResponse(render(template, urls=urls, **common(urls.lang), **context), status_code)

    @lru_cache(maxsize=None)
    def list_page(lang: str, kind: str) -> str:
        contexts = {"index": site.index_context, "sectors": site.sectors_context, "skills": site.skills_context}
        urls = ServerUrls(lang, languages, kind)
        if kind == "graph":
            return render("site/graph.html", urls=urls, **common(lang), **site.graph_context(dataset, lang, urls))
        return render(f"site/{kind}.html", urls=urls, **common(lang), **contexts[kind](model, lang))

    def languages_page(request):
        urls = ServerUrls(languages[0], languages, "home")
        return HTMLResponse(render("site/languages.html", urls=urls, **site.languages_context(languages)))

    def index_page(request):
        return HTMLResponse(list_page(page_lang(request), "index"))

    def named_page(request):
        kind = request.path_params["kind"]
        if kind not in ("sectors", "skills", "graph"):
            raise HTTPException(404)
        return HTMLResponse(list_page(page_lang(request), kind))

    def profession_page(request):
        lang, pid = page_lang(request), request.path_params["id"]
        if pid not in model.professions:
            raise HTTPException(404, "no such profession")
        urls = ServerUrls(lang, languages, "profession", pid)
        return html("site/profession.html", urls, **site.profession_context(dataset, pid, lang, urls))

    def skill_page(request):
        lang, sid = page_lang(request), request.path_params["id"]
        if sid not in model.skills:
            raise HTTPException(404, "no such skill")
        urls = ServerUrls(lang, languages, "skill", sid)
        return html("site/skill.html", urls, **site.skill_context(model, sid, lang, requirements()))

    @lru_cache(maxsize=1)
    def requirements():
        return site.needed_by(model)

    def search_page(request):
        lang = page_lang(request)
        params = request.query_params
        query = params.get("q", "")[:MAX_TEXT]
        urls = ServerUrls(lang, languages, "search", query={"q": query})
        words = texts(lang)
        hits, error = [], None
        if query.strip():
            hits = answers.search_report(dataset, query, limit=20, lang=lang)
        return html("site/search.html", urls, 200, title=words["search_results"].format(query=query),
                    query=query, hits=hits, error=error)

    def path_page(request):
        from ..client import ClientDataset, client_skills, learnable, resolve_skills, split_names, with_client
        from .graphview import build_view

        lang = page_lang(request)
        params = request.query_params
        origin, target = params.get("from", "")[:MAX_TEXT], params.get("to", "emerging")[:MAX_TEXT]
        have, lack = split_names(params.get("have")), split_names(params.get("lack"))
        words = texts(lang)
        statuses = [(value, name) for value, name in STATUS_NAMES[lang].items()] + [("safer", words["safer"])]
        report = graph = error = client = None
        skills, status_code = [], 200
        if origin.strip() and target.strip():
            try:
                origin_id = dataset.names.resolve(origin).id
                if "skills_form" in params:
                    # The skills form sends the ticked skills; the page's state is what differs from the job's
                    # profile, kept in the URL as have/lack so that it can be shared.
                    ticked = set(params.getlist("held"))
                    standard = learnable(model, model.professions[origin_id].skills)
                    added = [skill for skill in dict.fromkeys(resolve_skills(dataset, have)[0]) if skill in ticked]
                    added += resolve_skills(dataset, split_names(params.get("add")))[0]
                    state = {"from": origin, "to": target,
                             "have": ",".join(dict.fromkeys(s for s in added if s not in standard)),
                             "lack": ",".join(s for s in standard if s not in ticked)}
                    return RedirectResponse(urls_for(lang, {k: v for k, v in state.items() if v}), 303)
                client = client_skills(dataset, origin_id, have=have, lack=lack)
                # The job's standard profile searches the dataset itself (its graphs are built once).
                seen = ClientDataset(dataset, client) if have or lack else dataset
                view = build_view(seen, profession_id=origin_id, to=target, lang=lang,
                                  page_url=site.page_links(ServerUrls(lang, languages, "path")))
                report, graph = view.report, view.widget_context(show_paths=True)
                report = with_client(dataset, report, lang)
                skills = skill_choices(origin_id, client, lang)
            except ProfgraphError as failure:
                error, status_code = str(failure), _status_code(failure)
        query = {key: value for key, value in (("from", origin), ("to", target), ("have", ",".join(have)),
                                               ("lack", ",".join(lack))) if value}
        urls = ServerUrls(lang, languages, "path", query=query)
        return html("site/path.html", urls, status_code, title=words["path_finder"], origin=origin, target=target,
                    statuses=statuses, report=report, graph=graph, error=error,
                    skill_type_names=site.SKILL_TYPE_NAMES[lang], have=",".join(have),
                    skills=skills, all_skills=skill_labels(lang))

    def plan_page(request):
        """The printable plan (profgraph.web.plan) of the path finder's state: from, to, have, lack."""
        from ..client import split_names
        from .plan import plan_page as plan_html

        lang = page_lang(request)
        params = request.query_params
        try:
            return HTMLResponse(plan_html(dataset, _text(params, "from"), to=_text(params, "to", default="emerging"),
                                          lang=lang, have=split_names(params.get("have")),
                                          lack=split_names(params.get("lack"))))
        except ProfgraphError as failure:
            return PlainTextResponse(str(failure), _status_code(failure))

    def urls_for(lang: str, query: dict) -> str:
        return ServerUrls(lang, languages, "path").path_finder() + "?" + urlencode(query)

    def skill_choices(origin_id: str, client, lang: str) -> list[dict]:
        """The skills the path finder offers to tick: the job's profile (traits left out) and those the
        client added."""
        from ..client import learnable
        from ..model import label

        standard = learnable(model, model.professions[origin_id].skills)
        extra = client.added if client is not None else ()
        held = client.skills if client is not None else set(standard)
        return [{"id": skill, "label": label(model.skills[skill], lang), "held": skill in held}
                for skill in (*standard, *extra)]

    @lru_cache(maxsize=None)
    def skill_labels(lang: str) -> tuple[str, ...]:
        """Every skill's label in ``lang``, for the add-a-skill list (none when there are too many to list)."""
        from ..model import label

        if len(model.skills) > MAX_LISTED_SKILLS:
            return ()
        return tuple(sorted(label(skill, lang) for skill in model.skills.values()))

    def language_home(request):
        lang = request.path_params["lang"]
        if lang not in languages:
            raise HTTPException(404)
        return RedirectResponse(f"/{lang}/", 307)  # relative: never built from the Host header

    def redirect_to_lang(request):
        kind = request.url.path.strip("/")
        query = request.url.query
        return RedirectResponse(f"/{languages[0] if 'ru' not in languages else 'ru'}/{kind}"
                                + (f"?{query}" if query else ""), 302)

    @lru_cache(maxsize=1)
    def search_index() -> bytes:
        return site.search_index_script(model).encode("utf-8")

    def asset(request):
        name = request.path_params["name"]
        if name == site.SEARCH_INDEX:
            return Response(search_index(), media_type=MEDIA_TYPES[".js"], headers={"Cache-Control": "max-age=3600"})
        if name not in OWN_ASSETS + VIS_ASSETS:  # a fixed list: nothing from the request reaches the file system
            raise HTTPException(404)
        path = asset_path(name)
        return FileResponse(path, media_type=MEDIA_TYPES.get(path.suffix), headers={"Cache-Control": "max-age=3600"})

    @lru_cache(maxsize=API_CACHE_ANSWERS)
    def cached_answer(function, query: tuple, path: tuple) -> bytes:
        # The dataset does not change while it is served, so an answer can be reused as it is.
        return bytes(JSONResponse(function(dict(query), dict(path))).body)

    def api(function):
        async def endpoint(request):
            query = tuple(sorted(request.query_params.items()))
            try:
                body = await run_in_threadpool(cached_answer, function, query,
                                               tuple(sorted(request.path_params.items())))
            except ProfgraphError as error:
                return _error_json(error)
            return Response(body, media_type="application/json")
        return endpoint

    def api_search(params, _):
        kind = params.get("kind") or None
        if kind not in (None, "profession", "skill"):
            raise BadRequest("the parameter 'kind' must be profession or skill")
        return answers.search_report(dataset, _text(params, "q"), kind=kind,
                                     limit=_number(params, "limit", int, 10, 1, 100), lang=_lang(params))

    def api_profession(params, path_params):
        pid = path_params["id"]
        if pid not in model.professions:
            raise NotFound(pid[:MAX_TEXT], [match.id for match in dataset.names.search(pid[:MAX_TEXT], "profession", 5)])
        return answers.profession_card(model, pid, _lang(params), dataset=dataset)

    def api_path(params, _):
        return answers.reskilling_report(dataset, _text(params, "from"), _text(params, "to"),
                                         top=_number(params, "top", int, DEFAULT_TOP, 1, 50),
                                         max_steps=_number(params, "max_steps", int, DEFAULT_MAX_STEPS, 1, 6),
                                         lang=_lang(params), rules=_rules(params), **_client_skills(params))

    def api_similar(params, _):
        return answers.similar_report(dataset, _text(params, "name"), top=_number(params, "top", int, 10, 1, 100),
                                      lang=_lang(params), rules=_rules(params))

    def api_description(request):
        return JSONResponse(openapi())

    def linked_resource(request):  # the persistent IRIs of the data dereference here (profgraph.web.deref)
        kind = request.url.path.split("/")[1]
        return deref.resource(dataset, languages, kind, request.path_params["slug"], request.headers.get("accept"),
                              request.headers.get("accept-language"))

    async def sparql_route(request):
        return await sparql.handle(request)

    async def not_found(request, exc):
        status = getattr(exc, "status_code", 404)
        detail = getattr(exc, "detail", "not found")
        if request.url.path.startswith(("/api/", "/sparql")):
            return JSONResponse({"error": detail}, status)
        return Response(detail, status, media_type="text/plain; charset=utf-8")

    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        sparql.close()

    routes = [
        Route("/", languages_page),
        Route("/search", redirect_to_lang),
        Route("/path", redirect_to_lang),
        Route("/assets/{name}", asset),
        Route("/api/search", api(api_search)),
        Route("/api/profession/{id}", api(api_profession)),
        Route("/api/path", api(api_path)),
        Route("/api/similar", api(api_similar)),
        Route("/api/openapi.json", api_description),
        Route("/sparql", sparql_route, methods=["GET", "POST"]),
        *(Route(f"/{kind}/{{slug}}", linked_resource) for kind in deref.KINDS),
        Route("/{lang}/", index_page),
        Route("/{lang}/search", search_page),
        Route("/{lang}/path", path_page),
        Route("/{lang}/plan", plan_page),
        Route("/{lang}/profession/{id}", profession_page),
        Route("/{lang}/skill/{id}", skill_page),
        Route("/{lang}/{kind}", named_page),
        Route("/{lang}", language_home),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: not_found},
                    middleware=[Middleware(SecurityHeaders),
                                Middleware(TrustedHostMiddleware, allowed_hosts=list(settings.allowed_hosts),
                                           www_redirect=False),
                                Middleware(OpenToScripts),
                                Middleware(LimitRequests, max_query_string=settings.max_query_string,
                                           max_body=settings.max_body, body_timeout=settings.request_timeout)],
                    lifespan=lifespan)
    app.router.redirect_slashes = False  # Starlette's slash redirects are absolute URLs built from the Host header
    app.state.dataset = dataset
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


def serve(dataset, host: str = "127.0.0.1", port: int = 8000, settings: ServerSettings = ServerSettings(),
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


__all__ = ["ServerSettings", "ServerUrls", "LimitRequests", "SecurityHeaders", "OpenToScripts", "create_app", "host_names", "serve",
           "openapi", "protocol_with_header_deadline"]
