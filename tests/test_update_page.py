"""The dashboard's "Opdater data" page: hidden without a password; a good upload is
checked and published; a bad one changes nothing on disk."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from helpers import REPO, copy_demo, run_pipeline, snapshot
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from dashboard_pages.admin import PASSWORD_ENV
from pipeline.outputs.read import read_output

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


def upload(at: AppTest, name: str, data: bytes, year: int) -> AppTest:
    at.text_input(key="admin_password_input").input("hemmelig").run()
    at.number_input(key="upload_year").set_value(year).run()
    at.file_uploader(key="upload").set_value((name, data, XLSX)).run()
    assert not at.exception, at.exception
    at.button(key="check").click().run()
    assert not at.exception, at.exception
    return at


def test_a_good_upload_is_checked_and_published(site, monkeypatch):
    surveys, out = site
    at = open_page(monkeypatch, "hemmelig")
    at = upload(at, "besvarelser_2025.xlsx", EXPORT_2024.read_bytes(), 2025)
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
