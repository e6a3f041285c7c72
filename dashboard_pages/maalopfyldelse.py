"""Overview: which result goals are met each year (the binding roll-up), and for a chosen
goal its operationelle mål and indicators, with their sources."""

from __future__ import annotations

import streamlit as st

from dashboard_pages.ui import (
    control,
    download_buttons,
    get_outputs,
    method_control,
    page_link,
    start_page,
    table,
    with_method,
    year_control,
)
from pipeline.outputs.read import listed_indicators
from pipeline.present.sources import source_row, source_text
from pipeline.present.tables import Table, goal_matrix, indicator_table, with_method_columns
from pipeline.present.words import GOAL_ICONS, GOAL_WORDS, goal_cell, goal_verdict
from pipeline.reference import NATIONAL

outputs = get_outputs()
REF = outputs.reference
start_page("Målopfyldelse", outputs)
st.markdown(
    "Resultatmålene i Bilag 3 er **bindende**: et resultatmål er kun opfyldt i et år, hvis "
    "alle dets indikatorer med et mål er opfyldt. *Ufuldstændig*: en indikator mangler data, "
    "så målet kan ikke erklæres opfyldt.")
goals_ref = REF.maal[REF.maal["level"] == "resultatmaal"].set_index("maal_id")
left, middle, right = st.columns([1, 1, 2])
year = year_control(left, outputs)
method = method_control(middle)
chosen = control(right, "Resultatmål", list(goals_ref.index), "maal",
                 format_func=lambda i: f"{REF.resultatmaal_name(i)}: "
                                       f"{goals_ref.at[i, 'short_label']}")

CLASS_OF = {GOAL_WORDS[k]: c for k, c in (("yes", "mo-yes"), ("no", "mo-no"),
                                          ("incomplete", "mo-incomplete"), ("n/a", "mo-na"))}


def verdict_class(heading: str, value: str) -> str | None:
    """The cell's tint by verdict, and a dashed frame when it is uncertain (the words
    carry both; colour and frame only help)."""
    if not heading.isdigit():
        return None
    word = next((w for w in CLASS_OF if w in value and not (w == "Opfyldt" and "Ikke" in value)),
                None)
    return " ".join(c for c in (CLASS_OF.get(word), "mo-uncertain" if "usikkert" in value
                                else None) if c)


certainty = outputs.goal_certainty[outputs.goal_certainty["requested_method"] == method]
matrix = goal_matrix(outputs.goals, REF, certainty)
table(matrix, "maalopfyldelse", outputs,
      caption="Resultatmålene pr. år (bindende vurdering)",
      cell_class=verdict_class, phone_hidden=["Opgave"])
st.caption("Forklaring: " + "  ·  ".join(f"{GOAL_ICONS[k]} {GOAL_WORDS[k]}" for k in GOAL_WORDS)
           + ". *(usikkert)*: mindst én af målets indikatorer har et konfidensinterval, der "
           "omslutter målet (med den valgte intervalmetode), så vurderingen hviler på den "
           "opgjorte andel. Symbolet og ordene bærer vurderingen; farven er kun en hjælp.")

chosen_name = REF.resultatmaal_name(chosen)
st.header(f"{chosen_name} i {year}", anchor="resultatmaal")
goal = outputs.goals[(outputs.goals["maal_id"] == chosen)
                     & (outputs.goals["year"] == year)].iloc[0]
chosen_certainty = certainty[(certainty["maal_id"] == chosen) & (certainty["year"] == year)]
unsure = bool(chosen_certainty.iloc[0]["uncertain"]) if len(chosen_certainty) else False
st.markdown(f"**{goal_cell(goal['attained'], unsure)}** · {goals_ref.at[chosen, 'label']}")
labels = REF.indicators.set_index("indicator_id")["label"]
ind = outputs.indicators
rows = with_method(ind[(ind["resultatmaal_id"] == chosen) & (ind["year"] == year)
                       & (ind["scope"] == NATIONAL)], outputs, method)


def named(listing: object) -> str:
    """A goals.csv list of indicators by their names, each with its reason if it has one."""
    return "; ".join(labels.get(i, i) + (f" ({why})" if why else "")
                     for i, why in listed_indicators(listing))


# The uncertain indicators follow the interval method chosen above, as the table does.
uncertain = chosen_certainty.iloc[0]["indicators_uncertain"] if len(chosen_certainty) else ""
for label, listing in (("Holder målet tilbage", goal["indicators_not_attained"]),
                       ("Mangler data", goal["indicators_missing"]),
                       ("Usikre (intervallet omslutter målet)", uncertain),
                       ("Frafaldet kan vende vurderingen (frafaldsspændet omslutter målet)",
                        goal["indicators_nonresponse_uncertain"]),
                       ("Uden mål i år", goal["indicators_without_target"])):
    if named(listing):
        st.markdown(f"- *{label}:* {named(listing)}")

columns = ["Indikator", "Beskrivelse", "Andel positive", "KI nedre", "KI øvre", "Tal", "Mål",
           "Vurdering", "Ændring fra sidste år"]
operational = REF.maal[(REF.maal["level"] == "operationelt_maal")
                       & (REF.maal["resultatmaal_id"] == chosen)]
everything: list[Table] = []
for om in operational.itertuples():
    verdict = outputs.goals[(outputs.goals["maal_id"] == om.maal_id)
                            & (outputs.goals["year"] == year)]
    word = goal_verdict(verdict.iloc[0]["attained"]) if len(verdict) else "–"
    st.subheader(f"Operationelt mål: {om.short_label}")
    st.markdown(f"**{word}** · {om.label}")
    these = rows[rows["operationelt_maal_id"] == om.maal_id]
    shown = indicator_table(these, REF).only(columns).without_empty()
    everything.append(with_method_columns(indicator_table(these, REF), these))
    table(shown, f"indikatorer_{om.maal_id}_{year}", outputs, downloads=False,
          caption=f"Indikatorerne under »{om.short_label}«, hele landet, {year}",
          phone_hidden=["Indikator", "KI nedre", "KI øvre", "Tal"])
    with st.expander("Kilder, spørgsmål og metode"):
        for row in these.itertuples():
            source = source_row(outputs.sources, row.indicator_id, year)
            st.markdown(f"**{labels[row.indicator_id]}:** "
                        + source_text(these.loc[row.Index], source, REF))
            track = REF.indicators.set_index("indicator_id").at[row.indicator_id, "track"]
            page_link("spor", f"Se »{labels[row.indicator_id]}« på Spor og indikatorer",
                      spor=track, indikator=row.indicator_id.lower(), omraade=NATIONAL)

if everything:
    st.markdown(f"Alle indikatorer under {chosen_name.lower()} i {year}, med interval, metode "
                "og niveau:")
    download_buttons(Table.concat(everything), f"indikatorer_{chosen}_{year}", outputs)
