"""SPARQL over a profgraph store: run a query, stream its results in a standard format, or get a DataFrame.

Queries see the data and the ontology graphs as one default graph, and may use the prefixes of
:data:`profgraph.vocab.PREFIXES` without declaring them. Results are written as they are
produced, so a large result never sits in memory:

- ``SELECT``: the W3C SPARQL 1.1 Query Results formats ``json``, ``xml``, ``csv``, ``tsv``
  (written by Oxigraph), or ``table`` for people;
- ``ASK``: ``json``, ``xml`` or ``table`` (``true``/``false``); the W3C CSV/TSV formats have no
  boolean form;
- ``CONSTRUCT``/``DESCRIBE``: ``ttl`` (Turtle, also what ``table`` gives) or ``nt`` (N-Triples).

Pyoxigraph's Python API has no query timeout, so a query with a timeout runs in a child process
that is killed when the time is up (see :func:`run_query`).
"""

from __future__ import annotations

import itertools
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import BinaryIO

from .errors import ProfgraphError, UsageError
from .vocab import PREFIXES, XSD

FORMATS = ("table", "csv", "tsv", "json", "xml", "ttl", "nt")
_FORMATS_FOR = {
    "select": ("table", "csv", "tsv", "json", "xml"),
    "ask": ("table", "json", "xml"),
    "graph": ("table", "ttl", "nt"),
}
_KIND_NAMES = {"select": "SELECT", "ask": "ASK", "graph": "CONSTRUCT/DESCRIBE"}
TABLE_SAMPLE_ROWS = 1000  # the table's column widths are measured on this many first rows
TABLE_MAX_WIDTH = 60


class QuerySyntaxError(UsageError):
    """The query does not parse. The message gives the engine's line and column."""


class QueryTimeout(ProfgraphError):
    """The query ran longer than its timeout and was stopped."""

    exit_code = 3


def read_query_file(path: str | Path) -> str:
    """Return the text of the query file ``path`` (``"-"``: standard input).

    Raises :class:`~profgraph.errors.UsageError` when it does not exist, is a folder, or is not UTF-8.
    """
    path = Path(path)
    try:
        data = sys.stdin.buffer.read() if str(path) == "-" else path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"query file {path} does not exist") from None
    except IsADirectoryError:
        raise UsageError(f"query file {path} is a folder") from None
    except OSError as error:
        raise UsageError(f"query file {path}: {error.strerror}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        name = "the query on standard input" if str(path) == "-" else f"query file {path}"
        raise UsageError(f"{name} is not UTF-8 (byte {error.start}, line {line})") from None


def execute(store, sparql: str):
    """Run ``sparql`` on the :class:`pyoxigraph.Store` ``store`` with the project's prefixes predeclared.

    Returns pyoxigraph's lazy result: ``QuerySolutions`` (SELECT), ``QueryBoolean`` (ASK) or
    ``QueryTriples`` (CONSTRUCT, DESCRIBE). Raises :class:`QuerySyntaxError` when the query does not
    parse, :class:`~profgraph.errors.ProfgraphError` when the store cannot be read.
    """
    try:
        return store.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=True)
    except SyntaxError as error:
        raise _syntax_error(str(error)) from None
    except OSError as error:
        raise ProfgraphError(f"query failed: {error}") from None


def _syntax_error(message: str) -> QuerySyntaxError:
    found = re.match(r"error at (\d+):(\d+): (.*)", message, re.DOTALL)
    if not found:
        return QuerySyntaxError(f"SPARQL syntax error: {' '.join(message.split())}")
    line, column, detail = found.groups()
    if "Prefix not found" in detail:
        detail = f"undeclared prefix; declare it with PREFIX or use one of {', '.join(PREFIXES)}"
    detail = " ".join(detail.split())
    if len(detail) > 200:
        detail = detail[:200] + "…"
    return QuerySyntaxError(f"SPARQL syntax error at line {line}, column {column}: {detail}")


