"""Versioned folders: a folder whose content is replaced whole while readers keep the version they opened.

A versioned folder holds its versions as subfolders ``store-<16 hex digits>``, each complete and
never changed once built, and a pointer naming the current one (the caller's file, replaced
atomically; for a store it is ``manifest.json``). A build works in a workspace ``.build-<...>``
beside the versions and renames it into a new version when complete, so a version is never seen
half-built; then the pointer moves to it.

Readers hold a :class:`Lease` on the version they use: a shared lock (``flock``) on its file
``reader.lock``. A builder holds the folder's ``build.lock`` exclusively; old versions are
removed only when no reader holds them (a builder's exclusive, non-blocking lock on their
``reader.lock`` succeeds), and workspaces found while holding ``build.lock`` belong to builds that
were killed, so they are removed too. Where ``flock`` does not work (Windows, some network file
systems), there are no locks: a build removes old versions best effort, and only the workspaces
whose process is gone.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

fcntl: ModuleType | None  # None where the platform has no flock
try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

VERSION = re.compile(r"store-[0-9a-f]{16}")
WORKSPACE_PREFIX = ".build-"
LEASE_FILE = "reader.lock"
BUILD_LOCK = "build.lock"


class Lease:
    """A reader's hold on one version: while it lives (or until :meth:`release`), no builder removes the version."""

    def __init__(self, descriptor: int | None):
        self._descriptor = descriptor
        self._finalizer = weakref.finalize(self, _close, descriptor) if descriptor is not None else None

    def release(self) -> None:
        """Let builders remove the version."""
        if self._finalizer is not None:
            self._finalizer()


def _close(descriptor: int) -> None:
    with contextlib.suppress(OSError):
        os.close(descriptor)


def lease(version: Path) -> Lease:
    """Return a :class:`Lease` on the folder ``version``.

    Raises FileNotFoundError when the version does not exist, or is being removed (the caller
    reads the pointer again). Without ``flock`` (Windows, or a file system that does not lock), the
    lease holds nothing.
    """
    descriptor = os.open(version / LEASE_FILE, os.O_RDONLY)
    try:
        if fcntl is not None:
            fcntl.flock(descriptor, fcntl.LOCK_SH)  # waits only while a builder removes this very version
        if os.fstat(descriptor).st_nlink == 0:
            raise FileNotFoundError(f"{version} was removed")
    except FileNotFoundError:
        os.close(descriptor)
        raise
    except OSError:  # no locks on this file system
        os.close(descriptor)
        return Lease(None)
    except BaseException:
        os.close(descriptor)
        raise
    if fcntl is None:
        os.close(descriptor)
        return Lease(None)
    return Lease(descriptor)


@contextlib.contextmanager
def build_lock(folder: Path, wait: bool = True) -> Iterator[bool]:
    """Hold ``folder``'s build lock for the ``with`` block; yield whether it is held.

    With ``wait`` false, yield False at once when another build holds it. Without ``flock``
    (Windows, or a file system that does not lock), yield False holding nothing: a build goes ahead
    all the same, and cleans up only what is surely abandoned (:func:`clean`). ``folder`` is created
    if missing. Raises OSError when ``folder`` cannot be written.
    """
    folder.mkdir(parents=True, exist_ok=True)
    if fcntl is None:
        yield False
        return
    descriptor = os.open(folder / BUILD_LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            held = False
        except OSError:  # no locks on this file system
            held = False
        else:
            held = True
        yield held
    finally:
        os.close(descriptor)


@contextlib.contextmanager
def workspace(folder: Path) -> Iterator[Path]:
    """Yield a new empty workspace in ``folder`` (whose build lock the caller holds), removed if the block fails."""
    path = folder / f"{WORKSPACE_PREFIX}{os.getpid()}-{os.urandom(4).hex()}"
    path.mkdir()
    try:
        yield path
    except BaseException:
        shutil.rmtree(path, ignore_errors=True)
        raise


def commit(workspace_path: Path) -> Path:
    """Turn the finished workspace into a new version of its folder, readable by others; return the version's path."""
    (workspace_path / LEASE_FILE).touch()
    version = workspace_path.with_name(f"store-{os.urandom(8).hex()}")
    os.rename(workspace_path, version)
    return version


def process_alive(pid: int) -> bool:
    """True when the process ``pid`` exists (or may: one of another user), or is this one."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def clean(folder: Path, keep: str | None, locked: bool) -> None:
    """Remove the abandoned workspaces of ``folder`` and every version but ``keep`` that no reader holds.

    With ``locked`` (the caller holds the build lock), no workspace belongs to a running build;
    without, only those whose process is gone are removed.
    """
    for entry in _entries(folder):
        if entry.name.startswith(WORKSPACE_PREFIX):
            owner = re.match(rf"{re.escape(WORKSPACE_PREFIX)}(\d+)-", entry.name)
            if locked or (owner and not process_alive(int(owner.group(1)))):
                shutil.rmtree(entry, ignore_errors=True)
        elif entry.name != keep and VERSION.fullmatch(entry.name):
            _retire(entry)


def sweep(folder: Path, opened: str, current: Callable[[], str | None]) -> None:
    """:func:`clean` ``folder`` if it holds leftovers beside the version ``opened`` and no build runs there;
    do nothing if it cannot be written. The version kept is ``current()``, the one the pointer names, read
    under the build lock: a build may have moved the pointer since the reader opened ``opened`` (which its
    lease keeps). ``current()`` returns None when the pointer cannot be read: then nothing is removed."""
    leftovers = [entry for entry in _entries(folder)
                 if entry.name.startswith(WORKSPACE_PREFIX) or (entry.name != opened and VERSION.fullmatch(entry.name))]
    if not leftovers or fcntl is None:
        return
    with contextlib.suppress(OSError), build_lock(folder, wait=False) as held:
        keep = current() if held else None
        if keep is not None:
            clean(folder, keep, locked=True)


def _retire(version: Path) -> None:
    """Remove the version folder ``version`` unless a reader holds it."""
    try:
        descriptor = os.open(version / LEASE_FILE, os.O_RDONLY)
    except FileNotFoundError:
        descriptor = None  # half-removed by a killed builder: nobody can lease it
    except OSError:
        return
    try:
        if descriptor is not None and fcntl is not None:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return
        # Renamed first, so that no reader finds it half-removed under its name.
        doomed = version.with_name(f"{WORKSPACE_PREFIX}{os.getpid()}-{os.urandom(4).hex()}")
        os.rename(version, doomed)
        shutil.rmtree(doomed, ignore_errors=True)
    except OSError:
        pass
    finally:
        if descriptor is not None:
            os.close(descriptor)


def _entries(folder: Path) -> list[Path]:
    """Return the subfolders of ``folder`` (not symbolic links); none if it cannot be read."""
    try:
        with os.scandir(folder) as entries:
            return [Path(entry.path) for entry in entries if entry.is_dir(follow_symlinks=False)]
    except OSError:
        return []
