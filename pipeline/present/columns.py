"""Every column people see in a table, once: the output column it shows (key), its
Danish heading and its kind, from which the screen text (87 %, 725.000, +3
procentpoint) and the Excel number format follow.

A table is built from these specs (`pipeline.present.tables`), so the dashboard, its
downloads and the report's workbook show a column the same way, and a new column
states its kind where it is declared instead of being recognised by its heading.
"""

from __future__ import annotations

from dataclasses import dataclass

TEXT = "text"
"""Words, ids and texts already formatted (a target as "85 %", a verdict)."""
INTEGER = "integer"
"""A whole number shown as it is: a year, a row number, a file size in bytes."""
COUNT = "count"
"""A whole number shown with thousands separators (725.000)."""
SHARE = "share"
"""A fraction 0-1 shown in per cent (87 %)."""
POINTS = "points"
"""A change in a share, in percentage points (+3 procentpoint)."""
CHANGE_PCT = "change_pct"
"""A relative change of a count, in per cent with a sign and one decimal (+1,3 %)."""
KINDS = (TEXT, INTEGER, COUNT, SHARE, POINTS, CHANGE_PCT)


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    kind: str = TEXT


COLUMNS = {c.key: c for c in (
    # indicators.csv, as the indicator tables show it
    Column("indicator_id", "Indikator"),
    Column("label", "Beskrivelse"),
    Column("year", "År", INTEGER),
    Column("scope", "Område"),
    Column("respondents", "Besvarelser", COUNT),
    Column("n_valid", "Gyldige svar (n)", COUNT),
    Column("n_positive", "Positive", COUNT),
    Column("share", "Andel positive", SHARE),
    Column("ci_low", "KI nedre", SHARE),
    Column("ci_high", "KI øvre", SHARE),
    Column("nonresponse_low", "Frafaldsspænd nedre", SHARE),
    Column("nonresponse_high", "Frafaldsspænd øvre", SHARE),
    Column("change", "Ændring fra sidste år", POINTS),
    Column("value", "Tal", COUNT),
    Column("value_change", "Ændring", COUNT),
    Column("value_change_pct", "Ændring i procent", CHANGE_PCT),
    Column("target", "Mål"),
    Column("verdict", "Vurdering"),
    Column("evidence", "Begrundelse"),
    Column("note", "Note"),
    # quality.csv
    Column("population", "Kommuner", COUNT),
    Column("municipalities_answering", "Svarende kommuner", COUNT),
    Column("response_rate", "Svarprocent", SHARE),
    Column("duplicates_dropped", "Dubletter", COUNT),
    Column("rows_excluded", "Udeladte rækker", COUNT),
    Column("excluded_reasons", "Hvorfor udeladt"),
    Column("municipalities_missing", "Kommuner uden svar"),
    Column("not_completed", "Ikke gennemført (SurveyXact)", COUNT),
    Column("status_columns", "Statuskolonner (SurveyXact)"),
    # excluded_rows.csv
    Column("source_file", "Fil"),
    Column("source_row", "Række", INTEGER),
    Column("kommune", "Kommune"),
    Column("reason", "Hvorfor"),
    # the manifest's input files
    Column("path", "Fil"),
    Column("kind", "Type"),
    Column("sha256", "SHA-256"),
    Column("bytes", "Bytes", INTEGER),
    # goals.csv, as the goal matrix shows it
    Column("opgave", "Opgave"),
    Column("resultatmaal", "Resultatmål"),
)}
