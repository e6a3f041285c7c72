"""Compare each indicator with its binding target, and roll the verdicts up. Pure.

Bilag 3: "et resultatmål [kan] ikke anses for opfyldt i et givent år, hvis de
tilknyttede operationelle mål ikke er opnået/indfriet". So an operationelt mål or a
resultatmål is attained in a year only if every indicator with a target that year is
attained; one indicator not attained makes it not attained; an indicator with a target
but no figure makes it incomplete, never attained.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.reference import NATIONAL, Reference

YES, NO, NA, INCOMPLETE = "yes", "no", "n/a", "incomplete"
ABOVE, BELOW, STRADDLES = "above", "below", "straddles"
NO_TARGET_ROWS = ("targets.csv har ingen mål for året (det ligger uden for aftalen), så tallet "
                  "vises uden vurdering")
"""The reason for no verdict in a survey year that targets.csv does not cover at all (a
year covered only in part stops the run: targets.check_complete)."""
DEVELOPMENT_RULE = ("Regel for positiv udvikling: den samlede brug af licenserne med tal begge "
                    "år steg, og antallet af brugere steg for hver af disse licenser (brugere "
                    "af forskellige licenser lægges ikke sammen)")
"""Written next to every verdict on a `positive_development` target. Unique users of
different licences cannot be summed (one person uses several licences), so users must
rise licence by licence; use (loans, streams) can be summed like for like."""


def judge(indicators: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """Add target, target_kind, attained (yes/no/n/a), certainty and a reason for n/a.

    `certainty` compares the confidence interval with the target: wholly above, wholly
    below, or straddling it. It is empty where there is no interval (national figures,
    judgements) or no target.
    """
    out = indicators.merge(targets[["indicator_id", "year", "target_kind", "target"]],
                           on=["indicator_id", "year"], how="left")
    kind = out["target_kind"]
    share, target, value = out["share"], out["target"], out["value"]
    attained = pd.Series(NA, index=out.index, dtype=object)
    reason = pd.Series("", index=out.index, dtype=object)

    def decide(mask: pd.Series, is_yes: pd.Series, missing: pd.Series, why: str) -> None:
        known = mask & ~missing
        attained[known] = np.where(is_yes[known], YES, NO)
        reason[mask & missing] = why

    decide(kind == "min_share", share >= target, share.isna(), "Ingen andel at sammenligne med")
    decide(kind == "min_count", value >= target, value.isna(), "Intet tal at sammenligne med")
    decide(kind == "positive_development", out["development"] == "up",
           out["development"].isna(), "Udviklingen kan ikke opgøres")
    decide(kind == "sandsynliggjort", out["judgement"] == "sandsynliggjort",
           out["judgement"].isna(), "Ingen vurdering")
    reason[kind == "none"] = "Intet mål i Bilag 3 for året"
    reason[kind.isna()] = NO_TARGET_ROWS
    out["attained"] = attained
    out["na_reason"] = np.where(attained == NA, reason, "")
    if "note" not in out:
        out["note"] = ""
    ruled = (kind == "positive_development") & attained.isin([YES, NO])
    out.loc[ruled, "note"] = [f"{n}; {DEVELOPMENT_RULE}" if n else DEVELOPMENT_RULE
                              for n in out.loc[ruled, "note"].fillna("")]

    out["certainty"] = certainty(out)
    out["nonresponse_certainty"] = nonresponse_certainty(out)
    return out


def certainty(rows: pd.DataFrame) -> np.ndarray:
    """Where the interval lies against a `min_share` target: above, below or straddles;
    empty where there is no interval or no share target. Needs share, ci_low, ci_high,
    target_kind and target."""
    has_ci = (rows["target_kind"] == "min_share") & rows["ci_low"].notna()
    target = rows["target"]
    # The share must agree too: the exact finite-population interval lies on the lattice
    # M/N, so with nearly every municipality answering the sample share can sit just
    # outside it; such a verdict is called uncertain rather than sure either way.
    above = (rows["ci_low"] >= target) & (rows["share"] >= target)
    below = (rows["ci_high"] < target) & (rows["share"] < target)
    where = np.select([above, below], [ABOVE, BELOW], STRADDLES)
    return np.where(has_ci, where, "")


def nonresponse_certainty(rows: pd.DataFrame) -> np.ndarray:
    """Where the non-response range lies against a `min_share` target: above (the target
    is met even if every unknown answer were negative), below (not met even if every one
    were positive) or straddles; empty where there is no range or no share target. Needs
    nonresponse_low, nonresponse_high, target_kind and target."""
    has_range = (rows["target_kind"] == "min_share") & rows["nonresponse_low"].notna()
    target = rows["target"]
    where = np.select([rows["nonresponse_low"] >= target, rows["nonresponse_high"] < target],
                      [ABOVE, BELOW], STRADDLES)
    return np.where(has_range, where, "")


def _indicator_status(row: dict) -> str:
    if row["attained"] in (YES, NO):
        return row["attained"]
    if row["target_kind"] == "none" or pd.isna(row["target_kind"]):
        return "no_target"
    return "missing"


def roll_up(judged: pd.DataFrame, reference: Reference, years: list[int]) -> pd.DataFrame:
    """One row per operationelt mål and per resultatmål and year, national scope.

    Lists by id which indicators were attained, not attained, missing (with why) or
    without a target, which verdicts are uncertain (interval straddles the target) and
    which could flip with non-response (non-response range straddles the target).

    `uncertain`: the goal's verdict could be different if some of its straddling
    indicators went the other way, i.e. at least one binding indicator straddles its
    target and none is surely not attained (a goal with an indicator surely below its
    target is surely not attained). `nonresponse_uncertain` is the same with the
    non-response ranges.
    """
    catalogue = reference.indicators
    national = judged[judged["scope"] == NATIONAL].set_index(["indicator_id", "year"])
    national = national.to_dict("index")  # (indicator, year) -> row, for quick lookups
    maal = reference.maal.set_index("maal_id")
    records = []
    for maal_id, goal in maal.iterrows():
        column = "operationelt_maal_id"
        if goal["level"] == "resultatmaal":
            oms = maal.index[(maal["level"] == "operationelt_maal") &
                             (maal["resultatmaal_id"] == maal_id)]
            ids = catalogue.loc[catalogue[column].isin(oms), "indicator_id"].tolist()
        else:
            ids = catalogue.loc[catalogue[column] == maal_id, "indicator_id"].tolist()
        for year in years:
            groups: dict[str, list[str]] = {YES: [], NO: [], "missing": [], "no_target": []}
            uncertain, nonresponse = [], []
            surely_not, surely_not_nonresponse = [], []  # not attained, and not straddling
            for ind in ids:
                if (ind, year) not in national:
                    groups["missing"].append(f"{ind} (ingen data)")
                    continue
                row = national[ind, year]
                status = _indicator_status(row)
                label = ind
                if status == "missing":
                    why = "; ".join(x for x in (row["na_reason"], row.get("note", "")) if x)
                    label = f"{ind} ({why or 'mangler'})"
                groups[status].append(label)
                if row.get("certainty") == STRADDLES:
                    uncertain.append(ind)
                elif status == NO:
                    surely_not.append(ind)
                if row.get("nonresponse_certainty") == STRADDLES:
                    nonresponse.append(ind)
                elif status == NO:
                    surely_not_nonresponse.append(ind)
            if groups[NO]:
                attained = NO
            elif groups["missing"]:
                attained = INCOMPLETE
            elif groups[YES]:
                attained = YES
            else:
                attained = NA
            records.append({
                "level": goal["level"], "maal_id": maal_id,
                "resultatmaal_id": goal["resultatmaal_id"], "opgave": goal["opgave"],
                "label": goal["short_label"], "year": year, "attained": attained,
                "n_indicators": len(ids), "n_attained": len(groups[YES]),
                "n_not_attained": len(groups[NO]), "n_missing": len(groups["missing"]),
                "n_without_target": len(groups["no_target"]),
                "indicators_attained": "; ".join(groups[YES]),
                "indicators_not_attained": "; ".join(groups[NO]),
                "indicators_missing": "; ".join(groups["missing"]),
                "indicators_without_target": "; ".join(groups["no_target"]),
                "uncertain": bool(uncertain) and not surely_not,
                "indicators_uncertain": "; ".join(uncertain),
                "nonresponse_uncertain": bool(nonresponse) and not surely_not_nonresponse,
                "indicators_nonresponse_uncertain": "; ".join(nonresponse),
            })
    goals = pd.DataFrame.from_records(records)
    level_order = {"resultatmaal": 0, "operationelt_maal": 1}
    goals = goals.sort_values(["year", "resultatmaal_id", "level", "maal_id"],
                              key=lambda c: c.map(level_order) if c.name == "level" else c)
    return goals.reset_index(drop=True)


GOAL_CERTAINTY_COLUMNS = ["requested_method", "level", "maal_id", "resultatmaal_id", "year",
                          "attained", "uncertain", "indicators_uncertain"]


def goal_certainty(judged: pd.DataFrame, intervals: pd.DataFrame, reference: Reference,
                   years: list[int]) -> pd.DataFrame:
    """goals.csv's `uncertain` and `indicators_uncertain` under every interval method in
    `intervals` (with its `certainty` per method), so the dashboard can switch method
    without computing anything. The verdicts themselves do not depend on the method."""
    keys = ["indicator_id", "year", "scope"]
    frames = []
    for method, rows in intervals.groupby("requested_method", sort=False):
        alt = judged.drop(columns="certainty").merge(rows[[*keys, "certainty"]], on=keys,
                                                     how="left")
        alt["certainty"] = alt["certainty"].fillna("")
        goals = roll_up(alt, reference, years).assign(requested_method=method)
        frames.append(goals[GOAL_CERTAINTY_COLUMNS])
    if not frames:
        return pd.DataFrame(columns=GOAL_CERTAINTY_COLUMNS)
    return pd.concat(frames, ignore_index=True)
