"""A remote store that misbehaves: servers on 127.0.0.1 (tests/hostile_http.py) that trickle, send
garbage, cut answers short, never stop, or answer with error pages. Every operation stops at its one
deadline and its size cap, closes the connection, and ends in one error line."""

from __future__ import annotations

import time

import pytest

from profgraph.errors import UsageError
from profgraph.remote import (AnswerTooLarge, RemoteDataset, RemoteError, RemoteTimeout, count_triples,
                              execute_remote, RemoteEndpoint, read_graph)
from profgraph.sparql import QuerySyntaxError, QueryTimeout

from conftest import free_port, run
from hostile_http import HostileServer, graph_store_with_etag, login_required, serving_dataset


def one_error_line(result, exit_code: int = 1) -> str:
    assert result.exit_code == exit_code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert not any(char in result.output for char in "\x1b\x07\x00")
    return lines[0]


@pytest.mark.parametrize("behaviour", ["trickle", "trickle_status", "silent"])
def test_one_deadline_for_the_whole_answer(behaviour):
    with HostileServer(behaviour) as server:
        started = time.monotonic()
        with pytest.raises(RemoteTimeout, match="within 2 s"):
            count_triples(server.url, timeout=2)
        elapsed = time.monotonic() - started
        assert 1.9 < elapsed < 3.0
        time.sleep(1.2)  # the server notices the closed connection at its next write or check
        assert server.client_gone and server.client_gone[0] - started < 3.8


def test_sparql_timeout_stops_a_trickled_answer_on_time(monkeypatch):
    with HostileServer("trickle") as server:
        started = time.monotonic()
        result = run("sparql", "SELECT * WHERE { ?s ?p ?o }", "--endpoint", server.url,
                     "--timeout", "2")
        assert time.monotonic() - started < 3.0
        assert "query stopped after the 2 s timeout" in one_error_line(result, 3)


def test_the_size_cap_stops_reading_as_the_bytes_arrive():
    with HostileServer("endless") as server:
        started = time.monotonic()
        with pytest.raises(AnswerTooLarge, match="cap of 1048576 bytes"):
            execute_remote(RemoteEndpoint(server.url), "SELECT * WHERE { ?s ?p ?o }", timeout=20, max_bytes=1 << 20)
        assert time.monotonic() - started < 5
        time.sleep(0.5)
        assert server.client_gone  # the connection was closed, not drained
        assert server.bytes_sent < 16 << 20  # what the socket buffers held, not what the server could send


def test_a_graph_read_is_capped():
    with HostileServer("endless_ntriples") as server:
        with pytest.raises(AnswerTooLarge, match="larger than 2097152 bytes of N-Triples"):
            read_graph(server.url, max_bytes=2 << 20, timeout=20)
        assert server.bytes_sent < 32 << 20


@pytest.mark.parametrize("behaviour, message", [
    ("huge_declared", "is 1000000000000 bytes, over the cap"),
    ("gzip_bomb", "passed the cap of 1048576 bytes"),
])
def test_declared_and_compressed_sizes_count_against_the_cap(behaviour, message):
    with HostileServer(behaviour) as server:
        with pytest.raises(AnswerTooLarge, match=message):
            execute_remote(RemoteEndpoint(server.url), "ASK {}", timeout=20, max_bytes=1 << 20)


@pytest.mark.parametrize("behaviour, message", [
    ("garbage", "gave a broken HTTP answer: illegal status line"),
    ("truncated", "gave a broken HTTP answer: peer closed connection without sending complete message body"),
    ("truncated_chunked", "incomplete chunked read"),
    ("endless_headers", "gave a broken HTTP answer"),
    ("json_list", "gave an unreadable count (TypeError"),
    ("json_not_json", "gave an unreadable count (JSONDecodeError"),
    ("bad_ntriples", "answered with malformed N-Triples"),
    ("foreign_triples", "holds no profgraph professions"),
    ("broken_profgraph", "holds triples that are not a profgraph dataset"),
    ("html_error", "answered 500 Internal Server Error: Oops Internal \\x1b[2J\\x1b[31mServer Error stack frame"),
    ("html_not_found", "answered 404 Not Found: 404 Not Found nginx"),
    ("redirect_loop", "redirects too many times"),
    ("wrong_type", "answered with a web page, not SPARQL results"),
    ("unstable_pages", "its pages held 4 different triples of the 10 it counted"),
])
def test_bad_answers_to_a_reading_command_are_one_line(behaviour, message):
    with HostileServer(behaviour) as server:
        line = one_error_line(run("search", "кассир", "--endpoint", server.url))
    assert message in line
    assert len(line) < 400 and "<script" not in line and "alert" not in line


