"""Attacks on the user's files through profgraph's outputs, replayed through the real CLI.

Every case runs ``python -m profgraph ...`` in a subprocess inside its own work folder, with its own
store cache (``PROFGRAPH_CACHE``) and its own home folder (``HOME``), beside planted user files: a
document, a note in a subfolder, a private (0600) file, a FIFO and a symbolic link. A case is
*handled* when the exit status is the expected one, stderr holds no traceback and, for a refusal,
one ``Error:`` line; *data lost* when any planted file is missing, changed, or no longer what it was
(a FIFO replaced by a file, a link by its target), or when ``--force`` did not keep them in the
backup folder.
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

from . import Case, Outcome

REPO = Path(__file__).resolve().parents[2]
ESCO_DOWNLOAD = REPO.parent / "shared" / "data" / "esco-v1.1.1"
if not ESCO_DOWNLOAD.is_dir():  # a git worktree further down finds the shared data in an ancestor folder
    ESCO_DOWNLOAD = next((folder / "shared" / "data" / "esco-v1.1.1" for folder in REPO.parents
                          if (folder / "shared" / "data" / "esco-v1.1.1").is_dir()), ESCO_DOWNLOAD)
sys.path.insert(0, str(REPO / "tests"))
from esco_tiny import write_tiny_esco  # noqa: E402

STREAMING_QUERY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"
TIMEOUT = 300


# ----------------------------------------------------------------------------- the user's files


def plant(folder: Path) -> Path:
    """Put the user's files into ``folder`` (created); return it."""
    (folder / "sub").mkdir(parents=True, exist_ok=True)
    (folder / "thesis.docx").write_bytes(b"PK\x03\x04 four years of work")
    (folder / "sub" / "notes.txt").write_text("do not lose", encoding="utf-8")
    (folder / "private.txt").write_text("secret", encoding="utf-8")
    (folder / "private.txt").chmod(0o600)
    os.mkfifo(folder / "pipe")
    (folder / "link").symlink_to("thesis.docx")
    return folder


def snapshot(folder: Path) -> dict:
    """Every entry under ``folder`` (links not followed), relative -> its kind, content or target, and mode."""
    found = {}
    for path in sorted(folder.rglob("*")):
        status = path.lstat()
        key = str(path.relative_to(folder))
        if stat.S_ISLNK(status.st_mode):
            found[key] = ("link", os.readlink(path))
        elif stat.S_ISREG(status.st_mode):
            found[key] = ("file", path.read_bytes(), stat.S_IMODE(status.st_mode))
        else:
            found[key] = (stat.S_IFMT(status.st_mode), stat.S_IMODE(status.st_mode))
    return found


def lost(before: dict, folder: Path) -> list[str]:
    """Return the entries of ``before`` that ``folder`` no longer holds as they were."""
    now = snapshot(folder) if folder.is_dir() else {}
    return [key for key, value in before.items() if now.get(key) != value]


# ----------------------------------------------------------------------------- running profgraph


def profgraph(workdir: Path, *args, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "profgraph", *map(str, args)], cwd=cwd or workdir,
                          env=environment(workdir), capture_output=True, text=True, timeout=TIMEOUT)


def environment(workdir: Path) -> dict:
    home = workdir / "users" / "home"
    home.mkdir(parents=True, exist_ok=True)
    env = {key: value for key, value in os.environ.items() if not key.startswith("PROFGRAPH_")}
    env.update(PYTHONPATH=str(REPO / "src"), PROFGRAPH_CACHE=str(workdir / "cache"), HOME=str(home))
    return env


def judged(result: subprocess.CompletedProcess, expected: int, missing: list[str], refusal: bool = True,
           phrase: str = "") -> Outcome:
    """The outcome of one run: handled if the exit status is ``expected``, there is no traceback and
    (for a refusal) one ``Error:`` line containing ``phrase``; data lost if ``missing`` is not empty."""
    problems = []
    if result.returncode != expected:
        problems.append(f"exit {result.returncode}, expected {expected}")
    if "Traceback" in result.stderr:
        problems.append("traceback")
    if refusal:  # one error line (an import's progress label may come before it)
        errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
        if len(errors) != 1 or phrase not in errors[0]:
            problems.append("not one clear error line")
    detail = "; ".join(problems + ([f"lost: {', '.join(missing[:3])}"] if missing else []))
    return Outcome(not problems, bool(missing), detail + (f"\n  stderr: {result.stderr.strip()[-600:]}" if detail else ""))


# ----------------------------------------------------------------------------- folder outputs


def esco_download(workdir: Path, empty: tuple[str, ...] = ()) -> Path:
    return write_tiny_esco(workdir / "downloads" / ("esco-" + "-".join(empty) if empty else "esco"), empty)


