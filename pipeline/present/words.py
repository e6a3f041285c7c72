"""How the pipeline's figures are put into words for people: Danish verdict words,
icons, colours, scope names, intervals and targets as text, shared by the dashboard,
the report and the command line.

Nothing here computes a statistic: it only words what the pipeline wrote.
"""

from __future__ import annotations

import pandas as pd

from pipeline.formatting import EN_DASH, NBSP, number, percent, percent_beside
from pipeline.reference import NATIONAL

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
STATUS_COLUMN_WORDS = {"yes": "Ja: kun gennemførte besvarelser tæller",
                       "no": "Nej: alle rækker tæller, også ikke gennemførte", "": "–"}
"""quality.csv's `status_columns`: whether the year's SurveyXact exports say which responses
were completed ("" for a year of plain exports)."""


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
    """'83–92 %' (en dash, no-break space before %), as in the report's sentences; beside a
    share target, a bound that would read like the target shows a decimal ('89,8–93 %'
    beside a target of 90 %)."""
    if pd.isna(low) or pd.isna(high):
        return "–"
    return (f"{percent_beside(low, target).removesuffix(NBSP + '%')}{EN_DASH}"
            f"{percent_beside(high, target)}")


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
