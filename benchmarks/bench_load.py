"""Load test of ``profgraph serve``: start the server on loopback, drive it from a second process with
bounded concurrency for a fixed time, mixing path, search and SPARQL requests, and print throughput,
p50/p95/p99 latency per kind and the error count.

    python benchmarks/bench_load.py                       # 50 clients, 30 s, the curated data
    python benchmarks/bench_load.py --clients 20 --seconds 10 --store esco-store

Target (issue 7): no errors, p95 under 200 ms for path and search on the curated data.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

ORIGINS = ["кассир", "бухгалтер", "оператор call-центра", "cashier", "библиотекарь", "водитель такси", "секретарь"]
SEARCHES = ["кассир", "аналитик", "оператор", "developer", "менеджер", "инженер", "data", "водитель"]
QUERIES = [
    "SELECT ?p ?l WHERE { ?p a pg:Profession ; skos:prefLabel ?l ; pg:status pg:Emerging FILTER(lang(?l) = 'ru') } LIMIT 50",
    "SELECT ?s (COUNT(?p) AS ?n) WHERE { ?p pg:sector ?s } GROUP BY ?s ORDER BY DESC(?n)",
    "ASK { ?p pg:transformsInto ?q }",
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def request_for(rng: random.Random) -> tuple[str, str]:
    kind = rng.choices(["path", "search", "sparql"], weights=[4, 4, 2])[0]
    if kind == "path":
        return kind, "/api/path?" + urllib.parse.urlencode({"from": rng.choice(ORIGINS), "to": "emerging", "lang": "ru"})
    if kind == "search":
        return kind, "/api/search?" + urllib.parse.urlencode({"q": rng.choice(SEARCHES)})
    return kind, "/sparql?" + urllib.parse.urlencode({"query": rng.choice(QUERIES)})


async def drive(base: str, clients: int, seconds: float) -> dict:
    import httpx

    results: dict[str, list[float]] = {"path": [], "search": [], "sparql": []}
    errors: dict[str, int] = {}
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30.0,
                                 headers={"Accept": "application/sparql-results+json, application/json"}) as client:
        async def worker(number: int) -> None:
            rng = random.Random(number)
            while time.monotonic() < deadline:
                kind, url = request_for(rng)
                started = time.perf_counter()
                try:
                    response = await client.get(url)
                    failed = response.status_code != 200
                except httpx.HTTPError as error:
                    failed, response = True, error
                elapsed = time.perf_counter() - started
                if failed:
                    key = f"{kind} {getattr(response, 'status_code', type(response).__name__)}"
                    errors[key] = errors.get(key, 0) + 1
                else:
                    results[kind].append(elapsed)

        await asyncio.gather(*(worker(number) for number in range(clients)))
    return {"latencies": results, "errors": errors}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--store", help="a store folder (default: the curated data)")
    parser.add_argument("--sparql-workers", type=int, default=2)
    args = parser.parse_args()

    port = free_port()
    command = [sys.executable, "-m", "profgraph", "serve", "--port", str(port),
               "--sparql-workers", str(args.sparql_workers)] + (["--store", args.store] if args.store else [])
    server = subprocess.Popen(command, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(base + "/api/search?q=a", timeout=2).read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    sys.exit(f"the server did not start: {server.stderr.read().decode()}")
                time.sleep(0.2)
        # warm-up: the SPARQL workers start on the first query
        urllib.request.urlopen(base + "/sparql?" + urllib.parse.urlencode({"query": "ASK {}"}), timeout=30).read()
        # the load runs in a second process, as the issue asks
        child = subprocess.run([sys.executable, __file__, "--drive", base, str(args.clients), str(args.seconds)],
                               capture_output=True, text=True, check=True)
        report = json.loads(child.stdout)
    finally:
        server.terminate()
        server.wait(10)

    latencies, errors = report["latencies"], report["errors"]
    total = sum(len(values) for values in latencies.values())
    print(f"profgraph serve on loopback, {args.clients} concurrent clients for {args.seconds:g} s, "
          f"{os.cpu_count()} CPUs")
    print(f"requests: {total + sum(errors.values())}, throughput {total / args.seconds:.0f} req/s, "
          f"errors: {sum(errors.values())}" + (f" {errors}" if errors else ""))
    print(f"{'kind':<8}{'count':>8}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'mean ms':>10}")
    for kind, values in latencies.items():
        if values:
            print(f"{kind:<8}{len(values):>8}{percentile(values, 0.5) * 1000:>10.1f}"
                  f"{percentile(values, 0.95) * 1000:>10.1f}{percentile(values, 0.99) * 1000:>10.1f}"
                  f"{statistics.mean(values) * 1000:>10.1f}")
    print("target: no errors, p95 < 200 ms for path and search")


if __name__ == "__main__":
    import urllib.parse

    if len(sys.argv) == 5 and sys.argv[1] == "--drive":
        print(json.dumps(asyncio.run(drive(sys.argv[2], int(sys.argv[3]), float(sys.argv[4])))))
    else:
        main()
