"""Time the HTML views: building and writing graph pages, building the static site, and (when
Chromium and Playwright are installed) how long the pages take to open and lay out in a browser.

Usage:
  python benchmarks/bench_render.py                      # the embedded curated data
  python benchmarks/bench_render.py --store DIR          # a store built by 'profgraph import'
  python benchmarks/bench_render.py --data DIR           # other curated tables
  python benchmarks/bench_render.py --no-site --rounds 5

The dataset's store is built (or opened) before timing, so the figures are the cost of the views.
Browser figures: "ready" is from navigation until the graph is laid out and drawn; "layout" is
the in-page part of that (vis-network's physics, measured by the page itself).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def timed(function, rounds: int):
    """Return (median seconds, last result) of ``rounds`` calls of ``function``."""
    times, result = [], None
    for _ in range(rounds):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def browser_figures(pages: dict[str, Path], rounds: int) -> None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("browser: skipped (pip install playwright)")
        return
    if not CHROMIUM.exists():
        print(f"browser: skipped ({CHROMIUM} missing)")
        return
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        for name, path in pages.items():
            ready, layout, blocked = [], [], []
            for _ in range(rounds):
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                page.route("http*://**/*", lambda route: (blocked.append(route.request.url), route.abort()))
                start = time.perf_counter()
                page.goto(path.as_uri())
                while not page.evaluate("() => !!(window.profgraph && window.profgraph.ready)"):
                    page.wait_for_timeout(20)
                ready.append(time.perf_counter() - start)
                layout.append(page.evaluate("() => window.profgraph.stabilizedMs") / 1000)
                page.close()
            print(f"browser {name:<28} ready median {statistics.median(ready) * 1000:7.0f} ms   "
                  f"layout median {statistics.median(layout) * 1000:7.0f} ms   requests blocked: {len(blocked)}")
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="a store folder (profgraph import)")
    parser.add_argument("--data", help="a folder of curated tables")
    parser.add_argument("--name", default="кассир", help="the profession of the neighbourhood view")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-site", action="store_true", help="skip the site build")
    parser.add_argument("--no-browser", action="store_true", help="skip the browser figures")
    options = parser.parse_args()

    import profgraph
    from profgraph.render import build_view, write_graph_page
    from profgraph.site import build_site

    dataset = profgraph.load(options.store, options.data)
    model = dataset.model
    dataset.graph  # load the cached views before timing
    print(f"dataset: {model.name}: {len(model.professions)} professions, {len(model.skills)} skills, "
          f"{sum(len(p.skills) for p in model.professions.values())} requirements")
    scratch = Path(tempfile.mkdtemp(prefix="bench-render-"))
    try:
        pages = {}
        for title, kwargs in ((f"{options.name} --to emerging", {"name": options.name, "to": "emerging"}),
                              ("whole graph", {})):
            path = scratch / f"{len(pages)}.html"
            view = build_view(dataset, lang="kk", **kwargs)
            seconds, _ = timed(lambda: write_graph_page(build_view(dataset, lang="kk", **kwargs), path),
                               options.rounds)
            print(f"render {title:<29} {seconds * 1000:7.0f} ms   {len(view.nodes)} nodes, {len(view.edges)} links, "
                  f"{path.stat().st_size / 1e6:.2f} MB" + (f"   ({'; '.join(view.notes)})" if view.notes else ""))
            pages[title] = path
        if not options.no_site:
            start = time.perf_counter()
            summary = build_site(dataset, scratch / "site")
            seconds = time.perf_counter() - start
            size = sum(path.stat().st_size for path in summary.folder.rglob("*") if path.is_file())
            print(f"site build (kk, ru, en)          {seconds:7.1f} s    {summary.pages} pages, "
                  f"{seconds / summary.pages * 1000:.1f} ms a page, {size / 1e6:.0f} MB")
            pages["site profession page"] = summary.folder / "ru" / "profession" / next(
                path.name for path in (summary.folder / "ru" / "profession").iterdir())
        if not options.no_browser:
            browser_figures(pages, options.rounds)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
