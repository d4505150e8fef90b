"""The RDF view of a :class:`~profgraph.model.Model`: quads in the profgraph vocabulary, and the
model read back from them (:func:`model_from_triples`).

The data go to the model's named graph (:data:`~profgraph.vocab.DATA_GRAPH` for the curated
data, :data:`~profgraph.vocab.ESCO_GRAPH` for an ESCO import); the ontology, loaded from Turtle,
to :data:`~profgraph.vocab.ONTOLOGY_GRAPH`. What the graph holds:

- SKOS concept schemes with their top concepts both ways: professions under their ISCO-08 unit
  group, minor, sub-major and major group (ESCO's ISCO IRIs, ``isco:C5230``); sectors (NACE
  sections on top, divisions under them); skills, indicators, areas, periods and units as flat
  lists. Every concept is typed ``skos:Concept`` as well as its profgraph class.
- Sources with their publishers as agents (``dct:publisher`` -> ``foaf:Organization`` ...) and
  their year as ``xsd:gYear``.
- The indicator observations as an RDF Data Cube data set whose every dimension value is an IRI
  of a code list (see ``ontology/profgraph.ttl``).
- A DCAT + VoID description of the dataset: title, licence, publisher, one distribution per
  export format, and counts of its triples, subjects, properties and classes, computed here.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import Any

from pyoxigraph import Literal, NamedNode, Quad

from . import formats
from .measures import AUTOMATION_LEVELS, GENAI_LEVELS
from .model import Code, Measures, Model, Profession, Sector, Skill, Source, Transformation
from .vocab import (ALL_SECTORS, BASE, DCAT, DCT, ESCO, ESCO_MATCH_PROPERTY, FOAF, INDICATOR_DATASET,
                    ISCO_SCHEME, PG, PROV, QB, RDF, RDFS, SDMX_ATTRIBUTE, SDMX_MEASURE, SKILL_TYPE_CONCEPT, SKOS,
                    STATUS_CONCEPT, VOID, XSD, compact_iri, iri)

_TYPE = NamedNode(RDF + "type")
_PREF, _ALT = NamedNode(SKOS + "prefLabel"), NamedNode(SKOS + "altLabel")
_IN_SCHEME, _CLOSE, _EXACT = NamedNode(SKOS + "inScheme"), NamedNode(SKOS + "closeMatch"), NamedNode(SKOS + "exactMatch")
_NOTATION, _BROADER, _DEFINITION = NamedNode(SKOS + "notation"), NamedNode(SKOS + "broader"), NamedNode(SKOS + "definition")
_TOP_OF, _HAS_TOP = NamedNode(SKOS + "topConceptOf"), NamedNode(SKOS + "hasTopConcept")
_CONCEPT = NamedNode(SKOS + "Concept")
_STRING = NamedNode(XSD + "string")
_DECIMAL, _GYEAR, _INTEGER = NamedNode(XSD + "decimal"), NamedNode(XSD + "gYear"), NamedNode(XSD + "integer")
_AGENT_CLASSES = {"organization": FOAF + "Organization", "group": FOAF + "Group", "person": FOAF + "Person"}
# The vocabularies the data use (void:vocabulary).
_VOCABULARIES = (PG, SKOS, DCT, PROV, QB, FOAF, DCAT, VOID, "http://purl.org/linked-data/sdmx/2009/")
_ALL_SECTORS_LABELS = {"kk": "барлық салалар", "ru": "все отрасли", "en": "all sectors"}

Triple = tuple[NamedNode, NamedNode, NamedNode | Literal]  # (subject, predicate, object)

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


def isco_group_iri(code: str) -> str:
    """Return ESCO's IRI of the ISCO-08 group ``code`` (1 to 4 digits), e.g. ``.../isco/C5230``."""
    return f"{ESCO}isco/C{code}"


