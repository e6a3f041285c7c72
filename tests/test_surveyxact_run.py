"""SurveyXact exports in a year folder, through `run`, `check` and `add-year`, as a user
brings them: every layout gives the figures the same answers give as a plain labelled
export; only completed responses count, and the others are listed with their status;
bad exports stop the run with file, row, column, value and what to do.

One year (2024) of synthetic answers is written twice: as SurveyXact would export it
(pipeline/surveyxact_writer.py) and as a plain labelled table with a time column. The two
runs must agree on every figure.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest
from helpers import TARGETS, read_csv_rows, run_cli, run_pipeline, snapshot, tree, write_xlsx
from openpyxl import load_workbook

from pipeline.demo import HEADERS, surveyxact_questions, synthetic_responses
from pipeline.outputs.read import read_output
from pipeline.read.surveyxact import find_surveyxact
from pipeline.reference import load_reference
from pipeline.surveyxact_writer import LAYOUTS, Question, short_name, write_surveyxact

pytestmark = pytest.mark.slow  # each test runs the pipeline on an export of its own

REF = load_reference()
YEAR = 2024
QUESTIONS = surveyxact_questions(YEAR, REF)
"""kommune (a background variable), 15 closed questions (s_1 ... s_15), a comment (s_16)."""
KEY_OF = {text: key for key, text in HEADERS[YEAR].items()}
COMMENT = QUESTIONS[-1]
SECRET = "Fortroligt: Birthe Bibliotekar, birthe@example.org"

LAYOUT_OPTIONS = {
    "xlsx": {},
    "xlsx-sheet-order": {"sheet_order": ("Structure", "Labels", "Dataset")},
    "xlsx-split": {"split": 3},
    "xlsx-short-names": {"short_names": True},
    "xlsx-split-short": {"split": 2, "short_names": True},
    **{name: {"layout": name} for name in LAYOUTS},
    "csv-short-names-upper-case": {"layout": "csv-cp1252-semicolon", "short_names": True,
                                   "csv_names": ("DATASET.CSV", "Structure.csv", "Labels.CSV")},
}


def responses(seed: int = 3) -> list[dict[str, object]]:
    """About half of the 98 municipalities completed the questionnaire (one of them twice,
    the later answer listed first); of the others some answered in part, declined, were
    invited and never answered, or never invited. E-mails, names and one comment are
    personal data that must never reach an output."""
    rng = np.random.default_rng(seed)
    answers = synthetic_responses(YEAR, REF, rng, response_rate=0.5)
    rows: list[dict[str, object]] = []
    for i, r in enumerate(answers.to_dict("records")):
        row = {"kommune": r["kommune"], "status": "Gennemført",
               "closetime": r["besvaret"].strftime("%Y-%m-%d %H:%M:%S"),
               "email": f"leder{i}@bibliotek.example", "name": f"Leder nr. {i}",
               COMMENT.variable: SECRET if i == 3 else ""}
        row.update({q.variable: r[KEY_OF[q.text]] for q in QUESTIONS[1:-1]})
        rows.append(row)
    # The same library again, completed later: this answer must win, though it comes first.
    again = {**rows[5], "closetime": "2024-12-24 10:00:00", "s_1": "Meget utilfreds"}
    rows.insert(0, again)
    answered = set(answers["kommune"])
    others = [k for k in REF.kommuner["navn"] if k not in answered]
    for kommune, status in zip(others, ["Nogle svar", "Nogle svar", "Frafaldet", "Ny",
                                        "Distribueret", "Distribueret", "Distribueret"],
                               strict=False):
        row = {"kommune": kommune, "status": status, "email": f"{kommune}@bibliotek.example"}
        if status == "Nogle svar":  # a half-answered questionnaire is never counted
            row.update({"s_1": "Meget tilfreds", "s_2": "Utilfreds"})
        rows.append(row)
    return rows


def dated(rows: list[dict[str, object]], year: int) -> list[dict[str, object]]:
    """The responses as an earlier year's: answered (closetime) that year, not in YEAR."""
    return [{**r, "closetime": str(r["closetime"]).replace(f"{YEAR}-", f"{year}-", 1)}
            if "closetime" in r else r for r in rows]


RESPONSES = responses()
COMPLETED = [r for r in RESPONSES if r["status"] == "Gennemført"]
NOT_COMPLETED = [r for r in RESPONSES if r["status"] != "Gennemført"]


