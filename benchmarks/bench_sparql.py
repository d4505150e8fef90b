"""Time the example SPARQL queries through profgraph (pyoxigraph) and through rdflib over the same
exported graph, on the curated data and on a large graph, and time loading the large graph.

Usage: python benchmarks/bench_sparql.py [--store DIR] [--rounds 5] [--rdflib-rounds 3] [--rdflib-limit 120]
                                         [--professions 3000 --skills 14000 --requirements 120000]

- The query set is examples/queries/*.rq. Both engines run each query and consume every row;
  the figure per engine and query is the median over the rounds. Both see one graph holding the
  data and the ontology (profgraph: its store, default graph = union; rdflib: the N-Triples export
  parsed into a Graph), and both must give the same number of rows. rdflib runs in a forked child
  process and is stopped after ``--rdflib-limit`` seconds per run; such a query is reported as
  "> limit" and its ratio as a lower bound.
- The large graph is the store at ``--store DIR`` (for example a full ESCO import), else a
  synthetic scale-up of the curated model to ESCO's size (3,007 occupations, 13,896 skills,
  123,855 occupation-skill links): every profession and skill is copied with a numbered suffix,
  each copied profession keeps its own skills (in one copy of the skill set) and gets further
  skills drawn at random, weighted by how many curated professions need them, until the
  requirement count matches.
- Load: the large graph exported as N-Triples, loaded into a new on-disk Oxigraph store (the kind
  profgraph keeps; ``Store.bulk_load``) and into an in-memory one, against ``rdflib.Graph.parse``
  of the same file; wall-clock medians, with CPU seconds beside them (the machine may be shared).

Targets: profgraph >= 20x faster than rdflib per query on the large graph; load >= 8x faster.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import math
import multiprocessing
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import rdflib
from pyoxigraph import NamedNode, RdfFormat, Store

import profgraph
from profgraph.export import write_rdf
from profgraph.model import Model
from profgraph.rdf import model_quads
from profgraph.resources import ontology_dir
from profgraph.sparql import execute
from profgraph.store import open_store
from profgraph.vocab import ONTOLOGY_GRAPH, PREFIXES, iri

QUERIES = sorted((Path(__file__).resolve().parents[1] / "examples" / "queries").glob("*.rq"))


def synthetic_model(base: Model, professions: int, skills: int, requirements: int, seed: int = 7) -> Model:
    """Return ``base`` scaled up to about ``professions``, ``skills`` and ``requirements`` (see the module docstring)."""
    rng = random.Random(seed)
    skill_copies = max(1, round(skills / len(base.skills)))
    profession_copies = max(1, round(professions / len(base.professions)))
    new_skills = {}
    for copy in range(skill_copies):
        for skill in base.skills.values():
            sid = f"{skill.id}-{copy}"
            new_skills[sid] = replace(skill, id=sid, iri=iri("skill", sid), alt_labels={},
                                      labels={lang: f"{text} {copy}" for lang, text in skill.labels.items()})
    popularity = {sid: 1 for sid in base.skills}
    for profession in base.professions.values():
        for sid in profession.skills:
            popularity[sid] += 1
    pool = list(new_skills)
    cumulative = list(itertools.accumulate(popularity[sid.rsplit("-", 1)[0]] for sid in pool))
    per_profession = requirements / (profession_copies * len(base.professions))
    new_professions = {}
    for copy in range(profession_copies):
        for profession in base.professions.values():
            pid = f"{profession.id}-{copy}"
            own = copy % skill_copies
            essential = [f"{sid}-{own}" for sid in profession.essential]
            optional = [f"{sid}-{own}" for sid in profession.optional]
            taken = set(essential) | set(optional)
            wanted = int(per_profession) + (rng.random() < per_profession % 1)
            while len(taken) < min(wanted, len(pool)):
                sid = rng.choices(pool, cum_weights=cumulative)[0]
                if sid not in taken:
                    taken.add(sid)
                    (essential if rng.random() < 0.5 else optional).append(sid)
            new_professions[pid] = replace(
                profession, id=pid, iri=iri("profession", pid), alt_labels={},
                labels={lang: f"{text} {copy}" for lang, text in profession.labels.items()},
                essential=tuple(essential), optional=tuple(optional))
    transformations = [replace(t, origin=f"{t.origin}-{copy}", successor=f"{t.successor}-{copy}")
                       for copy in range(profession_copies) for t in base.transformations]
    return replace(base, name=f"{base.name}-x{profession_copies}", professions=new_professions, skills=new_skills,
                   transformations=transformations)


def store_of(model: Model, folder: Path) -> Store:
    """Return an on-disk Oxigraph store holding ``model`` and the ontology, as profgraph builds one."""
    store = Store(str(folder))
    store.load(path=str(ontology_dir() / "profgraph.ttl"), format=RdfFormat.TURTLE, to_graph=NamedNode(ONTOLOGY_GRAPH))
    store.bulk_extend(model_quads(model))
    store.flush()
    store.optimize()
    return store


def timed(function, rounds: int) -> tuple[float, float, object]:
    """Return the median wall and CPU times of ``function()`` over ``rounds`` calls, and its last result."""
    walls, cpus, result = [], [], None
    for _ in range(rounds):
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        result = function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def timed_in_child(function, rounds: int, limit: float) -> tuple[float, float, object] | None:
    """Like :func:`timed`, in a forked child whose every run is stopped after ``limit`` seconds
    (``function`` must return something small, like a row count). None if a run was stopped."""
    receiver, sender = multiprocessing.Pipe(duplex=False)
    child = multiprocessing.get_context("fork").Process(
        target=lambda: [sender.send(timed(function, 1)) for _ in range(rounds)], daemon=True)
    child.start()
    runs = []
    try:
        for _ in range(rounds):
            if not receiver.poll(limit):
                return None
            runs.append(receiver.recv())
    finally:
        child.kill()
        child.join()
    return (statistics.median(run[0] for run in runs), statistics.median(run[1] for run in runs), runs[-1][2])


def compare_queries(title: str, store: Store, nt_file: Path, rounds: int, rdflib_rounds: int,
                    limit: float) -> None:
    """Print per-query medians and ratios (wall clock, and CPU) for both engines."""
    graph = rdflib.Graph()
    graph.parse(nt_file, format="nt")
    print(f"\n{title}: {len(graph):,} triples; medians of {rounds} (profgraph) and {rdflib_rounds} (rdflib) runs;"
          f" rdflib stopped after {limit:g} s")
    print(f"{'query':<40}{'rows':>7}{'profgraph ms':>14}{'rdflib ms':>12}{'ratio':>9}{'CPU ratio':>11}")
    ratios, ours_total, theirs_total, stopped = [], 0.0, 0.0, 0
    for path in QUERIES:
        text = path.read_text(encoding="utf-8")
        ours, our_cpu, our_rows = timed(lambda: list(execute(store, text)), rounds)
        theirs = timed_in_child(lambda: len(list(graph.query(text, initNs=PREFIXES))), rdflib_rounds, limit)
        if theirs is None:
            stopped += 1
            bound, theirs, their_cpu = ">", limit, limit
        else:
            bound, (theirs, their_cpu, their_rows) = "", theirs
            if their_rows != len(our_rows):
                # rdflib groups an empty match into one row of zero counts (a status query on a
                # dataset without statuses, like ESCO): report it, and leave the query out of the ratios
                print(f"{path.stem:<40}{len(our_rows):>7}{ours * 1000:>14.1f}{theirs * 1000:>12.1f}"
                      f"   rows differ: rdflib gave {their_rows}; left out")
                continue
        ratios.append(theirs / ours)
        ours_total += ours
        theirs_total += theirs
        print(f"{path.stem:<40}{len(our_rows):>7}{ours * 1000:>14.1f}{bound + f'{theirs * 1000:.1f}':>12}"
              f"{bound + f'{theirs / ours:.1f}x':>9}{bound + f'{their_cpu / our_cpu:.1f}x':>11}")
        sys.stdout.flush()
    geometric = math.exp(statistics.fmean(math.log(r) for r in ratios))
    bound = ">" if stopped else ""
    print(f"{'all queries (sum of medians)':<40}{'':>7}{ours_total * 1000:>14.1f}{bound + f'{theirs_total * 1000:.1f}':>12}"
          f"{bound + f'{theirs_total / ours_total:.1f}x':>9}")
    print(f"ratio per query: min {min(ratios):.1f}x, geometric mean {bound}{geometric:.1f}x, max {bound}{max(ratios):.1f}x;"
          f" {sum(r >= 20 for r in ratios)} of {len(ratios)} queries >= 20x (target on the large graph)"
          + (f"; {stopped} rdflib run(s) stopped, their ratios are lower bounds" if stopped else ""))
    del graph
    gc.collect()


def compare_load(nt_file: Path, workspace: Path, rounds: int) -> None:
    """Print the time to load ``nt_file`` into a new Oxigraph store (on disk, in memory) and into an rdflib Graph."""

    def oxigraph(on_disk: bool):
        def load():
            store = Store(str(workspace / f"load-{time.monotonic_ns()}")) if on_disk else Store()
            store.bulk_load(path=str(nt_file), format=RdfFormat.N_TRIPLES)
            store.flush()
            return len(store)
        return load

    def rdflib_parse():
        graph = rdflib.Graph()
        graph.parse(nt_file, format="nt")
        return len(graph)

    figures = {name: timed(load, rounds) for name, load in (
        ("profgraph store (on disk)", oxigraph(True)), ("oxigraph in memory", oxigraph(False)),
        ("rdflib Graph.parse", rdflib_parse))}
    rdflib_wall, rdflib_cpu, triples = figures["rdflib Graph.parse"]
    print(f"\nload {triples:,} triples ({nt_file.stat().st_size / 1e6:.0f} MB of N-Triples), medians of {rounds}:")
    for name, (wall, cpu, size) in figures.items():
        assert size == triples, (name, size, triples)
        ratio = "" if name.startswith("rdflib") else f"  ratio {rdflib_wall / wall:.1f}x (CPU {rdflib_cpu / cpu:.1f}x)"
        print(f"  {name:<27}{wall:7.2f} s  (CPU {cpu:6.2f} s){ratio}")
    print("  target: >= 8x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="a profgraph store folder to use as the large graph (e.g. an ESCO import)")
    parser.add_argument("--rounds", type=int, default=5, help="profgraph runs per query")
    parser.add_argument("--rdflib-rounds", type=int, default=3, help="rdflib runs per query")
    parser.add_argument("--rdflib-limit", type=float, default=120, help="seconds after which an rdflib run is stopped")
    parser.add_argument("--load-rounds", type=int, default=3, help="runs of each load")
    parser.add_argument("--professions", type=int, default=3000)
    parser.add_argument("--skills", type=int, default=14000)
    parser.add_argument("--requirements", type=int, default=120000)
    args = parser.parse_args()

    curated = profgraph.load()
    with tempfile.TemporaryDirectory(prefix="bench-sparql-") as tmp:
        workspace = Path(tmp)
        small_nt = workspace / "curated.nt"
        with small_nt.open("wb") as handle:
            write_rdf(curated.rdf, handle, "nt")
        compare_queries("curated data", curated.rdf, small_nt, args.rounds, args.rdflib_rounds, args.rdflib_limit)

        if args.store:
            large = open_store(args.store).rdf
            title = f"store {args.store}"
        else:
            start = time.perf_counter()
            model = synthetic_model(curated.model, args.professions, args.skills, args.requirements)
            large = store_of(model, workspace / "synthetic")
            links = sum(len(p.skills) for p in model.professions.values())
            title = (f"synthetic scale-up: {len(model.professions):,} professions, {len(model.skills):,} skills,"
                     f" {links:,} requirements")
            print(f"\nbuilt the {title} in {time.perf_counter() - start:.1f} s")
        large_nt = workspace / "large.nt"
        with large_nt.open("wb") as handle:
            write_rdf(large, handle, "nt")
        compare_load(large_nt, workspace, args.load_rounds)
        compare_queries(title, large, large_nt, args.rounds, args.rdflib_rounds, args.rdflib_limit)


if __name__ == "__main__":
    main()
