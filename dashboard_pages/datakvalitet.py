"""Data quality: response rates, duplicates, rows left out and why, and the input files
(with their hashes) that the figures come from."""

from __future__ import annotations

import streamlit as st

from dashboard_pages.ui import chart, get_outputs, start_page, table, year_control
from pipeline.formatting import percent
from pipeline.present import alt_text, charts
from pipeline.present.tables import excluded_table, input_files_table, quality_table
from pipeline.present.words import CI_METHOD_CHOICES, run_time_text

outputs = get_outputs()
REF = outputs.reference
start_page("Datakvalitet", outputs)
year = year_control(st.columns([1, 3])[0], outputs)
chart(charts.response_rates(outputs.quality, "Svarprocent pr. år og område"), "svarprocent",
      outputs, alt_text.response_rates(outputs.quality))
table(quality_table(outputs.quality), "datakvalitet", outputs,
      caption="Besvarelser, svarprocent og udeladte rækker pr. år og område",
      phone_hidden=["Kommuner", "Dubletter", "Hvorfor udeladt", "Kommuner uden svar"])

st.subheader(f"Udeladte rækker i {year}")
excluded = outputs.excluded_rows[outputs.excluded_rows["year"] == year]
if excluded.empty:
    st.markdown("Ingen rækker er udeladt.")
else:
    table(excluded_table(excluded, REF), f"udeladte_raekker_{year}", outputs,
          caption=f"Rækker i eksporten for {year}, som ikke tæller med, og hvorfor")

st.subheader("Inputfiler")
manifest = outputs.manifest
table(input_files_table(manifest), "inputfiler", outputs,
      caption="De filer, tallene er beregnet af, med deres SHA-256-fingeraftryk",
      phone_hidden=["Type", "Bytes"])
params = manifest["parameters"]
method = CI_METHOD_CHOICES.get(params["ci_method"], params["ci_method"]).lower()
st.caption(f"Beregnet {run_time_text(manifest['created_utc'])} med version "
           f"{manifest['version']}; intervalmetode {method}, konfidensniveau "
           f"{percent(params['confidence'])}.")
if manifest.get("ignored_files"):
    st.caption("Ikke læst (ikke datafiler): " + ", ".join(manifest["ignored_files"]))
