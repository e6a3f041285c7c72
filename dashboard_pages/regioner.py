"""The same indicator for the six CB regions side by side, with their (wide) intervals."""

from __future__ import annotations

import streamlit as st

from dashboard_pages.ui import chart, get_outputs, page_start, table, with_method
from pipeline.present import charts
from pipeline.present.tables import indicator_table
from pipeline.reference import SURVEY_KINDS

outputs = get_outputs()
REF = outputs.reference
year, method = page_start(outputs)
st.title("CB-regioner")
st.markdown("Den samme indikator for de seks CB-regioner side om side. Regionerne har 9-28 "
            "kommuner, så intervallerne er brede. Målet i Bilag 3 gælder hele landet; ved "
            "regionerne er det vist til orientering.")
survey = REF.indicators[REF.indicators["kind"].isin(SURVEY_KINDS)].set_index("indicator_id")
ind = st.selectbox("Indikator", list(survey.index), key="region_indicator",
                   format_func=lambda i: f"{i}: {survey.at[i, 'label']}")
rows = outputs.indicators
rows = with_method(rows[(rows["indicator_id"] == ind) & (rows["year"] == year)], outputs, method)
chart(charts.regions(rows, f"{ind} {year}: andel positive pr. CB-region"),
      f"{ind}_{year}_regioner")
table(indicator_table(rows, REF), f"{ind}_{year}_regioner", outputs)
