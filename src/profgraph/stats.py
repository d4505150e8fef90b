"""Dataset statistics: counts by status, sector and skill type, exposure, profile depth, ESCO links
and ISCO agreement, successors that paths reach, and the professions the transition rules leave
without a path or a move, rule by rule."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from statistics import mean
from typing import TypedDict

from .model import Model
from .reskilling import DEFAULT_MAX_STEPS, DEFAULT_TOP, ReskillingPath, find_paths, target_set
from .rules import Rules
from .vocab import ESCO_MATCHES, SKILL_TYPES, STATUSES, TRAIT

HIGH_EXPOSURE = 0.5  # "high or significant": riskier than half of the occupations assessed
# Quoted beside the dataset's own counts (data/SOURCES.md): the Atlas of new professions, 2021, as
# the source article cites it (source mkru-2021), and the article's share of jobs in Kazakhstan with
# high or significant exposure to automation (source clrd-national-report-2021; data/observations.csv).
ATLAS_COUNTS = {"emerging": 239, "transforming": 95, "disappearing": 129}
ARTICLE_HIGH_EXPOSURE_SHARE = 0.52


class Allowances(TypedDict, total=False):
    """The rules a rule set of :data:`RULE_SETS` lifts (the fields of :class:`~profgraph.rules.Rules`)."""

    allow_riskier: bool
    allow_lower_pay: bool
    allow_stepping_stones: bool


# Each rule on its own beside viability, then all of them: what leaves the most professions stranded.
RULE_SETS: dict[str, Allowances] = {
    "viable": {"allow_riskier": True, "allow_lower_pay": True, "allow_stepping_stones": True},
    "viable_desirable": {"allow_riskier": True, "allow_stepping_stones": True},
    "viable_safer": {"allow_lower_pay": True, "allow_stepping_stones": True},
    "viable_stepping_stones": {"allow_riskier": True, "allow_lower_pay": True},
    "all_rules": {},
}


def stranded(model: Model, adjacency, origin_status: str = "disappearing", target_status: str = "emerging",
             max_steps: int = DEFAULT_MAX_STEPS, rules: Rules | None = None) -> list[str]:
    """Return the ids of professions of ``origin_status`` with no path to ``target_status`` under
    ``rules`` (default: :class:`~profgraph.rules.Rules`)."""
    rules = rules or Rules()
    targets = target_set(model, status=target_status)
    return [pid for pid, profession in model.professions.items()
            if profession.status == origin_status
            and not find_paths(model, adjacency, pid, targets - {pid}, top=1, max_steps=max_steps, rules=rules)]


def stranded_by_rule(dataset, rules: Rules | None = None) -> dict[str, list[str]]:
    """Return, for each of :data:`RULE_SETS`, the disappearing professions left with no path to an
    emerging one (empty lists when the dataset has no statuses)."""
    rules = rules or Rules()
    model = dataset.model
    if not any(p.status == "emerging" for p in model.professions.values()):
        return {name: [] for name in RULE_SETS}
    adjacency = dataset.adjacency(rules.min_coverage)
    return {name: stranded(model, adjacency, rules=replace(rules, **allowed)) for name, allowed in RULE_SETS.items()}


def without_moves(dataset, rules: Rules | None = None) -> dict[str, int]:
    """Return how many professions have no single ``viable`` move, no viable and ``desirable`` one, and
    no viable, desirable and ``safe`` (safer) one (:func:`profgraph.transitions.move_counts`)."""
    from .transitions import move_counts

    counts = move_counts(dataset, rules or Rules())
    return {name: int((values == 0).sum()) for name, values in counts.items()}


def best_paths(model: Model, adjacency, origin_status: str = "disappearing", target_status: str = "emerging",
               top: int = DEFAULT_TOP, max_steps: int = DEFAULT_MAX_STEPS, rules: Rules | None = None) -> dict[str, list]:
    """Return, for each profession of ``origin_status``, its ``top`` reskilling paths to ``target_status``
    under ``rules`` (default: :class:`~profgraph.rules.Rules`)."""
    rules = rules or Rules()
    targets = target_set(model, status=target_status)
    return {pid: find_paths(model, adjacency, pid, targets - {pid}, top=top, max_steps=max_steps, rules=rules)
            for pid, profession in model.professions.items() if profession.status == origin_status}


def traits_to_learn(model: Model, paths: Iterable[ReskillingPath]) -> int:
    """Return how many skills to learn, over all steps of ``paths``, are traits (it should be none)."""
    return sum(model.skills[skill].type == TRAIT for path in paths for step in path.steps
               for skills in step.skills_to_learn.values() for skill in skills)


def isco_agreement(model: Model) -> dict[str, list[str]]:
    """Return the ESCO-linked professions by how their ISCO-08 code compares with their ESCO
    occupation's group: ``agree``, ``explained`` (they differ and ``isco_note`` says why),
    ``unexplained`` and ``unknown`` (one of the two codes is missing)."""
    found: dict[str, list[str]] = {"agree": [], "explained": [], "unexplained": [], "unknown": []}
    for pid, profession in model.professions.items():
        if not profession.esco_uri or profession.esco_uri == profession.iri:
            continue
        if not (profession.isco08 and profession.esco_isco08):
            found["unknown"].append(pid)
        elif profession.isco08.startswith(profession.esco_isco08):
            found["agree"].append(pid)
        else:
            found["explained" if profession.isco_note else "unexplained"].append(pid)
    return found


def successor_reachability(dataset, rules: Rules | None = None) -> list[dict]:
    """Return, for each "transforms into" link, ``origin``, ``successor``, ``coverage`` (of the direct
    move), ``direct`` (the direct move is viable under ``rules``, default :class:`~profgraph.rules.Rules`),
    ``steps`` (of the cheapest path of viable moves through acceptable stepping stones,
    :func:`profgraph.answers.successor_reports`; None when none of at most the step limit reaches the
    successor) and the link's ``note``."""
    from .answers import successor_reports

    rules = rules or Rules()
    notes = {(link.origin, link.successor): link.note for link in dataset.model.transformations}
    found = []
    for origin in dict.fromkeys(link.origin for link in dataset.model.transformations):
        for report in successor_reports(dataset, origin, rules):
            successor = report["profession"]["id"]
            found.append({"origin": origin, "successor": successor, "coverage": report["move"]["coverage"],
                          "direct": bool(report["move"]["viable"]), "steps": report["steps"],
                          "note": notes[origin, successor]})
    return found


