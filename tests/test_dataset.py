"""The curated Kazakhstan dataset: coverage, completeness, provenance and reachability,
checked from the CSV tables with pandas, independently of profgraph's reader."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pandas as pd
import pytest

from profgraph.resources import data_dir
from profgraph.stats import dataset_stats
from profgraph.validate import table_findings
from profgraph.vocab import LANGUAGES

from conftest import SHARED_DATA

REQUIRED_SECTORS = {"construction", "ict", "agriculture", "education", "health", "trade", "mining",
                    "metallurgy", "oil-gas", "energy", "transport", "manufacturing", "finance",
                    "public-administration"}
TRANSVERSAL = {"systems-thinking", "cross-industry-communication", "environmental-thinking", "lean-production",
               "customer-focus", "learning-agility"}


def table(name: str) -> pd.DataFrame:
    return pd.read_csv(data_dir() / f"{name}.csv", dtype=str, keep_default_na=False)


def test_counts_by_status_and_sector():
    professions = table("professions")
    assert len(professions) >= 300
    by_status = professions["status"].value_counts()
    assert by_status["emerging"] >= 130
    assert by_status["transforming"] >= 55
    assert by_status["disappearing"] >= 75
    assert by_status["stable"] >= 1
    assert REQUIRED_SECTORS <= set(professions["sector"])
    assert len(table("skills")) >= 400


def test_every_profession_requires_six_skills_with_an_essential_one():
    requirements = table("requirements")
    counts = requirements.groupby("profession").size()
    essential = requirements[requirements["relation"] == "essential"].groupby("profession").size()
    professions = set(table("professions")["id"])
    assert set(counts.index) == professions
    assert counts.min() >= 6
    assert set(essential.index) == professions


def test_labels_complete_in_three_languages_and_unique():
    for name in ("professions", "skills", "sectors", "indicators", "areas", "units"):
        frame = table(name)
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
        labels = table(name)["label_kk"]
        assert labels.map(lambda text: bool(cyrillic.search(text))).mean() >= 0.97
        # Kazakh, not Russian: a good share carries letters Russian does not have
        assert labels.map(lambda text: bool(kazakh_letters.search(text))).mean() >= 0.5


def test_no_dangling_references():
    professions, skills = set(table("professions")["id"]), set(table("skills")["id"])
    sources, sectors = set(table("sources")["id"]), set(table("sectors")["id"])
    requirements = table("requirements")
    assert set(requirements["profession"]) <= professions
    assert set(requirements["skill"]) <= skills
    assert set(requirements["relation"]) <= {"essential", "optional"}
    transformations = table("transformations")
    assert set(transformations["from"]) | set(transformations["to"]) <= professions
    assert set(transformations["source"]) <= sources
    assert set(table("professions")["sector"]) <= sectors
    observations = table("observations")
    assert set(observations["indicator"]) <= set(table("indicators")["id"])
    assert set(observations["source"]) <= sources


def test_exposure_in_range_and_sourced():
    professions = table("professions")
    exposure = pd.to_numeric(professions["automation_exposure"])
    assert exposure.notna().all() and exposure.between(0, 1).all()
    assert (professions["exposure_source"] != "").all()
    assert set(professions["exposure_source"]) <= set(table("sources")["id"])


def test_every_indicator_figure_is_sourced_in_the_rdf(curated):
    observations = table("observations")
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
    requirements = table("requirements").merge(table("professions")[["id", "sector"]],
                                                left_on="profession", right_on="id")
    sectors_per_skill = requirements.groupby("skill")["sector"].nunique()
    for skill in TRANSVERSAL:
        assert sectors_per_skill.get(skill, 0) >= 3, skill
    assert (sectors_per_skill >= 5).sum() >= 20


def test_transformations_name_successors():
    transformations = table("transformations")
    status = table("professions").set_index("id")["status"]
    assert len(transformations) >= 60
    assert (transformations["from"] != transformations["to"]).all()
    assert set(status[transformations["from"]]) <= {"disappearing", "transforming"}


def test_no_disappearing_profession_is_cut_off(curated):
    """Deep profiles make some moves too long for one step at coverage 0.4 (stats lists those
    professions as stranded); none is cut off: each reaches an emerging profession at 0.25."""
    from profgraph.paths import find_paths, target_set

    stats = dataset_stats(curated)
    assert stats["professions"]["by_status"]["disappearing"] >= 75
    model = curated.model
    graph = curated.transition_graph(0.25)
    emerging = target_set(model, status="emerging")
    for pid in stats["stranded"]:
        assert model.professions[pid].status == "disappearing"
        assert find_paths(model, graph, pid, emerging, top=1, min_coverage=0.25), pid


def test_no_table_check_violations(curated):
    assert [f for f in table_findings(curated.model) if f.severity == "violation"] == []


needs_shared = pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="../shared/data (ESCO, Nesta) is absent")


@needs_shared
def test_exposure_recomputed_from_nesta():
    """The exposure column equals the percentile rule applied to Nesta's ISCO tables."""
    professions = table("professions")
    for source, name, digits in (("nesta-mcc-isco4", "mcc_risk_ISCO_4digit.csv", 4),
                                 ("nesta-mcc-isco3", "mcc_risk_ISCO_3digit.csv", 3)):
        risks = pd.read_csv(SHARED_DATA / "nesta-mcc" / name, dtype={"isco_code": str})
        percentile = risks["risk"].rank(method="max") / len(risks)
        expected = dict(zip(risks["isco_code"], percentile))
        rows = professions[professions["exposure_source"] == source]
        for _, row in rows.iterrows():
            assert float(row["automation_exposure"]) == pytest.approx(expected[row["isco08"][:digits]], abs=5e-4)


@needs_shared
def test_esco_links_exist_and_cover_most_professions(curated):
    with zipfile.ZipFile(SHARED_DATA / "esco-v1.1.1" / "esco-v1.1.1-classification-en-csv.zip") as archive:
        def uris(member):
            with archive.open(member) as handle:
                return {row["conceptUri"] for row in csv.DictReader(io.TextIOWrapper(handle, encoding="utf-8"))}
        occupations, skills = uris("occupations_en.csv"), uris("skills_en.csv")
    linked_professions = {u for u in table("professions")["esco_uri"] if u}
    linked_skills = {u for u in table("skills")["esco_uri"] if u}
    assert linked_professions <= occupations
    assert linked_skills <= skills
    assert dataset_stats(curated)["links"]["esco_professions"] >= 0.5
