"""The graph pages and the static site in a real browser: headless Chromium driven by Playwright.

Every page is opened from disk with the network cut: any http(s) request is aborted and counted,
and there must be none. Console errors and page errors fail the test. Screenshots go to
test-artifacts/ (see what the counsellor sees). Skips only when Chromium or Playwright is missing;
.ci/run installs both.
"""

from __future__ import annotations

import csv
import re
import shutil
import time
from pathlib import Path

import pytest

from profgraph.web.graphview import DIMMED_OPACITY, build_view, write_graph_page
from profgraph.resources import data_dir

from conftest import curated_rows, edit_csv

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
XSS_LABEL = "<script>window.pwned=1</script>аналитик"

if not CHROMIUM.exists():
    pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium; .ci/run does)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install '.[test]')")

CANVAS_INK = """() => {
  const canvas = document.querySelector('#pg-network canvas');
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let ink = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    if (pixels[i + 3] > 0 && (pixels[i] < 235 || pixels[i + 1] < 235 || pixels[i + 2] < 235)) ink++;
  }
  return ink;
}"""


def table(name: str) -> dict[str, dict]:
    """The rows of the curated table ``data/NAME.csv`` by id."""
    return {row["id"]: row for row in curated_rows(name)}


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


class Tab:
    """One browser page with the network cut off, its blocked requests and its console errors."""

    def __init__(self, browser):
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.route("http://**/*", self._block)
        self.page.route("https://**/*", self._block)
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("dialog", lambda dialog: (self.errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))

    def _block(self, route):
        self.requests.append(route.request.url)
        route.abort()

    def open(self, path: Path, graph: bool = True, timeout: float = 60.0):
        """Load the file; with ``graph``, wait until the graph is drawn and laid out."""
        self.page.goto(path.resolve().as_uri())
        if graph:
            started = time.monotonic()
            # polled from Python: the graph page's CSP forbids the eval that wait_for_function needs
            while not self.page.evaluate("() => !!(window.profgraph && window.profgraph.ready)"):
                assert time.monotonic() - started < timeout, f"{path.name}: graph not laid out in {timeout} s"
                self.page.wait_for_timeout(50)
        return self.page

    def check_clean(self):
        assert self.requests == [], f"network requests: {self.requests}"
        assert self.errors == [], f"console errors: {self.errors}"

    def screenshot(self, name: str, full_page: bool = False):
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / name), full_page=full_page)


@pytest.fixture
def tab(browser):
    tab = Tab(browser)
    yield tab
    tab.page.close()


@pytest.fixture(scope="module")
def paths_page(curated, path_origin, tmp_path_factory) -> Path:
    """The graph page of the profession with the most paths (``path_origin``), its paths highlighted."""
    return write_graph_page(build_view(curated, profession_id=path_origin.id, to="emerging", lang="kk"),
                            tmp_path_factory.mktemp("render") / f"{path_origin.id}.html")


def test_paths_page_offline(tab, paths_page, path_origin):
    page = tab.open(paths_page)
    professions = table("professions")
    assert page.evaluate(CANVAS_INK) > 5000
    state = page.evaluate("""() => ({nodes: window.profgraph.nodes.get(), paths: window.profgraph.data.paths,
                                     highlighted: window.profgraph.highlighted})""")
    ranks = list(range(1, len(state["paths"]) + 1))  # the paths that pass the rules, at most 5
    assert 1 <= len(ranks) <= 5 and state["highlighted"] == ranks
    for node in state["nodes"]:
        kind, entity = node["id"].split(":", 1)
        if kind == "profession":
            assert node["label"] == professions[entity]["label_kk"]
            on_path = any(node["id"] in path["nodes"] for path in state["paths"])
            assert node.get("opacity", 1) == (1 if on_path or entity == path_origin.id else pytest.approx(DIMMED_OPACITY))
    assert page.locator("#pg-details h2").inner_text() == professions[path_origin.id]["label_kk"]
    assert page.locator(".pg-path").count() == len(ranks)
    tab.screenshot("render-paths-kk.png")
    page.locator(".pg-path").first.click()
    assert page.evaluate("() => window.profgraph.highlighted") == [1]
    tab.check_clean()


