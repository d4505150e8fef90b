"""`profgraph export`: every format parses with a standard reader and holds what the tables say;
outputs are written atomically."""

from __future__ import annotations

import json

import networkx as nx
import pandas as pd
import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, SKOS

from profgraph import export as export_module
from profgraph.resources import data_dir
from profgraph.sources.curated import read_curated

from conftest import curated_exposures, curated_table, run

BASE = "https://w3id.org/profgraph/"
EXPOSURES = curated_exposures()
PG = rdflib.Namespace(BASE + "ontology#")
XSD_DECIMAL = rdflib.URIRef("http://www.w3.org/2001/XMLSchema#decimal")
RDFLIB_FORMAT = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdfxml": "xml"}


def ground(graph) -> set:
    """The triples of ``graph`` that hold no blank node."""
    return {triple for triple in graph if not any(isinstance(term, rdflib.BNode) for term in triple)}


@pytest.fixture(scope="module")
def exported(curated, tmp_path_factory):
    """Every RDF export of the curated data, with and without the ontology, parsed by rdflib."""
    folder = tmp_path_factory.mktemp("exports")
    graphs = {}
    for output_format, rdflib_format in RDFLIB_FORMAT.items():
        for flag in ("--with-ontology", "--without-ontology"):
            path = folder / f"{flag}.{output_format}"
            result = run("export", "--format", output_format, "-o", str(path), flag)
            assert result.exit_code == 0, result.output
            graphs[output_format, flag] = rdflib.Graph().parse(path, format=rdflib_format)
    return folder, graphs


@pytest.mark.parametrize("output_format", list(RDFLIB_FORMAT))
def test_rdf_exports_hold_the_same_graph(exported, output_format):
    _, graphs = exported
    full, data_only = graphs[output_format, "--with-ontology"], graphs[output_format, "--without-ontology"]
    # compare up to the renaming of blank nodes, should any appear
    assert isomorphic(full, graphs["nt", "--with-ontology"])
    assert isomorphic(data_only, graphs["nt", "--without-ontology"])
    assert set(data_only) == ground(data_only) < ground(full)
    # the ontology comes with --with-ontology only
    assert (PG.Profession, RDF.type, OWL.Class) in full and (PG.Profession, RDF.type, OWL.Class) not in data_only
    assert (PG.Emerging, SKOS.notation, rdflib.Literal("emerging")) in full


def test_rdf_export_agrees_with_the_tables(exported):
    graph = exported[1]["ttl", "--without-ontology"]
    professions = curated_table("professions")
    assert set(graph.subjects(RDF.type, PG.Profession)) == {rdflib.URIRef(f"{BASE}profession/{p}") for p in professions.id}
    for p in professions.itertuples():
        node = rdflib.URIRef(f"{BASE}profession/{p.id}")
        assert set(graph.objects(node, SKOS.prefLabel)) == {
            rdflib.Literal(getattr(p, f"label_{lang}"), lang=lang) for lang in ("kk", "ru", "en")}
        exposure = graph.value(node, PG.automationExposure)
        assert exposure.datatype == XSD_DECIMAL and float(exposure) == pytest.approx(EXPOSURES[p.id], abs=5e-5)
    requirements = curated_table("requirements")
    essential = {(rdflib.URIRef(f"{BASE}profession/{r.profession}"), rdflib.URIRef(f"{BASE}skill/{r.skill}"))
                 for r in requirements.itertuples() if r.relation == "essential"}
    assert set(graph.subject_objects(PG.essentialSkill)) == essential
    assert len(set(graph.subjects(RDF.type, PG.SkillRequirement))) == len(requirements)


def test_nquads_keep_the_named_graphs(exported, curated):
    folder, graphs = exported
    path = folder / "dataset.nq"
    assert run("export", "--format", "nq", "-o", str(path)).exit_code == 0
    dataset = rdflib.Dataset()
    dataset.parse(path, format="nquads")
    named = {str(graph.identifier): graph for graph in dataset.graphs() if len(graph)}
    assert set(named) == {BASE + "graph/data", BASE + "graph/ontology"}
    assert set(named[BASE + "graph/data"]) == set(graphs["nt", "--without-ontology"])
    union = rdflib.Graph()
    for graph in named.values():
        for triple in graph:
            union.add(triple)
    assert isomorphic(union, graphs["nt", "--with-ontology"])


def test_jsonld_is_compact(exported):
    document = json.loads((exported[0] / "--with-ontology.jsonld").read_text(encoding="utf-8"))
    assert document["@context"]["pg"] == BASE + "ontology#"
    cashier = next(node for node in document["@graph"] if node["@id"] == "profession:cashier")
    assert cashier["@type"] == ["skos:Concept", "pg:Profession"]
    assert {"@value": "кассир", "@language": "ru"} in cashier["skos:prefLabel"]


