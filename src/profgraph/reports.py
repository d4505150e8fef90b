"""JSON-ready answers built from a dataset: profession summaries and cards, reskilling paths,
search hits. The CLI prints them as text or JSON; every other front end can reuse them.
"""

from __future__ import annotations

from .errors import UsageError
from .model import Model, label
from .paths import (DEFAULT_MAX_STEPS, DEFAULT_MIN_COVERAGE, DEFAULT_TOP, ReskillingPath, find_paths,
                    safer_set, target_set, top_quartile_floor)
from .vocab import LANGUAGES, LEARNABLE_SKILL_TYPES, STATUSES, TRAIT
from .workload import check_path_search


def profession_summary(model: Model, profession_id: str, lang: str = "en") -> dict:
    """Return ``{"id", "label", "status", "automation_exposure"}`` for one profession."""
    profession = model.professions[profession_id]
    return {
        "id": profession.id,
        "label": label(profession, lang),
        "status": profession.status,
        "automation_exposure": profession.exposure,
    }


def skills_by_type(model: Model, skill_ids, lang: str = "en", levels: dict | None = None) -> dict[str, list[str]]:
    """Return the labels of ``skill_ids`` grouped by learnable skill type, every type present (maybe
    empty); traits are left out. A skill with a level in ``levels`` reads "label (level)"."""
    grouped = {skill_type: [] for skill_type in LEARNABLE_SKILL_TYPES}
    for skill_id in skill_ids:
        skill = model.skills[skill_id]
        if skill.type != TRAIT:
            grouped[skill.type].append(_with_level(label(skill, lang), (levels or {}).get(skill_id)))
    return grouped


def _with_level(text: str, level: str | None) -> str:
    return f"{text} ({level})" if level else text


def profession_card(model: Model, profession_id: str, lang: str = "en") -> dict:
    """Return everything a counsellor reads about one profession: labels in every language,
    classification, status, exposure with its source, skills by type and relation (with the level
    asked, where one is), personal qualities (traits), successors."""
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
        "esco_match": profession.esco_match,
        "essential_skills": skills_by_type(model, profession.essential, lang, profession.levels),
        "optional_skills": skills_by_type(model, profession.optional, lang, profession.levels),
        "traits": [label(model.skills[s], lang) for s in profession.skills if model.skills[s].type == TRAIT],
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
        "effort": path.score,
    }


def _check_options(top: int, lang: str, min_coverage: float = DEFAULT_MIN_COVERAGE) -> None:
    if top < 1:
        raise UsageError(f"--top must be at least 1, not {top}")
    if not 0.0 < min_coverage <= 1.0:
        raise UsageError(f"--min-coverage must be in (0, 1], not {min_coverage}")
    if lang not in LANGUAGES:
        raise UsageError(f"--lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")


def target_arguments(dataset, to: str) -> dict:
    """Return what ``to`` (a status, ``safer`` or a profession name) names, as the keyword arguments
    ``status`` or ``destination`` (an id) of :func:`reskilling_report_for`. Raises
    :class:`~profgraph.errors.NotFound` / :class:`~profgraph.errors.Ambiguous` for a name that does not resolve."""
    wanted = to.strip().lower()
    if wanted in STATUSES or wanted == "safer":
        return {"status": wanted}
    return {"destination": dataset.names.resolve(to).id}


def _targets(model: Model, origin: str, lang: str, status: str | None = None,
             destination: str | None = None) -> tuple[set[str], dict]:
    """Return the destination ids for ``origin`` and the report's description of them: the professions
    of a ``status``, those ``safer`` (:func:`profgraph.paths.safer_set`) or the one ``destination``."""
    if status == "safer":
        targets = safer_set(model, origin)
        return targets, {"set": "safer", "exposure_below": model.professions[origin].exposure,
                         "top_quartile_above": top_quartile_floor(model), "count": len(targets)}
    if status is not None:
        targets = target_set(model, status=status) - {origin}
        return targets, {"status": status, "count": len(targets)}
    if destination == origin:
        raise UsageError("the origin and the target are the same profession")
    return {destination}, {"profession": profession_summary(model, destination, lang)}


def reskilling_report(dataset, origin_name: str, to: str, *, top: int = DEFAULT_TOP,
                      max_steps: int = DEFAULT_MAX_STEPS, min_coverage: float = DEFAULT_MIN_COVERAGE,
                      lang: str = "en") -> dict:
    """Return ranked reskilling paths from the profession ``origin_name`` to ``to``.

    ``to`` is a status (emerging, transforming, stable, disappearing), ``safer`` or a profession name.
    Raises :class:`~profgraph.errors.NotFound` / :class:`~profgraph.errors.Ambiguous` for a
    name that does not resolve, :class:`~profgraph.errors.UsageError` for out-of-range options.
    """
    origin = dataset.names.resolve(origin_name).id
    return reskilling_report_for(dataset, origin, **target_arguments(dataset, to), top=top, max_steps=max_steps,
                                 min_coverage=min_coverage, lang=lang)


