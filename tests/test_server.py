"""``profgraph serve`` through Starlette's test client: the pages, the JSON API and the SPARQL 1.1
Protocol on the curated data, and requests that try to break out (markup, injection, traversal,
huge bodies, updates)."""

from __future__ import annotations

import csv
import io
import json
import time
import urllib.request

import pytest

pytest.importorskip("starlette", reason="the server extra is not installed")

from profgraph.answers import profession_card, reskilling_report, search_report, similar_report  # noqa: E402
from profgraph.rules import make_rules  # noqa: E402
from profgraph.vocab import PG, SKOS  # noqa: E402

from conftest import app_client  # noqa: E402

XSS = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def client(curated):
    with app_client(curated, sparql_timeout=3.0, max_result_bytes=200_000, max_body=16 * 1024) as test_client:
        yield test_client


def sparql_json(client, query: str) -> dict:
    response = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    return response.json()


# ------------------------------------------------------------------ the JSON API

def test_api_answers_what_the_reports_answer(client, curated):
    response = client.get("/api/path", params={"from": "кассир", "to": "emerging", "lang": "ru", "top": 3})
    assert response.status_code == 200
    assert response.json() == reskilling_report(curated, "кассир", "emerging", top=3, lang="ru")
    assert client.get("/api/search", params={"q": "аналитик"}).json() == search_report(curated, "аналитик")
    assert client.get("/api/profession/cashier", params={"lang": "kk"}).json() == \
        profession_card(curated.model, "cashier", "kk", dataset=curated)
    flagged = client.get("/api/path", params={"from": "кассир", "to": "emerging", "risk": "both",
                                              "allow_riskier": "true", "min_pay_ratio": "0.5"}).json()
    assert flagged == reskilling_report(curated, "кассир", "emerging",
                                        rules=make_rules(risk="both", allow_riskier=True, min_pay_ratio=0.5))
    assert flagged["rules"]["risk"] == "both" and flagged["rules"]["allow_riskier"] is True
    assert client.get("/api/similar", params={"name": "cashier", "top": 4}).json() == \
        similar_report(curated, "cashier", top=4)


def test_api_paths_start_at_the_origin_and_end_emerging(client, curated, path_origin):
    report = client.get("/api/path", params={"from": path_origin.id, "to": "emerging"}).json()
    assert report["paths"]
    for path in report["paths"]:
        assert path["steps"][0]["from"]["id"] == path_origin.id
        assert curated.model.professions[path["steps"][-1]["to"]["id"]].status == "emerging"


@pytest.mark.parametrize("params, status", [
    ({"from": "zzqxw", "to": "emerging"}, 404),
    ({"from": "cashier"}, 400),
    ({"from": "cashier", "to": "emerging", "top": "many"}, 400),
    ({"from": "cashier", "to": "emerging", "top": "0"}, 400),
    ({"from": "cashier", "to": "emerging", "min_coverage": "2"}, 400),
    ({"from": "cashier", "to": "emerging", "lang": "fr"}, 400),
    ({"from": "x" * 500, "to": "emerging"}, 400),
    ({"from": "cashier", "to": "emerging", "risk": "jobs"}, 400),
    ({"from": "cashier", "to": "emerging", "min_pay_ratio": "1.5"}, 400),
    ({"from": "cashier", "to": "emerging", "allow_riskier": "maybe"}, 400),
])
def test_api_bad_parameters_get_a_json_error(client, params, status):
    response = client.get("/api/path", params=params)
    assert response.status_code == status
    assert response.json()["error"]


def test_api_unknown_name_is_404_naming_it(client):
    response = client.get("/api/similar", params={"name": "zzqxw"})
    assert response.status_code == 404
    assert "zzqxw" in response.json()["error"] and isinstance(response.json()["suggestions"], list)


def test_openapi_lists_every_api_route(client):
    description = client.get("/api/openapi.json").json()
    routes = {route.path for route in client.app.routes if route.path.startswith("/api/") and "openapi" not in route.path}
    assert set(description["paths"]) == routes


# ------------------------------------------------------------------ pages

