"""The Bilag 3 indicators that are not survey shares. Pure.

- MO-IUL: national interlibrary loans, its change from last year, checked against a
  `min_count` target where Bilag 3 has one (725.000 in 2024).
- MO-LIC-BRUG: "positive development" means both total use and total users of the
  licences rose from the year before. Totals compare like with like: only licences
  reported in both years count, and the note names the licences compared and any that
  were left out. (Licence names are matched across years by `read.national_inputs`.)
- TS-*-VAE: the yearly "sandsynliggjort" judgement, with its evidence text.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.formatting import number, percent
from pipeline.reference import NATIONAL, Reference

TOTAL = "I alt"
SERIES_COLUMNS = ["year", "measure", "licence", "value", "prev_value", "value_change",
                  "value_change_pct", "note"]


def national_series(figures: pd.DataFrame | None) -> pd.DataFrame:
    """Every national figure with its change from the year before, plus the like-for-like
    total per licence measure (licence = "I alt"), for national.csv and the charts."""
    if figures is None or figures.empty:
        return pd.DataFrame(columns=SERIES_COLUMNS)
    rows = figures[["year", "measure", "licence", "value"]].copy()
    prev = rows.assign(year=rows["year"] + 1).rename(columns={"value": "prev_value"})
    rows = rows.merge(prev, on=["year", "measure", "licence"], how="left")
    rows["note"] = ""
    per_licence = rows[rows["licence"] != ""]
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
            "note": note,
        })
    series = pd.concat([rows, pd.DataFrame(totals, columns=rows.columns)], ignore_index=True)
    series["value_change"] = series["value"] - series["prev_value"]
    with np.errstate(divide="ignore", invalid="ignore"):
        series["value_change_pct"] = series["value_change"] / series["prev_value"]
    for col in ("value", "prev_value", "value_change"):
        series[col] = series[col].astype("Int64")
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
    if "national_figures" in missing_files:
        return {"note": "Filen national_figures findes ikke i survey-mappen"}
    use = _total(series, "licence_use", year)
    users = _total(series, "licence_users", year)
    if use is None or users is None:
        return {"note": f"Ingen licenstal (brug og brugere) for {year} i national_figures"}
    if pd.isna(use["prev_value"]) or pd.isna(users["prev_value"]):
        return {"value": use["value"],
                "note": f"Ingen licenstal for {year - 1} at sammenligne med"}
    rose = {name: row["value"] > row["prev_value"] for name, row in
            (("brugen", use), ("antallet af brugere", users))}
    parts = [f"Brug {number(use['value'])} ({percent(use['value_change_pct'], 1, True)}), "
             f"brugere {number(users['value'])} ({percent(users['value_change_pct'], 1, True)})"]
    if all(rose.values()):
        parts.append("begge steg")
    else:
        fell = [name for name, up in rose.items() if not up]
        parts.append(" og ".join(fell) + " steg ikke")
    notes = {name: row["note"] for name, row in (("brug", use), ("brugere", users))
             if row["note"]}
    if len(set(notes.values())) == 1:
        parts.append(next(iter(notes.values())))  # the same licences for both: said once
    else:
        parts += [f"{name}: {note}" for name, note in notes.items()]
    return {"value": use["value"], "prev_value": use["prev_value"],
            "value_change": use["value_change"], "value_change_pct": use["value_change_pct"],
            "development": "up" if all(rose.values()) else "not_up", "note": "; ".join(parts)}


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
