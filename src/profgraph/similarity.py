"""Skill coverage between professions, computed for all pairs at once with sparse matrices.

coverage(A -> B) is the weighted share of B's required skills that a worker in A already
has. Each of B's skills weighs its relation weight (:data:`ESSENTIAL_WEIGHT` when
essential, :data:`OPTIONAL_WEIGHT` when optional) times its *specificity*
``ln(1 + P / df)``, where P is the number of professions and df the number that require
the skill: sharing attention to detail or teamwork says less about whether a move is
realistic than sharing geodetic surveying. A worker in A is credited with every skill A
requires (essential or optional).

gap(A -> B), what the move costs, counts B's skills that A lacks by relation weight alone:
a generic skill takes as long to learn as a specific one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .model import Model

ESSENTIAL_WEIGHT = 1.0
OPTIONAL_WEIGHT = 0.5


@dataclass(frozen=True)
class SkillMatrices:
    """Profession-by-skill matrices in the row/column order of ``profession_ids``/``skill_ids``.

    ``has`` is 1 where the profession requires the skill; ``weight`` holds the requirement's
    weight (essential or optional) there; ``specificity[j]`` is ``ln(1 + P / df_j)``.
    """

    profession_ids: list[str]
    skill_ids: list[str]
    has: sparse.csr_matrix
    weight: sparse.csr_matrix
    specificity: np.ndarray


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
    required_by = np.asarray(has.sum(axis=0)).ravel()
    specificity = np.log1p(len(profession_ids) / np.maximum(required_by, 1)).astype(np.float32)
    return SkillMatrices(profession_ids, skill_ids, has, weight, specificity)


def coverage_matrix(matrices: SkillMatrices) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(coverage, gap)``, two dense P x P arrays indexed [from, to].

    ``coverage[a, b]`` is coverage(A -> B) in [0, 1] (0 where B requires nothing);
    ``gap[a, b]`` is the relation weight of B's skills that A lacks (what a worker pays to move).
    """
    weighted = matrices.weight @ sparse.diags(matrices.specificity)
    overlap = (matrices.has @ weighted.T).toarray()
    total = np.asarray(weighted.sum(axis=1)).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        coverage = np.where(total[None, :] > 0, overlap / total[None, :], 0.0)
    gap = np.asarray(matrices.weight.sum(axis=1)).ravel()[None, :] - (matrices.has @ matrices.weight.T).toarray()
    return coverage.astype(np.float32), gap.astype(np.float32)
