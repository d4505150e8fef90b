"""Reader for the curated, human-edited CSV tables in ``data/``.

Every problem is raised as :class:`~profgraph.errors.DataError` naming the file, the line
and the column, so that whoever edits the tables can fix them.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Container
from pathlib import Path

from ..errors import DataError, shown
from ..measures import AUTOMATION_LEVELS, BASES, GENAI_LEVELS, MEASURE_COLUMNS, measures_from_row
from ..model import (Agent, Code, Indicator, Measures, Model, Observation, Profession, Sector, Skill, Source,
                     Transformation, publisher_names)
from ..vocab import ESCO_MATCHES, LANGUAGES, RELATIONS, SKILL_TYPES, STATUSES, iri
from .csvfile import finite_number, read_table

TABLES = ("publishers", "sources", "dataset", "sectors", "skills", "isco_groups", "professions",
          "profession_measures", "requirements", "transformations", "areas", "units", "indicators",
          "observations")
COLUMNS = {
    "publishers": ("id", "name", "kind"),
    "sources": ("id", "title", "publisher", "year", "url", "note"),
    "dataset": ("id", "title", "description", "license", "publisher"),
    "sectors": ("id", "code", "broader", "label_kk", "label_ru", "label_en", "definition_en"),
    "isco_groups": ("code", "title_en"),
    "areas": ("id", "label_kk", "label_ru", "label_en", "exact_match"),
    "units": ("id", "label_kk", "label_ru", "label_en", "exact_match"),
    "skills": ("id", "type", "label_kk", "label_ru", "label_en", "alt_kk", "alt_ru", "alt_en", "esco_uri"),
    "professions": (
        "id", "label_kk", "label_ru", "label_en", "alt_kk", "alt_ru", "alt_en",
        "isco08", "sector", "status", "esco_uri",
    ),
    "profession_measures": ("profession", *MEASURE_COLUMNS),
    "requirements": ("profession", "skill", "relation"),
    "transformations": ("from", "to", "source"),
    "indicators": ("id", "label_kk", "label_ru", "label_en", "unit"),
    "observations": ("indicator", "area", "period", "sector", "value", "source", "note"),
}
# Columns a table may have (tables written before they existed still read).
OPTIONAL_COLUMNS = {
    "professions": ("esco_match", "esco_note", "esco_isco08", "isco_note"),
    "requirements": ("level",),
    "transformations": ("note",),
}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ALT_SEPARATOR = "|"
AGENT_KINDS = ("organization", "group", "person")
AREA_CODE = re.compile(r"^[A-Z]{2}$|^WORLD$")  # ISO 3166-1 alpha-2, or the world
PERIOD = re.compile(r"^(\d{4})(?:/(\d{4}))?$")  # a year, or a span of whole years


class _Table:
    """Rows of one CSV file, each with its line number, and a ``fail`` that names file/line/column."""

    def __init__(self, folder: Path, name: str):
        self.path = folder / f"{name}.csv"
        self.name = name
        _, self.rows = read_table(self.path, COLUMNS[name])
        for _, cells in self.rows:
            for column in OPTIONAL_COLUMNS.get(name, ()):
                cells.setdefault(column, "")

    def fail(self, line: int, column: str, message: str) -> DataError:
        return DataError(message, str(self.path), line, column)

    def number(self, line: int, row: dict, column: str) -> float:
        """Return the cell as a finite number (``nan``, ``inf`` and ``1e999`` are refused)."""
        return finite_number(self.required(line, row, column), self.path, line, column)

    def required(self, line: int, row: dict, column: str) -> str:
        value = row[column]
        if not value:
            raise self.fail(line, column, "is empty")
        return value

    def slug(self, line: int, row: dict, column: str) -> str:
        value = self.required(line, row, column)
        if not SLUG.match(value):
            raise self.fail(line, column, f"{shown(value)} is not a slug (lowercase a-z, 0-9 and single hyphens)")
        return value

    def choice(self, line: int, row: dict, column: str, allowed: Collection[str]) -> str:
        value = self.required(line, row, column)
        if value not in allowed:
            raise self.fail(line, column, f"{shown(value)} is not one of {', '.join(allowed)}")
        return value

    def reference(self, line: int, row: dict, column: str, known: Container[str], what: str) -> str:
        value = self.required(line, row, column)
        if value not in known:
            raise self.fail(line, column, f"unknown {what} id {shown(value)}")
        return value

    def unique(self, line: int, column: str, value: str, seen: Container[str]) -> None:
        if value in seen:
            raise self.fail(line, column, f"duplicate id {shown(value)}")


def _labels(table: _Table, line: int, row: dict) -> dict[str, str]:
    return {lang: table.required(line, row, f"label_{lang}") for lang in LANGUAGES}


def _alt_labels(row: dict) -> dict[str, tuple[str, ...]]:
    alts = {}
    for lang in LANGUAGES:
        values = tuple(v.strip() for v in row.get(f"alt_{lang}", "").split(ALT_SEPARATOR) if v.strip())
        if values:
            alts[lang] = values
    return alts


def _measures(table: _Table, line: int, row: dict, sources: Container[str]) -> Measures:
    measures = measures_from_row(row, lambda column, message: table.fail(line, column, message))
    for column in MEASURE_COLUMNS:
        value = getattr(measures, column)
        if value is None:
            continue
        if column.endswith("_source"):
            table.reference(line, row, column, sources, "source")
        elif column.endswith("_basis") and value not in BASES:
            raise table.fail(line, column, f"{shown(value)} is not one of {', '.join(BASES)}")
        elif column == "automation_category" and value not in AUTOMATION_LEVELS:
            raise table.fail(line, column, f"{shown(value)} is not one of {', '.join(AUTOMATION_LEVELS)}")
        elif column == "genai_category" and value not in GENAI_LEVELS:
            raise table.fail(line, column, f"{shown(value)} is not one of {', '.join(GENAI_LEVELS)}")
        elif column.endswith("_percentile") or column == "automation_prevalence":
            if value > 1:
                raise table.fail(line, column, f"{value} is outside [0, 1]")
        elif column == "automation_risk" and not 1 <= value <= 5:
            raise table.fail(line, column, f"{value} is outside Nesta's 1..5 scale")
    if measures.automation_risk is not None and measures.automation_source is None:
        raise table.fail(line, "automation_source", "is empty but automation_risk is set")
    return measures


def _esco_match(table: _Table, line: int, row: dict) -> str | None:
    """The ESCO match of a profession row: None without a link, "close" when the link has no match type."""
    if not row["esco_uri"]:
        if row["esco_match"]:
            raise table.fail(line, "esco_match", "is set but esco_uri is empty")
        return None
    return table.choice(line, row, "esco_match", ESCO_MATCHES) if row["esco_match"] else "close"


def read_curated(folder: str | Path, name: str = "curated") -> Model:
    """Read the tables of :data:`TABLES` in ``folder`` and return the :class:`Model` they describe.

    Raises :class:`DataError` (file, line, column) for a missing file or column, an empty
    required cell, a control character in a cell, a bad slug, status, type, relation, ESCO
    match or exposure, a duplicate id or a reference to an unknown id.
    """
    folder = Path(folder)
    tables = {table: _Table(folder, table) for table in TABLES}

    agents = _agents(tables["publishers"])
    agent_names = {name for agent in agents.values() for name in agent.names}
    sources: dict[str, Source] = {}
    table = tables["sources"]
    for line, row in table.rows:
        sid = table.slug(line, row, "id")
        table.unique(line, "id", sid, sources)
        for publisher in publisher_names(row["publisher"]):
            if publisher not in agent_names:
                raise table.fail(line, "publisher", f"{shown(publisher)} is not a name in publishers.csv")
        if row["year"] and not re.fullmatch(r"\d{4}", row["year"]):
            raise table.fail(line, "year", f"{shown(row['year'])} is not a year (4 digits)")
        sources[sid] = Source(sid, iri("source", sid), table.required(line, row, "title"),
                              row["publisher"], row["year"], row["url"], row["note"])

    about = _about(tables["dataset"], agents)
    sectors = _sectors(tables["sectors"])

    skills: dict[str, Skill] = {}
    table = tables["skills"]
    for line, row in table.rows:
        sid = table.slug(line, row, "id")
        table.unique(line, "id", sid, skills)
        skills[sid] = Skill(sid, iri("skill", sid), table.choice(line, row, "type", SKILL_TYPES),
                            _labels(table, line, row), _alt_labels(row), row["esco_uri"] or None)

    isco_titles = _isco_titles(tables["isco_groups"])
    rows: dict[str, dict] = {}
    table = tables["professions"]
    for line, row in table.rows:
        pid = table.slug(line, row, "id")
        table.unique(line, "id", pid, rows)
        isco = row["isco08"]
        if isco and not re.fullmatch(r"\d{4}", isco):
            raise table.fail(line, "isco08", f"{shown(isco)} is not a 4-digit ISCO-08 unit group")
        if isco and isco not in isco_titles:
            raise table.fail(line, "isco08", f"{shown(isco)} is not an ISCO-08 unit group of isco_groups.csv"
                             " (scripts/isco_titles.py adds the groups the professions use)")
        esco_isco = row["esco_isco08"]
        if esco_isco and not re.fullmatch(r"\d{1,4}", esco_isco):
            raise table.fail(line, "esco_isco08", f"{shown(esco_isco)} is not an ISCO-08 group code")
        rows[pid] = dict(
            id=pid, iri=iri("profession", pid), labels=_labels(table, line, row), alt_labels=_alt_labels(row),
            isco08=isco or None, sector=table.reference(line, row, "sector", sectors, "sector"),
            status=table.choice(line, row, "status", STATUSES), esco_uri=row["esco_uri"] or None,
            esco_match=_esco_match(table, line, row), esco_note=row["esco_note"], esco_isco08=esco_isco or None,
            isco_note=row["isco_note"],
        )

    # The measures (data/profession_measures.csv, scripts/derive_measures.py); the exposure is the
    # automation-risk percentile there. A profession without a row has every measure unknown.
    table = tables["profession_measures"]
    measured: dict[str, Measures] = {}
    for line, row in table.rows:
        pid = table.reference(line, row, "profession", rows, "profession")
        table.unique(line, "profession", pid, measured)
        measured[pid] = _measures(table, line, row, sources)
    for pid, fields in rows.items():
        measures = measured.get(pid, Measures())
        fields.update(measures=measures, exposure=measures.automation_percentile,
                      exposure_source=measures.automation_source if measures.automation_percentile is not None
                      else None)

    required: dict[str, dict[str, list[str]]] = {pid: {"essential": [], "optional": []} for pid in rows}
    levels: dict[str, dict[str, str]] = {pid: {} for pid in rows}
    table = tables["requirements"]
    seen_pairs: set[tuple[str, str]] = set()
    for line, row in table.rows:
        pid = table.reference(line, row, "profession", rows, "profession")
        sid = table.reference(line, row, "skill", skills, "skill")
        relation = table.choice(line, row, "relation", RELATIONS)
        if (pid, sid) in seen_pairs:
            raise table.fail(line, "skill", f"{pid} already lists skill {shown(sid)}")
        seen_pairs.add((pid, sid))
        required[pid][relation].append(sid)
        if row["level"]:
            levels[pid][sid] = row["level"]

    transformations = []
    table = tables["transformations"]
    for line, row in table.rows:
        transformations.append(Transformation(
            table.reference(line, row, "from", rows, "profession"),
            table.reference(line, row, "to", rows, "profession"),
            table.reference(line, row, "source", sources, "source"),
            row["note"],
        ))

    areas = _codes(tables["areas"], "area", AREA_CODE, "an ISO 3166-1 alpha-2 code or WORLD")
    units = _codes(tables["units"], "unit", SLUG, "a slug (lowercase a-z, 0-9 and single hyphens)")
    indicators: dict[str, Indicator] = {}
    table = tables["indicators"]
    for line, row in table.rows:
        iid = table.slug(line, row, "id")
        table.unique(line, "id", iid, indicators)
        indicators[iid] = Indicator(iid, iri("indicator", iid), _labels(table, line, row),
                                    table.reference(line, row, "unit", units, "unit"))

    observations = []
    table = tables["observations"]
    for line, row in table.rows:
        value = table.number(line, row, "value")
        period = PERIOD.match(table.required(line, row, "period"))
        if not period or (period[2] and period[2] <= period[1]):
            raise table.fail(line, "period", f"{shown(row['period'])} is not a year (2020) or a span of years "
                                             "(2008/2009)")
        observations.append(Observation(
            table.reference(line, row, "indicator", indicators, "indicator"),
            table.reference(line, row, "area", areas, "area"), row["period"],
            table.reference(line, row, "sector", sectors, "sector") if row["sector"] else None,
            value, table.reference(line, row, "source", sources, "source"), row["note"],
        ))

    professions = {
        pid: Profession(**fields, essential=tuple(required[pid]["essential"]), optional=tuple(required[pid]["optional"]),
                        levels=levels[pid])
        for pid, fields in rows.items()
    }
    return Model(name, professions, skills, sectors, transformations, sources, indicators, observations,
                 areas=areas, units=units, agents=agents, isco_titles=isco_titles, about=about)


def _agents(table: _Table) -> dict[str, Agent]:
    """The publishers table: one agent per id, which several rows may give other names."""
    names: dict[str, list[str]] = {}
    kinds: dict[str, str] = {}
    seen: set[str] = set()
    for line, row in table.rows:
        aid = table.slug(line, row, "id")
        name = table.required(line, row, "name")
        if name in seen:
            raise table.fail(line, "name", f"duplicate name {shown(name)}")
        seen.add(name)
        kind = table.choice(line, row, "kind", AGENT_KINDS)
        if kinds.setdefault(aid, kind) != kind:
            raise table.fail(line, "kind", f"{aid} is a {kinds[aid]} on an earlier line")
        names.setdefault(aid, []).append(name)
    return {aid: Agent(aid, iri("agent", aid), tuple(found), kinds[aid]) for aid, found in names.items()}


def _about(table: _Table, agents: dict[str, Agent]) -> dict[str, str]:
    """The one row of the dataset table: what the dataset is, its licence and its publisher."""
    if len(table.rows) != 1:
        raise DataError(f"holds {len(table.rows)} rows; it describes the dataset in exactly one", str(table.path))
    line, row = table.rows[0]
    table.slug(line, row, "id")
    table.required(line, row, "title")
    if not re.match(r"^https?://\S+$", table.required(line, row, "license")):
        raise table.fail(line, "license", f"{shown(row['license'])} is not the IRI of a licence")
    table.reference(line, row, "publisher", agents, "publisher")
    return {column: row[column] for column in COLUMNS["dataset"]}


def _sectors(table: _Table) -> dict[str, Sector]:
    """The sectors table; a division's ``broader`` names the section it belongs to."""
    sectors: dict[str, Sector] = {}
    for line, row in table.rows:
        sid = table.slug(line, row, "id")
        table.unique(line, "id", sid, sectors)
        sectors[sid] = Sector(sid, iri("sector", sid), table.required(line, row, "code"), _labels(table, line, row),
                              row["broader"] or None, row["definition_en"])
    for line, row in table.rows:
        if row["broader"]:
            broader = table.reference(line, row, "broader", sectors, "sector")
            if broader == row["id"]:
                raise table.fail(line, "broader", "a sector cannot be under itself")
            if sectors[broader].broader:
                raise table.fail(line, "broader", f"{broader!r} is itself under {sectors[broader].broader!r}; "
                                                  "name the section")
    return sectors


