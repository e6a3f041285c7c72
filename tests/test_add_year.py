"""Bringing in a new year: add-year copies the export and proposes its codebook from the
earlier years' headers; guesses must be confirmed (confirm-codebook) before run will use
them; bad input is refused with a Danish message and changes nothing on disk."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import (
    copy_demo,
    read_csv_rows,
    reworded_export,
    run_cli,
    run_pipeline,
    tree,
    write_csv,
)

from pipeline.intake.codebook_match import (
    CLOSE,
    EXACT,
    NONE,
    KnownHeader,
    Proposal,
    attach_value_labels,
    label_codes,
    numeric_codes,
    propose,
    similarity,
)
from pipeline.outputs.read import read_output

FYSISK_2024 = ("Hvor tilfredse er I samlet set med den fysiske del af materialeoverbygningen "
               "(fjernlån m.m.)?")
TYDELIGHED_2024 = "I hvilken grad er der tydelighed omkring det samlede tilbud?"
DELTOG_KULTUR_2024 = "Har I deltaget aktivt - Kultur for alle"
VAESEN_2024 = ("I hvilken grad bidrager centralbibliotekerne til et mere sammenhængende "
               "biblioteksvæsen?")

# Three headers reworded as a survey tool's next version would: each close to last year's.
REWORDED = {
    FYSISK_2024: "Hvor tilfredse er I alt i alt med den fysiske del af materialeoverbygningen "
                 "(fjernlån mv.)?",
    TYDELIGHED_2024: "I hvilken grad oplever I tydelighed om det samlede tilbud?",
    DELTOG_KULTUR_2024: "Har biblioteket deltaget aktivt i Kultur for alle?",
}
# Reworded beyond recognition, and a comment column renamed: these must not be guessed.
REWRITTEN = {
    VAESEN_2024: "Styrker centralbibliotekerne sammenhængen i biblioteksvæsenet?",
    "Kommentar": "Øvrige bemærkninger",
}
KEYS_OF_REWORDED = {REWORDED[FYSISK_2024]: "tilfreds_fysisk",
                    REWORDED[TYDELIGHED_2024]: "tydelighed",
                    REWORDED[DELTOG_KULTUR_2024]: "deltog_kultur"}


def export_2025(surveys: Path, tmp_path: Path, renames: dict[str, str], **kw) -> Path:
    """The 2024 demo export, reworded and shuffled, saved outside the surveys folder."""
    return reworded_export(surveys / "2024" / "besvarelser_2024.xlsx",
                           tmp_path / "Overførsler" / "besvarelser_2025.xlsx", renames, **kw)


def add(surveys: Path, export: Path, *extra: str, year: str = "2025"):
    return run_cli("add-year", year, str(export), "--surveys", str(surveys), *extra)


def by_header(codebook: Path) -> dict[str, dict[str, str]]:
    return {r["column"]: r for r in read_csv_rows(codebook)}


@pytest.fixture
def surveys(tmp_path: Path) -> Path:
    return copy_demo(tmp_path)


# ------------------------------------------------------------------ the codebook proposal


def test_reworded_and_reordered_headers_give_the_right_codebook(surveys, tmp_path):
    export = export_2025(surveys, tmp_path, {**REWORDED, **REWRITTEN})
    result = add(surveys, export)
    assert result.exit_code == 0, result.output
    assert (surveys / "2025" / "besvarelser_2025.xlsx").read_bytes() == export.read_bytes()
    rows = read_csv_rows(surveys / "2025" / "codebook.csv")
    assert list(rows[0]) == ["column", "key", "value_labels", "match", "confirmed"]
    from openpyxl import load_workbook
    wb = load_workbook(export, read_only=True)
    export_headers = [c for c in next(wb.worksheets[0].iter_rows(values_only=True))]
    wb.close()
    assert [r["column"] for r in rows] == export_headers  # every header, in the export's order
    got = {r["column"]: r for r in rows}

    # Exact wording: last year's key, confirmed.
    old = by_header(surveys / "2024" / "codebook.csv")
    unchanged = set(old) - set(REWORDED) - set(REWRITTEN)
    assert len(unchanged) == 16
    for header in unchanged:
        assert (got[header]["key"], got[header]["match"], got[header]["confirmed"]) == \
            (old[header]["key"], "exact", "ja"), header

    # Close wording: the right key, the score, and left for the analyst to confirm.
    for header, key in KEYS_OF_REWORDED.items():
        assert got[header]["key"] == key
        assert got[header]["match"].startswith("close (0.")
        assert 0.75 <= float(got[header]["match"][7:11]) < 1
        assert got[header]["confirmed"] == ""

    # The rest: not read, not guessed, and said so.
    for header in REWRITTEN.values():
        assert (got[header]["key"], got[header]["match"], got[header]["confirmed"]) == \
            ("", "none", "")
    out = result.output
    assert "Spørgsmål uden kolonne i eksporten" in out and "sammenhaeng_vaesen" in out
    assert '"Øvrige bemærkninger"' in out and "Overskrifter uden match" in out
    assert "ligner mest sammenhaeng_vaesen (0,73)" in out
    assert "TJEK" in out and "tæt 0,93 (2024)" in out
    assert "python -m pipeline confirm-codebook 2025" in out
    assert "Traceback" not in out


def test_unconfirmed_rows_stop_run_and_check_saying_which(surveys, tmp_path):
    add(surveys, export_2025(surveys, tmp_path, REWORDED))
    rows = read_csv_rows(surveys / "2025" / "codebook.csv")
    row = next(i for i, r in enumerate(rows, start=2) if r["key"] == "tydelighed")
    for command in ("run", "check"):
        result = (run_pipeline(surveys, tmp_path / "out") if command == "run" else
                  run_cli("check", "--surveys", str(surveys)))
        assert result.exit_code == 1, result.output
        out = result.output
        assert "3 problemer" in out, out
        assert f"codebook.csv, række {row}" in out
        assert f'overskriften "{REWORDED[TYDELIGHED_2024]}"' in out
        assert 'nøglen "tydelighed"' in out and "close (0.88)" in out
        assert "confirm-codebook 2025" in out and f"--row {row} --key NØGLE" in out
        assert "Traceback" not in out
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_done_when_a_new_user_brings_in_2025(surveys, tmp_path):
    """The 2024 demo export with three headers reworded and the columns shuffled, brought in
    as 2025 and confirmed: run then gives 2025 figures identical to those of the same
    answers read through last year's codebook."""
    export = export_2025(surveys, tmp_path, REWORDED)
    assert add(surveys, export).exit_code == 0
    assert run_cli("check", "--surveys", str(surveys)).exit_code == 1  # not yet confirmed
    confirmed = run_cli("confirm-codebook", "2025", "--surveys", str(surveys))
    assert confirmed.exit_code == 0, confirmed.output
    assert "Bekræftet: række" in confirmed.output and "-> tydelighed" in confirmed.output
    assert {r["confirmed"] for r in read_csv_rows(surveys / "2025" / "codebook.csv")} == {"ja"}
    check = run_cli("check", "--surveys", str(surveys), "--year", "2025")
    assert check.exit_code == 0, check.output
    assert "Resultat: OK" in check.output and "88 af 98 svarede" in check.output
    result = run_pipeline(surveys, tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "2025: 88 af 98 kommuner svarede" in result.output

    # The same answers, read through 2024's own codebook and header order.
    twin = copy_demo(tmp_path / "twin")
    (twin / "2025").mkdir()
    reworded_export(twin / "2024" / "besvarelser_2024.xlsx", twin / "2025" / "b.xlsx", {})
    (twin / "2025" / "codebook.csv").write_bytes((twin / "2024" / "codebook.csv").read_bytes())
    assert run_pipeline(twin, tmp_path / "twin_out").exit_code == 0
    cols = ["indicator_id", "scope", "n_valid", "n_positive", "share", "ci_low", "ci_high"]
    ours = read_output(tmp_path / "out" / "indicators.csv").query("year == 2025")
    theirs = read_output(tmp_path / "twin_out" / "indicators.csv").query("year == 2025")
    national = ours.query("scope == 'national' and kind in ['survey_share', "
                          "'participant_share']")
    assert len(national) == 12 and (national["n_valid"] > 0).all()
    assert ours[cols].reset_index(drop=True).equals(theirs[cols].reset_index(drop=True))


@pytest.mark.slow
def test_confirm_one_row_with_another_key(surveys, tmp_path):
    add(surveys, export_2025(surveys, tmp_path, {**REWORDED, **REWRITTEN}))
    codebook = surveys / "2025" / "codebook.csv"
    rows = read_csv_rows(codebook)
    row = next(i for i, r in enumerate(rows, start=2) if r["column"] == REWRITTEN[VAESEN_2024])
    result = run_cli("confirm-codebook", "2025", "--surveys", str(surveys), "--row", str(row),
                     "--key", "sammenhaeng_vaesen")
    assert result.exit_code == 0, result.output
    assert "læses nu som sammenhaeng_vaesen (før: læses ikke)" in result.output
    assert "Mangler stadig bekræftelse" in result.output  # the three close matches
    fixed = by_header(codebook)[REWRITTEN[VAESEN_2024]]
    assert (fixed["key"], fixed["match"], fixed["confirmed"]) == \
        ("sammenhaeng_vaesen", "manual", "ja")
    assert run_cli("confirm-codebook", "2025", "--surveys", str(surveys)).exit_code == 0
    assert run_pipeline(surveys, tmp_path / "out").exit_code == 0
    ind = read_output(tmp_path / "out" / "indicators.csv")
    assert ind.query("indicator_id == 'TS-SAMMENH' and year == 2025 and scope == 'national'")[
        "n_valid"].iloc[0] > 0


@pytest.mark.parametrize("args, fragments", [
    (["--row", "{row}", "--key", "tilfreds_digital"],
     ["allerede koblet til række", '--key ""']),
    (["--row", "{row}", "--key", "tydlighed"], ["Mente du: tydelighed"]),
    (["--row", "99"], ["ingen række 99", "mellem 2 og 22"]),
    (["--key", "tydelighed"], ["ingen --row"]),
    (["--row", "{row}", "--value-labels", "1=Glad"], ['værdi "Glad"', "degree"]),
])
def test_confirm_codebook_refuses_bad_changes_and_writes_nothing(surveys, tmp_path, args,
                                                                 fragments):
    add(surveys, export_2025(surveys, tmp_path, REWORDED))
    codebook = surveys / "2025" / "codebook.csv"
    row = next(i for i, r in enumerate(read_csv_rows(codebook), start=2)
               if r["key"] == "tydelighed")
    before = codebook.read_bytes()
    result = run_cli("confirm-codebook", "2025", "--surveys", str(surveys),
                     *(a.format(row=row) for a in args))
    assert result.exit_code == 1, result.output
    for fragment in fragments:
        assert fragment in result.output, (fragment, result.output)
    assert "Traceback" not in result.output
    assert codebook.read_bytes() == before


@pytest.mark.slow
def test_confirm_codebook_keeps_an_old_codebook_confirmed(surveys, tmp_path):
    """A codebook without the confirmed column counts as confirmed; confirming one row
    must not leave the others unconfirmed."""
    result = run_cli("confirm-codebook", "2024", "--surveys", str(surveys), "--row", "3")
    assert result.exit_code == 0, result.output
    rows = read_csv_rows(surveys / "2024" / "codebook.csv")
    assert {r["confirmed"] for r in rows} == {"ja"}
    assert run_pipeline(surveys, tmp_path / "out").exit_code == 0


@pytest.mark.slow
def test_confirm_flag_accepts_every_proposal(surveys, tmp_path):
    result = add(surveys, export_2025(surveys, tmp_path, REWORDED), "--confirm")
    assert result.exit_code == 0, result.output
    assert "Alle rækker er bekræftet (--confirm)" in result.output
    assert {r["confirmed"] for r in read_csv_rows(surveys / "2025" / "codebook.csv")} == {"ja"}
    assert run_pipeline(surveys, tmp_path / "out").exit_code == 0


# ---------------------------------------------------------------------- numeric codes


CODES = {"Meget tilfreds": 1, "Tilfreds": 2, "Hverken tilfreds eller utilfreds": 3,
         "Utilfreds": 4, "Meget utilfreds": 5, "Ved ikke": 9}
DEGREE_CODES = {"I meget høj grad": 1, "I høj grad": 2, "I nogen grad": 3, "I mindre grad": 4,
                "Slet ikke": 5, "Ved ikke": 9}


@pytest.mark.slow
def test_value_labels_carry_over_where_codes_are_found_and_missing_ones_are_flagged(
        surveys, tmp_path):
    # 2024's codebook gains labels for the physical satisfaction question; 2025 exports
    # that question and tydelighed (which never had labels) as numeric codes.
    labels = "1=Meget tilfreds; 2=Tilfreds; 3=Hverken tilfreds eller utilfreds; 4=Utilfreds; " \
             "5=Meget utilfreds; 9=Ved ikke"
    old = read_csv_rows(surveys / "2024" / "codebook.csv")
    for r in old:
        if r["key"] == "tilfreds_fysisk":
            r["value_labels"] = labels
    write_csv(surveys / "2024" / "codebook.csv", [list(old[0]), *[list(r.values())
                                                                 for r in old]], ",")
    export = export_2025(surveys, tmp_path, {}, values={FYSISK_2024: CODES,
                                                        TYDELIGHED_2024: DEGREE_CODES})
    result = add(surveys, export)
    assert result.exit_code == 0, result.output
    got = by_header(surveys / "2025" / "codebook.csv")
    fysisk, tydelighed = got[FYSISK_2024], got[TYDELIGHED_2024]
    assert (fysisk["value_labels"], fysisk["confirmed"]) == (labels, "ja")
    assert fysisk["match"] == "exact; value_labels fra 2024"
    assert (tydelighed["value_labels"], tydelighed["confirmed"]) == ("", "")
    assert tydelighed["match"].startswith("exact; talkoder uden value_labels: 1, 2, 3")
    assert "Giv svarkoder for række" in result.output
    assert '--value-labels "1=I meget høj grad; 2=I høj grad' in result.output

    # Confirmed as is, the check says clearly that codes were found without labels.
    row = list(got).index(TYDELIGHED_2024) + 2
    assert run_cli("confirm-codebook", "2025", "--surveys", str(surveys)).exit_code == 0
    check = run_cli("check", "--surveys", str(surveys), "--year", "2025")
    assert check.exit_code == 1
    flat = " ".join(check.output.split())  # the report wraps long lines
    assert "Talkoder uden svarkoder (value_labels)" in flat
    assert f'kolonnen "{TYDELIGHED_2024}" (nøglen tydelighed, række {row} i' in flat
    assert "svar er talkoder (1, 2, 3, 4, 5, 9)" in flat

    # Given through confirm-codebook, with no editor, and run reads the codes.
    fix = run_cli("confirm-codebook", "2025", "--surveys", str(surveys), "--row", str(row),
                  "--value-labels", "; ".join(f"{c}={a}" for a, c in DEGREE_CODES.items()))
    assert fix.exit_code == 0, fix.output
    assert run_cli("check", "--surveys", str(surveys)).exit_code == 0
    assert run_pipeline(surveys, tmp_path / "out").exit_code == 0


# ------------------------------------------------------------------ bad input, --replace


def _header_only(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "x.csv", [["Kommune", "Q"]])


BAD = {
    "year not four digits": (lambda t, s: ["25", str(s / "2024" / "besvarelser_2024.xlsx")],
                             ["fire cifre", 'værdi "25"']),
    "file missing": (lambda t, s: ["2025", str(t / "nope.xlsx")], ["findes ikke"]),
    "a folder": (lambda t, s: ["2025", str(t)], ["er en mappe"]),
    "wrong extension": (lambda t, s: ["2025", str(write_csv(t / "x.txt", [["a"]]))],
                        ['".txt"', ".xlsx"]),
    "old .xls": (lambda t, s: ["2025", str(write_csv(t / "x.xls", [["a"]]))],
                 ['".xls"', "gem den som .xlsx"]),
    "corrupt xlsx": (lambda t, s: ["2025", str(_corrupt(t))], ["beskadiget"]),
    "header only": (lambda t, s: ["2025", str(_header_only(t))], ["ingen besvarelser"]),
    "year exists": (lambda t, s: ["2024", str(s / "2024" / "besvarelser_2024.xlsx")],
                    ["findes allerede", "--replace"]),
    "surveys folder missing": (lambda t, s: ["2025", str(s / "2024" / "besvarelser_2024.xlsx"),
                                             "--surveys", str(t / "ingen")],
                               ["Survey-mappen findes ikke"]),
}


def _corrupt(tmp_path: Path) -> Path:
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"PK\x03\x04broken")
    return path


