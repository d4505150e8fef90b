"""Attacks on the remote-store client: SPARQL servers on 127.0.0.1 that trickle, send garbage, cut
answers short, never stop, or answer with error pages (tests/hostile_http.py), against ``--endpoint``
on a reading command, ``sparql --endpoint``, ``push`` and ``serve --endpoint``; and endpoint URLs
that cannot be used. Each must end with one error line within its deadline, with bounded memory,
and leave an existing output file alone. Traffic goes to 127.0.0.1 only, except one DNS lookup of a
reserved ``.invalid`` name (RFC 6761), which no resolver can answer with an address.
"""

from __future__ import annotations

import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from functools import partial
from pathlib import Path

from . import Case, Outcome
from .clirun import REPO, environment, judge, run_profgraph

sys.path.insert(0, str(REPO / "tests"))
from hostile_http import HostileServer, serving_dataset  # noqa: E402

MB = 2 ** 20
_MEASURED: dict[str, str] = {}  # figures noted by the cases as they run, printed by FIGURES
QUERY = "SELECT * WHERE { ?s ?p ?o }"
QUICK = {"PROFGRAPH_REMOTE_TIMEOUT": "3"}  # every remote operation of a case ends within 3 s


def _against(behaviour: str, args: list[str], workdir: Path, codes=(1, 3), max_seconds: float = 10,
             max_rss: int | None = 1024 * MB, env: dict | None = None, message: str | None = None,
             figure: str | None = None) -> Outcome:
    with HostileServer(behaviour) as server:
        filled = [part.replace("{url}", server.url).replace("{store}", server.url.replace("/query", "/store"))
                  for part in args]
        run = run_profgraph(filled, workdir, env={**QUICK, **(env or {})}, timeout=max_seconds + 30)
    if figure:
        _MEASURED[figure] = f"{run.seconds:.1f} s, {run.peak_rss / MB:.0f} MB"
    return judge(run, codes, max_seconds, max_rss, message)


READING = ["trickle", "trickle_status", "silent", "garbage", "truncated", "truncated_chunked", "endless",
           "endless_ntriples", "huge_declared", "gzip_bomb", "endless_headers", "json_list", "json_not_json",
           "bad_ntriples", "foreign_triples", "broken_profgraph", "html_error", "html_not_found", "bad_request",
           "redirect_loop", "wrong_type"]
QUERYING = ["trickle", "trickle_status", "silent", "garbage", "truncated", "truncated_chunked", "endless",
            "huge_declared", "gzip_bomb", "endless_headers", "json_list", "json_not_json", "bad_ntriples",
            "html_error", "html_not_found", "bad_request", "redirect_loop", "wrong_type"]
PUSHING = ["trickle", "silent", "garbage", "truncated", "endless", "html_error", "redirect_loop"]

CASES = [Case("remote", f"search --endpoint: {name}", partial(_against, name, ["search", "кассир", "--endpoint", "{url}"]))
         for name in READING]
CASES += [Case("remote", f"sparql --endpoint --timeout 3: {name}",
               partial(_against, name, ["sparql", QUERY, "--endpoint", "{url}", "--timeout", "3"], codes=(1, 2, 3),
                       max_seconds=6, max_rss=768 * MB))
          for name in QUERYING]
CASES += [Case("remote", f"push --endpoint: {name}", partial(_against, name, ["push", "--endpoint", "{store}"]))
          for name in PUSHING]
CASES += [
    Case("remote", "sparql --timeout 5 against a trickled answer stops at about 5 s",
         partial(_against, "trickle", ["sparql", QUERY, "--endpoint", "{url}", "--timeout", "5"], codes=(3,),
                 max_seconds=7.5, env={"PROFGRAPH_REMOTE_TIMEOUT": ""}, message="after the 5 s timeout",
                 figure="trickle")),
    Case("remote", "sparql with no --timeout against an endless body: stopped at the size cap, memory bounded",
         partial(_against, "endless", ["sparql", QUERY, "--endpoint", "{url}"], max_seconds=20, max_rss=768 * MB,
                 env={"PROFGRAPH_REMOTE_TIMEOUT": ""}, message="passed the cap of 268435456 bytes",
                 figure="endless")),
]


