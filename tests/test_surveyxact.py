"""SurveyXact exports: found among a year's files, read in every layout, statuses, errors.

The answers are written once as plain responses and then as SurveyXact would export them
(tests/surveyxact_export.py); what the reader gives back must equal the plain labelled
export of the same answers, row for row.
"""

from __future__ import annotations

import csv
import io
import pickle
from pathlib import Path

import pandas as pd
import pytest
from helpers import REPO, write_xlsx
from openpyxl import load_workbook

from pipeline.errors import InputError, Problem
from pipeline.read.surveyxact import (
    STATUS_TEXT,
    SurveyXactFiles,
    find_surveyxact,
    read_surveyxact,
)
from pipeline.read.tables import read_table
from pipeline.surveyxact_writer import (
    LAYOUTS,
    STATUSES,
    Question,
    plain_rows,
    short_name,
    write_surveyxact,
)

KOMMUNER = pd.read_csv(REPO / "pipeline/reference/kommuner.csv", dtype=str)
SATISFACTION = ("Meget tilfreds", "Tilfreds", "Hverken tilfreds eller utilfreds", "Utilfreds",
                "Meget utilfreds", "Ved ikke")
KOMMUNE = Question("s_1", "Hvilken kommune svarer I for?", tuple(KOMMUNER["navn"]))
TILFREDS = Question("s_2", "Hvor tilfreds er I med den fysiske del af materialeoverbygningen?",
                    SATISFACTION, codes=("1", "2", "3", "4", "5", "9"))
DELTOG = Question("s_3", 'Har biblioteket deltaget aktivt i tiltag under temasporet "Kultur '
                  'for alle"?', ("Ja", "Nej", "Ved ikke"), codes=("1", "2", "9"))
SPOR = Question("s_4", "Hvilke temaspor har biblioteket arbejdet med?",
                ("Læsning", "Kultur", "Digital"), kind="multiple")
KOMMUNEKODE = Question("kommunekode", "Kommunekode", kind="background")
KOMMENTAR = Question("s_5", "Øvrige bemærkninger", kind="open")
QUESTIONS = [KOMMUNE, TILFREDS, DELTOG, SPOR, KOMMUNEKODE, KOMMENTAR]

PERSONAL = ["anna.hansen@bibliotek.example", "Anna Hansen", "bo.berg@bibliotek.example",
            "Bo Berg", "Hemmelig bemærkning om kollegaen"]
"""E-mails, names and free text that must never reach a result."""


def _response(i: int, status: str, **answers: object) -> dict[str, object]:
    email, name = (PERSONAL[0], PERSONAL[1]) if i % 2 else (PERSONAL[2], PERSONAL[3])
    return {"status": status, "email": email, "name": name,
            "s_5": PERSONAL[4] if i == 0 else "", **answers}


RESPONSES = [
    _response(0, "Gennemført", s_1="Ærø", s_2="Meget tilfreds", s_3="Ja",
              s_4=["Læsning", "Kultur"], kommunekode="492"),
    _response(1, "Nogle svar", s_1="København", s_2="Utilfreds", kommunekode="101"),
    _response(2, "Gennemført", s_1="Aarhus", s_2="Ved ikke", s_3="Nej", s_4=[],
              kommunekode="751"),
    _response(3, "Ny", kommunekode="147"),
    _response(4, "Gennemført", s_1="Frederiksberg", s_2="", s_3="Ved ikke",
              s_4=["Digital"], kommunekode="147"),
    _response(5, "Distribueret", kommunekode="860"),
    _response(6, "Frafaldet", s_1="Hjørring", kommunekode="860"),
    _response(7, "Gennemført", s_1="Tønder", s_2="Tilfreds", s_3="Ja",
              s_4=["Læsning", "Kultur", "Digital"], kommunekode="550"),
]
COMPLETED_ROWS = [2 + i for i, r in enumerate(RESPONSES) if r["status"] == "Gennemført"]
# What a codebook asks for, by question text: every column of the plain export but the
# free-text comment.
ASKED = plain_rows(QUESTIONS[:-1], RESPONSES)[0]

