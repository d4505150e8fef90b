"""The store: built from the tables on first use, cached, rebuilt when the data change, atomic."""

from __future__ import annotations

import pytest

import profgraph
from profgraph.errors import DataError
from profgraph.store import StoreError, open_store

from conftest import edit_csv


def _count(store, sparql):
    return int(next(iter(store.query(sparql, use_default_graph_as_union=True)))[0].value)


def test_rdf_and_graph_come_from_the_same_model(tiny):
    model = tiny.model
    professions = _count(tiny.rdf, "SELECT (COUNT(?p) AS ?n) WHERE { ?p a <https://w3id.org/profgraph/ontology#Profession> }")
    requirements = _count(tiny.rdf, "SELECT (COUNT(?r) AS ?n) WHERE { ?r a <https://w3id.org/profgraph/ontology#SkillRequirement> }")
    assert professions == len(model.professions) == tiny.manifest["professions"]
    assert requirements == sum(len(p.skills) for p in model.professions.values())
    assert set(tiny.graph.nodes) == set(model.professions)
    # the ontology is loaded beside the data
    assert _count(tiny.rdf, "SELECT (COUNT(*) AS ?n) WHERE { <https://w3id.org/profgraph/ontology#Profession> a <http://www.w3.org/2002/07/owl#Class> }") == 1


def test_labels_carry_language_tags(tiny):
    rows = list(tiny.rdf.query(
        "SELECT ?l WHERE { <https://w3id.org/profgraph/profession/clerk> <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }",
        use_default_graph_as_union=True))
    assert sorted((row[0].value, row[0].language) for row in rows) == [
        ("clerk", "en"), ("делопроизводитель", "ru"), ("хатшы", "kk")]


def test_cached_until_the_data_change(tiny_copy):
    first = profgraph.load(data=tiny_copy)
    again = profgraph.load(data=tiny_copy)
    assert again.manifest["built"] == first.manifest["built"]
    assert again.manifest["fingerprint"] == first.manifest["fingerprint"]
    edit_csv(tiny_copy / "professions.csv", "делопроизводитель", "конторский служащий")
    rebuilt = profgraph.load(data=tiny_copy)
    assert rebuilt.manifest["fingerprint"] != first.manifest["fingerprint"]
    assert rebuilt.model.professions["clerk"].labels["ru"] == "конторский служащий"


def test_bad_data_leaves_the_previous_store_intact(tiny_copy):
    good = profgraph.load(data=tiny_copy)
    edit_csv(tiny_copy / "profession_measures.csv", "clerk,3.70", "clerk,9.9")  # off Nesta's 1..5 scale
    with pytest.raises(DataError):
        profgraph.load(data=tiny_copy)
    kept = open_store(good.path)
    assert kept.manifest["fingerprint"] == good.manifest["fingerprint"]
    assert kept.model.professions["clerk"].exposure == 0.9
    assert not [p for p in good.path.parent.iterdir() if ".build-" in p.name]


def test_a_folder_that_is_not_a_store(tmp_path):
    with pytest.raises(StoreError, match="not a profgraph store"):
        profgraph.load(store=tmp_path)
