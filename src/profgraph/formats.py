"""The output formats, each described once: its name, media types, file suffix, and the writer of
each kind of result it serves.

A format (:class:`Format`) is a name the CLI and the ``format`` parameter accept (``ttl``,
``csv``...) with the media types it is served as (the first one; the others are accepted in
``Accept`` and ``format``), a file suffix, the names clients also call it by, and its name among
the W3C's format IRIs. Which kinds of result a format serves, and what writes them, is registered
apart (:func:`register`): a SPARQL ``select`` or ``ask`` result, a ``graph`` (CONSTRUCT, DESCRIBE,
a description), a dataset ``export`` or the ``transitions`` table. A writer is named by
``"module:function"`` and imported only when asked for (:func:`writer`), as rdflib's plugin
registry does, so that reading the registry costs nothing.

Writers of one kind take the same arguments, the format's name among them:

- ``select``, ``ask``, ``graph``: ``(result, output, name)``, ``output`` a binary stream;
- ``export``: ``(dataset, path, name, with_ontology, force)``;
- ``transitions``: ``(blocks, output, name, rules, progress)``.

Formats are listed for a kind in the order their writers were registered (what the CLI shows);
a SPARQL endpoint serves the formats that have a media type and write query results, in the
order of :data:`FORMATS` (:func:`served`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

SELECT, ASK, GRAPH, EXPORT, TRANSITIONS = "select", "ask", "graph", "export", "transitions"
QUERY_KINDS = (SELECT, ASK, GRAPH)
KIND_NAMES = {SELECT: "SELECT", ASK: "ASK", GRAPH: "CONSTRUCT/DESCRIBE", EXPORT: "export",
              TRANSITIONS: "transitions"}
W3C_FORMATS = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True)
class Format:
    """One output format. ``media_types``: the one it is served as first, then the others it is
    accepted as (none for a format only written to files); ``aliases``: the other names clients
    give it in a ``format`` parameter (SPARQLWrapper's, Virtuoso's, Fuseki's); ``w3c``: its name
    under :data:`W3C_FORMATS`, where it has one."""

    name: str
    title: str
    media_types: tuple[str, ...] = ()
    suffix: str = ""
    aliases: tuple[str, ...] = ()
    w3c: str = ""

    @property
    def media_type(self) -> str:
        """The media type the format is served as (with its parameters), or ``""`` if it has none."""
        return self.media_types[0] if self.media_types else ""

    @property
    def essence(self) -> str:
        """:attr:`media_type` without its parameters (``text/csv``), or ``""``."""
        return self.media_type.split(";")[0]

    @property
    def accepted(self) -> tuple[str, ...]:
        """The media types, without parameters, that ask for this format."""
        return tuple(media.split(";")[0] for media in self.media_types)


# A generic type means SPARQL results for SELECT and ASK, the RDF format for graphs: application/json
# is listed for json and jsonld, application/xml for xml and rdfxml, json and xml coming first.
FORMATS = {format_.name: format_ for format_ in (
    Format("json", "JSON", ("application/sparql-results+json", "application/json"), ".json",
           w3c="SPARQL_Results_JSON"),
    Format("xml", "XML", ("application/sparql-results+xml", "application/xml", "text/xml"), ".xml",
           w3c="SPARQL_Results_XML"),
    Format("csv", "CSV", ("text/csv; charset=utf-8",), ".csv", w3c="SPARQL_Results_CSV"),
    Format("tsv", "TSV", ("text/tab-separated-values; charset=utf-8",), ".tsv", aliases=("text",),
           w3c="SPARQL_Results_TSV"),
    Format("ttl", "Turtle", ("text/turtle; charset=utf-8", "application/x-turtle", "application/turtle",
                             "text/n3", "text/rdf+n3", "application/n3"),  # an N3 reader reads Turtle
           ".ttl", aliases=("turtle", "n3"), w3c="Turtle"),
    Format("nt", "N-Triples", ("application/n-triples", "text/plain"), ".nt", aliases=("ntriples", "n-triples"),
           w3c="N-Triples"),
    Format("nq", "N-Quads", ("application/n-quads",), ".nq", w3c="N-Quads"),
    Format("jsonld", "JSON-LD", ("application/ld+json", "application/x-json+ld", "application/json"), ".jsonld",
           aliases=("json-ld", "json"), w3c="JSON-LD"),
    Format("rdfxml", "RDF/XML", ("application/rdf+xml", "application/xml", "text/xml"), ".rdf",
           aliases=("rdf+xml", "rdf", "xml"), w3c="RDF_XML"),
    Format("graphml", "GraphML", suffix=".graphml"),
    Format("gexf", "GEXF", suffix=".gexf"),
    Format("table", "a text table for people", suffix=".txt"),
    Format("parquet", "Parquet", suffix=".parquet"),
)}


@dataclass(frozen=True)
class Writer:
    """What writes results of ``kind`` in format ``name``: ``function`` (``"module:function"``,
    imported on first use); ``about`` says what the output holds where the format's title does not."""

    name: str
    kind: str
    function: str
    about: str = ""

    @property
    def title(self) -> str:
        """The format's title, and what the output holds where :attr:`about` says it
        (``GraphML: professions, skills and sectors as a graph``)."""
        title = FORMATS[self.name].title
        return f"{title}: {self.about}" if self.about else title


WRITERS: list[Writer] = []


def register(kind: str, function: str, *names: str, about: str = "") -> None:
    """Register ``function`` (``"module:function"``) as the writer of results of ``kind`` in each
    format of ``names`` (keys of :data:`FORMATS`), listed after the formats registered before."""
    unknown = [name for name in names if name not in FORMATS]
    if unknown or kind not in KIND_NAMES:
        raise ValueError(f"unknown format {unknown[0]!r}" if unknown else f"unknown kind {kind!r}")
    WRITERS.extend(Writer(name, kind, function, about) for name in names)


register(SELECT, "profgraph.sparql:write_table", "table")
register(SELECT, "profgraph.sparql:write_results", "csv", "tsv", "json", "xml")
register(ASK, "profgraph.sparql:write_boolean", "table")
register(ASK, "profgraph.sparql:write_results", "json", "xml")
register(GRAPH, "profgraph.export:write_triples", "table", "ttl", "nt", "jsonld", "rdfxml")
register(EXPORT, "profgraph.export:export_rdf", "ttl", "nt", "nq", "jsonld", "rdfxml")
register(EXPORT, "profgraph.export:export_network", "graphml", "gexf",
         about="professions, skills and sectors as a graph")
register(EXPORT, "profgraph.export:export_tables", "csv", about="a folder of tables")
register(TRANSITIONS, "profgraph.transitions:write_text", "csv", "json")
register(TRANSITIONS, "profgraph.transitions:write_parquet", "parquet")


def writers(kind: str) -> list[Writer]:
    """Return the registered writers of results of ``kind``, in the order they were registered."""
    return [entry for entry in WRITERS if entry.kind == kind]


def names(*kinds: str) -> tuple[str, ...]:
    """Return the names of the formats that serve any of ``kinds``, in the order they were registered."""
    return tuple(dict.fromkeys(entry.name for entry in WRITERS if entry.kind in kinds))


def find_writer(name: str, kind: str) -> Writer | None:
    """Return the :class:`Writer` of results of ``kind`` in format ``name``, or None when it serves none."""
    return next((entry for entry in WRITERS if entry.name == name and entry.kind == kind), None)


def writer(name: str, kind: str) -> Callable:
    """Return the function that writes results of ``kind`` in format ``name``, importing its module
    now if it was not yet. Raises KeyError when the format serves no result of that kind."""
    found = find_writer(name, kind)
    if found is None:
        raise KeyError(f"format {name!r} writes no {KIND_NAMES.get(kind, kind)} result")
    module, _, function = found.function.partition(":")
    return getattr(importlib.import_module(module), function)


def served(kind: str | None = None) -> tuple[Format, ...]:
    """Return the formats a SPARQL endpoint answers in (a media type, and a writer of query results),
    in the order of :data:`FORMATS`; only those serving ``kind`` when it is given. The first one
    serving a kind is its default."""
    kinds = QUERY_KINDS if kind is None else (kind,)
    writing = set(names(*kinds))
    return tuple(format_ for format_ in FORMATS.values() if format_.media_types and format_.name in writing)


WEB_PAGE_TYPES = ("text/html", "application/xhtml+xml")


def essence_of(content_type: str) -> str:
    """Return the media type of a ``Content-Type`` header, or of one item of an ``Accept`` header,
    without its parameters and in lower case: ``"Text/HTML; charset=utf-8"`` -> ``"text/html"``."""
    return content_type.split(";")[0].strip().lower()


def for_media_type(media: str) -> list[str]:
    """Return the names of the :func:`served` formats that the media type ``media`` (lowercase, no
    parameters) asks for: one, or for a generic type the results format first and the RDF format next."""
    return [format_.name for format_ in served() if media in format_.accepted]


def for_name(value: str) -> list[str]:
    """Return the names of the :func:`served` formats called ``value`` by name or alias, in the order
    of :data:`FORMATS` (``json``: SPARQL results in JSON, then JSON-LD)."""
    return [format_.name for format_ in served() if value == format_.name or value in format_.aliases]
