"""Small misbehaving HTTP servers on 127.0.0.1, for the remote-store tests and the attack benchmark.

:class:`HostileServer` listens on a free loopback port and answers every connection with one of the
:data:`BEHAVIOURS`: an answer trickled a byte at a time, garbage that is not HTTP, a body cut short, a
body that never ends, an error page, a JSON list where a count belongs, and so on. It records what it
saw (requests, request lines, bytes sent, when each client went away) so a test can check that the
client stopped reading at its cap and closed the connection at its deadline. Everything runs in
daemon threads and stops when the ``with`` block ends.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import zlib

COUNT_JSON = json.dumps({"head": {"vars": ["n"]}, "results": {"bindings": [
    {"n": {"type": "literal", "value": "5", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]}}).encode()
ASK_JSON = b'{"head":{},"boolean":true}'


def _head(status: str = "200 OK", content_type: str = "application/sparql-results+json", extra: str = "") -> bytes:
    return f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nConnection: close\r\n{extra}\r\n".encode()


def _whole(body: bytes, status: str = "200 OK", content_type: str = "application/sparql-results+json",
           extra: str = "") -> bytes:
    return _head(status, content_type, f"Content-Length: {len(body)}\r\n{extra}") + body


def _count_json(count: int) -> bytes:
    return json.dumps({"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {
        "type": "literal", "value": str(count), "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]}}).encode()


def _counted(query: str) -> bool:
    return "COUNT" in query


class Link:
    """One accepted connection: ``send`` bytes, ``sleep`` while the server runs, ``request`` text."""

    def __init__(self, server: "HostileServer", conn: socket.socket, request: str):
        self.server, self.conn, self.request = server, conn, request

    def send(self, data: bytes) -> bool:
        """Send ``data``; return False (and note when) once the client has gone away."""
        try:
            self.conn.sendall(data)
        except OSError:
            self.server.client_gone.append(time.monotonic())
            return False
        self.server.bytes_sent += len(data)
        return True

    def sleep(self, seconds: float) -> bool:
        """Wait ``seconds``; return False when the server is stopping or the client has gone away."""
        if self.server.stopping.wait(seconds):
            return False
        try:
            self.conn.setblocking(False)
            gone = self.conn.recv(1, socket.MSG_PEEK) == b""
        except BlockingIOError:
            gone = False
        except OSError:
            gone = True
        finally:
            self.conn.setblocking(True)
        if gone:
            self.server.client_gone.append(time.monotonic())
        return not gone

    @property
    def query(self) -> str:
        from urllib.parse import parse_qs

        body = self.request.split("\r\n\r\n", 1)[-1]
        return (parse_qs(body).get("query") or [body])[0]

    @property
    def method(self) -> str:
        return self.request.split(" ", 1)[0]

    def header(self, name: str) -> str:
        """The value of the request's header ``name`` (case-insensitive), empty if absent."""
        head = self.request.split("\r\n\r\n", 1)[0]
        return next((line.split(":", 1)[1].strip() for line in head.split("\r\n")[1:]
                     if line.split(":", 1)[0].strip().lower() == name.lower()), "")


def trickle(link: Link) -> None:
    """Valid headers, then a count answer one byte every half second: it never finishes in time."""
    if not link.send(_head(extra=f"Content-Length: {len(COUNT_JSON) * 1000}\r\n")):
        return
    for byte in (COUNT_JSON * 1000):
        if not (link.send(bytes([byte])) and link.sleep(0.5)):
            return


def trickle_status(link: Link) -> None:
    """The status line itself, one byte every half second."""
    for byte in _whole(COUNT_JSON) * 100:
        if not (link.send(bytes([byte])) and link.sleep(0.5)):
            return


def silent(link: Link) -> None:
    """Accept the request and never answer."""
    while link.sleep(0.2):
        pass


def garbage(link: Link) -> None:
    """Not HTTP at all: an SSH banner."""
    link.send(b"SSH-2.0-OpenSSH_9.6p1 Ubuntu-3\r\n\x00\xff\xfe garbage\r\n\r\n")


def truncated(link: Link) -> None:
    """A Content-Length of 10,000 and 40 bytes of body, then the connection closes."""
    link.send(_head(extra="Content-Length: 10000\r\n") + COUNT_JSON[:40])


def truncated_chunked(link: Link) -> None:
    """A chunked body that stops in the middle of a chunk."""
    link.send(_head(extra="Transfer-Encoding: chunked\r\n") + b"400\r\n" + COUNT_JSON[:30])


def endless(link: Link) -> None:
    """A 200 answer whose body never ends (64 KiB at a time, as fast as the client reads)."""
    if not link.send(_head(extra="Transfer-Encoding: chunked\r\n")):
        return
    chunk = b"10000\r\n" + b"[" * 0x10000 + b"\r\n"
    while not link.server.stopping.is_set() and link.send(chunk):
        pass


