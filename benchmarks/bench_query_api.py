"""Time a warm ``profgraph.query()`` call on the curated data against the engine alone.

Usage: python benchmarks/bench_query_api.py [--rounds 50]

Each round runs the same small SELECT (professions per status) through ``profgraph.query()``
(store found, opened or reused, query run, DataFrame built) and through pyoxigraph's
``Store.query`` on an already opened store (rows consumed); the figures are medians over the
rounds after one warm-up call. The difference is what the library adds per call.
"""

from __future__ import annotations

import argparse
import statistics
import time

import profgraph
from profgraph.vocab import PREFIXES

QUERY = "SELECT ?status (COUNT(?p) AS ?n) WHERE { ?p a pg:Profession ; pg:status ?status } GROUP BY ?status"


def median_ms(function, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50)
    rounds = parser.parse_args().rounds
    profgraph.query(QUERY)  # builds the store if needed, and warms up
    store = profgraph.load().rdf
    api = median_ms(lambda: profgraph.query(QUERY), rounds)
    engine = median_ms(lambda: list(store.query(QUERY, prefixes=PREFIXES, use_default_graph_as_union=True)), rounds)
    print(f"profgraph.query(), warm: {api:.1f} ms per call (median of {rounds})")
    print(f"pyoxigraph Store.query on an open store: {engine:.1f} ms per call")
    print(f"added by the library: {api - engine:.1f} ms")


if __name__ == "__main__":
    main()
