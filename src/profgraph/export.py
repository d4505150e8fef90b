"""Exports of a dataset for other tools: RDF serialisations, the profession graph, CSV tables.

- RDF (``ttl``, ``nt``, ``rdfxml``, ``jsonld``): one graph holding the data and, unless asked
  otherwise, the ontology; ``nq`` keeps them in their named graphs (the ontology's
  :data:`~profgraph.vocab.ONTOLOGY_GRAPH`, the curated data's :data:`~profgraph.vocab.DATA_GRAPH`,
  an ESCO import's :data:`~profgraph.vocab.ESCO_GRAPH`, so that the N-Quads of both merge without
  collision). Written by Oxigraph straight from the store, streaming; JSON-LD is written here,
  streaming too, compacted with the project's prefixes as its ``@context``.
- ``graphml`` and ``gexf`` (Gephi, Cytoscape): professions, skills and sectors with the
  requirement, transformation and sector edges, see :func:`network`.
- ``csv``: a folder of the tables of ``data/`` (professions, their measures, skills, requirements, transformations,
  sectors, sources, indicators, observations and their code lists), see :func:`tables`.

Every output is written atomically (:mod:`profgraph.atomic`).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from . import formats
from .atomic import OutputFolder, open_output
from .errors import UsageError
from .model import Model
from .vocab import LANGUAGES, ONTOLOGY_GRAPH, PREFIXES, RDF, XSD, compact_iri


def export(dataset, output_format: str, path: str | Path, with_ontology: bool = True, force: bool = False) -> Path:
    """Write ``dataset`` (a :class:`profgraph.store.Dataset`) to ``path`` in ``output_format`` (an
    export format of :mod:`profgraph.formats`) and return the path.

    ``path`` is a file (a regular file or a new path; ``-`` is standard output), or for ``csv`` a
    folder: new, empty, an earlier CSV export, or anything else with ``force``, which moves it aside
    (:class:`~profgraph.atomic.OutputFolder`). ``with_ontology`` matters to the RDF formats only.
    Raises :class:`~profgraph.errors.UsageError` for an unknown format or an unusable path.
    """
    path = Path(path)
    known = formats.names(formats.EXPORT)
    if output_format not in known:
        raise UsageError(f"unknown export format {output_format!r}; use one of {', '.join(known)}")
    formats.writer(output_format, formats.EXPORT)(dataset, path, output_format, with_ontology, force)
    return path


def export_rdf(dataset, path: Path, output_format: str, with_ontology: bool, force: bool) -> None:
    """Write the RDF of ``dataset`` to the file ``path`` (:func:`write_rdf`); ``force`` is not needed."""
    with open_output(path) as handle:
        write_rdf(dataset.rdf, handle, output_format, with_ontology)


def export_network(dataset, path: Path, output_format: str, with_ontology: bool, force: bool) -> None:
    """Write :func:`network` of ``dataset`` to the file ``path`` as ``graphml`` or ``gexf``."""
    import networkx as nx

    with open_output(path) as handle:
        (nx.write_graphml if output_format == "graphml" else nx.write_gexf)(network(dataset.model), handle)


def export_tables(dataset, path: Path, output_format: str, with_ontology: bool, force: bool) -> None:
    """Write :func:`tables` of ``dataset`` into the folder ``path``, one CSV file each."""
    if str(path) == "-":
        raise UsageError("the csv export writes a folder of tables; give a folder, not '-'")
    with OutputFolder(path, "csv", force=force, inputs=[getattr(dataset, "path", None)]) as output:
        for name, frame in tables(dataset.model).items():
            frame.to_csv(output.workspace / f"{name}.csv", index=False, encoding="utf-8")


def data_graphs(store) -> list:
    """Return the named graphs of the :class:`pyoxigraph.Store` ``store`` that hold data (all but
    the ontology's), sorted by IRI."""
    return sorted((graph for graph in store.named_graphs() if graph.value != ONTOLOGY_GRAPH),
                  key=lambda graph: graph.value)


def rdf_quads(store, with_ontology: bool = True) -> Iterator:
    """Yield the quads of the ontology graph (when ``with_ontology``) and of the data graphs
    (:func:`data_graphs`) of the :class:`pyoxigraph.Store` ``store``, each graph's quads grouped by
    subject."""
    from pyoxigraph import NamedNode

    graphs = ([NamedNode(ONTOLOGY_GRAPH)] if with_ontology else []) + data_graphs(store)
    for graph in graphs:
        yield from store.quads_for_pattern(None, None, None, graph)


def write_rdf(store, output: BinaryIO, output_format: str, with_ontology: bool = True) -> None:
    """Serialise the RDF of ``store`` to the binary stream ``output`` in ``nq`` or one of the formats
    of :func:`write_triples`.

    Every format but ``nq`` merges the data and ontology graphs into one graph.
    """
    from pyoxigraph import RdfFormat, serialize

    quads = rdf_quads(store, with_ontology)
    if output_format == "nq":
        serialize(quads, output, RdfFormat.N_QUADS)
        return
    write_triples((quad.triple for quad in quads), output, output_format)


def write_triples(triples, output: BinaryIO, output_format: str) -> None:
    """Write ``triples`` to ``output`` in ``output_format``: ``ttl`` (or ``table``: people read a
    graph best as Turtle), ``nt``, ``jsonld`` or ``rdfxml``, streaming, with the project's prefixes
    where the format has prefixes."""
    from pyoxigraph import RdfFormat, serialize

    if output_format == "jsonld":
        write_jsonld(triples, output)
        return
    media_type = formats.FORMATS["ttl" if output_format == "table" else output_format].media_type
    serialize(triples, output, RdfFormat.from_media_type(media_type),
              prefixes=None if output_format == "nt" else PREFIXES)


def write_jsonld(triples, output: BinaryIO) -> None:
    """Write ``triples`` as one JSON-LD document ``{"@context": prefixes, "@graph": [nodes]}``, streaming.

    Triples of one subject must come together (as :func:`rdf_quads` yields them) to share one node
    object; were they not, the document would still hold the same triples, in several node objects.
    IRIs under a known prefix are written compact (``pg:Profession``).
    """
    from pyoxigraph import Literal

    output.write(b'{\n"@context": ' + json.dumps(PREFIXES).encode() + b',\n"@graph": [')
    first = True
    for subject, group in itertools.groupby(triples, key=lambda triple: triple.subject):
        node: dict = {"@id": _node_id(subject)}
        for triple in group:
            predicate = triple.predicate.value
            if predicate == RDF + "type" and not isinstance(triple.object, Literal):
                node.setdefault("@type", []).append(_node_id(triple.object))
            else:
                node.setdefault(compact_iri(predicate), []).append(_jsonld_value(triple.object))
        output.write((b"\n" if first else b",\n") + json.dumps(node, ensure_ascii=False).encode("utf-8"))
        first = False
    output.write(b"\n]\n}\n")


def _node_id(term) -> str:
    from pyoxigraph import BlankNode

    return f"_:{term.value}" if isinstance(term, BlankNode) else compact_iri(term.value)


def _jsonld_value(term) -> dict:
    from pyoxigraph import Literal

    if not isinstance(term, Literal):
        return {"@id": _node_id(term)}
    if term.language:
        return {"@value": term.value, "@language": term.language}
    if term.datatype.value == XSD + "string":
        return {"@value": term.value}
    return {"@value": term.value, "@type": compact_iri(term.datatype.value)}


def network(model: Model):
    """Return the professions, skills and sectors of ``model`` as a :class:`networkx.DiGraph`.

    Nodes are ``profession:ID``, ``skill:ID`` and ``sector:ID``. Every node has ``kind``
    (profession, skill or sector), ``iri``, ``label`` (English) and ``label_kk``, ``label_ru``,
    ``label_en``; professions have ``status``, ``sector``, ``isco08``, ``automation_exposure``,
    ``exposure_source`` and ``esco_uri`` where known, skills ``skill_type`` and ``esco_uri``, sectors
    ``code`` and ``broader``. Every edge has ``relation``:

    - ``essential`` / ``optional``: from a profession to each skill it requires, with ``weight``
      (:data:`~profgraph.vocab.RELATION_WEIGHT`: 1 or 0.5);
    - ``transforms_into``: from a profession to its successor, with ``source``;
    - ``in_sector``: from a profession to its sector;
    - ``broader``: from a sector division to its section.

    Attributes with no value are left out, as GraphML and GEXF have no null.
    """
    import networkx as nx

    graph = nx.DiGraph(name=model.name)
    for sector in model.sectors.values():
        graph.add_node(f"sector:{sector.id}", **_present(
            kind="sector", iri=sector.iri, **_labels(sector), code=sector.code, broader=sector.broader))
    for sector in model.sectors.values():
        if sector.broader:
            graph.add_edge(f"sector:{sector.id}", f"sector:{sector.broader}", relation="broader")
    for skill in model.skills.values():
        graph.add_node(f"skill:{skill.id}", **_present(
            kind="skill", iri=skill.iri, **_labels(skill), skill_type=skill.type, esco_uri=skill.esco_uri))
    for profession in model.professions.values():
        node = f"profession:{profession.id}"
        graph.add_node(node, **_present(
            kind="profession", iri=profession.iri, **_labels(profession), status=profession.status,
            sector=profession.sector, isco08=profession.isco08, automation_exposure=profession.exposure,
            exposure_source=profession.exposure_source, esco_uri=profession.esco_uri))
        if profession.sector:
            graph.add_edge(node, f"sector:{profession.sector}", relation="in_sector")
        for skill_id, relation, weight in profession.requirements():
            graph.add_edge(node, f"skill:{skill_id}", relation=relation, weight=weight)
    for transformation in model.transformations:
        graph.add_edge(f"profession:{transformation.origin}", f"profession:{transformation.successor}",
                       **_present(relation="transforms_into", source=transformation.source))
    return graph


def _labels(entity) -> dict:
    labels = {f"label_{lang}": entity.labels.get(lang) for lang in LANGUAGES}
    return {"label": entity.labels.get("en") or next(iter(entity.labels.values()), entity.id), **labels}


def _present(**attributes) -> dict:
    return {key: value for key, value in attributes.items() if value is not None}


def tables(model: Model) -> dict:
    """Return the tables of ``model`` as :class:`pandas.DataFrame` s, by name: ``professions``,
    ``skills``, ``requirements``, ``transformations``, ``sectors``, ``sources``, ``publishers``,
    ``indicators``, ``observations``, ``areas``, ``units``, ``isco_groups`` and ``dataset`` (its
    one row describes the dataset).

    The columns are those of the curated tables in ``data/``, plus ``iri`` where the rows have
    one; alternative labels are joined with `` | ``; a missing value is an empty cell. The tables
    of a model read from ``data/`` read back as the same model
    (:func:`profgraph.sources.curated.read_curated`).
    """
    import pandas as pd

    def alts(entity) -> dict:
        return {f"alt_{lang}": " | ".join(entity.alt_labels.get(lang, ())) for lang in LANGUAGES}

    def labels(entity) -> dict:
        return {f"label_{lang}": entity.labels.get(lang, "") for lang in LANGUAGES}

    def frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
        return pd.DataFrame(rows, columns=columns)

    label_columns = [f"label_{lang}" for lang in LANGUAGES]
    alt_columns = [f"alt_{lang}" for lang in LANGUAGES]
    code_columns = ["id", "iri", *label_columns, "exact_match"]
    from .measures import MEASURE_COLUMNS

    return {
        "professions": frame(
            [{"id": p.id, "iri": p.iri, **labels(p), **alts(p), "isco08": p.isco08, "sector": p.sector,
              "status": p.status, "automation_exposure": p.exposure, "exposure_source": p.exposure_source,
              "esco_uri": p.esco_uri, "esco_match": p.esco_match, "esco_note": p.esco_note,
              "esco_isco08": p.esco_isco08, "isco_note": p.isco_note} for p in model.professions.values()],
            ["id", "iri", *label_columns, *alt_columns, "isco08", "sector", "status", "automation_exposure",
             "exposure_source", "esco_uri", "esco_match", "esco_note", "esco_isco08", "isco_note"]),
        "profession_measures": frame(
            [{"profession": p.id, **{column: getattr(p.measures, column) for column in MEASURE_COLUMNS}}
             for p in model.professions.values()],
            ["profession", *MEASURE_COLUMNS]),
        "skills": frame(
            [{"id": s.id, "iri": s.iri, "type": s.type, **labels(s), **alts(s), "esco_uri": s.esco_uri}
             for s in model.skills.values()],
            ["id", "iri", "type", *label_columns, *alt_columns, "esco_uri"]),
        "requirements": frame(
            [{"profession": p.id, "skill": skill_id, "relation": relation, "level": p.levels.get(skill_id, "")}
             for p in model.professions.values() for skill_id, relation, _ in p.requirements()],
            ["profession", "skill", "relation", "level"]),
        "transformations": frame(
            [{"from": t.origin, "to": t.successor, "source": t.source, "note": t.note}
             for t in model.transformations],
            ["from", "to", "source", "note"]),
        "sectors": frame(
            [{"id": s.id, "iri": s.iri, "code": s.code, "broader": s.broader, **labels(s),
              "definition_en": s.definition} for s in model.sectors.values()],
            ["id", "iri", "code", "broader", *label_columns, "definition_en"]),
        "sources": frame(
            [{"id": s.id, "iri": s.iri, "title": s.title, "publisher": s.publisher, "year": s.year, "url": s.url,
              "note": s.note} for s in model.sources.values()],
            ["id", "iri", "title", "publisher", "year", "url", "note"]),
        "publishers": frame(
            [{"id": a.id, "iri": a.iri, "name": name, "kind": a.kind} for a in model.agents.values()
             for name in a.names],
            ["id", "iri", "name", "kind"]),
        "indicators": frame(
            [{"id": i.id, "iri": i.iri, **labels(i), "unit": i.unit} for i in model.indicators.values()],
            ["id", "iri", *label_columns, "unit"]),
        "observations": frame(
            [{"indicator": o.indicator, "area": o.area, "period": o.period, "sector": o.sector, "value": o.value,
              "source": o.source, "note": o.note} for o in model.observations],
            ["indicator", "area", "period", "sector", "value", "source", "note"]),
        "areas": frame([{"id": c.id, "iri": c.iri, **labels(c), "exact_match": c.exact_match}
                        for c in model.areas.values()], code_columns),
        "units": frame([{"id": c.id, "iri": c.iri, **labels(c), "exact_match": c.exact_match}
                        for c in model.units.values()], code_columns),
        "isco_groups": frame([{"code": code, "title_en": title} for code, title in model.isco_titles.items()],
                             ["code", "title_en"]),
        "dataset": frame([model.about] if model.about else [], ["id", "title", "description", "license", "publisher"]),
    }
