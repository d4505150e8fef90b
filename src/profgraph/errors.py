"""The exceptions profgraph raises. The CLI turns each into a one-line message and an exit code."""

from __future__ import annotations

import string
from collections.abc import Callable

SHOWN_LENGTH = 80  # characters of a user's text echoed in a message
MESSAGE_LENGTH = 2000  # characters of any one message printed


def shown(text: str, limit: int = SHOWN_LENGTH) -> str:
    """Return ``text`` quoted for a message: control characters escaped (``repr``), cut to ``limit``
    characters with ``…`` and the full length noted, so a pasted 100 KB name stays one short line."""
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}… ({len(text)} characters)"


def printable(text: str, limit: int = MESSAGE_LENGTH) -> str:
    """Return ``text`` safe to print on a terminal as one line: runs of whitespace become one space,
    other control characters (an escape sequence from a file or a server) become ``\\xNN``, and the
    text is cut to ``limit`` characters."""
    text = " ".join(text.split())
    text = "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)
    return text if len(text) <= limit else text[:limit - 1] + "…"


class ProfgraphError(Exception):
    """Base class: an error a user can act on. ``exit_code`` is what the CLI exits with."""

    exit_code = 1


class DataError(ProfgraphError):
    """A data file is malformed. The message names the file, line and column."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None, column: str | None = None):
        self.path, self.line, self.column = path, line, column
        where = ":".join(str(part) for part in (path, line) if part is not None)
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {message}" if where else message)


class NotFound(ProfgraphError):
    """A name matched nothing. ``suggestions`` holds the closest labels, best first."""

    exit_code = 2

    def __init__(self, name: str, suggestions: list[str], kind: str = "profession"):
        self.name, self.suggestions = name, suggestions
        message = f"no {kind} matches {shown(name)}"
        if suggestions:
            message += "; closest: " + ", ".join(suggestions)
        super().__init__(message)


class Ambiguous(ProfgraphError):
    """A name matched several things equally well. ``candidates`` lists them."""

    exit_code = 2

    def __init__(self, name: str, candidates: list[str], kind: str = "profession"):
        self.name, self.candidates = name, candidates
        super().__init__(f"{shown(name)} names more than one {kind}: " + "; ".join(candidates))


class UsageError(ProfgraphError):
    """An option or argument is out of range.

    ``parameter`` is the name of the library parameter at fault (``top``, ``min_coverage``), or None.
    With a parameter or ``values``, ``message`` is a :meth:`str.format` template: a field that is
    not among ``values`` stands for the parameter of that name (``{parameter}`` for ``parameter``
    itself), so that each caller names it its own way (:meth:`naming`); every text a user gave
    goes in through ``values``, never into the template. ``str()`` names parameters as the library
    does: ``UsageError("{top} must be at least 1, not {value}", "top", value=0)`` reads
    ``top must be at least 1, not 0``; the command line says ``--top``, the HTTP API ``'top'``.
    """

    exit_code = 2

    def __init__(self, message: str, parameter: str | None = None, **values):
        self.template, self.parameter, self.values = message, parameter, values
        super().__init__(self.naming(str))

    def mentions(self) -> list[str]:
        """Return the parameters the message names, in order (``parameter`` first if it is named)."""
        if self.parameter is None and not self.values:
            return []
        fields = (field for _, field, _, _ in string.Formatter().parse(self.template) if field is not None)
        named = [self.parameter if field == "parameter" else field for field in fields if field not in self.values]
        return list(dict.fromkeys(name for name in named if name is not None))

    def naming(self, name_of: Callable[[str], str]) -> str:
        """Return the message with each parameter it mentions called ``name_of(parameter)``."""
        if self.parameter is None and not self.values:
            return self.template
        names = {field: name_of(field) for field in self.mentions()}
        if self.parameter is not None:
            names["parameter"] = name_of(self.parameter)
        return self.template.format(**names, **self.values)

class QuerySyntaxError(UsageError):
    """The SPARQL query does not parse. The message gives the engine's (or the server's) line and column."""


class QueryTimeout(ProfgraphError):
    """The query ran longer than its timeout and was stopped."""

    exit_code = 3


class QueryTooComplex(UsageError):
    """The query nests or chains more than the engine can parse safely (:func:`profgraph.sparql.check_query`)."""


class ServiceRefused(UsageError):
    """The query calls a ``SERVICE`` endpoint that is not on the allow-list (:func:`profgraph.sparql.check_query`)."""


class RemoteError(ProfgraphError):
    """The SPARQL server could not be reached, refused a request or gave an answer that cannot be
    used. ``status`` is the HTTP status it answered with, if it answered one, ``detail`` the start
    of the page that came with it, as one line of text, and ``server`` its ``Server`` header."""

    def __init__(self, message: str, status: int | None = None, detail: str = "", server: str = ""):
        super().__init__(message)
        self.status, self.detail, self.server = status, detail, server


class RemoteTimeout(RemoteError):
    """The server did not finish answering before the operation's deadline; the connection was closed."""

    exit_code = 3


class AnswerTooLarge(RemoteError):
    """The answer grew past its size cap; reading stopped there and the connection was closed."""
