"""The client's own skills on the served path finder, in Chromium: unticking a skill puts it in the URL
(``lack``), lowers "you have X of Y" and changes the paths as the API says; an over-long URL gets the
server's 414 page, which says so in the page's language."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest

from profgraph.client import client_skills
from profgraph.web.i18n import texts
from profgraph.answers import reskilling_report_for

from conftest import routes, run
from test_browser import Tab, browser  # noqa: F401,F811  (browser is a fixture)
from test_browser_server import ServerTab, server_tab  # noqa: F401  (server_tab is a fixture)


def shown_routes(page) -> list[list[str]]:
    return page.evaluate("""() => [...document.querySelectorAll('.path-list > li.path .route')].map(route =>
        [...route.querySelectorAll('a')].map(a => decodeURIComponent(a.getAttribute('href').split('/').pop())))""")


def shown_have(page) -> dict[str, str]:
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('.client-coverage li')].map(
        item => [item.id.slice('have-'.length), item.textContent]))""")


def test_unticking_a_skill_lowers_coverage_and_changes_the_paths(server_tab, live_server, curated, origin):
    standard = reskilling_report_for(curated, origin, status="emerging")
    learnable = [skill for skill in curated.model.professions[origin].skills
                 if curated.model.skills[skill].type != "trait"]  # a trait is not offered to tick
    lacking = next(skill for skill in learnable
                   if routes(reskilling_report_for(curated, origin, status="emerging",
                                                   client=client_skills(curated, origin, lack=[skill])))
                   != routes(standard))
    page = server_tab.page
    page.goto(live_server + "/ru/path?" + urllib.parse.urlencode({"from": origin, "to": "emerging"}))
    assert shown_routes(page) == routes(standard)
    before = shown_have(page)
    boxes = page.locator(".client-skills input[name=held]")
    assert boxes.count() == len(learnable)
    assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    page.uncheck(f".client-skills input[name=held][value='{lacking}']")
    page.click(".client-skills button[type=submit]")
    page.wait_for_url(f"**/ru/path?*lack={lacking}*")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)
    assert query["lack"] == [lacking] and "held" not in query
    with urllib.request.urlopen(f"{live_server}/api/path?" + urllib.parse.urlencode(
            {"from": origin, "to": "emerging", "lack": lacking, "lang": "ru"}), timeout=30) as response:
        expected = json.load(response)
    assert shown_routes(page) == routes(expected) != routes(standard)
    after = shown_have(page)
    for entry in expected["client"]["destinations"]:
        assert texts("ru")["you_have"].format(**entry) in after[entry["id"]]
        needs = curated.model.professions[entry["id"]].skills
        if entry["id"] in before and lacking in needs:
            assert after[entry["id"]] != before[entry["id"]]
    assert not page.locator(".client-skills input[name=held][value='%s']" % lacking).is_checked()
    server_tab.screenshot("serve-client-skills-ru.png", full_page=True)
    server_tab.check_clean()


def test_an_over_long_url_state_gets_414_and_the_page_says_so(browser, live_server):  # noqa: F811
    tab = ServerTab(browser, live_server)
    try:
        response = tab.page.goto(live_server + "/kk/path?" + urllib.parse.urlencode(
            {"from": "кассир", "to": "emerging", "lack": ",".join(["cash-handling"] * 700)}))
        assert response.status == 414
        assert texts("kk")["url_too_long"].split("(")[0].strip() in tab.page.inner_text("body")
        assert tab.page.locator("a[href='/kk/path']").count() == 1
    finally:
        tab.page.close()


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_a_printed_plan_fits_two_a4_pages_without_a_graph(browser, tmp_path, curated, origin, lang):  # noqa: F811
    import io

    pypdf = pytest.importorskip("pypdf", reason="pypdf is not installed (pip install '.[test]')")
    written = tmp_path / f"plan-{lang}.html"
    result = run("plan", origin, "--lang", lang, "-o", str(written))
    assert result.exit_code == 0, result.output
    report = reskilling_report_for(curated, origin, status="emerging", top=3, lang=lang)
    tab = Tab(browser)
    try:
        page = tab.open(written, graph=False)
        assert page.locator("canvas, svg, img, script").count() == 0
        pdf = pypdf.PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
        assert 1 <= len(pdf.pages) <= 2, len(pdf.pages)
        assert sum(len(sheet.images) for sheet in pdf.pages) == 0
        text = " ".join(sheet.extract_text() for sheet in pdf.pages)
        folded = " ".join(text.split())
        for path in report["paths"]:
            assert " ".join(path["steps"][-1]["to"]["label"].split()) in folded
        assert texts(lang)["plan_title"] in folded
        if lang != "en":
            page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
            tab.screenshot(f"plan-{lang}.png", full_page=True)
        tab.check_clean()
    finally:
        tab.page.close()


def test_the_path_finder_links_to_the_same_plan(server_tab, live_server, curated, origin):
    from profgraph.web.plan import plan_page

    page = server_tab.page
    lack = next(skill for skill in curated.model.professions[origin].skills if curated.model.skills[skill].type != "trait")
    state = {"from": origin, "to": "emerging", "lack": lack}
    page.goto(live_server + "/ru/path?" + urllib.parse.urlencode(state))
    link = page.locator(".print-plan a")
    with page.context.expect_page() as opened:
        link.click()
    plan = opened.value
    plan.wait_for_load_state()
    assert "/ru/plan?" in plan.url
    expected = plan_page(curated, origin, lang="ru", lack=[lack])
    assert plan.content().count("<li class=\"path\">") == expected.count("<li class=\"path\">") >= 1
    with urllib.request.urlopen(plan.url, timeout=30) as response:
        assert response.read().decode("utf-8") == expected
    plan.close()
    server_tab.check_clean()