def import_args(workdir: Path, store) -> list:
    return ["import", "esco", esco_download(workdir), "--store", store]


def into_user_folder(command):
    """A case: ``command(workdir, target)`` writes into a folder of the user's; refused, nothing lost."""
    def run(workdir: Path) -> Outcome:
        target = plant(workdir / "documents")
        before = snapshot(target)
        return judged(profgraph(workdir, *command(workdir, target)), 2, lost(before, target),
                      phrase="profgraph did not write")
    return run


def into_user_folder_forced(command):
    """A case: the same with --force; succeeds, and the user's files are all in the backup folder."""
    def run(workdir: Path) -> Outcome:
        target = plant(workdir / "documents")
        before = snapshot(target)
        result = profgraph(workdir, *command(workdir, target), "--force")
        backups = [path for path in workdir.iterdir() if path.name.startswith("documents.backup-")]
        missing = lost(before, backups[0]) if len(backups) == 1 else ["the backup folder"]
        return judged(result, 0, missing, refusal=False)
    return run


def protected(command, where: str, phrase: str):
    """A case: ``command(workdir, target)`` aimed at a protected folder; refused, nothing lost anywhere."""
    def run(workdir: Path) -> Outcome:
        home = plant(workdir / "users" / "home")
        cwd = plant(workdir / "work")
        download = esco_download(workdir)
        target = {"cwd": ".", "cwd-parent": "..", "home": home, "home-parent": home.parent, "root": "/",
                  "input": download, "input-parent": download.parent}[where]
        before = snapshot(workdir)
        result = profgraph(workdir, *command(workdir, target), cwd=cwd)
        return judged(result, 2, lost(before, workdir), phrase=phrase)
    return run


def through_symlink(command):
    """A case: the output folder is a symbolic link to the user's folder; refused."""
    def run(workdir: Path) -> Outcome:
        target = plant(workdir / "documents")
        (workdir / "shortcut").symlink_to(target)
        before = snapshot(workdir)
        return judged(profgraph(workdir, *command(workdir, workdir / "shortcut")), 2, lost(before, workdir),
                      phrase="symbolic link")
    return run


def first_build_failed(workdir: Path, args: list) -> Outcome | None:
    """Run the build a case starts from; return the case's failure if it fails, else None."""
    first = profgraph(workdir, *args)
    return None if first.returncode == 0 else Outcome(False, False, f"the first build failed: {first.stderr[-300:]}")


def added_to_own_output(command, inside: str):
    """A case: the user added files to an earlier output (``inside`` it); the rebuild refuses."""
    def run(workdir: Path) -> Outcome:
        target = workdir / "output"
        if failed := first_build_failed(workdir, command(workdir, target)):
            return failed
        (target / inside).parent.mkdir(parents=True, exist_ok=True)
        (target / inside).write_text("the user's own page", encoding="utf-8")
        before = {key: value for key, value in snapshot(target).items() if key.startswith(inside.split("/")[0])}
        return judged(profgraph(workdir, *command(workdir, target)), 2, lost(before, target),
                      phrase="profgraph did not write")
    return run


def rebuild_own_output(command):
    """A case: a second build over profgraph's own output succeeds and leaves no workspace behind."""
    def run(workdir: Path) -> Outcome:
        target = workdir / "output"
        results = [profgraph(workdir, *command(workdir, target)) for _ in range(2)]
        leftovers = [path.name for path in workdir.iterdir() if path.name.startswith(".output.")]
        outcome = judged(results[1], 0, [], refusal=False)
        if results[0].returncode or leftovers:
            return Outcome(False, False, f"first exit {results[0].returncode}, left {leftovers}")
        return outcome
    return run


def store_other_kind(command, phrase: str):
    """A case: the output folder is an ESCO store; refused (it is not an output of that kind, or the input)."""
    def run(workdir: Path) -> Outcome:
        store = workdir / "store"
        if failed := first_build_failed(workdir, import_args(workdir, store)):
            return failed
        before = snapshot(store)
        return judged(profgraph(workdir, *command(workdir, store)), 2, lost(before, store), phrase=phrase)
    return run


def empty_tables(empty: tuple[str, ...], phrase: str, break_links: bool = False):
    """A case: a good store, then an import of tables without records; refused, the store kept."""
    def run(workdir: Path) -> Outcome:
        store = workdir / "store"
        if failed := first_build_failed(workdir, import_args(workdir, store)):
            return failed
        before = snapshot(store)
        download = esco_download(workdir, empty)
        if break_links:
            relations = download / "occupationSkillRelations_en.csv"
            relations.write_text(relations.read_text(encoding="utf-8").replace("/skill/", "/skill/x"), encoding="utf-8")
        result = profgraph(workdir, "import", "esco", download, "--store", store)
        return judged(result, 2, lost(before, store), phrase=phrase)
    return run


