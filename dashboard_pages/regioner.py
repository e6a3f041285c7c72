"""One indicator for the six CB regions side by side: a map of the 98 municipalities
shaded by their region's share, the table beside it (target and verdict in view), the
regions' intervals, and a map of which municipalities answered that year."""

from __future__ import annotations

import streamlit as st

from dashboard_pages.ui import (
    chart,
    control,
    get_outputs,
    method_control,
    page_link,
    start_page,
    table,
    with_method,
    year_control,
)
from pipeline.present import alt_text, charts
from pipeline.present.method import REGION_NOTE
from pipeline.present.sources import source_row, source_text
from pipeline.present.tables import region_table, with_method_columns
from pipeline.present.words import target_text
from pipeline.reference import (
    BOUNDARIES_ATTRIBUTION,
    NATIONAL,
    SURVEY_KINDS,
    municipality_boundaries,
)

outputs = get_outputs()
REF = outputs.reference
start_page("CB-regioner", outputs)
st.markdown(REGION_NOTE)
survey = REF.indicators[REF.indicators["kind"].isin(SURVEY_KINDS)].set_index("indicator_id")
cols = st.columns([1, 1.3, 3])
year = year_control(cols[0], outputs)
method = method_control(cols[1])
indicator = control(cols[2], "Indikator", list(survey.index), "indikator",
                    format_func=lambda i: f"{survey.at[i, 'label']} ({i})")
rows = outputs.indicators
rows = with_method(rows[(rows["indicator_id"] == indicator) & (rows["year"] == year)],
                   outputs, method)
national = rows[rows["scope"] == NATIONAL]
target = target_text(national["target_kind"].iloc[0], national["target"].iloc[0]) \
    if len(national) else "–"
st.subheader(f"{survey.at[indicator, 'label']} ({indicator}), {year}", anchor="indikator")
boundaries = municipality_boundaries(REF.folder)
name = f"{indicator} {year}"

left, right = st.columns([0.85, 1.15])
with left:
    chart(charts.region_share_map(boundaries, REF.kommuner, rows,
                                  f"{name}: andel positive pr. CB-region",
                                  BOUNDARIES_ATTRIBUTION),
          f"{indicator}_{year}_kort", outputs,
          "Kortet farver hver kommune efter sin CB-regions andel positive (mørkere = højere); "
          "tallene står i tabellen ved siden af. " + BOUNDARIES_ATTRIBUTION + " (CC BY 4.0).")
with right:
    table(with_method_columns(region_table(rows), rows), f"{indicator}_{year}_regioner",
          outputs, caption=f"{name}: hele landet og de seks CB-regioner (mål {target})",
          phone_hidden=["Ændring fra sidste år"])
    st.caption(f"Målet i Bilag 3 ({target}) gælder hele landet. Ved regionerne er "
               "vurderingen kun til orientering.")
    if len(national):
        st.caption("**Kilde og metode.** " + source_text(
            national.iloc[0], source_row(outputs.sources, indicator, year), REF))
    track = REF.indicators.set_index("indicator_id").at[indicator, "track"]
    page_link("spor", f"Se {indicator} år for år på Spor og indikatorer", spor=track,
              indikator=indicator)

left, right = st.columns([1, 1])
with left:
    chart(charts.regions(rows, f"{name}: andel positive med interval pr. CB-region"),
          f"{indicator}_{year}_regioner", outputs, alt_text.regions(rows, name))
with right:
    answered = outputs.municipalities[outputs.municipalities["year"] == year]
    chart(charts.response_map(boundaries, REF.kommuner, answered,
                              f"Kommuner, der besvarede undersøgelsen i {year}",
                              BOUNDARIES_ATTRIBUTION),
          f"svar_{year}_kort", outputs, alt_text.answered(answered, year)
          + " Kortet viser kun, om en kommune svarede, aldrig hvad den svarede.")