@pytest.mark.parametrize("name", list(BAD))
def test_bad_input_is_refused_and_changes_nothing(name, surveys, tmp_path):
    build, fragments = BAD[name]
    args = build(tmp_path, surveys)
    before = tree(surveys)
    result = run_cli("add-year", *args, *([] if "--surveys" in args else
                                          ["--surveys", str(surveys)]))
    assert result.exit_code == 1, result.output
    assert "Gør sådan:" in result.output and "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.output, (fragment, result.output)
    assert tree(surveys) == before


@pytest.mark.slow
def test_replace_keeps_the_old_files_and_says_where(surveys, tmp_path):
    from datetime import datetime

    from pipeline.intake.add_year import add_year

    first = export_2025(surveys, tmp_path, REWORDED)
    assert add(surveys, first, "--confirm").exit_code == 0
    old_codebook = (surveys / "2025" / "codebook.csv").read_bytes()
    second = export_2025(surveys, tmp_path / "v2", REWORDED, seed=3)
    refused = add(surveys, second)
    assert refused.exit_code == 1 and "findes allerede" in refused.output
    result = run_cli("add-year", "2025", str(second), "--surveys", str(surveys), "--replace")
    assert result.exit_code == 0, result.output
    kept = list((surveys / "2025" / "erstattet").glob("*/*"))
    assert sorted(p.name for p in kept) == ["besvarelser_2025.xlsx", "codebook.csv"]
    assert next(p for p in kept if p.name == "codebook.csv").read_bytes() == old_codebook
    assert next(p for p in kept if p.suffix == ".xlsx").read_bytes() == first.read_bytes()
    assert (surveys / "2025" / "besvarelser_2025.xlsx").read_bytes() == second.read_bytes()
    assert "er gemt som" in result.output and "erstattet" in result.output
    # The replaced codebook's confirmations are reused: nothing left to confirm.
    assert {r["confirmed"] for r in read_csv_rows(surveys / "2025" / "codebook.csv")} == {"ja"}
    assert "den erstattede kodebog" in result.output
    assert run_pipeline(surveys, tmp_path / "out").exit_code == 0  # erstattet/ is not read

    # Two replacements in the same second would collide: the time is part of the folder.
    stamp = datetime(2025, 3, 1, 10, 15, 0)
    done = add_year(surveys, "2025", first, replace=True, now=stamp)
    assert done.backups[0][1].parent.name == "2025-03-01_101500"


