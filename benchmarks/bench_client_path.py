"""Time a path answer from a client's own skills (profgraph.client) against the same answer from the
job's standard profile, in one warm process, and print the medians and their ratio.

Usage: python benchmarks/bench_client_path.py [--store DIR] [--name кассир] [--to emerging] [--rounds 7]

The client lacks the job's first skill. The extra cost is the client's view of the dataset: the
origin's row of the skill matrices, its coverage to every profession and a copy of the transition
graph with the origin's moves replaced.
"""

from __future__ import annotations

import argparse
import statistics
import time

import profgraph
from profgraph.answers import reskilling_report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default=None)
    parser.add_argument("--name", default="кассир")
    parser.add_argument("--to", default="emerging")
    parser.add_argument("--rounds", type=int, default=7)
    options = parser.parse_args()
    dataset = profgraph.load(store=options.store) if options.store else profgraph.load()
    origin = dataset.names.resolve(options.name).id
    lack = [dataset.model.professions[origin].skills[0]]
    timings = {"standard": [], "client": []}
    reskilling_report(dataset, options.name, options.to)  # build the graphs and caches once
    for _ in range(options.rounds):
        for kind, extra in (("standard", {}), ("client", {"lack": lack})):
            start = time.perf_counter()
            reskilling_report(dataset, options.name, options.to, **extra)
            timings[kind].append(time.perf_counter() - start)
    standard, client = (statistics.median(timings[kind]) for kind in ("standard", "client"))
    print(f"professions {len(dataset.model.professions)}, skills {len(dataset.model.skills)}")
    print(f"standard profile: median {standard * 1000:.1f} ms; client's skills: median {client * 1000:.1f} ms; "
          f"ratio {client / standard:.2f}")


if __name__ == "__main__":
    main()
