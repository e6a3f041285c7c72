"""Write fictional answers as a SurveyXact export, in every layout SurveyXact uses.

A test (or the demo data) gives plain responses: dicts keyed by a question's variable or
text, answers as their label text, and a status per response. `write_surveyxact` turns
them into what SurveyXact would export: Dataset with numeric codes, Structure, and Labels
without a header row, as one workbook (sheets in any order, Dataset optionally split over
"Dataset(1)", "Dataset(2)", ..., headers optionally cut to 8 characters) or as the three
CSV files in SurveyXact's encodings. `plain_rows` writes the same answers as a plain
labelled export, so that the two can be compared figure for figure.

The format follows the public record (see the README's SurveyXact section): the R package
readSX (NIFU-NO/readSX) and its example exports, and exports seen in other tools.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

STATUSES = ("Ny", "Distribueret", "Nogle svar", "Gennemført", "Frafaldet")
"""statoverall_1 .. statoverall_5, in order."""
COMPLETED = "Gennemført"
OPTION_LABELS = {"0": "Ikke valgt", "1": "Valgt"}
"""What Labels says for each 0/1 column (a multiple-choice option, a status column)."""
ANSWERED = "Ja", "Nej"
"""How a multiple-choice option reads in a plain labelled export: ticked, not ticked."""

LAYOUTS = {
    "csv-utf16-tab": ("utf-16", "\t", "\r\n"),
    "csv-cp1252-semicolon": ("cp1252", ";", "\n"),
    "csv-cp1252-comma": ("cp1252", ",", "\n"),
    "csv-utf8": ("utf-8", ";", "\n"),
    "csv-utf8-bom": ("utf-8-sig", ";", "\r\n"),
}
"""CSV layouts: encoding, delimiter, line ending. The first three are SurveyXact's own."""
SHEET_ORDER = ("Labels", "Dataset", "Structure")
RESPONDENT_ID = 825_478_429
"""The first respondent's id: SurveyXact's ids are nine-digit numbers."""
"""The order SurveyXact writes the sheets in."""


@dataclass(frozen=True)
class Question:
    """One question (or background variable) as the survey's author set it up."""

    variable: str
    """The variable's full SurveyXact name (`s_3`, `kommunenavn`)."""
    text: str
    answers: tuple[str, ...] = ()
    """A closed question's answer texts, in order."""
    codes: tuple[str, ...] = ()
    """Their codes (default 1, 2, ...): "Ved ikke" may well be 9."""
    kind: str = "single"
    """single (closed, one code column), multiple (one 0/1 column per answer),
    open (free text) or background (a value as it stands: a name, a number)."""

    def code_of(self, answer: str) -> str:
        codes = self.codes or tuple(str(i) for i in range(1, len(self.answers) + 1))
        try:
            return codes[self.answers.index(answer)]
        except ValueError:
            raise ValueError(f"{answer!r} is not an answer of {self.variable}") from None

    def option_variables(self) -> list[str]:
        return [f"{self.variable}_{i}" for i in range(1, len(self.answers) + 1)]


@dataclass(frozen=True)
class _Column:
    name: str
    """Full variable name."""
    question: str
    question_type: str
    sub_type: str
    text: str
    choice_value: str = ""
    choice_text: str = ""
    labels: tuple[tuple[str, str], ...] = ()
    in_structure: bool = True


def short_name(name: str) -> str:
    """A variable name cut to 8 characters as older exports do: `closetim`, and a
    numbered variable keeps its number (`statoverall_4` -> `stato_4`)."""
    if len(name) <= 8:
        return name
    stem, _, number = name.rpartition("_")
    if number.isdigit() and len(number) <= 2:
        return f"{stem[:5]}_{number}"
    return name[:8]


