"""The report's Word document: a Danish first draft of the fælles faglige beretning.

Cover, table of contents, an executive summary (with room for causes and follow-up where
a resultatmål is not met, and for the six CB leaders' sign-off), a compact table of every
indicator's result and target in the agreement's years so far, then Bilag 3's own
hierarchy: per opgave, each resultatmål with its operationelle mål and their indicators
(nøgletal), each with its table, drafted sentence and chart; per theme track a section for
the CBs' activities, networks and partners; the CB regions (table and map), data quality,
and the method with the run it rests on.

Words and numbers come from pipeline.present, pipeline.formatting and the drafted
sentences, so they match the dashboard. Nothing here computes a statistic.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

import pandas as pd

from pipeline.formatting import number, percent, percent_beside, points, range_text
from pipeline.present.method import REGION_NOTE, method_sections
from pipeline.present.words import (
    GOAL_COLOURS,
    GOAL_ICONS,
    GOAL_WORDS,
    goal_verdict,
    interval_text,
    light_fill,
    scope_label,
    share_target,
    target_text,
    verdict_colour,
)
from pipeline.reference import NATIONAL, SURVEY_KINDS
from pipeline.report.data import ReportData
from pipeline.report.images import REGION_MAPS, Picture
from pipeline.report.sentences import (
    certainty_word,
    change_sentence,
    danish_list,
    goal_sentence,
    indicator_sentence,
    plain_text,
    signed_points,
    summary_sentences,
    verdict_word,
)
from pipeline.report.texts import (
    ADDRESSED,
    OWN_TEXT,
    PLACEHOLDER_NOTE,
    TITLE,
    TRACK_PLACEHOLDERS,
    code_text,
    comment_slot,
    quality_sentence,
    sign_off_rows,
    subtitle,
)
from pipeline.report.word import GREY, TEXT_WIDTH_CM, Writer, cover, new_document

INDICATOR_COLUMNS = (("Indikator (nøgletal)", 4.9), ("Resultat", 1.7), ("KI", 1.8),
                     ("n", 0.9), ("Mål", 1.8), ("Vurdering", 2.4), ("Ændring", 3.1))
VERDICT_COLUMN = 5
MARKS = {"yes": "✔", "no": "✘"}
SOFT_BREAKS = {"Sandsynliggjort": "Sandsynlig\u00adgjort",
               "Ikke sandsynliggjort": "Ikke sandsynlig\u00adgjort"}
"""Where a long word may break in a narrow table cell (a soft hyphen)."""
"""The verdict's symbol in the compact overview table (the words are in its legend)."""


def result_text(row: Mapping) -> str:
    """The indicator's figure as the dashboard shows it: share, count or judgement."""
    if row["kind"] in SURVEY_KINDS:
        return percent_beside(row["share"], share_target(row["target_kind"], row["target"]))
    if row["kind"] == "judgement":
        return (plain_text(row["judgement"]) or "–").capitalize()
    if row["kind"] == "national_trend" and pd.notna(row.get("value_change_pct")):
        return f"brug {percent(row['value_change_pct'], 1, True)}"
    return number(row["value"])


def change_cell(row: Mapping) -> str:
    """Change from last year: percentage points with the interval on a second line for
    shares, per cent for national figures."""
    if row["kind"] in SURVEY_KINDS:
        if pd.isna(row.get("change")):
            return "–"
        low, high = row.get("change_ci_low"), row.get("change_ci_high")
        interval = "" if pd.isna(low) or pd.isna(high) else \
            f"\nKI {signed_points(low)} til {signed_points(high)}"
        return f"{points(row['change'])}{interval}"
    if row["kind"] == "judgement":
        return "–"
    return percent(row["value_change_pct"], 1, True)


def breakable(text: str) -> str:
    """A long word with a soft hyphen where it may break in a narrow cell."""
    return SOFT_BREAKS.get(text, text)


def overview_cell(row: Mapping) -> str:
    """One indicator and year in the compact overview: the result, then (smaller) the
    target and the verdict's mark: '92 %' / 'mål 90 % ✔'."""
    mark = MARKS.get(row["attained"], "")
    if row["kind"] == "judgement":
        result = breakable(result_text(row))
        return f"{result}\n{mark} {verdict_word(row).lower()}".rstrip()
    if row["target_kind"] in ("min_share", "min_count"):
        target = f"mål {target_text(row['target_kind'], row['target'])} {mark}"
    else:
        target = "intet mål" if row["attained"] not in ("yes", "no") else \
            f"{target_text(row['target_kind'], row['target']).lower()} {mark}"
    return f"{result_text(row)}\n{target.strip()}"


