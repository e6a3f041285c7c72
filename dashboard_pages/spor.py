"""Per track: every indicator of the track in one table, and one indicator at a time in
detail (share against target per year with its uncertainty and non-response range, the
answer distribution, the sources); national figures and judgements too. One indicator at
a time keeps the page quick: two charts, not thirteen."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard_pages.ui import (
    change_metric,
    chart,
    control,
    get_outputs,
    method_control,
    page_link,
    start_page,
    table,
    verdict_badge,
    with_method,
    year_control,
)
from pipeline.formatting import number, percent, percent_beside, points
from pipeline.present import alt_text, charts
from pipeline.present.sources import source_row, source_text
from pipeline.present.tables import indicator_table, licence_table, with_method_columns
from pipeline.present.words import (
    ci_label,
    interval_text,
    nonresponse_text,
    scope_label,
    scoped_verdict,
    share_target,
    target_text,
)
from pipeline.reference import NATIONAL, SURVEY_KINDS

outputs = get_outputs()
REF = outputs.reference
start_page("Spor og indikatorer", outputs)
tracks = REF.tracks.sort_values("order").set_index("track")
cols = st.columns([1, 1.3, 2, 1.4])
year = year_control(cols[0], outputs)
method = method_control(cols[1])
track = control(cols[2], "Spor", list(tracks.index), "spor",
                format_func=lambda t: tracks.at[t, "label"], resets=("indikator",))
scope = control(cols[3], "Område", [NATIONAL, *REF.centralbiblioteker], "omraade",
                format_func=scope_label, lower=True)
catalogue = REF.indicators[REF.indicators["track"] == track].set_index("indicator_id")
indicator = control(st, "Indikator", list(catalogue.index), "indikator",
                    format_func=lambda i: f"{catalogue.at[i, 'label']} ({i})")

st.header(tracks.at[track, "label"], anchor="spor")
st.markdown(f"*{tracks.at[track, 'opgave']} · {scope_label(scope)} · {year}"
            + ("" if scope == NATIONAL else " · vurderingerne for en CB-region er kun til "
               "orientering; nationale tal og vurderinger gælder hele landet") + "*")
ind_rows = outputs.indicators
survey_ids = [i for i in catalogue.index if catalogue.at[i, "kind"] in SURVEY_KINDS]
in_track = ind_rows[ind_rows["indicator_id"].isin(catalogue.index) & (ind_rows["year"] == year)]
in_track = in_track[(in_track["scope"] == scope) | (~in_track["indicator_id"].isin(survey_ids)
                                                    & (in_track["scope"] == NATIONAL))]
in_track = with_method(in_track, outputs, method)
overview = indicator_table(in_track, REF).only(
    ["Indikator", "Beskrivelse", *(["Område"] if scope != NATIONAL else []), "Andel positive",
     "KI nedre", "KI øvre", "Tal", "Mål", "Vurdering", "Ændring fra sidste år"]).without_empty()
table(with_method_columns(overview, in_track), f"{track}_{scope.lower()}_{year}", outputs,
      caption=f"Alle indikatorer i sporet, {year}",
      phone_hidden=["Indikator", "Område", "KI nedre", "KI øvre", "Tal"])

ind = REF.indicators.set_index("indicator_id").loc[indicator]
st.subheader(f"{ind['label']} ({indicator})", anchor="indikator")
rows = ind_rows[ind_rows["indicator_id"] == indicator]
source = source_row(outputs.sources, indicator, year)


def views(labels: list[str]) -> list:
    """The indicator's views as tabs; only the open one is drawn (a chart when asked for,
    which keeps the page quick), and the open tab is in the URL (?visning=Udvikling)."""
    return st.tabs(labels, key="visning", bind="query-params")


def survey_indicator(rows: pd.DataFrame) -> None:
    rows = with_method(rows[rows["scope"] == scope], outputs, method)
    this = rows[rows["year"] == year]
    if this.empty or pd.isna(this.iloc[0]["share"]):
        st.info(f"Ingen tal for {year}. {this.iloc[0]['note'] if len(this) else ''}")
        return
    r = this.iloc[0]
    cols = st.columns(4)
    target = share_target(r["target_kind"], r["target"])
    change_metric(cols[0], "Andel positive", percent_beside(r["share"], target), r["change"],
                  points(r["change"]), f"fra {year - 1}")
    cols[1].metric(ci_label(r["confidence"]), interval_text(r["ci_low"], r["ci_high"], target))
    cols[2].metric(f"Mål {year}", target_text(r["target_kind"], r["target"]))
    verdict_badge(cols[3], scoped_verdict(r["attained"], r["certainty"], r["na_reason"],
                                          scope), r["attained"], r["certainty"])
    who = "deltagende" if ind["kind"] == "participant_share" else "svarende"
    change = charts.change_text(r["change"], r["change_ci_low"], r["change_ci_high"],
                                r["confidence"])
    both = f" ({number(r['n_both_years'])} kommuner svarede gyldigt begge år)" \
        if pd.notna(r["n_both_years"]) else ""
    st.caption(
        f"n = {number(r['n_valid'])} gyldige svar af {number(r['eligible'])} {who} biblioteker"
        f" · frafaldsspænd {interval_text(r['nonresponse_low'], r['nonresponse_high'], target)}"
        f" · ændring fra året før {change}{both}" + (f" · {r['note']}" if r["note"] else ""))
    steady = nonresponse_text(r["attained"], r["certainty"], r["nonresponse_certainty"])
    if steady:
        st.markdown(steady)
    name = f"{indicator} ({scope_label(scope).lower()})"
    numbers, trend, answers = views(["Tal", "Udvikling", "Svarfordeling"])
    if numbers.open:
        with numbers:
            table(with_method_columns(indicator_table(rows, REF), rows),
                  f"{indicator}_{scope.lower()}", outputs,
                  caption=f"{indicator}, {scope_label(scope).lower()}, alle år",
                  phone_hidden=["Indikator", "Område", "Besvarelser", "Positive", "Note",
                                "Frafaldsspænd nedre", "Frafaldsspænd øvre", "Tal"])
    if trend.open:
        with trend:
            chart(charts.indicator_trend(rows, f"{indicator}: andel positive pr. år, "
                                               f"{scope_label(scope).lower()}"),
                  f"{indicator}_{scope}_udvikling", outputs, alt_text.trend(rows, indicator))
    if answers.open:
        with answers:
            dist = outputs.distribution
            dist = dist[(dist["indicator_id"] == indicator) & (dist["scope"] == scope)]
            chart(charts.answer_distribution(dist, f"{indicator}: svarfordeling pr. år"),
                  f"{indicator}_{scope}_svarfordeling", outputs,
                  alt_text.distribution(dist, name))
    if scope != NATIONAL:
        page_link("regioner", f"Se {indicator} for alle seks CB-regioner",
                  indikator=indicator)


def national_indicator(rows: pd.DataFrame) -> None:
    this = rows[rows["year"] == year]
    if len(this):
        r = this.iloc[0]
        cols = st.columns(3)
        if ind["kind"] == "judgement":
            cols[0].metric("Status", r["judgement"].capitalize() or "–")
        else:
            change_metric(cols[0], "Tal i alt", number(r["value"]), r["value_change_pct"],
                          percent(r["value_change_pct"], 1, True), f"fra {year - 1}",
                          decimals=1)
        cols[1].metric(f"Mål {year}", target_text(r["target_kind"], r["target"]))
        verdict_badge(cols[2], scoped_verdict(r["attained"], r["certainty"], r["na_reason"],
                                              NATIONAL), r["attained"], r["certainty"])
        if r["note"]:
            st.caption(r["note"])
        if ind["kind"] == "judgement" and r["evidence"]:
            st.markdown(f"**Begrundelse {year}:** {r['evidence']}")
    series = outputs.national
    measures = REF.national_measures.set_index("measure")
    if ind["kind"] == "national_count":
        numbers, trend = views(["Tal", "Udvikling"])
        if trend.open:
            with trend:
                targets = rows[rows["target_kind"] == "min_count"][["year", "target"]]
                loans = series[series["measure"] == "interlibrary_loans"]
                label, unit = measures.at["interlibrary_loans", "label"], \
                    measures.at["interlibrary_loans", "unit"]
                chart(charts.national_count(loans, targets, label, unit),
                      f"{indicator}_udvikling", outputs,
                      alt_text.national_series(loans, label, unit))
    elif ind["kind"] == "national_trend":
        numbers, use, users = views(["Tal", "Brug pr. licens", "Brugere pr. licens"])
        for tab, measure, title in ((use, "licence_use", "Brug pr. licens"),
                                    (users, "licence_users", "Unikke brugere pr. licens")):
            if tab.open:
                with tab:
                    chart(charts.licences(series, measure, title,
                                          measures.at[measure, "unit"]),
                          f"licenser_{measure}", outputs,
                          alt_text.licences(series, measure, title))
        if numbers.open:
            with numbers:
                table(licence_table(series[series["year"] == year], measures),
                      f"licenser_{year}", outputs,
                      caption=f"Brug og brugere pr. licens i {year}, med ændringen fra året "
                      "før og fra det første år med et tal (unikke brugere lægges aldrig "
                      "sammen)", phone_hidden=["Ændring", "Første år"])
    else:  # a judgement: its evidence above, its years in a table, no chart
        numbers = st.container()
    if ind["kind"] == "judgement" or numbers.open:
        with numbers:
            table(indicator_table(rows, REF).without_empty(), indicator, outputs,
                  caption=f"{indicator}, hele landet, alle år",
                  phone_hidden=["Indikator", "Område", "Besvarelser", "Gyldige svar (n)",
                                "Positive", "Note"])


if ind["kind"] in SURVEY_KINDS:
    survey_indicator(rows)
else:
    national_indicator(rows)
shown = rows[(rows["year"] == year)
             & (rows["scope"] == (scope if ind["kind"] in SURVEY_KINDS else NATIONAL))]
if len(shown):
    st.caption("**Kilde og metode.** " + source_text(
        with_method(shown, outputs, method).iloc[0], source, REF))
