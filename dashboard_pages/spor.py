"""Per track: every indicator against its target per year, with its uncertainty, the
non-response range and the answer distribution; national figures and judgements too."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard_pages.ui import (
    chart,
    get_outputs,
    page_start,
    table,
    verdict_badge,
    with_method,
)
from pipeline.formatting import number, percent, points
from pipeline.present import charts
from pipeline.present.tables import indicator_table
from pipeline.present.words import ci_label, interval_text, scope_label, target_text
from pipeline.reference import NATIONAL, SURVEY_KINDS

outputs = get_outputs()
REF = outputs.reference
year, method = page_start(outputs)
tracks = REF.tracks.sort_values("order").set_index("track")
track = st.sidebar.radio("Spor", list(tracks.index), key="track",
                         format_func=lambda t: tracks.at[t, "label"])
scope = st.sidebar.selectbox("Område", [NATIONAL, *REF.centralbiblioteker],
                             format_func=scope_label, key="scope")
st.title(tracks.at[track, "label"])
st.caption(f"{tracks.at[track, 'opgave']} · {scope_label(scope)} · valgt år {year}"
           + ("" if scope == NATIONAL else " · nationale tal og vurderinger gælder hele landet"))


def survey_indicator(rows: pd.DataFrame, ind) -> None:
    rows = with_method(rows[rows["scope"] == scope], outputs, method)
    this = rows[rows["year"] == year]
    if this.empty or pd.isna(this.iloc[0]["respondents"]):
        st.info(f"Ingen tal for {year}. {this.iloc[0]['note'] if len(this) else ''}")
        return
    r = this.iloc[0]
    cols = st.columns(4)
    cols[0].metric("Andel positive", percent(r["share"]),
                   delta=points(r["change"]) if pd.notna(r["change"]) else None)
    cols[1].metric(ci_label(r["confidence"]), interval_text(r["ci_low"], r["ci_high"]))
    cols[2].metric(f"Mål {year}", target_text(r["target_kind"], r["target"]))
    verdict_badge(cols[3], r)
    who = "deltagende" if ind.kind == "participant_share" else "svarende"
    change = charts.change_text(r["change"], r["change_ci_low"], r["change_ci_high"],
                                r["confidence"])
    st.caption(
        f"n = {number(r['n_valid'])} gyldige svar af {number(r['eligible'])} {who} biblioteker"
        f" · frafaldsspænd {interval_text(r['nonresponse_low'], r['nonresponse_high'])}"
        f" · ændring fra året før {change}"
        f" · positive svar: {ind.positive_answers.replace('|', ', ')}"
        + (f" · {r['note']}" if r["note"] else ""))
    left, right = st.columns(2)
    with left:
        chart(charts.indicator_trend(rows, f"{ind.indicator_id}: andel positive pr. år"),
              f"{ind.indicator_id}_{scope}_udvikling")
    with right:
        dist = outputs.distribution
        dist = dist[(dist["indicator_id"] == ind.indicator_id) & (dist["scope"] == scope)]
        chart(charts.answer_distribution(dist, f"{ind.indicator_id}: svarfordeling"),
              f"{ind.indicator_id}_{scope}_svarfordeling")
    with st.expander("Tabel"):
        table(indicator_table(rows, REF), f"{ind.indicator_id}_{scope}", outputs)


def national_indicator(rows: pd.DataFrame, ind) -> None:
    this = rows[rows["year"] == year]
    if len(this):
        r = this.iloc[0]
        cols = st.columns(3)
        if ind.kind == "judgement":
            cols[0].metric("Status", r["judgement"].capitalize() or "–")
        else:
            cols[0].metric("Tal i alt", number(r["value"]),
                           delta=percent(r["value_change_pct"], 1, True)
                           if pd.notna(r["value_change_pct"]) else None)
        cols[1].metric(f"Mål {year}", target_text(r["target_kind"], r["target"]))
        verdict_badge(cols[2], r)
        if r["note"]:
            st.caption(r["note"])
        if ind.kind == "judgement" and r["evidence"]:
            st.markdown(f"**Begrundelse {year}:** {r['evidence']}")
    series = outputs.national
    if ind.kind == "national_count":
        targets = rows[rows["target_kind"] == "min_count"][["year", "target"]]
        loans = series[series["measure"] == "interlibrary_loans"]
        chart(charts.national_count(loans, targets, "Interurbanudlån i alt", "udlån"),
              f"{ind.indicator_id}_udvikling")
    elif ind.kind == "national_trend":
        left, right = st.columns(2)
        with left:
            chart(charts.licences(series, "licence_use", "Brug pr. licens"), "licenser_brug")
        with right:
            chart(charts.licences(series, "licence_users", "Unikke brugere pr. licens"),
                  "licenser_brugere")
    with st.expander("Tabel"):
        table(indicator_table(rows, REF), ind.indicator_id, outputs)


for ind in REF.indicators[REF.indicators["track"] == track].itertuples():
    st.subheader(f"{ind.label} ({ind.indicator_id})")
    rows = outputs.indicators[outputs.indicators["indicator_id"] == ind.indicator_id]
    if ind.kind in SURVEY_KINDS:
        survey_indicator(rows, ind)
    else:
        national_indicator(rows, ind)