def verdict_cell(row: Mapping) -> str:
    """'Opfyldt' with the statistical certainty on a line of its own."""
    word = verdict_word(row)
    certainty = certainty_word(row)
    return f"{word}\n{certainty}" if certainty else word


def _indicator_rows(data: ReportData, ids: Sequence[str]) -> tuple[list, dict]:
    catalogue = data.catalogue()
    rows, fills = [], {}
    for ind in ids:
        row = data.row(ind)
        if row is None:
            continue
        fills[(len(rows), VERDICT_COLUMN)] = light_fill(verdict_colour(row["attained"],
                                                                       row["certainty"]))
        rows.append([f"{catalogue.at[ind, 'label']}\n{code_text(ind)}",
                     breakable(result_text(row)),
                     interval_text(row["ci_low"], row["ci_high"],
                                   share_target(row["target_kind"], row["target"])),
                     number(row["n_valid"]) if pd.notna(row["n_valid"]) else "–",
                     breakable(target_text(row["target_kind"], row["target"])),
                     verdict_cell(row), change_cell(row)])
    return rows, fills


def _indicator_table(w: Writer, data: ReportData, ids: Sequence[str], caption: str) -> None:
    rows, fills = _indicator_rows(data, ids)
    if not rows:
        return
    level = percent(data.outputs.manifest.get("parameters", {}).get("confidence", 0.95))
    columns = [(f"{level}-KI" if name == "KI" else name, width)
               for name, width in INDICATOR_COLUMNS]
    w.table(columns, rows, caption=caption, fills=fills, size=8)


# --- front matter ---------------------------------------------------------------------------


def _front(w: Writer, data: ReportData) -> None:
    cover(w, f"{TITLE} {data.year}", subtitle(data.agreement_years),
          ADDRESSED.format(cbs=cb_list(data)), "Udkast · [Dato for afgivelse]",
          data.synthetic)
    contents = w.doc.add_paragraph("Indhold", style="TOC Heading")
    contents.paragraph_format.space_after = 12
    w.toc_here()
    w.paragraph(PLACEHOLDER_NOTE, italic=True, colour=GREY, size=9)


def cb_list(data: ReportData) -> str:
    """'Gentofte, Roskilde, Odense, Vejle, Herning og Aalborg'."""
    return danish_list(data.reference.centralbiblioteker)


def _summary(w: Writer, data: ReportData) -> None:
    w.heading("Sammenfatning", 1, new_page=True)
    this = [data.goal(m) for m in data.resultatmaal().index]
    this = [g for g in this if g is not None]
    names = {m: f"{data.reference.resultatmaal_name(m)}: {label}"
             for m, label in data.resultatmaal()["label"].items()}
    lead, items = summary_sentences(this, data.year, names, data.goal_reasons)
    w.paragraph(lead)
    for text, why in items:
        w.bullet(why, bold_lead=f"{text} ")
    _goal_matrix(w, data)
    unmet = [g for g in this if g["attained"] in ("no", "incomplete")]
    if unmet:
        w.heading("Årsager og opfølgning", 2)
        w.paragraph("For hvert resultatmål, der ikke er opfyldt, beskrives årsagerne og "
                    "centralbibliotekernes opfølgning.")
        labels = data.resultatmaal()
        for goal in unmet:
            name = data.reference.resultatmaal_name(goal["maal_id"])
            w.paragraph(f"{name}: {labels.at[goal['maal_id'], 'short_label']}",
                        bold_lead="", keep_with_next=True).runs[0].bold = True
            w.placeholder(f"Beskriv årsagerne til, at resultatmålet ikke er nået i {data.year}.",
                          lead="Årsager: ")
            w.placeholder("Beskriv opfølgningen: hvad centralbibliotekerne gør, og hvornår.",
                          lead="Opfølgning: ")
    sign_off(w, data, f"Beretningen for {data.year}")