XLSX_LAYOUTS = {
    "xlsx": {},
    "xlsx-sheet-order": {"sheet_order": ("Structure", "Dataset", "Labels")},
    "xlsx-split": {"split": 3},
    "xlsx-short-names": {"short_names": True},
    "xlsx-split-short-reversed": {"split": 2, "short_names": True,
                                  "sheet_order": ("Dataset", "Structure", "Labels")},
}
CSV_LAYOUTS = {name: {"layout": name} for name in LAYOUTS} | {
    "csv-short-names-any-case": {"layout": "csv-cp1252-semicolon", "short_names": True,
                                 "csv_names": ("Dataset.CSV", "STRUCTURE.csv", "labels.Csv")}}
ALL_LAYOUTS = XLSX_LAYOUTS | CSV_LAYOUTS


def _export(folder: Path, questions=QUESTIONS, responses=RESPONSES, **options) -> SurveyXactFiles:
    write_surveyxact(folder, questions, responses, **options)
    exports, _ = find_surveyxact(sorted(folder.iterdir()))
    assert len(exports) == 1, exports
    return exports[0]


def _problems(excinfo: pytest.ExceptionInfo[InputError], code: str) -> list[Problem]:
    found = [p for p in excinfo.value.problems if p.code == code]
    assert found, [p.code for p in excinfo.value.problems]
    for p in found:
        assert p.message and p.hint  # "Gør sådan: ..." is never empty
    return found


def _edit_csv(path: Path, edit) -> None:
    """Rewrite one of an export's CSV files (as UTF-8 with ";", which the reader takes as
    well), with `edit` applied to its rows."""
    text = path.read_bytes().decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\n").writerows(edit(rows))
    path.write_text(buffer.getvalue(), encoding="utf-8")


# --- Every layout gives the plain labelled table ---------------------------------------

@pytest.mark.parametrize("layout", ALL_LAYOUTS)
def test_every_layout_reads_as_the_plain_labelled_export(tmp_path: Path, layout: str):
    files = _export(tmp_path / "sx", **ALL_LAYOUTS[layout])
    export = read_surveyxact(files, ASKED)
    plain = read_table(write_xlsx(tmp_path / "plain.xlsx", plain_rows(QUESTIONS[:-1],
                                                                      RESPONSES)))
    completed = export.completed()
    assert completed.headers == plain.headers == ASKED
    assert completed.cells.to_numpy().tolist() == plain.cells.to_numpy().tolist()
    # The rows are the Dataset's own: the analyst finds each response where it says.
    assert completed.cells.index.tolist() == COMPLETED_ROWS
    assert export.table.cells.index.tolist() == list(range(2, 2 + len(RESPONSES)))
    assert export.status["status_text"].tolist() == [r["status"] for r in RESPONSES]
    assert export.has_status and export.has_response_time
    assert export.table.blank_rows == []


def test_a_blank_row_in_split_sheets_is_skipped_and_named(tmp_path: Path):
    files = _export(tmp_path, split=2)
    workbook = load_workbook(files.workbook)
    for title in ("Dataset(1)", "Dataset(2)"):
        workbook[title].insert_rows(4)  # an empty row after the second response
    workbook.save(files.workbook)
    export = read_surveyxact(files, ["s_2"])
    assert export.table.blank_rows == [4]
    assert export.table.cells.index.tolist() == [2, 3, *range(5, 3 + len(RESPONSES))]
    assert export.completed().cells.index.tolist() == [2, 5, 7, 10]
    assert export.completed().cells["s_2"].tolist() == ["Meget tilfreds", "Ved ikke", "",
                                                        "Tilfreds"]


@pytest.mark.parametrize("layout", ["xlsx", "xlsx-short-names", "csv-utf16-tab",
                                    "csv-short-names-any-case"])