def _urls(url: str, workdir: Path, command: str = "push", codes=(2,), message: str = "not a usable endpoint URL",
          env: dict | None = None) -> Outcome:
    args = ["push", "--endpoint", url] if command == "push" else ["search", "кассир", "--endpoint", url]
    return judge(run_profgraph(args, workdir, env=env), codes, 20, message=message)


def _refused(workdir: Path, command: str) -> Outcome:
    with HostileServer("silent") as server:
        port = server.port
    return _urls(f"http://127.0.0.1:{port}/query", workdir, command, (1,), "cannot reach")


def _idn_through_a_loopback_proxy(workdir: Path) -> Outcome:
    with HostileServer("proxy_refusal") as proxy:
        run = run_profgraph(["search", "кассир", "--endpoint", "http://пример.испытание/query"], workdir,
                            env={"HTTP_PROXY": f"http://127.0.0.1:{proxy.port}"})
        sent = proxy.requests[0].split("\r\n")[0] if proxy.requests else "nothing"
    outcome = judge(run, (1,), 20, message="answered 502")
    if "xn--e1afmkfd.xn--80akhbyknj4f" not in sent:
        return Outcome(False, False, f"the proxy saw {sent!r}, not the punycode host; {outcome.detail}")
    return outcome


CASES += [Case("remote", f"push --endpoint {url!r}", partial(_urls, url))
          for url in ("", "127.0.0.1:7878/store", "ftp://host/store", "http://", "http://host:99999/store",
                      "http://host/\x1b[2J")]
CASES += [
    Case("remote", "search --endpoint with a control character", partial(_urls, "http://host/\x1b]0;x\x07", command="search")),
    Case("remote", "search --endpoint: connection refused", partial(_refused, command="search")),
    Case("remote", "push --endpoint: connection refused", partial(_refused, command="push")),
    Case("remote", "search --endpoint: a name that does not resolve (.invalid)",
         partial(_urls, "http://profgraph-attack.invalid/query", command="search", codes=(1,), message="cannot reach")),
    Case("remote", "search --endpoint: an internationalised host name (through a loopback proxy)",
         _idn_through_a_loopback_proxy),
]
CASES += [Case("remote", f"PROFGRAPH_REMOTE_TIMEOUT={value}",
               partial(_urls, "http://127.0.0.1:9/query", command="search", message="PROFGRAPH_REMOTE_TIMEOUT must be",
                       env={"PROFGRAPH_REMOTE_TIMEOUT": value}))
          for value in ("nan", "inf", "-1", "0")]


def _keeps_the_output_file(behaviour: str, workdir: Path) -> Outcome:
    target = workdir / "result.csv"
    target.write_text("the user's earlier result\n", encoding="utf-8")
    with HostileServer(behaviour) as server:
        run = run_profgraph(["sparql", QUERY, "--format", "csv", "--endpoint", server.url, "--timeout", "3",
                             "-o", str(target)], workdir)
    outcome = judge(run, (1, 3), 10)
    lost = target.read_text(encoding="utf-8") != "the user's earlier result\n"
    return Outcome(outcome.handled, lost, outcome.detail + ("; the output file was changed" if lost else ""))


CASES += [Case("remote", f"sparql -o EXISTING against {name}: the file is kept", partial(_keeps_the_output_file, name))
          for name in ("garbage", "truncated", "trickle", "json_not_json")]


# ----------------------------------------------------------------------------- serve --endpoint, a proxy

def _dataset_lines(workdir: Path) -> list[bytes]:
    """The curated dataset as N-Triples lines (what a server holding it would send)."""
    target = workdir / "curated.nt"
    run_profgraph(["export", "--format", "nt", "-o", str(target), "--without-ontology"], workdir)
    return target.read_bytes().splitlines(keepends=True)


