"""Opdater data: upload a year's export, review the proposed codebook, check, publish.

Shown only when an admin password is configured (Streamlit secrets `admin_password` or
MAALOPFYLDELSE_ADMIN_PASSWORD) and entered. Until "Publicér", everything happens in a
staged copy (pipeline/publish.py): a failed check changes nothing on disk.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import streamlit as st

from dashboard_pages.admin import configured_password, password_matches
from dashboard_pages.ui import get_outputs
from pipeline.cli.console import format_add_year, format_check
from pipeline.errors import InputError
from pipeline.intake.staging import (
    MAX_UPLOAD_MB,
    check_staged,
    discard,
    publish,
    review_table,
    save_review,
    stage_upload,
)

st.title("Opdater data")
if not st.session_state.get("admin_ok"):
    given = st.text_input("Adgangskode", type="password", key="admin_password_input")
    if not given:
        st.info("Siden er kun for den, der opdaterer tallene. Skriv adgangskoden.")
        st.stop()
    if not password_matches(given, configured_password(st.secrets)):
        st.error("Forkert adgangskode.")
        st.stop()
    st.session_state["admin_ok"] = True

outputs = get_outputs()
REF = outputs.reference
base = Path(outputs.manifest.get("working_directory", "."))
surveys = base / outputs.manifest["parameters"]["surveys"]
targets = base / outputs.manifest["parameters"]["targets"]
st.markdown(f"Nye tal lægges i **{surveys}** og beregnes til **{outputs.out_dir}**. "
            "Intet ændres, før du trykker *Publicér*, og kun hvis kontrollen er i orden.")

uploads = st.file_uploader(
    f"Eksport fra survey-værktøjet (.xlsx eller .csv, højst {MAX_UPLOAD_MB} MB): én fil, eller "
    "SurveyXact's tre CSV-filer (dataset.csv, structure.csv og labels.csv) på én gang",
    type=["xlsx", "csv"], key="upload", accept_multiple_files=True)
year = st.number_input("År", min_value=2000, max_value=2099, step=1, key="upload_year",
                       value=max(outputs.years) + 1 if outputs.years else 2025)
replace = st.checkbox("Erstat året, hvis det allerede findes (de gamle filer gemmes)",
                      key="replace")
if not uploads:
    st.stop()

files = sorted((upload.name, upload.getvalue()) for upload in uploads)
stamp = (tuple((name, hashlib.sha256(data).hexdigest()) for name, data in files), int(year),
         replace)
if st.session_state.get("staging_stamp") != stamp:
    if st.session_state.get("staging"):
        discard(st.session_state["staging"])
    st.session_state.pop("staging", None)
    try:
        st.session_state["staging"] = stage_upload(surveys, int(year), files, replace=replace)
    except InputError as exc:
        st.error(exc.format())
        st.stop()
    st.session_state["staging_stamp"] = stamp
staging = st.session_state["staging"]

st.subheader("1. Gennemse kodebogen")
st.markdown("Hver overskrift i eksporten er koblet til et spørgsmål (nøgle). Ret nøglen, hvis "
            "koblingen er forkert, og sæt flueben i *Bekræftet*, når rækken er rigtig. Tom "
            "nøgle: kolonnen læses ikke (navne, e-mails, kommentarer).")
with st.expander("Forslaget i detaljer"):
    st.text(format_add_year(staging.proposal))
keys = ["", *REF.questions["key"]]
review = st.data_editor(
    review_table(staging), hide_index=True, key="review",
    disabled=["Række", "Overskrift i eksporten", "Sådan fundet"],
    column_config={"Nøgle": st.column_config.SelectboxColumn(options=keys),
                   "Bekræftet": st.column_config.CheckboxColumn()})

st.subheader("2. Kontrollér")
if st.button("Kontrollér", key="check"):
    save_review(staging, review)
    st.session_state["report"] = check_staged(staging, targets)
    st.session_state["checked_review"] = review.copy()
report = st.session_state.get("report")
if report is not None and not review.equals(st.session_state.get("checked_review")):
    st.warning("Kodebogen er ændret siden kontrollen. Kontrollér igen.")
    report = None
if report is None:
    st.stop()
(st.success if report.ok else st.error)(
    "Kontrollen er i orden." if report.ok else "Kontrollen fandt problemer: ret dem og "
    "kontrollér igen. Intet er ændret.")
st.text(format_check(report))
if not report.ok:
    st.stop()

st.subheader("3. Publicér")
if st.button("Publicér", type="primary", key="publish"):
    try:
        result = publish(staging, surveys, targets, outputs.out_dir)
    except InputError as exc:
        st.error(exc.format())
        st.stop()
    for key in ("staging", "staging_stamp", "report", "checked_review"):
        st.session_state.pop(key, None)
    st.cache_data.clear()
    st.success(f"Publiceret: tallene for {', '.join(map(str, result.years))} er beregnet "
               "igen, og dashboardet viser dem nu.")