@pytest.mark.parametrize("behaviour, exit_code, message", [
    ("json_list", 1, "malformed SPARQL JSON results"),
    ("json_not_json", 1, "malformed SPARQL JSON results"),
    ("bad_ntriples", 1, "malformed N-Triples"),
    ("wrong_type", 1, "unexpected type 'text/html'"),
    ("bad_request", 2, "the server rejected the query: error at 1:8: expected a variable \\x1b[2J"),
    ("garbage", 1, "broken HTTP answer"),
])
def test_bad_answers_to_sparql_are_one_line_and_write_nothing(tmp_path, behaviour, exit_code, message):
    output = tmp_path / "result.json"
    with HostileServer(behaviour) as server:
        result = run("sparql", "SELECT * WHERE { ?s ?p ?o }", "--format", "json", "--endpoint",
                     server.url, "-o", str(output))
    assert message in one_error_line(result, exit_code)
    assert not output.exists()


def test_a_syntax_error_from_the_server_is_a_syntax_error():
    with HostileServer("bad_request") as server:
        with pytest.raises(QuerySyntaxError, match="rejected the query"):
            execute_remote(RemoteEndpoint(server.url), "SELECT", timeout=5)


@pytest.mark.parametrize("url", ["", "127.0.0.1:7878/store", "ftp://host/store", "http://", "http:// host/",
                                 "http://host:99999999/store", "http://host/\x1b[2J"])
def test_unusable_endpoint_urls_are_usage_errors(url):
    line = one_error_line(run("push", "--endpoint", url), 2)
    assert "not a usable endpoint URL" in line
    if url:  # an empty --endpoint (or PROFGRAPH_ENDPOINT) on a reading command means none: the local data
        line = one_error_line(run("search", "кассир", "--endpoint", url), 2)
        assert "not a usable endpoint URL" in line


def test_connection_refused_and_a_name_that_does_not_resolve():
    refused = f"http://127.0.0.1:{free_port()}/query"
    assert "cannot reach" in one_error_line(run("search", "кассир", "--endpoint", refused))
    assert "cannot reach" in one_error_line(run("push", "--endpoint", refused))
    # .invalid is reserved (RFC 6761): no resolver gives it an address
    assert "cannot reach" in one_error_line(run("search", "кассир", "--endpoint",
                                                "http://profgraph-test.invalid/query"))


def test_an_internationalised_host_name_is_sent_as_punycode(monkeypatch):
    with HostileServer("proxy_refusal") as proxy:  # a proxy on loopback sees the name, no lookup happens
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{proxy.port}")
        result = run("search", "кассир", "--endpoint", "http://пример.испытание/query")
        line = one_error_line(result)
        assert "answered 502 Bad Gateway" in line
        assert proxy.requests[0].startswith("POST http://xn--e1afmkfd.xn--80akhbyknj4f/query HTTP/1.1")


def test_push_to_a_misbehaving_server():
    with HostileServer("html_error") as server:
        line = one_error_line(run("push", "--endpoint", server.url.replace("/query", "/store")))
    assert "answered 500" in line
    with HostileServer("trickle") as server:
        started = time.monotonic()
        result = run("push", "--endpoint", server.url, env={"PROFGRAPH_REMOTE_TIMEOUT": "2"})
        assert "did not finish answering within 2 s" in one_error_line(result, 3)
        assert time.monotonic() - started < 4


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "0", "soon"])
def test_the_timeout_variable_is_checked(value):
    result = run("search", "кассир", "--endpoint", "http://127.0.0.1:9/query",
                 env={"PROFGRAPH_REMOTE_TIMEOUT": value})
    assert "PROFGRAPH_REMOTE_TIMEOUT must be a positive number" in one_error_line(result, 2)


@pytest.fixture
def proxy_app(curated):
    """The served app over the curated store, with its SPARQL sent to a hostile server set by the test."""
    from starlette.testclient import TestClient

    from profgraph.web.app import ServerSettings, create_app

    def make(url: str):
        dataset = RemoteDataset(curated.path, curated.manifest)
        dataset.endpoint, dataset.graph_iri = url, None
        settings = ServerSettings(sparql_timeout=2, max_result_bytes=1 << 20)
        return TestClient(create_app(dataset, settings), base_url="http://127.0.0.1")

    return make


@pytest.mark.parametrize("behaviour, status, message", [
    ("trickle", 503, "ran longer than the 2 s timeout"),
    ("silent", 503, "ran longer than the 2 s timeout"),
    ("endless", 400, "larger than 1048576 bytes"),
    ("garbage", 502, "broken HTTP answer"),
    ("html_error", 502, "answered 500"),
    ("bad_request", 400, "answered 400"),
    ("wrong_type", 502, "unknown type"),
])
def test_serve_endpoint_proxy_keeps_its_deadline_and_cap(proxy_app, behaviour, status, message):
    with HostileServer(behaviour) as server:
        client = proxy_app(server.url)
        started = time.monotonic()
        response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"},
                              headers={"Accept": "application/sparql-results+json"})
        assert time.monotonic() - started < 3.0
        assert response.status_code == status and message in response.text
        assert "\n" not in response.text.strip() and "\x1b" not in response.text
        if behaviour == "endless":
            assert server.bytes_sent < 16 << 20
        if behaviour in ("trickle", "silent"):
            time.sleep(1.0)
            assert server.client_gone  # the proxied query's connection was closed: nothing waits for it


