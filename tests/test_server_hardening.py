"""``profgraph serve`` under attack, through Starlette's test client on the curated data: SPARQL
SERVICE as a way to reach other machines, forged Host headers, redirects, missing security
headers, HEAD, formats that do not fit, queries nested deep enough to crash the engine, a flood
of slow queries, queries that eat memory, and many distinct path settings."""

from __future__ import annotations

import asyncio
import gc
import math
import threading
import time

import pytest

pytest.importorskip("starlette", reason="the server extra is not installed")

from loopback import CountingListener, fake_sparql_endpoint  # noqa: E402

from profgraph.errors import UsageError  # noqa: E402
from profgraph.web.app import ServerSettings  # noqa: E402
from profgraph.web.middleware import LimitRequests  # noqa: E402

from conftest import app_client, run  # noqa: E402

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
JSON_RESULTS = {"Accept": "application/sparql-results+json"}


@pytest.fixture(scope="module")
def client(curated):
    with app_client(curated, sparql_timeout=5.0, max_result_bytes=200_000) as test_client:
        yield test_client


@pytest.fixture
def listener():
    port = CountingListener()
    yield port
    port.close()


# ------------------------------------------------------------------ SERVICE (server-side request forgery)

@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE # a comment between\n <{url}> {{ ?s ?p ?o }} }}",
    "PREFIX far: <{base}> SELECT * WHERE {{ SERVICE far:sparql {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND(<{url}> AS ?where) SERVICE ?where {{ ?s ?p ?o }} }}",
    "ASK {{ {{ ?s ?p ?o }} UNION {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
])
def test_service_is_refused_and_nothing_is_contacted(client, listener, template):
    base = f"http://127.0.0.1:{listener.port}/"
    query = template.format(url=base + "sparql", base=base)
    for response in (client.get("/sparql", params={"query": query}, headers=JSON_RESULTS),
                     client.post("/sparql", content=query.encode(), headers={"Content-Type": "application/sparql-query"})):
        assert response.status_code == 403, response.text
        assert "SERVICE" in response.text and "refused" in response.text
    time.sleep(0.3)
    assert listener.connections == 0


def test_service_refusal_does_not_tell_open_ports_from_closed(client, listener):
    closed = CountingListener()
    closed_port = closed.port
    closed.close()

    def answer(port):
        response = client.get("/sparql", params={"query": f"ASK {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}"})
        return response.status_code, response.text.replace(str(port), "PORT")

    assert answer(listener.port) == answer(closed_port)


@pytest.mark.parametrize("query", [
    'SELECT ?o WHERE { ?s ?p ?o FILTER(?o = "SERVICE <http://127.0.0.1:1/>") } LIMIT 1',
    "SELECT ?s WHERE { ?s ?p ?o # SERVICE <http://127.0.0.1:1/> {\n} LIMIT 1",
    "SELECT ?service WHERE { ?service a <https://w3id.org/profgraph/ontology#SERVICE> } LIMIT 1",
])
def test_the_word_service_in_strings_comments_and_names_is_harmless(client, query):
    assert client.get("/sparql", params={"query": query}, headers=JSON_RESULTS).status_code == 200


def test_an_allowed_service_is_called(curated):
    with fake_sparql_endpoint() as (url, received):
        query = f"SELECT ?x WHERE {{ SERVICE <{url}> {{ ?x ?p ?o }} }}"
        with app_client(curated, allowed_services=(url,)) as allowed:
            response = allowed.get("/sparql", params={"query": query}, headers=JSON_RESULTS)
            assert response.status_code == 200, response.text
            assert response.json()["results"]["bindings"][0]["x"]["value"] == "urn:from-service"
            assert len(received) == 1
            other = allowed.get("/sparql", params={"query": query.replace("/sparql>", "/other>")})
            assert other.status_code == 403 and len(received) == 1


# ------------------------------------------------------------------ Host header and redirects

