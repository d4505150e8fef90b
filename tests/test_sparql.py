"""`profgraph sparql`: results in every W3C format parse with standard parsers and hold what the
tables say; errors are one line with the right exit code; timeouts stop; results stream."""

from __future__ import annotations

import csv
import io
import json
import os
import time
from pathlib import Path

import pandas as pd
import pytest
import rdflib
from rdflib.query import Result

import profgraph
from profgraph import export, sparql
from profgraph.sparql import QuerySyntaxError, QueryTimeout, execute, run_query, write_result
from profgraph.vocab import compact_iri

from conftest import curated_exposures, curated_table, run, run_python

EXPOSURES = curated_exposures()

BASE = "https://w3id.org/profgraph/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
# Disappearing professions with their labels in every language, exposure, ISCO code, sector label
# (with commas, to exercise CSV quoting), a constant integer and a variable never bound.
MIXED = """
SELECT ?profession ?label ?exposure ?isco ?sectorLabel ?one ?missing WHERE {
  ?profession pg:status pg:Disappearing ; skos:prefLabel ?label ; pg:iscoCode ?isco ;
              pg:sector/skos:prefLabel ?sectorLabel .
  FILTER(lang(?sectorLabel) = "en")
  OPTIONAL { ?profession pg:automationExposure ?exposure }
  OPTIONAL { ?profession pg:noSuchProperty ?missing }
  BIND(1 AS ?one)
} ORDER BY ?profession ?label
"""
VARIABLES = ["profession", "label", "exposure", "isco", "sectorLabel", "one", "missing"]
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def expected_mixed():
    """The rows of MIXED from the CSV tables: (iri, label, lang, exposure, isco, sector label)."""
    professions = curated_table("professions")
    sectors = curated_table("sectors").set_index("id").label_en
    out = set()
    for p in professions[professions.status == "disappearing"].itertuples():
        exposure = None if EXPOSURES[p.id] is None else round(EXPOSURES[p.id], 4)
        for lang in ("kk", "ru", "en"):
            out.add((f"{BASE}profession/{p.id}", getattr(p, f"label_{lang}"), lang, exposure, p.isco08,
                     sectors[p.sector]))
    return out


def parsed_rows(result: Result):
    rows = set()
    for row in result:
        label, exposure = row["label"], row["exposure"]
        assert row["one"] == rdflib.Literal(1) and row["missing"] is None
        rows.add((str(row["profession"]), str(label), label.language,
                  None if exposure is None else round(float(exposure), 4), str(row["isco"]), str(row["sectorLabel"])))
    return rows


@pytest.mark.parametrize("output_format", ["json", "xml", "tsv"])
def test_select_results_parse_with_rdflib(curated, expected_mixed, output_format):
    result = run("sparql", MIXED, "--format", output_format)
    assert result.exit_code == 0, result.output
    parsed = Result.parse(io.BytesIO(result.stdout_bytes), format=output_format)
    assert [str(v) for v in parsed.vars] == VARIABLES
    assert len(parsed) == len(expected_mixed)
    assert parsed_rows(parsed) == expected_mixed
    if output_format == "json":
        document = json.loads(result.stdout_bytes)
        assert document["head"]["vars"] == VARIABLES
        binding = document["results"]["bindings"][0]
        assert binding["profession"]["type"] == "uri" and "xml:lang" in binding["label"]
        assert binding["exposure"]["datatype"] == "http://www.w3.org/2001/XMLSchema#decimal"


def test_select_csv_parses_with_python_csv_and_rdflib(curated, expected_mixed):
    result = run("sparql", MIXED, "--format", "csv")
    assert result.exit_code == 0, result.output
    text = result.stdout_bytes.decode("utf-8")
    assert "\r\n" in text  # the W3C CSV format uses CRLF line ends
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == VARIABLES
    # CSV drops language tags and datatypes; unbound values are empty fields
    expected = {(iri, label, "" if exposure is None else exposure, isco, sector, "1", "")
                for iri, label, _, exposure, isco, sector in expected_mixed}
    assert {(r[0], r[1], float(r[2]) if r[2] else "", r[3], r[4], r[5], r[6]) for r in rows[1:]} == expected
    assert len(rows) - 1 == len(expected_mixed)
    assert len(Result.parse(io.BytesIO(result.stdout_bytes), format="csv")) == len(expected_mixed)


