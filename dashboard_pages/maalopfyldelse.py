"""Overview: which result goals are met each year (the binding roll-up), and why."""

from __future__ import annotations

import streamlit as st

from dashboard_pages.ui import get_outputs, page_start, table, with_method
from pipeline.present.tables import goal_matrix, indicator_table
from pipeline.present.words import GOAL_COLOURS, GOAL_ICONS, GOAL_WORDS, goal_verdict
from pipeline.reference import NATIONAL

outputs = get_outputs()
REF = outputs.reference
year, method = page_start(outputs)
st.title("Målopfyldelse")
st.markdown(
    "Resultatmålene i Bilag 3 er **bindende**: et resultatmål er kun opfyldt i et år, hvis "
    "alle dets indikatorer med et mål er opfyldt. *Ufuldstændig*: en indikator mangler data, "
    "så målet kan ikke erklæres opfyldt.")

matrix = goal_matrix(outputs.goals, REF)
years = [c for c in matrix.frame.columns if c.isdigit()]
colour_of = {goal_verdict(k): v for k, v in GOAL_COLOURS.items()}
styled = matrix.shown().style.map(lambda v: f"background-color: {colour_of.get(v, '')}33",
                                  subset=years)
table(matrix, "maalopfyldelse", outputs, styled=styled)
st.caption("  ·  ".join(f"{GOAL_ICONS[k]} {GOAL_WORDS[k]}" for k in GOAL_WORDS))

st.subheader(f"Indikatorerne bag et resultatmål i {year}")
goals = REF.maal[REF.maal["level"] == "resultatmaal"].set_index("maal_id")
chosen = st.selectbox("Resultatmål", list(goals.index), key="goal",
                      format_func=lambda i: f"{i}: {goals.at[i, 'short_label']}")
goal = outputs.goals[(outputs.goals["maal_id"] == chosen) & (outputs.goals["year"] == year)].iloc[0]
st.markdown(f"**{goal_verdict(goal['attained'])}** · {goals.at[chosen, 'label']}")
for label, column in (("Holder målet tilbage", "indicators_not_attained"),
                      ("Mangler data", "indicators_missing"),
                      ("Usikre (intervallet omslutter målet)", "indicators_uncertain"),
                      ("Uden mål i år", "indicators_without_target")):
    if goal[column]:
        st.markdown(f"- *{label}:* {goal[column]}")
ind = outputs.indicators
rows = ind[(ind["resultatmaal_id"] == chosen) & (ind["year"] == year) & (ind["scope"] == NATIONAL)]
table(indicator_table(with_method(rows, outputs, method), REF), f"indikatorer_{chosen}_{year}",
      outputs, columns=["Indikator", "Beskrivelse", "Andel positive", "KI nedre", "KI øvre",
                        "Tal", "Mål", "Vurdering", "Ændring fra sidste år"])
