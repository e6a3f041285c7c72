"""Tables as downloadable files: CSV and a formatted Excel sheet, for the dashboard's
download buttons and the report. Text that Excel could take as a formula is
neutralised in both.

`write_table` is the one place that turns a `Table` into formatted Excel cells (the
number format of each column's kind, matching the dashboard's rounding; bold header;
widths), so a dashboard download and the report's workbook look and round alike.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Mapping

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.fonts import DEFAULT_FONT
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.outputs.write import neutralise_formula
from pipeline.present.columns import CHANGE_PCT, COUNT, INTEGER, POINTS, SHARE
from pipeline.present.tables import Table

# Excel number formats with the dashboard's rounding, the Danish way: shares as whole per
# cent with a space before the sign (87 %), changes in whole percentage points with a sign
# (the cell holds the points: +3 pct.-point), counts with thousands separators (725.000 in a
# Danish Excel), relative changes with one decimal (+1,3 %).
PERCENT_FORMAT = "0 %"
POINT_FORMAT = '[>=0.5]+0" pct.-point";[<=-0.5]-0" pct.-point";0" pct.-point"'
SIGNED_PERCENT_FORMAT = "[>=0.0005]+0.0 %;[<=-0.0005]-0.0 %;0.0 %"
"""Conditional sections, so a change that rounds to nothing reads 0, never -0 or +0."""
COUNT_FORMAT = "#,##0"
POINTS_PER_SHARE = 100
"""A change in a share (0.03) is written to Excel as points (3), so the cell reads as
points and not as per cent."""
HEADER_FILL = PatternFill("solid", fgColor="E7E6E6")
MAX_WIDTH = 60
LINE_HEIGHT = 15
"""Points per line of 11-point text, for the height of rows with wrapped text."""


NUMBER_KINDS = (SHARE, POINTS, CHANGE_PCT)
WHOLE_KINDS = (COUNT, INTEGER)


def _csv_cell(value: object, kind: str) -> str:
    """One cell as a Danish Excel reads it: whole numbers without decimals, fractions
    with a decimal comma (6 decimals at most, as the outputs), text neutralised (a
    number is never taken for a formula, so only text is)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, str):
        return str(neutralise_formula(value))
    if isinstance(value, bool | np.bool_):
        return "Ja" if value else "Nej"
    number = float(value)
    if kind in WHOLE_KINDS or (kind not in NUMBER_KINDS and number.is_integer()):
        return str(int(round(number)))
    return f"{round(number, 6):.6f}".rstrip("0").rstrip(".").replace(".", ",")


def csv_bytes(table: Table) -> bytes:
    """What a Danish Excel opens correctly with a double click: semicolons between
    columns, a decimal comma, UTF-8 with BOM (æ, ø, å), counts as whole numbers."""
    frame = pd.DataFrame({heading: [_csv_cell(v, k) for v, k in
                                    zip(table.frame[heading], table.cell_kinds(heading),
                                        strict=True)]
                          for heading in table.frame.columns})
    return frame.to_csv(index=False, sep=";", lineterminator="\r\n").encode("utf-8-sig")


NUMBER_FORMATS = {SHARE: PERCENT_FORMAT, POINTS: POINT_FORMAT,
                  CHANGE_PCT: SIGNED_PERCENT_FORMAT, COUNT: COUNT_FORMAT}
"""The Excel number format of each column kind (none for text and plain integers)."""


def cell_value(value: object) -> object:
    """A value openpyxl can store: missing -> empty cell, numpy -> Python, and text that
    starts like a formula neutralised (never a formula cell)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if hasattr(value, "item"):  # numpy and pandas scalars
        value = value.item()
    return neutralise_formula(value)


def font(**options: object) -> Font:
    """The workbook's default font (Calibri 11) with changes, e.g. font(bold=True); a bare
    Font() has no name, and some spreadsheet programs then show a serif font."""
    settings: dict = {"name": DEFAULT_FONT.name, "sz": DEFAULT_FONT.sz,
                      "family": DEFAULT_FONT.family, "scheme": DEFAULT_FONT.scheme}
    return Font(**{**settings, **options})


def _header_width(heading: str) -> int:
    """The narrowest width that shows a heading on at most two lines, no word broken."""
    return max(max(len(word) for word in heading.split() or [""]),
               math.ceil(len(heading) / 2)) + 2


def write_table(ws: Worksheet, data: Table, start_row: int = 1,
                widths: bool = True, max_width: int = MAX_WIDTH,
                limits: Mapping[str, int] | None = None) -> int:
    """Write `data` with its header at `start_row`: bold shaded header (wrapped), Danish
    number formats per column kind, column widths that fit the figures as they are shown,
    and texts longer than `max_width` (or the column's own limit in `limits`) wrapped in
    rows tall enough to show them. Returns the header's row number."""
    table = data.frame
    thin = Side(style="thin", color="808080")
    first = start_row + 1
    for j, col in enumerate(table.columns, start=1):
        cell = ws.cell(row=start_row, column=j, value=cell_value(str(col)))
        cell.font = font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = Border(bottom=thin)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")  # a row with wrapped text reads from its top line
    in_points = [data.kind(str(col)) == POINTS for col in table.columns]
    for i, row in enumerate(table.itertuples(index=False), start=first):
        for j, value in enumerate(row, start=1):
            if in_points[j - 1] and isinstance(cell_value(value), int | float):
                value = cell_value(value) * POINTS_PER_SHARE
            ws.cell(row=i, column=j, value=cell_value(value)).alignment = top
    lines = [1] * len(table)
    shown = data.shown(with_hidden=True)
    for j, col in enumerate(table.columns, start=1):
        for i, kind in enumerate(data.cell_kinds(col), start=first):
            fmt = NUMBER_FORMATS.get(kind)
            if fmt:
                ws.cell(row=i, column=j).number_format = fmt
        if not widths:
            continue
        letter = get_column_letter(j)
        limit = (limits or {}).get(str(col), max_width)
        texts = ["" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)
                 for v in shown[col]]
        width = min(max([8, _header_width(str(col))] + [len(t) + 2 for t in texts[:200]]),
                    limit)
        # openpyxl makes a column 13 wide on first look: only a width set before counts
        current = ws.column_dimensions[letter].width if letter in ws.column_dimensions else 0
        ws.column_dimensions[letter].width = max(current or 0, width)
        if any(len(t) + 2 > limit for t in texts):  # wrap long texts, not cut them
            for k, text in enumerate(texts):
                ws.cell(row=first + k, column=j).alignment = Alignment(wrap_text=True,
                                                                       vertical="top")
                lines[k] = max(lines[k], math.ceil(len(text) / (limit - 2)))
    for k, n in enumerate(lines):
        if n > 1:
            ws.row_dimensions[first + k].height = LINE_HEIGHT * n
    if widths:  # the header wraps: make its row tall enough for the longest heading
        header_lines = max((len(textwrap.wrap(str(col), max(int(
            ws.column_dimensions[get_column_letter(j)].width or 10) - 2, 4))) for j, col in
            enumerate(table.columns, start=1)), default=1)
        if header_lines > 1:
            ws.row_dimensions[start_row].height = LINE_HEIGHT * header_lines
    return start_row


def xlsx_bytes(table: Table, sheet: str = "Data", note: str = "") -> bytes:
    """One sheet: bold frozen header, percent formats for shares, sensible widths, and an
    optional note (e.g. that the data are synthetic) above the table."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    if note:
        ws.cell(row=1, column=1, value=cell_value(note))
    header = write_table(ws, table, start_row=3 if note else 1)
    ws.freeze_panes = ws.cell(row=header + 1, column=1)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
