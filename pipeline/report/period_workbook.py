"""The period assessment's workbook (periodevaluering_<first>-<last>.xlsx): every goal's
verdict in each of the agreement's years and the years met, every indicator's years met and
development over the period, the indicators year by year per track, the method and the
traceability of the figures. Read from the outputs (period_indicators.csv, period_goals.csv,
goals.csv, indicators.csv); written with the yearly workbook's formats and print set-up.
"""

from __future__ import annotations

from openpyxl import Workbook

from pipeline.formatting import range_text
from pipeline.present.columns import CHANGE_PCT, COUNT, INTEGER, POINTS, SHARE, Column
from pipeline.present.downloads import write_table
from pipeline.present.tables import Table
from pipeline.present.words import GOAL_COLOURS, goal_verdict, scope_label
from pipeline.reference import NATIONAL, SURVEY_KINDS
from pipeline.report.data import ReportData
from pipeline.report.period_document import PERIOD_METHOD, period_title
from pipeline.report.workbook import (
    MAX_WIDTH,
    method_sheet,
    print_setup,
    put,
    save,
    start_sheet,
    style_verdicts,
    traceability_sheet,
    track_sheets,
    workbook_properties,
)

PERIOD_COLUMNS = (
    Column("goal", "Mål"),
    Column("level_name", "Niveau"),
    Column("years_with_target", "År med mål", INTEGER),
    Column("years_met", "Opfyldt (år)", INTEGER),
    Column("years_not_met", "Ikke opfyldt (år)", INTEGER),
    Column("years_incomplete", "Ufuldstændig (år)", INTEGER),
    Column("years_without_figure", "Uden tal (år)", INTEGER),
    Column("years_uncertain", "Statistisk usikre (år)", INTEGER),
    Column("first_year", "Fra år", INTEGER),
    Column("last_year", "Til år", INTEGER),
    Column("first_share", "Andel fra", SHARE),
    Column("last_share", "Andel til", SHARE),
    Column("change", "Udvikling", POINTS),
    Column("change_ci_low", "KI nedre", POINTS),
    Column("change_ci_high", "KI øvre", POINTS),
    Column("sure", "Statistisk sikker"),
    Column("first_value", "Tal fra", COUNT),
    Column("last_value", "Tal til", COUNT),
    Column("value_change", "Ændring", COUNT),
    Column("value_change_pct", "Ændring i procent", CHANGE_PCT),
)
LEVEL_WORDS = {"resultatmaal": "Resultatmål", "operationelt_maal": "Operationelt mål"}


def _overview(wb: Workbook, data: ReportData) -> None:
    ws = wb.active
    ws.title = "Oversigt"
    years = data.agreement_years
    start = start_sheet(ws, data, f"{period_title(data)}: resultatmål og operationelle mål",
                   "Et mål er opfyldt i et år, hvis alle dets nøgletal og indikatorer med et mål "
                   "for året er opfyldt. Antal år tæller kun år med et mål.")
    maal = data.reference.maal.set_index("maal_id")
    ids = [g for m in data.resultatmaal().index
           for g in [m, *data.operationelle_maal(m).index]]
    period = data.outputs.period_goals.set_index("maal_id").reindex(ids)
    values: dict = {
        "level_name": [LEVEL_WORDS[maal.at[g, "level"]] for g in ids],
        "goal": [f"{data.reference.resultatmaal_name(g)}: {maal.at[g, 'short_label']}"
                 if maal.at[g, "level"] == "resultatmaal" else maal.at[g, "short_label"]
                 for g in ids],
    }
    codes = {}
    for year in years:
        mine = data.goals[data.goals["year"] == year].set_index("maal_id")["attained"]
        codes[year] = [mine.get(g, "n/a") for g in ids]
    table = Table.of(values, PERIOD_COLUMNS)
    for year in years:
        table = table.add(str(year), [goal_verdict(c) for c in codes[year]])
    for key in ("years_met", "years_not_met", "years_incomplete", "years_uncertain"):
        spec = next(c for c in PERIOD_COLUMNS if c.key == key)
        table = table.add(spec.heading, period[key].astype("Int64").tolist(), INTEGER)
    header = write_table(ws, table, start, max_width=MAX_WIDTH)
    for year in years:
        column = table.frame.columns.get_loc(str(year)) + 1
        style_verdicts(ws, header, column, [GOAL_COLOURS[c] for c in codes[year]])
    print_setup(ws, data, header)


