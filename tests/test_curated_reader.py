"""The curated-table reader: a correct model from good tables, file/line/column for bad ones."""

from __future__ import annotations

import pytest

from profgraph.errors import DataError
from profgraph.sources.curated import read_curated

from conftest import TINY, edit_csv


def test_reads_every_table():
    model = read_curated(TINY)
    assert model.name == "curated"
    assert len(model.professions) == 6 and len(model.skills) == 14
    clerk = model.professions["clerk"]
    assert clerk.labels == {"kk": "хатшы", "ru": "делопроизводитель", "en": "clerk"}
    assert clerk.alt_labels == {"ru": ("конторщик",), "en": ("office clerk",)}
    assert clerk.essential == ("a", "b", "c", "d") and clerk.optional == ()
    assert model.professions["designer"].optional == ("k",)
    assert clerk.exposure == 0.9 and clerk.exposure_source == "tiny-author"
    assert clerk.measures.automation_risk == 3.7 and clerk.measures.automation_category == "High risk"
    assert clerk.measures.genai_category == "Exposed: Gradient 3" and clerk.measures.skill_level == 2
    assert model.professions["designer"].measures.wage_kzt is None
    assert model.successors("clerk") == ["operator"]
    assert model.observations[0].area == "KZ" and model.areas["KZ"].labels["en"] == "Kazakhstan"
    assert model.indicators["unemployment-rate"].unit == "percent"
    assert model.isco_titles["4110"] == "General office clerks" and model.about["id"] == "tiny"
    assert model.sources["tiny-author"].publishers == ["profgraph tests"]
    assert model.agents["profgraph-tests"].kind == "organization"


@pytest.mark.parametrize("table, old, new, line, column, message", [
    ("professions", "clerk,,конторщик,office clerk,4110,office,disappearing",
     "clerk,,конторщик,office clerk,4110,office,vanishing", 2, "status", "'vanishing' is not one of"),
    ("profession_measures", "clerk,3.70", "clerk,6.5", 2, "automation_risk", "outside Nesta's 1..5 scale"),
    ("profession_measures", "clerk,3.70", "clerk,high", 2, "automation_risk", "not a number"),
    ("profession_measures", "High risk,0.9", "Very high,0.9", 2, "automation_category", "'Very high' is not one of"),
    ("profession_measures", "High risk,0.9", "High risk,1.9", 2, "automation_percentile", "outside [0, 1]"),
    ("profession_measures", "skill-profile,tiny-author,0.50", "guess,tiny-author,0.50", 2, "automation_basis",
     "'guess' is not one of"),
    ("profession_measures", "skill-profile,tiny-author,0.50", "skill-profile,nobody,0.50", 2, "automation_source",
     "unknown source id 'nobody'"),
    ("profession_measures", "island,3.30", "ghost,3.30", 7, "profession", "unknown profession id 'ghost'"),
    ("professions", "4110,office", "4110,retail", 2, "sector", "unknown sector id 'retail'"),
    ("professions", "4110", "41X", 2, "isco08", "not a 4-digit"),
    ("requirements", "analyst,f,essential", "analyst,qq,essential", 12, "skill", "unknown skill id 'qq'"),
    ("requirements", "analyst,f,essential", "analyst,f,required", 12, "relation", "not one of essential, optional"),
    ("requirements", "analyst,f,essential", "analyst,e,optional", 12, "skill", "already lists skill 'e'"),
    ("skills", "e,digital", "e,technical", 6, "type", "'technical' is not one of"),
    ("skills", "f,digital", "e,digital", 7, "id", "duplicate id 'e'"),
    ("skills", "a,professional,а дағдысы", "a,professional,", 2, "label_kk", "is empty"),
    ("professions", "island,", "Island X,", 7, "id", "is not a slug"),
    ("transformations", "clerk,operator", "clerk,ghost", 2, "to", "unknown profession id 'ghost'"),
    ("professions", "4110", "4999", 2, "isco08", "'4999' is not an ISCO-08 unit group of isco_groups.csv"),
    ("sectors", "office,N,", "office,N,retail", 2, "broader", "unknown sector id 'retail'"),
    ("sectors", "office,N,", "office,N,office", 2, "broader", "cannot be under itself"),
    ("observations", "unemployment-rate,KZ,2020", "unemployment-rate,XX,2020", 2, "area", "unknown area id 'XX'"),
    ("observations", "unemployment-rate,KZ,2020", "unemployment-rate,KZ,20", 2, "period", "'20' is not a year"),
    ("observations", "unemployment-rate,KZ,2020", "unemployment-rate,KZ,2020/2019", 2, "period", "not a year"),
    ("indicators", "unemployment rate,percent", "unemployment rate,per cent", 2, "unit", "unknown unit id 'per cent'"),
    ("areas", "KZ,", "kz,", 2, "id", "'kz' is not an ISO 3166-1 alpha-2 code or WORLD"),
    ("sources", "profgraph tests,2026", "nobody,2026", 2, "publisher", "'nobody' is not a name in publishers.csv"),
    ("sources", "profgraph tests,2026", "profgraph tests,26", 2, "year", "'26' is not a year"),
    ("publishers", "organization", "company", 2, "kind", "'company' is not one of organization, group, person"),
    ("dataset", "https://creativecommons.org/publicdomain/zero/1.0/", "CC0", 2, "license", "not the IRI of a licence"),
])
def test_malformed_row_names_file_line_and_column(tiny_copy, table, old, new, line, column, message):
    edit_csv(tiny_copy / f"{table}.csv", old, new)
    with pytest.raises(DataError) as caught:
        read_curated(tiny_copy)
    error = caught.value
    assert (error.path, error.line, error.column) == (str(tiny_copy / f"{table}.csv"), line, column)
    assert message in str(error)
    assert f"{table}.csv:{line}, column {column!r}" in str(error)


