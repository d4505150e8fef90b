"""Time a cold `profgraph path "кассир" --to emerging` process against a process that only
imports rdflib, networkx, pandas, pyvis and click, alternating the two, and print the medians
and their ratio (target: <= 0.5).

Usage: python benchmarks/bench_cold_path.py [--rounds 15]

The store is built once before timing (a path query on a fresh machine builds it on first use),
so the figure is the cost of a query with a warm cache and a cold interpreter.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time

PATH_COMMAND = [*( [shutil.which("profgraph")] if shutil.which("profgraph") else [sys.executable, "-m", "profgraph"]),
                "path", "кассир", "--to", "emerging"]
IMPORT_COMMAND = [sys.executable, "-c", "import rdflib, networkx, pandas, pyvis, click"]


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    rounds = parser.parse_args().rounds
    timed(PATH_COMMAND)  # build the cache
    timed(IMPORT_COMMAND)  # warm the OS file cache for both
    path_times, import_times = [], []
    for _ in range(rounds):
        path_times.append(timed(PATH_COMMAND))
        import_times.append(timed(IMPORT_COMMAND))
    path_median, import_median = statistics.median(path_times), statistics.median(import_times)
    print(f"rounds: {rounds}")
    print(f"cold path query  median {path_median * 1000:7.1f} ms  (min {min(path_times) * 1000:.1f})")
    print(f"import libraries median {import_median * 1000:7.1f} ms  (min {min(import_times) * 1000:.1f})")
    print(f"ratio path/import: {path_median / import_median:.2f}  (target <= 0.50)")


if __name__ == "__main__":
    main()