def test_variable_names_and_full_names_find_the_same_columns(tmp_path: Path, layout: str):
    files = _export(tmp_path, **ALL_LAYOUTS[layout])
    by_name = read_surveyxact(files, ["s_1", "s_2", "s_4_2", "kommunekode", "closetime",
                                      "statoverall_4"])
    by_text = read_surveyxact(files, [KOMMUNE.text, TILFREDS.text,
                                      f"{SPOR.text} - Kultur"])
    assert (by_name.table.cells.iloc[:, :3].to_numpy().tolist()
            == by_text.table.cells.to_numpy().tolist())
    cells = by_name.table.cells
    assert cells.loc[2, "s_1"] == "Ærø" and cells.loc[2, "s_2"] == "Meget tilfreds"
    assert cells["s_4_2"].tolist() == ["Ja", "", "Nej", "", "Nej", "", "", "Ja"]
    assert cells["kommunekode"].tolist() == [r["kommunekode"] for r in RESPONSES]
    assert cells["statoverall_4"].tolist() == ["Ja" if r["status"] == "Gennemført" else "Nej"
                                               for r in RESPONSES]
    # A cut header (closetim, kommunek, stato_4) is found by its full name through
    # Structure, and the columns are named as the caller asked.
    short = layout in ("xlsx-short-names", "csv-short-names-any-case")
    assert by_name.columns["closetime"] == ("closetim" if short else "closetime")
    assert by_name.columns["kommunekode"] == ("kommunek" if short else "kommunekode")
    assert ("stato_4" in by_name.dataset_headers) is short


def test_short_names_are_cut_as_surveyxact_cuts_them():
    assert [short_name(n) for n in ("statoverall_4", "closetime", "respondentid", "s_12_3",
                                    "kommunekode")] == [
        "stato_4", "closetim", "responde", "s_12_3", "kommunek"]


# --- Statuses and response time ----------------------------------------------------------

@pytest.mark.parametrize("layout", ["xlsx", "csv-cp1252-comma"])
def test_each_status_is_read_and_only_completed_responses_count(tmp_path: Path, layout: str):
    export = read_surveyxact(_export(tmp_path, **ALL_LAYOUTS[layout]), ["s_2"])
    status = export.status
    assert status["status"].tolist() == [STATUSES.index(r["status"]) + 1 for r in RESPONSES]
    assert set(status["status_text"]) == set(STATUSES) == set(STATUS_TEXT.values())
    assert status["completed"].tolist() == [r["status"] == "Gennemført" for r in RESPONSES]
    left_out = export.not_completed()
    assert left_out.index.tolist() == [3, 5, 7, 8]
    assert left_out["status_text"].tolist() == ["Nogle svar", "Ny", "Distribueret", "Frafaldet"]
    # closetime is the response time: YYYY-MM-DD hh:mm:ss, empty if never completed.
    times = status["response_time"]
    assert times[status["completed"]].tolist() == ["2024-03-01 08:15:00", "2024-03-03 10:15:00",
                                                   "2024-03-05 12:15:00", "2024-03-08 15:15:00"]
    assert (times[~status["completed"]] == "").all()
    # A partial response's answers are read (and shown), but not counted.
    assert export.table.cells.loc[3, "s_2"] == "Utilfreds"
    assert 3 not in export.completed().cells.index


def test_an_export_without_status_columns_counts_every_row_and_says_so(tmp_path: Path):
    export = read_surveyxact(_export(tmp_path, status=False), ["s_2"])
    assert not export.has_status
    assert export.status["completed"].all() and export.status["status"].isna().all()
    assert len(export.completed().cells) == len(RESPONSES)
    assert export.not_completed().empty


# --- The municipality ---------------------------------------------------------------------

def test_municipality_as_a_closed_question_with_98_choices(tmp_path: Path):
    responses = [{"s_1": navn} for navn in KOMMUNER["navn"]]
    files = _export(tmp_path, [KOMMUNE], responses)
    export = read_surveyxact(files, ["s_1"])
    assert export.variables["s_1"].question_type == "Closed"
    assert export.table.cells["s_1"].tolist() == KOMMUNER["navn"].tolist()
    labels = load_workbook(files.workbook, read_only=True)["Labels"]
    assert sum(1 for row in labels.iter_rows(values_only=True) if row[0] == "s_1") == 98


