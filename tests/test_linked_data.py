"""The curated dataset as linked data: the Data Cube integrity constraints, the SKOS hierarchies,
the DCAT + VoID description and the named graphs, checked in SPARQL over the built store."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
import rdflib
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Store, parse

from profgraph import formats
from profgraph.datacube import CONSTRAINTS, violations
from profgraph.resources import data_dir, ontology_dir
from profgraph.sparql import execute
from profgraph.vocab import DATA_GRAPH, ESCO_GRAPH, ONTOLOGY_GRAPH, PREFIXES

from conftest import SHARED_DATA, curated_table, run
from esco_tiny import write_tiny_esco

README = Path(__file__).resolve().parents[1] / "README.md"


def ask(dataset, query: str) -> bool:
    return bool(execute(dataset.rdf, query))


def select(dataset, query: str) -> list[tuple]:
    return [tuple(None if term is None else term.value for term in row) for row in execute(dataset.rdf, query)]


# ---------------------------------------------------------------- RDF Data Cube


def test_the_indicator_cube_passes_every_integrity_constraint(curated):
    quads = list(curated.rdf)
    assert violations(quads) == {}
    # it also states what the normalization would infer, so a checker that skips it agrees
    assert violations(quads, normalize=False) == {}
    assert ask(curated, "ASK { ?o a qb:Observation }")
    assert list(CONSTRAINTS) == [f"IC-{n}" for n in range(1, 20)]


def test_every_dimension_value_is_an_iri_of_its_code_list(curated):
    found = select(curated, """
        SELECT ?dimension ?value ?list WHERE {
          pg:indicatorStructure qb:component/qb:dimension ?dimension .
          ?dimension qb:codeList ?list ; rdfs:range ?range .
          ?observation a qb:Observation ; ?dimension ?value .
          FILTER(isIRI(?value))
          ?value skos:inScheme ?list ; skos:notation [] .
        }""")
    observations = curated_table("observations")
    assert len(found) == 4 * len(observations)
    values = {(dimension.rsplit("#", 1)[1], value.rsplit("/", 1)[1]) for dimension, value, _ in found}
    assert {value for dimension, value in values if dimension == "refArea"} == set(observations.area)
    assert {value for dimension, value in values if dimension == "refPeriod"} == \
        {period.replace("/", "-") for period in observations.period}
    assert {value for dimension, value in values if dimension == "refSector"} == \
        {sector or "_T" for sector in observations.sector}
    units = select(curated, "SELECT DISTINCT ?unit WHERE { ?o sdmx-attribute:unitMeasure ?unit FILTER(isIRI(?unit)) }")
    assert {unit.rsplit("/", 1)[1] for (unit,) in units} == set(curated_table("indicators").unit)


MUTATIONS = {  # constraint -> an update that breaks it, on the curated data
    "IC-1": "INSERT { ?o qb:dataSet <urn:other> } WHERE { ?o qb:dataSet ?d } ",
    "IC-2": "INSERT { ?d qb:structure <urn:dsd> } WHERE { ?d a qb:DataSet }",
    "IC-3": "DELETE WHERE { pg:indicatorStructure qb:component pg:obsValueComponent }",
    "IC-4": "DELETE WHERE { pg:refArea rdfs:range ?range }",
    "IC-5": "DELETE WHERE { pg:refArea qb:codeList ?list }",
    # the sector as an optional dimension, as profgraph once modelled it
    "IC-6": "INSERT DATA { pg:refSectorComponent qb:componentRequired false }",
    "IC-7": "INSERT DATA { <urn:key> a qb:SliceKey }",
    "IC-8": "INSERT DATA { <urn:key> a qb:SliceKey ; qb:componentProperty <urn:p> . "
            "pg:indicatorStructure qb:sliceKey <urn:key> }",
    "IC-9": "INSERT DATA { <urn:slice> a qb:Slice }",
    "IC-10": "INSERT DATA { <urn:key> a qb:SliceKey ; qb:componentProperty pg:refArea . "
             "pg:indicatorStructure qb:sliceKey <urn:key> . <urn:slice> a qb:Slice ; qb:sliceStructure <urn:key> }",
    # an observation about no sector with no sector value, as profgraph once wrote it
    "IC-11": "DELETE { ?o pg:refSector ?s } WHERE { ?o pg:refSector ?s FILTER(?s = <https://w3id.org/profgraph/sector/_T>) }",
    "IC-12": "INSERT { <urn:twin> ?p ?v } WHERE { <https://w3id.org/profgraph/observation/gdp-growth--kz--2021> ?p ?v }",
    "IC-13": "DELETE WHERE { <https://w3id.org/profgraph/observation/gdp-growth--kz--2021> dct:source ?s }",
    "IC-14": "DELETE WHERE { <https://w3id.org/profgraph/observation/gdp-growth--kz--2021> sdmx-measure:obsValue ?v }",
    "IC-15": "INSERT DATA { pg:indicatorStructure qb:component [ qb:dimension qb:measureType ] . "
             "<https://w3id.org/profgraph/observation/gdp-growth--kz--2021> qb:measureType <urn:other-measure> }",
    "IC-16": "INSERT DATA { pg:indicatorStructure qb:component [ qb:dimension qb:measureType ] , "
             "[ qb:measure <urn:second> ] . <https://w3id.org/profgraph/observation/gdp-growth--kz--2021> "
             "qb:measureType sdmx-measure:obsValue ; <urn:second> 1 }",
    "IC-17": "INSERT DATA { pg:indicatorStructure qb:component [ qb:dimension qb:measureType ] , "
             "[ qb:measure <urn:second> ] . <https://w3id.org/profgraph/observation/gdp-growth--kz--2021> "
             "qb:measureType sdmx-measure:obsValue }",
    "IC-18": "INSERT DATA { <urn:cube> a qb:DataSet ; qb:structure pg:indicatorStructure ; qb:slice <urn:slice> . "
             "<urn:slice> qb:observation <https://w3id.org/profgraph/observation/gdp-growth--kz--2021> }",
    # areas as plain strings, as profgraph once wrote them
    "IC-19": "DELETE { ?o pg:refArea ?a } INSERT { ?o pg:refArea \"KZ\" } WHERE { ?o pg:refArea ?a }",
}


@pytest.mark.parametrize("constraint", list(MUTATIONS))
def test_each_integrity_constraint_catches_its_violation(curated, constraint):
    store = Store()
    store.bulk_extend(Quad(quad.subject, quad.predicate, quad.object) for quad in curated.rdf)
    store.update(MUTATIONS[constraint], prefixes=PREFIXES)
    assert constraint in violations(store)


# ---------------------------------------------------------------- SKOS


def test_professions_sit_under_their_isco_groups_up_to_a_major_group(curated):
    assert not ask(curated, """ASK {
        ?profession pg:iscoCode ?code .
        FILTER NOT EXISTS {
          ?profession pg:iscoGroup ?unit ; skos:broader ?unit .
          ?unit skos:notation ?code ; skos:broader ?minor .
          ?minor skos:notation ?minorCode ; skos:broader ?subMajor .
          ?subMajor skos:notation ?subMajorCode ; skos:broader ?major .
          ?major skos:notation ?majorCode ; skos:topConceptOf pg:ProfessionScheme, isco: .
          pg:ProfessionScheme skos:hasTopConcept ?major .
          FILTER(?minorCode = SUBSTR(?code, 1, 3) && ?subMajorCode = SUBSTR(?code, 1, 2)
                 && ?majorCode = SUBSTR(?code, 1, 1)
                 && ?unit = IRI(CONCAT(STR(isco:), "C", ?code)))
        }
    }""".replace("isco: .", "<http://data.europa.eu/esco/concept-scheme/isco> ."))
    professions = curated_table("professions")
    with_code = professions[professions.isco08 != ""]
    assert len(with_code) == len(professions)  # every curated profession has its ISCO-08 unit group
    chains = select(curated, "SELECT ?p WHERE { ?p a pg:Profession ; skos:broader/skos:broader/skos:broader/"
                             "skos:broader ?major . ?major skos:topConceptOf pg:ProfessionScheme }")
    assert len(chains) == len(with_code)


def test_isco_groups_in_use_carry_the_titles_of_the_table(curated):
    titles = curated_table("isco_groups").set_index("code").title_en
    used = {code[:length] for code in curated_table("professions").isco08 for length in range(1, 5)}
    found = dict(select(curated, "SELECT ?code ?title WHERE { ?g skos:inScheme pg:ProfessionScheme ; "
                                 "skos:notation ?code ; skos:prefLabel ?title FILTER(STRSTARTS(STR(?g), STR(isco:))) }"))
    assert found == {code: titles[code] for code in used}
    assert found["5230"] == "Cashiers and ticket clerks" and found["5"] == "Service and sales workers"


def test_isco_titles_are_escos(tmp_path):
    """The table holds ESCO v1.1.1's titles of the unit groups the professions use and of the groups above them."""
    classification = SHARED_DATA / "esco-v1.1.1" / "esco-v1.1.1-classification-en-csv.zip"
    if not classification.is_file():
        pytest.skip(f"the ESCO reference data are not in {SHARED_DATA}")
    with zipfile.ZipFile(classification) as archive, archive.open("ISCOGroups_en.csv") as handle:
        esco = {row["code"]: row["preferredLabel"].strip()
                for row in csv.DictReader(io.TextIOWrapper(handle, encoding="utf-8"))}
    used = {code[:digits] for code in curated_table("professions").isco08 if code for digits in (1, 2, 3, 4)}
    assert dict(zip(curated_table("isco_groups").code, curated_table("isco_groups").title_en)) == \
        {code: title for code, title in esco.items() if code in used}


