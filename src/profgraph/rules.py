"""The transition rules: when a move from profession A to profession B is viable, desirable and safer.

They follow the standard of Nesta's Mapping Career Causeways, and every command (``path``,
``similar``, ``upskill``, ``transitions``, ``stats``), the site, the server and the API judge moves
with this one module:

- **viable**: coverage(A -> B) >= ``min_coverage`` and the preparation level changes by at most
  ``max_prep_step``. Preparation is compared on the finest scale both professions have: the O*NET
  job zone (1..5) of their ESCO occupations in Nesta's data, else the ISCO-08 skill level (1..4) of
  their major groups;
- **desirable**: B pays at least ``min_pay_ratio`` of A's pay. Between two professions with Nesta's
  indicative earnings (both linked to ESCO occupations) their ratio decides; otherwise the ratio of
  the Kazakhstan wages of their ISCO-08 major groups (the country's, or ``region``'s);
- **safer**: on each measure in force (``risk``: automation, genai or both), B's value is lower
  than A's by at least the measure's margin (:data:`MARGINS`) and B's plain level is not high;
- **strictly safer** (Nesta's definition, automation only): B's risk is lower and its share of
  bottleneck tasks higher;
- a **stepping stone** (an intermediate profession of a path) is not disappearing, not riskier
  than the origin on the measures in force, and pays at least ``min_pay_ratio`` of the origin's.

A value that is unknown never passes: the rule it takes is reported as unknown, not as kept.
``allow_riskier``, ``allow_lower_pay`` and ``allow_stepping_stones`` admit what fails the safer,
desirable and stepping-stone rules, flagged; viability is only ever changed by its own options.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

import numpy as np

from .errors import UsageError
from .measures import automation_level, genai_level

RISKS = ("automation", "genai", "both")
# Automation is the default: Nesta's safety rule is defined on it, and it is estimated per
# occupation; the ILO's exposure is per ISCO unit group and measures what generative AI can do
# in a job, which the ILO finds transforms jobs more often than it replaces them.
DEFAULT_RISK = "automation"
MEASURES = ("automation", "genai")
# Least fall in the measure for a move to count as safer: Nesta risk points (its occupations'
# risks have a standard deviation of 0.11; a quarter of them lie within 0.065 of the median) and
# ILO score points (a standard deviation of 0.145 over the unit groups; an ILO gradient is 0.1 wide).
MARGINS = {"automation": 0.05, "genai": 0.05}
MEASURE_NAMES = {"automation": "automation risk", "genai": "generative-AI exposure"}
DEFAULT_MIN_COVERAGE = 0.4
DEFAULT_MIN_PAY_RATIO = 0.75
DEFAULT_MAX_PREP_STEP = 1
ANY_PREP_STEP = 99  # a max_prep_step this large checks nothing, not even whether preparation is known
NATIONAL = ("kz", "kazakhstan", "national", "country", "whole-country", "the-republic-of-kazakhstan")
_SLACK = 1e-9  # a value exactly at a threshold passes, whatever the rounding


@dataclass(frozen=True)
class Rules:
    """The rules in force (module docstring). ``region`` is None for the whole country; then
    ``regional_wages`` is None, else the region's (ISCO-08 major group, monthly wage) pairs."""

    min_coverage: float = DEFAULT_MIN_COVERAGE
    max_prep_step: int = DEFAULT_MAX_PREP_STEP
    min_pay_ratio: float = DEFAULT_MIN_PAY_RATIO
    risk: str = DEFAULT_RISK
    allow_riskier: bool = False
    allow_lower_pay: bool = False
    allow_stepping_stones: bool = False
    region: str | None = None
    regional_wages: tuple[tuple[str, float], ...] | None = None

    @property
    def measures(self) -> tuple[str, ...]:
        """The measures "safer" is judged on."""
        return MEASURES if self.risk == "both" else (self.risk,)

    def relaxed(self, min_coverage: float) -> Rules:
        """Return these rules with everything admitted and viability widened to ``min_coverage`` and any
        preparation step: what finds the nearest misses."""
        return replace(self, min_coverage=min_coverage, max_prep_step=ANY_PREP_STEP, allow_riskier=True,
                       allow_lower_pay=True, allow_stepping_stones=True)

    def as_dict(self) -> dict:
        """Return the rules as a JSON-ready dict, with the margins and ``text`` (:meth:`describe`)."""
        values = asdict(self)
        values.pop("regional_wages")
        return {**values, "region": self.region or "Kazakhstan", "margins": {m: MARGINS[m] for m in self.measures},
                "text": self.describe()}

    def describe(self) -> str:
        """Return the rules in force as one sentence."""
        safer = " and ".join(f"{MEASURE_NAMES[m]} at least {MARGINS[m]:g} lower and not high" for m in self.measures)
        parts = [f"viable: coverage >= {self.min_coverage:.0%} and preparation within {self.max_prep_step} step"
                 + ("s" if self.max_prep_step != 1 else ""),
                 f"desirable: pay >= {self.min_pay_ratio:.0%} of the origin's"
                 + (f" ({self.region} wages)" if self.region else "")
                 + (" (others shown, flagged)" if self.allow_lower_pay else ""),
                 f"safer: {safer}" + (" (others shown, flagged)" if self.allow_riskier else ""),
                 "stepping stones: " + ("any (flagged)" if self.allow_stepping_stones else
                                        "not disappearing, not riskier than the origin, pay kept")]
        return "; ".join(parts)


