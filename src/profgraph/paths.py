"""The profession transition graph and reskilling paths over it.

A transition A -> B is *viable* when coverage(A -> B) reaches ``min_coverage``. A reskilling
path is a chain of at most ``max_steps`` viable transitions from the origin to a profession
of the target set. Its cost (``score``, lower is better) is

    score = sum over steps of gap(step) + step_penalty * steps + exposure_weight * exposure(end)

where gap(A -> B) is the weighted count of B's skills that A lacks (essential 1, optional
0.5). For each target the cheapest path is found exactly by a hop-bounded shortest-path
search; paths to distinct targets are returned best first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .model import Model
from .vocab import LEARNABLE_SKILL_TYPES, TRAIT

if TYPE_CHECKING:
    import networkx as nx

DEFAULT_MIN_COVERAGE = 0.4
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
    table = coverage_edges(matrices, floor)
    table["ids"] = np.array(matrices.profession_ids)
    table["floor"] = np.float64(floor)
    return table


def graph_from_table(table, min_coverage: float) -> "nx.DiGraph":
    """Return the transition graph holding the edges of ``table`` (:func:`transition_table`) with
    coverage >= ``min_coverage``. Raises ValueError if ``min_coverage`` is below the table's floor."""
    import networkx as nx
    import numpy as np

    if min_coverage < float(table["floor"]):
        raise ValueError(f"the transition table keeps coverage >= {float(table['floor'])}, above {min_coverage}")
    ids = table["ids"].tolist()
    indptr, coverage = table["indptr"], table["coverage"]
    keep = coverage >= min_coverage
    sources = np.repeat(np.arange(len(ids)), np.diff(indptr))[keep]
    graph = nx.DiGraph()
    graph.add_nodes_from(ids)
    graph.add_edges_from(
        (ids[a], ids[b], {"coverage": c, "gap": g})
        for a, b, c, g in zip(sources.tolist(), table["indices"][keep].tolist(), coverage[keep].tolist(),
                              table["gap"][keep].tolist())
    )
    graph.graph["floor"] = min_coverage
    return graph


def transition_graph(model: Model, floor: float = GRAPH_FLOOR) -> "nx.DiGraph":
    """Return the directed graph of professions with an edge A -> B where coverage >= ``floor``.

    Each edge carries ``coverage`` (in [0, 1]) and ``gap`` (weighted skills of B that A lacks).
    Every profession is a node, linked or not.
    """
    return graph_from_table(transition_table(model, floor), floor)


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


def _hop_bounded_costs(graph: "nx.DiGraph", origin: str, max_steps: int, min_coverage: float,
                       step_penalty: float) -> dict[str, tuple[float, list[str]]]:
    """Return, for every profession reachable in <= max_steps viable moves, its cheapest route and its cost."""
    best = {origin: (0.0, [origin])}
    frontier = {origin}
    for _ in range(max_steps):
        improved = {}
        for node in frontier:
            cost, route = best[node]
            for successor, edge in graph.succ[node].items():
                if edge["coverage"] < min_coverage or successor in route:
                    continue
                candidate = cost + edge["gap"] + step_penalty
                known = improved.get(successor) or best.get(successor)
                if known is None or candidate < known[0]:
                    improved[successor] = (candidate, route + [successor])
        best.update(improved)
        frontier = set(improved)
        if not frontier:
            break
    return {node: found for node, found in best.items() if node != origin}


def find_paths(model: Model, graph: "nx.DiGraph", origin: str, targets: set[str], *,
               top: int = DEFAULT_TOP, max_steps: int = DEFAULT_MAX_STEPS,
               min_coverage: float = DEFAULT_MIN_COVERAGE, step_penalty: float = DEFAULT_STEP_PENALTY,
               exposure_weight: float = DEFAULT_EXPOSURE_WEIGHT) -> list[ReskillingPath]:
    """Return up to ``top`` cheapest reskilling paths from ``origin`` to distinct professions in ``targets``.

    ``graph`` is a :func:`transition_graph` whose floor is at most ``min_coverage``.
    Raises ValueError when the graph was built with a higher floor than ``min_coverage``.

    >>> # find_paths(model, transition_graph(model), "cashier", {"e-commerce-manager"})
    """
    if graph.graph.get("floor", 0.0) > min_coverage:
        raise ValueError(f"the transition graph keeps coverage >= {graph.graph['floor']}, above {min_coverage}")
    ranked = []
    for node, (cost, route) in _hop_bounded_costs(graph, origin, max_steps, min_coverage, step_penalty).items():
        if node in targets:
            exposure = model.professions[node].exposure
            score = round(cost + exposure_weight * (UNKNOWN_EXPOSURE if exposure is None else exposure), 4)
            ranked.append((score, len(route), node, route))
    ranked.sort(key=lambda item: item[:3])
    return [_build_path(model, graph, route, score) for score, _, _, route in ranked[:top]]


def _build_path(model: Model, graph: "nx.DiGraph", route: list[str], score: float) -> ReskillingPath:
    held = set(model.professions[route[0]].skills)
    steps, learned = [], []
    for origin, destination in zip(route, route[1:]):
        edge = graph.edges[origin, destination]
        grouped = {skill_type: [] for skill_type in LEARNABLE_SKILL_TYPES}
        for skill_id in model.professions[destination].skills:
            if skill_id not in held and model.skills[skill_id].type != TRAIT:  # a trait is never learned
                grouped[model.skills[skill_id].type].append(skill_id)
                held.add(skill_id)
                learned.append(skill_id)
        steps.append(Step(origin, destination, edge["coverage"], grouped))
    return ReskillingPath(steps, score, len(learned))


def target_set(model: Model, target: str | None = None, status: str | None = None) -> set[str]:
    """Return the ids of the professions with ``status``, or the single profession ``target``."""
    if status is not None:
        return {pid for pid, profession in model.professions.items() if profession.status == status}
    return {target}


def top_quartile_floor(model: Model) -> float | None:
    """Return the third quartile of the professions' automation exposures (None when none has one).

    A profession is in the highest-exposure quartile when its exposure is above this value.
    """
    import statistics

    exposures = [p.exposure for p in model.professions.values() if p.exposure is not None]
    if len(exposures) < 2:
        return exposures[0] if exposures else None
    return statistics.quantiles(exposures, n=4, method="inclusive")[2]


def safer_set(model: Model, origin: str) -> set[str]:
    """Return the professions *safer* than ``origin``: an automation exposure below the origin's
    and not in the dataset's highest-exposure quartile (:func:`top_quartile_floor`).

    Professions without an exposure estimate are never safer. Raises
    :class:`~profgraph.errors.UsageError` when the origin has no estimate.
    """
    from .errors import UsageError

    ceiling = model.professions[origin].exposure
    if ceiling is None:
        raise UsageError(f"{origin} has no automation exposure estimate, so no profession is known to be safer")
    quartile = top_quartile_floor(model)
    return {pid for pid, profession in model.professions.items()
            if profession.exposure is not None and profession.exposure < ceiling and profession.exposure <= quartile}
