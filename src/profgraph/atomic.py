"""Outputs that lose nothing: a reader sees the old file (or folder) or the complete new one, never
half of it, and profgraph replaces only what it wrote itself.

Files (:func:`atomic_file`, :func:`open_output`): the content goes to a temporary file beside the
target, renamed over it at the end. Only a regular file or a new path is accepted; a symbolic link,
a device, a FIFO or a socket is refused (``-`` means standard output). A replaced file keeps its
permission mode and, where the process may, its owner.

Folders (:class:`OutputFolder`): built in a temporary folder beside the target and swapped into
place. Every folder profgraph builds holds a marker, :data:`OUTPUT_MARKER`, naming its kind (store,
site, CSV export) and every file written. A folder is replaced only when it is absent, empty, or
marked with the same kind and holds nothing unlisted; otherwise the output is refused, or with
``force`` the old folder is moved aside, whole, to ``NAME.backup-DATE-TIME`` beside it. The root,
top-level system folders, the home folder, the current folder and their parents, and the inputs
and their parents are always refused.

Temporary files and folders carry the writer's process id; one left by a process that no longer
exists (killed) is removed the next time the same target is written.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import stat
import sys
import tempfile
import time
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from . import __version__
from .errors import UsageError
from .versions import BUILD_LOCK, VERSION, WORKSPACE_PREFIX

OUTPUT_MARKER = ".profgraph-output"
OUTPUT_KINDS = {"store": "store", "site": "site", "csv": "CSV export"}
# A store built before folders carried the marker: recognised by holding nothing but these names.
_LEGACY_STORE = {"manifest.json", "model.pickle", "transitions.npz", "oxigraph"}
# What a store manages inside its folder after the marker was written: versions, build workspaces, locks.
_OWN_ENTRIES = {"store": re.compile(rf"(?:{VERSION.pattern}|{re.escape(WORKSPACE_PREFIX)}[^/]*|{re.escape(BUILD_LOCK)})(?:/.*)?")}
_FILE_KINDS = ((stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a FIFO"),
               (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))


class FolderMovedAside(UserWarning):
    """Issued when ``force`` moved a folder's earlier contents aside (kept, not deleted)."""


# ----------------------------------------------------------------------------- files


def check_output_file(path: str | Path) -> None:
    """Return if ``path`` may receive a file output: a new path in an existing folder, a regular file, or ``-``.

    Raises :class:`~profgraph.errors.UsageError` for a symbolic link, a device, a FIFO, a socket or
    a folder at ``path``, and for a folder of ``path`` that does not exist.
    """
    if str(path) == "-":
        return
    if not str(path):
        raise UsageError("give a file name, or '-' for standard output")
    path = Path(path)
    try:
        status = path.lstat()
    except FileNotFoundError:
        status = None
    if status is not None:
        if stat.S_ISLNK(status.st_mode):
            raise UsageError(f"{path} is a symbolic link; give the file it points to, or a new file")
        if not stat.S_ISREG(status.st_mode):
            what = next((name for test, name in _FILE_KINDS if test(status.st_mode)), "not a regular file")
            hint = "give a file name" if stat.S_ISDIR(status.st_mode) else "give a regular file, or '-o -' for standard output"
            raise UsageError(f"{path} is {what}; {hint}")
    if not path.parent.is_dir():
        raise UsageError(f"folder {path.parent} does not exist")