@pytest.mark.slow
def test_an_export_already_in_the_year_folder_is_not_copied(surveys, tmp_path):
    folder = surveys / "2025"
    folder.mkdir()
    (folder / "b.xlsx").write_bytes(export_2025(surveys, tmp_path, {}).read_bytes())
    result = add(surveys, folder / "b.xlsx")
    assert result.exit_code == 0, result.output
    assert "ligger allerede i" in result.output
    assert sorted(p.name for p in folder.iterdir()) == ["b.xlsx", "codebook.csv"]


# ---------------------------------------------------------------- the matching, unit by unit


def known(header: str, key: str, source: str = "2024", priority: int = 0,
          labels: str = "") -> KnownHeader:
    return KnownHeader(header, key, source, priority, labels)


def test_exact_match_ignores_case_and_spaces_and_prefers_the_most_recent_year():
    [p] = propose(["  KOMMUNE  nr. "], [known("Kommune nr.", "kommune", "2024", 0),
                                       known("kommune NR.", "kommune", "2022", 2)])
    assert (p.key, p.method, p.confirmed, p.source.source) == ("kommune", EXACT, True, "2024")


def test_a_header_whose_key_differed_between_years_is_flagged():
    [p] = propose(["Q3"], [known("Q3", "tydelighed", "2024", 0),
                           known("Q3", "sammenhaeng_mo", "2022", 1)])
    assert p.key == "tydelighed" and not p.confirmed
    assert "2022: sammenhaeng_mo" in p.match_text