def _columns(questions: Sequence[Question], status: bool) -> list[_Column]:
    columns = [
        _Column("respondentid", "respondentid", "Open", "Double", "Respondent-id"),
        _Column("email", "email", "Open", "String", "E-mail", in_structure=False),
        _Column("name", "name", "Open", "String", "Navn", in_structure=False),
        _Column("closetime", "closetime", "Open", "Date", "Afsluttet"),
    ]
    for q in questions:
        if q.kind == "multiple":
            codes = q.codes or tuple(str(i) for i in range(1, len(q.answers) + 1))
            columns += [_Column(v, q.variable, "Closed", "Multiple", q.text, code, answer,
                                tuple(OPTION_LABELS.items()))
                        for v, code, answer in zip(q.option_variables(), codes, q.answers,
                                                   strict=True)]
        elif q.kind == "single":
            labels = tuple((q.code_of(a), a) for a in q.answers)
            columns.append(_Column(q.variable, q.variable, "Closed", "Single", q.text,
                                   labels=labels))
        elif q.kind in ("open", "background"):
            columns.append(_Column(q.variable, q.variable, "Open", "String", q.text))
        else:
            raise ValueError(f"unknown kind {q.kind!r}")
    if status:
        columns += [_Column(f"statoverall_{n}", "statoverall", "Closed", "Multiple",
                            "Samlet status", str(n), word, tuple(OPTION_LABELS.items()))
                    for n, word in enumerate(STATUSES, start=1)]
    return columns


def _value(response: Mapping[str, object], q: Question) -> object:
    """A response's answer to a question, looked up by variable or by text."""
    for key in (q.variable, q.text):
        if key in response:
            return response[key]
    return None


def dataset_rows(questions: Sequence[Question], responses: Sequence[Mapping[str, object]], *,
                 status: bool = True, xlsx: bool = False) -> list[dict[str, object]]:
    """One dict per response, full variable name -> the cell SurveyXact writes: codes for
    closed answers (numbers in a workbook, text in CSV), 0/1 per multiple-choice option."""
    rows = []
    for i, response in enumerate(responses):
        word = str(response.get("status", COMPLETED))
        if word not in STATUSES:
            raise ValueError(f"unknown status {word!r}")
        closetime = response.get("closetime")
        if closetime is None:
            closetime = f"2024-03-{1 + i % 28:02d} {8 + i % 10:02d}:15:00" if (
                word == COMPLETED) else ""
        row: dict[str, object] = {
            "respondentid": RESPONDENT_ID + 37 * i if xlsx else str(RESPONDENT_ID + 37 * i),
            "email": response.get("email", ""), "name": response.get("name", ""),
            "closetime": (datetime.fromisoformat(str(closetime)) if xlsx and closetime
                          else closetime)}
        for q in questions:
            value = _value(response, q)
            if q.kind == "multiple":
                for variable, answer in zip(q.option_variables(), q.answers, strict=True):
                    row[variable] = "" if value is None else int(answer in value)
            elif q.kind == "single":
                row[q.variable] = "" if value in (None, "") else q.code_of(str(value))
            else:
                row[q.variable] = "" if value is None else value
        if status:
            for n, each in enumerate(STATUSES, start=1):
                row[f"statoverall_{n}"] = int(each == word)
        if xlsx:
            row = {k: int(v) if isinstance(v, str) and v.isdigit() and k not in (
                "email", "name") and not _is_text(questions, k) else v
                   for k, v in row.items()}
        rows.append(row)
    return rows


def _is_text(questions: Sequence[Question], variable: str) -> bool:
    return any(q.variable == variable and q.kind in ("open", "background") for q in questions)


