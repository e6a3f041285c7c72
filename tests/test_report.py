"""The report (`python -m pipeline report`): the workbook and the Word document hold the
pipeline's figures in the right cells and paragraphs, say when the data are synthetic,
never hold a formula, and a report that fails leaves the earlier one as it was.

The golden fixture's figures are checked by hand (tests/golden/README.md); the rest is
compared with the output CSVs the report was made from. Charts are drawn by a stand-in
here; tests/test_report_render.py draws them with Chromium and renders the PDF.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest
from docx import Document
from helpers import copy_demo, fake_png, run_cli, run_pipeline, tree
from openpyxl import Workbook, load_workbook

from pipeline.formatting import number, percent, points
from pipeline.outputs.read import read_output
from pipeline.outputs.write import SYNTHETIC_MARK
from pipeline.present.columns import CHANGE_PCT, COUNT, POINTS, SHARE, TEXT
from pipeline.present.downloads import (
    COUNT_FORMAT,
    PERCENT_FORMAT,
    POINT_FORMAT,
    SIGNED_PERCENT_FORMAT,
    write_table,
    xlsx_bytes,
)
from pipeline.present.tables import Table
from pipeline.present.words import (
    GOAL_COLOURS,
    goal_verdict,
    indicator_verdict,
    interval_text,
    light_fill,
    target_text,
)
from pipeline.reference import NATIONAL, load_reference
from pipeline.report import images
from pipeline.report.data import ReportError, load_report_data
from pipeline.report.document import OWN_TEXT, document_bytes
from pipeline.report.images import report_charts
from pipeline.report.workbook import sheet_title, workbook_bytes

GOLDEN = Path(__file__).parent / "golden"
REF = load_reference()
LABELS = REF.indicators.set_index("indicator_id")["label"]
SUBJECTS = REF.indicators.set_index("indicator_id")["report_subject"]


@pytest.fixture(scope="module")
def golden_output(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("golden_report")
    assert run_pipeline(GOLDEN / "surveys", out).exit_code == 0
    return out


def copy_outputs(source: Path, target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for path in source.iterdir():
        if path.is_file():
            shutil.copy(path, target / path.name)
    return target


def open_workbook(out: Path, year: int):
    return load_workbook(io.BytesIO(workbook_bytes(load_report_data(out, year))))


def open_document(out: Path, year: int, pictures: dict | None = None):
    return Document(io.BytesIO(document_bytes(load_report_data(out, year), pictures or {})))


def sheet_rows(ws, key: tuple[str, ...]) -> dict[tuple, dict]:
    """The table on a sheet (its header is the row starting with `key[0]`) as dicts keyed
    by the values of the `key` columns."""
    rows = list(ws.iter_rows())
    start = next(i for i, r in enumerate(rows) if r[0].value == key[0])
    header = [c.value for c in rows[start]]
    table = {}
    for row in rows[start + 1:]:
        if row[0].value is None:
            break
        cells = dict(zip(header, row, strict=False))
        table[tuple(cells[k].value for k in key)] = cells
    return table


def csv_row(out: Path, indicator: str, year: int, scope: str = NATIONAL):
    rows = read_output(out / "indicators.csv")
    rows = rows[(rows["indicator_id"] == indicator) & (rows["year"] == year)
                & (rows["scope"] == scope)]
    return rows.fillna({"na_reason": "", "note": "", "certainty": ""}).iloc[0]


# --- The workbook ---------------------------------------------------------------------


def test_summary_sheet_has_every_binding_verdict_styled_in_words(golden_output):
    ws = open_workbook(golden_output, 2024)["Oversigt"]
    rows = list(ws.iter_rows())
    header = next(i for i, r in enumerate(rows) if r[0].value == "Opgave")
    names = [c.value for c in rows[header]]
    goals = read_output(golden_output / "goals.csv").query("level == 'resultatmaal'")
    by_goal = {r[1].value.split(":")[0]: dict(zip(names, r, strict=False))
               for r in rows[header + 1:header + 6]}
    assert by_goal["RM1"]["2023"].value == "✘ Ikke opfyldt"  # MO-FYS 4/6 < 85\u00a0%
    assert by_goal["RM3"]["2023"].value == "⚠ Ufuldstændig"  # no tydelighed question
    for goal in goals.itertuples():
        cell = by_goal[goal.maal_id][str(goal.year)]
        assert cell.value == goal_verdict(goal.attained)
        assert cell.fill.fgColor.rgb.endswith(light_fill(GOAL_COLOURS[goal.attained]))
        assert cell.font.bold
    assert ws.freeze_panes == f"C{header + 2}"
    assert by_goal["RM1"]["Mangler data 2024"].value.startswith("MO-DIG (")


def test_track_sheets_hold_the_hand_checked_figures(golden_output):
    wb = open_workbook(golden_output, 2024)
    mo = sheet_rows(wb["Materialeoverbygning"], ("Indikator", "År"))
    fys = mo[("MO-FYS", 2023)]
    assert fys["Andel positive"].value == pytest.approx(4 / 6, abs=1e-6)
    assert (fys["Besvarelser"].value, fys["Gyldige svar (n)"].value,
            fys["Positive"].value) == (7, 6, 4)
    assert fys["Mål"].value == pytest.approx(0.85)  # the target a number, in per cent format
    assert fys["Mål"].number_format == "0%"
    row = csv_row(golden_output, "MO-FYS", 2023)
    assert (fys["KI nedre"].value, fys["KI øvre"].value) == (row.ci_low, row.ci_high)
    assert fys["Vurdering"].value == indicator_verdict(row.attained, row.certainty) \
        == "Ikke opfyldt, usikkert"
    assert fys["Andel positive"].number_format == PERCENT_FORMAT
    fys24 = mo[("MO-FYS", 2024)]
    assert fys24["Andel positive"].value == pytest.approx(2 / 3, abs=1e-6)
    assert fys24["Ændring fra sidste år"].value == pytest.approx(0, abs=1e-6)
    assert fys24["Ændring fra sidste år"].number_format == POINT_FORMAT
    dig = mo[("MO-DIG", 2023)]
    assert dig["Andel positive"].value is None
    assert dig["Vurdering"].value == "Ingen andel at sammenligne med"
    assert "tilfreds_digital" in dig["Note"].value
    laes = sheet_rows(wb[sheet_title("Glæden ved sprog, litteratur og læsning")],
                      ("Indikator", "År"))
    sty = laes[("TS-LAES-STY", 2023)]
    assert sty["Andel positive"].value == pytest.approx(2 / 3, abs=1e-6)
    assert (sty["Gyldige svar (n)"].value, sty["Positive"].value) == (3, 2)
    together = sheet_rows(wb["Sammenhængende biblioteksvæsen"], ("Indikator", "År"))
    assert together[("TS-SAMMENH", 2024)]["Andel positive"].value == 1
    assert together[("TS-SAMMENH", 2024)]["Vurdering"].value.startswith("Opfyldt")


def test_region_sheet_shows_the_six_regions_for_the_year(golden_output):
    regions = sheet_rows(open_workbook(golden_output, 2023)["CB-regioner"],
                         ("Indikator", "Område"))
    assert regions[("MO-FYS", "CB Odense")]["Andel positive"].value == \
        pytest.approx(3 / 4, abs=1e-6)
    assert regions[("MO-FYS", "CB Aalborg")]["Andel positive"].value == \
        pytest.approx(1 / 2, abs=1e-6)
    assert regions[("MO-FYS", "CB Gentofte")]["Andel positive"].value is None
    assert regions[("MO-FYS", "Hele landet")]["År"].value == 2023
    assert [k[1] for k in regions if k[0] == "MO-FYS"] == [
        "Hele landet", "CB Gentofte", "CB Roskilde", "CB Vejle", "CB Odense", "CB Herning",
        "CB Aalborg"]
    ws = open_workbook(golden_output, 2024)["CB-regioner"]
    assert sheet_rows(ws, ("Indikator", "Område"))[("MO-FYS", "CB Odense")][
        "Andel positive"].value == pytest.approx(1 / 2, abs=1e-6)


def test_quality_sheet_lists_response_rates_exclusions_and_inputs(golden_output):
    ws = open_workbook(golden_output, 2023)["Datakvalitet"]
    quality = sheet_rows(ws, ("År", "Område"))
    national = quality[(2023, "Hele landet")]
    assert (national["Svarende kommuner"].value, national["Kommuner"].value) == (7, 98)
    assert national["Svarprocent"].value == pytest.approx(7 / 98, abs=1e-6)
    assert national["Dubletter"].value == 1
    assert (2024, "Hele landet") not in quality  # a 2023 report stops at 2023
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert "Udeladte rækker i 2023" in values and "Odense" in values
    assert any(str(v).endswith("export.csv") for v in values)


def test_method_sheet_explains_shares_and_intervals(golden_output):
    text = " ".join(str(c.value) for row in open_workbook(golden_output, 2024)["Metode"]
                    .iter_rows() for c in row if c.value)
    for words in ("Andel positive", "gyldige svar", "hypergeometrisk", "Wilson",
                  "Frafaldsspænd", "bindende", "Newcombe"):
        assert words in text, words


def test_every_sheet_is_set_up_for_reading_and_printing(golden_output):
    wb = open_workbook(golden_output, 2024)
    assert wb.sheetnames == ["Oversigt", "Materialeoverbygning", "Glæden ved sprog",
                             "Kultur for alle", "Borgeren i den digitale",
                             "Sammenhængende biblioteksvæsen", "CB-regioner", "Datakvalitet",
                             "Metode"]
    for ws in wb:
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.oddFooter.right.text == "Side &P af &N"
        if ws.title != "Metode":
            assert ws.freeze_panes and ws.print_title_rows
            header_row = int(ws.print_title_rows.split(":")[0].strip("$"))
            assert all(c.font.bold for c in ws[header_row] if c.value)
            assert ws.page_setup.orientation == "landscape"
    mo = wb["Materialeoverbygning"]
    assert mo.column_dimensions["B"].width > 30  # the indicator's description fits


def test_synthetic_data_are_marked_on_every_sheet_and_real_data_are_not(demo_output,
                                                                        golden_output):
    for ws in open_workbook(demo_output, 2024):
        assert ws["A1"].value == SYNTHETIC_MARK, ws.title
        assert ws.oddHeader.right.text == SYNTHETIC_MARK
    for ws in open_workbook(golden_output, 2024):
        assert not any("SYNTETISK" in str(c.value) for row in ws.iter_rows() for c in row)
        assert not ws.oddHeader.right.text


@pytest.mark.slow
def test_no_cell_can_be_taken_for_a_formula(tmp_path):
    surveys = copy_demo(tmp_path)
    path = surveys / "judgements.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    evil = ['=HYPERLINK("http://x","klik")', "+1+1", "-2", "@SUM(A1)"]
    for i, row in enumerate(rows):
        row["evidence"] = evil[i % len(evil)]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    out = tmp_path / "out"
    assert run_pipeline(surveys, out).exit_code == 0
    wb = open_workbook(out, 2024)
    texts = []
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    assert not cell.value.startswith(("=", "+", "-", "@")), cell.value
    assert "'=HYPERLINK(\"http://x\",\"klik\")" in texts and "'@SUM(A1)" in texts


def test_write_table_neutralises_text_and_formats_numbers_as_the_dashboard():
    import pandas as pd

    table = Table(pd.DataFrame({"Tekst": ["=1+1", "+1", "-1", "@x"],
                                "Andel positive": [0.875, 0.5, None, 1.0],
                                "Ændring fra sidste år": [0.031, -0.02, 0.0, None],
                                "Tal": [725000, 1, 2, 3],
                                "Ændring i procent": [0.0127, -0.01, 0, None]}),
                  {"Tekst": TEXT, "Andel positive": SHARE, "Ændring fra sidste år": POINTS,
                   "Tal": COUNT, "Ændring i procent": CHANGE_PCT})
    wb = Workbook()
    header = write_table(wb.active, table, start_row=3)
    ws = wb.active
    assert header == 3 and ws["A3"].value == "Tekst" and ws["A3"].font.bold
    assert [ws.cell(row=r, column=1).value for r in range(4, 8)] == \
        ["'=1+1", "'+1", "'-1", "'@x"]
    assert all(ws.cell(row=r, column=1).data_type == "s" for r in range(4, 8))
    assert ws["B6"].value is None and ws["B4"].value == 0.875
    assert [ws.cell(row=4, column=c).number_format for c in range(2, 6)] == \
        [PERCENT_FORMAT, POINT_FORMAT, COUNT_FORMAT, SIGNED_PERCENT_FORMAT]
    download = load_workbook(io.BytesIO(xlsx_bytes(table, "Data", note="=note")))["Data"]
    assert download["A1"].value == "'=note" and download.freeze_panes == "A4"


# --- The document ---------------------------------------------------------------------


def paragraphs(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def test_document_drafts_each_sentence_from_the_hand_checked_figures(golden_output):
    texts = paragraphs(open_document(golden_output, 2023))
    fys = csv_row(golden_output, "MO-FYS", 2023)
    assert (
        f"{SUBJECTS['MO-FYS']} er {percent(4 / 6)} (95\u00a0%-konfidensinterval "
        f"{interval_text(fys.ci_low, fys.ci_high)}), og målet på 85\u00a0% for 2023 er dermed ikke "
        "opfyldt. Vurderingen er dog usikker: målet ligger inden for konfidensintervallet, så "
        "den sande andel kan også nå målet.") in texts
    assert (
        f"{SUBJECTS['MO-DIG']} kan ikke opgøres for 2023. Årsag: Spørgsmålet "
        "'tilfreds_digital' er ikke med i kodebogen for 2023. Målet på 72\u00a0% kan derfor ikke "
        "vurderes, og resultatmålet kan ikke erklæres opfyldt.") in texts
    assert (f"I 2023 svarede 7 af 98 kommuner (svarprocent {percent(7 / 98)}). 1 række i "
            "eksporterne er udeladt (1 × Dublet).") in " ".join(texts)
    texts24 = paragraphs(open_document(golden_output, 2024))
    fys24 = next(t for t in texts24 if t.startswith(SUBJECTS["MO-FYS"]))
    assert f"er {percent(2 / 3)} (" in fys24
    assert fys24.endswith("Andelen er uændret fra 2023 (afrundet til hele procentpoint).")


def test_document_tables_hold_the_verdicts_and_figures(golden_output):
    doc = open_document(golden_output, 2023)
    summary = doc.tables[0]
    assert [c.text for c in summary.rows[0].cells] == ["Resultatmål", "2023"]
    goals = read_output(golden_output / "goals.csv").query(
        "level == 'resultatmaal' and year == 2023").set_index("maal_id")
    for row in summary.rows[1:]:
        maal_id = row.cells[0].text.split(":")[0]
        assert row.cells[1].text == goal_verdict(goals.at[maal_id, "attained"])
    rm1 = doc.tables[1]
    assert [c.text for c in rm1.rows[0].cells] == ["Indikator", "Resultat", "95\u00a0%-KI", "n",
                                                   "Mål", "Vurdering", "Ændring"]
    fys = [c.text for c in rm1.rows[1].cells]
    row = csv_row(golden_output, "MO-FYS", 2023)
    assert fys == [f"{LABELS['MO-FYS']} (MO-FYS)", percent(4 / 6),
                   interval_text(row.ci_low, row.ci_high), "6", "85\u00a0%",
                   "Ikke opfyldt, usikkert", "–"]
    dig = [c.text for c in rm1.rows[2].cells]
    assert dig[1:5] == ["–", "–", "–", "72\u00a0%"] and dig[5] == "Ingen andel at sammenligne med"


def test_document_has_a_title_page_a_section_per_goal_and_the_method(golden_output):
    doc = open_document(golden_output, 2024)
    styled = [(p.style.name, p.text) for p in doc.paragraphs]
    assert ("Title", "Fælles faglig beretning 2024") in styled
    headings = [t for s, t in styled if s == "Heading 1"]
    goals = REF.maal[REF.maal["level"] == "resultatmaal"]
    assert headings == ["Sammenfatning", *(f"{g.maal_id}: {g.short_label}" for g in
                                           goals.itertuples()), "Datakvalitet", "Metode"]
    assert [t for _, t in styled].count(OWN_TEXT) == 5
    assert doc.sections[0].page_width.cm == pytest.approx(21, abs=0.01)
    assert "SYNTETISK" not in " ".join(t for _, t in styled)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert not re.search(r"\bnan\b", " ".join([t for _, t in styled] + cells), re.I)
    assert "Sandsynliggjort" in cells  # the judgements' target, with no judgement given
    assert "SYNTETISK" not in " ".join(p.text for p in doc.sections[0].header.paragraphs)


@pytest.mark.slow
def test_synthetic_document_says_so_on_the_title_page_and_every_page(demo_output):
    doc = open_document(demo_output, 2024)
    assert doc.paragraphs[0].text == SYNTHETIC_MARK
    for section in doc.sections:
        assert SYNTHETIC_MARK in [p.text for p in section.header.paragraphs]
        assert not section.different_first_page_header_footer


@pytest.mark.slow
def test_document_figures_are_the_dashboards_for_every_indicator(demo_output):
    """Every national indicator of the year: its table row reads as the dashboard formats
    the CSV row, its drafted sentence is there, and each chart is in the document."""
    data = load_report_data(demo_output, 2024)
    charts = report_charts(data)
    pictures = images.by_indicator(charts, {c.name: fake_png() for c in charts})
    doc = Document(io.BytesIO(document_bytes(data, pictures)))
    assert len(doc.inline_shapes) == len(charts) == 16
    cells = {row.cells[0].text: [c.text for c in row.cells]
             for table in doc.tables[1:6] for row in table.rows[1:]}
    texts = paragraphs(doc)
    rows = read_output(demo_output / "indicators.csv").query("year == 2024 and "
                                                             "scope == 'national'")
    rows = rows.fillna({"na_reason": "", "certainty": "", "note": "", "judgement": ""})
    for row in rows.itertuples():
        shown = cells[f"{LABELS[row.indicator_id]} ({row.indicator_id})"]
        assert shown[2:6] == [interval_text(row.ci_low, row.ci_high),
                              number(row.n_valid) if row.n_valid == row.n_valid else "–",
                              target_text(row.target_kind, row.target),
                              indicator_verdict(row.attained, row.certainty, row.na_reason)]
        if row.kind in ("survey_share", "participant_share"):
            assert shown[1] == percent(row.share) and shown[6] == points(row.change)
        assert any(t.startswith(SUBJECTS[row.indicator_id]) for t in texts)


# --- The command ----------------------------------------------------------------------


@pytest.mark.slow
def test_report_command_writes_the_workbook_document_and_pngs(tmp_path, golden_output,
                                                              fake_charts):
    out = copy_outputs(golden_output, tmp_path / "out")
    before = tree(out)
    result = run_cli("report", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "beretning_2024.xlsx" in result.output and "SYNTETISK" not in result.output
    pngs = sorted(p.name for p in (out / "beretning_2024_figurer").iterdir())
    assert pngs == sorted(f"{name}.png" for name in fake_charts[0])
    assert pngs[0] == "01_MO-FYS_udvikling.png"
    assert load_workbook(out / "beretning_2024.xlsx").sheetnames[0] == "Oversigt"
    assert Document(str(out / "beretning_2024.docx")).paragraphs
    assert run_cli("report", "--out", str(out), "--year", "2023").exit_code == 0
    assert (out / "beretning_2023.docx").exists() and (out / "beretning_2024.docx").exists()
    after = tree(out)
    assert {k: v for k, v in after.items() if not k.startswith("beretning")} == before
    assert load_report_data(out).year == 2024  # the outputs still load: nothing changed


@pytest.mark.slow
def test_a_failed_report_leaves_the_earlier_one_as_it_was(tmp_path, golden_output,
                                                           fake_charts, monkeypatch):
    out = copy_outputs(golden_output, tmp_path / "out")
    assert run_cli("report", "--out", str(out)).exit_code == 0
    before = tree(out)

    def broken(charts):
        raise ReportError("Diagrammerne kunne ikke tegnes (test).", "Installér Chromium.")

    monkeypatch.setattr(images, "render_png", broken)
    result = run_cli("report", "--out", str(out))
    assert result.exit_code == 1
    assert result.output.startswith("Rapporten er ikke lavet: Diagrammerne kunne ikke tegnes")
    assert "Gør sådan: Installér Chromium." in result.output
    assert "Traceback" not in result.output
    assert tree(out) == before


@pytest.mark.parametrize(("args", "message"), [
    (("--year", "2019"), "Der er ingen resultater for 2019."),
    (("--year", "tyve"), '"tyve" er ikke et årstal.'),
])
def test_unknown_years_are_refused_in_danish(tmp_path, golden_output, args, message):
    out = copy_outputs(golden_output, tmp_path / "out")
    result = run_cli("report", "--out", str(out), *args)
    assert result.exit_code == 1, result.output
    assert message in result.output and "2023, 2024" in result.output
    assert not list(out.glob("beretning*"))


@pytest.mark.slow
def test_missing_tampered_or_stale_outputs_are_refused(tmp_path, golden_output):
    result = run_cli("report", "--out", str(tmp_path / "nothing"))
    assert result.exit_code == 1 and "pipelinen er ikke kørt" in result.output
    assert "python -m pipeline run --out" in result.output

    out = copy_outputs(golden_output, tmp_path / "tampered")
    (out / "goals.csv").write_text("level\n", encoding="utf-8")
    result = run_cli("report", "--out", str(out))
    assert result.exit_code == 1 and "passer ikke med manifest.json" in result.output
    assert not list(out.glob("beretning*"))

    surveys = copy_demo(tmp_path)
    stale = tmp_path / "stale"
    assert run_pipeline(surveys, stale).exit_code == 0
    with open(surveys / "judgements.csv", "a", encoding="utf-8") as fh:
        fh.write("\n")
    result = run_cli("report", "--out", str(stale))
    assert result.exit_code == 1 and "forældede" in result.output
    assert "judgements.csv (ændret)" in result.output and "Traceback" not in result.output
    assert not list(stale.glob("beretning*"))


@pytest.mark.slow
def test_a_report_for_an_earlier_year_stops_at_that_year(demo_output, fake_charts):
    wb = open_workbook(demo_output, 2022)
    header = [c.value for c in list(wb["Oversigt"].iter_rows())[4]]
    assert "2022" in header and "2023" not in header and "2024" not in header
    years = {k[1] for k in sheet_rows(wb["Materialeoverbygning"], ("Indikator", "År"))}
    assert years == {2021, 2022}
    doc = open_document(demo_output, 2022)
    assert doc.paragraphs[0].text == SYNTHETIC_MARK
    assert any(p.text == "Fælles faglig beretning 2022" for p in doc.paragraphs)
    assert not any("2024" in c.text for t in doc.tables for row in t.rows for c in row.cells)


def test_report_charts_of_demo_data_say_so_in_the_picture(demo_output):
    from pipeline.report.data import load_report_data
    from pipeline.report.images import report_charts

    figures = report_charts(load_report_data(demo_output))
    assert figures
    for chart in figures:  # the mark is the title's subtitle, where it covers nothing
        assert "SYNTETISKE DEMODATA" in chart.figure.layout.title.subtitle.text, chart.name
