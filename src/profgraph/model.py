"""The in-memory data model: professions, skills, sectors, transformations and sources.

Every reader (curated tables, ESCO import) produces a :class:`Model`; every view (the RDF
store, the transition graph, the HTML) is built from one, so the views never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .vocab import DATA_GRAPH, LANGUAGES


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
class Profession:
    """A profession with its labels, classification, status, exposure and required skills.

    ``essential`` and ``optional`` hold skill ids; ``levels`` maps some of them to the level the
    profession needs (a CEFR level for a language, a clearance group, a licence category).
    ``exposure`` is in [0, 1] or None when no estimate exists; ``exposure_source`` is then None too.
    ``esco_match`` says how ``esco_uri`` matches (:data:`profgraph.vocab.ESCO_MATCHES`) and
    ``esco_note`` on what basis; ``esco_isco08`` is the ESCO occupation's ISCO-08 group and
    ``isco_note`` says why ``isco08`` differs from it, where it does.
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

    @property
    def skills(self) -> tuple[str, ...]:
        """All required skill ids, essential first."""
        return self.essential + self.optional


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
