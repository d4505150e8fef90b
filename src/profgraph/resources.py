"""Where the embedded curated data and the ontology live, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent.parent  # src/profgraph -> repository root


def _find(installed: str, checkout: str) -> Path:
    for candidate in (_PACKAGE / installed, _CHECKOUT / checkout):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"profgraph's {checkout}/ folder is missing from the installation")


def data_dir() -> Path:
    """Return the folder of the embedded curated tables (``data/`` in a checkout)."""
    return _find("_data", "data")


def ontology_dir() -> Path:
    """Return the folder holding ``profgraph.ttl`` and ``shapes.ttl``."""
    return _find("_ontology", "ontology")
