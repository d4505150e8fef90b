"""What the tests against real SPARQL servers (tests/test_remote.py: Oxigraph server,
tests/test_remote_virtuoso.py: Virtuoso) check alike: the reading commands answer through
``--endpoint`` as they answer from the embedded store, and the example queries sent to the server
pass the independent pandas checks of tests/test_example_queries.py."""

from __future__ import annotations

import json

from conftest import run_ok

# The reading commands compared, by their JSON output.
COMMANDS = [
    ["path", "кассир", "--to", "emerging", "--format", "json"],
    ["path", "cashier", "--to", "safer", "--format", "json", "--lang", "kk"],
    ["search", "аналитик", "--format", "json"],
    ["similar", "кассир", "--format", "json"],
]


def skill_order_free(value):
    """``value`` with every list of strings sorted: a remote graph keeps no order of a profession's skills."""
    if isinstance(value, dict):
        return {key: skill_order_free(item) for key, item in value.items()}
    if isinstance(value, list):
        items = [skill_order_free(item) for item in value]
        return sorted(items) if all(isinstance(item, str) for item in items) else items
    return value


def same_answer(args: list[str], endpoint: str, env: dict | None = None) -> None:
    """Assert that the command ``args`` answers the same JSON through ``endpoint`` as from the embedded store."""
    local = json.loads(run_ok(*args))
    remote = json.loads(run_ok(*args, "--endpoint", endpoint, env=env))
    assert skill_order_free(remote) == skill_order_free(local)


def same_card(endpoint: str, env: dict | None = None) -> None:
    """Assert that ``show кассир`` gives the same card through ``endpoint`` (transformations in any order)."""
    local = json.loads(run_ok("show", "кассир", "--format", "json"))
    remote = json.loads(run_ok("show", "кассир", "--format", "json", "--endpoint", endpoint, env=env))
    for card in (local, remote):
        for key in ("transforms_into", "transforms_from"):
            card[key].sort(key=lambda entry: entry["id"] if "id" in entry else entry["profession"]["id"])
    assert skill_order_free(remote) == skill_order_free(local)


def remote_answer(endpoint: str, query: str, graph: str | None = None, credentials=None):
    """The answer of ``query`` sent to ``endpoint`` (its graph ``graph``) as :func:`profgraph.query`
    gives one (:func:`profgraph.sparql.as_answer`)."""
    from profgraph.remote import RemoteEndpoint, execute_remote
    from profgraph.sparql import as_answer

    return as_answer(execute_remote(RemoteEndpoint(endpoint, graph, credentials), query, timeout=120))