def sign_off(w: Writer, data: ReportData, what: str) -> None:
    """The closing page section: the six CB leaders sign what they submit together."""
    w.heading("Påtegning", 2)
    w.paragraph(f"{what} er udarbejdet og afgivet af de seks centralbiblioteker i "
                "fællesskab.", keep_with_next=True)
    w.table((("Centralbibliotek", 4.4), ("Centralbibliotekschef", 4.6), ("Dato", 2.6),
             ("Underskrift", 5.0)), sign_off_rows(data.reference.centralbiblioteker), size=9)


def _goal_matrix(w: Writer, data: ReportData) -> None:
    goals = data.goals[data.goals["level"] == "resultatmaal"]
    years = data.years
    year_width = min(2.75, (TEXT_WIDTH_CM - 5.5) / len(years))
    columns = [("Resultatmål", TEXT_WIDTH_CM - year_width * len(years)),
               *((str(y), year_width) for y in years)]
    rows, fills = [], {}
    labels = data.resultatmaal()["short_label"]
    for i, maal_id in enumerate(data.resultatmaal().index):
        mine = goals[goals["maal_id"] == maal_id].set_index("year")["attained"]
        values = [f"{data.number_of(maal_id)}. {labels[maal_id]}"]
        for j, year in enumerate(years, start=1):
            code = mine.get(year, "n/a")
            values.append(goal_verdict(code))
            fills[(i, j)] = light_fill(GOAL_COLOURS[code])
        rows.append(values)
    w.table(columns, rows, caption=f"Resultatmålenes opfyldelse {range_text(years)}",
            fills=fills)
    legend = "   ".join(f"{GOAL_ICONS[k]} {GOAL_WORDS[k]}" for k in GOAL_WORDS)
    w.paragraph(f"{legend}. Et resultatmål er kun opfyldt, hvis alle dets nøgletal og "
                "indikatorer med et mål for året er opfyldt; ufuldstændig betyder, at der "
                "mangler tal for et af dem.", size=8.5, colour=GREY)


def _overview(w: Writer, data: ReportData) -> None:
    """Every indicator's result and target in each year so far, grouped by resultatmål."""
    years = data.years
    w.heading(f"Målopfyldelse {range_text(years)}", 1)
    w.paragraph("Tabellen viser for hvert nøgletal og hver indikator i bilag 3 resultatet og "
                "målet for hvert år. Afsnittene om de to kerneopgaver uddyber tallene for "
                f"{data.year}.", keep_with_next=True)
    year_width = min(2.5, (TEXT_WIDTH_CM - 6.0) / len(years))
    columns = [("Nøgletal / indikator", TEXT_WIDTH_CM - year_width * len(years)),
               *((str(y), year_width) for y in years)]
    catalogue = data.catalogue()
    rows, fills, groups = [], {}, {}
    for maal_id, goal in data.resultatmaal().iterrows():
        groups[len(rows)] = f"{data.reference.resultatmaal_name(maal_id)}: {goal['short_label']}"
        for ind in data.indicators_of(maal_id):
            history = data.history(ind).set_index("year")
            values = [f"{catalogue.at[ind, 'label']}\n{code_text(ind)}"]
            for j, year in enumerate(years, start=1):
                if year not in history.index:
                    values.append("–")
                    continue
                row = history.loc[year]
                values.append(overview_cell(row))
                fills[(len(rows), j)] = light_fill(verdict_colour(row["attained"],
                                                                  row["certainty"]))
            rows.append(values)
    w.table(columns, rows, caption=f"Resultat og mål pr. nøgletal og indikator {range_text(years)}",
            fills=fills, size=8, groups=groups, keep_together=False)
    w.paragraph("✔ opfyldt, ✘ ikke opfyldt (farven viser det samme; orange: vurderingen er "
                "ikke statistisk sikker). Resultatet er andelen positive, det nationale tal "
                "eller vurderingen; »intet mål«: bilag 3 fastsætter intet mål for året.",
                size=8.5, colour=GREY)


# --- the hierarchy: opgave -> resultatmål -> operationelt mål -> indikator -------------------


