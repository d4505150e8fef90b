"""The curated Kazakhstan dataset: coverage, completeness, provenance and reachability,
checked from the CSV tables with pandas, independently of profgraph's reader."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pandas as pd
import pytest

from profgraph.stats import dataset_stats
from profgraph.validate import table_findings
from profgraph.vocab import LANGUAGES

from conftest import SHARED_DATA, curated_table

REQUIRED_SECTORS = {"construction", "ict", "agriculture", "education", "health", "trade", "mining",
                    "metallurgy", "oil-gas", "energy", "transport", "manufacturing", "finance",
                    "public-administration"}
TRANSVERSAL = {"systems-thinking", "cross-industry-communication", "environmental-thinking", "lean-production",
               "customer-focus", "learning-agility"}


def test_counts_by_status_and_sector():
    professions = curated_table("professions")
    assert len(professions) >= 300
    by_status = professions["status"].value_counts()
    assert by_status["emerging"] >= 130
    assert by_status["transforming"] >= 55
    assert by_status["disappearing"] >= 75
    assert by_status["stable"] >= 1
    assert REQUIRED_SECTORS <= set(professions["sector"])
    assert len(curated_table("skills")) >= 400


def test_every_profession_requires_six_skills_with_an_essential_one():
    requirements = curated_table("requirements")
    counts = requirements.groupby("profession").size()
    essential = requirements[requirements["relation"] == "essential"].groupby("profession").size()
    professions = set(curated_table("professions")["id"])
    assert set(counts.index) == professions
    assert counts.min() >= 6
    assert set(essential.index) == professions


def test_labels_complete_in_three_languages_and_unique():
    for name in ("professions", "skills", "sectors", "indicators", "areas", "units"):
        frame = curated_table(name)
        for lang in LANGUAGES:
            column = frame[f"label_{lang}"].str.strip()
            assert (column != "").all(), f"{name}: empty {lang} label"
            if name in ("professions", "skills"):
                duplicated = frame.loc[column.str.casefold().duplicated(keep=False), f"label_{lang}"]
                assert duplicated.empty, f"{name}: duplicate {lang} labels {sorted(set(duplicated))}"


def test_kazakh_labels_are_cyrillic_kazakh():
    cyrillic = re.compile(r"[а-яәғқңөұүһі]", re.IGNORECASE)
    kazakh_letters = re.compile(r"[әғқңөұүһі]", re.IGNORECASE)
    for name in ("professions", "skills"):
        labels = curated_table(name)["label_kk"]
        assert labels.map(lambda text: bool(cyrillic.search(text))).mean() >= 0.97
        # Kazakh, not Russian: a good share carries letters Russian does not have
        assert labels.map(lambda text: bool(kazakh_letters.search(text))).mean() >= 0.5


def test_no_dangling_references():
    professions, skills = set(curated_table("professions")["id"]), set(curated_table("skills")["id"])
    sources, sectors = set(curated_table("sources")["id"]), set(curated_table("sectors")["id"])
    requirements = curated_table("requirements")
    assert set(requirements["profession"]) <= professions
    assert set(requirements["skill"]) <= skills
    assert set(requirements["relation"]) <= {"essential", "optional"}
    transformations = curated_table("transformations")
    assert set(transformations["from"]) | set(transformations["to"]) <= professions
    assert set(transformations["source"]) <= sources
    assert set(curated_table("professions")["sector"]) <= sectors
    observations = curated_table("observations")
    assert set(observations["indicator"]) <= set(curated_table("indicators")["id"])
    assert set(observations["source"]) <= sources


def test_measures_in_range_and_sourced():
    measures = curated_table("profession_measures")
    assert sorted(measures["profession"]) == sorted(curated_table("professions")["id"])
    sources = set(curated_table("sources")["id"])
    for value, source in (("automation_risk", "automation_source"), ("genai_score", "genai_source"),
                          ("skill_level", "skill_level_source"), ("job_zone", "occupation_source"),
                          ("wage_kzt", "wage_source")):
        known = measures[value] != ""
        assert set(measures.loc[known, source]) <= sources, value  # every value names its source
        assert (measures.loc[~known, source] == "").all() or value == "job_zone", value
    assert (measures["automation_risk"] != "").all() and (measures["wage_kzt"] != "").all()
    for column in ("automation_percentile", "genai_percentile", "automation_prevalence"):
        values = pd.to_numeric(measures[column].replace("", None)).dropna()
        assert values.between(0, 1).all(), column


def test_every_indicator_figure_is_sourced_in_the_rdf(curated):
    observations = curated_table("observations")
    assert (observations["source"] != "").all()
    rows = list(curated.rdf.query(
        "SELECT ?o ?v ?s WHERE { ?o a qb:Observation ; sdmx-measure:obsValue ?v ; dct:source ?s }",
        use_default_graph_as_union=True,
        prefixes={"qb": "http://purl.org/linked-data/cube#", "dct": "http://purl.org/dc/terms/",
                  "sdmx-measure": "http://purl.org/linked-data/sdmx/2009/measure#"}))
    assert len(rows) == len(observations)
    assert sorted(float(row[1].value) for row in rows) == sorted(pd.to_numeric(observations["value"]))
    for figure, value in (("atlas-emerging-professions", 239), ("jobs-high-automation-exposure", 52),
                          ("digital-literacy", 84.1)):
        assert float(observations.loc[observations["indicator"] == figure, "value"].iloc[0]) == value


def test_transversal_skills_cross_sectors():
    requirements = curated_table("requirements").merge(curated_table("professions")[["id", "sector"]],
                                                left_on="profession", right_on="id")
    sectors_per_skill = requirements.groupby("skill")["sector"].nunique()
    for skill in TRANSVERSAL:
        assert sectors_per_skill.get(skill, 0) >= 3, skill
    assert (sectors_per_skill >= 5).sum() >= 20


def test_transformations_name_successors():
    transformations = curated_table("transformations")
    status = curated_table("professions").set_index("id")["status"]
    assert len(transformations) >= 60
    assert (transformations["from"] != transformations["to"]).all()
    assert set(status[transformations["from"]]) <= {"disappearing", "transforming"}


def test_stranded_professions_are_disappearing_ones_and_none_is_cut_off(curated):
    """Deep profiles make single moves longer: at coverage 0.4 some disappearing professions have no
    viable path to an emerging one (``stranded_by_rule["viable"]``). None is cut off: with viability
    alone at the transition graph's floor, coverage 0.2, each reaches one."""
    from profgraph.rules import Rules
    from profgraph.stats import stranded_by_rule

    stats = dataset_stats(curated)
    status = curated_table("professions").set_index("id")["status"]
    assert stats["professions"]["by_status"]["disappearing"] >= 75
    assert set(status[stats["stranded"]]) <= {"disappearing"}
    assert set(stats["stranded_by_rule"]["viable"]["professions"]) <= set(stats["stranded"])
    assert stranded_by_rule(curated, Rules(min_coverage=0.2))["viable"] == []


