"""``push`` and ``--endpoint`` against a real Oxigraph server on loopback: the answers match the
embedded store's."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from profgraph.cli import main
from profgraph.errors import UsageError

from conftest import free_port, serving

OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
if not Path(OXIGRAPH).exists():
    pytest.skip("the oxigraph server is not installed (pip install oxigraph; the test extra has it)",
                allow_module_level=True)


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    """An Oxigraph server in a temporary folder on a free loopback port; yields its base URL."""
    base = f"http://127.0.0.1:{free_port()}"
    with serving([OXIGRAPH, "serve", "--location", str(tmp_path_factory.mktemp("oxigraph")),
                  "--bind", base.removeprefix("http://")], f"{base}/query?query=ASK%7B%7D", timeout=30):
        yield base


def skill_order_free(value):
    """``value`` with every list of strings sorted: a remote graph keeps no order of a profession's skills."""
    if isinstance(value, dict):
        return {key: skill_order_free(item) for key, item in value.items()}
    if isinstance(value, list):
        items = [skill_order_free(item) for item in value]
        return sorted(items) if all(isinstance(item, str) for item in items) else items
    return value


def run(*args) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def pushed(oxigraph, curated):
    output = run("push", "--endpoint", f"{oxigraph}/store")
    assert f"Sent {sum(1 for _ in curated.rdf)} triples" in output
    return f"{oxigraph}/query"


def test_remote_model_equals_the_embedded_one(pushed, curated):
    from profgraph.remote import open_remote

    remote = open_remote(pushed).model
    local = curated.model
    assert remote.professions.keys() == local.professions.keys()
    for pid, profession in local.professions.items():
        other = remote.professions[pid]
        assert (other.labels, other.status, other.sector, other.exposure, other.isco08) == \
            (profession.labels, profession.status, profession.sector, profession.exposure, profession.isco08)
        assert set(other.essential) == set(profession.essential) and set(other.optional) == set(profession.optional)
        assert other.measures == profession.measures and other.exposure_source == profession.exposure_source
    assert {(s.id, s.type) for s in remote.skills.values()} == {(s.id, s.type) for s in local.skills.values()}
    assert sorted(remote.transformations, key=repr) == sorted(local.transformations, key=repr)


@pytest.mark.parametrize("args", [
    ["path", "кассир", "--to", "emerging", "--format", "json"],
    ["path", "cashier", "--to", "safer", "--format", "json", "--lang", "kk"],
    ["search", "аналитик", "--format", "json"],
    ["similar", "кассир", "--format", "json"],
])
def test_commands_answer_the_same_through_the_endpoint(pushed, args):
    local = json.loads(run(*args))
    remote = json.loads(run(*args, "--endpoint", pushed))
    assert skill_order_free(remote) == skill_order_free(local)


def test_show_gives_the_same_card(pushed):
    local = json.loads(run("show", "кассир", "--format", "json"))
    remote = json.loads(run("show", "кассир", "--format", "json", "--endpoint", pushed))
    for card in (local, remote):  # nor of transformations
        for key in ("transforms_into", "transforms_from"):
            card[key].sort(key=lambda entry: entry["id"] if "id" in entry else entry["profession"]["id"])
    assert skill_order_free(remote) == skill_order_free(local)


