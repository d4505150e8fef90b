"""Every example query in examples/queries/ runs, and its answer agrees with the same question
answered independently by pandas over the curated CSV tables."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

import profgraph

from conftest import curated_table

QUERY_FOLDER = Path(__file__).resolve().parents[1] / "examples" / "queries"
QUERIES = sorted(QUERY_FOLDER.glob("*.rq"))
PG = "https://w3id.org/profgraph/ontology#"
BASE = "https://w3id.org/profgraph/"
HIGH_EXPOSURE = 0.7
CHECKS = {}


def check(name):
    """Register the independent check of examples/queries/NAME.rq."""

    def register(function):
        CHECKS[name] = function
        return function

    return register


@pytest.fixture(scope="module")
def tables():
    t = SimpleNamespace(**{name: curated_table(name) for name in
                           ("professions", "skills", "requirements", "sectors", "sources", "transformations",
                            "publishers", "isco_groups", "areas", "indicators", "observations")})
    # the exposure is the automation-risk percentile of profession_measures.csv, with its source; the RDF
    # holds exposures as decimals with 4 places (rdf.py)
    measures = curated_table("profession_measures").set_index("profession")
    t.professions["exposure"] = pd.to_numeric(
        t.professions.id.map(measures.automation_percentile).replace("", None)).round(4)
    t.professions["exposure_source"] = t.professions.id.map(measures.automation_source)
    t.links = (t.requirements.merge(t.professions[["id", "status", "sector"]], left_on="profession", right_on="id")
               .drop(columns="id")
               .merge(t.skills[["id", "type", "label_en"]], left_on="skill", right_on="id").drop(columns="id"))
    return t


def rows(frame: pd.DataFrame, *columns) -> list[tuple]:
    """The frame's rows as tuples of plain Python values, missing values as None."""
    return [tuple(None if pd.isna(value) else value.item() if hasattr(value, "item") else value
                  for value in row) for row in frame[list(columns)].itertuples(index=False)]


def test_at_least_eight_examples_each_with_its_question_and_its_check():
    assert len(QUERIES) >= 8
    assert {path.stem for path in QUERIES} == set(CHECKS)
    for path in QUERIES:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# Research question:"), path.name


@pytest.mark.parametrize("path", QUERIES, ids=[path.stem for path in QUERIES])
def test_example_agrees_with_pandas(path, curated, tables):
    answer = profgraph.query(path.read_text(encoding="utf-8"), store=curated)
    CHECKS[path.stem](answer, tables)


@check("professions-by-status-and-sector")
def _(answer, t):
    expected = (t.professions.groupby(["sector", "status"]).size().rename("n").reset_index()
                .merge(t.sectors[["id", "label_en"]], left_on="sector", right_on="id"))
    assert rows(answer, "sector", "sectorLabel", "status", "professions") == \
        sorted(rows(expected, "sector", "label_en", "status", "n"))
    assert answer.professions.sum() == len(t.professions)


@check("reskilling-curriculum")
def _(answer, t):
    disappearing = set(t.links.skill[t.links.status == "disappearing"])
    emerging = t.links[(t.links.status == "emerging") & ~t.links.skill.isin(disappearing)]
    counts = emerging.groupby(["skill", "label_en", "type"]).profession.nunique().rename("n").reset_index()
    expected = sorted(rows(counts, "skill", "label_en", "type", "n"), key=lambda row: (-row[3], row[0]))
    assert rows(answer, "skill", "label", "skillType", "emergingProfessions") == expected
    assert expected, "the curated data should have emerging-only skills"


@check("digital-skill-share-by-status")
def _(answer, t):
    grouped = t.links.assign(digital=t.links.type == "digital").groupby("status").digital
    expected = {status: (len(group), int(group.sum())) for status, group in grouped}
    got = {row[0]: (row[1], row[2]) for row in rows(answer, "status", "requirements", "digital")}
    assert got == expected
    assert answer.digitalShare.tolist() == pytest.approx((answer.digital / answer.requirements).tolist())
    assert answer.digitalShare.is_monotonic_decreasing


