"""The agreement period as a whole (period_indicators.csv, period_goals.csv): the years met
are counted from the yearly verdicts, and the development from the first year to the last
has the interval the change from last year has (square-and-add of the two years' level
intervals, with the same continuity correction on exact intervals), so it never
contradicts the two levels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pipeline import stats
from pipeline.indicators import CHANGE_OF_PARTICIPANTS, lattice_step
from pipeline.outputs.read import read_output
from pipeline.period import goal_period, indicator_period, period_years


def judged_rows() -> pd.DataFrame:
    """Two indicators over three years: a share with a gap in its targets, a judgement."""
    base = {"scope": "national", "confidence": 0.95, "value": np.nan, "ci_method": "wilson",
            "n_unknown": 5, "population_eff": 50}
    rows = [
        {"indicator_id": "A", "kind": "participant_share", "year": 2021, "share": 0.60,
         "ci_low": 0.50, "ci_high": 0.70, "target_kind": "min_share", "target": 0.5,
         "attained": "yes", "certainty": "straddles"},
        {"indicator_id": "A", "kind": "participant_share", "year": 2022, "share": np.nan,
         "ci_low": np.nan, "ci_high": np.nan, "target_kind": "min_share", "target": 0.7,
         "attained": "n/a", "certainty": ""},
        {"indicator_id": "A", "kind": "participant_share", "year": 2023, "share": 0.80,
         "ci_low": 0.74, "ci_high": 0.85, "target_kind": "min_share", "target": 0.9,
         "attained": "no", "certainty": "below"},
        {"indicator_id": "J", "kind": "judgement", "year": 2021, "share": np.nan,
         "ci_low": np.nan, "ci_high": np.nan, "target_kind": "sandsynliggjort",
         "target": np.nan, "attained": "yes", "certainty": ""},
        {"indicator_id": "N", "kind": "national_count", "year": 2021, "share": np.nan,
         "ci_low": np.nan, "ci_high": np.nan, "target_kind": "none", "target": np.nan,
         "attained": "n/a", "certainty": "", "value": 700.0},
        {"indicator_id": "N", "kind": "national_count", "year": 2023, "share": np.nan,
         "ci_low": np.nan, "ci_high": np.nan, "target_kind": "min_count", "target": 725.0,
         "attained": "yes", "certainty": "", "value": 735.0},
        {"indicator_id": "A", "kind": "participant_share", "year": 2025, "share": 0.9,
         "ci_low": 0.8, "ci_high": 0.95, "target_kind": np.nan, "target": np.nan,
         "attained": "n/a", "certainty": ""},
    ]
    return pd.DataFrame([{**base, **r} for r in rows])


def test_years_are_counted_within_the_period_and_only_where_there_is_a_target():
    period = indicator_period(judged_rows(), [2021, 2022, 2023]).set_index("indicator_id")
    a = period.loc["A"]
    assert (a.years_in_outputs, a.years_with_target, a.years_met, a.years_not_met,
            a.years_without_figure, a.years_uncertain) == (3, 3, 1, 1, 1, 1)
    assert (a.period_first, a.period_last) == (2021, 2023)  # 2025 lies outside
    n = period.loc["N"]
    assert (n.years_with_target, n.years_met) == (1, 1)  # 2021 had no target


def test_the_development_has_the_square_and_add_interval_of_the_two_levels():
    a = indicator_period(judged_rows(), [2021, 2022, 2023]).set_index("indicator_id").loc["A"]
    assert (a.first_year, a.last_year) == (2021, 2023)  # 2022 has no figure
    assert a.change == pytest.approx(0.20)
    low, high = stats.mover_difference(0.80, 0.74, 0.85, 0.60, 0.50, 0.70)
    assert (a.change_ci_low, a.change_ci_high) == pytest.approx((float(low), float(high)))
    assert a.change_ci_low == pytest.approx(0.20 - np.hypot(0.06, 0.10))
    assert a.note == CHANGE_OF_PARTICIPANTS


def test_exact_intervals_get_the_change_from_last_years_continuity_correction():
    rows = judged_rows()
    rows["ci_method"] = "hypergeometric"
    a = indicator_period(rows, [2021, 2022, 2023]).set_index("indicator_id").loc["A"]
    low, high = stats.mover_difference(0.80, 0.74, 0.85, 0.60, 0.50, 0.70, 1 / 50, 1 / 50)
    assert (a.change_ci_low, a.change_ci_high) == pytest.approx((float(low), float(high)))
    plain = stats.mover_difference(0.80, 0.74, 0.85, 0.60, 0.50, 0.70)
    assert a.change_ci_low < float(plain[0]) and a.change_ci_high > float(plain[1])


def test_national_counts_change_in_numbers_and_judgements_have_no_development():
    period = indicator_period(judged_rows(), [2021, 2022, 2023]).set_index("indicator_id")
    n = period.loc["N"]
    assert (n.first_value, n.last_value, n.value_change) == (700, 735, 35)
    assert n.value_change_pct == pytest.approx(0.05)
    assert pd.isna(period.loc["J", "first_year"]) and pd.isna(period.loc["J", "change"])


def test_goal_years_count_each_verdict():
    goals = pd.DataFrame({
        "level": "resultatmaal", "maal_id": "RM1", "resultatmaal_id": "RM1",
        "year": [2021, 2022, 2023, 2024], "attained": ["yes", "no", "incomplete", "yes"],
        "uncertain": [True, False, False, False]})
    row = goal_period(goals, [2021, 2022, 2023]).iloc[0]
    assert (row.years_met, row.years_not_met, row.years_incomplete, row.years_uncertain,
            row.years_in_outputs) == (1, 1, 1, 1, 3)


def test_the_period_is_the_years_of_the_targets():
    targets = pd.DataFrame({"year": [2022, 2021, 2024, 2023, 2024]})
    assert period_years(targets) == [2021, 2022, 2023, 2024]
    assert indicator_period(judged_rows(), []).empty


def test_the_demo_run_writes_the_period_from_its_yearly_figures(demo_output):
    indicators = read_output(demo_output / "indicators.csv")
    period = read_output(demo_output / "period_indicators.csv")
    goals = read_output(demo_output / "goals.csv")
    period_goals = read_output(demo_output / "period_goals.csv")
    assert set(period["period_first"]) == {2021} and set(period["period_last"]) == {2024}
    national = indicators[indicators["scope"] == "national"]
    checked = 0
    for row in period[period["scope"] == "national"].itertuples():
        mine = national[national["indicator_id"] == row.indicator_id].set_index("year")
        binding = mine["target_kind"].isin(["min_share", "min_count", "sandsynliggjort",
                                            "positive_development"])
        assert row.years_met == int((binding & (mine["attained"] == "yes")).sum())
        assert row.years_not_met == int((binding & (mine["attained"] == "no")).sum())
        if row.kind in ("survey_share", "participant_share"):
            first, last = mine.loc[row.first_year], mine.loc[row.last_year]
            assert row.change == pytest.approx(last.share - first.share, abs=2e-6)
            step_first, step_last = lattice_step(mine.loc[[row.first_year, row.last_year]])
            low, high = stats.mover_difference(last.share, last.ci_low, last.ci_high,
                                               first.share, first.ci_low, first.ci_high,
                                               step_last, step_first)
            assert (row.change_ci_low, row.change_ci_high) == pytest.approx(
                (float(low), float(high)), abs=2e-6)
            if first.ci_high < last.ci_low or last.ci_high < first.ci_low:
                assert not row.change_ci_low <= 0 <= row.change_ci_high
            checked += 1
    assert checked == 12  # every survey indicator of the demo
    for row in period_goals.itertuples():
        mine = goals[goals["maal_id"] == row.maal_id]
        assert row.years_met == int((mine["attained"] == "yes").sum())
        assert row.years_not_met == int((mine["attained"] == "no").sum())
