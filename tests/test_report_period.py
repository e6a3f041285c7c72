"""The period assessment (`python -m pipeline report --period`): the Word document and the
workbook for the whole agreement period hold each year's result, interval, target and
verdict, the years met and the development over the period exactly as the pipeline wrote
them to period_indicators.csv and period_goals.csv, and it is refused, saying why, while
the period is not over. Charts are drawn by a stand-in here (tests/test_report_render.py
draws them)."""

from __future__ import annotations

import re

import pytest
from docx import Document
from helpers import REPO, run_cli, run_pipeline, tree
from openpyxl import load_workbook

from pipeline.formatting import percent_beside
from pipeline.outputs.read import read_output
from pipeline.outputs.write import SYNTHETIC_MARK
from pipeline.present.downloads import POINT_FORMAT
from pipeline.present.words import goal_verdict, interval_text
from pipeline.reference import NATIONAL, SURVEY_KINDS, load_reference
from pipeline.report.sentences import count_word, development_sentence

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def national_rows(rows):
    return rows[rows["scope"] == NATIONAL]


@pytest.fixture(scope="module")
def period_files(demo_output, tmp_path_factory):
    """The demo run's period assessment, written by the command into a copy of the outputs
    (charts drawn by a stand-in)."""
    import shutil

    from helpers import fake_png

    from pipeline.report import images

    out = tmp_path_factory.mktemp("period")
    for path in demo_output.iterdir():
        if path.is_file():
            shutil.copy(path, out / path.name)
    original = images.render_png
    images.render_png = lambda charts: {c.name: fake_png() for c in charts}
    try:
        before = tree(out)
        result = run_cli("report", "--out", str(out), "--period")
    finally:
        images.render_png = original
    assert result.exit_code == 0, result.output
    assert "periodevaluering_2021-2024.docx" in result.output and SYNTHETIC_MARK in result.output
    after = tree(out)
    assert {k: v for k, v in after.items() if not k.startswith("periodevaluering")} == before
    return out


def test_the_command_writes_the_period_files_named_by_the_agreements_years(period_files):
    names = sorted(p.name for p in period_files.glob("periodevaluering*"))
    assert names == ["periodevaluering_2021-2024.docx", "periodevaluering_2021-2024.xlsx"]


def test_the_document_shows_every_indicator_year_by_year_with_years_met_and_development(
        period_files):
    doc = Document(str(period_files / "periodevaluering_2021-2024.docx"))
    styled = [(p.style.name, p.text) for p in doc.paragraphs]
    texts = [t for _, t in styled]
    assert ("Title", "Periodevaluering 2021–2024") in styled
    assert [t for s, t in styled if s == "Heading 1"] == [
        "Sammenfatning", "Resultatmål og operationelle mål 2021–2024",
        "Nøgletal og indikatorer 2021–2024", "Bilag: Metode og kilder"]
    assert {"Samlet vurdering", "Påtegning", "Udviklingen over perioden"} <= set(texts)
    indicators = national_rows(read_output(period_files / "indicators.csv"))
    period = national_rows(read_output(period_files / "period_indicators.csv"))
    for row in period.itertuples():
        mine = indicators[indicators["indicator_id"] == row.indicator_id].sort_values("year")
        caption = next(p for p in doc.paragraphs if p.style.name == "Caption"
                       and p.text.endswith("2021–2024") and "\u2011" in p.text
                       and row.indicator_id.replace("-", "\u2011") in p.text)
        table = next(t for t in doc.tables if t._tbl is caption._p.getnext())
        years = [r.cells[0].text for r in table.rows[1:]]
        assert years == ["2021", "2022", "2023", "2024"]
        for cells, year_row in zip(table.rows[1:], mine.itertuples(), strict=True):
            if year_row.kind in SURVEY_KINDS:
                target = year_row.target if year_row.target_kind == "min_share" else None
                assert cells.cells[1].text == percent_beside(year_row.share, target)
                assert cells.cells[2].text == interval_text(year_row.ci_low, year_row.ci_high,
                                                            target)
        if row.kind in SURVEY_KINDS:
            assert development_sentence(row._asdict()) in " ".join(texts)
        if row.years_with_target > 1 and row.years_not_met == 0:
            words = f"alle {count_word(row.years_met + row.years_not_met)} år"
            assert any(f"Målet var opfyldt i {words}" in t for t in texts), row.indicator_id
    assert any(t.startswith("Brugen steg for") for t in texts)  # the licences, per licence
    assert any("men det operationelle mål er at fastholde niveauet" in t for t in texts)


