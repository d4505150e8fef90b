"""What the SPARQL entry points refuse before the engine sees a query: nesting deep enough to crash
Oxigraph's parser (5,000 braces gave SIGSEGV), and SERVICE calls that would make this machine
send requests wherever a query says; in ``profgraph sparql``, ``profgraph.query()`` and the
scanner itself, which must not be fooled by comments, strings or IRIs."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from profgraph.sparql import (MAX_QUERY_CHAIN, MAX_QUERY_DEPTH, QueryTooComplex, ServiceRefused, check_query)
from loopback import CountingListener, fake_sparql_endpoint

from conftest import run, run_python

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "queries"
DEEP_QUERIES = {
    "braces": "SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000,
    "parentheses": "ASK { ?s ?p ?o FILTER(" + "(" * 10000 + "true" + ")" * 10000 + ") }",
    "unions": "SELECT * WHERE { " + "{ ?s ?p ?o } UNION " * 10000 + "{ ?s ?p ?o } }",
    "binds": "SELECT * WHERE { ?s ?p ?o " + "".join(f"BIND(1 AS ?v{i}) " for i in range(5000)) + "}",
}


def profgraph(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return run_python("-m", "profgraph", *args, timeout=timeout)


# ------------------------------------------------------------------ the scanner

@pytest.mark.parametrize("opener, closer", [("{", "}"), ("(", ")"), ("[", "]"), ("<<", ">>")])
def test_depth_over_the_limit_is_refused(opener, closer):
    check_query("SELECT * WHERE { " + opener * (MAX_QUERY_DEPTH - 1) + closer * (MAX_QUERY_DEPTH - 1) + " }")
    with pytest.raises(QueryTooComplex, match="at most"):
        check_query("SELECT * WHERE { " + opener * MAX_QUERY_DEPTH + closer * MAX_QUERY_DEPTH + " }")


OPAQUE = ['"{{{{"', "'((((('", '"""\n{{{{ " \n"""', "'''[[[[ ' '' '''", "# {{{{{{{{\n", '"\\" {{{{"']


@pytest.mark.parametrize("opaque", OPAQUE)
def test_brackets_in_strings_and_comments_do_not_count(opaque):
    check_query("SELECT * WHERE { ?s ?p ?o . " + " ".join(opaque if opaque.startswith("#") else f"?s ?p {opaque} ."
                                                            for _ in range(200)) + " }")


@pytest.mark.parametrize("opaque", [*OPAQUE, "<http://example.org/a#>", "<http://example.org/(a)>", "ex:a\\'b", "ex:a\\#b", "?x", "@en"])
def test_nothing_before_real_brackets_hides_them(opaque):
    with pytest.raises(QueryTooComplex):
        check_query("PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ?p " + opaque + " "
                    + "{" * (MAX_QUERY_DEPTH + 1) + "}" * (MAX_QUERY_DEPTH + 1) + " }")


def test_less_than_before_a_quote_cannot_desynchronise_the_scanner():
    # ?a<'>' reads as an IRI <'> to a naive lexer, after which every string is read inside out.
    with pytest.raises(QueryTooComplex):
        check_query("SELECT * WHERE { ?s ?p ?a FILTER(?a<'>') " + "{" * 300 + " '" + "}" * 300 + "' }")


def test_long_chains_are_refused():
    check_query("ASK { FILTER(1" + " + 1" * (MAX_QUERY_CHAIN - 3) + " > 0) }")  # with {, FILTER and >: the limit
    with pytest.raises(QueryTooComplex, match="chains"):
        check_query("ASK { FILTER(1" + " -1" * (MAX_QUERY_CHAIN + 1) + " > 0) }")
    check_query("SELECT * WHERE { VALUES (?a ?b) { " + "(1 2) " * 5000 + "} }")  # many rows are long, not deep


@pytest.mark.parametrize("query", sorted(EXAMPLES.glob("*.rq")), ids=lambda path: path.stem)
def test_every_example_query_passes(query):
    check_query(query.read_text(encoding="utf-8"))


SERVICE_CASES = [
    ("SELECT * WHERE { SERVICE <http://a.example/sparql> { ?s ?p ?o } }", True),
    ("select * where { service silent <http://a.example/sparql> { ?s ?p ?o } }", True),
    ("SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE\t<http://a.example/sparql> { ?s ?p ?x } } }", True),
    ("PREFIX a: <http://a.example/> SELECT * WHERE { SERVICE a:sparql { ?s ?p ?o } }", True),
    ('SELECT * WHERE { ?s ?p "SERVICE <http://a.example/sparql> { }" }', False),
    ("SELECT * WHERE { ?s ?p ?o } # SERVICE <http://a.example/sparql> { }", False),
    ("SELECT ?service WHERE { ?service <http://a.example/SERVICE> ?o }", False),
    ("PREFIX service: <http://a.example/> SELECT * WHERE { ?s service:SERVICE ?o }", False),
    ("SELECT * WHERE { ?s ?p 'it\\'s SERVICE <x> {}' }", False),
]


@pytest.mark.parametrize("query, calls_a_service", SERVICE_CASES)
def test_service_detection_agrees_with_rdflibs_parser(query, calls_a_service):
    from rdflib.plugins.sparql import prepareQuery

    algebra = str(prepareQuery(query).algebra)
    assert ("ServiceGraphPattern" in algebra) == calls_a_service
    if calls_a_service:
        with pytest.raises(ServiceRefused):
            check_query(query)
    else:
        check_query(query)


@pytest.mark.parametrize("endpoint, allowed", [
    ("https://query.wikidata.org/sparql", True),
    ("https://query.wikidata.org/sparql/extra", True),
    ("https://query.wikidata.org/sparqlx", False),
    ("https://query.wikidata.org.evil.example/sparql", False),
    ("https://query.wikidata.org@evil.example/sparql", False),
    ("https://user@query.wikidata.org/sparql", False),
    ("http://query.wikidata.org/sparql", False),
    ("https://query.wikidata.org:8443/sparql", False),
])
def test_the_allow_list_matches_whole_origins_and_path_segments(endpoint, allowed):
    query = f"SELECT * WHERE {{ SERVICE <{endpoint}> {{ ?s ?p ?o }} }}"
    if allowed:
        check_query(query, ["https://query.wikidata.org/sparql"])
    else:
        with pytest.raises(ServiceRefused):
            check_query(query, ["https://query.wikidata.org/sparql"])


# ------------------------------------------------------------------ the command and the library

@pytest.mark.parametrize("name", sorted(DEEP_QUERIES))
def test_sparql_command_refuses_deep_queries_with_exit_2(curated, name, tmp_path):
    query_file = tmp_path / "deep.rq"
    query_file.write_text(DEEP_QUERIES[name], encoding="utf-8")
    for extra in ([], ["--timeout", "30"]):
        result = profgraph("sparql", "-f", str(query_file), *extra)
        assert result.returncode == 2, (extra, result.returncode, result.stderr[-300:])
        assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
        assert "Traceback" not in result.stderr


def test_query_function_raises_instead_of_crashing(curated):
    script = ("import profgraph\n"
              "from profgraph.sparql import QueryTooComplex\n"
              "try:\n"
              f"    profgraph.query({DEEP_QUERIES['braces']!r})\n"
              "except QueryTooComplex as error:\n"
              "    print('refused:', error)\n")
    result = run_python("-c", script, timeout=120)
    assert result.returncode == 0, (result.returncode, result.stderr[-300:])
    assert result.stdout.startswith("refused: the query nests brackets 5000 deep")


def test_query_function_refuses_service_and_allows_listed_endpoints(curated):
    import profgraph

    listener = CountingListener()
    try:
        with pytest.raises(ServiceRefused):
            profgraph.query(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/> {{ ?s ?p ?o }} }}")
        assert listener.connections == 0
    finally:
        listener.close()
    with fake_sparql_endpoint() as (url, received):
        frame = profgraph.query(f"SELECT ?x WHERE {{ SERVICE <{url}> {{ ?x ?p ?o }} }}", allow_service=[url])
        assert list(frame.x) == ["urn:from-service"] and len(received) == 1


def test_sparql_command_refuses_service_unless_allowed(curated):
    listener = CountingListener()
    try:
        for extra in ([], ["--timeout", "20"]):
            result = run("sparql", *extra,
                         f"ASK {{ SERVICE <http://127.0.0.1:{listener.port}/> {{ ?s ?p ?o }} }}")
            assert result.exit_code == 2 and "--allow-service" in result.output, result.output
        assert listener.connections == 0
    finally:
        listener.close()
    with fake_sparql_endpoint() as (url, received):
        query = f"SELECT ?x WHERE {{ SERVICE <{url}> {{ ?x ?p ?o }} }}"
        for extra in ([], ["--timeout", "20"]):
            result = run("sparql", *extra, "--allow-service", url, "--format", "csv", query)
            assert result.exit_code == 0, result.output
            assert result.output.splitlines() == ["x", "urn:from-service"]
        assert len(received) == 2


@pytest.mark.parametrize("value", ["nan", "inf", "0", "-1"])
def test_sparql_timeout_must_be_a_positive_finite_number(curated, value):
    result = run("sparql", "--timeout", value, "ASK { ?s ?p ?o }")
    assert result.exit_code == 2
    assert result.output.startswith("Error: --timeout must be a finite number") and result.output.count("\n") == 1
