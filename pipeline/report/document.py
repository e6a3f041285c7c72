"""The report's Word document: a Danish first draft of the fælles faglige beretning.

Title page, a summary of the five resultatmål, then per resultatmål its verdict, its
indicators in a table, a drafted sentence and the dashboard's chart for each, a place
for the CB leaders' own text, the data quality and the method note. Words and numbers
come from pipeline.present, pipeline.formatting and the drafted sentences, so
they match the dashboard. Written with python-docx; the result opens in Word and
LibreOffice and is meant to be edited.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date

import pandas as pd
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table

from pipeline.formatting import number, percent, points
from pipeline.outputs.write import SYNTHETIC_MARK
from pipeline.present.method import method_sections
from pipeline.present.words import (
    GOAL_COLOURS,
    GOAL_ICONS,
    GOAL_WORDS,
    goal_verdict,
    indicator_verdict,
    interval_text,
    light_fill,
    scope_label,
    target_text,
    verdict_colour,
)
from pipeline.reference import NATIONAL, SURVEY_KINDS
from pipeline.report.data import ReportData
from pipeline.report.sentences import (
    change_sentence,
    goal_sentence,
    indicator_sentence,
    plain_text,
    summary_sentence,
)
from pipeline.report.texts import SUBTITLE, TITLE, quality_sentence

FONT = "Arial"
RED = RGBColor(0xC0, 0x00, 0x00)
GREY = RGBColor(0x59, 0x59, 0x59)
TEXT_WIDTH_CM = 16.6
OWN_TEXT = ("[Skriv her centralbibliotekernes egen beskrivelse af indsatsen og resultaterne "
            "under resultatmålet.]")
INDICATOR_COLUMNS = (("Indikator", 4.4), ("Resultat", 2.5), ("95 %-KI", 1.6), ("n", 0.8),
                     ("Mål", 2.5), ("Vurdering", 2.4), ("Ændring", 2.4))
VERDICT_COLUMN = 5


def _setup(doc: DocxDocument) -> None:
    """A4 portrait, Danish language (Word spell-checks in Danish), Arial throughout."""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.0)
    for name in ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3"):
        style = doc.styles[name]
        style.font.name = FONT
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), FONT)
    doc.styles["Normal"].font.size = Pt(10.5)
    rpr = doc.styles["Normal"].element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "da-DK")
    rpr.append(lang)
    doc.core_properties.language = "da-DK"


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that the word processor fills in."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _header_footer(doc: DocxDocument, data: ReportData) -> None:
    """Every page: the report's name, the synthetic-data mark (if any) and page numbers."""
    section = doc.sections[0]
    header = section.header.paragraphs[0]
    header.add_run(f"{TITLE} {data.year} – udkast").font.color.rgb = GREY
    if data.synthetic:
        line = section.header.add_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        mark = line.add_run(SYNTHETIC_MARK)
        mark.bold = True
        mark.font.color.rgb = RED
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run("Side ")
    _field(footer, "PAGE")
    footer.add_run(" af ")
    _field(footer, "NUMPAGES")


def _shade(cell, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_header(row) -> None:
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)


def _table(doc: DocxDocument, columns: Sequence[tuple[str, float]],
           rows: Sequence[Sequence[str]], fills: Mapping[tuple[int, int], str] | None = None,
           size: float = 9) -> Table:
    """A table with a shaded header row repeated on every page; `fills` shades the cells
    (row, column) of verdicts, which are always written out in words too."""
    table = doc.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _repeat_header(table.rows[0])
    for cell, (name, _) in zip(table.rows[0].cells, columns, strict=True):
        run = cell.paragraphs[0].add_run(name)
        run.bold = True
        run.font.size = Pt(size)
        _shade(cell, "E7E6E6")
    for i, values in enumerate(rows):
        cells = table.add_row().cells
        for j, value in enumerate(values):
            run = cells[j].paragraphs[0].add_run(str(value))
            run.font.size = Pt(size)
            if fills and (i, j) in fills:
                run.bold = True
                _shade(cells[j], fills[(i, j)])
    table.autofit = False  # fixed widths: Word and LibreOffice lay the table out alike
    for grid_col, (_, width) in zip(table._tbl.tblGrid.gridCol_lst, columns, strict=True):
        grid_col.w = Cm(width)
    for row in table.rows:
        for cell, (_, width) in zip(row.cells, columns, strict=True):
            cell.width = Cm(width)
    return table


