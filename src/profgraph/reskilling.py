"""The profession transition graph and reskilling paths over it.

A reskilling path is a chain of at most ``max_steps`` viable transitions from the origin to a
profession of the target set, under the transition rules of :mod:`profgraph.rules`: every step
viable (coverage and preparation), every intermediate profession an acceptable stepping stone,
and the destination desirable and safer (unless the rules admit others, flagged). Its cost
(``score``, lower is better) is

    score = sum over steps of gap(step) + step_penalty * steps + exposure_weight * risk(end)

where gap(A -> B) is the weighted count of B's skills that A lacks (essential 1, optional
0.5) and risk(end) the destination's percentile on the risk measures in force
(:func:`profgraph.rules.risk_index`; 0.5 when unknown). For each target the cheapest path is
found exactly by a hop-bounded shortest-path search (among equally cheap paths, the one with the
fewest steps, then the first in id order); paths to distinct targets are returned best first.
Without rules, only the coverage threshold applies. The search runs on plain adjacency lists
(:class:`Adjacency`), so a path query never imports networkx.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .model import Model
from .rules import ANY_PREP_STEP, DEFAULT_MIN_COVERAGE, Rules
from .vocab import LEARNABLE_SKILL_TYPES, TRAIT

if TYPE_CHECKING:
    import networkx as nx

DEFAULT_MAX_STEPS = 3
DEFAULT_TOP = 5
DEFAULT_STEP_PENALTY = 1.0
DEFAULT_EXPOSURE_WEIGHT = 5.0
UNKNOWN_EXPOSURE = 0.5  # charged for a destination that has no exposure estimate
GRAPH_FLOOR = 0.2  # the cached transition graph keeps edges with at least this coverage


def transition_table(model: Model, floor: float = GRAPH_FLOOR) -> dict:
    """Return every transition A -> B with coverage >= ``floor`` as numpy arrays.

    The dict holds ``ids`` (profession ids, row order), ``floor``, and the CSR arrays of
    :func:`profgraph.similarity.coverage_edges` (``indptr``, ``indices``, ``coverage``, ``gap``).
    A store keeps it as ``transitions.npz``, which loads without scipy.
    """
    import numpy as np

    from .similarity import coverage_edges, skill_matrices

    matrices = skill_matrices(model)
    table: dict = coverage_edges(matrices, floor)  # with the ids and the floor beside the arrays
    table["ids"] = np.array(matrices.profession_ids)
    table["floor"] = np.float64(floor)
    return table


class Adjacency:
    """The transitions with coverage >= ``floor`` as adjacency lists, in plain Python: what a path
    search needs, without networkx. ``ids`` lists every profession (the table's row order);
    ``moves[a]`` maps each profession ``a`` moves to to the move's ``(coverage, gap)``, in the
    table's order. Treat it as read-only: views share it (:meth:`with_moves` copies)."""

    def __init__(self, ids: list[str], moves: dict[str, dict[str, tuple[float, float]]], floor: float):
        self.ids, self.moves, self.floor = ids, moves, floor
        self.viable: dict[tuple, dict] = {}  # (min_coverage, max_prep_step) -> viable_adjacency's answer

    @classmethod
    def from_table(cls, table, min_coverage: float) -> "Adjacency":
        """Return the moves of ``table`` (:func:`transition_table`) with coverage >= ``min_coverage``.
        Raises ValueError if ``min_coverage`` is below the table's floor."""
        import numpy as np

        if min_coverage < float(table["floor"]):
            raise ValueError(f"the transition table keeps coverage >= {float(table['floor'])}, above {min_coverage}")
        ids = table["ids"].tolist()
        indptr, coverage = table["indptr"], table["coverage"]
        keep = coverage >= min_coverage
        rows = np.repeat(np.arange(len(ids)), np.diff(indptr))[keep]
        ends = np.cumsum(np.bincount(rows, minlength=len(ids))).tolist()
        successors = [ids[b] for b in table["indices"][keep].tolist()]
        kept = list(zip(coverage[keep].tolist(), table["gap"][keep].tolist()))
        moves, start = {}, 0
        for pid, end in zip(ids, ends):
            moves[pid] = dict(zip(successors[start:end], kept[start:end]))
            start = end
        return cls(ids, moves, min_coverage)

    def with_moves(self, origin: str, moves: dict[str, tuple[float, float]]) -> "Adjacency":
        """Return a copy in which ``origin`` moves exactly to ``moves`` (profession -> (coverage, gap))."""
        return Adjacency(self.ids, {**self.moves, origin: dict(moves)}, self.floor)


def graph_of(adjacency: Adjacency) -> "nx.DiGraph":
    """Return ``adjacency`` as a networkx graph: every profession a node, every move an edge carrying
    ``coverage`` and ``gap``; ``graph.graph["floor"]`` is the adjacency's floor."""
    import networkx as nx

    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(adjacency.ids)
    graph.add_edges_from((a, b, {"coverage": coverage, "gap": gap})
                         for a, moves in adjacency.moves.items() for b, (coverage, gap) in moves.items())
    graph.graph["floor"] = adjacency.floor
    return graph


def adjacency_of(model: Model, floor: float = GRAPH_FLOOR) -> Adjacency:
    """Return the :class:`Adjacency` of ``model``'s transitions with coverage >= ``floor``."""
    return Adjacency.from_table(transition_table(model, floor), floor)


@dataclass
class Step:
    """One move of a path. ``skills_to_learn`` maps each learnable skill type to skill ids, essential first
    (traits are never listed)."""

    origin: str
    destination: str
    coverage: float
    skills_to_learn: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class ReskillingPath:
    """A ranked path: its steps, its cost ``score`` (lower is better) and the distinct skills it teaches."""

    steps: list[Step]
    score: float
    new_skills_total: int

    @property
    def destination(self) -> str:
        return self.steps[-1].destination


def _hop_bounded_costs(adjacency: dict, origin: str, max_steps: int, step_penalty: float,
                       expandable=None) -> dict[str, tuple[float, list[str]]]:
    """Return, for every profession reachable in <= max_steps moves of ``adjacency`` (node -> list of
    (successor, gap)), its cheapest route and its cost; among equally cheap routes, the one with the
    fewest moves, then the first in id order (so the answer does not depend on iteration order). A
    route goes on from an intermediate node only when ``expandable`` (a set) holds it, or when
    ``expandable`` is None."""
    best = {origin: (0.0, [origin])}
    frontier = [origin]
    for _ in range(max_steps):
        # Round k extends the routes of k - 1 moves found last round: every route it finds has k moves.
        improved: dict[str, tuple[float, list[str]]] = {}
        for node in frontier:
            if node != origin and expandable is not None and node not in expandable:
                continue
            cost, route = best[node]
            for successor, gap in adjacency.get(node, ()):
                if successor in route:
                    continue
                candidate = cost + gap + step_penalty
                known = improved.get(successor)
                if known is None:
                    earlier = best.get(successor)
                    if earlier is not None and candidate >= earlier[0]:
                        continue
                elif candidate > known[0] or (candidate == known[0] and route >= known[1][:-1]):
                    continue
                improved[successor] = (candidate, route + [successor])
        best.update(improved)
        frontier = list(improved)
        if not frontier:
            break
    return {node: found for node, found in best.items() if node != origin}


def viable_adjacency(model: Model, adjacency: Adjacency, min_coverage: float, max_prep_step: int | None) -> dict:
    """Return node -> [(successor, gap)] for the moves of ``adjacency`` with coverage >= ``min_coverage``
    and, unless ``max_prep_step`` is None, a preparation step the rules accept (kept in ``adjacency``)."""
    import numpy as np

    from .rules import facts_of, judge

    key = (min_coverage, max_prep_step)
    if key in adjacency.viable:
        return adjacency.viable[key]
    edges = [(a, b, coverage, gap) for a, moves in adjacency.moves.items() for b, (coverage, gap) in moves.items()
             if coverage >= min_coverage]
    if max_prep_step is not None and edges:
        facts = facts_of(model)
        rows_a = np.array([facts.row[a] for a, *_ in edges])
        rows_b = np.array([facts.row[b] for _, b, *_ in edges])
        judged = judge(facts, Rules(min_coverage=min_coverage, max_prep_step=max_prep_step), rows_a, rows_b,
                       np.array([c for *_, c, _ in edges]))
        edges = [edge for edge, ok in zip(edges, judged.viable.tolist()) if ok]
    viable: dict[str, list] = {}
    for a, b, _, gap in edges:
        viable.setdefault(a, []).append((b, gap))
    if len(adjacency.viable) > 16:
        adjacency.viable.clear()
    adjacency.viable[key] = viable
    return viable


def stepping_stones(model: Model, origin: str, rules: Rules) -> set[str] | None:
    """Return the professions a path from ``origin`` may go on from under ``rules`` (not disappearing,
    not riskier than the origin, pay kept unless lower pay is allowed), or None when any may."""
    import numpy as np

    from .rules import facts_of, judge

    if rules.allow_stepping_stones:
        return None
    facts = facts_of(model)
    count = len(facts.ids)
    judged = judge(facts, rules, np.full(count, facts.row[origin]), np.arange(count), np.ones(count))
    ok = ~facts.disappearing & judged.not_riskier & (judged.desirable | rules.allow_lower_pay)
    return {facts.ids[i] for i in np.nonzero(ok)[0].tolist()}


def find_paths(model: Model, adjacency: Adjacency, origin: str, targets: set[str], *,
               top: int = DEFAULT_TOP, max_steps: int = DEFAULT_MAX_STEPS,
               min_coverage: float = DEFAULT_MIN_COVERAGE, step_penalty: float = DEFAULT_STEP_PENALTY,
               exposure_weight: float = DEFAULT_EXPOSURE_WEIGHT, rules: Rules | None = None) -> list[ReskillingPath]:
    """Return up to ``top`` cheapest reskilling paths from ``origin`` to distinct professions in ``targets``.

    With ``rules`` (:class:`profgraph.rules.Rules`, whose ``min_coverage`` then applies), every step is
    viable, every intermediate profession a stepping stone the rules accept, and the destination
    safer and desirable unless the rules allow otherwise; the risk charged is that of the measures in
    force. Without, only ``min_coverage`` applies and the risk is the automation exposure.
    ``adjacency`` is an :class:`Adjacency` whose floor is at most the coverage asked
    (:meth:`profgraph.store.Dataset.adjacency`). Raises ValueError when its floor is higher.

    >>> import profgraph
    >>> dataset = profgraph.load()
    >>> emerging = target_set(dataset.model, status="emerging")
    >>> paths = find_paths(dataset.model, dataset.adjacency(0.4), "medical-statistics-clerk", emerging, top=2, rules=Rules())
    >>> [[step.destination for step in path.steps] for path in paths]
    [['health-data-analyst'], ['health-data-analyst', 'data-analyst']]
    >>> round(paths[0].score, 2)
    16.49
    """
    import numpy as np

    from .rules import facts_of, judge, risk_index

    if rules is not None:
        min_coverage = rules.min_coverage
    if adjacency.floor > min_coverage + 1e-12:
        raise ValueError(f"the transitions searched keep coverage >= {adjacency.floor}, above {min_coverage}")
    checked = rules.max_prep_step if rules is not None and rules.max_prep_step < ANY_PREP_STEP else None
    viable = viable_adjacency(model, adjacency, min_coverage, checked)
    stones = None if rules is None else stepping_stones(model, origin, rules)
    found = {node: best for node, best in _hop_bounded_costs(viable, origin, max_steps, step_penalty, stones).items()
             if node in targets}
    if not found:
        return []
    facts = facts_of(model)
    nodes = list(found)
    rows = np.array([facts.row[node] for node in nodes])
    keep = np.ones(len(nodes), dtype=bool)
    if rules is not None:
        judged = judge(facts, rules, np.full(len(nodes), facts.row[origin]), rows, np.ones(len(nodes)))
        keep = (judged.safer | rules.allow_riskier) & (judged.desirable | rules.allow_lower_pay)
        risk = risk_index(facts, rules, rows)
    else:
        risk = np.where(np.isnan(facts.percentile["automation"][rows]), UNKNOWN_EXPOSURE,
                        facts.percentile["automation"][rows])
    ranked = []
    for node, kept, charged in zip(nodes, keep.tolist(), risk.tolist()):
        if kept:
            cost, route = found[node]
            ranked.append((round(cost + exposure_weight * charged, 4), len(route), node, route))
    ranked.sort(key=lambda item: item[:3])
    return [_build_path(model, adjacency, route, score) for score, _, _, route in ranked[:top]]


def _build_path(model: Model, adjacency: Adjacency, route: list[str], score: float) -> ReskillingPath:
    held = set(model.professions[route[0]].skills)
    steps, learned = [], []
    for origin, destination in zip(route, route[1:]):
        coverage = adjacency.moves[origin][destination][0]
        grouped: dict[str, list[str]] = {skill_type: [] for skill_type in LEARNABLE_SKILL_TYPES}
        for skill_id in model.professions[destination].skills:
            if skill_id not in held and model.skills[skill_id].type != TRAIT:  # a trait is never learned
                grouped[model.skills[skill_id].type].append(skill_id)
                held.add(skill_id)
                learned.append(skill_id)
        steps.append(Step(origin, destination, coverage, grouped))
    return ReskillingPath(steps, score, len(learned))


def target_set(model: Model, target: str | None = None, status: str | None = None) -> set[str]:
    """Return the ids of the professions with ``status``, or the single profession ``target``."""
    if status is not None:
        return {pid for pid, profession in model.professions.items() if profession.status == status}
    return {target} if target is not None else set()
