"""The format registry (profgraph.formats): reading it imports no writer, every writer it names
exists, its media types and suffixes name the formats the engine writes, and every format it lists
for a kind of result is written, and served, as it says."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import pytest
from pyoxigraph import QueryResultsFormat, RdfFormat, parse, parse_query_results

from profgraph import formats
from profgraph.sparql import run_query
from profgraph.errors import UsageError

QUERIES = {
    formats.SELECT: "SELECT ?p ?label WHERE { ?p a pg:Profession ; skos:prefLabel ?label } ORDER BY ?p ?label LIMIT 5",
    formats.ASK: "ASK { profession:cashier a pg:Profession }",
    formats.GRAPH: "CONSTRUCT { ?p a pg:Profession } WHERE { ?p a pg:Profession } LIMIT 5",
}


def test_reading_the_registry_imports_no_writer(tmp_path):
    """The CLI reads the registry for its choices at start-up: that must not import a writer's module,
    nor the libraries they need; asking for a writer imports it."""
    script = ("import sys; from profgraph import formats; "
              "before = sorted(m for m in sys.modules if m.startswith(('profgraph.', 'pyoxigraph', 'pandas', 'networkx'))); "
              "formats.names(*formats.QUERY_KINDS); formats.served(); "
              "formats.writer('nt', formats.EXPORT); "
              "print(before, 'profgraph.export' in sys.modules)")
    found = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                           env={"PYTHONPATH": str(formats.__file__).rsplit("/profgraph/", 1)[0], "PATH": ""})
    assert found.stdout.strip() == "['profgraph.formats'] True"


def test_every_writer_the_registry_names_exists():
    for entry in formats.WRITERS:
        assert callable(formats.writer(entry.name, entry.kind)), entry
    with pytest.raises(KeyError):
        formats.writer("csv", formats.GRAPH)


def test_media_types_and_suffixes_name_what_the_engine_writes():
    """Where Oxigraph knows a format, the registry's media type and suffix both name that format."""
    rdf_kinds = set(formats.names(formats.GRAPH, formats.EXPORT))
    for name in ("ttl", "nt", "nq", "jsonld", "rdfxml"):
        found = formats.FORMATS[name]
        assert name in rdf_kinds
        assert RdfFormat.from_media_type(found.media_type) == RdfFormat.from_extension(found.suffix[1:])
    for name in ("json", "xml", "csv", "tsv"):
        found = formats.FORMATS[name]
        engine = QueryResultsFormat.from_media_type(found.media_type)
        assert engine == QueryResultsFormat.from_extension(found.suffix[1:])
        assert found.w3c == "SPARQL_Results_" + name.upper()


@pytest.mark.parametrize("kind", formats.QUERY_KINDS)
def test_every_query_format_writes_and_the_others_are_refused(curated, kind):
    listed = formats.names(kind)
    for name in formats.names(*formats.QUERY_KINDS):
        output = io.BytesIO()
        if name not in listed:
            with pytest.raises(UsageError, match="does not fit"):
                run_query(curated, QUERIES[kind], output, name)
            continue
        run_query(curated, QUERIES[kind], output, name)
        assert read(output.getvalue(), kind, name) == EXPECTED[kind], name


@pytest.mark.parametrize("kind", formats.QUERY_KINDS)
def test_the_endpoint_serves_each_format_as_its_media_type(client, kind):
    """Named by ``format=`` or asked for by any media type it accepts, a format is served with its
    media type; the first the endpoint serves is the default; a format that does not fit is 406."""
    for found in formats.served(kind):
        asked = [({"format": found.name}, {})] + [({}, {"Accept": media}) for media in found.accepted]
        for params, headers in asked:
            response = client.get("/sparql", params={"query": QUERIES[kind], **params}, headers=headers)
            assert response.status_code == 200, (found.name, params, headers)
            assert response.headers["content-type"] == found.media_type, (found.name, params, headers)
            assert read(response.content, kind, found.name) == EXPECTED[kind]
    default = client.get("/sparql", params={"query": QUERIES[kind]})
    assert default.headers["content-type"] == formats.served(kind)[0].media_type
    fitting = {found.name for found in formats.served(kind)}
    for other in formats.served():
        if not fitting & set(formats.for_name(other.name)):  # "json" also names JSON-LD, for a graph
            response = client.get("/sparql", params={"query": QUERIES[kind], "format": other.name})
            assert response.status_code == 406 and "does not fit" in response.text, other.name


EXPECTED = {formats.SELECT: 5, formats.ASK: True, formats.GRAPH: 5}


def read(body: bytes, kind: str, name: str):
    """What a result written in format ``name`` holds: its number of rows or triples, or the ASK answer."""
    if name == "table" and kind == formats.SELECT:
        return len(body.decode().splitlines()) - 3  # a header, a rule and a count of rows
    if name == "table" and kind == formats.ASK:
        return body == b"true\n"
    media_type = formats.FORMATS["ttl" if name == "table" else name].media_type  # a graph's table is Turtle
    if kind == formats.GRAPH:
        return len(list(parse(body, RdfFormat.from_media_type(media_type))))
    if name == "csv":  # Oxigraph does not read its lossy CSV back
        return len(list(csv.reader(io.StringIO(body.decode())))) - 1
    answer = parse_query_results(body, format=QueryResultsFormat.from_media_type(media_type))
    return bool(answer) if kind == formats.ASK else len(list(answer))
