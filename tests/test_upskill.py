"""Upskilling, on the hand-made tiny dataset (answers derived by hand) and on the curated data
(against the straightforward reference in upskill_reference.py).

tiny has six professions; a skill required by df of them weighs ln(1 + 6/df): a, b, c (df 4)
s4 = ln 2.5, e (df 2) s2 = ln 4, every other skill s1 = ln 7. From clerk (a b c d) to the
emerging professions at min coverage 0.4:
  operator (a b c x) is viable already: 3 s4 / (3 s4 + s1) = 0.586;
  analyst (c e f) is at s4 / (s4 + s2 + s1) = 0.216: f makes (s4 + s1) / ... = 0.674, e 0.542;
  designer (a b h i j essential, k optional) is at 2 s4 / (2 s4 + 3.5 s1) = 0.212: h, i or j
  makes (2 s4 + s1) / ... = 0.437; k only (2 s4 + 0.5 s1) / ... = 0.325, not enough;
  island (y z) is at 0: y or z makes 0.5.
Every single skill unlocks one destination; ties go to the higher coverage, then to the id:
f (0.674), e (0.542), y, z (0.5), h, i, j (0.437); k unlocks nothing. Two skills for the same
destination add nothing over one, so the best 3-set takes one skill per destination, the best
of each: f, h, y unlock all three.
"""

from __future__ import annotations

import json
import operator
import random
from math import log

import pytest

from profgraph.errors import UsageError
from profgraph.reskilling import target_set
from profgraph.resources import data_dir
from profgraph.upskill import upskill

from conftest import run
from rules_reference import Reference
from upskill_reference import coverage, reference_upskill, requirement_weights

S4, S2, S1 = log(1 + 6 / 4), log(1 + 6 / 2), log(1 + 6 / 1)


def test_single_skills_by_hand(tiny):
    emerging = target_set(tiny.model, status="emerging")
    found = upskill(tiny.skill_matrices, "clerk", emerging, top=10)
    assert [option.skills for option in found] == [("f",), ("e",), ("y",), ("z",), ("h",), ("i",), ("j",)]
    assert found[0].unlocks == (("analyst", pytest.approx((S4 + S1) / (S4 + S2 + S1))),)
    assert found[4].unlocks == (("designer", pytest.approx((2 * S4 + S1) / (2 * S4 + 3.5 * S1))),)


def test_sets_by_hand(tiny):
    emerging = target_set(tiny.model, status="emerging")
    best = upskill(tiny.skill_matrices, "clerk", emerging, max_skills=3, top=1)[0]
    assert best.skills == ("f", "h", "y")
    assert [pid for pid, _ in best.unlocks] == ["analyst", "island", "designer"]
    pairs = upskill(tiny.skill_matrices, "clerk", emerging, max_skills=2, top=50)
    assert all(len(option.unlocks) == len(option.skills) for option in pairs)  # no skill in a set is idle
    assert ("e", "f") not in [option.skills for option in pairs]


@pytest.mark.slow
def test_equals_the_reference_on_curated_data(curated):
    model, matrices = curated.model, curated.skill_matrices
    chooser = random.Random(4)
    professions = sorted(model.professions)
    for origin in chooser.sample(professions, 6):
        for max_skills, size in ((1, len(professions)), (2, 12), (3, 5)):
            targets = set(chooser.sample(professions, size))
            fast = [(option.skills, option.unlocks) for option in
                    upskill(matrices, origin, targets, max_skills=max_skills, top=10)]
            assert fast == reference_upskill(model, origin, targets, 0.4, max_skills, 10), (origin, max_skills)


def test_command_to_emerging(curated):
    result = run("upskill", "кассир", "--to", "emerging", "--max-skills", "2", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    model = curated.model
    weights = requirement_weights(model)
    held = set(weights["cashier"])
    emerging = target_set(model, status="emerging")
    rules = Reference(data_dir())  # only destinations the rules accept, apart from coverage, count
    eligible = {b for b in emerging if abs(operator.sub(*rules.preparation("cashier", b))) <= 1
                and rules.desirable("cashier", b) and rules.safer("cashier", b)}
    assert report["target"]["eligible"] == len(eligible)
    assert report["target"]["viable_now"] == sum(coverage(held, weights[b]) >= 0.4 for b in eligible)
    assert report["options"]
    for option in report["options"]:
        learned = held | {skill["id"] for skill in option["skills"]}
        assert not held & {skill["id"] for skill in option["skills"]}
        for destination in option["unlocks"]:
            assert destination["id"] in eligible
            assert coverage(held, weights[destination["id"]]) < 0.4
            assert destination["coverage"] == pytest.approx(coverage(learned, weights[destination["id"]]), abs=1e-4)
    text = run("upskill", "кассир", "--to", "emerging", "--max-skills", "2").output
    assert "#1  learn" in text and "unlocks" in text


def test_bad_options(tiny):
    with pytest.raises(UsageError, match="^max_skills must be between 1 and 3") as refused:
        upskill(tiny.skill_matrices, "clerk", {"analyst"}, max_skills=4)
    assert refused.value.parameter == "max_skills"
    result = run("upskill", "кассир", "--max-skills", "0")
    assert result.exit_code == 2 and "--max-skills must be between 1 and 3" in result.output
