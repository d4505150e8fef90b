"""The JSON API of ``profgraph serve``: what :mod:`profgraph.answers` returns, as JSON.

:data:`OPERATIONS` is the one table of the API: for each route, the function that answers it, a
summary and its :class:`~profgraph.web.parameters.Parameter` list, whose types, defaults, bounds
and choices both check requests (:func:`respond`) and describe them (:func:`openapi`). Each answer
function takes the :class:`~profgraph.web.context.ServerContext` and the parsed arguments, so it can
be called without a request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .. import answers
from ..errors import Ambiguous, NotFound, ProfgraphError, UsageError
from ..reskilling import DEFAULT_MAX_STEPS, DEFAULT_TOP
from ..rules import DEFAULT_MAX_PREP_STEP, DEFAULT_MIN_COVERAGE, DEFAULT_MIN_PAY_RATIO, DEFAULT_RISK, RISKS
from ..vocab import LANGUAGES
from .context import ServerContext, context_of
from .parameters import MAX_TEXT, Parameter, parse


def search(context: ServerContext, arguments: dict) -> list[dict]:
    """Return :func:`profgraph.answers.search_report` for ``q``, ``kind``, ``limit``, ``lang``."""
    return answers.search_report(context.dataset, arguments["q"], kind=arguments["kind"], limit=arguments["limit"],
                                 lang=arguments["lang"])


def profession(context: ServerContext, arguments: dict) -> dict:
    """Return :func:`profgraph.answers.profession_card` for the profession ``id`` in ``lang``. Raises
    :class:`~profgraph.errors.NotFound` (with suggestions) for an id the data does not hold."""
    pid = arguments["id"]
    if pid not in context.model.professions:
        raise NotFound(pid[:MAX_TEXT], [match.id for match in context.dataset.names.search(pid[:MAX_TEXT], "profession", 5)])
    return answers.profession_card(context.model, pid, arguments["lang"], dataset=context.dataset)


def path(context: ServerContext, arguments: dict) -> dict:
    """Return :func:`profgraph.answers.reskilling_report` from ``from`` to ``to`` under the request's
    rules, for a client who has ``have`` and lacks ``lack``."""
    return answers.reskilling_report(context.dataset, arguments["from"], arguments["to"], top=arguments["top"],
                                     max_steps=arguments["max_steps"], lang=arguments["lang"], rules=rules(arguments),
                                     have=arguments["have"], lack=arguments["lack"])


def similar(context: ServerContext, arguments: dict) -> dict:
    """Return :func:`profgraph.answers.similar_report` for ``name`` under the request's rules."""
    return answers.similar_report(context.dataset, arguments["name"], top=arguments["top"], lang=arguments["lang"],
                                  rules=rules(arguments))


def rules(arguments: dict):
    """Return the :class:`profgraph.rules.Rules` of the parsed :data:`RULE_PARAMETERS` (and
    ``min_coverage``). Raises :class:`~profgraph.errors.UsageError` for a region without wages."""
    from ..rules import make_rules

    return make_rules(min_coverage=arguments["min_coverage"], max_prep_step=arguments["max_prep_step"],
                      min_pay_ratio=arguments["min_pay_ratio"], risk=arguments["risk"],
                      allow_riskier=arguments["allow_riskier"], allow_lower_pay=arguments["allow_lower_pay"],
                      allow_stepping_stones=arguments["allow_stepping_stones"], region=arguments["region"])


@dataclass(frozen=True)
class Operation:
    """One API route: the function that answers it (``answer(context, arguments)``), a summary and
    its parameters."""
    answer: Callable
    summary: str
    parameters: tuple[Parameter, ...]


LANG = Parameter("lang", "string", "language of the labels", default="en", choices=LANGUAGES)
MIN_COVERAGE = Parameter("min_coverage", "number", "least coverage of a viable transition",
                         default=DEFAULT_MIN_COVERAGE, minimum=0.01, maximum=1.0)
HAVE = Parameter("have", "names", "skills the client has beyond the profession's, comma-separated names or ids")
LACK = Parameter("lack", "names", "skills of the profession the client lacks, comma-separated names or ids")
# The transition rules' parameters (profgraph.rules), shared by the answers that judge moves.
RULE_PARAMETERS = (
    Parameter("risk", "string", "what 'safer' is judged on", default=DEFAULT_RISK, choices=RISKS),
    Parameter("min_pay_ratio", "number", "least pay of a destination as a share of the origin's",
              default=DEFAULT_MIN_PAY_RATIO, minimum=0.0, maximum=1.0),
    Parameter("max_prep_step", "integer", "most change in preparation level in one step",
              default=DEFAULT_MAX_PREP_STEP, minimum=0, maximum=4),
    Parameter("allow_riskier", "boolean", "also show destinations that are not safer, flagged", default=False),
    Parameter("allow_lower_pay", "boolean", "also show destinations that pay less, flagged", default=False),
    Parameter("allow_stepping_stones", "boolean", "let paths go through disappearing or riskier professions",
              default=False),
    Parameter("region", "string", "compare pay with this region's wages (default: the whole country)"),
)

