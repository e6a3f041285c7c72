"""Opdater data: upload a year's export, review the proposed codebook, check, see the
warnings and the resulting goal matrix, publish.

Shown only when an admin password is configured (Streamlit secrets `admin_password` or
MAALOPFYLDELSE_ADMIN_PASSWORD) and entered (a limited number of attempts). Until
"Publicér", everything happens in a staged copy (pipeline/intake/staging.py): a failed
check changes nothing on disk; staged copies (they hold names and e-mails) are removed
after publishing, on a new upload, on log-out and when abandoned.
"""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard_pages.admin import AttemptLimiter, configured_password, password_matches
from dashboard_pages.ui import get_outputs, html_table, start_page
from pipeline.errors import InputError
from pipeline.files import sha256
from pipeline.formatting import percent
from pipeline.intake.staging import (
    MAX_UPLOAD_MB,
    check_staged,
    discard,
    plain_text,
    plain_where,
    publish,
    remove_abandoned,
    review_table,
    save_review,
    stage_upload,
    touch,
    upload_warnings,
)
from pipeline.present.tables import Table, goal_matrix

STATE = ("staging", "staging_stamp", "report", "checked_review")


@st.cache_resource
def limiter() -> AttemptLimiter:
    return AttemptLimiter()


def forget_upload() -> None:
    if st.session_state.get("staging"):
        discard(st.session_state["staging"])
    for key in STATE:
        st.session_state.pop(key, None)


def problems_table(problems, staging) -> str:
    frame = pd.DataFrame({"Hvor": [plain_where(p, staging) or "–" for p in problems],
                          "Hvad er galt": [plain_text(p.message, staging) for p in problems],
                          "Gør sådan": [plain_text(p.hint, staging) for p in problems]})
    return html_table(Table(frame, {}), "Det, kontrollen fandt")


start_page("Opdater data", None)
remove_abandoned()
if not st.session_state.get("admin_ok"):
    st.markdown("Siden er kun for den, der opdaterer tallene.")
    wait = limiter().wait(time.time())
    if wait > 0:
        st.error(f"For mange forkerte forsøg. Prøv igen om {int(wait // 60) + 1} minutter.")
        st.stop()
    given = st.text_input("Adgangskode", type="password", key="admin_password_input")
    if not given:
        st.stop()
    if not password_matches(given, configured_password(st.secrets)):
        limiter().failed(time.time())
        st.error("Forkert adgangskode.")
        st.stop()
    limiter().succeeded()
    st.session_state["admin_ok"] = True

if st.button("Log ud", key="logout", icon=":material/logout:"):
    forget_upload()
    st.session_state.pop("admin_ok", None)
    st.session_state.pop("admin_password_input", None)
    st.rerun()

outputs = get_outputs()
REF = outputs.reference
base = Path(outputs.manifest.get("working_directory", "."))
surveys = base / outputs.manifest["parameters"]["surveys"]
targets = base / outputs.manifest["parameters"]["targets"]
if st.session_state.get("published"):
    st.success(st.session_state.pop("published"))
st.markdown("Upload årets eksport fra spørgeskemaværktøjet. Intet ændres, før du trykker "
            "*Publicér*, og kun hvis kontrollen er i orden. Derefter beregnes alle tal igen, "
            "og dashboardet viser dem.")

round_ = st.session_state.setdefault("upload_round", 0)
uploads = st.file_uploader(
    f"Eksport fra spørgeskemaværktøjet (.xlsx eller .csv, højst {MAX_UPLOAD_MB} MB): én fil, "
    "eller SurveyXacts tre CSV-filer (dataset.csv, structure.csv og labels.csv) på én gang",
    type=["xlsx", "csv"], key=f"upload-{round_}", accept_multiple_files=True)
year = st.number_input("År", min_value=2000, max_value=2099, step=1, key=f"upload_year-{round_}",
                       value=max(outputs.years) + 1 if outputs.years else 2025)
replace = st.checkbox("Erstat året, hvis det allerede findes (de gamle filer gemmes)",
                      key=f"replace-{round_}")
