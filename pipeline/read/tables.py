"""Read a survey export or an input sheet (.xlsx or .csv) into text cells, keeping row numbers.

Everything is read as it stands (no type guessing), so that nothing is coerced before
validation; row numbers are those the user sees in Excel (the header is row 1).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from xml.etree.ElementTree import ParseError

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from pipeline.errors import InputError, Problem

CSV_DELIMITERS = (";", ",", "\t")
MAX_ROW_PROBLEMS = 50
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old .xls, and password-protected .xlsx
PDF_MAGIC = b"%PDF"
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
FORMULA_WITHOUT_VALUE = re.compile(
    rb"(?:</(?:\w+:)?f>|<(?:\w+:)?f\b[^>]*/>)\s*"
    rb"(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>|</(?:\w+:)?c>)")
"""In a worksheet's XML: a formula followed by no saved value."""
SNIFF_LINES = 20
"""Lines the delimiter is guessed from (a title line above the header must not decide)."""
SNIFF_CHARS = 1_000_000
HEADER_SEARCH_ROWS = 10
"""Rows searched for the codebook's headers when they are not in row 1."""
XLSX_ERRORS = (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError,
               EOFError, ParseError, zlib.error)
"""What openpyxl raises on a damaged workbook, while opening it or reading its sheets."""


@dataclass
class Table:
    """A sheet as text: `cells` has one column per header and the Excel row number as index."""

    path: Path
    headers: list[str]
    cells: pd.DataFrame
    blank_rows: list[int]
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    other_sheets: tuple[str, ...] = ()


def clean_header(value: object) -> str:
    """Headers are compared without surrounding or doubled spaces, as users cannot see them."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).replace("\u00a0", " ")
    return " ".join(text.split())


def repaired_mojibake(text: str) -> str | None:
    """UTF-8 text that was once read as Windows-1252 and saved again ("lÃ¦sesporet"): the
    text it was ("læsesporet"); None when `text` is not such a text. For messages only:
    the input is never repaired silently."""
    if "Ã" not in text and "Â" not in text:
        return None
    try:
        fixed = text.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return None
    return fixed if fixed != text else None


def cell_text(value: object) -> str:
    """Excel cell value -> text as the user reads it; whole numbers lose their '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)


COUNT_PATTERN = re.compile(r"^(\d+|\d{1,3}([. ]\d{3})+)$")
"""Whole numbers, optionally with Danish thousands separators: 725000, 725.000, 725 000."""


def parse_count(text: str) -> int | None:
    """A whole, non-negative number as an analyst writes it in a cell (725000, 725.000 or
    725 000), or None: a count is never guessed from a decimal or a unit."""
    text = text.strip()
    if not COUNT_PATTERN.match(text):
        return None
    return int(text.replace(".", "").replace(" ", ""))


def read_table(path: Path, data: bytes | None = None, *, rows_name: str = "besvarelser",
               header_names: Collection[str] = ()) -> Table:
    """Read .xlsx or .csv; raises InputError with a message the user can act on.

    `rows_name` says in the message what the rows of this sheet are, should it have none.
    `header_names` (the codebook's headers, when known) lets a header row that is not row
    1, or data on another sheet than the first, be named as such, instead of surfacing
    as a list of missing headers or rows wider than the header.
    """
    data = path.read_bytes() if data is None else data
    if not data.strip():
        hint = ("Eksportér filen igen fra survey-værktøjet." if rows_name == "besvarelser" else
                f"Udfyld filen med en overskriftsrække og {rows_name} (se README).")
        raise InputError([Problem("Filen er tom.", hint, file=str(path), code="file.empty")])
    suffix = path.suffix.lower()
    wanted = {clean_header(h) for h in header_names} - {""}
    if suffix == ".xlsx":
        table = _read_xlsx(path, data, wanted)
    elif suffix == ".csv":
        table = _read_csv(path, data, wanted)
    else:
        raise InputError([Problem(
            f'Filtypen "{path.suffix}" kan ikke læses.',
            "Gem filen som .xlsx (Excel-projektmappe) eller .csv og kør igen.", file=str(path),
            code="file.format_unsupported")])
    if table.cells.empty:
        raise InputError([Problem(
            f"Filen har en overskriftsrække, men ingen {rows_name}.",
            f"Tjek at filen indeholder {rows_name} under overskriftsrækken.", file=str(path),
            code="file.no_rows")])
    return table


