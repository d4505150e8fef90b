"""A client's own skills (profgraph.client): paths, coverage and "you have X of Y" from the skills a
client has, checked against an independent recomputation from the CSV tables; the CLI's --have,
--lack and --profile, the profile command, bad input, and the API's answer equal to the CLI's."""

from __future__ import annotations

import itertools
import json

import pytest

from profgraph.client import client_skills
from profgraph.answers import reskilling_report_for
from profgraph.resources import data_dir

from conftest import app_client, curated_rows, routes, run
from rules_reference import Reference


def required(profession: str) -> list[str]:
    """The skills ``profession`` requires, as data/requirements.csv lists them, traits left out (a
    client neither has nor lacks a trait)."""
    traits = {row["id"] for row in curated_rows("skills") if row["type"] == "trait"}
    return [row["skill"] for row in curated_rows("requirements")
            if row["profession"] == profession and row["skill"] not in traits]


def client_reference(origin: str, skills) -> Reference:
    """The rules over the CSV tables with ``origin`` requiring exactly ``skills`` (specificity kept from
    the tables as they are)."""
    reference = Reference(data_dir())
    reference.required[origin] = {skill: 1.0 for skill in skills}
    return reference


@pytest.fixture(scope="module")
def emerging():
    return {row["id"] for row in curated_rows("professions") if row["status"] == "emerging"}


@pytest.fixture(scope="module")
def changed_by_lacking(curated, origin):
    """The first of the origin's skills (or pair of them, in table order) whose lack changes the paths to
    emerging professions, with the standard report and the client's."""
    standard = reskilling_report_for(curated, origin, status="emerging", top=5)
    skills = required(origin)
    for lacking in itertools.chain(([skill] for skill in skills), map(list, itertools.combinations(skills, 2))):
        client = client_skills(curated, origin, lack=lacking)
        report = reskilling_report_for(curated, origin, status="emerging", top=5, client=client)
        if routes(report) != routes(standard):
            return lacking, standard, report
    pytest.fail(f"no one or two skills of {origin} change its paths when lacking")


def test_lacking_a_skill_lowers_coverage_and_changes_the_paths_as_the_tables_say(changed_by_lacking, emerging, origin):
    lacking, standard, report = changed_by_lacking
    kept = set(required(origin)) - set(lacking)
    reference = client_reference(origin, kept)
    expected = reference.best_paths(origin, emerging)
    ranked = sorted(expected.items(), key=lambda item: (item[1][0], len(item[1][1]), item[0]))[:5]
    assert [(path["steps"][-1]["to"]["id"], path["score"]) for path in report["paths"]] == \
        [(pid, pytest.approx(cost, abs=1e-3)) for pid, (cost, _) in ranked]
    for path in report["paths"]:
        first = path["steps"][0]
        assert first["coverage"] == pytest.approx(reference.coverage(origin, first["to"]["id"]), abs=1e-4)
        assert reference.viable(origin, first["to"]["id"])
        # the first step teaches what the client lacks of the destination, the lacked skills included
        taught = {skill for names in first["skills_to_learn"].values() for skill in names}
        assert len(taught) == sum(1 for skill in required(first["to"]["id"]) if skill not in kept)
    standard_coverage = Reference(data_dir())
    block = report["client"]
    assert block["skills"] == len(kept) and len(block["removed"]) == len(lacking) and block["added"] == []
    assert [entry["id"] for entry in block["destinations"]] == [path["steps"][-1]["to"]["id"] for path in report["paths"]]
    for entry in block["destinations"]:
        needed = required(entry["id"])
        assert (entry["have"], entry["of"]) == (sum(1 for skill in needed if skill in kept), len(needed))
        assert entry["percent"] == round(100 * entry["have"] / entry["of"])
        assert entry["coverage"] == pytest.approx(reference.coverage(origin, entry["id"]), abs=1e-4)
        before = standard_coverage.coverage(origin, entry["id"])
        if set(lacking) & set(needed):
            assert entry["coverage"] < before - 1e-9
        else:
            assert entry["coverage"] == pytest.approx(before, abs=1e-4)


def test_a_skill_from_elsewhere_raises_coverage(curated, emerging, origin):
    held = set(required(origin))
    destination = sorted(emerging)[0]
    extra = next(skill for skill in required(destination) if skill not in held)
    report = reskilling_report_for(curated, origin, destination=destination, top=1,
                                   client=client_skills(curated, origin, have=[extra]))
    reference = client_reference(origin, held | {extra})
    assert report["client"]["added"] == [curated.model.skills[extra].labels["en"]]
    assert reference.coverage(origin, destination) > Reference(data_dir()).coverage(origin, destination)
    for entry in report["client"]["destinations"]:
        assert entry["coverage"] == pytest.approx(reference.coverage(origin, entry["id"]), abs=1e-4)


def test_the_cli_takes_skills_by_name_in_any_language(curated, changed_by_lacking, origin):
    lacking, _, report = changed_by_lacking
    labels = {row["id"]: row for row in curated_rows("skills")}
    for lang in ("kk", "ru", "en"):
        names = ",".join(labels[skill][f"label_{lang}"] for skill in lacking)
        result = run("path", origin, "--to", "emerging", "--lack", names, "--format", "json")
        assert result.exit_code == 0, result.output
        assert routes(json.loads(result.output)) == routes(report)
    text = run("path", origin, "--to", "emerging", "--lack", ",".join(lacking), "--lang", "en").output
    first = report["client"]["destinations"][0]
    assert f"you have {first['have']} of {first['of']} skills ({first['percent']}%)" in text


