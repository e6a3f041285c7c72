"""Målopfyldelse dashboard: the pipeline's verdicts, figures and data quality, in Danish.

Start: `.venv/bin/streamlit run dashboard.py` (reads output/; set MAALOPFYLDELSE_OUTPUT
to read another folder). The pages are in dashboard_pages/; their building blocks in
pipeline/dashboard_ui.py; words and tables in pipeline/presentation.py; charts in
pipeline/charts.py (the report uses the same). Nothing here computes a statistic.
The "Opdater data" page exists only when an admin password is configured.
"""

from __future__ import annotations

import streamlit as st

from dashboard_pages.admin import configured_password

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
    st.Page("dashboard_pages/rapport.py", title="Rapport", icon=":material/description:"),
]

if configured_password(st.secrets):  # without an admin password the dashboard is read-only
    PAGES.append(st.Page("dashboard_pages/opdater_data.py", title="Opdater data",
                         icon=":material/upload_file:"))

st.navigation(PAGES).run()
