"""JSON-ready answers built from a dataset: profession summaries and cards, reskilling paths,
search hits. The CLI prints them as text or JSON; every other front end can reuse them.
"""

from __future__ import annotations

from .errors import UsageError
from .model import Model, label
from .paths import (DEFAULT_MAX_STEPS, DEFAULT_MIN_COVERAGE, DEFAULT_TOP, ReskillingPath, find_paths,
                    target_set)
from .vocab import LANGUAGES, SKILL_TYPES, STATUSES


def profession_summary(model: Model, profession_id: str, lang: str = "en") -> dict:
    """Return ``{"id", "label", "status", "automation_exposure"}`` for one profession."""
    profession = model.professions[profession_id]
    return {
        "id": profession.id,
        "label": label(profession, lang),
        "status": profession.status,
        "automation_exposure": profession.exposure,
    }


def skills_by_type(model: Model, skill_ids, lang: str = "en") -> dict[str, list[str]]:
    """Return the labels of ``skill_ids`` grouped by skill type, every type present (maybe empty)."""
    grouped = {skill_type: [] for skill_type in SKILL_TYPES}
    for skill_id in skill_ids:
        skill = model.skills[skill_id]
        grouped[skill.type].append(label(skill, lang))
    return grouped


def profession_card(model: Model, profession_id: str, lang: str = "en") -> dict:
    """Return everything a counsellor reads about one profession: labels in every language,
    classification, status, exposure with its source, skills by type and relation, successors."""
    profession = model.professions[profession_id]
    sector = model.sectors.get(profession.sector) if profession.sector else None
    source = model.sources.get(profession.exposure_source) if profession.exposure_source else None
    return {
        **profession_summary(model, profession_id, lang),
        "iri": profession.iri,
        "labels": dict(profession.labels),
        "alt_labels": {lang_: list(texts) for lang_, texts in profession.alt_labels.items()},
        "isco08": profession.isco08,
        "sector": None if sector is None else {"id": sector.id, "code": sector.code, "label": label(sector, lang)},
        "exposure_source": None if source is None else {"id": source.id, "title": source.title, "url": source.url},
        "esco_uri": profession.esco_uri,
        "essential_skills": skills_by_type(model, profession.essential, lang),
        "optional_skills": skills_by_type(model, profession.optional, lang),
        "transforms_into": [profession_summary(model, successor, lang) for successor in model.successors(profession_id)],
        "transforms_from": [profession_summary(model, t.origin, lang)
                            for t in model.transformations if t.successor == profession_id],
    }


def _path_dict(model: Model, rank: int, path: ReskillingPath, lang: str) -> dict:
    return {
        "rank": rank,
        "steps": [
            {
                "from": profession_summary(model, step.origin, lang),
                "to": profession_summary(model, step.destination, lang),
                "coverage": round(step.coverage, 4),
                "skills_to_learn": {skill_type: [label(model.skills[s], lang) for s in ids]
                                    for skill_type, ids in step.skills_to_learn.items()},
            }
            for step in path.steps
        ],
        "new_skills_total": path.new_skills_total,
        "score": path.score,
    }


def reskilling_report(dataset, origin_name: str, to: str, *, top: int = DEFAULT_TOP,
                      max_steps: int = DEFAULT_MAX_STEPS, min_coverage: float = DEFAULT_MIN_COVERAGE,
                      lang: str = "en") -> dict:
    """Return ranked reskilling paths from the profession ``origin_name`` to ``to``.

    ``to`` is a status (emerging, transforming, stable, disappearing) or a profession name.
    Raises :class:`~profgraph.errors.NotFound` / :class:`~profgraph.errors.Ambiguous` for a
    name that does not resolve, :class:`~profgraph.errors.UsageError` for out-of-range options.
    """
    origin = dataset.names.resolve(origin_name).id
    status = to.strip().lower()
    if status in STATUSES:
        return reskilling_report_for(dataset, origin, status=status, top=top, max_steps=max_steps,
                                     min_coverage=min_coverage, lang=lang)
    return reskilling_report_for(dataset, origin, destination=dataset.names.resolve(to).id, top=top,
                                 max_steps=max_steps, min_coverage=min_coverage, lang=lang)


def reskilling_report_for(dataset, origin: str, *, status: str | None = None, destination: str | None = None,
                          top: int = DEFAULT_TOP, max_steps: int = DEFAULT_MAX_STEPS,
                          min_coverage: float = DEFAULT_MIN_COVERAGE, lang: str = "en") -> dict:
    """Return what :func:`reskilling_report` returns, for the profession id ``origin`` and either a
    ``status`` or the profession id ``destination``. Raises :class:`~profgraph.errors.UsageError`
    for out-of-range options or a destination equal to the origin.
    """
    if top < 1:
        raise UsageError(f"--top must be at least 1, not {top}")
    if not 1 <= max_steps <= 6:
        raise UsageError(f"--max-steps must be between 1 and 6, not {max_steps}")
    if not 0.0 < min_coverage <= 1.0:
        raise UsageError(f"--min-coverage must be in (0, 1], not {min_coverage}")
    if lang not in LANGUAGES:
        raise UsageError(f"--lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    model = dataset.model
    if status is not None:
        targets = target_set(model, status=status) - {origin}
        target = {"status": status, "count": len(targets)}
    else:
        if destination == origin:
            raise UsageError("the origin and the target are the same profession")
        targets = {destination}
        target = {"profession": profession_summary(model, destination, lang)}
    graph = dataset.transition_graph(min_coverage)
    paths = find_paths(model, graph, origin, targets, top=top, max_steps=max_steps, min_coverage=min_coverage)
    return {
        "origin": profession_summary(model, origin, lang),
        "target": target,
        "settings": {"min_coverage": min_coverage, "max_steps": max_steps, "top": top},
        "paths": [_path_dict(model, rank, path, lang) for rank, path in enumerate(paths, 1)],
    }


def search_report(dataset, text: str, kind: str | None = None, limit: int = 10, lang: str = "en") -> list[dict]:
    """Return search hits for ``text`` as dicts: id, kind, the label in ``lang``, the matched text, score."""
    model = dataset.model
    hits = []
    for match in dataset.names.search(text, kind=kind, limit=limit):
        entity = model.professions[match.id] if match.kind == "profession" else model.skills[match.id]
        hits.append({"id": match.id, "kind": match.kind, "label": label(entity, lang),
                     "matched": match.label, "matched_lang": match.lang, "score": match.score})
    return hits
