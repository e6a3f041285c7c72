"""Input safety (issue 13) beyond the corpus: one rule for which files are inputs, shared
by run and the freshness check; broken manifests; unreadable files; the confirmation of a
codebook row that means something else this year; field periods; invisible characters;
encodings. The corpus (tests/corpus/) holds a case per class as a user meets it."""

from __future__ import annotations

import json
import os
import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from helpers import (
    REPO,
    copy_demo,
    read_csv_rows,
    run_cli,
    run_pipeline,
    snapshot,
    write_csv,
    write_year,
)
from streamlit.testing.v1 import AppTest

from pipeline.errors import Problem
from pipeline.field_period import FieldPeriod, YearTimes, default_period, field_period_problems
from pipeline.invisible import describe_hidden, skeleton, visible
from pipeline.outputs.read import OutputUnavailable, load_outputs, read_output, stale_inputs
from pipeline.read.listing import list_inputs
from pipeline.read.tables import read_table

CORPUS = Path(__file__).parent / "corpus"


# ------------------------------------------------------- one rule for which files are inputs


@pytest.fixture
def demo_run(tmp_path) -> tuple[Path, Path]:
    surveys = copy_demo(tmp_path)
    out = tmp_path / "output"
    assert run_pipeline(surveys, out).exit_code == 0
    return surveys, out


def stale(out: Path) -> list[str]:
    return stale_inputs(load_outputs(out).manifest)


def test_the_freshness_check_follows_the_run_on_archives_hidden_files_and_suffixes(demo_run):
    surveys, out = demo_run
    assert stale(out) == []
    archive = surveys / "2024" / "erstattet" / "2025-01-02_101500"
    archive.mkdir(parents=True)
    shutil.copy(surveys / "2024" / "codebook.csv", archive / "codebook.csv")
    (archive / "gammel.csv").write_text("Kommune\nOdense\n", encoding="utf-8")
    (surveys / ".2025.incoming").mkdir()
    (surveys / ".2025.incoming" / "x.csv").write_text("a\n", encoding="utf-8")
    (surveys / "2024" / "~$besvarelser_2024.xlsx").write_bytes(b"lock")
    assert stale(out) == []  # none of these is an input for run either
    (surveys / "2024" / "sene.CSV").write_bytes((surveys / "2024" / "sene_besvarelser_2024.csv")
                                                .read_bytes().replace(b"2024-03-2", b"2024-03-1"))
    changed = stale(out)
    assert len(changed) == 1 and changed[0].endswith("/2024/sene.CSV (ny)"), changed


def test_new_exports_are_noticed_under_a_project_in_a_dot_folder(tmp_path, monkeypatch):
    project = tmp_path / ".lokal" / "projekt"
    surveys = copy_demo(project)
    monkeypatch.chdir(project)
    assert run_pipeline(Path("surveys"), Path("output")).exit_code == 0
    assert stale(Path("output")) == []
    shutil.copy(surveys / "2024" / "codebook.csv", surveys / "2024" / "kopi.csv")
    assert stale(Path("output")) == ["surveys/2024/kopi.csv (ny)"]


@pytest.mark.slow
def test_a_broken_link_or_a_new_folder_of_exports_makes_the_outputs_stale(demo_run):
    surveys, out = demo_run
    os.symlink("findes-ikke.csv", surveys / "2023" / "link.csv")
    changed = stale(out)
    assert len(changed) == 1 and "link.csv" in changed[0] and "genvej" in changed[0]
    (surveys / "2023" / "link.csv").unlink()
    (surveys / "2023" / "sene").mkdir()
    (surveys / "2023" / "sene" / "x.csv").write_text("a\n", encoding="utf-8")
    assert "undermapper læses ikke" in stale(out)[0]


def test_the_listing_decides_for_add_year_too(tmp_path):
    surveys = copy_demo(tmp_path)
    (surveys / "2024" / "codebook.csv").rename(surveys / "2024" / "Codebook.csv")
    listing = list_inputs(surveys)
    assert [y.codebook.name for y in listing.years] == ["codebook.csv"] * 3 + ["Codebook.csv"]
    assert not listing.problems
    (surveys / "2024" / "codebook.csv").write_bytes(
        (surveys / "2024" / "Codebook.csv").read_bytes())
    assert [p.code for p in list_inputs(surveys).problems] == ["surveys.codebook_twice"]


