"""The dashboard's "Opdater data" page: hidden without a password; a good upload is
checked and published; a bad one changes nothing on disk."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from helpers import REPO, copy_demo, run_pipeline, snapshot
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from dashboard_pages.admin import PASSWORD_ENV, AttemptLimiter
from pipeline.intake.staging import STAGING_ROOT, remove_abandoned
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
    at.number_input(key="upload_year-0").set_value(year).run()
    at.file_uploader(key="upload-0").set_value((name, data, XLSX)).run()
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
    matrix = " ".join(m.value for m in at.markdown if "mo-table" in m.value)
    assert "Resultatmålene, som de bliver efter publicering" in matrix and "2025" in matrix
    staged = at.session_state["staging"].folder
    at.checkbox(key="sure-0").check().run()  # 2024's file as 2025: warned, published anyway
    at.button(key="publish").click().run()
    assert not at.exception, at.exception
    assert "Publiceret" in at.success[0].value
    assert not staged.exists()  # the staged copy (names, e-mails) is gone
    assert at.file_uploader(key="upload-1").value is None  # the page starts afresh
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


def test_warnings_before_publishing_and_publish_only_when_acknowledged(site, monkeypatch):
    """The same export again, as another year: identical file, responses dated in 2024."""
    surveys, _ = site
    at = open_page(monkeypatch, "hemmelig")
    at = upload(at, "besvarelser_2026.xlsx", EXPORT_2024.read_bytes(), 2026)
    shown = " ".join(w.value for w in at.warning)
    assert "identisk med besvarelser_2024.xlsx" in shown
    assert "afsluttet uden for 2026" in shown
    assert "ingen mål for 2026" in shown
    assert at.button(key="publish").disabled
    at.checkbox(key="sure-0").check().run()
    assert not at.button(key="publish").disabled
    at.button(key="logout").click().run()
    assert not at.file_uploader and at.text_input(key="admin_password_input")
    assert not (surveys / "2026").exists()


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