def result_kind(result) -> str:
    """Return ``"select"``, ``"ask"`` or ``"graph"`` (CONSTRUCT/DESCRIBE) for a result of :func:`execute`."""
    from pyoxigraph import QueryBoolean, QuerySolutions

    if isinstance(result, QuerySolutions):
        return "select"
    if isinstance(result, QueryBoolean):
        return "ask"
    return "graph"


def check_format(kind: str, output_format: str) -> None:
    """Raise :class:`~profgraph.errors.UsageError` unless ``output_format`` suits a result of ``kind``."""
    allowed = _FORMATS_FOR[kind]
    if output_format not in allowed:
        raise UsageError(f"--format {output_format} does not fit {_KIND_NAMES[kind]} queries; "
                         f"use one of {', '.join(allowed)}")


def write_result(result, output: BinaryIO, output_format: str = "table") -> None:
    """Write the result of :func:`execute` to the binary stream ``output``, as it is produced.

    Raises :class:`~profgraph.errors.UsageError` when ``output_format`` does not fit the query
    form (for example ``csv`` for a CONSTRUCT query).
    """
    from pyoxigraph import QueryResultsFormat, RdfFormat, serialize

    kind = result_kind(result)
    check_format(kind, output_format)
    if kind == "graph":
        rdf_format = RdfFormat.N_TRIPLES if output_format == "nt" else RdfFormat.TURTLE
        serialize(result, output, rdf_format, prefixes=None if output_format == "nt" else PREFIXES)
    elif output_format != "table":
        result.serialize(output, getattr(QueryResultsFormat, output_format.upper()))
    elif kind == "ask":
        output.write(b"true\n" if bool(result) else b"false\n")
    else:
        _write_table(result, output)


def _write_table(solutions, output: BinaryIO) -> None:
    """A plain-text table; widths come from the first rows, later rows stream with the same widths."""
    variables = [variable.value for variable in solutions.variables]
    rows = iter(solutions)
    sample = [[compact(term) for term in row] for row in itertools.islice(rows, TABLE_SAMPLE_ROWS)]
    widths = [max([len(name), *(len(row[i]) for row in sample)]) for i, name in enumerate(variables)]

    def emit(cells) -> None:
        line = "  ".join(cell.ljust(width) for cell, width in zip(cells, widths)).rstrip()
        output.write(line.encode("utf-8") + b"\n")

    emit(variables)
    emit(["-" * width for width in widths])
    count = 0
    for cells in itertools.chain(sample, ([compact(term) for term in row] for row in rows)):
        emit(cells)
        count += 1
    output.write(f"({count} row{'' if count == 1 else 's'})\n".encode())


def compact(term, max_width: int = TABLE_MAX_WIDTH) -> str:
    """Return a short, one-line text for an RDF term: ``pg:Emerging`` for IRIs under a known prefix,
    decimals and doubles rounded to 4 places, the lexical value for other literals, ``""`` for an
    unbound value; cut to ``max_width`` characters."""
    from pyoxigraph import Literal, NamedNode

    if term is None:
        text = ""
    elif isinstance(term, NamedNode):
        text = _prefixed(term.value)
    elif isinstance(term, Literal) and term.datatype.value in _FLOAT_TYPES and len(term.value) > 8:
        try:
            text = f"{float(term.value):.4f}".rstrip("0").rstrip(".")
        except ValueError:
            text = term.value
    else:
        text = _text(term)
        if "\n" in text or "\t" in text or "\r" in text:
            text = " ".join(text.split())
    return text if len(text) <= max_width else text[: max_width - 1] + "…"


_LOCAL_NAME = re.compile(r"^[\w][\w.-]*$")
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