@check("exposure-by-sector")
def _(answer, t):
    known = t.professions.dropna(subset=["exposure"])
    grouped = known.groupby("sector").exposure
    assert set(answer.sector) == set(known.sector)
    for sector, label, count, mean, high in rows(answer, "sector", "sectorLabel", "professions",
                                                 "meanExposure", "highlyExposed"):
        values = grouped.get_group(sector)
        assert label == t.sectors.set_index("id").label_en[sector]
        assert count == len(values)
        assert mean == pytest.approx(values.mean())
        assert high == int((values >= HIGH_EXPOSURE).sum())
    assert answer.meanExposure.is_monotonic_decreasing


@check("transformations-and-successor-skills")
def _(answer, t):
    skills_of = t.links.groupby("profession").skill.apply(set)
    expected = set()
    for origin, successor in zip(t.transformations["from"], t.transformations["to"]):
        needed = t.links[t.links.profession == successor]
        for skill, skill_type, relation in zip(needed.skill, needed.type, needed.relation):
            if skill not in skills_of.get(origin, set()):
                expected.add((origin, successor, skill, skill_type, relation))
    got = rows(answer, "from", "to", "skill", "skillType", "relation")
    assert len(got) == len(set(got)) and set(got) == expected
    assert got == sorted(got, key=lambda row: (row[0], row[1], row[4], row[2]))


@check("esco-linked-professions")
def _(answer, t):
    linked = t.professions[t.professions.esco_uri.str.startswith("http://data.europa.eu/esco/occupation/")]
    expected = {(p.id, p.label_en, p.esco_match or "close", p.isco08 or None, p.isco08[:1] or None,
                 f"http://data.europa.eu/esco/isco/C{p.isco08}" if p.isco08 else None,
                 p.esco_isco08 if p.esco_isco08 and p.esco_isco08 != p.isco08 else None, p.esco_uri)
                for p in linked.itertuples()}
    got = rows(answer, "profession", "label", "match", "iscoCode", "majorGroup", "iscoGroup", "escoIscoCode",
               "escoOccupation")
    assert set(got) == expected and len(got) == len(expected)


@check("bridge-skills")
def _(answer, t):
    def needing(status):
        return t.links[t.links.status == status].groupby("skill").profession.nunique()

    counts = pd.concat([needing("disappearing").rename("d"), needing("emerging").rename("e")], axis=1,
                       join="inner").reset_index()
    counts["pairs"] = counts.d * counts.e
    counts = counts.merge(t.skills[["id", "label_en", "type"]], left_on="skill", right_on="id")
    expected = sorted(rows(counts, "skill", "label_en", "type", "d", "e", "pairs"),
                      key=lambda row: (-row[5], row[0]))[:25]
    assert rows(answer, "skill", "label", "skillType", "disappearing", "emerging", "pairs") == expected


@check("transversal-skills")
def _(answer, t):
    grouped = t.links.groupby(["skill", "label_en", "type"])
    counts = pd.concat([grouped.sector.nunique().rename("sectors"),
                        grouped.profession.nunique().rename("professions")], axis=1).reset_index()
    counts = counts[counts.sectors >= 3]
    expected = sorted(rows(counts, "skill", "label_en", "type", "sectors", "professions"),
                      key=lambda row: (-row[3], -row[4], row[0]))
    assert rows(answer, "skill", "label", "skillType", "sectors", "professions") == expected
    assert expected


@check("exposure-sources")
def _(answer, t):
    known = t.professions.dropna(subset=["exposure"])
    sources = t.sources.set_index("id")
    got = rows(answer, "source", "title", "publisher", "year", "professions", "meanExposure")
    assert {row[0] for row in got} == set(known.exposure_source)
    names_of = t.publishers.groupby("id").name.apply(set)
    agent_of = t.publishers.set_index("name").id
    for source, title, publisher, year, count, mean in got:
        values = known.exposure[known.exposure_source == source]
        assert (title, year or "") == tuple(sources.loc[source, ["title", "year"]])
        # the publishers are agents: every name of every agent the source's publisher cell names
        agents = {agent_of[name.strip()] for name in sources.loc[source, "publisher"].split(";") if name.strip()}
        assert set((publisher or "").split("; ")) - {""} == set().union(*(names_of[a] for a in agents))
        assert count == len(values) and mean == pytest.approx(values.mean())


