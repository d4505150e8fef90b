"""Reading RDF back into a model (rdf.model_from_triples) gives what rdf.model_quads wrote."""

import dataclasses
from collections import defaultdict

import pytest

from profgraph.rdf import agent_iri, model_from_facts, model_from_triples, model_quads, restates
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


def test_a_reader_may_leave_out_the_triples_that_repeat_a_requirement(curated_and_read_back):
    """A remote read keeps no facts of the triples :func:`restates` (the requirement nodes' type,
    profession, skill and relation): the model is the same as from every triple, levels included."""
    model, _ = curated_and_read_back
    every: dict = defaultdict(lambda: defaultdict(list))
    kept: dict = defaultdict(lambda: defaultdict(list))
    for quad in model_quads(model):
        subject, predicate = quad.subject.value, quad.predicate.value
        every[subject][predicate].append(quad.object)
        if not restates(subject, predicate):
            kept[subject][predicate].append(quad.object)
    requirements = sum(len(profession.essential) + len(profession.optional) for profession in model.professions.values())
    assert _count(kept) == _count(every) - 4 * requirements  # a requirement's level stays
    from_every, from_kept = model_from_facts(every, model.name), model_from_facts(kept, model.name)
    assert sum(len(profession.levels) for profession in from_kept.professions.values()) > 100
    for key, profession in model.professions.items():
        assert _fields(from_kept.professions[key]) == _fields(from_every.professions[key]) == _fields(profession), key


def _count(facts: dict) -> int:
    return sum(len(objects) for predicates in facts.values() for objects in predicates.values())
