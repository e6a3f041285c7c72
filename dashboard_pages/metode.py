"""Method and sources in plain Danish, for a reader at SLKS: the same text as the report's
method note (pipeline.present.method), then where the figures come from."""

from __future__ import annotations

import streamlit as st

from dashboard_pages.ui import get_outputs, start_page, table
from pipeline.present.method import method_sections
from pipeline.present.tables import input_files_table
from pipeline.reference import BOUNDARIES_ATTRIBUTION

outputs = get_outputs()
start_page("Metode og kilder", outputs)
st.markdown("Sådan er tallene på de andre sider lavet, og hvor de kommer fra. Teksten er "
            "den samme som metodeafsnittet i den fælles faglige beretning.")
for heading, paragraph in method_sections(outputs.manifest):
    st.subheader(heading)
    st.markdown(paragraph)

st.header("Kilder", anchor="kilder")
sources = outputs.sources
targets = sorted({s for s in sources["target_source"] if s})
national = sorted({s for s in sources["figure_source"] if s})
lines = [f"- **Mål og indikatorer:** {'; '.join(targets) or '–'}. Under hvert diagram og "
         "hver tabel står indikatorens ordlyd i Bilag 3 og spørgsmålet, som det lød det år.",
         "- **Spørgeskemaundersøgelsen:** centralbibliotekernes årlige undersøgelse blandt de "
         "98 folkebiblioteker (én besvarelse pr. kommune).",
         f"- **Nationale tal:** {'; '.join(national) or '–'}.",
         "- **Kommunegrænser på kortene:** " + BOUNDARIES_ATTRIBUTION
         + " (DAGI, CC BY 4.0), forenklet."]
st.markdown("\n".join(lines))
st.subheader("Inputfiler")
table(input_files_table(outputs.manifest), "inputfiler_metode", outputs,
      caption="De filer, tallene er beregnet af, med deres SHA-256-fingeraftryk",
      phone_hidden=["Type", "Bytes"])
