"""How the pipeline's figures are put into words for people: Danish verdict words,
icons, colours, scope names, intervals and targets as text, shared by the dashboard,
the report and the command line.

Nothing here computes a statistic: it only words what the pipeline wrote.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd

from pipeline.formatting import EN_DASH, NBSP, beside_decimals, number, percent, shown_points
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
    share target, a bound that would read like the target shows a decimal, and the other
    bound as many ('89,8–93,0 %' beside a target of 90 %)."""
    if pd.isna(low) or pd.isna(high):
        return "–"
    decimals = max(beside_decimals(low, target), beside_decimals(high, target))
    return (f"{percent(low, decimals).removesuffix(NBSP + '%')}{EN_DASH}"
            f"{percent(high, decimals)}")


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


REGION_SUFFIX = " (til orientering)"
"""After a CB region's verdict: Bilag 3's targets bind the national figure only."""


def scoped_verdict(attained: str, certainty: str, na_reason: str, scope: str) -> str:
    """The verdict in words, marked as for orientation only outside the national scope,
    the same on every page."""
    word = indicator_verdict(attained, certainty, na_reason)
    if scope != NATIONAL and attained in ("yes", "no"):
        return word + REGION_SUFFIX
    return word


CI_METHOD_CHOICES = {"auto": "Automatisk (anbefalet)",
                     "hypergeometric": "Hypergeometrisk (eksakt)",
                     "wilson": "Wilson", "clopper-pearson": "Clopper-Pearson"}
"""The interval methods a reader can choose (the pipeline writes each one's intervals)."""
CI_METHOD_WORDS = {"hypergeometric": "eksakt hypergeometrisk interval (endelig population)",
                   "wilson": "Wilsons interval", "clopper-pearson": "Clopper-Pearsons "
                   "eksakte binomiale interval"}
"""The method an interval was actually computed with (indicators.csv's ci_method)."""


def ci_method_text(method: object) -> str:
    return CI_METHOD_WORDS.get(str(method), str(method) if method else "–")


TARGET_KIND_WORDS = {"min_share": "Andel (mindst)", "min_count": "Antal (mindst)",
                     "positive_development": "Positiv udvikling",
                     "sandsynliggjort": "Sandsynliggjort", "none": "Intet mål"}


def target_kind_text(kind: object) -> str:
    return TARGET_KIND_WORDS.get(str(kind), "Intet mål")


MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
          "september", "oktober", "november", "december"]
TIME_ZONE = ZoneInfo("Europe/Copenhagen")


def run_time_text(iso: object) -> str:
    """A run's time (ISO 8601, as manifest.json has it) as a Dane reads it, in Danish
    time: '23. november 2026 kl. 20.09'; '–' when unknown."""
    try:
        moment = datetime.fromisoformat(str(iso)).astimezone(TIME_ZONE)
    except ValueError:
        return EN_DASH
    return f"{moment.day}. {MONTHS[moment.month - 1]} {moment.year} kl. {moment:%H.%M}"


def change_direction(change: object, decimals: int = 0) -> str:
    """'up', 'down' or 'none' for a change as it is shown (rounded): a change that reads
    '0 procentpoint' is no change, never an arrow."""
    shown = shown_points(change, decimals)
    if not shown:  # missing, or rounds to ±0
        return "none"
    return "up" if shown > 0 else "down"


def nonresponse_text(attained: str, certainty: str, nonresponse_certainty: str) -> str:
    """What the non-response range adds to a verdict: a sure verdict (its interval on one
    side of the target) also holds if every missing answer went the other way only when
    the non-response range lies on the same side too."""
    if attained not in ("yes", "no") or certainty not in ("above", "below"):
        return ""
    if nonresponse_certainty == certainty:
        return "Vurderingen holder, også hvis alle manglende svar var gået den anden vej."
    return ("Vurderingen er statistisk sikker, men frafaldsspændet omslutter målet: den "
            "kunne vende, hvis kommunerne uden svar svarer meget anderledes end de andre.")


def goal_cell(attained: str, uncertain: object) -> str:
    """A goal's verdict in the matrix, marked when it rests on an indicator whose interval
    contains its target (for the interval method chosen)."""
    word = goal_verdict(attained)
    return f"{word} (usikkert)" if attained in ("yes", "no") and bool(uncertain) else word