def test_sectors_sit_under_nace_sections(curated):
    sectors = curated_table("sectors").set_index("id")
    found = dict(select(curated, """SELECT ?sector ?section WHERE {
        ?node a pg:Sector ; skos:notation ?sector ; skos:broader* ?sectionNode .
        ?sectionNode skos:topConceptOf pg:SectorScheme ; skos:notation ?section ; pg:sectorCode ?letter .
        pg:SectorScheme skos:hasTopConcept ?sectionNode .
        FILTER(REGEX(?letter, "^[A-U]$"))
    }"""))
    assert set(found) == set(sectors.index)
    assert found["oil-gas"] == "mining" and found["metallurgy"] == "manufacturing" and found["ict"] == "ict"
    assert {sector: section for sector, section in found.items() if sector != section} == \
        {sector: row.broader for sector, row in sectors.iterrows() if row.broader}
    assert set(sectors.code[sectors.broader != ""]) == {"06", "24"}  # NACE divisions


def test_every_scheme_has_top_concepts_both_ways(curated):
    assert not select(curated, "SELECT DISTINCT ?scheme WHERE { ?c skos:inScheme ?scheme "
                               "FILTER NOT EXISTS { ?scheme skos:hasTopConcept [] } }")
    assert not ask(curated, "ASK { ?c skos:topConceptOf ?s FILTER NOT EXISTS { ?s skos:hasTopConcept ?c } }")
    assert not ask(curated, "ASK { ?s skos:hasTopConcept ?c FILTER NOT EXISTS { ?c skos:topConceptOf ?s } }")
    # and every concept is a top concept or under a broader one
    assert not ask(curated, "ASK { ?c a skos:Concept FILTER NOT EXISTS { ?c skos:topConceptOf|skos:broader [] } }")
    schemes = {scheme.rsplit("#", 1)[-1] for (scheme,) in select(
        curated, "SELECT DISTINCT ?s WHERE { ?s skos:hasTopConcept [] }")}
    assert {"ProfessionScheme", "SkillScheme", "SectorScheme", "StatusScheme", "SkillTypeScheme", "IndicatorScheme",
            "AreaScheme", "PeriodScheme", "UnitScheme", "RelationTypeScheme"} <= schemes


