"""Writing outputs so that a reader sees the old version or the new one, never half of one."""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
import time
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file in the same folder, so readers see
    the old file or the new one, never half of it. Returns the path; raises OSError."""
    path = Path(path)
    if not path.parent.is_dir():
        raise FileNotFoundError(errno.ENOENT, "no such folder", str(path.parent))
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as output:
            output.write(text)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes the file private; a page is for sharing
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


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