def _spread(values: list[int]) -> dict[str, float] | None:
    return {"min": min(values), "mean": round(mean(values), 2), "max": max(values)} if values else None


def dataset_stats(dataset) -> dict:
    """Return the statistics of a dataset as a JSON-ready dict (see ``profgraph stats``)."""
    model = dataset.model
    professions = list(model.professions.values())
    exposures = [p.exposure for p in professions if p.exposure is not None]
    by_status = Counter(p.status for p in professions if p.status)
    by_sector = Counter(p.sector for p in professions if p.sector)
    skills_by_type = Counter(skill.type for skill in model.skills.values())
    by_rule = stranded_by_rule(dataset)
    linked = [p for p in professions if p.esco_uri and p.esco_uri != p.iri]
    matches = Counter(p.esco_match or "close" for p in linked)
    isco = isco_agreement(model)
    successors = successor_reachability(dataset)
    # traits among the skills to learn, checked on the paths the most permissive rules find
    paths = (best_paths(model, dataset.adjacency(Rules().min_coverage), rules=replace(Rules(), **RULE_SETS["viable"]))
             if by_status.get("emerging") else {})
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
            "traits": skills_by_type.get(TRAIT, 0),
        },
        "requirements": {
            "total": sum(len(p.skills) for p in professions),
            "essential": sum(len(p.essential) for p in professions),
            "optional": sum(len(p.optional) for p in professions),
            "with_level": sum(len(p.levels) for p in professions),
            "per_profession": _spread([len(p.skills) for p in professions]),
            "skills_per_profession": _spread([sum(model.skills[s].type != TRAIT for s in p.skills)
                                              for p in professions]),
            "traits_per_profession": _spread([sum(model.skills[s].type == TRAIT for s in p.skills)
                                              for p in professions]),
        },
        "transformations": len(model.transformations),
        "links": {
            "esco_professions": round(len(linked) / len(professions), 4) if professions else 0.0,
            "esco_skills": round(sum(bool(s.esco_uri) for s in model.skills.values()) / len(model.skills), 4)
            if model.skills else 0.0,
            "esco_matches": {match: matches.get(match, 0) for match in ESCO_MATCHES},
        },
        "isco": {"linked": len(linked), **{key: len(ids) for key, ids in isco.items()},
                 "unexplained_professions": isco["unexplained"]},
        "successors": {
            "total": len(successors),
            "directly_viable": sum(s["direct"] for s in successors),
            "reachable": sum(s["steps"] is not None for s in successors),
            "unreachable": sum(s["steps"] is None for s in successors),
            "unexplained": [f"{s['origin']} -> {s['successor']}" for s in successors
                            if s["steps"] is None and not s["note"]],
        },
        "paths_checked": sum(len(found) for found in paths.values()),
        "traits_in_skills_to_learn": sum(traits_to_learn(model, found) for found in paths.values()),
        "stranded": by_rule["all_rules"],
        "stranded_by_rule": {name: {"count": len(ids), "professions": ids} for name, ids in by_rule.items()},
        "without_moves": without_moves(dataset),
        "rules": Rules().as_dict(),
    }