def test_sectors_and_statuses_have_definitions(curated):
    for kind in ("pg:Sector", "pg:ProfessionStatus"):
        assert not ask(curated, f"ASK {{ ?c a {kind} FILTER NOT EXISTS {{ ?c skos:definition ?d "
                                f"FILTER(lang(?d) = 'en' && STRLEN(?d) > 20) }} }}")
    assert (curated_table("sectors").definition_en.str.len() > 20).all()


# ---------------------------------------------------------------- publishing


def test_publishers_are_agents_and_dates_are_typed(curated):
    assert not ask(curated, "ASK { ?s dct:publisher ?p FILTER(!isIRI(?p)) }")
    assert not ask(curated, "ASK { ?s dct:publisher ?p FILTER NOT EXISTS { ?p a dct:Agent ; foaf:name [] } }")
    assert not ask(curated, "ASK { ?s dct:date ?d FILTER(datatype(?d) != xsd:gYear) }")
    publishers = dict(select(curated, """SELECT ?source (GROUP_CONCAT(?name; separator="|") AS ?names) WHERE {
        ?s dct:identifier ?source ; dct:publisher/foaf:name ?name } GROUP BY ?source"""))
    assert set(publishers["ilo-kazinform-2021"].split("|")) == {"International Labour Organization",
                                                                "Kazinform news agency"}
    assert ask(curated, "ASK { <https://w3id.org/profgraph/source/nesta-mcc-isco4> dct:publisher ?p . "
                        "?p a foaf:Organization ; foaf:name 'Nesta' }")
    # two spellings of one organisation are one agent
    assert ask(curated, "ASK { <https://w3id.org/profgraph/source/atlas-2021> dct:publisher ?p . "
                        "<https://w3id.org/profgraph/source/clrd-national-report-2021> dct:publisher ?p }")


