"""The in-memory data model: professions, skills, sectors, transformations and sources.

Every reader (curated tables, ESCO import) produces a :class:`Model`; every view (the RDF
store, the transition graph, the HTML) is built from one, so the views never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .vocab import LANGUAGES


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


@dataclass(frozen=True)
class Sector:
    """A sector of the economy; ``code`` is its section/division in the national classification (NACE Rev. 2)."""

    id: str
    iri: str
    code: str
    labels: dict[str, str]


@dataclass(frozen=True)
class Skill:
    """A typed skill. ``type`` is one of :data:`profgraph.vocab.SKILL_TYPES`."""

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

    ``essential`` and ``optional`` hold skill ids. ``exposure`` is the automation-risk percentile of
    ``measures`` in [0, 1], or None when no estimate exists; ``exposure_source`` is then None too.
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
    measures: Measures = field(default_factory=Measures)

    @property
    def skills(self) -> tuple[str, ...]:
        """All required skill ids, essential first."""
        return self.essential + self.optional


@dataclass(frozen=True)
class Transformation:
    """The work of profession ``origin`` moves to profession ``successor``; ``source`` is a source id."""

    origin: str
    successor: str
    source: str


@dataclass(frozen=True)
class Indicator:
    """A labour-market indicator (unemployment rate, digital literacy...) and its ``unit``."""

    id: str
    iri: str
    labels: dict[str, str]
    unit: str


@dataclass(frozen=True)
class Observation:
    """One value of an indicator for an ``area`` (ISO 3166 code or WORLD), a ``period`` and maybe a sector."""

    indicator: str
    area: str
    period: str
    sector: str | None
    value: float
    source: str
    note: str = ""


@dataclass
class Model:
    """A whole dataset. Dicts keep insertion order, so iteration order is the file order."""

    name: str
    professions: dict[str, Profession]
    skills: dict[str, Skill]
    sectors: dict[str, Sector] = field(default_factory=dict)
    transformations: list[Transformation] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)
    observations: list[Observation] = field(default_factory=list)

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
