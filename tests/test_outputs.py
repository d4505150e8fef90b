"""Outputs never cost a user a file: folders (store, site, CSV export) are replaced only when profgraph
wrote them, files only when they are regular files, and nothing is left half-written.

Import cases use the hand-made ESCO-shaped download of ``esco_tiny`` (and the real download where
the case is about it); every case checks that the user's files are still there, byte for byte.
"""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from profgraph.atomic import OUTPUT_MARKER
from profgraph.store import open_store

from conftest import ESCO_DOWNLOAD, child_environment, run
from esco_tiny import write_tiny_esco

STREAMING_QUERY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"  # endless enough to be interrupted while writing


def snapshot(folder: Path) -> dict:
    """Every entry under ``folder`` (symbolic links not followed) -> its kind and content or target."""
    found = {}
    for path in sorted(folder.rglob("*")):
        status = path.lstat()
        if stat.S_ISLNK(status.st_mode):
            found[str(path)] = ("link", os.readlink(path))
        elif stat.S_ISREG(status.st_mode):
            found[str(path)] = ("file", path.read_bytes(), stat.S_IMODE(status.st_mode))
        else:
            found[str(path)] = (stat.S_IFMT(status.st_mode),)
    return found


def user_folder(folder: Path) -> Path:
    """A folder of the user's: a document and a note in a subfolder."""
    (folder / "sub").mkdir(parents=True)
    (folder / "thesis.docx").write_bytes(b"PK\x03\x04 four years of work")
    (folder / "sub" / "notes.txt").write_text("do not lose", encoding="utf-8")
    return folder


def assert_refused(result, *phrases):
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output  # one line, before any progress output
    for phrase in phrases:
        assert phrase in result.output, result.output


@pytest.fixture
def tiny_esco(tmp_path) -> Path:
    return write_tiny_esco(tmp_path / "esco")


# ----------------------------------------------------------------------------- folders


def test_import_refuses_a_folder_of_user_files(tiny_esco, tmp_path):
    documents = user_folder(tmp_path / "documents")
    before = snapshot(tmp_path)
    assert_refused(run("import", "esco", tiny_esco, "--store", documents),
                   "holds files profgraph did not write (sub/, thesis.docx)", "--force")
    assert snapshot(tmp_path) == before


def test_import_with_force_moves_the_folder_aside_whole(tiny_esco, tmp_path):
    documents = user_folder(tmp_path / "documents")
    before = snapshot(documents)
    result = run("import", "esco", tiny_esco, "--store", documents, "--force")
    assert result.exit_code == 0, result.output
    backups = [path for path in tmp_path.iterdir() if path.name.startswith("documents.backup-")]
    assert len(backups) == 1 and f"now in {backups[0]}" in result.output
    assert {key.replace(str(backups[0]), str(documents)): value for key, value in snapshot(backups[0]).items()} == before
    assert open_store(documents).manifest["professions"] == 3


def test_import_replaces_its_own_store_and_a_legacy_one(tiny_esco, tmp_path):
    store = tmp_path / "store"
    assert run("import", "esco", tiny_esco, "--store", store).exit_code == 0
    assert (store / OUTPUT_MARKER).is_file()
    assert run("import", "esco", tiny_esco, "--store", store).exit_code == 0
    (store / OUTPUT_MARKER).unlink()  # a store built before stores were marked
    assert run("import", "esco", tiny_esco, "--store", store).exit_code == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == ["esco", "store"]


def test_a_file_added_to_a_store_is_never_deleted(tiny_esco, tmp_path):
    store = tmp_path / "store"
    assert run("import", "esco", tiny_esco, "--store", store).exit_code == 0
    (store / "README.txt").write_text("what this store is for", encoding="utf-8")
    assert_refused(run("import", "esco", tiny_esco, "--store", store), "(README.txt)")
    assert (store / "README.txt").read_text(encoding="utf-8") == "what this store is for"