@pytest.mark.parametrize("host", ["evil.com", "evil.com:8000", "127.0.0.1.evil.com", "localhost.evil.com"])
def test_foreign_host_headers_are_refused(client, host):
    for path in ("/", "/ru/", "/api/search?q=a", "/sparql?query=ASK%7B%7D", "/ru"):
        response = client.get(path, headers={"Host": host}, follow_redirects=False)
        assert response.status_code == 400, (path, response.status_code)
        assert "location" not in response.headers


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.1:8000", "localhost:8000", "LOCALHOST", "[::1]:8000"])
def test_loopback_host_headers_are_served(client, host):
    assert client.get("/ru/", headers={"Host": host}).status_code == 200


def test_named_hosts_are_added_with_the_bound_address(curated):
    from profgraph.web.app import host_names

    assert host_names("0.0.0.0", ["profgraph.example.org"]) == ("127.0.0.1", "localhost", "[::1]",
                                                               "profgraph.example.org")
    assert "[fd00::1]" in host_names("fd00::1") and "10.0.0.5" in host_names("10.0.0.5")
    with app_client(curated, allowed_hosts=host_names("0.0.0.0", ["profgraph.example.org"])) as named:
        assert named.get("/ru/", headers={"Host": "profgraph.example.org"}).status_code == 200
        assert named.get("/ru/", headers={"Host": "evil.com"}).status_code == 400


def test_redirects_are_relative(client):
    for path, expected in (("/ru", "/ru/"), ("/kk", "/kk/"), ("/search?q=кассир", "/ru/search?q="),
                           ("/path?from=x", "/ru/path?from=x")):
        response = client.get(path, headers={"Host": "localhost:8000"}, follow_redirects=False)
        assert response.status_code in (302, 307), path
        assert response.headers["location"].startswith(expected), response.headers["location"]
    for path in ("/%2F%2Fevil.com", "/\\evil.com", "/fr", "/ru/sectors/"):  # "//evil.com": see test_serve_real
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 404 and "location" not in response.headers, path


# ------------------------------------------------------------------ headers on every response

@pytest.mark.parametrize("method, path, kwargs", [
    ("GET", "/", {}), ("GET", "/ru/profession/cashier", {}), ("GET", "/assets/graph.js", {}),
    ("GET", "/api/search?q=a", {}), ("GET", "/api/openapi.json", {}), ("GET", "/sparql?query=ASK%7B%7D", {}),
    ("GET", "/nowhere/at/all", {}), ("GET", "/sparql", {}), ("GET", "/ru", {}),
    ("GET", "/", {"headers": {"Host": "evil.com"}}),
    ("POST", "/sparql", {"content": b"x" * 100_000, "headers": {"Content-Type": "application/sparql-query"}}),
])
def test_security_headers_on_every_response(client, method, path, kwargs):
    response = client.request(method, path, follow_redirects=False, **kwargs)
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "default-src 'self'" in policy and "'unsafe-eval'" not in policy
    assert "script-src 'self';" in policy  # no inline script may run
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"


# ------------------------------------------------------------------ HEAD and formats

@pytest.mark.parametrize("path", ["/sparql?query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D", "/ru/", "/en/profession/cashier",
                                  "/api/search?q=cashier", "/assets/site.css"])
def test_head_answers_like_get_without_a_body(client, path):
    get, head = client.get(path), client.head(path)
    assert head.status_code == get.status_code == 200
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.content == b""


def test_format_that_does_not_fit_the_query_is_406(client):
    ask = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }", "format": "csv"})
    assert ask.status_code == 406
    assert "format=csv" in ask.text and "ASK" in ask.text and "json" in ask.text
    construct = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s a pg:Sector }", "format": "csv"})
    assert construct.status_code == 406 and "ttl" in construct.text
    select = client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s a pg:Sector }", "format": "csv"})
    assert select.status_code == 200 and select.headers["content-type"].startswith("text/csv")
    assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }", "format": "json"}).json()["boolean"] is True


# ------------------------------------------------------------------ queries that crash the engine

