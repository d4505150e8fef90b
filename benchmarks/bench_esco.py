"""Time profgraph on the full ESCO v1.1.1 download and print each figure beside its target.

Usage: python benchmarks/bench_esco.py [--data ../shared/data] [--rounds 5] [--store DIR]

1. import: reading the download into the model (profgraph.sources.esco.read_esco) against
   reading the same CSV files with plain pandas.read_csv (target ratio <= 3); then the whole
   `profgraph import esco` in a child process (store included), with its peak memory
   (ru_maxrss of the child; target <= 1.5 GB);
2. all-pairs similarity of the 3,007 occupations with scipy sparse matrices (target <= 2 s);
3. one warm `similar` and one warm `path --to safer` query on the opened store (<= 50 ms each);
4. a cold `profgraph path ... --to safer --store DIR` process (target <= 1.5 s);
5. `upskill` for one occupation against the straightforward reference of
   tests/upskill_reference.py, which recomputes every transition for every candidate skill
   (target >= 50x faster, same answers).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the upskill reference lives with the tests

ORIGIN = "legal administrative assistant"
SIMILAR_TO = "software developer"


def default_data() -> Path:
    for folder in ROOT.parents:
        if (folder / "shared" / "data").is_dir():
            return folder / "shared" / "data"
    return ROOT.parent / "shared" / "data"


def median_time(function, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# The import in a child process, printing when each step ends, so that its peak memory is its own.
CHILD = """
import sys, time
from profgraph.sources.esco import import_esco
start = time.perf_counter()
def progress(step):
    print(step, time.perf_counter() - start, flush=True)
import_esco([sys.argv[1]], sys.argv[3], risk=sys.argv[2], progress=progress)
"""


def line(what: str, value: str, target: str = "", ok: bool = True) -> None:
    verdict = f"target {target:<10} {'ok' if ok else 'MISSED'}" if target else ""
    print(f"{what:<46}{value:>16}   {verdict}".rstrip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=default_data())
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--store", type=Path, help="keep the imported store here (default: a temporary folder)")
    args = parser.parse_args()
    download, risk = args.data / "esco-v1.1.1", args.data / "nesta-mcc" / "mcc_risk_All_occupations.csv"
    if not download.is_dir():
        sys.exit(f"no ESCO download in {download}")

    import pandas as pd

    from profgraph.sources.esco import TABLES, find_files, read_esco

    files = find_files([download])

    def plain_pandas():
        for where in files.values():
            with zipfile.ZipFile(where.container) as archive, archive.open(where.member) as handle:
                pd.read_csv(handle)

    plain_pandas()  # warm the OS file cache and pandas
    pandas_time = median_time(plain_pandas, 3)
    read_time = median_time(lambda: read_esco([download], risk=risk), 3)
    print(f"ESCO v1.1.1: {len(TABLES)} CSV files read; medians of 3 (import) and {args.rounds} (queries) runs\n")
    line("read the CSVs with pandas", f"{pandas_time:.2f} s")
    line("import into the model (read_esco)", f"{read_time:.2f} s")
    line("  ratio import / pandas", f"{read_time / pandas_time:.2f}", "<= 3", read_time / pandas_time <= 3)

    workspace = Path(tempfile.mkdtemp(prefix="bench-esco-"))
    store = args.store or workspace / "store"
    try:
        start = time.perf_counter()
        steps = subprocess.run([sys.executable, "-c", CHILD, str(download), str(risk), str(store)], check=True,
                               capture_output=True, text=True).stdout.split("\n")
        import_time = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
        ends = {step: float(seconds) for step, seconds in (row.split() for row in steps if row)}
        line("profgraph import esco, whole store", f"{import_time:.1f} s")
        line("  of which reading into the model", f"{ends['model'] :.1f} s")
        line("  name index and model.pickle", f"{ends['names'] - ends['model']:.1f} s")
        line("  transition table", f"{ends['transitions'] - ends['names']:.1f} s")
        line("  RDF store (Oxigraph, on disk)", f"{ends['rdf'] - ends['transitions']:.1f} s")
        line("  peak memory of the import", f"{peak:.0f} MB", "<= 1536 MB", peak <= 1536)

        from profgraph.answers import reskilling_report, similar_report
        from profgraph.similarity import similarity_matrix
        from profgraph.store import open_store

        dataset = open_store(store)
        matrices = dataset.skill_matrices
        similarity_matrix(matrices)
        pairs = median_time(lambda: similarity_matrix(matrices), 3)
        line(f"all-pairs similarity ({len(matrices.profession_ids)} x {len(matrices.profession_ids)})",
             f"{pairs * 1000:.0f} ms", "<= 2000 ms", pairs <= 2)

        similar_report(dataset, SIMILAR_TO)
        reskilling_report(dataset, ORIGIN, "safer")
        warm_similar = median_time(lambda: similar_report(dataset, SIMILAR_TO), args.rounds)
        warm_path = median_time(lambda: reskilling_report(dataset, ORIGIN, "safer"), args.rounds)
        print(f"queries from {ORIGIN!r}; similar to {SIMILAR_TO!r}")
        line("warm similar", f"{warm_similar * 1000:.1f} ms", "<= 50 ms", warm_similar <= 0.05)
        line("warm path --to safer", f"{warm_path * 1000:.1f} ms", "<= 50 ms", warm_path <= 0.05)

        command = [shutil.which("profgraph") or sys.executable, *([] if shutil.which("profgraph") else ["-m", "profgraph"]),
                   "path", ORIGIN, "--to", "safer", "--store", str(store), "--lang", "en"]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        cold = median_time(lambda: subprocess.run(command, check=True, stdout=subprocess.DEVNULL), args.rounds)
        line("cold CLI path --to safer --store", f"{cold:.2f} s", "<= 1.5 s", cold <= 1.5)

        from profgraph.reskilling import safer_set
        from profgraph.upskill import upskill
        from upskill_reference import reference_upskill

        origin = dataset.names.resolve(ORIGIN).id
        targets = safer_set(dataset.model, origin)
        upskill(matrices, origin, targets)
        fast_time = median_time(lambda: upskill(matrices, origin, targets, top=10), args.rounds)
        fast = [(option.skills, option.unlocks) for option in upskill(matrices, origin, targets, top=10)]
        start = time.perf_counter()
        reference = reference_upskill(dataset.model, origin, targets, 0.4, 1, 10)
        reference_time = time.perf_counter() - start
        speedup = reference_time / fast_time
        line(f"upskill to {len(targets)} safer professions", f"{fast_time * 1000:.1f} ms")
        line("  straightforward reference", f"{reference_time:.1f} s")
        line("  speed-up, same answers", f"{speedup:.0f}x, {'same' if fast == reference else 'DIFFERENT'}",
             ">= 50x", speedup >= 50 and fast == reference)
    finally:
        shutil.rmtree(workspace, ignore_errors=True)


if __name__ == "__main__":
    main()
