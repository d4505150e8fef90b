"""The terminal's text of real answers over the curated data, rendered without the command line: each
renderer of profgraph.textreport takes an answer's dict and returns its lines, and the lines say what
the data says."""

from __future__ import annotations

from collections import Counter

from profgraph.answers import profession_card, reskilling_report, search_report, similar_report, upskill_report
from profgraph.rules import MEASURE_NAMES
from profgraph.stats import ATLAS_COUNTS, dataset_stats
from profgraph.textreport import (card_lines, path_lines, search_lines, similar_lines, stats_lines, upskill_lines,
                                  verdict)
from profgraph.vocab import LEARNABLE_SKILL_TYPES, STATUSES, TRAIT
from profgraph.web.i18n import SKILL_TYPE_NAMES

TYPE_NAMES = SKILL_TYPE_NAMES["en"]


def test_the_cashiers_paths_name_the_rule_that_blocks_each_miss(curated):
    report = reskilling_report(curated, "кассир", "emerging", lang="en")
    cashier = curated.model.professions["cashier"]
    assert not report["paths"] and report["no_path"]["nearest_misses"]  # stranded under the default rules
    lines = path_lines(report)
    risk = cashier.measures.automation_risk
    assert lines[0].startswith(f"From: {cashier.labels['en']} (disappearing; {MEASURE_NAMES['automation']} high "
                               f"{risk:.2f}")
    assert lines[1].startswith("To:   emerging  (at most 3 steps)")
    assert f"No path meets the rules: {report['no_path']['reason']}." in lines
    for miss in report["no_path"]["nearest_misses"]:
        route = "  " + " -> ".join(entry["label"] for entry in miss["route"])
        shown = lines[lines.index(route) + 1:]
        for block, line in zip(miss["blocked_by"], shown):
            assert line.startswith("      blocked: ") and line.endswith(block["text"])
    # the move to the self-checkout operator is refused by the safer rule: both risks are high
    operator = curated.model.professions["self-checkout-operator"]
    assert (f"      blocked: not safer: automation risk high {risk:.2f} -> high "
            f"{operator.measures.automation_risk:.2f} (high)") in lines


def test_a_path_prints_every_step_with_why_it_passes(curated, path_origin):
    report = reskilling_report(curated, path_origin.id, "emerging", lang="en")
    lines = path_lines(report)
    for path in report["paths"]:
        steps = path["steps"]
        heading = f"#{path['rank']}  " + " -> ".join([steps[0]["from"]["label"]] + [s["to"]["label"] for s in steps])
        assert heading in lines
        for number, step in enumerate(steps, 1):
            at = lines.index(f"    step {number}: {step['from']['label']} -> {step['to']['label']}", lines.index(heading))
            assert lines[at + 1].startswith(f"      why:               coverage {step['coverage']:.0%}")


def test_the_card_lists_skills_by_relation_and_type(curated):
    model = curated.model
    cashier = model.professions["cashier"]
    lines = card_lines(profession_card(model, "cashier", "en", dataset=curated))
    assert lines[0] == f"{cashier.labels['en']}  [cashier]"
    assert "status:   disappearing" in lines and f"ISCO-08:  {cashier.isco08}" in lines
    for heading, relation in (("essential skills:", cashier.essential), ("optional skills:", cashier.optional)):
        section = lines[lines.index(heading) + 1:]
        by_type = {t: [s for s in relation if model.skills[s].type == t] for t in LEARNABLE_SKILL_TYPES}
        listed = [t for t in LEARNABLE_SKILL_TYPES if by_type[t]]
        for skill_type, line in zip(listed, section):
            assert line.startswith(f"  {TYPE_NAMES[skill_type]}:")
            for skill in by_type[skill_type]:
                assert model.skills[skill].labels["en"] in line
    traits = [model.skills[s].labels["en"] for s in cashier.skills if model.skills[s].type == TRAIT]
    assert traits and f"personal qualities: {', '.join(traits)}" in lines


def test_search_lines_show_every_hit(curated):
    hits = search_report(curated, "kassir", lang="en")
    lines = search_lines(hits)
    assert len(lines) == len(hits) and "[cashier]" in lines[0]
    assert all(f"[{hit['id']}]" in line and hit["kind"] in line for hit, line in zip(hits, lines))


def test_similar_lines_judge_each_move(curated):
    report = similar_report(curated, "кассир", top=3, lang="en")
    lines = similar_lines(report)
    assert lines[0] == "Most similar to cashier  [cashier]" and len(lines) == 1 + 2 * 3
    for rank, other in enumerate(report["similar"], 1):
        assert lines[2 * rank - 1].startswith(f"{rank:3}  {other['similarity']:.2f}  {other['label']}  [{other['id']}]")
        assert lines[2 * rank] == f"       {verdict(other['move'], other['blocked_by'])}"
        assert f"coverage {other['move']['coverage']:.0%}" in lines[2 * rank]


def test_upskill_lines_name_the_skills_and_what_they_unlock(curated):
    report = upskill_report(curated, "кассир", "emerging", max_skills=2, lang="en")
    lines = upskill_lines(report)
    assert report["options"] and lines[2] == f"Rules: {report['rules']['text']}"
    for option in report["options"]:
        learn = lines.index(f"#{option['rank']}  learn " + ", ".join(
            f"{skill['label']} ({TYPE_NAMES[curated.model.skills[skill['id']].type]})" for skill in option["skills"]))
        assert lines[learn + 1].startswith(f"    unlocks {len(option['unlocks'])}: ")


def test_upskill_lines_say_when_nothing_unlocks(curated):
    report = upskill_report(curated, "кассир", "emerging", min_coverage=0.95, lang="en")
    assert not report["options"]
    assert upskill_lines(report)[-1].startswith("No set of up to 1 skills unlocks a new transition.")


def test_stats_lines_count_what_the_model_holds(curated):
    model = curated.model
    lines = stats_lines(dataset_stats(curated))
    statuses = Counter(p.status for p in model.professions.values())
    types = Counter(s.type for s in model.skills.values())
    assert lines[0].startswith(f"professions: {len(model.professions)}   (Atlas of new professions, 2021: "
                               f"{ATLAS_COUNTS['emerging']} emerging")
    for status in STATUSES:
        assert any(line.split()[:2] == [status, str(statuses[status])] for line in lines)
    assert f"  {TYPE_NAMES[TRAIT]:<19}{types[TRAIT]:>5}" in lines
    assert f"skills: {len(model.skills)}" in lines