def _serve_proxy(behaviour: str, status: int, workdir: Path) -> Outcome:
    """``serve --endpoint`` over a server that holds the curated data but answers queries with
    ``behaviour``: the /sparql answer comes within the deadline, with ``status``, and the server's
    memory stays under 500 MB."""
    import socket
    import subprocess

    import psutil

    lines = _dataset_lines(workdir)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with HostileServer(serving_dataset(lines, behaviour)) as upstream:
        serve = subprocess.Popen([sys.executable, "-m", "profgraph", "serve", "--endpoint", upstream.url, "--port",
                                  str(port), "--sparql-timeout", "2", "--max-result-bytes", str(MB)],
                                 cwd=workdir, env=environment(workdir), stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE)
        peak = [0]
        stop = threading.Event()

        def sample() -> None:
            process = psutil.Process(serve.pid)
            while not stop.wait(0.05):
                try:
                    peak[0] = max(peak[0], sum(p.memory_info().rss for p in [process, *process.children(True)]))
                except psutil.Error:
                    return

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 120
            while True:
                try:
                    urllib.request.urlopen(base + "/", timeout=2).read()
                    break
                except OSError:
                    if serve.poll() is not None or time.monotonic() > deadline:
                        return Outcome(False, False, f"serve did not start: {serve.stderr.read().decode()[-300:]!r}")
                    time.sleep(0.2)
            started = time.monotonic()
            request = urllib.request.Request(base + "/sparql?" + urllib.parse.urlencode({"query": QUERY}),
                                             headers={"Accept": "application/sparql-results+json"})
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    got, text = response.status, response.read()[:300].decode("utf-8", "replace")
            except urllib.error.HTTPError as error:
                got, text = error.code, error.read()[:300].decode("utf-8", "replace")
            seconds = time.monotonic() - started
            time.sleep(1.0)
            gone = bool(upstream.client_gone) or behaviour not in ("trickle", "silent")
        finally:
            stop.set()
            serve.terminate()
            serve.wait(10)
    _MEASURED[f"serve {behaviour}"] = f"{seconds:.1f} s, {peak[0] / MB:.0f} MB"
    problems = [problem for problem, bad in [
        (f"status {got}, expected {status}", got != status), (f"took {seconds:.1f} s", seconds > 3.5),
        (f"peak memory {peak[0] / MB:.0f} MB", peak[0] > 500 * MB),
        ("the upstream connection stayed open after the timeout", not gone),
        ("a raw control character or several lines", "\x1b" in text or "\n" in text.strip())] if bad]
    return Outcome(not problems, False, f"serve --endpoint, upstream {behaviour}: {'; '.join(problems) or 'ok'}"
                                        f" ({got}, {seconds:.1f} s, {peak[0] / MB:.0f} MB) {text[:120]!r}")


CASES += [Case("remote", f"serve --endpoint proxying to {name}", partial(_serve_proxy, name, status))
          for name, status in (("trickle", 503), ("silent", 503), ("endless", 400), ("garbage", 502),
                               ("html_error", 502), ("gzip_bomb", 400))]
CASES += [Case("remote", f"serve --endpoint whose dataset pull meets {name}",
               partial(_against, name, ["serve", "--endpoint", "{url}", "--port", "1"], codes=(1, 3)))
          for name in ("garbage", "bad_ntriples", "json_list", "trickle")]


def _figure(key: str, name: str, target: str):
    return lambda: (name, _MEASURED.get(key, "not run"), target)


FIGURES = [
    _figure("trickle", "sparql --timeout 5 --endpoint, trickled answer", "~5 s"),
    _figure("endless", "sparql --endpoint, endless body (CLI peak RSS)", "< 768 MB"),
    _figure("serve endless", "serve --endpoint proxying an endless body (RSS)", "< 500 MB"),
    _figure("serve trickle", "serve --endpoint proxying a trickle, --sparql-timeout 2", "503 in < 3.5 s"),
]
