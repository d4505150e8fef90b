"""Standard SPARQL clients against `profgraph serve`: SPARQLWrapper in its default mode (a `format`
parameter beside the Accept header) and with content negotiation only, rdflib's SPARQLStore, every
result format; the Service Description, the query form, CORS and HEAD."""

from __future__ import annotations

import csv
import io
import json

import pytest
import rdflib

import profgraph
from profgraph.vocab import DATA_GRAPH, ONTOLOGY_GRAPH, PREFIXES

SPARQLWrapper = pytest.importorskip("SPARQLWrapper", reason="SPARQLWrapper is in the test extra")

DECLARED = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())
SELECT = DECLARED + """SELECT ?sector ?label WHERE { ?sector a pg:Sector ; skos:prefLabel ?label
  FILTER(lang(?label) = "en") } ORDER BY ?sector"""
ASK = DECLARED + "ASK { profession:cashier pg:status pg:Disappearing }"
CONSTRUCT = DECLARED + "CONSTRUCT { ?sector skos:prefLabel ?label } WHERE { ?sector a pg:Sector ; skos:prefLabel ?label }"
DESCRIBE = DECLARED + "DESCRIBE profession:cashier"
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")


@pytest.fixture(scope="module")
def expected(curated):
    """What the embedded store answers, through the library."""
    rows = profgraph.query(SELECT, store=curated)
    graph = profgraph.query(CONSTRUCT, store=curated)
    described = profgraph.query(DESCRIBE, store=curated)
    return {"select": [(str(row.sector), str(row.label)) for row in rows.itertuples()],
            "ask": profgraph.query(ASK, store=curated),
            "construct": {(row.subject, row.predicate, row.object) for row in graph.itertuples()},
            "describe": len(described)}


def triples_of(graph: rdflib.Graph) -> set:
    return {(str(s), str(p), str(o)) for s, p, o in graph}


def wrapper(endpoint: str, query: str, return_format: str, only_conneg: bool):
    client = SPARQLWrapper.SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(return_format)
    client.setOnlyConneg(only_conneg)
    return client.query()


@pytest.mark.parametrize("only_conneg", [False, True], ids=["default", "conneg"])
@pytest.mark.parametrize("return_format", ["json", "xml", "csv", "tsv"])
def test_sparqlwrapper_select(live_server, expected, return_format, only_conneg):
    answer = wrapper(live_server + "/sparql", SELECT, return_format, only_conneg)
    converted = answer.convert()
    if return_format == "json":
        rows = [(row["sector"]["value"], row["label"]["value"]) for row in converted["results"]["bindings"]]
    elif return_format == "xml":
        rows = [tuple(row[rdflib.Variable(name)] for name in ("sector", "label"))
                for row in rdflib.query.Result.parse(io.BytesIO(converted.toxml().encode()), format="xml").bindings]
        rows = [(str(sector), str(label)) for sector, label in rows]
    else:
        text = converted.decode() if isinstance(converted, bytes) else converted
        lines = list(csv.reader(io.StringIO(text), delimiter="," if return_format == "csv" else "\t"))[1:]
        # TSV writes terms as in Turtle: <iri> and "label"@en
        rows = [(sector.strip("<>"), label.rsplit("@", 1)[0].strip('"') if return_format == "tsv" else label)
                for sector, label in lines]
    assert rows == expected["select"] and rows


@pytest.mark.parametrize("only_conneg", [False, True], ids=["default", "conneg"])
@pytest.mark.parametrize("return_format", ["json", "xml"])
def test_sparqlwrapper_ask(live_server, expected, return_format, only_conneg):
    converted = wrapper(live_server + "/sparql", ASK, return_format, only_conneg).convert()
    value = converted["boolean"] if return_format == "json" else \
        converted.getElementsByTagName("boolean")[0].firstChild.data == "true"
    assert value is expected["ask"] is True


RDF_READERS = {"application/ld+json": "json-ld", "application/rdf+xml": "xml", "text/turtle": "turtle",
               "application/n-triples": "nt"}


@pytest.mark.parametrize("only_conneg", [False, True], ids=["default", "conneg"])
@pytest.mark.parametrize("return_format, media", [("turtle", "text/turtle"), ("n3", "text/turtle"),
                                                  ("json-ld", "application/ld+json"),
                                                  ("rdf+xml", "application/rdf+xml"), ("xml", "application/rdf+xml")])
