"""The full ESCO v1.1.1 import (../shared/data), checked against the files read independently
with Python's csv module and pandas. The import runs once per session (fixture ``esco``)."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import random
import zipfile
from collections import Counter
from functools import lru_cache

import pytest

from profgraph.errors import DataError
from profgraph.upskill import upskill
from profgraph.vocab import SKILL_TYPES

from conftest import ESCO_DOWNLOAD, NESTA_RISK, TINY, run
from esco_tiny import write_tiny_esco
from upskill_reference import coverage, reference_upskill, requirement_weights

csv.field_size_limit(1 << 30)


@lru_cache(maxsize=None)
def esco_rows(name: str) -> tuple[dict, ...]:
    """The rows of one ESCO CSV file, read with the csv module straight from the shared zips."""
    for archive in sorted(ESCO_DOWNLOAD.glob("*.zip")):
        with zipfile.ZipFile(archive) as opened:
            if name in opened.namelist():
                with opened.open(name) as raw:
                    return tuple(csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", newline="")))
    raise FileNotFoundError(name)


def run_json(esco, *args):
    result = run(*args, "--store", str(esco.path), "--format", "json", "--lang", "en")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_counts_and_links_match_the_files(esco):
    occupations, skills = esco_rows("occupations_en.csv"), esco_rows("skills_en.csv")
    links = esco_rows("occupationSkillRelations.csv")
    assert (len(occupations), len(skills), len(links)) == (3007, 13896, 123855)
    model = esco.model
    assert (len(model.professions), len(model.skills)) == (3007, 13896)
    known = {row["conceptUri"] for row in occupations}
    kept = {(row["occupationUri"], row["skillUri"], row["relationType"]) for row in links
            if row["occupationUri"] in known}
    skill_uri = {skill.id: skill.iri for skill in model.skills.values()}
    imported = {(p.iri, skill_uri[s], relation) for p in model.professions.values()
                for relation, ids in (("essential", p.essential), ("optional", p.optional)) for s in ids}
    assert imported == kept
    summary = esco.manifest["import"]
    assert summary["links_read"] == len(links)
    assert summary["requirements"] == len(kept) == len(links) - summary["links_dropped"]["unknown_occupation"]


def test_professions_keep_uri_labels_and_isco(esco):
    by_uri = {p.iri: p for p in esco.model.professions.values()}
    for row in esco_rows("occupations_en.csv"):
        profession = by_uri[row["conceptUri"]]
        assert profession.labels == {"en": row["preferredLabel"]}
        alternatives = {text.strip() for text in row["altLabels"].split("\n") if text.strip()} - {row["preferredLabel"]}
        assert set(profession.alt_labels.get("en", ())) == alternatives
        assert profession.isco08 == row["iscoGroup"] and profession.status is None
    ids = [p.id for p in esco.model.professions.values()] + [s.id for s in esco.model.skills.values()]
    assert len(set(ids)) == len(ids) and all(pid.startswith("esco-") for pid in ids)
    assert {s.iri for s in esco.model.skills.values()} == {row["conceptUri"] for row in esco_rows("skills_en.csv")}


# The README's table for the transversal hierarchy, written out again from the README.
TRANSVERSAL = {"T1.1": "socio_behavioural", "T1.2": "cognitive", "T1.3": "digital", "T2": "cognitive",
               "T3": "socio_behavioural", "T4": "socio_behavioural", "T5": "professional",
               "T6.1": "socio_behavioural", "T6.2": "socio_behavioural", "T6.3": "socio_behavioural",
               "T6.4": "socio_behavioural", "T6.5": "cognitive", "T6.6": "cognitive"}


def test_skill_types_follow_escos_structure(esco):
    skills = {s.iri: s for s in esco.model.skills.values()}
    counts = Counter(s.type for s in skills.values())
    assert sum(counts.values()) == 13896
    assert counts["professional"] > len(skills) / 2
    assert min(counts.values()) >= 100, counts
    # every type is named, the trait among them: ESCO's attitudes and values stay transversal skills here
    assert esco.manifest["import"]["skill_types"] == {t: counts.get(t, 0) for t in SKILL_TYPES}
    digital = {row["conceptUri"] for row in esco_rows("digitalSkillsCollection_en.csv")}
    assert all(skills[uri].type == "digital" for uri in digital)
    assert len(digital) <= counts["digital"] <= len(digital) * 1.2
    # The transversal collection's own skills: typed by the branch their broader group belongs to.
    codes = {}
    for row in esco_rows("skillsHierarchy_en.csv"):
        for level in range(4):
            if row[f"Level {level} URI"]:
                codes[row[f"Level {level} URI"]] = row[f"Level {level} code"]
    transversal = esco_rows("transversalSkillsCollection_en.csv")
    assert len(transversal) == 96
    priority = ("digital", "cognitive", "socio_behavioural", "professional")  # where branches disagree
    for row in transversal:
        # the broader concepts that are groups of the hierarchy (a few are digital skills instead)
        branches = [codes[uri] for uri in row["broaderConceptUri"].split(" | ") if uri in codes]
        types = {TRANSVERSAL.get(code) or TRANSVERSAL[code.split(".")[0]] for code in branches}
        expected = next(t for t in priority if t in types | ({"digital"} if row["conceptUri"] in digital else set()))
        assert skills[row["conceptUri"]].type == expected, row
    # Skills specific to a sector or an occupation are never cognitive or socio-behavioural.
    specific = {row["conceptUri"] for row in esco_rows("skills_en.csv")
                if row["reuseLevel"] in ("sector-specific", "occupation-specific")}
    assert not [uri for uri in specific if skills[uri].type in ("cognitive", "socio_behavioural")]
    speaking = [s for s in skills.values() if s.labels["en"].startswith(("understand spoken ", "interact verbally in "))]
    assert len(speaking) > 50 and all(s.type == "socio_behavioural" for s in speaking)


def esco_move_ok(model, a: str, b: str) -> bool:
    """Whether the rules (README, defaults) accept a move a -> b apart from coverage, from the model's
    measures with plain Python: preparation within a step (job zones, else ISCO skill levels), pay kept
    at 75% (Nesta's earnings, else the wages), automation risk 0.05 lower and not high."""
    ma, mb = model.professions[a].measures, model.professions[b].measures
    zones = ma.job_zone is not None and mb.job_zone is not None
    before, after = (ma.job_zone, mb.job_zone) if zones else (ma.skill_level, mb.skill_level)
    if before is None or after is None or abs(after - before) > 1:
        return False
    if ma.annual_earnings and mb.annual_earnings is not None:
        pay = mb.annual_earnings / ma.annual_earnings
    else:
        pay = mb.wage_kzt / ma.wage_kzt if ma.wage_kzt and mb.wage_kzt is not None else None
    if pay is None or pay < 0.75 - 1e-9:
        return False
    return (ma.automation_risk is not None and mb.automation_risk is not None
            and mb.automation_risk <= ma.automation_risk - 0.05 + 1e-9 and mb.automation_category != "High risk")


def test_measures_follow_the_reference_tables(esco):
    import pandas as pd

    from conftest import SHARED_DATA

    table = pd.read_csv(NESTA_RISK, dtype={"isco_code": str})
    table["exposure"] = table["risk"].rank(method="max", pct=True)  # share of rows with risk <= this one
    own = table.set_index("concept_uri")
    inputs = pd.read_csv(SHARED_DATA / "nesta-mcc" / "mcc_transitions_Occupation_data_inputs.csv").set_index("concept_uri")
    genai = pd.read_csv(SHARED_DATA / "ilo-genai-2025" / "genai_exposure_isco08_unit_groups.csv",
                        dtype={"ISCO_08": str}).set_index("ISCO_08")
    quartiles = table["risk"].quantile([0.25, 0.75]).tolist() + table["prevalence"].quantile([0.25, 0.75]).tolist()
    broader = {}
    for row in esco_rows("broaderRelationsOccPillar.csv"):
        if row["conceptType"] == row["broaderType"] == "Occupation":
            broader.setdefault(row["conceptUri"], []).append(row["broaderUri"])

    def inherited(uri, index):
        level = [uri]
        while level:
            if any(up in index for up in level):
                return next(up for up in level if up in index)
            level = [up for node in level for up in broader.get(node, ())]
        return None

    model = esco.model
    bases = Counter()
    for profession in model.professions.values():
        m = profession.measures
        bases[m.automation_basis] += 1
        found = inherited(profession.iri, own.index)
        if found is not None:
            assert m.automation_basis == ("esco-occupation" if found == profession.iri else "esco-broader")
            assert m.automation_risk == own.loc[found, "risk"] and m.automation_category == own.loc[found, "risk_category"]
            assert profession.exposure == pytest.approx(own.loc[found, "exposure"])
        else:  # every occupation has skills: an estimate from them, its category by Nesta's quartile rule
            assert m.automation_basis == "skill-profile" and profession.skills
            high = m.automation_risk > quartiles[1] and m.automation_prevalence < quartiles[2]
            low = m.automation_risk < quartiles[0] and m.automation_prevalence > quartiles[3]
            assert m.automation_category == ("High risk" if high else "Low risk" if low else "Other")
            assert profession.exposure == pytest.approx((table["risk"] <= m.automation_risk).mean())
        assert model.sources[profession.exposure_source].id == "mcc-risk-all-occupations"
        zone = inherited(profession.iri, inputs.index)
        assert m.job_zone == (None if zone is None else inputs.loc[zone, "job_zone"])
        if profession.isco08 in genai.index:
            assert (m.genai_score, m.genai_category) == tuple(genai.loc[profession.isco08, ["mean_score_2025", "potential25"]])
        assert (m.wage_kzt is not None) == bool(profession.isco08 and profession.isco08[0] != "0")
    counts = esco.manifest["import"]["exposure"]
    assert counts["own"] == bases["esco-occupation"] == len(set(own.index) & {p.iri for p in model.professions.values()})
    assert counts["broader"] == bases["esco-broader"] and counts["skill_profile"] == bases["skill-profile"] > 0
    # every measure in the RDF names its source and how it was obtained
    rows = list(esco.rdf.query(
        "PREFIX pg: <https://w3id.org/profgraph/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#> "
        "SELECT (COUNT(?m) AS ?n) (COUNT(?s) AS ?k) (COUNT(?how) AS ?h) WHERE { ?p pg:automationRisk ?m . "
        "OPTIONAL { ?m prov:wasDerivedFrom ?s } OPTIONAL { ?m prov:wasGeneratedBy ?how } }",
        use_default_graph_as_union=True))
    assert int(rows[0][0].value) == int(rows[0][1].value) == int(rows[0][2].value) == 3007


def independent_similarity(model):
    """similarity(A, B) as the README defines it, from the requirement lists with plain Python."""
    weights = requirement_weights(model)  # relation weight times specificity

    def similarity(a, b):
        va, vb = weights[a], weights[b]
        dot = sum(w * vb.get(s, 0.0) for s, w in va.items())
        return dot / math.sqrt(sum(w * w for w in va.values()) * sum(w * w for w in vb.values()))

    return similarity, weights


@pytest.mark.parametrize("name, neighbours", [
    ("bus driver", {"trolley bus driver", "tram driver"}),
    ("software developer", {"ICT application developer", "mobile application developer"}),
    ("primary school teacher", {"primary school teaching assistant", "special educational needs teacher primary school"}),
    ("nurse responsible for general care", {"specialist nurse", "advanced nurse practitioner"}),
])
def test_similar_finds_obvious_neighbours(esco, name, neighbours):
    report = run_json(esco, "similar", name, "--top", "5")
    assert report["origin"]["label"] == name
    similar = report["similar"]
    assert neighbours <= {other["label"] for other in similar}
    assert [other["similarity"] for other in similar] == sorted((o["similarity"] for o in similar), reverse=True)
    similarity, weights = independent_similarity(esco.model)
    origin = report["origin"]["id"]
    for other in similar:
        assert other["similarity"] == pytest.approx(similarity(origin, other["id"]), abs=1e-4)
        assert other["coverage"] == pytest.approx(coverage(set(weights[origin]), weights[other["id"]]), abs=1e-4)
        assert other["coverage_back"] == pytest.approx(coverage(set(weights[other["id"]]), weights[origin]), abs=1e-4)
        assert other["shared_skills"] == len(set(weights[origin]) & set(weights[other["id"]]))


def test_similarity_finds_escos_own_kinship_best(esco):
    """ESCO files 1,247 occupations under a broader occupation (a curated judgement of kinship).
    Ranking every other occupation by similarity puts the broader one higher than ranking by
    skill overlap without specificity (plain cosine, Jaccard) or by coverage does."""
    import numpy as np

    from profgraph.similarity import coverage_matrix, similarity_matrix

    matrices = esco.skill_matrices
    by_uri = {p.iri: matrices.rows[p.id] for p in esco.model.professions.values()}
    pairs = np.array([(by_uri[row["conceptUri"]], by_uri[row["broaderUri"]])
                      for row in esco_rows("broaderRelationsOccPillar.csv")
                      if row["conceptType"] == row["broaderType"] == "Occupation" and row["conceptUri"] in by_uri
                      and row["broaderUri"] in by_uri])
    assert len(pairs) > 1000
    has = matrices.has.astype(float)
    shared = (has @ has.T).toarray()
    sizes = shared.diagonal()

    def hits_at_10(scores):
        scores = scores.copy()
        np.fill_diagonal(scores, -np.inf)
        ranks = (scores[pairs[:, 0]] > scores[pairs[:, 0], pairs[:, 1]][:, None]).sum(axis=1) + 1
        return (ranks <= 10).mean()

    ours = hits_at_10(similarity_matrix(matrices))
    assert ours > 0.4
    assert ours > hits_at_10(shared / np.sqrt(np.outer(sizes, sizes)))  # cosine without weights
    assert ours > hits_at_10(shared / (sizes[:, None] + sizes[None, :] - shared))  # Jaccard
    assert ours > hits_at_10(coverage_matrix(matrices)[0])


def test_path_to_safer_destinations(esco):
    report = run_json(esco, "path", "legal administrative assistant", "--to", "safer", "--top", "10")
    model = esco.model
    origin = report["origin"]["id"]
    assert report["target"]["count"] == len(model.professions) - 1  # ESCO has no disappearing occupations
    assert report["paths"]
    for path in report["paths"]:
        route = [origin] + [step["to"]["id"] for step in path["steps"]]
        assert esco_move_ok(model, origin, route[-1])
        assert all(step["coverage"] >= 0.4 and step["viable"] for step in path["steps"])
        for stone in route[1:-1]:  # no riskier than the origin
            assert model.professions[stone].measures.automation_risk <= model.professions[origin].measures.automation_risk


def test_upskill_equals_the_reference(esco):
    model, matrices = esco.model, esco.skill_matrices
    from profgraph.similarity import most_similar

    chooser = random.Random(6)
    origins = chooser.sample(sorted(p.id for p in model.professions.values() if p.exposure is not None), 4)
    for origin in origins:
        near = [matrices.profession_ids[row] for row, _ in most_similar(esco.similarity_vectors, matrices.rows[origin], 40)]
        for max_skills, targets in ((1, set(near)), (2, set(near[:6]))):
            fast = [(s.skills, s.unlocks) for s in upskill(matrices, origin, targets, max_skills=max_skills, top=8)]
            assert fast == reference_upskill(model, origin, targets, 0.4, max_skills, 8), (origin, max_skills)


def test_upskill_command_on_esco(esco):
    report = run_json(esco, "upskill", "legal administrative assistant", "--max-skills", "2", "--top", "5")
    model = esco.model
    origin = report["origin"]["id"]
    safer = {b for b in model.professions if b != origin and esco_move_ok(model, origin, b)}
    weights = requirement_weights(model)
    held = set(weights[origin])
    assert report["target"]["eligible"] == len(safer)
    assert report["target"]["viable_now"] == sum(coverage(held, weights[b]) >= 0.4 for b in safer)
    assert report["options"]
    counts = [len(option["unlocks"]) for option in report["options"]]
    assert counts == sorted(counts, reverse=True)
    for option in report["options"]:
        learned = held | {skill["id"] for skill in option["skills"]}
        for destination in option["unlocks"]:
            assert destination["id"] in safer
            assert coverage(held, weights[destination["id"]]) < 0.4 <= destination["coverage"]
            assert destination["coverage"] == pytest.approx(coverage(learned, weights[destination["id"]]), abs=1e-4)


def test_existing_commands_work_on_the_store(esco, monkeypatch):
    monkeypatch.setenv("PROFGRAPH_STORE", str(esco.path))
    card = json.loads(run("show", "software developer", "--format", "json", "--lang", "en").output)
    assert card["isco08"] == "2512" and card["esco_uri"].startswith("http://data.europa.eu/esco/occupation/")
    assert card["exposure_source"]["id"] == "mcc-risk-all-occupations"
    assert card["measures"]["automation"]["basis"] == "esco-occupation" and card["measures"]["preparation"]["job_zone"]
    hits = json.loads(run("search", "baker", "--kind", "profession", "--format", "json", "--lang", "en").output)
    assert hits[0]["label"] == "baker"
    # "baker" is also a synonym of "pastry chef": the preferred label wins
    assert json.loads(run("show", "baker", "--format", "json", "--lang", "en").output)["label"] == "baker"
    stats = json.loads(run("stats", "--format", "json").output)
    assert stats["professions"]["total"] == 3007 and stats["skills"]["by_type"] == esco.manifest["import"]["skill_types"]
    result = run("path", "legal administrative assistant", "--to", "safer", "--lang", "en")
    assert result.exit_code == 0 and "From: legal administrative assistant (no status" in result.output


# ---------------------------------------------------------------- malformed input


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory):
    """The ESCO download's CSV files, unpacked once for tests that break or rename them."""
    if not ESCO_DOWNLOAD.is_dir():
        pytest.skip(f"the ESCO reference data are not in {ESCO_DOWNLOAD}")
    folder = tmp_path_factory.mktemp("esco-csv")
    for archive in ESCO_DOWNLOAD.glob("*.zip"):
        with zipfile.ZipFile(archive) as opened:
            opened.extractall(folder)
    return folder


