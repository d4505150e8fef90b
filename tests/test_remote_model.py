"""Reading a model back from a remote graph's triples (:func:`profgraph.remote.model_from_triples`):
what does not hold a profgraph dataset's shape is refused, not read into a model that breaks later."""

from __future__ import annotations

import pytest
from pyoxigraph import NamedNode

from profgraph.rdf import model_from_triples
from profgraph.vocab import DCT, PG, RDF


def data_triples(dataset) -> list:
    """The triples of the dataset's data graph, as a remote endpoint gives them."""
    return [quad.triple for quad in dataset.rdf.quads_for_pattern(None, None, None, NamedNode(dataset.model.graph))]


def test_transformations_read_back_with_their_sources(curated):
    model = model_from_triples(data_triples(curated))
    assert set(model.transformations) == set(curated.model.transformations)


def test_a_transformation_without_a_source_is_refused(curated):
    """A transformation that cites no source used to come back citing None, a model that no store
    opens; now the triples are refused as not a profgraph dataset (``open_remote`` says so)."""
    transformations = {triple.subject for triple in data_triples(curated)
                       if triple.predicate == NamedNode(RDF + "type") and triple.object == NamedNode(PG + "Transformation")}
    assert transformations
    triples = [triple for triple in data_triples(curated)
               if not (triple.subject in transformations and triple.predicate == NamedNode(DCT + "source"))]
    with pytest.raises(KeyError):
        model_from_triples(triples)