def test_clicking_a_node_shows_its_details(tab, paths_page):
    page = tab.open(paths_page)
    target = page.evaluate("""() => {
      const net = window.profgraph.network, box = document.getElementById('pg-network').getBoundingClientRect();
      for (const id of window.profgraph.nodes.getIds()) {
        if (!id.startsWith('profession:') || id === window.profgraph.data.focus) continue;
        const spot = net.canvasToDOM(net.getPositions([id])[id]);
        if (spot.x > 0 && spot.y > 0 && spot.x < box.width && spot.y < box.height && net.getNodeAt(spot) === id)
          return {id: id, x: box.left + spot.x, y: box.top + spot.y};
      }
    }""")
    page.mouse.click(target["x"], target["y"])
    expected = table("professions")[target["id"].split(":", 1)[1]]
    assert page.locator("#pg-details h2").inner_text() == expected["label_kk"]
    assert expected["isco08"] in page.locator("#pg-details").inner_text()
    tab.check_clean()


def test_search_finds_and_focuses_a_profession(tab, curated, tmp_path):
    path = write_graph_page(build_view(curated, lang="ru"), tmp_path / "all.html")
    page = tab.open(path)
    professions = table("professions")
    query = "оператор"
    # labels and synonyms in any language, as the CLI's search reads them
    expected = {row["label_ru"] for row in professions.values()
                if any(query in row[f"{column}_{lang}"].casefold() for column in ("label", "alt")
                       for lang in ("kk", "ru", "en"))}
    page.locator("#pg-search").fill(query)
    shown = page.locator("#pg-search-results button").all_inner_texts()
    assert set(shown) <= expected and len(shown) == min(12, len(expected))
    page.locator("#pg-search").press("Enter")
    selected = page.evaluate("() => window.profgraph.network.getSelectedNodes()")
    assert len(selected) == 1 and professions[selected[0].split(":", 1)[1]]["label_ru"] == shown[0]
    assert page.locator("#pg-details h2").inner_text() == shown[0]
    tab.screenshot("render-whole-graph-ru.png")
    tab.check_clean()


def test_node_count_matches_the_tables(tab, curated, tmp_path):
    with (data_dir() / "requirements.csv").open(encoding="utf-8") as handle:
        requirements = list(csv.DictReader(handle))
    finance = {pid for pid, row in table("professions").items() if row["sector"] == "finance"}
    needs: dict[str, int] = {}
    for row in requirements:
        if row["profession"] in finance:
            needs[row["skill"]] = needs.get(row["skill"], 0) + 1
    expected = len(finance) + sum(1 for count in needs.values() if count >= 2) + 1  # + the sector
    path = write_graph_page(build_view(curated, sectors=["finance"], lang="en"), tmp_path / "finance.html")
    page = tab.open(path)
    assert page.evaluate("() => window.profgraph.nodes.length") == expected
    assert page.evaluate(CANVAS_INK) > 5000
    tab.check_clean()


def test_labels_show_as_text(tab, tiny_copy, tmp_path):
    import profgraph

    edit_csv(tiny_copy / "professions.csv", "талдаушы,аналитик,analyst", f"талдаушы,{XSS_LABEL},analyst")
    view = build_view(profgraph.load(data=tiny_copy), "clerk", depth=2, to="emerging", lang="ru")
    page = tab.open(write_graph_page(view, tmp_path / "xss.html"))
    page.locator("#pg-search").fill("script")
    button = page.locator("#pg-search-results button")
    assert button.all_inner_texts() == [XSS_LABEL]
    button.click()
    assert page.locator("#pg-details h2").inner_text() == XSS_LABEL
    assert page.evaluate("() => window.pwned") is None
    assert page.locator("#pg-details script, #pg-details img, .pg-paths script").count() == 0
    assert XSS_LABEL in page.locator(".pg-paths").inner_text()
    tab.check_clean()


