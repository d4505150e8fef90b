"""`--to safer` through the CLI on the curated data: paths and the graph page."""

from __future__ import annotations

import json
import statistics

from click.testing import CliRunner

from profgraph.cli import main

RUNNER = CliRunner()


def test_path_to_safer(curated):
    result = RUNNER.invoke(main, ["path", "кассир", "--to", "safer", "--format", "json", "--top", "10"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    exposures = [p.exposure for p in curated.model.professions.values() if p.exposure is not None]
    quartile = statistics.quantiles(exposures, n=4, method="inclusive")[2]
    ceiling = curated.model.professions["cashier"].exposure
    assert report["target"]["set"] == "safer" and report["target"]["exposure_below"] == ceiling
    assert report["target"]["count"] == sum(e < ceiling and e <= quartile for e in exposures)
    assert report["paths"]
    for path in report["paths"]:
        end = path["steps"][-1]["to"]["automation_exposure"]
        assert end < ceiling and end <= quartile
    text = RUNNER.invoke(main, ["path", "кассир", "--to", "safer"]).output
    assert "To:   safer" in text


def test_graph_page_to_safer(curated, tmp_path):
    page = tmp_path / "cashier.html"
    result = RUNNER.invoke(main, ["render", "кассир", "--to", "safer", "--lang", "en", "-o", str(page)])
    assert result.exit_code == 0, result.output
    assert "paths highlighted" in result.output
    assert "reskilling paths to professions at lower risk of automation" in page.read_text(encoding="utf-8")
