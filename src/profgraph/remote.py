"""A dataset on an external SPARQL 1.1 server (Oxigraph server, Virtuoso, Fuseki, GraphDB), and
``push``, which uploads one there with the SPARQL 1.1 Graph Store HTTP Protocol.

:func:`open_remote` pulls the triples of the dataset's graph in bounded pages (CONSTRUCT over an
ordered SELECT with LIMIT/OFFSET), reads them back into a :class:`~profgraph.model.Model`
(:func:`model_from_triples`) and builds an ordinary store from it in the cache folder, keyed by
endpoint and graph. The next time a cheap probe (the graph's triple count) decides whether the cached
copy is still good. Names, paths and similarity are then computed locally, exactly as for the
embedded store; SPARQL queries from ``serve`` go straight to the endpoint (:meth:`RemoteDataset.answer`).

Nothing a user types is pasted into a query: the only value that enters one is the graph IRI,
checked by :func:`check_iri`.
"""

from __future__ import annotations

import hashlib
import json
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict

from .errors import ProfgraphError, UsageError
from .model import Model, Profession, Sector, Skill, Source, Transformation
from .store import Dataset, StoreError, build_store, cache_dir, open_store
from .vocab import DCT, PG, RDF, RDFS, SKILL_TYPE_CONCEPT, SKOS, STATUS_CONCEPT

PAGE = 10_000  # triples per request
TIMEOUT = 60.0  # seconds per HTTP request
_IRI_FORBIDDEN = set('<>"{}|^`\\ \t\r\n')


class RemoteError(ProfgraphError):
    """The SPARQL server could not be reached or refused a request."""


def check_iri(iri: str) -> str:
    """Return ``iri`` if it is an absolute IRI that can sit between ``<`` and ``>`` in SPARQL;
    raise :class:`~profgraph.errors.UsageError` otherwise (so it can never close the IRI early)."""
    if not iri or any(char in _IRI_FORBIDDEN or ord(char) < 0x20 for char in iri) or ":" not in iri:
        raise UsageError(f"not a usable graph IRI: {iri[:80]!r}")
    return iri