OPERATIONS = {
    "/api/search": Operation(search, "Professions and skills whose labels match q, in any language "
                                     "(answers.search_report).", (
        Parameter("q", "string", "the text to look for", required=True),
        Parameter("kind", "string", "the kind of hits (both when absent)", choices=("profession", "skill")),
        Parameter("limit", "integer", "most hits", default=answers.DEFAULT_SEARCH_LIMIT, minimum=1, maximum=100),
        LANG)),
    "/api/profession/{id}": Operation(profession, "The card of one profession (answers.profession_card).", (
        Parameter("id", "string", "the profession's id (see /api/search)", required=True, location="path"),
        LANG)),
    "/api/path": Operation(path, "Ranked reskilling paths (answers.reskilling_report).", (
        Parameter("from", "string", "the profession a worker has (a name in any language or an id)", required=True),
        Parameter("to", "string", "emerging, transforming, stable, safer or a profession name", required=True),
        Parameter("top", "integer", "how many paths", default=DEFAULT_TOP, minimum=1, maximum=50),
        Parameter("max_steps", "integer", "most transitions in one path", default=DEFAULT_MAX_STEPS, minimum=1,
                  maximum=6),
        MIN_COVERAGE,
        HAVE,
        LACK,
        *RULE_PARAMETERS,
        LANG)),
    "/api/similar": Operation(similar, "The professions most similar by skills, each move judged by the rules "
                                       "(answers.similar_report).", (
        Parameter("name", "string", "a profession name in any language or an id", required=True),
        Parameter("top", "integer", "how many professions", default=answers.DEFAULT_SIMILAR_TOP, minimum=1,
                  maximum=100),
        MIN_COVERAGE,
        *RULE_PARAMETERS,
        LANG)),
}


def route(route_path: str):
    """Return the Starlette route of the API operation ``route_path`` (a key of :data:`OPERATIONS`,
    looked up at each request)."""

    async def endpoint(request):
        return await respond(request, OPERATIONS[route_path])

    return Route(route_path, endpoint)


async def respond(request, operation: Operation):
    """Return the response to ``request`` for ``operation``: its answer as JSON (kept for the next
    equal request), or a JSON error (400, or 404 for a name that matches nothing)."""
    context = context_of(request)
    try:
        arguments = parse(operation.parameters, request.query_params, request.path_params)
        body = await run_in_threadpool(context.api_answer, operation.answer, tuple(arguments.items()))
    except ProfgraphError as error:
        return error_response(error)
    return Response(body, media_type="application/json")


def status_code(error: Exception) -> int:
    """Return the HTTP status of a library error: 404 for a name that matches nothing, else 400."""
    return 404 if isinstance(error, NotFound) else 400


def error_response(error: ProfgraphError):
    """Return the JSON answer to ``error``: ``{error}``, with ``suggestions`` for a name that matches
    nothing or ``candidates`` for an ambiguous one."""
    body = {"error": str(error)}
    if isinstance(error, UsageError) and error.parameter:  # the API's query parameters carry the library's names
        body["parameter"] = error.parameter
    if isinstance(error, NotFound):
        body["suggestions"] = error.suggestions
    if isinstance(error, Ambiguous):
        body["candidates"] = error.candidates
    return JSONResponse(body, status_code(error))


def openapi() -> dict:
    """Return the OpenAPI 3 description of the JSON API, built from :data:`OPERATIONS`."""
    from .. import __version__

    paths = {route_path: {"get": {
        "summary": operation.summary,
        "parameters": [parameter.openapi() for parameter in operation.parameters],
        "responses": {"200": {"description": "the answer as JSON"},
                      "400": {"description": "a bad parameter or an ambiguous name: {error}"},
                      "404": {"description": "a name that matches nothing: {error, suggestions}"}}}}
        for route_path, operation in OPERATIONS.items()}
    return {"openapi": "3.0.3", "info": {"title": "profgraph API", "version": __version__}, "paths": paths}


def description(request):
    """``/api/openapi.json``: the OpenAPI description of the API (:func:`openapi`)."""
    return JSONResponse(openapi())
