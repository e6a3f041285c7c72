"""Each chart's text alternative: the same figures in a sentence, for screen readers, for
readers who cannot tell the colours apart, and under the chart on screen and on paper.
Words only, from the rows the chart is drawn from.
"""

from __future__ import annotations

import pandas as pd

from pipeline.formatting import number, percent
from pipeline.present.words import ci_label, interval_text, scope_label, target_text


def trend(rows: pd.DataFrame, name: str) -> str:
    """'Andel positive for MO-FYS, hele landet: 2021: 84 % (95 %-KI 81–87 %; mål 80 %);
    ...'."""
    parts = []
    for r in rows.sort_values("year").itertuples():
        if pd.isna(r.share):
            parts.append(f"{r.year}: intet tal")
            continue
        target = f"; mål {target_text(r.target_kind, r.target)}" \
            if r.target_kind in ("min_share", "min_count") else ""
        parts.append(f"{r.year}: {percent(r.share)} ({ci_label(r.confidence, short=True)} "
                     f"{interval_text(r.ci_low, r.ci_high)}; frafaldsspænd "
                     f"{interval_text(r.nonresponse_low, r.nonresponse_high)}{target})")
    scope = scope_label(rows["scope"].iloc[0]).lower() if len(rows) else ""
    return f"Diagrammet viser andelen positive for {name}, {scope}, pr. år: " \
           + "; ".join(parts) + "."


def distribution(rows: pd.DataFrame, name: str) -> str:
    """The share of valid answers per answer and year, and the answers outside the scale."""
    parts = []
    for year, part in rows.sort_values(["year", "answer_order"]).groupby("year"):
        valid = part[part["valid"]]
        words = ", ".join(f"{a.lower()} {percent(s)}" for a, s in
                          zip(valid["answer"], valid["share_of_valid"], strict=True))
        outside = int(part.loc[~part["valid"], "count"].sum())
        parts.append(f"{year}: {words}; {number(outside)} ved ikke eller ubesvaret")
    return f"Diagrammet viser svarfordelingen for {name} (andel af de gyldige svar): " \
           + "; ".join(parts) + "."


def regions(rows: pd.DataFrame, name: str) -> str:
    parts = [f"{scope_label(r.scope)} {percent(r.share)} "
             f"({interval_text(r.ci_low, r.ci_high)}, n = {number(r.n_valid)})"
             for r in rows.itertuples()]
    level = rows["confidence"].dropna()
    ci = ci_label(level.iloc[0] if len(level) else 0.95)
    return f"Diagrammet viser andelen positive for {name} pr. CB-region med {ci}: " \
           + "; ".join(parts) + "."


def answered(rows: pd.DataFrame, year: int) -> str:
    """Who answered: per CB region how many, and the municipalities that did not."""
    parts = []
    for cb, part in rows.groupby("centralbibliotek", sort=False):
        missing = list(part.loc[~part["answered"].astype(bool), "kommune"])
        parts.append(f"CB {cb}: {int(part['answered'].sum())} af {len(part)} svarede"
                     + (f" (ikke: {', '.join(missing)})" if missing else ""))
    return f"Kortet viser, hvilke kommuner der besvarede undersøgelsen i {year}: " \
           + "; ".join(parts) + "."


def national_series(rows: pd.DataFrame, name: str, unit: str) -> str:
    parts = [f"{r.year}: {number(r.value)}" + (f" ({percent(r.value_change_pct, 1, True)})"
                                               if pd.notna(r.value_change_pct) else "")
             for r in rows.sort_values("year").itertuples()]
    return f"Diagrammet viser {name.lower()} ({unit}) pr. år: " + "; ".join(parts) + "."


def licences(rows: pd.DataFrame, measure: str, name: str) -> str:
    rows = rows[(rows["measure"] == measure) & (rows["licence"] != "I alt")]
    parts = []
    for licence, part in rows.groupby("licence", sort=True):
        values = ", ".join(f"{r.year}: {number(r.value)}"
                           for r in part.sort_values("year").itertuples())
        parts.append(f"{licence} ({values})")
    return f"Diagrammet viser {name.lower()} pr. år: " + "; ".join(parts) + "."


def response_rates(rows: pd.DataFrame) -> str:
    parts = []
    for scope, part in rows.groupby("scope", sort=False):
        values = ", ".join(f"{r.year}: {percent(r.response_rate)}"
                           for r in part.sort_values("year").itertuples())
        parts.append(f"{scope_label(scope)} ({values})")
    return "Diagrammet viser svarprocenten pr. år og område: " + "; ".join(parts) + "."
