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

from dashboard_pages.admin import PASSWORD_ENV, AttemptLimiter
from pipeline.intake.staging import STAGING_ROOT, remove_abandoned
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
    at.number_input(key="upload_year-0").set_value(year).run()
    files = [(n, d, XLSX if n.endswith(".xlsx") else "text/csv")
             for n, d in [(name, data), *more]]
    at.file_uploader(key="upload-0").set_value(files).run()
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
    matrix = " ".join(m.value for m in at.markdown if "mo-table" in m.value)
    assert "Resultatmålene, som de bliver efter publicering" in matrix and "2025" in matrix
    staged = at.session_state["staging"].folder
    at.checkbox(key="sure-0").check().run()  # 2024's file as 2025: warned, published anyway
    at.button(key="publish").click().run()
    assert not at.exception, at.exception
    assert "Publiceret" in at.success[0].value
    assert not staged.exists()  # the staged copy (names, e-mails) is gone
    assert not at.file_uploader(key="upload-1").value  # the page starts afresh
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
    shown = " ".join(m.value for m in at.markdown)
    assert "Atlantis" in shown and "Gør sådan" in shown
    assert str(STAGING_ROOT) not in shown and "/tmp" not in shown  # no temporary paths
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
    assert at.file_uploader(key="upload-0").accept_multiple_files
    assert "Kontrollen er i orden." in at.success[0].value, [e.value for e in at.error]
    shown = " ".join(" ".join(t.value.split()) for t in at.info)
    assert "SurveyXact-eksport" in shown and "13 er ikke gennemført" in shown
    # The questions are proposed by their text in Structure; e-mail and name are not read.
    review = at.data_editor(key="review-0").value.set_index("Overskrift i eksporten")
    assert review.at["email", "Nøgle"] == review.at["name", "Nøgle"] == ""
    assert review["Bekræftet"].all()  # every text as in the demo's 2021 codebook
    assert "statoverall_4" not in review.index
    at.checkbox(key="sure-0").check().run()  # 2025 has no targets: warned
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
    at.file_uploader(key="upload-0").set_value(
        [(first, data, "text/csv"), (second[0], second[1], "text/csv")]).run()
    assert not at.exception, at.exception
    assert "Filen kan ikke bruges" in at.error[0].value
    assert "labels.csv mangler" in " ".join(m.value for m in at.markdown)
    assert tree(surveys) == before


def test_last_years_export_as_a_new_year_is_refused_in_plain_danish(site, monkeypatch):
    """The same export again, as another year: the check refuses it (the same file as
    2024's, responses dated in 2024's field period) and says so without paths or code."""
    surveys, _ = site
    at = open_page(monkeypatch, "hemmelig")
    at = upload(at, "besvarelser_2026.xlsx", EXPORT_2024.read_bytes(), 2026)
    assert "Kontrollen fandt problemer" in at.error[0].value
    shown = " ".join(" ".join(m.value.split()) for m in at.markdown)
    assert "besvarelser_2024.xlsx" in shown and "Gør sådan" in shown
    assert "/tmp" not in shown and "python -m" not in shown
    assert not [b for b in at.button if b.key == "publish"]
    assert not (surveys / "2026").exists()


def test_warnings_before_publishing_and_publish_only_when_acknowledged(site, monkeypatch,
                                                                       tmp_path):
    """A good export for a year without targets: warned, and published only when the
    analyst has ticked that they have seen the warning."""
    surveys, _ = site
    at = open_page(monkeypatch, "hemmelig")
    export_2025 = reworded_export(EXPORT_2024, tmp_path / "2025.xlsx", {})  # dated 2025
    at = upload(at, "besvarelser_2025.xlsx", export_2025.read_bytes(), 2025)
    shown = " ".join(w.value for w in at.warning)
    assert "ingen mål for 2025" in shown
    assert at.button(key="publish").disabled
    at.checkbox(key="sure-0").check().run()
    assert not at.button(key="publish").disabled
    at.button(key="logout").click().run()
    assert not at.file_uploader and at.text_input(key="admin_password_input")
    assert not (surveys / "2025").exists()


def test_password_attempts_are_limited_for_everyone():
    limiter = AttemptLimiter(max_attempts=3, seconds=600)
    for t in (0, 1, 2):
        assert limiter.wait(t) == 0
        limiter.failed(t)
    assert limiter.wait(3) == pytest.approx(597)
    assert limiter.wait(601) == 0  # the oldest failure has expired


def test_abandoned_staging_copies_are_removed(tmp_path, monkeypatch):
    import pipeline.intake.staging as staging

    monkeypatch.setattr(staging, "STAGING_ROOT", tmp_path)
    old, fresh = tmp_path / ".opdater-old", tmp_path / ".opdater-fresh"
    old.mkdir()
    fresh.mkdir()
    import os
    os.utime(old, (1000, 1000))
    assert remove_abandoned(max_age=60, now=fresh.stat().st_mtime + 1) == 1
    assert not old.exists() and fresh.exists()
