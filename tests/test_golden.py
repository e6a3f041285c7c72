"""The pipeline reproduces figures worked out by hand (see tests/golden/README.md).

Output CSVs round to 6 decimals, hence the comparisons to within 1e-6.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers import run_pipeline

from pipeline import stats
from pipeline.outputs.read import read_output

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def golden(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("golden_out")
    result = run_pipeline(GOLDEN / "surveys", out)
    assert result.exit_code == 0, result.output
    return out


def test_indicators_match_the_hand_worked_figures(golden):
    expected = pd.read_csv(GOLDEN / "expected_indicators.csv", keep_default_na=False,
                           na_values=[""])
    actual = read_output(golden / "indicators.csv")
    merged = expected.merge(actual, on=["indicator_id", "year", "scope"], how="left",
                            suffixes=("_expected", ""))
    assert len(merged) == len(expected)
    for col in ("respondents", "eligible", "n_valid", "n_positive", "n_unknown",
                "population_eff", "share", "nonresponse_low", "nonresponse_high", "change",
                "n_both_years", "target"):
        np.testing.assert_allclose(merged[col], merged[f"{col}_expected"], atol=1e-6,
                                   err_msg=col)
    for col in ("ci_method", "attained"):
        assert merged[col].tolist() == merged[f"{col}_expected"].tolist(), col


def test_intervals_are_those_of_the_stated_method(golden):
    actual = pd.read_csv(golden / "indicators.csv")
    row = actual.query("indicator_id == 'MO-FYS' and year == 2023 and scope == 'Odense'").iloc[0]
    low, high = stats.hypergeometric([3], [4], [8], 0.95)  # N_eff: Kerteminde said Ved ikke
    assert (row.ci_low, row.ci_high) == pytest.approx((low[0], high[0]), abs=1e-6)
    row = actual.query("indicator_id == 'TS-LAES-STY' and year == 2023 and "
                       "scope == 'national'").iloc[0]
    low, high = stats.hypergeometric([2], [3], [95], 0.95)  # participants too: N_eff = 95
    assert (row.ci_low, row.ci_high) == pytest.approx((low[0], high[0]), abs=1e-6)


def test_change_from_last_year_adds_the_two_level_intervals(golden):
    """Square-and-add of the two years' own (hypergeometric) intervals, each end half a
    lattice step further out (the README's continuity correction)."""
    actual = pd.read_csv(golden / "indicators.csv")
    row = actual.query("indicator_id == 'MO-FYS' and year == 2024 and scope == 'national'")
    row = row.iloc[0]
    assert row.prev_share == pytest.approx(4 / 6, abs=1e-6)
    assert row.change == 0  # 2/3 both years, exactly
    (l1,), (u1,) = stats.hypergeometric([2], [3], [98])
    (l0,), (u0,) = stats.hypergeometric([4], [6], [97])
    # each half-width half a lattice step (1/N_eff) wider, capped at the plain sum
    step1, step0 = 1 / 98 / 2, 1 / 97 / 2
    half_low = min(((2 / 3 - l1 + step1) ** 2 + (u0 - 4 / 6 + step0) ** 2) ** 0.5,
                   (2 / 3 - l1) + (u0 - 4 / 6))
    half_high = min(((u1 - 2 / 3 + step1) ** 2 + (4 / 6 - l0 + step0) ** 2) ** 0.5,
                    (u1 - 2 / 3) + (4 / 6 - l0))
    assert (row.change_ci_low, row.change_ci_high) == pytest.approx((-half_low, half_high),
                                                                    abs=1e-6)
    sty = actual.query("indicator_id == 'TS-LAES-STY' and year == 2024 and "
                       "scope == 'national'").iloc[0]
    assert "ikke er de samme biblioteker" in sty.note


def test_duplicates_keep_the_latest_and_are_reported(golden):
    excluded = pd.read_csv(golden / "excluded_rows.csv")
    assert excluded[["year", "source_row", "kommune_kode"]].values.tolist() == [
        [2023, 2, 461],  # the earlier of Odense's two 2023 answers
        [2024, 2, 461],  # with no timestamp, the earlier row loses to the last one
    ]
    assert (excluded["reason_code"] == "duplicate").all()
    assert excluded["reason"].str.startswith("Dublet").all()
    quality = pd.read_csv(golden / "quality.csv").set_index(["year", "scope"])
    assert quality.loc[(2023, "national"), "duplicates_dropped"] == 1
    assert quality.loc[(2023, "national"), "municipalities_answering"] == 7
    assert quality.loc[(2023, "national"), "response_rate"] == pytest.approx(7 / 98, abs=1e-6)
    assert quality.loc[(2023, "Odense"), "response_rate"] == pytest.approx(5 / 9, abs=1e-6)


def test_goals_follow_the_binding_rule(golden):
    goals = pd.read_csv(golden / "goals.csv").set_index(["maal_id", "year"])
    # RM1: MO-FYS is not attained -> not attained, although MO-DIG has no data.
    assert goals.loc[("RM1", 2023), "attained"] == "no"
    # RM3: neither of its questions is in the codebook -> incomplete, and says why.
    assert goals.loc[("RM3", 2023), "attained"] == "incomplete"
    assert "tydelighed" in goals.loc[("RM3", 2023), "indicators_missing"]
    # OM5.3 has only TS-SAMMENH, attained in 2024.
    assert goals.loc[("OM5.3", 2024), "attained"] == "yes"


def test_personal_data_never_reaches_an_output(golden):
    secrets = ["Golda", "Guldbrandsen", "golda@example.org", "Gorm", "Hemmelig kommentar",
               "Gerda Gnavpot", "Andet svar"]
    for path in golden.iterdir():
        text = path.read_text(encoding="utf-8", errors="replace")
        for secret in secrets:
            assert secret not in text, (secret, path.name)


DEMO_SNAPSHOT = GOLDEN / "demo"


@pytest.mark.parametrize("name", ["indicators.csv", "goals.csv", "quality.csv"])
def test_the_demo_figures_are_the_reviewed_ones(demo_output, name):
    """Byte for byte the reviewed demo outputs (tests/golden/demo/README.md says when and
    how to update them)."""
    written = (demo_output / name).read_bytes()
    if os.environ.get("UPDATE_DEMO_SNAPSHOT"):
        (DEMO_SNAPSHOT / name).write_bytes(written)
    assert written == (DEMO_SNAPSHOT / name).read_bytes()