def _prefixed(iri: str) -> str:
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace) and _LOCAL_NAME.match(iri[len(namespace):]) and not iri.endswith("."):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def run_query(dataset, sparql: str, output: BinaryIO, output_format: str = "table",
              timeout: float | None = None) -> None:
    """Run ``sparql`` on the RDF dataset of ``dataset`` (a :class:`profgraph.store.Dataset`) and write
    its result to ``output`` in ``output_format`` (one of :data:`FORMATS`), streaming.

    With ``timeout`` (seconds) the query runs in a child process that is killed when the time is up;
    its output still streams through this process. Raises :class:`QuerySyntaxError`,
    :class:`QueryTimeout`, :class:`~profgraph.errors.UsageError` for a format that does not fit the
    query, :class:`~profgraph.errors.ProfgraphError` when the store cannot be read.
    """
    if output_format not in FORMATS:
        raise UsageError(f"unknown format {output_format!r}; use one of {', '.join(FORMATS)}")
    if getattr(dataset, "endpoint", None):  # a remote store: the server answers, within the timeout
        from .remote import execute_remote

        write_result(execute_remote(dataset, sparql, timeout), output, output_format)
        output.flush()
        return
    if timeout is None:
        write_result(execute(dataset.rdf, sparql), output, output_format)
        output.flush()
        return
    if timeout <= 0:
        raise UsageError("--timeout must be a positive number of seconds")
    _run_in_child(dataset.rdf_path, sparql, output, output_format, timeout)


_CHILD_ERRORS = {cls.__name__: cls for cls in (QuerySyntaxError, UsageError, ProfgraphError)}