def test_table_for_people(curated, expected_mixed):
    result = run("sparql", MIXED)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == VARIABLES
    assert set(lines[1]) <= {"-", " "}
    assert lines[-1] == f"({len(expected_mixed)} rows)"
    assert len(lines) == len(expected_mixed) + 3
    assert lines[2].startswith("profession:")  # IRIs under a known prefix are written short


@pytest.mark.parametrize("output_format", ["json", "xml"])
def test_ask(curated, output_format):
    cashier = curated_table("professions").set_index("id").loc["cashier"]
    status = cashier.status.capitalize()
    for concept, answer in ((status, True), ("Emerging" if status != "Emerging" else "Stable", False)):
        result = run("sparql", f"ASK {{ profession:cashier pg:status pg:{concept} }}", "--format", output_format)
        assert result.exit_code == 0, result.output
        assert Result.parse(io.BytesIO(result.stdout_bytes), format=output_format).askAnswer is answer
    assert run("sparql", "ASK { profession:cashier a pg:Profession }").stdout == "true\n"


@pytest.mark.parametrize("output_format", ["ttl", "nt", "table"])
def test_construct_parses_with_rdflib(curated, output_format):
    result = run("sparql", "CONSTRUCT { ?p skos:prefLabel ?l } WHERE { ?p a pg:Profession ; skos:prefLabel ?l }",
                 "--format", output_format)
    assert result.exit_code == 0, result.output
    graph = rdflib.Graph().parse(data=result.stdout, format="nt" if output_format == "nt" else "turtle")
    expected = {(rdflib.URIRef(f"{BASE}profession/{p.id}"), rdflib.URIRef(SKOS + "prefLabel"),
                 rdflib.Literal(getattr(p, f"label_{lang}"), lang=lang))
                for p in curated_table("professions").itertuples() for lang in ("kk", "ru", "en")}
    assert set(graph) == expected


def test_describe(curated):
    result = run("sparql", "DESCRIBE profession:cashier", "--format", "ttl")
    assert result.exit_code == 0, result.output
    graph = rdflib.Graph().parse(data=result.stdout, format="turtle")
    cashier = rdflib.URIRef(f"{BASE}profession/cashier")
    isco = curated_table("professions").set_index("id").isco08["cashier"]
    assert (cashier, rdflib.URIRef("https://w3id.org/profgraph/ontology#iscoCode"), rdflib.Literal(isco)) in graph
    assert set(graph.subjects()) == {cashier}


def test_query_from_file_and_stdin(curated, tmp_path):
    path = tmp_path / "count.rq"
    path.write_text("# how many professions?\nSELECT (COUNT(*) AS ?n) WHERE { ?p a pg:Profession }\n", encoding="utf-8")
    expected = len(curated_table("professions"))
    result = run("sparql", "-f", str(path), "--format", "csv")
    assert result.exit_code == 0 and result.stdout.split() == ["n", str(expected)]
    result = run("sparql", "-f", "-", "--format", "csv", input=path.read_text(encoding="utf-8"))
    assert result.exit_code == 0 and result.stdout.split() == ["n", str(expected)]


def test_output_file_is_written_atomically(curated, tmp_path):
    target = tmp_path / "out.csv"
    assert run("sparql", "SELECT ?p WHERE { ?p a pg:Profession }", "--format", "csv", "-o", str(target)).exit_code == 0
    before = target.read_bytes()
    assert len(before.splitlines()) == len(curated_table("professions")) + 1
    result = run("sparql", "SELECT ?p WHERE { ?p a pg:Profession", "--format", "csv", "-o", str(target))
    assert result.exit_code == 2
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


# ----------------------------------------------------------------------------- bad input


def test_syntax_error_gives_line_and_column_and_exit_2(curated):
    result = run("sparql", "SELECT ?p\nWHERE {\n  ?p a pg:Profession .\n  FILTER( }")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: SPARQL syntax error at line 4, column ")
    assert len(result.stderr.strip().splitlines()) == 1 and result.stdout == ""


def test_undeclared_prefix(curated):
    result = run("sparql", "SELECT ?p WHERE { ?p a nope:Profession }")
    assert result.exit_code == 2
    assert "line 1" in result.stderr and "undeclared prefix" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("content, message", [
    (None, "does not exist"),
    (b"SELECT * WHERE { ?s ?p \"\xe9\" }", "is not UTF-8"),
])
def test_bad_query_file(curated, tmp_path, content, message):
    path = tmp_path / "query.rq"
    if content is not None:
        path.write_bytes(content)
    result = run("sparql", "-f", str(path))
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_query_file_that_is_a_folder(curated, tmp_path):
    result = run("sparql", "-f", str(tmp_path))
    assert result.exit_code == 2 and "is a folder" in result.stderr