def period_iri(period: str) -> str:
    """Return the IRI of a reference period ``YYYY`` or ``YYYY/YYYY`` (``.../period/2008-2009``)."""
    return iri("period", period.replace("/", "-"))


def agent_iri(model: Model, name: str) -> str:
    """Return the IRI of the publisher called ``name``: its agent's, or one made from the name."""
    for agent in model.agents.values():
        if name in agent.names:
            return agent.iri
    return iri("agent", re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "unnamed")


def model_quads(model: Model) -> Iterator[Quad]:
    """Yield every quad of ``model`` in its graph (``model.graph``), its description last.

    The order is stable for a given model, and no quad comes twice, so the description's
    ``void:triples`` is the number of triples in the graph.
    """
    graph = NamedNode(model.graph)
    census = _Census()
    for triple in _data_triples(model):
        census.add(triple)
        yield Quad(*triple, graph)
    for triple in _description(model, census):
        yield Quad(*triple, graph)


def _labels(subject: NamedNode, labels: dict, alt_labels: dict | None = None) -> Iterator[Triple]:
    for lang, text in labels.items():
        yield subject, _PREF, Literal(text, language=lang)
    for lang, texts in (alt_labels or {}).items():
        for text in texts:
            yield subject, _ALT, Literal(text, language=lang)


def _concept(node: NamedNode, classes: Iterable[str], scheme: str, top: bool) -> Iterator[Triple]:
    """A concept's types and scheme (:func:`_in_scheme`)."""
    yield node, _TYPE, _CONCEPT
    for name in classes:
        yield node, _TYPE, NamedNode(name)
    yield from _in_scheme(node, scheme, top)


def _in_scheme(node: NamedNode, scheme: str, top: bool) -> Iterator[Triple]:
    """A concept in a scheme; a top concept is linked to its scheme both ways."""
    yield node, _IN_SCHEME, NamedNode(scheme)
    if top:
        yield node, _TOP_OF, NamedNode(scheme)
        yield NamedNode(scheme), _HAS_TOP, node


def _data_triples(model: Model) -> Iterator[Triple]:
    yield from _source_triples(model)
    yield from _sector_triples(model)

    for skill in model.skills.values():
        node = NamedNode(skill.iri)
        yield from _concept(node, [PG + "Skill"], PG + "SkillScheme", top=True)
        yield node, _NOTATION, Literal(skill.id)
        yield node, _pg("skillType"), _pg(SKILL_TYPE_CONCEPT[skill.type])
        yield from _labels(node, skill.labels, skill.alt_labels)
        if skill.esco_uri and skill.esco_uri != skill.iri:
            yield node, _CLOSE, NamedNode(skill.esco_uri)

    for profession in model.professions.values():
        node = NamedNode(profession.iri)
        yield from _concept(node, [PG + "Profession"], PG + "ProfessionScheme", top=not profession.isco08)
        yield node, _NOTATION, Literal(profession.id)
        yield from _labels(node, profession.labels, profession.alt_labels)
        if profession.isco08:
            group = NamedNode(isco_group_iri(profession.isco08))
            yield node, _pg("iscoCode"), Literal(profession.isco08)
            yield node, _pg("iscoGroup"), group
            yield node, _BROADER, group
        if profession.sector:
            yield node, _pg("sector"), NamedNode(model.sectors[profession.sector].iri)
        if profession.status:
            yield node, _pg("status"), _pg(STATUS_CONCEPT[profession.status])
        if profession.exposure is not None:
            yield node, _pg("automationExposure"), Literal(f"{profession.exposure:.4f}", datatype=_DECIMAL)
            if profession.exposure_source is not None:
                yield node, _pg("automationExposureSource"), NamedNode(model.sources[profession.exposure_source].iri)
        if profession.esco_uri and profession.esco_uri != profession.iri:
            match = ESCO_MATCH_PROPERTY[profession.esco_match or "close"]
            yield node, NamedNode(SKOS + match), NamedNode(profession.esco_uri)
            if profession.esco_note:
                yield node, _pg("escoMatchNote"), Literal(profession.esco_note, language="en")
        if profession.esco_isco08:
            yield node, _pg("escoIscoCode"), Literal(profession.esco_isco08)
        if profession.isco_note:
            yield node, _pg("iscoNote"), Literal(profession.isco_note, language="en")
        yield from measure_triples(model, profession.id, node, profession.measures)
        for skill_id, relation, _ in profession.requirements():
            skill_node = NamedNode(model.skills[skill_id].iri)
            yield node, _pg(f"{relation}Skill"), skill_node
            requirement = NamedNode(requirement_iri(profession.id, skill_id))
            yield requirement, _TYPE, _pg("SkillRequirement")
            yield requirement, _pg("profession"), node
            yield requirement, _pg("skill"), skill_node
            yield requirement, _pg("relationType"), _pg(relation.capitalize())
            if skill_id in profession.levels:
                yield requirement, _pg("level"), Literal(profession.levels[skill_id])
    yield from _isco_group_triples(model)

    for transformation in model.transformations:
        origin = NamedNode(model.professions[transformation.origin].iri)
        successor = NamedNode(model.professions[transformation.successor].iri)
        node = NamedNode(iri("transformation", f"{transformation.origin}--{transformation.successor}"))
        yield origin, _pg("transformsInto"), successor
        yield node, _TYPE, _pg("Transformation")
        yield node, _pg("fromProfession"), origin
        yield node, _pg("toProfession"), successor
        yield node, NamedNode(DCT + "source"), NamedNode(model.sources[transformation.source].iri)
        if transformation.note:
            yield node, NamedNode(RDFS + "comment"), Literal(transformation.note, language="en")

    yield from _indicator_triples(model)