def linked_copy(source, destination, skip=()):
    """A folder of symbolic links to the files of ``source`` except those named in ``skip``."""
    destination.mkdir()
    for path in source.iterdir():
        if path.name not in skip:
            os.symlink(path, destination / path.name)
    return destination


def test_later_file_names_with_a_language_suffix(unpacked, tmp_path):
    from profgraph.sources.esco import find_files

    folder = linked_copy(unpacked, tmp_path / "v12", skip={"occupationSkillRelations.csv"})
    os.symlink(unpacked / "occupationSkillRelations.csv", folder / "occupationSkillRelations_en.csv")
    (folder / "occupations_de.csv").write_text("conceptUri\n", encoding="utf-8")  # another language: ignored
    found = find_files([folder], "en")
    assert found["relations"].container.name == "occupationSkillRelations_en.csv"
    assert found["occupations"].container.name == "occupations_en.csv"
    with pytest.raises(DataError, match="no skills.csv or skills_de.csv"):
        find_files([folder], "de")


def assert_refused(args, message, destination):
    result = run("import", "esco", *map(str, args), "--store", str(destination))
    assert result.exit_code == 1, result.output
    assert message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) <= 2  # the progress label, then one error line
    leftovers = [p.name for p in destination.parent.iterdir() if p.name.startswith(f".{destination.name}")]
    assert not leftovers


