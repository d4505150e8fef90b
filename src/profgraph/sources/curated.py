"""Reader for the curated, human-edited CSV tables in ``data/``.

Every problem is raised as :class:`~profgraph.errors.DataError` naming the file, the line
and the column, so that whoever edits the tables can fix them.
"""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

from ..errors import DataError
from ..model import Indicator, Model, Observation, Profession, Sector, Skill, Source, Transformation
from ..vocab import ESCO_MATCHES, LANGUAGES, RELATIONS, SKILL_TYPES, STATUSES, iri

TABLES = ("sources", "sectors", "skills", "professions", "requirements", "transformations", "indicators",
          "observations")
COLUMNS = {
    "sources": ("id", "title", "publisher", "year", "url", "note"),
    "sectors": ("id", "code", "label_kk", "label_ru", "label_en"),
    "skills": ("id", "type", "label_kk", "label_ru", "label_en", "alt_kk", "alt_ru", "alt_en", "esco_uri"),
    "professions": (
        "id", "label_kk", "label_ru", "label_en", "alt_kk", "alt_ru", "alt_en",
        "isco08", "sector", "status", "automation_exposure", "exposure_source", "esco_uri",
    ),
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
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ALT_SEPARATOR = "|"


class _Table:
    """Rows of one CSV file, each with its line number, and a ``fail`` that names file/line/column."""

    def __init__(self, folder: Path, name: str):
        self.path = folder / f"{name}.csv"
        self.name = name
        try:
            with self.path.open(encoding="utf-8", newline="") as handle:
                reader = csv.DictReader(handle)
                header = reader.fieldnames or []
                missing = [column for column in COLUMNS[name] if column not in header]
                if missing:
                    raise DataError(f"missing column(s) {', '.join(missing)}", str(self.path), 1)
                self.rows = []
                for row in reader:
                    if None in row:
                        raise DataError("more cells than the header has columns", str(self.path), reader.line_num)
                    for column, value in row.items():
                        if value and CONTROL.search(value):
                            raise DataError("holds a control character (a line break, tab or similar)",
                                            str(self.path), reader.line_num, column)
                    cells = {k: (v or "").strip() for k, v in row.items()}
                    for column in OPTIONAL_COLUMNS.get(name, ()):
                        cells.setdefault(column, "")
                    self.rows.append((reader.line_num, cells))
        except FileNotFoundError:
            raise DataError("file not found", str(self.path)) from None
        except UnicodeDecodeError as error:
            raise DataError(f"not UTF-8 ({error.reason} at byte {error.start})", str(self.path)) from None
        except csv.Error as error:
            raise DataError(f"malformed CSV: {error}", str(self.path)) from None

    def fail(self, line: int, column: str, message: str) -> DataError:
        return DataError(message, str(self.path), line, column)

    def required(self, line: int, row: dict, column: str) -> str:
        value = row[column]
        if not value:
            raise self.fail(line, column, "is empty")
        return value

    def slug(self, line: int, row: dict, column: str) -> str:
        value = self.required(line, row, column)
        if not SLUG.match(value):
            raise self.fail(line, column, f"{value!r} is not a slug (lowercase a-z, 0-9 and single hyphens)")
        return value

    def choice(self, line: int, row: dict, column: str, allowed) -> str:
        value = self.required(line, row, column)
        if value not in allowed:
            raise self.fail(line, column, f"{value!r} is not one of {', '.join(allowed)}")
        return value

    def reference(self, line: int, row: dict, column: str, known, what: str) -> str:
        value = self.required(line, row, column)
        if value not in known:
            raise self.fail(line, column, f"unknown {what} id {value!r}")
        return value

    def unique(self, line: int, column: str, value: str, seen) -> None:
        if value in seen:
            raise self.fail(line, column, f"duplicate id {value!r}")


def _labels(table: _Table, line: int, row: dict) -> dict[str, str]:
    return {lang: table.required(line, row, f"label_{lang}") for lang in LANGUAGES}


def _alt_labels(row: dict) -> dict[str, tuple[str, ...]]:
    alts = {}
    for lang in LANGUAGES:
        values = tuple(v.strip() for v in row.get(f"alt_{lang}", "").split(ALT_SEPARATOR) if v.strip())
        if values:
            alts[lang] = values
    return alts


def _exposure(table: _Table, line: int, row: dict, sources) -> tuple[float | None, str | None]:
    text = row["automation_exposure"]
    if not text:
        if row["exposure_source"]:
            raise table.fail(line, "automation_exposure", "is empty but exposure_source is set")
        return None, None
    try:
        value = float(text)
    except ValueError:
        raise table.fail(line, "automation_exposure", f"{text!r} is not a number") from None
    if not (0.0 <= value <= 1.0) or math.isnan(value):
        raise table.fail(line, "automation_exposure", f"{text} is outside [0, 1]")
    source = table.reference(line, row, "exposure_source", sources, "source")
    return value, source


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
            raise table.fail(line, "isco08", f"{isco!r} is not a 4-digit ISCO-08 unit group")
        esco_isco = row["esco_isco08"]
        if esco_isco and not re.fullmatch(r"\d{1,4}", esco_isco):
            raise table.fail(line, "esco_isco08", f"{esco_isco!r} is not an ISCO-08 group code")
        exposure, exposure_source = _exposure(table, line, row, sources)
        rows[pid] = dict(
            id=pid, iri=iri("profession", pid), labels=_labels(table, line, row), alt_labels=_alt_labels(row),
            isco08=isco or None, sector=table.reference(line, row, "sector", sectors, "sector"),
            status=table.choice(line, row, "status", STATUSES), exposure=exposure,
            exposure_source=exposure_source, esco_uri=row["esco_uri"] or None, esco_match=_esco_match(table, line, row),
            esco_note=row["esco_note"], esco_isco08=esco_isco or None, isco_note=row["isco_note"],
        )

    required: dict[str, dict[str, list[str]]] = {pid: {"essential": [], "optional": []} for pid in rows}
    levels: dict[str, dict[str, str]] = {pid: {} for pid in rows}
    table = tables["requirements"]
    seen_pairs: set[tuple[str, str]] = set()
    for line, row in table.rows:
        pid = table.reference(line, row, "profession", rows, "profession")
        sid = table.reference(line, row, "skill", skills, "skill")
        relation = table.choice(line, row, "relation", RELATIONS)
        if (pid, sid) in seen_pairs:
            raise table.fail(line, "skill", f"{pid} already lists skill {sid!r}")
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
        text = table.required(line, row, "value")
        try:
            value = float(text)
        except ValueError:
            raise table.fail(line, "value", f"{text!r} is not a number") from None
        observations.append(Observation(
            table.reference(line, row, "indicator", indicators, "indicator"),
            table.required(line, row, "area"), table.required(line, row, "period"),
            table.reference(line, row, "sector", sectors, "sector") if row["sector"] else None,
            value, table.reference(line, row, "source", sources, "source"), row["note"],
        ))

    professions = {
        pid: Profession(**fields, essential=tuple(required[pid]["essential"]), optional=tuple(required[pid]["optional"]),
                        levels=levels[pid])
        for pid, fields in rows.items()
    }
    return Model(name, professions, skills, sectors, transformations, sources, indicators, observations)


def table_paths(folder: str | Path) -> list[Path]:
    """Return the paths of the tables :func:`read_curated` reads, in reading order."""
    return [Path(folder) / f"{table}.csv" for table in TABLES]
