"""Attack and fault cases replayed by ``benchmarks/bench_attacks.py``.

Each module of this package (``files``, ``store``, ``server``, ``remote``, ``cli``) defines
``CASES``: a list of :class:`Case`. A case's ``run(workdir)`` gets a fresh empty folder of its own
and returns an :class:`Outcome`: whether profgraph handled the input cleanly (a clear message, the
expected exit status, no traceback, no crash, no hang) and whether any data of the user's was lost
(a file deleted, replaced or half-written that should not have been). A module may also define
``FIGURES``: a list of callables returning ``(name, value, target)`` rows of measured figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable


@dataclass(frozen=True)
class Outcome:
    handled: bool
    data_lost: bool = False
    detail: str = ""


@dataclass(frozen=True)
class Case:
    area: str
    name: str
    run: Callable[[Path], Outcome]