def test_no_table_check_violations(curated):
    assert [f for f in table_findings(curated.model) if f.severity == "violation"] == []


needs_shared = pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="../shared/data (ESCO, Nesta) is absent")


@needs_shared
def test_measures_recomputed_from_the_reference_data():
    """data/profession_measures.csv agrees with the reference tables, recomputed here with pandas."""
    nesta = SHARED_DATA / "nesta-mcc"
    risk = pd.read_csv(nesta / "mcc_risk_All_occupations.csv")
    risk["percentile"] = risk["risk"].rank(method="max") / len(risk)  # share of occupations at most as risky
    own = risk.set_index("concept_uri")
    inputs = pd.read_csv(nesta / "mcc_transitions_Occupation_data_inputs.csv").set_index("concept_uri")
    genai = pd.read_csv(SHARED_DATA / "ilo-genai-2025" / "genai_exposure_isco08_unit_groups.csv",
                        dtype={"ISCO_08": str}).set_index("ISCO_08")
    wages = pd.read_csv(SHARED_DATA / "kz-wages-2022" / "avg_monthly_wage_by_occupation_major_group_2022.csv")
    national = wages[wages["regions"] == "The Republic Of Kazakhstan"].iloc[0]
    columns = {"1": "managers_&_civil_servants", "2": "qualified", "3": "tech_personnel", "4": "admin_emplyees",
               "5": "service_and_sales", "6": "agriculture", "7": "Engineers_transport",
               "8": "assemblers_and_drivers", "9": "unqualified"}
    skill_levels = {"1": 4, "2": 4, "3": 3, "4": 2, "5": 2, "6": 2, "7": 2, "8": 2, "9": 1}  # ISCO-08
    quartiles = risk["risk"].quantile([0.25, 0.75]).tolist() + risk["prevalence"].quantile([0.25, 0.75]).tolist()
    rows = curated_table("profession_measures").merge(curated_table("professions"), left_on="profession", right_on="id")
    bases = set()
    for _, row in rows.iterrows():
        value = float(row["automation_risk"])
        bases.add(row["automation_basis"])
        assert float(row["automation_percentile"]) == pytest.approx((risk["risk"] <= value).mean(), abs=1e-6)
        if row["esco_match"] in ("broad", "narrow"):
            assert row["automation_basis"] == "skill-profile", row["profession"]
        if row["automation_basis"] == "esco-occupation":
            assert row["esco_uri"] in own.index
            expected = own.loc[row["esco_uri"]]
            assert value == pytest.approx(expected["risk"], abs=1e-5)
            assert float(row["automation_prevalence"]) == pytest.approx(expected["prevalence"], abs=1e-5)
            assert row["automation_category"] == expected["risk_category"]
            assert float(row["job_zone"]) == inputs.loc[row["esco_uri"], "job_zone"]
            assert float(row["annual_earnings"]) == pytest.approx(inputs.loc[row["esco_uri"], "annual_earnings"], abs=1)
        elif row["automation_basis"] == "esco-broader":
            assert row["esco_uri"] not in own.index and value in set(own["risk"])
        else:
            # a broad or narrow match is another occupation: its risk is estimated from the skills,
            # while the occupation still gives the preparation and the earnings
            assert row["automation_basis"] == "skill-profile"
            assert row["esco_uri"] not in own.index or row["esco_match"] in ("broad", "narrow")
            if row["esco_uri"] in inputs.index:
                assert float(row["job_zone"]) == inputs.loc[row["esco_uri"], "job_zone"]
            prevalence = float(row["automation_prevalence"])
            high = value > quartiles[1] and prevalence < quartiles[2]
            low = value < quartiles[0] and prevalence > quartiles[3]
            assert row["automation_category"] == ("High risk" if high else "Low risk" if low else "Other")
        isco = row["isco08"]
        if isco in genai.index:
            assert float(row["genai_score"]) == genai.loc[isco, "mean_score_2025"]
            assert row["genai_category"] == genai.loc[isco, "potential25"]
        assert float(row["wage_kzt"]) == national[columns[isco[0]]]
        assert int(row["skill_level"]) == (3 if isco.startswith("14") else skill_levels[isco[0]])
    assert bases == {"esco-occupation", "esco-broader", "skill-profile"}


@needs_shared
def test_esco_links_exist_and_cover_most_professions(curated):
    with zipfile.ZipFile(SHARED_DATA / "esco-v1.1.1" / "esco-v1.1.1-classification-en-csv.zip") as archive:
        def uris(member):
            with archive.open(member) as handle:
                return {row["conceptUri"] for row in csv.DictReader(io.TextIOWrapper(handle, encoding="utf-8"))}
        occupations, skills = uris("occupations_en.csv"), uris("skills_en.csv")
    linked_professions = {u for u in curated_table("professions")["esco_uri"] if u}
    linked_skills = {u for u in curated_table("skills")["esco_uri"] if u}
    assert linked_professions <= occupations
    assert linked_skills <= skills
    assert dataset_stats(curated)["links"]["esco_professions"] >= 0.5