def _literal(value: str | float, datatype: str) -> Literal:
    if datatype == "string":
        return Literal(value)
    if datatype == "integer":
        return Literal(str(int(value)), datatype=_INTEGER)
    return Literal(format(Decimal(repr(float(value))), "f"), datatype=_DECIMAL)  # exact: reads back the same float


def measure_triples(model: Model, profession_id: str, node: NamedNode, measures: Measures) -> Iterator[Triple]:
    """Yield the triples of a profession's measures (:data:`MEASURE_NODES`): per group of values a
    ``prov:Entity`` with the values, the plain level of a risk, the source it was derived from
    (``prov:wasDerivedFrom``) and how it was obtained (``prov:wasGeneratedBy``)."""
    for suffix, link, kind, fields_, source_field, basis in MEASURE_NODES:
        values = {name: getattr(measures, name) for name in fields_ if getattr(measures, name) is not None}
        if not values:
            continue
        entity = NamedNode(iri("measure", f"{profession_id}/{suffix}"))
        yield node, _pg(link), entity
        yield entity, _TYPE, _pg(kind)
        yield entity, _TYPE, NamedNode(PROV + "Entity")
        for name, value in values.items():
            prop, datatype = fields_[name]
            yield entity, _pg(prop), _literal(value, datatype)
            if name in _LEVELS and value in _LEVELS[name]:
                yield entity, _pg("level"), _pg(LEVEL_CONCEPTS[_LEVELS[name][value]])
        source = getattr(measures, source_field)
        if source in model.sources:
            yield entity, NamedNode(PROV + "wasDerivedFrom"), NamedNode(model.sources[source].iri)
        method = getattr(measures, basis) if hasattr(measures, basis) else basis
        if method in BASIS_ACTIVITIES:
            yield entity, NamedNode(PROV + "wasGeneratedBy"), _pg(BASIS_ACTIVITIES[method])


