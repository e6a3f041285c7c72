"""Read a SurveyXact export as SurveyXact writes it: Dataset, Structure and Labels.

SurveyXact (Rambøll) exports a survey as three tables. Dataset has one row per
respondent and one column per variable, with closed answers as numeric codes; Structure
says what each variable is (question, type, text); Labels, which has no header row, gives
the answer text of each code (`variableName, value, label`). They come either as one
workbook holding the three as sheets, in any order, a wide Dataset split over the
sheets "Dataset(1)", "Dataset(2)", ..., or as the files dataset.csv, structure.csv and
labels.csv (tab-separated UTF-16, or semicolon- or comma-separated Windows-1252).

`find_surveyxact` picks such exports out of a year folder's files. `read_surveyxact`
reads the columns a caller asks for, by variable name (`s_3`) or by question text, with
the answers translated to their label text, together with every respondent's status
(`statoverall_1..5`) and completion time (`closetime`). Only the asked-for columns
are kept: e-mails, names and free text never enter the result unless asked for.

Pure reading: it depends on the table reader's helpers, pandas and openpyxl only.
"""

from __future__ import annotations

import csv
import difflib
import html
import io
import re
import zipfile
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd
from openpyxl import load_workbook

from pipeline.errors import InputError, Problem, raise_if_any
from pipeline.files import InputFile, display_path, sha256
from pipeline.read.codebook import Codebook
from pipeline.read.tables import (
    OLE_MAGIC,
    XLSX_ERRORS,
    ZIP_MAGIC,
    Table,
    cell_text,
    clean_header,
    decode_text,
    hidden_rows_in_sheet,
    hidden_rows_problems,
    read_table,
    table_from_frame,
)

DATASET, STRUCTURE, LABELS = "Dataset", "Structure", "Labels"
CSV_ROLES = {"dataset": DATASET, "datasæt": DATASET, "structure": STRUCTURE,
             "struktur": STRUCTURE, "labels": LABELS}
"""The three files of a CSV export by the word in their name (any case): dataset.csv,
structure.csv and labels.csv as SurveyXact writes them (also in Danish, which costs
nothing to accept)."""
CSV_NAME = re.compile(r"^(?:(?P<before>.*?)[\s_.\-]+)?(?P<role>" + "|".join(CSV_ROLES)
                      + r")(?:[\s_.\-]+(?P<after>.*))?$", re.IGNORECASE)
""""dataset", or the word with more around it: "dataset_KEA", "Survey 12 - labels",
"structure (1)" (a second download of the same file name)."""
SHEET_NAMES = {"structure": STRUCTURE, "struktur": STRUCTURE, "labels": LABELS}
STATUS_HEADER = re.compile(r"(statoverall|stato)_[1-5]", re.IGNORECASE)
DATASET_SHEET = re.compile(r"^(?:dataset|datasæt)\s*(?:[(_\-]\s*(\d+)\s*\)?|(\d+))?$",
                           re.IGNORECASE)
""""Dataset", or one part of a Dataset split over several sheets: "Dataset(2)"."""
STRUCTURE_COLUMNS = ("questionName", "variableName", "questionType", "subType",
                     "questionText", "choiceValue", "choiceText")
REQUIRED_STRUCTURE_COLUMNS = ("variableName", "questionText")

STATUS_QUESTION = "statoverall"
STATUS_TEXT = {1: "Ny", 2: "Distribueret", 3: "Nogle svar", 4: "Gennemført", 5: "Frafaldet"}
"""The respondent's overall status, one-hot in statoverall_1 .. statoverall_5, in the
words SurveyXact's Danish interface uses."""
COMPLETED = 4
RESPONSE_TIME = "closetime"
"""When the respondent completed the questionnaire (YYYY-MM-DD hh:mm:ss; empty if never)."""
SHORT_NAMES = {"closetime": "closetim", "respondentid": "responde",
               **{f"{STATUS_QUESTION}_{n}": f"stato_{n}" for n in STATUS_TEXT}}
"""System variables as older exports cut them to 8 characters, for exports whose
Structure does not describe them (otherwise Structure's questionName says it)."""
OPTION_ANSWERS = {"1": "Ja", "0": "Nej"}
OPTION_WORDS = {"valgt", "selected", "checked", "chosen"}
"""Labels' word for a ticked option (SurveyXact writes 1 "Valgt", 0 "Ikke valgt")."""
"""A multiple-choice option is one 0/1 column: ticked is a yes to that option."""
HTML_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
"""A formatting tag a survey's author may have put in a question or answer text."""
SYSTEM_VARIABLE = re.compile(
    r"respondentid|responde|(close|start|change)time|closetim|starttim|changeti|"
    r"stat[a-z]*_\d+", re.IGNORECASE)
"""SurveyXact's own variables in Dataset: the respondent's id, times and statuses (also as
cut to 8 characters). Never a question; closetime is read as the response time."""
MAX_ROW_PROBLEMS = 20
"""Rows reported one by one per column and kind of problem; the rest are counted."""

EXPORT_HINT = ("Eksportér datasættet igen fra SurveyXact som Excel (alle tre ark: Dataset, "
               "Structure og Labels) eller som de tre CSV-filer dataset.csv, structure.csv og "
               "labels.csv fra samme udtræk, og læg dem i årsmappen uden at ændre dem.")


@dataclass(frozen=True)
class SurveyXactFiles:
    """Where one SurveyXact export lies: one workbook, or the three CSV files (a file that
    is missing from the set is None, and reading says so)."""

    workbook: Path | None = None
    dataset: Path | None = None
    structure: Path | None = None
    labels: Path | None = None

    @property
    def paths(self) -> tuple[Path, ...]:
        """Every file of the export, to hash for the manifest and to keep from being read
        as a plain export."""
        return tuple(p for p in (self.workbook, self.dataset, self.structure, self.labels)
                     if p is not None)

    @property
    def source(self) -> Path:
        """The file the respondents' rows are in: named in outputs and messages."""
        return self.workbook or self.dataset or self.paths[0]


