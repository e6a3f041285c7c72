"""Report: the fælles faglige beretning for the chosen year as a Word document, an Excel
workbook and the charts as PNG files, built from the same outputs the other pages show
(the same files as `python -m pipeline report`). Built only when a button is clicked."""

from __future__ import annotations

import streamlit as st

from dashboard_pages.ui import get_outputs, pending_inputs, start_page, year_control
from pipeline.outputs.write import SYNTHETIC_NOTICE
from pipeline.present.words import CI_METHOD_CHOICES, goal_verdict, run_time_text
from pipeline.report.build import download_bytes, period_download, period_stem
from pipeline.report.images import browser_path

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

outputs = get_outputs()
REF = outputs.reference
start_page("Rapport", outputs)
year = year_control(st.columns([1, 3])[0], outputs)
out_dir = outputs.out_dir
method = outputs.manifest["parameters"]["ci_method"]
st.markdown(
    f"Den fælles faglige beretning for **{year}**: et Word-udkast med tabeller, diagrammer og "
    "tekstforslag pr. indikator, et regneark med alle tal og diagrammerne som billeder. "
    "Tallene er de samme som på de andre sider, fra kørslen den "
    f"{run_time_text(outputs.manifest.get('created_utc'))}; rapporten bruger kørslens "
    f"intervalmetode ({CI_METHOD_CHOICES.get(method, method).lower()}), også hvis en anden "
    "er valgt på de andre sider. Det samme laver kommandoen "
    f"`python -m pipeline report --year {year}`.")
if outputs.synthetic:
    st.caption(f"Rapporten er mærket: {SYNTHETIC_NOTICE}")

goals = outputs.goals
goals = goals[(goals["level"] == "resultatmaal") & (goals["year"] == year)]
st.markdown("  ·  ".join(f"{REF.resultatmaal_name(g.maal_id)}: {goal_verdict(g.attained)}"
                         for g in goals.itertuples()))

waiting = bool(pending_inputs(outputs))
if waiting:
    st.info("Rapporten laves først, når pipelinen er kørt med de nye inputfiler (se "
            "øverst), så den aldrig bygger på forældede tal.", icon=":material/info:")
word, excel, images = st.columns(3)
stem = f"beretning_{year}"
word.download_button(
    "Hent Word-dokument", lambda: download_bytes(out_dir, year, "docx"),
    file_name=f"{stem}.docx", mime=DOCX_MIME, key="report-docx", on_click="ignore",
    icon=":material/description:", disabled=waiting,
    help="Tager 10–20 sekunder: diagrammerne tegnes først.")
excel.download_button(
    "Hent regneark", lambda: download_bytes(out_dir, year, "xlsx"),
    file_name=f"{stem}.xlsx", mime=XLSX_MIME, key="report-xlsx", on_click="ignore",
    icon=":material/table_view:", disabled=waiting)
images.download_button(
    "Hent diagrammer (PNG)", lambda: download_bytes(out_dir, year, "zip"),
    file_name=f"{stem}_figurer.zip", mime="application/zip", key="report-zip",
    on_click="ignore", icon=":material/image:", disabled=waiting)

if browser_path() is None:
    st.warning("Chromium blev ikke fundet på serveren, så Word-dokumentet og diagrammerne kan "
               "ikke laves (regnearket kan). Bed den, der driver serveren, om at installere "
               "Chromium.", icon=":material/warning:")

period = outputs.period_goals
if not period.empty:
    first, last = int(period["period_first"].min()), int(period["period_last"].max())
    st.subheader(f"Periodeevaluering {first}–{last}")
    missing = [y for y in range(first, last + 1) if y not in outputs.years]
    if missing:
        st.info(f"Periodeevalueringen kan laves, når der er resultater for alle aftalens år; "
                f"der mangler {', '.join(str(y) for y in missing)}.", icon=":material/info:")
    else:
        st.markdown(
            f"Hele aftaleperioden {first}–{last}: hvert resultatmål og operationelt mål år for "
            "år, i hvor mange år hvert nøgletal nåede sit mål, og udviklingen fra første til "
            "sidste år med konfidensinterval. Det samme laver kommandoen "
            "`python -m pipeline report --period`.")
        stem_p = period_stem(first, last)
        word_p, excel_p, _ = st.columns(3)
        word_p.download_button(
            "Hent periodeevaluering (Word)", lambda: period_download(out_dir, "docx"),
            file_name=f"{stem_p}.docx", mime=DOCX_MIME, key="period-docx", on_click="ignore",
            icon=":material/description:", disabled=waiting,
            help="Tager 10–20 sekunder: diagrammerne tegnes først.")
        excel_p.download_button(
            "Hent periodeevaluering (regneark)", lambda: period_download(out_dir, "xlsx"),
            file_name=f"{stem_p}.xlsx", mime=XLSX_MIME, key="period-xlsx", on_click="ignore",
            icon=":material/table_view:", disabled=waiting)

st.subheader("Indhold")
labels = REF.tracks.sort_values("order")["label"].tolist()
st.markdown(
    f"- **{stem}.docx**: forside, indholdsfortegnelse, sammenfatning med plads til årsager, "
    "opfølgning og påtegning, resultat og mål for hvert nøgletal alle år, bilag 3's "
    "resultatmål med operationelle mål og nøgletal (tabel, tekstforslag og diagram), "
    "temasporene, CB-regionerne (tabel og kort), datakvalitet og metode.\n"
    f"- **{stem}.xlsx**: faner med oversigten over resultatmålene alle år, ét spor pr. fane "
    f"({', '.join(labels)}), alle tal, CB-regionerne, datakvaliteten, sporbarheden og "
    "metoden.\n"
    f"- **{stem}_figurer.zip**: diagrammerne som PNG-billeder.")
