"""Tables as downloadable files: CSV and a formatted Excel sheet, for the dashboard's
download buttons and the report. Text that Excel could take as a formula is
neutralised in both."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl.utils import get_column_letter

from pipeline.outputs import neutralise_formula
from pipeline.presentation import PERCENT_COLUMNS, POINT_COLUMNS


def _safe(table: pd.DataFrame) -> pd.DataFrame:
    out = table.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise_formula)
    return out


def csv_bytes(table: pd.DataFrame) -> bytes:
    """UTF-8 with BOM, so Excel shows æ, ø and å correctly when the file is opened."""
    return _safe(table).to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def xlsx_bytes(table: pd.DataFrame, sheet: str = "Data", note: str = "") -> bytes:
    """One sheet: bold frozen header, percent formats for shares, sensible widths, and an
    optional note (e.g. that the data are synthetic) above the table."""
    buffer = io.BytesIO()
    start = 2 if note else 0
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        _safe(table).to_excel(writer, sheet_name=sheet[:31], index=False, startrow=start)
        ws = writer.sheets[sheet[:31]]
        if note:
            ws.cell(row=1, column=1, value=neutralise_formula(note))
        ws.freeze_panes = ws.cell(row=start + 2, column=1)
        for i, col in enumerate(table.columns, start=1):
            letter = get_column_letter(i)
            fmt = "0%" if col in PERCENT_COLUMNS else "+0.0%;-0.0%;0%" if col in \
                POINT_COLUMNS else None
            if fmt:
                for cell in ws[letter][start + 1:]:
                    cell.number_format = fmt
            width = max([len(str(col))] + [len(str(v)) for v in table[col].head(200)])
            ws.column_dimensions[letter].width = min(max(10, width + 2), 60)
    return buffer.getvalue()
