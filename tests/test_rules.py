"""The transition rules (viable, desirable, safer, stepping stones) on the hand-made tiny dataset, whose
answers follow by hand, and on the curated data, checked against an independent recomputation.

Tiny measures (tests/data/tiny/profession_measures.csv; coverage figures from tests/test_paths.py):

    profession  risk  prevalence  category   genAI  category    skill level  job zone  earnings  wage
    clerk       3.70  0.30        High risk  0.50   Gradient 3  2            2         20000     250000
    assistant   3.66  0.25        Other      0.40   Gradient 2  2            2         19000     240000
    analyst     3.30  0.85        Low risk   0.47   Gradient 2  3            -         -         300000
    designer    3.30  0.80        Low risk   0.20   Not Exposed 4            -         -         -
    operator    3.60  0.20        High risk  0.44   Gradient 2  2            -         -         180000
    island      3.30  0.90        Low risk   -      -           4            -         -         349354

From clerk, with the defaults (automation risk, margin 0.05, pay >= 75%, preparation within 1 step):
- clerk -> assistant: coverage 0.665, job zones 2 -> 2; pay 19000 / 20000 = 0.95 (both have earnings);
  3.66 > 3.70 - 0.05 = 3.65, so not safer; a stepping stone, though: stable, 3.66 <= 3.70, pay 0.95;
- assistant -> analyst: coverage 0.542; skill levels 2 -> 3 (analyst has no job zone): one step;
  clerk -> analyst: 3.30 <= 3.65 and low: safer; 3.30 < 3.70 and 0.85 > 0.30: strictly safer;
  pay 300000 / 250000 = 1.2 (wages: the analyst has no earnings). The path passes: score 4.5;
- clerk -> operator: coverage 0.586, skill levels 2 -> 2, viable; but High risk (not safer) and
  pay 180000 / 250000 = 0.72 < 0.75 (not desirable): shown only with --allow-riskier --allow-lower-pay;
- clerk -> designer: coverage 0.212 < 0.4 and skill levels 2 -> 4: not viable; its wage is unknown.
With --risk genai: clerk 0.50 -> analyst 0.47 is not 0.05 lower: no path. From operator (3.60): the
assistant (3.66) is riskier than the origin, so operator -> assistant -> analyst needs
--allow-stepping-stones.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from profgraph.answers import reskilling_report_for, similar_report, upskill_report
from profgraph.resources import data_dir
from profgraph.rules import Rules, facts_of, judge, make_rules, move_facts

from conftest import TINY, run
from rules_reference import Reference


def destinations(report: dict) -> list[str]:
    return [path["steps"][-1]["to"]["id"] for path in report["paths"]]


def move(dataset, rules: Rules, a: str, b: str, coverage: float = 1.0) -> dict:
    facts = facts_of(dataset.model)
    return move_facts(judge(facts, rules, [facts.row[a]], [facts.row[b]], [coverage]), 0)


# ------------------------------------------------------------------ tiny: the arithmetic of the docstring

def test_each_rule_on_tiny_moves(tiny):
    rules = Rules()
    assistant = move(tiny, rules, "clerk", "assistant", 0.665)
    assert assistant["preparation"] == {"from": 2.0, "to": 2.0, "scale": "job_zone", "change": 0.0, "ok": True}
    assert assistant["pay"]["ratio"] == pytest.approx(0.95) and assistant["pay"]["basis"] == "nesta-earnings"
    assert assistant["viable"] and assistant["desirable"] and assistant["safer"] is False
    assert assistant["risk"]["automation"]["change"] == pytest.approx(-0.04)
    analyst = move(tiny, rules, "clerk", "analyst", 0.216)
    assert analyst["viable"] is False and analyst["coverage_ok"] is False  # directly: coverage 0.216
    assert analyst["preparation"]["scale"] == "isco_skill_level" and analyst["preparation"]["change"] == 1.0
    assert analyst["pay"] == {"ratio": 1.2, "basis": "kz-wage", "ok": True}
    assert analyst["safer"] and analyst["strictly_safer"]
    assert analyst["risk"]["automation"]["to_level"] == "low"
    operator = move(tiny, rules, "clerk", "operator", 0.586)
    assert operator["viable"] and operator["pay"]["ratio"] == pytest.approx(0.72)
    assert operator["desirable"] is False and operator["safer"] is False  # 3.60 is 0.10 lower, but High risk
    designer = move(tiny, rules, "clerk", "designer", 0.212)
    assert designer["preparation"]["change"] == 2.0 and designer["viable"] is False
    assert designer["pay"]["ratio"] is None and designer["desirable"] is None  # unknown, not kept


def test_default_rules_keep_only_the_safer_desirable_path(tiny):
    report = reskilling_report_for(tiny, "clerk", status="emerging")
    assert destinations(report) == ["analyst"] and report["paths"][0]["score"] == pytest.approx(4.5)
    path = report["paths"][0]
    assert path["checks"] == {"viable": True, "desirable": True, "safer": True, "strictly_safer": True}
    assert path["pay_ratio"] == pytest.approx(1.2) and path["flags"] == []
    assert [step["preparation"]["change"] for step in path["steps"]] == [0.0, 1.0]
    assert [step["coverage_percent"] for step in path["steps"]] == [66.5, 54.2]
    assert report["rules"]["min_pay_ratio"] == 0.75 and report["rules"]["risk"] == "automation"
    assert report["no_path"] is None


def test_allow_options_show_the_others_flagged(tiny):
    riskier = reskilling_report_for(tiny, "clerk", status="emerging", rules=Rules(allow_riskier=True))
    assert destinations(riskier) == ["analyst"]  # the operator still pays 72%
    both = reskilling_report_for(tiny, "clerk", status="emerging",
                                 rules=Rules(allow_riskier=True, allow_lower_pay=True))
    assert destinations(both) == ["analyst", "operator"]
    assert [p["score"] for p in both["paths"]] == [pytest.approx(4.5), pytest.approx(6.0)]  # (1+1) + 5 * 0.8
    operator = both["paths"][1]
    assert {flag["rule"] for flag in operator["flags"]} == {"desirable", "safer"}
    assert operator["checks"]["safer"] is False and operator["checks"]["desirable"] is False
    assert any("72%" in flag["text"] for flag in operator["flags"])


def test_no_path_says_why_with_the_nearest_misses(tiny):
    report = reskilling_report_for(tiny, "clerk", status="emerging", rules=Rules(risk="genai"))
    assert report["paths"] == []
    misses = report["no_path"]["nearest_misses"]
    routes = [[entry["id"] for entry in miss["route"]] for miss in misses]
    assert ["clerk", "assistant", "analyst"] in routes and ["clerk", "operator"] in routes
    analyst = misses[routes.index(["clerk", "assistant", "analyst"])]
    assert [block["rule"] for block in analyst["blocked_by"]] == ["safer"]  # 0.50 -> 0.47: not 0.05 lower
    assert "0.50 -> medium 0.47" in analyst["blocked_by"][0]["text"]
    operator = misses[routes.index(["clerk", "operator"])]
    assert [block["rule"] for block in operator["blocked_by"]] == ["desirable"]  # genAI 0.44 is safer
    text = run("path", "clerk", "--to", "emerging", "--risk", "genai", env={"PROFGRAPH_DATA": str(TINY)}).output
    assert "No path meets the rules" in text and "Nearest misses" in text and "--allow-riskier" in text


def test_stepping_stones_may_not_be_riskier_than_the_origin(tiny):
    report = reskilling_report_for(tiny, "operator", status="emerging")
    assert report["paths"] == []
    # the analyst is one objection away either way: directly (coverage 0.216) or through the assistant
    miss = report["no_path"]["nearest_misses"][0]
    assert [entry["id"] for entry in miss["route"]][-1] == "analyst" and len(miss["blocked_by"]) == 1
    allowed = reskilling_report_for(tiny, "operator", status="emerging", rules=Rules(allow_stepping_stones=True))
    assert destinations(allowed) == ["analyst"]
    [flag] = allowed["paths"][0]["flags"]
    assert flag["profession"] == "assistant" and flag["rule"] == "stepping_stone"
    assert flag["text"] == "riskier than the origin (automation risk 3.60 -> 3.66)"


def test_preparation_and_pay_thresholds_are_options(tiny):
    low = make_rules(min_coverage=0.2, max_prep_step=2)
    designer = move(tiny, low, "clerk", "designer", 0.212)
    assert designer["viable"] and designer["desirable"] is None
    report = reskilling_report_for(tiny, "clerk", destination="designer", rules=low)
    assert report["paths"] == []  # its pay is unknown: never treated as kept
    assert any("pay unknown" in b["text"] for b in report["no_path"]["nearest_misses"][0]["blocked_by"])
    shown = reskilling_report_for(tiny, "clerk", destination="designer", rules=replace(low, allow_lower_pay=True))
    assert destinations(shown) == ["designer"]
    assert shown["paths"][0]["pay_ratio"] is None and shown["paths"][0]["checks"]["desirable"] is None
    # a lower bar lets the operator's 72% pass; the High risk still does not
    lenient = reskilling_report_for(tiny, "clerk", status="emerging", rules=Rules(min_pay_ratio=0.7, allow_riskier=True))
    assert destinations(lenient) == ["analyst", "operator"]


def test_unknown_risk_of_the_origin_is_said(tiny):
    model = replace(tiny.model, professions=dict(tiny.model.professions))
    clerk = model.professions["clerk"]
    model.professions["clerk"] = replace(clerk, measures=replace(clerk.measures, automation_risk=None))

    class Dataset:  # the tiny store with the clerk's automation risk unknown
        def __init__(self):
            self.model, self.names, self.transitions = model, tiny.names, tiny.transitions
            self.skill_matrices, self.specificity = tiny.skill_matrices, tiny.specificity

        def adjacency(self, min_coverage):
            return tiny.adjacency(min_coverage)

    report = reskilling_report_for(Dataset(), "clerk", status="emerging")
    assert report["paths"] == []
    assert "automation risk is unknown" in report["no_path"]["reason"]
    assert "rule: safer: automation risk at least 0.05 lower and not high" in report["no_path"]["reason"]
    assert report["origin"]["automation"]["risk"] is None


def test_unreachable_successor_is_reported_with_the_skills_missing(tiny):
    # clerk transforms into operator: viable at coverage 0.586, but not at 0.6
    strict = reskilling_report_for(tiny, "clerk", status="emerging", rules=Rules(min_coverage=0.6))
    [successor] = strict["successors"]
    assert successor["profession"]["id"] == "operator" and successor["reachable"] is False
    assert successor["missing_skills"]["professional"] == ["skill x"]
    assert any(block["text"] == "coverage 59% < 60%" for block in successor["blocked_by"])
    [reached] = reskilling_report_for(tiny, "clerk", status="emerging")["successors"]
    assert reached["reachable"] and reached["steps"] == 1
    assert {block["rule"] for block in reached["blocked_by"]} == {"desirable", "safer"}
    text = run("show", "clerk", "--min-coverage", "0.6", "--lang", "en", env={"PROFGRAPH_DATA": str(TINY)}).output
    assert "operator: not reachable: coverage 59% < 60%" in text and "skill x" in text


def test_similar_and_upskill_judge_moves_by_the_same_rules(tiny):
    report = similar_report(tiny, "clerk", top=5)
    operator = next(entry for entry in report["similar"] if entry["id"] == "operator")
    assert operator["move"] == move(tiny, Rules(), "clerk", "operator", operator["coverage"])
    assert {block["rule"] for block in operator["blocked_by"]} == {"desirable", "safer"}
    # upskill counts only destinations the rules accept: the analyst (safer, desirable, one step up)
    options = upskill_report(tiny, "clerk", "emerging", max_skills=2)
    assert options["target"]["eligible"] == 1
    assert {p["id"] for option in options["options"] for p in option["unlocks"]} <= {"analyst"}


# ------------------------------------------------------------------ bad input

@pytest.mark.parametrize("args, message", [
    (["--risk", "jobs"], "--risk must be one of automation, genai, both, not 'jobs'"),
    (["--min-pay-ratio", "-0.1"], "--min-pay-ratio must be between 0 and 1"),
    (["--min-pay-ratio", "1.5"], "--min-pay-ratio must be between 0 and 1"),
    (["--max-prep-step", "-1"], "--max-prep-step must be between 0 and 4"),
    (["--region", "Narnia"], "unknown --region 'Narnia'; one of: abay-region"),
])
@pytest.mark.parametrize("command", [["path", "кассир", "--to", "emerging"], ["similar", "кассир"],
                                     ["upskill", "кассир"], ["transitions", "--from", "кассир"]])
def test_bad_rule_options_exit_2_in_one_line(curated, command, args, message):
    if args[0] == "--region":
        from profgraph.reference import reference_dir

        if reference_dir() is None or not (reference_dir() / "kz-wages-2022").is_dir():
            pytest.skip("the reference data (kz-wages-2022) are absent")
    result = run(*command, *args)
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"Error: {message}") and result.output.count("\n") == 1
    assert "Traceback" not in result.output


def test_region_without_the_reference_data_says_so(curated, tmp_path):
    result = run("path", "кассир", "--to", "emerging", "--region", "Almaty city",
                 env={"PROFGRAPH_REFERENCE": str(tmp_path)})
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert "--region needs the Kazakhstan wage table" in result.output and "PROFGRAPH_REFERENCE" in result.output
    whole = run("path", "кассир", "--to", "emerging", "--region", "kz",
                env={"PROFGRAPH_REFERENCE": str(tmp_path)})
    assert whole.exit_code == 0  # the whole country needs no reference data


def test_region_changes_the_wage_ratios(curated):
    from profgraph.reference import reference_dir

    folder = reference_dir()
    if folder is None or not (folder / "kz-wages-2022").is_dir():
        pytest.skip("the reference data (kz-wages-2022) are absent")
    import pandas as pd

    wages = pd.read_csv(folder / "kz-wages-2022" / "avg_monthly_wage_by_occupation_major_group_2022.csv")
    atyrau = wages[wages.regions == "Atyrau Region"].iloc[0]
    rules = make_rules(region="atyrau region")
    assert rules.region == "Atyrau Region"
    facts = facts_of(curated.model)
    professions = curated.model.professions
    # a service worker, and a professional whose ESCO occupation has no Nesta earnings: the wage ratio decides
    a = next(pid for pid, p in professions.items() if p.isco08.startswith("5"))
    b = next(pid for pid, p in professions.items() if p.isco08.startswith("2") and p.measures.annual_earnings is None)
    judged = move(curated, rules, a, b)
    assert judged["pay"]["basis"] == "kz-wage"
    assert judged["pay"]["ratio"] == pytest.approx(atyrau["qualified"] / atyrau["service_and_sales"], abs=1e-4)
    assert facts.wages(rules)[facts.row[a]] == atyrau["service_and_sales"]


# ------------------------------------------------------------------ curated: every path against the rules

@pytest.fixture(scope="module")
def reference():
    return Reference(data_dir())


@pytest.mark.slow
def test_every_curated_path_obeys_the_rules(curated, reference):
    """For every disappearing profession, the paths to emerging ones are those an independent brute-force
    enumeration finds under the rules, cheapest first, and every step and stepping stone passes."""
    model = curated.model
    emerging = {pid for pid, p in model.professions.items() if p.status == "emerging"}
    stranded = []
    for origin in sorted(pid for pid, p in model.professions.items() if p.status == "disappearing"):
        report = reskilling_report_for(curated, origin, status="emerging", top=5)
        expected = reference.best_paths(origin, emerging)
        ranked = sorted(expected.items(), key=lambda item: (item[1][0], len(item[1][1]), item[0]))[:5]
        assert [(p["steps"][-1]["to"]["id"], p["score"]) for p in report["paths"]] == \
            [(pid, pytest.approx(cost, abs=1e-3)) for pid, (cost, _) in ranked], origin
        for path in report["paths"]:
            route = [path["steps"][0]["from"]["id"]] + [step["to"]["id"] for step in path["steps"]]
            assert all(reference.viable(a, b) for a, b in zip(route, route[1:])), route
            assert all(reference.stepping_stone(origin, stone) for stone in route[1:-1]), route
            assert reference.safer(origin, route[-1]) and reference.desirable(origin, route[-1]), route
            assert path["checks"]["strictly_safer"] == reference.strictly_safer(origin, route[-1])
            assert path["pay_ratio"] == pytest.approx(reference.pay(origin, route[-1]), abs=1e-4)
            for step in path["steps"]:
                a, b = step["from"]["id"], step["to"]["id"]
                assert step["coverage"] == pytest.approx(reference.coverage(a, b), abs=1e-4)
                assert (step["preparation"]["from"], step["preparation"]["to"]) == reference.preparation(a, b)
        if not expected:
            stranded.append(origin)
            assert report["no_path"]["reason"] and report["paths"] == []
    from profgraph.stats import dataset_stats

    assert sorted(dataset_stats(curated)["stranded"]) == stranded


def test_to_safer_never_ends_at_a_disappearing_or_riskier_profession(curated, reference):
    for origin in ("cashier", "bank-teller", "bus-conductor", "data-entry-clerk"):
        report = json.loads(run("path", origin, "--to", "safer", "--format", "json",
                                "--top", "10").output)
        for path in report["paths"]:
            end = path["steps"][-1]["to"]["id"]
            assert reference.status[end] != "disappearing" and reference.safer(origin, end)
        if not report["paths"]:
            assert report["no_path"]["nearest_misses"] is not None


def test_flags_of_the_transitions_table_follow_the_rules(curated, reference, tmp_path):
    output = tmp_path / "cashier.csv"
    result = run("transitions", "--from", "кассир", "-o", str(output))
    assert result.exit_code == 0, result.output
    import csv

    rows = list(csv.DictReader(output.open(encoding="utf-8")))
    assert len(rows) == sum(reference.coverage("cashier", b) >= 0.2 for b in reference.status if b != "cashier")
    for row in rows:
        b = row["destination"]
        assert float(row["coverage"]) == pytest.approx(reference.coverage("cashier", b), abs=1e-4)
        assert row["viable"] == str(reference.viable("cashier", b)).lower()
        assert row["desirable"] == str(reference.desirable("cashier", b)).lower()
        assert row["safer"] == str(reference.safer("cashier", b)).lower()
        assert row["strictly_safer"] == str(reference.strictly_safer("cashier", b)).lower()
        assert float(row["pay_ratio"]) == pytest.approx(reference.pay("cashier", b), abs=1e-3)


def test_transitions_formats_agree(curated, tmp_path):
    import pyarrow.parquet as pq

    paths = {}
    for output_format in ("csv", "json", "parquet"):
        paths[output_format] = tmp_path / f"t.{output_format}"
        result = run("transitions", "--format", output_format, "-o", str(paths[output_format]))
        assert result.exit_code == 0, result.output
        assert f"to {paths[output_format]}" in result.output
    table = pq.read_table(paths["parquet"]).to_pylist()
    answer = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert answer["rules"]["text"] == Rules().describe()
    assert table == answer["transitions"]
    assert len(table) == len(paths["csv"].read_text(encoding="utf-8").splitlines()) - 1
    assert len(table) == int(curated.transitions["indices"].shape[0])
    assert run("transitions", "--format", "parquet").exit_code == 2  # needs -o
    assert run("transitions", "--format", "xml").output.startswith("Error: --format must be")