def codebook_rows(by: str = "text") -> list[list[str]]:
    """The codebook of the SurveyXact year: variables named by question text or name."""
    rows = [["column", "key"], ["kommune", "kommune"]]
    for q in QUESTIONS[1:-1]:
        rows.append([q.text if by == "text" else q.variable, KEY_OF[q.text]])
    rows += [["email", ""], ["name", ""], [COMMENT.variable, ""]]
    return rows


def write_rows(path: Path, rows: list[list[str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return path


def surveyxact_year(root: Path, questions: list[Question] = QUESTIONS,
                    answers: list[dict[str, object]] = RESPONSES, *, by: str = "text",
                    **options: object) -> Path:
    folder = root / str(YEAR)
    write_surveyxact(folder, questions, answers, **options)
    write_rows(folder / "codebook.csv", codebook_rows(by))
    return folder


def plain_year(root: Path, answers: list[dict[str, object]] = COMPLETED,
               texts: dict[str, str] | None = None) -> Path:
    """The same answers as a plain labelled export with the completion time (`texts`:
    headers worded otherwise than the questions)."""
    folder = root / str(YEAR)
    texts = texts or {}
    head = ["Kommune", "Afsluttet", *(texts.get(q.text, q.text) for q in QUESTIONS[1:-1])]
    body = [[r["kommune"], r["closetime"], *(r.get(q.variable, "") for q in QUESTIONS[1:-1])]
            for r in answers]
    write_xlsx(folder / "besvarelser.xlsx", [head, *body])
    write_rows(folder / "codebook.csv", [["column", "key"], ["Kommune", "kommune"],
                                         ["Afsluttet", "besvaret"],
                                         *([texts.get(q.text, q.text), KEY_OF[q.text]]
                                           for q in QUESTIONS[1:-1])])
    return folder


@pytest.fixture(scope="module")
def plain_output(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("plain")
    plain_year(tmp / "surveys")
    assert run_pipeline(tmp / "surveys", tmp / "out").exit_code == 0
    return tmp / "out"


def run_ok(surveys: Path, out: Path, *extra: str):
    result = run_pipeline(surveys, out, *extra)
    assert result.exit_code == 0, result.output
    return result


FIGURES = ("indicators.csv", "distribution.csv", "intervals.csv", "goals.csv")


# --- Every layout gives the figures of the plain labelled export ------------------------

FAST_LAYOUTS = {"xlsx", "xlsx-split", "xlsx-short-names", "csv-utf16-tab",
                "csv-cp1252-semicolon", "csv-cp1252-comma"}
"""SurveyXact's own layouts; the others (read the same way by the reader's own tests) run
with the slow tests."""


@pytest.mark.parametrize("layout", [name if name in FAST_LAYOUTS else pytest.param(
    name, marks=pytest.mark.slow) for name in LAYOUT_OPTIONS])
def test_every_layout_gives_the_figures_of_the_plain_export(layout, tmp_path, plain_output):
    surveyxact_year(tmp_path / "surveys", **LAYOUT_OPTIONS[layout])
    result = run_ok(tmp_path / "surveys", tmp_path / "out")
    for name in FIGURES:
        assert (tmp_path / "out" / name).read_bytes() == (plain_output / name).read_bytes(), name
    quality = read_output(tmp_path / "out" / "quality.csv").set_index("scope")
    national = quality.loc["national"]
    assert national["municipalities_answering"] == len(COMPLETED) - 1  # one answered twice
    assert national["not_completed"] == len(NOT_COMPLETED)
    assert national["status_columns"] == "yes"
    assert national["rows_excluded"] == len(NOT_COMPLETED) + 1  # and the duplicate
    assert national["responses_read"] == len(RESPONSES)
    assert "Nogle svar" in result.output  # the summary names what was left out
    # Every file of the export is an input of the figures, with its hash.
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    hashed = {Path(i["path"]).name for i in manifest["inputs"] if i["kind"] == "survey_export"}
    written = {p.name for p in (tmp_path / "surveys" / str(YEAR)).iterdir()} - {"codebook.csv"}
    assert hashed == written and len(written) in (1, 3)


def test_variable_names_in_the_codebook_read_the_same_columns(tmp_path, plain_output):
    surveyxact_year(tmp_path / "surveys", by="name", short_names=True)
    run_ok(tmp_path / "surveys", tmp_path / "out")
    for name in FIGURES:
        assert (tmp_path / "out" / name).read_bytes() == (plain_output / name).read_bytes(), name


def test_the_tables_need_not_agree_on_case_or_cut_names(tmp_path, plain_output):
    """Real exports vary: Dataset headers in capitals, Structure's full names where Dataset
    has them cut to 8 characters. Both are read as the same variables."""
    folder = surveyxact_year(tmp_path / "surveys", layout="csv-utf8", short_names=True)
    dataset = folder / "dataset.csv"
    lines = dataset.read_text(encoding="utf-8").split("\n")
    dataset.write_text("\n".join([lines[0].upper(), *lines[1:]]), encoding="utf-8")
    structure = folder / "structure.csv"
    structure.write_text(structure.read_text(encoding="utf-8").replace(
        ";stato_", ";statoverall_").replace(";closetim;", ";closetime;"), encoding="utf-8")
    run_ok(tmp_path / "surveys", tmp_path / "out")
    for name in FIGURES:
        assert (tmp_path / "out" / name).read_bytes() == (plain_output / name).read_bytes(), name


def test_csv_files_named_otherwise_are_found(tmp_path, plain_output):
    """A download renamed by the analyst or the browser is still the same export."""
    folder = surveyxact_year(tmp_path / "surveys", layout="csv-utf16-tab",
                             csv_names=("dataset_KEA.csv", "struktur (1).csv", "labels.csv"))
    exports, rest = find_surveyxact(sorted(folder.iterdir()))
    assert len(exports) == 1 and [p.name for p in rest] == ["codebook.csv"]
    run_ok(tmp_path / "surveys", tmp_path / "out")
    assert ((tmp_path / "out" / "indicators.csv").read_bytes()
            == (plain_output / "indicators.csv").read_bytes())


# --- Completed responses only -------------------------------------------------------------

def test_responses_that_were_not_completed_are_listed_with_their_status(tmp_path):
    folder = surveyxact_year(tmp_path / "surveys", layout="csv-cp1252-semicolon")
    result = run_ok(tmp_path / "surveys", tmp_path / "out")
    excluded = read_output(tmp_path / "out" / "excluded_rows.csv")
    left_out = excluded[excluded["reason_code"].str.startswith("not_completed")]
    rows = [2 + i for i, r in enumerate(RESPONSES) if r["status"] != "Gennemført"]
    assert left_out["source_row"].tolist() == rows
    assert left_out["source_file"].unique().tolist() == [str(folder / "dataset.csv")]
    assert left_out["reason_code"].tolist() == [
        {"Nogle svar": "not_completed_partial", "Frafaldet": "not_completed_declined",
         "Ny": "not_completed_new", "Distribueret": "not_completed_distributed"}[r["status"]]
        for r in NOT_COMPLETED]
    for reason, r in zip(left_out["reason"], NOT_COMPLETED, strict=True):
        assert f"status {r['status']} i SurveyXact" in reason
    # The municipality is known (a background variable), so each counts in its region.
    kode = REF.kommuner.set_index("navn")["kode"]
    assert left_out["kommune_kode"].tolist() == [kode[r["kommune"]] for r in NOT_COMPLETED]
    quality = read_output(tmp_path / "out" / "quality.csv").set_index("scope")
    assert "2 × Ikke gennemført (Nogle svar)" in quality.at["national", "excluded_reasons"]
    assert "3 × Ikke gennemført (Distribueret)" in quality.at["national", "excluded_reasons"]
    cb = REF.kommuner.set_index("navn")["centralbibliotek"]
    per_region = {s: sum(cb[r["kommune"]] == s for r in NOT_COMPLETED)
                  for s in REF.centralbiblioteker}
    assert quality.loc[REF.centralbiblioteker, "not_completed"].tolist() == list(
        per_region.values())
    # The partial answers (s_1 = Meget tilfreds) are in no figure: responses.csv holds the
    # completed responses only.
    responses_csv = read_output(tmp_path / "out" / "responses.csv")
    assert sorted(responses_csv["source_row"]) == sorted(
        2 + i for i, r in enumerate(RESPONSES) if r["status"] == "Gennemført" and i != 6)
    assert "Ikke gennemført (Nogle svar)" in result.output.replace("\n    ", " ")


def test_closetime_decides_which_of_two_responses_counts(tmp_path):
    surveyxact_year(tmp_path / "surveys")
    run_ok(tmp_path / "surveys", tmp_path / "out")
    excluded = read_output(tmp_path / "out" / "excluded_rows.csv")
    (duplicate,) = excluded[excluded["reason_code"] == "duplicate"].itertuples()
    # Row 2 (first in the file) was completed last; row 8 is the earlier response.
    assert duplicate.source_row == 8 and "række 2)" in duplicate.reason
    kept = read_output(tmp_path / "out" / "responses.csv").query(
        f"kommune == '{RESPONSES[0]['kommune']}'")
    assert kept["source_row"].tolist() == [2]
    assert kept["tilfreds_fysisk"].tolist() == ["Meget utilfreds"]


def test_an_export_without_status_columns_counts_every_row_and_says_so(tmp_path):
    completed_and_partial = [r for r in RESPONSES if r["status"] in ("Gennemført",
                                                                     "Nogle svar")]
    surveyxact_year(tmp_path / "surveys", answers=completed_and_partial, status=False)
    result = run_ok(tmp_path / "surveys", tmp_path / "out")
    quality = read_output(tmp_path / "out" / "quality.csv").set_index("scope")
    assert quality.at["national", "status_columns"] == "no"
    assert quality["not_completed"].isna().all()  # unknown, not zero
    # Every row counted: the two half-answered responses too.
    assert quality.at["national", "municipalities_answering"] == len(COMPLETED) - 1 + 2
    assert "ingen statuskolonner" in result.output
    check = run_cli("check", "--surveys", str(tmp_path / "surveys"), "--targets", str(TARGETS))
    assert check.exit_code == 0 and "ingen statuskolonner" in check.output


def test_a_year_of_plain_exports_says_nothing_about_status(plain_output):
    quality = read_output(plain_output / "quality.csv")
    assert (quality["status_columns"] == "").all() and quality["not_completed"].isna().all()


# --- The municipality ---------------------------------------------------------------------

@pytest.mark.parametrize("form", ["closed", "background-code", "background-typed-closed"])
def test_the_municipality_as_a_closed_question_or_a_code(form, tmp_path, plain_output):
    """Also as real exports have a background variable: typed as a closed question with
    no labels at all (its codes are the municipalities' own)."""
    if form == "closed":
        names = list(REF.kommuner["navn"])
        kommune = Question("s_0", "Hvilken kommune svarer I for?", tuple(names),
                           tuple(str(100 + i) for i in range(len(names))))
        answers = [{**r, "s_0": r["kommune"]} if r["status"] in ("Gennemført", "Nogle svar")
                   else {k: v for k, v in r.items() if k != "kommune"} for r in RESPONSES]
    else:
        kommune = Question("kommune", "Kommunenummer", kind="background")
        code = REF.kommuner.set_index("navn")["kode"]
        answers = [{**r, "kommune": str(code[r["kommune"]])} for r in RESPONSES]
    layout = "csv-utf8" if form == "background-typed-closed" else "xlsx"
    folder = surveyxact_year(tmp_path / "surveys", [kommune, *QUESTIONS[1:]], answers,
                             layout=layout)
    if layout == "csv-utf8":
        structure = folder / "structure.csv"
        text = structure.read_text(encoding="utf-8")
        assert "kommune;kommune;Open;String;" in text
        structure.write_text(text.replace("kommune;kommune;Open;String;",
                                          "kommune;kommune;Closed;Single;"), encoding="utf-8")
    rows = read_csv_rows(folder / "codebook.csv")
    rows[0]["column"] = kommune.text
    write_rows(folder / "codebook.csv", [["column", "key"],
                                         *([r["column"], r["key"]] for r in rows)])
    run_ok(tmp_path / "surveys", tmp_path / "out")
    for name in FIGURES:
        assert (tmp_path / "out" / name).read_bytes() == (plain_output / name).read_bytes(), name
    if form == "closed":  # its Labels has the 98 municipalities as answers
        book = load_workbook(folder / "surveyxact.xlsx", read_only=True)
        assert sum(1 for r in book["Labels"].iter_rows(values_only=True) if r[0] == "s_0") == 98


# --- Errors stop the run, name the place, and change nothing -------------------------------

@pytest.fixture
def previous(tmp_path) -> Path:
    """A good earlier run whose outputs a failed run must leave alone."""
    surveyxact_year(tmp_path / "good")
    run_ok(tmp_path / "good", tmp_path / "out")
    return tmp_path / "out"


def refused(surveys: Path, out: Path) -> str:
    before = snapshot(out)
    result = run_pipeline(surveys, out)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "Gør sådan:" in result.output
    assert snapshot(out) == before
    return " ".join(result.output.split())


def test_a_code_without_a_label_stops_the_run(tmp_path, previous):
    folder = surveyxact_year(tmp_path / "surveys", layout="csv-utf8")
    labels = folder / "labels.csv"
    labels.write_text("\n".join(line for line in labels.read_text(encoding="utf-8").split("\n")
                                if not line.startswith("s_1;2;")), encoding="utf-8")
    row = next(2 + i for i, r in enumerate(RESPONSES) if r.get("s_1") == "Tilfreds")
    text = refused(tmp_path / "surveys", previous)
    assert (f'{folder / "dataset.csv"}, række {row}, kolonne "{QUESTIONS[1].text}", '
            'værdi "2": Svarkoden står ikke i eksportens Labels') in text
    assert "value_labels" in text


def test_a_codebook_variable_missing_from_dataset_stops_the_run(tmp_path, previous):
    folder = surveyxact_year(tmp_path / "surveys")
    rows = read_csv_rows(folder / "codebook.csv")
    wrong = QUESTIONS[1].text.replace("samlet set ", "")
    rows[1]["column"] = wrong
    write_rows(folder / "codebook.csv", [["column", "key"],
                                         *([r["column"], r["key"]] for r in rows)])
    text = refused(tmp_path / "surveys", previous)
    assert f'kolonne "{wrong}"' in text
    assert "findes ikke i SurveyXact-eksporten" in text
    assert f'tættest: "{QUESTIONS[1].text}"' in text


@pytest.mark.parametrize("layout", ["xlsx", "csv-utf16-tab"])
def test_a_missing_table_stops_the_run(layout, tmp_path, previous):
    folder = surveyxact_year(tmp_path / "surveys", layout=layout)
    if layout == "xlsx":
        book = load_workbook(folder / "surveyxact.xlsx")
        del book["Labels"]
        book.save(folder / "surveyxact.xlsx")
    else:
        (folder / "labels.csv").unlink()
    text = refused(tmp_path / "surveys", previous)
    assert "SurveyXact-eksporten er ikke komplet" in text
    assert ('arket "Labels" mangler' if layout == "xlsx" else "labels.csv mangler") in text


def test_personal_data_of_a_surveyxact_export_reaches_no_output(tmp_path):
    surveyxact_year(tmp_path / "surveys")
    run_ok(tmp_path / "surveys", tmp_path / "out")
    secrets = [SECRET, *(str(r["email"]) for r in RESPONSES),
               *(str(r["name"]) for r in RESPONSES if "name" in r)]
    for path in (tmp_path / "out").iterdir():
        text = path.read_text(encoding="utf-8")
        assert not [s for s in secrets if s in text], path.name


# --- add-year and check -------------------------------------------------------------------

@pytest.fixture
def earlier(tmp_path) -> Path:
    """Two earlier years: 2023 a plain export with two questions worded otherwise, and
    2022 a SurveyXact export whose codebook names variables (s_1) rather than texts: the
    only place the two questions' wording is found is that export's Structure."""
    surveys = tmp_path / "surveys"
    plain = plain_year(surveys, dated(COMPLETED, 2023),
                       texts={q.text: f"{q.text} (2023)" for q in QUESTIONS[1:3]})
    plain.rename(surveys / "2023")
    folder = surveys / "2022"
    write_surveyxact(folder, QUESTIONS, dated(COMPLETED, 2022), layout="csv-cp1252-comma")
    write_rows(folder / "codebook.csv", codebook_rows("name"))
    return surveys


@pytest.mark.parametrize("given", ["xlsx", pytest.param("csv-files", marks=pytest.mark.slow),
                                   "csv-folder"])
def test_add_year_proposes_the_codebook_from_the_question_texts(given, earlier, tmp_path):
    source = tmp_path / "download"
    layout = "xlsx" if given == "xlsx" else "csv-utf16-tab"
    files = write_surveyxact(source, QUESTIONS, RESPONSES, layout=layout)
    args = [str(source)] if given == "csv-folder" else [str(p) for p in files]
    result = run_cli("add-year", "2024", *args, "--surveys", str(earlier))
    assert result.exit_code == 0, result.output
    folder = earlier / "2024"
    assert {p.name for p in folder.iterdir()} == {p.name for p in files} | {"codebook.csv"}
    rows = {r["column"]: r for r in read_csv_rows(folder / "codebook.csv")}
    # Every question found by its text: exactly as in 2023 (plain) ...
    for q in QUESTIONS[3:-1]:
        assert rows[q.text]["key"] == KEY_OF[q.text] and rows[q.text]["confirmed"] == "ja"
    # ... and the two worded as in 2022 only, through that year's variable names.
    for q in QUESTIONS[1:3]:
        assert rows[q.text]["key"] == KEY_OF[q.text], rows[q.text]
        assert rows[q.text]["match"] == "exact" and rows[q.text]["confirmed"] == "ja"
    # E-mails, names and the comment are listed, never read; SurveyXact's own variables
    # (statuses, respondent id, closetime) are no questions.
    assert rows["email"]["key"] == rows["name"]["key"] == rows[COMMENT.text]["key"] == ""
    assert not [c for c in rows if c.startswith(("statoverall", "respondentid", "closetime"))]
    text = " ".join(result.output.split())
    assert f"{len(RESPONSES)} besvarelser, hvoraf {len(COMPLETED)} er gennemført" in text
    assert "2 Nogle svar" in text and "closetime" in text
    assert "Spørgsmål uden kolonne" not in text  # besvaret is closetime
    confirmed = run_cli("confirm-codebook", "2024", "--surveys", str(earlier))
    assert confirmed.exit_code == 0, confirmed.output
    assert "besvaret" not in confirmed.output  # closetime is the time: nothing missing
    check = run_cli("check", "--surveys", str(earlier), "--targets", str(TARGETS), "--year",
                    "2024")
    assert check.exit_code == 0, check.output
    flat = " ".join(check.output.split())
    assert f"Ikke gennemført: {len(NOT_COMPLETED)} besvarelser i SurveyXact-eksporten" in flat
    assert "Nogle svar (2): " in flat
    # No column of the export left unmentioned by the codebook, but the system variables.
    assert "som kodebogen ikke nævner" not in flat


def test_add_year_refuses_an_incomplete_or_mixed_set_and_writes_nothing(earlier, tmp_path):
    source = tmp_path / "download"
    files = write_surveyxact(source, QUESTIONS, RESPONSES, layout="csv-cp1252-semicolon")
    before = tree(earlier)
    partial = run_cli("add-year", "2024", str(files[0]), str(files[1]), "--surveys",
                      str(earlier))
    assert partial.exit_code == 1 and "labels.csv mangler" in partial.output
    other = write_xlsx(tmp_path / "other.xlsx", [["Kommune"], ["Aarhus"]])
    mixed = run_cli("add-year", "2024", str(files[0]), str(other), "--surveys", str(earlier))
    assert mixed.exit_code == 1 and "ikke én SurveyXact-eksport" in mixed.output
    assert tree(earlier) == before


def test_check_names_a_short_label_problem_as_run_does(tmp_path):
    folder = surveyxact_year(tmp_path / "surveys", layout="csv-cp1252-comma")
    labels = folder / "labels.csv"
    kept = [line for line in labels.read_bytes().split(b"\n") if not line.startswith(b'"s_3",')]
    labels.write_bytes(b"\n".join(kept))
    check = run_cli("check", "--surveys", str(tmp_path / "surveys"), "--targets", str(TARGETS))
    assert check.exit_code == 1
    assert "Svarkoden har ingen tekst" in " ".join(check.output.split())


def test_unlisted_questions_are_named_by_variable_and_text(tmp_path):
    folder = surveyxact_year(tmp_path / "surveys")
    rows = read_csv_rows(folder / "codebook.csv")
    write_rows(folder / "codebook.csv", [["column", "key"], *([r["column"], r["key"]]
                                                              for r in rows[:-1])])
    check = run_cli("check", "--surveys", str(tmp_path / "surveys"), "--targets", str(TARGETS))
    assert check.exit_code == 0, check.output
    assert f'"{COMMENT.variable} ({COMMENT.text})"' in check.output


def test_short_names_of_system_variables_are_no_questions():
    assert [short_name(n) for n in ("statoverall_4", "closetime")] == ["stato_4", "closetim"]
    from pipeline.read.surveyxact import is_system_variable
    assert all(is_system_variable(n) for n in ("stato_4", "closetim", "respondentid",
                                               "statoverall_1", "responde", "statinternal_3"))
    assert not any(is_system_variable(n) for n in ("s_1", "email", "kommune", "status"))


def test_the_writer_labels_0_and_1_as_surveyxact_does(tmp_path):
    (book,) = write_surveyxact(tmp_path, QUESTIONS[:2], COMPLETED[:2])
    labels = list(load_workbook(book, read_only=True)["Labels"].iter_rows(values_only=True))
    assert ("statoverall_4", 1, "Valgt") in labels and ("s_1", 9, "Ved ikke") in labels
    buffer = io.StringIO()
    csv.writer(buffer).writerow(labels[0])
    assert buffer.getvalue().count(",") == 2  # Labels has no header: three fields a row