@dataclass(frozen=True)
class Variable:
    """One Dataset column as Structure describes it."""

    header: str
    """The column's name in Dataset (older exports cut it to 8 characters: `stato_4`)."""
    name: str
    """Its full SurveyXact name (`statoverall_4`, `closetime`)."""
    question: str
    """Structure's questionName: all options of a multiple-choice question share it."""
    question_type: str
    sub_type: str
    text: str
    """The question text; for a multiple-choice option "question - option"."""
    question_text: str = ""
    """Structure's questionText as it stands (the question, without the option)."""
    choices: Mapping[str, str] = field(default_factory=dict)
    """Code -> text, where Structure lists a closed question's choices row by row."""

    @property
    def is_option(self) -> bool:
        """One option of a multiple-choice question (a 0/1 column)."""
        return self.sub_type.casefold() == "multiple"


@dataclass
class SurveyXactExport:
    """The requested columns of a SurveyXact export, and each respondent's status."""

    files: SurveyXactFiles
    table: Table
    """The requested columns, headed as the caller named them, answers as label text;
    every non-blank Dataset row, indexed by the row number the analyst sees (the Excel
    row in the Dataset sheet, or the line in dataset.csv)."""
    status: pd.DataFrame
    """Indexed like `table.cells`: `status` (1-5, <NA> without status columns),
    `status_text` ("Gennemført", ...), `completed` (bool) and `response_time` (closetime
    as text, "" when the respondent never completed)."""
    has_status: bool
    """False when Dataset has no statoverall columns: then every row counts as completed,
    and the run must say so."""
    has_response_time: bool
    variables: dict[str, Variable]
    """Structure's description of every variable, by Dataset header."""
    dataset_headers: list[str]
    """Every Dataset header (names only, no values), in the export's order."""
    columns: dict[str, str]
    """Requested column -> the Dataset header it was read from."""

    def completed(self) -> Table:
        """The responses that count: completed ones (statoverall_4 = 1), or every row of an
        export without status columns."""
        keep = self.status["completed"].to_numpy()
        return replace(self.table, cells=self.table.cells[keep])

    def not_completed(self) -> pd.DataFrame:
        """The rows left out, with their status: row number, `status`, `status_text`."""
        return self.status.loc[~self.status["completed"], ["status", "status_text"]]

    def question_texts(self) -> dict[str, str]:
        """Dataset header -> question text, in Dataset order, for the variables Structure
        describes: what add-year matches against earlier years' codebooks."""
        return {h: self.variables[h].text for h in self.dataset_headers if h in self.variables}

    def answer_headers(self) -> list[str]:
        """The Dataset headers a codebook may name, in Dataset order: every column but
        SurveyXact's own (respondent id, times, statuses). E-mails and names are among
        them, to be listed in a codebook as columns that are not read."""
        return [h for h in self.dataset_headers if h and not is_system_variable(
            self.variables[h].name if h in self.variables else h)]

    def headers_for(self, columns: Iterable[str]) -> dict[str, str]:
        """Dataset header -> the one of `columns` (a codebook's) that names it."""
        index = _Index(self.dataset_headers, self.variables)
        named: dict[str, str] = {}
        for column in columns:
            hits = index.lookup(column)
            if len(hits) == 1:
                named.setdefault(hits[0], column)
        return named


@dataclass
class _Sources:
    """The three tables as read, before any interpretation."""

    dataset: Table
    dataset_sheets: dict[str, str]
    """Dataset header -> the sheet or file it is in (for messages)."""
    structure: list[tuple[int, list[str]]]
    """(row, cells) per non-blank row, header first."""
    structure_file: str
    labels: list[tuple[int, list[str]]]
    labels_file: str


def is_system_variable(name: str) -> bool:
    """Whether a variable is one SurveyXact adds itself, not a question of the survey."""
    return bool(SYSTEM_VARIABLE.fullmatch(name.strip()))


def find_surveyxact(files: Iterable[Path]) -> tuple[list[SurveyXactFiles], list[Path]]:
    """Split a year folder's files into SurveyXact exports and the other files.

    A workbook is an export when its sheets include two of Dataset (or Dataset(1), ...),
    Structure and Labels, in any order, or a Dataset with statoverall columns. CSV files are
    the three tables by their name (dataset.csv, structure.csv, labels.csv in any case, also
    with more around the word, as "dataset_KEA.csv" or "labels (1).csv") or by their first
    line (Structure's column names, Dataset's status columns); they are one export when two
    of them are there, or a lone Dataset has status columns. Several CSV exports in one
    folder are told apart by what surrounds the word. Never raises: a file that cannot be
    opened is left with the others, for the plain reader to say why.
    """
    files = list(files)
    exports: list[SurveyXactFiles] = []
    claimed: set[Path] = set()
    for path in files:
        if path.suffix.lower() == ".xlsx" and _is_export_workbook(path):
            exports.append(SurveyXactFiles(workbook=path))
            claimed.add(path)
    for group in _csv_groups([p for p in files if p.suffix.lower() == ".csv"]):
        if len(group) >= 2 or (DATASET in group and _has_status_header(group[DATASET])):
            exports.append(SurveyXactFiles(dataset=group.get(DATASET),
                                           structure=group.get(STRUCTURE),
                                           labels=group.get(LABELS)))
            claimed.update(group.values())
    return exports, [p for p in files if p not in claimed]


def _is_export_workbook(path: Path) -> bool:
    sheets = _export_sheets(path)
    return len(set(sheets.values())) >= 2 or (
        DATASET in sheets.values() and _workbook_has_status(path, sheets))


def _csv_groups(paths: list[Path]) -> list[dict[str, Path]]:
    """The CSV files that are parts of SurveyXact exports, grouped into exports: all of
    them when there is at most one of each table, else by the rest of their names."""
    roles: dict[Path, tuple[str, str]] = {}
    for path in paths:
        match = CSV_NAME.match(path.stem.strip())
        if match:
            word = match.group("role").casefold()
            tag = " ".join(f"{match.group('before') or ''} {match.group('after') or ''}"
                           .casefold().split())
            roles[path] = (CSV_ROLES[word], tag)
        elif (role := _csv_role_by_content(path)) is not None:
            roles[path] = (role, path.stem.casefold())
    per_role: dict[str, list[Path]] = {}
    for path, (role, _) in roles.items():
        per_role.setdefault(role, []).append(path)
    if all(len(v) == 1 for v in per_role.values()):
        return [{role: v[0] for role, v in per_role.items()}] if per_role else []
    groups: dict[str, dict[str, Path]] = {}
    for path, (role, tag) in roles.items():
        groups.setdefault(tag, {}).setdefault(role, path)
    return list(groups.values())


