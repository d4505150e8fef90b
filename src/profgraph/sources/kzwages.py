"""Reader for the official average monthly wage by occupation major group and region, Kazakhstan 2022
(Bureau of National Statistics; ``kz-wages-2022/avg_monthly_wage_by_occupation_major_group_2022.csv``).

One row per region (and one for the whole country, :data:`NATIONAL`); one column per ISCO-08
major group (:data:`MAJOR_GROUP_COLUMNS`), in tenge. Coarse: every profession of a major group
gets the same wage.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import DataError
from .csvfile import finite_number, read_table

WAGES_FILE = "avg_monthly_wage_by_occupation_major_group_2022.csv"
NATIONAL = "The Republic Of Kazakhstan"
MAJOR_GROUP_COLUMNS = {
    "1": "managers_&_civil_servants",
    "2": "qualified",
    "3": "tech_personnel",
    "4": "admin_emplyees",
    "5": "service_and_sales",
    "6": "agriculture",
    "7": "Engineers_transport",
    "8": "assemblers_and_drivers",
    "9": "unqualified",
}


def region_key(name: str) -> str:
    """Return the form a region name is matched by: lowercase letters and digits, single hyphens."""
    return re.sub(r"[^0-9a-z]+", "-", name.casefold()).strip("-")


def read_wages(path: str | Path) -> dict[str, dict[str, float]]:
    """Return region name -> {ISCO-08 major group digit -> average monthly wage, KZT}, in file order.

    Raises :class:`~profgraph.errors.DataError` for a missing file or column, malformed CSV, a cell
    that is not a positive number, or no row for the whole country.
    """
    path = Path(path)
    _, rows = read_table(path, ("regions", *MAJOR_GROUP_COLUMNS.values()))
    wages: dict[str, dict[str, float]] = {}
    for line, row in rows:
        by_group = {}
        for group, column in MAJOR_GROUP_COLUMNS.items():
            value = finite_number(row[column], path, line, column)
            if not value > 0:
                raise DataError(f"{value} is not a positive wage", str(path), line, column)
            by_group[group] = value
        wages[row["regions"]] = by_group
    if NATIONAL not in wages:
        raise DataError(f"no row for the whole country ({NATIONAL!r})", str(path))
    return wages
