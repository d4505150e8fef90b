"""Reader for automation-risk tables in the style of Nesta's Mapping Career Causeways (2020).

A risk table has a ``risk`` column (1 = minimal .. 5 = maximal suitability of an
occupation's tasks for machine learning) and identifies each row by an ESCO occupation URI
(``concept_uri``) and/or an ISCO-08 code (``isco_code``, 3 or 4 digits).

Exposure rule: a row's automation exposure is the percentile of its risk among all rows of
the table, ``exposure = (rows with risk <= this risk) / (rows)``, a number in (0, 1]. The
published scores crowd into a narrow band (about 2.8 to 3.9 on the 1..5 scale), so a linear
rescaling would leave every occupation near 0.6; the percentile keeps their order and
spreads them over [0, 1]. An exposure of 0.8 reads "riskier than 80% of the occupations
assessed".

Inheritance (:meth:`RiskTable.inherited`): an ESCO occupation without its own row takes the
exposure of its nearest broader occupation that has one (walking up ESCO's occupation
hierarchy), else that of its ISCO-08 group: the mean exposure of the table's occupations in
that unit group, or the group's own row in a table of ISCO groups (the longest code prefix
the table knows).
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataError
from .csvfile import finite_number, read_table


@dataclass
class RiskTable:
    """Exposures read from one risk table, keyed by ESCO URI and by ISCO-08 code."""

    path: Path
    by_uri: dict[str, float] = field(default_factory=dict)
    by_isco: dict[str, float] = field(default_factory=dict)

    def exposure_for_isco(self, isco: str | None) -> tuple[float, str] | None:
        """Return ``(exposure, code)`` for the longest prefix of ``isco`` the table knows, or None."""
        while isco:
            if isco in self.by_isco:
                return self.by_isco[isco], isco
            isco = isco[:-1]
        return None

    def inherited(self, uri: str, isco: str | None,
                  broader: Mapping[str, Sequence[str]]) -> tuple[float, str] | None:
        """Return ``(exposure, basis)`` for the ESCO occupation ``uri`` by the inheritance rule, or None.

        ``basis`` is "own" (the table's row for ``uri``), "broader" (the nearest broader
        occupation with a row; ``broader`` maps an occupation URI to its broader occupations'
        URIs) or "isco" (the ISCO-08 group of ``isco``).
        """
        if uri in self.by_uri:
            return self.by_uri[uri], "own"
        level, seen = [uri], {uri}
        while level:  # breadth first: the nearest broader occupation with a row wins
            level = [up for node in level for up in broader.get(node, ()) if up not in seen]
            seen.update(level)
            for up in level:
                if up in self.by_uri:
                    return self.by_uri[up], "broader"
        found = self.exposure_for_isco(isco)
        return (found[0], "isco") if found else None


def percentile_exposures(risks: list[float]) -> list[float]:
    """Return, for each risk, the share of ``risks`` that are lower or equal (the exposure rule)."""
    ordered = sorted(risks)
    return [bisect.bisect_right(ordered, risk) / len(ordered) for risk in risks]


def read_risk_table(path: str | Path) -> RiskTable:
    """Read a risk table and return its exposures.

    Raises :class:`~profgraph.errors.DataError` when the file is missing, has no ``risk``
    column, has neither ``concept_uri`` nor ``isco_code``, holds a risk that is not a finite number
    in 1..5, or is not well-formed CSV (:func:`~profgraph.sources.csvfile.read_table`).
    """
    path = Path(path)
    header, rows = read_table(path)
    if "risk" not in header or not ({"concept_uri", "isco_code"} & set(header)):
        raise DataError("unknown risk table format: expected a 'risk' column and a 'concept_uri' "
                        "or 'isco_code' column", str(path), 1)
    keys, risks = [], []
    for line, row in rows:
        risk = finite_number(row["risk"], path, line, "risk")
        if not 1.0 <= risk <= 5.0:
            raise DataError(f"risk {risk} is outside the 1..5 scale", str(path), line, "risk")
        keys.append((row.get("concept_uri", ""), row.get("isco_code", "")))
        risks.append(risk)
    if not risks:
        raise DataError("the risk table has no rows", str(path))
    table = RiskTable(path)
    isco_values: dict[str, list[float]] = {}
    for (uri, isco), exposure in zip(keys, percentile_exposures(risks)):
        if uri:
            table.by_uri[uri] = exposure
        if isco:
            isco_values.setdefault(isco, []).append(exposure)
    table.by_isco = {isco: sum(values) / len(values) for isco, values in isco_values.items()}
    return table
