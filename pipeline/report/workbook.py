"""The report's Excel workbook: the binding verdicts, every indicator per track, the CB
regions, data quality and the method note, formatted for reading and printing.

Tables come from pipeline.present.tables (the dashboard's headings, words and verdicts)
and are written by pipeline.present.downloads.write_table (its number formats), so a figure reads
the same here as on screen. Numbers stay numbers (shares as fractions with a percent
format); every text is neutralised so Excel can never take it for a formula.
"""

from __future__ import annotations

import io
import math

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.outputs.write import SYNTHETIC_MARK
from pipeline.present.columns import COLUMNS
from pipeline.present.downloads import LINE_HEIGHT, cell_value, font, write_table
from pipeline.present.method import REGION_NOTE, method_sections
from pipeline.present.tables import (
    Table,
    excluded_table,
    goal_matrix,
    indicator_table,
    input_files_table,
    quality_table,
)
from pipeline.present.words import GOAL_COLOURS, GOAL_ICONS, GOAL_WORDS, light_fill, verdict_colour
from pipeline.reference import NATIONAL, SURVEY_KINDS
from pipeline.report.data import ReportData
from pipeline.report.sentences import plain_text
from pipeline.report.texts import TITLE

WARNING_RED = "C00000"
MAX_WIDTH = 45
"""Texts wrap at this many characters, so a sheet printed to the page width stays legible."""
OPTIONAL_COLUMNS = [COLUMNS[key].heading for key in (
    "value", "value_change", "value_change_pct", "evidence", "note", "nonresponse_low",
    "nonresponse_high", "change")]
"""Columns left out of a sheet where every row is empty (e.g. no national figure)."""


def sheet_title(label: str) -> str:
    """A track label as a sheet name (at most 31 characters, no parenthesis):
    'Glæden ved sprog, litteratur og læsning' -> 'Glæden ved sprog'."""
    name = label.split(" (")[0].split(",")[0].strip()
    for bad in "[]:*?/\\":
        name = name.replace(bad, " ")
    while len(name) > 31:
        name = name.rsplit(" ", 1)[0]
    return name


def _put(ws: Worksheet, row: int, text: str, **style: object) -> None:
    cell = ws.cell(row=row, column=1, value=cell_value(text))
    cell.font = font(**style)


def _start(ws: Worksheet, data: ReportData, title: str, subtitle: str = "") -> int:
    """The synthetic-data line (if any), title and subtitle; returns the first free row."""
    row = 1
    if data.synthetic:
        _put(ws, row, SYNTHETIC_MARK, bold=True, color=WARNING_RED, size=12)
        row += 1
    _put(ws, row, title, bold=True, size=14)
    row += 1
    if subtitle:
        _put(ws, row, subtitle, italic=True)
        row += 1
    return row + 1


