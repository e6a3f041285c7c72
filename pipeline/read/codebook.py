"""A year's codebook: which export column holds which question key.

One model for every use: `read_codebook` reads and checks it for a run;
`CodebookSheet` edits the file as the analyst wrote it (confirm rows, give a row
another key or its value labels) without disturbing its layout; `codebook_bytes`
writes a proposed one. The checks are the same whoever reads it, so a codebook that
`confirm-codebook` accepts is one `run` accepts.
"""

from __future__ import annotations

import csv
import difflib
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipeline.errors import InputError, Problem, raise_if_any
from pipeline.files import YEAR_PATTERN, display_path, surveys_argument
from pipeline.invisible import lookalike
from pipeline.read.listing import CODEBOOK, read_input  # noqa: F401  (CODEBOOK: re-exported)
from pipeline.read.tables import clean_header, read_table
from pipeline.reference import Reference, normalise_text

MATCH_COLUMN = "match"
CONFIRMED_COLUMN = "confirmed"
CONFIRMED = "ja"
"""What add-year and confirm-codebook write in the `confirmed` column."""
CONFIRMED_WORDS = {"ja", "j", "yes", "x"}
"""What counts as confirmed in the codebook's `confirmed` column (the README says: ja)."""
NEW_MEANING = "ny betydning"
"""The `confirmed` of a row whose header the analyst has confirmed means something else
this year than the same header in other years' codebooks (or the question catalogue's
wording): the row is confirmed, and exempt from the comparison with them."""
NEW_MEANING_WORDS = {NEW_MEANING, "ny betydning (bekræftet)"}
MANUAL = "manual"
"""The `match` of a row whose key the analyst set by hand."""
CODEBOOK_COLUMNS = ["column", "key", "value_labels", MATCH_COLUMN, CONFIRMED_COLUMN]
ROWS_NAME = "rækker med overskrift og nøgle"


@dataclass
class CodebookEntry:
    column: str
    key: str
    value_labels: dict[str, str] = field(default_factory=dict)
    row: int = 0
    match: str = ""
    """How add-year proposed the row (`exact`, `close (0.87)`, `none`), for the analyst."""
    confirmed: bool = True
    """False only when the codebook has a `confirmed` column and the row is not marked."""
    value_labels_text: str = ""
    """The value_labels cell as written ("1=Meget tilfreds; 2=Tilfreds"), for add-year."""
    new_meaning: bool = False
    """Confirmed as meaning something else this year (`confirmed` = "ny betydning")."""


@dataclass
class Codebook:
    path: Path
    entries: list[CodebookEntry]

    @property
    def keys(self) -> list[str]:
        return [e.key for e in self.entries if e.key]

    def value_labels(self) -> dict[str, dict[str, str]]:
        return {e.key: e.value_labels for e in self.entries if e.key and e.value_labels}


@dataclass
class _Seen:
    """What the rows read so far used: each header and each key may occur once."""

    columns: dict[str, int] = field(default_factory=dict)
    keys: dict[str, int] = field(default_factory=dict)


def read_codebook(path: Path, reference: Reference, data: bytes | None = None, *,
                  require_confirmed: bool = True) -> Codebook:
    """Read and check a codebook: known keys, each key and header once, kommune present.

    A codebook proposed by add-year has a `confirmed` column; a row that reads a column
    as a question key but is not confirmed stops the run (unless `require_confirmed` is
    False, for add-year itself), so that a guessed match never becomes a figure unseen.
    Codebooks without the column are taken as confirmed.
    """
    table = read_table(path, read_input(path) if data is None else data, rows_name=ROWS_NAME)
    where = display_path(path)
    columns = _codebook_columns(table.cells.columns, where)
    problems: list[Problem] = []
    entries: list[CodebookEntry] = []
    seen = _Seen()
    for row, cells in table.cells.iterrows():
        entry, row_problems = _entry(int(row), cells, columns, seen, reference, path,
                                     require_confirmed)
        problems += row_problems
        if entry is not None:
            entries.append(entry)
    if not problems and "kommune" not in seen.keys:
        problems.append(Problem(
            "Kodebogen kobler ingen kolonne til nøglen 'kommune', så besvarelserne kan ikke "
            "knyttes til en kommune.",
            "Tilføj en række med eksportens kommune-overskrift og key = kommune.", file=where,
            code="codebook.no_kommune"))
    raise_if_any(problems)
    return Codebook(path, entries)


def _codebook_columns(headers: pd.Index, where: str) -> dict[str, str]:
    """The codebook's own columns by name (column, key, value_labels, match, confirmed)."""
    columns = {normalise_text(h): h for h in headers}
    missing = [c for c in ("column", "key") if c not in columns]
    if missing:
        raise InputError([Problem(
            f"Kodebogen mangler kolonnen/kolonnerne {', '.join(missing)}.",
            "Kodebogen skal have overskrifterne column,key (og evt. value_labels).",
            file=where, row=1, value=lookalike(missing[0], columns),
            code="codebook.columns_missing")])
    return columns


