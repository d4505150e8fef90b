"""The in-memory data model: professions, skills, sectors, transformations and sources.

Every reader (curated tables, ESCO import) produces a :class:`Model`; every view (the RDF
store, the transition graph, the HTML) is built from one, so the views never disagree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .vocab import DATA_GRAPH, LANGUAGES, RELATION_WEIGHT, SKILL_TYPES, STATUSES


@dataclass(frozen=True)
class Source:
    """A bibliographic source that figures in the data cite by ``id``."""

    id: str
    iri: str
    title: str
    publisher: str = ""
    year: str = ""
    url: str = ""
    note: str = ""

    @property
    def publishers(self) -> list[str]:
        """The names in ``publisher``, where ``;`` separates several (:func:`publisher_names`)."""
        return publisher_names(self.publisher)


def publisher_names(text: str) -> list[str]:
    """Return the publisher names in the text of a source's publisher (``;`` separates several)."""
    return [name.strip() for name in text.split(";") if name.strip()]


@dataclass(frozen=True)
class Agent:
    """Who publishes a source: ``kind`` is organization, group (of people) or person; one agent may go
    by several ``names`` (the spellings sources use)."""

    id: str
    iri: str
    names: tuple[str, ...]
    kind: str


@dataclass(frozen=True)
class Sector:
    """A sector of the economy; ``code`` is its section/division in the national classification (NACE Rev. 2).

    ``broader`` is the id of the section a division belongs to (None for a section); ``definition`` is
    in English.
    """

    id: str
    iri: str
    code: str
    labels: dict[str, str]
    broader: str | None = None
    definition: str = ""


@dataclass(frozen=True)
class Code:
    """An entry of a code list (an area, a unit of measure): its labels and, where a standard one
    exists, the IRI of the same concept in it (``exact_match``)."""

    id: str
    iri: str
    labels: dict[str, str]
    exact_match: str = ""


@dataclass(frozen=True)
class Skill:
    """A typed skill. ``type`` is one of :data:`profgraph.vocab.SKILL_TYPES`; a ``trait`` (an
    attitude or value) is part of a profile but never a skill to learn."""

    id: str
    iri: str
    type: str
    labels: dict[str, str]
    alt_labels: dict[str, tuple[str, ...]] = field(default_factory=dict)
    esco_uri: str | None = None


@dataclass(frozen=True)
class Measures:
    """The sourced measures of one profession that the transition rules read (:mod:`profgraph.rules`).

    Every value may be None (unknown). Each group names how it was obtained (``*_basis``, one of
    :data:`profgraph.measures.BASES`) and its source (``*_source``, a source id).

    - automation risk (Nesta, 2020): ``automation_risk`` on Nesta's 1..5 scale, ``automation_prevalence``
      (share of bottleneck tasks, 0..1), ``automation_category`` (Nesta's "High risk", "Other", "Low risk")
      and ``automation_percentile`` (share of Nesta's ESCO occupations with a risk at most as high);
    - generative-AI exposure (ILO, 2025): ``genai_score`` (the unit group's mean task score, 0..1),
      ``genai_category`` (ILO's "Not Exposed" .. "Exposed: Gradient 4") and ``genai_percentile``;
    - preparation: ``skill_level`` (ISCO-08 skill level 1..4 of the major group) and, from the linked ESCO
      occupation's Nesta inputs, ``job_zone`` (O*NET 1..5) and ``education_level`` (1..12);
    - pay: ``wage_kzt`` (national average monthly wage of the ISCO-08 major group, 2022) and, from the
      linked ESCO occupation, ``annual_earnings`` (Nesta's indicative UK figure, read only as ratios).
    """

    automation_risk: float | None = None
    automation_prevalence: float | None = None
    automation_category: str | None = None
    automation_percentile: float | None = None
    automation_basis: str | None = None
    automation_source: str | None = None
    genai_score: float | None = None
    genai_category: str | None = None
    genai_percentile: float | None = None
    genai_basis: str | None = None
    genai_source: str | None = None
    skill_level: int | None = None
    skill_level_source: str | None = None
    job_zone: float | None = None
    education_level: float | None = None
    annual_earnings: float | None = None
    occupation_basis: str | None = None
    occupation_source: str | None = None
    wage_kzt: float | None = None
    wage_source: str | None = None


@dataclass(frozen=True)
class Profession:
    """A profession with its labels, classification, status, exposure, measures and required skills.

    ``essential`` and ``optional`` hold skill ids; ``levels`` maps some of them to the level the
    profession needs (a CEFR level for a language, a clearance group, a licence category).
    ``exposure`` is the automation-risk percentile of ``measures`` in [0, 1], or None when no
    estimate exists; ``exposure_source`` is then None too. ``esco_match`` says how ``esco_uri``
    matches (:data:`profgraph.vocab.ESCO_MATCHES`) and ``esco_note`` on what basis; ``esco_isco08``
    is the ESCO occupation's ISCO-08 group and ``isco_note`` says why ``isco08`` differs from it,
    where it does.
    """

    id: str
    iri: str
    labels: dict[str, str]
    alt_labels: dict[str, tuple[str, ...]] = field(default_factory=dict)
    isco08: str | None = None
    sector: str | None = None
    status: str | None = None
    exposure: float | None = None
    exposure_source: str | None = None
    esco_uri: str | None = None
    essential: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    levels: dict[str, str] = field(default_factory=dict)
    esco_match: str | None = None
    esco_note: str = ""
    esco_isco08: str | None = None
    isco_note: str = ""
    measures: Measures = field(default_factory=Measures)

    @property
    def skills(self) -> tuple[str, ...]:
        """All required skill ids, essential first."""
        return self.essential + self.optional

    def requirements(self) -> list[tuple[str, str, float]]:
        """Return ``(skill id, relation, weight)`` for every required skill, essential first: the
        relation is ``essential`` or ``optional``, its weight that of
        :data:`~profgraph.vocab.RELATION_WEIGHT`."""
        return [(skill_id, relation, RELATION_WEIGHT[relation])
                for relation, skill_ids in (("essential", self.essential), ("optional", self.optional))
                for skill_id in skill_ids]