def make_rules(*, min_coverage: float = DEFAULT_MIN_COVERAGE, max_prep_step: int = DEFAULT_MAX_PREP_STEP,
               min_pay_ratio: float = DEFAULT_MIN_PAY_RATIO, risk: str = DEFAULT_RISK, allow_riskier: bool = False,
               allow_lower_pay: bool = False, allow_stepping_stones: bool = False, region: str | None = None,
               reference=None) -> Rules:
    """Return checked :class:`Rules`; ``region`` is looked up in the reference data's wage table
    (:func:`profgraph.reference.regional_wages`, ``reference`` the folder) unless it names the whole
    country. Raises :class:`~profgraph.errors.UsageError` for a value out of range, an unknown
    ``risk`` or region, or a region without the reference data."""
    from .sources.kzwages import region_key

    if not 0.0 < min_coverage <= 1.0:
        raise UsageError("{min_coverage} must be in (0, 1], not {value}", "min_coverage", value=min_coverage)
    if not 0.0 <= min_pay_ratio <= 1.0:
        raise UsageError("{min_pay_ratio} must be between 0 and 1, not {value}", "min_pay_ratio", value=min_pay_ratio)
    if not 0 <= max_prep_step <= 4:
        raise UsageError("{max_prep_step} must be between 0 and 4, not {value}", "max_prep_step", value=max_prep_step)
    if risk not in RISKS:
        raise UsageError("{risk} must be one of {risks}, not {value!r}", "risk", risks=", ".join(RISKS), value=risk)
    wages = None
    if region is not None and region_key(region) not in NATIONAL:
        from .reference import regional_wages

        region, by_group = regional_wages(region, reference)
        wages = tuple(sorted(by_group.items()))
    else:
        region = None
    return Rules(float(min_coverage), int(max_prep_step), float(min_pay_ratio), risk, bool(allow_riskier),
                 bool(allow_lower_pay), bool(allow_stepping_stones), region, wages)


@dataclass(frozen=True)
class Facts:
    """The measures of every profession as arrays, in the model's profession order (``ids``); NaN,
    "" or None where unknown."""

    ids: list[str]
    row: dict[str, int]
    disappearing: np.ndarray
    value: dict[str, np.ndarray]  # measure -> Nesta risk / ILO score
    level: dict[str, np.ndarray]  # measure -> "low" / "medium" / "high" / None
    percentile: dict[str, np.ndarray]
    prevalence: np.ndarray
    skill_level: np.ndarray
    job_zone: np.ndarray
    earnings: np.ndarray
    wage: np.ndarray  # national monthly wage of the major group
    major_group: np.ndarray  # ISCO-08 major group digit, "" when unknown

    def wages(self, rules: Rules) -> np.ndarray:
        """Return each profession's monthly wage (KZT) in the rules' region (NaN when unknown)."""
        if rules.regional_wages is None:
            return self.wage
        by_group = dict(rules.regional_wages)
        return np.array([by_group.get(group, np.nan) for group in self.major_group.tolist()])