def _export_sheets(path: Path) -> dict[str, str]:
    """Sheet name -> which of the three tables it holds, read from the workbook's index
    alone (no sheet is loaded); empty for anything that is not a workbook."""
    try:
        with zipfile.ZipFile(path) as archive:
            root = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    except (OSError, KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return {}
    names = [e.get("name", "") for e in root.iter() if e.tag.rsplit("}", 1)[-1] == "sheet"]
    return {n: role for n in names if (role := _sheet_role(n)) is not None}


def _sheet_role(name: str) -> str | None:
    name = name.strip()
    if DATASET_SHEET.match(name):
        return DATASET
    return SHEET_NAMES.get(name.casefold())


def _workbook_has_status(path: Path, sheets: Mapping[str, str]) -> bool:
    """Whether a workbook's (first) Dataset sheet has SurveyXact's status columns in its
    first row."""
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except XLSX_ERRORS:
        return False
    try:
        title = next(t for t, role in sheets.items() if role == DATASET)
        first = next(workbook[title].iter_rows(max_row=1, values_only=True), ())
    except (*XLSX_ERRORS, StopIteration):
        return False
    finally:
        workbook.close()
    return any(STATUS_HEADER.fullmatch(clean_header(v)) for v in first if v is not None)


def _first_line(path: Path) -> str:
    try:
        with open(path, "rb") as fh:
            head = fh.read(1 << 16)
        text, _ = decode_text(path, head)
    except (OSError, InputError, UnicodeDecodeError):
        return ""
    return text.split("\n", 1)[0]


def _csv_role_by_content(path: Path) -> str | None:
    """A CSV file named otherwise that is Structure (its column names) or Dataset (status
    columns) by its first line."""
    names = {clean_header(c).strip('"').casefold() for c in re.split(r"[;,\t]", _first_line(path))}
    if {"variablename", "questiontext"} <= names:
        return STRUCTURE
    if any(STATUS_HEADER.fullmatch(n) for n in names):
        return DATASET
    return None


def _has_status_header(path: Path) -> bool:
    """Whether a CSV file's first line names SurveyXact's status columns."""
    return any(STATUS_HEADER.fullmatch(clean_header(c).strip('"'))
               for c in re.split(r"[;,\t]", _first_line(path)))


def read_surveyxact(files: SurveyXactFiles, columns: Collection[str] = (), *,
                    data: Mapping[Path, bytes] | None = None,
                    extra_labels: Mapping[str, Mapping[str, str]] | None = None,
                    as_written: Collection[str] = ()) -> SurveyXactExport:
    """Read the requested columns of a SurveyXact export, with answers as label text.

    `columns` are named as a codebook names them: a Dataset variable (`s_3`, also the full
    name of a cut one: `closetime` for `closetim`), or a question text from Structure (a
    multiple-choice option as "question - option"). Codes are translated through Labels
    (or Structure's choices); a multiple-choice option reads as Ja/Nej; columns without
    labels (background variables, times) are read as they stand. `extra_labels` gives,
    per requested column, code -> answer for codes the export leaves without a label (the
    codebook's value_labels). `as_written`: requested columns read as they stand when
    their closed variable has no label at all (a background variable such as the
    municipality's code, which SurveyXact may type as closed); any other closed question
    without labels is refused. `data` holds the files' bytes when the caller has read them
    already. Raises InputError listing every problem found.
    """
    data = data or {}
    extra_labels = {clean_header(c): labels for c, labels in (extra_labels or {}).items()}
    sources = _read_sources(files, data)
    problems: list[Problem] = []
    variables, structure_problems = _parse_structure(sources.structure, sources.structure_file)
    labels, label_problems = _parse_labels(sources.labels, sources.labels_file)
    problems += structure_problems + label_problems
    raise_if_any(problems)

    dataset = sources.dataset
    variables, labels = _as_in_dataset(dataset.headers, variables, labels)
    where = str(files.source)
    cells_of = dict(zip(dataset.headers, dataset.cells.columns, strict=True))
    index = _Index(dataset.headers, variables)

    requested: dict[str, str] = {}
    for column in dict.fromkeys(clean_header(c) for c in columns if clean_header(c)):
        header, problem = index.resolve(column, where, sources)
        if problem is not None:
            problems.append(problem)
        elif header is not None:
            requested[column] = header
    raise_if_any(problems)

    as_written = {clean_header(c) for c in as_written}
    out, code_problems = _answers(requested, sources, variables, labels, extra_labels, where,
                                  as_written)
    problems += code_problems

    status, has_status, status_problems = _status(dataset, cells_of, variables, where, sources)
    problems += status_problems
    raise_if_any(problems)

    time_header = index.header_of(RESPONSE_TIME)
    if time_header is not None:
        response_time = dataset.cells[cells_of[time_header]].astype(str).str.strip()
    else:
        response_time = pd.Series("", index=dataset.cells.index, dtype=object)
    status["response_time"] = response_time

    cells = pd.DataFrame(out, index=dataset.cells.index).copy()
    cells.index.name = "row"
    table = Table(path=files.source, headers=list(requested), cells=cells,
                  blank_rows=list(dataset.blank_rows), encoding=dataset.encoding,
                  delimiter=dataset.delimiter, sheet=dataset.sheet)
    return SurveyXactExport(
        files=files, table=table, status=status, has_status=has_status,
        has_response_time=time_header is not None,
        variables=variables,
        dataset_headers=list(dataset.headers), columns=dict(requested))


# --- A year folder's exports, for a run ----------------------------------------------------

@dataclass
class SurveyXactYear:
    """A year folder's SurveyXact exports, read with the year's codebook."""

    frames: list[pd.DataFrame] = field(default_factory=list)
    """Per export, the responses that count: `source_file`, `source_row` and one column
    per codebook key, as the plain reader gives them; `besvaret` is closetime when the
    codebook names no column for it."""
    not_completed: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=NOT_COMPLETED_COLUMNS))
    """Every response left out because it was not completed: `source_file`, `source_row`,
    `kommune` (as the export has it, or ""), `status` (1-5) and `status_text`."""
    status_columns: dict[str, bool] = field(default_factory=dict)
    """Per export (its file as shown): whether it has status columns. Without them every
    row counts, and the run says so."""
    blank_rows: dict[str, list[int]] = field(default_factory=dict)
    headers: dict[str, list[str]] = field(default_factory=dict)
    """Per export: the columns a codebook could name (as the codebook names them where it
    does, else "variable (question text)"), for `check`'s list of columns not read."""
    inputs: list[InputFile] = field(default_factory=list)


