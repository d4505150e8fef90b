"""Upskilling: which skills, learned on top of a profession's own, open the most new transitions.

A set of skills *unlocks* a destination B for a worker in profession A when the transition
A -> B is not viable now (coverage(A -> B) < ``min_coverage``) and is viable once the worker
also has those skills: coverage then counts them among B's requirements with their weights
(:mod:`profgraph.similarity`). :func:`upskill` returns the sets of at most ``max_skills``
skills (1 to 3) that unlock the most destinations among the targets, each with the
destinations it unlocks. A set is listed only when each of its skills counts: dropping any one
of them unlocks fewer destinations (otherwise the best single skill plus any other skill
would crowd the list).

Everything is computed at once with sparse and dense matrices: only destinations that
``max_skills`` skills can reach, and only skills that can take part in reaching one, enter
the enumeration. Every single skill and every pair of those skills is counted; 3-skill sets
are counted only where they can list: a set in which each skill counts is a union of
*generators* (a skill that unlocks a destination alone, a pair that unlocks one that neither
skill unlocks alone, or a triple inside one destination's needs that needs all three), and a
set whose skills between them touch fewer destinations than the current last place cannot
rank.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import UsageError
from .reskilling import DEFAULT_MIN_COVERAGE, DEFAULT_TOP
from .similarity import SkillMatrices, coverage_ratio, coverage_totals
from .workload import LONG_WORK, SECONDS_PER_CHECK, Progress, Workload

MAX_SKILLS = 3
DEFAULT_MAX_SKILLS = 1
MAX_SETS = 20_000_000  # candidate 3-skill sets beyond which max_skills 3 is refused (time and memory)
SLACK = 1e-9  # bounds and candidate rules err this much on the generous side of the threshold


@dataclass(frozen=True)
class SkillSet:
    """Skills to learn (ids, in id order) and the destinations they unlock as (profession id, coverage
    once learned), highest coverage first."""

    skills: tuple[str, ...]
    unlocks: tuple[tuple[str, float], ...]


def _top_sums(rows: np.ndarray, gains: np.ndarray, count: int, size: int) -> np.ndarray:
    """Return, per row 0..size-1, the sum of its ``count`` largest ``gains`` (entries given as parallel arrays)."""
    if count == 0 or len(rows) == 0:
        return np.zeros(size)
    order = np.lexsort((-gains, rows))
    rows, gains = rows[order], gains[order]
    rank = np.arange(len(rows)) - np.searchsorted(rows, rows)
    best = rank < count
    return np.bincount(rows[best], weights=gains[best], minlength=size)


def _all_sets(n: int, size: int) -> np.ndarray:
    """Return every ``size``-subset of range(n) as rows of increasing indices, in lexicographic order."""
    if size == 1:
        return np.arange(n)[:, None]
    if size == 2:
        return np.column_stack(np.triu_indices(n, 1))
    parts = []
    for first in range(n - 2):
        second, third = np.triu_indices(n - first - 1, 1)
        parts.append(np.column_stack((np.full(len(second), first), second + first + 1, third + first + 1)))
    return np.concatenate(parts) if parts else np.empty((0, 3), dtype=np.int64)


def _opens(base: float, total: float, gained: np.ndarray, min_coverage: float, slack: float = 0.0) -> np.ndarray:
    """Whether gaining ``gained`` makes a destination viable (with ``slack`` added to the coverage)."""
    return coverage_ratio(base + gained, np.full(np.shape(gained), total)) + slack >= min_coverage


def _triple_candidates(gains: np.ndarray, base: np.ndarray, total: np.ndarray, min_coverage: float,
                       single: np.ndarray, least: int) -> np.ndarray:
    """Return the 3-sets of columns (rows a < b < c, unique, in order) that are unions of generators (module
    docstring) and whose columns between them touch at least ``least`` rows (counting a row once per column)."""
    singles = np.nonzero(single > 0)[0]
    parts, pairs = [singles[_all_sets(len(singles), 3)]], [np.empty((0, 2), dtype=np.int64)]
    for row in range(gains.shape[0]):
        support = np.nonzero(gains[row])[0]
        needs = gains[row, support]
        weak = ~_opens(base[row], total[row], needs, min_coverage, -SLACK)
        duo = _all_sets(int(weak.sum()), 2)
        opened = _opens(base[row], total[row], needs[weak][duo].sum(axis=1), min_coverage, SLACK)
        pairs.append(support[weak][duo[opened]])
        trio = _all_sets(len(support), 3)
        sums = needs[trio].sum(axis=1)
        all_needed = _opens(base[row], total[row], sums, min_coverage, SLACK) & \
            ~_opens(base[row], total[row], sums - needs[trio].max(axis=1), min_coverage, -SLACK)
        parts.append(support[trio[all_needed]])
    pairs = np.unique(np.concatenate(pairs), axis=0)
    with_single = np.column_stack((np.repeat(pairs, len(singles), axis=0), np.tile(singles, len(pairs))))
    parts.append(with_single[(with_single[:, 2] != with_single[:, 0]) & (with_single[:, 2] != with_single[:, 1])])
    ends = np.concatenate((pairs, pairs[:, ::-1]))  # two pairs sharing a skill make a triple
    ends = ends[np.argsort(ends[:, 0], kind="stable")]
    shared, starts = np.unique(ends[:, 0], return_index=True)
    for skill, start, stop in zip(shared.tolist(), starts.tolist(), [*starts[1:].tolist(), len(ends)]):
        partners = ends[start:stop, 1]
        duo = _all_sets(len(partners), 2)
        parts.append(np.column_stack((np.full(len(duo), skill), partners[duo])))
    found = np.concatenate([part.reshape(-1, 3) for part in parts])
    found = np.sort(found[(gains > 0).sum(axis=0)[found].sum(axis=1) >= least], axis=1)
    width = gains.shape[1]
    keys = np.sort((found[:, 0] * width + found[:, 1]) * width + found[:, 2])
    keys = keys[np.append(True, keys[1:] != keys[:-1])] if len(keys) else keys  # unique, in order
    return np.column_stack((keys // (width * width), keys // width % width, keys % width))


def _unlocked(gains: np.ndarray, base: np.ndarray, total: np.ndarray, min_coverage: float,
              sets: np.ndarray, progress: Progress) -> tuple[np.ndarray, np.ndarray]:
    """Return, per set of columns, how many destinations (rows of ``gains``) it unlocks and the sum of
    their coverages once learned (rounded to 9 places, so that summation order does not matter).
    Reports each chunk of ``rows x sets`` checks to ``progress``."""
    counts = np.empty(len(sets), dtype=np.int64)
    reached = np.empty(len(sets))
    chunk = max(1, 4_000_000 // max(1, gains.shape[0] * sets.shape[1]))
    for start in range(0, len(sets), chunk):
        part = sets[start:start + chunk]
        coverage = coverage_ratio(base[:, None] + gains[:, part].sum(axis=2),
                                  np.broadcast_to(total[:, None], (len(total), len(part))))
        opened = coverage >= min_coverage
        counts[start:start + chunk] = opened.sum(axis=0)
        reached[start:start + chunk] = np.where(opened, coverage, 0.0).sum(axis=0)
        progress.advance(gains.shape[0] * len(part))
    return counts, reached.round(9)


@dataclass(frozen=True)
class _Search:
    """What an upskill search enumerates, before any set is counted: the ``destinations`` (profession
    rows not viable now), the ``rows`` of them that ``max_skills`` skills can reach, the ``candidates``
    (skill columns, in id order) that can help reach one, and the gains of those skills there as
    parallel arrays (``entry_rows`` into ``rows``, ``entry_columns`` into ``candidates``, ``entry_gains``)."""

    max_skills: int
    destinations: np.ndarray
    rows: np.ndarray
    candidates: np.ndarray
    entry_rows: np.ndarray
    entry_columns: np.ndarray
    entry_gains: np.ndarray
    base_rows: np.ndarray
    total_rows: np.ndarray

    def gains(self) -> np.ndarray:
        """The dense rows x candidates matrix of gains."""
        gains = np.zeros((len(self.rows), len(self.candidates)))
        gains[self.entry_rows, self.entry_columns] = self.entry_gains
        return gains


def _prepare(matrices: SkillMatrices, origin: str, targets: set[str], min_coverage: float,
             max_skills: int) -> _Search:
    """Return the :class:`_Search` for ``origin``, ``targets``, ``min_coverage`` and ``max_skills``."""
    weight = matrices.valued  # coverage counts relation weight times specificity
    total = coverage_totals(matrices)
    row_of = matrices.rows
    origin_row = row_of[origin]
    held = np.zeros(weight.shape[1], dtype=bool)
    held[matrices.has[origin_row].indices] = True
    base = weight @ held.astype(np.float64)  # the weight of each profession's requirements the origin has
    wanted = np.zeros(weight.shape[0], dtype=bool)
    wanted[[row_of[pid] for pid in targets if pid in row_of]] = True
    wanted[origin_row] = False
    wanted &= (total > 0) & ~(coverage_ratio(base, total) >= min_coverage)
    destinations = np.nonzero(wanted)[0]

    # The skills each destination requires and the origin lacks, as parallel arrays (row, skill, gain).
    block = weight[destinations]
    entry_rows = np.repeat(np.arange(len(destinations)), np.diff(block.indptr))
    missing = ~held[block.indices]
    entry_rows, entry_skills, entry_gains = entry_rows[missing], block.indices[missing], block.data[missing]
    dest_base, dest_total = base[destinations], total[destinations]

    # Reachable destinations: the max_skills largest gains are enough. Useful skills: with the
    # max_skills - 1 largest other gains they reach some destination (an overestimate, so none is lost).
    best = _top_sums(entry_rows, entry_gains, max_skills, len(destinations))
    reachable = coverage_ratio(dest_base + best, dest_total) + SLACK >= min_coverage
    helpers = _top_sums(entry_rows, entry_gains, max_skills - 1, len(destinations))
    useful = reachable[entry_rows] & (coverage_ratio(dest_base[entry_rows] + entry_gains + helpers[entry_rows],
                                                     dest_total[entry_rows]) + SLACK >= min_coverage)
    skill_ids = np.array(matrices.skill_ids)
    candidates = np.unique(entry_skills[useful])
    candidates = candidates[np.argsort(skill_ids[candidates], kind="stable")]  # id order: sets come out sorted
    rows = np.nonzero(reachable)[0]
    position = np.full(weight.shape[1], -1)
    position[candidates] = np.arange(len(candidates))
    row_position = np.full(len(destinations), -1)
    row_position[rows] = np.arange(len(rows))
    inside = (row_position[entry_rows] >= 0) & (position[entry_skills] >= 0)
    return _Search(max_skills, destinations, rows, candidates, row_position[entry_rows[inside]],
                   position[entry_skills[inside]], entry_gains[inside], dest_base[rows], dest_total[rows])


def _choose(n: int, k: int) -> int:
    import math

    return math.comb(n, k) if n >= k else 0


def _generator_pairs(search: _Search, min_coverage: float, limit: int) -> np.ndarray | None:
    """Return the pairs of candidate columns (rows a < b, unique) that open some destination together
    while neither opens it alone, or None when finding them would mean trying more than ``limit`` pairs."""
    alone = _opens(search.base_rows[search.entry_rows], search.total_rows[search.entry_rows],
                   search.entry_gains, min_coverage, -SLACK)
    weak_rows, weak_columns, weak_gains = (array[~alone] for array in
                                           (search.entry_rows, search.entry_columns, search.entry_gains))
    weak = np.bincount(weak_rows, minlength=len(search.rows))
    if sum(_choose(int(n), 2) for n in weak) > limit:
        return None
    starts = np.concatenate(([0], np.cumsum(weak)))  # entries come grouped by row, in row order
    found = [np.empty((0, 2), dtype=np.int64)]
    for row in np.nonzero(weak >= 2)[0]:
        columns, gains = weak_columns[starts[row]:starts[row + 1]], weak_gains[starts[row]:starts[row + 1]]
        duo = _all_sets(len(columns), 2)
        opened = _opens(search.base_rows[row], search.total_rows[row], gains[duo].sum(axis=1), min_coverage, SLACK)
        found.append(np.sort(columns[duo[opened]], axis=1))
    return np.unique(np.concatenate(found), axis=0)


def _workload(search: _Search, min_coverage: float) -> Workload:
    """Estimate the checks (destination by skill set) and the memory of ``search``.

    Singles and pairs are counted exactly: every candidate and every pair of candidates is checked
    against every reachable destination. 3-skill sets are bounded from above by the generators of
    the module docstring: triples of single skills, triples within one destination's needs (which
    also cost about as much to build), pairs that open a destination together with a single skill,
    and two such pairs sharing a skill."""
    rows, candidates = len(search.rows), len(search.candidates)
    pairs = _choose(candidates, 2) if search.max_skills >= 2 else 0
    triples = 0
    if search.max_skills >= 3:
        needs = np.bincount(search.entry_rows, minlength=rows)
        alone = _opens(search.base_rows[search.entry_rows], search.total_rows[search.entry_rows],
                       search.entry_gains, min_coverage, SLACK)
        singles = len(np.unique(search.entry_columns[alone]))
        within = sum(_choose(int(n), 3) for n in needs)
        generators = _generator_pairs(search, min_coverage, limit=50_000_000)
        if generators is None:
            triples = _choose(candidates, 3)
        else:
            shared = sum(_choose(int(n), 2) for n in np.bincount(generators.ravel(), minlength=candidates))
            triples = min(_choose(candidates, 3), _choose(singles, 3) + within + len(generators) * singles + shared)
        triples += within
    checks = rows * (candidates + pairs + triples)
    # bytes: the dense gains, each pair's set, count and rank keys, the pair table, each triple's building
    # and counting, and the temporaries of one chunk of checks (_unlocked)
    memory = (8 * rows * candidates + 32 * pairs + 8 * candidates * candidates * (search.max_skills >= 2)
              + 64 * triples + 16 * min(checks, 4_000_000))
    return Workload(checks, checks * SECONDS_PER_CHECK, memory)


def _refusal(matrices: SkillMatrices, origin: str, targets: set[str], min_coverage: float, max_skills: int,
             workload: Workload) -> UsageError:
    """The :class:`UsageError` for a search whose ``workload`` does not fit, naming the least
    ``min_coverage`` (in steps of 0.05) and the most ``max_skills`` that fit."""
    message = ("{max_skills} {max_skills_given} with {min_coverage} {min_coverage_given:g} means checking about "
               "{steps:.1e} skill sets against destinations ({workload})")
    values = {"max_skills_given": max_skills, "min_coverage_given": min_coverage, "steps": workload.steps,
              "workload": workload.describe()}
    options = []
    for step in range(1, 21):
        coverage = step / 20
        if coverage > min_coverage and _workload(_prepare(matrices, origin, targets, coverage, max_skills),
                                                 coverage).fits():
            options.append("{min_coverage} {enough:.2f} or more")
            values["enough"] = coverage
            break
    fewer = next((size for size in range(max_skills - 1, 0, -1)
                  if _workload(_prepare(matrices, origin, targets, min_coverage, size), min_coverage).fits()), None)
    if fewer:
        options.append("{max_skills} {fewer}")
        values["fewer"] = fewer
    message += "; use " + ", or ".join(options) if options else "; it cannot be searched here"
    return UsageError(message, "max_skills", **values)


def upskill(matrices: SkillMatrices, origin: str, targets: set[str], *, min_coverage: float = DEFAULT_MIN_COVERAGE,
            max_skills: int = DEFAULT_MAX_SKILLS, top: int = DEFAULT_TOP,
            progress: Progress | None = None) -> list[SkillSet]:
    """Return the ``top`` skill sets that unlock the most destinations in ``targets`` for profession ``origin``.

    Sets are ranked by the number of destinations they unlock, then fewer skills first, then
    by the sum of the coverages they reach (higher first), then by their skill ids. The work is
    estimated first (:mod:`profgraph.workload`); work estimated over
    :data:`~profgraph.workload.LONG_WORK` seconds reports to ``progress``. Raises
    :class:`~profgraph.errors.UsageError` when ``max_skills`` is not 1..3, or when the estimate (or,
    for 3-skill sets, their actual number, over :data:`MAX_SETS`) is too large, naming settings that fit.
    """
    if not 1 <= max_skills <= MAX_SKILLS:
        raise UsageError("{max_skills} must be between 1 and {high}, not {value}", "max_skills", high=MAX_SKILLS,
                         value=max_skills)
    search = _prepare(matrices, origin, targets, min_coverage, max_skills)
    workload = _workload(search, min_coverage)
    if not workload.fits():
        raise _refusal(matrices, origin, targets, min_coverage, max_skills, workload)
    progress = progress or Progress()
    label = f"Checking skill sets ({workload.describe()})"
    if workload.seconds >= LONG_WORK:
        progress.start(workload.steps, label)
    try:
        return _search(search, matrices, min_coverage, top, progress, label if workload.seconds >= LONG_WORK else None)
    finally:
        progress.finish()


def _search(search: _Search, matrices: SkillMatrices, min_coverage: float, top: int, progress: Progress,
            label: str | None) -> list[SkillSet]:
    """The enumeration of :func:`upskill` over ``search``; with a ``label``, the progress total is
    corrected once the 3-skill sets are known."""
    gains = search.gains()
    candidates, rows, destinations = search.candidates, search.rows, search.destinations
    base_rows, total_rows = search.base_rows, search.total_rows
    skill_ids = np.array(matrices.skill_ids)
    ranked: list[tuple[int, int, float, tuple[int, ...]]] = []
    single = pair = None  # how many destinations each skill, and each pair of skills, unlocks
    for size in range(1, search.max_skills + 1):
        if size < 3:
            sets = _all_sets(len(candidates), size)
        else:
            # a set unlocks only destinations its skills need; it must beat the current last place
            last = -sorted(ranked)[top - 1][0] if len(ranked) >= top else 0
            sets = _triple_candidates(gains, base_rows, total_rows, min_coverage, single, last + 1)
            if len(sets) > MAX_SETS:
                raise UsageError("{sets} candidate 3-skill sets are too many here; use {max_skills} 2 "
                                 "or a higher {min_coverage}", "max_skills", sets=len(sets))
            if label:
                checked = len(rows) * (len(candidates) + _choose(len(candidates), 2))
                progress.start(checked + len(rows) * len(sets), label)
        counts, reached = _unlocked(gains, base_rows, total_rows, min_coverage, sets, progress)
        if size == 1:
            single, keep = counts, counts > 0
        elif size == 2:
            keep = counts > np.maximum(single[sets[:, 0]], single[sets[:, 1]])
            pair = np.zeros((len(candidates), len(candidates)), dtype=np.int64)
            pair[sets[:, 0], sets[:, 1]] = pair[sets[:, 1], sets[:, 0]] = counts
        else:
            a, b, c = sets.T
            keep = counts > np.maximum.reduce([pair[a, b], pair[a, c], pair[b, c]])
        kept_sets, kept_counts, kept_reached = sets[keep], counts[keep], reached[keep]
        best = np.lexsort((*kept_sets.T[::-1], -kept_reached, -kept_counts))[:top]
        ranked.extend((-int(kept_counts[i]), size, -float(kept_reached[i]), tuple(kept_sets[i].tolist()))
                      for i in best)
    ranked.sort()

    answers = []
    for *_, members in ranked[:top]:
        columns = list(members)
        coverage = coverage_ratio(base_rows + gains[:, columns].sum(axis=1), total_rows)
        opened = np.nonzero(coverage >= min_coverage)[0]
        unlocks = sorted(((matrices.profession_ids[destinations[rows[i]]], float(coverage[i])) for i in opened),
                         key=lambda item: (-item[1], item[0]))
        answers.append(SkillSet(tuple(skill_ids[candidates[columns]].tolist()), tuple(unlocks)))
    return answers
