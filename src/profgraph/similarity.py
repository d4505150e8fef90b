"""Skill coverage and similarity between professions, for all pairs at once with sparse matrices.

coverage(A -> B) is the weighted share of B's required skills that a worker in A already
has: each of B's skills weighs :data:`ESSENTIAL_WEIGHT` when essential and
:data:`OPTIONAL_WEIGHT` when optional, and a worker in A is credited with every skill A
requires (essential or optional).

similarity(A, B) is the cosine of the angle between the two professions' skill vectors, where
a profession's entry for a skill is the requirement's weight (essential 1, optional 0.5)
times the skill's *specificity* ``log(P / n)``: P professions in all, n of them requiring
the skill. A skill every profession needs says nothing about how alike two of them are; one
that only a handful need says a lot. The similarity is symmetric and in [0, 1].
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy import sparse

from .model import Model

ESSENTIAL_WEIGHT = 1.0
OPTIONAL_WEIGHT = 0.5


@dataclass(frozen=True)
class SkillMatrices:
    """Profession-by-skill matrices in the row/column order of ``profession_ids``/``skill_ids``.

    ``has`` is 1 where the profession requires the skill; ``weight`` holds the requirement's
    weight (essential or optional) there.
    """

    profession_ids: list[str]
    skill_ids: list[str]
    has: sparse.csr_matrix
    weight: sparse.csr_matrix

    @cached_property
    def rows(self) -> dict[str, int]:
        """Profession id -> its row."""
        return {pid: i for i, pid in enumerate(self.profession_ids)}


def skill_matrices(model: Model) -> SkillMatrices:
    """Return the :class:`SkillMatrices` of ``model``."""
    profession_ids = list(model.professions)
    skill_ids = list(model.skills)
    column = {skill_id: j for j, skill_id in enumerate(skill_ids)}
    rows, cols, weights = [], [], []
    for i, profession in enumerate(model.professions.values()):
        for skill_id in profession.essential:
            rows.append(i), cols.append(column[skill_id]), weights.append(ESSENTIAL_WEIGHT)
        for skill_id in profession.optional:
            rows.append(i), cols.append(column[skill_id]), weights.append(OPTIONAL_WEIGHT)
    shape = (len(profession_ids), len(skill_ids))
    weight = sparse.csr_matrix((np.array(weights, dtype=np.float32), (rows, cols)), shape=shape)
    has = weight.copy()
    has.data[:] = 1.0
    return SkillMatrices(profession_ids, skill_ids, has, weight)


def requirement_totals(matrices: SkillMatrices) -> np.ndarray:
    """Return each profession's total requirement weight (essential 1 + optional 0.5 per skill), float64."""
    return np.asarray(matrices.weight.sum(axis=1, dtype=np.float64)).ravel()


def coverage_matrix(matrices: SkillMatrices) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(coverage, gap)``, two dense P x P float64 arrays indexed [from, to].

    ``coverage[a, b]`` is coverage(A -> B) in [0, 1] (0 where B requires nothing);
    ``gap[a, b]`` is the total weight of B's skills that A lacks (what a worker pays to move).
    """
    overlap = (matrices.has @ matrices.weight.T).toarray().astype(np.float64)
    total = requirement_totals(matrices)
    with np.errstate(divide="ignore", invalid="ignore"):
        coverage = np.where(total[None, :] > 0, overlap / total[None, :], 0.0)
    return coverage, total[None, :] - overlap


def coverage_from(matrices: SkillMatrices, row: int) -> np.ndarray:
    """Return coverage(A -> B) from the profession in ``row`` to every profession B (0 where B requires nothing)."""
    overlap = np.asarray((matrices.weight @ matrices.has[row].T).todense(), dtype=np.float64).ravel()
    total = requirement_totals(matrices)
    return np.divide(overlap, total, out=np.zeros_like(overlap), where=total > 0)


def coverage_to(matrices: SkillMatrices, row: int) -> np.ndarray:
    """Return coverage(B -> A) from every profession B to the profession A in ``row``."""
    overlap = np.asarray((matrices.has @ matrices.weight[row].T).todense(), dtype=np.float64).ravel()
    total = float(matrices.weight[row].sum())
    return overlap / total if total > 0 else np.zeros_like(overlap)


def coverage_edges(matrices: SkillMatrices, floor: float) -> dict[str, np.ndarray]:
    """Return every transition A -> B (A != B) with coverage >= ``floor`` as CSR arrays.

    The dict holds ``indptr`` and ``indices`` (row A lists its B's in ``indices[indptr[A]:indptr[A+1]]``)
    and, per edge, ``coverage`` and ``gap`` (float64). Only pairs sharing a skill are computed.
    """
    overlap = (matrices.has @ matrices.weight.T).tocsr()
    overlap.setdiag(0)
    overlap.eliminate_zeros()
    total = requirement_totals(matrices)
    rows = np.repeat(np.arange(overlap.shape[0]), np.diff(overlap.indptr))
    shared = overlap.data.astype(np.float64)
    coverage = shared / total[overlap.indices]
    keep = coverage >= floor
    indptr = np.zeros(overlap.shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows[keep], minlength=overlap.shape[0]), out=indptr[1:])
    return {"indptr": indptr, "indices": overlap.indices[keep].astype(np.int32), "coverage": coverage[keep],
            "gap": total[overlap.indices[keep]] - shared[keep]}


def specificity(matrices: SkillMatrices) -> np.ndarray:
    """Return each skill's specificity ``log(P / n)`` (n professions require it; 0 where none does)."""
    required_by = np.bincount(matrices.has.indices, minlength=len(matrices.skill_ids))
    with np.errstate(divide="ignore"):
        return np.where(required_by > 0, np.log(len(matrices.profession_ids) / np.maximum(required_by, 1)), 0.0)


def similarity_vectors(matrices: SkillMatrices) -> sparse.csr_matrix:
    """Return the professions' unit-length skill vectors (weight x specificity), one row each, float64."""
    vectors = matrices.weight.astype(np.float64) @ sparse.diags(specificity(matrices))
    vectors = sparse.csr_matrix(vectors)
    norms = np.sqrt(np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel())
    return sparse.diags(np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)) @ vectors


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
