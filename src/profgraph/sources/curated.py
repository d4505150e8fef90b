"""Reader for the curated, human-edited CSV tables in ``data/``.

Every problem is raised as :class:`~profgraph.errors.DataError` naming the file, the line
and the column, so that whoever edits the tables can fix them.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import DataError, shown
from ..measures import AUTOMATION_LEVELS, BASES, GENAI_LEVELS, MEASURE_COLUMNS, measures_from_row
from ..model import Indicator, Measures, Model, Observation, Profession, Sector, Skill, Source, Transformation
from ..vocab import LANGUAGES, RELATIONS, SKILL_TYPES, STATUSES, iri
from .csvfile import finite_number, read_table

TABLES = ("sources", "sectors", "skills", "professions", "profession_measures", "requirements", "transformations",
          "indicators", "observations")
COLUMNS = {
    "sources": ("id", "title", "publisher", "year", "url", "note"),
    "sectors": ("id", "code", "label_kk", "label_ru", "label_en"),
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
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ALT_SEPARATOR = "|"


class _Table:
    """Rows of one CSV file, each with its line number, and a ``fail`` that names file/line/column."""

    def __init__(self, folder: Path, name: str):
        self.path = folder / f"{name}.csv"
        self.name = name
        _, self.rows = read_table(self.path, COLUMNS[name])

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

    def choice(self, line: int, row: dict, column: str, allowed) -> str:
        value = self.required(line, row, column)
        if value not in allowed:
            raise self.fail(line, column, f"{shown(value)} is not one of {', '.join(allowed)}")
        return value

    def reference(self, line: int, row: dict, column: str, known, what: str) -> str:
        value = self.required(line, row, column)
        if value not in known:
            raise self.fail(line, column, f"unknown {what} id {shown(value)}")
        return value

    def unique(self, line: int, column: str, value: str, seen) -> None:
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


def _measures(table: _Table, line: int, row: dict, sources) -> Measures:
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


def read_curated(folder: str | Path, name: str = "curated") -> Model:
    """Read the tables of :data:`TABLES` in ``folder`` and return the :class:`Model` they describe.

    Raises :class:`DataError` (file, line, column) for a missing file or column, an empty
    required cell, a bad slug, status, type, relation or exposure, a duplicate id or a
    reference to an unknown id.
    """
    folder = Path(folder)
    tables = {table: _Table(folder, table) for table in TABLES}

    sources: dict[str, Source] = {}
    table = tables["sources"]
    for line, row in table.rows:
        sid = table.slug(line, row, "id")
        table.unique(line, "id", sid, sources)
        sources[sid] = Source(sid, iri("source", sid), table.required(line, row, "title"),
                              row["publisher"], row["year"], row["url"], row["note"])

    sectors: dict[str, Sector] = {}
    table = tables["sectors"]
    for line, row in table.rows:
        sid = table.slug(line, row, "id")
        table.unique(line, "id", sid, sectors)
        sectors[sid] = Sector(sid, iri("sector", sid), table.required(line, row, "code"), _labels(table, line, row))

    skills: dict[str, Skill] = {}
    table = tables["skills"]
    for line, row in table.rows:
        sid = table.slug(line, row, "id")
        table.unique(line, "id", sid, skills)
        skills[sid] = Skill(sid, iri("skill", sid), table.choice(line, row, "type", SKILL_TYPES),
                            _labels(table, line, row), _alt_labels(row), row["esco_uri"] or None)

    rows: dict[str, dict] = {}
    table = tables["professions"]
    for line, row in table.rows:
        pid = table.slug(line, row, "id")
        table.unique(line, "id", pid, rows)
        isco = row["isco08"]
        if isco and not re.fullmatch(r"\d{4}", isco):
            raise table.fail(line, "isco08", f"{shown(isco)} is not a 4-digit ISCO-08 unit group")
        rows[pid] = dict(
            id=pid, iri=iri("profession", pid), labels=_labels(table, line, row), alt_labels=_alt_labels(row),
            isco08=isco or None, sector=table.reference(line, row, "sector", sectors, "sector"),
            status=table.choice(line, row, "status", STATUSES), esco_uri=row["esco_uri"] or None,
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

    transformations = []
    table = tables["transformations"]
    for line, row in table.rows:
        transformations.append(Transformation(
            table.reference(line, row, "from", rows, "profession"),
            table.reference(line, row, "to", rows, "profession"),
            table.reference(line, row, "source", sources, "source"),
        ))

    indicators: dict[str, Indicator] = {}
    table = tables["indicators"]
    for line, row in table.rows:
        iid = table.slug(line, row, "id")
        table.unique(line, "id", iid, indicators)
        indicators[iid] = Indicator(iid, iri("indicator", iid), _labels(table, line, row),
                                    table.required(line, row, "unit"))

    observations = []
    table = tables["observations"]
    for line, row in table.rows:
        value = table.number(line, row, "value")
        observations.append(Observation(
            table.reference(line, row, "indicator", indicators, "indicator"),
            table.required(line, row, "area"), table.required(line, row, "period"),
            table.reference(line, row, "sector", sectors, "sector") if row["sector"] else None,
            value, table.reference(line, row, "source", sources, "source"), row["note"],
        ))

    professions = {
        pid: Profession(**fields, essential=tuple(required[pid]["essential"]), optional=tuple(required[pid]["optional"]))
        for pid, fields in rows.items()
    }
    return Model(name, professions, skills, sectors, transformations, sources, indicators, observations)


def table_paths(folder: str | Path) -> list[Path]:
    """Return the paths of the tables :func:`read_curated` reads, in reading order."""
    return [Path(folder) / f"{table}.csv" for table in TABLES]
