"""SPARQL over a profgraph store: run a query, stream its results in a standard format, or get a DataFrame.

Queries see the data and the ontology graphs as one default graph, unless their ``FROM`` /
``FROM NAMED`` clauses (or the Protocol's ``default-graph-uri`` / ``named-graph-uri``) name the
graphs they see (:func:`dataset_options`), and may use the prefixes of
:data:`profgraph.vocab.PREFIXES` without declaring them. Results are written as they are
produced, so a large result never sits in memory:

- ``SELECT``: the W3C SPARQL 1.1 Query Results formats ``json``, ``xml``, ``csv``, ``tsv``
  (written by Oxigraph), or ``table`` for people;
- ``ASK``: ``json``, ``xml`` or ``table`` (``true``/``false``); the W3C CSV/TSV formats have no
  boolean form;
- ``CONSTRUCT``/``DESCRIBE``: ``ttl`` (Turtle, also what ``table`` gives), ``nt`` (N-Triples),
  ``jsonld`` (JSON-LD, compacted with the prefixes) or ``rdfxml`` (RDF/XML), as ``profgraph export`` writes them.

Pyoxigraph's Python API has no query timeout, so a query with a timeout runs in a child process
that is killed when the time is up (see :func:`run_query`).

Before the engine sees a query, :func:`check_query` refuses what it must not run: brackets nested
deeper than :data:`MAX_QUERY_DEPTH` or more than :data:`MAX_QUERY_CHAIN` chained groups and
operators (deep enough, the engine's parser overflows its stack and kills the process), and
``SERVICE`` calls, which would make the machine send requests to any address a query names,
unless the endpoint is on an allow-list.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import re
import sys
import time
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from . import formats
from .errors import (ProfgraphError, QuerySyntaxError, QueryTimeout, QueryTooComplex, ServiceRefused,
                     UsageError)
from .vocab import PREFIXES, XSD, compact_iri

DEFAULT_FORMAT = "table"

TABLE_SAMPLE_ROWS = 1000  # the table's column widths are measured on this many first rows
TABLE_MAX_WIDTH = 60
MAX_QUERY_DEPTH = 100  # brackets nested deeper are refused; Oxigraph's parser crashes at a few thousand
MAX_QUERY_CHAIN = 500  # groups, operators and FILTER/BIND/UNION/OPTIONAL/MINUS; a few thousand crash it too


def check_timeout(seconds, parameter: str = "timeout", low: float = 0.0, high: float = math.inf) -> float:
    """Return ``seconds`` as a float when it is a finite number above ``low`` and at most ``high``;
    raise :class:`~profgraph.errors.UsageError` for ``parameter`` otherwise (nan, inf, zero, negative)."""
    try:
        value = float(seconds)
    except (TypeError, ValueError):
        value = math.nan
    if not (math.isfinite(value) and low < value <= high):
        bounds = f"above {low:g}" + ("" if math.isinf(high) else f" and at most {high:g}")
        raise UsageError("{parameter} must be a finite number of seconds {bounds}, not {value}", parameter,
                         bounds=bounds, value=seconds)
    return value


# SPARQL split into tokens as Oxigraph's grammar splits it. What matters is what is opaque (a
# comment, a string, an IRI) and what is a bracket, an operator or a keyword.
_TOKENS = re.compile(r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|"""
                 r'''"""(?:[^"\\]|\\.|"(?!""))*"""'''
                 r"""|'(?:[^'\\\r\n]|\\.)*'|"(?:[^"\\\r\n]|\\.)*")
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
  | (?P<variable>[?$]\w+)
  | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<name>_:[\w.-]*|(?:[^\W\d][\w.-]*)?:(?:[\w:.%-]|\\[_~.!$&'()*+,;=/?\#@%-])*|[^\W\d]\w*)
  | (?P<number>[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<open><<|[{(\[])
  | (?P<close>>>|[})\]])
  | (?P<operator>\|\||&&|!=|<=|>=|\^\^|[=<>+*/|^!-])
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)
_CHAIN_KEYWORDS = {"UNION", "OPTIONAL", "MINUS", "FILTER", "BIND"}


def check_query(sparql: str, allow_service=()) -> None:
    """Refuse a query the engine must not run, before it sees it.

    Raises :class:`QueryTooComplex` when brackets (``{ ( [ <<``) nest deeper than
    :data:`MAX_QUERY_DEPTH` or the query chains more than :data:`MAX_QUERY_CHAIN` groups and
    operators, :class:`ServiceRefused` for a ``SERVICE`` whose endpoint is not under one of the URL
    prefixes ``allow_service`` (an endpoint given by a variable is always refused). Comments,
    strings and IRIs are read as the engine reads them, so nothing written inside them counts.
    """
    depth = deepest = chain = 0
    prefixes: dict[str, str] = {}
    tokens = [(match.lastgroup, match.group()) for match in _TOKENS.finditer(sparql)
              if match.lastgroup not in ("space", "comment")]
    for position, (kind, text) in enumerate(tokens):
        if kind == "iri" and "'" in text:
            # "<" is also less-than: ?a<'x'||?b>?c reads both ways, and the two readings disagree
            # on where strings start, so neither can be trusted.
            raise QueryTooComplex("an IRI holds an apostrophe (write it as %27), or a '<' before a quoted "
                                  "string needs a space after it")
        if kind == "iri":  # its brackets count: if this '<' is really less-than, they are brackets
            deepest = max(deepest, depth + text.count("(") + text.count("["))
            depth = max(depth + text.count("(") + text.count("[") - text.count(")") - text.count("]"), 0)
        elif kind == "open":
            depth += 1
            deepest = max(deepest, depth)
            chain += text != "("  # a row of parenthesised VALUES or arguments is long, not deep
        elif kind == "close":
            depth = max(depth - 1, 0)
        elif kind == "operator" or (kind == "number" and text[0] in "+-"):
            chain += 1
        elif kind == "name":
            keyword = text.upper()
            chain += keyword in _CHAIN_KEYWORDS
            if keyword == "PREFIX" and len(tokens) > position + 2:
                (_, prefix), (target_kind, target) = tokens[position + 1], tokens[position + 2]
                if prefix.endswith(":") and target_kind == "iri":
                    prefixes[prefix[:-1]] = _iri_text(target)
            elif keyword == "SERVICE":
                _check_service(tokens[position + 1:position + 3], prefixes, tuple(allow_service))
    if deepest > MAX_QUERY_DEPTH:
        raise QueryTooComplex(f"the query nests brackets {deepest} deep; at most {MAX_QUERY_DEPTH} levels are allowed")
    if chain > MAX_QUERY_CHAIN:
        raise QueryTooComplex(f"the query chains {chain} groups and operators; at most {MAX_QUERY_CHAIN} are allowed")


def _iri_text(token: str) -> str:
    """The IRI of an IRIREF token, its \\u and \\U escapes decoded."""
    return re.sub(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})", lambda found: chr(int(found[1] or found[2], 16)),
                  token[1:-1])


def _check_service(following: list, prefixes: dict, allow_service: tuple) -> None:
    """Raise :class:`ServiceRefused` unless the endpoint named by the tokens after SERVICE is allowed."""
    if following and following[0][0] == "name" and following[0][1].upper() == "SILENT":
        following = following[1:]
    kind, text = following[0] if following else ("other", "")
    endpoint = None
    if kind == "iri":
        endpoint = _iri_text(text)
    elif kind == "name" and ":" in text and not text.startswith("_:"):
        prefix, local = text.split(":", 1)
        namespace = prefixes.get(prefix, PREFIXES.get(prefix))
        if namespace is not None:
            endpoint = namespace + re.sub(r"\\(.)", r"\1", local)
    if endpoint is not None and any(_under(endpoint, allowed) for allowed in allow_service):
        return
    named = f"SERVICE <{endpoint}>" if endpoint is not None else f"SERVICE {text[:80]}"
    hint = (f"the allowed endpoints are {', '.join(allow_service)}" if allow_service
            else "allow an endpoint with --allow-service URL-PREFIX")
    raise ServiceRefused(f"{named} is refused: federated queries are off ({hint})")


def _under(url: str, prefix: str) -> bool:
    """True when ``url`` has the scheme, host and port of ``prefix``, no user name, and a path that
    starts with the prefix's path at a segment boundary."""
    try:
        target, allowed = urlsplit(url), urlsplit(prefix)
        origin, allowed_origin = ((part.scheme.lower(), part.hostname, part.port) for part in (target, allowed))
    except ValueError:  # a port that is not a number
        return False
    if origin != allowed_origin or not target.hostname or target.username is not None:
        return False
    base = allowed.path.rstrip("/")
    return target.path == base or target.path.startswith(base + "/") or not base


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


def names_dataset(sparql: str) -> bool:
    """True when the query has a ``FROM`` or ``FROM NAMED`` clause (comments, strings and IRIs
    are read as the engine reads them, so a "FROM" inside them does not count)."""
    return any(match.lastgroup == "name" and match.group().upper() == "FROM" for match in _TOKENS.finditer(sparql))


def query_form(sparql: str) -> str | None:
    """Return the kind of result ``sparql`` asks for, as :func:`result_kind` names them (``"select"``,
    ``"ask"``, ``"graph"`` for CONSTRUCT and DESCRIBE), read from its first query keyword; None when
    it has none (an update, or not SPARQL)."""
    forms = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "graph", "DESCRIBE": "graph"}
    return next((forms[match.group().upper()] for match in _TOKENS.finditer(sparql)
                 if match.lastgroup == "name" and match.group().upper() in forms), None)


def dataset_options(sparql: str, default_graphs=None, named_graphs=None) -> dict:
    """Return the keyword arguments of :meth:`pyoxigraph.Store.query` that give ``sparql`` its RDF
    dataset, as SPARQL 1.1 says:

    - the Protocol's graphs (``default_graphs``, ``named_graphs``: lists of IRIs; either given)
      override the query's: the default graph is the merge of ``default_graphs`` (empty if none),
      the named graphs are exactly ``named_graphs`` (none if not given);
    - else the query's ``FROM`` / ``FROM NAMED`` clauses, if any, say which graphs it sees;
    - else the default graph is the union of the store's graphs, and every named graph is addressable.

    Raises :class:`~profgraph.errors.UsageError` for a graph name that is not an IRI.
    """
    if default_graphs is None and named_graphs is None:
        return {} if names_dataset(sparql) else {"use_default_graph_as_union": True}
    from pyoxigraph import NamedNode

    def graphs(iris) -> list:
        try:
            return [NamedNode(iri) for iri in iris or ()]
        except ValueError as error:
            raise UsageError(f"not a graph IRI: {error}") from None

    return {"default_graph": graphs(default_graphs), "named_graphs": graphs(named_graphs)}


def execute(store, sparql: str, allow_service=(), default_graphs=None, named_graphs=None):
    """Run ``sparql`` on the :class:`pyoxigraph.Store` ``store`` with the project's prefixes predeclared,
    over the dataset :func:`dataset_options` gives for ``default_graphs`` and ``named_graphs``.

    Returns pyoxigraph's lazy result: ``QuerySolutions`` (SELECT), ``QueryBoolean`` (ASK) or
    ``QueryTriples`` (CONSTRUCT, DESCRIBE). Raises :class:`QueryTooComplex` or
    :class:`ServiceRefused` (:func:`check_query`; ``allow_service`` lists the URL prefixes a
    ``SERVICE`` may call), :class:`QuerySyntaxError` when the query does not parse,
    :class:`~profgraph.errors.UsageError` for a graph name that is not an IRI,
    :class:`~profgraph.errors.ProfgraphError` when the store cannot be read.
    """
    check_query(sparql, allow_service)
    options = dataset_options(sparql, default_graphs, named_graphs)
    try:
        return store.query(sparql, prefixes=PREFIXES, **options)
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
    if formats.find_writer(output_format, kind) is None:
        raise UsageError("{output_format} {value} does not fit {kind} queries; use one of {allowed}", "output_format",
                         value=output_format, kind=formats.KIND_NAMES[kind], allowed=", ".join(formats.names(kind)))


def write_result(result, output: BinaryIO, output_format: str = DEFAULT_FORMAT) -> None:
    """Write the result of :func:`execute` to the binary stream ``output``, as it is produced, with
    the writer :mod:`profgraph.formats` registers for its kind and ``output_format``.

    Raises :class:`~profgraph.errors.UsageError` when ``output_format`` does not fit the query
    form (for example ``csv`` for a CONSTRUCT query).
    """
    kind = result_kind(result)
    check_format(kind, output_format)
    formats.writer(output_format, kind)(result, output, output_format)


def write_results(result, output: BinaryIO, output_format: str) -> None:
    """Write a SELECT or ASK ``result`` in one of the W3C SPARQL 1.1 Query Results formats (``json``,
    ``xml``, ``csv``, ``tsv``), as Oxigraph writes it."""
    from pyoxigraph import QueryResultsFormat

    result.serialize(output, QueryResultsFormat.from_media_type(formats.FORMATS[output_format].media_type))


def write_boolean(result, output: BinaryIO, output_format: str = "table") -> None:
    """Write an ASK ``result`` for people: ``true`` or ``false`` and a new line."""
    output.write(b"true\n" if bool(result) else b"false\n")


def write_table(solutions, output: BinaryIO, output_format: str = "table") -> None:
    """Write a SELECT result as a plain-text table; widths come from the first rows, later rows
    stream with the same widths."""
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
        text = compact_iri(term.value, prefixed_name=True)
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


def run_query(dataset, sparql: str, output: BinaryIO, output_format: str = DEFAULT_FORMAT,
              timeout: float | None = None, allow_service=()) -> None:
    """Run ``sparql`` on ``dataset`` (a :class:`profgraph.store.Dataset`, or a remote one, which sends
    it to its server) and write its result to ``output`` in ``output_format`` (one of the formats of
    SPARQL results in :mod:`profgraph.formats`), streaming.

    With ``timeout`` (seconds) a local query runs in a child process that is killed when the time is up,
    or when this process is stopped (:func:`run_in_child`); its output still streams through this process.
    ``allow_service`` lists the URL prefixes a ``SERVICE`` may call (:func:`check_query`). Raises
    :class:`QuerySyntaxError`, :class:`QueryTooComplex`, :class:`ServiceRefused`,
    :class:`QueryTimeout`, :class:`~profgraph.errors.UsageError` for a format that does not fit the
    query or a timeout that is not a positive finite number,
    :class:`~profgraph.errors.ProfgraphError` when the store cannot be read.
    """
    known = formats.names(*formats.QUERY_KINDS)
    if output_format not in known:
        raise UsageError("unknown {output_format} {value!r}; use one of {formats}", "output_format",
                         value=output_format, formats=", ".join(known))
    if timeout is not None:
        timeout = check_timeout(timeout)
    dataset.run_query(sparql, output, output_format, timeout, allow_service)


_CHILD_ERRORS = {cls.__name__: cls for cls in (QuerySyntaxError, QueryTooComplex, ServiceRefused, UsageError,
                                               ProfgraphError)}


def run_in_child(rdf_folder: Path, sparql: str, output: BinaryIO, output_format: str, timeout: float,
                 allow_service: tuple) -> None:
    """Run ``sparql`` on the Oxigraph folder ``rdf_folder`` in a child process and stream its result to
    ``output`` in ``output_format``; kill the child when ``timeout`` seconds pass (raising
    :class:`QueryTimeout`) or this process is stopped. Raises what :func:`execute` raises, from the child."""
    import selectors
    import subprocess

    from .children import exit_on_signals, start_python

    deadline = time.monotonic() + timeout
    with exit_on_signals():  # SIGTERM or SIGHUP: the finally block below still kills the child
        child = start_python("from profgraph.sparql import _child_main; _child_main()",
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert child.stdin is not None and child.stdout is not None and child.stderr is not None  # the pipes above
        try:
            child.stdin.write(json.dumps({"store": str(rdf_folder), "query": sparql, "format": output_format,
                                          "allow_service": allow_service}).encode())
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
                    chunk = os.read(key.fd, 1 << 16)
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
        error_class = _CHILD_ERRORS[report["error"]]
        if issubclass(error_class, UsageError):
            return error_class(report["message"], report.get("parameter"), **report.get("values", {}))
        return error_class(report["message"])
    except (ValueError, KeyError, TypeError):
        last = stderr.strip().splitlines()[-1] if stderr.strip() else "no message"
        return ProfgraphError(f"the query process failed: {last}")


def _child_main() -> None:
    """Entry point of the child process of :func:`run_in_child`: query from a JSON request on stdin."""
    from pyoxigraph import Store

    from .children import die_with_parent

    die_with_parent(int(sys.argv[1]))
    request = json.loads(sys.stdin.buffer.read())
    try:
        store = Store.read_only(request["store"])
        write_result(execute(store, request["query"], request["allow_service"]), sys.stdout.buffer, request["format"])
        sys.stdout.buffer.flush()
    except ProfgraphError as error:
        name = type(error).__name__ if type(error).__name__ in _CHILD_ERRORS else "ProfgraphError"
        report: dict[str, object] = {"error": name, "message": str(error)}
        if isinstance(error, UsageError):  # the parent names the parameter its own way
            report.update(message=error.template, parameter=error.parameter, values=error.values)
        sys.stderr.write(json.dumps(report, default=str))
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
    with unbound values missing. A column whose values mix kinds is ``str``. A variable with
    language-tagged values (``"кассир"@ru``) gets a second column ``NAME@lang`` right after its
    own, holding each value's language tag (missing where it has none), so that labels in several
    languages can be told apart (``@`` cannot occur in a variable's name, so it never clashes).
    """
    import pandas as pd
    from pyoxigraph import Literal

    variables = [variable.value for variable in result.variables]
    columns: list[list] = [[] for _ in variables]
    for solution in result:
        for column, term in zip(columns, solution):
            column.append(term)
    frame: dict = {}
    for name, terms in zip(variables, columns):
        frame[name] = _typed_column(terms)
        tags = [term.language if isinstance(term, Literal) else None for term in terms]
        if any(tags):
            frame[f"{name}@lang"] = tags
    return pd.DataFrame(frame, columns=list(frame))


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
            # pandas-stubs leave None out of the values, which pandas reads as NaT
            return pd.to_datetime([None if term is None else term.value for term in terms],  # type: ignore[arg-type]
                                  format="ISO8601")
    except ValueError:
        pass  # an ill-typed literal: keep the column as text
    return [None if term is None else _text(term) for term in terms]  # pandas infers its string dtype


def _text(term) -> str:
    from pyoxigraph import BlankNode, Literal, NamedNode

    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return term.value if isinstance(term, (NamedNode, Literal)) else str(term)


def query(sparql: str, dataset, allow_service=(), default_graphs=None, named_graphs=None):
    """Run ``sparql`` and return its answer: a :class:`pandas.DataFrame` for SELECT (typed columns, see
    :func:`to_dataframe`), a ``bool`` for ASK, a DataFrame of ``subject``, ``predicate``, ``object``
    strings for CONSTRUCT and DESCRIBE.

    ``dataset`` is a :class:`profgraph.store.Dataset`, or a remote one, which sends the query to its
    server (:func:`profgraph.query` opens one from a store folder). The project's prefixes are
    predeclared. ``SERVICE`` calls are refused unless their endpoint is under one of the URL
    prefixes ``allow_service``. Raises
    :class:`QuerySyntaxError` when the query does not parse, :class:`QueryTooComplex` when it nests
    too deep for the engine, :class:`ServiceRefused` for a ``SERVICE`` call that is not allowed.
    The query's dataset follows SPARQL 1.1: the union of the store's graphs, unless its ``FROM``
    clauses or ``default_graphs`` / ``named_graphs`` (lists of graph IRIs, which override them)
    say otherwise (:func:`dataset_options`).

    >>> import profgraph
    >>> frame = profgraph.query("SELECT (COUNT(*) AS ?n) WHERE { ?p a pg:Profession }")
    >>> int(frame.n[0]) > 0
    True
    """
    return as_answer(dataset.execute(sparql, allow_service, default_graphs, named_graphs))


def as_answer(result):
    """Return a result of :func:`execute` (or of :func:`profgraph.remote.execute_remote`) as :func:`query`
    answers: a DataFrame for SELECT (:func:`to_dataframe`), a ``bool`` for ASK, a DataFrame of
    ``subject``, ``predicate``, ``object`` strings for CONSTRUCT and DESCRIBE."""
    kind = result_kind(result)
    if kind == "ask":
        return bool(result)
    if kind == "select":
        return to_dataframe(result)
    import pandas as pd

    return pd.DataFrame([(_text(t.subject), _text(t.predicate), _text(t.object)) for t in result],
                        columns=["subject", "predicate", "object"])
