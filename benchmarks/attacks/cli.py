"""Attacks on the command line and the CSV parsers: numbers out of range (nan, inf, negative) on every
option taking one, a 100 KB name, control characters meant for the terminal, broken curated tables
and risk tables, and (on full ESCO, when ../shared/data holds it) settings whose work explodes.
Each must end with the expected status and one short error line naming file, line and column where
there is one, with no traceback, no raw control character and bounded time and memory.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
from functools import partial
from pathlib import Path

from . import Case, Outcome
from .clirun import REPO, SHARED_DATA, judge, run_profgraph

MB = 2 ** 20

# ----------------------------------------------------------------------------- numbers

NUMBERS = [
    (["path", "кассир", "--to", "emerging"], "--top", ("nan", "-1", "0", "1e9")),
    (["path", "кассир", "--to", "emerging"], "--max-steps", ("nan", "-1", "0", "7", "99999999999999999999")),
    (["path", "кассир", "--to", "emerging"], "--min-coverage", ("nan", "inf", "-inf", "-0.5", "0", "1.5", "1e400")),
    (["similar", "кассир"], "--top", ("nan", "-3", "0")),
    (["search", "кассир"], "--limit", ("nan", "-1", "0", "101")),
    (["upskill", "кассир"], "--max-skills", ("nan", "-1", "0", "4")),
    (["upskill", "кассир"], "--min-coverage", ("nan", "inf", "-1")),
    (["upskill", "кассир"], "--top", ("-1", "inf")),
    (["render", "кассир", "-o", "page.html"], "--depth", ("nan", "-1", "6")),
    (["render", "кассир", "-o", "page.html"], "--max-nodes", ("nan", "-1", "0")),
    (["render", "кассир", "--to", "emerging", "-o", "page.html"], "--top", ("-1",)),
    (["site", "-o", "site"], "--top", ("nan", "-1")),
    (["serve"], "--port", ("nan", "-1", "0", "70000")),
    (["serve"], "--max-result-bytes", ("nan", "-1", "0")),
    (["serve"], "--sparql-workers", ("nan", "-1", "0")),
]


def _number(args: list[str], workdir: Path) -> Outcome:
    run = run_profgraph(args, workdir)
    outcome = judge(run, (2,), 30)
    left = [path.name for path in workdir.iterdir() if path.name != "cache"]
    if left:
        return Outcome(False, False, f"{outcome.detail}; it wrote {left}")
    return outcome


CASES = [Case("cli", f"{command[0]} {option} {value}", partial(_number, [*command, option, value]))
         for command, option, values in NUMBERS for value in values]

# ----------------------------------------------------------------------------- names


def _name(args: list[str], codes, workdir: Path) -> Outcome:
    prefix = "Nothing matches" if args[0] == "search" else "Error:"  # search's own answer when nothing matches
    return judge(run_profgraph(args, workdir), codes, 30, prefix=prefix)


HUGE = "кассир-" + "x" * 100_000  # 100 KB: one argument may not pass 128 KiB (MAX_ARG_STRLEN)
CASES += [Case("cli", f"a 100 KB name: {args[0]}", partial(_name, args, (1, 2)))
          for args in (["path", HUGE, "--to", "emerging"], ["show", HUGE], ["similar", HUGE], ["upskill", HUGE],
                       ["path", "кассир", "--to", HUGE], ["search", HUGE], ["render", "--sector", HUGE, "-o", "x.html"])]
CASES += [Case("cli", f"a name with {label}: {args[0]}", partial(_name, args, (1, 2)))
          for label, name in (("a screen-clearing escape", "\x1b[2J\x1b[31mкассир"),
                              ("a title-setting escape", "кас\x1b]0;owned\x07сир"),
                              ("a C1 control", "\x9b31mкассир"))
          for args in (["show", name], ["path", name, "--to", "emerging"], ["render", "--status", name, "-o", "x.html"])]

# ----------------------------------------------------------------------------- curated tables


def _broken_table(table: str, edit, line: int | None, column: str | None, workdir: Path, codes=(1,)) -> Outcome:
    data = workdir / "data"
    shutil.copytree(REPO / "data", data)
    path = data / f"{table}.csv"
    path.write_bytes(edit(path.read_bytes()))
    before = {item.name: item.read_bytes() for item in data.iterdir()}
    run = run_profgraph(["search", "кассир"], workdir, env={"PROFGRAPH_DATA": str(data)})
    where = None if line is None else f"{path}:{line}" + (f", column '{column}'" if column else "")
    outcome = judge(run, codes, 60, message=where)
    lost = {item.name: item.read_bytes() for item in data.iterdir()} != before
    return Outcome(outcome.handled, lost, outcome.detail)


def _on_line(number: int, change):
    """An edit applying ``change`` (bytes -> bytes) to line ``number`` (1-based) of a file."""
    def edit(content: bytes) -> bytes:
        lines = content.split(b"\n")
        lines[number - 1] = change(lines[number - 1])
        return b"\n".join(lines)
    return edit


def _cell(column_index: int, value: bytes):
    """A line change replacing the cell at ``column_index`` of a CSV line with the raw bytes ``value``."""
    import csv
    import io

    def change(line: bytes) -> bytes:
        cells = next(csv.reader([line.decode("utf-8")]))
        cells[column_index] = "@@cell@@"
        text = io.StringIO()
        csv.writer(text, lineterminator="").writerow(cells)
        return text.getvalue().encode("utf-8").replace(b"@@cell@@", value)
    return change


# professions.csv: id,label_kk,label_ru,label_en,alt_kk,alt_ru,alt_en,isco08,sector,status,automation_exposure,...
TABLE_FAULTS = [
    ("a byte-order mark", "professions", lambda content: b"\xef\xbb\xbf" + content, None, None, (0,)),
    ("an unterminated quote on line 31", "professions", _on_line(31, _cell(2, b'"open')), 31, "label_ru", (1,)),
    ("text after a closing quote", "professions", _on_line(12, _cell(3, b'"x"y')), 12, "label_en", (1,)),
    ("cp1251 bytes on line 40", "professions", _on_line(40, _cell(2, "кассир".encode("cp1251"))), 40, "label_ru", (1,)),
    ("a screen-clearing escape in a label", "professions", _on_line(5, _cell(3, b"x\x1b[2Jy")), 5, "label_en", (1,)),
    ("a tab in a label", "skills", _on_line(7, _cell(4, b"x\ty")), 7, "label_en", (1,)),
    ("a NUL in a label", "sectors", _on_line(3, _cell(4, b"x\x00y")), 3, "label_ru", (1,)),
    ("automation risk nan", "profession_measures", _on_line(9, _cell(1, b"nan")), 9, "automation_risk", (1,)),
    ("automation risk inf", "profession_measures", _on_line(9, _cell(1, b"inf")), 9, "automation_risk", (1,)),
    ("an observation of nan", "observations", _on_line(2, _cell(4, b"nan")), 2, "value", (1,)),
    ("an observation of 1e999", "observations", _on_line(2, _cell(4, b"1e999")), 2, "value", (1,)),
    ("an observation of -inf", "observations", _on_line(3, _cell(4, b"-inf")), 3, "value", (1,)),
    ("a 200 KB cell", "skills", _on_line(6, _cell(4, b"x" * 200_000)), 6, "label_en", (1,)),
    ("more cells than columns", "requirements", _on_line(4, lambda line: line + b",extra"), 4, "cell 4", (1,)),
    ("an empty file", "sectors", lambda content: b"", 1, None, (1,)),
]
CASES += [Case("cli", f"curated table: {label}", partial(_broken_table, table, edit, line, column, codes=codes))
          for label, table, edit, line, column, codes in TABLE_FAULTS]

# ----------------------------------------------------------------------------- risk tables


def _broken_risk(rows: list[bytes], line: int, column: str, workdir: Path) -> Outcome:
    risk = workdir / "risk.csv"
    risk.write_bytes(b"concept_uri,isco_code,risk,label\nhttp://x/a,4110,3.1,fine\n" + b"\n".join(rows) + b"\n")
    run = run_profgraph(["import", "esco", str(workdir), "--risk", str(risk), "--store", str(workdir / "store")],
                        workdir, seed=False)
    outcome = judge(run, (1,), 30, message=f"{risk}:{line}, column '{column}'")
    return Outcome(outcome.handled, False, outcome.detail) if not (workdir / "store").exists() else \
        Outcome(False, False, outcome.detail + "; a store was written")


RISK_FAULTS = [
    ("a field over 128 KiB", [b"http://x/b,4120,2.5," + b"y" * 200_000], 3, "label"),
    ("a quoted field over 128 KiB that never closes", [b'http://x/b,4120,2.5,"' + b"y" * 200_000], 3, "label"),
    ("risk nan", [b"http://x/b,4120,nan,"], 3, "risk"),
    ("risk inf", [b"http://x/b,4120,inf,"], 3, "risk"),
    ("not UTF-8", [b"http://x/b,4120,2.5,\xff\xfe"], 3, "label"),
    ("a bell in a label", [b"http://x/b,4120,2.5,ding\x07"], 3, "label"),
]
CASES += [Case("cli", f"risk table: {label}", partial(_broken_risk, rows, line, column))
          for label, rows, line, column in RISK_FAULTS]

# ----------------------------------------------------------------------------- unbounded work on full ESCO

_ESCO: list[Path] = []
_ESCO_LOCK = threading.Lock()
ESCO_DOWNLOAD = SHARED_DATA / "esco-v1.1.1"
NESTA_RISK = SHARED_DATA / "nesta-mcc" / "mcc_risk_All_occupations.csv"


def _esco_store() -> Path:
    with _ESCO_LOCK:
        if not _ESCO:
            folder = Path(tempfile.mkdtemp(prefix="attack-esco-"))
            atexit.register(shutil.rmtree, folder, True)
            run = run_profgraph(["import", "esco", str(ESCO_DOWNLOAD), "--risk", str(NESTA_RISK), "--store",
                                 str(folder / "store")], folder, timeout=600)
            if run.code != 0:
                raise RuntimeError(f"the ESCO import failed: {run.stderr[-500:]}")
            _ESCO.append(folder / "store")
        return _ESCO[0]


_MEASURED: dict[str, str] = {}  # figures noted by the ESCO cases, printed by FIGURES


def _esco_work(args: list[str], codes, max_seconds: float, max_rss: int, message: str | None, workdir: Path) -> Outcome:
    run = run_profgraph([*args, "--store", str(_esco_store())], workdir, timeout=max_seconds + 60)
    _MEASURED[" ".join(args[2:] if args[0] == "path" else args[1:])] = \
        f"{run.seconds:.1f} s, {run.peak_rss / MB:.0f} MB, exit {run.code}"
    return judge(run, codes, max_seconds, max_rss, message)


LEGAL = "legal administrative assistant"
if ESCO_DOWNLOAD.is_dir() and NESTA_RISK.is_file():
    CASES += [
        Case("cli", "ESCO: upskill --max-skills 3 --min-coverage 0.01 (ran over 10 min at 1.6 GB)",
             partial(_esco_work, ["upskill", LEGAL, "--max-skills", "3", "--min-coverage", "0.01"], (2,), 30,
                     500 * MB, "use --min-coverage 0.20 or more, or --max-skills 1")),
        Case("cli", "ESCO: upskill --max-skills 2 --min-coverage 0.1",
             partial(_esco_work, ["upskill", LEGAL, "--max-skills", "2", "--min-coverage", "0.1"], (2,), 30,
                     500 * MB, "use --min-coverage 0.15 or more, or --max-skills 1")),
        Case("cli", "ESCO: path --min-coverage 0.01 --max-steps 6 (6.5 s, 960 MB)",
             partial(_esco_work, ["path", LEGAL, "--to", "safer", "--min-coverage", "0.01", "--max-steps", "6"], (2,),
                     30, 500 * MB, "use --min-coverage 0.03 or more")),
        Case("cli", "ESCO: path at the bound it names (--min-coverage 0.03 --max-steps 6)",
             partial(_esco_work, ["path", LEGAL, "--to", "safer", "--min-coverage", "0.03", "--max-steps", "6"], (0,),
                     60, 800 * MB, None)),
        Case("cli", "ESCO: upskill --max-skills 3 --min-coverage 0.2 for a bus driver, with a progress line",
             partial(_esco_work, ["upskill", "bus driver", "--max-skills", "3", "--min-coverage", "0.2"], (0,), 60,
                     800 * MB, None)),
    ]


def _figure(key: str, name: str, target: str):
    return lambda: (name, _MEASURED.get(key, "not run"), target)


FIGURES = [
    _figure(f"{LEGAL} --max-skills 3 --min-coverage 0.01", "ESCO upskill -k 3 -c 0.01 (was > 10 min, 1.6 GB)",
            "refused"),
    _figure("--to safer --min-coverage 0.01 --max-steps 6", "ESCO path -c 0.01 -s 6 (was 6.5 s, 960 MB)", "refused"),
    _figure("--to safer --min-coverage 0.03 --max-steps 6", "ESCO path -c 0.03 -s 6 (the bound it names)", "answers"),
]