if not uploads:
    forget_upload()  # an upload removed from the box leaves no copy behind
    st.stop()

files = sorted((upload.name, upload.getvalue()) for upload in uploads)
stamp = (tuple((name, sha256(data)) for name, data in files), int(year),
         replace)
if st.session_state.get("staging_stamp") != stamp:
    forget_upload()
    try:
        st.session_state["staging"] = stage_upload(surveys, int(year), files, replace=replace)
    except InputError as exc:
        st.error("Filen kan ikke bruges:")
        for p in exc.problems:
            st.markdown(f"- {p.message} Gør sådan: {p.hint}")
        st.stop()
    st.session_state["staging_stamp"] = stamp
staging = st.session_state["staging"]
touch(staging)

sx = staging.proposal.surveyxact
if sx is not None:
    left = ", ".join(f"{n} {status.lower()}" for status, n in sx.not_completed.items())
    st.info(
        f"**SurveyXact-eksport.** Den har {sx.responses} besvarelser, hvoraf {sx.completed} "
        "er gennemført og tæller med" + (f"; {sx.responses - sx.completed} er ikke gennemført "
                                        f"og tælles ikke med ({left})." if left else ".")
        if sx.has_status else
        "**SurveyXact-eksport uden statuskolonner.** Alle besvarelser tæller med, også dem, "
        "der måske ikke er gennemført; eksportér gerne igen med statuskolonnerne.",
        icon=":material/info:")

st.subheader("1. Gennemse kodebogen")
st.markdown("Hver overskrift i eksporten er koblet til et spørgsmål (nøgle). Ret nøglen, hvis "
            "koblingen er forkert, og sæt flueben i *Bekræftet*, når rækken er rigtig. Tom "
            "nøgle: kolonnen læses ikke (navne, e-mails, kommentarer).")
keys = ["", *REF.questions["key"]]
review = st.data_editor(
    review_table(staging), hide_index=True, key=f"review-{round_}",
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
if not report.ok:
    st.error("Kontrollen fandt problemer: ret dem og kontrollér igen. Intet er ændret.")
    st.markdown(problems_table(report.problems, staging), unsafe_allow_html=True)
    st.stop()
st.success("Kontrollen er i orden.")
summary = next((s for s in report.summaries if s.year == int(year)), None)
if summary is not None and summary.answering is not None:
    st.markdown(
        f"- {summary.answering} af {summary.population} kommuner har svaret "
        f"({percent(summary.response_rate)}).\n"
        + (f"- Ikke svaret: {', '.join(summary.missing)}.\n" if summary.missing else "")
        + (f"- {len(summary.duplicates)} dubletter er udeladt (den seneste besvarelse "
           "tæller).\n" if summary.duplicates else "")
        + (f"- Spørgsmål, som eksporten ikke har: {', '.join(summary.unmapped)}.\n"
           if summary.unmapped else ""))

st.subheader("3. Se resultatet, og publicér")
goals = report.result.goals
st.markdown(html_table(goal_matrix(goals[goals["level"] == "resultatmaal"], REF),
                       "Resultatmålene, som de bliver efter publicering"),
            unsafe_allow_html=True)
warnings = upload_warnings(staging, report)
for w in warnings:
    st.warning(w.message, icon=":material/warning:")
sure = True
if warnings:
    sure = st.checkbox("Jeg har læst advarslerne og vil publicere alligevel",
                       key=f"sure-{round_}")
if st.button("Publicér", type="primary", key="publish", disabled=not sure):
    try:
        with st.spinner("Publicerer og beregner alle tal igen ..."):
            result = publish(staging, surveys, targets, outputs.out_dir)
    except InputError as exc:
        st.error("Publiceringen blev stoppet; intet er ændret.")
        st.markdown(problems_table(exc.problems, staging), unsafe_allow_html=True)
        st.stop()
    forget_upload()
    st.cache_data.clear()
    st.session_state["upload_round"] = round_ + 1
    st.session_state["published"] = (
        f"Publiceret: tallene for {', '.join(map(str, result.years))} er beregnet igen, og "
        "dashboardet viser dem nu.")
    st.rerun()
