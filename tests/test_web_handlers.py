"""The web layer's parts on their own: the API table that both checks requests and describes them in
OpenAPI, and page and API handlers called without the whole app (a Starlette request built here, or
an app holding one route), on the curated data."""

from __future__ import annotations

import dataclasses
import inspect
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

pytest.importorskip("starlette", reason="the server extra is not installed")

from starlette.applications import Starlette  # noqa: E402
from starlette.exceptions import HTTPException  # noqa: E402
from starlette.requests import Request  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

from profgraph import answers  # noqa: E402
from profgraph.rules import make_rules  # noqa: E402
from profgraph.web import api, pages  # noqa: E402
from profgraph.web.app import ServerSettings  # noqa: E402
from profgraph.web.context import ServerContext  # noqa: E402
from profgraph.web.parameters import BadRequest, parse  # noqa: E402

from conftest import app_client  # noqa: E402

# A valid value of each required parameter, so that one other parameter at a time can be wrong.
REQUIRED = {"q": "кассир", "from": "cashier", "to": "emerging", "name": "cashier", "id": "cashier"}
# The library function each operation answers with, whose keyword defaults the API documents.
LIBRARY = {"/api/search": answers.search_report, "/api/profession/{id}": answers.profession_card,
           "/api/path": answers.reskilling_report, "/api/similar": answers.similar_report}


@pytest.fixture(scope="module")
def context(curated):
    server = ServerContext(curated, ServerSettings(), ("kk", "ru", "en"))
    yield server
    server.close()


@pytest.fixture(scope="module")
def client(curated):
    with app_client(curated) as test_client:
        yield test_client


def app_holding(context, *routes) -> Starlette:
    app = Starlette(routes=list(routes))
    app.state.context = context
    return app


def request_for(context, path: str, path_params: dict | None = None, query: list | dict | None = None) -> Request:
    """A GET request for ``path`` as the router hands it to a handler, in an app holding ``context``."""
    return Request({"type": "http", "method": "GET", "path": path, "raw_path": path.encode(), "root_path": "",
                    "scheme": "http", "server": ("127.0.0.1", 80), "headers": [(b"host", b"127.0.0.1")],
                    "query_string": urlencode(query or {}, doseq=True).encode(), "path_params": path_params or {},
                    "app": app_holding(context)})


def api_url(route: str, **params) -> str:
    path = route.replace("{id}", REQUIRED["id"])
    needed = {p.name: REQUIRED[p.name] for p in api.OPERATIONS[route].parameters
              if p.required and p.location == "query"}
    return path + "?" + urlencode({**needed, **params})


def bounded_parameters():
    return [(route, parameter) for route, operation in api.OPERATIONS.items() for parameter in operation.parameters
            if parameter.minimum is not None or parameter.choices]


# ------------------------------------------------------------------ the API table

@pytest.mark.parametrize("route, parameter", bounded_parameters(), ids=lambda item: getattr(item, "name", item))
def test_out_of_range_values_get_400_naming_the_parameter(client, route, parameter):
    if parameter.choices:
        wrong = ["nowhere-" + parameter.choices[0]]
    else:
        step = 1 if parameter.kind == "integer" else 0.5
        wrong = [parameter.minimum - step, parameter.maximum + step, "many"]
    for value in wrong:
        response = client.get(api_url(route, **{parameter.name: value}))
        assert response.status_code == 400, (value, response.text)
        assert f"'{parameter.name}'" in response.json()["error"]
    inside = parameter.choices[-1] if parameter.choices else parameter.maximum
    assert client.get(api_url(route, **{parameter.name: inside})).status_code == 200


def test_a_bound_changed_in_the_table_changes_validation_and_openapi(curated, path_origin, monkeypatch):
    path = api.OPERATIONS["/api/path"]
    narrower = tuple(dataclasses.replace(p, maximum=2, default=1) if p.name == "top" else p for p in path.parameters)
    monkeypatch.setitem(api.OPERATIONS, "/api/path", dataclasses.replace(path, parameters=narrower))
    with app_client(curated) as client:
        origin = {"from": path_origin.id}  # it has at least three paths
        refused = client.get(api_url("/api/path", top=3, **origin))
        assert refused.status_code == 400 and "'top' must be between 1 and 2" in refused.json()["error"]
        assert len(client.get(api_url("/api/path", top=2, **origin)).json()["paths"]) == 2
        assert len(client.get(api_url("/api/path", **origin)).json()["paths"]) == 1  # the table's default
        described = client.get("/api/openapi.json").json()["paths"]["/api/path"]["get"]["parameters"]
    top = next(parameter for parameter in described if parameter["name"] == "top")
    assert top["schema"] == {"type": "integer", "default": 1, "minimum": 1, "maximum": 2}
    assert top["description"].endswith("1 to 2")


def test_openapi_documents_the_library_defaults(client):
    rules = inspect.signature(make_rules).parameters
    described = client.get("/api/openapi.json").json()["paths"]
    checked = 0
    for route, function in LIBRARY.items():
        keywords = inspect.signature(function).parameters
        for parameter in described[route]["get"]["parameters"]:
            if "default" in parameter["schema"]:
                library = keywords[parameter["name"]] if parameter["name"] in keywords else rules[parameter["name"]]
                assert parameter["schema"]["default"] == library.default, (route, parameter["name"])
                checked += 1
    assert checked >= 20