def _entry(row: int, cells: pd.Series, columns: dict[str, str], seen: _Seen,
           reference: Reference, path: Path,
           require_confirmed: bool) -> tuple[CodebookEntry | None, list[Problem]]:
    """One codebook row checked: the entry it makes (None if it makes none) and its
    problems."""
    where = display_path(path)
    column = clean_header(cells[columns["column"]])
    key = normalise_text(cells[columns["key"]])
    if not column:
        return None, [Problem("Rækken har en nøgle, men ingen kolonneoverskrift.",
                              "Skriv eksportens overskrift i kolonnen 'column', eller "
                              "slet rækken.", file=where, row=row, column="column",
                              code="codebook.header_empty")]
    known_keys = set(reference.questions["key"])
    if key and key not in known_keys:
        close = difflib.get_close_matches(key, sorted(known_keys), n=3)
        suggestion = f" Mente du: {', '.join(close)}?" if close else ""
        return None, [Problem(
            f"Nøglen findes ikke blandt spørgsmålene.{suggestion}",
            "Brug en af nøglerne i pipeline/reference/questions.csv, eller lad 'key' stå "
            "tom for en kolonne der ikke skal bruges.", file=where, row=row, column="key",
            value=cells[columns["key"]], code="codebook.key_unknown")]
    if column in seen.columns:
        return None, [Problem(
            f"Overskriften står to gange i kodebogen (også i række {seen.columns[column]}).",
            "Slet den ene række.", file=where, row=row, column="column", value=column,
            code="codebook.header_twice")]
    seen.columns[column] = row
    if key and key in seen.keys:
        return None, [Problem(
            f'To overskrifter er koblet til nøglen "{key}" (også række {seen.keys[key]}).',
            "Hver nøgle må kun komme fra én kolonne i eksporten: ret den ene række, eller "
            "lad dens 'key' stå tom.", file=where, row=row, column="key", value=key,
            code="codebook.key_twice")]
    if key:
        seen.keys[key] = row
    problems: list[Problem] = []
    labels_text = ""
    value_labels: dict[str, str] = {}
    if columns.get("value_labels") and str(cells[columns["value_labels"]]).strip():
        written = str(cells[columns["value_labels"]])
        labels_text = " ".join(written.split())
        value_labels, problems = parse_value_labels(
            written, reference.question_scale().get(key), reference, where, row)
    match = " ".join(str(cells[columns[MATCH_COLUMN]]).split()) if MATCH_COLUMN in columns \
        else ""
    confirmed_cell = str(cells[columns[CONFIRMED_COLUMN]]).strip() \
        if CONFIRMED_COLUMN in columns else ""
    new_meaning = normalise_text(confirmed_cell) in NEW_MEANING_WORDS
    confirmed = (CONFIRMED_COLUMN not in columns or new_meaning
                 or normalise_text(confirmed_cell) in CONFIRMED_WORDS)
    if key and not confirmed and require_confirmed:
        problems.append(_unconfirmed(path, row, column, key, match, confirmed_cell))
    return CodebookEntry(column, key, value_labels, row, match, confirmed,
                         labels_text, new_meaning), problems


def _unconfirmed(path: Path, row: int, column: str, key: str, match: str,
                 value: str) -> Problem:
    """The analyst has not yet looked at a proposed row: say which, and the command to use."""
    how = f" (match: {match})" if match else ""
    year = path.parent.name if YEAR_PATTERN.match(path.parent.name) else "ÅR"
    command = f"python -m pipeline confirm-codebook {year}{surveys_argument(path.parent.parent)}"
    return Problem(
        f'Rækken er ikke bekræftet: overskriften "{column}" er foreslået læst som nøglen '
        f'"{key}"{how}.',
        f'Er forslaget rigtigt, så kør "{command}" (bekræfter alle rækker), eller skriv ja i '
        f'kolonnen confirmed. Er det forkert, så kør "{command} --row {row} --key NØGLE" med '
        'den rigtige nøgle (--key "" hvis kolonnen ikke skal læses).',
        file=display_path(path), row=row, column=CONFIRMED_COLUMN, value=value or None,
        code="codebook.row_unconfirmed")