def test_site_in_the_browser(tab, curated_site, path_origin):
    professions = table("professions")
    page = tab.open(curated_site / "index.html", graph=False)
    page.get_by_role("link", name="Русский").click()
    assert page.url.endswith("/ru/index.html")
    tab.screenshot("site-index-ru.png")
    page.locator("a.profession", has_text=professions["cashier"]["label_ru"]).first.click()
    assert page.url.endswith("/ru/profession/cashier.html")
    tab.open(curated_site / "ru" / "profession" / "cashier.html")
    assert page.evaluate(CANVAS_INK) > 5000
    assert page.locator("h1").inner_text() == professions["cashier"]["label_ru"]
    tab.screenshot("site-profession-cashier-ru.png", full_page=True)
    page.locator(".site-languages a[hreflang=kk]").click()
    assert page.url.endswith("/kk/profession/cashier.html")
    assert page.locator("h1").inner_text() == professions["cashier"]["label_kk"]
    assert page.get_attribute("html", "lang") == "kk"
    tab.open(curated_site / "ru" / "profession" / f"{path_origin.id}.html")
    assert page.locator(".path-list > li").count() >= 3
    tab.check_clean()


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_site_pages_load_cleanly(tab, curated_site, lang):
    skills = table("skills")
    for page_file in ("index.html", "sectors.html", "skills.html"):
        tab.open(curated_site / lang / page_file, graph=False)
    tab.open(curated_site / lang / "skill" / "cash-handling.html", graph=False)
    assert tab.page.locator("h1").inner_text() == skills["cash-handling"][f"label_{lang}"]
    page = tab.open(curated_site / lang / "graph.html")
    assert page.evaluate(CANVAS_INK) > 5000
    if lang == "kk":
        tab.screenshot("site-graph-kk.png")
    first = page.evaluate("() => window.profgraph.nodes.getIds().find(id => id.startsWith('profession:'))")
    page.evaluate("(id) => window.profgraph.focus(id)", first)
    link = page.locator("#pg-details a")
    assert link.get_attribute("href") == f"profession/{first.split(':', 1)[1]}.html"
    link.click()
    assert page.url.endswith(f"/{lang}/profession/{first.split(':', 1)[1]}.html")
    tab.check_clean()


def test_whole_graph_lays_out(tab, curated, tmp_path):
    path = write_graph_page(build_view(curated, lang="en"), tmp_path / "whole.html")
    page = tab.open(path, timeout=30.0)
    assert page.evaluate(CANVAS_INK) > 20000
    assert page.evaluate("() => window.profgraph.stabilizedMs") is not None
    tab.screenshot("render-whole-graph-en.png")
    tab.check_clean()


def test_copied_site_still_works(tab, curated_site, tmp_path):
    """A counsellor copies the folder elsewhere (a USB stick): links are relative, so it still works."""
    copy = tmp_path / "stick" / "atlas"
    shutil.copytree(curated_site, copy)
    page = tab.open(copy / "en" / "profession" / "cashier.html")
    assert page.evaluate(CANVAS_INK) > 5000
    page.locator("a", has_text="Skills").first.click()
    assert Path(page.url.removeprefix("file://")).resolve() == (copy / "en" / "skills.html").resolve()
    tab.check_clean()


# -- a graph and pages a counsellor can put in front of a client -----------------------------------

LABEL_OVERLAPS = """() => {
  const state = window.profgraph, body = state.network.body;
  const boxes = state.nodes.getIds().filter(id => !state.nodes.get(id).hidden).map(id => {
    const size = body.nodes[id].labelModule.size;  // the label as last drawn, in canvas coordinates
    return {id: id, left: size.left, top: size.top, right: size.left + size.width, bottom: size.top + size.height};
  }).filter(box => box.right > box.left);
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    if (Math.min(a.right, b.right) > Math.max(a.left, b.left) && Math.min(a.bottom, b.bottom) > Math.max(a.top, b.top))
      overlaps.push([a.id, b.id]);
  }
  return {labels: boxes.length, overlaps: overlaps};
}"""