def _print_setup(ws: Worksheet, data: ReportData, header_row: int | None,
                 landscape: bool = True) -> None:
    """A4, fit to the page width, the table header repeated on every printed page, and
    the synthetic-data mark in the page header."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if header_row:
        ws.print_title_rows = f"{header_row}:{header_row}"
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.oddHeader.left.text = f"{TITLE} {data.year}"
    if data.synthetic:
        ws.oddHeader.right.text = SYNTHETIC_MARK
        ws.oddHeader.right.color = WARNING_RED
    ws.oddFooter.left.text = "&A"
    ws.oddFooter.right.text = "Side &P af &N"


def _style_verdicts(ws: Worksheet, header_row: int, column: int, colours: list[str]) -> None:
    """Verdict cells in bold on a light fill of their colour (the words carry the verdict;
    the colour only helps)."""
    for i, colour in enumerate(colours, start=header_row + 1):
        cell = ws.cell(row=i, column=column)
        cell.fill = PatternFill("solid", fgColor=light_fill(colour))
        cell.font = font(bold=True)


def _drop_empty(table: Table) -> Table:
    frame = table.frame
    return table.without(c for c in OPTIONAL_COLUMNS if c in frame.columns
                         and frame[c].map(lambda v: pd.isna(v) or v == "").all())


def _indicator_sheet_table(rows: pd.DataFrame, data: ReportData) -> Table:
    """indicator_table plus the national figures' change and the judgements' evidence."""
    table = indicator_table(rows, data.reference)
    after_value = table.frame.columns[table.frame.columns.get_loc(COLUMNS["value"].heading) + 1]
    for key in ("value_change", "value_change_pct"):
        table = table.add(COLUMNS[key].heading, rows[key].values, COLUMNS[key].kind,
                          before=after_value)
    table = table.add(COLUMNS["evidence"].heading, rows["evidence"].values,
                      before=COLUMNS["note"].heading)
    return _drop_empty(table)


def _position(table: Table, key: str) -> int:
    """The sheet column (1-based) of an output column in a written table."""
    return table.frame.columns.get_loc(COLUMNS[key].heading) + 1


def _indicator_colours(rows: pd.DataFrame) -> list[str]:
    return [verdict_colour(a, c) for a, c in zip(rows["attained"], rows["certainty"],
                                                 strict=True)]


def _summary(wb: Workbook, data: ReportData) -> None:
    ws = wb.active
    ws.title = "Oversigt"
    goals = data.goals[data.goals["level"] == "resultatmaal"]
    matrix = goal_matrix(goals, data.reference)
    codes = goals.pivot(index="maal_id", columns="year", values="attained")
    this = goals[goals["year"] == data.year].set_index("maal_id").reindex(codes.index)
    for label, column in ((f"Ikke opfyldt {data.year}", "indicators_not_attained"),
                          (f"Mangler data {data.year}", "indicators_missing"),
                          (f"Usikre {data.year}", "indicators_uncertain")):
        matrix = matrix.add(label, [plain_text(v) for v in this[column]])
    start = _start(ws, data, f"{TITLE} {data.year}: resultatmål (bindende)",
                   "Et resultatmål er kun opfyldt i et år, hvis alle dets indikatorer med et mål "
                   "er opfyldt. Ufuldstændig: en indikator mangler data, så målet kan ikke "
                   "erklæres opfyldt.")
    header = write_table(ws, matrix, start, max_width=MAX_WIDTH)
    for year in codes.columns:
        column = matrix.frame.columns.get_loc(str(year)) + 1
        _style_verdicts(ws, header, column, [GOAL_COLOURS[c] for c in codes[year]])
        ws.cell(row=header, column=column).alignment = Alignment(horizontal="center")
    legend = "   ".join(f"{GOAL_ICONS[k]} {GOAL_WORDS[k]}" for k in GOAL_WORDS)
    _put(ws, header + len(matrix) + 2, legend, italic=True)
    _print_setup(ws, data, header)
    ws.freeze_panes = ws.cell(row=header + 1, column=3)


def _track_sheets(wb: Workbook, data: ReportData) -> None:
    catalogue = data.reference.indicators
    order = {ind: i for i, ind in enumerate(catalogue["indicator_id"])}
    for track in data.reference.tracks.sort_values("order").itertuples():
        ids = catalogue.loc[catalogue["track"] == track.track, "indicator_id"]
        rows = data.national[data.national["indicator_id"].isin(ids)]
        rows = rows.sort_values(["indicator_id", "year"],
                                key=lambda c: c.map(order) if c.name == "indicator_id" else c)
        ws = wb.create_sheet(sheet_title(track.label))
        start = _start(ws, data, f"{track.label}: indikatorer {data.years[0]}-{data.year}",
                       f"{track.opgave} · hele landet · mål og vurdering efter Bilag 3")
        table = _indicator_sheet_table(rows, data).without([COLUMNS["scope"].heading])
        header = write_table(ws, table, start, max_width=MAX_WIDTH)
        _style_verdicts(ws, header, _position(table, "verdict"),
                        _indicator_colours(rows))
        _print_setup(ws, data, header)


def _region_sheet(wb: Workbook, data: ReportData) -> None:
    catalogue = data.reference.indicators
    order = {ind: i for i, ind in enumerate(catalogue["indicator_id"])}
    scopes = {s: i for i, s in enumerate([NATIONAL, *data.reference.centralbiblioteker])}
    rows = data.indicators
    rows = rows[(rows["year"] == data.year) & rows["kind"].isin(SURVEY_KINDS)]
    rows = rows.sort_values(["indicator_id", "scope"], key=lambda c: c.map(
        order if c.name == "indicator_id" else scopes))
    ws = wb.create_sheet("CB-regioner")
    start = _start(ws, data, f"CB-regioner {data.year}: hver indikator for de seks regioner",
                   REGION_NOTE)
    table = _drop_empty(indicator_table(rows, data.reference))
    header = write_table(ws, table, start, max_width=MAX_WIDTH)
    _style_verdicts(ws, header, _position(table, "verdict"),
                    _indicator_colours(rows))
    _print_setup(ws, data, header)


def _quality_sheet(wb: Workbook, data: ReportData) -> None:
    ws = wb.create_sheet("Datakvalitet")
    manifest = data.outputs.manifest
    params = manifest.get("parameters", {})
    start = _start(ws, data, f"Datakvalitet {data.years[0]}-{data.year}",
                   f"Kørsel {manifest.get('created_utc', '?')} (UTC), version "
                   f"{manifest.get('version', '?')}, intervalmetode "
                   f"{params.get('ci_method', '?')}.")
    quality = quality_table(data.quality)
    header = write_table(ws, quality, start, max_width=MAX_WIDTH)
    row = header + len(quality) + 2
    excluded = data.outputs.excluded_rows
    excluded = excluded[excluded["year"] == data.year]
    _put(ws, row, f"Udeladte rækker i {data.year}", bold=True)
    if excluded.empty:
        _put(ws, row + 1, "Ingen rækker er udeladt.")
        row += 3
    else:
        table = excluded_table(excluded, data.reference)
        write_table(ws, table, row + 1, max_width=MAX_WIDTH)
        row += len(table) + 3
    _put(ws, row, "Inputfiler", bold=True)
    files = input_files_table(manifest)
    if len(files):
        write_table(ws, files, row + 1, max_width=MAX_WIDTH)
    _print_setup(ws, data, header)


def _method_sheet(wb: Workbook, data: ReportData) -> None:
    ws = wb.create_sheet("Metode")
    row = _start(ws, data, "Metode: sådan er andele og intervaller beregnet")
    width = 70  # fits an A4 page in portrait, also where Calibri is replaced by a wider font
    ws.column_dimensions["A"].width = width
    for heading, text in method_sections(data.outputs.manifest):
        _put(ws, row, heading, bold=True)
        cell = ws.cell(row=row + 1, column=1, value=cell_value(text))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[row + 1].height = LINE_HEIGHT * math.ceil(len(text) / (width - 10))
        row += 3
    _print_setup(ws, data, None, landscape=False)


def workbook_bytes(data: ReportData) -> bytes:
    """The whole workbook (beretning_<year>.xlsx) as bytes."""
    wb = Workbook()
    _summary(wb, data)
    _track_sheets(wb, data)
    _region_sheet(wb, data)
    _quality_sheet(wb, data)
    _method_sheet(wb, data)
    wb.properties.title = f"{TITLE} {data.year}"
    wb.properties.creator = "Målopfyldelse for centralbibliotekerne"
    wb.properties.language = "da-DK"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
