"""Graph views and the self-contained graph page (no browser; tests/test_browser.py opens them).

On the tiny dataset the views follow by hand from the coverage figures in tests/test_paths.py
(s4 = ln 2.5, s2 = ln 4, s1 = ln 7 are the specificities of skills four, two and one professions
need), with the default minimum coverage 0.4:
  clerk's neighbours: assistant (clerk -> assistant 0.665, assistant -> clerk 3 s4 / (3 s4 + s1)
  = 0.586) and operator (0.586 both ways; clerk also transforms into operator). The designer is
  not one: designer -> clerk is 2 s4 / (3 s4 + s1) = 0.39, clerk -> designer 0.212.
  Two hops out: analyst (assistant -> analyst 0.542) and designer (designer -> assistant
  2 s4 / (3 s4 + s2) = 0.443). Island links to nothing.
  Whole graph: 6 professions, 1 sector, and the skills two or more professions need: a, b
  (clerk, assistant, designer, operator), c (clerk, assistant, analyst, operator), e (assistant,
  analyst); the nine others (d, f, h, i, j, k, x, y, z) are needed by one profession each.
"""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from profgraph.errors import UsageError
from profgraph.resources import ontology_dir
from profgraph.web.graphview import build_view, graph_page, write_graph_page

from conftest import curated_rows, edit_csv, run

XSS_LABEL = "<script>window.pwned=1</script>аналитик"
XSS_SKILL = "<img src=x onerror=window.pwned=2>навык с"


def ids(view, kind: str) -> set[str]:
    return {node["id"].split(":", 1)[1] for node in view.nodes if node["id"].startswith(kind + ":")}