@pytest.mark.parametrize("layout", ["xlsx", "csv-utf16-tab"])
@pytest.mark.parametrize("column", ["navn", "kode"])
def test_municipality_as_a_background_variable_with_a_name_or_code(tmp_path: Path, layout: str,
                                                                   column: str):
    background = Question("kommune", "Kommune", kind="background")
    values = KOMMUNER[column].tolist()[:10]
    # In a workbook a code is a number, as a background variable of numbers is exported.
    written = [int(v) if column == "kode" and layout == "xlsx" else v for v in values]
    files = _export(tmp_path, [background, TILFREDS],
                    [{"kommune": v, "s_2": "Tilfreds"} for v in written],
                    **ALL_LAYOUTS[layout])
    export = read_surveyxact(files, ["Kommune", TILFREDS.text])
    assert export.table.cells["Kommune"].tolist() == values
    assert (export.table.cells[TILFREDS.text] == "Tilfreds").all()


# --- Finding an export among a year's files ---------------------------------------------

def test_only_surveyxact_exports_are_claimed_from_a_year_folder(tmp_path: Path):
    write_surveyxact(tmp_path, QUESTIONS, RESPONSES, name="sx.xlsx")
    write_surveyxact(tmp_path, QUESTIONS, RESPONSES, layout="csv-utf16-tab")
    plain = write_xlsx(tmp_path / "plain.xlsx", plain_rows(QUESTIONS, RESPONSES))
    plain_csv = tmp_path / "other.csv"
    plain_csv.write_text("Kommune;Svar\nAarhus;Ja\n", encoding="utf-8")
    not_a_workbook = tmp_path / "broken.xlsx"
    not_a_workbook.write_bytes(b"PK\x03\x04 not really")
    codebook = tmp_path / "codebook.csv"
    codebook.write_text("column,key\ns_1,kommune\n", encoding="utf-8")
    exports, rest = find_surveyxact(sorted(tmp_path.iterdir()))
    assert exports == [SurveyXactFiles(workbook=tmp_path / "sx.xlsx"),
                       SurveyXactFiles(dataset=tmp_path / "dataset.csv",
                                       structure=tmp_path / "structure.csv",
                                       labels=tmp_path / "labels.csv")]
    assert rest == sorted([plain, plain_csv, not_a_workbook, codebook])
    assert set(exports[1].paths) == {tmp_path / n for n in ("dataset.csv", "structure.csv",
                                                            "labels.csv")}


def test_a_lone_dataset_csv_is_claimed_only_when_it_has_status_columns(tmp_path: Path):
    write_surveyxact(tmp_path / "sx", QUESTIONS, RESPONSES, layout="csv-utf16-tab")
    (tmp_path / "sx" / "structure.csv").unlink()
    (tmp_path / "sx" / "labels.csv").unlink()
    exports, rest = find_surveyxact([tmp_path / "sx" / "dataset.csv"])
    assert exports == [SurveyXactFiles(dataset=tmp_path / "sx" / "dataset.csv")] and not rest
    plain = tmp_path / "dataset.csv"
    plain.write_text("Kommune;Svar\nAarhus;Ja\n", encoding="utf-8")
    assert find_surveyxact([plain]) == ([], [plain])


# --- Errors ------------------------------------------------------------------------------

def test_a_code_without_a_label_names_file_row_column_and_code(tmp_path: Path):
    files = _export(tmp_path, layout="csv-utf8")
    _edit_csv(files.labels, lambda rows: [r for r in rows if r[:2] != ["s_2", "5"]])
    _edit_csv(files.dataset, lambda rows: [
        [("5" if h == "s_2" and i == 3 else v) for h, v in zip(rows[0], r, strict=True)]
        for i, r in enumerate(rows)])  # line 4 (the fourth response, status Ny) says 5
    with pytest.raises(InputError) as excinfo:
        read_surveyxact(files, [TILFREDS.text])
    (problem,) = _problems(excinfo, "surveyxact.code_without_label")
    assert (problem.file, problem.row, problem.column, problem.value) == (
        str(files.dataset), 4, TILFREDS.text, "5")
    assert "value_labels" in problem.hint
    # The analyst can label it in the codebook (value_labels), and the run goes on.
    export = read_surveyxact(files, [TILFREDS.text], extra_labels={TILFREDS.text: {
        "5": "Meget utilfreds"}})
    assert export.table.cells.loc[4, TILFREDS.text] == "Meget utilfreds"