def _opgave(w: Writer, data: ReportData, opgave: str,
            images: Mapping[str, list[Picture]]) -> None:
    w.heading(opgave, 1, new_page=True)
    goals = data.resultatmaal()
    goals = goals[goals["opgave"] == opgave]
    numbers = [data.number_of(m) for m in goals.index]
    span = f"resultatmål {range_text(numbers)}"
    w.paragraph(f"Under kerneopgaven {opgave.lower()} hører {span} i bilag 3. For hvert "
                "resultatmål følger dets operationelle mål og deres nøgletal og indikatorer.")
    for maal_id in goals.index:
        _goal(w, data, maal_id, images)
    if opgave == "Temaspor":
        _theme_tracks(w, data)


def _goal(w: Writer, data: ReportData, maal_id: str,
          images: Mapping[str, list[Picture]]) -> None:
    goal = data.resultatmaal().loc[maal_id]
    w.heading(f"{data.reference.resultatmaal_name(maal_id)}: {goal['short_label']}", 2)
    w.paragraph(f"»{goal['label'].rstrip('.')}«", italic=True)
    row = data.goal(maal_id)
    if row is not None:
        w.paragraph(goal_sentence(row, data.goal_reasons(row)),
                    bold_lead=f"{goal_verdict(row['attained'])} i {data.year}. ")
    for om_id, om in data.operationelle_maal(maal_id).iterrows():
        _operational_goal(w, data, om_id, om, images)
    w.placeholder(OWN_TEXT)


def _operational_goal(w: Writer, data: ReportData, om_id: str, om: pd.Series,
                      images: Mapping[str, list[Picture]]) -> None:
    w.heading(f"Operationelt mål: {om['short_label']}", 3)
    w.paragraph(f"»{om['label'].rstrip('.')}«", italic=True, keep_with_next=True)
    ids = data.indicators_of_om(om_id)
    _indicator_table(w, data, ids, f"Nøgletal og indikatorer for det operationelle mål "
                                   f"»{om['short_label']}« {data.year}")
    catalogue = data.catalogue()
    for ind in ids:
        row = data.row(ind)
        if row is None:
            continue
        w.heading(catalogue.at[ind, "label"], 4)
        measure, source = data.measure_of(ind)
        text = indicator_sentence(row, catalogue.at[ind, "report_subject"],
                                  licences=data.licences(), operational_goal=om["label"],
                                  measure=measure, source=source,
                                  unit=data.unit_of("licence_use"))
        sentence = f"{text} {change_sentence(row)}".strip()
        w.figures([(p.png, p.title) for p in images.get(ind, [])], sentence)
        w.paragraph(sentence)
        slot = comment_slot(row, om["label"])
        if slot:
            w.placeholder(slot)


def _theme_tracks(w: Writer, data: ReportData) -> None:
    """Per theme track (Bilag 5): its indicators this year, and room for what the CBs did."""
    catalogue = data.reference.indicators
    for track in data.theme_tracks().itertuples():
        w.heading(f"Temasporet »{track.label}«", 2)
        ids = catalogue.loc[catalogue["track"] == track.track, "indicator_id"].tolist()
        rows = [(ind, data.row(ind)) for ind in ids]
        rows = [(ind, r) for ind, r in rows if r is not None]
        if rows:
            w.table((("Nøgletal / indikator", 7.6), ("Resultat", 2.8), ("Mål", 2.8),
                     ("Vurdering", 3.4)),
                    [[data.catalogue().at[ind, "label"], breakable(result_text(r)),
                      breakable(target_text(r["target_kind"], r["target"])), verdict_cell(r)]
                     for ind, r in rows],
                    caption=f"Temasporet »{track.label}« i {data.year}", size=8.5)
        for lead, text in TRACK_PLACEHOLDERS:
            w.placeholder(text.format(year=data.year, track=track.label), lead=f"{lead}: ")


# --- CB regions, data quality, method -------------------------------------------------------


