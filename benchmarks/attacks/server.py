"""Attacks on ``profgraph serve`` (and the SPARQL query path it shares with ``profgraph sparql`` and
``profgraph.query``), replayed against real processes on 127.0.0.1.

One ``profgraph serve`` runs for the whole area on a free loopback port, with ``PYTHONPATH`` at the
repository's ``src`` and its own store cache (``PROFGRAPH_CACHE``) in a temporary folder; the
orphan cases start their own. Every request goes to 127.0.0.1 only, and every case is bounded in
requests and time. A case is *handled* when the server answers what it should (a refusal with the
right status and a message, the connection closed in time, no process left behind) and keeps
answering afterwards; no case touches user files, so none can lose data.

``FIGURES``: the peak resident memory of the server process through every attack (the 150
distinct ``min_coverage`` values and the cartesian ORDER BY among them; target < 500 MB), the peak
of one SPARQL worker (held under its ``--sparql-memory`` cap), and the p95 latency of pages while
45 slow SPARQL queries are sent at once (target < 200 ms).
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from . import Case, Outcome

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))
from loopback import CountingListener, exchange, gone, wait_until  # noqa: E402
CARTESIAN_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CARTESIAN_ORDER = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"
DEEP = "SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000
SPARQL_TIMEOUT = 15  # seconds, the attacked server's --sparql-timeout
REQUEST_TIMEOUT = 2  # seconds, its --request-timeout
MEMORY_MB = 1024  # its --sparql-memory (the default)
PAGES = ["/ru/", "/ru/profession/cashier", "/en/profession/cashier", "/kk/sectors", "/ru/search?q=%D0%BA%D0%B0%D1%81"]

_state: dict = {"server": None, "peak_rss": 0, "peak_worker_rss": 0, "page_p95": None}


# ----------------------------------------------------------------------------- processes

def _environment() -> dict:
    if "cache" not in _state:
        _state["cache"] = tempfile.mkdtemp(prefix="profgraph-attack-server-")
        atexit.register(shutil.rmtree, _state["cache"], True)
    return {**os.environ, "PYTHONPATH": str(REPO / "src"), "PROFGRAPH_CACHE": _state["cache"]}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _profgraph(*args: str, **options) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "profgraph", *args], env=_environment(), **options)


def _run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "profgraph", *args], env=_environment(), capture_output=True,
                          text=True, timeout=timeout)


class Server:
    """A ``profgraph serve`` child on a free loopback port, with a thread sampling its memory."""

    def __init__(self, *args: str):
        self.port = _free_port()
        self.process = _profgraph("serve", "--port", str(self.port), *args, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(self.url("/api/openapi.json"), timeout=2).read()
                break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("the server did not start: " + self.process.stderr.read().decode()[-500:])
                time.sleep(0.2)
        self._sampling = True
        threading.Thread(target=self._sample, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def workers(self) -> list[int]:
        import psutil

        try:
            return [child.pid for child in psutil.Process(self.process.pid).children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def _sample(self) -> None:
        import psutil

        try:
            server = psutil.Process(self.process.pid)
        except psutil.NoSuchProcess:
            return
        while self._sampling:
            try:
                _state["peak_rss"] = max(_state["peak_rss"], server.memory_info().rss)
                for child in server.children(recursive=True):
                    _state["peak_worker_rss"] = max(_state["peak_worker_rss"], child.memory_info().rss)
            except psutil.Error:
                pass
            time.sleep(0.05)

    def stop(self) -> None:
        self._sampling = False
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def server() -> Server:
    """The area's shared server, started on first use and stopped when the driver exits."""
    if _state["server"] is None:
        _state["server"] = Server("--sparql-timeout", str(SPARQL_TIMEOUT), "--request-timeout", str(REQUEST_TIMEOUT),
                                  "--sparql-memory", str(MEMORY_MB))
        atexit.register(_state["server"].stop)
    return _state["server"]


