"""profgraph: a profession-transformation knowledge graph for Kazakhstan's labour market.

>>> import profgraph
>>> dataset = profgraph.load()          # the embedded curated data, built and cached on first use
>>> dataset.model.professions["cashier"].status
'disappearing'
"""

__version__ = "0.1.0"


def load(store=None, data=None):
    """Return the :class:`profgraph.store.Dataset` to work on; see :func:`profgraph.datasets.load`."""
    from .datasets import load as _load

    return _load(store, data)


def query(sparql, store=None, allow_service=(), default_graphs=None, named_graphs=None):
    """Run a SPARQL query on ``store`` (a dataset, a store folder, or None for the default dataset) and
    return a pandas DataFrame (SELECT) or a bool (ASK); see :func:`profgraph.sparql.query`."""
    from .datasets import opened
    from .sparql import query as _query

    return _query(sparql, opened(store), allow_service, default_graphs, named_graphs)
