"""Danish number formats, rounded as Excel shows them."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from pipeline.formatting import number, percent, points


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


def test_signed_changes_never_read_minus_zero():
    assert percent(0.031, 1, signed=True) == "+3,1\u00a0%"
    assert percent(-0.004, 0, signed=True) == "±0\u00a0%"
    assert points(-0.031) == "−3 procentpoint"
    assert points(-0.001) == "±0 procentpoint"
    assert points(0.12) == "+12 procentpoint"


@pytest.mark.parametrize("missing", [None, math.nan, pd.NA, float("nan")])
def test_missing_values_show_a_dash(missing):
    assert number(missing) == percent(missing) == points(missing) == "–"