def test_dataset_description_with_licence_and_counts(curated):
    about = curated_table("dataset").iloc[0]
    dataset = f"https://w3id.org/profgraph/dataset/{about.id}"
    (license_iri, publisher, triples, subjects, title), = select(curated, f"""
        SELECT ?license ?publisher ?triples ?subjects ?title WHERE {{
          <{dataset}> a dcat:Dataset, void:Dataset ; dct:license ?license ; dct:title ?title ;
            dct:publisher ?publisher ; void:triples ?triples ; void:distinctSubjects ?subjects .
          ?publisher a foaf:Organization .
        }}""")
    assert license_iri == about.license == "https://creativecommons.org/licenses/by/4.0/"
    assert publisher == "https://w3id.org/profgraph/agent/profgraph-team" and title == about.title
    data = list(curated.rdf.quads_for_pattern(None, None, None, NamedNode(DATA_GRAPH)))
    assert int(triples) == len(data) and int(subjects) == len({quad.subject for quad in data})
    partitions = dict(select(curated, f"SELECT ?class ?n WHERE {{ <{dataset}> void:classPartition "
                                      f"[ void:class ?class ; void:entities ?n ] }}"))
    assert int(partitions[PREFIXES["pg"] + "Profession"]) == len(curated_table("professions"))
    assert int(partitions[PREFIXES["qb"] + "Observation"]) == len(curated_table("observations"))
    distributions = dict(select(curated, f"""SELECT ?title ?type WHERE {{ <{dataset}> dcat:distribution ?d .
        ?d dct:title ?title ; dct:license <{about.license}> OPTIONAL {{ ?d dcat:mediaType ?type }} }}"""))
    media_types = {writer.title: formats.FORMATS[writer.name].essence for writer in formats.writers(formats.EXPORT)}
    assert distributions == {title: f"https://www.iana.org/assignments/media-types/{media}" if media else None
                             for title, media in media_types.items()}
    for text in (README.read_text(encoding="utf-8"), (data_dir() / "SOURCES.md").read_text(encoding="utf-8")):
        assert "CC BY 4.0" in text and about.license in text