def test_unknown_skills_are_listed_with_suggestions_and_exit_2(origin):
    starting = [row["label_ru"] for row in curated_rows("skills") if row["label_ru"].startswith("работа ")]
    assert len(starting) > 1  # "работа" alone names several skills
    result = run("path", origin, "--to", "emerging", "--have", "фывапролдж,работа", "--lack", "qwxzv")
    assert result.exit_code == 2
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    assert "'фывапролдж'" in result.output and "'qwxzv'" in result.output
    assert "'работа' (names several:" in result.output


@pytest.mark.parametrize("content, problem", [
    (b'{"have": [', "not valid JSON"),
    (b'["cash handling"]', "must be a JSON object"),
    (b'{"profession": "cashier"}', "no 'have' list"),
    (b'{"have": "cash handling"}', "'have' must be a list"),
    (b'{"have": [1, 2]}', "'have' must be a list"),
    (b'{"have": ["cash handling"], "skills": []}', "unknown key 'skills'"),
    (b'\xff\xfe{"have": []}', "not UTF-8"),
    (b'{"have": ["cash handling"], "profession": 7}', "'profession' must be"),
])
def test_a_malformed_profile_is_one_line_naming_the_file(tmp_path, content, problem, origin):
    profile = tmp_path / "client.json"
    profile.write_bytes(content)
    result = run("path", origin, "--to", "emerging", "--profile", str(profile))
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [result.output.strip()]
    assert str(profile) in result.output and problem in result.output


def test_a_missing_profile_and_a_profile_without_skills(tmp_path, origin):
    missing = run("path", origin, "--to", "emerging", "--profile", str(tmp_path / "none.json"))
    assert missing.exit_code == 2 and "cannot read the profile" in missing.output
    empty = tmp_path / "empty.json"
    empty.write_text('{"have": []}', encoding="utf-8")
    result = run("path", origin, "--to", "emerging", "--profile", str(empty))
    assert result.exit_code == 2 and "no skills" in result.output
    everything = ",".join(required(origin))
    result = run("path", origin, "--to", "emerging", "--lack", everything)
    assert result.exit_code == 2 and "no skills" in result.output


def test_the_standard_profile_round_trips(tmp_path, curated, changed_by_lacking, origin):
    lacking, standard, report = changed_by_lacking
    written = tmp_path / "client.json"
    result = run("profile", origin, "--lang", "kk", "-o", str(written))
    assert result.exit_code == 0, result.output
    document = json.loads(written.read_text(encoding="utf-8"))
    labels = {row["id"]: row["label_kk"] for row in curated_rows("skills")}
    rows = [row for row in curated_rows("requirements") if row["profession"] == origin and row["skill"] in required(origin)]
    assert document == {"profession": next(row["label_kk"] for row in curated_rows("professions") if row["id"] == origin),
                        "have": [labels[row["skill"]] for relation in ("essential", "optional")
                                 for row in rows if row["relation"] == relation],
                        "lack": []}
    as_given = json.loads(run("path", origin, "--to", "emerging", "--profile", str(written),
                              "--format", "json").output)
    assert routes(as_given) == routes(standard) and as_given["client"]["removed"] == []
    assert [path["score"] for path in as_given["paths"]] == [path["score"] for path in standard["paths"]]
    document["have"] = [labels[skill] for skill in required(origin) if skill not in lacking]
    written.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    edited = json.loads(run("path", origin, "--to", "emerging", "--profile", str(written),
                            "--format", "json").output)
    assert routes(edited) == routes(report)


def test_the_api_answers_what_the_cli_answers(curated, changed_by_lacking, emerging, origin):
    lacking, _, _ = changed_by_lacking
    extra = next(skill for skill in required(sorted(emerging)[0]) if skill not in required(origin))
    cli = run("path", origin, "--to", "emerging", "--lang", "ru", "--format", "json",
              "--have", extra, "--lack", ",".join(lacking))
    assert cli.exit_code == 0, cli.output
    with app_client(curated) as client:
        response = client.get("/api/path", params={"from": origin, "to": "emerging", "lang": "ru",
                                                   "have": extra, "lack": ",".join(lacking)})
        assert response.status_code == 200
        assert response.json() == json.loads(cli.output)
        unknown = client.get("/api/path", params={"from": origin, "to": "emerging", "lack": "qwxzv"})
        assert unknown.status_code == 400 and "qwxzv" in unknown.json()["error"]


def test_the_plan_shows_the_client_paths_and_what_they_have(tmp_path, changed_by_lacking, origin):
    from profgraph.web.i18n import texts

    lacking, _, report = changed_by_lacking
    written = tmp_path / "plan.html"
    result = run("plan", origin, "--lang", "en", "--lack", ",".join(lacking), "-o", str(written))
    assert result.exit_code == 0, result.output
    html = written.read_text(encoding="utf-8")
    assert html.count('<li class="path">') == min(3, len(report["paths"]))
    for path, entry in zip(report["paths"][:3], report["client"]["destinations"]):
        assert " → ".join([path["steps"][0]["from"]["label"]] + [step["to"]["label"] for step in path["steps"]]) in html
        assert texts("en")["you_have"].format(**entry) in html
    assert "<script" not in html and "<canvas" not in html and "http" not in html.split("<footer>")[0].split("</head>")[1]


def test_the_plan_refuses_bad_input_and_writes_nothing(tmp_path, origin):
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    written = tmp_path / "plan.html"
    for args in (["--profile", str(bad)], ["--have", "qwxzv"], ["--region", "nowhere-at-all"]):
        result = run("plan", origin, "-o", str(written), *args)
        assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1, args
        assert not written.exists()
