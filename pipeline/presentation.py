"""How the pipeline's figures are put into words and tables for people: Danish verdict
words, icons, colours and column names, shared by the dashboard and the report.

Nothing here computes a statistic: it only selects, renames and formats what the
pipeline wrote.
"""

from __future__ import annotations

import pandas as pd

from pipeline.formatting import number, percent, percent_beside, points
from pipeline.reference import NATIONAL, Reference

SYNTHETIC_NOTICE = ("SYNTETISKE DEMODATA: tallene er genereret til demonstration og er ikke "
                    "rigtige resultater.")
"""Shown on every output, screen and report page made from the synthetic demo data."""
SYNTHETIC_MARK = "SYNTETISKE DEMODATA – ikke rigtige resultater"
"""The short form, for places with little room: chart images, sheet and page headers."""

# Okabe-Ito, a palette that colour-blind readers can tell apart; never the only cue.
COLOURS = {"met": "#0072B2", "not_met": "#D55E00", "uncertain": "#E69F00",
           "neutral": "#999999", "target": "#000000", "range": "#56B4E9"}

GOAL_WORDS = {"yes": "Opfyldt", "no": "Ikke opfyldt", "incomplete": "Ufuldstændig",
              "n/a": "Intet mål"}
GOAL_ICONS = {"yes": "✔", "no": "✘", "incomplete": "⚠", "n/a": "–"}
"""Plain symbols (in every common font, unlike emoji) next to the words."""
GOAL_COLOURS = {"yes": COLOURS["met"], "no": COLOURS["not_met"],
                "incomplete": COLOURS["uncertain"], "n/a": COLOURS["neutral"]}

SCOPE_WORDS = {NATIONAL: "Hele landet"}


def scope_label(scope: str) -> str:
    """'national' -> 'Hele landet'; a CB name -> 'CB Odense'."""
    return SCOPE_WORDS.get(scope, f"CB {scope}")


def goal_verdict(attained: str) -> str:
    """Icon and word, so a verdict never rests on colour alone: '✅ Opfyldt'."""
    return f"{GOAL_ICONS.get(attained, '')} {GOAL_WORDS.get(attained, attained)}".strip()


def indicator_verdict(attained: str, certainty: str, na_reason: str = "") -> str:
    """The verdict with its certainty in words, e.g. 'Opfyldt, sikkert' or
    'Ikke opfyldt, usikkert'. Sure means the whole confidence interval lies on one side
    of the target; national figures and judgements have no sampling uncertainty."""
    if attained == "yes":
        word = "Opfyldt"
    elif attained == "no":
        word = "Ikke opfyldt"
    else:
        return na_reason or "Intet mål"
    if certainty in ("above", "below"):
        return f"{word}, sikkert"
    if certainty == "straddles":
        return f"{word}, usikkert"
    return word


def verdict_badge_colour(attained: str, certainty: str) -> str:
    """The named colour of a verdict badge (blue/orange/red/gray: safe for colour-blind
    readers, and always next to the words)."""
    if attained not in ("yes", "no"):
        return "gray"
    if certainty == "straddles":
        return "orange"
    return "blue" if attained == "yes" else "red"


def verdict_colour(attained: str, certainty: str) -> str:
    if attained == "yes":
        return COLOURS["uncertain"] if certainty == "straddles" else COLOURS["met"]
    if attained == "no":
        return COLOURS["uncertain"] if certainty == "straddles" else COLOURS["not_met"]
    return COLOURS["neutral"]


