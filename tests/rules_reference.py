"""The transition rules and reskilling paths recomputed from the CSV tables with plain Python, as the
README ("How paths are defined") states them, without profgraph's code: what tests check its answers
against."""

from __future__ import annotations

import csv
import math
from pathlib import Path

MARGIN = {"automation": 0.05, "genai": 0.05}
HIGH = {"automation": {"High risk"}, "genai": {"Exposed: Gradient 3", "Exposed: Gradient 4"}}
LEVEL_KNOWN = {"automation": {"High risk", "Other", "Low risk"},
               "genai": {"Not Exposed", "Minimal Exposure", "Exposed: Gradient 1", "Exposed: Gradient 2",
                         "Exposed: Gradient 3", "Exposed: Gradient 4"}}
SLACK = 1e-9


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _number(text: str) -> float | None:
    return float(text) if text else None


class Reference:
    """The tables of ``folder`` and the rules over them; ``measures`` are the risks "safer" is judged on."""

    def __init__(self, folder: Path, measures=("automation",), min_coverage=0.4, max_prep_step=1, min_pay_ratio=0.75):
        self.measures, self.min_coverage = measures, min_coverage
        self.max_prep_step, self.min_pay_ratio = max_prep_step, min_pay_ratio
        self.status = {row["id"]: row["status"] for row in _rows(folder / "professions.csv")}
        self.required: dict[str, dict[str, float]] = {pid: {} for pid in self.status}
        traits = {row["id"] for row in _rows(folder / "skills.csv") if row["type"] == "trait"}
        for row in _rows(folder / "requirements.csv"):
            if row["skill"] not in traits:  # traits are never learned: coverage and gaps leave them out
                self.required[row["profession"]][row["skill"]] = 1.0 if row["relation"] == "essential" else 0.5
        counts: dict[str, int] = {}
        for skills in self.required.values():
            for skill in skills:
                counts[skill] = counts.get(skill, 0) + 1
        self.specificity = {skill: math.log(1 + len(self.required) / n) for skill, n in counts.items()}
        self.m = {row["profession"]: row for row in _rows(folder / "profession_measures.csv")}

    def value(self, pid: str, measure: str) -> float | None:
        return _number(self.m[pid]["automation_risk" if measure == "automation" else "genai_score"])

    def category(self, pid: str, measure: str) -> str:
        return self.m[pid]["automation_category" if measure == "automation" else "genai_category"]

    def coverage(self, a: str, b: str) -> float:
        needed = {skill: w * self.specificity[skill] for skill, w in self.required[b].items()}
        total = sum(needed.values())
        return sum(w for skill, w in needed.items() if skill in self.required[a]) / total if total else 0.0

    def gap(self, a: str, b: str) -> float:
        return sum(w for skill, w in self.required[b].items() if skill not in self.required[a])

    def preparation(self, a: str, b: str) -> tuple[float | None, float | None]:
        """Job zones when both have one, else ISCO skill levels."""
        zone_a, zone_b = _number(self.m[a]["job_zone"]), _number(self.m[b]["job_zone"])
        if zone_a is not None and zone_b is not None:
            return zone_a, zone_b
        return _number(self.m[a]["skill_level"]), _number(self.m[b]["skill_level"])

    def pay(self, a: str, b: str) -> float | None:
        """Nesta's earnings ratio when both have earnings, else the ratio of the national wages."""
        earn_a, earn_b = _number(self.m[a]["annual_earnings"]), _number(self.m[b]["annual_earnings"])
        if earn_a and earn_b is not None:
            return earn_b / earn_a
        wage_a, wage_b = _number(self.m[a]["wage_kzt"]), _number(self.m[b]["wage_kzt"])
        return wage_b / wage_a if wage_a and wage_b is not None else None

    def viable(self, a: str, b: str) -> bool:
        before, after = self.preparation(a, b)
        return (self.coverage(a, b) + SLACK >= self.min_coverage and before is not None and after is not None
                and abs(after - before) <= self.max_prep_step)

    def desirable(self, a: str, b: str) -> bool:
        ratio = self.pay(a, b)
        return ratio is not None and ratio + SLACK >= self.min_pay_ratio

    def safer(self, a: str, b: str) -> bool:
        for measure in self.measures:
            before, after = self.value(a, measure), self.value(b, measure)
            if before is None or after is None or self.category(b, measure) not in LEVEL_KNOWN[measure]:
                return False
            if after > before - MARGIN[measure] + SLACK or self.category(b, measure) in HIGH[measure]:
                return False
        return True

    def strictly_safer(self, a: str, b: str) -> bool:
        return (self.value(b, "automation") < self.value(a, "automation")
                and float(self.m[b]["automation_prevalence"]) > float(self.m[a]["automation_prevalence"]))

    def stepping_stone(self, origin: str, node: str) -> bool:
        """Not disappearing, no riskier than the origin on the measures in force, pay kept."""
        if self.status[node] == "disappearing" or not self.desirable(origin, node):
            return False
        for measure in self.measures:
            before, after = self.value(origin, measure), self.value(node, measure)
            if before is None or after is None or after > before + SLACK:
                return False
        return True

    def score(self, route: list[str]) -> float:
        percentile = [_number(self.m[route[-1]]["automation_percentile" if m == "automation" else "genai_percentile"])
                      for m in self.measures]
        risk = sum(0.5 if p is None else p for p in percentile) / len(percentile)
        return sum(self.gap(a, b) + 1.0 for a, b in zip(route, route[1:])) + 5.0 * risk

    def best_paths(self, origin: str, targets: set[str], max_steps: int = 3) -> dict[str, tuple[float, list[str]]]:
        """Return, for every target a path under the rules reaches, its cheapest route: enumerate every
        simple route of viable steps through acceptable stepping stones (breadth first, plain Python)."""
        successors = {a: [b for b in self.status if b != a and self.viable(a, b)] for a in self.status}
        best: dict[str, tuple[float, list[str]]] = {}
        routes = [[origin]]
        for _ in range(max_steps):
            extended = []
            for route in routes:
                last = route[-1]
                if len(route) > 1 and not self.stepping_stone(origin, last):
                    continue
                for nxt in successors[last]:
                    if nxt not in route:
                        extended.append(route + [nxt])
            for route in extended:
                end = route[-1]
                if end in targets and self.safer(origin, end) and self.desirable(origin, end):
                    cost = round(self.score(route), 4)
                    if end not in best or (cost, len(route)) < (best[end][0], len(best[end][1])):
                        best[end] = (cost, route)
            routes = extended
        return best