def _isco_titles(table: _Table) -> dict[str, str]:
    """The ISCO-08 group titles: code (1 to 4 digits) -> English title."""
    titles: dict[str, str] = {}
    for line, row in table.rows:
        code = table.required(line, row, "code")
        if not re.fullmatch(r"\d{1,4}", code):
            raise table.fail(line, "code", f"{shown(code)} is not an ISCO-08 group code (1 to 4 digits)")
        table.unique(line, "code", code, titles)
        titles[code] = table.required(line, row, "title_en")
    return titles


def _codes(table: _Table, kind: str, pattern: re.Pattern, what: str) -> dict[str, Code]:
    """A code list (areas, units): id -> :class:`Code` with labels in every language."""
    codes: dict[str, Code] = {}
    for line, row in table.rows:
        cid = table.required(line, row, "id")
        if not pattern.match(cid):
            raise table.fail(line, "id", f"{shown(cid)} is not {what}")
        table.unique(line, "id", cid, codes)
        if row["exact_match"] and not re.match(r"^https?://\S+$", row["exact_match"]):
            raise table.fail(line, "exact_match", f"{shown(row['exact_match'])} is not an IRI")
        codes[cid] = Code(cid, iri(kind, cid), _labels(table, line, row), row["exact_match"])
    return codes


def table_paths(folder: str | Path) -> list[Path]:
    """Return the paths of the tables :func:`read_curated` reads, in reading order."""
    return [Path(folder) / f"{table}.csv" for table in TABLES]