def test_a_remote_error_keeps_the_status():
    with HostileServer("html_not_found") as server:
        with pytest.raises(RemoteError) as caught:
            count_triples(server.url, timeout=5)
    assert caught.value.status == 404 and caught.value.detail == "404 Not Found nginx"


def test_a_non_finite_timeout_is_refused_before_asking():
    with pytest.raises(UsageError):
        execute_remote(RemoteEndpoint("http://127.0.0.1:9/query"), "ASK {}", timeout=float("nan"))
    with pytest.raises(UsageError):
        execute_remote(RemoteEndpoint("http://127.0.0.1:9/query"), "ASK {}", timeout=float("inf"))
    with pytest.raises(QueryTimeout):
        with HostileServer("silent") as server:
            execute_remote(RemoteEndpoint(server.url), "ASK {}", timeout=0.5)


# ----------------------------------------------------------------------------- bad input, push and reading alike
# Every remote operation stops within PROFGRAPH_REMOTE_TIMEOUT (3 s here) with one error line.

READING = ["search", "кассир", "--endpoint", "{url}"]
PUSHING = ["push", "--endpoint", "{store}", "--graph", "https://example.org/graph/x"]


@pytest.mark.parametrize("command", [READING, PUSHING], ids=["reading", "push"])
@pytest.mark.parametrize("situation, exit_code, message", [
    ("unreachable", 1, "cannot reach"),
    ("silent", 3, "did not finish answering within 3 s"),
    ("wrong_type", 1, "with a web page"),
    ("garbage", 1, "gave a broken HTTP answer"),
    ("wrong password", 1, "answered 401 Unauthorized: 401 Unauthorized; the user name and password, or the token, "
                          "were refused"),
    ("no password", 1, "answered 401 Unauthorized: 401 Unauthorized; the server asks for credentials: --user NAME "
                       "with PROFGRAPH_PASSWORD, or a token in PROFGRAPH_TOKEN"),
])
def test_bad_input_is_one_line_within_the_deadline(command, situation, exit_code, message):
    env = {"PROFGRAPH_REMOTE_TIMEOUT": "3"}
    behaviour = {"unreachable": "silent", "wrong password": login_required("Basic eDp5", "graph_store"),
                 "no password": login_required("Basic eDp5", "graph_store")}.get(situation, situation)
    args = list(command)
    if situation == "wrong password":
        args += ["--user", "reader"]
        env["PROFGRAPH_PASSWORD"] = "wrong"
    with HostileServer(behaviour) as server:
        url = server.url if situation != "unreachable" else f"http://127.0.0.1:{free_port()}/query"
        args = [part.replace("{url}", url).replace("{store}", url.replace("/query", "/store")) for part in args]
        started = time.monotonic()
        line = one_error_line(run(*args, env=env), exit_code)
        assert time.monotonic() - started < 4.5
    assert message in line


def test_credentials_go_only_to_a_server_that_asks_and_in_its_scheme(curated_lines):
    basic = "Basic cmVhZGVyOnMzY3JldCDQv9Cw0YDQvtC70Yw="  # reader:s3cret пароль, UTF-8
    with HostileServer(login_required(basic, serving_dataset(curated_lines, "html_not_found"))) as server:
        result = run("search", "кассир", "--format", "json", "--endpoint", server.url, "--user",
                     "reader", env={"PROFGRAPH_PASSWORD": "s3cret пароль"})
        assert result.exit_code == 0, result.output
        assert "Authorization" not in server.requests[0]  # nothing is sent before the server asks
        assert all(f"Authorization: {basic}" in request for request in server.requests[1:])


def test_a_bearer_token_is_sent_with_every_request(curated_lines):
    with HostileServer(login_required("Bearer t0ken-1", serving_dataset(curated_lines, "html_not_found"))) as server:
        result = run("search", "кассир", "--format", "json", "--endpoint", server.url,
                     env={"PROFGRAPH_TOKEN": "t0ken-1"})
        assert result.exit_code == 0, result.output
        assert all("Authorization: Bearer t0ken-1" in request for request in server.requests)
        line = one_error_line(run("search", "кассир", "--endpoint", server.url, env={"PROFGRAPH_TOKEN": "wrong"}))
        assert "answered 401" in line and "were refused" in line