# ------------------------------------------------------------ manifests that cannot be read


@pytest.mark.parametrize("content", [
    None,  # cut off half-way
    b"not json at all",
    b"\xff\xfe\x00garbage",
    b"[]",
    b'{"outputs": "indicators.csv"}',
    b'{"outputs": [], "inputs": [], "parameters": {"surveys": 1}}',
], ids=["truncated", "not-json", "not-utf8", "a-list", "outputs-not-a-list", "wrong-types"])
def test_report_and_reader_refuse_a_manifest_they_cannot_trust(tmp_path, demo_output, content):
    out = tmp_path / "out"
    shutil.copytree(demo_output, out)
    manifest = (out / "manifest.json").read_bytes()
    (out / "manifest.json").write_bytes(manifest[:len(manifest) // 2] if content is None
                                        else content)
    with pytest.raises(OutputUnavailable, match="manifest.json"):
        load_outputs(out)
    before = snapshot(out)
    result = run_cli("report", "--out", str(out))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "Uventet fejl" not in result.output
    assert "Gør sådan:" in result.output and "manifest.json" in result.output
    assert snapshot(out) == before


def test_the_dashboard_shows_why_when_the_manifest_is_cut_off(tmp_path, demo_output,
                                                              monkeypatch):
    out = tmp_path / "out"
    shutil.copytree(demo_output, out)
    (out / "manifest.json").write_text('{"tool": "maalopfyldelse", "outp', encoding="utf-8")
    monkeypatch.setenv("MAALOPFYLDELSE_OUTPUT", str(out))
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60).run()
    assert not at.exception, at.exception
    assert "manifest.json" in at.error[0].value and "kan ikke læses" in at.error[0].value
    assert "python -m pipeline run" in at.code[0].value


# ---------------------------------------------------------------- files that cannot be read


def test_an_unreadable_export_or_folder_is_a_message_not_a_crash(tmp_path, monkeypatch,
                                                                previous_output):
    root = tmp_path / "surveys"
    export = write_year(root, 2024, [{"kommune": "Odense", "besvaret": "2024-03-01",
                                      "tilfreds_fysisk": "Tilfreds"}])
    real_read = Path.read_bytes

    def no_access(self: Path) -> bytes:
        if self.name == export.name:
            raise PermissionError(13, "Permission denied")
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", no_access)
    before = snapshot(previous_output)
    result = run_pipeline(root, previous_output)
    assert result.exit_code == 1 and "kan ikke læses (Permission denied)" in result.output
    assert export.name in result.output and "Gør sådan" in result.output
    assert snapshot(previous_output) == before
    monkeypatch.undo()
    real_iterdir = Path.iterdir

    def locked_folder(self: Path):
        if self.name == "2024":
            raise PermissionError(13, "Permission denied")
        return real_iterdir(self)

    monkeypatch.setattr(Path, "iterdir", locked_folder)
    result = run_pipeline(root, previous_output)
    assert result.exit_code == 1 and "2024: Filen eller mappen kan ikke læses" in result.output


def test_a_codebook_that_is_a_folder_and_an_export_that_vanished(tmp_path, previous_output):
    root = tmp_path / "surveys"
    write_year(root, 2024, [{"kommune": "Odense", "tilfreds_fysisk": "Tilfreds"}])
    (root / "2024" / "codebook.csv").unlink()
    (root / "2024" / "codebook.csv").mkdir()
    result = run_pipeline(root, previous_output)
    assert result.exit_code == 1 and "har ingen codebook.csv" in result.output


def test_add_year_and_confirm_codebook_refuse_unreadable_files(tmp_path, monkeypatch):
    surveys = copy_demo(tmp_path)
    export = tmp_path / "ny.csv"
    export.write_text("Kommune\nOdense\n", encoding="utf-8")
    real_read = Path.read_bytes

    def no_access(self: Path) -> bytes:
        if self.name in ("ny.csv", "codebook.csv") and "2024" not in str(self.parent):
            raise PermissionError(13, "Permission denied")
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", no_access)
    added = run_cli("add-year", "2025", str(export), "--surveys", str(surveys))
    assert added.exit_code == 1 and "kan ikke læses" in added.output, added.output
    confirmed = run_cli("confirm-codebook", "2023", "--surveys", str(surveys))
    assert confirmed.exit_code == 1 and "kan ikke læses" in confirmed.output