def light_fill(colour: str, strength: float = 0.3) -> str:
    """A light tint of a verdict colour for a table cell's fill ('#0072B2' -> 'B2D4E8'), so
    black text stays legible on it (report workbook and document)."""
    rgb = [int(colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(255 - (255 - v) * strength):02X}" for v in rgb)


def ci_label(confidence: object = 0.95, short: bool = False) -> str:
    """'95 %-konfidensinterval' (or '95 %-KI') at the run's confidence level."""
    level = 0.95 if pd.isna(confidence) else confidence
    return f"{percent(level)}-{'KI' if short else 'konfidensinterval'}"


def interval_text(low: object, high: object, target: object = None) -> str:
    """'83-92 %' as in the report's sentences; beside a share target, a bound that would
    read like the target shows a decimal ('89,8-93 %' beside a target of 90 %)."""
    if pd.isna(low) or pd.isna(high):
        return "–"
    return f"{percent_beside(low, target).removesuffix(' %')}-{percent_beside(high, target)}"


def share_target(kind: object, target: object) -> object:
    """The target a share is read against (a `min_share` target), else None."""
    return target if kind == "min_share" else None


def target_text(kind: object, target: object) -> str:
    if kind == "min_share":
        return percent(target)
    if kind == "min_count":
        return number(target)
    if kind == "positive_development":
        return "Positiv udvikling"
    if kind == "sandsynliggjort":
        return "Sandsynliggjort"
    return "Intet mål"


def goal_matrix(goals: pd.DataFrame, reference: Reference) -> pd.DataFrame:
    """Resultatmål (rows, grouped by opgave) x year (columns), each cell icon + word."""
    rm = goals[goals["level"] == "resultatmaal"]
    table = rm.pivot(index="maal_id", columns="year", values="attained")
    maal = reference.maal.set_index("maal_id")
    out = pd.DataFrame({
        "Opgave": maal.loc[table.index, "opgave"].values,
        "Resultatmål": [f"{i}: {maal.at[i, 'short_label']}" for i in table.index],
    })
    for year in table.columns:
        out[str(year)] = [goal_verdict(v) for v in table[year]]
    return out.reset_index(drop=True)


def indicator_table(rows: pd.DataFrame, reference: Reference) -> pd.DataFrame:
    """Indicator rows -> a table with Danish headings; numbers stay numbers (fractions
    for shares) so downloads keep them; `display()` turns them into Danish text."""
    labels = reference.indicators.set_index("indicator_id")["label"]
    out = pd.DataFrame({
        "Indikator": rows["indicator_id"].values,
        "Beskrivelse": rows["indicator_id"].map(labels).values,
        "År": rows["year"].values,
        "Område": rows["scope"].map(scope_label).values,
        "Besvarelser": rows["respondents"].values,
        "Gyldige svar (n)": rows["n_valid"].values,
        "Positive": rows["n_positive"].values,
        "Andel positive": rows["share"].values,
        "KI nedre": rows["ci_low"].values,
        "KI øvre": rows["ci_high"].values,
        "Frafaldsspænd nedre": rows["nonresponse_low"].values,
        "Frafaldsspænd øvre": rows["nonresponse_high"].values,
        "Ændring fra sidste år": rows["change"].values,
        "Tal": rows["value"].values,
        "Mål": [target_text(k, t) for k, t in zip(rows["target_kind"], rows["target"],
                                                   strict=True)],
        "Vurdering": [indicator_verdict(a, c, r) for a, c, r in
                      zip(rows["attained"], rows["certainty"], rows["na_reason"], strict=True)],
        "Note": rows["note"].values,
    })
    out.attrs[SHARE_TARGETS] = [share_target(k, t) for k, t in
                                zip(rows["target_kind"], rows["target"], strict=True)]
    return out


SHARE_TARGETS = "share_targets"
"""`attrs` key of an indicator table: each row's share target, so `display()` can show a
share or bound that would read like its target with a decimal."""
BESIDE_TARGET_COLUMNS = {"Andel positive", "KI nedre", "KI øvre", "Frafaldsspænd nedre",
                         "Frafaldsspænd øvre"}
PERCENT_COLUMNS = {"Andel positive", "KI nedre", "KI øvre", "Frafaldsspænd nedre",
                   "Frafaldsspænd øvre", "Svarprocent"}
POINT_COLUMNS = {"Ændring fra sidste år"}
SIGNED_PERCENT_COLUMNS = {"Ændring i procent"}
"""Relative change of a national figure from the year before (+1,3 %)."""
COUNT_COLUMNS = {"Besvarelser", "Gyldige svar (n)", "Positive", "Tal", "Kommuner",
                 "Svarende kommuner", "Dubletter", "Udeladte rækker", "Værdi",
                 "Året før", "Ændring"}


def display(table: pd.DataFrame) -> pd.DataFrame:
    """Numbers as Danish text (87 %, 725.000, +3 procentpoint) for the screen."""
    out = table.copy()
    targets = table.attrs.get(SHARE_TARGETS)
    if targets is None or len(targets) != len(out):
        targets = [None] * len(out)
    for col in out.columns:
        if col in BESIDE_TARGET_COLUMNS:
            out[col] = [percent_beside(v, t) for v, t in zip(out[col], targets, strict=True)]
        elif col in PERCENT_COLUMNS:
            out[col] = out[col].map(percent)
        elif col in SIGNED_PERCENT_COLUMNS:
            out[col] = out[col].map(lambda v: percent(v, 1, signed=True))
        elif col in POINT_COLUMNS:
            out[col] = out[col].map(points)
        elif col in COUNT_COLUMNS:
            out[col] = out[col].map(number)
    return out


def quality_table(quality: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "År": quality["year"].values,
        "Område": quality["scope"].map(scope_label).values,
        "Kommuner": quality["population"].values,
        "Svarende kommuner": quality["municipalities_answering"].values,
        "Svarprocent": quality["response_rate"].values,
        "Dubletter": quality["duplicates_dropped"].values,
        "Udeladte rækker": quality["rows_excluded"].values,
        "Hvorfor udeladt": quality["excluded_reasons"].fillna("").values,
        "Kommuner uden svar": quality["municipalities_missing"].fillna("").values,
    })