def contrast(colour: str, background: str = "#ffffff") -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours."""
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    high, low = sorted((luminance(colour), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_graph_labels_do_not_overlap(tab, curated, path_origin, tmp_path, lang):
    """The cashier's 29 nodes had overlapping long labels (Kazakh the worst); after the layout no two
    labels drawn on the canvas share a pixel, and labels off the paths stay readable (on the page of
    the profession with the most paths)."""
    path = write_graph_page(build_view(curated, profession_id=path_origin.id, to="emerging", lang=lang),
                            tmp_path / f"paths-{lang}.html")
    page = tab.open(path)
    measured = page.evaluate(LABEL_OVERLAPS)
    assert measured["labels"] == page.evaluate("() => window.profgraph.nodes.length") > 20
    assert measured["overlaps"] == []
    faded = page.evaluate("""() => window.profgraph.nodes.get().filter(node => node.opacity < 1)
                                   .map(node => node.font.color)""")
    assert faded and all(contrast(colour) >= 4.5 for colour in faded)
    tab.screenshot(f"graph-paths-{lang}.png")
    tab.check_clean()


def test_paths_only_hides_everything_off_the_paths(tab, paths_page):
    page = tab.open(paths_page)
    on_paths = set(page.evaluate("""() => window.profgraph.data.paths.flatMap(path => path.nodes)
                                          .concat([window.profgraph.data.focus])"""))
    page.locator("#pg-paths-only").check()
    shown = set(page.evaluate("() => window.profgraph.nodes.get().filter(node => !node.hidden).map(node => node.id)"))
    assert shown == on_paths
    assert page.evaluate("""() => window.profgraph.edges.get().filter(edge => !edge.hidden)
                                  .every(edge => edge.kind === 'path')""")
    page.locator("#pg-paths-only").uncheck()
    assert page.evaluate("() => window.profgraph.nodes.get().every(node => !node.hidden)")
    tab.check_clean()


VIEWPORTS = [(1366, 768), (390, 844)]  # a laptop and a phone


@pytest.mark.parametrize("width,height", VIEWPORTS)
def test_every_page_type_shows_its_legend_without_scrolling(browser, curated_site, paths_page, width, height):
    pages = [(paths_page, True)] + [(curated_site / "kk" / name, name in ("graph.html", "profession/cashier.html"))
                                      for name in ("index.html", "sectors.html", "skills.html", "graph.html",
                                                   "profession/cashier.html", "skill/cash-handling.html")]
    tab = Tab(browser)
    tab.page.set_viewport_size({"width": width, "height": height})
    try:
        for path, graph in pages:
            page = tab.open(path, graph=graph)
            box = page.locator(".legend").first.bounding_box()
            assert box is not None and box["width"] > 0, path
            assert 0 <= box["y"] and box["y"] + box["height"] <= height, (path, box)
            statuses = page.locator(".legend").first.locator(".pg-dot, .dot")
            assert statuses.count() >= 4
            assert page.evaluate("() => document.documentElement.scrollWidth") <= width, path  # no sideways scroll
        tab.check_clean()
    finally:
        tab.page.close()


@pytest.mark.parametrize("query", ["кассир", "kassir", "cashier", "КАССИР"])
def test_site_index_search_finds_the_cashier(tab, curated_site, query):
    professions = table("professions")
    page = tab.open(curated_site / "ru" / "index.html", graph=False)
    page.locator("#site-search").fill(query)
    first = page.locator("#site-search-results a").first
    assert first.inner_text() == professions["cashier"]["label_ru"]
    page.locator("#site-search").press("Enter")
    page.wait_for_url("**/ru/profession/cashier.html")
    tab.check_clean()


def test_browser_search_folds_and_ranks_as_the_cli(tab, curated, curated_site):
    """The page folds every label and synonym to the key profgraph.lookup.search_key gives, and its
    first hit for typed queries (any script, typos) is the CLI's."""
    from profgraph.lookup import search_key

    page = tab.open(curated_site / "en" / "index.html", graph=False)
    names = [text for entity in [*curated.model.professions.values(), *curated.model.skills.values()]
             for text in [*entity.labels.values(), *(t for texts in entity.alt_labels.values() for t in texts)]]
    names += ["Ёлка ӘҒҚҢӨҰҮҺІ", "qarjy şot", "Straße", "café  —  naïve", "щука Юлия Яна", "ТЕХНИК-ПРОГРАММИСТ"]
    folded = page.evaluate("(names) => names.map(name => window.profgraphSiteSearch.fold(name))", names)
    assert [name for name, key in zip(names, folded) if key != search_key(name)] == []
    queries = ["кассир", "kassir", "kasir", "cashier", "бухгалтер", "buhgalter", "есепші", "esepshi", "сварщик",
               "svarshik", "data analyst", "оператор дронов", "qarjy"]
    hits = page.evaluate("""(queries) => queries.map(query => {
        const search = window.profgraphSiteSearch;
        const found = window.ProfgraphSearch.rank(search.entries, search.fold(query), 1);
        return found.length ? found[0].entry.kind + ':' + found[0].entry.id : null;
    })""", queries)
    for query, hit in zip(queries, hits):
        best = curated.names.search(query, limit=1)
        assert hit == (f"{best[0].kind}:{best[0].id}" if best else None), query
    tab.check_clean()


