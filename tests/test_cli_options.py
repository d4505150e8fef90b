"""The command line's options restate nothing the library holds: every default is the default of the
library parameter the option feeds, read from the module that owns it; every command that reads the
dataset takes --store and --endpoint as ordinary options; push sends the local dataset only."""

from __future__ import annotations

import inspect

import click
import pytest

from profgraph import answers, export, push, rules, sparql
from profgraph.cli import LibraryDefault, main
from profgraph.sources import esco
from profgraph.web import app, graphview, plan, site

from conftest import free_port, run


# The library functions each command hands its options to.
LIBRARY = {
    "path": [answers.reskilling_report, rules.make_rules],
    "plan": [plan.plan_context, rules.make_rules],
    "profile": [],
    "show": [answers.profession_card, rules.make_rules],
    "search": [answers.search_report],
    "validate": [],
    "stats": [],
    "import esco": [esco.import_esco],
    "similar": [answers.similar_report, rules.make_rules],
    "upskill": [answers.upskill_report, rules.make_rules],
    "transitions": [rules.make_rules],
    "render": [graphview.build_view],
    "site": [site.build_site],
    "serve": [app.ServerSettings, app.serve],
    "push": [push.push],
    "sparql": [sparql.run_query],
    "prefixes": [],
    "export": [export.export],
}
# Defaults that are the command line's own, not the library's.
OWN = {
    "lang": "labels print in Russian unless --lang names another language; the library's answers default to English",
    "output_format": "text or JSON on the terminal: the text is the command line's own rendering",
    "output": "'-' is standard output",
}


def commands(group=main, prefix=""):
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from commands(command, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}", command


def default_of(option: click.Option, command: click.Command):
    """The option's default as a command run without it gets it; None when it has none."""
    raw = option.get_default(click.Context(command), call=False)
    if isinstance(raw, LibraryDefault):
        return raw()
    return raw if isinstance(raw, (bool, int, float, str)) else None


def test_every_command_names_the_library_it_calls():
    assert {name for name, _ in commands()} == set(LIBRARY)


@pytest.mark.parametrize("name, command", list(commands()))
def test_option_defaults_are_the_librarys(name, command):
    for option in command.params:
        value = default_of(option, command) if isinstance(option, click.Option) and not option.multiple else None
        if value is None or option.name in OWN:
            continue
        if not isinstance(value, bool):  # a number or a word is read from the library, never restated
            assert isinstance(option.default, LibraryDefault), f"{name} {option.opts[0]} restates {value!r}"
        for function in LIBRARY[name]:
            parameter = inspect.signature(function).parameters.get(option.name)
            if parameter is not None and parameter.default is not inspect.Parameter.empty:
                assert value == parameter.default, (name, option.opts[0], function.__qualname__)


@pytest.mark.parametrize("name, command", list(commands()))
def test_help_shows_the_library_defaults(name, command):
    result = run(*name.split(), "--help")
    assert result.exit_code == 0
    assert "LibraryDefault" not in result.output and "(dynamic)" not in result.output
    for option in command.params:
        if isinstance(option, click.Option) and isinstance(option.default, LibraryDefault):
            assert f"default: {default_of(option, command)}" in " ".join(result.output.split())


# What each command that reads the dataset needs besides it.
READERS = {
    "path": ["кассир", "--to", "emerging"],
    "plan": ["кассир", "-o", "{tmp}/plan.html"],
    "profile": ["кассир"],
    "show": ["кассир"],
    "search": ["кассир"],
    "validate": [],
    "stats": [],
    "similar": ["кассир"],
    "upskill": ["кассир"],
    "transitions": [],
    "render": ["кассир", "-o", "{tmp}/page.html"],
    "site": ["-o", "{tmp}/site"],
    "serve": ["--port", "{port}"],
    "sparql": ["ASK {{}}"],
    "export": ["--format", "ttl", "-o", "{tmp}/out.ttl"],
}


def test_every_command_that_reads_the_dataset_takes_store_and_endpoint():
    readers = {name for name, command in commands() if {"store", "endpoint"} <= {p.name for p in command.params}}
    assert readers == set(READERS)


@pytest.mark.parametrize("name", READERS)
def test_endpoint_is_read_by_every_reader(tmp_path, name):
    unreachable = f"http://127.0.0.1:{free_port()}/query"
    args = [part.format(tmp=tmp_path, port=free_port()) for part in READERS[name]]
    result = run(name, *args, "--endpoint", unreachable)
    assert result.exit_code == 1, result.output
    assert result.output.strip().splitlines()[-1].startswith(f"Error: cannot reach {unreachable}: ")


def test_push_reads_the_local_dataset_not_profgraph_endpoint(monkeypatch):
    source, target = f"http://127.0.0.1:{free_port()}/query", f"http://127.0.0.1:{free_port()}/store"
    monkeypatch.setenv("PROFGRAPH_ENDPOINT", source)
    result = run("push", "--endpoint", target)
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: cannot reach {target}: ")  # the target, never the source
    assert "--endpoint" not in {opt for param in main.commands["push"].params if param.name != "store_url"
                                for opt in param.opts}
