"""`check` validates everything `run` does, writes nothing, and summarises per year in
Danish; its exit code is 0 exactly when run would succeed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import (
    DEMO_SURVEYS,
    REPO,
    TARGETS,
    header,
    run_cli,
    run_pipeline,
    write_csv,
    write_year,
)

from pipeline.cli.console import format_check
from pipeline.intake.check import check_inputs
from pipeline.outputs.read import read_output
from pipeline.run import RunConfig

ROWS = [
    {"kommune": "Odense", "besvaret": "2024-03-01 10:00", "tilfreds_fysisk": "Tilfreds",
     "tydelighed": "I høj grad", "deltog_laes": "Ja", "styrker_laes": "I høj grad"},
    {"kommune": "Aarhus", "besvaret": "2024-03-02 10:00", "tilfreds_fysisk": "Utilfreds",
     "tydelighed": "Slet ikke", "deltog_laes": "Nej"},
    {"kommune": "Gentofte", "besvaret": "2024-03-03 10:00", "tilfreds_fysisk": "Ved ikke",
     "tydelighed": "Ved ikke", "deltog_laes": "Ved ikke"},
]
NO_TYDELIGHED = ["kommune", "besvaret", "tilfreds_fysisk", "deltog_laes", "styrker_laes"]


def last(**changes: str) -> list[dict[str, str]]:
    """The rows with the last one (Excel row 4) changed."""
    return [*ROWS[:2], {**ROWS[2], **changes}]


def check(surveys: Path, *extra: str, targets: Path = TARGETS):
    return run_cli("check", "--surveys", str(surveys), "--targets", str(targets), *extra)


def flat(text: str) -> str:
    """The report wraps long lines; compare text regardless of where they break."""
    return " ".join(text.split())


def unconfirmed(root: Path, confirmed: str = "") -> None:
    write_year(root, 2024, ROWS)
    write_csv(root / "2024" / "codebook.csv", [
        ["column", "key", "value_labels", "match", "confirmed"],
        ["Kommune", "kommune", "", "exact", "ja"],
        [header("tilfreds_fysisk"), "tilfreds_fysisk", "", "close (0.81)", confirmed]], ",")


Case = tuple[Callable[[Path], object], int, list[str]]

CASES: dict[str, Case] = {
    "all well": (
        lambda root: write_year(root, 2024, ROWS), 0,
        ["Resultat: OK", "3 af 98 svarede (svarprocent 3\u00a0%)", "Ikke svaret (95): København,",
         "Dubletter: ingen.", "Svar: alle svar ligger på skalaerne."]),
    "unknown municipality": (
        lambda root: write_year(root, 2024, last(kommune="Gentofe")), 1,
        ["export_2024.csv, række 4, kolonne \"kommune\", værdi \"Gentofe\"",
         "Mente du: Gentofte", "Resultat: FEJL"]),
    "answer outside the scale": (
        lambda root: write_year(root, 2024, last(tilfreds_fysisk="Super godt")), 1,
        ['kolonne "tilfreds_fysisk", værdi "Super godt"', "Gyldige svar er"]),
    "numeric codes without value labels": (
        lambda root: write_year(root, 2024, [{**r, "tilfreds_fysisk": c} for r, c in
                                             zip(ROWS, ["1", "4", "9"], strict=True)]), 1,
        ["Talkoder uden svarkoder (value_labels):",
         '2024, kolonnen "Q tilfreds_fysisk" (nøglen tilfreds_fysisk, række 4 i',
         "3 svar er talkoder (1, 4, 9)", "confirm-codebook 2024", "--row 4 --value-labels",
         '"1=Meget tilfreds; 2=Tilfreds;', "3 problemer af samme slags",
         "3 gange, i rækkerne 2–4"]),
    "duplicate response": (
        lambda root: write_year(root, 2024, [*ROWS, {**ROWS[0], "besvaret": "2024-03-09 10:00",
                                                     "tilfreds_fysisk": "Meget tilfreds"}]), 0,
        ["Dubletter: 1 besvarelse udeladt, fordi kommunen svarede igen:",
         "export_2024.csv række 2 (Odense): kommunen har en senere besvarelse", "række 5"]),
    "codebook gap": (
        lambda root: write_year(root, 2024, ROWS, keys=NO_TYDELIGHED), 0,
        ["Kodebog: spørgsmål uden kolonne: tilfreds_digital,", "tydelighed,",
         "MO-TYD", "får derfor intet tal for 2024", "Resultat: OK"]),
    "export column the codebook does not mention": (
        lambda root: write_year(root, 2024, ROWS, extra={"Telefon": ["1", "2", "3"]}), 0,
        ['Kolonner i eksporten, som kodebogen ikke nævner (læses ikke): "Telefon"']),
    "codebook header missing from the export": (
        lambda root: (write_year(root, 2024, ROWS), write_csv(
            root / "2024" / "codebook.csv",
            [["column", "key"], ["Kommune", "kommune"], ["Q tydelighed (ny)", "tydelighed"]])),
        1, ['kolonne "Q tydelighed (ny)"', "findes ikke i eksporten"]),
    "unconfirmed codebook row": (
        unconfirmed, 1,
        ["codebook.csv, række 3", 'overskriften "Q tilfreds_fysisk"',
         'nøglen "tilfreds_fysisk" (match: close (0.81))', "confirm-codebook 2024",
         "--row 3 --key NØGLE"]),
    "codebook row marked nej": (
        lambda root: unconfirmed(root, "nej"), 1,
        ['kolonne "confirmed", værdi "nej"', "Rækken er ikke bekræftet"]),
    "codebook row confirmed": (lambda root: unconfirmed(root, "Ja"), 0, ["Resultat: OK"]),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(CASES))
def test_check_reports_each_problem_with_runs_exit_code(name, tmp_path):
    build, code, fragments = CASES[name]
    root = tmp_path / "surveys"
    root.mkdir()
    build(root)
    result = check(root)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    text = flat(result.output)
    for fragment in fragments:
        assert flat(fragment) in text, (fragment, result.output)
    # exit 0 exactly when run would succeed
    assert run_pipeline(root, tmp_path / "out").exit_code == code
    if code:
        assert "Gør sådan:" in result.output


def test_bad_targets_fail_the_check(tmp_path):
    targets = tmp_path / "targets.csv"
    targets.write_text((REPO / "targets.csv").read_text(encoding="utf-8")
                       + "MO-FYS,2025,min_share,1.5,150%,x\n", encoding="utf-8")
    root = tmp_path / "surveys"
    write_year(root, 2024, ROWS)
    result = check(root, targets=targets)
    assert result.exit_code == 1
    assert "targets.csv" in result.output and "mellem 0 og 1" in result.output


@pytest.mark.slow
def test_check_on_the_demo_agrees_with_runs_quality_table(demo_output, tmp_path,
                                                          monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = check(DEMO_SURVEYS)
    assert result.exit_code == 0, result.output
    assert list(tmp_path.iterdir()) == []  # nothing written
    text = flat(result.output)
    quality = read_output(demo_output / "quality.csv").query("scope == 'national'")
    for q in quality.itertuples():
        assert f"{q.municipalities_answering} af 98 svarede" in text
        missing = q.municipalities_missing.split(", ")
        assert f"Ikke svaret ({len(missing)}): {', '.join(missing)}." in text
    assert "SYNTETISKE DEMODATA" in text
    assert "Talkoder: læses via value_labels for tilfreds_fysisk" in text  # 2022's codes
    # 2021 is a SurveyXact export: a duplicate decided by closetime, and the responses
    # that were not completed, counted as quality.csv counts them.
    assert "række 8 (Gladsaxe): kommunen har en senere besvarelse" in text
    nc = int(quality.set_index("year").at[2021, "not_completed"])
    assert f"Ikke gennemført: {nc} besvarelser i SurveyXact-eksporten er udeladt" in text
    assert "Nogle svar (3): " in text and "Frafaldet (2): " in text
    assert "closetime (hvornår besvarelsen blev gennemført) bruges som besvaret" in text


@pytest.mark.slow
def test_year_limits_the_report_not_the_check(tmp_path):
    result = check(DEMO_SURVEYS, "--year", "2023")
    assert result.exit_code == 0, result.output
    assert "\n2023  (" in result.output
    assert "\n2021  (" not in result.output and "\n2024  (" not in result.output
    assert "rapporten viser kun 2023, men alle år er kontrolleret" in result.output

    # A problem in another year still fails the check: run reads every year.
    root = tmp_path / "surveys"
    write_year(root, 2023, ROWS)
    write_year(root, 2024, last(kommune="Atlantis"))
    limited = check(root, "--year", "2023")
    assert limited.exit_code == 1
    assert 'værdi "Atlantis"' in limited.output


@pytest.mark.parametrize("year, fragment", [("2030", "Året 2030 har ingen mappe"),
                                            ("tyve", "fire cifre")])
def test_year_that_is_not_there(year, fragment):
    result = check(DEMO_SURVEYS, "--year", year)
    assert result.exit_code == 1
    assert fragment in result.output and "Traceback" not in result.output


def test_missing_surveys_folder(tmp_path):
    result = check(tmp_path / "ingen")
    assert result.exit_code == 1
    assert "Mappen med survey-data findes ikke" in result.output


def test_the_report_is_data_a_dashboard_can_use(tmp_path):
    root = tmp_path / "surveys"
    write_year(root, 2024, ROWS, keys=NO_TYDELIGHED)
    report = check_inputs(RunConfig(root, TARGETS))
    assert report.ok and report.problems == [] and report.years == [2024]
    [year] = report.summaries
    assert (year.year, year.answering, year.population) == (2024, 3, 98)
    assert "Odense" not in year.missing and "Aalborg" in year.missing and len(year.missing) == 95
    assert "tydelighed" in year.unmapped and "MO-TYD" in year.unmapped_indicators
    assert "Resultat: OK" in format_check(report)

    write_year(root, 2024, last(tilfreds_fysisk="Jubel"))
    failed = check_inputs(RunConfig(root, TARGETS))
    assert not failed.ok
    assert [p.value for p in failed.problems] == ["Jubel"]
