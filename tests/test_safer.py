"""`--to safer` through the CLI on the curated data: paths and the graph page."""

from __future__ import annotations

import json


from profgraph.resources import data_dir

from rules_reference import Reference

from conftest import run


def test_path_to_safer(curated, path_origin):
    result = run("path", path_origin.labels["ru"], "--to", "safer", "--format", "json", "--top", "10")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    reference = Reference(data_dir())
    # the targets: every profession that is not disappearing; the safer rule picks among them
    assert report["target"] == {"set": "safer", "count": sum(s != "disappearing" for s in reference.status.values())}
    assert report["paths"]
    for path in report["paths"]:
        end = path["steps"][-1]["to"]
        assert end["status"] != "disappearing" and reference.safer(path_origin.id, end["id"])
        assert end["automation"]["risk"] <= report["origin"]["automation"]["risk"] - 0.05
        assert end["automation"]["level"] != "high"
    text = run("path", path_origin.labels["ru"], "--to", "safer").output
    assert "To:   safer" in text


def test_graph_page_to_safer(curated, tmp_path):
    page = tmp_path / "cashier.html"
    result = run("render", "кассир", "--to", "safer", "--lang", "en", "-o", str(page))
    assert result.exit_code == 0, result.output
    assert "paths highlighted" in result.output
    assert "reskilling paths to professions at lower risk of automation" in page.read_text(encoding="utf-8")
