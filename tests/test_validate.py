"""`profgraph validate`: SHACL shapes and table checks find real problems and pass clean data."""

from __future__ import annotations

from pyoxigraph import NamedNode, RdfFormat
from types import SimpleNamespace

import pytest
from pyoxigraph import Quad, Store
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from profgraph.sources.curated import read_curated
from profgraph.validate import check_shapes, cube_findings, table_findings
from profgraph.vocab import DATA_GRAPH, PG, PREFIXES

from conftest import edit_csv, run

P = Namespace(PG)


def data_graph(dataset) -> Graph:
    return Graph().parse(data=dataset.rdf.dump(format=RdfFormat.N_TRIPLES, from_graph=NamedNode(DATA_GRAPH)),
                         format="nt")


@pytest.mark.slow
def test_curated_data_are_clean(curated):
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert "0 violation(s)" in result.output


def test_shapes_catch_injected_errors(tiny):
    graph = data_graph(tiny)
    assert check_shapes(graph) == []
    clerk = URIRef("https://w3id.org/profgraph/profession/clerk")
    graph.set((clerk, P.automationExposure, Literal("1.7", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal"))))
    graph.add((clerk, SKOS.prefLabel, Literal("second clerk", lang="en")))
    skill = URIRef("https://w3id.org/profgraph/skill/a")
    graph.remove((skill, P.skillType, None))
    analyst = URIRef("https://w3id.org/profgraph/profession/analyst")
    graph.remove((analyst, P.automationExposureSource, None))
    findings = check_shapes(graph)
    by_focus = {}
    for finding in findings:
        by_focus.setdefault(finding.focus, []).append(finding.message)
    assert any("automationExposure" in m for m in by_focus[str(clerk)])
    assert any("prefLabel" in m for m in by_focus[str(clerk)])
    assert any("skillType" in m for m in by_focus[str(skill)])
    assert any("automationExposureSource" in m for m in by_focus[str(analyst)])
    assert all(f.severity == "violation" for f in findings)


def test_table_checks(tiny_copy):
    findings = table_findings(read_curated(tiny_copy))
    # every tiny profession requires fewer skills than a curated profile must (the designer has six)
    assert {f.focus for f in findings if f.check == "requirements"} == set(read_curated(tiny_copy).professions)
    edit_csv(tiny_copy / "skills.csv", "b,professional,б дағдысы,навык б", "b,professional,б дағдысы,навык а")
    findings = table_findings(read_curated(tiny_copy))
    duplicates = [f for f in findings if f.check == "unique-labels"]
    assert [(f.focus, f.severity) for f in duplicates] == [("b", "violation")]
    assert "'навык а'" in duplicates[0].message


def test_validate_exits_1_on_violations(tiny_copy, monkeypatch):
    monkeypatch.setenv("PROFGRAPH_DATA", str(tiny_copy))
    result = run("validate")
    assert result.exit_code == 1
    assert "violation" in result.output and "requirements" in result.output


def test_esco_matches_and_isco_codes_are_checked(tiny_copy):
    """Two close matches to one ESCO occupation, and an ISCO-08 code that differs from the ESCO
    occupation's without a note, are violations; a broad match or a note clears them."""
    occupation = "http://data.europa.eu/esco/occupation/6353b3e8-e8f2-4ecb-b230-186927139892"
    edit_csv(tiny_copy / "professions.csv", "exposure_source,esco_uri", "exposure_source,esco_uri,esco_isco08,esco_match,isco_note")
    edit_csv(tiny_copy / "professions.csv", "4110,office,disappearing,0.9,tiny-author,",
             f"4110,office,disappearing,0.9,tiny-author,{occupation},4132,close,")
    edit_csv(tiny_copy / "professions.csv", "4132,office,emerging,0.8,tiny-author,",
             f"4132,office,emerging,0.8,tiny-author,{occupation},4132,close,")
    findings = table_findings(read_curated(tiny_copy), complete_languages=False)
    assert [(f.check, f.focus) for f in findings if f.check in ("esco-match", "isco-agreement")] == [
        ("esco-match", "operator"), ("isco-agreement", "clerk")]
    edit_csv(tiny_copy / "professions.csv", f"{occupation},4132,close,\n", f"{occupation},4132,broad,because\n")
    findings = table_findings(read_curated(tiny_copy), complete_languages=False)
    assert not [f for f in findings if f.check in ("esco-match", "isco-agreement")]


def test_unreachable_successor_needs_a_note(tiny_copy, monkeypatch):
    from profgraph.datasets import load
    from profgraph.validate import successor_findings

    edit_csv(tiny_copy / "transformations.csv", "clerk,operator,tiny-author", "clerk,operator,tiny-author\nclerk,island,tiny-author")
    findings = successor_findings(load(data=tiny_copy))
    assert [(f.severity, f.focus) for f in findings if "island" in f.message] == [("violation", "clerk")]
    edit_csv(tiny_copy / "transformations.csv", "from,to,source", "from,to,source,note")
    edit_csv(tiny_copy / "transformations.csv", "clerk,island,tiny-author", "clerk,island,tiny-author,no path: a long retraining")
    assert not [f for f in successor_findings(load(data=tiny_copy)) if "island" in f.message]


def test_shapes_catch_unlinked_vocabulary(tiny):
    """A literal publisher, an untyped year, an observation with no sector and a profession outside
    the SKOS hierarchy: the defects of profgraph's earlier RDF."""
    graph = data_graph(tiny)
    assert check_shapes(graph) == []
    source = URIRef("https://w3id.org/profgraph/source/tiny-author")
    graph.set((source, DCTERMS.publisher, Literal("profgraph tests")))
    graph.set((source, DCTERMS.date, Literal("2026")))
    observation = next(graph.subjects(RDF.type, URIRef(PREFIXES["qb"] + "Observation")))
    graph.remove((observation, P.refSector, None))
    clerk = URIRef("https://w3id.org/profgraph/profession/clerk")
    graph.remove((clerk, SKOS.broader, None))
    messages = {(finding.focus, finding.message.split(" ", 1)[1]) for finding in check_shapes(graph)}
    assert (str(source), "dct:publisher names a dct:Agent resource, not a literal.") in messages
    assert (str(source), "A source's date is a year (xsd:gYear).") in messages
    assert (str(observation),
            "An observation has one reference sector, a code of pg:SectorScheme (_T for all sectors).") in messages
    assert any(focus == str(clerk) for focus, _ in messages)


def test_validate_reports_data_cube_violations(tiny):
    assert cube_findings(tiny) == []
    store = Store()
    store.bulk_extend(Quad(quad.subject, quad.predicate, quad.object) for quad in tiny.rdf)
    store.update("INSERT DATA { pg:refSectorComponent qb:componentRequired false }", prefixes=PREFIXES)
    findings = cube_findings(SimpleNamespace(rdf=store))
    assert [(f.severity, f.check, f.focus) for f in findings] == [("violation", "datacube", "IC-6")]
    assert "only attributes may be optional" in findings[0].message