def test_a_closed_question_without_any_labels_is_never_read_as_numbers(tmp_path: Path):
    files = _export(tmp_path, layout="csv-utf8")
    _edit_csv(files.labels, lambda rows: [r for r in rows if r[0] != "s_3"])
    with pytest.raises(InputError) as excinfo:
        read_surveyxact(files, ["s_3"])
    problems = _problems(excinfo, "surveyxact.code_without_label")
    assert [(p.row, p.value) for p in problems] == [(2, "1"), (4, "2"), (6, "9"), (9, "1")]


def test_many_bad_rows_are_summed_up(tmp_path: Path):
    responses = [{"s_2": "Tilfreds"} for _ in range(30)]
    files = _export(tmp_path, [TILFREDS], responses, layout="csv-utf8")
    _edit_csv(files.labels, lambda rows: [r for r in rows if r[:2] != ["s_2", "2"]])
    with pytest.raises(InputError) as excinfo:
        read_surveyxact(files, ["s_2"])
    problems = _problems(excinfo, "surveyxact.code_without_label")
    assert len(problems) == 21 and "yderligere 10 rækker" in problems[-1].message


def test_a_requested_variable_missing_from_dataset(tmp_path: Path):
    files = _export(tmp_path, layout="csv-utf8")
    with pytest.raises(InputError) as excinfo:
        read_surveyxact(files, ["s_99", "Hvor tilfreds er I med den fysiske del?"])
    problems = _problems(excinfo, "surveyxact.variable_missing")
    assert [(p.column, p.file) for p in problems] == [
        ("s_99", str(files.dataset)), ("Hvor tilfreds er I med den fysiske del?",
                                       str(files.dataset))]
    assert TILFREDS.text in problems[1].hint  # the nearest question text is suggested
    # In Structure but not in Dataset: the Dataset column was deleted.
    _edit_csv(files.dataset, lambda rows: [r[:4] + r[5:] for r in rows])
    assert "s_1" not in files.dataset.read_text(encoding="utf-8").split("\n")[0].split(";")
    with pytest.raises(InputError) as excinfo:
        read_surveyxact(files, [KOMMUNE.text])
    (problem,) = _problems(excinfo, "surveyxact.variable_missing")
    assert problem.column == KOMMUNE.text and '"s_1"' in problem.message
    assert problem.file == str(files.structure)


def test_a_multiple_choice_question_is_asked_for_one_option_at_a_time(tmp_path: Path):
    files = _export(tmp_path)
    with pytest.raises(InputError) as excinfo:
        read_surveyxact(files, [SPOR.text])
    (problem,) = _problems(excinfo, "surveyxact.column_ambiguous")
    assert problem.column == SPOR.text
    assert all(f'"s_4_{n}"' in problem.message for n in (1, 2, 3))


def test_a_missing_sheet_or_file(tmp_path: Path):
    files = _export(tmp_path / "xlsx", sheet_order=("Dataset", "Structure"))
    with pytest.raises(InputError) as excinfo:
        read_surveyxact(files, ["s_1"])
    (problem,) = _problems(excinfo, "surveyxact.table_missing")
    assert problem.file == str(files.workbook) and '"Labels"' in problem.message

    files = _export(tmp_path / "csv", layout="csv-cp1252-semicolon")
    files.labels.unlink()
    exports, _ = find_surveyxact(sorted((tmp_path / "csv").iterdir()))
    with pytest.raises(InputError) as excinfo:
        read_surveyxact(exports[0], ["s_1"])
    (problem,) = _problems(excinfo, "surveyxact.table_missing")
    assert problem.file == str(tmp_path / "csv") and "labels.csv" in problem.message


def test_an_unreadable_table(tmp_path: Path):
    files = _export(tmp_path / "csv", layout="csv-utf8")
    files.structure.write_bytes("questionName;variableName\n".encode("utf-16-le"))
    with pytest.raises(InputError) as excinfo:
        read_surveyxact(files, ["s_1"])
    (problem,) = _problems(excinfo, "surveyxact.table_unreadable")
    assert problem.file == str(files.structure)

    files.dataset.write_bytes(b"s_1;s_2\n\x81\x8d\x8f;1\n")  # no text encoding reads this
    with pytest.raises(InputError) as excinfo:
        read_surveyxact(files, ["s_1"])
    assert {p.file for p in _problems(excinfo, "surveyxact.table_unreadable")} == {
        str(files.dataset), str(files.structure)}

    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(InputError) as excinfo:
        read_surveyxact(SurveyXactFiles(workbook=damaged), ["s_1"])
    (problem,) = _problems(excinfo, "surveyxact.table_unreadable")
    assert problem.file == str(damaged)


