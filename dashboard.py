"""Målopfyldelse dashboard: the pipeline's verdicts, figures and data quality, in Danish.

Start: `.venv/bin/streamlit run dashboard.py` (reads output/; set MAALOPFYLDELSE_OUTPUT
to read another folder). The pages are in dashboard_pages/; their building blocks in
pipeline/dashboard_ui.py; words and tables in pipeline/presentation.py; charts in
pipeline/charts.py (the report uses the same). Nothing here computes a statistic.
"""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="Målopfyldelse – centralbibliotekerne",
                   page_icon=":material/local_library:", layout="wide")

PAGES = [
    st.Page("dashboard_pages/maalopfyldelse.py", title="Målopfyldelse", icon=":material/flag:",
            default=True),
    st.Page("dashboard_pages/spor.py", title="Spor og indikatorer",
            icon=":material/show_chart:"),
    st.Page("dashboard_pages/regioner.py", title="CB-regioner", icon=":material/map:"),
    st.Page("dashboard_pages/datakvalitet.py", title="Datakvalitet",
            icon=":material/fact_check:"),
]

st.navigation(PAGES).run()
