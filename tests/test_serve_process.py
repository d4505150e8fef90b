"""``profgraph serve`` and ``profgraph sparql --timeout`` as real processes: raw HTTP that a test
client cannot send (half-sent requests, ``//host`` paths, HEAD on the wire), and query processes
that must die with their parent however it is stopped (SIGTERM, SIGHUP, SIGKILL)."""

from __future__ import annotations

import http.client
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from conftest import child_environment, free_port
from loopback import exchange, gone, wait_until

psutil = pytest.importorskip("psutil", reason="psutil (test extra) is needed to watch child processes")
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="process checks read Linux /proc")

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def start_profgraph(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "profgraph", *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=child_environment())


def start_server(*args: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = start_profgraph("serve", "--port", str(port), *args)
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/openapi.json", timeout=2).read()
            return process, port
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise AssertionError(process.stderr.read().decode()) from None
            time.sleep(0.1)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()
    process.wait(10)


def children(pid: int) -> list[int]:
    return [child.pid for child in psutil.Process(pid).children(recursive=True)]


@pytest.fixture(scope="module")
def server(curated):
    process, port = start_server("--request-timeout", "1.5", "--sparql-timeout", "3")
    yield port
    process.terminate()
    process.wait(10)


def test_half_sent_requests_are_closed_after_the_request_timeout(server):
    received, seconds = exchange(server, b"GET /ru/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ", wait=10)
    assert received == b"" and 1.0 < seconds < 5.0
    received, seconds = exchange(server, b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                         b"Content-Type: application/sparql-query\r\nContent-Length: 400\r\n\r\nASK", wait=10)
    assert received.startswith(b"HTTP/1.1 408") and seconds < 5.0
    received, seconds = exchange(server, b"", wait=10)  # connected, said nothing
    assert received == b"" and seconds < 5.0


def test_a_trickled_body_nobody_reads_does_not_hold_the_connection(server):
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", server), timeout=10) as connection:
        connection.sendall(b"GET /api/openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n")
        while time.monotonic() - started < 10:
            try:
                connection.sendall(b"x")
                if select.select([connection], [], [], 0.3)[0] and connection.recv(65536) == b"":
                    break  # closed by the server
            except OSError:  # reset by the server
                break
    assert time.monotonic() - started < 6.0


def test_keep_alive_requests_within_the_deadline_are_served(server):
    connection = http.client.HTTPConnection("127.0.0.1", server, timeout=10)
    for _ in range(4):
        connection.request("GET", "/api/openapi.json")
        assert connection.getresponse().read()
        time.sleep(0.8)  # under the 1.5 s head deadline, under the 5 s keep-alive
    connection.close()


def test_head_on_the_wire_has_no_body(server):
    for path in (b"/sparql?query=ASK%7B%7D", b"/ru/", b"/ru/profession/cashier"):
        received, _ = exchange(server, b"HEAD " + path + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        head, _, body = received.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200") and body == b"", path
        assert b"content-security-policy:" in head.lower()


@pytest.mark.parametrize("request_line, host", [
    (b"GET //evil.com HTTP/1.1", b"127.0.0.1"), (b"GET //evil.com/ru HTTP/1.1", b"127.0.0.1"),
    (b"GET /ru HTTP/1.1", b"evil.com"), (b"GET /ru HTTP/1.1", b"localhost:1"),
])
def test_no_redirect_leads_to_another_host(server, request_line, host):
    received, _ = exchange(server, request_line + b"\r\nHost: " + host + b"\r\nConnection: close\r\n\r\n")
    head = received.partition(b"\r\n\r\n")[0].lower()
    locations = [line for line in head.split(b"\r\n") if line.startswith(b"location:")]
    assert all(location == b"location: /ru/" for location in locations), head


def test_pages_answer_while_slow_queries_flood_the_endpoint(server):
    query = urllib.parse.quote(CARTESIAN)
    statuses = []

    def slow():
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{server}/sparql?query={query}", timeout=60).read()
            statuses.append(200)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)

    flood = [threading.Thread(target=slow) for _ in range(30)]
    for thread in flood:
        thread.start()
    time.sleep(1.0)
    latencies = []
    for _ in range(10):
        started = time.monotonic()
        urllib.request.urlopen(f"http://127.0.0.1:{server}/ru/profession/cashier", timeout=30).read()
        latencies.append(time.monotonic() - started)
    for thread in flood:
        thread.join(60)
    assert max(latencies) < 2.0, latencies
    assert statuses.count(503) == 30  # refused at once when the queue is full, or stopped by the timeout


# ------------------------------------------------------------------ no orphans

@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGHUP, signal.SIGKILL], ids=lambda how: how.name)
def test_killing_sparql_with_a_timeout_kills_its_query_process(curated, how):
    process = start_profgraph("sparql", "--timeout", "120", CARTESIAN)
    try:
        assert wait_until(lambda: children(process.pid), 30), "the query process never started"
        time.sleep(0.5)  # let it get into the query
        query_processes = children(process.pid)
        process.send_signal(how)
        process.wait(10)
        assert wait_until(lambda: all(gone(pid) for pid in query_processes), 5), query_processes
        if how != signal.SIGKILL:
            assert process.returncode == 128 + how and b"Traceback" not in process.stderr.read()
    finally:
        stop(process)


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGHUP, signal.SIGKILL], ids=lambda how: how.name)
def test_killing_serve_kills_its_query_workers(curated, how):
    process, port = start_server("--sparql-timeout", "120")
    try:
        query = urllib.parse.quote(CARTESIAN)
        threading.Thread(target=lambda: _ignore_errors(f"http://127.0.0.1:{port}/sparql?query={query}"),
                         daemon=True).start()
        assert wait_until(lambda: len(children(process.pid)) >= 2, 30), "the query workers never started"
        workers = children(process.pid)
        process.send_signal(how)
        process.wait(15)
        assert wait_until(lambda: all(gone(pid) for pid in workers), 5), workers
        if how != signal.SIGKILL:  # an orderly exit: the signal's status, no traceback
            assert process.returncode == 128 + how
            assert "Traceback" not in process.stderr.read().decode()
    finally:
        stop(process)


def _ignore_errors(url: str) -> None:
    try:
        urllib.request.urlopen(url, timeout=60).read()
    except OSError:
        pass