def test_the_table_parses_types_defaults_and_names():
    parameters = api.OPERATIONS["/api/path"].parameters
    parsed = parse(parameters, {"from": " cashier ", "to": "safer", "top": "7", "min_coverage": "0.5",
                                "allow_riskier": "Yes", "have": "python, , sql"})
    assert parsed["from"] == "cashier" and parsed["top"] == 7 and parsed["min_coverage"] == 0.5
    assert parsed["allow_riskier"] is True and parsed["allow_lower_pay"] is False
    assert parsed["have"] == ("python", "sql") and parsed["lack"] == ()
    assert parsed["max_steps"] == answers.DEFAULT_MAX_STEPS and parsed["lang"] == "en" and parsed["region"] is None
    for query, message in (({"to": "emerging"}, "'from' is required"),
                           ({"from": "x", "to": "emerging", "top": "2.5"}, "'top' must be a whole number"),
                           ({"from": "x", "to": "emerging", "min_coverage": "nan"}, "'min_coverage' must be between"),
                           ({"from": "x", "to": "emerging", "allow_riskier": "maybe"}, "'allow_riskier' must be true"),
                           ({"from": "x" * 201, "to": "emerging"}, "'from' is longer than 200")):
        with pytest.raises(BadRequest, match=message):
            parse(parameters, query)


# ------------------------------------------------------------------ handlers alone

def test_an_api_answer_function_needs_no_request(context, curated):
    arguments = parse(api.OPERATIONS["/api/path"].parameters, {"from": "кассир", "to": "emerging", "top": "2"})
    assert api.path(context, arguments) == answers.reskilling_report(curated, "кассир", "emerging", top=2)
    arguments = parse(api.OPERATIONS["/api/similar"].parameters, {"name": "cashier", "risk": "genai"})
    assert api.similar(context, arguments) == answers.similar_report(curated, "cashier", rules=make_rules(risk="genai"))


def test_an_api_route_alone_answers_and_refuses(context, curated):
    with TestClient(app_holding(context, api.route("/api/similar")), base_url="http://127.0.0.1") as client:
        answer = client.get("/api/similar", params={"name": "cashier", "top": 3, "lang": "kk"})
        assert answer.json() == answers.similar_report(curated, "cashier", top=3, lang="kk")
        unknown = client.get("/api/similar", params={"name": "zzqxw"})
        assert unknown.status_code == 404 and isinstance(unknown.json()["suggestions"], list)
        assert client.get("/api/similar", params={"name": "cashier", "top": 0}).status_code == 400


def test_a_profession_page_handler_alone(context, curated):
    cashier = curated.model.professions["cashier"]
    response = pages.profession_page(request_for(context, "/kk/profession/cashier", {"lang": "kk", "id": "cashier"}))
    text = response.body.decode("utf-8")
    assert response.status_code == 200 and '<html lang="kk">' in text and cashier.labels["kk"] in text
    assert 'href="/ru/profession/cashier"' in text  # the same page in another language
    with pytest.raises(HTTPException) as missing:
        pages.profession_page(request_for(context, "/kk/profession/nobody", {"lang": "kk", "id": "nobody"}))
    assert missing.value.status_code == 404
    with pytest.raises(HTTPException):
        pages.profession_page(request_for(context, "/fr/profession/cashier", {"lang": "fr", "id": "cashier"}))


def test_the_skills_form_handler_keeps_what_differs_from_the_profile(context, curated):
    from profgraph.client import learnable

    profile = learnable(curated.model, curated.model.professions["cashier"].skills)
    unticked, added = profile[0], next(skill for skill in curated.model.skills if skill not in profile)
    query = [("from", "cashier"), ("to", "emerging"), ("skills_form", "1"), ("add", added),
             *(("held", skill) for skill in profile[1:])]
    response = pages.path_page(request_for(context, "/en/path", {"lang": "en"}, query))
    assert response.status_code == 303
    location = urlsplit(response.headers["location"])
    assert location.path == "/en/path"
    assert parse_qs(location.query) == {"from": ["cashier"], "to": ["emerging"], "have": [added], "lack": [unticked]}


def test_the_plan_handler_alone_names_a_missing_parameter(context, path_origin):
    response = pages.plan_page(request_for(context, "/ru/plan", {"lang": "ru"}, {"to": "emerging"}))
    assert response.status_code == 400 and "'from'" in response.body.decode("utf-8")
    response = pages.plan_page(request_for(context, "/ru/plan", {"lang": "ru"}, {"from": path_origin.id, "to": ""}))
    assert response.status_code == 400 and "'to'" in response.body.decode("utf-8")
    response = pages.plan_page(request_for(context, "/ru/plan", {"lang": "ru"}, {"from": path_origin.id}))
    assert response.status_code == 200 and response.body.decode("utf-8").count('<li class="path">') >= 1


def test_the_plan_and_the_path_finder_list_the_steps_alike(client, path_origin):
    """Both render a path's steps with one macro: the same steps, each with the same skills to learn by type."""
    import re

    def steps(page: str) -> list[tuple[str, str]]:
        return re.findall(r'<span class="step">([^<]*)</span>.*?(<dl class="gap">.*?</dl>)', page, re.S)

    query = {"from": path_origin.id, "to": "emerging"}
    plan, finder = client.get("/en/plan", params=query).text, client.get("/en/path", params=query).text
    planned = steps(plan)
    assert planned and plan.count('<li class="path">') == 3
    assert planned == steps(finder)[:len(planned)]