def _run_in_child(rdf_folder: Path, sparql: str, output: BinaryIO, output_format: str, timeout: float) -> None:
    import selectors
    import subprocess

    env = dict(os.environ, PYTHONPATH=os.pathsep.join(entry for entry in sys.path if entry))
    deadline = time.monotonic() + timeout
    child = subprocess.Popen([sys.executable, "-c", "from profgraph.sparql import _child_main; _child_main()"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        child.stdin.write(json.dumps({"store": str(rdf_folder), "query": sparql, "format": output_format}).encode())
        child.stdin.close()
        selector = selectors.DefaultSelector()
        selector.register(child.stdout, selectors.EVENT_READ, output)
        errors = bytearray()
        selector.register(child.stderr, selectors.EVENT_READ, errors)
        written = 0
        while selector.get_map():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                note = "; the output is incomplete" if written else ""
                raise QueryTimeout(f"query stopped after the {timeout:g} s timeout{note}")
            for key, _ in selector.select(remaining):
                chunk = os.read(key.fileobj.fileno(), 1 << 16)
                if not chunk:
                    selector.unregister(key.fileobj)
                elif key.data is errors:
                    errors += chunk
                else:
                    output.write(chunk)
                    written += len(chunk)
        output.flush()
        child.wait(max(deadline - time.monotonic(), 0.1))
    except subprocess.TimeoutExpired:
        raise QueryTimeout(f"query stopped after the {timeout:g} s timeout") from None
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
        child.stderr.close()
    if child.returncode != 0:
        raise _child_error(bytes(errors).decode("utf-8", "replace"))


def _child_error(stderr: str) -> ProfgraphError:
    try:
        report = json.loads(stderr)
        return _CHILD_ERRORS[report["error"]](report["message"])
    except (ValueError, KeyError, TypeError):
        last = stderr.strip().splitlines()[-1] if stderr.strip() else "no message"
        return ProfgraphError(f"the query process failed: {last}")


def _child_main() -> None:
    """Entry point of the child process of :func:`_run_in_child`: query from a JSON request on stdin."""
    from pyoxigraph import Store

    request = json.loads(sys.stdin.buffer.read())
    try:
        store = Store.read_only(request["store"])
        write_result(execute(store, request["query"]), sys.stdout.buffer, request["format"])
        sys.stdout.buffer.flush()
    except ProfgraphError as error:
        name = type(error).__name__ if type(error).__name__ in _CHILD_ERRORS else "ProfgraphError"
        sys.stderr.write(json.dumps({"error": name, "message": str(error)}))
        sys.exit(1)


# ----------------------------------------------------------------------------- DataFrames

_INTEGER_TYPES = {XSD + name for name in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
    "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte")}
_FLOAT_TYPES = {XSD + name for name in ("decimal", "double", "float")}
_TIME_TYPES = {XSD + "dateTime", XSD + "date", XSD + "dateTimeStamp"}


def to_dataframe(result):
    """Return a SELECT result of :func:`execute` as a :class:`pandas.DataFrame`, one column per variable.

    Column types follow the literals: integers give ``int64`` (``Int64`` when some rows are unbound),
    decimals, doubles and floats ``float64``, booleans ``boolean``, dates and times ``datetime64``;
    everything else (IRIs, plain and language-tagged strings, blank nodes ``_:id``) gives ``str``,
    with unbound values missing. A column whose values mix kinds is ``str``.
    """
    import pandas as pd

    variables = [variable.value for variable in result.variables]
    columns: list[list] = [[] for _ in variables]
    for solution in result:
        for column, term in zip(columns, solution):
            column.append(term)
    return pd.DataFrame({name: _typed_column(terms) for name, terms in zip(variables, columns)},
                        columns=variables)


def _typed_column(terms: list):
    import pandas as pd
    from pyoxigraph import Literal

    bound = [term for term in terms if term is not None]
    datatypes = {term.datatype.value for term in bound if isinstance(term, Literal)}
    all_literals = bound and all(isinstance(term, Literal) for term in bound)
    try:
        if all_literals and datatypes <= _INTEGER_TYPES:
            values = [None if term is None else int(term.value) for term in terms]
            return pd.array(values, dtype="Int64") if len(bound) < len(terms) else pd.array(values, dtype="int64")
        if all_literals and datatypes <= _INTEGER_TYPES | _FLOAT_TYPES:
            return pd.array([float("nan") if term is None else float(term.value) for term in terms], dtype="float64")
        if all_literals and datatypes == {XSD + "boolean"}:
            return pd.array([None if term is None else term.value in ("true", "1") for term in terms], dtype="boolean")
        if all_literals and datatypes <= _TIME_TYPES:
            return pd.to_datetime([None if term is None else term.value for term in terms], format="ISO8601")
    except ValueError:
        pass  # an ill-typed literal: keep the column as text
    return [None if term is None else _text(term) for term in terms]  # pandas infers its string dtype


def _text(term) -> str:
    from pyoxigraph import BlankNode, Literal, NamedNode

    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return term.value if isinstance(term, (NamedNode, Literal)) else str(term)


def query(sparql: str, store=None):
    """Run ``sparql`` and return its answer: a :class:`pandas.DataFrame` for SELECT (typed columns, see
    :func:`to_dataframe`), a ``bool`` for ASK, a DataFrame of ``subject``, ``predicate``, ``object``
    strings for CONSTRUCT and DESCRIBE.

    ``store`` is a :class:`profgraph.store.Dataset`, a store folder, or None for the default dataset
    (:func:`profgraph.load`). The project's prefixes are predeclared. Raises
    :class:`QuerySyntaxError` when the query does not parse.

    >>> import profgraph
    >>> frame = profgraph.query("SELECT (COUNT(*) AS ?n) WHERE { ?p a pg:Profession }")
    >>> int(frame.n[0]) > 0
    True
    """
    from .store import Dataset, load

    dataset = store if isinstance(store, Dataset) else load(store)
    result = execute(dataset.rdf, sparql)
    kind = result_kind(result)
    if kind == "ask":
        return bool(result)
    if kind == "select":
        return to_dataframe(result)
    import pandas as pd

    return pd.DataFrame([(_text(t.subject), _text(t.predicate), _text(t.object)) for t in result],
                        columns=["subject", "predicate", "object"])
