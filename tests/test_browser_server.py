"""The counsellor UI of ``profgraph serve`` in a real browser: search for "кассир", open its page,
run the path finder, see the graph. Only the server's own origin is reachable; any other request
is aborted and fails the test, and so do console errors."""

from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request

import pytest

from test_browser import CANVAS_INK, Tab, browser  # noqa: F401,F811  (browser is a fixture)


class ServerTab(Tab):
    """A :class:`Tab` that lets requests to the server under test through."""

    def __init__(self, browser, origin: str):
        self.origin = origin
        super().__init__(browser)

    def _block(self, route):
        if route.request.url.startswith(self.origin + "/"):
            route.continue_()
        else:
            super()._block(route)

    def wait_for_graph(self, timeout: float = 60.0):
        started = time.monotonic()
        while not self.page.evaluate("() => !!(window.profgraph && window.profgraph.ready)"):
            assert time.monotonic() - started < timeout, "graph not laid out"
            self.page.wait_for_timeout(50)


@pytest.fixture
def server_tab(browser, live_server):  # noqa: F811
    tab = ServerTab(browser, live_server)
    yield tab
    tab.page.close()


def test_search_open_page_and_find_paths(server_tab, live_server, curated, path_origin):
    page = server_tab.page
    page.goto(live_server + "/ru/")
    page.fill("form.site-search input[name=q]", "кассир")
    page.press("form.site-search input[name=q]", "Enter")
    page.wait_for_url("**/ru/search?q=*")
    first_hit = page.locator("main a[href*='/profession/']").first
    assert first_hit.inner_text().strip() == curated.model.professions["cashier"].labels["ru"]
    first_hit.click()
    page.wait_for_url("**/ru/profession/cashier*")
    assert page.locator("h1").inner_text().strip() == "кассир"
    server_tab.wait_for_graph()
    assert page.evaluate(CANVAS_INK) > 2000

    page.goto(live_server + "/ru/path")  # from the profession with the most paths
    page.fill("#path-from", path_origin.labels["ru"])
    page.fill("#path-to", "emerging")
    page.click("form.path-form button[type=submit]")
    page.wait_for_url("**/ru/path?*")
    server_tab.wait_for_graph()
    assert page.evaluate(CANVAS_INK) > 2000
    query = urllib.parse.urlencode({"from": path_origin.labels["ru"], "to": "emerging"})
    with urllib.request.urlopen(f"{live_server}/api/path?{query}", timeout=30) as response:
        expected = json.load(response)["paths"]
    shown = page.evaluate("() => window.profgraph.data.paths.length")
    assert shown == len(expected) >= 3
    server_tab.screenshot("serve-path-finder-ru.png", full_page=True)
    server_tab.check_clean()




@pytest.mark.parametrize("width,height", [(1366, 768), (390, 844)])
def test_served_pages_show_the_legend_and_search_as_you_type(server_tab, live_server, curated, width, height):
    page = server_tab.page
    page.set_viewport_size({"width": width, "height": height})
    for address in ("/kk/search?q=kassir", "/kk/path?from=kassir&to=emerging"):
        page.goto(live_server + address)
        box = page.locator(".legend").first.bounding_box()
        assert box is not None and 0 <= box["y"] and box["y"] + box["height"] <= height, address
    page.fill("#site-search", "kassir")
    first = page.locator("#site-search-results a").first
    assert first.inner_text() == curated.model.professions["cashier"].labels["kk"]
    first.click()
    page.wait_for_url("**/kk/profession/cashier")
    server_tab.wait_for_graph()
    server_tab.check_clean()


@pytest.mark.parametrize("path, graph", [("/", False), ("/kk/", False), ("/en/sectors", False), ("/ru/skills", False),
                                         ("/ru/graph", True), ("/en/profession/cashier", True),
                                         ("/ru/search?q=кассир", False), ("/en/path?from=cashier&to=emerging", True)])
def test_pages_work_under_their_content_security_policy(server_tab, live_server, path, graph):
    page = server_tab.page
    response = page.goto(live_server + path)
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy
    if graph:
        server_tab.wait_for_graph()
        assert page.evaluate(CANVAS_INK) > 2000
    server_tab.check_clean()  # a blocked script, style or image is a console error
