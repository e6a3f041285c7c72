"""The dashboard's Rapport page, driven headless with Streamlit's AppTest: the year's
report as Word, Excel and PNG downloads, built only when a button is clicked."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from docx import Document
from helpers import REPO, run_pipeline
from openpyxl import load_workbook
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from pipeline.outputs.read import read_output
from pipeline.outputs.write import SYNTHETIC_MARK
from pipeline.present.words import goal_verdict
from pipeline.report.images import browser_path

PAGE = "dashboard_pages/rapport.py"


@pytest.fixture
def downloads(monkeypatch) -> dict[str, dict]:
    """file name -> what a download button registered (its callable and mime type): the
    page builds the files lazily, so the test calls what a click would."""
    seen: dict[str, dict] = {}
    original = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        seen[file_name] = {"build": data_callable, "mime": mimetype}
        return original(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return seen


def rapport(out_dir: Path, monkeypatch) -> AppTest:
    monkeypatch.setenv("MAALOPFYLDELSE_OUTPUT", str(out_dir))
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60).run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def test_report_page_offers_the_years_files(demo_output, monkeypatch, downloads):
    at = rapport(demo_output, monkeypatch)
    assert at.title[0].value == "Rapport"
    buttons = {b.label: b for b in at.get("download_button")}
    assert set(buttons) == {"Hent Word-dokument", "Hent regneark", "Hent diagrammer (PNG)",
                            "Hent periodeevaluering (Word)",
                            "Hent periodeevaluering (regneark)"}
    assert {n for n in downloads if n.startswith("beretning")} == {
        "beretning_2024.docx", "beretning_2024.xlsx", "beretning_2024_figurer.zip"}
    assert {n for n in downloads if n.startswith("periode")} == {
        "periodevaluering_2021-2024.docx", "periodevaluering_2021-2024.xlsx"}
    assert downloads["beretning_2024.xlsx"]["mime"].endswith("spreadsheetml.sheet")
    text = " ".join(m.value for m in at.markdown)
    goals = read_output(demo_output / "goals.csv").query(
        "level == 'resultatmaal' and year == 2024")
    for number, goal in enumerate(goals.sort_values("maal_id").itertuples(), start=1):
        assert f"Resultatmål {number}: {goal_verdict(goal.attained)}" in text
    assert "python -m pipeline report --year 2024" in text
    assert any("SYNTETISKE DEMODATA" in w.value for w in at.warning)


def test_the_workbook_button_builds_the_chosen_years_workbook(demo_output, monkeypatch,
                                                               downloads):
    at = rapport(demo_output, monkeypatch)
    at.selectbox(key="aar").set_value(2022).run()
    assert not at.exception
    assert "beretning_2022.xlsx" in downloads
    wb = load_workbook(io.BytesIO(downloads["beretning_2022.xlsx"]["build"]()))
    assert wb.sheetnames[0] == "Oversigt" and wb["Oversigt"]["A1"].value == SYNTHETIC_MARK
    assert wb["Oversigt"]["A2"].value.startswith("Fælles faglig beretning 2022")


def test_the_period_workbook_button_builds_the_period_assessment(demo_output, monkeypatch,
                                                                 downloads):
    rapport(demo_output, monkeypatch)
    wb = load_workbook(io.BytesIO(downloads["periodevaluering_2021-2024.xlsx"]["build"]()))
    assert wb.sheetnames[:2] == ["Oversigt", "Udvikling"]
    assert wb["Oversigt"]["A2"].value.startswith("Periodevaluering 2021–2024")


@pytest.mark.slow
def test_a_period_not_yet_reached_says_which_years_are_missing(tmp_path, monkeypatch,
                                                               downloads):
    out = tmp_path / "out"
    assert run_pipeline(REPO / "tests" / "golden" / "surveys", out).exit_code == 0
    at = rapport(out, monkeypatch)
    assert any("der mangler 2021, 2022" in i.value for i in at.info)
    assert not any(n.startswith("periode") for n in downloads)


@pytest.mark.slow
def test_the_document_and_png_buttons_draw_the_charts(demo_output, monkeypatch, downloads):
    if browser_path() is None:
        pytest.skip("Chromium is not installed; tests/test_report_render.py says so in CI.")
    rapport(demo_output, monkeypatch)
    doc = Document(io.BytesIO(downloads["beretning_2024.docx"]["build"]()))
    assert doc.paragraphs[0].text == SYNTHETIC_MARK
    assert len(doc.inline_shapes) == 28  # 16 charts and 12 maps
    archive = zipfile.ZipFile(io.BytesIO(downloads["beretning_2024_figurer.zip"]["build"]()))
    names = archive.namelist()
    assert len(names) == 28 and names[0] == "beretning_2024_figurer/01_MO-FYS_udvikling.png"
    blobs = [doc.part.related_parts[s._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
             for s in doc.inline_shapes]
    assert blobs == [archive.read(n) for n in names]  # drawn once, the same in both


def test_missing_output_shows_the_command_instead_of_buttons(tmp_path, monkeypatch):
    at = rapport(tmp_path / "nothing", monkeypatch)
    assert "ikke kørt" in at.error[0].value
    assert not at.get("download_button")