def _read_xlsx(path: Path, data: bytes, wanted: set[str]) -> Table:
    if data.startswith(OLE_MAGIC):
        raise InputError([Problem(
            "Filen er ikke en almindelig .xlsx: den er enten beskyttet med adgangskode eller "
            "gemt i det gamle .xls-format.",
            "Åbn filen i Excel, fjern adgangskoden (Filer > Info > Beskyt projektmappe) og gem "
            "den som .xlsx (Excel-projektmappe).", file=str(path), code="xlsx.protected_or_xls")])
    if not data.startswith(ZIP_MAGIC):
        looks = "en PDF" if data.startswith(PDF_MAGIC) else "en tekst- eller CSV-fil"
        raise InputError([Problem(
            f"Filen hedder .xlsx, men er i virkeligheden {looks}.",
            "Eksportér igen som Excel (.xlsx), eller giv filen den rigtige endelse (.csv).",
            file=str(path), code="xlsx.not_xlsx")])
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except XLSX_ERRORS as exc:
        raise _damaged(path, exc) from None
    try:
        sheet = workbook.worksheets[0]
        rows = [tuple(r) for r in sheet.iter_rows(values_only=True)]
        others = tuple(ws.title for ws in workbook.worksheets[1:])
        title = sheet.title
        if others and (not _has_content(rows) or not rows
                       or _found(rows[0], wanted) < len(wanted)):
            _data_on_other_sheet(path, workbook, rows, wanted)
        _refuse_hidden(path, data, sheet, rows, wanted)
    except XLSX_ERRORS as exc:
        raise _damaged(path, exc) from None
    finally:
        workbook.close()
    try:
        if _has_formula_without_value(data):
            rows = _formulas_without_values(data, rows)
    except XLSX_ERRORS as exc:
        raise _damaged(path, exc) from None
    raw = pd.DataFrame(rows, dtype=object)
    raw = raw.map(cell_text) if not raw.empty else raw
    return _table_from_frame(path, raw, pd.RangeIndex(1, len(raw) + 1), sheet=title,
                             other_sheets=others, wanted=wanted)


_SHEET_TAG = re.compile(rb"<(?:\w+:)?(row|col|sheetFormatPr)\b([^>]*)>")
_ATTRIBUTE = re.compile(rb'\b(\w+)\s*=\s*"([^"]*)"')
MAX_HIDDEN_SHOWN = 20


def _refuse_hidden(path: Path, data: bytes, sheet, rows: list[tuple],
                   wanted: set[str]) -> None:
    """What is counted must be what the user sees in Excel. A hidden first sheet, rows
    hidden by hand or by a filter (a hidden test response would still be counted, and
    could even be the latest answer), and hidden columns that are read are refused,
    naming them, so that the user shows them and deletes what must not count."""
    where = str(path)
    if getattr(sheet, "sheet_state", "visible") != "visible":
        raise InputError([Problem(
            f'Det første ark ("{sheet.title}") er skjult i Excel, men det er det første ark, '
            "der læses.",
            "Vis arket (højreklik på en fane > Vis), og træk fanen med besvarelserne helt til "
            "venstre (eller slet arket, hvis det ikke skal bruges); gem filen, og kør igen.",
            file=where, code="xlsx.first_sheet_hidden")])
    hidden_rows, hidden_columns = _hidden_rows_and_columns(data, sheet)
    problems = hidden_rows_problems(path, rows, hidden_rows)
    header = rows[0] if rows else ()
    read = [(j, clean_header(header[j - 1])) for j in sorted(hidden_columns)
            if j <= len(header) and header[j - 1] is not None and clean_header(header[j - 1])
            and (not wanted or clean_header(header[j - 1]) in wanted)]
    if read:
        names = ", ".join(f'{get_column_letter(j)} ("{h}")' for j, h in read)
        noun = "Kolonne" if len(read) == 1 else "Kolonnerne"
        problems.append(Problem(
            f"{noun} {names} er skjult i Excel, men bliver læst.",
            "Vis kolonnerne (marker alle kolonner > højreklik > Vis), tjek at det er de rigtige "
            "svar, gem filen, og kør igen.", file=where, column=read[0][1],
            code="xlsx.hidden_columns"))
    if problems:
        raise InputError(problems)


