"""Namespaces and the controlled values (statuses, skill types, relations) of the data model."""

from __future__ import annotations

BASE = "https://w3id.org/profgraph/"
PG = BASE + "ontology#"
ONTOLOGY_GRAPH = BASE + "graph/ontology"
DATA_GRAPH = BASE + "graph/data"  # the curated data (and any model that names no graph of its own)
ESCO_GRAPH = BASE + "graph/esco"  # an ESCO import, so that its N-Quads and the curated ones can be merged
ONTOLOGY_VERSION = "0.2.0"

SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
QB = "http://purl.org/linked-data/cube#"
ESCO = "http://data.europa.eu/esco/"
SDMX_DIMENSION = "http://purl.org/linked-data/sdmx/2009/dimension#"
SDMX_MEASURE = "http://purl.org/linked-data/sdmx/2009/measure#"
SDMX_ATTRIBUTE = "http://purl.org/linked-data/sdmx/2009/attribute#"
FOAF = "http://xmlns.com/foaf/0.1/"
DCAT = "http://www.w3.org/ns/dcat#"
VOID = "http://rdfs.org/ns/void#"
INDICATOR_DATASET = BASE + "dataset/indicators"
ALL_SECTORS = BASE + "sector/_T"  # the Data Cube code for "all sectors" (SDMX's _T, total)
ISCO_SCHEME = ESCO + "concept-scheme/isco"

# The formats of `profgraph export`: name -> (title, IANA media type or "" where none is registered).
EXPORT_FORMATS = {
    "ttl": ("Turtle", "text/turtle"),
    "nt": ("N-Triples", "application/n-triples"),
    "nq": ("N-Quads", "application/n-quads"),
    "jsonld": ("JSON-LD", "application/ld+json"),
    "rdfxml": ("RDF/XML", "application/rdf+xml"),
    "graphml": ("GraphML: professions, skills and sectors as a graph", ""),
    "gexf": ("GEXF: professions, skills and sectors as a graph", ""),
    "csv": ("CSV: a folder of tables", "text/csv"),
}

# The formats `profgraph sparql` writes results in (profgraph.sparql says which suit which query).
SPARQL_FORMATS = ("table", "csv", "tsv", "json", "xml", "ttl", "nt", "jsonld", "rdfxml")

LANGUAGES = ("kk", "ru", "en")

STATUSES = ("emerging", "transforming", "stable", "disappearing")
STATUS_CONCEPT = {
    "emerging": "Emerging",
    "transforming": "Transforming",
    "stable": "Stable",
    "disappearing": "Disappearing",
}

# The kinds of skill a worker learns; a path's "skills to learn" are grouped by these.
LEARNABLE_SKILL_TYPES = ("digital", "cognitive", "socio_behavioural", "professional")
# A trait (an attitude or value: responsibility, attention to detail) belongs to a profile but is
# never a skill to learn.
TRAIT = "trait"
SKILL_TYPES = (*LEARNABLE_SKILL_TYPES, TRAIT)
SKILL_TYPE_CONCEPT = {
    "digital": "Digital",
    "cognitive": "Cognitive",
    "socio_behavioural": "SocioBehavioural",
    "professional": "Professional",
    "trait": "Trait",
}

RELATIONS = ("essential", "optional")

# How a profession's ESCO occupation matches it, and the SKOS mapping property that says so:
# "broad" when the ESCO occupation is broader than the profession, "narrow" when it is narrower.
ESCO_MATCHES = ("close", "broad", "narrow")
ESCO_MATCH_PROPERTY = {"close": "closeMatch", "broad": "broadMatch", "narrow": "narrowMatch"}


def iri(kind: str, slug: str) -> str:
    """Return the persistent IRI of an instance, e.g. ``iri("profession", "cashier")``."""
    return f"{BASE}{kind}/{slug}"

# The prefixes SPARQL queries may use without declaring them, and that Turtle exports use.
# ``esco:`` is ESCO's own model namespace (esco:Occupation), as on ESCO's SPARQL endpoint;
# ``isco:`` names ESCO's ISCO-08 groups (isco:C5230).
PREFIXES = {
    "pg": PG,
    "skos": SKOS,
    "esco": ESCO + "model#",
    "isco": ESCO + "isco/",
    "dct": DCT,
    "prov": PROV,
    "qb": QB,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "foaf": FOAF,
    "dcat": DCAT,
    "void": VOID,
    "sdmx-dimension": SDMX_DIMENSION,
    "sdmx-measure": SDMX_MEASURE,
    "sdmx-attribute": SDMX_ATTRIBUTE,
    "profession": BASE + "profession/",
    "skill": BASE + "skill/",
    "sector": BASE + "sector/",
    "source": BASE + "source/",
    "requirement": BASE + "requirement/",
    "transformation": BASE + "transformation/",
    "indicator": BASE + "indicator/",
    "observation": BASE + "observation/",
    "area": BASE + "area/",
    "period": BASE + "period/",
    "unit": BASE + "unit/",
    "agent": BASE + "agent/",
}

_NAMESPACES = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


def compact_iri(iri: str) -> str:
    """Return ``iri`` as ``prefix:local`` with the longest namespace of :data:`PREFIXES` that
    starts it (``pg:Profession``), or unchanged when none does."""
    for prefix, namespace in _NAMESPACES:
        if iri.startswith(namespace) and not iri[len(namespace):].startswith("//"):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri
