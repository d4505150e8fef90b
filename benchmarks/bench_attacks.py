"""Replay the attacks and faults of the reliability review and print what profgraph did with them.

    python benchmarks/bench_attacks.py [--area files|store|server|remote|cli ...] [--verbose]

Prints one row per area: cases tried, handled cleanly, data lost; then every case that was not
handled or lost data, with what happened; then the measured figures (server memory, page latency
under queued queries) against their targets. Exits 1 when any case fails.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from attacks import Outcome  # noqa: E402

AREAS = ("files", "store", "server", "remote", "cli")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--area", action="append", choices=AREAS, help="only these areas (repeatable)")
    parser.add_argument("--verbose", action="store_true", help="print every case as it runs")
    args = parser.parse_args()
    rows, failures, figures = [], [], []
    for area in args.area or AREAS:
        try:
            module = importlib.import_module(f"attacks.{area}")
        except ModuleNotFoundError as error:
            if error.name != f"attacks.{area}":
                raise
            continue
        tried = handled = lost = 0
        for case in module.CASES:
            started = time.perf_counter()
            with tempfile.TemporaryDirectory(prefix=f"attack-{area}-") as workdir:
                try:
                    outcome = case.run(Path(workdir))
                except Exception:  # a case that breaks is a failure of the case, reported as such
                    outcome = Outcome(False, False, "the case raised:\n" + traceback.format_exc())
            tried += 1
            handled += outcome.handled
            lost += outcome.data_lost
            if args.verbose:
                print(f"  {area:7} {case.name}: {'ok' if outcome.handled and not outcome.data_lost else 'FAIL'}"
                      f" ({time.perf_counter() - started:.1f} s)", flush=True)
            if not outcome.handled or outcome.data_lost:
                failures.append((area, case.name, outcome))
        rows.append((area, tried, handled, lost))
        for figure in getattr(module, "FIGURES", []):
            figures.append(figure())
    print(f"{'area':8} {'tried':>6} {'handled cleanly':>16} {'data lost':>10}")
    for area, tried, handled, lost in rows:
        print(f"{area:8} {tried:6d} {handled:16d} {lost:10d}")
    total = [sum(row[i] for row in rows) for i in (1, 2, 3)]
    print(f"{'total':8} {total[0]:6d} {total[1]:16d} {total[2]:10d}")
    for area, name, outcome in failures:
        print(f"\nFAILED {area}: {name}\n  handled={outcome.handled} data_lost={outcome.data_lost}\n  {outcome.detail}")
    if figures:
        print("\nfigure                                              measured        target")
        for name, value, target in figures:
            print(f"{name:50} {value:>12} {target:>13}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
