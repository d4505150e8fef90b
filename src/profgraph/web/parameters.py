"""Request parameters described once: a :class:`Parameter` says a parameter's name, type, default,
bounds or choices and meaning; the same description parses a request (:func:`parse`) and documents
it in OpenAPI (:meth:`Parameter.openapi`), so the two cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import UsageError

MAX_TEXT = 200  # characters of a name or search text
FLAGS = {"": False, "0": False, "false": False, "no": False, "1": True, "true": True, "yes": True}
OPENAPI_TYPES = {"string": "string", "names": "string", "integer": "integer", "number": "number", "boolean": "boolean"}


class BadRequest(UsageError):
    """A request parameter is missing, malformed or out of range (answered with 400); the message
    names the parameter, and ``parameter`` holds its name."""

    def __init__(self, message: str, parameter: str):
        super().__init__("{text}", parameter, text=message)


@dataclass(frozen=True)
class Parameter:
    """One request parameter.

    ``kind``: ``string`` (stripped, at most :data:`MAX_TEXT` characters), ``names`` (comma-separated
    names or ids, a tuple), ``integer``, ``number`` or ``boolean``; ``minimum``/``maximum``: the
    bounds of a number (inclusive); ``choices``: the values a string may take; ``location``:
    ``query`` or ``path`` (a path parameter is passed on as the route matched it).
    """

    name: str
    kind: str
    text: str
    required: bool = False
    default: object = None
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    location: str = "query"

    def parse(self, raw: str | None):
        """Return the value of this parameter given as ``raw`` (None: absent): the default when it is
        absent, or blank and not required. Raises :class:`BadRequest` naming the parameter for a value that is missing,
        malformed or out of range."""
        if self.location == "path":
            return raw
        if self.kind == "names":
            from ..client import split_names

            return tuple(split_names(raw))
        if self.kind == "boolean":
            return self._flag(raw or "")
        if raw is None and self.default is not None:
            return self.default
        text = (raw or "").strip()
        if not text:
            if self.required:
                raise BadRequest(f"the parameter {self.name!r} is required", self.name)
            return self.default
        if self.kind in ("integer", "number"):
            return self._number(text)
        if len(text) > MAX_TEXT:
            raise BadRequest(f"the parameter {self.name!r} is longer than {MAX_TEXT} characters", self.name)
        if self.choices and text not in self.choices:
            raise BadRequest(f"the parameter {self.name!r} must be one of {', '.join(self.choices)}, "
                             f"not {text[:40]!r}", self.name)
        return text

    def _number(self, text: str):
        try:
            value = int(text) if self.kind == "integer" else float(text)
        except ValueError:
            whole = "a whole number" if self.kind == "integer" else "a number"
            raise BadRequest(f"the parameter {self.name!r} must be {whole}, not {text[:40]!r}", self.name) from None
        if not self.minimum <= value <= self.maximum:  # NaN is out of every range
            raise BadRequest(f"the parameter {self.name!r} must be between {self.minimum:g} and {self.maximum:g}, "
                             f"not {text[:40]}", self.name)
        return value

    def _flag(self, raw: str) -> bool:
        value = raw.strip().lower()
        if value not in FLAGS:
            raise BadRequest(f"the parameter {self.name!r} must be true or false, not {value[:40]!r}", self.name)
        return FLAGS[value]

    def description(self) -> str:
        """Return the parameter's meaning with its bounds or choices, as OpenAPI shows it."""
        if self.minimum is not None:
            return f"{self.text}, {self.minimum:g} to {self.maximum:g}"
        if self.choices:
            return f"{self.text}: {', '.join(self.choices[:-1])} or {self.choices[-1]}"
        return self.text

    def openapi(self) -> dict:
        """Return the OpenAPI 3 parameter object of this parameter."""
        schema = {"type": OPENAPI_TYPES[self.kind]}
        if self.default is not None:
            schema["default"] = self.default
        if self.minimum is not None:
            schema.update(minimum=self.minimum, maximum=self.maximum)
        if self.choices:
            schema["enum"] = list(self.choices)
        return {"name": self.name, "in": self.location, "required": self.required,
                "description": self.description(), "schema": schema}


def parse(parameters, query, path_params=None) -> dict:
    """Return ``{name: value}`` for each of ``parameters`` (:class:`Parameter`), read from ``query``
    (a mapping of query-string values) and ``path_params``. Raises :class:`BadRequest` for the first
    parameter that is missing, malformed or out of range."""
    path_params = path_params or {}
    return {parameter.name: parameter.parse(path_params.get(parameter.name) if parameter.location == "path"
                                            else query.get(parameter.name))
            for parameter in parameters}
