"""What the measures of a profession mean: how each value was obtained, and its plain level.

The numbers themselves live in :class:`profgraph.model.Measures`; they come from
``data/profession_measures.csv`` (written by ``scripts/derive_measures.py``) for the curated
data and from the reference tables for an ESCO import (:mod:`profgraph.sources.esco`).

Plain levels (low / medium / high) are defined from each source's own categories, never from
thresholds of our own:

- automation risk (Nesta, 2020): "Low risk" is low, "Other" medium, "High risk" high. Nesta puts
  an occupation at high risk when its risk is above the upper quartile of its occupations *and*
  its share of bottleneck tasks below the lower quartile (low risk: the other way round);
  :func:`nesta_category` applies the same quartiles to a value estimated here;
- generative-AI exposure (ILO, 2025): "Not Exposed" and "Minimal Exposure" are low, "Exposed:
  Gradient 1" and "2" medium, "Gradient 3" and "4" (the highest mean task scores) high.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import fields
from typing import Any

from .errors import shown
from .model import Measures

LEVELS = ("low", "medium", "high")

# How a value was obtained, from the finest basis to the coarsest.
BASES = {
    "esco-occupation": "the linked ESCO occupation's own value",
    "esco-broader": "the value of the nearest broader ESCO occupation that has one",
    "skill-profile": "estimated from the profession's skills by a model fitted on ESCO occupations",
    "isco-unit-group": "the value of its ISCO-08 unit group",
    "isco-minor-group": "the value of its ISCO-08 minor group",
    "isco-major-group": "the value of its ISCO-08 major group",
}

AUTOMATION_LEVELS = {"Low risk": "low", "Other": "medium", "High risk": "high"}
GENAI_LEVELS = {"Not Exposed": "low", "Minimal Exposure": "low", "Exposed: Gradient 1": "medium",
                "Exposed: Gradient 2": "medium", "Exposed: Gradient 3": "high", "Exposed: Gradient 4": "high"}

# ISCO-08 skill level by major group (ILO, ISCO-08 Volume 1, 2012, table 2); managers span levels 3
# and 4: sub-major groups 11-13 require the fourth level, 14 (hospitality, retail and other
# services managers) the third. Armed forces: commissioned officers 4, non-commissioned 2, others 1.
ISCO_SKILL_LEVELS = {"1": 4, "14": 3, "2": 4, "3": 3, "4": 2, "5": 2, "6": 2, "7": 2, "8": 2, "9": 1,
                     "01": 4, "02": 2, "03": 1}

# The columns of data/profession_measures.csv after ``profession``: the fields of Measures.
MEASURE_COLUMNS = tuple(f.name for f in fields(Measures))
_NUMBERS = {"automation_risk", "automation_prevalence", "automation_percentile", "genai_score", "genai_percentile",
            "job_zone", "education_level", "annual_earnings", "wage_kzt"}
_INTEGERS = {"skill_level"}


def automation_level(measures: Measures) -> str | None:
    """Return the plain level of the automation risk (``low``/``medium``/``high``), None when unknown."""
    category = measures.automation_category
    return AUTOMATION_LEVELS.get(category) if category is not None else None


def genai_level(measures: Measures) -> str | None:
    """Return the plain level of the generative-AI exposure, None when unknown."""
    category = measures.genai_category
    return GENAI_LEVELS.get(category) if category is not None else None


def isco_skill_level(isco: str | None) -> int | None:
    """Return the ISCO-08 skill level (1..4) of the major group of the code ``isco``, None without one."""
    if not isco:
        return None
    if isco[0] == "0":
        return ISCO_SKILL_LEVELS.get(isco[:2])
    return ISCO_SKILL_LEVELS.get(isco[:2], ISCO_SKILL_LEVELS.get(isco[0]))


def nesta_category(risk: float, prevalence: float, quartiles: tuple[float, float, float, float]) -> str:
    """Return Nesta's category for a ``risk`` and bottleneck ``prevalence``: "High risk" when the risk
    is above the upper quartile and the prevalence below the lower one, "Low risk" the other way round,
    else "Other". ``quartiles`` is (risk Q1, risk Q3, prevalence Q1, prevalence Q3) of Nesta's occupations."""
    risk_q1, risk_q3, prevalence_q1, prevalence_q3 = quartiles
    if risk > risk_q3 and prevalence < prevalence_q1:
        return "High risk"
    if risk < risk_q1 and prevalence > prevalence_q3:
        return "Low risk"
    return "Other"


def percentile(reference: Sequence[float], value: float) -> float:
    """Return the share of the sorted ``reference`` values that are at most ``value`` (in [0, 1])."""
    return bisect.bisect_right(reference, value) / len(reference)


def measures_from_row(row: Mapping[str, str | None], fail: Callable[[str, str], Exception]) -> Measures:
    """Return the :class:`Measures` of one row of ``profession_measures.csv`` (text cells, "" unknown).

    ``fail(column, message)`` returns the exception to raise for a cell that is not a finite number.
    """
    values: dict[str, Any] = {}  # a field's value: text, number or None, by its column
    for column in MEASURE_COLUMNS:
        text = (row.get(column) or "").strip()
        if not text:
            values[column] = None
        elif column in _NUMBERS or column in _INTEGERS:
            try:
                number = float(text)
            except ValueError:
                raise fail(column, f"{shown(text)} is not a number") from None
            if not math.isfinite(number):
                raise fail(column, f"{shown(text)} is not a finite number")
            if number < 0:
                raise fail(column, f"{shown(text)} is negative")
            values[column] = int(number) if column in _INTEGERS else number
        else:
            values[column] = text
    return Measures(**values)


def measures_to_row(measures: Measures) -> dict[str, str]:
    """Return ``measures`` as the text cells of a ``profession_measures.csv`` row ("" for unknown)."""
    row = {}
    for column in MEASURE_COLUMNS:
        value = getattr(measures, column)
        if value is None:
            row[column] = ""
        elif isinstance(value, float):
            row[column] = f"{value:.10g}"
        else:
            row[column] = str(value)
    return row