def measures_from_rdf(one: Callable[[str, str], str | None], subject: str, source_ids: dict[str, str]) -> Measures:
    """Return the :class:`Measures` that :func:`measure_triples` wrote for the profession ``subject``.

    ``one(subject, predicate)`` returns the value (str) of a triple or None; ``source_ids`` maps a
    source IRI to its id."""
    activities = {PG + activity: basis for basis, activity in BASIS_ACTIVITIES.items()}
    values: dict[str, Any] = {}  # a field's value: text, number or None, by its datatype
    for _, link, _, fields_, source_field, basis in MEASURE_NODES:
        entity = one(subject, PG + link)
        if entity is None:
            continue
        for name, (prop, datatype) in fields_.items():
            text = one(entity, PG + prop)
            if text is not None:
                values[name] = text if datatype == "string" else int(text) if datatype == "integer" else float(text)
        source = one(entity, PROV + "wasDerivedFrom")
        values[source_field] = source_ids.get(source) if source is not None else None
        if hasattr(Measures, basis):
            activity = one(entity, PROV + "wasGeneratedBy")
            values[basis] = activities.get(activity) if activity is not None else None
    return Measures(**values)


_REQUIREMENTS = iri("requirement", "")
_LEVEL = PG + "level"


def requirement_iri(profession_id: str, skill_id: str) -> str:
    """Return the IRI of the node saying how the profession ``profession_id`` requires the skill ``skill_id``."""
    return iri("requirement", f"{profession_id}--{skill_id}")


def restates(subject: str, predicate: str) -> bool:
    """Whether a triple of ``subject`` and ``predicate`` only repeats what :func:`model_from_facts` reads
    elsewhere, so a reader may leave it out of the facts: a requirement node's type, profession, skill
    and relation repeat its profession's ``pg:essentialSkill`` or ``pg:optionalSkill`` link; only its
    ``pg:level`` is news. (Three triples in five of a large graph are such repeats.)"""
    return subject.startswith(_REQUIREMENTS) and predicate != _LEVEL


def model_from_triples(triples, name: str = "remote") -> Model:
    """Return the :class:`~profgraph.model.Model` that :func:`model_quads` wrote as ``triples`` (see
    :func:`model_from_facts`)."""
    facts: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for triple in triples:
        subject, predicate = triple.subject.value, triple.predicate.value
        if not restates(subject, predicate):
            facts[subject][predicate].append(triple.object)
    return model_from_facts(facts, name)


