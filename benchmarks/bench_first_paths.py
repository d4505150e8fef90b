"""The counsellor's check: how the first-ranked path from each disappearing profession changes
between two versions of the curated tables.

Usage: python benchmarks/bench_first_paths.py [--before main] [--data data] [--min-coverage 0.4] [--lang en] [--table]

``--before`` is a git revision whose data/ tables are compared with the tables in ``--data``
(default: the working tree). For each disappearing profession it finds the best path to an
emerging profession (the defaults of ``profgraph path``: the transition rules of
:class:`profgraph.rules.Rules`, at most 3 steps; ``--min-coverage`` changes the rules' coverage
threshold) in both, with today's code, and prints the summary (same destination, changed, found before but not
now, ...) and how many first-ranked paths change when the exposure weight is turned off (a
measure of how much the skill data, rather than exposure, decides the route), and how many have no
path under each rule set of ``profgraph stats``. ``--table`` prints every profession's route before
and after.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from profgraph.model import label  # noqa: E402
from profgraph.reskilling import adjacency_of, find_paths, target_set  # noqa: E402
from profgraph.rules import Rules  # noqa: E402
from profgraph.stats import RULE_SETS, stranded  # noqa: E402
from profgraph.sources.curated import TABLES, read_curated  # noqa: E402


def tables_at(revision: str, folder: Path) -> Path:
    """Write the curated tables of git ``revision`` into ``folder`` and return it."""
    for table in TABLES:
        text = subprocess.run(["git", "show", f"{revision}:data/{table}.csv"], cwd=ROOT, check=True,
                              capture_output=True, text=True).stdout
        (folder / f"{table}.csv").write_text(text, encoding="utf-8")
    return folder


def first_paths(folder: Path, rules: Rules, exposure_weight: float = 5.0) -> tuple[object, dict]:
    """Return the model of ``folder`` and, per disappearing profession, its best path to an emerging
    one under ``rules`` (or None)."""
    model = read_curated(folder)
    adjacency = _adjacency(model, rules)
    emerging = target_set(model, status="emerging")
    best = {}
    for pid, profession in model.professions.items():
        if profession.status == "disappearing":
            found = find_paths(model, adjacency, pid, emerging - {pid}, top=1, exposure_weight=exposure_weight,
                               rules=rules)
            best[pid] = found[0] if found else None
    return model, best


def _adjacency(model, rules: Rules):
    return adjacency_of(model, floor=min(rules.min_coverage, 0.2))


def stranded_counts(model, rules: Rules) -> dict[str, int]:
    """Per rule set of ``profgraph stats`` (each rule alone beside viability, then all), how many
    disappearing professions have no path to an emerging one."""
    adjacency = _adjacency(model, rules)
    return {name: len(stranded(model, adjacency, rules=replace(rules, **allowed))) for name, allowed in RULE_SETS.items()}


def route(model, path, lang: str) -> str:
    if path is None:
        return "no path"
    names = [label(model.professions[path.steps[0].origin], lang)]
    names += [f"{label(model.professions[s.destination], lang)} ({s.coverage:.2f})" for s in path.steps]
    return " -> ".join(names[1:]) + f"; effort {path.score:.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="main", help="git revision of the earlier tables (default main)")
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--min-coverage", type=float, default=Rules().min_coverage,
                        help="the rules' coverage threshold (default: that of profgraph path)")
    parser.add_argument("--lang", default="en", choices=("kk", "ru", "en"))
    parser.add_argument("--table", action="store_true", help="print every profession's route before and after")
    args = parser.parse_args()
    rules = replace(Rules(), min_coverage=args.min_coverage)
    with tempfile.TemporaryDirectory() as temporary:
        before_model, before = first_paths(tables_at(args.before, Path(temporary)), rules)
        _, before_no_exposure = first_paths(Path(temporary), rules, exposure_weight=0.0)
    after_model, after = first_paths(args.data, rules)
    _, after_no_exposure = first_paths(args.data, rules, exposure_weight=0.0)

    def destination(path):
        return path.destination if path else None

    common = sorted(before.keys() & after.keys())
    counts = {
        "same destination": sum(destination(before[p]) == destination(after[p]) and after[p] is not None for p in common),
        "other destination": sum(None not in (before[p], after[p]) and destination(before[p]) != destination(after[p])
                                 for p in common),
        "path before, none now": sum(before[p] is not None and after[p] is None for p in common),
        "none before, path now": sum(before[p] is None and after[p] is not None for p in common),
        "no path either time": sum(before[p] is None and after[p] is None for p in common),
    }
    print(f"disappearing professions: {len(common)} (before: {args.before}, after: {args.data}; "
          f"coverage >= {args.min_coverage:g} and the other rules)")
    for name, count in counts.items():
        print(f"  {name:<24}{count:>4}")
    one_step = lambda paths: sum(1 for p in paths.values() if p and len(p.steps) == 1)  # noqa: E731
    print(f"  first path in one move: before {one_step(before)}, after {one_step(after)}")
    counts_before, counts_after = stranded_counts(before_model, rules), stranded_counts(after_model, rules)
    print("  no path to emerging, per rule (before -> after): "
          + ", ".join(f"{name} {counts_before[name]} -> {counts_after[name]}" for name in RULE_SETS))
    for name, with_exposure, without in (("before", before, before_no_exposure), ("after", after, after_no_exposure)):
        changed = sum(destination(with_exposure[p]) != destination(without[p]) for p in with_exposure)
        print(f"  exposure weight off changes {changed} of {len(with_exposure)} first-ranked destinations ({name})")
    if args.table:
        print()
        print("| profession | before | after |")
        print("|---|---|---|")
        for pid in common:
            print(f"| {label(after_model.professions[pid], args.lang)} | {route(before_model, before[pid], args.lang)} "
                  f"| {route(after_model, after[pid], args.lang)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
