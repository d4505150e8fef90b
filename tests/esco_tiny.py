"""A hand-made ESCO-shaped download: the seven CSV files the ESCO reader needs, with a handful of
records, so that import tests run in a second. ``write_tiny_esco(folder, empty=...)`` writes them;
``empty`` names tables to write with their header only."""

from __future__ import annotations

import csv
from pathlib import Path

ESCO = "http://data.europa.eu/esco/"
OCCUPATIONS = [  # conceptUri, iscoGroup, preferredLabel, altLabels
    (ESCO + "occupation/00000001-aaaa-4aaa-8aaa-000000000001", "4211", "bank teller", "cashier at a bank"),
    (ESCO + "occupation/00000002-aaaa-4aaa-8aaa-000000000002", "5230", "cashier", "checkout operator"),
    (ESCO + "occupation/00000003-aaaa-4aaa-8aaa-000000000003", "4222", "contact centre agent", ""),
]
SKILLS = [  # conceptUri, preferredLabel, altLabels, reuseLevel
    (ESCO + "skill/10000001-bbbb-4bbb-8bbb-000000000001", "handle cash", "", "sector-specific"),
    (ESCO + "skill/10000002-bbbb-4bbb-8bbb-000000000002", "use a computer", "", "transversal"),
    (ESCO + "skill/10000003-bbbb-4bbb-8bbb-000000000003", "listen actively", "", "transversal"),
    (ESCO + "skill/10000004-bbbb-4bbb-8bbb-000000000004", "process payments", "", "cross-sector"),
]
RELATIONS = [  # occupation, relation type, skill (indices into the lists above)
    (0, "essential", 0), (0, "essential", 3), (0, "optional", 1), (0, "essential", 2),
    (1, "essential", 0), (1, "essential", 3), (1, "optional", 2),
    (2, "essential", 1), (2, "essential", 2), (2, "optional", 3),
]
HIERARCHY_COLUMNS = [f"Level {level} {part}" for level in range(4) for part in ("URI", "code")]
GROUP_S5 = ESCO + "skill/group-s5"


def write_tiny_esco(folder: Path, empty: tuple[str, ...] = ()) -> Path:
    """Write the tiny download into ``folder`` (created); the file stems in ``empty`` get only a header.
    Returns ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    tables = {
        "occupations_en": (["conceptUri", "iscoGroup", "preferredLabel", "altLabels"], OCCUPATIONS),
        "skills_en": (["conceptUri", "preferredLabel", "altLabels", "reuseLevel"], SKILLS),
        "occupationSkillRelations_en": (
            ["occupationUri", "relationType", "skillUri"],
            [(OCCUPATIONS[o][0], kind, SKILLS[s][0]) for o, kind, s in RELATIONS]),
        "broaderRelationsOccPillar_en": (["conceptType", "conceptUri", "broaderType", "broaderUri"], []),
        "broaderRelationsSkillPillar_en": (["conceptUri", "broaderUri"], [(SKILLS[1][0], GROUP_S5)]),
        "skillsHierarchy_en": (HIERARCHY_COLUMNS, [(GROUP_S5, "S5", *[""] * 6)]),
        "digitalSkillsCollection_en": (["conceptUri"], [(SKILLS[1][0],)]),
    }
    for stem, (header, rows) in tables.items():
        with (folder / f"{stem}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            if stem.rsplit("_", 1)[0] not in empty:
                writer.writerows(rows)
    return folder
