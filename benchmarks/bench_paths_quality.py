"""Re-run a counsellor's check of the reskilling paths and print the figures beside their targets.

Usage: python benchmarks/bench_paths_quality.py [--data ../shared/data] [--store DIR] [--rounds 20]
                                               [--cross-validate]

On the curated data, for every disappearing profession, the top 3 paths to emerging professions
under the default rules, then with --allow-riskier:
1. the share of first-ranked paths, and of all top-3 paths, whose destination is safer by the
   margin (target: 100%, by construction), and the professions left with no path;
2. paths through a disappearing stepping stone (target 0 by default);
3. the dataset's own "transforms into" successors of disappearing professions that no path under
   the rules reaches (each reported with its gap, not silently dropped);
4. the destinations' plain risk levels (automation and generative AI);
5. `--to safer`: first-ranked destinations that are disappearing (target 0);
6. how well each exposure measure separates disappearing from emerging professions (the
   probability that a random disappearing one scores above a random emerging one).
With --cross-validate, the skill-profile model's cross-validated Spearman against Nesta's
occupation-level risk (as scripts/derive_measures.py prints it).

On an ESCO import (--store DIR, else imported into a temporary folder): the number of viable,
desirable and safe-desirable moves per occupation, the speed of a warm `path` (target <= 50 ms)
and of the whole `transitions` table (target <= 10 s), and whether Nesta's published
most-similar occupations are available to compare the similarity with.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

ORIGINS = ("legal administrative assistant", "bus driver", "bank teller", "cashier", "data entry clerk",
           "software developer", "shop assistant", "warehouse worker", "accountant", "nurse responsible for general care")


def default_data() -> Path:
    for folder in ROOT.parents:
        if (folder / "shared" / "data").is_dir():
            return folder / "shared" / "data"
    return ROOT.parent / "shared" / "data"


def line(what: str, value: str, target: str = "", ok: bool = True) -> None:
    verdict = f"target {target:<10} {'ok' if ok else 'MISSED'}" if target else ""
    print(f"  {what:<62}{value:>14}   {verdict}".rstrip())


def share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({part / whole:.0%})" if whole else "0/0"


def counsellor_check(dataset, rules, label: str) -> None:
    from profgraph.answers import reskilling_report_for

    model = dataset.model
    disappearing = [pid for pid, p in model.professions.items() if p.status == "disappearing"]
    first_safer = all_safer = first_total = all_total = via_disappearing = steps_total = 0
    multi = 0
    stranded, levels = [], {"automation": Counter(), "genai": Counter()}
    successors = reachable = 0
    for origin in disappearing:
        report = reskilling_report_for(dataset, origin, status="emerging", top=3, rules=rules)
        paths = report["paths"]
        if not paths:
            stranded.append(origin)
        for rank, path in enumerate(paths):
            safer = bool(path["checks"]["safer"])
            all_total += 1
            all_safer += safer
            if rank == 0:
                first_total += 1
                first_safer += safer
            stones = [step["to"]["id"] for step in path["steps"][:-1]]
            multi += bool(stones)
            via_disappearing += any(model.professions[s].status == "disappearing" for s in stones)
            steps_total += len(path["steps"])
            end = path["steps"][-1]["to"]
            for measure in levels:
                levels[measure][end[measure]["level"] or "unknown"] += 1
        for successor in report["successors"]:
            successors += 1
            reachable += successor["reachable"]
    print(f"\nCurated data, disappearing -> emerging, top 3, {label}")
    print(f"  rules: {rules.describe()}")
    default = not (rules.allow_riskier or rules.allow_lower_pay or rules.allow_stepping_stones)
    line("first-ranked paths safer by the margin", share(first_safer, first_total), "100%" if default else "",
         first_safer == first_total)
    line("all top-3 paths safer by the margin", share(all_safer, all_total), "100%" if default else "",
         all_safer == all_total)
    line("paths through a disappearing stepping stone", share(via_disappearing, multi), "0" if default else "",
         via_disappearing == 0)
    line("disappearing professions left with no path", share(len(stranded), len(disappearing)))
    line("'transforms into' successors no path reaches (reported)", share(successors - reachable, successors))
    for measure, counts in levels.items():
        line(f"destinations' {measure} level", ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    if stranded and not rules.allow_riskier:
        print("  stranded: " + ", ".join(stranded))


def separation(model) -> None:
    """P(a random disappearing profession scores above a random emerging one), per measure."""
    def auc(values_a, values_b):
        pairs = [(a > b) + 0.5 * (a == b) for a in values_a for b in values_b]
        return sum(pairs) / len(pairs)

    print("\nSeparation of disappearing from emerging professions (0.5 = none, 1 = perfect)")
    for name, get in (("automation risk (Nesta, per profession)", lambda m: m.automation_risk),
                      ("generative-AI exposure (ILO, per unit group)", lambda m: m.genai_score)):
        by_status = {status: [get(p.measures) for p in model.professions.values()
                              if p.status == status and get(p.measures) is not None]
                     for status in ("disappearing", "emerging")}
        line(name, f"{auc(by_status['disappearing'], by_status['emerging']):.2f}")


def to_safer_check(dataset) -> None:
    from profgraph.answers import reskilling_report_for

    model = dataset.model
    disappearing = [pid for pid, p in model.professions.items() if p.status == "disappearing"]
    firsts = [reskilling_report_for(dataset, origin, status="safer", top=1)["paths"] for origin in disappearing]
    ends = [paths[0]["steps"][-1]["to"]["status"] for paths in firsts if paths]
    print("\nCurated data, disappearing -> --to safer, first-ranked")
    line("first-ranked destination is disappearing", share(ends.count("disappearing"), len(ends)), "0",
         ends.count("disappearing") == 0)
    line("origins with a path", share(len(ends), len(disappearing)))


def cross_validation(data: Path) -> None:
    from profgraph.sources import derive, esco, nesta

    risk = nesta.read_risk_table(data / "nesta-mcc" / nesta.RISK_FILE)
    profiles, iscos, _ = esco.esco_profiles(data / "esco-v1.1.1")
    print("\nThe skill-profile risk model, 5-fold cross-validated Spearman against Nesta's occupations")
    for label, scores in derive.cross_validation(risk, profiles, iscos):
        line(label, f"risk {scores['risk']:.3f}, prevalence {scores['prevalence']:.3f} (n {scores['n']})")


def esco_figures(store: Path, rounds: int) -> None:
    import numpy as np

    from profgraph.answers import reskilling_report
    from profgraph.rules import Rules
    from profgraph.store import open_store
    from profgraph.transitions import move_counts, origin_rows, transition_blocks, write_transitions

    dataset = open_store(store)
    counts = move_counts(dataset, Rules())
    print(f"\nESCO import ({len(dataset.model.professions)} occupations), moves per occupation under the default rules")
    for name, values in counts.items():
        line(f"{name}: mean / median / occupations with none",
             f"{values.mean():.1f} / {np.median(values):.0f} / {(values == 0).sum()}")
    line("Nesta's published most-similar occupations", "not in ../shared/data/nesta-mcc")

    times = []
    for origin in ORIGINS:
        reskilling_report(dataset, origin, "safer")  # warm up: the graph and the name index
        for _ in range(max(1, rounds // len(ORIGINS))):
            start = time.perf_counter()
            reskilling_report(dataset, origin, "safer")
            times.append(time.perf_counter() - start)
    warm = statistics.median(times)
    line(f"warm `path --to safer` (median over {len(ORIGINS)} origins)", f"{warm * 1000:.1f} ms", "<= 50 ms",
         warm <= 0.05)
    line("warm `path --to safer` (slowest)", f"{max(times) * 1000:.1f} ms")
    start = time.perf_counter()
    with tempfile.TemporaryFile() as handle:
        written = write_transitions(transition_blocks(dataset, Rules(), origin_rows(dataset), lang="en"), "csv",
                                    handle, Rules())
    elapsed = time.perf_counter() - start
    line(f"`transitions` for all occupations ({written} moves, CSV)", f"{elapsed:.2f} s", "<= 10 s", elapsed <= 10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=default_data())
    parser.add_argument("--store", type=Path, help="an ESCO store (default: imported into a temporary folder)")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--cross-validate", action="store_true", help="also run the exposure model's cross-validation")
    args = parser.parse_args()

    import profgraph
    from profgraph.rules import Rules

    curated = profgraph.load()
    counsellor_check(curated, Rules(), "default rules")
    counsellor_check(curated, Rules(allow_riskier=True), "--allow-riskier")
    to_safer_check(curated)
    separation(curated.model)
    if args.cross_validate:
        cross_validation(args.data)
    store = args.store
    if store is None or not (store / "manifest.json").is_file():
        if not (args.data / "esco-v1.1.1").is_dir():
            print(f"\nno ESCO download in {args.data}: ESCO figures skipped")
            return
        store = store or Path(tempfile.mkdtemp()) / "esco"
        subprocess.run([sys.executable, "-m", "profgraph", "import", "esco", str(args.data / "esco-v1.1.1"), "--risk",
                        str(args.data / "nesta-mcc" / "mcc_risk_All_occupations.csv"), "--reference", str(args.data),
                        "--store", str(store)], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env={**__import__("os").environ, "PYTHONPATH": str(ROOT / "src")})
    esco_figures(store, args.rounds)


if __name__ == "__main__":
    main()