@pytest.mark.parametrize("query", [
    "SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000,
    "ASK { ?s ?p ?o FILTER(" + "(" * 5000 + "true" + ")" * 5000 + ") }",
    "SELECT * WHERE { " + "{ ?s ?p ?o } UNION " * 3000 + "{ ?s ?p ?o } }",
])
def test_deep_queries_get_400_and_the_endpoint_lives_on(client, query):
    response = client.post("/sparql", content=query.encode(), headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 400
    assert "at most" in response.text
    assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers=JSON_RESULTS).json()["boolean"] is True


# ------------------------------------------------------------------ starvation and memory

@pytest.mark.slow
def test_full_queue_answers_503_at_once_and_pages_do_not_wait(curated):
    with app_client(curated, sparql_timeout=4.0, sparql_workers=1, sparql_queue=1) as busy:
        answers = []

        def slow_query():
            answers.append(busy.get("/sparql", params={"query": CARTESIAN}).status_code)

        threads = [threading.Thread(target=slow_query) for _ in range(2)]
        for thread in threads:
            thread.start()
        time.sleep(1.0)  # one query runs, one waits
        started = time.monotonic()
        refused = busy.get("/sparql", params={"query": CARTESIAN})
        assert refused.status_code == 503 and time.monotonic() - started < 1.5
        assert int(refused.headers["retry-after"]) >= 1 and "queue" in refused.text
        started = time.monotonic()
        for path in ("/ru/", "/ru/profession/cashier", "/api/search?q=cashier"):
            assert busy.get(path).status_code == 200
        assert time.monotonic() - started < 2.0
        for thread in threads:
            thread.join(30)
        assert answers == [503, 503]  # both stopped by the timeout, the second after waiting its turn


def test_a_query_over_the_memory_cap_is_stopped_and_the_worker_replaced(curated):
    with app_client(curated, sparql_timeout=60.0, sparql_workers=1, sparql_memory_mb=700) as capped:
        started = time.monotonic()
        response = capped.get("/sparql", params={"query": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"})
        assert response.status_code == 503 and "memory" in response.text, response.text
        assert time.monotonic() - started < 50
        again = capped.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers=JSON_RESULTS)
        assert again.status_code == 200 and again.json()["boolean"] is True


def test_distinct_min_coverage_values_do_not_pile_up_graphs(client, curated):
    import networkx as nx

    def live_graphs() -> int:
        gc.collect()
        return sum(1 for item in gc.get_objects() if isinstance(item, nx.DiGraph))

    before = live_graphs()
    for step in range(60):
        response = client.get("/api/path", params={"from": "cashier", "to": "emerging",
                                                   "min_coverage": f"{0.01 + step * 0.015:.3f}"})
        assert response.status_code in (200, 404), response.text
    from profgraph.store import GRAPHS_KEPT

    assert live_graphs() - before <= GRAPHS_KEPT


# ------------------------------------------------------------------ slow bodies and settings

def test_a_body_that_never_finishes_gets_408():
    async def app(scope, receive, send):
        while (await receive()).get("more_body"):
            pass
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"read"})

    async def trickle():
        await asyncio.sleep(0.05)
        return {"type": "http.request", "body": b"A", "more_body": True}

    sent = []

    async def send(message):
        sent.append(message)

    async def run():
        scope = {"type": "http", "method": "POST", "path": "/sparql", "query_string": b"", "headers": []}
        started = time.monotonic()
        await LimitRequests(app, body_timeout=0.5)(scope, trickle, send)
        return time.monotonic() - started

    elapsed = asyncio.run(run())
    assert sent[0]["status"] == 408 and elapsed < 2.0


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "0", "-1", "3601"])
def test_serve_refuses_a_timeout_that_is_not_a_positive_finite_number(value):
    result = run("serve", "--sparql-timeout", value)
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "--sparql-timeout" in result.output, result.output
    with pytest.raises(UsageError):
        ServerSettings(sparql_timeout=float(value))
    assert math.isfinite(ServerSettings().sparql_timeout)
