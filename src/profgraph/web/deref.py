"""Dereferenceable IRIs: ``profgraph serve`` answers the path of every persistent IRI of the data
(``/profession/cashier`` for ``https://w3id.org/profgraph/profession/cashier``), with content
negotiation:

- a browser (``Accept`` ranking HTML above RDF) is sent with ``303 See Other`` to the page of the
  resource in the language of its ``Accept-Language`` among the served ones (English by default):
  ``/en/profession/cashier``, ``/kk/skill/...``, ``/ru/sectors`` for a sector;
- any other client gets the resource's concise bounded description (every triple whose subject is
  the resource, and those of the blank nodes they reach) as Turtle (the default), N-Triples,
  JSON-LD or RDF/XML, as ``Accept`` asks;
- an IRI the data does not hold is 404.
"""

from __future__ import annotations

from ..vocab import BASE, PREFIXES

KINDS = tuple(name for name, namespace in PREFIXES.items() if namespace == f"{BASE}{name}/")
PAGES = {"profession": "profession/{slug}", "skill": "skill/{slug}", "sector": "sectors"}
MAX_TRIPLES = 10_000  # a description never grows past this many triples
DEFAULT_LANG = "en"


def concise_description(store, iri: str, limit: int = MAX_TRIPLES) -> list:
    """Return the triples of the concise bounded description of ``iri`` in the pyoxigraph ``store``
    (over all its graphs, each triple once), at most ``limit`` of them; empty when the store says
    nothing about it. Raises ``ValueError`` when ``iri`` is not an IRI."""
    from pyoxigraph import BlankNode, NamedNode

    start = NamedNode(iri)
    triples, seen, reached, waiting = [], set(), {start}, [start]
    while waiting and len(triples) < limit:
        for quad in store.quads_for_pattern(waiting.pop(), None, None):
            triple = quad.triple
            if triple in seen:
                continue
            seen.add(triple)
            triples.append(triple)
            if isinstance(triple.object, BlankNode) and triple.object not in reached:
                reached.add(triple.object)
                waiting.append(triple.object)
    return triples[:limit]


def page_language(accept_language: str | None, languages) -> str:
    """Return the first of ``languages`` that the ``Accept-Language`` header asks for (by quality,
    ``kk-KZ`` counting as ``kk``), else :data:`DEFAULT_LANG` (or the first served language)."""
    from .endpoint import ranked_header

    for _, _, tag in sorted(ranked_header(accept_language), key=lambda item: (-item[0], item[1])):
        if tag.split("-")[0] in languages:
            return tag.split("-")[0]
    return DEFAULT_LANG if DEFAULT_LANG in languages else tuple(languages)[0]


def resource(dataset, languages, kind: str, slug: str, accept: str | None, accept_language: str | None):
    """Return the Starlette response for the IRI path ``/{kind}/{slug}`` of ``dataset`` (see the
    module's docstring)."""
    from io import BytesIO

    from starlette.responses import PlainTextResponse, RedirectResponse, Response

    from .endpoint import ProtocolError, choose_format, preferred_formats, prefers_html
    from ..export import write_triples
    from ..formats import FORMATS

    vary = {"Vary": "Accept, Accept-Language"}
    try:
        triples = concise_description(dataset.rdf, f"{BASE}{kind}/{slug}")
    except ValueError:
        triples = []
    if not triples:
        return PlainTextResponse(f"no such {kind}", 404)
    if prefers_html(accept or "") and kind in PAGES:
        from urllib.parse import quote

        lang = page_language(accept_language, languages)
        return RedirectResponse(f"/{lang}/" + PAGES[kind].format(slug=quote(slug, safe="")), 303, headers=vary)
    try:
        output_format = choose_format("graph", preferred_formats(accept))
    except ProtocolError as error:
        return PlainTextResponse(str(error), error.status)
    buffer = BytesIO()
    write_triples(triples, buffer, output_format)
    return Response(buffer.getvalue(), media_type=FORMATS[output_format].media_type, headers=vary)


def linked_resource(request):
    """``/{kind}/{slug}`` for each of :data:`KINDS`: the answer of :func:`resource` over the app's
    dataset, in its languages."""
    from .context import context_of

    context = context_of(request)
    kind = request.url.path.split("/")[1]
    return resource(context.dataset, context.languages, kind, request.path_params["slug"],
                    request.headers.get("accept"), request.headers.get("accept-language"))