def model_from_facts(facts: dict, name: str = "remote") -> Model:
    """Return the :class:`~profgraph.model.Model` that :func:`model_quads` wrote as the triples
    ``facts`` (subject IRI -> predicate IRI -> objects), with or without the triples that
    :func:`restates`. Raises KeyError, TypeError, ValueError or AttributeError for triples of another
    shape.

    Entities come in IRI order (the triples carry no file order); indicators are not read back.
    """
    typed = defaultdict(list)
    for subject, predicates in facts.items():
        for kind in predicates.get(RDF + "type", ()):
            typed[kind.value].append(subject)
    for subjects in typed.values():
        subjects.sort()
    levels_by_node = {subject: values[0].value for subject, predicates in facts.items()
                      if subject.startswith(_REQUIREMENTS) and (values := predicates.get(_LEVEL))}

    def one(subject: str, predicate: str):
        values = facts[subject].get(predicate)
        return values[0].value if values else None

    def labels(subject: str, predicate: str = SKOS + "prefLabel") -> dict:
        return {term.language: term.value for term in facts[subject].get(predicate, [])
                if isinstance(term, Literal) and term.language}

    def alt_labels(subject: str) -> dict:
        grouped = defaultdict(list)
        for term in facts[subject].get(SKOS + "altLabel", []):
            grouped[term.language].append(term.value)
        return {lang: tuple(sorted(texts)) for lang, texts in grouped.items()}

    def publishers(subject: str) -> str:  # the publisher agents' names, as the curated tables write them
        return "; ".join(one(agent.value, FOAF + "name") or agent.value
                         for agent in facts[subject].get(DCT + "publisher", []))

    sources = {}
    for subject in typed[DCT + "BibliographicResource"]:
        source_id = one(subject, DCT + "identifier")
        sources[source_id] = Source(source_id, subject, one(subject, DCT + "title") or "", publishers(subject),
                                    one(subject, DCT + "date") or "", one(subject, RDFS + "seeAlso") or "",
                                    one(subject, RDFS + "comment") or "")
    source_ids = {source.iri: source.id for source in sources.values()}
    sector_ids = {subject: one(subject, SKOS + "notation") for subject in typed[PG + "Sector"]}
    sectors = {sector_ids[subject]: Sector(sector_ids[subject], subject, one(subject, PG + "sectorCode") or "",
                                           labels(subject), sector_ids.get(one(subject, SKOS + "broader")),
                                           labels(subject, SKOS + "definition").get("en", ""))
               for subject in typed[PG + "Sector"]}
    skill_types = {PG + concept: skill_type for skill_type, concept in SKILL_TYPE_CONCEPT.items()}
    statuses = {PG + concept: status for status, concept in STATUS_CONCEPT.items()}
    skills = {}
    for subject in typed[PG + "Skill"]:
        skill_id = one(subject, SKOS + "notation")
        esco_uri = subject if subject.startswith("http://data.europa.eu/esco/") else None
        skills[skill_id] = Skill(skill_id, subject, skill_types[one(subject, PG + "skillType")], labels(subject),
                                 alt_labels(subject), one(subject, SKOS + "closeMatch") or esco_uri)
    skill_ids = {skill.iri: skill.id for skill in skills.values()}
    professions = {}
    for subject in typed[PG + "Profession"]:
        pid = one(subject, SKOS + "notation")
        exposure = one(subject, PG + "automationExposure")
        match, esco_uri = next(((match, one(subject, SKOS + prop)) for match, prop in ESCO_MATCH_PROPERTY.items()
                                if one(subject, SKOS + prop)), (None, None))
        if esco_uri is None and subject.startswith("http://data.europa.eu/esco/"):
            esco_uri = subject
        measures = measures_from_rdf(one, subject, source_ids)
        essential = tuple(sorted(skill_ids[t.value] for t in facts[subject].get(PG + "essentialSkill", [])))
        optional = tuple(sorted(skill_ids[t.value] for t in facts[subject].get(PG + "optionalSkill", [])))
        levels = {skill_id: levels_by_node[requirement] for skill_id in (*essential, *optional)
                  if (requirement := requirement_iri(pid, skill_id)) in levels_by_node} if levels_by_node else {}
        if measures.automation_percentile is not None:  # the exposure at full precision
            exposure = measures.automation_percentile
        professions[pid] = Profession(
            pid, subject, labels(subject), alt_labels(subject), isco08=one(subject, PG + "iscoCode"),
            measures=measures, sector=sector_ids.get(one(subject, PG + "sector")),
            status=statuses.get(one(subject, PG + "status")), exposure=None if exposure is None else float(exposure),
            exposure_source=source_ids.get(one(subject, PG + "automationExposureSource")), esco_uri=esco_uri,
            essential=essential, optional=optional, levels=levels, esco_match=match,
            esco_note=one(subject, PG + "escoMatchNote") or "", esco_isco08=one(subject, PG + "escoIscoCode"),
            isco_note=one(subject, PG + "iscoNote") or "")
    profession_ids = {profession.iri: profession.id for profession in professions.values()}
    transformations = [Transformation(profession_ids[one(subject, PG + "fromProfession")],
                                      profession_ids[one(subject, PG + "toProfession")],
                                      source_ids[one(subject, DCT + "source")], one(subject, RDFS + "comment") or "")
                       for subject in typed[PG + "Transformation"]]
    return Model(name, professions, skills, sectors, transformations, sources)


