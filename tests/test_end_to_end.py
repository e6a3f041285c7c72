"""The whole run on the bundled demo data, as a new user meets it."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from helpers import DEMO_SURVEYS, REPO, copy_demo, run_cli, run_pipeline

from pipeline import stats
from pipeline.demo import write_demo
from pipeline.outputs.read import read_output
from pipeline.present.words import GOAL_WORDS
from pipeline.reference import load_reference

REF = load_reference()
SCOPES = {"national", *REF.centralbiblioteker}
SURVEY_IDS = set(REF.indicators.query("kind in ['survey_share', 'participant_share']")
                 ["indicator_id"])


def test_every_survey_indicator_every_year_nationally_and_per_cb(demo_output):
    ind = read_output(demo_output / "indicators.csv")
    survey = ind[ind["indicator_id"].isin(SURVEY_IDS)]
    cells = set(zip(survey["indicator_id"], survey["year"], survey["scope"], strict=True))
    expected = {(i, y, s) for i in SURVEY_IDS for y in range(2021, 2025) for s in SCOPES}
    assert cells == expected
    national = survey[survey["scope"] == "national"]
    assert national["share"].notna().all()
    assert (national["ci_low"] <= national["share"]).all()
    assert (national["share"] <= national["ci_high"]).all()
    assert national["attained"].isin(["yes", "no"]).all()


def test_roll_up_is_complete_for_every_result_goal_and_year(demo_output):
    goals = read_output(demo_output / "goals.csv")
    rm = goals[goals["level"] == "resultatmaal"]
    assert sorted(set(rm["maal_id"])) == ["RM1", "RM2", "RM3", "RM4", "RM5"]
    assert len(rm) == 5 * 4
    assert rm["attained"].isin(["yes", "no"]).all(), rm[["maal_id", "year", "attained"]]


def test_every_output_says_the_data_are_synthetic(demo_output):
    for name in ("indicators.csv", "goals.csv", "quality.csv", "distribution.csv",
                 "national.csv", "responses.csv", "excluded_rows.csv"):
        table = pd.read_csv(demo_output / name)
        assert table["synthetic_demo_data"].all(), name
    manifest = json.loads((demo_output / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["synthetic_demo_data"] is True
    assert "SYNTETISKE DEMODATA" in manifest["notice"]


@pytest.mark.slow
def test_real_data_is_not_labelled_synthetic(tmp_path):
    surveys = copy_demo(tmp_path)
    (surveys / "SYNTETISKE_DEMODATA.txt").unlink()
    assert run_pipeline(surveys, tmp_path / "o").exit_code == 0
    assert not pd.read_csv(tmp_path / "o" / "indicators.csv")["synthetic_demo_data"].any()


def test_manifest_traces_every_input_by_hash(demo_output):
    manifest = json.loads((demo_output / "manifest.json").read_text(encoding="utf-8"))
    kinds = {i["kind"] for i in manifest["inputs"]}
    assert kinds == {"survey_export", "codebook", "targets", "national_figures", "judgements",
                     "synthetic_marker"}
    for item in manifest["inputs"]:
        path = REPO / item["path"] if not Path(item["path"]).is_absolute() else Path(item["path"])
        assert hashlib.sha256(path.read_bytes()).hexdigest() == item["sha256"], item["path"]
    for item in manifest["outputs"]:
        data = (demo_output / item["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == item["sha256"]
    assert manifest["parameters"]["ci_method"] == "auto"


@pytest.mark.slow
def test_two_runs_give_byte_identical_figures(demo_output, tmp_path):
    assert run_pipeline(DEMO_SURVEYS, tmp_path / "again").exit_code == 0
    for name in ("indicators.csv", "goals.csv", "quality.csv", "distribution.csv"):
        assert (demo_output / name).read_bytes() == (tmp_path / "again" / name).read_bytes()


@pytest.mark.slow
def test_interval_method_and_confidence_are_options(tmp_path, demo_output):
    assert run_pipeline(DEMO_SURVEYS, tmp_path / "w", "--ci-method", "wilson",
                        "--confidence", "0.9").exit_code == 0
    auto = read_output(demo_output / "indicators.csv").query("indicator_id == 'MO-FYS'")
    wilson = read_output(tmp_path / "w" / "indicators.csv").query("indicator_id == 'MO-FYS'")
    assert set(wilson["ci_method"]) == {"wilson"} and set(wilson["confidence"]) == {0.9}
    assert set(auto["ci_method"]) == {"hypergeometric"}
    assert (auto["share"].values == wilson["share"].values).all()


@pytest.mark.slow
def test_the_demo_generator_makes_the_bundled_demo_data(tmp_path, demo_output):
    """The committed demo folder is what the committed generator makes (same figures)."""
    write_demo(tmp_path / "surveys")
    assert run_pipeline(tmp_path / "surveys", tmp_path / "o").exit_code == 0
    for name in ("indicators.csv", "goals.csv", "distribution.csv", "national.csv"):
        assert (tmp_path / "o" / name).read_bytes() == (demo_output / name).read_bytes(), name


def _python_m(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_command_line_run_as_a_user_types_it(tmp_path):
    surveys = copy_demo(tmp_path)
    (tmp_path / "targets.csv").write_bytes((REPO / "targets.csv").read_bytes())
    done = _python_m("run", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "SYNTETISKE DEMODATA" in done.stdout
    assert (tmp_path / "output" / "indicators.csv").exists()
    # A broken export: exit code 1, a message, no traceback, outputs as they were.
    before = (tmp_path / "output" / "indicators.csv").read_bytes()
    export = surveys / "2022" / "survey_export_2022.csv"
    export.write_bytes(export.read_bytes().replace(b";101;", b";Atlantis;", 1))
    done = _python_m("run", cwd=tmp_path)
    assert done.returncode == 1
    assert "Atlantis" in done.stderr and "Traceback" not in done.stderr
    assert (tmp_path / "output" / "indicators.csv").read_bytes() == before


def test_help_explains_the_commands(tmp_path):
    done = _python_m("run", "--help", cwd=tmp_path)
    assert done.returncode == 0
    for option in ("--surveys", "--targets", "--out", "--ci-method", "--confidence"):
        assert option in done.stdout


def test_run_help_names_every_file_the_run_writes(demo_output):
    """An analyst reads `run --help` to know what lands in OUT: it must name them all."""
    text = " ".join(run_cli("run", "--help").output.split())
    for written in sorted(p.name for p in demo_output.iterdir()
                          if p.is_file() and not p.name.startswith(".")):  # not the lock
        assert written in text, written


def test_run_ends_with_each_result_goal_by_its_bilag_3_name(tmp_path):
    done = run_pipeline(DEMO_SURVEYS, tmp_path / "out")
    goals = read_output(tmp_path / "out" / "goals.csv").query("level == 'resultatmaal'")
    for number, (_, rows) in enumerate(goals.groupby("maal_id", sort=True), start=1):
        verdicts = ", ".join(f"{r.year}: {GOAL_WORDS[r.attained]}" for r in rows.itertuples())
        assert f"  Resultatmål {number}: {verdicts}\n" in done.output
    assert "RM1" not in done.output  # Bilag 3 gives its goals no codes


def test_intervals_for_every_method_agree_with_the_main_table(demo_output):
    ind = read_output(demo_output / "indicators.csv")
    intervals = read_output(demo_output / "intervals.csv")
    assert set(intervals["requested_method"]) == {"auto", "wilson", "clopper-pearson",
                                                  "hypergeometric"}
    auto = intervals[intervals["requested_method"] == "auto"].merge(
        ind, on=["indicator_id", "year", "scope"], suffixes=("", "_main"))
    assert len(auto) == len(ind[ind["indicator_id"].isin(SURVEY_IDS)])
    for col in ("ci_method", "ci_low", "ci_high", "certainty", "nonresponse_low",
                "nonresponse_high", "nonresponse_certainty", "change", "change_ci_low",
                "change_ci_high"):
        assert (auto[col].astype(object).fillna("").tolist()
                == auto[f"{col}_main"].astype(object).fillna("").tolist()), col
    participants = intervals.query("requested_method in ['auto', 'hypergeometric'] and "
                                   "indicator_id == 'TS-LAES-STY'")
    assert set(participants["ci_method"]) == {"hypergeometric"}  # N_eff: conservative
    wilson = intervals.query("requested_method == 'wilson'")
    assert set(wilson["ci_method"]) == {"wilson"}
    # the change interval follows the chosen method: Newcombe's method 10 under Wilson
    row = wilson.query("indicator_id == 'MO-FYS' and year == 2024 and scope == 'national'")
    main = ind.query("indicator_id == 'MO-FYS' and scope == 'national' and year >= 2023")
    (x0, n0), (x1, n1) = main[["n_positive", "n_valid"]].to_numpy(int)
    low, high = stats.newcombe_difference(x1, n1, x0, n0)
    assert (row.change_ci_low.iloc[0], row.change_ci_high.iloc[0]) == pytest.approx(
        (low.item(), high.item()), abs=1e-6)


def test_goal_certainty_is_written_for_every_method_and_agrees_with_goals(demo_output):
    goals = read_output(demo_output / "goals.csv")
    per_method = read_output(demo_output / "goal_certainty.csv")
    assert set(per_method["requested_method"]) == {"auto", "wilson", "clopper-pearson",
                                                   "hypergeometric"}
    auto = per_method[per_method["requested_method"] == "auto"].merge(
        goals, on=["maal_id", "year"], suffixes=("", "_goals"))
    assert len(auto) == len(goals)
    for col in ("attained", "uncertain", "indicators_uncertain"):
        assert auto[col].tolist() == auto[f"{col}_goals"].tolist(), col
    manifest = json.loads((demo_output / "manifest.json").read_text(encoding="utf-8"))
    assert "goal_certainty.csv" in {o["path"] for o in manifest["outputs"]}


@pytest.mark.slow
def test_respondent_level_runs_keep_every_row_and_copy_no_microdata(tmp_path):
    from pipeline.demo import write_large_year

    write_large_year(tmp_path / "surveys", 2024, 500)
    result = run_pipeline(tmp_path / "surveys", tmp_path / "o", "--respondent-level")
    assert result.exit_code == 0, result.output
    fys = read_output(tmp_path / "o" / "indicators.csv").query(
        "indicator_id == 'MO-FYS' and scope == 'national'").iloc[0]
    assert fys.respondents == 500 and fys.ci_method == "wilson"
    assert pd.isna(fys.nonresponse_low)  # no finite population, no non-response range
    assert not (tmp_path / "o" / "responses.csv").exists()
    refused = run_pipeline(tmp_path / "surveys", tmp_path / "o2")
    assert refused.exit_code == 1 and "--respondent-level" in refused.output


def test_the_demo_figures_the_statistics_issue_measured(demo_output):
    """Issue 12's measurements on the demo data, under the new rules."""
    ind = read_output(demo_output / "indicators.csv").set_index(["indicator_id", "year",
                                                                 "scope"])
    # All 9 of Odense's municipalities answered, 8 validly, all 8 positive: known exactly.
    fys = ind.loc[("MO-FYS", 2024, "Odense")]
    assert (fys.respondents, fys.n_valid, fys.n_positive, fys.n_unknown) == (9, 8, 8, 0)
    assert fys.ci_low == fys.ci_high == fys.share == 1 and fys.certainty == "above"
    # The non-response range counts only the unknown, not "Ved ikke" (72,4-80,6 % before).
    tyd = ind.loc[("MO-TYD", 2024, "national")]
    assert (round(tyd.nonresponse_low, 3), round(tyd.nonresponse_high, 3)) == (0.755, 0.798)
    # Participants: the 13 non-responding municipalities may have taken part.
    sty = ind.loc[("TS-LAES-STY", 2021, "national")]
    assert round(sty.nonresponse_low, 3) == 0.486
    # A full response both years: the change is known exactly (5/9 -> 7/9).
    form = ind.loc[("MO-LIC-FORM", 2024, "Odense")]
    assert form.change_ci_low == form.change_ci_high == pytest.approx(2 / 9, abs=1e-6)
    # Every full response has a zero-width interval.
    full = ind[(ind["n_unknown"] == 0) & (ind["n_valid"] > 0)]
    assert len(full) and (full["ci_low"] == full["ci_high"]).all()
    # MO-LIC-BRUG has no verdict (Bilag 3: n/a), so RM2 2023 rests on MO-LIC-FORM and MO-IUL.
    assert (ind.xs("MO-LIC-BRUG", level="indicator_id")["attained"] == "n/a").all()
    goals = read_output(demo_output / "goals.csv").set_index(["maal_id", "year"])
    assert goals.loc[("RM2", 2023), "attained"] == "yes"


