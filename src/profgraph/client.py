"""A client's own skills: the skill set a worker brings, in place of their job's standard profile.

A client starts from a profession (their current job). Their skills are the profession's required
skills, or the ``have`` list of a profile file (:func:`read_profile`) when one is given; skills named
with ``have`` are added and skills named with ``lack`` taken away. Paths are then searched as for the
profession, except that the first step's coverage and gap are computed from the client's skills
(:class:`ClientDataset`); later steps are moves between standard profiles, as always. Every rule
is judged by :mod:`profgraph.rules`, on the origin profession's risk, pay and preparation.

A profile file is JSON::

    {"profession": "кассир", "have": ["работа с кассовым аппаратом", "..."], "lack": []}

``profession`` is informational (the command's NAME names the current job); ``have`` and ``lack``
name skills in any language, resolved like profession names (:mod:`profgraph.lookup`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import cached_property
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import Ambiguous, NotFound, UsageError, shown
from .model import Model, label
from .vocab import TRAIT

if TYPE_CHECKING:  # for annotations; the methods import these where they use them
    from scipy import sparse

    from .similarity import SkillMatrices

PROFILE_KEYS = ("profession", "have", "lack")
MAX_PROFILE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class ClientSkills:
    """The skill ids a client has (``skills``), starting from profession ``origin``; ``added`` and
    ``removed`` are what differs from the origin's standard profile, in id order."""

    origin: str
    skills: frozenset[str]
    added: tuple[str, ...]
    removed: tuple[str, ...]


def split_names(text: str | None) -> list[str]:
    """Return the comma-separated names of ``text``, stripped, empty ones dropped."""
    return [name.strip() for name in (text or "").split(",") if name.strip()]


def resolve_skills(dataset, *lists) -> list[list[str]]:
    """Return, for each list of skill names in ``lists``, the skill ids they resolve to (each as
    :meth:`profgraph.lookup.NameIndex.resolve`). Raises :class:`~profgraph.errors.UsageError` listing
    every name of every list that does not resolve, with the closest labels or the candidates."""
    found: list[list[str]] = []
    unknown: list[str] = []
    for names in lists:
        found.append([])
        for name in names:
            try:
                found[-1].append(dataset.names.resolve(name, kind="skill").id)
            except NotFound as error:
                unknown.append(f"{shown(name)} (closest: {', '.join(error.suggestions) or 'none'})")
            except Ambiguous as error:
                unknown.append(f"{shown(name)} (names several: {', '.join(error.candidates)})")
    if unknown:
        raise UsageError("unknown skills: " + "; ".join(unknown))
    return found


def read_profile(path: str | Path) -> dict:
    """Return the profile file at ``path`` as ``{"profession": str | None, "have": [names], "lack": [names]}``.
    Raises :class:`~profgraph.errors.UsageError` (one line naming the file) when it cannot be read, is
    not JSON, or does not have that shape."""
    where = str(path)
    try:
        raw = Path(path).read_bytes()[:MAX_PROFILE_BYTES + 1]
    except OSError as error:
        raise UsageError(f"{where}: cannot read the profile: {error.strerror}") from None
    if len(raw) > MAX_PROFILE_BYTES:
        raise UsageError(f"{where}: the profile is larger than {MAX_PROFILE_BYTES} bytes")
    try:
        document = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise UsageError(f"{where}: the profile is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise UsageError(f"{where}: not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})") from None
    if not isinstance(document, dict):
        raise UsageError(f"{where}: the profile must be a JSON object with 'have' (a list of skill names)")
    extra = sorted(set(document) - set(PROFILE_KEYS))
    if extra:
        raise UsageError(f"{where}: unknown key {shown(extra[0])}; a profile has {', '.join(PROFILE_KEYS)}")
    if "have" not in document:
        raise UsageError(f"{where}: the profile has no 'have' list of skill names")
    profile = {"profession": document.get("profession")}
    if profile["profession"] is not None and not isinstance(profile["profession"], str):
        raise UsageError(f"{where}: 'profession' must be a name (a string)")
    for key in ("have", "lack"):
        names = document.get(key, [])
        if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
            raise UsageError(f"{where}: {key!r} must be a list of skill names (strings)")
        profile[key] = [name.strip() for name in names if name.strip()]
    return profile


def learnable(model: Model, skill_ids: Iterable[str]) -> list[str]:
    """Return the ids of ``skill_ids`` that are skills a client has or learns: traits are neither."""
    return [skill for skill in skill_ids if model.skills[skill].type != TRAIT]


def client_skills(dataset, origin: str, *, have=(), lack=(), profile: dict | None = None) -> ClientSkills:
    """Return the skills of a client in profession id ``origin``: the ``profile``'s ``have`` list (a
    :func:`read_profile` dict) or else the origin's required skills, plus the names in ``have`` (and
    the profile's are already there), minus those in ``lack`` and the profile's ``lack``.
    Raises :class:`~profgraph.errors.UsageError` for unknown skill names or when no skill is left."""
    model = dataset.model
    standard = set(learnable(model, model.professions[origin].skills))
    listed, added, removed = map(set, resolve_skills(
        dataset, (profile or {}).get("have") or [], have, [*lack, *((profile or {}).get("lack") or [])]))
    skills = ((listed if profile is not None else standard) | added) - removed
    if not skills:
        raise UsageError("the client's profile has no skills: list what the client can do in 'have' "
                         "(profgraph profile NAME prints a job's standard profile to start from)")
    return ClientSkills(origin, frozenset(skills), tuple(sorted(skills - standard)), tuple(sorted(standard - skills)))


