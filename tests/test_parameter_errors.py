"""A bad value is named the way each caller names it: the library says its parameter (``max_steps``),
the command line the option (``--max-steps``), the HTTP API its query parameter. The message is
otherwise the same, from the same library check."""

from __future__ import annotations

import io

import pytest

from profgraph.answers import reskilling_report, similar_report, upskill_report
from profgraph.errors import UsageError
from profgraph.rules import Rules, make_rules
from profgraph.sparql import run_query
from profgraph.transitions import write_transitions
from profgraph.web.app import ServerSettings
from profgraph.web.graphview import build_view

from conftest import run

SELECT = "SELECT ?p WHERE { ?p a pg:Profession } LIMIT 1"

# (the library call, the same value through the command line, the parameter, its option there)
CASES = {
    "risk": (lambda data: make_rules(risk="bogus"),
             ["path", "кассир", "--to", "emerging", "--risk", "bogus"], "risk", "--risk"),
    "max_steps": (lambda data: reskilling_report(data, "кассир", "emerging", max_steps=9),
                  ["path", "кассир", "--to", "emerging", "--max-steps", "9"], "max_steps", "--max-steps"),
    "top": (lambda data: similar_report(data, "кассир", top=0), ["similar", "кассир", "--top", "0"], "top", "--top"),
    "max_skills": (lambda data: upskill_report(data, "кассир", max_skills=0),
                   ["upskill", "кассир", "--max-skills", "0"], "max_skills", "--max-skills"),
    "workload": (lambda data: upskill_report(data, "кассир", max_skills=3, min_coverage=0.01),
                 ["upskill", "кассир", "--max-skills", "3", "--min-coverage", "0.01"],
                 "max_skills", "--max-skills"),
    "depth": (lambda data: build_view(data, "кассир", depth=9),
              ["render", "кассир", "--depth", "9", "-o", "{tmp}/page.html"], "depth", "--depth"),
    "to without a name": (lambda data: build_view(data, to="emerging"),
                          ["render", "--to", "emerging", "-o", "{tmp}/page.html"], "to", "--to"),
    "sparql format": (lambda data: run_query(data, SELECT, io.BytesIO(), "ttl"),
                      ["sparql", SELECT, "--format", "ttl"], "output_format", "--format"),
    "sparql format in a child process": (lambda data: run_query(data, SELECT, io.BytesIO(), "ttl", timeout=60),
                                         ["sparql", SELECT, "--format", "ttl", "--timeout", "60"],
                                         "output_format", "--format"),
    "transitions format": (lambda data: write_transitions(iter(()), "xml", io.BytesIO(), Rules()),
                           ["transitions", "--format", "xml"], "output_format", "--format"),
    "sparql memory": (lambda data: ServerSettings(sparql_memory_mb=1 << 21),
                      ["serve", "--sparql-memory", str(1 << 21)], "sparql_memory_mb", "--sparql-memory"),
}


@pytest.mark.parametrize("case", CASES)
def test_library_and_command_line_name_the_parameter_their_way(curated, tmp_path, case):
    call, args, parameter, option = CASES[case]
    with pytest.raises(UsageError) as refused:
        call(curated)
    error = refused.value
    assert error.parameter == parameter and parameter in error.mentions()
    assert str(error).startswith(f"{parameter} ") and "--" not in str(error)
    result = run(*[part.replace("{tmp}", str(tmp_path)) for part in args])
    assert result.exit_code == 2, result.output
    others = {"min_coverage": "--min-coverage", "name": "NAME"}  # what the command line calls the others mentioned
    expected = error.naming(lambda name: option if name == parameter else others[name])
    assert result.output == f"Error: {expected}\n" and result.output.startswith(f"Error: {option} ")


def test_the_api_names_its_query_parameter(curated):
    pytest.importorskip("starlette", reason="the server extra is not installed")
    from starlette.testclient import TestClient

    from profgraph.web.app import create_app

    client = TestClient(create_app(curated), base_url="http://127.0.0.1")
    with pytest.raises(UsageError) as refused:
        make_rules(risk="bogus")
    for route, query in (("/api/path", {"from": "кассир", "to": "emerging"}), ("/api/similar", {"name": "кассир"})):
        response = client.get(route, params={**query, "risk": "bogus"})
        assert response.status_code == 400
        # the API checks its parameters before the library does, in its own words, naming the same parameter
        assert response.json() == {"error": "the parameter " + str(refused.value).replace("risk", "'risk'", 1),
                                   "parameter": "risk"}
