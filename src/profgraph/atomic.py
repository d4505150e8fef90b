"""Atomic outputs: a reader sees the old file (or folder) or the complete new one, never half of it."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from .errors import UsageError


@contextlib.contextmanager
def atomic_file(path: str | Path) -> Iterator[BinaryIO]:
    """Yield a binary handle whose content replaces ``path`` when the ``with`` block ends without error.

    The content goes to a temporary file in the same folder, renamed over ``path`` at the end;
    on an error the temporary file is removed and ``path`` is untouched. Raises
    :class:`~profgraph.errors.UsageError` if ``path`` is a folder or its folder does not exist.
    """
    path = Path(path)
    if path.is_dir():
        raise UsageError(f"{path} is a folder; give a file name")
    if not path.parent.is_dir():
        raise UsageError(f"folder {path.parent} does not exist")
    handle = tempfile.NamedTemporaryFile(prefix=f".{path.name}.", suffix=".part", dir=path.parent, delete=False)
    try:
        with handle:
            yield handle
        os.chmod(handle.name, 0o666 & ~_umask())  # the temporary file is private; an output is for sharing
        os.replace(handle.name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(handle.name)
        raise


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` with :func:`atomic_file`. Returns the path."""
    with atomic_file(path) as handle:
        handle.write(text.encode("utf-8"))
    return Path(path)


@contextlib.contextmanager
def atomic_folder(path: str | Path, names: tuple[str, ...]) -> Iterator[Path]:
    """Yield a temporary folder whose files ``names`` replace the folder ``path`` when the block succeeds.

    ``path`` may be absent, or a folder holding nothing but files called ``names`` (an earlier
    output); anything else raises :class:`~profgraph.errors.UsageError`, so that no unrelated file is
    ever deleted. On an error the temporary folder is removed and ``path`` is untouched.
    """
    path = Path(path)
    if path.exists():
        if not path.is_dir():
            raise UsageError(f"{path} exists and is not a folder")
        strangers = sorted(entry.name for entry in path.iterdir() if entry.name not in names)
        if strangers:
            raise UsageError(f"{path} holds other files ({', '.join(strangers[:3])}); give a new or empty folder")
    if not path.parent.is_dir():
        raise UsageError(f"folder {path.parent} does not exist")
    workspace = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent))
    try:
        yield workspace
        workspace.chmod(0o777 & ~_umask())
        replace_folder(workspace, path)
    except BaseException:
        shutil.rmtree(workspace, ignore_errors=True)
        raise


def replace_folder(workspace: Path, destination: Path) -> None:
    """Put the finished folder ``workspace`` where ``destination`` is.

    The old ``destination`` is moved aside first and removed after. If another process
    put a folder at ``destination`` in between, that one stands and ``workspace`` is
    dropped. Raises OSError when the move fails otherwise (the old folder is put back).
    """
    retired = None
    if destination.exists():
        retired = destination.with_name(f".{destination.name}.old-{os.getpid()}-{time.monotonic_ns()}")
        os.rename(destination, retired)
    try:
        os.rename(workspace, destination)
    except OSError:
        shutil.rmtree(workspace, ignore_errors=True)
        if not destination.exists():
            if retired is not None:
                os.rename(retired, destination)
            raise
    if retired is not None:
        shutil.rmtree(retired, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
