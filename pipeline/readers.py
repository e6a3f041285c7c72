"""Read a survey export or an input sheet (.xlsx or .csv) into text cells, keeping row numbers.

Everything is read as it stands (no type guessing), so that nothing is coerced before
validation; row numbers are those the user sees in Excel (the header is row 1).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from pipeline.errors import InputError, Problem

CSV_DELIMITERS = (";", ",", "\t")
MAX_ROW_PROBLEMS = 50
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old .xls, and password-protected .xlsx
PDF_MAGIC = b"%PDF"


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


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def clean_header(value: object) -> str:
    """Headers are compared without surrounding or doubled spaces, as users cannot see them."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).replace("\u00a0", " ")
    return " ".join(text.split())


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


def read_table(path: Path, data: bytes | None = None, *, rows_name: str = "besvarelser") -> Table:
    """Read .xlsx or .csv; raises InputError with a message the user can act on.

    `rows_name` says in the message what the rows of this sheet are, should it have none.
    """
    data = path.read_bytes() if data is None else data
    if not data.strip():
        raise InputError([Problem("Filen er tom.", "Eksportér filen igen fra survey-værktøjet.",
                                  file=str(path))])
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        table = _read_xlsx(path, data)
    elif suffix == ".csv":
        table = _read_csv(path, data)
    else:
        raise InputError([Problem(
            f'Filtypen "{path.suffix}" kan ikke læses.',
            "Gem filen som .xlsx (Excel-projektmappe) eller .csv og kør igen.", file=str(path))])
    if table.cells.empty:
        raise InputError([Problem(
            f"Filen har en overskriftsrække, men ingen {rows_name}.",
            f"Tjek at filen indeholder {rows_name} under overskriftsrækken.", file=str(path))])
    return table


def _read_xlsx(path: Path, data: bytes) -> Table:
    if data.startswith(OLE_MAGIC):
        raise InputError([Problem(
            "Filen er ikke en almindelig .xlsx: den er enten beskyttet med adgangskode eller "
            "gemt i det gamle .xls-format.",
            "Åbn filen i Excel, fjern adgangskoden (Filer > Info > Beskyt projektmappe) og gem "
            "den som .xlsx (Excel-projektmappe).", file=str(path))])
    if not data.startswith(ZIP_MAGIC):
        looks = "en PDF" if data.startswith(PDF_MAGIC) else "en tekst- eller CSV-fil"
        raise InputError([Problem(
            f"Filen hedder .xlsx, men er i virkeligheden {looks}.",
            "Eksportér igen som Excel (.xlsx), eller giv filen den rigtige endelse (.csv).",
            file=str(path))])
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise InputError([Problem(
            f"Excel-filen er beskadiget og kan ikke åbnes ({type(exc).__name__}).",
            "Åbn filen i Excel og gem den igen som .xlsx, eller eksportér den på ny.",
            file=str(path))]) from None
    try:
        sheet = workbook.worksheets[0]
        rows = [tuple(r) for r in sheet.iter_rows(values_only=True)]
        others = tuple(ws.title for ws in workbook.worksheets[1:])
        title = sheet.title
    finally:
        workbook.close()
    raw = pd.DataFrame(rows, dtype=object)
    raw = raw.map(cell_text) if not raw.empty else raw
    return _table_from_frame(path, raw, pd.RangeIndex(1, len(raw) + 1), sheet=title,
                             other_sheets=others)


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise InputError([Problem(
            f"Tegnsættet kan ikke genkendes (byte {exc.start} kan hverken læses som UTF-8 "
            "eller Windows-1252).",
            'Gem filen igen som "CSV UTF-8" i Excel.', file=str(path))]) from None


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: len(next(csv.reader([first_line], delimiter=d))) for d in CSV_DELIMITERS}
    return max(CSV_DELIMITERS, key=lambda d: counts[d])


def _read_csv(path: Path, data: bytes) -> Table:
    """Parse with pandas' C parser (fast and lean for large exports), every cell as text."""
    text, encoding = _decode(path, data)
    if data.startswith(ZIP_MAGIC) or data.startswith(PDF_MAGIC):
        raise InputError([Problem(
            "Filen hedder .csv, men er ikke en tekstfil (den ligner en Excel- eller PDF-fil).",
            "Giv filen den rigtige endelse (.xlsx) eller eksportér igen som CSV.",
            file=str(path))])
    first_line = text.split("\n", 1)[0].rstrip("\r")
    n_lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    del text
    delimiter = _sniff_delimiter(first_line)
    width = len(next(csv.reader([first_line], delimiter=delimiter)))
    raw = _read_csv_fast(data, encoding, delimiter, width)
    if raw is not None:
        table = _table_from_frame(path, raw, _line_numbers(raw, n_lines), delimiter=delimiter)
        table.encoding = encoding
        return table
    try:
        raw = pd.read_csv(io.BytesIO(data), sep=delimiter, header=None, dtype=str,
                          na_filter=False, keep_default_na=False, skip_blank_lines=False,
                          encoding=encoding, engine="c")
    except pd.errors.ParserError as exc:
        match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if match:
            width, line, seen = map(int, match.groups())
            raise InputError([Problem(
                f"Rækken har {seen} felter, men overskriften har {width}.",
                "Er der blandet semikolon og komma som skilletegn, eller et komma i en tekst "
                "uden citationstegn? Ret rækken, eller eksportér filen igen.",
                file=str(path), row=line)]) from None
        raise InputError([Problem(
            f"CSV-filen kan ikke læses ({str(exc).splitlines()[-1]}).",
            "Tjek citationstegn i filen (et citationstegn, der ikke lukkes), eller eksportér "
            "den igen.", file=str(path))]) from None
    table = _table_from_frame(path, raw, _line_numbers(raw, n_lines), delimiter=delimiter)
    table.encoding = encoding
    return table


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
    """The text line each record starts on; differs from the record number only when a
    quoted cell holds a line break."""
    if n_lines == len(raw):
        return pd.RangeIndex(1, len(raw) + 1)
    breaks = raw.apply(lambda col: col.fillna("").astype(str).str.count("\n")).sum(axis=1)
    breaks = breaks.astype(int)
    return pd.Index(1 + raw.index + breaks.cumsum().shift(fill_value=0))


def _table_from_frame(path: Path, raw: pd.DataFrame, line_numbers: pd.Index, *,
                      delimiter: str | None = None, sheet: str | None = None,
                      other_sheets: tuple[str, ...] = ()) -> Table:
    """Split header and body, and find rows wider than the header, short rows that hide
    a different delimiter, and blank rows, with no per-row Python loop."""
    if raw.empty:
        raise InputError([Problem("Filen er tom.", "Eksportér filen igen fra survey-værktøjet.",
                                  file=str(path))])
    raw.index = line_numbers
    headers = [clean_header(h) for h in raw.iloc[0]]
    while headers and headers[-1] == "":
        headers.pop()
    width = len(headers)
    if width == 0:
        raise InputError([Problem(
            "Første række er tom; den skal indeholde kolonneoverskrifterne.",
            "Slet tomme rækker over overskrifterne, så overskrifterne står i række 1.",
            file=str(path), row=int(line_numbers[0]))])
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
                                    hint, file=str(path), row=int(line), value=value[:60]))
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
                value=first[line][:60]))
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