def test_structure_without_its_columns(tmp_path: Path):
    files = _export(tmp_path, layout="csv-utf8")
    _edit_csv(files.structure, lambda rows: [["navn", *r[1:]] if i == 0 else r
                                             for i, r in enumerate(rows)])
    _edit_csv(files.structure, lambda rows: [[c.replace("variableName", "variabel")
                                              for c in r] for r in rows])
    with pytest.raises(InputError) as excinfo:
        read_surveyxact(files, ["s_1"])
    (problem,) = _problems(excinfo, "surveyxact.structure_columns")
    assert problem.row == 1 and "variableName" in problem.message


def test_split_dataset_sheets_that_do_not_belong_together(tmp_path: Path):
    files = _export(tmp_path / "rows", split=2)
    workbook = load_workbook(files.workbook)
    workbook["Dataset(2)"].delete_rows(3)  # one response gone from the second part only
    workbook.save(files.workbook)
    with pytest.raises(InputError) as excinfo:
        read_surveyxact(files, ["s_1"])
    (problem,) = _problems(excinfo, "surveyxact.split_sheets")
    assert (problem.file, problem.row) == (str(files.workbook), len(RESPONSES) + 1)
    assert '"Dataset(1)"' in problem.message and '"Dataset(2)"' in problem.message

    files = _export(tmp_path / "names", split=3)
    workbook = load_workbook(files.workbook)
    workbook["Dataset(2)"].title = "Dataset(4)"
    workbook.save(files.workbook)
    with pytest.raises(InputError) as excinfo:
        read_surveyxact(files, ["s_1"])
    (problem,) = _problems(excinfo, "surveyxact.split_sheets")
    assert '"Dataset(4)"' in problem.message


def test_status_columns_that_are_not_one_hot(tmp_path: Path):
    files = _export(tmp_path, layout="csv-utf8")
    _edit_csv(files.dataset, lambda rows: [
        [("1" if h == "statoverall_2" and i == 1 else v) for h, v in zip(rows[0], r,
                                                                          strict=True)]
        for i, r in enumerate(rows)])  # the first response is now also "Distribueret"
    with pytest.raises(InputError) as excinfo:
        read_surveyxact(files, ["s_1"])
    (problem,) = _problems(excinfo, "surveyxact.status_not_one_hot")
    assert (problem.file, problem.row, problem.value) == (str(files.dataset), 2, "0 1 0 1 0")
    assert problem.column == "statoverall_1–statoverall_5"

    _edit_csv(files.dataset, lambda rows: [r[:-1] for r in rows])  # statoverall_5 gone
    with pytest.raises(InputError) as excinfo:
        read_surveyxact(files, ["s_1"])
    (problem,) = _problems(excinfo, "surveyxact.status_incomplete")
    assert problem.column == "statoverall_5"


# --- Quirks of real exports, and personal data -------------------------------------------