_FACTS: dict[int, tuple[object, Facts]] = {}


def facts_of(model) -> Facts:
    """Return the :class:`Facts` of ``model`` (computed once per model object)."""
    cached = _FACTS.get(id(model))
    if cached is not None and cached[0] is model:
        return cached[1]
    professions = list(model.professions.values())

    def numbers(get) -> np.ndarray:
        return np.array([np.nan if (value := get(p)) is None else float(value) for p in professions], dtype=float)

    facts = Facts(
        ids=[p.id for p in professions], row={p.id: i for i, p in enumerate(professions)},
        disappearing=np.array([p.status == "disappearing" for p in professions], dtype=bool),
        value={"automation": numbers(lambda p: p.measures.automation_risk),
               "genai": numbers(lambda p: p.measures.genai_score)},
        level={"automation": np.array([automation_level(p.measures) for p in professions], dtype=object),
               "genai": np.array([genai_level(p.measures) for p in professions], dtype=object)},
        percentile={"automation": numbers(lambda p: p.measures.automation_percentile),
                    "genai": numbers(lambda p: p.measures.genai_percentile)},
        prevalence=numbers(lambda p: p.measures.automation_prevalence),
        skill_level=numbers(lambda p: p.measures.skill_level),
        job_zone=numbers(lambda p: p.measures.job_zone),
        earnings=numbers(lambda p: p.measures.annual_earnings),
        wage=numbers(lambda p: p.measures.wage_kzt),
        major_group=np.array([(p.isco08 or "")[:1] for p in professions]))
    if len(_FACTS) > 8:
        _FACTS.clear()
    _FACTS[id(model)] = (model, facts)
    return facts


@dataclass(frozen=True)
class Judged:
    """The rules applied to moves origin[i] -> destination[i], as parallel arrays (NaN / None when
    unknown). Per measure: the values and plain levels before and after, whether the move is safer
    (``safer_by``), whether the destination is no riskier than the origin (``not_riskier_by``) and
    whether both values are known (``known_by``)."""

    coverage: np.ndarray
    coverage_ok: np.ndarray
    prep_from: np.ndarray
    prep_to: np.ndarray
    prep_on_job_zone: np.ndarray
    prep_ok: np.ndarray
    pay_ratio: np.ndarray
    pay_on_earnings: np.ndarray
    value_from: dict[str, np.ndarray]
    value_to: dict[str, np.ndarray]
    level_from: dict[str, np.ndarray]
    level_to: dict[str, np.ndarray]
    known_by: dict[str, np.ndarray]
    safer_by: dict[str, np.ndarray]
    not_riskier_by: dict[str, np.ndarray]
    measures: tuple[str, ...]
    viable: np.ndarray
    desirable: np.ndarray
    safer: np.ndarray
    safer_known: np.ndarray
    not_riskier: np.ndarray
    strictly_safer: np.ndarray
    strictly_known: np.ndarray