def reskilling_report_for(dataset, origin: str, *, status: str | None = None, destination: str | None = None,
                          top: int = DEFAULT_TOP, max_steps: int = DEFAULT_MAX_STEPS,
                          min_coverage: float = DEFAULT_MIN_COVERAGE, lang: str = "en") -> dict:
    """Return what :func:`reskilling_report` returns, for the profession id ``origin`` and either a
    ``status`` (or ``"safer"``) or the profession id ``destination``. Raises
    :class:`~profgraph.errors.UsageError` for out-of-range options, a destination equal to the
    origin, ``safer`` from an origin without an exposure estimate, or a ``min_coverage`` that keeps
    too many transitions to search (:func:`profgraph.workload.check_path_search`).
    """
    _check_options(top, lang, min_coverage)
    if not 1 <= max_steps <= 6:
        raise UsageError(f"--max-steps must be between 1 and 6, not {max_steps}")
    model = dataset.model
    targets, target = _targets(model, origin, lang, status, destination)
    check_path_search(dataset, min_coverage)
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


def similar_report(dataset, name: str, top: int = 10, lang: str = "en") -> dict:
    """Return the ``top`` professions most similar to the profession ``name``
    (:mod:`profgraph.similarity`), best first, each with its coverage from the origin
    (``coverage``), to the origin (``coverage_back``) and the number of skills both require.

    Raises :class:`~profgraph.errors.NotFound` / :class:`~profgraph.errors.Ambiguous` for a
    name that does not resolve, :class:`~profgraph.errors.UsageError` for ``top`` < 1.
    """
    import numpy as np

    from .similarity import coverage_from, coverage_to, most_similar

    _check_options(top, lang)
    model = dataset.model
    matrices = dataset.skill_matrices
    origin = dataset.names.resolve(name).id
    row = matrices.rows[origin]
    found = most_similar(dataset.similarity_vectors, row, top)
    rows = np.array([other for other, _ in found], dtype=np.int64)
    forward, backward = coverage_from(matrices, row), coverage_to(matrices, row)
    shared = np.asarray((matrices.has[rows] @ matrices.has[row].T).todense()).ravel()
    return {
        "origin": {**profession_summary(model, origin, lang), "isco08": model.professions[origin].isco08},
        "similar": [
            {**profession_summary(model, matrices.profession_ids[other], lang),
             "isco08": model.professions[matrices.profession_ids[other]].isco08,
             "similarity": round(similarity, 4),
             "coverage": round(float(forward[other]), 4),
             "coverage_back": round(float(backward[other]), 4),
             "shared_skills": int(count)}
            for (other, similarity), count in zip(found, shared)
        ],
    }


def upskill_report(dataset, origin_name: str, to: str = "safer", *, top: int = DEFAULT_TOP, max_skills: int = 1,
                   min_coverage: float = DEFAULT_MIN_COVERAGE, lang: str = "en", progress=None) -> dict:
    """Return the skill sets that unlock the most new viable transitions from ``origin_name`` to ``to``
    (:func:`profgraph.upskill.upskill`, which reports long work to ``progress``, a
    :class:`profgraph.workload.Progress`); ``to`` as for :func:`reskilling_report`.

    Raises :class:`~profgraph.errors.NotFound` / :class:`~profgraph.errors.Ambiguous` for a
    name that does not resolve, :class:`~profgraph.errors.UsageError` for out-of-range options or
    settings whose work is estimated too large.
    """
    from .similarity import coverage_from
    from .upskill import upskill

    _check_options(top, lang, min_coverage)
    model = dataset.model
    matrices = dataset.skill_matrices
    origin = dataset.names.resolve(origin_name).id
    targets, target = _targets(model, origin, lang, **target_arguments(dataset, to))
    coverage = coverage_from(matrices, matrices.rows[origin])
    viable = sum(1 for pid in targets if coverage[matrices.rows[pid]] >= min_coverage)
    options = upskill(matrices, origin, targets, min_coverage=min_coverage, max_skills=max_skills, top=top,
                      progress=progress)
    return {
        "origin": profession_summary(model, origin, lang),
        "target": {**target, "viable_now": viable},
        "settings": {"min_coverage": min_coverage, "max_skills": max_skills, "top": top},
        "options": [
            {"rank": rank,
             "skills": [{"id": sid, "label": label(model.skills[sid], lang), "type": model.skills[sid].type}
                        for sid in option.skills],
             "unlocks": [{**profession_summary(model, pid, lang), "coverage": round(value, 4)}
                         for pid, value in option.unlocks]}
            for rank, option in enumerate(options, 1)
        ],
    }