def _development(wb: Workbook, data: ReportData) -> None:
    ws = wb.create_sheet("Udvikling")
    years = data.agreement_years
    start = start_sheet(ws, data,
                        f"Nøgletal og indikatorer {range_text(years)}: år opfyldt og udvikling",
                        "Hele landet. Udviklingen sammenligner det sidste år med tal med det "
                        "første; intervallet er bygget som for ændringen fra året før.")
    catalogue = data.catalogue()
    rows = data.outputs.period_indicators
    rows = rows[rows["scope"] == NATIONAL].set_index("indicator_id").reindex(
        catalogue["indicator_id"]).dropna(subset=["kind"]).reset_index()
    base = {"indicator_id": rows["indicator_id"],
            "label": rows["indicator_id"].map(catalogue["label"])}
    met = Table.of({**base, **{k: rows[k].astype("Int64") for k in (
        "years_with_target", "years_met", "years_not_met", "years_without_figure",
        "years_uncertain")}}, PERIOD_COLUMNS)
    put(ws, start, "Mål opfyldt pr. nøgletal og indikator", bold=True)
    header = write_table(ws, met, start + 1, max_width=40)
    row = header + len(met) + 2
    shares = rows[rows["kind"].isin(SURVEY_KINDS) & rows["change"].notna()]
    if len(shares):
        put(ws, row, "Udvikling i andelene (procentpoint)", bold=True)
        sure = ["Ja" if not (lo <= 0 <= hi) else "Nej" for lo, hi in
                zip(shares["change_ci_low"], shares["change_ci_high"], strict=True)]
        table = Table.of({"indicator_id": shares["indicator_id"],
                          "label": shares["indicator_id"].map(catalogue["label"]),
                          **{k: shares[k] for k in ("first_year", "last_year", "first_share",
                                                    "last_share", "change", "change_ci_low",
                                                    "change_ci_high")},
                          "sure": sure}, PERIOD_COLUMNS)
        write_table(ws, table, row + 1, max_width=40)
        row += len(table) + 3
    counts = rows[rows["kind"].eq("national_count") & rows["value_change"].notna()]
    if len(counts):
        put(ws, row, "Udvikling i de nationale tal", bold=True)
        write_table(ws, Table.of({"indicator_id": counts["indicator_id"],
                                  "label": counts["indicator_id"].map(catalogue["label"]),
                                  **{k: counts[k] for k in ("first_year", "last_year",
                                                            "first_value", "last_value",
                                                            "value_change",
                                                            "value_change_pct")}},
                                 PERIOD_COLUMNS), row + 1, max_width=40)
    print_setup(ws, data, header)


def _regions(wb: Workbook, data: ReportData) -> None:
    """Years met and the development per CB region, for orientation."""
    ws = wb.create_sheet("CB-regioner")
    start = start_sheet(ws, data, f"CB-regioner {range_text(data.agreement_years)}: år opfyldt og "
                             "udvikling", "Til orientering: målene i bilag 3 gælder hele "
                                          "landet.")
    catalogue = data.catalogue()
    order = {s: i for i, s in enumerate(data.reference.centralbiblioteker)}
    rank = {ind: i for i, ind in enumerate(catalogue["indicator_id"])}
    rows = data.outputs.period_indicators
    rows = rows[(rows["scope"] != NATIONAL) & rows["kind"].isin(SURVEY_KINDS)]
    rows = rows.sort_values(["indicator_id", "scope"], key=lambda c: c.map(
        rank if c.name == "indicator_id" else order))
    table = Table.of({"indicator_id": rows["indicator_id"],
                      "scope": rows["scope"].map(scope_label),
                      **{k: rows[k] for k in ("years_met", "years_with_target", "first_year",
                                              "last_year", "first_share", "last_share",
                                              "change", "change_ci_low", "change_ci_high")}},
                     PERIOD_COLUMNS)
    header = write_table(ws, table, start, max_width=MAX_WIDTH)
    print_setup(ws, data, header)


def period_workbook_bytes(data: ReportData) -> bytes:
    """The whole period workbook as bytes."""
    wb = Workbook()
    _overview(wb, data)
    _development(wb, data)
    track_sheets(wb, data)
    _regions(wb, data)
    traceability_sheet(wb, data)
    method_sheet(wb, data, extra=[PERIOD_METHOD])
    workbook_properties(wb, period_title(data))
    for ws in wb:  # the printed page header names the period assessment
        ws.oddHeader.left.text = period_title(data)
    return save(wb)

