"""Should traits (attitudes and values) count in similarity and coverage? Measure both ways.

Usage: python benchmarks/bench_traits.py [--esco ../shared/data/esco-v1.1.1] [--data data]

Prints, with the trait requirements kept and with them dropped:

- on full ESCO v1.1.1 (the traits are the skills of ``profgraph.sources.esco.TRAIT_SKILLS``): for
  every occupation that ESCO files under a broader occupation, the rank of that broader occupation
  among all others by similarity; the share ranked in the top 10 and the median rank (the check of
  ``tests/test_esco.py``: a judgement made by people that similarity should agree with);
- on the curated data (traits are the skills typed ``trait``): how many "transforms into" links are
  viable in one move and reachable by a path under the transition rules, and how many disappearing
  professions have no path to an emerging one (the team's judgement that coverage should honour).
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from statistics import median

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from profgraph.model import Model  # noqa: E402
from profgraph.rules import DEFAULT_MIN_COVERAGE, Rules  # noqa: E402
from profgraph.similarity import similarity_matrix, skill_matrices  # noqa: E402
from profgraph.stats import stranded_by_rule, successor_reachability  # noqa: E402


def without(model: Model, traits: set[str]) -> Model:
    """Return ``model`` with the requirements of the skill ids ``traits`` removed (the skills stay)."""
    professions = {pid: replace(p, essential=tuple(s for s in p.essential if s not in traits),
                                optional=tuple(s for s in p.optional if s not in traits))
                   for pid, p in model.professions.items()}
    return replace(model, professions=professions)


def broader_ranks(model: Model, broader: dict[str, list[str]]) -> list[int]:
    """Return, per occupation with a broader occupation, the best rank of one of them by similarity."""
    matrices = skill_matrices(model)
    sim = similarity_matrix(matrices)
    np.fill_diagonal(sim, -1.0)
    row = {model.professions[pid].iri: i for pid, i in matrices.rows.items()}
    ranks = []
    for child, parents in broader.items():
        if child not in row:
            continue
        scores = sim[row[child]]
        order = np.argsort(-scores, kind="stable")
        position = np.empty_like(order)
        position[order] = np.arange(1, len(order) + 1)
        found = [int(position[row[p]]) for p in parents if p in row]
        if found:
            ranks.append(min(found))
    return ranks


def esco_figures(folder: Path) -> None:
    from profgraph.sources.esco import TRAIT_SKILLS, find_files, read_esco, read_table

    model = read_esco([folder]).model
    links = read_table(find_files([folder])["occupation_broader"], ("conceptType", "conceptUri", "broaderType",
                                                                     "broaderUri"))
    broader: dict[str, list[str]] = {}
    for kind, child, up_kind, parent in links.itertuples(index=False):
        if kind == up_kind == "Occupation":
            broader.setdefault(child, []).append(parent)
    traits = {sid for sid, skill in model.skills.items() if skill.esco_uri in TRAIT_SKILLS}
    share = sum(any(s in traits for s in p.skills) for p in model.professions.values()) / len(model.professions)
    print(f"ESCO v1.1.1: {len(traits)} trait skills, required by {share:.0%} of occupations")
    for name, variant in (("traits kept", model), ("traits dropped", without(model, traits))):
        ranks = broader_ranks(variant, broader)
        top10 = sum(r <= 10 for r in ranks) / len(ranks)
        print(f"  {name:<15} broader occupation in the top 10: {top10:.1%} of {len(ranks)}, median rank {median(ranks)}")


def counting_traits(folder: Path, into: Path) -> Path:
    """Write the curated tables of ``folder`` into ``into`` with the traits retyped as
    socio-behavioural skills, so that coverage and similarity (which leave traits out) count them
    like any skill, and return ``into``."""
    import shutil

    from profgraph.sources.curated import TABLES

    for table in TABLES:
        shutil.copy(folder / f"{table}.csv", into / f"{table}.csv")
    with (folder / "skills.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with (into / "skills.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows({**row, "type": "socio_behavioural" if row["type"] == "trait" else row["type"]} for row in rows)
    return into


def curated_figures(folder: Path) -> None:
    from profgraph.datasets import load

    with tempfile.TemporaryDirectory() as temporary:
        kept = load(data=counting_traits(folder, Path(temporary)))
        dropped = load(data=folder)
        traits = sum(skill.type == "trait" for skill in dropped.model.skills.values())
        print(f"curated: {traits} traits; the transition rules of profgraph path ({Rules().describe()})")
        for name, dataset in (("traits kept", kept), ("traits dropped", dropped)):
            links = successor_reachability(dataset)
            by_rule = stranded_by_rule(dataset)
            graph = dataset.transition_graph(DEFAULT_MIN_COVERAGE)
            edges = sum(1 for _, _, c in graph.edges(data="coverage") if c >= DEFAULT_MIN_COVERAGE)
            print(f"  {name:<15} transitions >= {DEFAULT_MIN_COVERAGE}: {edges}; successors viable in one move "
                  f"{sum(link['direct'] for link in links)}/{len(links)}, reachable "
                  f"{sum(link['steps'] is not None for link in links)}; disappearing professions with no path "
                  f"to an emerging one: {len(by_rule['all_rules'])} ({len(by_rule['viable'])} by viability alone)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--esco", type=Path, default=ROOT.parent / "shared" / "data" / "esco-v1.1.1")
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    args = parser.parse_args()
    curated_figures(args.data)
    if args.esco.is_dir():
        esco_figures(args.esco)
    else:
        print(f"ESCO figures skipped: {args.esco} is absent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
