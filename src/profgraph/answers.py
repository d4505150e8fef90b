"""JSON-ready answers built from a dataset: profession summaries and cards, reskilling paths,
search hits, similar professions and upskilling options. The CLI prints them as text or JSON; the
site, the server and the API reuse them. Every answer that judges a move applies the rules of
:mod:`profgraph.rules` and says which rules were in force.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .errors import UsageError
from .measures import automation_level, genai_level
from .model import Model, label
from .reskilling import DEFAULT_MAX_STEPS, DEFAULT_TOP, ReskillingPath, find_paths, target_set
from .rules import DEFAULT_MIN_COVERAGE, Rules, blocks, facts_of, judge, move_facts
from .upskill import DEFAULT_MAX_SKILLS
from .vocab import LANGUAGES, LEARNABLE_SKILL_TYPES, STATUSES, TRAIT
from .workload import check_path_search

NEAREST_MISSES = 3
DEFAULT_SEARCH_LIMIT = 10  # search hits
DEFAULT_SIMILAR_TOP = 10  # professions listed by similar_report
DEFAULT_UPSKILL_TARGET = "safer"  # what upskill_report looks for moves to


def measures_summary(model: Model, profession_id: str) -> dict:
    """Return the profession's two risk measures as ``{"automation": {...}, "genai": {...}}``: each
    value, its plain level (None when unknown), the source's category, percentile, how it was
    obtained (``basis``) and the source id."""
    m = model.professions[profession_id].measures
    return {
        "automation": {"risk": m.automation_risk, "level": automation_level(m), "category": m.automation_category,
                       "prevalence": m.automation_prevalence, "percentile": m.automation_percentile,
                       "basis": m.automation_basis, "source": m.automation_source},
        "genai": {"score": m.genai_score, "level": genai_level(m), "category": m.genai_category,
                  "percentile": m.genai_percentile, "basis": m.genai_basis, "source": m.genai_source},
    }


def profession_summary(model: Model, profession_id: str, lang: str = "en") -> dict:
    """Return ``{"id", "label", "status", "automation_exposure", "automation", "genai"}`` for one
    profession (:func:`measures_summary`; ``automation_exposure`` is the automation-risk percentile)."""
    profession = model.professions[profession_id]
    return {
        "id": profession.id,
        "label": label(profession, lang),
        "status": profession.status,
        "automation_exposure": profession.exposure,
        **measures_summary(model, profession_id),
    }


def skills_by_type(model: Model, skill_ids, lang: str = "en", levels: dict | None = None) -> dict[str, list[str]]:
    """Return the labels of ``skill_ids`` grouped by learnable skill type, every type present (maybe
    empty); traits are left out. A skill with a level in ``levels`` reads "label (level)"."""
    grouped: dict[str, list[str]] = {skill_type: [] for skill_type in LEARNABLE_SKILL_TYPES}
    for skill_id in skill_ids:
        skill = model.skills[skill_id]
        if skill.type != TRAIT:
            grouped[skill.type].append(_with_level(label(skill, lang), (levels or {}).get(skill_id)))
    return grouped


def _with_level(text: str, level: str | None) -> str:
    return f"{text} ({level})" if level else text


def _source(model: Model, source_id: str | None) -> dict | None:
    source = model.sources.get(source_id) if source_id else None
    return None if source is None else {"id": source.id, "title": source.title, "url": source.url}


def profession_card(model: Model, profession_id: str, lang: str = "en", *, dataset=None,
                    rules: Rules | None = None) -> dict:
    """Return everything a counsellor reads about one profession: labels in every language,
    classification, status, its measures with how each was obtained and its source (``measures``),
    skills by type and relation (with the level asked, where one is), personal qualities (traits),
    and what it transforms into and from. Given the ``dataset``, each successor also says whether
    the rules (default :class:`~profgraph.rules.Rules`) let a worker reach it (:func:`successor_reports`)."""
    profession = model.professions[profession_id]
    sector = model.sectors.get(profession.sector) if profession.sector else None
    m = profession.measures
    successors = model.successors(profession_id)
    return {
        **profession_summary(model, profession_id, lang),
        "iri": profession.iri,
        "labels": dict(profession.labels),
        "alt_labels": {lang_: list(texts) for lang_, texts in profession.alt_labels.items()},
        "isco08": profession.isco08,
        "sector": None if sector is None else {"id": sector.id, "code": sector.code, "label": label(sector, lang)},
        "exposure_source": _source(model, profession.exposure_source),
        "measures": {
            "automation": {**measures_summary(model, profession_id)["automation"],
                           "source": _source(model, m.automation_source)},
            "genai": {**measures_summary(model, profession_id)["genai"], "source": _source(model, m.genai_source)},
            "preparation": {"isco_skill_level": m.skill_level, "skill_level_source": _source(model, m.skill_level_source),
                            "job_zone": m.job_zone, "education_level": m.education_level,
                            "basis": m.occupation_basis, "source": _source(model, m.occupation_source)},
            "pay": {"wage_kzt": m.wage_kzt, "wage_source": _source(model, m.wage_source),
                    "annual_earnings": m.annual_earnings, "earnings_source": _source(model, m.occupation_source)},
        },
        "esco_uri": profession.esco_uri,
        "esco_match": profession.esco_match,
        "essential_skills": skills_by_type(model, profession.essential, lang, profession.levels),
        "optional_skills": skills_by_type(model, profession.optional, lang, profession.levels),
        "traits": [label(model.skills[s], lang) for s in profession.skills if model.skills[s].type == TRAIT],
        "transforms_into": (successor_reports(dataset, profession_id, rules or Rules(), lang=lang) if dataset is not None
                            else [profession_summary(model, successor, lang) for successor in successors]),
        "transforms_from": [profession_summary(model, t.origin, lang)
                            for t in model.transformations if t.successor == profession_id],
    }


def _moves(model: Model, rules: Rules, pairs: list[tuple[str, str, float]]) -> list[dict]:
    """Return :func:`profgraph.rules.move_facts` of each (origin, destination, coverage)."""
    if not pairs:
        return []
    facts = facts_of(model)
    judged = judge(facts, rules, [facts.row[a] for a, _, _ in pairs], [facts.row[b] for _, b, _ in pairs],
                   [c for *_, c in pairs])
    return [move_facts(judged, i) for i in range(len(pairs))]


def _path_dict(model: Model, rank: int, path: ReskillingPath, lang: str, rules: Rules) -> dict:
    origin = path.steps[0].origin
    steps = _moves(model, rules, [(step.origin, step.destination, step.coverage) for step in path.steps])
    stones = _moves(model, rules, [(origin, step.destination, 1.0) for step in path.steps[:-1]])
    whole = _moves(model, rules, [(origin, path.destination, path.steps[-1].coverage)])[0]
    flags = [{**block, "rule": "stepping_stone", "profession": step.destination}
             for step, move in zip(path.steps, stones)
             for block in blocks(rules, move, as_stone=True,
                                 disappearing=model.professions[step.destination].status == "disappearing")
             if block["rule"] != "viable"]
    flags += [block for block in blocks(rules, whole) if block["rule"] in ("desirable", "safer")]
    return {
        "rank": rank,
        "steps": [
            {
                "from": profession_summary(model, step.origin, lang),
                "to": profession_summary(model, step.destination, lang),
                **move,
                "coverage": round(step.coverage, 4),
                "skills_to_learn": {skill_type: [label(model.skills[s], lang) for s in ids]
                                    for skill_type, ids in step.skills_to_learn.items()},
            }
            for step, move in zip(path.steps, steps)
        ],
        "new_skills_total": path.new_skills_total,
        "score": path.score,
        "effort": path.score,
        "pay_ratio": whole["pay"]["ratio"],
        "pay_basis": whole["pay"]["basis"],
        "risk": whole["risk"],
        "checks": {"viable": True, "desirable": whole["desirable"], "safer": whole["safer"],
                   "strictly_safer": whole["strictly_safer"]},
        "flags": flags,
    }


def _check_options(top: int, lang: str, min_coverage: float = DEFAULT_MIN_COVERAGE) -> None:
    if top < 1:
        raise UsageError("{top} must be at least 1, not {value}", "top", value=top)
    if not 0.0 < min_coverage <= 1.0:
        raise UsageError("{min_coverage} must be in (0, 1], not {value}", "min_coverage", value=min_coverage)
    if lang not in LANGUAGES:
        raise UsageError("{lang} must be one of {languages}, not {value!r}", "lang", languages=", ".join(LANGUAGES),
                         value=lang)


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
    of a ``status``, every profession that is not disappearing (``safer``: the safer rule then picks
    among them) or the one ``destination``."""
    if status == "safer":
        targets = {pid for pid, p in model.professions.items() if p.status != "disappearing"} - {origin}
        return targets, {"set": "safer", "count": len(targets)}
    if status is not None:
        targets = target_set(model, status=status) - {origin}
        return targets, {"status": status, "count": len(targets)}
    if destination is None:
        raise ValueError("neither a status nor a destination to look for")
    if destination == origin:
        raise UsageError("the origin and the target are the same profession")
    return {destination}, {"profession": profession_summary(model, destination, lang)}


