"""Skill coverage and similarity between professions, for all pairs at once with sparse matrices.

coverage(A -> B) is the weighted share of B's required skills that a worker in A already
has. Each of B's skills weighs its relation weight (:data:`~profgraph.vocab.RELATION_WEIGHT`:
1 when essential, 0.5 when optional) times its *specificity*
``ln(1 + P / df)``, where P is the number of professions and df the number that require
the skill: sharing attention to detail or teamwork says less about whether a move is
realistic than sharing geodetic surveying. A worker in A is credited with every skill A
requires (essential or optional).

gap(A -> B), what the move costs, counts B's skills that A lacks by relation weight alone:
a generic skill takes as long to learn as a specific one.

Coverage is rounded to 12 decimals, so that the same ratio summed in another order (a
sparse product here, a plain loop elsewhere) compares the same against a threshold.

similarity(A, B) is the cosine of the angle between the two professions' vectors of those
same skill weights (relation weight times specificity). A skill most professions need says
little about how alike two of them are; one that only a handful need says a lot. The
similarity is symmetric and in [0, 1].
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import math
from collections import Counter

import numpy as np

from .model import Model
from .vocab import TRAIT


@dataclass(frozen=True)
class SkillMatrices:
    """Profession-by-skill matrices in the row/column order of ``profession_ids``/``skill_ids``.

    ``has`` is 1 where the profession requires the skill; ``weight`` holds the requirement's
    weight (essential or optional) there; ``specificity[j]`` is ``ln(1 + P / df_j)`` (float64).
    """

    profession_ids: list[str]
    skill_ids: list[str]
    has: sparse.csr_matrix
    weight: sparse.csr_matrix
    specificity: np.ndarray

    @cached_property
    def valued(self) -> sparse.csr_matrix:
        """``weight`` times each skill's specificity, float64: what coverage and similarity count."""
        from scipy import sparse

        return sparse.csr_matrix(self.weight.astype(np.float64) @ sparse.diags(self.specificity))

    @cached_property
    def rows(self) -> dict[str, int]:
        """Profession id -> its row."""
        return {pid: i for i, pid in enumerate(self.profession_ids)}


def skill_matrices(model: Model) -> SkillMatrices:
    """Return the :class:`SkillMatrices` of ``model``. Traits (attitudes and values) are left out: they
    are never learned, and counting them did not make similarity or coverage agree better with the
    judgements they are checked against (``benchmarks/bench_traits.py``)."""
    from scipy import sparse

    profession_ids = list(model.professions)
    skill_ids = list(model.skills)
    column = {skill_id: j for j, skill_id in enumerate(skill_ids)}
    rows, cols, weights = [], [], []
    traits = {skill_id for skill_id, skill in model.skills.items() if skill.type == TRAIT}
    for i, profession in enumerate(model.professions.values()):
        for skill_id, _, relation_weight in profession.requirements():
            if skill_id not in traits:
                rows.append(i), cols.append(column[skill_id]), weights.append(relation_weight)
    shape = (len(profession_ids), len(skill_ids))
    weight = sparse.csr_matrix((np.array(weights, dtype=np.float32), (rows, cols)), shape=shape)
    has = weight.copy()
    has.data[:] = 1.0
    required_by = np.bincount(has.indices, minlength=len(skill_ids))
    specificity = np.log1p(len(profession_ids) / np.maximum(required_by, 1))
    return SkillMatrices(profession_ids, skill_ids, has, weight, specificity)


def specificities(model: Model) -> dict[str, float]:
    """Return skill id -> ``ln(1 + P / df)`` (as :func:`skill_matrices` weighs it), without building the matrices."""
    required_by = Counter(skill for profession in model.professions.values() for skill in profession.skills)
    count = len(model.professions)
    return {skill: math.log1p(count / max(required_by[skill], 1)) for skill in model.skills}


def pair_coverage(model: Model, specificity: dict[str, float], origin: str, destination: str) -> float:
    """Return coverage(origin -> destination) for one pair, equal to :func:`coverage_from`'s value
    (``specificity`` from :func:`specificities`; traits left out, as there): for a few pairs, cheaper
    than the matrices."""
    held = set(model.professions[origin].skills)
    target = model.professions[destination]
    valued = [(skill, weight * specificity[skill]) for skill, _, weight in target.requirements()
              if model.skills[skill].type != TRAIT]
    shared = sum(value for skill, value in valued if skill in held)
    return float(coverage_ratio(shared, sum(value for _, value in valued)))


def requirement_totals(matrices: SkillMatrices) -> np.ndarray:
    """Return each profession's total relation weight (essential 1 + optional 0.5 per skill), float64."""
    return np.asarray(matrices.weight.sum(axis=1, dtype=np.float64)).ravel()


