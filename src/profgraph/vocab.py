"""Namespaces and the controlled values (statuses, skill types, relations) of the data model."""

from __future__ import annotations

BASE = "https://w3id.org/profgraph/"
PG = BASE + "ontology#"
ONTOLOGY_GRAPH = BASE + "graph/ontology"
DATA_GRAPH = BASE + "graph/data"

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
INDICATOR_DATASET = BASE + "dataset/indicators"

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
    "profession": BASE + "profession/",
    "skill": BASE + "skill/",
    "sector": BASE + "sector/",
    "source": BASE + "source/",
    "requirement": BASE + "requirement/",
    "transformation": BASE + "transformation/",
}