@pytest.mark.parametrize("where, phrase", [
    (".", "it is the current folder"),
    ("..", "it holds the current folder"),
    ("HOME", "it is your home folder"),
    ("esco", "it is the input"),
    ("/", "not a top-level one"),
])
def test_import_refuses_protected_folders_at_once(tiny_esco, tmp_path, monkeypatch, where, phrase):
    home = tmp_path / "home"
    work = user_folder(home / "projects" / "work")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(work)
    target = {"HOME": home, "esco": tiny_esco}.get(where, where)
    before = snapshot(tmp_path)
    assert_refused(run("import", "esco", tiny_esco, "--store", target), "refusing to write a store", phrase)
    assert snapshot(tmp_path) == before


def test_import_refuses_the_folder_holding_an_input(tmp_path, monkeypatch):
    monkeypatch.chdir(user_folder(tmp_path / "work"))
    download = write_tiny_esco(tmp_path / "downloads" / "esco")
    risk = tmp_path / "risk" / "risk.csv"
    risk.parent.mkdir()
    risk.write_text("occupation_uri,risk\n", encoding="utf-8")
    before = snapshot(tmp_path)
    assert_refused(run("import", "esco", download, "--risk", risk, "--store", risk.parent), "holds the input")
    assert_refused(run("import", "esco", download, "--store", download.parent), "holds the input")
    assert snapshot(tmp_path) == before


def test_import_of_the_real_download_into_the_current_folder(tmp_path, monkeypatch):
    if not ESCO_DOWNLOAD.is_dir():
        pytest.skip(f"the ESCO reference data are not in {ESCO_DOWNLOAD}")
    monkeypatch.chdir(user_folder(tmp_path / "work"))
    before = snapshot(tmp_path)
    assert_refused(run("import", "esco", ESCO_DOWNLOAD, "--store", "."), "it is the current folder")
    assert snapshot(tmp_path) == before


def test_a_symbolic_link_is_not_an_output_folder(tiny_esco, tmp_path):
    real = user_folder(tmp_path / "real")
    (tmp_path / "link").symlink_to(real)
    before = snapshot(tmp_path)
    assert_refused(run("import", "esco", tiny_esco, "--store", tmp_path / "link"), "is a symbolic link")
    assert_refused(run("site", "-o", tmp_path / "link"), "is a symbolic link")
    assert snapshot(tmp_path) == before


def test_outputs_of_another_kind_are_not_replaced(tiny_esco, tmp_path):
    store = tmp_path / "store"
    assert run("import", "esco", tiny_esco, "--store", store).exit_code == 0
    before = snapshot(tmp_path)
    assert_refused(run("site", "-o", store, "--lang", "en", "--store", store), "is the input")  # the store the site is read from
    assert_refused(run("site", "-o", store, "--lang", "en", "--store", tmp_path / "elsewhere"),
                   "a profgraph store, not a site")
    assert_refused(run("export", "--format", "csv", "-o", store), "a profgraph store, not a CSV export")
    assert snapshot(tmp_path) == before


def test_site_refuses_the_current_folder_and_keeps_added_files(curated, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert_refused(run("site", "-o", "."), "it is the current folder")
    assert list(tmp_path.iterdir()) == []


def test_csv_export_with_force_keeps_the_user_files(curated, tmp_path):
    folder = user_folder(tmp_path / "tables")
    before = snapshot(folder)
    assert_refused(run("export", "--format", "csv", "-o", folder), "did not write (sub/, thesis.docx)")
    result = run("export", "--format", "csv", "-o", folder, "--force")
    assert result.exit_code == 0, result.output
    backup = next(path for path in tmp_path.iterdir() if path.name.startswith("tables.backup-"))
    assert {key.replace(str(backup), str(folder)): value for key, value in snapshot(backup).items()} == before
    assert (folder / "professions.csv").is_file()


def test_abandoned_workspaces_are_removed(tiny_esco, tmp_path):
    dead = 2 ** 22 + 1  # above Linux's largest pid: no such process
    for name in (f".store.build-{dead}-abc", f".store.old-{dead}-123"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "model.pickle").write_bytes(b"half")
    (tmp_path / f".store.build-{os.getpid()}-live").mkdir()  # a live writer's workspace stays
    assert run("import", "esco", tiny_esco, "--store", tmp_path / "store").exit_code == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == [f".store.build-{os.getpid()}-live", "esco", "store"]


# ----------------------------------------------------------------------------- files


def fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def unix_socket(path: Path) -> Path:
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(path))
    listener.close()
    return path