def endless_ntriples(link: Link) -> None:
    """A count, then an N-Triples page that never ends (what a pull of the dataset reads)."""
    if _counted(link.query):
        link.send(_whole(COUNT_JSON))
        return
    if not link.send(_head(content_type="application/n-triples")):
        return
    line = b"<http://example.org/s> <http://example.org/p> \"" + b"x" * 1000 + b"\" .\n"
    while not link.server.stopping.is_set() and link.send(line * 64):
        pass


def huge_declared(link: Link) -> None:
    """A Content-Length of a terabyte."""
    link.send(_head(extra=f"Content-Length: {10 ** 12}\r\n") + b"[" * 1000)


_BOMB: list[bytes] = []


def gzip_bomb(link: Link) -> None:
    """A small gzip body (not asked for) that inflates to 256 MiB."""
    if not _BOMB:
        packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip framing
        zeros = bytes(1 << 20)
        _BOMB.append(b"".join(packer.compress(zeros) for _ in range(256)) + packer.flush())
    bomb = _BOMB[0]
    link.send(_head(extra=f"Content-Encoding: gzip\r\nContent-Length: {len(bomb)}\r\n") + bomb)


def endless_headers(link: Link) -> None:
    """Header lines that never end."""
    if not link.send(b"HTTP/1.1 200 OK\r\n"):
        return
    while not link.server.stopping.is_set() and link.send(b"X-Filler: " + b"a" * 1000 + b"\r\n"):
        pass


def json_list(link: Link) -> None:
    """``[]`` where SPARQL JSON results belong."""
    link.send(_whole(b"[]"))


def json_not_json(link: Link) -> None:
    """Declared SPARQL JSON results that are not JSON."""
    link.send(_whole(b"{\"head\": {\"vars\": [\"n\"]}, \"results\": {\"bindings\": [{\"n\": oops"))


def bad_ntriples(link: Link) -> None:
    """A good count, then pages that are not N-Triples."""
    if _counted(link.query):
        link.send(_whole(COUNT_JSON))
    else:
        link.send(_whole(b"<http://example.org/s> this is not N-Triples .\n", content_type="application/n-triples"))


def foreign_triples(link: Link) -> None:
    """A good count and good N-Triples that are not a profgraph dataset."""
    if _counted(link.query):
        link.send(_whole(_count_json(1)))
    else:
        triple = b"<http://example.org/s> <http://example.org/p> \"o\" .\n"
        link.send(_whole(triple, content_type="application/n-triples"))


def broken_profgraph(link: Link) -> None:
    """A count, then a profgraph skill with no type: triples of the right vocabulary in a wrong shape."""
    if _counted(link.query):
        link.send(_whole(_count_json(2)))
        return
    body = (b"<https://w3id.org/profgraph/skill/x> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
            b"<https://w3id.org/profgraph/ontology#Skill> .\n"
            b"<https://w3id.org/profgraph/skill/x> <http://www.w3.org/2004/02/skos/core#notation> \"x\" .\n")
    link.send(_whole(body, content_type="application/n-triples"))


def html_error(link: Link) -> None:
    """A 500 with an HTML page holding a script, many lines and a terminal escape sequence."""
    page = ("<!DOCTYPE html><html><head><title>Oops</title><style>body{color:red}</style>"
            "<script>alert(1)</script></head><body>\n<h1>Internal \x1b[2J\x1b[31mServer Error</h1>\n"
            + "<p>stack frame</p>\n" * 500 + "</body></html>").encode()
    link.send(_whole(page, "500 Internal Server Error", "text/html; charset=utf-8"))


def html_not_found(link: Link) -> None:
    """A 404 page, as a web server gives for a wrong path."""
    link.send(_whole(b"<html><body><h1>404 Not Found</h1><p>nginx</p></body></html>", "404 Not Found", "text/html"))


def bad_request(link: Link) -> None:
    """A 400 with the engine's message, as for a query the server cannot parse."""
    link.send(_whole(b"error at 1:8: expected a variable\n\x1b[2J", "400 Bad Request", "text/plain"))


def redirect_loop(link: Link) -> None:
    """A redirect to itself, forever."""
    link.send(_head("307 Temporary Redirect", "text/plain", "Location: /query\r\nContent-Length: 0\r\n"))


def wrong_type(link: Link) -> None:
    """A 200 answer of a type nobody asked for."""
    link.send(_whole(b"<html>hello</html>", content_type="text/html"))


def proxy_refusal(link: Link) -> None:
    """What a proxy says about a host it cannot reach (the request line names the host)."""
    link.send(_whole(b"<html>proxy: no such host</html>", "502 Bad Gateway", "text/html"))