def test_credentials_do_not_follow_a_redirect_to_another_origin():
    from hostile_http import Link, _head

    with HostileServer("html_not_found") as elsewhere:
        def redirect(link: Link) -> None:
            link.send(_head("307 Temporary Redirect", "text/plain",
                            f"Location: http://127.0.0.1:{elsewhere.port}/query\r\nContent-Length: 0\r\n"))

        with HostileServer(redirect) as server:
            for env in ({"PROFGRAPH_TOKEN": "t0ken-1"}, {"PROFGRAPH_USER": "reader", "PROFGRAPH_PASSWORD": "x"}):
                line = one_error_line(run("search", "кассир", "--endpoint", server.url, env=env))
                assert "answered 404" in line
        assert "Authorization: Bearer t0ken-1" in server.requests[0]
        assert elsewhere.requests and not any("Authorization" in request for request in elsewhere.requests)


@pytest.mark.parametrize("env, message", [
    ({"PROFGRAPH_USER": "reader", "PROFGRAPH_PASSWORD": "x", "PROFGRAPH_TOKEN": "t"}, "not both"),
    ({"PROFGRAPH_USER": "reader"}, "no password for user 'reader': set PROFGRAPH_PASSWORD"),
    ({"PROFGRAPH_USER": "a:b", "PROFGRAPH_PASSWORD": "x"}, "not a usable user name"),
    ({"PROFGRAPH_TOKEN": "two words"}, "PROFGRAPH_TOKEN must be one word"),
])
def test_unusable_credentials_are_usage_errors(env, message):
    for args in (["search", "кассир", "--endpoint", "http://127.0.0.1:9/query"],
                 ["push", "--endpoint", "http://127.0.0.1:9/store"]):
        assert message in one_error_line(run(*args, env=env, input=""), 2)


@pytest.fixture(scope="module")
def curated_lines(curated) -> list[bytes]:
    """The curated dataset as N-Triples lines, as a server holding it sends them."""
    from pyoxigraph import RdfFormat, serialize

    return serialize([quad.triple for quad in curated.rdf], format=RdfFormat.N_TRIPLES).splitlines(keepends=True)


def test_a_server_that_cuts_answers_short_is_read_in_pages(curated, curated_lines):
    from profgraph.remote import open_remote

    with HostileServer(serving_dataset(curated_lines, "html_not_found", max_rows=10_000)) as server:
        dataset = open_remote(server.url)
        pages = [request for request in server.requests if "OFFSET" in request]
    assert dataset.manifest["triples"] == len(curated_lines)
    assert len(pages) == -(-len(curated_lines) // 10_000) and not any("ORDER" in page for page in pages)
    assert dataset.model.professions.keys() == curated.model.professions.keys()


def test_an_etag_spares_sending_the_graph_again(curated, curated_lines):
    from profgraph.remote import open_remote

    graph = {"lines": curated_lines, "etag": '"v1"'}
    with HostileServer(graph_store_with_etag(graph)) as server:
        first = open_remote(server.url)
        sent = server.bytes_sent
        again = open_remote(server.url)
        assert server.bytes_sent - sent < 10_000  # a count and a 304, not the graph
        assert 'If-None-Match: "v1"' in server.requests[-1]
        assert (again.manifest["current"], again.manifest["etag"]) == (first.manifest["current"], '"v1"')
        graph["lines"] = [line.replace(b'"0.9311616472"', b'"0.5"') for line in curated_lines]
        assert graph["lines"] != curated_lines
        graph["etag"] = '"v2"'
        changed = open_remote(server.url)
    assert changed.manifest["current"] != first.manifest["current"] and changed.manifest["etag"] == '"v2"'
    assert changed.model.professions["cashier"].measures.automation_percentile == 0.5


def test_push_sends_bounded_chunks_that_add_up_to_the_dataset(curated):
    from pyoxigraph import RdfFormat, parse

    from profgraph.push import push

    with HostileServer("graph_store") as server:
        result = push(curated, server.url.replace("/query", "/store"), chunk_bytes=64 * 1024)
    methods = [request.split(" ", 1)[0] for request in server.requests]
    assert methods[0] == "PUT" and set(methods[1:]) == {"POST"} and len(methods) > 100
    assert all("no_transaction" in request.split("\r\n", 1)[0] for request in server.requests[1:])
    bodies = [request.split("\r\n\r\n", 1)[1].encode() for request in server.requests]
    assert bodies[0] == b"" and max(len(body) for body in bodies) <= 64 * 1024
    sent = {quad.triple for body in bodies for quad in parse(body, format=RdfFormat.N_TRIPLES)}
    assert result.triples == len(sent) == len(curated.rdf) and sent == {quad.triple for quad in curated.rdf}
