"""The report's Excel workbook: the binding verdicts, every indicator per track, all the
figures in one table, the CB regions, data quality, traceability and the method note,
formatted for reading and for printing on A4.

Tables come from pipeline.present.tables (the dashboard's headings and words) and are
written by pipeline.present.downloads.write_table (its number formats), so a figure reads
the same here as on screen. Numbers stay numbers (shares as fractions with a percent
format, targets as numbers where Bilag 3 gives one); every text is neutralised so Excel
can never take it for a formula. A printed sheet shows a selection of columns that fits
the page at a readable size; the sheet "Alle tal" holds every column and prints across
pages with the indicator columns repeated.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.outputs.write import SYNTHETIC_MARK
from pipeline.present.columns import COLUMNS
from pipeline.present.downloads import (
    COUNT_FORMAT,
    LINE_HEIGHT,
    PERCENT_FORMAT,
    cell_value,
    font,
    write_table,
)
from pipeline.present.method import REGION_NOTE, method_sections
from pipeline.present.tables import (
    Table,
    excluded_table,
    goal_matrix,
    indicator_table,
    input_files_table,
    quality_table,
)
from pipeline.present.words import (
    GOAL_COLOURS,
    GOAL_ICONS,
    GOAL_WORDS,
    light_fill,
    run_time_text,
    verdict_colour,
)
from pipeline.reference import NATIONAL, SURVEY_KINDS
from pipeline.report.data import ReportData
from pipeline.report.sentences import certainty_word, plain_text, verdict_word
from pipeline.report.texts import TITLE

WARNING_RED = "C00000"
MAX_WIDTH = 45
"""Texts wrap at this many characters, so a sheet printed to the page width stays legible."""
PRINT_WIDTH = {"landscape": 200, "portrait": 140}
"""The widest a sheet may be (column widths in Excel's units, about a character each) when
it is fitted to an A4 page's width: it then prints at 73 % or more, Calibri 11 at 8 pt or
more. The sheets keep within it by choosing columns and wrapping long texts."""
VERDICT = "Vurdering"
LIMITS = {COLUMNS["label"].heading: 30, VERDICT: 20, COLUMNS["note"].heading: 45,
          COLUMNS["evidence"].heading: 32}
"""Narrower wrapping for the columns that hold long texts."""
CERTAINTY = "Statistisk sikkerhed"
TARGET = COLUMNS["target"].heading
SHEET_COLUMNS = ("indicator_id", "label", "year", "n_valid", "share", "ci_low", "ci_high",
                 "change", "value", "value_change_pct", "target", "evidence")
"""The columns a track sheet prints (then verdict and certainty); the rest are in 'Alle tal'."""
REGION_COLUMNS = ("indicator_id", "label", "scope", "n_valid", "share", "ci_low", "ci_high",
                  "target")
OPTIONAL_COLUMNS = [COLUMNS[key].heading for key in (
    "value", "value_change", "value_change_pct", "evidence", "note", "nonresponse_low",
    "nonresponse_high", "change")]
"""Columns left out of a sheet where every row is empty (e.g. no national figure)."""


def sheet_title(label: str) -> str:
    """A name as a sheet name: at most 31 characters, cut only between words and before a
    comma or parenthesis, never inside a word; no characters Excel forbids."""
    name = label
    for bad in "[]:*?/\\":
        name = name.replace(bad, " ")
    name = " ".join(name.split())
    if len(name) <= 31:
        return name
    for stop in (" (", ","):
        head = name.split(stop)[0].strip()
        if len(head) <= 31:
            return head
    while len(name) > 31 and " " in name:
        name = name.rsplit(" ", 1)[0]
    return name[:31]


def put(ws: Worksheet, row: int, text: str, **style: object) -> None:
    cell = ws.cell(row=row, column=1, value=cell_value(text))
    cell.font = font(**style)


def start_sheet(ws: Worksheet, data: ReportData, title: str, subtitle: str = "") -> int:
    """The synthetic-data line (if any), title and subtitle; returns the first free row."""
    row = 1
    if data.synthetic:
        put(ws, row, SYNTHETIC_MARK, bold=True, color=WARNING_RED, size=12)
        row += 1
    put(ws, row, title, bold=True, size=14)
    row += 1
    if subtitle:
        put(ws, row, subtitle, italic=True)
        row += 1
    return row + 1


def print_setup(ws: Worksheet, data: ReportData, header_row: int | None,
                 landscape: bool = True, fit: bool = True, repeat_columns: str = "") -> None:
    """A4, the table header repeated on every printed page, the synthetic-data mark in the
    page header; `fit` fits the page width (the sheet's columns are chosen so the text stays
    legible), else the sheet prints across pages with `repeat_columns` on each."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_margins.left = ws.page_margins.right = 0.5
    if fit:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    if repeat_columns:
        ws.print_title_cols = repeat_columns
    if header_row:
        ws.print_title_rows = f"{header_row}:{header_row}"
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.oddHeader.left.text = f"{TITLE} {data.year}"
    if data.synthetic:
        ws.oddHeader.right.text = SYNTHETIC_MARK
        ws.oddHeader.right.color = WARNING_RED
    ws.oddFooter.left.text = "&A"
    ws.oddFooter.right.text = "Side &P af &N"


def style_verdicts(ws: Worksheet, header_row: int, column: int, colours: list[str]) -> None:
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


def _full_table(rows: pd.DataFrame, data: ReportData) -> Table:
    """indicator_table plus the national figures' change and the judgements' evidence, the
    verdict in words and its statistical certainty in a column of its own."""
    table = indicator_table(rows, data.reference)
    after_value = table.frame.columns[table.frame.columns.get_loc(COLUMNS["value"].heading) + 1]
    for key in ("value_change", "value_change_pct"):
        table = table.add(COLUMNS[key].heading, rows[key].values, COLUMNS[key].kind,
                          before=after_value)
    table = table.add(COLUMNS["evidence"].heading, rows["evidence"].values,
                      before=COLUMNS["note"].heading)
    records = rows.to_dict("records")
    frame = table.frame.copy()
    frame[VERDICT] = [verdict_word(r) for r in records]
    table = Table(frame, table.kinds)
    return table.add(CERTAINTY, [certainty_word(r).removeprefix("statistisk ").capitalize()
                                 for r in records], before=COLUMNS["note"].heading)


def _selected(table: Table, keys: Sequence[str]) -> Table:
    """The printed selection: these columns (where present), then verdict and certainty."""
    headings = [COLUMNS[k].heading for k in keys if COLUMNS[k].heading in table.frame.columns]
    return _drop_empty(table.only([*headings, VERDICT, CERTAINTY]))


def _numeric_targets(ws: Worksheet, table: Table, header: int, rows: pd.DataFrame) -> None:
    """The target as a number where Bilag 3 gives one (a share or a count), with its
    format; in words where it is a judgement or a development."""
    column = table.frame.columns.get_loc(TARGET) + 1
    for i, (kind, target) in enumerate(zip(rows["target_kind"], rows["target"], strict=True),
                                       start=header + 1):
        cell = ws.cell(row=i, column=column)
        if kind in ("min_share", "min_count") and pd.notna(target):
            cell.value = float(target) if kind == "min_share" else int(target)
            cell.number_format = PERCENT_FORMAT if kind == "min_share" else COUNT_FORMAT
            cell.alignment = Alignment(horizontal="right", vertical="top")


def _write_indicators(ws: Worksheet, data: ReportData, table: Table, rows: pd.DataFrame,
                      start: int) -> int:
    header = write_table(ws, table, start, max_width=MAX_WIDTH, limits=LIMITS)
    _numeric_targets(ws, table, header, rows)
    style_verdicts(ws, header, table.frame.columns.get_loc(VERDICT) + 1,
                    [verdict_colour(a, c) for a, c in zip(rows["attained"], rows["certainty"],
                                                          strict=True)])
    return header


def _ordered(rows: pd.DataFrame, data: ReportData) -> pd.DataFrame:
    order = {ind: i for i, ind in enumerate(data.reference.indicators["indicator_id"])}
    scopes = {s: i for i, s in enumerate([NATIONAL, *data.reference.centralbiblioteker])}
    return rows.sort_values(["indicator_id", "year", "scope"], key=lambda c: c.map(
        order if c.name == "indicator_id" else scopes if c.name == "scope" else lambda v: v))


def _summary(wb: Workbook, data: ReportData) -> None:
    ws = wb.active
    ws.title = "Oversigt"
    goals = data.goals[data.goals["level"] == "resultatmaal"]
    matrix = goal_matrix(goals, data.reference)
    codes = goals.pivot(index="maal_id", columns="year", values="attained")
    this = goals[goals["year"] == data.year].set_index("maal_id").reindex(codes.index)
    matrix = matrix.add(f"Det holder målet tilbage i {data.year}",
                        [_held_back(r) for r in this.to_dict("records")])
    start = start_sheet(ws, data, f"{TITLE} {data.year}: resultatmål (bindende)",
                   "Et resultatmål er kun opfyldt i et år, hvis alle dets indikatorer med et mål "
                   "er opfyldt. Ufuldstændig: en indikator mangler data, så målet kan ikke "
                   "erklæres opfyldt.")
    header = write_table(ws, matrix, start, max_width=MAX_WIDTH)
    for year in codes.columns:
        column = matrix.frame.columns.get_loc(str(year)) + 1
        style_verdicts(ws, header, column, [GOAL_COLOURS[c] for c in codes[year]])
        ws.cell(row=header, column=column).alignment = Alignment(horizontal="center")
    legend = "   ".join(f"{GOAL_ICONS[k]} {GOAL_WORDS[k]}" for k in GOAL_WORDS)
    put(ws, header + len(matrix) + 2, legend, italic=True)
    print_setup(ws, data, header)
    ws.freeze_panes = ws.cell(row=header + 1, column=3)


def _held_back(goal: dict) -> str:
    """The goal's indicators not met, missing or statistically uncertain, by id, in one
    cell ('Ikke opfyldt: TS-KULT-REL (…). Statistisk usikker: TS-DIGI-REL.')."""
    parts = [f"{words}: {plain_text(goal.get(column))}" for words, column in (
        ("Ikke opfyldt", "indicators_not_attained"), ("Mangler tal", "indicators_missing"),
        ("Statistisk usikker", "indicators_uncertain")) if plain_text(goal.get(column))]
    return ". ".join(parts)


def track_sheets(wb: Workbook, data: ReportData) -> None:
    catalogue = data.reference.indicators
    for track in data.reference.tracks.sort_values("order").itertuples():
        ids = catalogue.loc[catalogue["track"] == track.track, "indicator_id"]
        rows = _ordered(data.national[data.national["indicator_id"].isin(ids)], data)
        ws = wb.create_sheet(sheet_title(track.short_label))
        start = start_sheet(ws, data, f"{track.label}: nøgletal og indikatorer "
                                 f"{data.years[0]}–{data.year}",
                       f"{track.opgave} · hele landet · mål og vurdering efter bilag 3 · "
                       "alle kolonner står på fanen »Alle tal«")
        table = _selected(_full_table(rows, data), SHEET_COLUMNS)
        _write_indicators(ws, data, table, rows, start)
        print_setup(ws, data, start)


def _all_figures(wb: Workbook, data: ReportData) -> None:
    """Every column of every national indicator row, for analysis; printed across pages."""
    ws = wb.create_sheet("Alle tal")
    rows = _ordered(data.national, data)
    start = start_sheet(ws, data, f"Alle tal {data.years[0]}–{data.year}: hele landet",
                   "Hver indikator og hvert år med alle kolonner fra resultatfilen "
                   "indicators.csv. Udskrives over flere sider med indikatoren gentaget.")
    table = _drop_empty(_full_table(rows, data).without([COLUMNS["scope"].heading]))
    _write_indicators(ws, data, table, rows, start)
    print_setup(ws, data, start, repeat_columns="A:C")
    ws.page_setup.fitToWidth = 2  # two pages across, each at a readable size


def _region_sheet(wb: Workbook, data: ReportData) -> None:
    rows = data.indicators
    rows = _ordered(rows[(rows["year"] == data.year) & rows["kind"].isin(SURVEY_KINDS)], data)
    ws = wb.create_sheet("CB-regioner")
    start = start_sheet(ws, data, f"CB-regioner {data.year}: hvert nøgletal for de seks regioner",
                   REGION_NOTE)
    table = _selected(_full_table(rows, data), REGION_COLUMNS)
    _write_indicators(ws, data, table, rows, start)
    print_setup(ws, data, start)


def _quality_sheet(wb: Workbook, data: ReportData) -> None:
    ws = wb.create_sheet("Datakvalitet")
    start = start_sheet(ws, data, f"Datakvalitet {data.years[0]}–{data.year}",
                   "Svar, svarprocent og udeladte rækker pr. år og område. Filer og "
                   "kontrolsummer står på fanen »Sporbarhed«.")
    quality = quality_table(data.quality)
    header = write_table(ws, quality, start, max_width=30)
    print_setup(ws, data, header)


def traceability_sheet(wb: Workbook, data: ReportData) -> None:
    """The run the figures come from and the SHA-256 of every input and output file, so a
    figure can be traced to the files it was computed from."""
    ws = wb.create_sheet("Sporbarhed")
    manifest = data.outputs.manifest
    params = manifest.get("parameters", {})
    start = start_sheet(ws, data, "Sporbarhed: kørsel og filer",
                   f"Kørslen {run_time_text(manifest.get('created_utc'))}, version "
                   f"{manifest.get('version', '?')}, intervalmetode "
                   f"{params.get('ci_method', '?')}.")
    put(ws, start, "Inputfiler", bold=True)
    files = input_files_table(manifest)
    header = write_table(ws, files, start + 1, max_width=MAX_WIDTH, limits={"SHA-256": 66}) \
        if len(files) else start + 1
    row = header + len(files) + 2
    outputs = manifest.get("outputs", [])
    if outputs:
        put(ws, row, "Resultatfiler", bold=True)
        write_table(ws, Table.of({"path": [f.get("path") for f in outputs],
                                  "kind": ["resultat"] * len(outputs),
                                  "sha256": [f.get("sha256") for f in outputs],
                                  "bytes": [f.get("bytes") for f in outputs]}), row + 1,
                    max_width=MAX_WIDTH)
        row += len(outputs) + 3
    excluded = data.outputs.excluded_rows
    excluded = excluded[excluded["year"] <= data.year]
    put(ws, row, f"Udeladte rækker {data.years[0]}–{data.year} (fil og række i eksporten)",
         bold=True)
    if excluded.empty:
        put(ws, row + 1, "Ingen rækker er udeladt.")
    else:
        table = excluded_table(excluded, data.reference).add(COLUMNS["year"].heading,
                                                              excluded["year"].values)
        write_table(ws, table.only([COLUMNS[k].heading for k in (
            "source_file", "source_row", "reason", "kommune", "year")]), row + 1,
            max_width=MAX_WIDTH)
    print_setup(ws, data, header)


def method_sheet(wb: Workbook, data: ReportData,
                 extra: Sequence[tuple[str, str]] = ()) -> None:
    ws = wb.create_sheet("Metode")
    row = start_sheet(ws, data, "Metode: sådan er andele og intervaller beregnet",
                 "Tallene er fra kørslen "
                 f"{run_time_text(data.outputs.manifest.get('created_utc'))}.")
    width = 90  # fits an A4 page in portrait, also where Calibri is replaced by a wider font
    ws.column_dimensions["A"].width = width
    for heading, text in [*method_sections(data.outputs.manifest), *extra]:
        put(ws, row, heading, bold=True)
        cell = ws.cell(row=row + 1, column=1, value=cell_value(text))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[row + 1].height = LINE_HEIGHT * math.ceil(len(text) / (width - 12))
        row += 3
    print_setup(ws, data, None, landscape=False)


def workbook_properties(wb: Workbook, title: str) -> None:
    """Title, author 'Centralbibliotekerne', Danish; created and modified now (openpyxl's
    default); nothing about the library that wrote it."""
    wb.properties.title = title
    wb.properties.creator = "Centralbibliotekerne"
    wb.properties.lastModifiedBy = "Centralbibliotekerne"
    wb.properties.language = "da-DK"


def workbook_bytes(data: ReportData) -> bytes:
    """The whole workbook (beretning_<year>.xlsx) as bytes."""
    wb = Workbook()
    _summary(wb, data)
    track_sheets(wb, data)
    _all_figures(wb, data)
    _region_sheet(wb, data)
    _quality_sheet(wb, data)
    traceability_sheet(wb, data)
    method_sheet(wb, data)
    workbook_properties(wb, f"{TITLE} {data.year}")
    return save(wb)


def save(wb: Workbook) -> bytes:
    """The workbook's bytes, with docProps/app.xml naming no application."""
    buffer = io.BytesIO()
    wb.save(buffer)
    return without_application(buffer.getvalue())


def without_application(xlsx: bytes) -> bytes:
    """openpyxl writes 'Microsoft Excel Compatible / Openpyxl x.y' as the application in
    docProps/app.xml; the file says who made the report (its properties), not which
    library wrote it."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "docProps/app.xml":
                content = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                           b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/'
                           b'2006/extended-properties"><Company>Centralbibliotekerne</Company>'
                           b'</Properties>')
            target.writestr(item, content)
    return out.getvalue()