def get(path: str, headers: dict | None = None, method: str = "GET", body: bytes | None = None,
        timeout: float = 60) -> tuple[int, dict, bytes]:
    """Return (status, headers, body) of one request to the shared server (an HTTP error is an answer)."""
    request = urllib.request.Request(server().url(path), data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def sparql(query: str, timeout: float = 60, **params) -> tuple[int, dict, bytes]:
    return get("/sparql?" + urllib.parse.urlencode({"query": query, **params}),
               {"Accept": "application/sparql-results+json"}, timeout=timeout)


def raw(data: bytes, wait: float = 10.0) -> tuple[bytes, float]:
    """Send raw bytes to the shared server on a fresh connection (see :func:`loopback.exchange`)."""
    return exchange(server().port, data, wait)


def still_serving() -> bool:
    status, _, body = sparql("ASK { ?s ?p ?o }")
    return status == 200 and json.loads(body)["boolean"] is True and get("/ru/")[0] == 200


def outcome(checks: dict) -> Outcome:
    """Handled when every named check holds; the detail names those that failed."""
    failed = [name for name, passed in checks.items() if not passed]
    return Outcome(not failed, False, "failed: " + ", ".join(failed) if failed else "")


# ----------------------------------------------------------------------------- SERVICE (SSRF)

def service_to_an_open_port(_: Path) -> Outcome:
    listener = CountingListener()
    try:
        status, _, body = sparql(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/admin> {{ ?s ?p ?o }} }}")
        time.sleep(0.5)
        return outcome({"403": status == 403, "says SERVICE is refused": b"refused" in body,
                        "no connection made": listener.connections == 0})
    finally:
        listener.close()


def service_as_a_port_scanner(_: Path) -> Outcome:
    listener = CountingListener()
    closed = CountingListener()
    closed_port = closed.port
    closed.close()
    try:
        answers = []
        for port in (listener.port, closed_port, 1, 22):
            status, _, body = sparql(f"ASK {{ SERVICE SILENT <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}")
            answers.append((status, body.replace(f":{port}/".encode(), b":PORT/")))
        return outcome({"one answer for open and closed ports": len(set(answers)) == 1,
                        "refused": answers[0][0] == 403, "no connection made": listener.connections == 0})
    finally:
        listener.close()


def service_in_disguise(_: Path) -> Outcome:
    listener = CountingListener()
    base = f"http://127.0.0.1:{listener.port}/"
    disguises = [
        f"select * where {{ service <{base}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE # comment\n <{base}> {{ ?s ?p ?o }} }}",
        f"PREFIX x: <{base}> SELECT * WHERE {{ SERVICE x:q {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{base}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ {{ SERVICE <{base}> {{ ?s ?p ?x }} }} }} }}",
    ]
    try:
        statuses = [sparql(query)[0] for query in disguises]
        posted = get("/sparql", {"Content-Type": "application/sparql-query"}, "POST", disguises[0].encode())[0]
        time.sleep(0.5)
        return outcome({"every disguise refused": statuses == [403] * len(disguises), "POST refused": posted == 403,
                        "no connection made": listener.connections == 0})
    finally:
        listener.close()


# ----------------------------------------------------------------------------- Host header, redirects

def forged_host_header(_: Path) -> Outcome:
    answers = {path: get(path, {"Host": "evil.com"}) for path in ("/", "/ru", "/ru/", "/api/search?q=a")}
    return outcome({"every path 400": all(status == 400 for status, _, _ in answers.values()),
                    "no redirect": not any("location" in headers for _, headers, _ in answers.values())})


def missing_slash_redirect(_: Path) -> Outcome:
    checks = {}
    for request_line, host in ((b"GET /ru", b"localhost:%d" % server().port), (b"GET /kk", b"127.0.0.1"),
                               (b"GET //evil.com", b"127.0.0.1"), (b"GET //evil.com/ru", b"127.0.0.1"),
                               (b"GET /ru", b"evil.com")):
        received, _ = raw(request_line + b" HTTP/1.1\r\nHost: " + host + b"\r\nConnection: close\r\n\r\n")
        head = received.partition(b"\r\n\r\n")[0].lower().split(b"\r\n")
        locations = [line.split(b":", 1)[1].strip() for line in head if line.startswith(b"location:")]
        checks[f"{request_line.decode()} Host {host.decode()}: relative or none"] = all(
            location.startswith(b"/") and not location.startswith(b"//") for location in locations)
    return outcome(checks)


# ----------------------------------------------------------------------------- memory

def distinct_min_coverage_values(_: Path) -> Outcome:
    statuses = []
    for step in range(150):
        query = urllib.parse.urlencode({"from": "кассир", "to": "emerging", "min_coverage": f"{0.01 + step * 0.0066:.4f}"})
        statuses.append(get(f"/api/path?{query}", timeout=120)[0])
    return outcome({"every answer 200 or 404": set(statuses) <= {200, 404},
                    "server RSS under 500 MB": _state["peak_rss"] < 500 * 2 ** 20, "still serving": still_serving()})


