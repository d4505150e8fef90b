"""Time ``push`` and the first remote read at ESCO scale against an Oxigraph server, and print each
figure beside its target.

Usage: python benchmarks/bench_remote.py [--store ESCO-STORE] [--data ../shared/data] [--virtuoso]

1. the ESCO store (``--store``, else imported from the download into a temporary folder) is
   exported as N-Quads, and ``oxigraph load --file X.nq`` loads them into an empty folder: the
   baseline time;
2. ``profgraph push`` of the same store to an empty ``oxigraph serve``: its time (target <= 2x the
   load) and its peak memory (target <= 300 MB);
3. a plain Graph Store GET of the pushed graph with httpx, body discarded: the baseline of a read;
4. ``profgraph path ... --endpoint`` with an empty cache, the first remote read (target <= 2x the
   GET), then again with the cache filled (the graph is fetched and hashed, the store reused);
5. with ``--virtuoso``, the curated data against a private Virtuoso 7.2 (tests/virtuoso.py, Debian's
   10,000-row result limit): push with a login, then the first and a cached ``path``.

Each command runs in a child process; its peak memory is its ``ru_maxrss``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_esco import default_data

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the private Virtuoso lives with the tests
MB = 1024 * 1024
ORIGIN = "legal administrative assistant"


def oxigraph_binary() -> str:
    return shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")


def measured(command: list[str], env: dict | None = None) -> tuple[float, int, str]:
    """Run ``command``; return its seconds, its peak RSS (bytes, ``ru_maxrss`` from ``wait4``) and its
    output. Exits with the output when it fails."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read().decode("utf-8", "replace")
    if process.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{text[-2000:]}")
    return seconds, usage.ru_maxrss * 1024, text


def profgraph(*args: str) -> list[str]:
    return [sys.executable, "-m", "profgraph", *args]


def environment(cache: Path, **extra: str) -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PROFGRAPH_CACHE": str(cache), **extra}


def line(what: str, value: str, target: str = "", ok: bool = True) -> None:
    verdict = f"target {target:<12} {'ok' if ok else 'MISSED'}" if target else ""
    print(f"{what:<52}{value:>18}   {verdict}".rstrip(), flush=True)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OxigraphServer:
    """``oxigraph serve`` on an empty folder and a free port, for the ``with`` block."""

    def __init__(self, folder: Path):
        self.base = f"http://127.0.0.1:{free_port()}"
        self.process = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(folder), "--bind",
                                         self.base.removeprefix("http://")],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def __enter__(self) -> "OxigraphServer":
        import urllib.request

        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{self.base}/query?query=ASK%7B%7D", timeout=2).read()
                return self
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    sys.exit("oxigraph serve did not start")
                time.sleep(0.2)

    def __exit__(self, *_) -> None:
        self.process.terminate()
        self.process.wait(30)


def graph_store_get(url: str) -> float:
    """Seconds to GET ``url`` as N-Triples with httpx, the body read and discarded."""
    import httpx

    started = time.perf_counter()
    with httpx.stream("GET", url, headers={"Accept": "application/n-triples"}, timeout=600) as response:
        response.raise_for_status()
        for _ in response.iter_bytes():
            pass
    return time.perf_counter() - started


def esco_store(args, work: Path) -> Path:
    if args.store:
        return args.store
    store = work / "esco-store"
    download, risk = args.data / "esco-v1.1.1", args.data / "nesta-mcc" / "mcc_risk_All_occupations.csv"
    if not download.is_dir():
        sys.exit(f"no ESCO download in {download}; give --store or --data")
    seconds, _, _ = measured(profgraph("import", "esco", str(download), "--risk", str(risk), "--reference",
                                       str(args.data), "--store", str(store)), environment(work / "cache"))
    line("import esco (to have a store)", f"{seconds:.1f} s")
    return store


