"""Reading RDF back into a model (rdf.model_from_triples) gives what rdf.model_quads wrote."""

import dataclasses

import pytest

from profgraph.rdf import agent_iri, model_from_triples, model_quads
from profgraph.resources import data_dir
from profgraph.sources.curated import read_curated


@pytest.fixture(scope="module")
def curated_and_read_back():
    model = read_curated(data_dir())
    return model, model_from_triples([quad.triple for quad in model_quads(model)], model.name)


def _unordered(value):
    """RDF keeps no order among the values of one property: compare tuples of them as sets."""
    if isinstance(value, tuple):
        return sorted(value)
    if isinstance(value, dict):
        return {key: _unordered(item) for key, item in value.items()}
    return value


def _fields(entity) -> dict:
    return {field.name: _unordered(getattr(entity, field.name)) for field in dataclasses.fields(entity)}


@pytest.mark.parametrize("table", ["professions", "skills", "sectors"])
def test_every_entity_reads_back_field_for_field(curated_and_read_back, table):
    model, read_back = curated_and_read_back
    written, read = getattr(model, table), getattr(read_back, table)
    assert written.keys() == read.keys()
    for key, entity in written.items():
        assert _fields(read[key]) == _fields(entity), f"{table}[{key}]"


def test_labels_requirements_and_measures_come_back_in_every_language(curated_and_read_back):
    model, read_back = curated_and_read_back
    cashier, read = model.professions["cashier"], read_back.professions["cashier"]
    assert {"kk", "ru", "en"} <= read.labels.keys() and read.labels == cashier.labels
    assert set(read.essential) == set(cashier.essential) and set(read.optional) == set(cashier.optional)
    assert read.measures == cashier.measures and read.sector == cashier.sector and read.status == cashier.status


def test_transformations_and_sources_read_back(curated_and_read_back):
    model, read_back = curated_and_read_back
    assert sorted(map(_fields, read_back.transformations), key=repr) == sorted(map(_fields, model.transformations), key=repr)
    assert read_back.sources.keys() == model.sources.keys()
    for key, source in model.sources.items():
        read = read_back.sources[key]
        # the RDF names the publishing agent, whose own name the reader gives back
        assert agent_iri(model, read.publisher) == agent_iri(model, source.publisher), key
        assert dataclasses.replace(read, publisher=source.publisher) == source, key