def test_each_key_is_used_once_best_pair_first():
    old = [known("Hvor tilfreds er I med den fysiske del?", "tilfreds_fysisk")]
    proposals = propose(["Hvor tilfreds er I med den fysiske del", "Hvor tilfreds er I med "
                         "den fysiske del af det hele?"], old)
    assert [(p.key, p.method) for p in proposals] == [("tilfreds_fysisk", CLOSE), ("", NONE)]


def test_exact_beats_close_for_the_same_key():
    old = [known("Tilfredshed fysisk", "tilfreds_fysisk")]
    close, exact = propose(["Tilfredshed, fysisk!!", "Tilfredshed fysisk"], old)
    assert (exact.key, exact.method) == ("tilfreds_fysisk", EXACT)
    assert (close.key, close.method) == ("", NONE)


def test_close_needs_the_threshold_and_is_never_confirmed():
    old = [known("I hvilken grad er der tydelighed omkring det samlede tilbud?", "tydelighed")]
    [p] = propose(["I hvilken grad oplever I tydelighed om det samlede tilbud?"], old)
    assert (p.key, p.method, p.confirmed) == ("tydelighed", CLOSE, False)
    assert p.match_text == f"close ({p.score:.2f})"
    [q] = propose(["I hvilken grad oplever I tydelighed om det samlede tilbud?"], old,
                  threshold=0.95)
    assert (q.key, q.method, q.guess[0]) == ("", NONE, "tydelighed")


def test_similarity_ignores_punctuation_and_word_order():
    assert similarity("Relevans – Kultur for alle", "relevans - kultur for alle") == 1
    assert similarity("Kultur for alle: relevans", "Relevans - Kultur for alle") == 1
    assert similarity("Navn", "Kommune") < 0.5


def test_numeric_codes_and_label_codes():
    assert numeric_codes(["1", " 2.0 ", "Tilfreds", "", "9"]) == {"1", "2", "9"}
    assert label_codes("1=Meget tilfreds; 2 = Tilfreds; 9=Ved ikke") == {"1", "2", "9"}


def test_labels_that_leave_a_code_out_are_flagged():
    p = Proposal("Q1", "tilfreds_fysisk", EXACT, 1.0, known("Q1", "tilfreds_fysisk",
                                                            labels="1=Tilfreds"), confirmed=True)
    attach_value_labels([p], {"Q1": {"1", "7"}}, {"tilfreds_fysisk"})
    assert p.value_labels == "1=Tilfreds" and not p.confirmed
    assert "talkoder uden svar i value_labels: 7" in p.match_text