def test_missing_column_and_missing_file(tiny_copy):
    edit_csv(tiny_copy / "requirements.csv", "profession,skill,relation", "profession,skill")
    with pytest.raises(DataError, match=r"requirements.csv:1: missing column\(s\) relation"):
        read_curated(tiny_copy)
    (tiny_copy / "sectors.csv").unlink()
    with pytest.raises(DataError, match="sectors.csv: file not found"):
        read_curated(tiny_copy)


def test_not_utf8_is_reported(tiny_copy):
    path = tiny_copy / "skills.csv"
    path.write_bytes(path.read_bytes() + "z,digital,навык".encode("cp1251") + b",z,z,,,,\n")
    with pytest.raises(DataError, match=r"skills.csv:16, column 'label_kk': not UTF-8"):
        read_curated(tiny_copy)


def test_dataset_table_has_one_row(tiny_copy):
    path = tiny_copy / "dataset.csv"
    path.write_text(path.read_text(encoding="utf-8") + "other,Other,,https://example.org/licence,profgraph-tests\n",
                    encoding="utf-8")
    with pytest.raises(DataError, match=r"dataset.csv: holds 2 rows; it describes the dataset in exactly one"):
        read_curated(tiny_copy)


def test_new_columns_are_optional_and_read(tiny_copy):
    """Tables written before the ESCO match, level and note columns still read; with them, the model holds them."""
    model = read_curated(tiny_copy)
    assert model.professions["clerk"].esco_match is None and model.professions["clerk"].levels == {}
    edit_csv(tiny_copy / "requirements.csv", "profession,skill,relation\nclerk,a,essential",
             "profession,skill,relation,level\nclerk,a,essential,B2")
    edit_csv(tiny_copy / "transformations.csv", "from,to,source\nclerk,operator,tiny-author",
             "from,to,source,note\nclerk,operator,tiny-author,why it is listed")
    model = read_curated(tiny_copy)
    assert model.professions["clerk"].levels == {"a": "B2"}
    assert model.transformations[0].note == "why it is listed"


@pytest.mark.parametrize("old, new, column, message", [
    ("4110,office,disappearing,0.9,tiny-author,", "4110,office,disappearing,0.9,tiny-author,,,close",
     "esco_match", "is set but esco_uri is empty"),
    ("clerk,хатшы,", "clerk,хат\tшы,", "label_kk", "control character"),
])
def test_bad_esco_match_and_control_characters(tiny_copy, old, new, column, message):
    if column == "esco_match":
        edit_csv(tiny_copy / "professions.csv", "exposure_source,esco_uri", "exposure_source,esco_uri,esco_isco08,esco_match")
    edit_csv(tiny_copy / "professions.csv", old, new)
    with pytest.raises(DataError) as caught:
        read_curated(tiny_copy)
    assert caught.value.column == column and message in str(caught.value)