def coverage_totals(matrices: SkillMatrices) -> np.ndarray:
    """Return each profession's total skill weight (:attr:`SkillMatrices.valued`): coverage's denominator."""
    return np.asarray(matrices.valued.sum(axis=1)).ravel()


def coverage_matrix(matrices: SkillMatrices) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(coverage, gap)``, two dense P x P float64 arrays indexed [from, to].

    ``coverage[a, b]`` is coverage(A -> B) in [0, 1] (0 where B requires nothing);
    ``gap[a, b]`` is the relation weight of B's skills that A lacks (what a worker pays to move).
    """
    shared = (matrices.has @ matrices.valued.T).toarray()
    coverage = coverage_ratio(shared, np.broadcast_to(coverage_totals(matrices)[None, :], shared.shape))
    gap = requirement_totals(matrices)[None, :] - (matrices.has @ matrices.weight.T).toarray()
    return coverage, gap


def coverage_ratio(shared, total) -> np.ndarray:
    """Return coverage from its two sums: ``shared / total`` rounded to 12 decimals, 0 where ``total`` is 0."""
    shared, total = np.asarray(shared, dtype=np.float64), np.asarray(total, dtype=np.float64)
    return np.round(np.divide(shared, total, out=np.zeros_like(shared), where=total > 0), 12)


def coverage_from(matrices: SkillMatrices, row: int) -> np.ndarray:
    """Return coverage(A -> B) from the profession in ``row`` to every profession B (0 where B requires nothing)."""
    shared = np.asarray((matrices.valued @ matrices.has[row].T).todense()).ravel()
    return coverage_ratio(shared, coverage_totals(matrices))


def coverage_to(matrices: SkillMatrices, row: int) -> np.ndarray:
    """Return coverage(B -> A) from every profession B to the profession A in ``row``."""
    shared = np.asarray((matrices.has @ matrices.valued[row].T).todense()).ravel()
    return coverage_ratio(shared, np.full_like(shared, coverage_totals(matrices)[row]))


def coverage_edges(matrices: SkillMatrices, floor: float) -> dict[str, np.ndarray]:
    """Return every transition A -> B (A != B) with coverage >= ``floor`` as CSR arrays.

    The dict holds ``indptr`` and ``indices`` (row A lists its B's in ``indices[indptr[A]:indptr[A+1]]``)
    and, per edge, ``coverage`` and ``gap`` (float64). Only pairs sharing a skill are computed.
    """
    shared, held = matrices.has @ matrices.valued.T, matrices.has @ matrices.weight.T
    for product in (shared, held):
        product.setdiag(0)
        product.eliminate_zeros()
        product.sort_indices()
    # Specificity is positive, so both products have the same pattern: the pairs that share a skill.
    assert np.array_equal(shared.indptr, held.indptr) and np.array_equal(shared.indices, held.indices)
    rows = np.repeat(np.arange(shared.shape[0]), np.diff(shared.indptr))
    coverage = coverage_ratio(shared.data, coverage_totals(matrices)[shared.indices])
    keep = coverage >= floor
    indptr = np.zeros(shared.shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows[keep], minlength=shared.shape[0]), out=indptr[1:])
    return {"indptr": indptr, "indices": shared.indices[keep].astype(np.int32), "coverage": coverage[keep],
            "gap": requirement_totals(matrices)[shared.indices[keep]] - held.data[keep]}


def similarity_vectors(matrices: SkillMatrices) -> "sparse.csr_matrix":
    """Return the professions' skill-weight vectors (:attr:`SkillMatrices.valued`) scaled to unit length."""
    from scipy import sparse

    vectors = matrices.valued
    norms = np.sqrt(np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel())
    return sparse.csr_matrix(sparse.diags(np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)) @ vectors)


def similarity_matrix(matrices: SkillMatrices) -> np.ndarray:
    """Return the dense P x P matrix of similarity(A, B) for every pair (1 on the diagonal)."""
    vectors = similarity_vectors(matrices)
    return (vectors @ vectors.T).toarray()


def most_similar(vectors: sparse.csr_matrix, index: int, top: int) -> list[tuple[int, float]]:
    """Return the ``top`` professions most similar to profession row ``index`` as (row, similarity),
    best first, ties by row; the profession itself is left out. ``vectors`` is :func:`similarity_vectors`."""
    scores = (vectors @ vectors[index].T).toarray().ravel()
    scores[index] = -1.0
    order = np.lexsort((np.arange(len(scores)), -scores))[:top]
    return [(int(row), float(scores[row])) for row in order if scores[row] > 0]
