"""Readers for the tables of Nesta's Mapping Career Causeways (2020): automation risk and the
occupation data its transition rules use.

A risk table has a ``risk`` column (1 = minimal .. 5 = maximal suitability of an occupation's
tasks for machine learning), maybe ``prevalence`` (share of bottleneck tasks, 0..1) and
``risk_category`` ("High risk", "Other", "Low risk"), and identifies each row by an ESCO
occupation URI (``concept_uri``) and/or an ISCO-08 code (``isco_code``, 3 or 4 digits).

Exposure rule: a row's automation exposure is the percentile of its risk among all rows of
the table, ``exposure = (rows with risk <= this risk) / (rows)``, a number in (0, 1]. The
published scores crowd into a narrow band (about 2.8 to 3.9 on the 1..5 scale), so a linear
rescaling would leave every occupation near 0.6; the percentile keeps their order and
spreads them over [0, 1]. An exposure of 0.8 reads "riskier than 80% of the occupations
assessed".

Inheritance (:meth:`RiskTable.inherited`): an ESCO occupation without its own row takes the
values of its nearest broader occupation that has one (walking up ESCO's occupation
hierarchy), else those of its ISCO-08 group: the mean over the table's occupations in that
unit group, or the group's own row in a table of ISCO groups (the longest code prefix the
table knows). :func:`profgraph.sources.esco.read_esco` puts an estimate from the occupation's
skills (:mod:`profgraph.exposure_model`) before the ISCO group.

The occupation data inputs (``mcc_transitions_Occupation_data_inputs.csv``,
:func:`read_occupation_inputs`) give each ESCO occupation its ``job_zone`` (O*NET preparation
level 1..5), ``education_level`` (1..12) and indicative ``annual_earnings`` (UK, GBP: only
their ratios are used).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataError
from .csvfile import finite_number, read_table

RISK_FILE = "mcc_risk_All_occupations.csv"
ISCO4_FILE = "mcc_risk_ISCO_4digit.csv"
ISCO3_FILE = "mcc_risk_ISCO_3digit.csv"
INPUTS_FILE = "mcc_transitions_Occupation_data_inputs.csv"


@dataclass(frozen=True)
class RiskRecord:
    """One row's (or one group's mean) automation risk: ``risk`` 1..5, bottleneck ``prevalence``
    (None when the table has none), Nesta's ``category`` (None when absent) and ``exposure``, the
    percentile of the risk among the table's rows."""

    risk: float
    prevalence: float | None
    category: str | None
    exposure: float


@dataclass(frozen=True)
class OccupationInputs:
    """Nesta's transition inputs for one ESCO occupation (any may be None when the cell is empty)."""

    job_zone: float | None
    education_level: float | None
    annual_earnings: float | None


@dataclass
class RiskTable:
    """Risk records read from one risk table, keyed by ESCO URI and by ISCO-08 code; ``risks`` are the
    table's risks, sorted (the percentile rule's reference)."""

    path: Path
    by_uri: dict[str, RiskRecord] = field(default_factory=dict)
    by_isco: dict[str, RiskRecord] = field(default_factory=dict)
    risks: list[float] = field(default_factory=list)

    def exposure(self, risk: float) -> float:
        """Return the percentile of ``risk`` among the table's rows (the exposure rule)."""
        return bisect.bisect_right(self.risks, risk) / len(self.risks)

    def quartiles(self) -> tuple[float, float, float, float] | None:
        """Return (risk Q1, risk Q3, prevalence Q1, prevalence Q3) over the rows with an ESCO URI, as
        Nesta's categories use them; None when the table has no prevalence."""
        import numpy as np

        rows = [record for record in self.by_uri.values() if record.prevalence is not None]
        if not rows:
            return None
        risk = np.quantile([r.risk for r in rows], [0.25, 0.75])
        prevalence = np.quantile([r.prevalence for r in rows], [0.25, 0.75])
        return float(risk[0]), float(risk[1]), float(prevalence[0]), float(prevalence[1])

    def for_isco(self, isco: str | None) -> tuple[RiskRecord, str] | None:
        """Return ``(record, code)`` for the longest prefix of ``isco`` the table knows, or None."""
        while isco:
            if isco in self.by_isco:
                return self.by_isco[isco], isco
            isco = isco[:-1]
        return None

    def inherited(self, uri: str, isco: str | None,
                  broader: Mapping[str, Sequence[str]]) -> tuple[RiskRecord, str] | None:
        """Return ``(record, basis)`` for the ESCO occupation ``uri`` by the inheritance rule, or None.

        ``basis`` is "own" (the table's row for ``uri``), "broader" (the nearest broader
        occupation with a row; ``broader`` maps an occupation URI to its broader occupations'
        URIs) or "isco" (the ISCO-08 group of ``isco``).
        """
        found = nearest(uri, broader, self.by_uri.__contains__)
        if found is not None:
            return self.by_uri[found[0]], found[1]
        group = self.for_isco(isco)
        return (group[0], "isco") if group else None