def reskilling_report(dataset, origin_name: str, to: str, *, top: int = DEFAULT_TOP,
                      max_steps: int = DEFAULT_MAX_STEPS, min_coverage: float = DEFAULT_MIN_COVERAGE,
                      lang: str = "en", rules: Rules | None = None, have=(), lack=(),
                      profile: dict | None = None) -> dict:
    """Return ranked reskilling paths from the profession ``origin_name`` to ``to`` under ``rules``
    (default: :class:`~profgraph.rules.Rules` with ``min_coverage``).

    ``to`` is a status (emerging, transforming, stable, disappearing), ``safer`` or a profession name.
    With skill names in ``have`` or ``lack`` or a ``profile`` (:func:`profgraph.client.read_profile`),
    the paths start from the client's skills (:func:`profgraph.client.client_skills`).
    Raises :class:`~profgraph.errors.NotFound` / :class:`~profgraph.errors.Ambiguous` for a
    name that does not resolve, :class:`~profgraph.errors.UsageError` for out-of-range options or
    unknown skills.
    """
    from .client import client_skills

    origin = dataset.names.resolve(origin_name).id
    client = None
    if have or lack or profile is not None:
        client = client_skills(dataset, origin, have=have, lack=lack, profile=profile)
    return reskilling_report_for(dataset, origin, **target_arguments(dataset, to), top=top, max_steps=max_steps,
                                 min_coverage=min_coverage, lang=lang, rules=rules, client=client)


