"""Bad input stops the run with a message naming file, row, column and value, and what to
do; exit code 1; no traceback; the previous outputs stay exactly as they were."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import (
    REPO,
    export_rows,
    header,
    run_pipeline,
    snapshot,
    write_codebook,
    write_csv,
    write_year,
)

GOOD_ROWS = [
    {"kommune": "Odense", "besvaret": "2024-03-01 10:00", "tilfreds_fysisk": "Tilfreds",
     "deltog_laes": "Ja", "styrker_laes": "I høj grad"},
    {"kommune": "Aarhus", "besvaret": "2024-03-02 10:00", "tilfreds_fysisk": "Utilfreds",
     "deltog_laes": "Nej"},
    {"kommune": "Gentofte", "besvaret": "2024-03-03 10:00", "tilfreds_fysisk": "Ved ikke",
     "deltog_laes": "Ved ikke"},
]


def with_row(**changes: str) -> list[dict[str, str]]:
    """The good rows with the last one changed: the bad row is data row 3, Excel row 4."""
    return [*GOOD_ROWS[:2], {**GOOD_ROWS[2], **changes}]


def good(root: Path) -> None:
    write_year(root, 2024, GOOD_ROWS)


Case = tuple[Callable[[Path], None], list[str]]

CASES: dict[str, Case] = {
    "unknown municipality": (
        lambda root: write_year(root, 2024, with_row(kommune="Gentofe")),
        ["export_2024.csv", "række 4", 'kolonne "kommune"', 'værdi "Gentofe"',
         "Mente du: Gentofte", "kommune_aliases.csv"]),
    "municipality code not one of the 98": (
        lambda root: write_year(root, 2024, with_row(kommune="999")),
        ["række 4", 'værdi "999"', "Kommunekoden 999 er ikke en af de 98"]),
    "answer outside the scale": (
        lambda root: write_year(root, 2024, with_row(tilfreds_fysisk="Super godt")),
        ["række 4", 'kolonne "tilfreds_fysisk"', 'værdi "Super godt"', "Gyldige svar er",
         "Meget tilfreds"]),
    "numeric code without value labels": (
        lambda root: write_year(root, 2024, with_row(tilfreds_fysisk="4")),
        ["række 4", 'værdi "4"', "talkode", "value_labels"]),
    "codebook header missing from the export": (
        lambda root: (write_year(root, 2024, GOOD_ROWS), write_csv(
            root / "2024" / "codebook.csv",
            [["column", "key"], ["Kommune", "kommune"], ["Q tydelighed (ny)", "tydelighed"]])),
        ['kolonne "Q tydelighed (ny)"', "findes ikke i eksporten", "Ret overskriften",
         'tættest i eksporten: "Q tydelighed"']),
    "empty export": (
        lambda root: (write_codebook(root / "2024"),
                      (root / "2024" / "export.csv").write_bytes(b"")),
        ["export.csv", "Filen er tom"]),
    "header only": (
        lambda root: (write_codebook(root / "2024"),
                      write_csv(root / "2024" / "export.csv", export_rows([])[:1])),
        ["export.csv", "ingen besvarelser"]),
    "xlsx that is really a CSV": (
        lambda root: (write_codebook(root / "2024"),
                      write_csv(root / "2024" / "export.xlsx", export_rows(GOOD_ROWS))),
        ["export.xlsx", "i virkeligheden en tekst- eller CSV-fil"]),
    "corrupt xlsx": (
        lambda root: (write_codebook(root / "2024"),
                      (root / "2024" / "export.xlsx").write_bytes(b"PK\x03\x04broken")),
        ["export.xlsx", "beskadiget"]),
    "old .xls format": (
        lambda root: (good(root), (root / "2024" / "old.xls").write_bytes(b"x")),
        ["old.xls", '".xls"', "gem den som .xlsx"]),
    "year folder that is not a year": (
        lambda root: (good(root), (root / "2024 kopi").mkdir()),
        ["2024 kopi", "ikke et årstal"]),
    "year without codebook": (
        lambda root: (good(root), write_csv(root / "2023" / "export.csv",
                                            export_rows(GOOD_ROWS))),
        ["2023", "ingen codebook.csv"]),
    "unknown key in the codebook": (
        lambda root: (good(root), write_csv(root / "2024" / "codebook.csv", [
            ["column", "key"], ["Kommune", "kommune"], ["Q tilfreds_fysisk", "tilfred_fysisk"]])),
        ["codebook.csv", "række 3", 'værdi "tilfred_fysisk"', "Mente du: tilfreds_fysisk"]),
    "two headers mapped to one key": (
        lambda root: (good(root), write_csv(root / "2024" / "codebook.csv", [
            ["column", "key"], ["Kommune", "kommune"], ["Q tilfreds_fysisk", "tilfreds_fysisk"],
            ["Q tilfreds_digital", "tilfreds_fysisk"]])),
        ["codebook.csv", "række 4", 'To overskrifter er koblet til nøglen "tilfreds_fysisk"']),
    "codebook without kommune": (
        lambda root: (good(root), write_csv(root / "2024" / "codebook.csv", [
            ["column", "key"], ["Q tilfreds_fysisk", "tilfreds_fysisk"]])),
        ["codebook.csv", "nøglen 'kommune'"]),
    "styrker answered without taking part": (
        lambda root: write_year(root, 2024, with_row(deltog_laes="Nej",
                                                     styrker_laes="I høj grad")),
        ["række 4", "'styrker_laes' er besvaret", "'deltog_laes' er \"Nej\""]),
    "styrker answered with participation missing": (
        lambda root: write_year(root, 2024, with_row(deltog_laes="",
                                                     styrker_laes="I høj grad")),
        ["række 4", "'deltog_laes' er ikke besvaret"]),
    "timestamp that does not parse": (
        lambda root: write_year(root, 2024, with_row(besvaret="i går")),
        ["række 4", 'kolonne "besvaret"', 'værdi "i går"', "kan ikke læses som dato"]),
    "answers but no municipality": (
        lambda root: write_year(root, 2024, with_row(kommune="")),
        ["række 4", "ingen kommune"]),
    "mixed delimiters": (
        lambda root: (write_codebook(root / "2024"),
                      (root / "2024" / "export.csv").write_text(
                          ";".join(export_rows([])[0]) + "\nOdense;;Tilfreds\n"
                          "Aarhus,,Tilfreds\n", encoding="utf-8")),
        ["export.csv", "række 3", "andet skilletegn"]),
    "data file directly in the surveys folder": (
        lambda root: (good(root), write_csv(root / "export_2025.csv", export_rows(GOOD_ROWS))),
        ["export_2025.csv", "hører ikke til noget år"]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_is_reported_and_changes_nothing(name, tmp_path, previous_output):
    build, fragments = CASES[name]
    root = tmp_path / "surveys"
    root.mkdir()
    build(root)
    before = snapshot(previous_output)
    result = run_pipeline(root, previous_output)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "Kørslen er stoppet" in result.output
    assert "Gør sådan:" in result.output
    for fragment in fragments:
        assert fragment in result.output, (fragment, result.output)
    assert snapshot(previous_output) == before


def test_all_problems_are_reported_at_once(tmp_path):
    root = tmp_path / "surveys"
    rows = [*GOOD_ROWS, {"kommune": "Atlantis", "tilfreds_fysisk": "Tilfreds"},
            {"kommune": "Odense", "tilfreds_fysisk": "Jubel"}]
    write_year(root, 2024, rows)
    result = run_pipeline(root, tmp_path / "out")
    assert result.exit_code == 1
    assert "2 problemer" in result.output
    assert 'værdi "Atlantis"' in result.output and 'værdi "Jubel"' in result.output
    assert not (tmp_path / "out" / "indicators.csv").exists()


TARGET_CASES = {
    "target above 100 %": ("MO-FYS,2025,min_share,1.5,150%,x", ["række", "mellem 0 og 1"]),
    "target for an unknown indicator": ("MO-XYZ,2024,min_share,0.5,50%,x",
                                        ['værdi "MO-XYZ"', "indikatorkataloget"]),
    "duplicate target row": ("MO-FYS,2024,min_share,0.90,90%,x", ["står to gange"]),
    "target kind that does not fit": ("MO-IUL,2025,min_share,0.5,50%,x",
                                      ["Måltypen passer ikke"]),
}


@pytest.mark.parametrize("name", list(TARGET_CASES))
def test_bad_targets_are_reported(name, tmp_path, previous_output):
    line, fragments = TARGET_CASES[name]
    targets = tmp_path / "targets.csv"
    targets.write_text((REPO / "targets.csv").read_text(encoding="utf-8") + line + "\n",
                       encoding="utf-8")
    root = tmp_path / "surveys"
    good(root)
    before = snapshot(previous_output)
    result = run_pipeline(root, previous_output, targets=targets)
    assert result.exit_code == 1, result.output
    assert "targets.csv" in result.output
    for fragment in fragments:
        assert fragment in result.output, (fragment, result.output)
    assert snapshot(previous_output) == before


def test_header_helper_matches_codebook():
    # The helpers' export headers and codebook agree, so the cases above test one thing each.
    assert header("kommune") == "Kommune" and header("tydelighed") == "Q tydelighed"
