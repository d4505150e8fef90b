"""The exceptions profgraph raises. The CLI turns each into a one-line message and an exit code."""

from __future__ import annotations


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
        message = f"no {kind} matches {name!r}"
        if suggestions:
            message += "; closest: " + ", ".join(suggestions)
        super().__init__(message)


class Ambiguous(ProfgraphError):
    """A name matched several things equally well. ``candidates`` lists them."""

    exit_code = 2

    def __init__(self, name: str, candidates: list[str], kind: str = "profession"):
        self.name, self.candidates = name, candidates
        super().__init__(f"{name!r} names more than one {kind}: " + "; ".join(candidates))


class UsageError(ProfgraphError):
    """An option or argument is out of range."""

    exit_code = 2
