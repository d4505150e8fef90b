"""Path semantics on the hand-made tiny dataset (tests/data/tiny), whose answers follow by hand.

clerk (a b c d; exposure 0.9) -> assistant (a b c e): coverage 3/4, gap 1
assistant -> analyst (c e f g; exposure 0.1): coverage 2/4, gap 2
clerk -> operator (a b c x; exposure 0.8): coverage 3/4, gap 1
clerk -> designer (a b h i j essential, k optional; exposure 0.1): coverage 2/5.5, gap 3.5
island (y z) shares nothing with anyone.
With step penalty 1 and exposure weight 5:
  analyst via assistant: (1+1) + (2+1) + 5*0.1 = 5.5
  operator directly:      (1+1) + 5*0.8         = 6.0
  designer directly:      (3.5+1) + 5*0.1       = 5.0, viable only from min coverage 0.3637 down
"""

from __future__ import annotations

import pytest

from profgraph.paths import find_paths, target_set, transition_graph
from profgraph.similarity import coverage_matrix, skill_matrices


def test_coverage_weights_essential_and_optional(tiny):
    matrices = skill_matrices(tiny.model)
    coverage, gap = coverage_matrix(matrices)
    index = {pid: i for i, pid in enumerate(matrices.profession_ids)}
    assert coverage[index["clerk"], index["assistant"]] == pytest.approx(0.75)
    assert coverage[index["assistant"], index["analyst"]] == pytest.approx(0.5)
    assert coverage[index["clerk"], index["designer"]] == pytest.approx(2 / 5.5)
    assert gap[index["clerk"], index["designer"]] == pytest.approx(3.5)
    assert coverage[index["clerk"], index["island"]] == 0.0
    # coverage is not symmetric: the designer knows all the clerk's a and b, but not c and d
    assert coverage[index["designer"], index["clerk"]] == pytest.approx(0.5)


def test_ranked_paths_to_emerging(tiny):
    model = tiny.model
    paths = find_paths(model, tiny.graph, "clerk", target_set(model, status="emerging"))
    assert [p.destination for p in paths] == ["analyst", "operator"]
    assert [p.score for p in paths] == [pytest.approx(5.5), pytest.approx(6.0)]
    analyst = paths[0]
    assert [(s.origin, s.destination) for s in analyst.steps] == [("clerk", "assistant"), ("assistant", "analyst")]
    assert analyst.steps[0].skills_to_learn["digital"] == ["e"]
    # e was learned in step 1 and c is the clerk's own: step 2 teaches only f and g
    assert analyst.steps[1].skills_to_learn == {"digital": ["f"], "cognitive": ["g"],
                                                "socio_behavioural": [], "professional": []}
    assert analyst.new_skills_total == 3


def test_lower_threshold_admits_designer_and_ranks_it_first(tiny):
    model = tiny.model
    graph = transition_graph(model, floor=0.3)
    paths = find_paths(model, graph, "clerk", target_set(model, status="emerging"), min_coverage=0.35)
    assert paths[0].destination == "designer"
    assert paths[0].score == pytest.approx(5.0)
    assert "island" not in {p.destination for p in paths}


def test_max_steps_and_top_bound_the_answer(tiny):
    model = tiny.model
    emerging = target_set(model, status="emerging")
    assert [p.destination for p in find_paths(model, tiny.graph, "clerk", emerging, max_steps=1)] == ["operator"]
    assert len(find_paths(model, tiny.graph, "clerk", emerging, top=1)) == 1


def test_exposure_weight_changes_the_ranking(tiny):
    model = tiny.model
    emerging = target_set(model, status="emerging")
    # without the exposure term the one-step operator (cost 2) beats the two-step analyst (cost 5)
    paths = find_paths(model, tiny.graph, "clerk", emerging, exposure_weight=0.0)
    assert [p.destination for p in paths] == ["operator", "analyst"]


def test_graph_with_higher_floor_is_refused(tiny):
    graph = transition_graph(tiny.model, floor=0.6)
    with pytest.raises(ValueError):
        find_paths(tiny.model, graph, "clerk", {"analyst"}, min_coverage=0.4)


def test_unreachable_target_gives_no_path(tiny):
    assert find_paths(tiny.model, tiny.graph, "clerk", {"island"}) == []


def test_safer_destinations(tiny):
    # exposures 0.9 0.5 0.1 0.1 0.8 0.1: the third quartile is 0.725, so operator (0.8) is in the
    # highest-exposure quartile; assistant, analyst, designer and island are below clerk's 0.9.
    from profgraph.paths import safer_set, top_quartile_floor

    model = tiny.model
    assert top_quartile_floor(model) == pytest.approx(0.725)
    assert safer_set(model, "clerk") == {"assistant", "analyst", "designer", "island"}
    assert safer_set(model, "analyst") == set()
    paths = find_paths(model, tiny.graph, "clerk", safer_set(model, "clerk"))
    # assistant directly: (1 + 1) + 5 * 0.5 = 4.5; analyst through assistant: 5.5
    assert [(p.destination, p.score) for p in paths] == [("assistant", pytest.approx(4.5)), ("analyst", pytest.approx(5.5))]


def test_safer_needs_the_origins_exposure(tiny):
    import dataclasses

    from profgraph.errors import UsageError
    from profgraph.paths import safer_set

    model = dataclasses.replace(tiny.model, professions=dict(tiny.model.professions))
    model.professions["clerk"] = dataclasses.replace(model.professions["clerk"], exposure=None, exposure_source=None)
    with pytest.raises(UsageError, match="no automation exposure"):
        safer_set(model, "clerk")
