"""The RDF view of a :class:`~profgraph.model.Model`: quads in the profgraph vocabulary.

The data go to the named graph :data:`~profgraph.vocab.DATA_GRAPH`; the ontology, loaded
from Turtle, to :data:`~profgraph.vocab.ONTOLOGY_GRAPH`.
"""

from __future__ import annotations

from collections.abc import Iterator

from pyoxigraph import Literal, NamedNode, Quad

from .model import Model
from .vocab import (DATA_GRAPH, DCT, ESCO_MATCH_PROPERTY, INDICATOR_DATASET, PG, PROV, QB, RDF, RDFS, SDMX_ATTRIBUTE,
                    SDMX_DIMENSION, SDMX_MEASURE, SKILL_TYPE_CONCEPT, SKOS, STATUS_CONCEPT, XSD, iri)

_GRAPH = NamedNode(DATA_GRAPH)
_TYPE = NamedNode(RDF + "type")
_PREF, _ALT = NamedNode(SKOS + "prefLabel"), NamedNode(SKOS + "altLabel")
_IN_SCHEME, _CLOSE = NamedNode(SKOS + "inScheme"), NamedNode(SKOS + "closeMatch")
_NOTATION = NamedNode(SKOS + "notation")
_DECIMAL, _STRING = NamedNode(XSD + "decimal"), NamedNode(XSD + "string")


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
            match = ESCO_MATCH_PROPERTY[profession.esco_match or "close"]
            yield Quad(node, NamedNode(SKOS + match), NamedNode(profession.esco_uri), _GRAPH)
            if profession.esco_note:
                yield Quad(node, _pg("escoMatchNote"), Literal(profession.esco_note, language="en"), _GRAPH)
        if profession.esco_isco08:
            yield Quad(node, _pg("escoIscoCode"), Literal(profession.esco_isco08), _GRAPH)
        if profession.isco_note:
            yield Quad(node, _pg("iscoNote"), Literal(profession.isco_note, language="en"), _GRAPH)
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
                if skill_id in profession.levels:
                    yield Quad(requirement, _pg("level"), Literal(profession.levels[skill_id]), _GRAPH)

    for transformation in model.transformations:
        origin = NamedNode(model.professions[transformation.origin].iri)
        successor = NamedNode(model.professions[transformation.successor].iri)
        node = NamedNode(iri("transformation", f"{transformation.origin}--{transformation.successor}"))
        yield Quad(origin, _pg("transformsInto"), successor, _GRAPH)
        yield Quad(node, _TYPE, _pg("Transformation"), _GRAPH)
        yield Quad(node, _pg("fromProfession"), origin, _GRAPH)
        yield Quad(node, _pg("toProfession"), successor, _GRAPH)
        yield Quad(node, NamedNode(DCT + "source"), NamedNode(model.sources[transformation.source].iri), _GRAPH)
        if transformation.note:
            yield Quad(node, NamedNode(RDFS + "comment"), Literal(transformation.note, language="en"), _GRAPH)

    yield from _indicator_quads(model)


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