def test_query_and_file_are_exclusive(curated, tmp_path):
    assert run("sparql").exit_code == 2
    path = tmp_path / "q.rq"
    path.write_text("ASK {}", encoding="utf-8")
    assert run("sparql", "ASK {}", "-f", str(path)).exit_code == 2


@pytest.mark.parametrize("query, output_format", [
    ("SELECT ?p WHERE { ?p a pg:Profession }", "ttl"),
    ("ASK { ?p a pg:Profession }", "csv"),
    ("CONSTRUCT WHERE { ?p a pg:Profession }", "json"),
])
def test_format_that_does_not_fit_the_query(curated, query, output_format):
    result = run("sparql", query, "--format", output_format)
    assert result.exit_code == 2 and "does not fit" in result.stderr


def _children_of_this_process() -> list[str]:
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
            if int(fields["PPid"]) == os.getpid():
                found.append((status.parent / "cmdline").read_bytes().decode(errors="replace"))
        except (OSError, ValueError, KeyError):
            pass
    return found


def test_timeout_stops_the_query_and_its_process(curated):
    output = io.BytesIO()
    start = time.monotonic()
    with pytest.raises(QueryTimeout, match="stopped after the 1 s timeout") as caught:
        run_query(curated, SLOW, output, "csv", timeout=1)
    assert time.monotonic() - start < 15
    assert caught.value.exit_code == 3 and output.getvalue() == b""
    assert not [cmd for cmd in _children_of_this_process() if "_child_main" in cmd]


def test_timeout_leaves_fast_queries_and_errors_alone(curated):
    output = io.BytesIO()
    run_query(curated, MIXED, output, "json", timeout=30)
    with_timeout = Result.parse(io.BytesIO(output.getvalue()), format="json")
    output = io.BytesIO()
    run_query(curated, MIXED, output, "json")
    assert parsed_rows(with_timeout) == parsed_rows(Result.parse(io.BytesIO(output.getvalue()), format="json"))
    with pytest.raises(QuerySyntaxError, match="line 1, column"):
        run_query(curated, "SELECT WHERE {", io.BytesIO(), "json", timeout=30)
    with pytest.raises(sparql.UsageError, match="does not fit"):
        run_query(curated, "ASK {}", io.BytesIO(), "csv", timeout=30)


@pytest.mark.skipif(not Path("/proc").exists(), reason="needs Linux")
def test_timeout_through_the_real_cli(curated):
    start = time.monotonic()
    done = run_python("-m", "profgraph", "sparql", SLOW, "--timeout", "1", timeout=60)
    assert done.returncode == 3
    assert done.stderr.strip() == "Error: query stopped after the 1 s timeout"
    assert time.monotonic() - start < 20


class _StopAfterFirstWrite(io.RawIOBase):
    class Stop(Exception):
        pass

    def writable(self):
        return True

    def write(self, data):
        raise self.Stop(len(data))