def test_missing_column(unpacked, tmp_path):
    import pandas as pd

    folder = linked_copy(unpacked, tmp_path / "files", skip={"occupations_en.csv"})
    pd.read_csv(unpacked / "occupations_en.csv", dtype=str).drop(columns="iscoGroup").to_csv(
        folder / "occupations_en.csv", index=False)
    destination = tmp_path / "store"
    assert_refused([folder], "missing column(s) iscoGroup", destination)
    assert not destination.exists()


def test_truncated_and_corrupt_zips(tmp_path):
    if not ESCO_DOWNLOAD.is_dir():
        pytest.skip(f"the ESCO reference data are not in {ESCO_DOWNLOAD}")
    classification = ESCO_DOWNLOAD / "esco-v1.1.1-classification-en-csv.zip"
    relations = (ESCO_DOWNLOAD / "esco-v1.1.1-relations-csv.zip").read_bytes()
    truncated = tmp_path / "relations.zip"
    truncated.write_bytes(relations[: len(relations) // 2])
    destination = tmp_path / "store"
    assert_refused([classification, truncated], "not a readable zip archive", destination)
    corrupt = tmp_path / "corrupt.zip"  # the directory is intact, a member's compressed data is not
    middle = len(relations) // 2
    corrupt.write_bytes(relations[:middle] + bytes(b ^ 0xFF for b in relations[middle:middle + 4096])
                        + relations[middle + 4096:])
    assert_refused([classification, corrupt], "corrupt or truncated archive member", destination)
    assert not destination.exists()


def test_unknown_risk_format_keeps_the_previous_store(unpacked, tmp_path):
    from profgraph.sources.curated import read_curated
    from profgraph.store import build_store, open_store

    destination = tmp_path / "store"
    previous = build_store(read_curated(TINY), destination, "tiny")
    risk = tmp_path / "risk.csv"
    risk.write_text("occupation,score\ncashier,0.9\n", encoding="utf-8")
    assert_refused([unpacked, "--risk", risk], "unknown risk table format", destination)
    kept = open_store(destination)
    assert kept.manifest == previous.manifest and set(kept.model.professions) == set(previous.model.professions)


def test_nothing_found(tmp_path):
    (tmp_path / "notes.csv").write_text("a\n1\n", encoding="utf-8")
    assert_refused([tmp_path], "no occupations.csv or occupations_en.csv", tmp_path / "store")
    assert not (tmp_path / "store").exists()


def store_files(store) -> dict:
    return {str(path.relative_to(store)): path.read_bytes() for path in sorted(store.rglob("*")) if path.is_file()}


@pytest.mark.parametrize("table", ["occupations", "skills", "occupationSkillRelations"])
def test_header_only_tables_keep_the_previous_store(tmp_path, table):
    store = tmp_path / "store"
    assert run("import", "esco", str(write_tiny_esco(tmp_path / "good")), "--store", str(store)).exit_code == 0
    before = store_files(store)
    result = run("import", "esco", str(write_tiny_esco(tmp_path / "empty", empty=(table,))),
                 "--store", str(store))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"{table}_en.csv: no records, only a header" in result.output
    assert store_files(store) == before


def test_links_that_match_nothing_keep_the_previous_store(tmp_path):
    store = tmp_path / "store"
    good = write_tiny_esco(tmp_path / "good")
    assert run("import", "esco", str(good), "--store", str(store)).exit_code == 0
    before = store_files(store)
    relations = good / "occupationSkillRelations_en.csv"
    relations.write_text(relations.read_text(encoding="utf-8").replace("/occupation/", "/occupation/x"),
                         encoding="utf-8")
    result = run("import", "esco", str(good), "--store", str(store))
    assert result.exit_code == 2 and "none of the 10 occupation-skill links" in result.output
    assert store_files(store) == before