def test_served_sparql_goes_to_the_endpoint(pushed, curated):
    from starlette.testclient import TestClient

    from profgraph.remote import open_remote
    from profgraph.web.app import create_app

    client = TestClient(create_app(open_remote(pushed)), base_url="http://127.0.0.1")
    response = client.get("/sparql", params={"query": "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a pg:Profession }"},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200
    assert int(response.json()["results"]["bindings"][0]["n"]["value"]) == len(curated.model.professions)
    assert client.get("/api/path", params={"from": "кассир", "to": "emerging"}).status_code == 200


def test_named_graph_push_and_the_cache_probe(oxigraph, curated, monkeypatch):
    from profgraph.remote import count_triples, open_remote

    graph = "https://example.org/graph/profgraph-test"
    run("push", "--endpoint", f"{oxigraph}/store", "--graph", graph)
    assert count_triples(f"{oxigraph}/query", graph) == sum(1 for _ in curated.rdf)
    first = open_remote(f"{oxigraph}/query", graph)
    assert open_remote(f"{oxigraph}/query", graph).manifest["built"] == first.manifest["built"]
    monkeypatch.setenv("PROFGRAPH_GRAPH", graph)
    assert json.loads(run("search", "кассир", "--format", "json", "--endpoint", f"{oxigraph}/query"))[0]["id"] == "cashier"


def test_push_sends_the_local_dataset_whatever_profgraph_endpoint_says(oxigraph, curated, monkeypatch):
    from profgraph.remote import count_triples

    graph = "https://example.org/graph/profgraph-local"
    monkeypatch.setenv("PROFGRAPH_ENDPOINT", f"http://127.0.0.1:{free_port()}/query")  # nothing listens there
    triples = sum(1 for _ in curated.rdf)
    assert f"Sent {triples} triples" in run("push", "--endpoint", f"{oxigraph}/store", "--graph", graph)
    assert count_triples(f"{oxigraph}/query", graph) == triples


@pytest.mark.parametrize("graph", ["urn:x> } ; DROP ALL ; <urn:y", "urn:a b", 'urn:"x"', "no-scheme", "urn:x}\nDROP ALL"])
def test_graph_iris_cannot_break_out(oxigraph, pushed, graph):
    from profgraph.remote import count_triples

    before = count_triples(pushed)
    with pytest.raises(UsageError):
        count_triples(pushed, graph)
    result = CliRunner().invoke(main, ["push", "--endpoint", f"{oxigraph}/store", "--graph", graph])
    assert result.exit_code == 2 and "graph IRI" in result.output
    assert count_triples(pushed) == before


def test_unreachable_endpoint_is_one_line(tmp_path):
    result = CliRunner().invoke(main, ["search", "кассир", "--endpoint", "http://127.0.0.1:9/query"])
    assert result.exit_code == 1 and result.output.startswith("Error: cannot reach")


@pytest.mark.parametrize("query, output_format", [
    ("SELECT ?p ?e WHERE { ?p pg:automationExposure ?e } ORDER BY ?p", "csv"),
    ("ASK { profession:cashier pg:status pg:Disappearing }", "json"),
    ("CONSTRUCT { ?p pg:status ?s } WHERE { ?p pg:status ?s }", "nt"),
])
def test_sparql_command_asks_the_server(pushed, query, output_format):
    local = run("sparql", query, "--format", output_format)
    remote = run("sparql", query, "--format", output_format, "--endpoint", pushed)
    if output_format == "nt":
        assert sorted(remote.splitlines()) == sorted(local.splitlines())
    else:
        assert remote == local


def test_sparql_syntax_error_through_the_server(pushed):
    result = CliRunner().invoke(main, ["sparql", "SELECT WHERE {", "--endpoint", pushed])
    assert result.exit_code == 2 and "rejected the query" in result.output


def test_sparql_endpoint_reads_the_named_graph_of_profgraph_graph(oxigraph, curated, monkeypatch):
    graph = "https://example.org/graph/profgraph-sparql"
    run("push", "--endpoint", f"{oxigraph}/store", "--graph", graph)
    query = "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a pg:Profession }"
    monkeypatch.setenv("PROFGRAPH_GRAPH", graph)
    output = run("sparql", query, "--format", "json", "--endpoint", f"{oxigraph}/query")
    assert int(json.loads(output)["results"]["bindings"][0]["n"]["value"]) == len(curated.model.professions)
    nothing = run("sparql", query.replace("WHERE", "FROM <urn:nothing> WHERE"), "--format", "json",
                  "--endpoint", f"{oxigraph}/query")  # the query's own FROM still wins
    assert json.loads(nothing)["results"]["bindings"][0]["n"]["value"] == "0"


@pytest.mark.parametrize("broken", [
    "SELECT ?p\nWHERE {\n  ?p a pg:Profession .\n  FILTER(?p = )\n}",
    "SELECT ?p WHERE { ?p a pg:Profession . ?p ?? ?x }",
])
def test_remote_syntax_errors_give_the_query_s_own_position(pushed, broken):
    import re

    from starlette.testclient import TestClient

    from profgraph.remote import open_remote
    from profgraph.web.app import create_app

    def position(text: str) -> str:
        found = re.search(r"(\d+), column (\d+)|at (\d+):(\d+)", text)
        assert found, text
        return ":".join(group for group in found.groups() if group)

    local = CliRunner().invoke(main, ["sparql", broken])
    result = CliRunner().invoke(main, ["sparql", broken, "--endpoint", pushed])
    assert local.exit_code == result.exit_code == 2
    assert position(result.output) == position(local.output), (result.output, local.output)
    client = TestClient(create_app(open_remote(pushed)), base_url="http://127.0.0.1")
    response = client.get("/sparql", params={"query": broken})
    assert response.status_code == 400 and position(response.text) == position(local.output), response.text


def test_profgraph_query_on_a_remote_dataset_asks_the_server(oxigraph, pushed):
    import urllib.request

    import profgraph
    from profgraph.remote import open_remote

    dataset = open_remote(pushed)
    probe = 'ASK { <urn:profgraph:probe> <urn:profgraph:probe> "only on the server" }'

    def update(operation: str) -> None:
        request = urllib.request.Request(f"{oxigraph}/update", data=operation.encode(),
                                         headers={"Content-Type": "application/sparql-update"})
        urllib.request.urlopen(request, timeout=30).read()

    assert profgraph.query(probe, dataset) is False
    update('INSERT DATA { <urn:profgraph:probe> <urn:profgraph:probe> "only on the server" }')
    try:
        assert profgraph.query(probe, dataset) is True  # the server answered, not the cached copy
    finally:
        update('DELETE DATA { <urn:profgraph:probe> <urn:profgraph:probe> "only on the server" }')
