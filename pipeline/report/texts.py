"""The report's fixed Danish texts: titles, the cover's wording, placeholders for the CBs'
own text and the data-quality summary, shared by the workbook and the Word documents so
all say the same. The method note is `pipeline.present.method`, which the dashboard shows
too."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from pipeline.formatting import number, percent, range_text
from pipeline.report.sentences import count_word, end_sentence, plain_text

TITLE = "Fælles faglig beretning"
PERIOD_TITLE = "Periodevaluering"
ADDRESSED = "Afgivet til Slots- og Kulturstyrelsen af centralbibliotekerne i {cbs}"
OWN_TEXT = ("Skriv her centralbibliotekernes egen beskrivelse af indsatsen og resultaterne "
            "under resultatmålet.")
PLACEHOLDER_NOTE = ("Tekst i [firkantede parenteser] er pladser til centralbibliotekernes egen "
                    "tekst; slet dem, før beretningen afgives. Indholdsfortegnelsen får sidetal, "
                    "når den opdateres i Word (højreklik, Opdater felt).")
TRACK_PLACEHOLDERS = (
    ("Aktiviteter", "Beskriv årets vigtigste tiltag under temasporet »{track}« i {year}: "
                    "koncepter, læringsaktiviteter og kampagner, og hvor mange biblioteker de "
                    "nåede."),
    ("Netværk", "Beskriv de faglige og tværkommunale netværk under temasporet, og hvem der "
                "deltog."),
    ("Partnere", "Nævn de nationale og lokale samarbejdspartnere, og hvad samarbejdet gav."),
)
NON_BREAKING_HYPHEN = "\u2011"


def subtitle(years: Sequence[int]) -> str:
    """'i henhold til bilag 3 til rammeaftale om centralbiblioteksvirksomhed 2021–2024'."""
    span = f" {range_text(years)}" if years else ""
    return f"i henhold til bilag 3 til rammeaftale om centralbiblioteksvirksomhed{span}"


def code_text(indicator_id: str) -> str:
    """An indicator's id for a table cell, with non-breaking hyphens so it never breaks
    across lines ('MO-LIC-FORM' stays whole)."""
    return indicator_id.replace("-", NON_BREAKING_HYPHEN)


def sign_off_rows(centralbiblioteker: Sequence[str]) -> list[list[str]]:
    """The sign-off table: one line per CB, for its leader's name, the date and signature."""
    return [[f"{name} Centralbibliotek", "[Navn]", "[Dato]", ""] for name in centralbiblioteker]


def comment_slot(row: Mapping, operational_goal: str) -> str:
    """Room for a comment where a national figure has no target in the year but its
    operationelt mål still asks something of it (MO-IUL 2021-23: keep the level)."""
    if row.get("kind") != "national_count" or row.get("target_kind") in ("min_count",):
        return ""
    year = int(row["year"])
    goal = operational_goal.rstrip(".")
    return (f"Kommentér udviklingen i {year} i forhold til det operationelle mål: at "
            f"{goal[:1].lower()}{goal[1:]}.")


def quality_sentence(row: Mapping) -> str:
    """The year's data quality in words, from its national row of quality.csv."""
    year = int(row["year"])
    sentence = (f"I {year} svarede {number(row['municipalities_answering'])} af "
                f"{number(row['population'])} kommuner (svarprocent "
                f"{percent(row['response_rate'])}).")
    excluded = row.get("rows_excluded")
    if pd.notna(excluded) and excluded:
        many = int(excluded)
        count = count_word(many) if many <= 12 else f"I alt {number(many)}"
        count = "Én" if many == 1 else count[:1].upper() + count[1:]
        sentence += (f" {count} {'række' if many == 1 else 'rækker'} i eksporterne er udeladt: "
                     f"{end_sentence(plain_text(row['excluded_reasons']))}")
    else:
        sentence += " Ingen rækker i eksporterne er udeladt."
    if row.get("status_columns") == "no":
        sentence += (" En SurveyXact-eksport havde ingen statuskolonner, så alle dens "
                     "besvarelser er talt med, også dem, der måske ikke er gennemført.")
    missing = plain_text(row.get("municipalities_missing"))
    if missing:
        sentence += f" Kommuner uden svar: {end_sentence(missing)}"
    return sentence