def judge(facts: Facts, rules: Rules, origins, destinations, coverage) -> Judged:
    """Return the rules applied to the moves ``origins[i] -> destinations[i]`` (row indices of
    ``facts``) whose coverage is ``coverage[i]``. Every rule is decided here and nowhere else."""
    a, b = np.asarray(origins, dtype=np.int64), np.asarray(destinations, dtype=np.int64)
    coverage = np.asarray(coverage, dtype=float)
    on_zone = ~np.isnan(facts.job_zone[a]) & ~np.isnan(facts.job_zone[b])
    prep_from = np.where(on_zone, facts.job_zone[a], facts.skill_level[a])
    prep_to = np.where(on_zone, facts.job_zone[b], facts.skill_level[b])
    on_earnings = ~np.isnan(facts.earnings[a]) & ~np.isnan(facts.earnings[b]) & (facts.earnings[a] > 0)
    wages = facts.wages(rules)
    with np.errstate(divide="ignore", invalid="ignore"):
        pay = np.where(on_earnings, facts.earnings[b] / facts.earnings[a], wages[b] / wages[a])
    coverage_ok = coverage + _SLACK >= rules.min_coverage
    prep_ok = np.abs(prep_to - prep_from) <= rules.max_prep_step + _SLACK  # NaN (unknown) fails
    value_from, value_to, level_from, level_to, known_by, safer_by, not_riskier_by = {}, {}, {}, {}, {}, {}, {}
    for measure in MEASURES:
        before, after = facts.value[measure][a], facts.value[measure][b]
        value_from[measure], value_to[measure] = before, after
        level_from[measure], level_to[measure] = facts.level[measure][a], facts.level[measure][b]
        known_by[measure] = ~np.isnan(before) & ~np.isnan(after) & (level_to[measure] != None)  # noqa: E711
        safer_by[measure] = known_by[measure] & (after <= before - MARGINS[measure] + _SLACK) & \
            (level_to[measure] != "high")
        not_riskier_by[measure] = ~np.isnan(before) & ~np.isnan(after) & (after <= before + _SLACK)
    measures = rules.measures
    strict_known = ~np.isnan(value_from["automation"]) & ~np.isnan(value_to["automation"]) & \
        ~np.isnan(facts.prevalence[a]) & ~np.isnan(facts.prevalence[b])
    return Judged(
        coverage, coverage_ok, prep_from, prep_to, on_zone, prep_ok, pay, on_earnings, value_from, value_to,
        level_from, level_to, known_by, safer_by, not_riskier_by, measures,
        viable=coverage_ok & prep_ok, desirable=pay + _SLACK >= rules.min_pay_ratio,
        safer=np.logical_and.reduce([safer_by[m] for m in measures]),
        safer_known=np.logical_and.reduce([known_by[m] for m in measures]),
        not_riskier=np.logical_and.reduce([not_riskier_by[m] for m in measures]),
        strictly_safer=strict_known & (value_to["automation"] < value_from["automation"])
        & (facts.prevalence[b] > facts.prevalence[a]),
        strictly_known=strict_known)


def risk_index(facts: Facts, rules: Rules, rows) -> np.ndarray:
    """Return, per profession row, the mean percentile of the measures in force (0.5 where unknown):
    the risk a path's score charges for its destination."""
    rows = np.asarray(rows, dtype=np.int64)
    parts = [np.where(np.isnan(facts.percentile[m][rows]), 0.5, facts.percentile[m][rows]) for m in rules.measures]
    return np.mean(parts, axis=0)


def _number(value, digits: int = 2) -> float | None:
    return None if value is None or np.isnan(value) else round(float(value), digits)


