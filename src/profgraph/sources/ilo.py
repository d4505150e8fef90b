"""Reader for the ILO's 2025 index of occupational exposure to generative AI, per ISCO-08 unit group
(Gmyrek et al., ILO Working Paper 140, 2025; ``genai_exposure_isco08_unit_groups.csv``).

Each unit group has ``mean_score_2025`` (the mean exposure score of its tasks, 0..1) and
``potential25``, the ILO's category: "Not Exposed", "Minimal Exposure" or "Exposed: Gradient 1"
to "Gradient 4" (the highest mean scores with the least spread between tasks).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataError, shown
from ..measures import GENAI_LEVELS
from .csvfile import finite_number, read_table

UNIT_GROUPS_FILE = "genai_exposure_isco08_unit_groups.csv"


@dataclass
class GenAITable:
    """ISCO-08 unit group code -> (mean score 2025, category), and the sorted scores (the percentile reference)."""

    by_isco: dict[str, tuple[float, str]] = field(default_factory=dict)
    scores: list[float] = field(default_factory=list)

    def percentile(self, score: float) -> float:
        """Return the share of unit groups whose mean score is at most ``score``."""
        return bisect.bisect_right(self.scores, score) / len(self.scores)

    def for_isco(self, isco: str | None) -> tuple[float, str | None, str] | None:
        """Return ``(score, category, basis)`` for an ISCO-08 code: its unit group's ("isco-unit-group"), else
        the mean of its minor group's unit groups with their category where they all share one
        ("isco-minor-group"); None when neither is known."""
        if not isco:
            return None
        if isco in self.by_isco:
            score, category = self.by_isco[isco]
            return score, category, "isco-unit-group"
        members = [value for code, value in self.by_isco.items() if code[:3] == isco[:3]]
        if len(isco) < 3 or not members:
            return None
        categories = {category for _, category in members}
        return (sum(score for score, _ in members) / len(members), categories.pop() if len(categories) == 1 else None,
                "isco-minor-group")


def read_genai_table(path: str | Path) -> GenAITable:
    """Read the ILO unit-group table. Raises :class:`~profgraph.errors.DataError` for a missing file or
    column, malformed CSV, a score that is not a number in 0..1 or a category the ILO does not use."""
    path = Path(path)
    _, rows = read_table(path, ("ISCO_08", "mean_score_2025", "potential25"))
    table = GenAITable()
    for line, row in rows:
        score = finite_number(row["mean_score_2025"], path, line, "mean_score_2025")
        if not 0.0 <= score <= 1.0:
            raise DataError(f"{score} is outside 0..1", str(path), line, "mean_score_2025")
        if row["potential25"] not in GENAI_LEVELS:
            raise DataError(f"unknown category {shown(row['potential25'])}", str(path), line, "potential25")
        table.by_isco[row["ISCO_08"]] = (score, row["potential25"])
    if not table.by_isco:
        raise DataError("the table has no rows", str(path))
    table.scores = sorted(score for score, _ in table.by_isco.values())
    return table