def parse_value_labels(text: str, scale: str | None, reference: Reference, where: str,
                       row: int) -> tuple[dict[str, str], list[Problem]]:
    """Parse `1=Meget tilfreds; 2=Tilfreds; 9=Ved ikke` into code -> answer on the scale."""
    problems: list[Problem] = []
    labels: dict[str, str] = {}
    if scale is None:
        return {}, [Problem("Svarkoder (value_labels) kan kun gives for spørgsmål med en "
                            "svarskala.", "Slet value_labels i rækken.", file=where, row=row,
                            column="value_labels", value=text,
                            code="codebook.value_labels_without_scale")]
    answers = {normalise_text(a): a for a in reference.scale_answers(scale)["answer"]}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        code, sep, label = part.partition("=")
        if not sep or not code.strip():
            problems.append(Problem(
                'Svarkoderne skal skrives som "kode=svar", adskilt af semikolon.',
                'Skriv fx "1=Meget tilfreds; 2=Tilfreds; 9=Ved ikke".', file=where, row=row,
                column="value_labels", value=part, code="codebook.value_labels_syntax"))
            continue
        answer = answers.get(normalise_text(label))
        if answer is None:
            problems.append(Problem(
                f'Svaret findes ikke på skalaen "{scale}".',
                f"Brug et af svarene: {', '.join(answers.values())}.", file=where, row=row,
                column="value_labels", value=label.strip(),
                code="codebook.value_labels_answer_unknown"))
            continue
        labels[normalise_text(code)] = answer
    return labels, problems


def codebook_problems(path: Path, reference: Reference, data: bytes) -> list[Problem]:
    """What `read_codebook` would say about these bytes, confirmation aside."""
    try:
        read_codebook(path, reference, data, require_confirmed=False)
    except InputError as exc:
        return exc.problems
    return []


# ------------------------------------------------------------------- writing and editing


def codebook_bytes(rows: list[list[str]]) -> bytes:
    """A proposed codebook (rows of column, key, value_labels, match, confirmed) as a file,
    written the same way by add-year and by the dashboard's "Opdater data"."""
    return _csv_bytes(CODEBOOK_COLUMNS, rows)


def _csv_bytes(header: list[str], rows: list[list[str]], delimiter: str = ",",
               encoding: str = "utf-8", newline: str = "\n") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    text = buffer.getvalue()
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        return text.encode("utf-8-sig")