AS_WRITTEN_KEYS = {"kommune", "besvaret"}
"""Codebook keys whose column is read as written when SurveyXact typed it as a closed
question without labels: a background variable with the municipality's code or a time.
The municipality's code is checked against the 98 as any export's is."""
NOT_COMPLETED_COLUMNS = ["source_file", "source_row", "kommune", "status", "status_text"]


def read_year_exports(exports: Sequence[SurveyXactFiles], codebook: Codebook
                      ) -> SurveyXactYear:
    """Read every SurveyXact export of a year with its codebook: the codebook's columns
    (variable names or question texts) renamed to its keys, answers as label text, only
    completed responses counted. Raises InputError with every problem of every export."""
    keys = {clean_header(e.column): e.key for e in codebook.entries if e.key}
    extra = {clean_header(e.column): e.value_labels for e in codebook.entries
             if e.key and e.value_labels}
    kommune = next((c for c, k in keys.items() if k == "kommune"), None)
    year = SurveyXactYear()
    problems: list[Problem] = []
    not_completed: list[pd.DataFrame] = []
    for files in exports:
        data = {p: p.read_bytes() for p in files.paths}
        try:
            export = read_surveyxact(files, list(keys), data=data, extra_labels=extra,
                                     as_written=[c for c, k in keys.items()
                                                 if k in AS_WRITTEN_KEYS])
        except InputError as exc:
            problems += [replace(p, file=display_path(Path(p.file))) if p.file else p
                         for p in exc.problems]
            continue
        shown = display_path(files.source)
        counted = export.completed().cells
        frame = counted.rename(columns=keys)
        if "besvaret" not in frame and export.has_response_time:
            frame["besvaret"] = export.status.loc[counted.index, "response_time"].to_numpy()
        frame = frame.reset_index().rename(columns={"row": "source_row"})
        frame.insert(0, "source_file", shown)
        year.frames.append(frame)
        left_out = export.not_completed()
        not_completed.append(pd.DataFrame({
            "source_file": shown, "source_row": left_out.index.astype(int),
            "kommune": (export.table.cells.loc[left_out.index, kommune].to_numpy()
                        if kommune else ""),
            "status": left_out["status"].astype(int).to_numpy(),
            "status_text": left_out["status_text"].to_numpy()}))
        year.status_columns[shown] = export.has_status
        year.blank_rows[shown] = list(export.table.blank_rows)
        named = export.headers_for(e.column for e in codebook.entries)
        year.headers[shown] = [named.get(h) or _with_text(h, export.variables)
                               for h in export.answer_headers()]
        year.inputs += [InputFile(display_path(p), "survey_export", sha256(data[p]),
                                  len(data[p])) for p in files.paths]
    raise_if_any(problems)
    if not_completed:
        year.not_completed = pd.concat(not_completed, ignore_index=True)
    return year


def _with_text(header: str, variables: Mapping[str, Variable]) -> str:
    text = variables[header].text if header in variables else ""
    return f"{header} ({text})" if text and text != header else header


# --- Reading the three tables -----------------------------------------------------------

def _read_sources(files: SurveyXactFiles, data: Mapping[Path, bytes]) -> _Sources:
    if files.workbook is not None:
        return _read_workbook(files.workbook, _bytes(files.workbook, data))
    missing = [name for name, path in (("dataset.csv", files.dataset),
                                       ("structure.csv", files.structure),
                                       ("labels.csv", files.labels)) if path is None]
    if missing:
        folder = next(iter(files.paths)).parent
        raise InputError([Problem(
            f"SurveyXact-eksporten er ikke komplet: {_and(missing)} mangler. Alle tre "
            "filer (dataset.csv, structure.csv og labels.csv) skal ligge i årsmappen.",
            EXPORT_HINT, file=str(folder), code="surveyxact.table_missing")])
    assert files.dataset and files.structure and files.labels
    problems: list[Problem] = []
    try:
        dataset = read_table(files.dataset, _bytes(files.dataset, data))
    except InputError as exc:
        problems += _unreadable(exc.problems)
    structure = labels = []
    try:
        structure = _csv_rows(files.structure, _bytes(files.structure, data))
    except InputError as exc:
        problems += _unreadable(exc.problems)
    try:
        labels = _csv_rows(files.labels, _bytes(files.labels, data))
    except InputError as exc:
        problems += _unreadable(exc.problems)
    raise_if_any(problems)
    return _Sources(dataset=dataset,
                    dataset_sheets=dict.fromkeys(dataset.headers, files.dataset.name),
                    structure=structure, structure_file=str(files.structure),
                    labels=labels, labels_file=str(files.labels))


def _bytes(path: Path, data: Mapping[Path, bytes]) -> bytes:
    return data[path] if path in data else path.read_bytes()


def _unreadable(problems: list[Problem]) -> list[Problem]:
    """The table reader's problems (file, row, what to do) under this module's code: a part
    of a SurveyXact export that cannot be read is one kind of problem, whatever the cause."""
    return [replace(p, code="surveyxact.table_unreadable") for p in problems]


