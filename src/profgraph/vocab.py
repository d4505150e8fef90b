"""Namespaces and the controlled values (statuses, skill types, relations) of the data model."""

from __future__ import annotations

import re

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
# What a required skill weighs in coverage, gap and similarity, and on the edges of the exported graph.
RELATION_WEIGHT = {"essential": 1.0, "optional": 0.5}

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
_LOCAL_NAME = re.compile(r"\w[\w.-]*")


def compact_iri(iri: str, prefixed_name: bool = False) -> str:
    """Return ``iri`` as ``prefix:local`` with the longest namespace of :data:`PREFIXES` that starts
    it and leaves a local part that fits (``pg:Profession``), or unchanged when none does.

    Any local part fits a JSON-LD compact IRI but one starting ``//``; with ``prefixed_name``, only
    one that SPARQL and Turtle read as written: letters, digits, ``_``, ``-`` and ``.``, starting
    with a letter, digit or ``_`` and not ending with ``.``.
    """
    for prefix, namespace in _NAMESPACES:
        if not iri.startswith(namespace):
            continue
        local = iri[len(namespace):]
        fits = (_LOCAL_NAME.fullmatch(local) is not None and not local.endswith(".")) if prefixed_name \
            else not local.startswith("//")
        if fits:
            return f"{prefix}:{local}"
    return iri


def prefix_declarations(align: int = 0) -> list[str]:
    """Return the SPARQL ``PREFIX`` declaration of each of :data:`PREFIXES`
    (``PREFIX pg: <https://w3id.org/profgraph/ontology#>``), the ``name:`` part padded to ``align``
    characters so that the IRIs line up."""
    return [f"PREFIX {(prefix + ':').ljust(align)} <{namespace}>" for prefix, namespace in PREFIXES.items()]