def bench_oxigraph(store: Path, work: Path) -> None:
    quads = work / "esco.nq"
    measured(profgraph("export", "--format", "nq", "-o", str(quads), "--store", str(store)), environment(work / "cache"))
    print(f"ESCO store {store}: {sum(1 for _ in quads.open('rb')):,} quads, {quads.stat().st_size / MB:.0f} MB "
          "of N-Quads", flush=True)
    load_seconds, load_rss, _ = measured([oxigraph_binary(), "load", "--location", str(work / "loaded"),
                                          "--file", str(quads)])
    line("oxigraph load --file esco.nq (empty folder)", f"{load_seconds:.1f} s, {load_rss / MB:.0f} MB")
    with OxigraphServer(work / "served") as server:
        push_seconds, push_rss, output = measured(profgraph("push", "--endpoint", f"{server.base}/store", "--store",
                                                            str(store)), environment(work / "cache"))
        print(f"  {output.strip().splitlines()[-1]}")
        line("profgraph push (empty oxigraph serve)", f"{push_seconds:.1f} s",
             f"<= {2 * load_seconds:.1f} s", push_seconds <= 2 * load_seconds)
        line("  its peak memory", f"{push_rss / MB:.0f} MB", "<= 300 MB", push_rss <= 300 * MB)
        get_seconds = graph_store_get(f"{server.base}/store?default")
        line("Graph Store GET of the graph (httpx, discarded)", f"{get_seconds:.1f} s")
        path = profgraph("path", ORIGIN, "--to", "safer", "--lang", "en", "--endpoint", f"{server.base}/query")
        first_seconds, first_rss, _ = measured(path, environment(work / "remote-cache"))
        line("first remote read: path --endpoint, empty cache", f"{first_seconds:.1f} s",
             f"<= {2 * get_seconds:.1f} s", first_seconds <= 2 * get_seconds)
        line("  its peak memory", f"{first_rss / MB:.0f} MB")
        again_seconds, again_rss, _ = measured(path, environment(work / "remote-cache"))
        line("path --endpoint again (graph fetched, store reused)", f"{again_seconds:.1f} s, {again_rss / MB:.0f} MB")


def bench_virtuoso(work: Path) -> None:
    from virtuoso import MISSING, private_virtuoso

    if MISSING:
        print(f"Virtuoso: skipped ({MISSING})")
        return
    with private_virtuoso(work / "virtuoso") as server:
        login = {"PROFGRAPH_USER": server.user, "PROFGRAPH_PASSWORD": server.password}
        graph = "https://w3id.org/profgraph/graph/data"
        seconds, rss, output = measured(profgraph("push", "--endpoint", server.store, "--graph", graph),
                                        environment(work / "cache", **login))
        print(f"  {output.strip().splitlines()[-1]}")
        line("Virtuoso: push of the curated data (Digest login)", f"{seconds:.1f} s, {rss / MB:.0f} MB")
        path = profgraph("path", "кассир", "--to", "emerging", "--endpoint", server.query)
        reading = environment(work / "virtuoso-cache", PROFGRAPH_GRAPH=graph)
        seconds, rss, _ = measured(path, reading)
        line("Virtuoso: first path --endpoint (pages of 10,000)", f"{seconds:.1f} s, {rss / MB:.0f} MB")
        seconds, rss, _ = measured(path, reading)
        line("Virtuoso: path --endpoint again (cache reused)", f"{seconds:.1f} s, {rss / MB:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="an ESCO store built by 'profgraph import esco' (default: "
                                                   "import one into a temporary folder)")
    parser.add_argument("--data", type=Path, default=default_data())
    parser.add_argument("--virtuoso", action="store_true", help="also the curated data against a private Virtuoso")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="profgraph-bench-remote-") as folder:
        work = Path(folder)
        bench_oxigraph(esco_store(args, work), work)
        if args.virtuoso:
            bench_virtuoso(work)


if __name__ == "__main__":
    main()