def _csv_rows(path: Path, data: bytes) -> list[tuple[int, list[str]]]:
    """A small metadata table (Structure, Labels) as (line, cells): parsed with the csv
    module, so that Labels' missing header and Structure's empty trailing column, a quirk
    of the export, need no special case. The delimiter is the first of tab, semicolon and
    comma in the first line, which holds names only."""
    if not data.strip():
        raise InputError([Problem("Filen er tom.", EXPORT_HINT, file=str(path),
                                  code="surveyxact.table_unreadable")])
    if data.startswith((ZIP_MAGIC, OLE_MAGIC)):
        raise InputError([Problem("Filen hedder .csv, men er ikke en tekstfil.", EXPORT_HINT,
                                  file=str(path), code="surveyxact.table_unreadable")])
    text, _ = decode_text(path, data)
    if "\x00" in text:
        raise InputError([Problem(
            "Filen indeholder nul-tegn og kan ikke læses som tekst (UTF-16 uden "
            "byte-markering?).", EXPORT_HINT, file=str(path),
            code="surveyxact.table_unreadable")])
    first = text.split("\n", 1)[0]
    delimiter = min((d for d in ("\t", ";", ",") if d in first), key=first.index,
                    default="\t")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                rows.append((line, cells))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise InputError([Problem(
            f"Filen kan ikke læses som CSV ({exc}).", EXPORT_HINT, file=str(path), row=line,
            code="surveyxact.table_unreadable")]) from None
    return rows


def _read_workbook(path: Path, data: bytes) -> _Sources:
    where = str(path)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except XLSX_ERRORS as exc:
        raise InputError([Problem(
            f"Excel-filen er beskadiget og kan ikke åbnes ({type(exc).__name__}).",
            EXPORT_HINT, file=where, code="surveyxact.table_unreadable")]) from None
    try:
        sheets: dict[str, list[tuple]] = {}
        roles: dict[str, list[str]] = {DATASET: [], STRUCTURE: [], LABELS: []}
        hidden: list[Problem] = []
        for ws in workbook.worksheets:
            role = _sheet_role(ws.title)
            if role is not None:
                roles[role].append(ws.title)
                sheets[ws.title] = [tuple(r) for r in ws.iter_rows(values_only=True)]
                if role == DATASET:  # a hidden response row would be counted unseen
                    hidden += hidden_rows_problems(path, sheets[ws.title],
                                                   hidden_rows_in_sheet(data, ws), ws.title)
        raise_if_any(hidden)
    except XLSX_ERRORS as exc:
        raise InputError([Problem(
            f"Excel-filen er beskadiget og kan ikke læses ({type(exc).__name__}).",
            EXPORT_HINT, file=where, code="surveyxact.table_unreadable")]) from None
    finally:
        workbook.close()
    missing = [role for role, titles in roles.items() if not titles]
    empty = [t for titles in roles.values() for t in titles if not _has_content(sheets[t])]
    if missing or empty:
        what = [f'arket "{r}"' for r in missing] + [f'indholdet af arket "{t}"' for t in empty]
        raise InputError([Problem(
            f"SurveyXact-eksporten er ikke komplet: {_and(what)} mangler. Eksporten skal "
            "have arkene Dataset, Structure og Labels.",
            EXPORT_HINT, file=where, code="surveyxact.table_missing")])
    dataset, dataset_sheets = _dataset_from_sheets(
        path, {t: sheets[t] for t in roles[DATASET]})
    return _Sources(
        dataset=dataset, dataset_sheets=dataset_sheets,
        structure=_sheet_rows(sheets[roles[STRUCTURE][0]]), structure_file=where,
        labels=_sheet_rows(sheets[roles[LABELS][0]]), labels_file=where)


def _has_content(rows: list[tuple]) -> bool:
    return any(v is not None and str(v).strip() for row in rows for v in row)


def _sheet_rows(rows: list[tuple]) -> list[tuple[int, list[str]]]:
    out = []
    for number, row in enumerate(rows, start=1):
        cells = [cell_text(v) for v in row]
        if any(c.strip() for c in cells):
            out.append((number, cells))
    return out


def _dataset_from_sheets(path: Path, sheets: dict[str, list[tuple]]
                         ) -> tuple[Table, dict[str, str]]:
    """One Dataset from its sheets: a wide survey is split column-wise over "Dataset(1)",
    "Dataset(2)", ..., with the same respondent in the same row of each. The parts are put
    side by side by row number, after checking that they belong together."""
    where = str(path)
    numbers = {t: next((g for g in DATASET_SHEET.match(t.strip()).groups() if g), None)
               for t in sheets}
    order = sorted(sheets, key=lambda t: int(numbers[t] or 0))
    wanted = [str(n) for n in range(1, len(sheets) + 1)]
    if len(sheets) > 1 and [numbers[t] for t in order] != wanted:
        raise InputError([Problem(
            f"Datasættet er delt over arkene {_and(_quoted(order))}, men de skal hedde "
            f"{_and(_quoted(f'Dataset({n})' for n in wanted))}: et ark mangler eller er "
            "omdøbt.", EXPORT_HINT, file=where, code="surveyxact.split_sheets")])
    parts: list[tuple[str, Table, int]] = []
    for title in order:
        raw = pd.DataFrame(sheets[title], dtype=object).map(cell_text)
        try:
            table = table_from_frame(path, raw, pd.RangeIndex(1, len(raw) + 1), sheet=title)
        except InputError as exc:
            raise InputError([replace(p, message=f'Arket "{title}": {p.message}')
                              for p in _unreadable(exc.problems)]) from None
        parts.append((title, table, len(raw)))
    if len(parts) == 1:
        title, table, _ = parts[0]
        return table, dict.fromkeys(table.headers, title)

    shortest = min(n for _, _, n in parts)
    problems: list[Problem] = []
    for title, table, _ in parts:
        beyond = table.cells.index[table.cells.index > shortest]
        if len(beyond):
            short = next(t for t, _, n in parts if n == shortest)
            problems.append(Problem(
                f'Arket "{title}" har besvarelser i rækker, som arket "{short}" ikke har '
                f"(det slutter i række {shortest}), så rækkerne i de delte ark passer ikke "
                "sammen.", "Ret ikke i de delte Dataset-ark (ingen sortering eller sletning "
                "af rækker). " + EXPORT_HINT, file=where, row=int(beyond[0]),
                code="surveyxact.split_sheets"))
    sheet_of: dict[str, str] = {}
    frames: list[pd.DataFrame] = []
    headers: list[str] = []
    index = pd.RangeIndex(2, shortest + 1)
    for title, table, _ in parts:
        cells = table.cells.reindex(index, fill_value="")
        cells.columns = table.headers
        for header in table.headers:
            if header in sheet_of:
                first = next(f for f in frames if header in f.columns)[header]
                differ = first.astype(str) != cells[header].astype(str)
                if differ.any():
                    row = int(differ[differ].index[0])
                    problems.append(Problem(
                        f'Kolonnen står både på arket "{sheet_of[header]}" og på arket '
                        f'"{title}", men med forskellige værdier, så rækkerne i de delte ark '
                        "passer ikke sammen.", "Ret ikke i de delte Dataset-ark (ingen "
                        "sortering eller sletning af rækker). " + EXPORT_HINT, file=where,
                        row=row, column=header, value=cells.at[row, header],
                        code="surveyxact.split_sheets"))
                cells = cells.drop(columns=header)
            else:
                sheet_of[header] = title
        headers += list(cells.columns)
        frames.append(cells)
    raise_if_any(problems)
    combined = pd.concat(frames, axis=1)
    blank = (combined.apply(lambda col: col.astype(str).str.strip() == "")).all(axis=1)
    cells = combined[~blank].copy()
    cells.columns = headers
    cells.index = pd.Index(cells.index.astype(int), name="row")
    return Table(path=path, headers=headers, cells=cells,
                 blank_rows=[int(i) for i in combined.index[blank]], sheet=order[0],
                 other_sheets=tuple(order[1:])), sheet_of