# Words and marks that must not show on a Kazakh or Russian page: English words of the interface and
# of the data's English titles, file names, raw links, the dataset's internal name, language codes.
ENGLISH_LEAKS = re.compile(
    r"\.csv|\(curated\)|\bcurated\b|https?://|\ben:|\bkk:|\bru:|\b(?:the|and|of|per|by|for|with|from|to)\b|"
    r"\b(?:coverage|score|cost|effort|skills?|professions?|emerging|transforming|stable|disappearing|essential|"
    r"optional|automation|exposure|risk|source|sectors?|search|legend|paths?|steps?|unit group|estimate|"
    r"unknown|table|occupations?|made by|data|viable|move|graph|details)\b", re.IGNORECASE)
PAGE_TEXT = """() => {
  const texts = [document.title, document.body.innerText];
  document.querySelectorAll('[title], [placeholder], [aria-label]').forEach(element => {
    for (const name of ['title', 'placeholder', 'aria-label'])
      if (element.getAttribute(name)) texts.push(element.getAttribute(name));
  });
  if (window.profgraph) {  // the graph's tooltips and details panel, drawn on demand
    const data = window.profgraph.data;
    data.nodes.forEach(node => texts.push(node.title || ''));
    data.edges.forEach(edge => texts.push(edge.title || ''));
    Object.values(data.details).forEach(item => item.fields.forEach(field => texts.push(field.join(': '))));
  }
  return texts.join('\\n');
}"""


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_local_pages_show_no_english(tab, curated, curated_site, tmp_path, lang):
    standalone = write_graph_page(build_view(curated, "кассир", to="emerging", lang=lang), tmp_path / "cashier.html")
    pages = [(curated_site / lang / name, name.endswith(("graph.html", ".html")) and "/" in name or name == "graph.html")
             for name in ("index.html", "sectors.html", "skills.html", "graph.html", "profession/cashier.html",
                          "profession/accounting-clerk.html", "skill/cash-handling.html")] + [(standalone, True)]
    for path, graph in pages:
        page = tab.open(path, graph=graph and "skill/" not in str(path))
        found = sorted({match.group(0).lower() for match in ENGLISH_LEAKS.finditer(page.evaluate(PAGE_TEXT))})
        assert found == [], f"{path.relative_to(path.parents[2])}: {found}"
    tab.check_clean()


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_a_printed_profession_page_fits_two_a4_pages_without_the_graph(tab, curated_site, lang):
    """Printing the cashier's page gave five A4 pages, the graph among them."""
    import io

    pypdf = pytest.importorskip("pypdf", reason="pypdf is not installed (pip install '.[test]')")
    for origin in ("cashier", "accounting-clerk"):
        tab.page.emulate_media(media="null")  # no emulation: a graph hidden by print styles never lays out
        page = tab.open(curated_site / lang / "profession" / f"{origin}.html")
        pdf = pypdf.PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
        assert 1 <= len(pdf.pages) <= 2, (origin, len(pdf.pages))
        assert sum(len(sheet.images) for sheet in pdf.pages) == 0  # a canvas prints as an image
        text = "".join(sheet.extract_text() for sheet in pdf.pages)
        assert table("professions")[origin][f"label_{lang}"] in text
        page.emulate_media(media="print")
        assert not page.locator("#pg-network").is_visible()
        assert not page.locator(".site-nav").is_visible() and not page.locator("#site-search").is_visible()
        if origin == "cashier":
            page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
            tab.screenshot(f"print-profession-cashier-{lang}.png", full_page=True)
    tab.check_clean()