def reskilling_report_for(dataset, origin: str, *, status: str | None = None, destination: str | None = None,
                          top: int = DEFAULT_TOP, max_steps: int = DEFAULT_MAX_STEPS,
                          min_coverage: float = DEFAULT_MIN_COVERAGE, lang: str = "en",
                          rules: Rules | None = None, client=None) -> dict:
    """Return what :func:`reskilling_report` returns, for the profession id ``origin`` and either a
    ``status`` (or ``"safer"``) or the profession id ``destination``: ``origin``, ``target``,
    ``settings``, ``rules`` (in force), ``paths`` (each step with its coverage, preparation, pay and
    risk; each path with its checks and the flags of what the rules admitted), ``no_path`` (when
    there is none: why, and the nearest misses with what blocks them) and ``successors`` (what the
    origin transforms into, reachable or not, :func:`successor_reports`). Raises
    :class:`~profgraph.errors.UsageError` for out-of-range options, a destination equal to the origin,
    or a ``min_coverage`` that keeps too many transitions to search
    (:func:`profgraph.workload.check_path_search`).

    With ``client`` (:class:`profgraph.client.ClientSkills`), or when ``dataset`` is a
    :class:`profgraph.client.ClientDataset`, the origin's moves start from the client's skills and the
    answer has a ``client`` block (:func:`profgraph.client.client_summary`).
    """
    from .client import ClientDataset, client_summary

    if client is not None:
        dataset = ClientDataset(dataset, client)
    rules = rules or Rules(min_coverage=min_coverage)
    _check_options(top, lang, rules.min_coverage)
    if not 1 <= max_steps <= 6:
        raise UsageError("{max_steps} must be between 1 and 6, not {value}", "max_steps", value=max_steps)
    model = dataset.model
    targets, target = _targets(model, origin, lang, status, destination)
    check_path_search(dataset, rules.min_coverage)
    paths = find_paths(model, dataset.adjacency(rules.min_coverage), origin, targets, top=top, max_steps=max_steps,
                       rules=rules)
    answer = {
        "origin": profession_summary(model, origin, lang),
        "target": target,
        "settings": {"min_coverage": rules.min_coverage, "max_steps": max_steps, "top": top},
        "rules": rules.as_dict(),
        "paths": [_path_dict(model, rank, path, lang, rules) for rank, path in enumerate(paths, 1)],
        "no_path": None if paths else no_path_report(dataset, origin, targets, rules, max_steps, lang),
        "successors": successor_reports(dataset, origin, rules, max_steps=max_steps, lang=lang),
    }
    if isinstance(dataset, ClientDataset):
        answer["client"] = client_summary(dataset, [path.destination for path in paths], lang)
    return answer