def hidden_rows_problems(path: Path, rows: list[tuple], hidden: set[int],
                         sheet: str | None = None) -> list[Problem]:
    """The rows of a sheet that are hidden in Excel and hold anything: one problem naming
    them (a hidden row would be counted like any other). Also for readers of other sheets
    than the first (SurveyXact's Dataset)."""
    filled = [r for r in sorted(hidden) if r <= len(rows) and any(
        v is not None and str(v).strip() for v in rows[r - 1])]
    problems: list[Problem] = []
    if filled:
        shown = ", ".join(map(str, filled[:MAX_HIDDEN_SHOWN]))
        more = f" og {len(filled) - MAX_HIDDEN_SHOWN} flere" if len(filled) > MAX_HIDDEN_SHOWN \
            else ""
        noun = "Række" if len(filled) == 1 else "Rækkerne"
        on_sheet = f' på arket "{sheet}"' if sheet else ""
        problems.append(Problem(
            f"{noun} {shown}{more}{on_sheet} er skjult i Excel "
            "(skjult i hånden eller af et filter), men "
            "en skjult række ville blive talt med som enhver anden.",
            "Vis alle rækker (Data > Ryd filter, og marker alle rækker > højreklik > Vis), slet "
            "de rækker, der ikke skal tælle (fx testbesvarelser), gem filen, og kør igen.",
            file=str(path), row=filled[0], code="xlsx.hidden_rows"))
    return problems


def hidden_rows_in_sheet(data: bytes, sheet) -> set[int]:
    """The rows (1-based) the sheet's XML marks hidden."""
    return _hidden_rows_and_columns(data, sheet)[0]


def _hidden_rows_and_columns(data: bytes, sheet) -> tuple[set[int], set[int]]:
    """The rows and columns (1-based) the sheet's XML marks hidden (or zero height/width);
    a quick scan in chunks, as a sheet can be tens of megabytes."""
    name = getattr(sheet, "_worksheet_path", None)
    rows: set[int] = set()
    columns: set[int] = set()
    if not name:
        return rows, columns
    zero_height = False
    current = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if name.lstrip("/") not in archive.namelist():
            return rows, columns
        with archive.open(name.lstrip("/")) as fh:
            carry = b""
            while True:
                chunk = fh.read(1 << 22)
                buffer = carry + chunk
                cut = buffer.rfind(b"<") if chunk else len(buffer)
                scan, carry = buffer[:cut], buffer[cut:]
                for tag in _SHEET_TAG.finditer(scan):
                    kind = tag.group(1)
                    attrs = {k: v for k, v in _ATTRIBUTE.findall(tag.group(2))}
                    if kind == b"sheetFormatPr":
                        zero_height = attrs.get(b"zeroHeight") in (b"1", b"true")
                    elif kind == b"row":
                        r = attrs.get(b"r")
                        current = int(r) if r and r.isdigit() else current + 1
                        height = attrs.get(b"ht")
                        if (attrs.get(b"hidden") in (b"1", b"true") or _zero(height)
                                or (zero_height and height is None)):
                            rows.add(current)
                    elif attrs.get(b"hidden") in (b"1", b"true") or _zero(attrs.get(b"width")):
                        low, high = attrs.get(b"min", b"0"), attrs.get(b"max", b"0")
                        if low.isdigit() and high.isdigit():
                            columns.update(range(int(low), min(int(high), 16384) + 1))
                if not chunk:
                    break
    return rows, columns


def _zero(number: bytes | None) -> bool:
    try:
        return number is not None and float(number) == 0
    except ValueError:
        return False


