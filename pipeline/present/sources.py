"""Where a figure comes from, in a sentence under each chart and table: Bilag 3's wording
and source, the survey question as that year's export worded it, n, the interval method
and level, and a national figure's source. Words only, from sources.csv and
indicators.csv; nothing is computed.
"""

from __future__ import annotations

import pandas as pd

from pipeline.formatting import number
from pipeline.present.words import ci_label, ci_method_text, target_text
from pipeline.reference import SURVEY_KINDS, Reference


def quoted(text: object) -> str:
    return f"»{str(text).strip()}«"


def source_row(sources: pd.DataFrame, indicator_id: str, year: int) -> pd.Series | None:
    found = sources[(sources["indicator_id"] == indicator_id) & (sources["year"] == year)]
    return found.iloc[0] if len(found) else None


def source_text(row: pd.Series, source: pd.Series | None, reference: Reference) -> str:
    """One indicator, year and scope (a row of indicators.csv) and its sources.csv row, as
    the sentence printed under its chart or table."""
    catalogue = reference.indicators.set_index("indicator_id")
    ind = catalogue.loc[row["indicator_id"]]
    year = int(row["year"])
    parts = []
    if source is not None:
        target = target_text(row["target_kind"], row["target"])
        where = f" ({source['target_source']})" if source["target_source"] else ""
        parts.append(f"Bilag 3: {quoted(source['bilag3_text'])}; mål for {year}: "
                     f"{target}{where}.")
    if ind["kind"] in SURVEY_KINDS:
        question = source["question_text"] if source is not None else ""
        parts.append(f"Spørgsmål i {year}: {quoted(question)}." if question else
                     f"Spørgsmålet var ikke med i undersøgelsen i {year}.")
        if ind["kind"] == "participant_share" and source is not None \
                and source["participation_text"]:
            asked = quoted(source["participation_text"])
            parts.append(f"Kun biblioteker, der svarede »Ja« til {asked}.")
        parts.append("Positive svar: " + ", ".join(ind["positive_answers"].split("|")) + ".")
        if pd.notna(row["n_valid"]):
            parts.append(f"n = {number(row['n_valid'])} gyldige svar"
                         + (f" af {number(row['respondents'])} besvarelser"
                            if pd.notna(row["respondents"]) else "") + ".")
        if pd.notna(row["ci_low"]):
            parts.append(f"{ci_label(row['confidence'])}: {ci_method_text(row['ci_method'])}.")
    elif source is not None and source["figure_source"]:
        parts.append(f"Tallet stammer fra: {source['figure_source']}.")
    elif ind["kind"] == "judgement":
        parts.append("Vurderingen er centralbibliotekernes og Slots- og Kulturstyrelsens, "
                     "med den anførte begrundelse.")
    return " ".join(parts)