@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_pages_in_every_language(client, curated, lang):
    cashier = curated.model.professions["cashier"]
    page = client.get(f"/{lang}/profession/cashier")
    assert page.status_code == 200 and f'<html lang="{lang}">' in page.text
    assert cashier.labels[lang] in page.text
    for kind in ("", "sectors", "skills", "graph"):
        assert client.get(f"/{lang}/{kind}").status_code == 200
    skill = cashier.essential[0]
    assert curated.model.skills[skill].labels[lang] in client.get(f"/{lang}/skill/{skill}").text


def test_search_page_links_the_hits(client):
    page = client.get("/ru/search", params={"q": "кассир"})
    assert page.status_code == 200
    assert 'href="/ru/profession/cashier"' in page.text
    assert client.get("/search?q=кассир", follow_redirects=False).headers["location"].startswith("/ru/search?q=")


def test_path_finder_shows_the_paths_and_the_graph(client, curated, path_origin):
    page = client.get("/en/path", params={"from": path_origin.labels["ru"], "to": "emerging"})
    assert page.status_code == 200
    report = reskilling_report(curated, path_origin.labels["ru"], "emerging", lang="en")
    first_end = report["paths"][0]["steps"][-1]["to"]["id"]
    assert f'href="/en/profession/{first_end}"' in page.text
    assert 'id="pg-network"' in page.text and "/assets/vis-network.min.js" in page.text


def test_page_links_resolve(client):
    import re

    page = client.get("/kk/profession/cashier").text
    links = set(re.findall(r'(?:href|src)="(/[^"#]*)', page))
    assert len(links) > 10
    for link in sorted(links)[:60]:
        assert client.get(link.replace("&amp;", "&")).status_code == 200, link


# ------------------------------------------------------------------ SPARQL Protocol

def test_sparql_counts_match_the_model(client, curated):
    answer = sparql_json(client, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a pg:Profession }")
    assert int(answer["results"]["bindings"][0]["n"]["value"]) == len(curated.model.professions)


@pytest.mark.parametrize("accept, media, reader", [
    ("text/csv", "text/csv", lambda text: list(csv.reader(io.StringIO(text)))),
    ("text/tab-separated-values", "text/tab-separated-values", lambda text: [line.split("\t") for line in text.splitlines()]),
    ("application/sparql-results+xml", "application/sparql-results+xml", lambda text: text.count("<result>")),
])
def test_sparql_content_negotiation(client, curated, accept, media, reader):
    query = f"SELECT ?p ?label WHERE {{ ?p a <{PG}Sector> ; <{SKOS}prefLabel> ?label FILTER(lang(?label) = 'en') }}"
    for response in (client.get("/sparql", params={"query": query}, headers={"Accept": accept}),
                     client.post("/sparql", data={"query": query}, headers={"Accept": accept}),
                     client.post("/sparql", content=query.encode(), headers={"Accept": accept,
                                                                             "Content-Type": "application/sparql-query"})):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith(media)
        rows = reader(response.text)
        count = rows if isinstance(rows, int) else len(rows) - 1
        assert count == len(curated.model.sectors)