# --- Structure and Labels ---------------------------------------------------------------

def _parse_structure(rows: list[tuple[int, list[str]]], where: str
                     ) -> tuple[dict[str, Variable], list[Problem]]:
    """Structure -> Variable per Dataset header. Rows repeat a variable when Structure
    lists a closed question's choices one per row; those become its `choices`."""
    if not rows:
        return {}, [Problem("Structure-tabellen er tom.", EXPORT_HINT, file=where,
                            code="surveyxact.table_missing")]
    line, head = rows[0]
    position = {clean_header(h).casefold(): i for i, h in enumerate(head) if clean_header(h)}
    missing = [c for c in REQUIRED_STRUCTURE_COLUMNS if c.casefold() not in position]
    if missing:
        return {}, [Problem(
            f"Structure-tabellen mangler kolonnen/kolonnerne {_and(missing)} i første række "
            f"(SurveyXact skriver {', '.join(STRUCTURE_COLUMNS)}).",
            EXPORT_HINT, file=where, row=line, code="surveyxact.structure_columns")]

    def cell(cells: list[str], name: str) -> str:
        i = position.get(name.casefold())
        return clean_header(cells[i]) if i is not None and i < len(cells) else ""

    found: dict[str, dict] = {}
    per_question: dict[str, int] = {}
    for _, cells in rows[1:]:
        header = cell(cells, "variableName")
        if not header:
            continue
        question = cell(cells, "questionName") or header
        choice_value = _code(cell(cells, "choiceValue"))
        choice_text = _plain(cell(cells, "choiceText"))
        if header in found:
            if choice_value and choice_text:
                found[header]["choices"][choice_value] = choice_text
            continue
        per_question[question] = per_question.get(question, 0) + 1
        found[header] = {"question": question, "question_type": cell(cells, "questionType"),
                         "sub_type": cell(cells, "subType"),
                         "text": _plain(cell(cells, "questionText")),
                         "choice_value": choice_value,
                         "choice_text": choice_text, "choices": {}}
    variables = {}
    for header, v in found.items():
        option = v["sub_type"].casefold() == "multiple"
        text = f'{v["text"]} - {v["choice_text"]}' if option and v["choice_text"] else v["text"]
        choices = {} if option else dict(v["choices"])
        if not option and v["choice_value"] and v["choice_text"]:
            choices = {v["choice_value"]: v["choice_text"], **choices}
        variables[header] = Variable(
            header=header, name=_full_name(header, v["question"], per_question[v["question"]]),
            question=v["question"], question_type=v["question_type"], sub_type=v["sub_type"],
            text=text, question_text=v["text"], choices=choices)
    return variables, []


def _as_in_dataset(headers: list[str], variables: dict[str, Variable],
                   labels: dict[str, dict[str, str]]
                   ) -> tuple[dict[str, Variable], dict[str, dict[str, str]]]:
    """Structure and Labels keyed by the Dataset headers as Dataset spells them: the three
    tables need not agree on upper and lower case (`S_3`, `s_3`)."""
    spelled = {h.casefold(): h for h in reversed(headers)}
    described = {n.casefold() for n in [*variables, *labels]}
    free = [h for h in headers if h.casefold() not in described]

    def header(name: str) -> str:
        if name.casefold() in spelled:
            return spelled[name.casefold()]
        cut = [h for h in free if _cut_from(h, name)]
        return cut[0] if len(cut) == 1 else name

    variables = {header(h): replace(v, header=header(h), name=header(h) if (
                     v.name.casefold() == header(h).casefold()) else v.name)
                 for h, v in variables.items()}
    out: dict[str, dict[str, str]] = {}
    for name, codes in labels.items():
        out.setdefault(header(name), {}).update(codes)
    return variables, out


def _cut_from(header: str, name: str) -> bool:
    """Whether a Dataset header is a variable's name cut to 8 characters, as older exports
    cut them when Structure keeps the full name: `kommunek` for `kommunekode`, `stato_4`
    for `statoverall_4`."""
    header, name = header.casefold(), name.casefold()
    if len(header) > 8 or len(name) <= 8:
        return False
    if header == name[:8]:
        return True
    stem, _, number = name.rpartition("_")
    cut_stem, _, cut_number = header.rpartition("_")
    return bool(number.isdigit() and number == cut_number and cut_stem
                and stem.startswith(cut_stem))


def _plain(text: str) -> str:
    """A question, choice or label text as the respondent read it: a survey author's
    formatting (<b>, <br/>, &nbsp;) taken out, spaces as in any header."""
    if "<" in text or "&" in text:
        text = html.unescape(HTML_TAG.sub(" ", text))
    return clean_header(text)


def _full_name(header: str, question: str, variables_in_question: int) -> str:
    """A variable's full name from Structure: SurveyXact cuts long names to 8 characters in
    Dataset (`closetim`, `stato_4`) and keeps the full one as questionName (`closetime`,
    `statoverall`); an option of a question with several variables keeps its number."""
    if header.casefold() == question.casefold() or header.casefold().startswith(
            question.casefold() + "_"):
        return header
    stem, _, number = header.rpartition("_")
    if variables_in_question > 1 and number.isdigit() and question.casefold().startswith(
            stem.casefold()):
        return f"{question}_{number}"
    if variables_in_question == 1 and question.casefold().startswith(header.casefold()):
        return question
    return header


