"""The Bilag 3 indicators that are not survey shares. Pure.

- MO-IUL: national interlibrary loans, its change from last year, checked against a
  `min_count` target where Bilag 3 has one (725.000 in 2024).
- MO-LIC-BRUG: use and users per licence, with the change from the year before and from
  the first year. Bilag 3 sets no yearly target (n/a), so there is normally no verdict.
  Where an agreement sets `positive_development`, the rule is: the like-for-like total
  use rose (only licences reported in both years count, and the note names the licences
  compared and any left out; licence names are matched across years by
  `read.national_inputs`) and the users of every licence reported in both years rose.
  Unique users of different licences are never summed: one person uses several licences.
- TS-*-VAE: the yearly "sandsynliggjort" judgement, with its evidence text.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.formatting import number, percent
from pipeline.reference import NATIONAL, Reference

TOTAL = "I alt"
SERIES_COLUMNS = ["year", "measure", "licence", "value", "prev_value", "value_change",
                  "value_change_pct", "first_year", "first_value", "change_since_first",
                  "change_since_first_pct", "source", "note"]


def national_series(figures: pd.DataFrame | None, reference: Reference) -> pd.DataFrame:
    """Every national figure with its change from the year before and from its first year
    (the earliest year with a figure for that measure and licence), plus, for the licence
    measures that may be added up (`summable` in national_measures.csv: use, not unique
    users), the like-for-like total (licence = "I alt"), for national.csv and the
    charts."""
    measures = reference.national_measures
    summable = measures.loc[measures["summable"], "measure"].tolist()
    if figures is None or figures.empty:
        return pd.DataFrame(columns=SERIES_COLUMNS)
    rows = figures[["year", "measure", "licence", "value"]].copy()
    rows["source"] = (figures["source"].fillna("").astype(str) if "source" in figures
                      else "")
    prev = rows[["year", "measure", "licence", "value"]].assign(
        year=rows["year"] + 1).rename(columns={"value": "prev_value"})
    rows = rows.merge(prev, on=["year", "measure", "licence"], how="left")
    rows["note"] = ""
    first = (rows.sort_values("year").groupby(["measure", "licence"], as_index=False)
             .first()[["measure", "licence", "year", "value"]]
             .rename(columns={"year": "first_year", "value": "first_value"}))
    rows = rows.merge(first, on=["measure", "licence"], how="left")
    per_licence = rows[(rows["licence"] != "") & rows["measure"].isin(summable)]
    totals = []
    for (year, measure), group in per_licence.groupby(["year", "measure"]):
        both = group[group["prev_value"].notna()]
        had_prev = (figures["year"] == year - 1).any()
        new = sorted(group.loc[group["prev_value"].isna(), "licence"]) if had_prev else []
        before = figures[(figures["year"] == year - 1) & (figures["measure"] == measure)]
        ended = sorted(set(before["licence"]) - set(group["licence"]))
        note = _compared_note(sorted(both["licence"], key=str.casefold) if had_prev else [],
                              new, ended, year)
        totals.append({
            "year": year, "measure": measure, "licence": TOTAL,
            "value": both["value"].sum() if not both.empty else group["value"].sum(),
            "prev_value": both["prev_value"].sum() if not both.empty else np.nan,
            "source": "; ".join(dict.fromkeys(s for s in group["source"] if s)),
            "note": note,
        })
    series = pd.concat([rows, pd.DataFrame(totals, columns=rows.columns)], ignore_index=True)
    series["value_change"] = series["value"] - series["prev_value"]
    series["change_since_first"] = series["value"] - series["first_value"]
    since_first = series["first_year"].notna() & (series["first_year"] < series["year"])
    series.loc[~since_first, ["change_since_first", "first_year", "first_value"]] = np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        series["value_change_pct"] = series["value_change"] / series["prev_value"]
        series["change_since_first_pct"] = series["change_since_first"] / series["first_value"]
    for col in ("value", "prev_value", "value_change", "first_year", "first_value",
                "change_since_first"):
        series[col] = pd.to_numeric(series[col]).round().astype("Int64")
    series = series.sort_values(["measure", "licence", "year"], ignore_index=True)
    return series[SERIES_COLUMNS]


def _compared_note(compared: list[str], new: list[str], ended: list[str], year: int) -> str:
    """Which licences the like-for-like total compares with the year before, and which it
    leaves out (new this year, or not reported this year)."""
    left_out = [f"{name} (ny i {year})" for name in new] + \
               [f"{name} (ikke opgjort i {year})" for name in ended]
    if not compared and not left_out:
        return ""
    note = (f"Sammenlignet over licenser med tal begge år: {', '.join(compared)}" if compared
            else "Ingen licens har tal begge år")
    return note + ("; udeladt: " + ", ".join(left_out) if left_out else "")


def _left_out(new: list[str], ended: list[str], year: int) -> str:
    left_out = [f"{name} (ny i {year})" for name in new] + \
               [f"{name} (ikke opgjort i {year})" for name in ended]
    return ("Sammenlignet over licenser med tal begge år; udeladt: " + ", ".join(left_out)
            if left_out else "")


def _same_licences_left_out(note: str, said: str) -> bool:
    """Whether `note` says nothing `said` has not: the same text, or the same licences left
    out (the users' note after the use note), so that no note is written twice."""
    tail = note.partition("udeladt: ")[2]
    return note == said or bool(tail) and said.endswith(f"udeladt: {tail}")


def national_indicators(series: pd.DataFrame, judgements: pd.DataFrame | None,
                        years: list[int], reference: Reference,
                        missing_files: list[str]) -> pd.DataFrame:
    """One indicators.csv row per non-survey indicator and survey year (scope national).

    Where an input is missing, the row still exists, with a note saying which input, so
    the roll-up can say why a goal is incomplete.
    """
    catalogue = reference.indicators.set_index("indicator_id")
    records = []
    for ind, info in catalogue.iterrows():
        for year in years:
            base = {"indicator_id": ind, "year": year, "scope": NATIONAL, "kind": info["kind"],
                    "value": np.nan, "prev_value": np.nan, "value_change": np.nan,
                    "value_change_pct": np.nan, "development": None, "judgement": None,
                    "evidence": "", "note": ""}
            if info["kind"] == "national_count":
                records.append({**base, **_count(series, ind, year, reference, missing_files)})
            elif info["kind"] == "national_trend":
                records.append({**base, **_trend(series, year, missing_files)})
            elif info["kind"] == "judgement":
                records.append({**base, **_judgement(judgements, ind, year, missing_files)})
    return pd.DataFrame.from_records(records)


def _total(series: pd.DataFrame, measure: str, year: int) -> pd.Series | None:
    rows = series[(series["measure"] == measure) & (series["year"] == year) &
                  (series["licence"].isin(["", TOTAL]))]
    return rows.iloc[0] if len(rows) else None


def _count(series: pd.DataFrame, ind: str, year: int, reference: Reference,
           missing_files: list[str]) -> dict:
    measures = reference.national_measures
    measure = measures.loc[measures["indicator_id"] == ind, "measure"].iloc[0]
    if "national_figures" in missing_files:
        return {"note": "Filen national_figures findes ikke i survey-mappen"}
    row = _total(series, measure, year)
    if row is None:
        return {"note": f"Intet tal for {measure} {year} i national_figures"}
    out = {k: row[k] for k in ("value", "prev_value", "value_change", "value_change_pct")}
    if pd.isna(row["prev_value"]):
        out["note"] = f"Intet tal for {year - 1} at sammenligne med"
    return out


def _trend(series: pd.DataFrame, year: int, missing_files: list[str]) -> dict:
    """Use (like-for-like total) and users per licence, and whether they developed
    positively by the rule in the module docstring. `development` is a description; it
    becomes a verdict only where targets.csv sets `positive_development`."""
    if "national_figures" in missing_files:
        return {"note": "Filen national_figures findes ikke i survey-mappen"}
    use = _total(series, "licence_use", year)
    users = series[(series["measure"] == "licence_users") & (series["year"] == year)
                   & (series["licence"] != "")]
    if use is None or users.empty:
        return {"note": f"Ingen licenstal (brug og brugere) for {year} i national_figures"}
    shown = "; brugere pr. licens: " + ", ".join(
        f"{r.licence} {number(r.value)}" + (f" ({percent(r.value_change_pct, 1, True)})"
                                            if pd.notna(r.prev_value) else "")
        for r in users.sort_values("licence", key=lambda c: c.str.casefold()).itertuples())
    users_both = users[users["prev_value"].notna()]
    if pd.isna(use["prev_value"]) or users_both.empty:
        return {"value": use["value"],
                "note": f"Brug i alt {number(use['value'])}{shown}; ingen licenstal for "
                        f"{year - 1} at sammenligne med"}
    fell = sorted(users_both.loc[users_both["value"] <= users_both["prev_value"], "licence"],
                  key=str.casefold)
    use_rose = use["value"] > use["prev_value"]
    parts = [f"Brug i alt {number(use['value'])} "
             f"({percent(use['value_change_pct'], 1, True)}){shown}"]
    if use_rose and not fell:
        parts.append("brugen i alt og brugerne af hver licens steg")
    else:
        if not use_rose:
            parts.append("brugen i alt steg ikke")
        if fell:
            parts.append(f"antallet af brugere steg ikke for {', '.join(fell)}")
    ended = sorted(set(series.loc[(series["measure"] == "licence_users")
                                  & (series["year"] == year - 1), "licence"])
                   - set(users["licence"]))
    users_left_out = _left_out(sorted(users.loc[users["prev_value"].isna(), "licence"]),
                               ended, year)
    for note in (use["note"], users_left_out):
        if note and not any(_same_licences_left_out(note, said) for said in parts):
            parts.append(note)
    return {"value": use["value"], "prev_value": use["prev_value"],
            "value_change": use["value_change"], "value_change_pct": use["value_change_pct"],
            "development": "up" if use_rose and not fell else "not_up",
            "note": "; ".join(parts)}


def _judgement(judgements: pd.DataFrame | None, ind: str, year: int,
               missing_files: list[str]) -> dict:
    if "judgements" in missing_files or judgements is None:
        return {"note": "Filen judgements findes ikke i survey-mappen"}
    rows = judgements[(judgements["indicator_id"] == ind) & (judgements["year"] == year)]
    if rows.empty:
        return {"note": f"Ingen vurdering for {ind} {year} i judgements"}
    row = rows.iloc[0]
    note = ""
    if pd.notna(row.get("agreed_figure")):
        note = f"Aftalt nøgletal: {number(row['agreed_figure'])}"
        if pd.notna(row.get("agreed_target")):
            note += f" (mål: {number(row['agreed_target'])})"
    return {"judgement": row["judgement"], "evidence": row["evidence"],
            "value": row.get("agreed_figure", np.nan), "note": note}
