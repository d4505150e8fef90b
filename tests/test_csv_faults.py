"""Faults in the CSV tables people edit (the curated tables, a risk table): each is reported with its
file, the line where it starts and its column, in one line with nothing raw sent to the terminal."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from profgraph.errors import DataError
from profgraph.sources.curated import read_curated
from profgraph.sources.nesta import read_risk_table

from conftest import NESTA_RISK, TINY, edit_csv, run

CSV_FIELD_LIMIT = 131072  # Python's default, which profgraph keeps


@pytest.fixture(autouse=True)
def default_csv_field_limit():
    """The csv module's default field limit (another test module raises it for the whole process)."""
    previous = csv.field_size_limit(CSV_FIELD_LIMIT)
    yield
    csv.field_size_limit(previous)


def fault(folder: Path) -> DataError:
    with pytest.raises(DataError) as caught:
        read_curated(folder)
    return caught.value


def test_a_byte_order_mark_is_accepted(tiny_copy):
    for table in ("professions", "skills", "sources"):
        path = tiny_copy / f"{table}.csv"
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert read_curated(tiny_copy) == read_curated(TINY)


def test_an_unterminated_quote_is_reported_where_it_opens(tiny_copy):
    edit_csv(tiny_copy / "professions.csv", "assistant,көмекші,ассистент", 'assistant,көмекші,"ассистент')
    error = fault(tiny_copy)
    assert (error.line, error.column) == (3, "label_ru")
    assert "never closed" in str(error) and str(error).startswith(f"{tiny_copy / 'professions.csv'}:3, column")


def test_a_quote_closed_on_a_later_line_is_a_line_break_in_a_cell(tiny_copy):
    edit_csv(tiny_copy / "professions.csv", "assistant,көмекші,ассистент", 'assistant,көмекші,"ассистент')
    edit_csv(tiny_copy / "professions.csv", "analyst,талдаушы", 'analyst",талдаушы')
    error = fault(tiny_copy)
    assert (error.line, error.column) == (3, "label_ru") and "line break" in str(error)


def test_text_after_a_closing_quote(tiny_copy):
    edit_csv(tiny_copy / "skills.csv", "e,digital", 'e,"digital"x')
    error = fault(tiny_copy)
    assert (error.line, error.column) == (6, "type") and "closing quote" in str(error)


def test_bytes_that_are_not_utf8_are_reported_on_their_line_and_column(tiny_copy):
    path = tiny_copy / "professions.csv"
    path.write_bytes(path.read_bytes().replace("аналитик".encode(), "аналитик".encode("cp1251")))
    error = fault(tiny_copy)
    assert (error.line, error.column) == (4, "label_ru") and "not UTF-8: byte 0xe0" in str(error)


@pytest.mark.parametrize("table, old, new, line, column", [
    ("profession_measures", "clerk,3.70", "clerk,nan", 2, "automation_risk"),
    ("profession_measures", "assistant,3.66", "assistant,inf", 3, "automation_risk"),
    ("observations", "office,4.9", "office,nan", 2, "value"),
    ("observations", "office,4.9", "office,-inf", 2, "value"),
    ("observations", "office,4.9", "office,1e999", 2, "value"),
])
def test_non_finite_numbers_are_refused(tiny_copy, table, old, new, line, column):
    edit_csv(tiny_copy / f"{table}.csv", old, new)
    error = fault(tiny_copy)
    assert (error.line, error.column) == (line, column) and "not a finite number" in str(error)


@pytest.mark.parametrize("control", ["\x1b[2J", "\x07", "\t", "\x00", "\u2028"])
def test_control_characters_in_labels_are_refused_and_shown_escaped(tiny_copy, control):
    edit_csv(tiny_copy / "skills.csv", "e,digital,", f"e,digital,bad{control}label")
    error = fault(tiny_copy)
    assert (error.line, error.column) == (6, "label_kk") and "control character" in str(error)
    assert control not in str(error) and repr(control)[1:-1] in str(error)


def test_more_cells_than_columns_names_the_extra_cell(tiny_copy):
    edit_csv(tiny_copy / "transformations.csv", "clerk,operator,tiny-author", "clerk,operator,tiny-author,extra")
    error = fault(tiny_copy)
    assert (error.line, error.column) == (2, "cell 4") and "more cells (4)" in str(error)


def test_a_cell_over_the_csv_field_limit(tiny_copy):
    edit_csv(tiny_copy / "skills.csv", "e,digital,", "e,digital," + "x" * (CSV_FIELD_LIMIT + 1))
    error = fault(tiny_copy)
    assert (error.line, error.column) == (6, "label_kk") and "longer than 131072 characters" in str(error)
    assert len(str(error)) < 300


def test_an_echoed_cell_is_cut_short(tiny_copy):
    edit_csv(tiny_copy / "professions.csv", "4110,office", "4110," + "r" * 100_000)
    error = fault(tiny_copy)
    assert error.column == "sector" and "(100000 characters)" in str(error) and len(str(error)) < 300


def write_risk(path: Path, rows: list[str]) -> Path:
    path.write_text("concept_uri,isco_code,risk,label\n" + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


def test_the_real_risk_table_still_reads():
    if not NESTA_RISK.is_file():
        pytest.skip(f"the Nesta risk table is not at {NESTA_RISK}")
    table = read_risk_table(NESTA_RISK)
    assert len(table.by_uri) == 1627 and all(0 < record.exposure <= 1 for record in table.by_uri.values())


@pytest.mark.parametrize("row, line, column, message", [
    ("http://x/a,4110,3.1," + "y" * 200_000, 3, "label", "longer than 131072"),
    ('http://x/a,4110,3.1,"unclosed', 3, "label", "never closed"),
    ("http://x/a,4110,nan,", 3, "risk", "not a finite number"),
    ("http://x/a,4110,inf,", 3, "risk", "not a finite number"),
    ("http://x/a,4110,3.1,bell\x07", 3, "label", "control character"),
])
def test_risk_table_faults_name_file_line_and_column(tmp_path, row, line, column, message):
    path = write_risk(tmp_path / "risk.csv", ["http://x/b,4120,2.5,fine", row])
    with pytest.raises(DataError) as caught:
        read_risk_table(path)
    assert (caught.value.path, caught.value.line, caught.value.column) == (str(path), line, column)
    assert message in str(caught.value)


def test_a_huge_risk_field_through_the_import_command_is_one_line(tmp_path):
    path = write_risk(tmp_path / "risk.csv", ["http://x/a,4110,3.1," + "y" * 200_000])
    result = run("import", "esco", str(tmp_path), "--risk", str(path), "--store", str(tmp_path / "s"))
    assert result.exit_code == 1 and "Traceback" not in result.output
    error = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert error == [f"Error: {path}:2, column 'label': a cell is longer than 131072 characters"]
    assert not (tmp_path / "s").exists()


def test_a_data_folder_fault_through_the_cli(tiny_copy, monkeypatch):
    edit_csv(tiny_copy / "skills.csv", "e,digital,", "e,digital,\x1b]0;owned\x07")
    monkeypatch.setenv("PROFGRAPH_DATA", str(tiny_copy))
    result = run("search", "clerk")
    assert result.exit_code == 1 and "\x1b" not in result.output and "\x07" not in result.output
    assert result.output.startswith(f"Error: {tiny_copy / 'skills.csv'}:6, column 'label_kk':")
    assert len(result.output.splitlines()) == 1