def profile_document(dataset, origin: str, lang: str = "en") -> dict:
    """Return the standard profile of profession id ``origin`` as a profile file's dict (:func:`read_profile`):
    its label and its required skills' labels in ``lang``, essential first (traits left out); ``lack`` empty."""
    model = dataset.model
    profession = model.professions[origin]
    return {"profession": label(profession, lang),
            "have": [label(model.skills[s], lang) for s in learnable(model, profession.skills)], "lack": []}


def client_summary(view: ClientDataset, destinations: Iterable[str], lang: str = "en") -> dict:
    """Return the ``client`` block of a path answer from the client's ``view`` of the dataset: the number
    of skills, those added to and taken from the origin's standard profile (labels), and per destination
    id of ``destinations`` how many of its required skills the client has (``have`` of ``of``,
    ``percent``) and the weighted ``coverage`` of the direct move."""
    client, model = view.client, view.model
    coverage = view.client_coverage
    rows = view.skill_matrices.rows
    per_destination = []
    for pid in dict.fromkeys(destinations):
        required = learnable(model, model.professions[pid].skills)
        held = sum(1 for skill in required if skill in client.skills)
        per_destination.append({
            "id": pid, "label": label(model.professions[pid], lang), "have": held, "of": len(required),
            "percent": round(100 * held / len(required)) if required else None,
            "coverage": round(float(coverage[rows[pid]]), 4)})
    return {"skills": len(client.skills),
            "added": [label(model.skills[s], lang) for s in client.added],
            "removed": [label(model.skills[s], lang) for s in client.removed],
            "destinations": per_destination}


def with_client(dataset, report: dict, lang: str = "en") -> dict:
    """Return the path answer ``report`` with a ``client`` block: its own, or else that of a client with
    the origin's standard profile (who has every skill of their job)."""
    if "client" in report:
        return report
    client = client_skills(dataset, report["origin"]["id"])
    destinations = [path["steps"][-1]["to"]["id"] for path in report["paths"]]
    return {**report, "client": client_summary(ClientDataset(dataset, client), destinations, lang)}


class ClientDataset:
    """A view of ``dataset`` in which the origin profession of ``client`` requires exactly the client's
    skills: its model, skill matrices (specificity kept from the whole dataset) and transitions
    (the origin's moves recomputed from the client's skills). Everything else is the dataset's."""

    def __init__(self, dataset, client: ClientSkills):
        self._dataset, self.client = dataset, client
        self._adjacencies: dict[float, object] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._dataset, name)

    @cached_property
    def model(self) -> Model:
        model = self._dataset.model
        origin = model.professions[self.client.origin]
        professions = dict(model.professions)
        professions[origin.id] = replace(origin, essential=tuple(sorted(self.client.skills)), optional=())
        return replace(model, professions=professions)

    @cached_property
    def _client_row(self) -> sparse.csr_matrix:
        from scipy import sparse

        matrices = self._dataset.skill_matrices
        column = {skill: j for j, skill in enumerate(matrices.skill_ids)}
        columns = sorted(column[skill] for skill in self.client.skills)
        return sparse.csr_matrix((np.ones(len(columns), dtype=np.float32), ([0] * len(columns), columns)),
                                 shape=(1, len(matrices.skill_ids)))

    @cached_property
    def skill_matrices(self) -> SkillMatrices:
        from scipy import sparse

        from .similarity import SkillMatrices

        matrices = self._dataset.skill_matrices
        row = matrices.rows[self.client.origin]

        def with_client(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
            return sparse.csr_matrix(sparse.vstack([matrix[:row], self._client_row, matrix[row + 1:]]))

        return SkillMatrices(matrices.profession_ids, matrices.skill_ids, with_client(matrices.has),
                             with_client(matrices.weight), matrices.specificity)

    @cached_property
    def client_coverage(self) -> np.ndarray:
        """Coverage from the client's skills to every profession, in the matrices' row order."""
        from .similarity import coverage_from

        return coverage_from(self.skill_matrices, self._dataset.skill_matrices.rows[self.client.origin])

    def adjacency(self, min_coverage: float):
        """Return the dataset's :class:`~profgraph.reskilling.Adjacency` for ``min_coverage`` with the
        origin's moves replaced by the client's: every profession the client's skills cover at least
        ``min_coverage`` of, with its gap."""
        if min_coverage in self._adjacencies:
            return self._adjacencies[min_coverage]
        from .similarity import requirement_totals

        matrices = self.skill_matrices
        origin = self.client.origin
        held = np.asarray((matrices.weight @ self._client_row.T).todense()).ravel()
        gap = requirement_totals(matrices) - held
        coverage = self.client_coverage
        moves = {matrices.profession_ids[index]: (float(coverage[index]), float(gap[index]))
                 for index in np.nonzero(coverage >= min_coverage)[0].tolist()
                 if matrices.profession_ids[index] != origin}
        adjacency = self._dataset.adjacency(min_coverage).with_moves(origin, moves)
        self._adjacencies[min_coverage] = adjacency
        return adjacency

    def transition_graph(self, min_coverage: float):
        """Return :meth:`adjacency` as a networkx graph (:func:`profgraph.reskilling.graph_of`)."""
        from .reskilling import graph_of

        return graph_of(self.adjacency(min_coverage))
