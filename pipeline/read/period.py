"""Read a year's `periode.csv` (or .xlsx): the field period the analyst states, when the
default rule of `pipeline.field_period` does not fit the year.

```csv
start,end
2025-01-06,2025-03-31
```

One row; both days are included; dates as 2025-01-06, 06-01-2025 or 06.01.2025.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from pipeline.errors import InputError, Problem
from pipeline.field_period import FieldPeriod, day_text
from pipeline.files import display_path
from pipeline.read.tables import read_table
from pipeline.reference import normalise_text

DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S")
HINT = ("Skriv periode.csv med overskriften start,end og én række, fx 2025-01-06,2025-03-31 "
        "(begge dage medregnes), eller slet filen for at bruge standardreglen (se README).")


def read_field_period(path: Path, data: bytes, year: int) -> FieldPeriod:
    """The stated period; InputError naming the cell when it cannot be read."""
    where = display_path(path)
    table = read_table(path, data, rows_name="rækker med en periode")
    cells = table.cells.rename(columns={c: normalise_text(c) for c in table.cells.columns})
    if "start" not in cells or "end" not in cells:
        raise InputError([Problem("Filen skal have kolonnerne start og end.", HINT, file=where,
                                  row=1, code="period.columns_missing")])
    if len(cells) != 1:
        raise InputError([Problem(
            f"Filen har {len(cells)} rækker med en periode, men et år har én svarperiode.",
            HINT, file=where, row=int(cells.index[1]), code="period.rows")])
    row = int(cells.index[0])
    start, end = (_date(cells[c].iloc[0], where, row, c) for c in ("start", "end"))
    if end < start:
        raise InputError([Problem(
            f"Slutdatoen ({day_text(end)}) ligger før startdatoen ({day_text(start)}).", HINT,
            file=where, row=row, column="end", value=cells["end"].iloc[0],
            code="period.end_before_start")])
    if not (year <= start.year <= year + 1):
        raise InputError([Problem(
            f"Perioden begynder i {start.year}, men besvarelserne til {year} gives i {year} "
            f"eller tidligt i {year + 1}.",
            f"Tjek at filen ligger i den rigtige årsmappe, og ret datoerne. {HINT}", file=where,
            row=row, column="start", value=cells["start"].iloc[0],
            code="period.wrong_year")])
    return FieldPeriod(start, end, where)


def _date(text: str, where: str, row: int, column: str) -> date:
    text = str(text).strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise InputError([Problem("Datoen kan ikke læses.", HINT, file=where, row=row,
                              column=column, value=text, code="period.date_unreadable")])