@contextlib.contextmanager
def atomic_file(path: str | Path) -> Iterator[BinaryIO]:
    """Yield a binary handle whose content replaces ``path`` when the ``with`` block ends without error.

    The content goes to a temporary file in the same folder, renamed over ``path`` at the end; an
    existing file's permission mode is kept, and its owner where the process may set it. On an
    error or an interruption the temporary file is removed and ``path`` is untouched. Raises
    :class:`~profgraph.errors.UsageError` as :func:`check_output_file` does.
    """
    path = Path(path)
    check_output_file(path)
    _remove_abandoned(path.parent, re.compile(rf"^\.{re.escape(path.name)}\.(\d+)-.*\.part$"))
    handle = tempfile.NamedTemporaryFile(prefix=f".{path.name}.{os.getpid()}-", suffix=".part", dir=path.parent,
                                         delete=False)
    try:
        with handle:
            yield handle
        check_output_file(path)  # nothing else has taken the place meanwhile
        _take_over_attributes(handle.name, path)
        os.replace(handle.name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(handle.name)
        raise


@contextlib.contextmanager
def open_output(path: str | Path) -> Iterator[BinaryIO]:
    """Yield standard output for ``-``, else :func:`atomic_file` of ``path``."""
    if str(path) == "-":
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    with atomic_file(path) as handle:
        yield handle


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` (``-``: standard output) with :func:`open_output`. Returns the path."""
    with open_output(path) as handle:
        handle.write(text.encode("utf-8"))
    return Path(path)


def _take_over_attributes(temporary: str, path: Path) -> None:
    """Give the temporary file the mode (and owner, where allowed) of the file it replaces, or the
    default mode of a new file (the temporary file is private; an output is for sharing)."""
    try:
        old = path.stat()
    except FileNotFoundError:
        os.chmod(temporary, 0o666 & ~_umask())
        return
    os.chmod(temporary, stat.S_IMODE(old.st_mode) & 0o777)
    new = os.stat(temporary)
    if (new.st_uid, new.st_gid) != (old.st_uid, old.st_gid):
        with contextlib.suppress(PermissionError):  # only root may give a file away
            os.chown(temporary, old.st_uid, old.st_gid)


# ----------------------------------------------------------------------------- folders


def check_output_folder(path: str | Path, kind: str, *, force: bool = False, inputs: Iterable = ()) -> bool:
    """Check that ``path`` may become an output folder of ``kind`` (a key of :data:`OUTPUT_KINDS`).

    Returns True when ``path`` holds files profgraph did not write and ``force`` lets them be moved
    aside, False when it can simply be replaced. Raises :class:`~profgraph.errors.UsageError` for
    a protected folder (see the module docstring; ``inputs`` are the paths the output is made
    from), a symbolic link, something that is not a folder, and, without ``force``, a folder
    holding anything profgraph did not write as ``kind``.
    """
    path = Path(path)
    _refuse_protected(path, kind, inputs)
    if path.is_symlink():
        raise UsageError(f"{path} is a symbolic link; give the folder it points to")
    if not path.exists():
        return False
    if not path.is_dir():
        raise UsageError(f"{path} exists and is not a folder")
    foreign = _foreign_contents(path, kind)
    if foreign and not force:
        raise UsageError("{path} holds {foreign}; give a new or empty folder, or add {force} to move its contents "
                         "to a backup folder beside it", "force", path=path, foreign=foreign)
    return bool(foreign)


class OutputFolder:
    """A folder output built in a workspace beside ``path`` and swapped into place; a context manager.

    Creating it checks ``path`` (:func:`check_output_folder`) and creates the workspace
    (``.NAME.build-PID-*``) and any missing parent folder. Write into :attr:`workspace`, then
    :meth:`commit` (the ``with`` block does it when it ends without error, and :meth:`discard` when
    it does not). ``details`` go into the marker beside the kind and the list of files; the
    subfolders named in ``whole`` are listed as one entry (a database whose files change as it is used).
    """

    def __init__(self, path: str | Path, kind: str, *, force: bool = False, inputs: Iterable = (),
                 details: dict | None = None, whole: Iterable[str] = ()):
        if kind not in OUTPUT_KINDS:
            raise ValueError(f"unknown output kind {kind!r}")
        self.path, self.kind, self.force = Path(path), kind, force
        self.details, self.whole = dict(details or {}), tuple(whole)
        check_output_folder(self.path, kind, force=force, inputs=inputs)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        remove_abandoned_workspaces(self.path)
        self.workspace = Path(tempfile.mkdtemp(prefix=f".{self.path.name}.build-{os.getpid()}-", dir=self.path.parent))

    def __enter__(self) -> OutputFolder:
        return self

    def __exit__(self, error_type, error, trace) -> None:
        if error_type is not None:
            self.discard()
            return
        try:
            self.commit()
        except BaseException:
            self.discard()
            raise

    def commit(self) -> Path | None:
        """Write the marker and put the workspace where :attr:`path` is. Returns the backup folder the
        old contents went to (with ``force``), else None. Raises UsageError if a foreign folder took
        the place meanwhile, OSError when the move fails (the old folder stays)."""
        listed = sorted(_listing(self.workspace, self.whole))
        marker = {"kind": self.kind, "written_by": f"profgraph {__version__}",
                  "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), **self.details,
                  "whole": list(self.whole), "files": listed}
        (self.workspace / OUTPUT_MARKER).write_text(json.dumps(marker, ensure_ascii=False, indent=1), encoding="utf-8")
        self.workspace.chmod(0o777 & ~_umask())
        return replace_folder(self.workspace, self.path, self.kind, force=self.force)

    def discard(self) -> None:
        """Remove the workspace."""
        shutil.rmtree(self.workspace, ignore_errors=True)


def remove_abandoned_workspaces(path: Path) -> None:
    """Remove what killed writers of the output folder ``path`` left beside it: their workspaces
    (``.NAME.build-PID-*``) and the old folders they were replacing (``.NAME.old-PID-*``), once the
    process PID is gone."""
    _remove_abandoned(path.parent, re.compile(rf"^\.{re.escape(path.name)}\.(?:build|old)-(\d+)-"))


def replace_folder(workspace: Path, destination: Path, kind: str, *, force: bool = False) -> Path | None:
    """Put the finished folder ``workspace`` where ``destination`` is, if :func:`check_output_folder` allows.

    An old output of ``kind`` is moved aside first and removed after; with ``force``, a folder holding
    anything else is moved to ``DESTINATION.backup-DATE-TIME`` and kept (a :class:`FolderMovedAside`
    warning says where); that path is returned. If another process put a folder at ``destination``
    in between, that one stands and ``workspace`` is dropped. Raises UsageError as
    :func:`check_output_folder` does, OSError when the move fails otherwise (the old folder is put back).
    """
    keep = check_output_folder(destination, kind, force=force)
    retired = None
    if destination.exists():
        retired = _backup_name(destination) if keep else \
            destination.with_name(f".{destination.name}.old-{os.getpid()}-{time.monotonic_ns()}")
        os.rename(destination, retired)
    try:
        os.rename(workspace, destination)
    except OSError:
        shutil.rmtree(workspace, ignore_errors=True)
        if not destination.exists():
            if retired is not None:
                os.rename(retired, destination)
            raise
    if keep:  # kept, even when another process's folder stands at destination now
        warnings.warn(f"{destination} held files profgraph did not write; they are now in {retired}",
                      FolderMovedAside, stacklevel=2)
        return retired
    if retired is not None:
        shutil.rmtree(retired, ignore_errors=True)
    return None


def _foreign_contents(folder: Path, kind: str) -> str | None:
    """Return what in ``folder`` profgraph did not write as ``kind`` (for a message), or None."""
    own = _OWN_ENTRIES.get(kind)
    entries = sorted(entry.name for entry in folder.iterdir() if not (own and own.fullmatch(entry.name)))
    if not entries:
        return None
    marker = _read_marker(folder)
    if marker is None:
        if kind == "store" and "manifest.json" in entries and set(entries) <= _LEGACY_STORE:
            return None
        return "files profgraph did not write (" + _examples(folder, entries) + ")"
    if marker.get("kind") != kind:
        return f"a profgraph {OUTPUT_KINDS.get(marker.get('kind'), 'output')}, not a {OUTPUT_KINDS[kind]}"
    listed = set(marker.get("files", ()))
    unlisted = sorted(entry for entry in set(_listing(folder, marker.get("whole", ()))) - listed - {OUTPUT_MARKER}
                      if not (own and own.fullmatch(entry)))
    # a folder profgraph did not write is reported, not everything inside it
    unlisted = [entry for entry in unlisted if not any(entry.startswith(other + "/") for other in unlisted)]
    return "files profgraph did not write (" + _examples(folder, unlisted) + ")" if unlisted else None


def _read_marker(folder: Path) -> dict | None:
    try:
        marker = json.loads((folder / OUTPUT_MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return marker if isinstance(marker, dict) and isinstance(marker.get("files"), list) else None


def _listing(folder: Path, whole: Iterable[str] = ()) -> Iterator[str]:
    """Yield the relative path of every file and folder under ``folder`` (not inside those in ``whole``)."""
    whole = set(whole)
    for root, folders, files in os.walk(folder):
        relative = Path(root).relative_to(folder)
        for name in files:
            yield (relative / name).as_posix()
        for name in list(folders):
            entry = (relative / name).as_posix()
            yield entry
            if entry in whole or os.path.islink(os.path.join(root, name)):
                folders.remove(name)


def _examples(folder: Path, names: list[str]) -> str:
    """Name the first two of ``names`` (relative to ``folder``; folders end in /) and count the rest."""
    shown = ", ".join(name + "/" * (folder / name).is_dir() for name in names[:2])
    return shown + (f" and {len(names) - 2} more" if len(names) > 2 else "")


def _refuse_protected(path: Path, kind: str, inputs: Iterable) -> None:
    """Raise UsageError when ``path`` is a folder no output may replace."""
    target = path.resolve()
    what = f"a {OUTPUT_KINDS[kind]}"
    protected = [(Path.cwd().resolve(), "the current folder")]
    with contextlib.suppress(RuntimeError, KeyError):  # no home folder known
        protected.append((Path.home().resolve(), "your home folder"))
    protected += [(Path(item).resolve(), f"the input {item}") for item in inputs if item is not None]
    for folder, name in protected:
        if target == folder:
            raise UsageError(f"refusing to write {what} into {path}: it is {name}; give a folder of its own")
    if len(target.parts) <= 2:
        raise UsageError(f"refusing to write {what} into {path}: give a folder of its own, not a top-level one")
    for folder, name in protected:
        if target in folder.parents:
            raise UsageError(f"refusing to write {what} into {path}: it holds {name}; give a folder of its own")


def _backup_name(destination: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    candidate, number = destination.with_name(f"{destination.name}.backup-{stamp}"), 1
    while candidate.exists() or candidate.is_symlink():
        number += 1
        candidate = destination.with_name(f"{destination.name}.backup-{stamp}-{number}")
    return candidate


def _remove_abandoned(folder: Path, pattern: re.Pattern) -> None:
    """Remove the entries of ``folder`` matching ``pattern`` whose process (group 1, a pid) is gone."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return
    for entry in entries:
        found = pattern.match(entry.name)
        if found and not _alive(int(found.group(1))):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    entry.unlink()


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
