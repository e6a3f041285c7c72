"""National figures (interlibrary loans, licences) and the yearly judgements per track."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from helpers import REPO, run_pipeline, snapshot, write_csv, write_xlsx, write_year

from pipeline.attainment import DEVELOPMENT_RULE
from pipeline.outputs.read import read_output

ROWS = [{"kommune": "Odense", "tilfreds_fysisk": "Tilfreds"},
        {"kommune": "Vejle", "tilfreds_fysisk": "Tilfreds"}]
FIGURES_HEADER = ["year", "measure", "licence", "value", "source"]
JUDGEMENT_HEADER = ["year", "indicator_id", "status", "evidence", "agreed_figure",
                    "agreed_target"]


def surveys(tmp_path: Path, figures: list[list] | None = None,
            judgements: list[list] | None = None, years=(2023, 2024)) -> Path:
    root = tmp_path / "surveys"
    for year in years:  # each year's own export, dated in its year
        write_year(root, year, [{**r, "besvaret": f"{year}-03-01 10:00"} for r in ROWS])
    if figures is not None:
        write_csv(root / "national_figures.csv", [FIGURES_HEADER, *figures], ",")
    if judgements is not None:
        write_csv(root / "judgements.csv", [JUDGEMENT_HEADER, *judgements], ",")
    return root


def licence_rows(year: int, use: dict[str, int], users: dict[str, int]) -> list[list]:
    return [[year, "licence_use", lic, v, "test"] for lic, v in use.items()] + \
        [[year, "licence_users", lic, v, "test"] for lic, v in users.items()]


def national(out: Path, indicator: str, year: int) -> pd.Series:
    table = read_output(out / "indicators.csv")
    return table.query("indicator_id == @indicator and year == @year").iloc[0]


def development_targets(tmp_path: Path) -> Path:
    """targets.csv as an agreement that sets `positive_development` for the licences
    (Bilag 3 2021-2024 does not: n/a)."""
    text = (REPO / "targets.csv").read_text(encoding="utf-8")
    path = tmp_path / "targets_development.csv"
    path.write_text(text.replace("MO-LIC-BRUG,2023,none,", "MO-LIC-BRUG,2023,positive_development,")
                    .replace("MO-LIC-BRUG,2024,none,", "MO-LIC-BRUG,2024,positive_development,"),
                    encoding="utf-8")
    return path


def test_bilag3_sets_no_licence_target_so_the_licences_get_no_verdict(tmp_path):
    figures = (licence_rows(2023, {"eReolen": 100}, {"eReolen": 10})
               + licence_rows(2024, {"eReolen": 90}, {"eReolen": 9}))
    root = surveys(tmp_path, figures)
    assert run_pipeline(root, tmp_path / "o").exit_code == 0
    row = national(tmp_path / "o", "MO-LIC-BRUG", 2024)
    assert row.attained == "n/a" and row.target_kind == "none"
    assert row.na_reason == "Intet mål i Bilag 3 for året"
    assert DEVELOPMENT_RULE not in row.note
    goals = read_output(tmp_path / "o" / "goals.csv").query("maal_id == 'RM2' and year == 2024")
    assert "MO-LIC-BRUG" in goals.iloc[0]["indicators_without_target"]


@pytest.mark.slow
def test_licence_development_needs_total_use_and_every_licences_users_to_rise(tmp_path):
    figures = (licence_rows(2022, {"eReolen": 100, "Filmstriben": 50}, {"eReolen": 10,
                                                                       "Filmstriben": 5})
               + licence_rows(2023, {"eReolen": 120, "Filmstriben": 40}, {"eReolen": 11,
                                                                         "Filmstriben": 6})
               + licence_rows(2024, {"eReolen": 125, "Filmstriben": 50}, {"eReolen": 12,
                                                                         "Filmstriben": 5}))
    root = surveys(tmp_path, figures)
    assert run_pipeline(root, tmp_path / "o", targets=development_targets(tmp_path)).exit_code == 0
    y2023 = national(tmp_path / "o", "MO-LIC-BRUG", 2023)
    assert y2023.attained == "yes" and y2023.value == 160 and y2023.prev_value == 150
    assert "brugen i alt og brugerne af hver licens steg" in y2023.note
    assert DEVELOPMENT_RULE in y2023.note  # the rule stands next to the verdict
    # 2024: total users rose (16 -> 17), but Filmstriben's fell: users are not summed.
    y2024 = national(tmp_path / "o", "MO-LIC-BRUG", 2024)
    assert y2024.attained == "no"
    assert "antallet af brugere steg ikke for Filmstriben" in y2024.note
    assert "brugen i alt steg ikke" not in y2024.note
    series = read_output(tmp_path / "o" / "national.csv")
    film = series.query("licence == 'Filmstriben' and measure == 'licence_use' and year == 2024")
    assert film["value_change"].iloc[0] == 10  # which licence drives the change
    assert film["value_change_pct"].iloc[0] == pytest.approx(0.25)


@pytest.mark.slow
def test_unique_users_are_never_summed_and_changes_run_from_the_first_year(tmp_path):
    figures = (licence_rows(2022, {"eReolen": 100, "Filmstriben": 50}, {"eReolen": 10,
                                                                       "Filmstriben": 5})
               + licence_rows(2023, {"eReolen": 120, "Filmstriben": 40}, {"eReolen": 11,
                                                                         "Filmstriben": 6})
               + licence_rows(2024, {"eReolen": 125, "Filmstriben": 60}, {"eReolen": 12,
                                                                         "Filmstriben": 4}))
    root = surveys(tmp_path, figures)
    assert run_pipeline(root, tmp_path / "o").exit_code == 0
    series = read_output(tmp_path / "o" / "national.csv")
    assert set(series.loc[series["licence"] == "I alt", "measure"]) == {"licence_use"}
    users = series.query("measure == 'licence_users' and licence == 'Filmstriben'")
    y2024 = users[users["year"] == 2024].iloc[0]
    assert (y2024.first_year, y2024.first_value) == (2022, 5)
    assert y2024.change_since_first == -1
    assert y2024.change_since_first_pct == pytest.approx(-0.2)
    assert y2024.value_change == -2
    first = users[users["year"] == 2022].iloc[0]  # the first year has no change from itself
    assert pd.isna(first.first_year) and pd.isna(first.change_since_first)
    row = national(tmp_path / "o", "MO-LIC-BRUG", 2024)
    assert ("brugere pr. licens: eReolen 12 (+9,1\u00a0%), Filmstriben 4 (−33,3\u00a0%)"
            in row.note)


@pytest.mark.slow
def test_licence_totals_compare_like_with_like(tmp_path):
    figures = (licence_rows(2023, {"eReolen": 100}, {"eReolen": 10})
               + licence_rows(2024, {"eReolen": 90, "Ny licens": 500},
                              {"eReolen": 9, "Ny licens": 50}))
    root = surveys(tmp_path, figures)
    assert run_pipeline(root, tmp_path / "o", targets=development_targets(tmp_path)).exit_code == 0
    row = national(tmp_path / "o", "MO-LIC-BRUG", 2024)
    assert row.attained == "no" and row.value == 90
    assert "Ny licens (ny i 2024)" in row.note


def test_first_year_uses_the_baseline_year_before_the_first_survey(tmp_path):
    figures = licence_rows(2022, {"eReolen": 100}, {"eReolen": 10}) + \
        licence_rows(2023, {"eReolen": 101}, {"eReolen": 11})
    root = surveys(tmp_path, figures, years=(2023,))
    assert run_pipeline(root, tmp_path / "o", targets=development_targets(tmp_path)).exit_code == 0
    assert national(tmp_path / "o", "MO-LIC-BRUG", 2023).attained == "yes"


def test_interlibrary_loans_change_and_2024_target(tmp_path):
    figures = [[2023, "interlibrary_loans", "", "730.000", "DST"],
               [2024, "interlibrary_loans", "", 724_000, "DST"]]
    root = surveys(tmp_path, figures)
    assert run_pipeline(root, tmp_path / "o").exit_code == 0
    y2023 = national(tmp_path / "o", "MO-IUL", 2023)
    assert y2023.value == 730_000 and y2023.attained == "n/a"
    y2024 = national(tmp_path / "o", "MO-IUL", 2024)
    assert y2024.value_change == -6000
    assert y2024.value_change_pct == pytest.approx(-6000 / 730_000, abs=1e-6)
    assert y2024.target == 725_000 and y2024.attained == "no"


def test_judgements_give_the_verdict_and_keep_the_evidence(tmp_path):
    judgements = [[2024, "TS-LAES-VAE", "Sandsynliggjort", "Læselystmåling i 40 kommuner",
                   1200, 1000],
                  [2024, "TS-KULT-VAE", "ikke sandsynliggjort", "For få deltagere", "", ""]]
    root = surveys(tmp_path, None, judgements)
    assert run_pipeline(root, tmp_path / "o").exit_code == 0
    laes = national(tmp_path / "o", "TS-LAES-VAE", 2024)
    assert laes.attained == "yes" and laes.evidence == "Læselystmåling i 40 kommuner"
    assert "1.200" in laes.note and "1.000" in laes.note
    assert national(tmp_path / "o", "TS-KULT-VAE", 2024).attained == "no"
    digi = national(tmp_path / "o", "TS-DIGI-VAE", 2024)
    assert digi.attained == "n/a" and "Ingen vurdering for TS-DIGI-VAE 2024" in digi.note
    goals = read_output(tmp_path / "o" / "goals.csv").set_index(["maal_id", "year"])
    assert goals.loc[("OM5.2", 2024), "attained"] == "no"


def test_missing_sheets_are_named_in_the_roll_up(tmp_path):
    root = surveys(tmp_path)
    assert run_pipeline(root, tmp_path / "o").exit_code == 0
    goals = read_output(tmp_path / "o" / "goals.csv").set_index(["maal_id", "year"])
    assert "national_figures findes ikke" in goals.loc[("OM2.2", 2024), "indicators_missing"]
    assert "judgements findes ikke" in goals.loc[("OM5.2", 2024), "indicators_missing"]


@pytest.mark.slow
def test_sheets_may_be_excel_workbooks(tmp_path):
    root = surveys(tmp_path)
    write_xlsx(root / "national_figures.xlsx",
               [FIGURES_HEADER, [2024, "interlibrary_loans", None, 726000, "DST"]])
    assert run_pipeline(root, tmp_path / "o").exit_code == 0
    assert national(tmp_path / "o", "MO-IUL", 2024).attained == "yes"


BAD = {
    "negative count": ("figures", [2024, "interlibrary_loans", "", -5, "x"],
                       ["række 2", 'værdi "-5"', "kan ikke være negativt"]),
    "not a whole number": ("figures", [2024, "licence_use", "eReolen", "12,5", "x"],
                           ["række 2", "ikke et helt antal"]),
    "unknown measure": ("figures", [2024, "udlaan", "", 5, "x"],
                        ["række 2", 'værdi "udlaan"', "interlibrary_loans"]),
    "licence missing": ("figures", [2024, "licence_use", "", 5, "x"],
                        ["række 2", "licensen mangler"]),
    "year without survey": ("figures", [2019, "interlibrary_loans", "", 5, "x"],
                            ["række 2", 'værdi "2019"', "ingen survey"]),
    "duplicate year": ("figures", [2024, "interlibrary_loans", "", 5, "x"],
                       ["række 3", "står to gange"]),
    "unknown indicator": ("judgements", [2024, "TS-XYZ-VAE", "sandsynliggjort", "x", "", ""],
                          ["række 2", 'værdi "TS-XYZ-VAE"']),
    "status outside the words": ("judgements", [2024, "TS-LAES-VAE", "delvist", "x", "", ""],
                                 ["række 2", 'værdi "delvist"', "sandsynliggjort"]),
    "judgement for a year without survey": (
        "judgements", [2022, "TS-LAES-VAE", "sandsynliggjort", "x", "", ""],
        ["række 2", "ingen survey"]),
    "evidence missing": ("judgements", [2024, "TS-LAES-VAE", "sandsynliggjort", "", "", ""],
                         ["række 2", "ingen begrundelse"]),
    "duplicate judgement": ("judgements", [2024, "TS-LAES-VAE", "sandsynliggjort", "x", "", ""],
                            ["række 3", "står to gange"]),
}


@pytest.mark.parametrize("name", list(BAD))
def test_bad_national_inputs_are_reported(name, tmp_path, previous_output):
    sheet, row, fragments = BAD[name]
    rows = [row, row] if name.startswith("duplicate") else [row]
    root = surveys(tmp_path, rows if sheet == "figures" else None,
                   rows if sheet == "judgements" else None)
    before = snapshot(previous_output)
    result = run_pipeline(root, previous_output)
    assert result.exit_code == 1, result.output
    expected_file = "national_figures.csv" if sheet == "figures" else "judgements.csv"
    assert expected_file in result.output
    for fragment in fragments:
        assert fragment in result.output, (fragment, result.output)
    assert snapshot(previous_output) == before


def test_national_csv_names_each_figures_source_and_the_totals_their_licences(tmp_path):
    figures = [[2023, "interlibrary_loans", "", 722600, "Danmarks Statistik BIB1"],
               [2024, "interlibrary_loans", "", 731800, "Danmarks Statistik BIB1"],
               [2024, "licence_use", "eReolen", 100, "eReolen statistik"],
               [2024, "licence_use", "Filmstriben", 50, "Filmstriben statistik"],
               [2024, "licence_users", "eReolen", 10, "eReolen statistik"],
               [2024, "licence_users", "Filmstriben", 5, "Filmstriben statistik"]]
    assert run_pipeline(surveys(tmp_path, figures), tmp_path / "o").exit_code == 0
    series = read_output(tmp_path / "o" / "national.csv").set_index(["year", "measure",
                                                                       "licence"])
    assert series.at[(2024, "interlibrary_loans", ""), "source"] == "Danmarks Statistik BIB1"
    assert series.at[(2024, "licence_use", "eReolen"), "source"] == "eReolen statistik"
    assert series.at[(2024, "licence_use", "I alt"), "source"] == \
        "eReolen statistik; Filmstriben statistik"