def _parse_labels(rows: list[tuple[int, list[str]]], where: str
                  ) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    """Labels (no header row: variableName, value, label) -> code -> text per variable."""
    labels: dict[str, dict[str, str]] = {}
    problems: list[Problem] = []
    for line, cells in rows:
        if len(cells) < 3 or not cells[0].strip():
            if len(problems) < MAX_ROW_PROBLEMS:
                problems.append(Problem(
                    "Rækken i Labels skal have tre felter: variabel, kode og svartekst.",
                    EXPORT_HINT, file=where, row=line, value=";".join(cells),
                    code="surveyxact.labels_row"))
            continue
        labels.setdefault(clean_header(cells[0]), {})[_code(cells[1])] = _plain(cells[2])
    return labels, problems


# --- Columns, codes and statuses ---------------------------------------------------------

class _Index:
    """Finds the Dataset header a requested column means: a header, a variable's full name,
    or a question text (compared ignoring case and spaces)."""

    def __init__(self, headers: list[str], variables: dict[str, Variable]):
        self.headers = headers
        self.variables = variables
        self.by_header: dict[str, list[str]] = {}
        for h in headers:
            self.by_header.setdefault(h.casefold(), []).append(h)
        self.by_name: dict[str, list[str]] = {}
        for v in variables.values():
            if v.name.casefold() != v.header.casefold():
                self.by_name.setdefault(v.name.casefold(), []).append(v.header)
        for name, short in SHORT_NAMES.items():
            if short in self.by_header and name not in self.by_name:
                self.by_name[name] = self.by_header[short]
        self.by_text: dict[str, list[str]] = {}
        for v in variables.values():
            self.by_text.setdefault(clean_header(v.text).casefold(), []).append(v.header)
            if v.is_option and v.question_text != v.text:
                # The question itself: several columns, which the message then names.
                self.by_text.setdefault(clean_header(v.question_text).casefold(),
                                        []).append(v.header)

    def lookup(self, column: str) -> list[str]:
        """The Dataset headers a codebook column could mean (none, one, or several)."""
        key = clean_header(column).casefold()
        return list(dict.fromkeys(self.by_header.get(key) or self.by_name.get(key)
                                  or self.by_text.get(key) or []))

    def header_of(self, name: str) -> str | None:
        """The Dataset header of a variable named as in Dataset or in full, if any."""
        hits = self.by_header.get(name.casefold()) or self.by_name.get(name.casefold()) or []
        return hits[0] if len(hits) == 1 and hits[0] in self.headers else None

    def resolve(self, column: str, where: str, sources: _Sources
                ) -> tuple[str | None, Problem | None]:
        key = column.casefold()
        hits = self.by_header.get(key) or self.by_name.get(key) or self.by_text.get(key)
        if not hits:
            return None, self._unknown(column, where)
        hits = list(dict.fromkeys(hits))
        if len(hits) > 1 or self.headers.count(hits[0]) > 1:
            names = [f'"{h}" ({self.variables[h].text})' if h in self.variables else f'"{h}"'
                     for h in hits]
            return None, Problem(
                f"Kolonnen kan betyde flere variable i eksporten: {_and(names)}.",
                "Skriv variabelnavnet (fx s_3) i kodebogens column i stedet for "
                "spørgsmålsteksten; for et spørgsmål med flere svar: én variabel pr. "
                "svarmulighed.", file=where, column=column,
                code="surveyxact.column_ambiguous")
        header = hits[0]
        if header not in self.headers:
            return None, Problem(
                f'Variablen "{header}" står i eksportens Structure, men ikke i Dataset.',
                "Eksportér igen med alle variable (eller tjek, at Dataset og Structure er fra "
                "samme udtræk). Skal kolonnen ikke bruges, så lad kodebogens key stå tom.",
                file=sources.structure_file, column=column,
                code="surveyxact.variable_missing")
        return header, None

    def _unknown(self, column: str, where: str) -> Problem:
        known = self.headers + [v.text for v in self.variables.values()]
        close = difflib.get_close_matches(column, known, n=1, cutoff=0.6)
        near = f' (tættest: "{close[0]}")' if close else ""
        return Problem(
            "Kolonnen findes ikke i SurveyXact-eksporten: hverken som variabel i Dataset "
            "eller som spørgsmålstekst i Structure.",
            f"Skriv variabelnavnet (fx s_3) eller spørgsmålsteksten præcis som i eksporten i "
            f"kodebogens column{near}.", file=where, column=column,
            code="surveyxact.variable_missing")


def _answers(requested: dict[str, str], sources: _Sources, variables: dict[str, Variable],
             labels: dict[str, dict[str, str]], extra_labels: Mapping[str, Mapping[str, str]],
             where: str, as_written: Collection[str] = ()
             ) -> tuple[dict[str, pd.Series], list[Problem]]:
    """Each requested column's answers as text, and every code no text was found for."""
    dataset = sources.dataset
    cells_of = dict(zip(dataset.headers, dataset.cells.columns, strict=True))
    out: dict[str, pd.Series] = {}
    problems: list[Problem] = []
    for column, header in requested.items():
        values = dataset.cells[cells_of[header]]
        mapping = _answer_texts(variables.get(header), labels.get(header, {}),
                                extra_labels.get(column, {}), column in as_written)
        if mapping is None:
            out[column] = values.astype(str)
            continue
        out[column], bad = _translate(values, mapping)
        why = ("står ikke i eksportens Labels" if labels.get(header) else
               "har ingen tekst: eksportens Labels har ingen svartekster")
        problems += _per_row(bad, lambda row, v, h=header, c=column, why=why: Problem(
            f'Svarkoden {why} for variablen "{h}"{_in_sheet(sources, h)}, så det er uklart, '
            "hvilket svar den er.",
            "Eksportér igen, så Dataset og Labels er fra samme udtræk. Er koden et rigtigt "
            "svar uden tekst i spørgeskemaet, så skriv koden og svaret i kodebogens "
            "value_labels for kolonnen.", file=where, row=row, column=c, value=v,
            code="surveyxact.code_without_label"))
    return out, problems


