"""Atomic outputs: a reader sees the old file (or folder) or the complete new one, never half of it."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
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
        os.chmod(handle.name, 0o666 & ~_umask())
        os.replace(handle.name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(handle.name)
        raise


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
        retired = Path(tempfile.mkdtemp(prefix=f".{path.name}.old-", dir=path.parent))
        try:
            if path.exists():
                os.rename(path, retired / path.name)
            try:
                os.rename(workspace, path)
            except OSError:
                if (retired / path.name).exists():
                    os.rename(retired / path.name, path)
                raise
        finally:
            shutil.rmtree(retired, ignore_errors=True)
    except BaseException:
        shutil.rmtree(workspace, ignore_errors=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
