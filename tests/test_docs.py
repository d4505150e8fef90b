"""The documentation stays true: generated parts match what the commands print now, links between
the pages resolve, docstring examples run, and the README stays a short front page."""

from __future__ import annotations

import doctest
import importlib
import io
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
PAGES = [README, *sorted((ROOT / "docs").glob("*.md"))]  # docs/_incoming/ holds notes, not pages
SOURCE = ROOT / "src" / "profgraph"
REGENERATE = "PYTHONPATH=src cog -r -I docs README.md docs/*.md"


@pytest.mark.slow
def test_generated_parts_of_the_docs_are_current():
    """The CLI reference, the command samples and the module table are what the code gives now."""
    cogapp = pytest.importorskip("cogapp", reason="cogapp is in the test extra: pip install '.[test]'")
    output = io.StringIO()
    cog = cogapp.Cog()
    cog.set_output(stdout=output, stderr=output)
    status = cog.main(["cog", "--check", "--diff", "--verbosity=1", f"--check-fail-msg=regenerate with {REGENERATE}",
                       "-I", str(ROOT / "docs"), *map(str, PAGES)])
    assert status == 0, f"the docs are stale; regenerate them from the repository root with\n    {REGENERATE}\n{output.getvalue()}"


def test_regeneration_command_is_the_documented_one():
    """The command the failure message names is the one the development page and the helper give."""
    assert REGENERATE in (ROOT / "docs" / "development.md").read_text(encoding="utf-8")
    assert f'REGENERATE = "{REGENERATE}"' in (ROOT / "docs" / "samples.py").read_text(encoding="utf-8")


def test_readme_is_a_short_front_page():
    size = len(README.read_bytes())
    assert size <= 8 * 1024, f"README.md is {size} bytes; move detail to a page under docs/"


def test_ci_runs_the_readme_test_command():
    """`.ci/run` installs the test extra and runs the command the README gives for the tests."""
    blocks = re.findall(r"```sh\n(.*?)\n```", README.read_text(encoding="utf-8"), re.S)
    test_command = next(block for block in blocks if "pytest" in block)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    *install, run_tests = [part.strip() for part in test_command.split("&&")]
    assert run_tests in ci, f"{run_tests!r} is not a line of .ci/run"
    assert "pip install '.[test]'" in install and any("pip install" in line and "'.[test]'" in line for line in ci)


# --- links -------------------------------------------------------------------------------------

_FENCE = re.compile(r"^(```|~~~)")
_LINK = re.compile(r"(?<!!)\[(?:[^\]]|\\\])*\]\(([^)\s]+)\)")


def _prose_lines(path: Path) -> list[str]:
    """The lines of a Markdown file outside fenced code blocks and HTML comments (cog blocks)."""
    lines, in_fence, in_comment = [], False, False
    for line in path.read_text(encoding="utf-8").splitlines():
        if in_comment or line.startswith("<!--"):
            in_comment = "-->" not in line
            continue
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence:
            lines.append(line)
    return lines


def anchors(path: Path) -> set[str]:
    """Return the anchors GitHub gives the headings of a Markdown file."""
    seen: dict[str, int] = {}
    result = set()
    for line in _prose_lines(path):
        match = re.match(r"#{1,6} (.*)", line)
        if not match:
            continue
        slug = re.sub(r"[^\w\- ]", "", match.group(1).strip().lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        result.add(slug if count == 0 else f"{slug}-{count}")
    return result


def test_anchors_follow_github():
    page = ROOT / "docs" / "measures.md"
    found = anchors(page)
    assert {"how-paths-are-defined", "measures-automation-risk-generative-ai-exposure-preparation-and-pay",
            "profiles-skills-traits-languages-and-licences"} <= found
    # "#1  ..." lines of a path sample sit in a code block: they are no headings
    assert not any(anchor.startswith("1") for anchor in anchors(ROOT / "docs" / "counsellors.md"))


@pytest.mark.parametrize("page", PAGES, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_links_between_pages_resolve(page):
    broken = []
    for line in _prose_lines(page):
        for target in _LINK.findall(re.sub(r"`[^`]*`", "", line)):
            if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto: ...
                continue
            file_part, _, anchor = target.partition("#")
            linked = (page.parent / file_part).resolve() if file_part else page
            if not linked.exists():
                broken.append(f"{target}: no file {linked}")
            elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
                broken.append(f"{target}: no heading with the anchor #{anchor} in {linked.name}")
    assert not broken, f"{page.name}: " + "; ".join(broken)


# --- docstring examples ------------------------------------------------------------------------

def _modules_with_examples() -> list[str]:
    modules = []
    for path in sorted(SOURCE.rglob("*.py")):
        if re.search(r"^\s*>>> ", path.read_text(encoding="utf-8"), re.M):
            parts = path.relative_to(SOURCE.parent).with_suffix("").parts
            modules.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return modules


def test_docstring_examples_are_found():
    assert {"profgraph", "profgraph.lookup", "profgraph.reskilling", "profgraph.sparql"} <= set(_modules_with_examples())


@pytest.mark.parametrize("name", _modules_with_examples())
def test_docstring_examples_run(name):
    """Every `>>>` example in the docstrings of src/profgraph gives what it shows (on the embedded data,
    in the tests' own cache)."""
    module = importlib.import_module(name)
    tests = [test for test in doctest.DocTestFinder().find(module) if test.examples]
    assert tests, f"{name} shows >>> examples that doctest does not find"
    report = io.StringIO()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in tests:
        runner.run(test, out=report.write)
    assert runner.failures == 0, report.getvalue()