def test_quirks_of_a_real_comma_separated_export(tmp_path: Path):
    """As SurveyXact writes it: Windows-1252, text in quotes, Structure's trailing empty
    column only on some rows, Labels unsorted and with trailing spaces, the status words
    in the export's own language, cut headers."""
    (tmp_path / "dataset.csv").write_bytes(
        "responde,closetim,s_1,s_2_1,s_2_2,stato_1,stato_2,stato_3,stato_4,stato_5\n"
        '1,"2024-02-01 09:30:00",2,1,0,0,0,0,1,0\n'
        '2,"",,0,0,0,1,0,0,0\n'
        '3,"2024-02-03 11:00:00",9,0,1,0,0,0,1,0\n'.encode("cp1252"))
    (tmp_path / "structure.csv").write_bytes((
        "questionName,variableName,questionType,subType,questionText,choiceValue,choiceText\n"
        'respondentid,responde,Open,Double,"Respondent",,\n'
        'closetime,closetim,Open,Date,"Afsluttet",,\n'
        's_1,s_1,Closed,Single,"Hvor tilfreds er I?  ",,\n'
        's_2,s_2_1,Closed,Multiple,"Hvilke spor, om nogen?",1,"Læsning",\n'
        's_2,s_2_2,Closed,Multiple,"Hvilke spor, om nogen?",2,"Kultur",\n'
        + "".join(f'statoverall,stato_{n},Closed,Multiple,"Samlet status",{n},"{w}",\n'
                  for n, w in enumerate(["Ny", "Distribuert", "Noen svar", "Gjennomført",
                                         "Frafalt"], start=1))).encode("cp1252"))
    (tmp_path / "labels.csv").write_bytes(
        '"s_1",9,"Ved ikke   "\n"s_1",1,"Meget tilfreds"\n"s_1",2,"Tilfreds "\n'
        '"s_2_1",0,"Ikke valgt"\n"s_2_1",1,"Valgt"\n"s_2_2",0,"Ikke valgt"\n'
        '"s_2_2",1,"Valgt"\n'.encode("cp1252"))
    (files,), _ = find_surveyxact(sorted(tmp_path.iterdir()))
    export = read_surveyxact(files, ["Hvor tilfreds er I?", "Hvilke spor, om nogen? - Kultur",
                                     "closetime"])
    assert export.table.cells.to_numpy().tolist() == [
        ["Tilfreds", "Nej", "2024-02-01 09:30:00"], ["", "Nej", ""],
        ["Ved ikke", "Ja", "2024-02-03 11:00:00"]]
    assert export.status["status_text"].tolist() == ["Gennemført", "Distribueret", "Gennemført"]
    assert export.variables["stato_4"].name == "statoverall_4"
    assert export.question_texts()["s_2_2"] == "Hvilke spor, om nogen? - Kultur"


@pytest.mark.parametrize("layout", ["xlsx-split", "csv-utf16-tab"])
def test_no_email_name_or_free_text_is_in_the_result(tmp_path: Path, layout: str):
    export = read_surveyxact(_export(tmp_path, **ALL_LAYOUTS[layout]),
                             [*ASKED, "s_1", "closetime"])
    blob = pickle.dumps(export)
    text = repr(export) + repr(export.table.cells.to_dict()) + repr(export.status.to_dict())
    for secret in PERSONAL:
        assert secret.encode("utf-8") not in blob and secret not in text, secret
    # ... though the export holds them, and they can be read when asked for by name.
    asked = read_surveyxact(export.files, ["email", "s_5"])
    assert PERSONAL[0] in asked.table.cells["email"].tolist()
    assert PERSONAL[4] in asked.table.cells["s_5"].tolist()


def test_formatting_in_question_and_answer_texts_is_not_part_of_the_text(tmp_path: Path):
    """A survey author's bold text or line break (HTML in Structure and Labels) is not
    what the codebook writes."""
    files = _export(tmp_path, layout="csv-utf8")
    bold = TILFREDS.text.replace("fysiske", "<b>fysiske</b>").replace("den ", "den&nbsp;")
    _edit_csv(files.structure, lambda rows: [
        [bold if v == TILFREDS.text else v for v in r] for r in rows])
    _edit_csv(files.labels, lambda rows: [
        [r[0], r[1], "Meget<br/>tilfreds"] if r[:2] == ["s_2", "1"] else r for r in rows])
    assert bold in files.structure.read_text(encoding="utf-8")
    export = read_surveyxact(files, [TILFREDS.text])
    assert export.table.cells.loc[2, TILFREDS.text] == "Meget tilfreds"
    assert export.variables["s_2"].text == TILFREDS.text


def test_an_option_is_known_by_its_labels_whatever_structure_calls_it(tmp_path: Path):
    files = _export(tmp_path, layout="csv-utf8")
    _edit_csv(files.structure, lambda rows: [
        [("Flere" if v == "Multiple" and r[1] == "s_4_2" else v) for v in r] for r in rows])
    export = read_surveyxact(files, ["s_4_2"])
    assert not export.variables["s_4_2"].is_option
    assert export.table.cells["s_4_2"].tolist() == ["Ja", "", "Nej", "", "Nej", "", "", "Ja"]
