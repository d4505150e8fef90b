"""Reskilling paths by brute force with networkx, what tests check the search of
:mod:`profgraph.reskilling` against: every simple route of at most ``max_steps`` viable moves through
acceptable stepping stones is enumerated (``networkx.all_simple_paths``) and, per destination, the
cheapest kept; among equally cheap routes the one with the fewest moves, then the first in id order.
The moves come straight from a transition table (:func:`profgraph.reskilling.transition_table`);
the rules are profgraph's own (:func:`profgraph.rules.judge`), which tests/rules_reference.py checks.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from profgraph.rules import ANY_PREP_STEP, Rules, facts_of, judge, risk_index


def moves_graph(table, min_coverage: float) -> nx.DiGraph:
    """Return the moves of the transition ``table`` with coverage >= ``min_coverage`` as a networkx
    graph whose edges carry ``coverage`` and ``gap``."""
    ids = table["ids"].tolist()
    indptr, indices = table["indptr"].tolist(), table["indices"].tolist()
    coverage, gap = table["coverage"].tolist(), table["gap"].tolist()
    graph = nx.DiGraph()
    graph.add_nodes_from(ids)
    for row, origin in enumerate(ids):
        for at in range(indptr[row], indptr[row + 1]):
            if coverage[at] >= min_coverage:
                graph.add_edge(origin, ids[indices[at]], coverage=coverage[at], gap=gap[at])
    return graph


class ReferenceSearch:
    """The viable moves of ``table`` for ``model`` at ``min_coverage`` (preparation checked unless
    ``max_prep_step`` is None), searched by brute force."""

    def __init__(self, model, table, min_coverage: float, max_prep_step: int | None):
        self.model, self.facts = model, facts_of(model)
        self.graph = moves_graph(table, min_coverage)
        edges = list(self.graph.edges(data="coverage"))
        if max_prep_step is not None and max_prep_step < ANY_PREP_STEP and edges:
            row = self.facts.row
            judged = judge(self.facts, Rules(min_coverage=min_coverage, max_prep_step=max_prep_step),
                           [row[a] for a, _, _ in edges], [row[b] for _, b, _ in edges], [c for *_, c in edges])
            self.graph.remove_edges_from([(a, b) for (a, b, _), ok in zip(edges, judged.viable.tolist()) if not ok])

    def paths(self, origin: str, targets: set[str], *, top: int = 5, max_steps: int = 3, rules: Rules | None = None,
              step_penalty: float = 1.0, exposure_weight: float = 5.0) -> list[tuple[float, list[str], list[float]]]:
        """Return the ``top`` best paths from ``origin`` to distinct professions of ``targets`` as
        (score, route, coverage of each move), best first, as :func:`profgraph.reskilling.find_paths`
        defines them (``rules`` as there; None for none)."""
        facts, graph = self.facts, self.graph
        if rules is not None and not rules.allow_stepping_stones:
            # a route goes on only from the origin and from the stepping stones the rules accept
            count = len(facts.ids)
            judged = judge(facts, rules, [facts.row[origin]] * count, list(range(count)), [1.0] * count)
            stone = ~facts.disappearing & judged.not_riskier & (judged.desirable | rules.allow_lower_pay)
            graph = nx.subgraph_view(graph, filter_edge=lambda a, b: a == origin or stone[facts.row[a]])
        best: dict[str, tuple[float, int, list[str]]] = {}
        for route in nx.all_simple_paths(graph, origin, targets - {origin}, cutoff=max_steps):
            cost = 0.0
            for a, b in zip(route, route[1:]):
                cost = cost + graph.edges[a, b]["gap"] + step_penalty
            key = (cost, len(route), route)
            if route[-1] not in best or key < best[route[-1]]:
                best[route[-1]] = key
        ranked = []
        for end, (cost, _, route) in best.items():
            row = facts.row[end]
            if rules is not None:
                judged = judge(facts, rules, [facts.row[origin]], [row], [1.0])
                if not ((judged.safer[0] or rules.allow_riskier) and (judged.desirable[0] or rules.allow_lower_pay)):
                    continue
                risk = float(risk_index(facts, rules, np.array([row]))[0])
            else:
                percentile = facts.percentile["automation"][row]
                risk = 0.5 if np.isnan(percentile) else float(percentile)
            ranked.append((round(cost + exposure_weight * risk, 4), len(route), end, route))
        ranked.sort(key=lambda item: item[:3])
        return [(score, route, [graph.edges[a, b]["coverage"] for a, b in zip(route, route[1:])])
                for score, _, _, route in ranked[:top]]