def test_sparqlwrapper_construct_and_describe(live_server, expected, return_format, media, only_conneg):
    answer = wrapper(live_server + "/sparql", CONSTRUCT, return_format, only_conneg)
    assert answer.response.headers["Content-Type"].split(";")[0] == media
    graph = rdflib.Graph().parse(data=answer.response.read(), format=RDF_READERS[media])
    assert triples_of(graph) == expected["construct"] and len(graph) > 10
    described = wrapper(live_server + "/sparql", DESCRIBE, return_format, only_conneg)
    assert len(rdflib.Graph().parse(data=described.response.read(), format=RDF_READERS[media])) == \
        expected["describe"] > 5


def test_rdflib_sparqlstore(live_server, expected):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = rdflib.Graph(SPARQLStore(live_server + "/sparql", returnFormat="json"))
    rows = [(str(sector), str(label)) for sector, label in store.query(SELECT)]
    assert rows == expected["select"]
    assert bool(store.query(ASK)) is True
    assert triples_of(store.query(CONSTRUCT).graph) == expected["construct"]
    xml_store = rdflib.Graph(SPARQLStore(live_server + "/sparql"))  # its default: XML results, RDF/XML graphs
    assert [(str(s), str(label)) for s, label in xml_store.query(SELECT)] == expected["select"]
    assert triples_of(xml_store.query(CONSTRUCT).graph) == expected["construct"]


# ------------------------------------------------------------------ the protocol in detail

@pytest.mark.parametrize("value", ["unknown", "html", "application/x-nothing"])
def test_unknown_format_values_fall_back_to_accept(client, value):
    response = client.get("/sparql", params={"query": SELECT, "format": value}, headers={"Accept": "text/csv"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")


@pytest.mark.parametrize("accept, media", [("application/ld+json", "application/ld+json"),
                                           ("application/rdf+xml", "application/rdf+xml"),
                                           ("application/xml", "application/rdf+xml"),
                                           ("text/n3", "text/turtle"), ("application/n-triples", "application/n-triples")])
def test_graphs_in_every_rdf_format_by_accept(client, expected, accept, media):
    response = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].split(";")[0] == media
    graph = rdflib.Graph().parse(data=response.content, format=RDF_READERS[media])
    assert triples_of(graph) == expected["construct"]


def test_service_description(client, live_server):
    for accept, reader in [(None, "turtle"), ("text/turtle", "turtle"), ("application/rdf+xml", "xml"),
                           ("application/ld+json", "json-ld")]:
        response = client.get("/sparql", headers={"Accept": accept} if accept else {})
        assert response.status_code == 200, response.text
        graph = rdflib.Graph().parse(data=response.content, format=reader)
        service = rdflib.URIRef("http://127.0.0.1/sparql")
        assert (service, rdflib.RDF.type, SD.Service) in graph
        assert (service, SD.endpoint, service) in graph
        assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
        assert (service, SD.feature, SD.UnionDefaultGraph) in graph
        named = {str(name) for name in graph.objects(None, SD.name)}
        assert named == {DATA_GRAPH, ONTOLOGY_GRAPH}
        formats = set(graph.objects(service, SD.resultFormat))
        assert rdflib.URIRef("http://www.w3.org/ns/formats/JSON-LD") in formats and len(formats) == 8


def test_query_form_for_a_browser(client):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
    page = client.get("/sparql", headers={"Accept": browser})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<form method="get" action="/sparql">' in page.text and 'name="query"' in page.text
    assert 'value="jsonld"' in page.text
    # what the form sends is a query the endpoint answers
    answer = client.get("/sparql", params={"query": SELECT, "format": "csv"}, headers={"Accept": browser})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")


def test_cors_and_preflight(client):
    origin = {"Origin": "https://notebook.example.org"}
    for path, params in [("/sparql", {"query": ASK}), ("/api/search", {"q": "cashier"})]:
        response = client.get(path, params=params, headers=origin)
        assert response.status_code == 200 and response.headers["access-control-allow-origin"] == "*"
    preflight = client.options("/sparql", headers={**origin, "Access-Control-Request-Method": "POST",
                                                   "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "content-type" in preflight.headers["access-control-allow-headers"].lower()
    posted = client.post("/sparql", content=ASK.encode(), headers={**origin, "Content-Type": "application/sparql-query",
                                                                    "Accept": "application/sparql-results+json"})
    assert posted.headers["access-control-allow-origin"] == "*" and json.loads(posted.text)["boolean"] is True
    assert "access-control-allow-origin" not in client.get("/en/", headers=origin).headers  # pages stay same-origin


def test_head_without_and_with_a_query(client):
    for params in ({}, {"query": ASK}):
        get, head = client.get("/sparql", params=params), client.head("/sparql", params=params)
        assert head.status_code == get.status_code == 200 and head.content == b""
        assert head.headers["content-type"] == get.headers["content-type"]
