"""The dashboard's "Opdater data" page: hidden without a password; a good upload is
checked and published; a bad one changes nothing on disk."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pytest
from helpers import REPO, copy_demo, reworded_export, run_pipeline, snapshot
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from dashboard_pages.admin import PASSWORD_ENV
from pipeline.outputs.read import read_output
from pipeline.read.tables import cell_text

pytestmark = [pytest.mark.slow]

PAGE = "dashboard_pages/opdater_data.py"
EXPORT_2024 = REPO / "surveys" / "2024" / "besvarelser_2024.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def site(tmp_path, monkeypatch) -> tuple[Path, Path]:
    surveys = copy_demo(tmp_path)
    out = tmp_path / "output"
    assert run_pipeline(surveys, out).exit_code == 0
    monkeypatch.setenv("MAALOPFYLDELSE_OUTPUT", str(out))
    return surveys, out


def open_page(monkeypatch, password: str | None) -> AppTest:
    if password:
        monkeypatch.setenv(PASSWORD_ENV, password)
    else:
        monkeypatch.delenv(PASSWORD_ENV, raising=False)
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120).run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def test_the_page_does_not_exist_without_a_configured_password(site, monkeypatch):
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60).run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(PAGE).run()


def test_a_wrong_password_shows_nothing(site, monkeypatch):
    at = open_page(monkeypatch, "hemmelig")
    assert not at.file_uploader
    at.text_input(key="admin_password_input").input("forkert").run()
    assert "Forkert adgangskode" in at.error[0].value
    assert not at.file_uploader


def upload(at: AppTest, name: str, data: bytes, year: int,
           more: list[tuple[str, bytes]] = ()) -> AppTest:
    """Upload one file, or several at once (`more`: SurveyXact's other CSV files)."""
    at.text_input(key="admin_password_input").input("hemmelig").run()
    at.number_input(key="upload_year").set_value(year).run()
    files = [(n, d, XLSX if n.endswith(".xlsx") else "text/csv")
             for n, d in [(name, data), *more]]
    at.file_uploader(key="upload").set_value(files).run()
    assert not at.exception, at.exception
    at.button(key="check").click().run()
    assert not at.exception, at.exception
    return at


def test_a_good_upload_is_checked_and_published(site, monkeypatch, tmp_path):
    surveys, out = site
    at = open_page(monkeypatch, "hemmelig")
    export_2025 = reworded_export(EXPORT_2024, tmp_path / "2025.xlsx", {})  # dated 2025
    at = upload(at, "besvarelser_2025.xlsx", export_2025.read_bytes(), 2025)
    assert "Kontrollen er i orden." in at.success[0].value
    assert not (surveys / "2025").exists()  # nothing published yet
    at.button(key="publish").click().run()
    assert not at.exception, at.exception
    assert "Publiceret" in at.success[-1].value
    assert (surveys / "2025" / "besvarelser_2025.xlsx").exists()
    indicators = read_output(out / "indicators.csv")
    assert 2025 in set(indicators["year"])
    fys = indicators.query("indicator_id == 'MO-FYS' and scope == 'national' and year == 2025")
    rows_in_upload = load_workbook(EXPORT_2024).active.max_row - 1
    assert fys["respondents"].iloc[0] == rows_in_upload


def test_a_failing_upload_changes_nothing_on_disk(site, monkeypatch, tmp_path):
    surveys, out = site
    book = load_workbook(EXPORT_2024)
    sheet = book.active
    column = [c.value for c in sheet[1]].index("Kommune") + 1
    sheet.cell(row=3, column=column, value="Atlantis")
    broken = tmp_path / "broken.xlsx"
    book.save(broken)
    before_surveys, before_out = tree(surveys), snapshot(out)
    at = open_page(monkeypatch, "hemmelig")
    at = upload(at, "besvarelser_2025.xlsx", broken.read_bytes(), 2025)
    assert "Kontrollen fandt problemer" in at.error[0].value
    assert any("Atlantis" in t.value for t in at.text)
    assert not [b for b in at.button if b.key == "publish"]
    assert tree(surveys) == before_surveys and snapshot(out) == before_out


SURVEYXACT_2021 = REPO / "surveys" / "2021" / "SurveyXact_dataset_2021.xlsx"


def as_2025(workbook: Path, folder: Path) -> Path:
    """2021's SurveyXact workbook as if answered in 2025 (closetime four years later), so
    that it is the new year's own export: not 2021's bytes, not dated in 2021."""
    from datetime import datetime

    book = load_workbook(workbook)
    for row in book["Dataset"].iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, datetime):
                cell.value = cell.value.replace(year=cell.value.year + 4)
    folder.mkdir(parents=True, exist_ok=True)
    book.save(folder / "SurveyXact_2025.xlsx")
    return folder / "SurveyXact_2025.xlsx"