def _title_page(doc: DocxDocument, data: ReportData) -> None:
    if data.synthetic:
        mark = doc.add_paragraph()
        mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = mark.add_run(SYNTHETIC_MARK)
        run.bold = True
        run.font.size = Pt(20)
        run.font.color.rgb = RED
    for _ in range(5):
        doc.add_paragraph()
    doc.add_paragraph(f"{TITLE} {data.year}", style="Title")
    doc.add_paragraph(SUBTITLE, style="Subtitle")
    doc.add_paragraph("Centralbibliotekerne i Gentofte, Roskilde, Odense, Vejle, Herning og "
                      "Aalborg til Slots- og Kulturstyrelsen.")
    manifest = data.outputs.manifest
    note = doc.add_paragraph()
    run = note.add_run(
        f"Udkast dannet {date.today().strftime('%d.%m.%Y')} af målopfyldelsesværktøjet ud fra "
        f"kørslen {manifest.get('created_utc', '?')} (UTC). Alle tal, tabeller og diagrammer "
        "er de samme som i dashboardet. Tekstforslagene er udkast: ret dem til, og tilføj "
        "jeres egen beskrivelse, hvor der står en firkantet parentes.")
    run.italic = True
    run.font.color.rgb = GREY
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _summary(doc: DocxDocument, data: ReportData) -> None:
    doc.add_heading("Sammenfatning", level=1)
    goals = data.goals[data.goals["level"] == "resultatmaal"]
    this = [data.goal(m) for m in data.resultatmaal().index if data.goal(m) is not None]
    doc.add_paragraph(summary_sentence(this, data.year))
    labels = data.resultatmaal()["short_label"]
    years = data.years
    year_width = min(2.6, (TEXT_WIDTH_CM - 5.0) / len(years))  # room for many years too
    columns = [("Resultatmål", TEXT_WIDTH_CM - year_width * len(years)),
               *((str(y), year_width) for y in years)]
    rows, fills = [], {}
    for i, maal_id in enumerate(data.resultatmaal().index):
        mine = goals[goals["maal_id"] == maal_id].set_index("year")["attained"]
        values = [f"{maal_id}: {labels[maal_id]}"]
        for j, year in enumerate(years, start=1):
            code = mine.get(year, "n/a")
            values.append(goal_verdict(code))
            fills[(i, j)] = light_fill(GOAL_COLOURS[code])
        rows.append(values)
    _table(doc, columns, rows, fills)
    legend = doc.add_paragraph("   ".join(f"{GOAL_ICONS[k]} {GOAL_WORDS[k]}" for k in GOAL_WORDS))
    legend.runs[0].font.size = Pt(9)
    doc.add_paragraph(
        "Resultatmålene i Bilag 3 er bindende: et resultatmål er kun opfyldt i et år, hvis "
        "alle dets indikatorer med et mål for året er opfyldt. Ufuldstændig betyder, at en "
        "indikator mangler tal, så målet ikke kan erklæres opfyldt.")


def result_text(row: Mapping) -> str:
    """The indicator's figure as the dashboard shows it: share, count or judgement."""
    if row["kind"] in SURVEY_KINDS:
        return percent(row["share"])
    if row["kind"] == "judgement":
        return (plain_text(row["judgement"]) or "–").capitalize()
    return number(row["value"])


def change_cell(row: Mapping) -> str:
    """Change from last year: percentage points for shares, per cent for national figures."""
    if row["kind"] in SURVEY_KINDS:
        return points(row["change"])
    if row["kind"] == "judgement":
        return "–"
    return percent(row["value_change_pct"], 1, True)