def real_download_into_cwd(workdir: Path) -> Outcome:
    """The review's case: the real ESCO download imported with --store . (it took 15 s, then a traceback)."""
    cwd = plant(workdir / "work")
    before = snapshot(cwd)
    started = time.perf_counter()
    result = profgraph(workdir, "import", "esco", ESCO_DOWNLOAD, "--store", ".", cwd=cwd)
    outcome = judged(result, 2, lost(before, cwd), phrase="current folder")
    seconds = time.perf_counter() - started
    return outcome if seconds < 10 else Outcome(False, outcome.data_lost, f"refused only after {seconds:.0f} s")


SITE = lambda workdir, target: ["site", "-o", target, "--lang", "en"]  # noqa: E731
CSV = lambda workdir, target: ["export", "--format", "csv", "-o", target]  # noqa: E731
STORE = import_args
FOLDER_COMMANDS = {"import esco --store": STORE, "site -o": SITE, "export csv -o": CSV}


# ----------------------------------------------------------------------------- file outputs


def special_target(kind: str, workdir: Path) -> Path | None:
    """Make a special file of ``kind`` in the work folder (never /dev/null itself); None where not allowed."""
    target = workdir / "documents" / f"special-{kind}"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "socket":
        listener = socket.socket(socket.AF_UNIX)
        listener.bind(str(target))
        listener.close()
    elif kind == "device":
        try:
            os.mknod(target, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null twin inside the work folder
        except PermissionError:
            return None
    elif kind == "symlink":
        target.symlink_to("thesis.docx")
    elif kind == "dangling-symlink":
        target.symlink_to("no-such-file")
    return target


FILE_COMMANDS = {
    "sparql -o": ["sparql", "ASK { ?s ?p ?o }", "-o"],
    "export ttl -o": ["export", "--format", "ttl", "-o"],
    "export graphml -o": ["export", "--format", "graphml", "-o"],
    "render -o": ["render", "кассир", "-o"],
}


def onto_special(command: list, kind: str):
    """A case: ``-o`` names a special file; refused in one line, the special file untouched."""
    def run(workdir: Path) -> Outcome:
        folder = plant(workdir / "documents")
        target = special_target(kind, workdir)
        if target is None:
            return Outcome(True, False, "")  # no device node can be made here: nothing to attack
        before = snapshot(folder)
        return judged(profgraph(workdir, *command, target), 2, lost(before, folder), phrase=str(target))
    return run


def keeps_mode_and_owner(command: list):
    """A case: ``-o`` replaces a 0600 file (owned by another user when run as root); mode and owner stay."""
    def run(workdir: Path) -> Outcome:
        target = workdir / "private.out"
        target.write_text("old", encoding="utf-8")
        target.chmod(0o600)
        owner = (4242, 4243) if os.geteuid() == 0 else (os.getuid(), os.getgid())
        if os.geteuid() == 0:
            os.chown(target, *owner)
        result = profgraph(workdir, *command, target)
        status = target.stat()
        changed = [] if (stat.S_IMODE(status.st_mode), status.st_uid, status.st_gid) == (0o600, *owner) else \
            [f"mode {oct(stat.S_IMODE(status.st_mode))} owner {status.st_uid}:{status.st_gid}"]
        return judged(result, 0, changed, refusal=False)
    return run


def to_standard_output(command: list, expected: str):
    def run(workdir: Path) -> Outcome:
        result = profgraph(workdir, *command, "-")
        if expected not in result.stdout or (workdir / "-").exists():
            return Outcome(False, False, "'-o -' did not write to standard output")
        return judged(result, 0, [], refusal=False)
    return run


def bad_path(command: list, path: str, phrase: str):
    def run(workdir: Path) -> Outcome:
        folder = plant(workdir / "documents")
        before = snapshot(folder)
        return judged(profgraph(workdir, *command, path), 2, lost(before, folder), phrase=phrase)
    return run


def failing_query_keeps_the_file(workdir: Path) -> Outcome:
    folder = plant(workdir / "documents")
    before = snapshot(folder)
    result = profgraph(workdir, "sparql", "SELECT ?p WHERE { ?p a pg:Profession", "-o", folder / "thesis.docx")
    leftovers = [path.name for path in folder.iterdir() if path.name.endswith(".part")]
    return judged(result, 2, lost(before, folder) + leftovers, phrase="syntax error")


def interrupted(signum: int | None):
    """A case: a streaming ``sparql -o`` is interrupted by ``signum`` (None: SIGKILL, then a second run
    must clear the abandoned temporary file); the old file stays, no ``.part`` file stays."""
    def run(workdir: Path) -> Outcome:
        folder = plant(workdir / "documents")
        target = folder / "result.csv"
        target.write_text("the previous result", encoding="utf-8")
        before = snapshot(folder)
        process = subprocess.Popen([sys.executable, "-m", "profgraph", "sparql", STREAMING_QUERY, "--format", "csv",
                                    "-o", str(target)], cwd=workdir, env=environment(workdir),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while not any(path.stat().st_size for path in folder.glob("*.part")):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                return Outcome(False, False, f"the query never started writing: {process.communicate()[1][-300:]}")
            time.sleep(0.05)
        process.send_signal(signum or signal.SIGKILL)
        try:
            _, stderr = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            return Outcome(False, False, "did not stop within 60 s of the signal")
        problems = ["traceback"] if "Traceback" in stderr else []
        if signum is None:  # the user runs the query again, to the same file
            second = profgraph(workdir, "sparql", "ASK { ?s ?p ?o }", "-o", target)
            problems += [] if second.returncode == 0 else [f"second run exit {second.returncode}"]
            before.pop("result.csv")
        leftovers = [path.name for path in folder.iterdir() if path.name.endswith(".part")]
        missing = lost(before, folder) + leftovers
        return Outcome(not problems, bool(missing), "; ".join(problems + missing))
    return run


# ----------------------------------------------------------------------------- the cases

CASES: list[Case] = []


def case(name: str, run) -> None:
    CASES.append(Case("files", name, run))


for label, command in FOLDER_COMMANDS.items():
    case(f"{label} a folder of user files", into_user_folder(command))
    case(f"{label} a folder of user files --force", into_user_folder_forced(command))
    for where, phrase in (("cwd", "it is the current folder"), ("cwd-parent", "it holds the current folder"),
                          ("home", "it is your home folder"), ("home-parent", "it holds your home folder"),
                          ("root", "not a top-level one")):
        case(f"{label} {where}", protected(command, where, phrase))
    case(f"{label} a symbolic link to a folder", through_symlink(command))
    case(f"{label} its own earlier output", rebuild_own_output(command))
case("import esco --store the input folder", protected(STORE, "input", "it is the input"))
case("import esco --store the input's parent", protected(STORE, "input-parent", "it holds the input"))
case("site -o the store it reads", store_other_kind(lambda workdir, store: [*SITE(workdir, store), "--store", store],
                                                     "it is the input"))
case("site -o another store", store_other_kind(SITE, "a profgraph store, not a site"))
case("export csv -o a store", store_other_kind(CSV, "a profgraph store, not a CSV export"))
case("import esco --store: a file added to the store", added_to_own_output(STORE, "README.txt"))
case("site -o: a page added to an earlier site", added_to_own_output(SITE, "en/my-notes.html"))
case("site -o: a file added beside an earlier site's pages", added_to_own_output(SITE, "logo.png"))
case("export csv -o: a table added to an earlier export", added_to_own_output(CSV, "mine.csv"))
case("export csv -o -", bad_path(["export", "--format", "csv", "-o"], "-", "give a folder"))
for table in ("occupations", "skills", "occupationSkillRelations"):
    case(f"import esco: header-only {table}", empty_tables((table,), "no records, only a header"))
case("import esco: links matching no skill", empty_tables((), "none of the 10 occupation-skill links", break_links=True))
if ESCO_DOWNLOAD.is_dir():
    case("import esco (real download) --store .", real_download_into_cwd)

for label, command in FILE_COMMANDS.items():
    for kind in ("fifo", "socket", "device", "symlink", "dangling-symlink"):
        case(f"{label} a {kind}", onto_special(command, kind))
    case(f"{label} a 0600 file of another owner", keeps_mode_and_owner(command))
for label, command, expected in (("sparql", FILE_COMMANDS["sparql -o"], "true"),
                                 ("export ttl", FILE_COMMANDS["export ttl -o"], "@prefix"),
                                 ("render", FILE_COMMANDS["render -o"], "<!doctype html>")):
    case(f"{label} -o - (standard output)", to_standard_output(command, expected))
case("sparql -o in a missing folder", bad_path(FILE_COMMANDS["sparql -o"], "nowhere/out.csv", "does not exist"))
case("export ttl -o ''", bad_path(FILE_COMMANDS["export ttl -o"], "", "give a file name"))
case("sparql -o a user's file, query fails", failing_query_keeps_the_file)
case("sparql -o interrupted by Ctrl+C (SIGINT)", interrupted(signal.SIGINT))
case("sparql -o interrupted by SIGTERM", interrupted(signal.SIGTERM))
case("sparql -o interrupted by SIGHUP", interrupted(signal.SIGHUP))
case("sparql -o killed (SIGKILL), then run again", interrupted(None))
