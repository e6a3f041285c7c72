"""A new agreement period needs no code change: an indicator, its question, its
operationelt mål and resultatmål and a new theme track are added in the reference CSVs
and targets.csv alone, and the indicator is computed, judged, rolled up, shown on the
dashboard and written in the report.

The reference files are copied to a folder of the test's own and named with
MAALOPFYLDELSE_REFERENCE (as a user would try out next period's catalogue); the run
records the folder in its manifest, and the dashboard and the report read it from there.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from docx import Document
from helpers import KEYS, REPO, TARGETS, run_pipeline, write_year
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from pipeline.outputs.read import read_output
from pipeline.reference import REFERENCE_DIR, REFERENCE_ENV, load_reference
from pipeline.report.build import build_report

pytestmark = [pytest.mark.slow]

NEW = {"indicator_id": "NY-LOKAL", "operationelt_maal_id": "OM6.1", "track": "lokal",
       "kind": "survey_share", "label": "Oplevet lokal forankring (fiktiv indikator)",
       "question_key": "lokal_forankring", "participation_key": "",
       "positive_answers": "I meget høj grad|I høj grad",
       "report_subject": "Andelen af bibliotekerne, der oplever lokal forankring",
       "bilag3_text": "Andel der oplever lokal forankring"}
QUESTION = {"key": "lokal_forankring", "scale": "degree",
            "text": "I hvilken grad oplever I, at centralbibliotekerne styrker den lokale "
                    "forankring?"}
TRACK = {"track": "lokal", "opgave": "Temaspor", "label": "Lokal forankring (fiktivt spor)",
         "order": "6"}
GOALS = [{"maal_id": "RM6", "level": "resultatmaal", "resultatmaal_id": "RM6",
          "opgave": "Temaspor", "label": "Centralbibliotekerne styrker den lokale forankring.",
          "short_label": "Lokal forankring (fiktivt)"},
         {"maal_id": "OM6.1", "level": "operationelt_maal", "resultatmaal_id": "RM6",
          "opgave": "Temaspor", "label": "Folkebibliotekerne oplever lokal forankring.",
          "short_label": "Lokal forankring opleves"}]
TARGET = {2023: 0.5, 2024: 0.8}
ANSWERS = ["I meget høj grad", "I høj grad", "I nogen grad", "I høj grad", "Ved ikke",
           "Slet ikke", "I meget høj grad"]


def _append(path: Path, rows: list[dict[str, str]]) -> None:
    with open(path, newline="", encoding="utf-8") as fh:
        columns = next(csv.reader(fh))
    with open(path, "a", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writerows(rows)


@pytest.fixture(scope="module")
def new_period(tmp_path_factory) -> tuple[Path, dict[int, tuple[int, int]]]:
    """A reference folder and targets with the fictional indicator, two survey years that
    ask its question, and the run's outputs. Returns the output folder and, per year, the
    (positive, valid) answers written, to check the figures against."""
    root = tmp_path_factory.mktemp("new_period")
    reference = root / "reference"
    shutil.copytree(REFERENCE_DIR, reference)
    _append(reference / "questions.csv", [QUESTION])
    _append(reference / "tracks.csv", [TRACK])
    _append(reference / "maal.csv", GOALS)
    _append(reference / "indicators.csv", [NEW])
    targets = root / "targets.csv"
    shutil.copy(TARGETS, targets)
    _append(targets, [{"indicator_id": NEW["indicator_id"], "year": str(year),
                       "target_kind": "min_share", "target": str(share),
                       "bilag3_text": f"{share:.0%}", "source": "Fiktivt tillæg til Bilag 3"}
                      for year, share in TARGET.items()])
    names = load_reference().kommuner["navn"].tolist()
    expected = {}
    for shift, year in enumerate(TARGET):
        answers = [ANSWERS[(i + shift) % len(ANSWERS)] for i in range(60)]
        rows = [{"kommune": names[i], QUESTION["key"]: a} for i, a in enumerate(answers)]
        write_year(root / "surveys", year, rows, keys=[*KEYS, QUESTION["key"]])
        valid = [a for a in answers if a != "Ved ikke"]
        positive = [a for a in valid if a in NEW["positive_answers"].split("|")]
        expected[year] = (len(positive), len(valid))
    out = root / "output"
    mp = pytest.MonkeyPatch()
    mp.setenv(REFERENCE_ENV, str(reference))
    try:
        result = run_pipeline(root / "surveys", out, targets=targets)
    finally:
        mp.undo()
    assert result.exit_code == 0, result.output
    return out, expected


def test_the_new_indicator_is_computed_and_judged(new_period):
    out, expected = new_period
    rows = read_output(out / "indicators.csv")
    rows = rows[(rows["indicator_id"] == NEW["indicator_id"]) & (rows["scope"] == "national")]
    assert sorted(rows["year"]) == sorted(TARGET)
    for row in rows.itertuples():
        positive, valid = expected[row.year]
        assert (row.n_positive, row.n_valid) == (positive, valid)
        assert row.share == pytest.approx(positive / valid)
        assert row.target == TARGET[row.year]
        assert row.attained == ("yes" if positive / valid >= TARGET[row.year] else "no")
    assert set(rows["attained"]) == {"yes", "no"}  # the targets were chosen to give both


def test_it_rolls_up_into_its_own_goals(new_period):
    out, _ = new_period
    goals = read_output(out / "goals.csv")
    indicators = read_output(out / "indicators.csv").set_index(["indicator_id", "year",
                                                                "scope"])
    for maal_id in ("RM6", "OM6.1"):
        rows = goals[goals["maal_id"] == maal_id].set_index("year")
        assert sorted(rows.index) == sorted(TARGET)
        for year in TARGET:
            assert rows.at[year, "n_indicators"] == 1
            assert rows.at[year, "attained"] == indicators.loc[
                (NEW["indicator_id"], year, "national"), "attained"]


def test_the_dashboard_shows_it_from_the_runs_reference(new_period, monkeypatch):
    out, _ = new_period
    monkeypatch.delenv(REFERENCE_ENV, raising=False)  # the dashboard finds it in the manifest
    monkeypatch.setenv("MAALOPFYLDELSE_OUTPUT", str(out))
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60).run()
    assert not at.exception, at.exception
    matrix = next(m.value for m in at.markdown if 'class="mo-table"' in m.value)
    assert "Resultatmål 6: Lokal forankring (fiktivt)" in matrix  # the sixth, as Bilag 3 counts
    at.switch_page("dashboard_pages/spor.py").run()
    at.selectbox(key="spor").set_value(TRACK["track"]).run()
    assert not at.exception, at.exception
    assert at.header[0].value == TRACK["label"]
    assert any(NEW["label"] in s.value for s in at.subheader)


def test_the_report_writes_it(new_period, monkeypatch, fake_charts):
    out, _ = new_period
    monkeypatch.delenv(REFERENCE_ENV, raising=False)
    workbook, document, *_ = build_report(out, 2024)
    sheets = load_workbook(workbook)
    track_sheet = next(ws for ws in sheets.worksheets if ws.title.startswith("Lokal forankring"))
    cells = [str(c.value) for row in track_sheet.iter_rows() for c in row if c.value]
    assert NEW["indicator_id"] in cells
    text = "\n".join(p.text for p in Document(str(document)).paragraphs)
    assert NEW["report_subject"] in text