def _miss_dict(model: Model, path: ReskillingPath, rules: Rules, lang: str) -> dict:
    """A path found under relaxed rules, with what the rules in force object to, step by step."""
    origin = path.steps[0].origin
    found = []
    for number, (step, move) in enumerate(zip(path.steps, _moves(
            model, rules, [(s.origin, s.destination, s.coverage) for s in path.steps])), 1):
        found += [{**block, "step": number} for block in blocks(rules, move) if block["rule"] == "viable"]
    for number, (step, move) in enumerate(zip(path.steps[:-1], _moves(
            model, rules, [(origin, s.destination, 1.0) for s in path.steps[:-1]])), 1):
        stone = blocks(rules, move, as_stone=True,
                       disappearing=model.professions[step.destination].status == "disappearing")
        found += [{**block, "rule": "stepping_stone", "step": number} for block in stone if block["rule"] != "viable"]
    whole = _moves(model, rules, [(origin, path.destination, path.steps[-1].coverage)])[0]
    found += [block for block in blocks(rules, whole) if block["rule"] in ("desirable", "safer")]
    route = [origin] + [s.destination for s in path.steps]
    return {"route": [{"id": pid, "label": label(model.professions[pid], lang), "status": model.professions[pid].status}
                      for pid in route], "score": path.score, "blocked_by": found}


def no_path_report(dataset, origin: str, targets: set[str], rules: Rules, max_steps: int, lang: str) -> dict:
    """Return why no path from ``origin`` to ``targets`` meets ``rules``: ``reason`` (one sentence) and
    ``nearest_misses``, the cheapest paths found when every rule is relaxed (coverage down to the stored
    floor), fewest objections first, each with what blocks it (``blocked_by``: rule, text, step)."""
    model = dataset.model
    measures = model.professions[origin].measures
    unknown = [name for measure, name in (("automation", "automation risk"), ("genai", "generative-AI exposure"))
               if measure in rules.measures and (measures.automation_risk if measure == "automation"
                                                  else measures.genai_score) is None]
    # Two searches: viability kept and everything else admitted, then everything relaxed (coverage down to
    # the stored floor); per destination, the route with the fewest objections.
    relaxed = rules.relaxed(min(float(dataset.transitions["floor"]), rules.min_coverage))
    viable_only = replace(relaxed, min_coverage=rules.min_coverage, max_prep_step=rules.max_prep_step)
    found = []
    for search in (viable_only, relaxed):
        found += find_paths(model, dataset.adjacency(search.min_coverage), origin, targets, top=20,
                            max_steps=max_steps, rules=search)
    nearest: dict[str, dict] = {}
    for path in found:
        miss = _miss_dict(model, path, rules, lang)
        known = nearest.get(path.destination)
        if known is None or (len(miss["blocked_by"]), miss["score"]) < (len(known["blocked_by"]), known["score"]):
            nearest[path.destination] = miss
    misses = sorted(nearest.values(), key=lambda miss: (len(miss["blocked_by"]), miss["score"]))[:NEAREST_MISSES]
    if unknown:
        reason = (f"the origin's {' and '.join(unknown)} is unknown, so no destination is known to be safer "
                  f"(rule: {'; '.join(part for part in rules.describe().split('; ') if part.startswith('safer'))})")
    elif not found:
        reason = (f"no profession of the target is within {max_steps} steps even at coverage "
                  f">= {relaxed.min_coverage:.0%}")
    else:
        rules_hit = sorted({block["rule"] for miss in misses for block in miss["blocked_by"]})
        reason = f"every candidate breaks a rule ({', '.join(rules_hit)})"
    return {"reason": reason, "nearest_misses": misses}