def as_csv_files(workbook: Path) -> list[tuple[str, bytes]]:
    """The same SurveyXact export as its three CSV files (tab-separated UTF-16, as
    SurveyXact writes them)."""
    book = load_workbook(workbook, read_only=True)
    files = []
    for sheet in ("Dataset", "Structure", "Labels"):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="\t", lineterminator="\r\n")
        for row in book[sheet].iter_rows(values_only=True):
            writer.writerow(["" if v is None else cell_text(v) for v in row])
        files.append((f"{sheet.lower()}.csv", buffer.getvalue().encode("utf-16")))
    return files


@pytest.mark.parametrize("form", ["xlsx", "csv"])
def test_a_surveyxact_export_is_uploaded_checked_and_published(form, site, monkeypatch,
                                                               tmp_path):
    surveys, out = site
    at = open_page(monkeypatch, "hemmelig")
    export = as_2025(SURVEYXACT_2021, tmp_path / "download")
    if form == "xlsx":
        at = upload(at, "SurveyXact 2025.xlsx", export.read_bytes(), 2025)
    else:
        (first, data), *rest = as_csv_files(export)
        at = upload(at, first, data, 2025, rest)
    assert at.file_uploader(key="upload").accept_multiple_files
    assert "Kontrollen er i orden." in at.success[0].value, [e.value for e in at.error]
    shown = " ".join(" ".join(t.value.split()) for t in at.text)
    assert "SurveyXact-eksport" in shown and "Ikke gennemført: 13 besvarelser" in shown
    # The questions are proposed by their text in Structure; e-mail and name are not read.
    review = at.data_editor(key="review").value.set_index("Overskrift i eksporten")
    assert review.at["email", "Nøgle"] == review.at["name", "Nøgle"] == ""
    assert review["Bekræftet"].all()  # every text as in the demo's 2021 codebook
    assert "statoverall_4" not in review.index
    at.button(key="publish").click().run()
    assert not at.exception, at.exception
    names = {"xlsx": {"SurveyXact 2025.xlsx"},
             "csv": {"dataset.csv", "structure.csv", "labels.csv"}}[form]
    assert {p.name for p in (surveys / "2025").iterdir()} == names | {"codebook.csv"}
    # The figures for 2025 are those of the same answers in 2021.
    indicators = read_output(out / "indicators.csv").query(
        "scope == 'national' and respondents.notna()")
    for column in ("respondents", "n_valid", "n_positive", "share"):
        assert (indicators.query("year == 2025")[column].tolist()
                == indicators.query("year == 2021")[column].tolist()), column
    quality = read_output(out / "quality.csv").query("scope == 'national'").set_index("year")
    assert quality.at[2025, "not_completed"] == quality.at[2021, "not_completed"] == 13


def test_an_incomplete_surveyxact_upload_is_refused(site, monkeypatch):
    surveys, out = site
    before = tree(surveys)
    at = open_page(monkeypatch, "hemmelig")
    (first, data), second, _ = as_csv_files(SURVEYXACT_2021)
    at.text_input(key="admin_password_input").input("hemmelig").run()
    at.file_uploader(key="upload").set_value(
        [(first, data, "text/csv"), (second[0], second[1], "text/csv")]).run()
    assert not at.exception, at.exception
    assert "labels.csv mangler" in at.error[0].value
    assert tree(surveys) == before
