"""The data's persistent IRIs dereference in `profgraph serve`: browsers are sent to the page in
their language, RDF clients get the resource's description in the format they ask for."""

from __future__ import annotations

import pytest
import rdflib

from profgraph.vocab import BASE, PG, SKOS

from conftest import app_client

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
READERS = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/rdf+xml": "xml",
           "application/n-triples": "nt"}


@pytest.fixture(scope="module")
def client(curated):
    with app_client(curated, follow_redirects=False) as test:
        yield test


def subject_triples(curated, iri: str) -> set:
    """The triples with subject ``iri`` in the store, read with pyoxigraph's own quad pattern."""
    from pyoxigraph import NamedNode

    return {(quad.subject.value, quad.predicate.value, quad.object.value)
            for quad in curated.rdf.quads_for_pattern(NamedNode(iri), None, None)}


@pytest.mark.parametrize("accept", [None, "text/turtle", "application/ld+json", "application/rdf+xml",
                                    "application/n-triples"])
@pytest.mark.parametrize("path", ["profession/cashier", "skill/{skill}", "sector/{sector}", "area/KZ"])
def test_rdf_clients_get_the_description(client, curated, accept, path):
    model = curated.model
    path = path.format(skill=sorted(model.professions["cashier"].essential)[0],
                       sector=model.professions["cashier"].sector)
    response = client.get("/" + path, headers={"Accept": accept} if accept else {})
    assert response.status_code == 200, response.text
    media = response.headers["content-type"].split(";")[0]
    assert media == (accept or "text/turtle")
    graph = rdflib.Graph().parse(data=response.content, format=READERS[media])
    iri = BASE + path
    got = {(str(s), str(p), str(o)) for s, p, o in graph if str(s) == iri}
    assert got == subject_triples(curated, iri) and got
    assert "Accept" in response.headers["vary"]


def test_the_profession_description_says_what_the_model_says(client, curated):
    graph = rdflib.Graph().parse(data=client.get("/profession/cashier").content, format="turtle")
    cashier = rdflib.URIRef(BASE + "profession/cashier")
    labels = {label.language: str(label) for label in graph.objects(cashier, rdflib.URIRef(SKOS + "prefLabel"))}
    assert labels == curated.model.professions["cashier"].labels
    assert (cashier, rdflib.RDF.type, rdflib.URIRef(PG + "Profession")) in graph


@pytest.mark.parametrize("accept_language, lang", [(None, "en"), ("kk-KZ,kk;q=0.9,ru;q=0.8", "kk"),
                                                   ("ru-RU,ru;q=0.9,en;q=0.5", "ru"), ("de,fr;q=0.5", "en"),
                                                   ("de, en;q=0.4, kk;q=0.6", "kk")])
def test_browsers_are_sent_to_the_page_in_their_language(client, curated, accept_language, lang):
    headers = {"Accept": BROWSER, **({"Accept-Language": accept_language} if accept_language else {})}
    skill = sorted(curated.model.professions["cashier"].essential)[0]
    for path, page in [("/profession/cashier", f"/{lang}/profession/cashier"), (f"/skill/{skill}", f"/{lang}/skill/{skill}"),
                       (f"/sector/{curated.model.professions['cashier'].sector}", f"/{lang}/sectors")]:
        response = client.get(path, headers=headers)
        assert response.status_code == 303 and response.headers["location"] == page
        assert client.get(page).status_code == 200


def test_unknown_iris_are_404(client):
    for path in ["/profession/no-such-profession", "/skill/%3E%20%7D", "/sector/x%20y", "/unit/nothing"]:
        for accept in (BROWSER, "text/turtle"):
            assert client.get(path, headers={"Accept": accept}).status_code == 404
    assert client.get("/profession/cashier", headers={"Accept": "image/png"}).status_code == 406