def successor_reports(dataset, origin: str, rules: Rules, *, max_steps: int = DEFAULT_MAX_STEPS,
                      lang: str = "en") -> list[dict]:
    """Return, for each profession ``origin`` transforms into: its summary (``profession``), whether a
    path of at most ``max_steps`` viable steps through acceptable stepping stones reaches it
    (``reachable``, with its ``steps``), the direct move's facts (``move``), what the rules in force
    object to in that move or, if unreachable, in the best path (``blocked_by``) and the skills the
    origin lacks (``missing_skills``, by type)."""
    model = dataset.model
    successors = sorted(set(model.successors(origin)))  # in id order, whatever order the store keeps
    if not successors:
        return []
    from .similarity import pair_coverage

    reach = replace(rules, allow_riskier=True, allow_lower_pay=True)
    reached = {path.destination: path for path in find_paths(
        model, dataset.adjacency(rules.min_coverage), origin, set(successors), top=len(successors),
        max_steps=max_steps, rules=reach)}
    moves = _moves(model, rules, [(origin, pid, pair_coverage(model, dataset.specificity, origin, pid))
                                  for pid in successors])
    held = set(model.professions[origin].skills)
    answers = []
    for pid, move in zip(successors, moves):
        path = reached.get(pid)
        objections = [block for block in blocks(rules, move) if path is None or block["rule"] != "viable"]
        answers.append({
            "profession": profession_summary(model, pid, lang),
            "reachable": path is not None,
            "steps": None if path is None else len(path.steps),
            "move": move,
            "blocked_by": objections,
            "missing_skills": skills_by_type(model, [s for s in model.professions[pid].skills if s not in held], lang),
        })
    return answers


def search_report(dataset, text: str, kind: str | None = None, limit: int = DEFAULT_SEARCH_LIMIT,
                  lang: str = "en") -> list[dict]:
    """Return search hits for ``text`` as dicts: id, kind, the label in ``lang``, the matched text, score."""
    model = dataset.model
    hits = []
    for match in dataset.names.search(text, kind=kind, limit=limit):
        entity = model.professions[match.id] if match.kind == "profession" else model.skills[match.id]
        hits.append({"id": match.id, "kind": match.kind, "label": label(entity, lang),
                     "matched": match.label, "matched_lang": match.lang, "score": match.score})
    return hits


def similar_report(dataset, name: str, top: int = DEFAULT_SIMILAR_TOP, lang: str = "en",
                   rules: Rules | None = None) -> dict:
    """Return the ``top`` professions most similar to the profession ``name``
    (:mod:`profgraph.similarity`), best first, each with its coverage from the origin
    (``coverage``), to the origin (``coverage_back``), the number of skills both require, and the
    move there judged by ``rules`` (default :class:`~profgraph.rules.Rules`): ``move``
    (:func:`profgraph.rules.move_facts`) and what the rules object to (``blocked_by``).
    Similarity ranks; the rules do not filter this list.

    Raises :class:`~profgraph.errors.NotFound` / :class:`~profgraph.errors.Ambiguous` for a
    name that does not resolve, :class:`~profgraph.errors.UsageError` for ``top`` < 1.
    """
    from .similarity import coverage_from, coverage_to, most_similar

    rules = rules or Rules()
    _check_options(top, lang)
    model = dataset.model
    matrices = dataset.skill_matrices
    origin = dataset.names.resolve(name).id
    row = matrices.rows[origin]
    found = most_similar(dataset.similarity_vectors, row, top)
    rows = np.array([other for other, _ in found], dtype=np.int64)
    forward, backward = coverage_from(matrices, row), coverage_to(matrices, row)
    shared = np.asarray((matrices.has[rows] @ matrices.has[row].T).todense()).ravel()
    moves = _moves(model, rules, [(origin, matrices.profession_ids[other], float(forward[other])) for other, _ in found])
    return {
        "origin": {**profession_summary(model, origin, lang), "isco08": model.professions[origin].isco08},
        "rules": rules.as_dict(),
        "similar": [
            {**profession_summary(model, matrices.profession_ids[other], lang),
             "isco08": model.professions[matrices.profession_ids[other]].isco08,
             "similarity": round(similarity, 4),
             "coverage": round(float(forward[other]), 4),
             "coverage_back": round(float(backward[other]), 4),
             "shared_skills": int(count),
             "move": move,
             "blocked_by": blocks(rules, move)}
            for (other, similarity), count, move in zip(found, shared, moves)
        ],
    }


