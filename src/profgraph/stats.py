"""Dataset statistics: counts by status, sector and skill type, exposure, links, and stranded professions."""

from __future__ import annotations

from collections import Counter

from .model import Model
from .paths import DEFAULT_MAX_STEPS, DEFAULT_MIN_COVERAGE, find_paths, target_set
from .vocab import SKILL_TYPES, STATUSES

HIGH_EXPOSURE = 0.5  # "high or significant": riskier than half of the occupations assessed


def stranded(model: Model, graph, origin_status: str = "disappearing", target_status: str = "emerging",
             max_steps: int = DEFAULT_MAX_STEPS, min_coverage: float = DEFAULT_MIN_COVERAGE) -> list[str]:
    """Return the ids of professions of ``origin_status`` with no viable path to ``target_status``."""
    targets = target_set(model, status=target_status)
    return [pid for pid, profession in model.professions.items()
            if profession.status == origin_status
            and not find_paths(model, graph, pid, targets - {pid}, top=1, max_steps=max_steps,
                               min_coverage=min_coverage)]


def dataset_stats(dataset) -> dict:
    """Return the statistics of a dataset as a JSON-ready dict (see ``profgraph stats``)."""
    model = dataset.model
    professions = list(model.professions.values())
    exposures = [p.exposure for p in professions if p.exposure is not None]
    by_status = Counter(p.status for p in professions if p.status)
    by_sector = Counter(p.sector for p in professions if p.sector)
    skills_by_type = Counter(skill.type for skill in model.skills.values())
    graph = dataset.transition_graph(DEFAULT_MIN_COVERAGE)
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
        "stranded": stranded(model, graph) if by_status.get("emerging") else [],
    }
