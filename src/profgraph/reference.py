"""Where the third-party reference data are read from at run time (never copied into the repository).

The reference folder holds ``nesta-mcc/``, ``ilo-genai-2025/`` and ``kz-wages-2022/`` as published
(see ``../shared/data/README.md`` beside a checkout). It is, in order: the folder given explicitly,
``$PROFGRAPH_REFERENCE``, or ``../shared/data`` beside the checkout (or beside any folder above it).
The main commands do not need it: the curated measures are in ``data/profession_measures.csv``
and an ESCO store keeps those it imported. Regional wages (``--region``) are read from it.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from .errors import UsageError

ENV = "PROFGRAPH_REFERENCE"
NESTA, ILO, WAGES = "nesta-mcc", "ilo-genai-2025", "kz-wages-2022"


def reference_dir(explicit: str | Path | None = None) -> Path | None:
    """Return the reference data folder (module docstring), or None when there is none."""
    if explicit:
        return Path(explicit)
    if os.environ.get(ENV):
        return Path(os.environ[ENV])
    for folder in Path(__file__).resolve().parents[1:]:
        candidate = folder / "shared" / "data"
        if candidate.is_dir():
            return candidate
    return None


@lru_cache(maxsize=4)
def _wages(folder: Path) -> dict[str, dict[str, float]]:
    from .sources.kzwages import WAGES_FILE, read_wages

    return read_wages(folder / WAGES / WAGES_FILE)


def regional_wages(region: str, explicit: str | Path | None = None) -> tuple[str, dict[str, float]]:
    """Return ``(region name, {ISCO-08 major group -> average monthly wage, KZT})`` for ``region``
    (matched ignoring case, spaces and punctuation: ``almaty-city`` finds "Almaty city").

    Raises :class:`~profgraph.errors.UsageError` for an unknown region, and when the reference
    folder or its wage table is absent.
    """
    from .sources.kzwages import WAGES_FILE, region_key

    folder = reference_dir(explicit)
    if folder is None or not (folder / WAGES / WAGES_FILE).is_file():
        where = f" (looked in {folder / WAGES})" if folder else ""
        raise UsageError("{region} needs the Kazakhstan wage table {table}: set {variable} to the reference data "
                         "folder{where}", "region", table=f"{WAGES}/{WAGES_FILE}", variable=ENV, where=where)
    wages = _wages(folder.resolve())
    by_key = {region_key(name): name for name in wages}
    name = by_key.get(region_key(region))
    if name is None:
        raise UsageError("unknown {region} {value!r}; one of: {regions}", "region", value=region,
                         regions=", ".join(sorted(by_key)))
    return name, wages[name]
