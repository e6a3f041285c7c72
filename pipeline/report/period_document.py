"""The period assessment (periodevaluering) as a Word document: how the CBs met Bilag 3 over
the whole agreement period, for the parties' assessment when the agreement ends.

Cover and table of contents; a summary page (each resultatmål's years met, the indicators
met every year, room for the CBs' overall assessment and sign-off); every resultatmål and
operationelt mål year by year; then per indicator each year's result, interval, target and
verdict, in how many years it was met, and its development from the first year to the
last with the interval the pipeline built for it, with the indicator's chart; the method.
Everything is read from the outputs (period_indicators.csv and period_goals.csv count the
years and build the development); nothing is computed here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

import pandas as pd

from pipeline.formatting import percent, range_text
from pipeline.present.words import (
    GOAL_COLOURS,
    goal_verdict,
    interval_text,
    light_fill,
    share_target,
    target_text,
    verdict_colour,
)
from pipeline.report.data import ReportData
from pipeline.report.document import (
    breakable,
    cb_list,
    method_appendix,
    result_text,
    sign_off,
    verdict_cell,
)
from pipeline.report.images import Picture
from pipeline.report.sentences import (
    count_word,
    danish_list,
    development_sentence,
    goal_period_sentence,
    licence_period_sentence,
    period_verdict_sentence,
)
from pipeline.report.texts import (
    ADDRESSED,
    PERIOD_TITLE,
    PLACEHOLDER_NOTE,
    code_text,
    comment_slot,
    subtitle,
)
from pipeline.report.word import GREY, TEXT_WIDTH_CM, Writer, cover, new_document

PERIOD_METHOD = (
    "Udviklingen over perioden", "Udviklingen sammenligner det sidste år i perioden med et tal "
    "med det første. For andelene er konfidensintervallet for udviklingen bygget på samme måde "
    "som for ændringen fra året før: af de to års egne konfidensintervaller, lagt sammen i "
    "kvadrat, så udviklingen og de to års tal aldrig modsiger hinanden. Interurbanudlånet "
    "sammenlignes i antal og procent; licenserne pr. licens fra det første år med tal. Antallet "
    "af år, hvor et mål er opfyldt, tæller kun år, hvor bilag 3 fastsætter et mål.")


def period_title(data: ReportData) -> str:
    return f"{PERIOD_TITLE} {range_text(data.agreement_years)}"


def _years_cell(row: Mapping | None, total_key: str = "years_with_target") -> str:
    """'3 af 4' years met (of the years with a target)."""
    if row is None:
        return "–"
    total = int(row[total_key]) if total_key in row else 0
    return f"{int(row['years_met'])} af {total}" if total else "intet mål"


def _goal_years(row: Mapping | None) -> str:
    if row is None:
        return "–"
    judged = int(row["years_met"]) + int(row["years_not_met"]) + int(row["years_incomplete"])
    return f"{int(row['years_met'])} af {judged}" if judged else "intet mål"


def _summary(w: Writer, data: ReportData) -> None:
    years = data.agreement_years
    w.heading("Sammenfatning", 1, new_page=True)
    goals = data.resultatmaal()
    w.paragraph(f"Rammeaftalen om centralbiblioteksvirksomhed {range_text(years)} har "
                f"{count_word(len(goals))} resultatmål i bilag 3. Et resultatmål er opfyldt i "
                "et år, hvis alle dets nøgletal og indikatorer med et mål for året er opfyldt. "
                "Evalueringen samler de årlige vurderinger for hele perioden.")
    for maal_id, goal in goals.iterrows():
        history = data.goals[(data.goals["maal_id"] == maal_id)
                             & data.goals["year"].isin(years)]
        w.bullet(goal_period_sentence(history).replace("Resultatmålet", "Det", 1),
                 bold_lead=f"{data.reference.resultatmaal_name(maal_id)} »{goal['short_label']}«: ")
    _goal_table(w, data, levels=("resultatmaal",),
                caption=f"Resultatmålenes opfyldelse {range_text(years)}")
    _indicator_tally(w, data)
    w.heading("Samlet vurdering", 2)
    w.placeholder("Centralbibliotekernes samlede vurdering af aftaleperioden: hvad er opnået, "
                  "hvor er målene ikke nået og hvorfor, og hvad tages med ind i næste periode.")
    sign_off(w, data, f"Periodeevalueringen for {range_text(years)}")


def _indicator_tally(w: Writer, data: ReportData) -> None:
    """How many indicators met their target in every year, some years or no year."""
    rows = [data.period_indicator(i) for i in data.catalogue()["indicator_id"]]
    rows = [r for r in rows if r is not None and int(r["years_with_target"]) > 0]
    judged = [r for r in rows if int(r["years_met"]) + int(r["years_not_met"]) > 0]
    every = [r for r in judged if int(r["years_not_met"]) == 0]
    never = [r for r in judged if int(r["years_met"]) == 0]
    some = len(judged) - len(every) - len(never)
    parts = [f"{count_word(n)} {what}" for n, what in (
        (len(every), "opfyldt i alle år med et mål"), (some, "i nogle af årene"),
        (len(never), "i ingen af årene")) if n]
    text = (f"Af de {count_word(len(judged))} nøgletal og indikatorer med mål i perioden var "
            f"{danish_list(parts)}.")
    if len(judged) < len(rows):
        text += (f" For {count_word(len(rows) - len(judged))} foreligger der ikke tal for "
                 "nogen af årene.")
    w.paragraph(text)


def _goal_table(w: Writer, data: ReportData, levels: tuple[str, ...], caption: str) -> None:
    """Goals (rows) x years (verdicts) and the years met."""
    years = data.agreement_years
    year_width = 2.0
    columns = [("Mål", TEXT_WIDTH_CM - year_width * len(years) - 2.0),
               *((str(y), year_width) for y in years), ("Opfyldt (år)", 2.0)]
    maal = data.reference.maal.set_index("maal_id")
    rows, fills = [], {}
    for maal_id in data.resultatmaal().index:
        ids = [maal_id]
        if "operationelt_maal" in levels:
            ids += list(data.operationelle_maal(maal_id).index)
        for goal_id in ids:
            level = maal.at[goal_id, "level"]
            short = maal.at[goal_id, "short_label"]
            name = (f"{data.reference.resultatmaal_name(goal_id)}: {short}"
                    if level == "resultatmaal" else
                    f"    Operationelt mål: {maal.at[goal_id, 'short_label']}")
            values = [name]
            mine = data.goals[data.goals["maal_id"] == goal_id].set_index("year")["attained"]
            for j, year in enumerate(years, start=1):
                code = mine.get(year, "n/a")
                values.append(goal_verdict(code))
                fills[(len(rows), j)] = light_fill(GOAL_COLOURS[code])
            values.append(_goal_years(data.period_goal(goal_id)))
            rows.append(values)
    w.table(columns, rows, caption=caption, fills=fills, size=8.5)


def _indicator(w: Writer, data: ReportData, ind: str, om: pd.Series,
               images: Mapping[str, list[Picture]]) -> None:
    catalogue = data.catalogue()
    years = data.agreement_years
    w.heading(catalogue.at[ind, "label"], 3)
    history = data.history(ind)
    history = history[history["year"].isin(years)]
    level = percent(data.outputs.manifest.get("parameters", {}).get("confidence", 0.95))
    rows, fills = [], {}
    for row in history.to_dict("records"):
        fills[(len(rows), 4)] = light_fill(verdict_colour(row["attained"], row["certainty"]))
        rows.append([str(int(row["year"])), breakable(result_text(row)),
                     interval_text(row["ci_low"], row["ci_high"],
                                   share_target(row["target_kind"], row["target"])),
                     target_text(row["target_kind"], row["target"]), verdict_cell(row)])
    period = data.period_indicator(ind)
    w.table((("År", 1.6), ("Resultat", 3.0), (f"{level}-KI", 3.0), ("Mål", 3.5),
             ("Vurdering", 5.5)), rows, caption=f"{catalogue.at[ind, 'label']}, "
            f"{code_text(ind)}, {range_text(years)}", fills=fills, size=8.5)
    sentence = period_verdict_sentence(history, om["label"])
    if period is not None:
        sentence = f"{sentence} {development_sentence(period)}".strip()
    if catalogue.at[ind, "kind"] == "national_trend":
        sentence = f"{licence_period_sentence(data.licences())} {sentence}".strip()
    w.figures([(p.png, p.title) for p in images.get(ind, [])], sentence)
    w.paragraph(sentence)
    last = history[history["year"] == years[-1]]
    free = history[history["target_kind"] == "none"]
    if len(free) and catalogue.at[ind, "kind"] == "national_count":
        slot = comment_slot(free.iloc[-1], om["label"])
        if slot:
            w.placeholder(slot.replace(f"i {int(free['year'].iloc[-1])}",
                                       f"i {range_text(free['year'].astype(int).tolist())}"))
    elif last.empty:
        w.placeholder(f"Kommentér, at der ikke foreligger tal for {years[-1]}.")


def _indicators(w: Writer, data: ReportData, images: Mapping[str, list[Picture]]) -> None:
    years = data.agreement_years
    w.heading(f"Nøgletal og indikatorer {range_text(years)}", 1, new_page=True)
    w.paragraph("For hvert nøgletal og hver indikator: årets resultat, konfidensinterval, mål "
                "og vurdering, i hvor mange år målet var opfyldt, og udviklingen fra det første "
                "til det sidste år.")
    for maal_id, goal in data.resultatmaal().iterrows():
        w.heading(f"{data.reference.resultatmaal_name(maal_id)}: {goal['short_label']}", 2)
        history = data.goals[(data.goals["maal_id"] == maal_id)
                             & data.goals["year"].isin(years)]
        w.paragraph(goal_period_sentence(history))
        for om_id, om in data.operationelle_maal(maal_id).iterrows():
            for ind in data.indicators_of_om(om_id):
                _indicator(w, data, ind, om, images)
        w.placeholder("Skriv her centralbibliotekernes vurdering af resultatmålet over hele "
                      "perioden.")


def period_document_bytes(data: ReportData, images: Mapping[str, list[Picture]]) -> bytes:
    """periodevaluering_<first>-<last>.docx as bytes; `images` maps an indicator id to its
    drawn charts (every year of the period)."""
    title = period_title(data)
    w = new_document(title, f"{title} – udkast", data.synthetic,
                     datetime.now(UTC).replace(microsecond=0, tzinfo=None))
    years = data.agreement_years
    cover(w, title, f"Målopfyldelsen i hele aftaleperioden, {subtitle(years)}",
          ADDRESSED.format(cbs=cb_list(data)), "Udkast · [Dato for afgivelse]", data.synthetic)
    w.doc.add_paragraph("Indhold", style="TOC Heading")
    w.toc_here()
    w.paragraph(PLACEHOLDER_NOTE.replace("beretningen", "evalueringen"), italic=True,
                colour=GREY, size=9)
    _summary(w, data)
    w.heading(f"Resultatmål og operationelle mål {range_text(years)}", 1)
    w.paragraph("Et operationelt mål er opfyldt i et år, hvis alle dets nøgletal og indikatorer "
                "med et mål er opfyldt; et resultatmål, hvis alle dets operationelle mål er.",
                keep_with_next=True)
    _goal_table(w, data, levels=("resultatmaal", "operationelt_maal"),
                caption=f"Resultatmål og operationelle mål {range_text(years)}")
    _indicators(w, data, images)
    method_appendix(w, data, extra=[PERIOD_METHOD])
    return w.finish()