def page_data(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="pg-graph-data">(.*?)</script>', html, re.S)
    assert match, "the page has no graph data"
    return json.loads(match.group(1))


def expected_sector_view(sector: str) -> tuple[set[str], set[str]]:
    """The professions of ``sector`` and the skills two or more of them need, from the CSV tables."""
    professions = {row["id"] for row in curated_rows("professions") if row["sector"] == sector}
    needs = Counter(row["skill"] for row in curated_rows("requirements") if row["profession"] in professions)
    return professions, {skill for skill, count in needs.items() if count >= 2}


def test_neighbourhood_on_tiny(tiny):
    view = build_view(tiny, "clerk", lang="en")
    assert ids(view, "profession") == {"clerk", "assistant", "operator"}
    assert ids(view, "skill") == {"a", "b", "c", "d"}
    assert ids(view, "sector") == {"office"}
    assert ids(build_view(tiny, "clerk", depth=2), "profession") == {"clerk", "assistant", "operator", "designer",
                                                                      "analyst"}
    assert ids(build_view(tiny, "clerk", depth=0), "profession") == {"clerk"}
    kinds = Counter(edge["kind"] for edge in view.edges)
    assert kinds["transformation"] == 1  # clerk -> operator
    assert kinds["essential"] == 4 + 3 + 3  # clerk a b c d; assistant a b c; operator a b c
    assert kinds["sector"] == 3
    link = next(edge for edge in view.edges if edge["kind"] == "transition"
                and {edge["source"], edge["to"]} == {"profession:clerk", "profession:assistant"})
    assert link["arrows"] == "to, from" and "label" not in link  # viable both ways; no number drawn on the canvas
    assert link["coverage"] == pytest.approx(0.665, abs=0.001)  # the larger, kept for the page script
    # the tooltip says both coverages as percentages: 0.665 and 0.586
    assert "clerk → assistant: 66% of the skills" in link["title"]  # 0.6648
    assert "assistant → clerk: 59% of the skills" in link["title"]


def test_whole_graph_on_tiny(tiny):
    view = build_view(tiny, lang="ru")
    assert ids(view, "profession") == {"clerk", "assistant", "analyst", "designer", "operator", "island"}
    assert ids(view, "skill") == {"a", "b", "c", "e"}
    assert view.total_nodes == len(view.nodes) == 11
    assert any("(9)" in note for note in view.notes)  # the nine skills one profession needs are named as hidden


def test_paths_highlighted_on_tiny(tiny):
    view = build_view(tiny, "clerk", to="emerging", lang="en")
    # the operator is viable but neither safer nor desirable (tests/test_rules.py): not a path under the rules
    assert [path["route"] for path in view.paths] == [["clerk", "assistant", "analyst"]]
    assert "analyst" in ids(view, "profession")  # two hops out, but on a path
    edges = {edge["id"]: edge for edge in view.edges}
    first = [(edges[e]["source"], edges[e]["to"]) for e in view.paths[0]["edges"]]
    assert first == [("profession:clerk", "profession:assistant"), ("profession:assistant", "profession:analyst")]
    assert all(edges[e]["kind"] == "path" for path in view.paths for e in path["edges"])


def test_labels_in_the_chosen_language(curated):
    professions = {row["id"]: row for row in curated_rows("professions")}
    for lang in ("kk", "ru", "en"):
        view = build_view(curated, "кассир", lang=lang)
        for node in view.nodes:
            kind, entity = node["id"].split(":", 1)
            if kind == "profession":
                assert node["label"] == professions[entity][f"label_{lang}"]
        assert view.details["profession:cashier"]["label"] == professions["cashier"][f"label_{lang}"]


def test_cashier_paths_view_matches_the_path_report(curated):
    result = run("path", "кассир", "--to", "emerging", "--format", "json", "--lang", "kk")
    report = json.loads(result.output)
    view = build_view(curated, "кассир", to="emerging", lang="kk")
    assert [path["route"] for path in view.paths] == [
        [path["steps"][0]["from"]["label"]] + [step["to"]["label"] for step in path["steps"]]
        for path in report["paths"]]
    cashier_skills = {row["skill"] for row in curated_rows("requirements") if row["profession"] == "cashier"}
    assert ids(view, "skill") == cashier_skills
    emerging = {row["id"] for row in curated_rows("professions") if row["status"] == "emerging"}
    assert {path["nodes"][-1].split(":", 1)[1] for path in view.paths} <= emerging


def test_sector_filter_counts_match_the_tables(curated):
    professions, skills = expected_sector_view("finance")
    view = build_view(curated, sectors=["finance"], lang="en")
    assert ids(view, "profession") == professions
    assert ids(view, "skill") == skills
    assert ids(view, "sector") == {"finance"}
    emerging = {row["id"] for row in curated_rows("professions") if row["status"] == "emerging"}
    by_label = build_view(curated, sectors=["Финансовая и страховая деятельность"], statuses=["emerging"])
    assert ids(by_label, "profession") == professions & emerging


def test_cap_keeps_the_limit_and_says_so(curated):
    view = build_view(curated, lang="en", max_nodes=60)
    assert len(view.nodes) <= 60
    assert view.total_nodes > 60
    note = next(note for note in view.notes if f"of {view.total_nodes} nodes" in note)
    shown, total, cap, professions, skills = map(int, re.findall(r"\d+", note))
    assert (shown, cap) == (len(view.nodes), 60)
    assert shown + professions + skills == total  # every hidden node is accounted for
    assert len(ids(view, "profession")) + professions == len(curated_rows("professions"))
    html = graph_page(view)
    assert f"of {view.total_nodes} nodes" in html
    data = page_data(html)
    assert len(data["nodes"]) == len(view.nodes)
    # professions leave skills room, so the capped view still shows who needs what
    assert len(ids(view, "profession")) <= 30 and ids(view, "skill")
    assert any(edge["from"].startswith("profession:") and edge["to"].startswith("skill:") for edge in data["edges"])


@pytest.mark.parametrize("kwargs, message", [
    ({"name": "кассир", "depth": 9}, "depth must be between 0 and 5"),
    ({"to": "emerging"}, "to needs the profession the paths start from (name)"),
    ({"sectors": ["atlantis"]}, "unknown sector"),
    ({"statuses": ["booming"]}, "unknown status"),
    ({"max_nodes": 2}, "max_nodes must be between"),
    ({"lang": "de"}, "lang must be one of"),
])
def test_bad_options(curated, kwargs, message):
    with pytest.raises(UsageError, match=re.escape(message)) as refused:
        build_view(curated, **kwargs)
    assert "--" not in str(refused.value)  # the library names its parameters, not the command line's options


def test_page_is_self_contained(curated, tmp_path):
    path = write_graph_page(build_view(curated, "кассир", to="emerging", lang="kk"), tmp_path / "cashier.html")
    html = path.read_text(encoding="utf-8")
    # nothing is loaded from elsewhere: no external script, stylesheet, image, font or import
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=", html, re.I)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html, re.I)
    assert "@import" not in html
    assert "default-src 'none'" in html  # and the browser is told to refuse any fetch
    assert "vis.Network" in html or "Network" in html
    assert len(page_data(html)["nodes"]) > 10


def test_labels_are_escaped(tiny_copy, tmp_path):
    import profgraph

    edit_csv(tiny_copy / "professions.csv", "талдаушы,аналитик,analyst", f"талдаушы,{XSS_LABEL},analyst")
    edit_csv(tiny_copy / "skills.csv", "в дағдысы,навык в,", f"в дағдысы,{XSS_SKILL},")
    dataset = profgraph.load(data=tiny_copy)
    html = graph_page(build_view(dataset, "clerk", depth=2, to="emerging", lang="ru"))
    assert "<script>window.pwned" not in html
    assert "<img src=x" not in html
    data = page_data(html)
    labels = [node["label"] for node in data["nodes"]]
    assert XSS_LABEL in labels  # kept as text, shown as text
    # a long skill label is shortened on the canvas, whole in the details panel, text either way
    assert any(text.startswith("<img src=x") and text.endswith("…") for text in labels) and data["details"]["skill:c"]["label"] == XSS_SKILL
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;аналитик" in html  # the paths list, escaped


def test_status_colours_stay_apart_for_every_reader():
    """Transforming (#E69F00) and disappearing (#D55E00) were both orange; now every pair of status
    colours differs by at least 20 CAM02-UCS units for normal vision and under simulated
    deuteranomaly, protanomaly and tritanomaly (Machado et al. 2009, severity 100, as colorspacious
    implements them), and by at least 12 units of CIELAB lightness when printed in greyscale."""
    from itertools import combinations

    from profgraph.web.graphview import STATUS_COLOURS

    colorspacious = pytest.importorskip("colorspacious", reason="colorspacious is not installed (pip install '.[test]')")
    import numpy as np

    rgb = {status: np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255 for status, colour in
           STATUS_COLOURS.items()}
    visions = [None] + [{"name": "sRGB1+CVD", "cvd_type": kind, "severity": 100}
                        for kind in ("deuteranomaly", "protanomaly", "tritanomaly")]
    for vision in visions:
        seen = {status: value if vision is None else np.clip(colorspacious.cspace_convert(value, vision, "sRGB1"), 0, 1)
                for status, value in rgb.items()}
        for a, b in combinations(seen, 2):
            difference = colorspacious.deltaE(seen[a], seen[b], input_space="sRGB1")
            assert difference >= 20, (vision and vision["cvd_type"], a, b, difference)
    lightness = {status: colorspacious.cspace_convert(value, "sRGB1", "CIELab")[0] for status, value in rgb.items()}
    for a, b in combinations(lightness, 2):
        assert abs(lightness[a] - lightness[b]) >= 12, (a, b, lightness)


def test_the_site_uses_the_graph_status_colours():
    from profgraph.web.templating import asset_text
    from profgraph.web.graphview import STATUS_COLOURS

    css = asset_text("site.css")
    for status, colour in STATUS_COLOURS.items():
        assert re.search(rf"a\.status-{status}::before, \.dot\.status-{status} {{ background: {colour}; }}", css)


def test_size_means_nothing_but_the_start(curated):
    """Node size was the automation exposure: bigger read as better, and meant worse."""
    view = build_view(curated, "кассир", to="emerging", lang="ru")
    sizes = {node["id"]: node["size"] for node in view.nodes if node["id"].startswith("profession:")}
    assert len(set(sizes.values()) - {sizes[view.focus]}) == 1 and sizes[view.focus] > max(
        size for node, size in sizes.items() if node != view.focus)


def test_path_edges_and_moves_show_coverage_as_a_percentage(curated):
    report = json.loads(run("path", "кассир", "--to", "emerging", "--format", "json",
                            "--lang", "ru").output)
    view = build_view(curated, "кассир", to="emerging", lang="ru")
    for path, drawn in zip(report["paths"], view.paths):
        assert drawn["coverage"] == [round(step["coverage"] * 100) for step in path["steps"]]
    for edge in view.edges:
        assert "label" not in edge or not re.fullmatch(r"[\d.]+", edge["label"])  # no bare 0.75 on the canvas
        if edge["kind"] in ("path", "transition"):
            assert re.search(r"уже есть \d{1,3}% навыков", edge["title"])


def test_status_and_skill_type_names_follow_the_ontology():
    from rdflib import Graph, Literal, Namespace

    from profgraph.web.i18n import LEVEL_NAMES, SKILL_TYPE_NAMES, STATUS_NAMES
    from profgraph.vocab import PG, SKILL_TYPE_CONCEPT, STATUS_CONCEPT

    graph = Graph().parse(ontology_dir() / "profgraph.ttl")
    skos, pg = Namespace("http://www.w3.org/2004/02/skos/core#"), Namespace(PG)
    levels = {level: f"{level.capitalize()}Level" for level in ("low", "medium", "high")}
    for names, concepts in ((STATUS_NAMES, STATUS_CONCEPT), (SKILL_TYPE_NAMES, SKILL_TYPE_CONCEPT),
                            (LEVEL_NAMES, levels)):
        for lang, by_key in names.items():
            for key, name in by_key.items():
                assert (pg[concepts[key]], skos.prefLabel, Literal(name, lang=lang)) in graph


def test_render_command(curated, tmp_path, path_origin):
    output = tmp_path / "paths.html"
    origin = path_origin.labels["ru"]
    result = run("render", origin, "--to", "emerging", "--lang", "kk", "-o", str(output))
    assert result.exit_code == 0, result.output
    report = json.loads(run("path", origin, "--to", "emerging", "--format", "json").output)
    assert f"{len(report['paths'])} paths highlighted" in result.output
    data = page_data(output.read_text(encoding="utf-8"))
    assert len(data["paths"]) == len(report["paths"]) >= 3 and data["focus"] == f"profession:{path_origin.id}"
    assert list(tmp_path.iterdir()) == [output]  # no temporary file left behind
    again = run("render", "--sector", "finance", "-o", str(output), "--lang", "en")
    assert again.exit_code == 0
    professions, skills = expected_sector_view("finance")
    assert len(page_data(output.read_text(encoding="utf-8"))["nodes"]) == len(professions) + len(skills) + 1


@pytest.mark.parametrize("args, message", [
    (["render", "кассирша-астронавт", "-o", "x.html"], "no profession matches"),
    (["render", "--sector", "atlantis", "-o", "x.html"], "unknown sector 'atlantis'"),
    (["render", "--to", "emerging", "-o", "x.html"], "NAME"),
    (["render", "кассир", "-o", "no/such/folder/x.html"], "folder no/such/folder does not exist"),
])
def test_render_command_errors(curated, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = run(*args)
    assert result.exit_code in (1, 2) and message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.html").exists()


def test_force_layout_keeps_linked_nodes_together():
    from itertools import combinations

    from profgraph.web.layout import force_layout

    groups = (range(0, 6), range(6, 12))  # two cliques of six joined by one edge
    edges = [(i, j, 1.0) for group in groups for i, j in combinations(group, 2)] + [(0, 6, 1.0)]
    positions = force_layout(12, edges)

    def distance(i, j):
        return float(((positions[i] - positions[j]) ** 2).sum() ** 0.5)

    within = [distance(i, j) for group in groups for i, j in combinations(group, 2)]
    across = [distance(i, j) for i in groups[0] for j in groups[1]]
    assert max(within) < min(across)
    assert (force_layout(12, edges) == positions).all()  # seeded: the same picture every time
