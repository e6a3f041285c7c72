"""Reading exports as they come: encodings, delimiters, Excel cells, codes and spellings."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import export_rows, run_pipeline, write_codebook, write_csv, write_xlsx, write_year

from pipeline.outputs.read import read_output
from pipeline.read.tables import read_table

ROWS = [
    {"kommune": "Ærø", "tilfreds_fysisk": "Meget tilfreds", "tydelighed": "I høj grad"},
    {"kommune": "Tårnby", "tilfreds_fysisk": "Utilfreds", "tydelighed": "Slet ikke"},
    {"kommune": "Høje-Taastrup", "tilfreds_fysisk": "Tilfreds", "tydelighed": "Ved ikke"},
]


def national(out, indicator: str, year: int = 2024) -> pd.Series:
    table = read_output(out / "indicators.csv")
    return table.query("indicator_id == @indicator and year == @year and "
                       "scope == 'national'").iloc[0]


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_delimiter_and_encoding_are_detected(tmp_path, delimiter, encoding):
    path = write_csv(tmp_path / "x.csv", export_rows(ROWS), delimiter, encoding)
    table = read_table(path)
    assert table.headers[0] == "Kommune"
    assert table.cells["Kommune"].tolist() == ["Ærø", "Tårnby", "Høje-Taastrup"]
    assert table.delimiter == delimiter


def test_row_numbers_are_the_rows_excel_shows_even_with_line_breaks_in_cells(tmp_path):
    """A quoted cell with a line break is one cell of one row in Excel: the rows after it
    keep the numbers Excel shows (not the text lines of the file)."""
    path = tmp_path / "x.csv"
    path.write_text('Kommune;Kommentar\nOdense;"to\nlinjer"\n\nAarhus;ok\n', encoding="utf-8")
    table = read_table(path)
    assert table.cells.index.tolist() == [2, 4]
    assert table.blank_rows == [3]


def test_xlsx_numbers_and_dates_are_read_as_the_user_sees_them(tmp_path):
    from datetime import datetime
    path = write_xlsx(tmp_path / "x.xlsx", [["Kommune", "Tid"], [101, datetime(2024, 3, 1, 9)],
                                            [751.0, None]])
    table = read_table(path)
    assert table.cells["Kommune"].tolist() == ["101", "751"]
    assert table.cells["Tid"].tolist() == ["2024-03-01 09:00:00", ""]


@pytest.mark.slow
def test_answers_match_ignoring_case_and_spaces(tmp_path):
    messy = [{**r, "tilfreds_fysisk": f"  {r['tilfreds_fysisk'].upper()} "} for r in ROWS]
    write_year(tmp_path / "messy", 2024, messy)
    write_year(tmp_path / "clean", 2024, ROWS)
    assert run_pipeline(tmp_path / "messy", tmp_path / "o1").exit_code == 0
    assert run_pipeline(tmp_path / "clean", tmp_path / "o2").exit_code == 0
    assert (tmp_path / "o1" / "indicators.csv").read_bytes() == \
        (tmp_path / "o2" / "indicators.csv").read_bytes()


def test_numeric_codes_are_read_through_the_codebooks_value_labels(tmp_path):
    codes = {"Meget tilfreds": "1", "Tilfreds": "2", "Utilfreds": "4"}
    coded = [{**r, "tilfreds_fysisk": codes[r["tilfreds_fysisk"]]} for r in ROWS]
    labels = {"tilfreds_fysisk": "1=Meget tilfreds; 2=Tilfreds; 3=Hverken tilfreds eller "
                                 "utilfreds; 4=Utilfreds; 5=Meget utilfreds; 9=Ved ikke"}
    write_year(tmp_path / "s", 2024, coded, fmt="xlsx", value_labels=labels)
    result = run_pipeline(tmp_path / "s", tmp_path / "o")
    assert result.exit_code == 0, result.output
    row = national(tmp_path / "o", "MO-FYS")
    assert (row.n_valid, row.n_positive) == (3, 2)


def test_value_labels_must_be_on_the_scale(tmp_path):
    write_year(tmp_path / "s", 2024, ROWS,
               value_labels={"tilfreds_fysisk": "1=Meget tilfreds; 2=Glad"})
    result = run_pipeline(tmp_path / "s", tmp_path / "o")
    assert result.exit_code == 1
    assert 'kolonne "value_labels", værdi "Glad"' in result.output


@pytest.mark.slow
def test_columns_outside_the_codebook_are_dropped_at_the_edge(tmp_path):
    extra = {"Navn": ["Birte Hemmelig"] * 3, "E-mail": ["birte@example.org"] * 3,
             "Kommentar": ["=HYPERLINK(\"http://x\")"] * 3}
    write_year(tmp_path / "s", 2024, ROWS, extra=extra)
    assert run_pipeline(tmp_path / "s", tmp_path / "o").exit_code == 0
    for path in (tmp_path / "o").iterdir():
        text = path.read_text(encoding="utf-8")
        assert "Hemmelig" not in text and "birte@" not in text and "HYPERLINK" not in text


def test_blank_rows_and_abandoned_responses_are_counted_not_hidden(tmp_path):
    rows = [*ROWS, {}, {"kommune": ""}]
    write_year(tmp_path / "s", 2024, rows, extra={"Navn": ["a", "b", "c", "", "Ole"]})
    assert run_pipeline(tmp_path / "s", tmp_path / "o").exit_code == 0
    quality = pd.read_csv(tmp_path / "o" / "quality.csv").set_index("scope")
    assert quality.loc["national", "blank_rows_skipped"] == 1
    excluded = pd.read_csv(tmp_path / "o" / "excluded_rows.csv")
    assert excluded["source_row"].tolist() == [6]
    assert "tom besvarelse" in excluded["reason"].iloc[0]


def test_several_exports_in_a_year_are_combined(tmp_path):
    folder = tmp_path / "s" / "2024"
    write_codebook(folder)
    write_csv(folder / "a.csv", export_rows(ROWS[:2]))
    write_xlsx(folder / "b.xlsx", export_rows(ROWS[2:]))
    assert run_pipeline(tmp_path / "s", tmp_path / "o").exit_code == 0
    assert national(tmp_path / "o", "MO-FYS").respondents == 3


def test_a_question_missing_from_a_years_codebook_is_visible(tmp_path):
    write_year(tmp_path / "s", 2024, ROWS, keys=["kommune", "tilfreds_fysisk"])
    assert run_pipeline(tmp_path / "s", tmp_path / "o").exit_code == 0
    row = national(tmp_path / "o", "MO-DIG")
    assert pd.isna(row.share) and row.attained == "n/a"
    assert "ikke med i kodebogen" in row.note