@dataclass
class CodebookSheet:
    """A codebook file as the analyst wrote it, for editing: its rows by Excel row number
    (the header is row 1), blank lines kept, written back in its own delimiter, encoding
    and line endings. Columns `confirmed` (and `value_labels` when needed) are added."""

    path: Path
    data: bytes
    headers: list[str]
    body: dict[int, list[str]]
    blank_rows: list[int]
    delimiter: str
    encoding: str
    col: dict[str, int]

    @classmethod
    def read(cls, path: Path, with_value_labels: bool = False) -> CodebookSheet:
        """Read the file to edit it; `with_value_labels` adds that column if missing."""
        data = read_input(path)
        table = read_table(path, data, rows_name=ROWS_NAME)
        headers = list(table.headers)
        columns = {normalise_text(h): i for i, h in enumerate(headers)}
        if "column" not in columns or "key" not in columns:
            raise InputError([Problem("Kodebogen mangler kolonnerne column og key.",
                                      "Kodebogen skal have overskrifterne column,key.",
                                      file=display_path(path), row=1,
                                      code="codebook.columns_missing")])
        body = {int(i): [str(v) for v in cells] for i, cells in table.cells.iterrows()}
        encoding = "utf-8-sig" if table.encoding == "utf-8-sig" else (table.encoding or "utf-8")
        sheet = cls(path, data, headers, body, list(table.blank_rows),
                    table.delimiter or ",", encoding, {})
        if with_value_labels:
            sheet._add_column("value_labels", "", columns)
        sheet._add_column(CONFIRMED_COLUMN, CONFIRMED, columns)
        sheet.col = {name: columns[name] for name in ("column", "key", "value_labels",
                                                      CONFIRMED_COLUMN, MATCH_COLUMN)
                     if name in columns}
        return sheet

    def _add_column(self, name: str, fill: str, columns: dict[str, int]) -> None:
        """Add a column the file lacks; without `confirmed` every row counted as
        confirmed, so the rows get `ja`."""
        if name in columns:
            return
        columns[name] = len(self.headers)
        self.headers.append(name)
        for cells in self.body.values():
            cells.append(fill)

    @property
    def where(self) -> str:
        return display_path(self.path)

    def cell(self, row: int, name: str) -> str:
        return self.body[row][self.col[name]] if name in self.col else ""

    def key(self, row: int) -> str:
        return normalise_text(self.cell(row, "key"))

    def is_confirmed(self, row: int) -> bool:
        return normalise_text(self.cell(row, CONFIRMED_COLUMN)) in (CONFIRMED_WORDS
                                                                    | NEW_MEANING_WORDS)

    def mark_new_meaning(self, row: int) -> list[str]:
        """Confirm that the row's header means something else this year than in other
        years' codebooks (or the catalogue): the row is exempt from that comparison."""
        if normalise_text(self.cell(row, CONFIRMED_COLUMN)) in NEW_MEANING_WORDS:
            return []
        self.body[row][self.col[CONFIRMED_COLUMN]] = NEW_MEANING
        return [f'række {row}: "{self.cell(row, "column")}" er bekræftet som læst som '
                f"{self.key(row) or '(læses ikke)'} i år, selv om andre år eller "
                f"spørgsmålskataloget læser samme overskrift anderledes ({NEW_MEANING})."]

    def check_row(self, row: int) -> None:
        if row not in self.body:
            rows = sorted(self.body)
            raise InputError([Problem(
                f"Kodebogen har ingen række {row}.",
                f"Brug et rækkenummer mellem {rows[0]} og {rows[-1]} (rækken med "
                "overskrifterne er række 1).", file=self.where, value=row,
                code="codebook.row_unknown")])

    def confirm(self, rows: list[int]) -> list[tuple[int, str, str]]:
        """Mark rows confirmed; returns those that were not: (row, header, key). A row
        already confirmed keeps its mark (a "ny betydning" stays one)."""
        newly = [(r, self.cell(r, "column"), self.key(r)) for r in rows
                 if not self.is_confirmed(r)]
        for r, _, _ in newly:
            self.body[r][self.col[CONFIRMED_COLUMN]] = CONFIRMED
        return newly

    def set_key(self, row: int, key: str, reference: Reference) -> list[str]:
        """Read the row's column as `key` ("" or "-": not read); returns what changed, in
        words. Value labels that do not fit the new key are removed (and said so)."""
        new_key = "" if key.strip() in ("", "-") else normalise_text(key)
        known = list(reference.questions["key"])
        if new_key and new_key not in known:
            close = difflib.get_close_matches(new_key, known, n=3)
            maybe = f" Mente du: {', '.join(close)}?" if close else ""
            raise InputError([Problem(
                f"Nøglen findes ikke blandt spørgsmålene.{maybe}",
                f"Brug en af nøglerne: {', '.join(known)}; eller --key \"\" for en kolonne, der "
                "ikke skal læses.", file=self.where, row=row, column="key", value=key,
                code="codebook.key_unknown")])
        for other in self.body:
            if other != row and new_key and self.key(other) == new_key:
                raise InputError([Problem(
                    f'Nøglen {new_key} er allerede koblet til række {other} '
                    f'("{self.cell(other, "column")}"); hver nøgle må kun komme fra én kolonne.',
                    f"Fjern den først fra række {other} med --row {other} --key \"\", og kør så "
                    "kommandoen igen.", file=self.where, row=row, column="key", value=key,
                    code="codebook.key_twice")])
        old_key = self.key(row)
        if new_key == old_key:
            return []
        cells = self.body[row]
        cells[self.col["key"]] = new_key
        if MATCH_COLUMN in self.col:
            cells[self.col[MATCH_COLUMN]] = MANUAL
        changes = [f'række {row}: "{self.cell(row, "column")}" læses nu som '
                   f"{new_key or '(læses ikke)'} (før: {old_key or 'læses ikke'})."]
        labels = self.cell(row, "value_labels").strip()
        if labels:
            _, problems = parse_value_labels(labels, reference.question_scale().get(new_key),
                                             reference, self.where, row)
            if problems or not new_key:
                cells[self.col["value_labels"]] = ""
                changes.append(f'række {row}: value_labels "{labels}" passede ikke til den nye '
                               "nøgle og er fjernet.")
        return changes

    def set_value_labels(self, row: int, text: str, reference: Reference) -> list[str]:
        """Give the row's numeric codes their answers; refused if they do not fit its key.
        The sheet must have been read `with_value_labels`."""
        _, problems = parse_value_labels(text, reference.question_scale().get(self.key(row)),
                                         reference, self.where, row)
        if problems:
            raise InputError(problems)
        self.body[row][self.col["value_labels"]] = " ".join(text.split())
        return [f'række {row}: value_labels er nu "{self.cell(row, "value_labels")}".']

    def pending(self) -> list[tuple[int, str, str]]:
        """Rows with a key that are not confirmed: (row, header, key)."""
        return [(r, self.cell(r, "column"), self.key(r)) for r in sorted(self.body)
                if self.key(r) and not self.is_confirmed(r)]

    def mapped_keys(self) -> set[str]:
        """The question keys some row reads."""
        return {self.key(r) for r in self.body}

    def to_bytes(self) -> bytes:
        """The file as it will be written: same delimiter, encoding and line endings."""
        width = len(self.headers)
        lines = sorted([*self.body, *self.blank_rows])
        rows = [self.body.get(r, [""] * width) for r in lines]
        newline = ("\r\n" if b"\r\n" in self.data else
                   "\r" if b"\r" in self.data and b"\n" not in self.data else "\n")
        return _csv_bytes(self.headers, rows, self.delimiter, self.encoding, newline)