def _source_triples(model: Model) -> Iterator[Triple]:
    """Sources, and their publishers as agents (each agent once)."""
    agents_done: set[str] = set()
    for source in model.sources.values():
        node = NamedNode(source.iri)
        yield node, _TYPE, NamedNode(PROV + "Entity")
        yield node, _TYPE, NamedNode(DCT + "BibliographicResource")
        yield node, NamedNode(DCT + "title"), Literal(source.title)
        yield node, NamedNode(DCT + "identifier"), Literal(source.id)
        linked: set[str] = set()
        for name in source.publishers:
            agent = agent_iri(model, name)
            if agent in linked:
                continue
            linked.add(agent)
            yield node, NamedNode(DCT + "publisher"), NamedNode(agent)
            if agent not in agents_done:
                agents_done.add(agent)
                yield from _agent_triples(model, agent, name)
        if source.year:
            yield node, NamedNode(DCT + "date"), Literal(source.year, datatype=_GYEAR)
        if source.url:
            yield node, NamedNode(RDFS + "seeAlso"), NamedNode(source.url)
        if source.note:
            yield node, NamedNode(RDFS + "comment"), Literal(source.note)
    publisher = model.agents.get(model.about.get("publisher", ""))
    if publisher and publisher.iri not in agents_done:
        yield from _agent_triples(model, publisher.iri, publisher.names[0])


def _agent_triples(model: Model, agent: str, name: str) -> Iterator[Triple]:
    node = NamedNode(agent)
    known = next((a for a in model.agents.values() if a.iri == agent), None)
    yield node, _TYPE, NamedNode(DCT + "Agent")
    yield node, _TYPE, NamedNode(FOAF + "Agent")
    if known:
        yield node, _TYPE, NamedNode(_AGENT_CLASSES[known.kind])
    for each in known.names if known else (name,):
        yield node, NamedNode(FOAF + "name"), Literal(each)


def _sector_triples(model: Model) -> Iterator[Triple]:
    """Sectors: sections are top concepts, a division is narrower than its section."""
    for sector in model.sectors.values():
        node = NamedNode(sector.iri)
        yield from _concept(node, [PG + "Sector"], PG + "SectorScheme", top=not sector.broader)
        if sector.broader:
            yield node, _BROADER, NamedNode(model.sectors[sector.broader].iri)
        yield node, _pg("sectorCode"), Literal(sector.code)
        yield node, _NOTATION, Literal(sector.id)
        yield from _labels(node, sector.labels)
        if sector.definition:
            yield node, _DEFINITION, Literal(sector.definition, language="en")


def _isco_group_triples(model: Model) -> Iterator[Triple]:
    """The ISCO-08 groups above the professions' unit groups, each once, titled where the model knows it."""
    codes = sorted({code[:length] for code in (p.isco08 for p in model.professions.values()) if code
                    for length in range(1, len(code) + 1)})
    for code in codes:
        node = NamedNode(isco_group_iri(code))
        yield from _concept(node, [], PG + "ProfessionScheme", top=len(code) == 1)
        yield from _in_scheme(node, ISCO_SCHEME, top=len(code) == 1)  # ESCO's scheme of the ISCO-08 groups too
        yield node, _NOTATION, Literal(code)
        if len(code) > 1:
            yield node, _BROADER, NamedNode(isco_group_iri(code[:-1]))
        if model.isco_titles.get(code):
            yield node, _PREF, Literal(model.isco_titles[code], language="en")


def _code_list(codes: Iterable[Code], scheme: str) -> Iterator[Triple]:
    for code in codes:
        node = NamedNode(code.iri)
        yield from _concept(node, [], scheme, top=True)
        yield node, _NOTATION, Literal(code.id)
        yield from _labels(node, code.labels)
        if code.exact_match:
            yield node, _EXACT, NamedNode(code.exact_match)


