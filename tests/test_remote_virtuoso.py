"""``push`` and ``--endpoint`` against Virtuoso 7.2 (Debian's ``virtuoso-opensource``), a private
instance on free loopback ports (tests/virtuoso.py) with Debian's result limit of 10,000 rows:
the dataset is pushed with a login (HTTP Digest) and read back in pages, and the reading commands
and the example queries give the embedded answers."""

from __future__ import annotations

import json

import pytest

from profgraph.vocab import DATA_GRAPH

from conftest import run, run_ok
from remote_checks import COMMANDS, remote_answer, same_answer, same_card
from test_example_queries import CHECKS, QUERIES, tables  # noqa: F401 - tables: the checks' fixture
from virtuoso import DEBIAN_MAX_ROWS, MISSING, private_virtuoso

if MISSING:
    pytest.skip(MISSING, allow_module_level=True)


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    with private_virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


@pytest.fixture(scope="module")
def login(virtuoso) -> dict:
    """The environment of a command that logs in to the Virtuoso as its writer."""
    return {"PROFGRAPH_USER": virtuoso.user, "PROFGRAPH_PASSWORD": virtuoso.password}


@pytest.fixture(scope="module")
def pushed(virtuoso, login, curated) -> dict:
    """The curated dataset pushed without --graph (Virtuoso's Graph Store has no default graph: it goes
    to the dataset's own named graph); returns the environment of a command reading it."""
    result = run("push", "--endpoint", virtuoso.store, "--user", virtuoso.user,
                 env={"PROFGRAPH_PASSWORD": virtuoso.password})
    assert result.exit_code == 0, result.output
    assert f"Sent {len(curated.rdf)} triples to {virtuoso.store} (graph {DATA_GRAPH})" in result.output
    assert f"Note: {virtuoso.base}/sparql-graph-crud-auth (Virtuoso) has no default graph" in result.output
    assert f"PROFGRAPH_GRAPH={DATA_GRAPH}" in result.output
    return {"PROFGRAPH_GRAPH": DATA_GRAPH}


def test_the_graph_is_read_in_pages_and_equals_the_embedded_model(virtuoso, pushed, curated, monkeypatch):
    from profgraph.remote import open_remote

    monkeypatch.setenv("PROFGRAPH_GRAPH", DATA_GRAPH)
    remote = open_remote(virtuoso.query, DATA_GRAPH)
    assert remote.manifest["triples"] == len(curated.rdf) > DEBIAN_MAX_ROWS
    assert remote.manifest["source"] == virtuoso.query  # the pages of a CONSTRUCT, the answers being capped
    local = curated.model
    assert remote.model.professions.keys() == local.professions.keys()
    for pid, profession in local.professions.items():
        other = remote.model.professions[pid]
        assert (other.labels, other.status, other.sector, other.exposure, other.measures) == \
            (profession.labels, profession.status, profession.sector, profession.exposure, profession.measures)
    assert sorted(remote.model.transformations, key=repr) == sorted(local.transformations, key=repr)


@pytest.mark.parametrize("args", COMMANDS)
def test_commands_answer_the_same_through_virtuoso(virtuoso, pushed, args):
    same_answer(args, virtuoso.query, env=pushed)


def test_show_gives_the_same_card_through_virtuoso(virtuoso, pushed):
    same_card(virtuoso.query, env=pushed)


@pytest.mark.parametrize("path", QUERIES, ids=[path.stem for path in QUERIES])
def test_example_queries_sent_to_virtuoso_agree_with_pandas(virtuoso, pushed, tables, path):  # noqa: F811
    CHECKS[path.stem](remote_answer(virtuoso.query, path.read_text(encoding="utf-8"), DATA_GRAPH), tables)


def test_reading_through_the_login_endpoint(virtuoso, pushed, login):
    output = run_ok("search", "кассир", "--format", "json", "--endpoint", f"{virtuoso.base}/sparql-auth",
                    env={**pushed, **login})
    assert json.loads(output)[0]["id"] == "cashier"


def test_a_named_graph_push_replaces_the_graph(virtuoso, login, curated):
    from profgraph.remote import count_triples

    graph = "https://example.org/graph/profgraph-virtuoso"
    for _ in range(2):  # the second push replaces the first: the count stays
        output = run_ok("push", "--endpoint", virtuoso.store, "--graph", graph, env=login)
        assert f"Sent {len(curated.rdf)} triples" in output and "Note:" not in output
    assert count_triples(virtuoso.query, graph) == len(curated.rdf)


def test_a_wrong_password_is_one_line(virtuoso, pushed):
    for args in (["push", "--endpoint", virtuoso.store, "--graph", "https://example.org/graph/x"],
                 ["search", "кассир", "--endpoint", f"{virtuoso.base}/sparql-auth"]):
        result = run(*args, "--user", virtuoso.user, env={**pushed, "PROFGRAPH_PASSWORD": "not the password"})
        assert result.exit_code == 1 and result.exception is None or isinstance(result.exception, SystemExit)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and "answered 401 Unauthorized" in lines[0] and "were refused" in lines[0], lines


def test_a_push_without_the_right_to_write_is_one_line(virtuoso):
    result = run("push", "--endpoint", f"{virtuoso.base}/sparql-graph-crud",
                 "--graph", "https://example.org/graph/x")
    lines = result.output.strip().splitlines()
    assert result.exit_code == 1 and len(lines) == 1, result.output
    assert "answered 403 Forbidden" in lines[0] and "SPARQL_UPDATE" in lines[0]