def test_the_summary_counts_each_goals_years_as_period_goals_says(period_files):
    doc = Document(str(period_files / "periodevaluering_2021-2024.docx"))
    goals = read_output(period_files / "period_goals.csv").set_index("maal_id")
    matrix = next(t for t in doc.tables if t.rows[0].cells[0].text == "Mål")
    for row in matrix.rows[1:]:
        number_ = re.match(r"Resultatmål (\d)", row.cells[0].text).group(1)
        goal = goals.loc[f"RM{number_}"]
        judged = goal.years_met + goal.years_not_met + goal.years_incomplete
        assert row.cells[-1].text == f"{goal.years_met} af {judged}"
    verdicts = read_output(period_files / "goals.csv").query("maal_id == 'RM4'")
    full = [t for t in doc.tables if t.rows[0].cells[0].text == "Mål"][1]
    rm4 = next(r for r in full.rows if r.cells[0].text.startswith("Resultatmål 4"))
    assert [c.text for c in rm4.cells[1:5]] == [goal_verdict(a) for a in verdicts["attained"]]
    assert any(r.cells[0].text.strip().startswith("Operationelt mål") for r in full.rows)
    texts = " ".join(p.text for p in doc.paragraphs)
    assert "nøgletal og indikatorer med mål i perioden var" in texts
    bookmarks = {b.get(f"{W}name") for b in doc.element.body.iter(f"{W}bookmarkStart")}
    anchors = {h.get(f"{W}anchor") for h in doc.element.body.iter(f"{W}hyperlink")}
    assert anchors and anchors <= bookmarks  # the table of contents links to its chapters
    assert doc.core_properties.author == "Centralbibliotekerne"
    for shape in doc.inline_shapes:
        assert shape._inline.docPr.get("descr")


def test_the_workbook_holds_the_years_met_and_the_development_as_numbers(period_files):
    wb = load_workbook(period_files / "periodevaluering_2021-2024.xlsx")
    assert wb.sheetnames[:2] == ["Oversigt", "Udvikling"]
    assert wb["Oversigt"]["A1"].value == SYNTHETIC_MARK
    goals = [r[1].value for r in wb["Oversigt"].iter_rows() if r[1].value]
    assert any(str(g).startswith("Resultatmål 1: ") for g in goals)
    assert not any(re.match(r"(RM|OM)\d", str(g)) for g in goals)  # Bilag 3 has no codes
    period = national_rows(read_output(period_files / "period_indicators.csv")).set_index(
        "indicator_id")
    ws = wb["Udvikling"]
    rows = list(ws.iter_rows())
    headers = [i for i, r in enumerate(rows) if r[0].value == "Indikator"]
    met = [c.value for c in rows[headers[0]]]
    for r in rows[headers[0] + 1:]:
        if r[0].value is None:
            break
        cells = dict(zip(met, r, strict=False))
        assert cells["Opfyldt (år)"].value == period.at[r[0].value, "years_met"]
        assert cells["År med mål"].value == period.at[r[0].value, "years_with_target"]
    change = [c.value for c in rows[headers[1]]]
    checked = 0
    for r in rows[headers[1] + 1:]:
        if r[0].value is None:
            break
        cells = dict(zip(change, r, strict=False))
        expected = period.loc[r[0].value]
        assert cells["Udvikling"].value == pytest.approx(expected.change * 100, abs=1e-3)
        assert cells["KI nedre"].value == pytest.approx(expected.change_ci_low * 100, abs=1e-3)
        assert cells["Udvikling"].number_format == POINT_FORMAT
        sure = not expected.change_ci_low <= 0 <= expected.change_ci_high
        assert cells["Statistisk sikker"].value == ("Ja" if sure else "Nej")
        checked += 1
    assert checked == 12
    oversigt = {r[1].value: r for r in wb["Oversigt"].iter_rows() if r[1].value}
    goals = read_output(period_files / "period_goals.csv").set_index("maal_id")
    header = next(r for r in wb["Oversigt"].iter_rows() if r[0].value == "Niveau")
    column = [c.value for c in header].index("Opfyldt (år)")
    reference = load_reference()
    maal = reference.maal.set_index("maal_id")
    for maal_id, goal in goals.iterrows():
        name = (f"{reference.resultatmaal_name(maal_id)}: " if goal.level == "resultatmaal"
                else "") + maal.at[maal_id, "short_label"]
        assert oversigt[name][column].value == goal.years_met


@pytest.mark.slow
def test_a_period_not_over_is_refused_in_danish(tmp_path):
    out = tmp_path / "out"
    assert run_pipeline(REPO / "tests" / "golden" / "surveys", out).exit_code == 0
    result = run_cli("report", "--out", str(out), "--period")
    assert result.exit_code == 1
    assert ("Perioden 2021–2024 kan ikke evalueres endnu: der er ingen resultater for "
            "2021, 2022.") in result.output
    assert "Gør sådan:" in result.output and "Traceback" not in result.output
    assert not list(out.glob("periodevaluering*"))
    both = run_cli("report", "--out", str(out), "--period", "--year", "2024")
    assert both.exit_code != 0 and "--period og --year" in both.output
