"""What the handlers of one served app share: the dataset, the server settings, the languages of
the pages, the SPARQL endpoint and what is worth computing once. :func:`profgraph.web.app.create_app`
puts one :class:`ServerContext` on ``app.state.context``; a handler finds it with
:func:`context_of`."""

from __future__ import annotations

from functools import lru_cache

from starlette.responses import JSONResponse

from ..rules import DEFAULT_MIN_COVERAGE

API_CACHE_ANSWERS = 256  # API answers kept; each is at most a few hundred KB


class ServerContext:
    """The state of one served app: ``dataset``, ``settings`` (a
    :class:`profgraph.web.app.ServerSettings`), ``languages`` (of the pages), ``model`` (the
    dataset's) and ``sparql`` (its :class:`profgraph.web.endpoint.SparqlEndpoint`).

    The dataset does not change while it is served, so what is derived from it is kept:
    :meth:`remembered` keeps a value by key (pages, labels, the search index), :attr:`api_answer` the
    last :data:`API_CACHE_ANSWERS` JSON answers.
    """

    def __init__(self, dataset, settings, languages):
        from .endpoint import SparqlEndpoint

        self.dataset, self.settings, self.languages = dataset, settings, tuple(languages)
        self.model = dataset.model
        self.sparql = SparqlEndpoint(dataset, settings)
        self._remembered: dict = {}
        self.api_answer = lru_cache(maxsize=API_CACHE_ANSWERS)(self._api_answer)
        # Build the lazy views now: the request threads then only read them.
        dataset.names
        dataset.transition_graph(DEFAULT_MIN_COVERAGE)

    def remembered(self, key, compute):
        """Return the value kept under ``key``, computing it with ``compute()`` the first time.
        Two threads may both compute it; either result is kept, as they are equal."""
        try:
            return self._remembered[key]
        except KeyError:
            return self._remembered.setdefault(key, compute())

    def _api_answer(self, answer, arguments: tuple) -> bytes:
        """Return ``answer(self, dict(arguments))`` as the body of a JSON response. Raises what
        ``answer`` raises (an error is not kept)."""
        return JSONResponse(answer(self, dict(arguments))).body

    def close(self) -> None:
        """Stop the SPARQL endpoint's query processes."""
        self.sparql.close()


def context_of(request) -> ServerContext:
    """Return the :class:`ServerContext` of the app that received ``request``."""
    return request.app.state.context