def _http(url: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None,
          timeout: float = TIMEOUT) -> tuple[str, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        detail = error.read()[:300].decode("utf-8", "replace").strip()
        raise RemoteError(f"{url.split('?')[0]} answered {error.code}: {detail or error.reason}") from None
    except (urllib.error.URLError, OSError) as error:
        raise RemoteError(f"cannot reach {url.split('?')[0]}: {getattr(error, 'reason', error)}") from None


def push(dataset, store_url: str, graph: str | None = None) -> int:
    """Upload the RDF of ``dataset`` (data and ontology) to the Graph Store endpoint ``store_url``,
    replacing the graph ``graph`` (default: the default graph) with HTTP PUT. Returns the number of
    triples sent. Raises :class:`RemoteError` when the server refuses."""
    from pyoxigraph import RdfFormat, serialize

    triples = [quad.triple for quad in dataset.rdf]
    body = serialize(triples, format=RdfFormat.N_TRIPLES)
    target = urllib.parse.urlencode({"graph": check_iri(graph)}) if graph else "default"
    _http(f"{store_url}?{target}", body, {"Content-Type": "application/n-triples"}, "PUT")
    return len(triples)


class RemoteDataset(Dataset):
    """A :class:`~profgraph.store.Dataset` built from a SPARQL endpoint's graph and cached; it keeps
    the ``endpoint`` and ``graph_iri`` so that SPARQL goes to the server."""

    endpoint: str
    graph_iri: str | None

    def answer(self, sparql: str, formats: list[str], timeout: float, max_bytes: int) -> tuple:
        """Send ``sparql`` (with the project's prefixes declared) to the endpoint; return
        ``("ok", format, body)`` or ``(status, message)``, as :func:`profgraph.endpoint.answer`."""
        from .endpoint import _ACCEPTED, MEDIA_TYPES
        from .vocab import PREFIXES

        declared = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())
        accept = ", ".join(MEDIA_TYPES[name].split(";")[0] for name in formats) or "*/*"
        try:
            content_type, body = _http(self.endpoint, urllib.parse.urlencode({"query": declared + sparql}).encode(),
                                       {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
                                       timeout=timeout)
        except RemoteError as error:
            return 400 if " 400:" in str(error) else 502, str(error)
        if len(body) > max_bytes:
            return 400, f"the result is larger than {max_bytes} bytes; add a LIMIT"
        output_format = _ACCEPTED.get(content_type.split(";")[0].strip().lower())
        if output_format is None:
            return 502, f"the endpoint answered with an unknown type {content_type!r}"
        return "ok", output_format, body


def execute_remote(dataset: RemoteDataset, sparql: str, timeout: float | None = None):
    """Send ``sparql`` (the project's prefixes declared) to the dataset's endpoint and return the
    answer as :func:`profgraph.sparql.execute` would: ``QuerySolutions``, ``QueryBoolean`` or, for
    CONSTRUCT/DESCRIBE, a list of triples. Raises :class:`~profgraph.sparql.QuerySyntaxError` when
    the server rejects the query as malformed, :class:`RemoteError` when it cannot be asked."""
    from pyoxigraph import QueryResultsFormat, RdfFormat, parse, parse_query_results

    from .sparql import QuerySyntaxError
    from .vocab import PREFIXES

    declared = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())
    accept = "application/sparql-results+json, application/n-triples;q=0.9"
    try:
        content_type, body = _http(dataset.endpoint, urllib.parse.urlencode({"query": declared + sparql}).encode(),
                                   {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
                                   timeout=timeout or TIMEOUT)
    except RemoteError as error:
        if " answered 400:" in str(error):
            raise QuerySyntaxError(f"the server rejected the query: {str(error).split(' answered 400: ', 1)[1]}") from None
        raise
    media = content_type.split(";")[0].strip().lower()
    if media == "application/n-triples":
        return list(parse(body, format=RdfFormat.N_TRIPLES))
    if media == "application/sparql-results+json":
        return parse_query_results(body, format=QueryResultsFormat.JSON)
    raise RemoteError(f"{dataset.endpoint} answered with an unexpected type {content_type!r}")


def _where(graph: str | None) -> str:
    return f"GRAPH <{check_iri(graph)}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"


def pull_triples(endpoint: str, graph: str | None = None, page: int = PAGE) -> list:
    """Return every triple of ``graph`` (default graph if None) at ``endpoint``, read in pages of
    ``page`` triples ordered by subject, predicate, object. Raises :class:`RemoteError`."""
    from pyoxigraph import RdfFormat, parse

    triples: list = []
    offset = 0
    while True:
        query = (f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {{ SELECT ?s ?p ?o WHERE {{ {_where(graph)} }} "
                 f"ORDER BY ?s ?p ?o LIMIT {int(page)} OFFSET {int(offset)} }} }}")
        _, body = _http(endpoint, urllib.parse.urlencode({"query": query}).encode(),
                        {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/n-triples"})
        batch = list(parse(body, format=RdfFormat.N_TRIPLES))
        triples += batch
        if len(batch) < page:
            return triples
        offset += page


def count_triples(endpoint: str, graph: str | None = None) -> int:
    """Return the number of triples in ``graph`` at ``endpoint`` (the cache's change probe)."""
    _, body = _http(endpoint, urllib.parse.urlencode({"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ {_where(graph)} }}"}
                                                     ).encode(),
                    {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"})
    try:
        return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
    except (ValueError, KeyError, IndexError) as error:
        raise RemoteError(f"{endpoint} gave an unreadable count: {error}") from None


def model_from_triples(triples, name: str = "remote") -> Model:
    """Return the :class:`Model` that :func:`profgraph.rdf.model_quads` wrote as ``triples``.

    Entities come in IRI order (the triples carry no file order); indicators are not read back.
    """
    from pyoxigraph import Literal

    from .rdf import measures_from_rdf

    facts: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for triple in triples:
        facts[triple.subject.value][triple.predicate.value].append(triple.object)
    typed = defaultdict(list)
    for subject, predicates in sorted(facts.items()):
        for kind in predicates.get(RDF + "type", []):
            typed[kind.value].append(subject)

    def one(subject: str, predicate: str):
        values = facts[subject].get(predicate)
        return values[0].value if values else None

    def labels(subject: str, predicate: str = SKOS + "prefLabel") -> dict:
        return {term.language: term.value for term in facts[subject].get(predicate, [])
                if isinstance(term, Literal) and term.language}

    def alt_labels(subject: str) -> dict:
        grouped = defaultdict(list)
        for term in facts[subject].get(SKOS + "altLabel", []):
            grouped[term.language].append(term.value)
        return {lang: tuple(sorted(texts)) for lang, texts in grouped.items()}

    sources = {one(iri, DCT + "identifier"): Source(one(iri, DCT + "identifier"), iri, one(iri, DCT + "title") or "",
                                                     one(iri, DCT + "publisher") or "", one(iri, DCT + "date") or "",
                                                     one(iri, RDFS + "seeAlso") or "", one(iri, RDFS + "comment") or "")
               for iri in typed[DCT + "BibliographicResource"]}
    source_ids = {source.iri: source.id for source in sources.values()}
    sectors = {one(iri, SKOS + "notation"): Sector(one(iri, SKOS + "notation"), iri, one(iri, PG + "sectorCode") or "",
                                                    labels(iri))
               for iri in typed[PG + "Sector"]}
    sector_ids = {sector.iri: sector.id for sector in sectors.values()}
    skill_types = {PG + concept: skill_type for skill_type, concept in SKILL_TYPE_CONCEPT.items()}
    statuses = {PG + concept: status for status, concept in STATUS_CONCEPT.items()}
    skills = {}
    for iri in typed[PG + "Skill"]:
        skill_id = one(iri, SKOS + "notation")
        skills[skill_id] = Skill(skill_id, iri, skill_types[one(iri, PG + "skillType")], labels(iri), alt_labels(iri),
                                 one(iri, SKOS + "closeMatch") or (iri if iri.startswith("http://data.europa.eu/esco/")
                                                                   else None))
    skill_ids = {skill.iri: skill.id for skill in skills.values()}
    professions = {}
    for iri in typed[PG + "Profession"]:
        pid = one(iri, SKOS + "notation")
        exposure = one(iri, PG + "automationExposure")
        measures = measures_from_rdf(one, iri, source_ids)
        if measures.automation_percentile is not None:  # the exposure at full precision
            exposure = measures.automation_percentile
        professions[pid] = Profession(
            pid, iri, labels(iri), alt_labels(iri), isco08=one(iri, PG + "iscoCode"), measures=measures,
            sector=sector_ids.get(one(iri, PG + "sector")), status=statuses.get(one(iri, PG + "status")),
            exposure=None if exposure is None else float(exposure),
            exposure_source=source_ids.get(one(iri, PG + "automationExposureSource")),
            esco_uri=one(iri, SKOS + "closeMatch") or (iri if iri.startswith("http://data.europa.eu/esco/") else None),
            essential=tuple(sorted(skill_ids[t.value] for t in facts[iri].get(PG + "essentialSkill", []))),
            optional=tuple(sorted(skill_ids[t.value] for t in facts[iri].get(PG + "optionalSkill", []))))
    profession_ids = {profession.iri: profession.id for profession in professions.values()}
    transformations = [Transformation(profession_ids[one(iri, PG + "fromProfession")],
                                      profession_ids[one(iri, PG + "toProfession")],
                                      source_ids.get(one(iri, DCT + "source")))
                       for iri in typed[PG + "Transformation"]]
    return Model(name, professions, skills, sectors, transformations, sources)


def open_remote(endpoint: str, graph: str | None = None) -> RemoteDataset:
    """Return the dataset in ``graph`` (default graph if None) at the SPARQL query endpoint
    ``endpoint``, from the cache when the server's triple count has not changed since it was pulled.
    Raises :class:`RemoteError` when the server cannot be reached or holds no profgraph data."""
    key = hashlib.sha256(f"{endpoint}\n{graph or ''}".encode()).hexdigest()[:16]
    folder = cache_dir() / f"remote-{key}"
    stamp = f"{endpoint}|{graph or ''}|{count_triples(endpoint, graph)}"
    try:
        dataset = open_store(folder)
        if dataset.manifest.get("fingerprint") != stamp:
            raise StoreError("stale")
    except StoreError:
        model = model_from_triples(pull_triples(endpoint, graph))
        if not model.professions:
            raise RemoteError(f"{endpoint} holds no profgraph professions"
                              + (f" in graph {graph}" if graph else "")) from None
        dataset = build_store(model, folder, stamp, details={"endpoint": endpoint, "graph": graph})
    remote = RemoteDataset(dataset.path, dataset.manifest)
    remote.endpoint, remote.graph_iri = endpoint, graph
    return remote
