"""``push`` and ``--endpoint`` against a real Oxigraph server on loopback: the answers match the
embedded store's."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from profgraph.errors import UsageError

from conftest import free_port, run, run_ok, serving
from remote_checks import COMMANDS, remote_answer, same_answer, same_card
from test_example_queries import CHECKS, QUERIES, tables  # noqa: F401 - tables: the checks' fixture

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


@pytest.fixture(scope="module")
def pushed(oxigraph, curated):
    output = run_ok("push", "--endpoint", f"{oxigraph}/store")
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


@pytest.mark.parametrize("args", COMMANDS)
def test_commands_answer_the_same_through_the_endpoint(pushed, args):
    same_answer(args, pushed)


def test_show_gives_the_same_card(pushed):
    same_card(pushed)


@pytest.mark.parametrize("path", QUERIES, ids=[path.stem for path in QUERIES])
def test_example_queries_sent_to_the_server_agree_with_pandas(pushed, tables, path):  # noqa: F811
    CHECKS[path.stem](remote_answer(pushed, path.read_text(encoding="utf-8")), tables)


def test_export_through_the_endpoint_builds_the_rdf_from_the_model_read(pushed, curated, tmp_path):
    from pyoxigraph import RdfFormat, parse

    from profgraph.remote import open_remote

    assert open_remote(pushed).manifest["rdf"] == "from-model"  # the cached store holds no RDF of its own
    run_ok("export", "--format", "nt", "-o", str(tmp_path / "remote.nt"), "--endpoint", pushed)
    kinds = {}
    for quad in parse(path=str(tmp_path / "remote.nt"), format=RdfFormat.N_TRIPLES):
        if quad.predicate.value.endswith("#type"):
            kinds.setdefault(quad.object.value, set()).add(quad.subject.value)
    assert kinds["https://w3id.org/profgraph/ontology#Profession"] == {p.iri for p in curated.model.professions.values()}
    assert kinds["https://w3id.org/profgraph/ontology#Skill"] == {s.iri for s in curated.model.skills.values()}


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


def test_named_graph_push_and_the_cache(oxigraph, curated, monkeypatch):
    from profgraph.remote import count_triples, open_remote

    graph = "https://example.org/graph/profgraph-test"
    run_ok("push", "--endpoint", f"{oxigraph}/store", "--graph", graph)
    assert count_triples(f"{oxigraph}/query", graph) == sum(1 for _ in curated.rdf)
    first = open_remote(f"{oxigraph}/query", graph)
    assert first.manifest["source"] == f"{oxigraph}/store?graph=https%3A%2F%2Fexample.org%2Fgraph%2Fprofgraph-test"
    again = open_remote(f"{oxigraph}/query", graph)  # the same N-Triples: the cached store, not a new one
    assert (again.path, again.manifest["current"]) == (first.path, first.manifest["current"])
    monkeypatch.setenv("PROFGRAPH_GRAPH", graph)
    found = json.loads(run_ok("search", "кассир", "--format", "json", "--endpoint", f"{oxigraph}/query"))
    assert found[0]["id"] == "cashier"


def test_a_changed_value_is_seen_though_the_triple_count_is_the_same(oxigraph, curated):
    import urllib.request

    from profgraph.remote import count_triples

    graph = "https://example.org/graph/profgraph-changed"
    run_ok("push", "--endpoint", f"{oxigraph}/store", "--graph", graph)
    query_url, env = f"{oxigraph}/query", {"PROFGRAPH_GRAPH": graph}
    path = ["path", "кассир", "--to", "safer", "--format", "json", "--endpoint", query_url]
    before = json.loads(run_ok(*path, env=env))["origin"]["automation_exposure"]
    assert before == curated.model.professions["cashier"].measures.automation_percentile != 0.5
    count = count_triples(query_url, graph)
    measure = "https://w3id.org/profgraph/measure/cashier/automation"
    update = (f"PREFIX pg: <https://w3id.org/profgraph/ontology#> WITH <{graph}> "
              f"DELETE {{ <{measure}> pg:percentile ?old }} INSERT {{ <{measure}> pg:percentile 0.5 }} "
              f"WHERE {{ <{measure}> pg:percentile ?old }}")
    request = urllib.request.Request(f"{oxigraph}/update", data=update.encode(),
                                     headers={"Content-Type": "application/sparql-update"})
    urllib.request.urlopen(request, timeout=30).read()
    assert count_triples(query_url, graph) == count
    assert json.loads(run_ok(*path, env=env))["origin"]["automation_exposure"] == 0.5


def test_push_in_small_chunks_sends_every_triple(oxigraph, curated):
    from profgraph.push import push
    from profgraph.remote import count_triples

    graph = "https://example.org/graph/profgraph-chunks"
    result = push(curated, f"{oxigraph}/store", graph, chunk_bytes=256 * 1024)
    assert result.triples == len(curated.rdf) == count_triples(f"{oxigraph}/query", graph)
    assert (result.graph, result.note) == (graph, "")


def test_push_sends_the_local_dataset_whatever_profgraph_endpoint_says(oxigraph, curated, monkeypatch):
    from profgraph.remote import count_triples

    graph = "https://example.org/graph/profgraph-local"
    monkeypatch.setenv("PROFGRAPH_ENDPOINT", f"http://127.0.0.1:{free_port()}/query")  # nothing listens there
    triples = sum(1 for _ in curated.rdf)
    assert f"Sent {triples} triples" in run_ok("push", "--endpoint", f"{oxigraph}/store", "--graph", graph)
    assert count_triples(f"{oxigraph}/query", graph) == triples


@pytest.mark.parametrize("graph", ["urn:x> } ; DROP ALL ; <urn:y", "urn:a b", 'urn:"x"', "no-scheme", "urn:x}\nDROP ALL"])
def test_graph_iris_cannot_break_out(oxigraph, pushed, graph):
    from profgraph.remote import count_triples

    before = count_triples(pushed)
    with pytest.raises(UsageError):
        count_triples(pushed, graph)
    result = run("push", "--endpoint", f"{oxigraph}/store", "--graph", graph)
    assert result.exit_code == 2 and "graph IRI" in result.output
    assert count_triples(pushed) == before


def test_unreachable_endpoint_is_one_line(tmp_path):
    result = run("search", "кассир", "--endpoint", "http://127.0.0.1:9/query")
    assert result.exit_code == 1 and result.output.startswith("Error: cannot reach")


@pytest.mark.parametrize("query, output_format", [
    ("SELECT ?p ?e WHERE { ?p pg:automationExposure ?e } ORDER BY ?p", "csv"),
    ("ASK { profession:cashier pg:status pg:Disappearing }", "json"),
    ("CONSTRUCT { ?p pg:status ?s } WHERE { ?p pg:status ?s }", "nt"),
])
def test_sparql_command_asks_the_server(pushed, query, output_format):
    local = run_ok("sparql", query, "--format", output_format)
    remote = run_ok("sparql", query, "--format", output_format, "--endpoint", pushed)
    if output_format == "nt":
        assert sorted(remote.splitlines()) == sorted(local.splitlines())
    else:
        assert remote == local


def test_sparql_syntax_error_through_the_server(pushed):
    result = run("sparql", "SELECT WHERE {", "--endpoint", pushed)
    assert result.exit_code == 2 and "rejected the query" in result.output


def test_sparql_endpoint_reads_the_named_graph_of_profgraph_graph(oxigraph, curated, monkeypatch):
    graph = "https://example.org/graph/profgraph-sparql"
    run_ok("push", "--endpoint", f"{oxigraph}/store", "--graph", graph)
    query = "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a pg:Profession }"
    monkeypatch.setenv("PROFGRAPH_GRAPH", graph)
    output = run_ok("sparql", query, "--format", "json", "--endpoint", f"{oxigraph}/query")
    assert int(json.loads(output)["results"]["bindings"][0]["n"]["value"]) == len(curated.model.professions)
    nothing = run_ok("sparql", query.replace("WHERE", "FROM <urn:nothing> WHERE"), "--format", "json",
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

    local = run("sparql", broken)
    result = run("sparql", broken, "--endpoint", pushed)
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
