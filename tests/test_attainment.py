"""Verdicts per indicator and the binding roll-up (Bilag 3: all indicators or nothing)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.attainment import DEVELOPMENT_RULE, NO_TARGET_ROWS, goal_certainty, judge, roll_up
from pipeline.reference import load_reference

REF = load_reference()


def indicator(ind: str, year: int = 2024, **values) -> dict:
    base = {"indicator_id": ind, "year": year, "scope": "national", "share": np.nan,
            "ci_low": np.nan, "ci_high": np.nan, "nonresponse_low": np.nan,
            "nonresponse_high": np.nan, "value": np.nan, "development": None,
            "judgement": None, "note": ""}
    return {**base, **values}


def target(ind: str, kind: str, value: float = np.nan, year: int = 2024) -> dict:
    return {"indicator_id": ind, "year": year, "target_kind": kind, "target": value}


def verdicts(rows: list[dict], targets: list[dict]) -> pd.DataFrame:
    return judge(pd.DataFrame(rows), pd.DataFrame(targets)).set_index("indicator_id")


def test_share_at_exactly_the_target_is_attained():
    # 17/20 = 0.85 must meet a target of 85 % despite floating point.
    out = verdicts([indicator("MO-FYS", share=17 / 20, ci_low=0.8, ci_high=0.9)],
                   [target("MO-FYS", "min_share", 0.85)])
    assert out.loc["MO-FYS", "attained"] == "yes"
    assert out.loc["MO-FYS", "certainty"] == "straddles"


def test_certainty_says_where_the_interval_lies():
    rows = [indicator("MO-FYS", share=0.95, ci_low=0.91, ci_high=0.97),
            indicator("MO-DIG", share=0.60, ci_low=0.55, ci_high=0.69),
            indicator("MO-TYD", share=0.72, ci_low=0.68, ci_high=0.76)]
    targets = [target(i, "min_share", 0.7) for i in ("MO-FYS", "MO-DIG", "MO-TYD")]
    out = verdicts(rows, targets)
    assert out["attained"].to_dict() == {"MO-FYS": "yes", "MO-DIG": "no", "MO-TYD": "yes"}
    assert out["certainty"].to_dict() == {"MO-FYS": "above", "MO-DIG": "below",
                                          "MO-TYD": "straddles"}


def test_a_share_on_the_other_side_of_its_interval_is_uncertain_not_sure():
    # Nearly a census: the lattice interval [0.898, 0.898] lies below 0.9, the share above.
    out = verdicts([indicator("MO-FYS", share=0.901, ci_low=0.898, ci_high=0.898)],
                   [target("MO-FYS", "min_share", 0.9)])
    assert out.loc["MO-FYS", "attained"] == "yes"
    assert out.loc["MO-FYS", "certainty"] == "straddles"


def test_no_target_or_no_data_gives_no_verdict_and_says_why():
    rows = [indicator("MO-IUL", value=700_000), indicator("MO-FYS"),
            indicator("MO-DIG", share=0.9)]
    targets = [target("MO-IUL", "none"), target("MO-FYS", "min_share", 0.9)]
    out = verdicts(rows, targets)
    assert out["attained"].tolist() == ["n/a", "n/a", "n/a"]
    assert out.loc["MO-IUL", "na_reason"] == "Intet mål i Bilag 3 for året"
    assert out.loc["MO-FYS", "na_reason"] == "Ingen andel at sammenligne med"
    assert out.loc["MO-DIG", "na_reason"] == NO_TARGET_ROWS


def test_counts_trends_and_judgements():
    rows = [indicator("MO-IUL", value=724_999), indicator("MO-LIC-BRUG", development="up"),
            indicator("TS-KULT-VAE", judgement="ikke sandsynliggjort"),
            indicator("TS-LAES-VAE", judgement="sandsynliggjort")]
    targets = [target("MO-IUL", "min_count", 725_000),
               target("MO-LIC-BRUG", "positive_development"),
               target("TS-KULT-VAE", "sandsynliggjort"), target("TS-LAES-VAE", "sandsynliggjort")]
    out = verdicts(rows, targets)
    assert out["attained"].to_dict() == {"MO-IUL": "no", "MO-LIC-BRUG": "yes",
                                         "TS-KULT-VAE": "no", "TS-LAES-VAE": "yes"}


def goals_for(rows: list[dict], targets: list[dict]) -> pd.DataFrame:
    judged = judge(pd.DataFrame(rows), pd.DataFrame(targets))
    return roll_up(judged, REF, [2024]).set_index("maal_id")


def test_one_failed_indicator_fails_the_goal():
    rows = [indicator("MO-FYS", share=0.95, ci_low=0.9, ci_high=0.97),
            indicator("MO-DIG", share=0.5, ci_low=0.4, ci_high=0.6)]
    targets = [target("MO-FYS", "min_share", 0.9), target("MO-DIG", "min_share", 0.75)]
    goals = goals_for(rows, targets)
    assert goals.loc["RM1", "attained"] == "no"
    assert goals.loc["RM1", "indicators_not_attained"] == "MO-DIG"
    assert goals.loc["OM1.1", "attained"] == "no"


def test_a_missing_indicator_makes_the_goal_incomplete_never_attained():
    rows = [indicator("MO-FYS", share=0.95, ci_low=0.9, ci_high=0.97), indicator("MO-DIG")]
    targets = [target("MO-FYS", "min_share", 0.9), target("MO-DIG", "min_share", 0.75)]
    goals = goals_for(rows, targets)
    assert goals.loc["RM1", "attained"] == "incomplete"
    assert goals.loc["RM1", "indicators_missing"].startswith("MO-DIG (")


def test_indicators_without_a_target_do_not_block_the_goal():
    rows = [indicator("MO-LIC-BRUG", development="up"),
            indicator("MO-LIC-FORM", share=0.8, ci_low=0.76, ci_high=0.83),
            indicator("MO-IUL", value=700_000)]
    targets = [target("MO-LIC-BRUG", "positive_development"),
               target("MO-LIC-FORM", "min_share", 0.75), target("MO-IUL", "none")]
    goals = goals_for(rows, targets)
    assert goals.loc["RM2", "attained"] == "yes"
    assert goals.loc["RM2", "indicators_without_target"] == "MO-IUL"
    assert goals.loc["OM2.2", "attained"] == "n/a"


def test_uncertain_verdicts_are_listed():
    rows = [indicator("MO-FYS", share=0.91, ci_low=0.88, ci_high=0.93),
            indicator("MO-DIG", share=0.8, ci_low=0.77, ci_high=0.83)]
    targets = [target("MO-FYS", "min_share", 0.9), target("MO-DIG", "min_share", 0.75)]
    goals = goals_for(rows, targets)
    assert goals.loc["RM1", "attained"] == "yes"
    assert goals.loc["RM1", "indicators_uncertain"] == "MO-FYS"


def test_nonresponse_certainty_says_where_the_nonresponse_range_lies():
    rows = [indicator("MO-FYS", share=0.95, ci_low=0.91, ci_high=0.97, nonresponse_low=0.9,
                      nonresponse_high=0.97),
            indicator("MO-DIG", share=0.60, ci_low=0.55, ci_high=0.65, nonresponse_low=0.5,
                      nonresponse_high=0.69),
            indicator("MO-TYD", share=0.80, ci_low=0.75, ci_high=0.85, nonresponse_low=0.65,
                      nonresponse_high=0.85)]
    targets = [target(i, "min_share", 0.7) for i in ("MO-FYS", "MO-DIG", "MO-TYD")]
    out = verdicts(rows, targets)
    assert out["certainty"].to_dict() == {"MO-FYS": "above", "MO-DIG": "below",
                                          "MO-TYD": "above"}
    assert out["nonresponse_certainty"].to_dict() == {"MO-FYS": "above", "MO-DIG": "below",
                                                      "MO-TYD": "straddles"}


def test_a_goal_is_uncertain_when_a_straddling_indicator_could_change_its_verdict():
    fys_straddles = indicator("MO-FYS", share=0.91, ci_low=0.88, ci_high=0.93,
                              nonresponse_low=0.85, nonresponse_high=0.95)
    dig_sure = indicator("MO-DIG", share=0.8, ci_low=0.77, ci_high=0.83,
                         nonresponse_low=0.76, nonresponse_high=0.84)
    targets = [target("MO-FYS", "min_share", 0.9), target("MO-DIG", "min_share", 0.75)]
    goals = goals_for([fys_straddles, dig_sure], targets)
    assert goals.loc["RM1", "attained"] == "yes" and goals.loc["RM1", "uncertain"]
    assert goals.loc["RM1", "nonresponse_uncertain"]
    assert goals.loc["RM1", "indicators_nonresponse_uncertain"] == "MO-FYS"
    # MO-DIG surely below its target: the goal is surely not attained, whatever MO-FYS is.
    dig_below = indicator("MO-DIG", share=0.6, ci_low=0.55, ci_high=0.65,
                          nonresponse_low=0.5, nonresponse_high=0.7)
    goals = goals_for([fys_straddles, dig_below], targets)
    assert goals.loc["RM1", "attained"] == "no" and not goals.loc["RM1", "uncertain"]
    assert goals.loc["RM1", "indicators_uncertain"] == "MO-FYS"  # still listed
    assert not goals.loc["RM1", "nonresponse_uncertain"]
    # Only straddling indicators hold the goal back: its "not attained" is uncertain.
    dig_straddles = indicator("MO-DIG", share=0.74, ci_low=0.7, ci_high=0.78,
                              nonresponse_low=0.7, nonresponse_high=0.8)
    goals = goals_for([fys_straddles, dig_straddles], targets)
    assert goals.loc["RM1", "attained"] == "no" and goals.loc["RM1", "uncertain"]
    assert goals.loc["RM1", "indicators_uncertain"] == "MO-FYS; MO-DIG"
    # Sure indicators only: nothing is uncertain.
    fys_sure = indicator("MO-FYS", share=0.95, ci_low=0.92, ci_high=0.97,
                         nonresponse_low=0.91, nonresponse_high=0.97)
    goals = goals_for([fys_sure, dig_sure], targets)
    assert not goals.loc["RM1", "uncertain"] and not goals.loc["RM1", "nonresponse_uncertain"]
    assert goals.loc["RM1", "indicators_uncertain"] == ""


def test_goal_certainty_is_written_for_every_interval_method():
    rows = [indicator("MO-FYS", share=0.93, ci_low=0.91, ci_high=0.95),
            indicator("MO-DIG", share=0.8, ci_low=0.77, ci_high=0.83)]
    targets = [target("MO-FYS", "min_share", 0.9), target("MO-DIG", "min_share", 0.75)]
    judged = judge(pd.DataFrame(rows), pd.DataFrame(targets))
    keys = {"year": 2024, "scope": "national"}
    intervals = pd.DataFrame([
        {"indicator_id": "MO-FYS", "requested_method": "auto", "certainty": "above", **keys},
        {"indicator_id": "MO-DIG", "requested_method": "auto", "certainty": "above", **keys},
        {"indicator_id": "MO-FYS", "requested_method": "wilson", "certainty": "straddles",
         **keys},
        {"indicator_id": "MO-DIG", "requested_method": "wilson", "certainty": "above", **keys},
    ])
    out = goal_certainty(judged, intervals, REF, [2024]).set_index(["requested_method",
                                                                    "maal_id"])
    assert not out.loc[("auto", "RM1"), "uncertain"]
    assert out.loc[("wilson", "RM1"), "uncertain"]
    assert out.loc[("wilson", "RM1"), "indicators_uncertain"] == "MO-FYS"
    assert (out["attained"] == "yes").loc[(slice(None), "RM1")].all()
    assert out.loc[("auto", "RM1"), "uncertain"] == roll_up(judged, REF, [2024]).set_index(
        "maal_id").loc["RM1", "uncertain"]


def test_a_development_verdict_carries_its_rule_and_no_target_gives_none():
    rows = [indicator("MO-LIC-BRUG", development="up", note="Brug i alt 10")]
    out = verdicts(rows, [target("MO-LIC-BRUG", "positive_development")])
    assert out.loc["MO-LIC-BRUG", "attained"] == "yes"
    assert out.loc["MO-LIC-BRUG", "note"] == f"Brug i alt 10; {DEVELOPMENT_RULE}"
    out = verdicts(rows, [target("MO-LIC-BRUG", "none")])  # Bilag 3: n/a
    assert out.loc["MO-LIC-BRUG", "attained"] == "n/a"
    assert out.loc["MO-LIC-BRUG", "note"] == "Brug i alt 10"