def _period_triples(periods: Iterable[str]) -> Iterator[Triple]:
    """Periods ``YYYY`` or ``YYYY/YYYY``, matched to the reference.data.gov.uk intervals."""
    for period in periods:
        node = NamedNode(period_iri(period))
        yield from _concept(node, [], PG + "PeriodScheme", top=True)
        yield node, _NOTATION, Literal(period)
        yield node, _PREF, Literal(period.replace("/", "–"))
        first, _, last = period.partition("/")
        reference = (f"http://reference.data.gov.uk/id/year/{first}" if not last else
                     f"http://reference.data.gov.uk/id/gregorian-interval/{first}-01-01T00:00:00/"
                     f"P{int(last) - int(first) + 1}Y")
        yield node, _EXACT, NamedNode(reference)


def _indicator_triples(model: Model) -> Iterator[Triple]:
    """The indicators and their code lists as SKOS concepts, the observations as an RDF Data Cube data set."""
    if not model.observations:
        return
    dataset = NamedNode(INDICATOR_DATASET)
    yield dataset, _TYPE, NamedNode(QB + "DataSet")
    yield dataset, NamedNode(QB + "structure"), _pg("indicatorStructure")
    yield dataset, NamedNode(RDFS + "label"), Literal("Labour-market indicators", language="en")
    yield dataset, NamedNode(DCT + "isPartOf"), NamedNode(_dataset_iri(model))
    yield from _code_list(model.areas.values(), PG + "AreaScheme")
    yield from _code_list(model.units.values(), PG + "UnitScheme")
    yield from _period_triples(sorted({observation.period for observation in model.observations}))
    total = NamedNode(ALL_SECTORS)
    yield from _concept(total, [], PG + "SectorScheme", top=True)
    yield total, _NOTATION, Literal("_T")
    yield from _labels(total, _ALL_SECTORS_LABELS)
    yield total, _DEFINITION, Literal("All economic activities together: the code of an observation that is "
                                      "not broken down by sector.", language="en")
    for indicator in model.indicators.values():
        node = NamedNode(indicator.iri)
        yield from _concept(node, [PG + "Indicator"], PG + "IndicatorScheme", top=True)
        yield node, _NOTATION, Literal(indicator.id)
        yield node, _pg("unit"), NamedNode(model.units[indicator.unit].iri)
        yield from _labels(node, indicator.labels)
    for observation in model.observations:
        key = "--".join(part.replace("/", "-").lower() for part in
                        (observation.indicator, observation.area, observation.period, observation.sector or "")
                        if part)
        node = NamedNode(iri("observation", key))
        yield node, _TYPE, NamedNode(QB + "Observation")
        yield node, NamedNode(QB + "dataSet"), dataset
        yield node, _pg("indicator"), NamedNode(model.indicators[observation.indicator].iri)
        yield node, _pg("refArea"), NamedNode(model.areas[observation.area].iri)
        yield node, _pg("refPeriod"), NamedNode(period_iri(observation.period))
        yield node, _pg("refSector"), (NamedNode(model.sectors[observation.sector].iri) if observation.sector
                                       else total)
        yield node, NamedNode(SDMX_MEASURE + "obsValue"), Literal(repr(observation.value), datatype=_DECIMAL)
        yield node, NamedNode(SDMX_ATTRIBUTE + "unitMeasure"), NamedNode(model.units[
            model.indicators[observation.indicator].unit].iri)
        yield node, NamedNode(DCT + "source"), NamedNode(model.sources[observation.source].iri)
        if observation.note:
            yield node, NamedNode(RDFS + "comment"), Literal(observation.note, language="en")


class _Census:
    """Counts of the triples seen: triples, distinct subjects and properties, members per class."""

    def __init__(self) -> None:
        self.triples = 0
        self.subjects: set[str] = set()
        self.properties: set[str] = set()
        self.classes: Counter = Counter()

    def add(self, triple: Triple) -> None:
        subject, predicate, obj = triple
        self.triples += 1
        self.subjects.add(subject.value)
        self.properties.add(predicate.value)
        if predicate == _TYPE:
            self.classes[obj.value] += 1