def test_no_change_is_called_possibly_random_while_the_levels_are_disjoint(demo_output):
    """For every method: two disjoint level intervals in consecutive years never come with a
    change interval that holds 0."""
    intervals = read_output(demo_output / "intervals.csv")
    keys = ["indicator_id", "scope", "requested_method"]
    before = intervals[[*keys, "year", "ci_low", "ci_high"]].assign(
        year=intervals["year"] + 1)
    pairs = intervals.merge(before, on=[*keys, "year"], suffixes=("", "_before"))
    disjoint = ((pairs["ci_low"] > pairs["ci_high_before"])
                | (pairs["ci_high"] < pairs["ci_low_before"]))
    holds_zero = (pairs["change_ci_low"] <= 0) & (pairs["change_ci_high"] >= 0)
    assert disjoint.sum() > 100  # the check has something to check
    assert not (disjoint & holds_zero).any()


@pytest.mark.slow
def test_the_surveyxact_demo_year_gives_the_figures_of_its_completed_answers(tmp_path,
                                                                             demo_output):
    """2021 of the demo is a SurveyXact export, with responses that were never completed.
    Written instead as a plain labelled export of the same completed answers (as the demo
    had it before), every figure is the same, byte for byte."""
    write_demo(tmp_path / "plain", surveyxact=False)
    assert not list((tmp_path / "plain" / "2021").glob("SurveyXact*"))
    assert run_pipeline(tmp_path / "plain", tmp_path / "o").exit_code == 0
    for name in ("indicators.csv", "goals.csv", "distribution.csv", "intervals.csv"):
        assert (tmp_path / "o" / name).read_bytes() == (demo_output / name).read_bytes(), name
    quality = {p: read_output(p / "quality.csv").query("year == 2021 and scope == 'national'")
               .iloc[0] for p in (tmp_path / "o", demo_output)}
    plain, surveyxact = quality[tmp_path / "o"], quality[demo_output]
    assert surveyxact["not_completed"] >= 3 and surveyxact["status_columns"] == "yes"
    assert plain["status_columns"] == "" and pd.isna(plain["not_completed"])
    assert (surveyxact["rows_excluded"] - surveyxact["not_completed"]
            == plain["rows_excluded"] == 1)  # the duplicate, in both
    assert "Ikke gennemført (Nogle svar)" in surveyxact["excluded_reasons"]
    assert "Ikke gennemført (Frafaldet)" in surveyxact["excluded_reasons"]
