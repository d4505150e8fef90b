"""Similarity between professions: the cosine of skill-weight vectors (relation weight times
specificity ln(1 + P/df)), checked by hand on the tiny dataset and against an independent
computation on the curated data.

tiny (6 professions): a, b, c weigh s4 = ln 2.5, e s2 = ln 4, every other skill s1 = ln 7.
clerk (a b c d) and assistant (a b c e) share a, b, c:
cos = 3 s4^2 / sqrt((3 s4^2 + s1^2)(3 s4^2 + s2^2)) = 0.476; operator (a b c x) differs from
clerk only by its own skill x, which weighs as much as d: 3 s4^2 / (3 s4^2 + s1^2) = 0.399;
designer shares a, b: 0.179; analyst (c e f) shares c: 0.131; island shares nothing and is
not listed.
"""

from __future__ import annotations

import json
import math

import pytest

from profgraph.similarity import most_similar, similarity_matrix

from upskill_reference import coverage, requirement_weights

from conftest import run

S4, S2, S1 = math.log(1 + 6 / 4), math.log(1 + 6 / 2), math.log(1 + 6 / 1)


def test_similarity_by_hand(tiny):
    matrices = tiny.skill_matrices
    found = most_similar(tiny.similarity_vectors, matrices.rows["clerk"], 10)
    assert [matrices.profession_ids[row] for row, _ in found] == ["assistant", "operator", "designer", "analyst"]
    clerk = 3 * S4**2 + S1**2
    expected = [3 * S4**2 / math.sqrt(clerk * (3 * S4**2 + S2**2)), 3 * S4**2 / clerk,
                2 * S4**2 / math.sqrt(clerk * (2 * S4**2 + 3.25 * S1**2)), S4**2 / math.sqrt(clerk * (S4**2 + S2**2 + S1**2))]
    assert [value for _, value in found] == pytest.approx(expected)


def test_all_pairs_are_symmetric_and_match_single_queries(curated):
    matrices = curated.skill_matrices
    everything = similarity_matrix(matrices)
    assert everything == pytest.approx(everything.T)
    assert everything.diagonal() == pytest.approx(1.0)
    row = matrices.rows["cashier"]
    for other, value in most_similar(curated.similarity_vectors, row, 5):
        assert everything[row, other] == pytest.approx(value)


def test_similar_command(curated):
    result = run("similar", "кассир", "--top", "5", "--format", "json", "--lang", "en")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["origin"]["id"] == "cashier"
    weights = requirement_weights(curated.model)  # relation weight times specificity, recomputed in Python
    origin = weights["cashier"]
    assert len(report["similar"]) == 5
    for other in report["similar"]:
        assert set(other) >= {"id", "label", "similarity", "coverage", "coverage_back", "shared_skills", "status"}
        theirs = weights[other["id"]]
        cosine = sum(w * theirs.get(s, 0.0) for s, w in origin.items()) / math.sqrt(
            sum(w * w for w in origin.values()) * sum(w * w for w in theirs.values()))
        assert other["similarity"] == pytest.approx(cosine, abs=1e-4)
        assert other["coverage"] == pytest.approx(coverage(set(weights["cashier"]), weights[other["id"]]), abs=1e-4)
    text = run("similar", "кассир").output
    assert "Most similar to кассир" in text


def test_requirements_are_the_curated_rows_essential_first_with_their_weights(curated):
    """Profession.requirements() is what coverage, similarity, the RDF and the exports read: every row of
    requirements.csv once, essential before optional, weighing 1 and 0.5."""
    import csv

    from profgraph.resources import data_dir

    with (data_dir() / "requirements.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for pid, profession in curated.model.professions.items():
        found = profession.requirements()
        assert sorted((skill, relation) for skill, relation, _ in found) == \
            sorted((row["skill"], row["relation"]) for row in rows if row["profession"] == pid)
        relations = [relation for _, relation, _ in found]
        assert relations == sorted(relations, key=lambda relation: relation != "essential")
        assert all(weight == {"essential": 1.0, "optional": 0.5}[relation] for _, relation, weight in found)
    matrices = curated.skill_matrices
    cashier = curated.model.professions["cashier"]
    row = matrices.weight[matrices.rows["cashier"]].toarray().ravel()
    counted = {skill: weight for skill, _, weight in cashier.requirements() if curated.model.skills[skill].type != "trait"}
    assert {matrices.skill_ids[j]: float(row[j]) for j in row.nonzero()[0]} == counted
