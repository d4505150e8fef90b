"""Path semantics on the hand-made tiny dataset (tests/data/tiny), whose answers follow by hand.

Six professions, so a skill required by df of them has specificity s(df) = ln(1 + 6/df):
a, b, c are required by four (s4 = ln 2.5), e by two (s2 = ln 4), every other skill by one (s1 = ln 7).

clerk (a b c d; exposure 0.9) -> assistant (a b c e): coverage 3 s4 / (3 s4 + s2) = 0.665, gap 1
assistant -> analyst (c e f; exposure 0.1): coverage (s4 + s2) / (s4 + s2 + s1) = 0.542, gap 1
clerk -> operator (a b c x; exposure 0.8): coverage 3 s4 / (3 s4 + s1) = 0.586, gap 1
clerk -> designer (a b h i j essential, k optional; exposure 0.1):
    coverage 2 s4 / (2 s4 + 3 s1 + 0.5 s1) = 0.212, gap 3.5
clerk -> analyst: coverage s4 / (s4 + s2 + s1) = 0.216, gap 2
island (y z) shares nothing with anyone.
With step penalty 1 and exposure weight 5:
  analyst via assistant: (1+1) + (1+1) + 5*0.1 = 4.5
  designer directly:     (3.5+1) + 5*0.1      = 5.0 (viable only from min coverage 0.212 down)
  operator directly:     (1+1) + 5*0.8        = 6.0
  analyst directly:      (2+1) + 5*0.1        = 3.5 (viable only from min coverage 0.216 down)
"""

from __future__ import annotations

from math import log

import pytest

from profgraph.reskilling import GRAPH_FLOOR, adjacency_of, find_paths, target_set
from profgraph.similarity import coverage_matrix, skill_matrices

S4, S2, S1 = log(1 + 6 / 4), log(1 + 6 / 2), log(1 + 6 / 1)


def test_coverage_weights_relation_and_specificity(tiny):
    matrices = skill_matrices(tiny.model)
    coverage, gap = coverage_matrix(matrices)
    index = {pid: i for i, pid in enumerate(matrices.profession_ids)}

    def at(a, b):
        return coverage[index[a], index[b]]

    assert at("clerk", "assistant") == pytest.approx(3 * S4 / (3 * S4 + S2), abs=1e-6)
    assert at("assistant", "analyst") == pytest.approx((S4 + S2) / (S4 + S2 + S1), abs=1e-6)
    assert at("clerk", "operator") == pytest.approx(3 * S4 / (3 * S4 + S1), abs=1e-6)
    assert at("clerk", "designer") == pytest.approx(2 * S4 / (2 * S4 + 3.5 * S1), abs=1e-6)
    assert gap[index["clerk"], index["designer"]] == pytest.approx(3.5)
    assert gap[index["assistant"], index["analyst"]] == pytest.approx(1.0)
    assert at("clerk", "island") == 0.0
    # coverage is not symmetric: the designer has the clerk's a and b, but not c and d
    assert at("designer", "clerk") == pytest.approx(2 * S4 / (3 * S4 + S1), abs=1e-6)


def test_ranked_paths_to_emerging(tiny):
    model = tiny.model
    paths = find_paths(model, tiny.adjacency(GRAPH_FLOOR), "clerk", target_set(model, status="emerging"))
    assert [p.destination for p in paths] == ["analyst", "operator"]
    assert [p.score for p in paths] == [pytest.approx(4.5), pytest.approx(6.0)]
    analyst = paths[0]
    assert [(s.origin, s.destination) for s in analyst.steps] == [("clerk", "assistant"), ("assistant", "analyst")]
    assert analyst.steps[0].skills_to_learn["digital"] == ["e"]
    # e was learned in step 1 and c is the clerk's own: step 2 teaches only f
    assert analyst.steps[1].skills_to_learn == {"digital": ["f"], "cognitive": [],
                                                "socio_behavioural": [], "professional": []}
    assert analyst.new_skills_total == 2


def test_lower_threshold_admits_designer_and_a_direct_analyst(tiny):
    model = tiny.model
    adjacency = adjacency_of(model, floor=0.2)
    paths = find_paths(model, adjacency, "clerk", target_set(model, status="emerging"), min_coverage=0.2)
    assert [p.destination for p in paths] == ["analyst", "designer", "operator"]
    assert [p.score for p in paths] == [pytest.approx(3.5), pytest.approx(5.0), pytest.approx(6.0)]
    assert len(paths[0].steps) == 1


def test_max_steps_and_top_bound_the_answer(tiny):
    model = tiny.model
    emerging = target_set(model, status="emerging")
    stored = tiny.adjacency(GRAPH_FLOOR)
    assert [p.destination for p in find_paths(model, stored, "clerk", emerging, max_steps=1)] == ["operator"]
    assert len(find_paths(model, stored, "clerk", emerging, top=1)) == 1


def test_exposure_weight_changes_the_ranking(tiny):
    model = tiny.model
    emerging = target_set(model, status="emerging")
    # without the exposure term the one-step operator (cost 2) beats the two-step analyst (cost 4)
    paths = find_paths(model, tiny.adjacency(GRAPH_FLOOR), "clerk", emerging, exposure_weight=0.0)
    assert [p.destination for p in paths] == ["operator", "analyst"]


def test_transitions_with_a_higher_floor_are_refused(tiny):
    adjacency = adjacency_of(tiny.model, floor=0.6)
    with pytest.raises(ValueError):
        find_paths(tiny.model, adjacency, "clerk", {"analyst"}, min_coverage=0.4)


def test_unreachable_target_gives_no_path(tiny):
    assert find_paths(tiny.model, tiny.adjacency(GRAPH_FLOOR), "clerk", {"island"}) == []