# ---------------------------------------------- a header that means something else this year


def test_a_contradiction_is_refused_until_confirmed_row_by_row(tmp_path):
    case = tmp_path / "case"
    shutil.copytree(CORPUS / "codebook-swapped-across-years", case, symlinks=True,
                    ignore=shutil.ignore_patterns("expected*"))
    surveys = case / "surveys"
    check = run_cli("check", "--surveys", str(surveys))
    assert check.exit_code == 1 and check.output.count("confirm-codebook 2024") >= 2
    row = run_cli("confirm-codebook", "2024", "--surveys", str(surveys), "--row", "6",
                  "--new-meaning")
    assert row.exit_code == 0, row.output
    assert run_cli("check", "--surveys", str(surveys)).exit_code == 1  # row 7 still open
    assert run_cli("confirm-codebook", "2024", "--surveys", str(surveys), "--row", "7",
                   "--new-meaning").exit_code == 0
    assert run_cli("confirm-codebook", "2024", "--surveys", str(surveys)).exit_code == 0
    marks = {r["column"]: r["confirmed"] for r in
             read_csv_rows(surveys / "2024" / "codebook.csv")}
    assert [m for m in marks.values() if m != "ja"] == ["ny betydning", "ny betydning"]
    out = tmp_path / "out"
    assert run_pipeline(surveys, out).exit_code == 0
    counts = read_output(out / "indicators.csv").query("scope == 'national' and year == 2024")
    fys = counts.set_index("indicator_id").loc["MO-FYS"]
    assert fys["n_positive"] == 1  # the 2024 codebook's reading: digital answers as MO-FYS


def test_new_meaning_needs_a_row():
    result = run_cli("confirm-codebook", "2024", "--new-meaning")
    assert result.exit_code == 1 and "--row" in result.output


# ------------------------------------------------------------------------- field periods


def times(*stamps: str) -> pd.DataFrame:
    return pd.DataFrame({"source_file": "x.csv", "source_row": range(2, len(stamps) + 2),
                         "besvaret": pd.to_datetime(list(stamps), format="mixed")})


def codes(problems: list[Problem]) -> list[tuple[str, str | None]]:
    return [(p.code, p.message.split(" er dateret")[0]) for p in problems]


def test_the_default_field_period_runs_from_the_year_to_the_next_summer():
    period = default_period(2024)
    assert (period.start, period.end) == (date(2024, 1, 1), date(2025, 6, 30))
    ok = YearTimes(2024, period, times("2024-01-01 00:00", "2025-06-30 23:59"))
    assert field_period_problems([ok]) == []
    early = YearTimes(2024, period, times("2023-12-31 23:59", "2024-03-01", "2025-07-01"))
    assert codes(field_period_problems([early])) == [
        ("response.outside_field_period", "Rækkerne 2, 4")]


def test_the_year_whose_span_holds_the_others_is_the_one_with_foreign_rows():
    y2023 = YearTimes(2023, default_period(2023), times("2024-01-05", "2024-01-20"))
    y2024 = YearTimes(2024, default_period(2024), times("2024-01-05", "2024-01-20",
                                                        "2025-01-10"))
    problems = field_period_problems([y2023, y2024])
    assert [p.code for p in problems] == ["response.in_other_years_period"]
    assert "til 2023" in problems[0].message and "Rækkerne 2–3 " in problems[0].message
    same = YearTimes(2024, default_period(2024), times("2024-01-05", "2024-01-20"))
    assert len(field_period_problems([y2023, same])) == 2  # the same period: both named


def test_a_year_answered_in_another_calendar_year_than_all_others_is_refused():
    in_year = [YearTimes(y, default_period(y), times(f"{y}-03-01", f"{y}-03-20"))
               for y in (2021, 2022)]
    late = YearTimes(2023, default_period(2023), times("2024-03-01", "2024-03-02"))
    assert [p.code for p in field_period_problems([*in_year, late])] == [
        "response.off_schedule"]
    stragglers = YearTimes(2023, default_period(2023), times("2023-11-20", "2024-01-03"))
    assert field_period_problems([*in_year, stragglers]) == []  # mostly in its year: fine
    assert field_period_problems([in_year[0], late]) == []  # one other year sets no habit
    stated = YearTimes(2023, FieldPeriod(date(2024, 3, 1), date(2024, 3, 31), "p.csv"),
                       late.dated)
    assert field_period_problems([*in_year, stated]) == []  # the analyst said so


