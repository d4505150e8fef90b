"""The ASGI middleware of ``profgraph serve``, in one place: security headers on every response
(:class:`SecurityHeaders`), CORS for the data routes (:class:`OpenToScripts`), size and time limits
on the query string and body (:class:`LimitRequests`), and a deadline for the request head
(:func:`protocol_with_header_deadline`, a uvicorn protocol class). The Host header check is
Starlette's ``TrustedHostMiddleware`` (see :func:`profgraph.web.app.create_app`)."""

from __future__ import annotations

from ..vocab import LANGUAGES
from .i18n import texts

MAX_QUERY_STRING = 8 * 1024  # bytes; longer URLs get 414
MAX_BODY = 64 * 1024  # bytes; larger request bodies get 413
# The pages load every script from /assets and run no inline script; the graph's legend colours its
# icons with style attributes and vis-network styles its elements, hence 'unsafe-inline' for styles
# only (checked in Chromium by tests/test_browser_server.py).
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                           "img-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
                           "frame-ancestors 'none'")
SECURITY_HEADERS = [(b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
                    (b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"same-origin")]


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


def middleware_stack(settings) -> list:
    """Return the middleware of an app served with ``settings`` (a
    :class:`profgraph.web.app.ServerSettings`), outermost first: security headers, the Host header
    check (DNS rebinding), CORS for the data routes, size and time limits."""
    from starlette.middleware import Middleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware

    return [Middleware(SecurityHeaders),
            Middleware(TrustedHostMiddleware, allowed_hosts=list(settings.allowed_hosts), www_redirect=False),
            Middleware(OpenToScripts),
            Middleware(LimitRequests, max_query_string=settings.max_query_string, max_body=settings.max_body,
                       body_timeout=settings.request_timeout)]
