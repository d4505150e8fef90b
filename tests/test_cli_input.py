"""Careless and hostile input on the command line: numbers out of range, huge names, control
characters. Each gets one short error line and exit status 2, never a traceback."""

from __future__ import annotations

import pytest

from conftest import run


# Every option taking a number, on a command that reads the curated data, with a bad value for it.
NUMBER_OPTIONS = [
    (["path", "кассир", "--to", "emerging"], "--top"),
    (["path", "кассир", "--to", "emerging"], "--max-steps"),
    (["path", "кассир", "--to", "emerging"], "--min-coverage"),
    (["similar", "кассир"], "--top"),
    (["search", "кассир"], "--limit"),
    (["upskill", "кассир"], "--top"),
    (["upskill", "кассир"], "--max-skills"),
    (["upskill", "кассир"], "--min-coverage"),
    (["render", "кассир", "-o", "{tmp}/page.html"], "--depth"),
    (["render", "кассир", "--to", "emerging", "-o", "{tmp}/page.html"], "--top"),
    (["render", "кассир", "-o", "{tmp}/page.html"], "--max-nodes"),
    (["site", "-o", "{tmp}/site"], "--top"),
    (["serve"], "--port"),
    (["serve"], "--max-result-bytes"),
    (["serve"], "--sparql-workers"),
]


@pytest.mark.parametrize("command, option, value", [
    (command, option, value) for command, option in NUMBER_OPTIONS
    for value in ("nan", "inf", "-inf", "-1", "0", "1e400", "")
    if (option, value) != ("--depth", "0")])  # depth 0 is valid: the profession alone
def test_numbers_out_of_range_are_one_error_line(curated, tmp_path, command, option, value):
    args = [part.replace("{tmp}", str(tmp_path)) for part in command] + [option, value]
    result = run(*args)
    assert result.exit_code == 2, (args, result.output)
    assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output
    assert result.output.strip().splitlines()[-1].startswith("Error:")
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("command, option", [case for case in NUMBER_OPTIONS if case[0][0] not in ("serve", "site")])
def test_huge_numbers_are_answered_or_refused(curated, tmp_path, command, option):
    args = [part.replace("{tmp}", str(tmp_path)) for part in command] + [option, "99999999999999999999999"]
    result = run(*args)
    assert result.exit_code in (0, 2) and (result.exception is None or isinstance(result.exception, SystemExit))
    if result.exit_code == 2:
        assert result.output.strip().splitlines()[-1].startswith("Error:")


def test_a_100kb_name_is_echoed_cut_short(curated):
    name = "кассир-" + "щ" * 100_000
    for args in (["path", name, "--to", "emerging"], ["show", name], ["similar", name], ["path", "кассир", "--to", name]):
        result = run(*args)
        assert result.exit_code == 2 and result.output.startswith("Error: no profession matches")
        assert len(result.output) < 1000 and "(100007 characters)" in result.output
    result = run("search", "щ" * 100_000)
    assert result.exit_code == 1 and len(result.output) < 300
    for option in ("--sector", "--status"):
        result = run("render", option, name, "-o", "page.html")
        assert result.exit_code == 2 and "(100007 characters)" in result.output and len(result.output) < 1000


@pytest.mark.parametrize("name", ["\x1b[2J\x1b[31mкассир", "кас\x07сир\x1b]0;title\x07", "a\nb", "\x9b31m"])
def test_control_characters_in_a_name_never_reach_the_terminal(curated, name):
    for args in (["show", name], ["path", name, "--to", "emerging"], ["render", "--sector", name, "-o", "x.html"],
                 ["search", name]):
        result = run(*args)
        assert result.exit_code in (0, 1, 2), result.output
        assert not any(char in result.output for char in "\x1b\x07\x9b"), result.output
        if result.exit_code:
            assert len(result.output.strip().splitlines()) == 1, result.output