def nearest(uri: str, broader: Mapping[str, Sequence[str]], has: Callable[[str], bool]) -> tuple[str, str] | None:
    """Return ``(uri found, "own" or "broader")``: ``uri`` itself when ``has(uri)``, else the nearest
    broader occupation (breadth first over ``broader``) for which ``has`` holds; None when none does."""
    if has(uri):
        return uri, "own"
    level, seen = [uri], {uri}
    while level:
        level = [up for node in level for up in broader.get(node, ()) if up not in seen]
        seen.update(level)
        for up in level:
            if has(up):
                return up, "broader"
    return None


def percentile_exposures(risks: list[float]) -> list[float]:
    """Return, for each risk, the share of ``risks`` that are lower or equal (the exposure rule)."""
    ordered = sorted(risks)
    return [bisect.bisect_right(ordered, risk) / len(ordered) for risk in risks]


def _number(text: str, path: Path, line: int, column: str, low: float, high: float) -> float | None:
    """The number in a cell (None when it is empty), checked to be finite and within ``low``..``high``."""
    if not text:
        return None
    value = finite_number(text, path, line, column)
    if not low <= value <= high:
        raise DataError(f"{column} {value} is outside {low:g}..{high:g}", str(path), line, column)
    return value


def read_risk_table(path: str | Path) -> RiskTable:
    """Read a risk table and return its records.

    Raises :class:`~profgraph.errors.DataError` when the file is missing, has no ``risk``
    column, has neither ``concept_uri`` nor ``isco_code``, holds a risk that is not a finite number
    in 1..5 or a prevalence outside 0..1, or is not well-formed CSV
    (:func:`~profgraph.sources.csvfile.read_table`).
    """
    path = Path(path)
    header, rows = read_table(path)
    if "risk" not in header or not ({"concept_uri", "isco_code"} & set(header)):
        raise DataError("unknown risk table format: expected a 'risk' column and a 'concept_uri' "
                        "or 'isco_code' column", str(path), 1)
    keys, values = [], []
    for line, row in rows:
        risk = finite_number(row["risk"], path, line, "risk")
        if not 1.0 <= risk <= 5.0:
            raise DataError(f"risk {risk} is outside the 1..5 scale", str(path), line, "risk")
        prevalence = _number(row.get("prevalence", ""), path, line, "prevalence", 0.0, 1.0)
        keys.append((row.get("concept_uri", ""), row.get("isco_code", "")))
        values.append((risk, prevalence, row.get("risk_category") or None))
    if not values:
        raise DataError("the risk table has no rows", str(path))
    table = RiskTable(path, risks=sorted(risk for risk, _, _ in values))
    groups: dict[str, list[RiskRecord]] = {}
    for (uri, isco), (risk, prevalence, category) in zip(keys, values):
        record = RiskRecord(risk, prevalence, category, table.exposure(risk))
        if uri:
            table.by_uri[uri] = record
        if isco:
            groups.setdefault(isco, []).append(record)
    for isco, records in groups.items():  # a group's mean; its category where all its rows agree
        prevalences = [r.prevalence for r in records if r.prevalence is not None]
        categories = {r.category for r in records}
        table.by_isco[isco] = RiskRecord(sum(r.risk for r in records) / len(records),
                                         sum(prevalences) / len(prevalences) if prevalences else None,
                                         categories.pop() if len(categories) == 1 else None,
                                         sum(r.exposure for r in records) / len(records))
    return table


def read_occupation_inputs(path: str | Path) -> dict[str, OccupationInputs]:
    """Read Nesta's occupation data inputs and return ESCO URI -> :class:`OccupationInputs`.

    Raises :class:`~profgraph.errors.DataError` for a missing file or column, a value out of range or
    malformed CSV.
    """
    path = Path(path)
    _, rows = read_table(path, ("concept_uri", "job_zone", "education_level", "annual_earnings"))
    inputs = {}
    for line, row in rows:
        inputs[row["concept_uri"]] = OccupationInputs(
            _number(row["job_zone"], path, line, "job_zone", 1.0, 5.0),
            _number(row["education_level"], path, line, "education_level", 1.0, 12.0),
            _number(row["annual_earnings"], path, line, "annual_earnings", 0.0, 1e7))
    return inputs