def char_device(path: Path) -> Path:
    """A node like /dev/null (major 1, minor 3) inside the test folder; skips where mknod is not allowed."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("creating a device node needs privileges this process lacks")
    return path


def symlink(path: Path) -> Path:
    target = path.with_name("target.txt")
    target.write_text("the link's target", encoding="utf-8")
    path.symlink_to(target)
    return path


WRITERS = {
    "sparql": ["sparql", "ASK { ?s ?p ?o }", "-o"],
    "export": ["export", "--format", "ttl", "-o"],
    "render": ["render", "кассир", "-o"],
}
SPECIALS = {"FIFO": fifo, "socket": unix_socket, "character device": char_device, "symbolic link": symlink}


@pytest.mark.parametrize("command", WRITERS)
@pytest.mark.parametrize("kind", SPECIALS)
def test_special_files_are_refused(curated, tmp_path, command, kind):
    target = SPECIALS[kind](tmp_path / "out")
    before = snapshot(tmp_path)
    assert_refused(run(*WRITERS[command], target), f"{target} is a {kind}")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("command", WRITERS)
def test_dash_is_standard_output(curated, command):
    result = run(*WRITERS[command], "-")
    assert result.exit_code == 0, result.output
    expected = {"sparql": "true", "export": "@prefix", "render": "<!doctype html>"}[command]
    assert expected in result.stdout and not Path("-").exists()


@pytest.mark.parametrize("command", WRITERS)
def test_a_replaced_file_keeps_its_mode_and_owner(curated, tmp_path, command):
    target = tmp_path / "private.out"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o600)
    owner = (4242, 4243) if os.geteuid() == 0 else (os.getuid(), os.getgid())
    if os.geteuid() == 0:
        os.chown(target, *owner)
    assert run(*WRITERS[command], target).exit_code == 0
    status = target.stat()
    assert stat.S_IMODE(status.st_mode) == 0o600 and (status.st_uid, status.st_gid) == owner
    assert target.read_text(encoding="utf-8") != "old"
    assert [path.name for path in tmp_path.iterdir()] == ["private.out"]


def start_streaming_query(tmp_path: Path, target: Path) -> subprocess.Popen:
    """Start ``profgraph sparql`` writing an endless result to ``target``; return once the result is
    being written to its temporary file."""
    process = subprocess.Popen([sys.executable, "-m", "profgraph", "sparql", STREAMING_QUERY, "--format", "csv",
                                "-o", str(target)], env=child_environment(),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not any(path.stat().st_size for path in tmp_path.glob("*.part")):
        assert process.poll() is None, process.stderr.read().decode()
        assert time.monotonic() < deadline, "the query never started writing"
        time.sleep(0.05)
    return process


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_an_interrupted_output_leaves_the_old_file_and_no_part(curated, tmp_path, signum):
    target = tmp_path / "result.csv"
    target.write_text("the previous result", encoding="utf-8")
    process = start_streaming_query(tmp_path, target)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode != 0 and b"Traceback" not in stderr, stderr
    assert target.read_text(encoding="utf-8") == "the previous result"
    assert [path.name for path in tmp_path.iterdir()] == ["result.csv"]


def test_a_killed_writers_part_file_is_removed_by_the_next_write(curated, tmp_path):
    target = tmp_path / "result.csv"
    process = start_streaming_query(tmp_path, target)
    process.kill()
    process.communicate(timeout=60)
    assert len(list(tmp_path.glob("*.part"))) == 1
    assert run("sparql", "ASK { ?s ?p ?o }", "-o", target).exit_code == 0
    assert [path.name for path in tmp_path.iterdir()] == ["result.csv"]
