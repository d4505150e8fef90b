"""Loopback helpers shared by the tests and benchmarks that attack a server: a port that counts
the connections it gets, a fake SPARQL endpoint, raw HTTP exchanges, and waiting for processes to
go. Everything listens on and connects to 127.0.0.1 only."""

from __future__ import annotations

import http.server
import json
import socket
import threading
import time
from contextlib import contextmanager


class CountingListener:
    """A TCP port on 127.0.0.1 that counts the connections it accepts (and answers nothing)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port, self.connections, self._open = self.sock.getsockname()[1], 0, True
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self):
        while self._open:
            try:
                connection, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            connection.close()

    def close(self):
        self._open = False
        self._thread.join()
        self.sock.close()


@contextmanager
def fake_sparql_endpoint():
    """A SPARQL endpoint on 127.0.0.1 answering every query with one binding ?x = <urn:from-service>;
    yields (its URL, the list of request bodies it received)."""
    received = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(self.rfile.read(int(self.headers.get("content-length", 0))))
            body = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": [
                {"x": {"type": "uri", "value": "urn:from-service"}}]}}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql", received
    finally:
        server.shutdown()
        server.server_close()


def exchange(port: int, data: bytes, wait: float = 5.0) -> tuple[bytes, float]:
    """Send ``data`` on a fresh connection to 127.0.0.1:``port``; return what came back until the
    server closed the connection (or ``wait`` seconds passed) and how long that took."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as connection:
        connection.sendall(data)
        received = b""
        try:
            while chunk := connection.recv(65536):
                received += chunk
        except OSError:
            pass
    return received, time.monotonic() - started


def gone(pid: int) -> bool:
    """True when the process ``pid`` no longer runs (exited, or a zombie nobody has reaped)."""
    import psutil

    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def wait_until(condition, seconds: float) -> bool:
    """Poll ``condition`` every 0.1 s for up to ``seconds``; return its last value."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()