def move_facts(judged: Judged, i: int) -> dict:
    """Return the ``i``-th move of ``judged`` as a JSON-ready dict: ``coverage`` (also as a percentage),
    ``preparation`` (from, to, change, scale, ``ok``), ``pay`` (ratio, basis, ``ok``), ``risk`` (per
    measure: value and plain level before and after, the change, ``safer`` and ``not_riskier``) and the
    flags ``viable``, ``desirable``, ``safer`` and ``strictly_safer``; a flag is None where a value it
    needs is unknown."""
    prep_from, prep_to = _number(judged.prep_from[i], 1), _number(judged.prep_to[i], 1)
    pay = _number(judged.pay_ratio[i], 4)
    risk = {}
    for measure in MEASURES:
        before, after = _number(judged.value_from[measure][i], 6), _number(judged.value_to[measure][i], 6)
        known = bool(judged.known_by[measure][i])
        risk[measure] = {"from": before, "from_level": judged.level_from[measure][i],
                         "to": after, "to_level": judged.level_to[measure][i],
                         "change": None if before is None or after is None else round(after - before, 6),
                         "safer": bool(judged.safer_by[measure][i]) if known else None,
                         "not_riskier": None if before is None or after is None
                         else bool(judged.not_riskier_by[measure][i])}
    return {
        "coverage": round(float(judged.coverage[i]), 4),
        "coverage_percent": round(float(judged.coverage[i]) * 100, 1),
        "coverage_ok": bool(judged.coverage_ok[i]),
        "preparation": {"from": prep_from, "to": prep_to,
                        "scale": "job_zone" if judged.prep_on_job_zone[i] else "isco_skill_level",
                        "change": None if prep_from is None or prep_to is None else round(prep_to - prep_from, 1),
                        "ok": bool(judged.prep_ok[i])},
        "pay": {"ratio": pay, "basis": "nesta-earnings" if judged.pay_on_earnings[i] else "kz-wage",
                "ok": bool(judged.desirable[i])},
        "risk": risk,
        "viable": bool(judged.viable[i]) if prep_from is not None and prep_to is not None else None,
        "desirable": None if pay is None else bool(judged.desirable[i]),
        "safer": bool(judged.safer[i]) if judged.safer_known[i] else None,
        "strictly_safer": bool(judged.strictly_safer[i]) if judged.strictly_known[i] else None,
    }


def blocks(rules: Rules, move: dict, *, as_stone: bool = False, disappearing: bool = False) -> list[dict]:
    """Return what the move (:func:`move_facts`) breaks, as ``{"rule", "text"}`` dicts: ``viable``,
    ``desirable`` and then ``safer`` (for the destination) or ``stepping_stone`` (``as_stone``, for an
    intermediate profession; ``disappearing`` says whether it is one). Unknown values are named with
    the rule they leave undecided."""
    found = []
    if not move["coverage_ok"]:
        found.append({"rule": "viable", "text": f"coverage {move['coverage']:.0%} < {rules.min_coverage:.0%}"})
    prep = move["preparation"]
    if prep["change"] is None:
        found.append({"rule": "viable", "text": f"preparation unknown (rule: within {rules.max_prep_step} step)"})
    elif not prep["ok"]:
        scale = "job zone" if prep["scale"] == "job_zone" else "ISCO skill level"
        found.append({"rule": "viable", "text": f"preparation {prep['from']:g} -> {prep['to']:g} ({scale}), "
                                                f"more than {rules.max_prep_step} step"})
    pay = move["pay"]["ratio"]
    if pay is None:
        found.append({"rule": "desirable",
                      "text": f"pay unknown (rule: >= {rules.min_pay_ratio:.0%} of the origin's)"})
    elif not move["pay"]["ok"]:
        found.append({"rule": "desirable", "text": f"pay {pay:.0%} of the origin's < {rules.min_pay_ratio:.0%}"})
    for measure in rules.measures:
        risk = move["risk"][measure]
        name = MEASURE_NAMES[measure]
        if as_stone:
            if risk["not_riskier"] is None:
                found.append({"rule": "stepping_stone", "text": f"{name} unknown (rule: not riskier than the origin)"})
            elif not risk["not_riskier"]:
                found.append({"rule": "stepping_stone",
                              "text": f"riskier than the origin ({name} {risk['from']:.2f} -> {risk['to']:.2f})"})
        elif risk["safer"] is None:
            found.append({"rule": "safer", "text": f"{name} unknown (rule: at least {MARGINS[measure]:g} lower "
                                                   "and not high)"})
        elif not risk["safer"]:
            why = "high" if risk["to_level"] == "high" else f"not {MARGINS[measure]:g} lower"
            found.append({"rule": "safer", "text": f"not safer: {name} {risk['from_level'] or 'unknown'} "
                                                   f"{risk['from']:.2f} -> {risk['to_level']} {risk['to']:.2f} ({why})"})
    if as_stone and disappearing:
        found.append({"rule": "stepping_stone", "text": "a disappearing profession"})
    return found
