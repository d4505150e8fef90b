"""The static site: a page for everything, links that resolve, languages, escaping, safe rebuilds.

Expected contents come from the CSV tables and from the path command's JSON, not from the site code.
"""

from __future__ import annotations

import json
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from markupsafe import escape

from profgraph.errors import UsageError
from profgraph.web.templating import page_name
from profgraph.atomic import OUTPUT_MARKER as MARKER
from profgraph.web.site import build_site

from conftest import curated_rows, edit_csv, run

LANGS = ("kk", "ru", "en")


class PageParser(HTMLParser):
    """Collects a page's links (tag, attribute, value, classes), element ids, the <html lang> and <h1> text."""

    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str, str, str]] = []
        self.ids: set[str] = set()
        self.lang = None
        self.h1 = ""
        self._in_h1 = False
        self.section = None
        self.sections: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
            if tag == "section":
                self.section = attrs["id"]
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag == "h1":
            self._in_h1 = True
        for name in ("href", "src"):
            if name in attrs:
                self.links.append((tag, name, attrs[name], attrs.get("class") or ""))
                if self.section and tag == "a":
                    self.sections.setdefault(self.section, []).append(attrs[name])

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._in_h1:
            self.h1 += data


class TextParser(HTMLParser):
    """Collects the text a reader sees: everything outside <script> and <style>."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        self._hidden += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._hidden -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = TextParser()
    parser.feed(html)
    return " ".join(parser.parts)


def parse(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_a_page_for_every_profession_and_skill(curated_site):
    for lang in LANGS:
        for kind, rows in (("profession", curated_rows("professions")), ("skill", curated_rows("skills"))):
            expected = {page_name(row["id"]) for row in rows}
            assert {path.name for path in (curated_site / lang / kind).iterdir()} == expected
        for page in ("index.html", "sectors.html", "skills.html", "graph.html"):
            assert (curated_site / lang / page).is_file()
    assert (curated_site / "index.html").is_file() and (curated_site / MARKER).is_file()


def check_links(site: Path) -> int:
    """Assert that every link of the site is relative and resolves (fragments too); return how many."""
    pages = sorted(site.rglob("*.html"))
    parsed = {path: parse(path) for path in pages}
    checked = 0
    for path, page in parsed.items():
        for tag, attribute, value, classes in page.links:
            parts = urlsplit(value)
            if parts.scheme in ("http", "https"):
                # references to ESCO and to data sources: plain links a reader may follow, never fetched
                assert tag == "a" and "external" in classes, f"{path}: {value}"
                continue
            assert not parts.scheme and not parts.netloc and not value.startswith("/"), f"{path}: {value}"
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            assert target.is_file(), f"{path.relative_to(site)} links to missing {value}"
            assert site.resolve() in target.parents
            if parts.fragment and target.suffix == ".html":
                assert parts.fragment in parsed[target].ids, f"{path}: no #{parts.fragment} in {value}"
            checked += 1
    return checked


def test_every_link_is_relative_and_resolves(curated_site):
    assert check_links(curated_site) > 10 * len(list(curated_site.rglob("*.html")))


def test_a_dataset_without_sectors_statuses_or_slug_ids(tmp_path):
    """An imported dataset may lack sectors and statuses and have ids that are no safe file names."""
    from profgraph.model import Model, Profession, Skill, Source
    from profgraph.store import build_store
    from profgraph.vocab import iri

    skills = {"py": Skill("py", iri("skill", "py"), "digital", {"en": "Python"}),
              "Stats.2": Skill("Stats.2", iri("skill", "stats"), "cognitive", {"en": "statistics"})}
    professions = {
        "DataScientist_1": Profession("DataScientist_1", iri("profession", "ds"), {"en": "data scientist"},
                                      essential=("py", "Stats.2")),
        "analyst": Profession("analyst", iri("profession", "analyst"), {"en": "analyst", "ru": "аналитик"},
                              essential=("py",), status="emerging", exposure=0.3, exposure_source="src"),
    }
    model = Model("imported", professions, skills, sources={"src": Source("src", iri("source", "src"), "A source")})
    dataset = build_store(model, tmp_path / "store")
    site = build_site(dataset, tmp_path / "site", ["kk", "en"]).folder
    assert check_links(site) > 0
    assert {path.name for path in (site / "en" / "profession").iterdir()} == {
        page_name("DataScientist_1"), "analyst.html"}
    assert page_name("DataScientist_1") != "DataScientist_1.html"  # upper case: hashed, safe on FAT sticks
    page = (site / "kk" / "profession" / page_name("DataScientist_1")).read_text(encoding="utf-8")
    assert "data scientist" in page and 'href="analyst.html">analyst</a>' in page  # en label, kk missing


def test_index_lists_each_profession_under_its_status(curated_site):
    professions = {row["id"]: row for row in curated_rows("professions")}
    for lang in LANGS:
        page = parse(curated_site / lang / "index.html")
        listed = {}
        for section, links in page.sections.items():
            for link in links:
                if link.startswith("profession/"):
                    profession = posixpath.basename(link)[:-len(".html")]
                    assert profession not in listed, f"{profession} listed twice"
                    listed[profession] = section
        assert listed == {pid: f"status-{row['status']}" for pid, row in professions.items()}


def test_language_switch_and_labels(curated_site):
    cashier = next(row for row in curated_rows("professions") if row["id"] == "cashier")
    for lang in LANGS:
        page = parse(curated_site / lang / "profession" / "cashier.html")
        assert page.lang == lang and page.h1.strip() == cashier[f"label_{lang}"]
        switches = {value for _, _, value, _ in page.links if value.endswith("profession/cashier.html")}
        assert switches == {f"../../{other}/profession/cashier.html" for other in LANGS if other != lang}


def test_profession_page_shows_skills_and_paths(curated_site, curated, path_origin):
    pid = path_origin.id
    html = (curated_site / "en" / "profession" / f"{pid}.html").read_text(encoding="utf-8")
    skills = {row["id"]: row for row in curated_rows("skills")}
    for row in curated_rows("requirements"):
        if row["profession"] == pid:
            assert f'href="../skill/{row["skill"]}.html">{skills[row["skill"]]["label_en"]}</a>' in html
    report = json.loads(run("path", pid, "--to", "emerging", "--format", "json",
                            "--lang", "en").output)
    position = 0
    for path in report["paths"]:
        for step in path["steps"]:
            anchor = f'href="{step["to"]["id"]}.html">{step["to"]["label"]}</a>'
            position = html.index(anchor, position)  # in the report's order
            for labels in step["skills_to_learn"].values():
                if labels:
                    assert ", ".join(labels) in html
    from profgraph.answers import measures_summary

    measures = measures_summary(curated.model, pid)
    automation, genai = measures["automation"], measures["genai"]
    assert path_origin.isco08 in html and f"{automation['level']} {automation['risk']:.2f}" in html
    assert f"{genai['level']} {genai['score']:.2f}" in html
    first = report["paths"][0]["steps"][0]
    assert f"coverage {first['coverage'] * 100:.0f}%" in html  # each step says why it passes


def test_skill_page_lists_the_professions_that_need_it(curated_site):
    needing = {row["profession"] for row in curated_rows("requirements") if row["skill"] == "cash-handling"}
    page = parse(curated_site / "ru" / "skill" / "cash-handling.html")
    linked = {posixpath.basename(value)[:-5] for _, _, value, _ in page.links if value.startswith("../profession/")}
    assert linked == needing


def test_skill_page_headings_name_the_relation_not_skills(curated_site):
    """The lists of professions on a skill page were headed "Обязательные навыки" (essential skills)."""
    html = (curated_site / "ru" / "skill" / "cash-handling.html").read_text(encoding="utf-8")
    assert "<h3>Обязательные навыки</h3>" not in html and "<h3>Дополнительные навыки</h3>" not in html
    assert "<h3>Как обязательный навык</h3>" in html and "<h3>Как дополнительный навык</h3>" in html


@pytest.mark.parametrize("origin", ["accounting-clerk", "cashier"])
def test_each_successor_says_whether_a_path_reaches_it(curated_site, origin):
    """"Transforms into" a successor that no viable path reaches got no word of explanation."""
    successors = [row["to"] for row in curated_rows("transformations") if row["from"] == origin]
    html = (curated_site / "en" / "profession" / f"{origin}.html").read_text(encoding="utf-8")
    section = html[html.index("<h2>Transforms into</h2>"):]
    section = section[:section.index("</ul>")]
    card = json.loads(run("show", origin, "--format", "json").output)
    reports = {entry["profession"]["id"]: entry for entry in card["transforms_into"]}
    assert sorted(reports) == sorted(successors)
    for successor in successors:
        item = section[section.index(f'href="{successor}.html"'):]
        item = item[:item.index("</li>")]
        if reports[successor]["reachable"]:  # a path of viable steps through acceptable stepping stones
            assert f"a viable path: {reports[successor]['steps']} step(s)" in item
        else:
            assert "No viable path under the current rules: each step needs at least 40%" in item
        for block in reports[successor]["blocked_by"]:  # and what the rules object to, e.g. not safer
            assert str(escape(block["text"])) in item
    if origin == "accounting-clerk":  # the case that was found: no path to the RPA operator
        assert "No viable path" in section


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_local_pages_name_sources_in_their_language(curated_site, lang):
    """kk/ru pages showed the source's English title with a CSV file name, "(curated)", raw ESCO URIs
    and the English label ("en: cashier")."""
    professions = {row["id"]: row for row in curated_rows("professions")}
    html = (curated_site / lang / "profession" / "cashier.html").read_text(encoding="utf-8")
    text = visible_text(html)
    assert ".csv" not in html and "(curated)" not in html
    assert professions["cashier"]["label_en"] not in text
    esco = professions["cashier"]["esco_uri"]
    assert f'href="{esco}"' in html and esco not in text and "ESCO" in text


def test_numbers_beside_professions_are_labelled(curated_site):
    """Exposure figures beside professions on index and skill pages had no label."""
    for page in ("index.html", "skill/cash-handling.html"):
        html = (curated_site / "ru" / page).read_text(encoding="utf-8")
        assert '<span class="exposure"' in html
        assert re.search(r'<span class="exposure"[^>]*>\d', html) is None  # each starts with its label
    skills = (curated_site / "ru" / "skills.html").read_text(encoding="utf-8")
    assert re.search(r"<small>\d+</small>", skills) is None


def test_search_index_holds_every_name_with_the_cli_key(curated_site, curated):
    from profgraph.lookup import search_key

    script = (curated_site / "assets" / "search-index.js").read_text(encoding="utf-8")
    index = json.loads(script.removeprefix("window.PROFGRAPH_INDEX = ").rstrip().removesuffix(";"))
    entries = {(row[0], row[1]): row for row in index["entries"]}
    rows = [("profession", row) for row in curated_rows("professions")] + [("skill", row) for row in curated_rows("skills")]
    assert len(entries) == len(rows)
    for kind, row in rows:
        names = [row[f"label_{lang}"] for lang in LANGS if row[f"label_{lang}"]]
        names += [name.strip() for lang in LANGS for name in row[f"alt_{lang}"].split("|") if name.strip()]
        keys = {key for key, _ in entries[kind, row["id"]][5]}
        assert keys == {search_key(name) for name in names}, row["id"]
        assert entries[kind, row["id"]][2] == page_name(row["id"])


def test_rebuild_replaces_an_old_site_but_never_a_foreign_folder(tiny, tmp_path):
    target = tmp_path / "site"
    build_site(tiny, target, ["en"])
    summary = build_site(tiny, target, ["kk"])
    assert summary.languages == ("kk",) and not (target / "en").exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site"]  # no build or retired folders left
    foreign = tmp_path / "documents"
    foreign.mkdir()
    (foreign / "thesis.txt").write_text("precious", encoding="utf-8")
    with pytest.raises(UsageError, match=r"holds files profgraph did not write \(thesis.txt\)"):
        build_site(tiny, foreign)
    assert [path.name for path in foreign.iterdir()] == ["thesis.txt"]
    result = run("site", "-o", str(foreign))
    assert result.exit_code == 2 and "profgraph did not write" in result.output


def test_rebuild_never_deletes_files_added_to_a_site(tiny, tmp_path):
    target = tmp_path / "site"
    build_site(tiny, target, ["en"])
    (target / "en" / "my-notes.html").write_text("mine", encoding="utf-8")
    (target / "logo.png").write_bytes(b"png")
    before = sorted(str(path.relative_to(target)) for path in target.rglob("*"))
    with pytest.raises(UsageError, match=r"did not write \(en/my-notes.html, logo.png\)"):
        build_site(tiny, target, ["kk"])
    assert sorted(str(path.relative_to(target)) for path in target.rglob("*")) == before
    with pytest.warns(UserWarning, match="now in"):  # with force the old folder is kept, whole, beside the new one
        build_site(tiny, target, ["kk"], force=True)
    backups = [path for path in tmp_path.iterdir() if path.name.startswith("site.backup-")]
    assert len(backups) == 1 and (backups[0] / "en" / "my-notes.html").read_text(encoding="utf-8") == "mine"
    assert (target / "kk" / "index.html").is_file() and not (target / "logo.png").exists()


def test_a_failed_build_leaves_the_old_site(tiny, tmp_path, monkeypatch):
    import profgraph.web.site

    target = tmp_path / "site"
    build_site(tiny, target, ["en"])
    before = sorted(str(path.relative_to(target)) for path in target.rglob("*"))
    calls = 0

    def failing(template, **context):
        nonlocal calls
        calls += 1
        if calls > 5:
            raise OSError(28, "No space left on device")
        return "page"

    monkeypatch.setattr(profgraph.web.site, "render", failing)
    with pytest.raises(OSError):
        build_site(tiny, target, ["en"])
    assert sorted(str(path.relative_to(target)) for path in target.rglob("*")) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site"]


def test_site_escapes_labels(tiny_copy, tmp_path):
    import profgraph

    edit_csv(tiny_copy / "professions.csv", "талдаушы,аналитик,analyst", "талдаушы,<script>alert(1)</script>,analyst")
    folder = build_site(profgraph.load(data=tiny_copy), tmp_path / "site", ["ru"]).folder
    for page in folder.rglob("*.html"):
        assert "<script>alert(1)" not in page.read_text(encoding="utf-8"), page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in (folder / "ru" / "profession" / "analyst.html").read_text(
        encoding="utf-8")


def test_site_command(tiny_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("PROFGRAPH_DATA", str(tiny_copy))
    result = run("site", "-o", str(tmp_path / "out"), "--lang", "en", "--lang", "ru")
    assert result.exit_code == 0, result.output
    professions = len(tiny_copy.joinpath("professions.csv").read_text(encoding="utf-8").splitlines()) - 1
    assert len(list((tmp_path / "out" / "ru" / "profession").iterdir())) == professions
    assert not (tmp_path / "out" / "kk").exists()