def _indicator_table(doc: DocxDocument, data: ReportData, ids: list[str]) -> None:
    catalogue = data.catalogue()
    rows, fills = [], {}
    for ind in ids:
        row = data.row(ind)
        if row is None:
            continue
        fills[(len(rows), VERDICT_COLUMN)] = light_fill(verdict_colour(row["attained"],
                                                                       row["certainty"]))
        rows.append([f"{catalogue.at[ind, 'label']} ({ind})", result_text(row),
                     interval_text(row["ci_low"], row["ci_high"]),
                     number(row["n_valid"]) if pd.notna(row["n_valid"]) else "–",
                     target_text(row["target_kind"], row["target"]),
                     indicator_verdict(row["attained"], row["certainty"], row["na_reason"]),
                     change_cell(row)])
    level = percent(data.outputs.manifest.get("parameters", {}).get("confidence", 0.95))
    columns = [(f"{level}-KI" if name == "95 %-KI" else name, width)
               for name, width in INDICATOR_COLUMNS]  # the run's level, 95 % by default
    _table(doc, columns, rows, fills, size=8)


def _goal_section(doc: DocxDocument, data: ReportData, maal_id: str,
                  images: Mapping[str, list[bytes]]) -> None:
    goal = data.resultatmaal().loc[maal_id]
    doc.add_heading(f"{maal_id}: {goal['short_label']}", level=1)
    wording = doc.add_paragraph()
    wording.add_run(goal["label"]).italic = True
    row = data.goal(maal_id)
    if row is not None:
        verdict = doc.add_paragraph()
        verdict.add_run(f"{goal_verdict(row['attained'])} i {data.year}. ").bold = True
        verdict.add_run(goal_sentence(row))
    ids = data.indicators_of(maal_id)
    _indicator_table(doc, data, ids)
    own = doc.add_paragraph()
    own.paragraph_format.space_before = Pt(6)
    own.add_run(OWN_TEXT).font.color.rgb = GREY
    catalogue = data.catalogue()
    totals = data.licence_totals()
    for ind in ids:
        row = data.row(ind)
        if row is None:
            continue
        doc.add_heading(f"{catalogue.at[ind, 'label']} ({ind})", level=2)
        text = indicator_sentence(row, catalogue.at[ind, "report_subject"], totals)
        change = change_sentence(row)
        doc.add_paragraph(f"{text} {change}".strip())
        for png in images.get(ind, []):
            doc.add_picture(io.BytesIO(png), width=Cm(TEXT_WIDTH_CM))


def _quality(doc: DocxDocument, data: ReportData, images: Mapping[str, list[bytes]]) -> None:
    doc.add_heading("Datakvalitet", level=1)
    quality = data.quality[data.quality["year"] == data.year]
    national = quality[quality["scope"] == NATIONAL]
    if len(national):
        doc.add_paragraph(quality_sentence(national.iloc[0]))
    columns = (("Område", 2.6), ("Kommuner", 1.9), ("Svarende kommuner", 2.2),
               ("Svarprocent", 2.3), ("Dubletter", 1.9), ("Udeladte rækker", 1.9),
               ("Hvorfor udeladt", 3.8))
    rows = [[scope_label(r["scope"]), number(r["population"]),
             number(r["municipalities_answering"]), percent(r["response_rate"]),
             number(r["duplicates_dropped"]), number(r["rows_excluded"]),
             plain_text(r["excluded_reasons"]) or "–"] for _, r in quality.iterrows()]
    _table(doc, columns, rows)
    for png in images.get("", []):
        doc.add_picture(io.BytesIO(png), width=Cm(TEXT_WIDTH_CM))


def _method(doc: DocxDocument, data: ReportData) -> None:
    doc.add_heading("Metode", level=1)
    for heading, text in method_sections(data.outputs.manifest):
        doc.add_heading(heading, level=2)
        doc.add_paragraph(text)


def document_bytes(data: ReportData, images: Mapping[str, list[bytes]]) -> bytes:
    """The whole document (beretning_<year>.docx) as bytes; `images` maps an indicator id
    to its chart PNGs ('' to the data-quality chart)."""
    doc = Document()
    _setup(doc)
    _header_footer(doc, data)
    doc.core_properties.title = f"{TITLE} {data.year}"
    doc.core_properties.author = "Målopfyldelse for centralbibliotekerne"
    _title_page(doc, data)
    _summary(doc, data)
    for maal_id in data.resultatmaal().index:
        _goal_section(doc, data, maal_id, images)
    _quality(doc, data, images)
    _method(doc, data)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
