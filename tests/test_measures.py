"""The measures of each profession: in the RDF with their provenance, in plain levels, and the risk
estimated from skills, checked against the tables and the reference data."""

from __future__ import annotations

import csv

import pytest

from profgraph.measures import automation_level, genai_level, isco_skill_level, nesta_category
from profgraph.model import Measures
from profgraph.resources import data_dir

from conftest import SHARED_DATA

PREFIXES = {"pg": "https://w3id.org/profgraph/ontology#", "prov": "http://www.w3.org/ns/prov#"}
ACTIVITIES = {"esco-occupation": "EscoOccupationLookup", "esco-broader": "BroaderEscoOccupationLookup",
              "skill-profile": "SkillProfileEstimation", "isco-unit-group": "IscoUnitGroupLookup",
              "isco-minor-group": "IscoMinorGroupLookup"}
LEVELS = {"High risk": "HighLevel", "Other": "MediumLevel", "Low risk": "LowLevel"}


def test_every_automation_risk_in_the_rdf_says_how_and_from_what(curated):
    rows = {row["profession"]: row for row in csv.DictReader((data_dir() / "profession_measures.csv").open(
        encoding="utf-8"))}
    answer = curated.rdf.query(
        "SELECT ?id ?risk ?source ?how ?level WHERE { ?p skos:notation ?id ; pg:automationRisk ?m . "
        "?m pg:riskScore ?risk ; prov:wasDerivedFrom ?source ; prov:wasGeneratedBy ?how ; pg:level ?level }",
        use_default_graph_as_union=True,
        prefixes={**PREFIXES, "skos": "http://www.w3.org/2004/02/skos/core#"})
    found = {solution["id"].value: solution for solution in answer}
    assert found.keys() == rows.keys()
    for pid, solution in found.items():
        row = rows[pid]
        assert float(solution["risk"].value) == float(row["automation_risk"])
        assert solution["source"].value == f"https://w3id.org/profgraph/source/{row['automation_source']}"
        assert solution["how"].value == PREFIXES["pg"] + ACTIVITIES[row["automation_basis"]]
        assert solution["level"].value == PREFIXES["pg"] + LEVELS[row["automation_category"]]


def test_plain_levels_come_from_the_sources_categories():
    assert [automation_level(Measures(automation_category=c)) for c in ("Low risk", "Other", "High risk", None)] == \
        ["low", "medium", "high", None]
    assert [genai_level(Measures(genai_category=c)) for c in
            ("Not Exposed", "Minimal Exposure", "Exposed: Gradient 1", "Exposed: Gradient 2", "Exposed: Gradient 3",
             "Exposed: Gradient 4")] == ["low", "low", "medium", "medium", "high", "high"]
    quartiles = (3.40, 3.53, 0.48, 0.79)  # about Nesta's: risk Q1, Q3; bottleneck share Q1, Q3
    assert nesta_category(3.60, 0.30, quartiles) == "High risk"
    assert nesta_category(3.60, 0.50, quartiles) == "Other"  # risky, but enough bottleneck tasks
    assert nesta_category(3.30, 0.90, quartiles) == "Low risk"
    assert [isco_skill_level(code) for code in ("1120", "1412", "2511", "3139", "5230", "9112", "0110", None)] == \
        [4, 3, 4, 3, 2, 1, 4, None]


@pytest.mark.slow
@pytest.mark.skipif(not (SHARED_DATA / "esco-v1.1.1").is_dir(), reason="../shared/data (ESCO, Nesta) is absent")
def test_the_skill_profile_estimate_agrees_with_nesta_on_held_out_occupations():
    from profgraph.exposure_model import cross_validate
    from profgraph.sources.esco import esco_profiles
    from profgraph.sources.nesta import RISK_FILE, read_risk_table

    risk = read_risk_table(SHARED_DATA / "nesta-mcc" / RISK_FILE)
    profiles, iscos, _ = esco_profiles(SHARED_DATA / "esco-v1.1.1")
    uris = [uri for uri in risk.by_uri if uri in profiles]
    targets = [[risk.by_uri[uri].risk, risk.by_uri[uri].prevalence] for uri in uris]
    scores = cross_validate([profiles[u] for u in uris], [iscos[u] for u in uris], targets, folds=3)
    assert scores["n"] == 1626 and scores["risk"] > 0.55 and scores["prevalence"] > 0.75
    alone = cross_validate([profiles[u] for u in uris], [iscos[u] for u in uris], targets, folds=3, use_isco=False)
    assert 0.45 < alone["risk"] < scores["risk"]  # the skills carry signal; the ISCO groups add to it