def cartesian_order_by(_: Path) -> Outcome:
    started = time.monotonic()
    status, _, body = sparql(CARTESIAN_ORDER, timeout=SPARQL_TIMEOUT + 30)
    return outcome({"503": status == 503, "says memory or timeout": b"memory" in body or b"timeout" in body,
                    "within the timeout": time.monotonic() - started < SPARQL_TIMEOUT + 10,
                    "worker under its cap": _state["peak_worker_rss"] < MEMORY_MB * 2 ** 20,
                    "still serving": still_serving()})


def endless_query(_: Path) -> Outcome:
    started = time.monotonic()
    status, _, body = sparql(CARTESIAN_COUNT, timeout=SPARQL_TIMEOUT + 30)
    return outcome({"503 timeout": status == 503 and b"timeout" in body,
                    "stopped in time": time.monotonic() - started < SPARQL_TIMEOUT + 10, "still serving": still_serving()})


# ----------------------------------------------------------------------------- crashes

def five_thousand_braces(_: Path) -> Outcome:
    status, _, body = get("/sparql", {"Content-Type": "application/sparql-query"}, "POST", DEEP.encode())
    command = _run("sparql", DEEP)
    with_timeout = _run("sparql", "--timeout", "30", DEEP)
    library = subprocess.run([sys.executable, "-c", "import profgraph\nfrom profgraph.sparql import QueryTooComplex\n"
                              f"try:\n    profgraph.query({DEEP!r})\nexcept QueryTooComplex as e:\n    print('refused')"],
                             env=_environment(), capture_output=True, text=True, timeout=120)
    return outcome({"server 400": status == 400 and b"at most" in body, "server still serving": still_serving(),
                    "sparql exit 2, one line": command.returncode == 2 and command.stderr.count("\n") == 1,
                    "sparql --timeout exit 2": with_timeout.returncode == 2,
                    "query() raises": library.returncode == 0 and library.stdout.strip() == "refused"})


# ----------------------------------------------------------------------------- HTTP hygiene