def test_stated_periods_may_not_overlap_and_bind_the_rows():
    stated = FieldPeriod(date(2024, 1, 1), date(2024, 2, 28), "2023/periode.csv")
    y2023 = YearTimes(2023, stated, times("2024-01-05"))
    y2024 = YearTimes(2024, FieldPeriod(date(2024, 2, 1), date(2024, 4, 1), "2024/periode.csv"),
                      times("2024-03-05"))
    assert [p.code for p in field_period_problems([y2023, y2024])] == ["period.overlap"]


@pytest.mark.parametrize("content, code", [
    ("start,end\n2024-03-31,2024-03-01\n", "period.end_before_start"),
    ("start,end\n1. marts,2024-03-31\n", "period.date_unreadable"),
    ("fra,til\n2024-03-01,2024-03-31\n", "period.columns_missing"),
    ("start,end\n2024-03-01,2024-03-31\n2024-04-01,2024-04-30\n", "period.rows"),
    ("start,end\n2022-03-01,2022-03-31\n", "period.wrong_year"),
])
def test_a_periode_file_that_cannot_be_read_is_refused(tmp_path, content, code,
                                                       previous_output):
    root = tmp_path / "surveys"
    write_year(root, 2024, [{"kommune": "Odense", "besvaret": "2024-03-02",
                             "tilfreds_fysisk": "Tilfreds"}])
    (root / "2024" / "periode.csv").write_text(content, encoding="utf-8")
    before = snapshot(previous_output)
    result = run_pipeline(root, previous_output)
    assert result.exit_code == 1 and "periode.csv" in result.output and "Gør sådan" in \
        result.output
    assert snapshot(previous_output) == before
    from pipeline.read.period import read_field_period
    with pytest.raises(Exception) as caught:
        read_field_period(root / "2024" / "periode.csv",
                          (root / "2024" / "periode.csv").read_bytes(), 2024)
    assert caught.value.problems[0].code == code


# ------------------------------------------------------------------ invisible characters


@pytest.mark.parametrize("text, named", [
    ("Tilfreds\u200b", 'usynligt tegn (U+200B, nulbredde-mellemrum) efter "Tilfreds"'),
    ("\ufeffKommune", 'usynligt tegn (U+FEFF, byte-markering (BOM)) før "Kommune"'),
    ("I høj gr\u00adad", "U+00AD, blød bindestreg"),
    ("Ho\u0338je-Taastrup", "kombinerende tegn (U+0338"),
    ("\u0410arhus", 'kyrillisk bogstav "А" (U+0410)'),
    ("Tilfreds\u2060", "U+2060"),
])
def test_invisible_differences_are_named(text, named):
    assert named in describe_hidden(text)
    assert "⟨U+" in visible(text)


@pytest.mark.parametrize("text", ["Tårnby", "Høje-Taastrup", "I høj grad\u00a0", "Ærø",
                                  "Ta\u030arnby", "Μόσχα"])
def test_ordinary_text_has_nothing_hidden(text):
    """Spaces of every kind are read as spaces, decomposed letters are joined by NFC, and
    a text wholly in another alphabet is no lookalike."""
    assert describe_hidden(text) == ""


def test_lookalikes_share_a_skeleton_with_the_valid_text():
    assert skeleton("Ho\u0338je-Taastrup") == skeleton("Høje-Taastrup")
    assert skeleton("\u0410arhus") == skeleton("Aarhus")
    assert skeleton("Tarnby") != skeleton("Tårnby")


def test_a_problem_names_the_invisible_character_in_its_value():
    text = Problem("Svaret findes ikke.", "Ret svaret.", file="x.csv", row=3, column="q",
                   value="Tilfreds\u200b", code="response.answer_off_scale").format()
    assert 'værdi "Tilfreds⟨U+200B⟩"' in text and "U+200B" in text and "forfra" in text


# ------------------------------------------------------------------------------ encodings


