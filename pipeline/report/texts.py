"""The report's fixed Danish texts: titles and the data-quality summary, shared by the
workbook and the Word document so both say the same. The method note is
`pipeline.present.method`, which the dashboard shows too."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from pipeline.formatting import number, percent
from pipeline.report.sentences import end_sentence, plain_text

TITLE = "Fælles faglig beretning"
SUBTITLE = "Centralbibliotekernes målopfyldelse efter Bilag 3 i rammeaftalen"


def _plural(n: object, one: str, many: str) -> str:
    return f"{number(n)} {one if n == 1 else many}"


def quality_sentence(row: Mapping) -> str:
    """The year's data quality in words, from its national row of quality.csv."""
    year = int(row["year"])
    sentence = (f"I {year} svarede {number(row['municipalities_answering'])} af "
                f"{number(row['population'])} kommuner (svarprocent "
                f"{percent(row['response_rate'])}).")
    excluded = row.get("rows_excluded")
    if pd.notna(excluded) and excluded:
        sentence += (f" {_plural(excluded, 'række', 'rækker')} i eksporterne er udeladt "
                     f"({plain_text(row['excluded_reasons'])}).")
    else:
        sentence += " Ingen rækker i eksporterne er udeladt."
    if row.get("status_columns") == "no":
        sentence += (" En SurveyXact-eksport havde ingen statuskolonner, så alle dens "
                     "besvarelser er talt med, også dem, der måske ikke er gennemført.")
    missing = plain_text(row.get("municipalities_missing"))
    if missing:
        sentence += f" Kommuner uden svar: {end_sentence(missing)}"
    return sentence