def write_surveyxact(folder: Path, questions: Sequence[Question],
                     responses: Sequence[Mapping[str, object]], *, layout: str = "xlsx",
                     name: str = "surveyxact.xlsx", sheet_order: Sequence[str] = SHEET_ORDER,
                     split: int = 1, short_names: bool = False, status: bool = True,
                     csv_names: Sequence[str] = ("dataset.csv", "structure.csv",
                                                 "labels.csv")) -> list[Path]:
    """Write the responses as a SurveyXact export in `folder`; returns the files written.

    `responses`: dicts keyed by a question's variable or text, with the answer's text (a
    list of answers for a multiple-choice question; a name or number for a background
    variable), and optionally "status" (one of STATUSES, default Gennemført),
    "closetime", "email" and "name". `layout` is "xlsx" or one of LAYOUTS; `split` spreads
    Dataset's columns over that many sheets; `short_names` cuts headers to 8 characters
    (Structure's questionName keeps the full name); `status=False` leaves out the status
    columns.
    """
    folder.mkdir(parents=True, exist_ok=True)
    columns = _columns(questions, status)
    header = {c.name: short_name(c.name) if short_names else c.name for c in columns}
    xlsx = layout == "xlsx"
    rows = dataset_rows(questions, responses, status=status, xlsx=xlsx)
    dataset = [[header[c.name] for c in columns],
               *[[row[c.name] for c in columns] for row in rows]]
    structure = [["questionName", "variableName", "questionType", "subType", "questionText",
                  "choiceValue", "choiceText"],
                 *[[c.question, header[c.name], c.question_type, c.sub_type, c.text,
                    int(c.choice_value) if xlsx and c.choice_value else c.choice_value,
                    c.choice_text] for c in columns if c.in_structure]]
    labels = [[header[c.name], int(code) if xlsx else code, text]
              for c in columns for code, text in c.labels]
    if xlsx:
        return [_write_workbook(folder / name, dataset, structure, labels, sheet_order, split)]
    encoding, delimiter, newline = LAYOUTS[layout]
    # The export's own quirk: structure.csv's rows end in one empty column more than its
    # header has.
    structure = [structure[0], *[[*r, ""] for r in structure[1:]]]
    paths = []
    for file_name, table in zip(csv_names, (dataset, structure, labels), strict=True):
        buffer = io.StringIO()
        quoting = csv.QUOTE_NONNUMERIC if delimiter == "," and table is not dataset else (
            csv.QUOTE_MINIMAL)
        csv.writer(buffer, delimiter=delimiter, lineterminator=newline,
                   quoting=quoting).writerows(table)
        path = folder / file_name
        path.write_bytes(buffer.getvalue().encode(encoding))
        paths.append(path)
    return paths


def _write_workbook(path: Path, dataset: list[list[object]], structure: list[list[object]],
                    labels: list[list[object]], order: Sequence[str], split: int) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    # Fixed document properties: the same answers give the same file, byte for byte.
    workbook.properties.creator = "SurveyXact (syntetisk eksempel)"
    workbook.properties.created = workbook.properties.modified = datetime(2000, 1, 1)
    width = len(dataset[0])
    bounds = [round(k * width / split) for k in range(split + 1)]
    for sheet in order:
        if sheet == "Dataset":
            for k in range(split):
                title = "Dataset" if split == 1 else f"Dataset({k + 1})"
                ws = workbook.create_sheet(title)
                for row in dataset:
                    ws.append([None if v == "" else v for v in row[bounds[k]:bounds[k + 1]]])
        else:
            ws = workbook.create_sheet(sheet)
            for row in structure if sheet == "Structure" else labels:
                ws.append([None if v == "" else v for v in row])
    workbook.save(path)
    return path


def plain_rows(questions: Sequence[Question], responses: Sequence[Mapping[str, object]], *,
               completed_only: bool = True) -> list[list[object]]:
    """The same answers as a plain labelled export: a header row of question texts (one
    column "question - option" per multiple-choice option, read Ja/Nej), then the answers
    as text; only completed responses, unless told otherwise."""
    head: list[str] = []
    for q in questions:
        head += ([f"{q.text} - {a}" for a in q.answers] if q.kind == "multiple" else [q.text])
    body = []
    for response in responses:
        if completed_only and response.get("status", COMPLETED) != COMPLETED:
            continue
        cells: list[object] = []
        for q in questions:
            value = _value(response, q)
            if q.kind == "multiple":
                cells += ["" if value is None else ANSWERED[a not in value] for a in q.answers]
            else:
                cells.append("" if value is None else value)
        body.append(cells)
    return [head, *body]
