"""Time the HTML views: building and writing graph pages, building the static site, and (when
Chromium and Playwright are installed) how long the pages take to open and lay out in a browser.

Usage:
  python benchmarks/bench_render.py                      # the embedded curated data
  python benchmarks/bench_render.py --store DIR          # a store built by 'profgraph import'
  python benchmarks/bench_render.py --data DIR           # other curated tables
  python benchmarks/bench_render.py --synthetic 3000 --name "profession 1" --no-site
                                   # a random graph: 3000 professions, 12000 skills, 20 sectors
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


def synthetic_store(professions: int, folder: Path):
    """Build and return a store of a random graph with ``professions`` professions, four times as
    many skills, 20 sectors, 12 skills a profession (8 from its sector's share); seeded."""
    import random

    from profgraph.model import Model, Profession, Sector, Skill, Source
    from profgraph.store import build_store
    from profgraph.vocab import SKILL_TYPES, STATUSES, iri

    rng = random.Random(1)

    def labels(word_en, word_ru, word_kk, number):
        return {"en": f"{word_en} {number}", "ru": f"{word_ru} {number}", "kk": f"{word_kk} {number}"}

    sectors = {f"s{i}": Sector(f"s{i}", iri("sector", f"s{i}"), chr(65 + i), labels("sector", "отрасль", "сала", i))
               for i in range(20)}
    skills = {f"k{i}": Skill(f"k{i}", iri("skill", f"k{i}"), rng.choice(SKILL_TYPES),
                             labels("skill", "навык", "дағды", i)) for i in range(4 * professions)}
    skill_ids = list(skills)
    share = len(skill_ids) // 20
    model_professions = {}
    for i in range(professions):
        sector = rng.randrange(20)
        needs = list(dict.fromkeys(rng.sample(skill_ids[sector * share:(sector + 1) * share], 8)
                                   + rng.sample(skill_ids, 4)))
        model_professions[f"p{i}"] = Profession(
            f"p{i}", iri("profession", f"p{i}"), labels("profession", "профессия", "кәсіп", i), sector=f"s{sector}",
            status=rng.choice(STATUSES), exposure=rng.random(), exposure_source="random",
            essential=tuple(needs[:9]), optional=tuple(needs[9:]))
    model = Model("synthetic", model_professions, skills, sectors, [],
                  {"random": Source("random", iri("source", "random"), "random figures")})
    return build_store(model, folder)


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
    parser.add_argument("--synthetic", type=int, metavar="PROFESSIONS", help="a random graph of this many professions")
    parser.add_argument("--name", default="кассир", help="the profession of the neighbourhood view")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-site", action="store_true", help="skip the site build")
    parser.add_argument("--no-browser", action="store_true", help="skip the browser figures")
    options = parser.parse_args()

    import profgraph
    from profgraph.web.graphview import build_view, write_graph_page
    from profgraph.web.site import build_site

    scratch = Path(tempfile.mkdtemp(prefix="bench-render-"))
    try:
        if options.synthetic:
            dataset = synthetic_store(options.synthetic, scratch / "store")
        else:
            dataset = profgraph.load(options.store, options.data)
        model = dataset.model
        dataset.graph  # load the cached views before timing
        print(f"dataset: {model.name}: {len(model.professions)} professions, {len(model.skills)} skills, "
              f"{sum(len(p.skills) for p in model.professions.values())} requirements")
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