@pytest.mark.parametrize("output_format", ["table", "csv", "tsv", "json", "xml"])
def test_results_stream(curated, output_format):
    """The first bytes of a result with tens of millions of rows are written within a second or so:
    nothing waits for the whole result (which would take minutes and gigabytes)."""
    start = time.monotonic()
    with pytest.raises(_StopAfterFirstWrite.Stop):
        write_result(execute(curated.rdf, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"), _StopAfterFirstWrite(),
                     output_format)
    assert time.monotonic() - start < 5


def test_graph_results_stream(curated):
    start = time.monotonic()
    with pytest.raises(_StopAfterFirstWrite.Stop):
        write_result(execute(curated.rdf, "CONSTRUCT { ?a ?b ?f } WHERE { ?a ?b ?c . ?d ?e ?f }"),
                     _StopAfterFirstWrite(), "nt")
    assert time.monotonic() - start < 5


# ----------------------------------------------------------------------------- Python API and prefixes


def test_query_returns_a_typed_dataframe(curated):
    frame = profgraph.query("""
        SELECT ?id ?label ?exposure (COUNT(?skill) AS ?skills) ?iscoNumber ?escoTag ?isStable WHERE {
          ?p a pg:Profession ; skos:notation ?id ; skos:prefLabel ?label ; pg:essentialSkill ?skill .
          FILTER(lang(?label) = "ru")
          OPTIONAL { ?p pg:automationExposure ?exposure }
          OPTIONAL { ?p pg:iscoCode ?code FILTER(STRSTARTS(?code, "2")) BIND(xsd:integer(?code) AS ?iscoNumber) }
          OPTIONAL { ?p skos:closeMatch|skos:broadMatch|skos:narrowMatch ?esco BIND(STR(?esco) AS ?escoTag) }
          BIND(EXISTS { ?p pg:status pg:Stable } AS ?isStable)
        } GROUP BY ?id ?label ?exposure ?iscoNumber ?escoTag ?isStable ORDER BY ?id""", store=curated)
    professions = curated_table("professions").set_index("id")
    requirements = curated_table("requirements")
    assert frame.id.tolist() == sorted(professions.index)
    assert str(frame.skills.dtype) == "int64" and str(frame.exposure.dtype) == "float64"
    assert str(frame.iscoNumber.dtype) == "Int64"  # integers with gaps
    assert str(frame.isStable.dtype) == "boolean"
    assert pd.api.types.is_string_dtype(frame.label) and isinstance(frame.label[0], str)
    essential = requirements[requirements.relation == "essential"].groupby("profession").size()
    for row in frame.itertuples():
        assert row.label == professions.label_ru[row.id]
        assert row.skills == essential[row.id]
        assert row.exposure == pytest.approx(EXPOSURES[row.id], abs=5e-5)  # the RDF keeps 4 decimals
        code = professions.isco08[row.id]
        assert (row.iscoNumber == int(code)) if code.startswith("2") else pd.isna(row.iscoNumber)
        assert (row.escoTag == professions.esco_uri[row.id]) if professions.esco_uri[row.id] else pd.isna(row.escoTag)
        assert row.isStable == (professions.status[row.id] == "stable")


def test_query_ask_and_errors(curated):
    assert profgraph.query("ASK { profession:cashier a pg:Profession }", store=curated) is True
    with pytest.raises(QuerySyntaxError):
        profgraph.query("SELECT", store=curated)


@pytest.mark.slow
def test_printed_prefixes_are_a_valid_prologue_for_any_engine(curated, tmp_path):
    """The PREFIX lines 'profgraph prefixes' prints work in rdflib, over an export of the graph."""
    result = run("prefixes")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == len(sparql.PREFIXES) and all(line.startswith("PREFIX ") for line in lines)
    assert len({line.index("<") for line in lines}) == 1  # the IRIs line up
    path = tmp_path / "graph.nt"
    export.export(curated, "nt", path)
    graph = rdflib.Graph().parse(path, format="nt")
    answer = graph.query(result.stdout + "SELECT ?p WHERE { ?p pg:status pg:Emerging ; skos:inScheme pg:ProfessionScheme }")
    professions = curated_table("professions")
    assert {str(row.p) for row in answer} == {f"{BASE}profession/{p}" for p in professions.id[professions.status == "emerging"]}


def test_one_iri_compaction_for_json_ld_and_for_tables(curated):
    """JSON-LD takes any local part but one starting with //; a table cell shows a prefixed name only
    where SPARQL reads it back as written, so that it can be pasted into a query."""
    profession = f"{BASE}profession/"
    assert compact_iri(f"{BASE}ontology#Profession") == compact_iri(f"{BASE}ontology#Profession", True) == "pg:Profession"
    assert compact_iri("http://data.europa.eu/esco/isco/C5230", True) == "isco:C5230"
    for local in ("a/b", "cashier.", "x?y=1"):
        assert compact_iri(profession + local) == "profession:" + local
        assert compact_iri(profession + local, prefixed_name=True) == profession + local
    assert compact_iri(profession + "//host/x") == profession + "//host/x"
    assert compact_iri("http://example.org/x", True) == "http://example.org/x"
    output = io.BytesIO()
    run_query(curated, "SELECT ?p WHERE { ?p a pg:Profession } ORDER BY ?p", output, "table")
    names = output.getvalue().decode().splitlines()[2:-1]
    assert len(names) == len(curated.model.professions) and all(name.startswith("profession:") for name in names)
    assert profgraph.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?p {{ {' '.join(names)} }} ?p a pg:Profession }}",
                           store=curated).n[0] == len(names)