def head_requests(_: Path) -> Outcome:
    checks = {}
    for path in (b"/sparql?query=ASK%7B%7D", b"/ru/", b"/en/profession/cashier", b"/api/search?q=a"):
        received, _ = raw(b"HEAD " + path + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        head, _, body = received.partition(b"\r\n\r\n")
        checks[f"HEAD {path.decode()}: 200 without body"] = head.startswith(b"HTTP/1.1 200") and body == b""
    return outcome(checks)


def missing_security_headers(_: Path) -> Outcome:
    checks = {}
    for path in ("/", "/ru/profession/cashier", "/assets/graph.js", "/api/search?q=a", "/sparql?query=ASK%7B%7D",
                 "/no/such/page"):
        _, headers, _ = get(path)
        checks[path] = ("frame-ancestors 'none'" in headers.get("content-security-policy", "")
                        and headers.get("x-content-type-options") == "nosniff"
                        and headers.get("x-frame-options") == "DENY")
    return outcome(checks)


def half_sent_requests(_: Path) -> Outcome:
    head, head_seconds = raw(b"GET /ru/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ", wait=REQUEST_TIMEOUT + 8)
    body, body_seconds = raw(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                             b"Content-Length: 1000\r\n\r\nASK {", wait=REQUEST_TIMEOUT + 8)
    silent, silent_seconds = raw(b"", wait=REQUEST_TIMEOUT + 8)
    return outcome({"half a head: closed in time": head == b"" and head_seconds < REQUEST_TIMEOUT + 3,
                    "half a body: 408 in time": body.startswith(b"HTTP/1.1 408") and body_seconds < REQUEST_TIMEOUT + 3,
                    "nothing sent: closed in time": silent == b"" and silent_seconds < REQUEST_TIMEOUT + 3})


def csv_for_ask(_: Path) -> Outcome:
    status, _, body = sparql("ASK { ?s ?p ?o }", format="csv")
    return outcome({"406": status == 406, "says which formats fit": b"json" in body and b"ASK" in body})


def bad_timeouts(_: Path) -> Outcome:
    checks = {}
    for value in ("nan", "inf", "0", "-1"):
        served = _run("serve", "--port", str(_free_port()), "--sparql-timeout", value, timeout=60)
        checks[f"serve --sparql-timeout {value}"] = served.returncode == 2 and served.stderr.count("\n") == 1
        queried = _run("sparql", "--timeout", value, "ASK { ?s ?p ?o }", timeout=60)
        checks[f"sparql --timeout {value}"] = queried.returncode == 2 and queried.stderr.count("\n") == 1
    return outcome(checks)


# ----------------------------------------------------------------------------- starvation

def slow_query_flood(_: Path) -> Outcome:
    statuses, latencies = [], []

    def slow():
        statuses.append(sparql(CARTESIAN_COUNT, timeout=SPARQL_TIMEOUT * 3)[0])

    flood = [threading.Thread(target=slow) for _ in range(45)]
    for thread in flood:
        thread.start()
    time.sleep(0.5)
    flood_started = time.monotonic()
    while time.monotonic() - flood_started < SPARQL_TIMEOUT - 2:
        for path in PAGES:
            started = time.monotonic()
            status, _, _ = get(path)
            latencies.append((time.monotonic() - started, status))
        time.sleep(0.05)
    for thread in flood:
        thread.join(SPARQL_TIMEOUT * 3)
    ordered = sorted(seconds for seconds, _ in latencies)
    _state["page_p95"] = ordered[int(0.95 * (len(ordered) - 1))]
    return outcome({"every page 200": all(status == 200 for _, status in latencies),
                    "page p95 under 200 ms": _state["page_p95"] < 0.2,
                    "every query answered (503 when the queue is full or time is up)": len(statuses) == 45
                    and set(statuses) <= {200, 503}, "still serving": still_serving()})


# ----------------------------------------------------------------------------- orphans

def _orphan_case(how: signal.Signals, serve: bool) -> Outcome:
    import psutil

    if serve:
        target = Server("--sparql-timeout", "120")
        parent = target.process
        threading.Thread(target=lambda: _quietly(target.url("/sparql?" + urllib.parse.urlencode(
            {"query": CARTESIAN_COUNT}))), daemon=True).start()
    else:
        parent = _profgraph("sparql", "--timeout", "120", CARTESIAN_COUNT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    try:
        started = wait_until(lambda: len(psutil.Process(parent.pid).children()) >= (2 if serve else 1), 60)
        time.sleep(0.5)
        children = [child.pid for child in psutil.Process(parent.pid).children(recursive=True)]
        parent.send_signal(how)
        parent.wait(20)
        return outcome({"query process started": started and bool(children),
                        "no query process left": wait_until(lambda: all(gone(pid) for pid in children), 5)})
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        if serve:
            target.stop()


def _quietly(url: str) -> None:
    try:
        urllib.request.urlopen(url, timeout=130).read()
    except OSError:
        pass


# ----------------------------------------------------------------------------- figures

def peak_server_rss():
    return ("peak server RSS, all attacks (MB)", f"{_state['peak_rss'] / 2 ** 20:.0f}", "< 500")


def peak_worker_rss():
    return ("peak RSS of one SPARQL worker (MB)", f"{_state['peak_worker_rss'] / 2 ** 20:.0f}", f"< {MEMORY_MB} (cap)")


def page_p95_under_queued_queries():
    value = _state["page_p95"]
    return ("page p95 while 45 slow queries are sent (ms)", "n/a" if value is None else f"{value * 1000:.0f}", "< 200")


def _case(name: str, run) -> Case:
    return Case("server", name, run)


CASES = [
    _case("SERVICE to an open local port", service_to_an_open_port),
    _case("SERVICE as a port scanner (open vs closed)", service_as_a_port_scanner),
    _case("SERVICE in disguise (case, comments, prefix, variable, nested)", service_in_disguise),
    _case("Host: evil.com (DNS rebinding)", forged_host_header),
    _case("missing-slash redirect and //host paths", missing_slash_redirect),
    _case("150 distinct min_coverage values", distinct_min_coverage_values),
    _case("cartesian ORDER BY (memory)", cartesian_order_by),
    _case("endless cartesian COUNT (timeout)", endless_query),
    _case("5,000 nested braces (server, sparql, query())", five_thousand_braces),
    _case("HEAD on /sparql and pages", head_requests),
    _case("security headers on every response", missing_security_headers),
    _case("half-sent request head, half-sent body, silent connection", half_sent_requests),
    _case("format=csv on ASK", csv_for_ask),
    _case("timeouts nan, inf, 0, -1 (serve and sparql)", bad_timeouts),
    _case("45 slow SPARQL queries at once, pages meanwhile", slow_query_flood),
    *(_case(f"kill sparql --timeout with {how.name}", lambda _, how=how: _orphan_case(how, serve=False))
      for how in (signal.SIGTERM, signal.SIGHUP, signal.SIGKILL)),
    *(_case(f"kill serve with {how.name}", lambda _, how=how: _orphan_case(how, serve=True))
      for how in (signal.SIGTERM, signal.SIGHUP, signal.SIGKILL)),
]
FIGURES = [peak_server_rss, peak_worker_rss, page_p95_under_queued_queries]