def eligible_destinations(model: Model, origin: str, targets: set[str], rules: Rules) -> set[str]:
    """Return the ``targets`` a worker in ``origin`` may be sent to under ``rules`` once the skills are
    there: a preparation step the rules accept, desirable and safer (unless the rules admit others)."""
    facts = facts_of(model)
    ids = [pid for pid in targets if pid in facts.row and pid != origin]
    if not ids:
        return set()
    judged = judge(facts, rules, np.full(len(ids), facts.row[origin]), [facts.row[pid] for pid in ids],
                   np.ones(len(ids)))
    keep = judged.prep_ok & (judged.desirable | rules.allow_lower_pay) & (judged.safer | rules.allow_riskier)
    return {pid for pid, kept in zip(ids, keep.tolist()) if kept}


def upskill_report(dataset, origin_name: str, to: str = DEFAULT_UPSKILL_TARGET, *, top: int = DEFAULT_TOP,
                   max_skills: int = DEFAULT_MAX_SKILLS,
                   min_coverage: float = DEFAULT_MIN_COVERAGE, lang: str = "en", rules: Rules | None = None,
                   progress=None) -> dict:
    """Return the skill sets that unlock the most new viable transitions from ``origin_name`` to ``to``
    (:func:`profgraph.upskill.upskill`, which reports long work to ``progress``, a
    :class:`profgraph.workload.Progress`); ``to`` as for :func:`reskilling_report`. Only destinations
    that ``rules`` (default: :class:`~profgraph.rules.Rules` with ``min_coverage``) accept apart from
    coverage count (:func:`eligible_destinations`).

    Raises :class:`~profgraph.errors.NotFound` / :class:`~profgraph.errors.Ambiguous` for a
    name that does not resolve, :class:`~profgraph.errors.UsageError` for out-of-range options or
    settings whose work is estimated too large.
    """
    from .similarity import coverage_from
    from .upskill import upskill

    rules = rules or Rules(min_coverage=min_coverage)
    _check_options(top, lang, rules.min_coverage)
    model = dataset.model
    matrices = dataset.skill_matrices
    origin = dataset.names.resolve(origin_name).id
    targets, target = _targets(model, origin, lang, **target_arguments(dataset, to))
    eligible = eligible_destinations(model, origin, targets, rules)
    coverage = coverage_from(matrices, matrices.rows[origin])
    viable = sum(1 for pid in eligible if coverage[matrices.rows[pid]] >= rules.min_coverage)
    options = upskill(matrices, origin, eligible, min_coverage=rules.min_coverage, max_skills=max_skills, top=top,
                      progress=progress)
    return {
        "origin": profession_summary(model, origin, lang),
        "target": {**target, "eligible": len(eligible), "viable_now": viable},
        "settings": {"min_coverage": rules.min_coverage, "max_skills": max_skills, "top": top},
        "rules": rules.as_dict(),
        "options": [
            {"rank": rank,
             "skills": [{"id": sid, "label": label(model.skills[sid], lang), "type": model.skills[sid].type}
                        for sid in option.skills],
             "unlocks": [{**profession_summary(model, pid, lang), "coverage": round(value, 4)}
                         for pid, value in option.unlocks]}
            for rank, option in enumerate(options, 1)
        ],
    }