def _has_formula_without_value(data: bytes) -> bool:
    """Whether a worksheet holds a formula with no saved value: a quick scan of the XML
    in chunks, so that the usual workbook (values only, or formulas Excel has computed)
    is parsed once."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            with archive.open(name) as fh:
                tail = b""
                while chunk := fh.read(1 << 22):
                    if FORMULA_WITHOUT_VALUE.search(tail + chunk):
                        return True
                    tail = chunk[-512:]
    return False


def _formulas_without_values(data: bytes, rows: list[tuple]) -> list[tuple]:
    """A formula cell is read as the value Excel saved with it. A workbook written by a
    program that computes nothing has no saved value: such a cell would read as empty,
    and an answer would vanish unseen. It is read as its formula text instead ("=..."),
    so that a column that is used reports it, and a column that is not drops it."""
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        out = [list(r) for r in rows]
        for i, row in enumerate(workbook.worksheets[0].iter_rows(values_only=True)):
            for j, value in enumerate(row):
                text = getattr(value, "text", value)  # array formulas are objects
                if (isinstance(text, str) and text.startswith("=") and i < len(out)
                        and j < len(out[i]) and out[i][j] is None):
                    out[i][j] = text
    finally:
        workbook.close()
    return [tuple(r) for r in out]


def _damaged(path: Path, exc: Exception) -> InputError:
    return InputError([Problem(
        f"Excel-filen er beskadiget og kan ikke åbnes ({type(exc).__name__}).",
        "Åbn filen i Excel og gem den igen som .xlsx, eller eksportér den på ny.",
        file=str(path), code="xlsx.damaged")])


def _has_content(rows: list[tuple]) -> bool:
    return any(v is not None and str(v).strip() for row in rows for v in row)


def _found(row: tuple, wanted: set[str]) -> int:
    """How many of the wanted headers a row holds."""
    return len(wanted & {clean_header(v) for v in row if v is not None})


def _data_on_other_sheet(path: Path, workbook, rows: list[tuple], wanted: set[str]) -> None:
    """Only the first sheet is read. When it is empty, or another sheet holds more of the
    codebook's headers in its first rows, say so, naming the sheet, instead of reporting
    every header as missing (or the file as empty)."""
    first = workbook.worksheets[0].title
    best = max((_found(row, wanted) for row in rows[:HEADER_SEARCH_ROWS]), default=0)
    for number, ws in enumerate(workbook.worksheets[1:], start=2):
        found = max((_found(row, wanted) for row in ws.iter_rows(
            max_row=HEADER_SEARCH_ROWS, values_only=True)), default=0)
        if wanted and found > best:
            raise InputError([Problem(
                f'Besvarelserne står på arket "{ws.title}" (ark {number}), men kun det første '
                f'ark ("{first}") læses.',
                f'Træk fanen "{ws.title}" helt til venstre i Excel (eller slet de andre ark), '
                "gem filen, og kør igen.", file=str(path), code="xlsx.data_on_other_sheet")])
    if not _has_content(rows):
        names = ", ".join(f'"{ws.title}"' for ws in workbook.worksheets[1:])
        raise InputError([Problem(
            f'Det første ark ("{first}") er tomt, og kun det første ark læses. Filen har også '
            f"arkene {names}.",
            "Træk fanen med besvarelserne helt til venstre i Excel (eller slet de andre ark), "
            "gem filen, og kør igen.", file=str(path), code="xlsx.first_sheet_empty")])


_UTF8_LETTER = re.compile("[\u0080-\ud7ff\ue000-\U0010ffff]")
"""A character that only a valid UTF-8 sequence of several bytes gives (in a text decoded
with surrogateescape, where each byte that is not UTF-8 is a lone surrogate)."""
_STRAY_BYTE = re.compile("[\udc80-\udcff]")
_RECORD_BREAK = re.compile(r'"[^"]*"?|\r\n|\n|\r')
"""A quoted text (whose line breaks stay inside its cell) or a line break between rows."""


def _row_at(text: str, offset: int) -> int:
    """The row (as Excel shows it: the header is row 1) that holds character `offset`: line
    breaks inside a quoted cell do not start a new row."""
    return 1 + sum(1 for m in _RECORD_BREAK.finditer(text, 0, offset) if m.group()[0] != '"')


def _row_of_byte(data: bytes, offset: int, encoding: str = "latin-1") -> int:
    """The Excel row of byte `offset`, read in an encoding that keeps every byte."""
    return _row_at(data[:offset].decode(encoding, errors="replace"), offset + 1)


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    """Text and the encoding it was read in: UTF-8 (with or without BOM), UTF-16 with a
    BOM (Excel's "Unicode-tekst"), else Windows-1252. A UTF-8 file with a few bytes that are
    not UTF-8 (a cell pasted from a Windows-1252 file: fewer such bytes than UTF-8
    letters) is refused naming each such byte and its row, not read as Windows-1252 (which
    would garble every æ, ø and å in it); bytes that no encoding reads are refused with
    their row."""
    if data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise _undecodable(path, _row_of_byte(data, exc.start, "utf-16"),
                               data[exc.start]) from None
    bom = data.startswith(UTF8_BOM)
    body = data[3:] if bom else data
    try:
        return body.decode("utf-8"), "utf-8-sig" if bom else "utf-8"
    except UnicodeDecodeError:
        pass
    text = body.decode("utf-8", errors="surrogateescape")
    stray = sum(1 for _ in _STRAY_BYTE.finditer(text))
    if bom or len(_UTF8_LETTER.findall(text)) >= stray:
        raise InputError(_stray_bytes(path, text))
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise _undecodable(path, _row_of_byte(data, exc.start), data[exc.start]) from None


def _undecodable(path: Path, row: int, byte: int | None) -> InputError:
    what = f" (byte 0x{byte:02X})" if byte is not None else ""
    return InputError([Problem(
        f"Tegnsættet kan ikke genkendes: rækken har et tegn{what}, som hverken kan læses som "
        "UTF-8 eller Windows-1252, så filen er gemt i et andet tegnsæt (fx Mac Roman).",
        'Åbn filen i Excel og gem den som "CSV UTF-8 (kommasepareret)", eller eksportér den '
        "igen som .xlsx, og kør igen.", file=str(path), row=row,
        code="csv.encoding_unknown")])


MAX_STRAY_BYTES = 10


def _stray_bytes(path: Path, text: str) -> list[Problem]:
    """Each byte of an otherwise UTF-8 file that is not UTF-8, with its row, column and
    cell, and the character it is in Windows-1252 (what it most likely was meant as)."""
    delimiter = _sniff_delimiter(_first_lines(text))
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, len(text) + 1))
    problems: list[Problem] = []
    try:
        records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        header: list[str] = []
        for number, record in enumerate(records, start=1):
            if number == 1:
                header = [clean_header(h.encode("utf-8", "surrogateescape").decode(
                    "utf-8", "replace")) for h in record]
            for j, cell in enumerate(record):
                bad = [c for c in cell if "\udc80" <= c <= "\udcff"]
                if not bad:
                    continue
                byte = ord(bad[0]) - 0xDC00
                meant = bytes([byte]).decode("cp1252", errors="replace")
                shown = "".join(f"⟨0x{ord(c) - 0xDC00:02X}⟩" if "\udc80" <= c <= "\udcff" else c
                                for c in cell)
                problems.append(Problem(
                    f"Cellen har et tegn, der ikke er UTF-8 (byte 0x{byte:02X}, i Windows-1252 "
                    f'"{meant}"), mens resten af filen er UTF-8. Tegnet er sandsynligvis '
                    "indsat fra en anden fil.",
                    f'Skriv "{meant}" igen i cellen, og gem filen som "CSV UTF-8 '
                    '(kommasepareret)", eller eksportér filen igen, og kør igen.',
                    file=str(path), row=number,
                    column=header[j] if number > 1 and j < len(header) else None,
                    value=shown, code="csv.encoding_stray_byte"))
                if len(problems) >= MAX_STRAY_BYTES:
                    return problems
    finally:
        csv.field_size_limit(limit)
    return problems or [Problem(
        "Filen har tegn, der ikke er UTF-8, mens resten af filen er UTF-8.",
        'Gem filen som "CSV UTF-8 (kommasepareret)", eller eksportér den igen, og kør igen.',
        file=str(path), code="csv.encoding_stray_byte")]


def _first_lines(text: str) -> list[str]:
    """The first line and the next non-blank ones, up to SNIFF_LINES lines or SNIFF_CHARS
    characters (a row of a large export can hold megabytes of free text)."""
    lines: list[str] = []
    start = total = 0
    while start < len(text) and len(lines) < SNIFF_LINES and (total < SNIFF_CHARS or
                                                               len(lines) < 2):
        end = text.find("\n", start)
        end = len(text) if end == -1 else end
        line = text[start:end].rstrip("\r")
        if not lines or line.strip():
            lines.append(line)
            total += len(line)
        start = end + 1
    return lines or [""]


def _fields(line: str, delimiter: str) -> int:
    """Fields in one line, quotes respected; the csv module's limit on a field's size
    (128 KB) is lifted for the call, as a cell may hold a long comment."""
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, len(line) + 1))
    try:
        return len(next(csv.reader([line], delimiter=delimiter), [""]))
    finally:
        csv.field_size_limit(limit)


def _sniff_delimiter(lines: list[str]) -> str:
    """The delimiter that splits the most of the first lines into the same number of
    fields (more than one): a title line above the header, or a codebook whose
    value_labels hold semicolons, cannot mislead it. Ties go to more fields, then to the
    header line's count; a one-column file gets the first of CSV_DELIMITERS."""
    def score(d: str) -> tuple[int, int, int]:
        counts = [_fields(line, d) for line in lines]
        several = [c for c in counts if c > 1]
        if not several:
            return 0, 0, counts[0]
        mode = max(set(several), key=lambda c: (several.count(c), c))
        return several.count(mode), mode, counts[0]

    return max(CSV_DELIMITERS, key=score)


def _not_text(path: Path, data: bytes) -> None:
    """A .csv that is really a workbook or a PDF is named as such, before any decoding."""
    looks = {ZIP_MAGIC: "en Excel-fil (.xlsx)", PDF_MAGIC: "en PDF",
             OLE_MAGIC: "en gammel Excel-fil (.xls) eller en beskyttet .xlsx"}
    for magic, what in looks.items():
        if data.startswith(magic):
            raise InputError([Problem(
                f"Filen hedder .csv, men er ikke en tekstfil: den er {what}.",
                "Giv filen den rigtige endelse (.xlsx), eller eksportér igen som CSV.",
                file=str(path), code="csv.not_text")])


def _read_csv(path: Path, data: bytes, wanted: set[str] | None = None) -> Table:
    """Parse with Arrow's or pandas' C parser (fast and lean for large exports), every
    cell as text."""
    _not_text(path, data)
    text, encoding = _decode(path, data)
    if "\x00" in text:
        raise InputError([Problem(
            "Filen indeholder nul-tegn, så den er ikke en almindelig tekstfil (den er måske "
            "gemt som UTF-16 uden byte-markering, eller er en binær fil med endelsen .csv).",
            'Åbn filen i Excel og gem den som "CSV UTF-8 (kommasepareret)" eller som .xlsx, og '
            "kør igen.", file=str(path), row=_row_at(text, text.index("\x00")),
            code="csv.nul_bytes")])
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        # Line breaks written as CR alone (old Mac Excel's "CSV (Macintosh)"): read as
        # line breaks, so rows and their numbers are what Excel shows.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        data, parse_encoding = text.encode("utf-8"), "utf-8"
    elif encoding == "utf-16":  # parsed as UTF-8 from here on
        data, parse_encoding = text.encode("utf-8"), "utf-8"
    else:
        parse_encoding = encoding
    sample = _first_lines(text)
    n_lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    del text
    delimiter = _sniff_delimiter(sample)
    widths = [_fields(line, delimiter) for line in sample]
    raw = _read_csv_fast(data, parse_encoding, delimiter, widths[0])
    if raw is not None:
        line_numbers = _line_numbers(raw, n_lines)
        if n_lines != len(raw):
            _check_swallowed_rows(path, raw, line_numbers, delimiter)
        table = _table_from_frame(path, raw, line_numbers, delimiter=delimiter,
                                  wanted=wanted)
        table.encoding = encoding
        return table
    try:
        # As wide as the widest of the first lines: a title line above the header must
        # not set the width, so that the header can be found and named below.
        raw = pd.read_csv(io.BytesIO(data), sep=delimiter, header=None, dtype=str,
                          names=range(max(widths)), na_filter=False, keep_default_na=False,
                          skip_blank_lines=False, encoding=parse_encoding, engine="c")
    except pd.errors.ParserError as exc:
        eof = re.search(r"EOF inside string starting at row (\d+)", str(exc))
        if eof:
            raise InputError([Problem(
                'Et citationstegn (") åbner en tekst, der aldrig lukkes, så resten af filen '
                "ville blive læst som én celle.",
                "Find citationstegnet i rækken og slet det (eller luk teksten med et "
                "citationstegn mere), eller eksportér filen igen.", file=str(path),
                row=int(eof.group(1)) + 1, code="csv.quote_unclosed")]) from None
        match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if match:
            width, line, seen = map(int, match.groups())
            raise InputError([Problem(
                f"Rækken har {seen} felter, men overskriften har {width}.",
                "Er der blandet semikolon og komma som skilletegn, eller et komma i en tekst "
                "uden citationstegn? Ret rækken, eller eksportér filen igen.",
                file=str(path), row=line, code="csv.row_width")]) from None
        raise InputError([Problem(
            f"CSV-filen kan ikke læses ({str(exc).splitlines()[-1]}).",
            "Tjek citationstegn i filen (et citationstegn, der ikke lukkes), eller eksportér "
            "den igen.", file=str(path), code="csv.unreadable")]) from None
    line_numbers = _line_numbers(raw, n_lines)
    if n_lines != len(raw):
        _check_swallowed_rows(path, raw, line_numbers, delimiter)
    table = _table_from_frame(path, raw, line_numbers, delimiter=delimiter, wanted=wanted)
    table.encoding = encoding
    return table


def _check_swallowed_rows(path: Path, raw: pd.DataFrame, line_numbers: pd.Index,
                          delimiter: str) -> None:
    """A quote that is never closed (or closed rows later) makes the parser read the
    following rows as text inside one cell: responses would vanish without a word. A cell
    holding line breaks is checked for lines that look like whole rows of this file."""
    width = raw.shape[1]
    if width < 3:
        return
    multiline = raw.apply(lambda col: col.fillna("").astype(str).str.contains("\n",
                                                                             regex=False))
    for i, j in zip(*multiline.to_numpy().nonzero(), strict=True):
        text = str(raw.iat[i, j])
        rows = [line for line in text.split("\n")[1:] if line.count(delimiter) >= width - 1]
        if rows:
            head = raw.iat[0, j] if i > 0 and isinstance(raw.iat[0, j], str) else None
            raise InputError([Problem(
                f'Et citationstegn (") i rækken åbner en tekst, der ikke lukkes, så de '
                f"følgende {len(rows)} rækker er læst som tekst i én celle (og ville gå tabt).",
                "Find citationstegnet i cellen og slet det (eller luk teksten med et "
                "citationstegn mere), eller eksportér filen igen, og kør så igen.",
                file=str(path), row=int(line_numbers[i]), column=clean_header(head) or None,
                value=text.split("\n")[0][:60], code="csv.quote_unclosed")])


def _read_csv_fast(data: bytes, encoding: str, delimiter: str,
                   width: int) -> pd.DataFrame | None:
    """Arrow's multithreaded parser, for well-formed files (3-4x faster than pandas' on a
    large export). Returns None on anything irregular (ragged or blank lines, broken
    quotes), so that the pandas path reads it and reports the exact row."""
    body = data[3:] if encoding == "utf-8-sig" else data
    try:
        table = pa_csv.read_csv(
            io.BytesIO(body),
            read_options=pa_csv.ReadOptions(autogenerate_column_names=True,
                                            encoding="utf8" if encoding != "cp1252" else
                                            "cp1252"),
            parse_options=pa_csv.ParseOptions(delimiter=delimiter, ignore_empty_lines=False,
                                              newlines_in_values=True),
            convert_options=pa_csv.ConvertOptions(
                column_types={f"f{i}": pa.string() for i in range(width)},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if table.num_rows == 0:
        return None
    return table.to_pandas(types_mapper=_TEXT_TYPES.get)


_TEXT_TYPES = {pa.string(): pd.StringDtype("pyarrow", na_value=float("nan"))}


def _line_numbers(raw: pd.DataFrame, n_lines: int) -> pd.Index:
    """The row each record is in Excel: its number among the records (blank lines
    included), not the text line it starts on, which differs when a quoted cell holds a
    line break."""
    return pd.RangeIndex(1, len(raw) + 1)


def _table_from_frame(path: Path, raw: pd.DataFrame, line_numbers: pd.Index, *,
                      delimiter: str | None = None, sheet: str | None = None,
                      other_sheets: tuple[str, ...] = (), wanted: set[str] | None = None) -> Table:
    """Split header and body, and find a header below row 1, rows wider than the header,
    short rows that hide a different delimiter, and blank rows, with no per-row Python
    loop."""
    if raw.empty:
        raise InputError([Problem("Filen er tom.", "Eksportér filen igen fra survey-værktøjet.",
                                  file=str(path), code="file.empty")])
    raw.index = line_numbers
    headers = [clean_header(h) for h in raw.iloc[0]]
    if wanted:
        _check_header_row(path, raw, headers, wanted)
    while headers and headers[-1] == "":
        headers.pop()
    width = len(headers)
    if width == 0:
        raise InputError([Problem(
            "Første række er tom; den skal indeholde kolonneoverskrifterne.",
            "Slet tomme rækker over overskrifterne, så overskrifterne står i række 1.",
            file=str(path), row=int(line_numbers[0]), code="csv.header_row_empty")])
    body = raw.iloc[1:]
    problems: list[Problem] = []
    if body.shape[1] > width:
        overflow = body.iloc[:, width:].fillna("").astype(str)
        wide = overflow.apply(lambda col: col.str.strip() != "").any(axis=1)
        hint = ("Rækken har flere felter end overskriften. Er der blandet semikolon og komma som "
                "skilletegn, eller et komma i en tekst uden citationstegn? Ret rækken eller "
                "eksportér filen igen.") if delimiter else (
                "Der står noget i en kolonne uden overskrift. Giv kolonnen en overskrift eller "
                "slet indholdet.")
        for line in wide[wide].index[:MAX_ROW_PROBLEMS]:
            value = next(v for v in overflow.loc[line] if v.strip())
            problems.append(Problem(f"Rækken har flere udfyldte felter end overskriftens {width}.",
                                    hint, file=str(path), row=int(line), value=value[:60],
                                    code="csv.row_too_wide"))
    body = body.iloc[:, :width]
    if delimiter is not None and width > 1:
        rest_empty = (body.iloc[:, 1:].fillna("") == "").all(axis=1)
        first = body.iloc[:, 0].fillna("").astype(str)
        others = [d for d in CSV_DELIMITERS if d != delimiter]
        mixed = rest_empty & first.str.contains("|".join(map(re.escape, others)))
        for line in mixed[mixed].index[:MAX_ROW_PROBLEMS]:
            problems.append(Problem(
                f'Rækken bruger et andet skilletegn end overskriften ("{delimiter}").',
                "Filen blander semikolon og komma. Eksportér filen igen, eller ret rækken, så "
                "alle rækker bruger samme skilletegn.", file=str(path), row=int(line),
                value=first[line][:60], code="csv.delimiter_mixed"))
    if problems:
        raise InputError(problems)
    if body.isna().any().any() or not all(pd.api.types.is_string_dtype(t)
                                           for t in body.dtypes):
        body = body.fillna("").astype(str)
    blank = body.apply(lambda col: col.str.strip() == "").all(axis=1)
    cells = body[~blank].copy() if blank.any() else body.copy(deep=False)
    cells.columns = _unique_columns(headers)
    cells.index = pd.Index(cells.index.astype(int), name="row")
    return Table(path=path, headers=headers, cells=cells,
                 blank_rows=[int(i) for i in body.index[blank]], delimiter=delimiter,
                 sheet=sheet, other_sheets=other_sheets)


def _check_header_row(path: Path, raw: pd.DataFrame, headers: list[str],
                      wanted: set[str]) -> None:
    """The header must be row 1. If a row just below holds more of the codebook's headers
    (a title line, or a second header row under merged group cells), name that row."""
    in_first = len(wanted & set(headers))
    if in_first == len(wanted):
        return
    for k in range(1, min(len(raw), HEADER_SEARCH_ROWS)):
        cells = {clean_header(v) for v in raw.iloc[k] if isinstance(v, str)}
        found = sorted(wanted & cells)
        if len(found) > in_first and len(found) >= min(2, len(wanted)):
            line = int(raw.index[k])
            above = "Række 1" if line == 2 else f"Række 1-{line - 1}"
            example = next((clean_header(h) for h in raw.iloc[k] if isinstance(h, str)
                            and clean_header(h) in wanted), found[0])
            raise InputError([Problem(
                f"Kolonneoverskrifterne står i række {line}, ikke i række 1. {above} er en "
                "titel eller en ekstra overskriftsrække (fx flettede celler over "
                "spørgsmålene), som ikke kan læses som overskrifter.",
                f'Slet {above.lower()} i eksporten, så overskrifterne (fx "{example}") står i '
                "række 1, gem filen, og kør igen.", file=str(path), row=line,
                code="file.header_not_in_row_1")])


def _unique_columns(headers: list[str]) -> list[str]:
    """Blank or repeated headers get a suffix so the frame can hold them; the codebook
    check reports a repeated header only if the codebook refers to it."""
    seen: dict[str, int] = {}
    out = []
    for i, h in enumerate(headers, start=1):
        name = h or f"(kolonne {i} uden overskrift)"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        out.append(name)
    return out


def decode_text(path: Path, data: bytes) -> tuple[str, str]:
    """A text file's content and the encoding it was read in, detected as for any CSV
    export (UTF-8 with or without BOM, UTF-16 with BOM, Windows-1252): for readers of
    other text tables, such as a SurveyXact export's Structure and Labels."""
    return _decode(path, data)


def table_from_frame(path: Path, raw: pd.DataFrame, line_numbers: pd.Index, *,
                     sheet: str | None = None) -> Table:
    """A sheet already read into text cells (row 1 the header) as a Table, with the same
    checks as any export: for readers that load a workbook's sheets themselves, such as
    the split Dataset sheets of a SurveyXact export."""
    return _table_from_frame(path, raw, line_numbers, sheet=sheet)
