"""Work estimated before it is done: refuse settings whose cost explodes, report progress on long work.

Two searches grow fast as ``min_coverage`` falls. The path search holds every transition with at
least that coverage as adjacency lists (about :data:`BYTES_PER_TRANSITION` bytes each at its peak): on
ESCO, coverage 0.01 keeps 2 million transitions, close to 800 MB. The upskill search checks every candidate
set of skills against every destination it could open: at coverage 0.1 on ESCO, 21 million pairs of
skills against 1,100 destinations. Both are estimated first from cheap counts (transitions at that
coverage; candidate skills and destinations), and a setting over :data:`MAX_SECONDS` or
:data:`MAX_MEMORY` is refused with a :class:`~profgraph.errors.UsageError` that names a setting that
fits. Work estimated over :data:`LONG_WORK` seconds reports its progress (:class:`Progress`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import UsageError

if TYPE_CHECKING:  # for annotations; the functions import numpy where they use it
    import numpy as np

SECONDS_PER_CHECK = 2e-8  # one destination-by-skill-set check of upskill (measured: 15-20 ns on ESCO)
MAX_SECONDS = 120.0  # estimated seconds above which a search is refused
MAX_MEMORY = 1024 ** 3  # estimated bytes above which a search is refused
LONG_WORK = 2.0  # estimated seconds above which progress is reported
# a transition held by a path search at its peak, its adjacency lists and the viable moves being judged
# (measured on ESCO at coverage 0.1 and 0.2 with tracemalloc: 387-400 bytes)
BYTES_PER_TRANSITION = 400
MAX_TRANSITIONS = 1_000_000  # transitions a path search may hold (about 400 MB)


@dataclass(frozen=True)
class Workload:
    """An estimate of work to do: ``steps`` units of work, ``seconds`` and ``memory`` (bytes, the
    largest arrays held at once)."""

    steps: int
    seconds: float
    memory: int

    def fits(self) -> bool:
        """Whether it stays within :data:`MAX_SECONDS` and :data:`MAX_MEMORY`."""
        return self.seconds <= MAX_SECONDS and self.memory <= MAX_MEMORY

    def describe(self) -> str:
        """``"about 9 min and 3.1 GB"``: the estimate in words."""
        return f"about {duration_text(self.seconds)} and {size_text(self.memory)}"


def duration_text(seconds: float) -> str:
    """``"45 s"``, ``"9 min"``, ``"3 h"`` or ``"126 days"``."""
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.0f} h" if seconds < 172800 else f"{seconds / 86400:.0f} days"


def size_text(size: float) -> str:
    """``"420 MB"``, ``"3.1 GB"`` or ``"9.7 TB"``."""
    if size >= 1024 ** 4:
        return f"{size / 1024 ** 4:.1f} TB"
    return f"{size / 1024 ** 3:.1f} GB" if size >= 1024 ** 3 else f"{size / 1024 ** 2:.0f} MB"


class Progress:
    """Receives the progress of long work; this one reports nothing. The CLI's draws a progress bar.

    ``start(total, label)`` is called once work estimated over :data:`LONG_WORK` seconds begins,
    then ``advance(amount)`` as it goes (``total`` may be raised by ``start`` again when a later
    stage is counted), then ``finish()``.
    """

    def start(self, total: int, label: str) -> None:
        """Work of ``total`` steps, described by ``label``, begins (or its total changes)."""

    def advance(self, amount: int) -> None:
        """``amount`` more steps are done."""

    def finish(self) -> None:
        """The work is over."""


def transitions_at(dataset, min_coverage: float) -> np.ndarray:
    """Return the coverage of every transition with at least ``min_coverage`` in ``dataset`` (from
    its stored table, or computed when ``min_coverage`` is below the table's floor)."""
    table = dataset.transitions
    if min_coverage >= float(table["floor"]):
        coverage = table["coverage"]
    else:
        from .similarity import coverage_edges

        coverage = coverage_edges(dataset.skill_matrices, min_coverage)["coverage"]
    return coverage[coverage >= min_coverage]


def check_path_search(dataset, min_coverage: float) -> None:
    """Raise :class:`~profgraph.errors.UsageError` when a path search at ``min_coverage`` would hold
    more than :data:`MAX_TRANSITIONS` transitions, naming the least coverage that keeps few enough."""
    coverage = transitions_at(dataset, min_coverage)
    if len(coverage) <= MAX_TRANSITIONS:
        return
    import math

    import numpy as np

    # the least coverage, in hundredths, that keeps at most MAX_TRANSITIONS
    cut = float(np.partition(coverage, len(coverage) - MAX_TRANSITIONS - 1)[len(coverage) - MAX_TRANSITIONS - 1])
    bound = math.floor(cut * 100 + 1) / 100
    raise UsageError("{min_coverage} {given:g} keeps {count:,} transitions on this dataset (about {size} to search); "
                     "use {min_coverage} {bound:.2f} or more (at most {most:,} transitions)", "min_coverage",
                     given=min_coverage, count=len(coverage), size=size_text(len(coverage) * BYTES_PER_TRANSITION),
                     bound=bound, most=MAX_TRANSITIONS)
