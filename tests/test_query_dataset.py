"""The dataset a query sees follows SPARQL 1.1 in `profgraph sparql`, `profgraph.query()` and
`/sparql`: the union of the store's graphs by default, exactly the graphs FROM / FROM NAMED or the
Protocol's default-graph-uri / named-graph-uri name otherwise."""

from __future__ import annotations

import json

import pytest

import profgraph
from profgraph.vocab import DATA_GRAPH, ONTOLOGY_GRAPH

from conftest import run

COUNT = "SELECT (COUNT(*) AS ?n) {from} WHERE {{ {pattern} }}"
ALL = "?s ?p ?o"
NAMED = "GRAPH ?g { ?s ?p ?o }"


def graph_sizes(curated) -> dict:
    """Triples per graph of the store, counted by pyoxigraph's own quad iteration."""
    sizes: dict = {}
    for quad in curated.rdf:
        sizes[quad.graph_name.value] = sizes.get(quad.graph_name.value, 0) + 1
    return sizes


@pytest.fixture(scope="module")
def sizes(curated):
    found = graph_sizes(curated)
    assert found.get(DATA_GRAPH) and found.get(ONTOLOGY_GRAPH), found
    return found


def cases(sizes):
    """(FROM clauses, pattern, expected count) of every dataset a query can name."""
    total = sum(sizes.values())
    return [
        ("", ALL, total),
        ("FROM <urn:nothing>", ALL, 0),
        (f"FROM <{DATA_GRAPH}>", ALL, sizes[DATA_GRAPH]),
        (f"FROM <{ONTOLOGY_GRAPH}>", ALL, sizes[ONTOLOGY_GRAPH]),
        (f"FROM <{DATA_GRAPH}> FROM <{ONTOLOGY_GRAPH}>", ALL, total),
        (f"FROM NAMED <{ONTOLOGY_GRAPH}>", ALL, 0),  # FROM NAMED alone: an empty default graph
        (f"FROM NAMED <{ONTOLOGY_GRAPH}>", NAMED, sizes[ONTOLOGY_GRAPH]),
        (f"FROM <{DATA_GRAPH}>", NAMED, 0),  # FROM alone: no named graphs
        ("", NAMED, total),
    ]


def test_python_query_honours_from(curated, sizes):
    for clauses, pattern, expected in cases(sizes):
        frame = profgraph.query(COUNT.format(**{"from": clauses, "pattern": pattern}), store=curated)
        assert int(frame.n[0]) == expected, clauses


def test_python_query_takes_the_protocol_graphs(curated, sizes):
    query = COUNT.format(**{"from": "FROM <urn:nothing>", "pattern": ALL})
    frame = profgraph.query(query, store=curated, default_graphs=[ONTOLOGY_GRAPH])
    assert int(frame.n[0]) == sizes[ONTOLOGY_GRAPH]  # the Protocol's graphs override FROM
    named = COUNT.format(**{"from": "", "pattern": NAMED})
    assert int(profgraph.query(named, store=curated, named_graphs=[DATA_GRAPH]).n[0]) == sizes[DATA_GRAPH]


def test_cli_sparql_honours_from(sizes):
    for clauses, pattern, expected in cases(sizes):
        for extra in ([], ["--timeout", "30"]):  # in this process and in the query's child process
            result = run("sparql", COUNT.format(**{"from": clauses, "pattern": pattern}),
                         "--format", "json", *extra)
            assert result.exit_code == 0, result.output
            assert int(json.loads(result.output)["results"]["bindings"][0]["n"]["value"]) == expected, clauses


def served_count(response) -> int:
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_endpoint_honours_from(client, sizes):
    for clauses, pattern, expected in cases(sizes):
        response = client.get("/sparql", params={"query": COUNT.format(**{"from": clauses, "pattern": pattern})},
                              headers={"Accept": "application/sparql-results+json"})
        assert served_count(response) == expected, clauses


def test_endpoint_takes_default_and_named_graph_uri(client, sizes):
    everything = COUNT.format(**{"from": "FROM <urn:nothing>", "pattern": ALL})
    accept = {"Accept": "application/sparql-results+json"}
    assert served_count(client.get("/sparql", params={"query": everything, "default-graph-uri": DATA_GRAPH},
                                   headers=accept)) == sizes[DATA_GRAPH]
    both = [("query", everything), ("default-graph-uri", DATA_GRAPH), ("default-graph-uri", ONTOLOGY_GRAPH)]
    assert served_count(client.post("/sparql", data={"query": everything, "default-graph-uri": ONTOLOGY_GRAPH},
                                    headers=accept)) == sizes[ONTOLOGY_GRAPH]
    assert served_count(client.get("/sparql", params=both, headers=accept)) == sum(sizes.values())
    named = COUNT.format(**{"from": "", "pattern": NAMED})
    assert served_count(client.get("/sparql", params={"query": named, "named-graph-uri": ONTOLOGY_GRAPH},
                                   headers=accept)) == sizes[ONTOLOGY_GRAPH]
    direct = client.post("/sparql", params={"default-graph-uri": "urn:nothing"},
                         content=COUNT.format(**{"from": "", "pattern": ALL}).encode(),
                         headers={**accept, "Content-Type": "application/sparql-query"})
    assert served_count(direct) == 0
    bad = client.get("/sparql", params={"query": everything, "default-graph-uri": "not an iri"})
    assert bad.status_code == 400 and "graph IRI" in bad.text


def test_python_query_keeps_language_tags(curated):
    frame = profgraph.query("SELECT ?label ?status WHERE { profession:cashier skos:prefLabel ?label ; pg:status ?status }",
                            store=curated)
    assert list(frame.columns) == ["label", "label@lang", "status"]  # no tags on ?status, so no column
    assert dict(zip(frame["label@lang"], frame["label"])) == curated.model.professions["cashier"].labels
    mixed = profgraph.query('SELECT ?x WHERE { VALUES ?x { "a"@kk "b" } }', store=curated)
    assert mixed["x@lang"][0] == "kk" and mixed["x@lang"].isna().tolist() == [False, True]


def test_python_query_opens_the_store_once(curated, monkeypatch, tmp_path):
    import pyoxigraph

    from conftest import edit_csv
    from profgraph.resources import data_dir

    opened = []
    real = pyoxigraph.Store.read_only
    monkeypatch.setattr(pyoxigraph.Store, "read_only", lambda path: opened.append(path) or real(path))
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?p a pg:Profession }"
    for _ in range(3):
        assert int(profgraph.query(count).n[0]) == len(curated.model.professions)
    assert len(opened) <= 1  # at most once (not at all when an earlier test opened it)
    # a changed table is a new store version: the next call sees the change
    import shutil

    data = tmp_path / "data"
    shutil.copytree(data_dir(), data)
    monkeypatch.setenv("PROFGRAPH_DATA", str(data))
    label = 'ASK { profession:cashier skos:prefLabel "till clerk"@en }'
    assert profgraph.query(label) is False
    edit_csv(data / "professions.csv", ",cashier,", ",till clerk,")
    assert profgraph.query(label) is True