def test_the_ontology_has_a_version_iri():
    graph = rdflib.Graph().parse(ontology_dir() / "profgraph.ttl")
    ontology = rdflib.URIRef("https://w3id.org/profgraph/ontology")
    version = str(graph.value(ontology, rdflib.OWL.versionInfo))
    assert str(graph.value(ontology, rdflib.OWL.versionIRI)) == f"https://w3id.org/profgraph/ontology/{version}"


# ---------------------------------------------------------------- named graphs


def test_esco_import_and_curated_data_merge_without_collision(curated, tmp_path):
    store = tmp_path / "esco-store"
    result = run("import", "esco", str(write_tiny_esco(tmp_path / "esco")),
                 "--store", str(store))
    assert result.exit_code == 0, result.output
    merged = Store()
    for name, extra in (("curated.nq", []), ("esco.nq", ["--store", str(store)])):
        path = tmp_path / name
        assert run("export", "--format", "nq", "-o", str(path), *extra).exit_code == 0
        graphs = {quad.graph_name.value for quad in parse(path=str(path), format=RdfFormat.N_QUADS)}
        assert graphs == {ONTOLOGY_GRAPH, ESCO_GRAPH if extra else DATA_GRAPH}
        merged.load(path=str(path), format=RdfFormat.N_QUADS)
    counts = {graph.value: len(list(merged.quads_for_pattern(None, None, None, graph)))
              for graph in merged.named_graphs()}
    curated_triples = len(list(curated.rdf.quads_for_pattern(None, None, None, NamedNode(DATA_GRAPH))))
    ontology_triples = len(list(curated.rdf.quads_for_pattern(None, None, None, NamedNode(ONTOLOGY_GRAPH))))
    # the ontology has no blank nodes, so both copies of it are the same triples
    assert counts[DATA_GRAPH] == curated_triples and counts[ONTOLOGY_GRAPH] == ontology_triples
    assert counts[ESCO_GRAPH] > 0
    cashier = NamedNode("http://data.europa.eu/esco/occupation/00000002-aaaa-4aaa-8aaa-000000000002")
    assert Quad(cashier, NamedNode(PREFIXES["skos"] + "broader"), NamedNode(PREFIXES["isco"] + "C5230"),
                NamedNode(ESCO_GRAPH)) in merged
    assert Literal("esco") in {quad.object for quad in merged.quads_for_pattern(
        None, NamedNode(PREFIXES["dct"] + "identifier"), None, NamedNode(ESCO_GRAPH))}


def test_esco_import_at_full_scale_is_linked_data_too(esco):
    """The full ESCO import: its own graph, every occupation under its ISCO-08 chain, exact counts."""
    graph = NamedNode(ESCO_GRAPH)
    assert {g.value for g in esco.rdf.named_graphs()} == {ESCO_GRAPH, ONTOLOGY_GRAPH}
    (triples, license_iri), = select(esco, "SELECT ?t ?l WHERE { <https://w3id.org/profgraph/dataset/esco> "
                                           "void:triples ?t OPTIONAL { <https://w3id.org/profgraph/dataset/esco> "
                                           "dct:license ?l } }")
    assert int(triples) == sum(1 for _ in esco.rdf.quads_for_pattern(None, None, None, graph))
    assert license_iri is None  # profgraph states no licence for data it did not write
    assert not ask(esco, "ASK { ?p a pg:Profession ; pg:iscoCode ?c FILTER NOT EXISTS { ?p skos:broader/"
                         "skos:broader/skos:broader/skos:broader ?m . ?m skos:topConceptOf pg:ProfessionScheme } }")
    assert violations(esco.rdf) == {}