@check("disappearing-professions-and-successors")
def _(answer, t):
    disappearing = t.professions[t.professions.status == "disappearing"]
    successors = t.transformations.groupby("from").size()
    expected = {(p.id, p.label_en, p.sector, int(successors.get(p.id, 0))) for p in disappearing.itertuples()}
    assert set(rows(answer, "profession", "label", "sector", "successors")) == expected
    exposure = disappearing.set_index("id").exposure
    for profession, value in rows(answer, "profession", "exposure"):
        assert value == pytest.approx(exposure[profession])
    order = rows(answer, "successors", "exposure", "profession")
    assert order == sorted(order, key=lambda row: (row[0], -(row[1] if row[1] is not None else -1), row[2]))


@check("transformation-network")
def _(answer, t):
    triples = set(rows(answer, "subject", "predicate", "object"))
    iri = {p.id: f"{BASE}profession/{p.id}" for p in t.professions.itertuples()}
    edges = {(s, o) for s, p, o in triples if p == PG + "transformsInto"}
    assert edges == {(iri[a], iri[b]) for a, b in zip(t.transformations["from"], t.transformations["to"])}
    nodes = {node for edge in edges for node in edge}
    professions = t.professions.set_index("id")
    expected_labels = {(iri[pid], professions.label_en[pid]) for pid in professions.index if iri[pid] in nodes}
    status_concept = {"emerging": "Emerging", "transforming": "Transforming", "stable": "Stable",
                      "disappearing": "Disappearing"}
    expected_status = {(iri[pid], PG + status_concept[professions.status[pid]])
                       for pid in professions.index if iri[pid] in nodes}
    assert {(s, o) for s, p, o in triples if p.endswith("rdf-schema#label")} == expected_labels
    assert {(s, o) for s, p, o in triples if p == PG + "status"} == expected_status
    assert len(triples) == len(edges) + 2 * len(nodes)


@check("indicator-series")
def _(answer, t):
    observations = t.observations
    units = t.indicators.set_index("id")["unit"]
    area_labels = t.areas.set_index("id")["label_en"]
    # an observation about no particular sector has the Data Cube code _T (all sectors)
    expected = sorted((row.indicator, row.area, area_labels[row.area], row.period, row.sector or "_T",
                       float(row.value), units[row.indicator], row.source) for row in observations.itertuples())
    got = [(i, a, label, p, s, float(v), u, src) for i, a, label, p, s, v, u, src in
           rows(answer, "indicator", "area", "areaLabel", "period", "sector", "value", "unit", "source")]
    assert got == expected
    assert len(got) == len(observations) > 0
    assert "_T" in answer.sector.tolist() and "construction" in answer.sector.tolist()


@check("professions-by-isco-major-group")
def _(answer, t):
    professions = t.professions[t.professions.isco08 != ""]
    major = professions.isco08.str[0]
    counts = pd.DataFrame({"major": major, "emerging": professions.status == "emerging",
                           "disappearing": professions.status == "disappearing"}).groupby("major")
    titles = t.isco_groups.set_index("code").title_en
    expected = [(code, titles[code], len(group), int(group.emerging.sum()), int(group.disappearing.sum()))
                for code, group in counts]
    assert rows(answer, "majorGroup", "title", "professions", "emerging", "disappearing") == expected
    assert answer.professions.sum() == len(professions)


@check("exposure-by-nace-section")
def _(answer, t):
    sectors = t.sectors.set_index("id")
    section_of = {sid: row.broader or sid for sid, row in sectors.iterrows()}
    known = t.professions.dropna(subset=["exposure"])
    grouped = known.assign(section=known.sector.map(section_of)).groupby("section").exposure
    assert set(answer.section) == set(grouped.groups) and "oil-gas" not in set(answer.section)
    for section, code, label, count, mean in rows(answer, "section", "code", "label", "professions", "meanExposure"):
        values = grouped.get_group(section)
        assert (code, label) == (sectors.code[section], sectors.label_en[section])
        assert count == len(values) and mean == pytest.approx(values.mean())
    assert answer.meanExposure.is_monotonic_decreasing
    # the divisions count with their section
    assert answer.set_index("section").professions["mining"] == \
        int(known.sector.isin(["mining", "oil-gas"]).sum())
