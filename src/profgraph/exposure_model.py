"""An estimate of Nesta's automation risk from a profession's skills, for professions without an
ESCO occupation of their own in Nesta's table.

The model is a ridge regression fitted on the ESCO occupations Nesta assessed: each occupation
is a vector of its ESCO skills (essential 1, optional 0.5, times the skill's specificity
``ln(1 + P / df)`` over the training occupations, scaled to unit length) beside indicators of its
ISCO-08 major, sub-major, minor and unit group (each weighing :data:`ISCO_WEIGHT`). It predicts
Nesta's ``risk`` (1..5) and the ``prevalence`` of bottleneck tasks (0..1) together. Skills carry
the profession's own profile; the ISCO indicators carry what the occupation's group shares (on
their own, a unit group's mean risk agrees with its members' a little better than skills alone;
together they agree best).
The ridge is solved in its dual form (one n x n system for n training occupations), with numpy.

:func:`cross_validate` reports how well it agrees with Nesta's own occupation-level figures on
occupations it was not fitted on (Spearman rank correlation), on their whole skill profiles and
on profiles cut to a few skills, as the curated professions' are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

RIDGE = 1.0
ISCO_WEIGHT = 0.5
ISCO_DIGITS = (1, 2, 3, 4)
MIN_SKILLS = 3  # fewer ESCO-linked skills than this: no estimate from the profile


@dataclass(frozen=True)
class SkillProfileModel:
    """A fitted model: the training features, the dual coefficients and the targets' means."""

    skill_columns: dict[str, int]
    specificity: np.ndarray
    isco_columns: dict[str, int]
    features: sparse.csr_matrix
    coefficients: np.ndarray  # n x 2: risk, prevalence
    means: np.ndarray  # 2

    def predict(self, profiles: Sequence[Mapping[str, float]], iscos: Sequence[str | None]) -> np.ndarray:
        """Return an array (len(profiles) x 2) of estimated (risk, prevalence) for skill profiles
        (skill URI -> relation weight) with their ISCO-08 codes. Unknown skills are ignored."""
        features = _features(profiles, iscos, self.skill_columns, self.specificity, self.isco_columns)
        return np.asarray((features @ self.features.T) @ self.coefficients) + self.means


def _skill_matrix(profiles: Sequence[Mapping[str, float]], columns: Mapping[str, int]) -> sparse.csr_matrix:
    rows: list[int] = []
    cols: list[int] = []
    values: list[float] = []
    for row, profile in enumerate(profiles):
        for uri, weight in profile.items():
            column = columns.get(uri)
            if column is not None:
                rows.append(row)
                cols.append(column)
                values.append(weight)
    return sparse.csr_matrix((values, (rows, cols)), shape=(len(profiles), len(columns)), dtype=np.float64)


def _isco_matrix(iscos: Sequence[str | None], columns: Mapping[str, int]) -> sparse.csr_matrix:
    rows: list[int] = []
    cols: list[int] = []
    for row, code in enumerate(iscos):
        for digits in ISCO_DIGITS:
            column = columns.get((code or "")[:digits]) if code and len(code) >= digits else None
            if column is not None:
                rows.append(row)
                cols.append(column)
    return sparse.csr_matrix((np.full(len(rows), ISCO_WEIGHT), (rows, cols)), shape=(len(iscos), len(columns)))


def _features(profiles: Sequence[Mapping[str, float]], iscos: Sequence[str | None], skill_columns: Mapping[str, int],
              specificity: np.ndarray, isco_columns: Mapping[str, int]) -> sparse.csr_matrix:
    skills = _skill_matrix(profiles, skill_columns) @ sparse.diags(specificity)
    norms = np.sqrt(np.asarray(skills.multiply(skills).sum(axis=1)).ravel())
    skills = sparse.diags(np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)) @ skills
    return sparse.csr_matrix(sparse.hstack([skills, _isco_matrix(iscos, isco_columns)]))


def fit(profiles: Sequence[Mapping[str, float]], iscos: Sequence[str | None], targets: npt.ArrayLike,
        ridge: float = RIDGE) -> SkillProfileModel:
    """Fit the model on occupations' skill ``profiles`` (skill URI -> weight), ISCO-08 codes and
    ``targets`` (n x 2: risk, prevalence) and return it."""
    skill_columns = {uri: j for j, uri in enumerate(sorted({uri for profile in profiles for uri in profile}))}
    counts = np.bincount(_skill_matrix(profiles, skill_columns).indices, minlength=len(skill_columns))
    specificity = np.log1p(len(profiles) / np.maximum(counts, 1))
    codes = sorted({code[:digits] for code in iscos if code for digits in ISCO_DIGITS if len(code) >= digits})
    isco_columns = {code: j for j, code in enumerate(codes)}
    features = _features(profiles, iscos, skill_columns, specificity, isco_columns)
    targets = np.asarray(targets, dtype=np.float64)
    means = targets.mean(axis=0)
    kernel = (features @ features.T).toarray()
    coefficients = np.linalg.solve(kernel + ridge * np.eye(len(kernel)), targets - means)
    return SkillProfileModel(skill_columns, specificity, isco_columns, features, coefficients, means)


def cut_profile(profile: Mapping[str, float], size: int, rng: np.random.Generator) -> dict[str, float]:
    """Return ``size`` skills of ``profile`` drawn at random (all of them when it has no more)."""
    if len(profile) <= size:
        return dict(profile)
    keys = sorted(profile)
    return {keys[i]: profile[keys[i]] for i in rng.choice(len(keys), size, replace=False)}


def cross_validate(profiles: Sequence[Mapping[str, float]], iscos: Sequence[str | None], targets: npt.ArrayLike, *,
                   folds: int = 5, seed: int = 0, cut: int | None = None, use_isco: bool = True) -> dict:
    """Return the ``folds``-fold cross-validated Spearman correlation between the estimates and the
    targets: ``{"risk": rho, "prevalence": rho, "n": occupations}``. With ``cut``, each held-out
    occupation is estimated from ``cut`` of its skills drawn at random; without ``use_isco``, from
    its skills alone."""
    from scipy.stats import spearmanr

    rng = np.random.default_rng(seed)
    fold = rng.integers(0, folds, len(profiles))
    target_array = np.asarray(targets, dtype=np.float64)
    codes = list(iscos) if use_isco else [None] * len(profiles)
    estimates = np.zeros_like(target_array)
    for k in range(folds):
        train, test = np.nonzero(fold != k)[0].tolist(), np.nonzero(fold == k)[0].tolist()
        model = fit([profiles[i] for i in train], [codes[i] for i in train], target_array[train])
        held = [profiles[i] if cut is None else cut_profile(profiles[i], cut, rng) for i in test]
        estimates[test] = model.predict(held, [codes[i] for i in test])
    return {"risk": float(spearmanr(estimates[:, 0], target_array[:, 0])[0]),
            "prevalence": float(spearmanr(estimates[:, 1], target_array[:, 1])[0]), "n": len(profiles)}
