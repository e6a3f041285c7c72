"""Målopfyldelse dashboard: the pipeline's verdicts, figures, sources and data quality, in
Danish.

Start: `.venv/bin/streamlit run dashboard.py` (reads output/; set MAALOPFYLDELSE_OUTPUT
to read another folder). The pages are in dashboard_pages/ (ui.py: their shared parts;
page.html: CSS and script for phone, print and Danish); words, tables, charts and the
method text are in pipeline/present/ (the report uses the same). Nothing here computes a
statistic. Every choice lives in the URL (?aar=2024&metode=wilson&...), so a view is a
link. The "Opdater data" page exists only when an admin password is configured.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard_pages.admin import configured_password
from dashboard_pages.ui import PAGE_FILES, page_assets, sidebar, try_outputs

st.set_page_config(page_title="Målopfyldelse for centralbibliotekerne",
                   page_icon=str(Path(__file__).with_name("dashboard_pages") / "icon.png"),
                   layout="wide")  # a local icon: the page asks nothing of the internet

MENU = [("maalopfyldelse", "Målopfyldelse", ":material/flag:"),
        ("spor", "Spor og indikatorer", ":material/show_chart:"),
        ("regioner", "CB-regioner", ":material/map:"),
        ("datakvalitet", "Datakvalitet", ":material/fact_check:"),
        ("metode", "Metode og kilder", ":material/menu_book:"),
        ("rapport", "Rapport", ":material/description:")]
if configured_password(st.secrets):  # without an admin password the dashboard is read-only
    MENU.append(("opdater", "Opdater data", ":material/upload_file:"))

PATHS = {"maalopfyldelse": "", "spor": "spor", "regioner": "regioner",
         "datakvalitet": "datakvalitet", "metode": "metode", "rapport": "rapport",
         "opdater": "opdater_data"}
pages = [st.Page(PAGE_FILES[key], title=title, icon=icon, url_path=PATHS[key] or None,
                 default=key == "maalopfyldelse") for key, title, icon in MENU]
current = st.navigation(pages, position="hidden")
page_assets()
sidebar(try_outputs(), MENU)
current.run()