@pytest.mark.parametrize("accept, media", [("text/turtle", "text/turtle"), ("application/n-triples", "application/n-triples")])
def test_sparql_graphs_as_turtle_and_ntriples(client, curated, accept, media):
    import rdflib

    response = client.post("/sparql", data={"query": "CONSTRUCT WHERE { ?s a pg:Sector }"}, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(media)
    graph = rdflib.Graph().parse(data=response.text, format="turtle" if media == "text/turtle" else "nt")
    assert len(graph) == len(curated.model.sectors)


def test_sparql_syntax_error_is_400_with_the_message(client):
    response = client.get("/sparql", params={"query": "SELECT ?x WHERE { ?x ?y }"})
    assert response.status_code == 400
    assert "syntax error at line 1" in response.text


@pytest.mark.parametrize("request_kwargs", [
    {"data": {"update": "DROP ALL"}},
    {"content": b"DROP ALL", "headers": {"Content-Type": "application/sparql-update"}},
    {"data": {"query": "DROP ALL"}},
    {"data": {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}},
])
def test_sparql_update_is_refused_and_changes_nothing(client, curated, request_kwargs):
    before = sparql_json(client, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    response = client.post("/sparql", **request_kwargs)
    assert 400 <= response.status_code < 500
    assert sparql_json(client, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == before
    assert client.get("/sparql", params={"update": "DROP ALL"}).status_code == 403


@pytest.mark.slow
def test_sparql_timeout_stops_the_query_and_the_endpoint_recovers(client):
    started = time.monotonic()
    response = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"})
    assert response.status_code == 503 and "timeout" in response.text
    assert time.monotonic() - started < 10
    sparql_json(client, "ASK { ?s ?p ?o }")


def test_sparql_result_cap(client):
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.status_code == 400 and "LIMIT" in response.text
    assert client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 5"}).status_code == 200


def test_sparql_protocol_errors(client):
    assert client.post("/sparql", data={"format": "json"}).status_code == 400
    assert client.get("/sparql", params={"query": ""}).status_code == 400
    assert client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "image/png"}).status_code == 406
    assert client.post("/sparql", content=b"ASK {}", headers={"Content-Type": "text/plain"}).status_code == 415


# ------------------------------------------------------------------ break-out attempts

@pytest.mark.parametrize("url, params", [
    ("/ru/search", {"q": XSS}),
    ("/ru/path", {"from": XSS, "to": "emerging"}),
    ("/ru/path", {"from": "кассир", "to": XSS}),
    ("/en/search", {"q": f'"><img src=x onerror=alert(1)>{XSS}'}),
])
def test_markup_in_parameters_is_escaped(client, url, params):
    page = client.get(url, params=params)
    assert page.status_code in (200, 400, 404)
    assert "<script>alert(1)" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;alert(1)" in page.text


def test_markup_in_the_language_switch_links_is_escaped(client):
    page = client.get("/kk/search", params={"q": '"><b>x'}).text
    assert '"><b>x' not in page


@pytest.mark.parametrize("text", ["' } ; DROP ALL ; #", '") } UNION { ?s ?p ?o } #', "кассир\" . ?x ?y ?z", "\\u0022"])
def test_injection_attempts_are_just_text(client, text):
    for url, params in (("/api/search", {"q": text}), ("/api/path", {"from": text, "to": "emerging"}),
                        ("/api/similar", {"name": text})):
        response = client.get(url, params=params)
        assert response.status_code in (200, 400, 404), (url, response.text)
        json.dumps(response.json())


@pytest.mark.parametrize("path", ["/assets/..%2F..%2Fpyproject.toml", "/assets/%2e%2e%2fserver.py", "/assets/site.css%00",
                                  "/assets/..%5Cpages.py", "/assets/templates", "/assets/"])
def test_no_traversal_in_assets(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "import" not in response.text and "[project]" not in response.text


def test_assets_are_served(client):
    response = client.get("/assets/graph.js")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/javascript")


def test_search_index_is_served_for_the_search_box(client, curated):
    from profgraph.web.site import search_index

    response = client.get("/assets/search-index.js")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/javascript")
    text = response.text
    assert text.startswith("window.PROFGRAPH_INDEX = ")
    assert json.loads(text.removeprefix("window.PROFGRAPH_INDEX = ").rstrip().removesuffix(";")) == \
        search_index(curated.model)
    page = client.get("/ru/skills").text  # every page loads it and fills the search box from it
    assert '<script src="/assets/search-index.js"></script>' in page
    assert 'data-profession-url="/ru/profession/{id}"' in page and 'id="site-search"' in page


def test_huge_bodies_and_query_strings_are_refused(client):
    assert client.post("/sparql", content=b"x" * 100_000,
                       headers={"Content-Type": "application/sparql-query"}).status_code == 413

    def chunks():
        for _ in range(40):
            yield b"y" * 1024

    assert client.post("/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"}).status_code == 413
    assert client.get("/api/search", params={"q": "a" * 20_000}).status_code == 414


# ------------------------------------------------------------------ the real command

def test_serve_command_binds_to_loopback_and_answers(live_server):
    with urllib.request.urlopen(live_server + "/api/search?q=%D0%BA%D0%B0%D1%81%D1%81%D0%B8%D1%80", timeout=10) as response:
        hits = json.load(response)
    assert hits[0]["id"] == "cashier"
    request = urllib.request.Request(live_server + "/sparql?query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D",
                                     headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert json.load(response)["boolean"] is True