def _dataset_iri(model: Model) -> str:
    return iri("dataset", model.about.get("id") or model.name)


def _description(model: Model, census: _Census) -> list[Triple]:
    """The DCAT + VoID description of the dataset, its counts covering the description itself."""
    about = model.about
    dataset = NamedNode(_dataset_iri(model))
    license_node = NamedNode(about["license"]) if about.get("license") else None
    triples: list[Triple] = [
        (dataset, _TYPE, NamedNode(DCAT + "Dataset")),
        (dataset, _TYPE, NamedNode(VOID + "Dataset")),
        (dataset, NamedNode(DCT + "identifier"), Literal(about.get("id") or model.name)),
        (dataset, NamedNode(DCT + "title"), Literal(about.get("title") or f"profgraph dataset {model.name}",
                                                    language="en")),
        (dataset, NamedNode(VOID + "uriSpace"), Literal(BASE)),
        (dataset, NamedNode(DCT + "conformsTo"), NamedNode(BASE + "ontology")),
    ]
    if about.get("description"):
        triples.append((dataset, NamedNode(DCT + "description"), Literal(about["description"], language="en")))
    if license_node:
        triples.append((dataset, NamedNode(DCT + "license"), license_node))
    if about.get("publisher") in model.agents:
        triples.append((dataset, NamedNode(DCT + "publisher"), NamedNode(model.agents[about["publisher"]].iri)))
    triples += [(dataset, NamedNode(VOID + "vocabulary"), NamedNode(vocabulary)) for vocabulary in _VOCABULARIES]
    triples += [(dataset, NamedNode(DCT + "source"), NamedNode(source.iri)) for source in model.sources.values()]
    if model.professions:
        triples.append((dataset, NamedNode(VOID + "exampleResource"),
                        NamedNode(next(iter(model.professions.values())).iri)))
    if model.observations:
        triples.append((dataset, NamedNode(DCT + "hasPart"), NamedNode(INDICATOR_DATASET)))
    for writer in formats.writers(formats.EXPORT):
        distribution = NamedNode(f"{dataset.value}/distribution/{writer.name}")
        triples += [(dataset, NamedNode(DCAT + "distribution"), distribution),
                    (distribution, _TYPE, NamedNode(DCAT + "Distribution")),
                    (distribution, NamedNode(DCT + "title"), Literal(writer.title, language="en")),
                    (distribution, NamedNode(DCT + "description"),
                     Literal(f"Written by `profgraph export --format {writer.name}`.", language="en"))]
        media_type = formats.FORMATS[writer.name].essence
        if media_type:
            triples.append((distribution, NamedNode(DCAT + "mediaType"),
                            NamedNode(f"https://www.iana.org/assignments/media-types/{media_type}")))
        if license_node:
            triples.append((distribution, NamedNode(DCT + "license"), license_node))
    for triple in triples:
        census.add(triple)
    partitions = {name: NamedNode(f"{dataset.value}/class/{compact_iri(name).replace(':', '-')}")
                  for name in sorted(census.classes)}
    for name, partition in partitions.items():
        for triple in ((dataset, NamedNode(VOID + "classPartition"), partition),
                       (partition, NamedNode(VOID + "class"), NamedNode(name))):
            census.add(triple)
            triples.append(triple)
    counts = [(dataset, "triples", None), (dataset, "distinctSubjects", None), (dataset, "properties", None),
              (dataset, "classes", None), *((partition, "entities", name) for name, partition in partitions.items())]
    census.properties.update(VOID + predicate for _, predicate, _ in counts)
    values = {"triples": census.triples + len(counts), "distinctSubjects": len(census.subjects),
              "properties": len(census.properties), "classes": len(census.classes)}
    for node, predicate, name in counts:
        value = census.classes[name] if name else values[predicate]
        triples.append((node, NamedNode(VOID + predicate), Literal(str(value), datatype=_INTEGER)))
    return triples