def serving_dataset(lines: list[bytes], then, max_rows: int | None = None):
    """A behaviour that answers profgraph's count and ``CONSTRUCT`` of the graph with the N-Triples
    ``lines`` (so that ``--endpoint`` loads a real dataset; at most ``max_rows`` per answer, as
    Virtuoso's result limit cuts them, with ``LIMIT``/``OFFSET`` pages honoured) and every other query
    with the behaviour ``then``."""
    import re

    def behaviour(link: Link) -> None:
        query = link.query
        if _counted(query):
            link.send(_whole(_count_json(len(lines))))
        elif query.startswith("CONSTRUCT { ?s ?p ?o }"):
            paged = re.search(r"LIMIT (\d+) OFFSET (\d+)", query)
            limit, offset = (int(number) for number in paged.groups()) if paged else (len(lines), 0)
            limit = min(limit, max_rows or limit)
            link.send(_whole(b"".join(lines[offset:offset + limit]), content_type="application/n-triples"))
        else:
            BEHAVIOURS[then](link) if isinstance(then, str) else then(link)

    behaviour.__name__ = f"dataset_then_{then if isinstance(then, str) else then.__name__}"
    return behaviour


def unstable_pages(link: Link) -> None:
    """A count of 10, then at most 4 triples per answer, and pages that repeat the first ones: a
    server whose paging is not stable."""
    if _counted(link.query):
        link.send(_whole(_count_json(10)))
        return
    lines = b"".join(b"<http://example.org/s> <http://example.org/p> \"%d\" .\n" % number for number in range(4))
    link.send(_whole(lines, content_type="application/n-triples"))


def login_required(expected: str, then):
    """A behaviour that answers 401 (asking for HTTP Basic credentials) unless the request's
    ``Authorization`` header is ``expected``, and otherwise behaves as ``then``."""

    def behaviour(link: Link) -> None:
        if link.header("Authorization") != expected:
            link.send(_whole(b"<html><body>401 Unauthorized</body></html>", "401 Unauthorized", "text/html",
                             'WWW-Authenticate: Basic realm="sparql"\r\n'))
        else:
            BEHAVIOURS[then](link) if isinstance(then, str) else then(link)

    behaviour.__name__ = f"login_then_{then if isinstance(then, str) else then.__name__}"
    return behaviour


def graph_store(link: Link) -> None:
    """A Graph Store endpoint that takes every PUT and POST (204, nothing kept but what the server
    records) and says it is an Oxigraph server."""
    link.send(_whole(b"", "204 No Content", "text/plain", "Server: Oxigraph/0.0-test\r\n"))


def graph_store_with_etag(graph: dict):
    """An Oxigraph-like server holding ``graph["lines"]`` (N-Triples) under the ETag ``graph["etag"]``
    (the test may change both): it answers the count, and the Graph Store GET of its default graph
    with the ETag, or 304 Not Modified when the request's If-None-Match names it."""

    def behaviour(link: Link) -> None:
        server, lines, etag = "Server: Oxigraph/0.0-test\r\n", graph["lines"], graph["etag"]
        if link.method == "GET" and "/store?default" in link.request.split("\r\n", 1)[0]:
            if link.header("If-None-Match") == etag:
                link.send(_whole(b"", "304 Not Modified", "application/n-triples", f"{server}ETag: {etag}\r\n"))
            else:
                link.send(_whole(b"".join(lines), content_type="application/n-triples",
                                 extra=f"{server}ETag: {etag}\r\n"))
        elif _counted(link.query):
            link.send(_whole(_count_json(len(lines)), extra=server))
        else:
            html_not_found(link)

    return behaviour


BEHAVIOURS = {function.__name__: function for function in (
    trickle, trickle_status, silent, garbage, truncated, truncated_chunked, endless, endless_ntriples,
    huge_declared, gzip_bomb, endless_headers, json_list, json_not_json, bad_ntriples, foreign_triples,
    broken_profgraph, html_error, html_not_found, bad_request, redirect_loop, wrong_type, proxy_refusal,
    unstable_pages, graph_store)}


class HostileServer:
    """A TCP server on a free 127.0.0.1 port answering every connection with ``behaviour(link)``.

    ``url`` is its query URL. It records ``requests`` (the text of each request read), ``bytes_sent``
    and ``client_gone`` (monotonic times at which a client was found gone). Use it as a context
    manager; leaving the block stops it (and every connection) within a fraction of a second.
    """

    def __init__(self, behaviour):
        self.behaviour = BEHAVIOURS[behaviour] if isinstance(behaviour, str) else behaviour
        self.requests: list[str] = []
        self.bytes_sent = 0
        self.client_gone: list[float] = []
        self.stopping = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/query"
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> "HostileServer":
        self._thread.start()
        return self

    def __exit__(self, *_) -> None:
        self.stopping.set()
        self._thread.join(5)
        self._listener.close()

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            request = self._read_request(conn)
            if request is None:
                return
            self.requests.append(request)
            self.behaviour(Link(self, conn, request))

    @staticmethod
    def _read_request(conn: socket.socket) -> str | None:
        data = b""
        try:
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    return None
                data += chunk
            head, body = data.split(b"\r\n\r\n", 1)
            length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                           if line.lower().startswith(b"content-length:")), 0)
            received = len(body)
            while received < length:  # read it all, keep the first MiB
                chunk = conn.recv(1 << 20)
                if not chunk:
                    break
                received += len(chunk)
                if len(body) < 1 << 20:
                    body += chunk
        except OSError:
            return None
        return (head + b"\r\n\r\n" + body).decode("utf-8", "replace")
