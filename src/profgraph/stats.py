"""Dataset statistics: counts by status, sector and skill type, exposure, links, and the professions
the transition rules leave without a path or a move, rule by rule."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from .model import Model
from .paths import DEFAULT_MAX_STEPS, find_paths, target_set
from .rules import Rules
from .vocab import SKILL_TYPES, STATUSES

HIGH_EXPOSURE = 0.5  # "high or significant": riskier than half of the occupations assessed
# Each rule on its own beside viability, then all of them: what leaves the most professions stranded.
RULE_SETS = {
    "viable": {"allow_riskier": True, "allow_lower_pay": True, "allow_stepping_stones": True},
    "viable_desirable": {"allow_riskier": True, "allow_stepping_stones": True},
    "viable_safer": {"allow_lower_pay": True, "allow_stepping_stones": True},
    "viable_stepping_stones": {"allow_riskier": True, "allow_lower_pay": True},
    "all_rules": {},
}


def stranded(model: Model, graph, origin_status: str = "disappearing", target_status: str = "emerging",
             max_steps: int = DEFAULT_MAX_STEPS, rules: Rules | None = None) -> list[str]:
    """Return the ids of professions of ``origin_status`` with no path to ``target_status`` under
    ``rules`` (default: :class:`~profgraph.rules.Rules`)."""
    rules = rules or Rules()
    targets = target_set(model, status=target_status)
    return [pid for pid, profession in model.professions.items()
            if profession.status == origin_status
            and not find_paths(model, graph, pid, targets - {pid}, top=1, max_steps=max_steps, rules=rules)]


def stranded_by_rule(dataset, rules: Rules | None = None) -> dict[str, list[str]]:
    """Return, for each of :data:`RULE_SETS`, the disappearing professions left with no path to an
    emerging one (empty lists when the dataset has no statuses)."""
    rules = rules or Rules()
    model = dataset.model
    if not any(p.status == "emerging" for p in model.professions.values()):
        return {name: [] for name in RULE_SETS}
    graph = dataset.transition_graph(rules.min_coverage)
    return {name: stranded(model, graph, rules=replace(rules, **allowed)) for name, allowed in RULE_SETS.items()}


def without_moves(dataset, rules: Rules | None = None) -> dict[str, int]:
    """Return how many professions have no single ``viable`` move, no viable and ``desirable`` one, and
    no viable, desirable and ``safe`` (safer) one (:func:`profgraph.transitions.move_counts`)."""
    from .transitions import move_counts

    counts = move_counts(dataset, rules or Rules())
    return {name: int((values == 0).sum()) for name, values in counts.items()}


def dataset_stats(dataset) -> dict:
    """Return the statistics of a dataset as a JSON-ready dict (see ``profgraph stats``)."""
    model = dataset.model
    professions = list(model.professions.values())
    exposures = [p.exposure for p in professions if p.exposure is not None]
    by_status = Counter(p.status for p in professions if p.status)
    by_sector = Counter(p.sector for p in professions if p.sector)
    skills_by_type = Counter(skill.type for skill in model.skills.values())
    by_rule = stranded_by_rule(dataset)
    return {
        "dataset": model.name,
        "professions": {
            "total": len(professions),
            "by_status": {status: by_status.get(status, 0) for status in STATUSES},
            "by_sector": dict(sorted(by_sector.items(), key=lambda item: (-item[1], item[0]))),
            "with_exposure": len(exposures),
            "mean_exposure": round(sum(exposures) / len(exposures), 4) if exposures else None,
            "high_exposure_threshold": HIGH_EXPOSURE,
            "high_exposure_share": round(sum(e >= HIGH_EXPOSURE for e in exposures) / len(exposures), 4)
            if exposures else None,
        },
        "skills": {
            "total": len(model.skills),
            "by_type": {skill_type: skills_by_type.get(skill_type, 0) for skill_type in SKILL_TYPES},
        },
        "requirements": {
            "total": sum(len(p.skills) for p in professions),
            "essential": sum(len(p.essential) for p in professions),
            "optional": sum(len(p.optional) for p in professions),
        },
        "transformations": len(model.transformations),
        "links": {
            "esco_professions": round(sum(bool(p.esco_uri) for p in professions) / len(professions), 4)
            if professions else 0.0,
            "esco_skills": round(sum(bool(s.esco_uri) for s in model.skills.values()) / len(model.skills), 4)
            if model.skills else 0.0,
        },
        "stranded": by_rule["all_rules"],
        "stranded_by_rule": {name: {"count": len(ids), "professions": ids} for name, ids in by_rule.items()},
        "without_moves": without_moves(dataset),
        "rules": Rules().as_dict(),
    }