@pytest.mark.parametrize("output_format", ["graphml", "gexf"])
def test_profession_graph(curated, tmp_path, output_format):
    path = tmp_path / f"graph.{output_format}"
    assert run("export", "--format", output_format, "-o", str(path)).exit_code == 0
    graph = nx.read_graphml(path) if output_format == "graphml" else nx.read_gexf(path)
    professions, skills, requirements = curated_table("professions"), curated_table("skills"), curated_table("requirements")
    sectors, transformations = curated_table("sectors"), curated_table("transformations")
    assert set(graph.nodes) == ({f"profession:{p}" for p in professions.id} | {f"skill:{s}" for s in skills.id}
                                | {f"sector:{s}" for s in sectors.id})
    relations = pd.Series([relation for _, _, relation in graph.edges(data="relation")]).value_counts()
    assert relations.to_dict() == {
        **requirements.relation.value_counts().to_dict(), "transforms_into": len(transformations),
        "in_sector": len(professions), "broader": int((sectors.broader != "").sum())}
    for origin, successor, source in zip(transformations["from"], transformations["to"], transformations["source"]):
        edge = graph.edges[f"profession:{origin}", f"profession:{successor}"]
        assert edge["relation"] == "transforms_into" and edge["source"] == source
    for s in sectors.itertuples():
        node = graph.nodes[f"sector:{s.id}"]
        assert node["kind"] == "sector" and node["code"] == s.code and node["label_ru"] == s.label_ru
        if s.broader:
            assert graph.edges[f"sector:{s.id}", f"sector:{s.broader}"]["relation"] == "broader"
    for p in professions.itertuples():
        assert graph.edges[f"profession:{p.id}", f"sector:{p.sector}"]["relation"] == "in_sector"
    for r in requirements.itertuples():
        edge = graph.edges[f"profession:{r.profession}", f"skill:{r.skill}"]
        assert edge["relation"] == r.relation
        assert float(edge["weight"]) == (1.0 if r.relation == "essential" else 0.5)
    for p in professions.itertuples():
        node = graph.nodes[f"profession:{p.id}"]
        assert node["kind"] == "profession" and node["status"] == p.status and node["sector"] == p.sector
        assert (node["label_kk"], node["label_ru"], node["label_en"]) == (p.label_kk, p.label_ru, p.label_en)
        assert float(node["automation_exposure"]) == pytest.approx(EXPOSURES[p.id])
    for s in skills.itertuples():
        node = graph.nodes[f"skill:{s.id}"]
        assert node["kind"] == "skill" and node["skill_type"] == s.type and node["label_ru"] == s.label_ru


CSV_TABLES = ("professions", "profession_measures", "skills", "requirements", "transformations", "sectors", "sources", "publishers",
              "indicators", "observations", "areas", "units", "isco_groups", "dataset")
CSV_KEYS = {"requirements": ["profession", "skill"], "transformations": ["from", "to"],
            "observations": ["indicator", "area", "period", "sector"], "isco_groups": ["code"], "publishers": ["name"],
            "profession_measures": ["profession"]}


def test_csv_tables(curated, tmp_path):
    folder = tmp_path / "tables"
    assert run("export", "--format", "csv", "-o", str(folder)).exit_code == 0
    assert sorted(p.name for p in folder.iterdir()) == sorted([".profgraph-output", *(f"{n}.csv" for n in CSV_TABLES)])
    for name in CSV_TABLES:
        written = pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)
        original = curated_table(name)
        if name == "professions":  # the exposure is the measures' automation-risk percentile, with its source
            assert pd.to_numeric(written.pop("automation_exposure")).tolist() == \
                pytest.approx([EXPOSURES[pid] for pid in written["id"]])
            assert set(written.pop("exposure_source")) <= set(curated_table("sources")["id"])
            original = original.drop(columns=["automation_exposure", "exposure_source"])
        for column in list(original.columns[1:] if name == "profession_measures" else ("value",)):
            numbers = pd.to_numeric(original[column].replace("", None), errors="coerce") if column in original else None
            if numbers is not None and numbers.notna().any():  # numbers come back as numbers; compare them as such
                assert pd.to_numeric(written.pop(column).replace("", None)).tolist() == \
                    pytest.approx(numbers.tolist(), nan_ok=True), column
                original = original.drop(columns=column)
        normalise = {column: original[column].str.replace(r"\s*\|\s*", " | ", regex=True)
                     for column in original if column.startswith("alt_")}
        key = CSV_KEYS.get(name, ["id"])
        pd.testing.assert_frame_equal(
            written[list(original.columns)].sort_values(key, ignore_index=True),
            original.assign(**normalise).sort_values(key, ignore_index=True))
        if "iri" in written and name != "publishers":
            kind = {"sources": "source", "areas": "area", "units": "unit"}.get(name, name[:-1])
            assert (written.iri == BASE + kind + "/" + written.id).all()
    # the folder is a dataset folder: it reads back as the curated data
    assert read_curated(folder) == read_curated(data_dir())
    # a second export replaces the first
    assert run("export", "--format", "csv", "-o", str(folder)).exit_code == 0


def test_csv_export_never_deletes_other_files(curated, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    result = run("export", "--format", "csv", "-o", str(folder))
    assert result.exit_code == 2 and "holds files profgraph did not write (notes.txt)" in result.stderr
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["mine"]


def test_a_failed_export_leaves_the_old_file(curated, tmp_path, monkeypatch):
    path = tmp_path / "graph.ttl"
    path.write_text("old", encoding="utf-8")

    def broken(store, output, output_format, with_ontology=True):
        output.write(b"@prefix half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export_module, "write_rdf", broken)
    result = run("export", "--format", "ttl", "-o", str(path))
    assert result.exit_code == 1 and "No space left on device" in result.stderr
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]


@pytest.mark.parametrize("target, message", [("missing/graph.ttl", "does not exist"), (".", "is a folder")])
def test_bad_export_paths(curated, tmp_path, target, message):
    result = run("export", "--format", "ttl", "-o", str(tmp_path / target))
    assert result.exit_code == 2 and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
