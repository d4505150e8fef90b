"""The real CLI through click's CliRunner, on the embedded curated data."""

from __future__ import annotations

import csv
import json
import math

import pytest

from profgraph.resources import data_dir
from profgraph.vocab import LEARNABLE_SKILL_TYPES, SKILL_TYPES

from conftest import curated_exposures, run


def independent_coverage():
    """coverage(A -> B) recomputed from the CSV tables as the README defines it, without profgraph's code."""
    with (data_dir() / "skills.csv").open(encoding="utf-8") as handle:
        traits = {row["id"] for row in csv.DictReader(handle) if row["type"] == "trait"}  # never counted
    required: dict[str, dict[str, float]] = {}
    with (data_dir() / "requirements.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["skill"] not in traits:
                required.setdefault(row["profession"], {})[row["skill"]] = 1.0 if row["relation"] == "essential" else 0.5
    required_by: dict[str, int] = {}
    for skills in required.values():
        for skill in skills:
            required_by[skill] = required_by.get(skill, 0) + 1
    specificity = {skill: math.log(1 + len(required) / count) for skill, count in required_by.items()}

    def coverage(a: str, b: str) -> float:
        needed = {skill: weight * specificity[skill] for skill, weight in required[b].items()}
        return sum(w for skill, w in needed.items() if skill in required[a]) / sum(needed.values())

    return coverage, required


def test_path_json_schema_and_semantics(curated, path_origin):
    result = run("path", path_origin.labels["ru"], "--to", "emerging", "--top", "10", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert set(report) >= {"origin", "target", "paths"}
    assert set(report["origin"]) >= {"id", "label", "status", "automation_exposure"}
    assert report["origin"]["id"] == path_origin.id and report["origin"]["status"] == "disappearing"
    paths = report["paths"]
    destinations = [p["steps"][-1]["to"]["id"] for p in paths]
    assert len(set(destinations)) == len(destinations) >= 3
    assert report["rules"]["risk"] == "automation" and report["rules"]["min_pay_ratio"] == 0.75
    assert [p["rank"] for p in paths] == list(range(1, len(paths) + 1))
    assert [p["score"] for p in paths] == sorted(p["score"] for p in paths)
    coverage, required = independent_coverage()
    for path_ in paths:
        assert path_["steps"][-1]["to"]["status"] == "emerging"
        assert 1 <= len(path_["steps"]) <= 3
        assert path_["steps"][0]["from"]["id"] == path_origin.id
        for before, after in zip(path_["steps"], path_["steps"][1:]):
            assert before["to"] == after["from"]
        learned = 0
        assert path_["checks"] == {"viable": True, "desirable": True, "safer": True,
                                   "strictly_safer": path_["checks"]["strictly_safer"]}
        assert path_["flags"] == []
        for step in path_["steps"]:
            assert set(step["from"]) >= {"id", "label", "status", "automation_exposure", "automation", "genai"}
            assert set(step) >= {"coverage_percent", "preparation", "pay", "risk"}
            assert step["coverage_percent"] == pytest.approx(step["coverage"] * 100, abs=0.06)
            assert set(step["skills_to_learn"]) == set(LEARNABLE_SKILL_TYPES)
            assert step["coverage"] == pytest.approx(coverage(step["from"]["id"], step["to"]["id"]), abs=1e-3)
            assert 0.4 <= step["coverage"] <= 1.0
            learned += sum(len(labels) for labels in step["skills_to_learn"].values())
        assert path_["new_skills_total"] == learned
        assert isinstance(path_["score"], float) and path_["effort"] == path_["score"]


def test_path_text_prints_ranked_paths(curated, path_origin):
    result = run("path", path_origin.labels["ru"], "--to", "emerging")
    assert result.exit_code == 0
    assert result.output.count("\n#") >= 3
    assert path_origin.labels["ru"] in result.output and "coverage" in result.output and "effort" in result.output


def test_a_profession_without_a_path_is_told_why(curated):
    """Every disappearing profession that no path leaves (the cashier's neighbours are as exposed to
    automation, or too far for one move) is told why: the nearest misses and what blocks each."""
    from profgraph.answers import reskilling_report_for

    for pid, profession in curated.model.professions.items():
        if profession.status != "disappearing":
            continue
        report = reskilling_report_for(curated, pid, status="emerging", top=5)
        if not report["paths"]:
            assert report["no_path"]["reason"], pid
            assert all(miss["blocked_by"] for miss in report["no_path"]["nearest_misses"]), pid


@pytest.mark.parametrize("spelling", ["Кассир", "КАССИР", "kassir"])
def test_spellings_give_the_same_answer(curated, spelling):
    reference = json.loads(run("path", "кассир", "--to", "emerging", "--format", "json").output)
    other = json.loads(run("path", spelling, "--to", "emerging", "--format", "json").output)
    assert other == reference


def test_path_to_a_named_profession(curated, path_origin):
    origin = path_origin.labels["en"]
    report = json.loads(run("path", origin, "--to", "emerging", "--format", "json", "--lang", "en").output)
    destination = report["paths"][0]["steps"][-1]["to"]
    named = json.loads(run("path", origin, "--to", destination["label"], "--format", "json", "--lang", "en").output)
    assert named["target"]["profession"]["id"] == destination["id"]
    assert named["paths"][0]["steps"][-1]["to"]["id"] == destination["id"]


def test_unknown_name_exits_2_with_suggestions(curated):
    result = run("path", "кассирша-астронавт", "--to", "emerging")
    assert result.exit_code == 2
    assert "Error: no profession matches" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("args, message", [
    (["path", "кассир", "--to", "emerging", "--min-coverage", "1.5"], "--min-coverage"),
    (["path", "кассир", "--to", "emerging", "--max-steps", "0"], "--max-steps"),
    (["path", "кассир", "--to", "кассир"], "same profession"),
])
def test_bad_options_exit_2(curated, args, message):
    result = run(*args)
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output


def test_show_card(curated):
    result = run("show", "kassir", "--lang", "kk")
    assert result.exit_code == 0
    cashier = curated.model.professions["cashier"]
    for text in (cashier.labels["kk"], cashier.labels["ru"], cashier.labels["en"], "disappearing", "5230"):
        assert text in result.output
    assert "automation risk: high" in result.output and "generative-AI exposure:" in result.output
    card = json.loads(run("show", "cashier", "--format", "json").output)
    assert card["exposure_source"]["title"]
    assert card["measures"]["automation"]["basis"] == "esco-occupation"
    assert card["measures"]["automation"]["source"]["id"] == "nesta-mcc-occupations"
    traits = {s for s in cashier.skills if curated.model.skills[s].type == "trait"}
    assert sum(map(len, card["essential_skills"].values())) == len(set(cashier.essential) - traits)
    card = json.loads(run("show", "cashier", "--format", "json", "--lang", "en").output)
    assert sorted(card["traits"]) == sorted(curated.model.skills[s].labels["en"] for s in traits)


def test_search(curated):
    result = run("search", "кассир", "--format", "json")
    hits = json.loads(result.output)
    assert hits[0]["id"] == "cashier" and hits[0]["kind"] == "profession"
    result = run("search", "zzzzqqqq")
    assert result.exit_code == 1 and "Nothing matches" in result.output


def test_version_and_help():
    from profgraph import __version__

    assert run("--version").output.strip().endswith(__version__)
    for command in ("path", "show", "search"):
        result = run(command, "--help")
        assert result.exit_code == 0 and "Example" in result.output


def test_stats_json_matches_the_tables(curated):
    import pandas as pd

    result = run("stats", "--format", "json")
    stats = json.loads(result.output)
    professions = pd.read_csv(data_dir() / "professions.csv", dtype=str, keep_default_na=False)
    skills = pd.read_csv(data_dir() / "skills.csv", dtype=str, keep_default_na=False)
    assert stats["professions"]["total"] == len(professions)
    assert stats["professions"]["by_status"] == {s: int((professions["status"] == s).sum())
                                                 for s in ("emerging", "transforming", "stable", "disappearing")}
    assert stats["professions"]["by_sector"] == professions["sector"].value_counts().to_dict()
    exposure = pd.Series(curated_exposures()).dropna()
    assert stats["professions"]["high_exposure_share"] == pytest.approx((exposure >= 0.5).mean(), abs=1e-4)
    assert stats["skills"]["total"] == len(skills)
    assert stats["skills"]["by_type"] == skills["type"].value_counts().reindex(SKILL_TYPES, fill_value=0).to_dict()
    assert stats["links"]["esco_professions"] == pytest.approx((professions["esco_uri"] != "").mean(), abs=1e-4)
    by_rule = stats["stranded_by_rule"]
    assert stats["stranded"] == by_rule["all_rules"]["professions"]
    # every rule only removes paths: each stranded set contains the one of plain viability
    for entry in by_rule.values():
        assert set(by_rule["viable"]["professions"]) <= set(entry["professions"]) <= set(stats["stranded"])
        assert entry["count"] == len(entry["professions"])
    text = run("stats").output
    assert "239" in text and "52%" in text and "per rule" in text
