"""Where each figure comes from, and who answered: for the sources shown beside every
figure (Bilag 3's wording and source, the survey question as worded that year, the
source of a national figure) and for the map of municipalities that answered.

Pure functions of what the run read; `run.py` writes them as `sources.csv` and
`municipalities.csv`, so the dashboard and the report only read them.
"""

from __future__ import annotations

import pandas as pd

from pipeline.reference import SURVEY_KINDS, Reference

SOURCE_COLUMNS = ["indicator_id", "year", "bilag3_text", "target_text", "target_source",
                  "question_key", "question_text", "participation_key",
                  "participation_text", "figure_source"]
ANSWERED_COLUMNS = ["year", "kommune_kode", "kommune", "centralbibliotek", "answered"]


def _joined(values: pd.Series) -> str:
    """The distinct non-empty texts in their order, separated by '; '."""
    return "; ".join(dict.fromkeys(v for v in values.astype(str) if v.strip()))


def indicator_sources(reference: Reference, years: list[int],
                      questions_by_year: dict[int, dict[str, str]], targets: pd.DataFrame,
                      figures: pd.DataFrame | None) -> pd.DataFrame:
    """One row per indicator and year: the indicator's Bilag 3 wording, the target as
    Bilag 3 writes it and the target's source (targets.csv), for survey indicators the
    question (and the participation question) as the year's export worded it (the
    codebook's header for the key; empty when the year did not ask it), and for national
    figures the source given in national_figures (per licence, joined)."""
    measures = reference.national_measures
    target = targets.set_index(["indicator_id", "year"]) if len(targets) else None
    rows = []
    for ind in reference.indicators.itertuples():
        for year in years:
            wording = questions_by_year.get(year, {})
            survey = ind.kind in SURVEY_KINDS
            figure_source = ""
            if not survey and figures is not None and len(figures):
                measured = measures.loc[measures["indicator_id"] == ind.indicator_id,
                                        "measure"]
                these = figures[(figures["year"] == year)
                                & figures["measure"].isin(list(measured))]
                figure_source = _joined(these["source"])
            key = target.index if target is not None else ()
            found = (ind.indicator_id, year) in key
            rows.append({
                "indicator_id": ind.indicator_id, "year": year,
                "bilag3_text": ind.bilag3_text,
                "target_text": target.at[(ind.indicator_id, year), "bilag3_text"]
                if found else "",
                "target_source": target.at[(ind.indicator_id, year), "source"]
                if found else "",
                "question_key": ind.question_key if survey else "",
                "question_text": wording.get(ind.question_key, "") if survey else "",
                "participation_key": ind.participation_key if survey else "",
                "participation_text": wording.get(ind.participation_key, "")
                if survey and ind.participation_key else "",
                "figure_source": figure_source,
            })
    return pd.DataFrame.from_records(rows, columns=SOURCE_COLUMNS)


def answered_by_municipality(reference: Reference,
                             answering: dict[int, set[int]]) -> pd.DataFrame:
    """Per year, each of the municipalities and whether it answered (True/False): the
    map of who answered. Only the fact of answering, never an answer."""
    kommuner = reference.kommuner
    frames = [pd.DataFrame({"year": year, "kommune_kode": kommuner["kode"].values,
                            "kommune": kommuner["navn"].values,
                            "centralbibliotek": kommuner["centralbibliotek"].values,
                            "answered": kommuner["kode"].isin(codes).values})
              for year, codes in sorted(answering.items())]
    if not frames:
        return pd.DataFrame(columns=ANSWERED_COLUMNS)
    return pd.concat(frames, ignore_index=True)[ANSWERED_COLUMNS]
