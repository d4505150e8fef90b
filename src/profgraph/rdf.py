"""The RDF view of a :class:`~profgraph.model.Model`: quads in the profgraph vocabulary.

The data go to the named graph :data:`~profgraph.vocab.DATA_GRAPH`; the ontology, loaded
from Turtle, to :data:`~profgraph.vocab.ONTOLOGY_GRAPH`.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from pyoxigraph import Literal, NamedNode, Quad

from .measures import AUTOMATION_LEVELS, GENAI_LEVELS
from .model import Measures, Model
from .vocab import (DATA_GRAPH, DCT, INDICATOR_DATASET, PG, PROV, QB, RDF, RDFS, SDMX_ATTRIBUTE, SDMX_DIMENSION,
                    SDMX_MEASURE, SKILL_TYPE_CONCEPT, SKOS, STATUS_CONCEPT, XSD, iri)

_GRAPH = NamedNode(DATA_GRAPH)
_TYPE = NamedNode(RDF + "type")
_PREF, _ALT = NamedNode(SKOS + "prefLabel"), NamedNode(SKOS + "altLabel")
_IN_SCHEME, _CLOSE = NamedNode(SKOS + "inScheme"), NamedNode(SKOS + "closeMatch")
_NOTATION = NamedNode(SKOS + "notation")
_DECIMAL, _STRING = NamedNode(XSD + "decimal"), NamedNode(XSD + "string")
_INTEGER = NamedNode(XSD + "integer")

# The measures of a profession as PROV entities, one per group of values sharing a source and a
# method: (IRI suffix, the profession's property linking it, its class, {Measures field: (property,
# datatype)}, the field naming its source, the field naming how it was obtained or the fixed method).
MEASURE_NODES = (
    ("automation", "automationRisk", "AutomationRiskEstimate",
     {"automation_risk": ("riskScore", "decimal"), "automation_prevalence": ("bottleneckPrevalence", "decimal"),
      "automation_category": ("riskCategory", "string"), "automation_percentile": ("percentile", "decimal")},
     "automation_source", "automation_basis"),
    ("genai", "genAIExposure", "GenAIExposureEstimate",
     {"genai_score": ("exposureScore", "decimal"), "genai_category": ("exposureCategory", "string"),
      "genai_percentile": ("percentile", "decimal")},
     "genai_source", "genai_basis"),
    ("skill-level", "skillLevel", "SkillLevelEstimate", {"skill_level": ("iscoSkillLevel", "integer")},
     "skill_level_source", "isco-major-group"),
    ("occupation", "occupationInputs", "OccupationInputs",
     {"job_zone": ("jobZone", "decimal"), "education_level": ("educationLevel", "decimal"),
      "annual_earnings": ("annualEarnings", "decimal")},
     "occupation_source", "occupation_basis"),
    ("wage", "monthlyWage", "WageEstimate", {"wage_kzt": ("wageKZT", "decimal")}, "wage_source", "isco-major-group"),
)
# How a value was obtained (profgraph.measures.BASES) -> the prov:Activity of the ontology.
BASIS_ACTIVITIES = {"esco-occupation": "EscoOccupationLookup", "esco-broader": "BroaderEscoOccupationLookup",
                    "skill-profile": "SkillProfileEstimation", "isco-unit-group": "IscoUnitGroupLookup",
                    "isco-minor-group": "IscoMinorGroupLookup", "isco-major-group": "IscoMajorGroupLookup"}
LEVEL_CONCEPTS = {"low": "LowLevel", "medium": "MediumLevel", "high": "HighLevel"}
_LEVELS = {"automation_category": AUTOMATION_LEVELS, "genai_category": GENAI_LEVELS}


def _pg(name: str) -> NamedNode:
    return NamedNode(PG + name)


def _labels(subject: NamedNode, labels: dict, alt_labels: dict | None = None) -> Iterator[Quad]:
    for lang, text in labels.items():
        yield Quad(subject, _PREF, Literal(text, language=lang), _GRAPH)
    for lang, texts in (alt_labels or {}).items():
        for text in texts:
            yield Quad(subject, _ALT, Literal(text, language=lang), _GRAPH)


def model_quads(model: Model) -> Iterator[Quad]:
    """Yield every quad of ``model`` in the data graph. The order is stable for a given model."""
    for source in model.sources.values():
        node = NamedNode(source.iri)
        yield Quad(node, _TYPE, NamedNode(PROV + "Entity"), _GRAPH)
        yield Quad(node, _TYPE, NamedNode(DCT + "BibliographicResource"), _GRAPH)
        yield Quad(node, NamedNode(DCT + "title"), Literal(source.title), _GRAPH)
        yield Quad(node, NamedNode(DCT + "identifier"), Literal(source.id), _GRAPH)
        if source.publisher:
            yield Quad(node, NamedNode(DCT + "publisher"), Literal(source.publisher), _GRAPH)
        if source.year:
            yield Quad(node, NamedNode(DCT + "date"), Literal(source.year), _GRAPH)
        if source.url:
            yield Quad(node, NamedNode(RDFS + "seeAlso"), NamedNode(source.url), _GRAPH)
        if source.note:
            yield Quad(node, NamedNode(RDFS + "comment"), Literal(source.note), _GRAPH)

    for sector in model.sectors.values():
        node = NamedNode(sector.iri)
        yield Quad(node, _TYPE, _pg("Sector"), _GRAPH)
        yield Quad(node, _IN_SCHEME, _pg("SectorScheme"), _GRAPH)
        yield Quad(node, _pg("sectorCode"), Literal(sector.code), _GRAPH)
        yield Quad(node, _NOTATION, Literal(sector.id), _GRAPH)
        yield from _labels(node, sector.labels)

    for skill in model.skills.values():
        node = NamedNode(skill.iri)
        yield Quad(node, _TYPE, _pg("Skill"), _GRAPH)
        yield Quad(node, _IN_SCHEME, _pg("SkillScheme"), _GRAPH)
        yield Quad(node, _NOTATION, Literal(skill.id), _GRAPH)
        yield Quad(node, _pg("skillType"), _pg(SKILL_TYPE_CONCEPT[skill.type]), _GRAPH)
        yield from _labels(node, skill.labels, skill.alt_labels)
        if skill.esco_uri and skill.esco_uri != skill.iri:
            yield Quad(node, _CLOSE, NamedNode(skill.esco_uri), _GRAPH)

    for profession in model.professions.values():
        node = NamedNode(profession.iri)
        yield Quad(node, _TYPE, _pg("Profession"), _GRAPH)
        yield Quad(node, _IN_SCHEME, _pg("ProfessionScheme"), _GRAPH)
        yield Quad(node, _NOTATION, Literal(profession.id), _GRAPH)
        yield from _labels(node, profession.labels, profession.alt_labels)
        if profession.isco08:
            yield Quad(node, _pg("iscoCode"), Literal(profession.isco08), _GRAPH)
        if profession.sector:
            yield Quad(node, _pg("sector"), NamedNode(model.sectors[profession.sector].iri), _GRAPH)
        if profession.status:
            yield Quad(node, _pg("status"), _pg(STATUS_CONCEPT[profession.status]), _GRAPH)
        if profession.exposure is not None:
            yield Quad(node, _pg("automationExposure"), Literal(f"{profession.exposure:.4f}", datatype=_DECIMAL), _GRAPH)
            yield Quad(node, _pg("automationExposureSource"),
                       NamedNode(model.sources[profession.exposure_source].iri), _GRAPH)
        if profession.esco_uri and profession.esco_uri != profession.iri:
            yield Quad(node, _CLOSE, NamedNode(profession.esco_uri), _GRAPH)
        yield from measure_quads(model, profession.id, node, profession.measures)
        for relation, skill_ids in (("Essential", profession.essential), ("Optional", profession.optional)):
            shortcut = _pg("essentialSkill" if relation == "Essential" else "optionalSkill")
            for skill_id in skill_ids:
                skill_node = NamedNode(model.skills[skill_id].iri)
                yield Quad(node, shortcut, skill_node, _GRAPH)
                requirement = NamedNode(iri("requirement", f"{profession.id}--{skill_id}"))
                yield Quad(requirement, _TYPE, _pg("SkillRequirement"), _GRAPH)
                yield Quad(requirement, _pg("profession"), node, _GRAPH)
                yield Quad(requirement, _pg("skill"), skill_node, _GRAPH)
                yield Quad(requirement, _pg("relationType"), _pg(relation), _GRAPH)

    for transformation in model.transformations:
        origin = NamedNode(model.professions[transformation.origin].iri)
        successor = NamedNode(model.professions[transformation.successor].iri)
        node = NamedNode(iri("transformation", f"{transformation.origin}--{transformation.successor}"))
        yield Quad(origin, _pg("transformsInto"), successor, _GRAPH)
        yield Quad(node, _TYPE, _pg("Transformation"), _GRAPH)
        yield Quad(node, _pg("fromProfession"), origin, _GRAPH)
        yield Quad(node, _pg("toProfession"), successor, _GRAPH)
        yield Quad(node, NamedNode(DCT + "source"), NamedNode(model.sources[transformation.source].iri), _GRAPH)

    yield from _indicator_quads(model)


def _literal(value, datatype: str) -> Literal:
    if datatype == "string":
        return Literal(value)
    if datatype == "integer":
        return Literal(str(int(value)), datatype=_INTEGER)
    return Literal(format(Decimal(repr(float(value))), "f"), datatype=_DECIMAL)  # exact: reads back the same float


def measure_quads(model: Model, profession_id: str, node: NamedNode, measures: Measures) -> Iterator[Quad]:
    """Yield the quads of a profession's measures (:data:`MEASURE_NODES`): per group of values a
    ``prov:Entity`` with the values, the plain level of a risk, the source it was derived from
    (``prov:wasDerivedFrom``) and how it was obtained (``prov:wasGeneratedBy``)."""
    for suffix, link, kind, fields_, source_field, basis in MEASURE_NODES:
        values = {name: getattr(measures, name) for name in fields_ if getattr(measures, name) is not None}
        if not values:
            continue
        entity = NamedNode(iri("measure", f"{profession_id}/{suffix}"))
        yield Quad(node, _pg(link), entity, _GRAPH)
        yield Quad(entity, _TYPE, _pg(kind), _GRAPH)
        yield Quad(entity, _TYPE, NamedNode(PROV + "Entity"), _GRAPH)
        for name, value in values.items():
            prop, datatype = fields_[name]
            yield Quad(entity, _pg(prop), _literal(value, datatype), _GRAPH)
            if name in _LEVELS and value in _LEVELS[name]:
                yield Quad(entity, _pg("level"), _pg(LEVEL_CONCEPTS[_LEVELS[name][value]]), _GRAPH)
        source = getattr(measures, source_field)
        if source in model.sources:
            yield Quad(entity, NamedNode(PROV + "wasDerivedFrom"), NamedNode(model.sources[source].iri), _GRAPH)
        method = getattr(measures, basis) if hasattr(measures, basis) else basis
        if method in BASIS_ACTIVITIES:
            yield Quad(entity, NamedNode(PROV + "wasGeneratedBy"), _pg(BASIS_ACTIVITIES[method]), _GRAPH)


def measures_from_rdf(one, subject: str, source_ids: dict[str, str]) -> Measures:
    """Return the :class:`Measures` that :func:`measure_quads` wrote for the profession ``subject``.

    ``one(subject, predicate)`` returns the value (str) of a triple or None; ``source_ids`` maps a
    source IRI to its id."""
    activities = {PG + activity: basis for basis, activity in BASIS_ACTIVITIES.items()}
    values = {}
    for _, link, _, fields_, source_field, basis in MEASURE_NODES:
        entity = one(subject, PG + link)
        if entity is None:
            continue
        for name, (prop, datatype) in fields_.items():
            text = one(entity, PG + prop)
            if text is not None:
                values[name] = text if datatype == "string" else int(text) if datatype == "integer" else float(text)
        values[source_field] = source_ids.get(one(entity, PROV + "wasDerivedFrom"))
        if hasattr(Measures, basis):
            values[basis] = activities.get(one(entity, PROV + "wasGeneratedBy"))
    return Measures(**values)


def _indicator_quads(model: Model) -> Iterator[Quad]:
    """The indicators as SKOS concepts and their observations as an RDF Data Cube data set."""
    if not model.observations:
        return
    dataset = NamedNode(INDICATOR_DATASET)
    yield Quad(dataset, _TYPE, NamedNode(QB + "DataSet"), _GRAPH)
    yield Quad(dataset, NamedNode(QB + "structure"), _pg("indicatorStructure"), _GRAPH)
    yield Quad(dataset, NamedNode(RDFS + "label"), Literal("Labour-market indicators", language="en"), _GRAPH)
    for indicator in model.indicators.values():
        node = NamedNode(indicator.iri)
        yield Quad(node, _TYPE, _pg("Indicator"), _GRAPH)
        yield Quad(node, _IN_SCHEME, _pg("IndicatorScheme"), _GRAPH)
        yield Quad(node, _NOTATION, Literal(indicator.id), _GRAPH)
        yield Quad(node, _pg("unit"), Literal(indicator.unit), _GRAPH)
        yield from _labels(node, indicator.labels)
    for observation in model.observations:
        key = "--".join(part.replace("/", "-").lower() for part in
                        (observation.indicator, observation.area, observation.period, observation.sector or "")
                        if part)
        node = NamedNode(iri("observation", key))
        yield Quad(node, _TYPE, NamedNode(QB + "Observation"), _GRAPH)
        yield Quad(node, NamedNode(QB + "dataSet"), dataset, _GRAPH)
        yield Quad(node, _pg("indicator"), NamedNode(model.indicators[observation.indicator].iri), _GRAPH)
        yield Quad(node, NamedNode(SDMX_DIMENSION + "refArea"), Literal(observation.area), _GRAPH)
        yield Quad(node, NamedNode(SDMX_DIMENSION + "refPeriod"), Literal(observation.period), _GRAPH)
        if observation.sector:
            yield Quad(node, _pg("refSector"), NamedNode(model.sectors[observation.sector].iri), _GRAPH)
        yield Quad(node, NamedNode(SDMX_MEASURE + "obsValue"), Literal(repr(observation.value), datatype=_DECIMAL), _GRAPH)
        yield Quad(node, NamedNode(SDMX_ATTRIBUTE + "unitMeasure"),
                   Literal(model.indicators[observation.indicator].unit), _GRAPH)
        yield Quad(node, NamedNode(DCT + "source"), NamedNode(model.sources[observation.source].iri), _GRAPH)
        if observation.note:
            yield Quad(node, NamedNode(RDFS + "comment"), Literal(observation.note, language="en"), _GRAPH)
