"""The agreement period as a whole, for the period assessment (periodevaluering): per
indicator and scope, in how many of the period's years it was met and how it developed
from the first year to the last; per operationelt mål and resultatmål, in how many years
it was met. Pure: it takes the judged indicator rows and the goals of a run.

The period is the years targets.csv covers (the agreement's years). The development of a
share compares the last year with a figure against the first, with the interval built as
the change from the year before is built (`stats.mover_difference`: square-and-add of
the two years' own level intervals, with the same half-step continuity correction on the
exact intervals, `indicators.lattice_step`), so the development never contradicts the two
years' levels. The national count gets its change in numbers and in per cent; the licences'
development is per licence in national.csv (`change_since_first`), as their totals need not
compare like with like over four years; judgements have none. Counting the years met is
done here too, so the report only reads.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from pipeline import stats
from pipeline.attainment import NA, NO, STRADDLES, YES
from pipeline.indicators import CHANGE_OF_PARTICIPANTS, lattice_step

INDICATOR_COLUMNS = [
    "indicator_id", "scope", "kind", "period_first", "period_last", "years_in_outputs",
    "years_with_target", "years_met", "years_not_met", "years_without_figure",
    "years_uncertain", "first_year", "last_year", "first_share", "last_share", "change",
    "change_ci_low", "change_ci_high", "confidence", "first_value", "last_value",
    "value_change", "value_change_pct", "note",
]
GOAL_COLUMNS = [
    "level", "maal_id", "resultatmaal_id", "period_first", "period_last", "years_in_outputs",
    "years_met", "years_not_met", "years_incomplete", "years_without_target",
    "years_uncertain",
]
TARGET_KINDS = ("min_share", "min_count", "positive_development", "sandsynliggjort")
"""Target kinds that give a verdict (`none` and a year outside targets.csv give none)."""


def period_years(targets: pd.DataFrame) -> list[int]:
    """The agreement's years: every year targets.csv has a row for."""
    return sorted(int(y) for y in targets["year"].dropna().unique())


def indicator_period(judged: pd.DataFrame, years: Sequence[int]) -> pd.DataFrame:
    """One row per indicator and scope: years with a target, met, not met, without a
    figure and statistically uncertain within the period, and the development from the
    first to the last year with a figure."""
    if not years:
        return pd.DataFrame(columns=INDICATOR_COLUMNS)
    keys = ["indicator_id", "scope"]
    rows = judged[judged["year"].isin(years)]
    binding = rows["target_kind"].isin(TARGET_KINDS)
    verdict = rows["attained"].isin([YES, NO])
    flags = pd.DataFrame({
        "years_with_target": binding,
        "years_met": binding & (rows["attained"] == YES),
        "years_not_met": binding & (rows["attained"] == NO),
        "years_without_figure": binding & (rows["attained"] == NA),
        "years_uncertain": verdict & (rows["certainty"] == STRADDLES),
    }).astype(int)
    groups = pd.concat([rows[keys], flags], axis=1).groupby(keys, sort=False)
    out = groups.sum().join(rows.groupby(keys, sort=False).agg(
        kind=("kind", "first"), years_in_outputs=("year", "size"))).reset_index()
    out["period_first"], out["period_last"], out["note"] = min(years), max(years), ""
    development = pd.concat([_share_development(rows), _count_development(rows)])
    out = out.drop(columns="note").merge(development, on=keys, how="left")
    out["note"] = out["note"].fillna("")
    for column in ("first_year", "last_year", "first_value", "last_value", "value_change"):
        out[column] = pd.to_numeric(out[column]).round().astype("Int64")
    return out.reindex(columns=INDICATOR_COLUMNS)


def _first_and_last(known: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each indicator and scope's first and last year with a figure, where it has two."""
    known = known.sort_values("year", kind="stable")
    grouped = known.groupby(["indicator_id", "scope"], sort=False)
    two = grouped["year"].transform("size") >= 2
    grouped = known[two].groupby(["indicator_id", "scope"], sort=False)
    return grouped.head(1).reset_index(drop=True), grouped.tail(1).reset_index(drop=True)


def _share_development(rows: pd.DataFrame) -> pd.DataFrame:
    """A share's change from its first to its last year, with the interval the change
    from last year gets (square-and-add with the half-step correction)."""
    known = rows[rows["kind"].isin(["survey_share", "participant_share"])
                 & rows["share"].notna() & rows["ci_low"].notna()]
    first, last = _first_and_last(known)
    low, high = stats.mover_difference(last["share"], last["ci_low"], last["ci_high"],
                                       first["share"], first["ci_low"], first["ci_high"],
                                       lattice_step(last), lattice_step(first))
    return pd.DataFrame({
        "indicator_id": last["indicator_id"], "scope": last["scope"],
        "first_year": first["year"].astype(int), "last_year": last["year"].astype(int),
        "first_share": first["share"], "last_share": last["share"],
        "change": last["share"] - first["share"], "change_ci_low": low.astype(float),
        "change_ci_high": high.astype(float), "confidence": last.get("confidence", np.nan),
        "note": np.where(last["kind"] == "participant_share", CHANGE_OF_PARTICIPANTS, ""),
    })


def _count_development(rows: pd.DataFrame) -> pd.DataFrame:
    """A national count's change in numbers and per cent (the licences' is per licence in
    national.csv, since their totals need not compare like with like)."""
    known = rows[(rows["kind"] == "national_count") & rows["value"].notna()]
    first, last = _first_and_last(known)
    change = last["value"] - first["value"]
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(first["value"] != 0, change / first["value"], np.nan)
    return pd.DataFrame({
        "indicator_id": last["indicator_id"], "scope": last["scope"],
        "first_year": first["year"].astype(int), "last_year": last["year"].astype(int),
        "first_value": first["value"], "last_value": last["value"],
        "value_change": change, "value_change_pct": pct,
    })


def goal_period(goals: pd.DataFrame, years: Sequence[int]) -> pd.DataFrame:
    """One row per operationelt mål and resultatmål: in how many of the period's years it
    was met, not met, incomplete (a figure missing), without a target, and uncertain."""
    if not years or goals.empty:
        return pd.DataFrame(columns=GOAL_COLUMNS)
    rows = goals[goals["year"].isin(years)]
    records = []
    for (level, maal_id), group in rows.groupby(["level", "maal_id"], sort=False):
        attained = group["attained"]
        uncertain = group["uncertain"].astype(bool) if "uncertain" in group else False
        records.append({
            "level": level, "maal_id": maal_id,
            "resultatmaal_id": group["resultatmaal_id"].iloc[0],
            "period_first": min(years), "period_last": max(years),
            "years_in_outputs": len(group),
            "years_met": int((attained == YES).sum()),
            "years_not_met": int((attained == NO).sum()),
            "years_incomplete": int((attained == "incomplete").sum()),
            "years_without_target": int((attained == NA).sum()),
            "years_uncertain": int((uncertain & attained.isin([YES, NO])).sum()),
        })
    return pd.DataFrame.from_records(records, columns=GOAL_COLUMNS)
