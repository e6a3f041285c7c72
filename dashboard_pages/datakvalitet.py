"""Data quality: response rates, duplicates, rows left out and why, and the input files
(with their hashes) that the figures come from."""

from __future__ import annotations

import streamlit as st

from dashboard_pages.ui import chart, get_outputs, page_start, table
from pipeline.formatting import percent
from pipeline.present import charts
from pipeline.present.tables import excluded_table, input_files_table, quality_table

outputs = get_outputs()
REF = outputs.reference
year, _ = page_start(outputs)
st.title("Datakvalitet")
chart(charts.response_rates(outputs.quality, "Svarprocent pr. år og område"), "svarprocent")
table(quality_table(outputs.quality), "datakvalitet", outputs)

st.subheader(f"Udeladte rækker i {year}")
excluded = outputs.excluded_rows[outputs.excluded_rows["year"] == year]
if excluded.empty:
    st.markdown("Ingen rækker er udeladt.")
else:
    table(excluded_table(excluded, REF), f"udeladte_raekker_{year}", outputs)

st.subheader("Inputfiler")
manifest = outputs.manifest
table(input_files_table(manifest), "inputfiler", outputs)
params = manifest["parameters"]
st.caption(f"Kørt {manifest['created_utc']} (UTC) med version {manifest['version']}; "
           f"intervalmetode {params['ci_method']}, konfidensniveau "
           f"{percent(params['confidence'])}.")
if manifest.get("ignored_files"):
    st.caption("Ikke læst (ikke datafiler): " + ", ".join(manifest["ignored_files"]))