@dataclass(frozen=True)
class Transformation:
    """The work of profession ``origin`` moves to profession ``successor``; ``source`` is a source id.
    ``note`` says why the link is listed where the successor is not directly reachable by a path."""

    origin: str
    successor: str
    source: str
    note: str = ""


@dataclass(frozen=True)
class Indicator:
    """A labour-market indicator (unemployment rate, digital literacy...) and its ``unit`` (a unit id)."""

    id: str
    iri: str
    labels: dict[str, str]
    unit: str


@dataclass(frozen=True)
class Observation:
    """One value of an indicator for an ``area`` (an area id: ISO 3166 code or WORLD), a ``period``
    (``YYYY`` or ``YYYY/YYYY``) and a sector id, or None for all sectors."""

    indicator: str
    area: str
    period: str
    sector: str | None
    value: float
    source: str
    note: str = ""


@dataclass
class Model:
    """A whole dataset. Dicts keep insertion order, so iteration order is the file order.

    ``isco_titles`` maps ISCO-08 group codes to English titles; ``about`` describes the dataset
    (``id``, ``title``, ``description``, ``license``, ``publisher``: an agent id); ``graph`` is the
    IRI of the named graph its RDF goes to.
    """

    name: str
    professions: dict[str, Profession]
    skills: dict[str, Skill]
    sectors: dict[str, Sector] = field(default_factory=dict)
    transformations: list[Transformation] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)
    observations: list[Observation] = field(default_factory=list)
    areas: dict[str, Code] = field(default_factory=dict)
    units: dict[str, Code] = field(default_factory=dict)
    agents: dict[str, Agent] = field(default_factory=dict)
    isco_titles: dict[str, str] = field(default_factory=dict)
    about: dict[str, str] = field(default_factory=dict)
    graph: str = DATA_GRAPH

    def successors(self, profession_id: str) -> list[str]:
        """Return the ids of the professions that ``profession_id`` transforms into."""
        return [t.successor for t in self.transformations if t.origin == profession_id]


def label(entity, lang: str = "en") -> str:
    """Return the entity's label in ``lang``, falling back to English, then any language, then its id."""
    labels = entity.labels
    for candidate in (lang, "en", *LANGUAGES):
        if labels.get(candidate):
            return labels[candidate]
    return next(iter(labels.values()), entity.id)


def inconsistency(model: Model) -> str | None:
    """Return what first breaks ``model``'s promises (an entity filed under another id, a reference
    to an unknown id, a status, skill type or exposure out of range), or None when it holds together.

    Every reader guarantees these; a model read back from a file that someone else may have written is
    checked with this before use.
    """
    for kind, entities in (("profession", model.professions), ("skill", model.skills), ("sector", model.sectors),
                           ("source", model.sources), ("indicator", model.indicators)):
        for key, entity in entities.items():
            if key != entity.id:
                return f"{kind} {entity.id!r} is filed as {key!r}"
    for skill in model.skills.values():
        if skill.type not in SKILL_TYPES:
            return f"skill {skill.id!r} has the unknown type {skill.type!r}"
    unknown = {skill for profession in model.professions.values() for skill in profession.skills}.difference(model.skills)
    if unknown:
        return f"a profession requires the unknown skill {min(unknown)!r}"
    for profession in model.professions.values():
        if profession.status is not None and profession.status not in STATUSES:
            return f"profession {profession.id!r} has the unknown status {profession.status!r}"
        if profession.sector is not None and profession.sector not in model.sectors:
            return f"profession {profession.id!r} is in the unknown sector {profession.sector!r}"
        if profession.exposure is not None and not 0.0 <= profession.exposure <= 1.0:
            return f"profession {profession.id!r} has the exposure {profession.exposure!r}, outside [0, 1]"
        if profession.exposure_source is not None and profession.exposure_source not in model.sources:
            return f"profession {profession.id!r} cites the unknown source {profession.exposure_source!r}"
    for transformation in model.transformations:
        for end in (transformation.origin, transformation.successor):
            if end not in model.professions:
                return f"a transformation links the unknown profession {end!r}"
        if transformation.source not in model.sources:
            return f"a transformation cites the unknown source {transformation.source!r}"
    for observation in model.observations:
        if observation.indicator not in model.indicators:
            return f"an observation is of the unknown indicator {observation.indicator!r}"
        if observation.sector is not None and observation.sector not in model.sectors:
            return f"an observation is in the unknown sector {observation.sector!r}"
        if observation.source not in model.sources:
            return f"an observation cites the unknown source {observation.source!r}"
        if not math.isfinite(observation.value):
            return f"an observation of {observation.indicator!r} has the value {observation.value!r}"
    return None
