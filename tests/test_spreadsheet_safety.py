"""No output can run as a formula in Excel: proved with the corpus cases that carry
formula-like text (=HYPERLINK, @, +, a "- " bullet) into the inputs.

Text read from a column the pipeline uses must be a municipality or an answer, so a
formula there is refused (and the message cannot run either); text that legitimately
reaches an output (judgement evidence, licence names, source file names) is written
with a leading apostrophe in every CSV and Excel output, and read back as it was.
"""

from __future__ import annotations

import contextlib
import csv
import io
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from helpers import run_cli, run_pipeline
from openpyxl import Workbook, load_workbook
from test_corpus import prepare

from pipeline.outputs.read import TABLES, load_outputs, read_output
from pipeline.present.columns import SHARE, TEXT
from pipeline.present.downloads import csv_bytes, xlsx_bytes
from pipeline.present.tables import Table
from pipeline.read.tables import read_table
from pipeline.report.data import load_report_data
from pipeline.report.workbook import workbook_bytes

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SURVEYS = "=SUM(1+2)"
"""The surveys folder's name in the test: it starts every source_file in the outputs."""


def takes_for_formula(text: str) -> bool:
    """Would Excel take this cell for a formula? Numbers (-0.25) are numbers, not formulas."""
    if not text.startswith(FORMULA_START):
        return False
    try:
        float(text)
    except ValueError:
        return True
    return False


def csv_cells(data: bytes, delimiter: str = ",") -> list[str]:
    text = data.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text), delimiter=delimiter) for cell in row]


def xlsx_texts(data: bytes) -> list[str]:
    """Every text cell of a workbook, after checking that no cell is a formula."""
    texts = []
    for ws in load_workbook(io.BytesIO(data)):
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not takes_for_formula(cell.value), (ws.title, cell.coordinate)
                    texts.append(cell.value)
    return texts


@pytest.fixture(scope="module")
def formula_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus case whose judgements and national figures hold formula-like text,
    read from a surveys folder whose name itself starts like a formula."""
    where = tmp_path_factory.mktemp("formula")
    prepare("formula-text-reaches-outputs", where)
    shutil.move(where / "surveys", where / SURVEYS)
    with contextlib.chdir(where):
        result = run_pipeline(Path(SURVEYS), Path("output"), targets=Path("targets.csv"))
    assert result.exit_code == 0, result.output
    return where / "output"


def test_no_cell_of_a_csv_output_starts_a_formula(formula_output):
    cells: list[str] = []
    for path in sorted(formula_output.glob("*.csv")):
        for cell in csv_cells(path.read_bytes()):
            assert not takes_for_formula(cell), (path.name, cell)
            cells.append(cell)
    # The formula-like texts did reach the outputs, neutralised by one apostrophe.
    assert "'- Læselystmåling i 40 kommuner - se bilag 2" in cells
    assert "'=HYPERLINK(\"http://evil.example\",\"Se bilag\")" in cells
    assert "'@eReolen" in cells
    assert f"'{SURVEYS}/2024/export.csv" in cells


def test_outputs_read_back_as_they_were(formula_output):
    indicators = read_output(formula_output / "indicators.csv")
    evidence = set(indicators["evidence"])
    assert "- Læselystmåling i 40 kommuner - se bilag 2" in evidence
    assert "=HYPERLINK(\"http://evil.example\",\"Se bilag\")" in evidence
    assert "@eReolen" in set(read_output(formula_output / "national.csv")["licence"])


@pytest.mark.slow
def test_dashboard_downloads_and_the_report_workbook_hold_no_formula(formula_output):
    outputs = load_outputs(formula_output)
    texts: list[str] = []
    for name in TABLES:
        table = Table(getattr(outputs, name), {})
        texts += xlsx_texts(xlsx_bytes(table, name, note="=Bemærk"))
        for cell in csv_cells(csv_bytes(table), delimiter=";"):  # as Danish Excel reads it
            assert not takes_for_formula(cell), (name, cell)
    texts += xlsx_texts(workbook_bytes(load_report_data(formula_output, 2024)))
    assert "'=HYPERLINK(\"http://evil.example\",\"Se bilag\")" in texts
    assert "'- Læselystmåling i 40 kommuner - se bilag 2" in texts  # once, not twice
    assert "'=Bemærk" in texts


def test_a_download_holds_the_columns_the_screen_hides():
    """The synthetic-data flag and the interval method are hidden on screen but belong
    in every download; the workbook sizes those columns too."""
    table = Table(pd.DataFrame({"Andel": [0.87]}), {"Andel": SHARE}).add(
        "Syntetiske demodata", ["Ja"], TEXT, hidden=True)
    sheet = load_workbook(io.BytesIO(xlsx_bytes(table, "Data"))).active
    assert [c.value for c in sheet[1]] == ["Andel", "Syntetiske demodata"]
    assert [c.value for c in sheet[2]] == [0.87, "Ja"]
    assert "Syntetiske demodata" not in table.shown().columns


@pytest.mark.parametrize("case", ["formula-in-municipality", "formula-in-answer"])
def test_a_formula_in_a_column_that_is_read_is_refused_with_a_message_that_cannot_run(
        case, tmp_path, monkeypatch):
    prepare(case, tmp_path)
    monkeypatch.chdir(tmp_path)
    for args in (["run", "--out", "output"], ["check"]):
        result = run_cli(*args)
        assert result.exit_code == 1, result.output
        assert "Cellen indeholder en formel" in result.output
        assert 'værdi "=HYPERLINK(' in result.output
        for line in result.output.splitlines():  # pasted into a sheet: text, not a formula
            assert not takes_for_formula(line), line
    assert not (tmp_path / "output").exists()


def test_an_xlsx_formula_reads_as_its_saved_value_or_else_as_a_formula(tmp_path):
    """Excel saves each formula's value: that is what the user sees, and what is read. A
    program that writes formulas saves none; such a cell would read as empty (an answer
    lost unseen), so it is read as its formula, which a column that is used refuses."""
    wb = Workbook()
    for row in (["Kommune", "Svar"], ["Odense", "=B3"], ["=A2", "Tilfreds"]):
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    no_values = tmp_path / "program.xlsx"
    no_values.write_bytes(buffer.getvalue())
    assert read_table(no_values).cells.values.tolist() == [["Odense", "=B3"],
                                                           ["=A2", "Tilfreds"]]
    saved = tmp_path / "excel.xlsx"  # the same, as Excel saves it: with the values
    with zipfile.ZipFile(no_values) as src, zipfile.ZipFile(saved, "w") as out:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"<f>B3</f><v></v>", b"<f>B3</f><v>Tilfreds</v>")
                content = content.replace(b"<f>A2</f><v></v>", b"<f>A2</f><v>Odense</v>")
                content = content.replace(b'<c r="B2">', b'<c r="B2" t="str">')
                content = content.replace(b'<c r="A3">', b'<c r="A3" t="str">')
            out.writestr(item, content)
    assert read_table(saved).cells.values.tolist() == [["Odense", "Tilfreds"],
                                                       ["Odense", "Tilfreds"]]