def _answer_texts(variable: Variable | None, labels: Mapping[str, str],
                  extra: Mapping[str, str], as_written: bool = False) -> dict[str, str] | None:
    """Code -> answer text for one column; None when the column has no codes to translate
    (a background variable, a time, free text). A closed question always has codes: without
    any label each of them is reported, never passed on as a number, unless the caller
    reads the column `as_written` (a municipality's code)."""
    if (variable is not None and variable.is_option) or _ticked_or_not(labels):
        return dict(OPTION_ANSWERS)
    mapping = dict(labels) or dict(variable.choices if variable else {})
    closed = (variable is not None and variable.question_type.casefold() == "closed"
              and not as_written)
    if not mapping and not extra and not closed:
        return None
    # The codebook's value_labels are the analyst's word: they give codes without a label
    # their answer, and may also put a label worded otherwise onto the question's scale.
    return {**mapping, **{_code(k): v for k, v in extra.items()}}


def _ticked_or_not(labels: Mapping[str, str]) -> bool:
    """Labels that make a column one option of a multiple-choice question, whatever
    Structure calls it: 0 "Ikke valgt" and 1 "Valgt"."""
    return (set(labels) == set(OPTION_ANSWERS)
            and labels["1"].casefold() in OPTION_WORDS and labels["0"].casefold() not in
            OPTION_WORDS)


def _code(value: object) -> str:
    """A code as text: "1", whether it was written 1, 1.0 or " 1 "."""
    text = str(value).strip()
    return re.sub(r"^(-?\d+)\.0+$", r"\1", text)


def _translate(values: pd.Series, mapping: Mapping[str, str]) -> tuple[pd.Series, pd.Series]:
    """Codes -> texts, once per distinct value; returns the texts and the codes no text was
    found for (by row)."""
    values = values.astype(str)
    lookup = {}
    for value in pd.unique(values):
        code = _code(value)
        lookup[value] = "" if code == "" else mapping.get(code)
    texts = values.map(lookup)
    bad = texts.isna()
    return texts.fillna("").astype(object), values[bad]


def _per_row(bad: pd.Series, build: Callable[[int, str], Problem]) -> list[Problem]:
    """One Problem per bad row (row number -> value) up to MAX_ROW_PROBLEMS, then one for
    the rest, so that a systematic fault gives a readable message."""
    problems = [build(int(row), value) for row, value in bad.iloc[:MAX_ROW_PROBLEMS].items()]
    if len(bad) > MAX_ROW_PROBLEMS:
        first = problems[0]
        rest = bad.index[MAX_ROW_PROBLEMS:]
        problems.append(replace(
            first, message=f"Samme problem i yderligere {len(rest)} rækker (fx række "
                           f"{', '.join(str(int(r)) for r in rest[:5])}).",
            row=None, value=None))
    return problems


def _status(dataset: Table, cells_of: dict[str, str], variables: dict[str, Variable],
            where: str, sources: _Sources) -> tuple[pd.DataFrame, bool, list[Problem]]:
    """Each row's status from statoverall_1..5 (one-hot: exactly one 1). Without status
    columns every row counts as completed, and `has_status` is False."""
    index = dataset.cells.index
    columns: dict[int, str] = {}
    for v in variables.values():
        if v.question.casefold() == STATUS_QUESTION and v.header in cells_of:
            number = v.name.rpartition("_")[2]
            if number.isdigit() and int(number) in STATUS_TEXT:
                columns[int(number)] = v.header
    for n in STATUS_TEXT:
        for name in (f"{STATUS_QUESTION}_{n}", SHORT_NAMES[f"{STATUS_QUESTION}_{n}"]):
            match = next((h for h in dataset.headers if h.casefold() == name), None)
            if n not in columns and match is not None:
                columns[n] = match
    if not columns:
        frame = pd.DataFrame({"status": pd.array([pd.NA] * len(index), dtype="Int64"),
                              "status_text": "", "completed": True}, index=index)
        return frame, False, []
    missing = [f"{STATUS_QUESTION}_{n}" for n in STATUS_TEXT if n not in columns]
    if missing:
        return pd.DataFrame(), True, [Problem(
            f"Eksporten har kun en del af kolonnerne med respondentens samlede status: "
            f"{_and(missing)} mangler, så det kan ikke ses, hvilke besvarelser der er "
            "gennemført.", EXPORT_HINT, file=where, column=missing[0],
            code="surveyxact.status_incomplete")]
    values = pd.DataFrame({n: dataset.cells[cells_of[columns[n]]].astype(str).map(_code)
                           for n in STATUS_TEXT}, index=index)
    ones = (values == "1").sum(axis=1)
    valid = values.isin({"0", "1", ""}).all(axis=1) & (ones == 1)
    status = (values == "1").idxmax(axis=1).where(valid)
    names = f"{columns[1]}–{columns[5]}"
    shown = values.apply(lambda r: " ".join(v or "(tom)" for v in r), axis=1)
    bad = shown[~valid]
    problems = _per_row(bad, lambda row, v: Problem(
        f"Respondentens samlede status ({names}{_in_sheet(sources, columns[1])}) skal have "
        f"præcis ét 1-tal og ellers 0, men rækken har {int(ones[row])} 1-tal.",
        "Ret ikke i statuskolonnerne i eksporten. " + EXPORT_HINT,
        file=where, row=row, column=names, value=v, code="surveyxact.status_not_one_hot"))
    frame = pd.DataFrame({"status": status.astype("Int64"),
                          "status_text": status.map(STATUS_TEXT).fillna(""),
                          "completed": (status == COMPLETED).fillna(False).astype(bool)},
                         index=index)
    return frame, True, problems


# --- Words -----------------------------------------------------------------------------

def _in_sheet(sources: _Sources, header: str) -> str:
    """Which sheet a Dataset column is on, when the Dataset is split over several."""
    sheet = sources.dataset_sheets.get(header)
    return f' på arket "{sheet}"' if sheet and sources.dataset.other_sheets else ""


def _quoted(items: Iterable[str]) -> list[str]:
    return [f'"{i}"' for i in items]


def _and(items: Iterable[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " og " + items[-1]
