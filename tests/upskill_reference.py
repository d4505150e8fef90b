"""A straightforward upskilling reference, for the tests and benchmarks/bench_esco.py.

For every candidate set of skills it recomputes the coverage of every transition from the
origin with plain Python sets and sums, exactly as the README defines coverage, and keeps
the sets whose every skill counts. Slow on purpose: it checks profgraph.upskill.
"""

from __future__ import annotations

import math
from collections import Counter
from itertools import combinations

WEIGHT = {"essential": 1.0, "optional": 0.5}


def requirement_weights(model) -> dict[str, dict[str, float]]:
    """Return profession id -> {skill id: weight} as coverage counts it: the relation weight (essential 1,
    optional 0.5) times the skill's specificity ln(1 + P / df), df professions requiring it; traits are
    not counted."""
    counted = {sid for sid, skill in model.skills.items() if skill.type != "trait"}
    required_by = Counter(skill for p in model.professions.values() for skill in p.skills if skill in counted)
    count = len(model.professions)

    def weight(skill, relation):
        return WEIGHT[relation] * math.log1p(count / required_by[skill])

    return {pid: {**{s: weight(s, "optional") for s in p.optional if s in counted},
                  **{s: weight(s, "essential") for s in p.essential if s in counted}}
            for pid, p in model.professions.items()}


def coverage(held: set[str], needed: dict[str, float]) -> float:
    """The weighted share of ``needed`` that ``held`` covers, rounded to 12 decimals as the README says."""
    return round(sum(w for skill, w in needed.items() if skill in held) / sum(needed.values()), 12)


def reference_upskill(model, origin: str, targets: set[str], min_coverage: float, max_skills: int,
                      top: int) -> list[tuple[tuple[str, ...], tuple[tuple[str, float], ...]]]:
    """Return the answer of profgraph.upskill.upskill as (skills, unlocks) tuples, recomputed the slow way."""
    required = requirement_weights(model)
    held = set(model.professions[origin].skills)
    destinations = sorted(t for t in targets if t != origin and required[t])
    blocked = [b for b in destinations if not coverage(held, required[b]) >= min_coverage]
    candidates = sorted({skill for b in blocked for skill in required[b]} - held)
    unlocked: dict[tuple[str, ...], tuple[tuple[str, float], ...]] = {}
    ranked = []
    for size in range(1, max_skills + 1):
        for skills in combinations(candidates, size):
            learned = held | set(skills)
            opened = []
            for b in blocked:
                value = coverage(learned, required[b])
                if value >= min_coverage:
                    opened.append((b, value))
            unlocked[skills] = tuple(sorted(opened, key=lambda item: (-item[1], item[0])))
            count = len(opened)
            if count and all(len(unlocked[tuple(s for s in skills if s != left_out)]) < count
                             for left_out in skills if size > 1):
                ranked.append((-count, size, -round(sum(value for _, value in opened), 9), skills))
    ranked.sort()
    return [(skills, unlocked[skills]) for *_, skills in ranked[:top]]