def test_a_windows_1252_file_with_one_pasted_utf8_word_is_read_as_windows_1252(tmp_path):
    """More Windows-1252 bytes than UTF-8 letters: the file is Windows-1252 (the pasted word
    then reads as mis-decoded text, which the answer checks name)."""
    path = tmp_path / "x.csv"
    path.write_bytes("Kommune;Svar\nTårnby;Ærø\nHøje-Taastrup;ok\n".encode("cp1252")
                     + "Odense;æ\n".encode())
    table = read_table(path)
    assert table.encoding == "cp1252"
    assert table.cells["Kommune"].tolist() == ["Tårnby", "Høje-Taastrup", "Odense"]


def test_a_stray_byte_is_named_with_its_excel_row_after_a_multiline_cell(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes("Kommune;Kommentar\nOdense;\"to\nlinjer\"\nTårnby;ø\n".encode()
                     .replace("Tårnby".encode(), "Tårnby".encode("cp1252")))
    with pytest.raises(Exception) as caught:
        read_table(path)
    problem = caught.value.problems[0]
    assert (problem.code, problem.row, problem.column) == ("csv.encoding_stray_byte", 3,
                                                           "Kommune")
    assert "0xE5" in problem.message and problem.value == "T⟨0xE5⟩rnby"


def test_a_cr_only_codebook_keeps_its_line_endings_when_confirmed(tmp_path):
    root = tmp_path / "surveys"
    write_year(root, 2024, [{"kommune": "Odense", "tilfreds_fysisk": "Tilfreds"}])
    codebook = root / "2024" / "codebook.csv"
    codebook.write_bytes(codebook.read_bytes().replace(b"\r\n", b"\r").replace(b"\n", b"\r"))
    assert run_cli("confirm-codebook", "2024", "--surveys", str(root)).exit_code == 0
    data = codebook.read_bytes()
    assert b"\n" not in data and data.count(b"\r") > 10 and b",ja\r" in data


# ------------------------------------------------------------------- licence comparisons


def test_a_licence_note_names_the_licences_compared_once(tmp_path):
    root = tmp_path / "surveys"
    write_year(root, 2024, [{"kommune": "Odense", "besvaret": "2024-03-01",
                             "tilfreds_fysisk": "Tilfreds"}])
    write_csv(root / "national_figures.csv", [
        ["year", "measure", "licence", "value", "source"],
        [2023, "licence_use", "eReolen", 100, "x"], [2023, "licence_users", "eReolen", 10, "x"],
        [2023, "licence_use", "Filmstriben", 50, "x"],
        [2023, "licence_users", "Filmstriben", 5, "x"],
        [2024, "licence_use", "EREOLEN", 120, "x"], [2024, "licence_users", "ereolen", 11, "x"],
        [2024, "licence_use", "Podimo", 50, "x"], [2024, "licence_users", "Podimo", 5, "x"]],
        ",")
    assert run_pipeline(root, tmp_path / "o").exit_code == 0
    row = read_output(tmp_path / "o" / "indicators.csv").query(
        "indicator_id == 'MO-LIC-BRUG' and year == 2024").iloc[0]
    assert row.note.count("Sammenlignet over licenser med tal begge år: eReolen;") == 1
    assert row.note.count("udeladt: Podimo (ny i 2024), Filmstriben (ikke opgjort i 2024)") == 1
    assert row.value == 120 and row.prev_value == 100  # eReolen 100 -> EREOLEN 120


def test_run_summary_lists_empty_responses(tmp_path, previous_output):
    root = tmp_path / "surveys"
    write_year(root, 2024, [
        {"kommune": "Odense", "besvaret": "2024-03-01 10:00", "tilfreds_fysisk": "Tilfreds"},
        {"kommune": "Odense", "besvaret": "2024-03-09 10:00"},
        {"kommune": "Vejle"}])
    result = run_pipeline(root, previous_output)
    assert result.exit_code == 0, result.output
    assert "1 af 98 kommuner svarede" in result.output and "2 rækker udeladt" in result.output
    excluded = read_output(previous_output / "excluded_rows.csv")
    assert excluded["reason_code"].tolist() == ["no_answers", "no_answers"]
    quality = read_output(previous_output / "quality.csv").query("scope == 'national'")
    assert "Vejle" in quality["municipalities_missing"].iloc[0]
    responses = read_output(previous_output / "responses.csv")
    assert responses["source_row"].tolist() == [2]  # the full answer, not the later empty one
    assert json.loads((previous_output / "manifest.json").read_text())["years"] == [2024]
