"""Generated parts of README.md and docs/*.md: the CLI reference and the command samples.

The pages hold cog blocks (https://cog.readthedocs.io) that call these functions; each runs the
real command line (:func:`profgraph.cli.main`) on the embedded curated data, in this process, and
writes its output into the page. Regenerate every page after a change with the one command
:data:`REGENERATE`, from the repository root; ``tests/test_docs.py`` fails while a page is stale.

Outputs stay short (``head``, ``keep``, ``cut``) and hold nothing that changes from run to run: no dates,
no timings. Timings and benchmark figures are written by hand beside the command that measured them.
"""

from __future__ import annotations

import ast
import contextlib
import os
import re
import shlex
import tempfile
from pathlib import Path

import click
from click.testing import CliRunner

from profgraph.cli import main

REGENERATE = "PYTHONPATH=src cog -r -I docs README.md docs/*.md"
ROOT = Path(__file__).resolve().parents[1]
HELP_WIDTH = 100  # columns of the --help texts, whatever the terminal
# A developer's own settings must not leak into the samples: they are of the embedded data.
_UNSET = {name: None for name in ("PROFGRAPH_STORE", "PROFGRAPH_ENDPOINT", "PROFGRAPH_GRAPH", "PROFGRAPH_DATA")}


def invoke(args: list[str], *, status: int = 0, folder: Path | None = None) -> str:
    """Return what ``profgraph ARGS`` prints (standard output and error, as a terminal shows them),
    run from ``folder`` (default: the repository root). Raises RuntimeError when the command exits
    with another status than ``status`` or fails with a traceback."""
    runner = CliRunner(env=_UNSET)
    with _working_folder(folder or ROOT):
        result = runner.invoke(main, args, prog_name="profgraph", terminal_width=HELP_WIDTH)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise RuntimeError(f"profgraph {shlex.join(args)} failed") from result.exception
    if result.exit_code != status:
        raise RuntimeError(f"profgraph {shlex.join(args)} exited {result.exit_code}, not {status}:\n{result.output}")
    return result.output


def sample(command: str, *, head: int | None = None, keep: str | None = None, cut: int | None = None,
           status: int = 0, in_temporary_folder: bool = False) -> None:
    """Write a fenced block: ``$ profgraph COMMAND`` and what it prints.

    ``head`` keeps the first lines (shown as ``| head -N``); ``keep`` keeps the lines matching that
    regular expression and puts ``...`` where lines were left out; ``cut`` shortens lines longer than
    that many characters, ending them with ``...``. ``in_temporary_folder`` runs the command in an
    empty temporary folder, for commands that write files (``-o``)."""
    if in_temporary_folder:
        with tempfile.TemporaryDirectory() as folder:
            output = invoke(shlex.split(command), status=status, folder=Path(folder))
    else:
        output = invoke(shlex.split(command), status=status)
    lines = output.rstrip("\n").split("\n")
    if keep is not None:
        lines = _elide([line if re.search(keep, line) else None for line in lines])
    if cut is not None:
        lines = [line if len(line) <= cut else line[:cut - 3].rstrip() + " ..." for line in lines]
    shown = f"$ profgraph {command}"
    if head is not None:
        lines = lines[:head]
        shown += f" | head -{head}"
    _fence([shown, *lines])


def python_session(source: str) -> None:
    """Write a fenced block that runs ``source`` statement by statement, as the Python prompt shows
    it: each statement after ``>>>`` and the repr of each expression's value."""
    import pandas as pd

    lines: list[str] = []
    namespace: dict = {}
    source = source.strip("\n")
    options = ("display.width", HELP_WIDTH, "display.max_columns", 20, "display.max_rows", 60)
    with _working_folder(ROOT), pd.option_context(*options):
        for statement in ast.parse(source).body:
            text = ast.get_source_segment(source, statement, padded=True) or ""
            first, *rest = text.split("\n")
            lines += [f">>> {first}", *(f"... {line}" for line in rest)]
            if isinstance(statement, ast.Expr):
                value = eval(compile(ast.Expression(statement.value), "<docs>", "eval"), namespace)
                if value is not None:
                    lines += repr(value).split("\n")
            else:
                exec(compile(ast.Module([statement], []), "<docs>", "exec"), namespace)
    _fence(lines, language="python")


def cli_reference() -> None:
    """Write a section per command and subcommand: its ``--help``, in the order ``profgraph --help``
    lists them, after the main command's own."""
    for path in _command_paths(main, []):
        title = " ".join(["profgraph", *path])
        _out(f"### {title}\n")
        _fence(invoke([*path, "--help"]).rstrip("\n").split("\n"))
        _out("")


def module_layout() -> None:
    """Write a table of the modules of ``src/profgraph``: each with the first sentence of its docstring."""
    _out("| module | what it holds |")
    _out("|---|---|")
    package = ROOT / "src" / "profgraph"
    for path in sorted(package.rglob("*.py")):
        docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        paragraph = " ".join(docstring.split("\n\n")[0].split())
        sentence = re.split(r"(?<=\.)\s", paragraph, maxsplit=1)[0]
        sentence = re.sub(r":\w+:`~?(?:[\w.]+\.)?(\w+)`", r"`\1`", sentence).replace("``", "`").replace("|", "\\|")
        if sentence:
            _out(f"| `{path.relative_to(package).as_posix()}` | {sentence} |")


def _command_paths(group: click.Group, prefix: list[str]) -> list[list[str]]:
    paths = [prefix]
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        if isinstance(command, click.Group):
            paths += _command_paths(command, [*prefix, name])
        elif command is not None and not command.hidden:
            paths.append([*prefix, name])
    return paths


def _elide(lines: list[str | None]) -> list[str]:
    kept: list[str] = []
    for line in lines:
        if line is not None:
            kept.append(line)
        elif not kept or kept[-1] != "...":
            kept.append("...")
    return kept


def _fence(lines: list[str], language: str = "") -> None:
    _out(f"```{language}")
    for line in lines:
        _out(line.rstrip())
    _out("```")


def _out(line: str) -> None:
    import cog  # the module cog provides while it runs a page's blocks, a new one for each run

    cog.outl(line)


@contextlib.contextmanager
def _working_folder(folder: Path):
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)