def _regions(w: Writer, data: ReportData, images: Mapping[str, list[Picture]]) -> None:
    w.heading("CB-regionerne", 1, new_page=True)
    w.paragraph(f"Andelen positive for hvert nøgletal fra spørgeskemaet i {data.year}, i hele "
                f"landet og i hver af de seks CB-regioner, i tabellen og på kortene, hvor hver "
                f"region er farvet efter sin andel (mørkere er højere). {REGION_NOTE} "
                "Intervallerne står i regnearket.", keep_with_next=True)
    rows = data.indicators
    rows = rows[(rows["year"] == data.year) & rows["kind"].isin(SURVEY_KINDS)]
    scopes = [NATIONAL, *data.reference.centralbiblioteker]
    width = 1.6
    columns = [("Nøgletal", TEXT_WIDTH_CM - width * len(scopes)),
               *((scope_label(s).removeprefix("CB "), width) for s in scopes)]
    table = []
    catalogue = data.catalogue()
    for ind in catalogue["indicator_id"]:
        mine = rows[rows["indicator_id"] == ind].set_index("scope")
        if mine.empty:
            continue
        cells = [f"{catalogue.at[ind, 'label']}\n{code_text(ind)}"]
        for scope in scopes:
            if scope not in mine.index or pd.isna(mine.at[scope, "share"]):
                cells.append("–")
            else:
                cells.append(f"{percent(mine.at[scope, 'share'])}\n"
                             f"n = {number(mine.at[scope, 'n_valid'])}")
        table.append(cells)
    if table:
        w.table(columns, table, caption=f"Andel positive pr. CB-region {data.year}", size=8,
                keep_together=False)
    maps = images.get(REGION_MAPS, [])
    if maps:
        w.figure_grid([(m.png, m.title, f"Kort over de seks CB-regioner: {m.title}. "
                        "Andelene står i tabellen ovenfor.") for m in maps], width_cm=7.0)


def _quality(w: Writer, data: ReportData, images: Mapping[str, list[Picture]]) -> None:
    w.heading("Datakvalitet", 1)
    quality = data.quality[data.quality["year"] == data.year]
    national = quality[quality["scope"] == NATIONAL]
    sentence = quality_sentence(national.iloc[0]) if len(national) else ""
    if sentence:
        w.paragraph(sentence, keep_with_next=True)
    columns = (("Område", 2.5), ("Kommuner", 2.3), ("Svarende kommuner", 2.3),
               ("Svarprocent", 2.3), ("Dubletter", 2.0), ("Udeladte rækker", 2.0),
               ("Hvorfor udeladt", 3.2))
    rows = [[scope_label(r["scope"]), number(r["population"]),
             number(r["municipalities_answering"]), percent(r["response_rate"]),
             number(r["duplicates_dropped"]), number(r["rows_excluded"]),
             plain_text(r["excluded_reasons"]) or "–"] for _, r in quality.iterrows()]
    w.table(columns, rows, caption=f"Svar og udeladte rækker pr. område {data.year}")
    for picture in images.get("", []):
        w.figure(picture.png, picture.title, sentence or picture.title)
        w.paragraph(f"Svarprocenten for hvert område og år; tallene for {data.year} står i "
                    "tabellen ovenfor.", size=9, colour=GREY)


def method_appendix(w: Writer, data: ReportData, heading: str = "Bilag: Metode og kilder",
                    extra: Sequence[tuple[str, str]] = ()) -> None:
    """The method note, the run the figures come from, and the national figures' sources."""
    manifest = data.outputs.manifest
    w.heading(heading, 1, new_page=True)
    w.paragraph("Tallene er hentet uændret fra målopfyldelsesværktøjets resultatfiler, de "
                "samme som dashboardet viser; rapporten beregner intet selv. Her beskrives, "
                "hvordan tallene er beregnet, og hvor de nationale tal kommer fra.")
    w.heading("Sådan er tallene beregnet", 2)
    for heading_, text in [*method_sections(manifest), *extra]:
        w.heading(heading_, 3)
        w.paragraph(text)
    sources = data.sources()
    if sources:
        w.heading("Kilder til de nationale tal", 2)
        for what, source in sources:
            w.bullet(source, bold_lead=f"{what}: ")


def document_bytes(data: ReportData, images: Mapping[str, list[Picture]]) -> bytes:
    """The whole document (beretning_<year>.docx) as bytes; `images` maps an indicator id
    to its drawn charts ('' to the data-quality chart, 'regions' to the maps)."""
    w = new_document(f"{TITLE} {data.year}", f"{TITLE} {data.year} – udkast", data.synthetic,
                     datetime.now(UTC).replace(microsecond=0, tzinfo=None))
    _front(w, data)
    _summary(w, data)
    _overview(w, data)
    for opgave in data.opgaver():
        _opgave(w, data, opgave, images)
    _regions(w, data, images)
    _quality(w, data, images)
    method_appendix(w, data)
    return w.finish()
