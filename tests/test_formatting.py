"""Danish number formats, rounded as Excel shows them."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from pipeline.formatting import number, percent, percent_beside, points


@pytest.mark.parametrize("value, decimals, text", [
    (725000, 0, "725.000"), (0.875, 2, "0,88"), (1234567.891, 1, "1.234.567,9"), (0, 0, "0"),
])
def test_number(value, decimals, text):
    assert number(value, decimals) == text


@pytest.mark.parametrize("share, text", [
    (0.87, "87\u00a0%"), (0.125, "13\u00a0%"), (0.145, "15\u00a0%"), (1.0, "100\u00a0%"),
    (0.0, "0\u00a0%"),
])
def test_percent_rounds_half_up_like_excel(share, text):
    assert percent(share) == text


def test_signed_changes_never_read_minus_or_plus_minus_zero():
    assert percent(0.031, 1, signed=True) == "+3,1\u00a0%"
    assert percent(-0.004, 0, signed=True) == "0\u00a0%"
    assert points(-0.031) == "−3 procentpoint"
    assert points(-0.001) == "0 procentpoint"
    assert points(0.12) == "+12 procentpoint"


@pytest.mark.parametrize("missing", [None, math.nan, pd.NA, float("nan")])
def test_missing_values_show_a_dash(missing):
    assert number(missing) == percent(missing) == points(missing) == "–"


@pytest.mark.parametrize("share, target, text", [
    (26 / 29, 0.9, "89,7\u00a0%"),  # would read "90 %" beside "90 %", yet misses it
    (0.898, 0.9, "89,8\u00a0%"),  # an interval bound just below the target
    (0.9049, 0.9, "90,5\u00a0%"),  # just above: the decimal shows it meets the target
    (0.89998, 0.9, "89,998\u00a0%"),  # more decimals, until it differs
    (0.9, 0.9, "90\u00a0%"),  # exactly at the target meets it, and reads so
    (63 / 70, 0.9, "90\u00a0%"),
    (0.93, 0.9, "93\u00a0%"),  # reads differently anyway: whole per cent
    (0.87, None, "87\u00a0%"),  # no target: plain whole per cent
])
def test_a_share_beside_its_target_never_reads_like_it_unless_it_is(share, target, text):
    assert percent_beside(share, target) == text


@pytest.mark.parametrize("low, high, target, text", [
    (0.903, 0.92, 0.9, "90,3–92,0\u00a0%"),  # one bound needs a decimal: both get it
    (0.83, 0.92, 0.9, "83–92\u00a0%"),  # neither reads like the target
    (0.83, 0.92, None, "83–92\u00a0%"),
])
def test_an_interval_beside_its_target_shows_both_bounds_alike(low, high, target, text):
    from pipeline.present.words import interval_text

    assert interval_text(low, high, target) == text


def test_indicator_tables_show_a_decimal_only_where_a_share_would_read_like_its_target():
    from pipeline.present.tables import indicator_table
    from pipeline.reference import load_reference

    rows = pd.DataFrame({
        "indicator_id": ["MO-FYS", "MO-FYS", "MO-IUL"], "year": [2024, 2023, 2024],
        "scope": ["national"] * 3, "respondents": [29, 29, None], "n_valid": [29, 29, None],
        "n_positive": [26, 26, None], "share": [26 / 29, 26 / 29, None],
        "ci_low": [0.898, 0.898, None], "ci_high": [0.93, 0.93, None],
        "nonresponse_low": [0.85, 0.85, None], "nonresponse_high": [0.95, 0.95, None],
        "change": [None] * 3, "value": [None, None, 725_000],
        "target_kind": ["min_share", "min_share", "min_count"], "target": [0.9, 0.85, 725_000],
        "attained": ["no", "yes", "yes"], "certainty": ["straddles", "above", ""],
        "na_reason": [""] * 3, "note": [""] * 3})
    shown = indicator_table(rows, load_reference()).shown()
    assert shown["Andel positive"].tolist() == ["89,7\u00a0%", "90\u00a0%", "–"]
    assert shown["KI nedre"].tolist() == ["89,8\u00a0%", "90\u00a0%", "–"]
    assert shown["Mål"].tolist()[:2] == ["90\u00a0%", "85\u00a0%"]
    only = indicator_table(rows, load_reference()).only(["Andel positive"]).shown()
    assert only["Andel positive"].tolist()[0] == "89,7\u00a0%"


def test_a_run_of_years_reads_first_to_last_with_an_en_dash():
    from pipeline.formatting import range_text

    assert range_text([2021, 2022, 2023, 2024]) == "2021–2024"
    assert range_text([2024]) == "2024"  # one year is not a range
