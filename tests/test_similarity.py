"""Similarity between professions: IDF-weighted cosine of skill vectors, checked by hand on the
tiny dataset and against an independent computation on the curated data.

tiny (6 professions): a, b, c are required by 4 professions (specificity ln 6/4 = 0.4055),
e by 2 (ln 3), every other skill by one (ln 6 = 1.7918). clerk (a b c d) and assistant
(a b c e) share a, b, c: cos = 3(0.4055^2) / sqrt((3(0.4055^2) + 1.7918^2)(3(0.4055^2) + 1.0986^2))
= 0.1965; operator (a b c x) differs from clerk only by its own rare skill: 0.1332; designer
shares a, b: 0.0521; analyst shares c: 0.0306; island shares nothing and is not listed.
"""

from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner

from profgraph.cli import main
from profgraph.similarity import most_similar, similarity_matrix

from upskill_reference import coverage, requirement_weights

RUNNER = CliRunner()


def test_similarity_by_hand(tiny):
    matrices = tiny.skill_matrices
    found = most_similar(tiny.similarity_vectors, matrices.rows["clerk"], 10)
    assert [matrices.profession_ids[row] for row, _ in found] == ["assistant", "operator", "designer", "analyst"]
    assert [value for _, value in found] == pytest.approx([0.1965, 0.1332, 0.0521, 0.0306], abs=1e-4)


def test_all_pairs_are_symmetric_and_match_single_queries(curated):
    matrices = curated.skill_matrices
    everything = similarity_matrix(matrices)
    assert everything == pytest.approx(everything.T)
    assert everything.diagonal() == pytest.approx(1.0)
    row = matrices.rows["cashier"]
    for other, value in most_similar(curated.similarity_vectors, row, 5):
        assert everything[row, other] == pytest.approx(value)


def test_similar_command(curated):
    result = RUNNER.invoke(main, ["similar", "кассир", "--top", "5", "--format", "json", "--lang", "en"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["origin"]["id"] == "cashier"
    weights = requirement_weights(curated.model)
    required_by = {}
    for needed in weights.values():
        for skill in needed:
            required_by[skill] = required_by.get(skill, 0) + 1

    def vector(pid):
        return {s: w * math.log(len(weights) / required_by[s]) for s, w in weights[pid].items()}

    origin = vector("cashier")
    assert len(report["similar"]) == 5
    for other in report["similar"]:
        assert set(other) >= {"id", "label", "similarity", "coverage", "coverage_back", "shared_skills", "status"}
        theirs = vector(other["id"])
        cosine = sum(w * theirs.get(s, 0.0) for s, w in origin.items()) / math.sqrt(
            sum(w * w for w in origin.values()) * sum(w * w for w in theirs.values()))
        assert other["similarity"] == pytest.approx(cosine, abs=1e-4)
        assert other["coverage"] == pytest.approx(coverage(set(weights["cashier"]), weights[other["id"]]), abs=1e-4)
    text = RUNNER.invoke(main, ["similar", "кассир"]).output
    assert "Most similar to кассир" in text
