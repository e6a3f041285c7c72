"""The report's drafted Danish sentences, one per indicator, goal and year. Pure.

Each function takes one row the pipeline wrote (indicators.csv or goals.csv) and puts
it into words with the dashboard's number formats (87 %, 725.000, "83–92 %"), so the
draft says what the dashboard shows. The wording is a Danish civil servant's: the verdict
("opfyldt", "ikke opfyldt") and its statistical certainty are said apart, ranges read
"fra −3 til +17 procentpoint", and missing figures are explained in plain words, never with
a file or column name. The subject of an indicator's sentence is the catalogue's
`report_subject` (pipeline/reference/indicators.csv): change the wording there, not here.
Nothing here computes a statistic. tests/test_report_sentences.py holds every variant.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from pipeline.formatting import number, percent, percent_beside, points
from pipeline.outputs.read import listed_indicators
from pipeline.present.words import ci_label, interval_text, share_target, target_text
from pipeline.reference import SURVEY_KINDS

NOT_SURE_MET = (" Det er dog ikke statistisk sikkert: målet ligger inden for "
                "konfidensintervallet, så det kan ikke udelukkes, at den reelle andel er under "
                "målet.")
SURE_MET = (" Det er statistisk sikkert, at målet er nået, da hele konfidensintervallet "
            "ligger over målet.")
SURE_NOT_MET = (" Det er statistisk sikkert, at målet ikke er nået, da hele "
                "konfidensintervallet ligger under målet.")
NOT_SURE_NOT_MET = (", men det kan ikke udelukkes, at den reelle andel når målet, da målet "
                    "ligger inden for konfidensintervallet.")


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        not isinstance(value, str) and bool(pd.isna(value)))


def plain_text(value: object) -> str:
    """A text cell as text: '' for an empty (or all-empty, hence float) column."""
    return "" if _missing(value) else str(value).strip()


def end_sentence(text: str) -> str:
    """A sentence ends with a full stop (unless it already ends like a sentence)."""
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def danish_list(items: Iterable[str], last: str = " og ") -> str:
    """['a', 'b', 'c'] -> 'a, b og c' (clauses: last=', og ')."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])}{last}{items[-1]}"


def _verdict(attained: str) -> str:
    return "opfyldt" if attained == "yes" else "ikke opfyldt"


def _confidence(row: Mapping) -> str:
    """'95 %-konfidensinterval' (the run's level, 95 % unless chosen otherwise)."""
    return ci_label(row.get("confidence"))


def signed_points(value: object) -> str:
    """A change in a share as a bare number of points with its sign: '+3', '−4', '0'."""
    return points(value).removesuffix(" procentpoint")


def points_range(low: object, high: object) -> str:
    """'fra −3 til +17 procentpoint' (the unit once, a sign on each end, never '±0')."""
    return f"fra {signed_points(low)} til {signed_points(high)} procentpoint"


def _no_target(row: Mapping, noun: str = "tallet") -> str:
    """Why a figure has no verdict: Bilag 3 sets no target for the year, or the year lies
    outside the agreement (targets.csv has no row for it)."""
    year = int(row["year"])
    if row.get("target_kind") == "none":
        return f"Bilag 3 fastsætter intet mål for {year}, så {noun} indgår ikke i målopfyldelsen."
    return (f"Rammeaftalen fastsætter ingen mål for {year}, så {noun} vises uden vurdering.")


def _why_missing(row: Mapping, measure: str = "") -> str:
    """Why there is no figure, in plain words, from what the row holds (never its note,
    which names files and columns for the analyst)."""
    kind = row["kind"]
    if kind in SURVEY_KINDS:
        if _missing(row.get("n_valid")):
            return "da spørgsmålet ikke indgik i årets undersøgelse"
        return "da ingen af kommunerne har givet et gyldigt svar på spørgsmålet"
    if kind == "national_count":
        what = f" for {measure[:1].lower()}{measure[1:]}" if measure else ""
        return f"da det nationale tal{what} endnu ikke foreligger"
    if kind == "national_trend":
        return "da tallene for brug og brugere af licenserne endnu ikke foreligger"
    return "da vurderingen endnu ikke foreligger"


def _no_data(row: Mapping, subject: str, verb: str = "opgøres", measure: str = "") -> str:
    """No figure: say why in plain Danish and what it means for the goal."""
    year = int(row["year"])
    sentence = f"{subject} kan ikke {verb} for {year}, {_why_missing(row, measure)}."
    kind = row.get("target_kind")
    if kind in ("min_share", "min_count"):
        sentence += (f" Målet på {target_text(kind, row['target'])} kan derfor ikke vurderes, "
                     "og resultatmålet kan ikke erklæres opfyldt.")
    elif kind == "positive_development":
        sentence += (" Målet om en positiv udvikling kan derfor ikke vurderes, og "
                     "resultatmålet kan ikke erklæres opfyldt.")
    elif kind == "sandsynliggjort":
        sentence += " Resultatmålet kan derfor ikke erklæres opfyldt."
    elif kind == "none":
        sentence += f" Bilag 3 fastsætter i øvrigt intet mål for {year}."
    return sentence


def _nonresponse(row: Mapping) -> str:
    """What the municipalities whose answer is unknown could change (issue 12's
    non-response range against the target); nothing when every answer is known."""
    unknown = row.get("n_unknown")
    certainty = plain_text(row.get("nonresponse_certainty"))
    if _missing(unknown) or not unknown or not certainty or _missing(row.get("nonresponse_low")):
        return ""
    target = share_target(row.get("target_kind"), row.get("target"))
    span = (f"(frafaldsspænd "
            f"{interval_text(row['nonresponse_low'], row['nonresponse_high'], target)})")
    who = ("den ene kommune uden kendt svar" if unknown == 1 else
           f"de {count_word(int(unknown))} kommuner uden kendt svar alle")
    met = row["attained"] == "yes"
    if certainty == "above":
        return f" Målet ville også være nået, hvis {who} havde svaret negativt {span}."
    if certainty == "below":
        return f" Målet ville heller ikke være nået, hvis {who} havde svaret positivt {span}."
    if met:
        return f" Hvis {who} havde svaret negativt, ville målet ikke være nået {span}."
    return f" Hvis {who} havde svaret positivt, ville målet være nået {span}."


def _share(row: Mapping, subject: str) -> str:
    if _missing(row.get("share")):
        return _no_data(row, subject)
    year = int(row["year"])
    target = share_target(row.get("target_kind"), row.get("target"))
    census = not _missing(row.get("n_unknown")) and row["n_unknown"] == 0
    interval = ("alle har svaret" if census else
                f"{_confidence(row)} {interval_text(row['ci_low'], row['ci_high'], target)}")
    figure = f"{subject} er {percent_beside(row['share'], target)} ({interval})"
    if row["attained"] not in ("yes", "no"):
        return f"{figure}. {_no_target(row)}"
    sentence = (f"{figure}, og målet på {percent(row['target'])} for {year} er dermed "
                f"{_verdict(row['attained'])}")
    certainty = plain_text(row.get("certainty"))
    if census:
        return f"{sentence}. Da alle har svaret, er der ingen statistisk usikkerhed."
    if row["attained"] == "yes":
        sentence += "." + (NOT_SURE_MET if certainty == "straddles" else SURE_MET)
    elif certainty == "straddles":
        sentence += NOT_SURE_NOT_MET
    else:
        sentence += "." + SURE_NOT_MET
    return sentence + _nonresponse(row)


def _source(source: str) -> str:
    return f" Kilde: {end_sentence(source)}" if source else ""


def _count(row: Mapping, subject: str, operational_goal: str = "", measure: str = "",
           source: str = "") -> str:
    if _missing(row.get("value")):
        return _no_data(row, subject, measure=measure)
    year = int(row["year"])
    figure = f"{subject} er {number(row['value'])} i {year}"
    change = row.get("value_change")
    if not _missing(change):
        pct = percent(row["value_change_pct"], 1, True)
        if change > 0:
            figure += f" ({number(change)} flere end i {year - 1}, {pct})"
        elif change < 0:
            figure += f" ({number(-change)} færre end i {year - 1}, {pct})"
        else:
            figure += f" (det samme som i {year - 1})"
    if row["attained"] not in ("yes", "no"):
        goal = ""
        if row.get("target_kind") == "none" and operational_goal:
            goal = (f" Bilag 3 fastsætter intet måltal for {year}, men det operationelle mål er "
                    f"at {operational_goal[:1].lower()}{operational_goal[1:].rstrip('.')}.")
        return f"{figure}.{goal or ' ' + _no_target(row)}{_source(source)}"
    return (f"{figure}, og målet på {number(row['target'])} for {year} er dermed "
            f"{_verdict(row['attained'])}.{_source(source)}")


def _licence_list(rows: pd.DataFrame) -> str:
    """'eReolen 335.327 (+3,0 %), eReolen Go 102.918 (+2,0 %) og Filmstriben …'."""
    rows = rows.sort_values("licence", key=lambda c: c.str.casefold())
    return danish_list(
        f"{r.licence} {number(r.value)}"
        + ("" if _missing(r.value_change_pct) else f" ({percent(r.value_change_pct, 1, True)})")
        for r in rows.itertuples())


def _moves(rows: pd.DataFrame) -> str:
    """'steg for alle fire licenser', 'steg for tre af de fire licenser', 'faldt for alle …'."""
    known = rows[rows["value_change"].notna()]
    rose = int((known["value_change"] > 0).sum())
    total = len(known)
    if total == 0:
        return "kan ikke sammenlignes med året før"
    return _rose_for(rose, total)


def _rose_for(rose: int, total: int) -> str:
    """'steg for alle fire licenser', 'steg for begge licenser', 'steg for én af de to
    licenser', 'steg ikke for nogen af licenserne'."""
    if rose == total:
        return ("steg for begge licenser" if total == 2 else
                f"steg for alle {count_word(total)} licenser" if total > 2 else "steg")
    if rose == 0:
        return "steg ikke for nogen af licenserne"
    return f"steg for {count_word(rose, common=True)} af de {count_word(total)} licenser"


def _trend(row: Mapping, subject: str, licences: pd.DataFrame | None,
           source: str = "", unit: str = "") -> str:
    """The licences: total use and the users per licence from national.csv (unique users
    of different licences are never added up). A verdict only where a
    `positive_development` target gives one; Bilag 3 sets none, so normally there is none."""
    if _missing(row.get("development")) or licences is None or licences.empty:
        return _no_data(row, subject)
    year = int(row["year"])
    use = licences[(licences["measure"] == "licence_use") & (licences["licence"] == "I alt")]
    users = licences[(licences["measure"] == "licence_users")
                     & (licences["licence"] != "I alt")]
    parts = []
    unit = f" {unit}" if unit else ""
    if len(use):
        total = use.iloc[0]
        if _missing(total["value_change"]):
            parts.append(f"Den samlede brug af licenserne er {number(total['value'])}{unit} i "
                         f"{year}.")
        else:
            verb = "steg" if total["value_change"] > 0 else \
                "faldt" if total["value_change"] < 0 else "var uændret"
            parts.append(f"Den samlede brug af licenserne {verb} i {year} til "
                         f"{number(total['value'])}{unit} "
                         f"({percent(total['value_change_pct'], 1, True)} fra {year - 1}).")
    if len(users):
        parts.append(f"Antallet af unikke brugere {_moves(users)}: {_licence_list(users)}. "
                     "Brugerne af de enkelte licenser lægges ikke sammen, da den samme person "
                     "kan bruge flere licenser.")
    figures = " ".join(parts)
    if row["attained"] in ("yes", "no"):
        direction = "positiv" if row["development"] == "up" else "ikke positiv"
        return (f"{figures} Udviklingen er dermed {direction}, og målet om en positiv "
                f"udvikling er {_verdict(row['attained'])}.{_source(source)}")
    return f"{figures} {_no_target(row, 'udviklingen')}{_source(source)}"


def _judgement(row: Mapping, subject: str) -> str:
    judgement = plain_text(row.get("judgement"))
    if not judgement:
        return _no_data(row, subject, verb="vurderes")
    year = int(row["year"])
    if row["attained"] in ("yes", "no"):
        sentence = (f"{subject} er {judgement} i {year}, og målet er dermed "
                    f"{_verdict(row['attained'])}.")
    else:
        sentence = f"{subject} er {judgement} i {year}. {_no_target(row, 'vurderingen')}"
    if plain_text(row.get("evidence")):
        sentence += f" Begrundelse: {end_sentence(danish_quotes(plain_text(row['evidence'])))}"
    if plain_text(row.get("note")):
        sentence += f" {end_sentence(plain_text(row['note']))}"
    return sentence


def indicator_sentence(row: Mapping, subject: str, *, licences: pd.DataFrame | None = None,
                       operational_goal: str = "", measure: str = "", source: str = "",
                       unit: str = "") -> str:
    """The drafted sentence for one indicator row of indicators.csv, e.g.
    'Tilfredshedsgraden for den fysiske del af materialeoverbygningen er 88 %
    (95 %-konfidensinterval 83–92 %), og målet på 85 % for 2023 er dermed opfyldt. Det er
    statistisk sikkert, at målet er nået, da hele konfidensintervallet ligger over målet.'

    `licences`: the year's licence rows of national.csv (use and users per licence, and
    the total use); `operational_goal`: the operationelt mål's wording (for a national
    figure without a target that year); `measure`: what the national figure is
    ('Interurbanudlån i alt'); `source`: where the national figures come from; `unit`: the
    licences' unit of use ('udlån/visninger')."""
    kind = row["kind"]
    if kind in SURVEY_KINDS:
        return _share(row, subject)
    if kind == "national_count":
        return _count(row, subject, operational_goal, measure, source)
    if kind == "national_trend":
        return _trend(row, subject, licences, source, unit)
    if kind == "judgement":
        return _judgement(row, subject)
    raise ValueError(f"unknown indicator kind: {kind}")


def _change_interval(row: Mapping) -> tuple[str, bool | None]:
    """A change's interval as ' (95 %-konfidensinterval for ændringen −2 til +9
    procentpoint)' and whether it excludes 0 (None, and no text, without an interval)."""
    low, high = row.get("change_ci_low"), row.get("change_ci_high")
    if _missing(low) or _missing(high):
        return "", None
    return (f" ({_confidence(row)} for ændringen {points_range(low, high)})",
            not (low <= 0 <= high))


def change_sentence(row: Mapping) -> str:
    """The change in a share from the year before, in words with its interval and whether
    it is statistically certain; empty when there is no change to report."""
    change = row.get("change")
    if _missing(change):
        return ""
    previous = int(row["year"]) - 1
    amount = points(change).lstrip("+−")  # '+3 procentpoint' -> '3 procentpoint'
    interval, sure = _change_interval(row)
    if amount.split()[0] == "0":
        sentence = (f"Andelen er den samme som i {previous}, afrundet til hele "
                    f"procentpoint{interval}.")
    else:
        what = "en stigning" if change > 0 else "et fald"
        sentence = f"Det er {what} på {amount} fra {previous}"
        if sure is not None:
            sentence += (", og ændringen er statistisk sikker" if sure else
                         ", men ændringen er ikke statistisk sikker")
        sentence += f"{interval}."
    if row.get("kind") == "participant_share":
        sentence += (" En del af ændringen kan skyldes, at det ikke er de samme biblioteker, "
                     "der har deltaget i temasporet begge år.")
    return sentence


def goal_ids(listing: object) -> list[str]:
    """The indicator ids of a goals.csv list ('MO-DIG (why; more); MO-SAM' -> ids)."""
    return [indicator for indicator, _ in listed_indicators(listing)]


def danish_quotes(text: str) -> str:
    """Straight or curly double quotes as Danish »…«: '"Kultur for alle"' -> '»Kultur for
    alle«' (a text with an odd number of quotes is left as it is)."""
    parts = str(text).replace("”", '"').replace("“", '"').split('"')
    if len(parts) % 2 == 0:
        return str(text)
    return "".join(p if i % 2 == 0 else f"»{p}«" for i, p in enumerate(parts))


COUNT_WORDS = {0: "ingen", 1: "ét", 2: "to", 3: "tre", 4: "fire", 5: "fem", 6: "seks",
               7: "syv", 8: "otte", 9: "ni", 10: "ti", 11: "elleve", 12: "tolv"}
"""Numbers up to twelve are written in words in running text, as Danish style has it."""


def count_word(n: int, common: bool = False) -> str:
    """A number up to twelve in words; one is 'ét' (et år, et resultatmål) or, for a noun of
    common gender (en licens, en kommune), 'én'."""
    if n == 1 and common:
        return "én"
    return COUNT_WORDS.get(n, str(n))


def lower_first(text: str) -> str:
    """A subject inside a sentence: 'Andelen af …' -> 'andelen af …'."""
    return text[:1].lower() + text[1:]


def verdict_word(row: Mapping) -> str:
    """'Opfyldt', 'Ikke opfyldt', or in two words why there is none: 'Mangler tal' (a
    target but no figure), 'Intet mål' (Bilag 3 sets none), 'Uden for aftalen' (a year
    targets.csv does not cover)."""
    if row["attained"] == "yes":
        return "Opfyldt"
    if row["attained"] == "no":
        return "Ikke opfyldt"
    kind = plain_text(row.get("target_kind"))
    if kind in ("min_share", "min_count", "positive_development", "sandsynliggjort"):
        return "Mangler tal"
    return "Intet mål" if kind == "none" else "Uden for aftalen"


def certainty_word(row: Mapping) -> str:
    """The verdict's statistical certainty, said apart from the verdict: 'statistisk
    sikker' when the whole interval lies on one side of the target, 'statistisk usikker'
    when the target lies inside it; '' where there is no sampling uncertainty."""
    if row["attained"] not in ("yes", "no"):
        return ""
    certainty = plain_text(row.get("certainty"))
    if certainty in ("above", "below"):
        return "statistisk sikker"
    if certainty == "straddles":
        return "statistisk usikker"
    return ""


def shortfall(row: Mapping) -> str:
    """Why one indicator holds its goal back, as a clause after 'fordi': 'tilfredshedsgraden
    for … er 83 %, mod et mål på 90 %'. `row` carries its `subject`."""
    subject = lower_first(row["subject"])
    if row.get("missing") or row["attained"] not in ("yes", "no"):
        return f"der endnu ikke foreligger tal for {subject.rstrip(',')}"
    kind = row["kind"]
    if kind in SURVEY_KINDS:
        return f"{subject} er {percent(row['share'])}, mod et mål på {percent(row['target'])}"
    if kind == "national_count":
        return f"{subject} er {number(row['value'])}, mod et mål på {number(row['target'])}"
    if kind == "national_trend":
        return f"{subject.rstrip(',')} ikke er positiv"
    return f"{subject.rstrip(',')} ikke er sandsynliggjort"


def _subjects(rows: Iterable[Mapping], ends_sentence: bool = False) -> str:
    """Indicators named by their sentence subjects, joined in Danish: a subject with a
    relative clause keeps the comma that closes it ('andelen af biblioteker, der oplever,
    at …, og andelen …'), except where the list ends the sentence."""
    subjects = [lower_first(r["subject"]) for r in rows]
    if ends_sentence and subjects:
        subjects[-1] = subjects[-1].rstrip(",")
    return danish_list(subjects)


def goal_sentence(goal: Mapping, rows: Mapping[str, Mapping]) -> str:
    """Why a resultatmål is (not) attained in its year, from its goals.csv row, in Bilag 3's
    words: each indicator named by its subject with its figure and target. `rows` maps
    each indicator id the goal lists to its row of indicators.csv with its `subject`
    (a row with `missing` where there is no figure)."""
    year = int(goal["year"])
    attained = goal["attained"]
    pick = lambda column: [rows[i] for i in goal_ids(goal.get(column)) if i in rows]  # noqa: E731
    not_met, missing, uncertain = (pick("indicators_not_attained"), pick("indicators_missing"),
                                   pick("indicators_uncertain"))
    if attained == "yes":
        sentence = (f"Resultatmålet er opfyldt i {year}, fordi alle dets nøgletal og "
                    "indikatorer med et mål for året er opfyldt.")
        if uncertain:
            sentence += (f" For {_subjects(uncertain)} er opfyldelsen dog ikke statistisk "
                         "sikker: målet ligger inden for konfidensintervallet, så det kan "
                         "ikke udelukkes, at den reelle andel er under målet.")
        return sentence
    if attained == "no":
        sentence = (f"Resultatmålet er ikke opfyldt i {year}, fordi "
                    f"{danish_list((shortfall(r) for r in not_met), ', og ')}.")
        unsure = [r for r in uncertain if r in not_met]
        if unsure:
            sentence += (f" For {_subjects(unsure)} kan det dog ikke udelukkes, at den reelle "
                         "andel når målet, da målet ligger inden for konfidensintervallet.")
        if missing:
            sentence += (f" Desuden foreligger der endnu ikke tal for "
                         f"{_subjects(missing, ends_sentence=True)}.")
        return sentence
    if attained == "incomplete":
        return (f"Resultatmålet kan ikke erklæres opfyldt for {year}, fordi "
                f"{danish_list((shortfall(r) for r in missing), ', og ')}.")
    return (f"Bilag 3 fastsætter intet mål for {year} for resultatmålets nøgletal og "
            "indikatorer, så resultatmålet vurderes ikke.")


def summary_sentences(goals: Iterable[Mapping], year: int, labels: Mapping[str, str],
                      reasons) -> tuple[str, list[tuple[str, str]]]:
    """The executive summary: 'I 2024 er tre af de fem resultatmål i bilag 3 opfyldt.' and,
    for each goal not met (or not to be declared met), its name as the summary lists it
    and why. `labels` maps a goal id to its name (e.g. 'Resultatmål 4: Centralbibliotekerne
    udfolder temaspor …'), `reasons(goal)` gives the rows for `goal_sentence`."""
    goals = list(goals)
    met = [g for g in goals if g["attained"] == "yes"]
    held = [g for g in goals if g["attained"] in ("no", "incomplete")]
    not_met = [g for g in held if g["attained"] == "no"]
    incomplete = [g for g in held if g["attained"] == "incomplete"]
    total = len(goals)
    if total == 1:
        word = {"yes": "opfyldt", "no": "ikke opfyldt"}.get(goals[0]["attained"],
                                                            "ikke vurderet")
        lead = f"I {year} er det ene resultatmål i bilag 3 {word}."
    elif len(met) == total:
        lead = f"I {year} er alle {count_word(total)} resultatmål i bilag 3 opfyldt."
    elif not met:
        lead = f"I {year} er ingen af de {count_word(total)} resultatmål i bilag 3 opfyldt."
    else:
        lead = (f"I {year} er {count_word(len(met))} af de {count_word(total)} resultatmål i "
                "bilag 3 opfyldt.")
    if not_met and incomplete:
        lead += (f" {count_word(len(not_met)).capitalize()} er ikke opfyldt, og "
                 f"{count_word(len(incomplete))} kan ikke erklæres opfyldt, fordi der mangler "
                 "tal:")
    elif not_met and total > 1:
        lead += (" Dette resultatmål er ikke opfyldt:" if len(not_met) == 1 else
                 f" Disse {count_word(len(not_met))} er ikke opfyldt:")
    elif incomplete and total > 1:
        lead += (" Dette resultatmål kan ikke erklæres opfyldt, fordi der mangler tal:"
                 if len(incomplete) == 1 else
                 f" Disse {count_word(len(incomplete))} kan ikke erklæres opfyldt, fordi der "
                 "mangler tal:")
    items = []
    for goal in held:
        why = goal_sentence(goal, reasons(goal))
        items.append((end_sentence(labels[goal["maal_id"]]), why))
    return lead, items


# --- the period assessment ------------------------------------------------------------


def years_text(years: Iterable[int]) -> str:
    """[2021, 2023, 2024] -> '2021, 2023 og 2024'; consecutive runs of three or more read
    as a range: [2021, 2022, 2023] -> '2021–2023'."""
    years = sorted(int(y) for y in years)
    runs: list[list[int]] = []
    for year in years:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{run[0]}–{run[-1]}")
        else:
            parts += [str(y) for y in run]
    return danish_list(parts)


def _of_years(met: int, total: int) -> str:
    """'alle fire år', 'tre af de fire år', 'ét af de fire år', 'ingen af de fire år'."""
    if total == 1:
        return "året"
    if met == total:
        return f"alle {count_word(total)} år"
    if met == 0:
        return f"ingen af de {count_word(total)} år"
    return f"{count_word(met)} af de {count_word(total)} år"


def period_verdict_sentence(history: pd.DataFrame, operational_goal: str = "") -> str:
    """In how many of the period's years an indicator met its target, which years it did
    not, which were statistically uncertain, and the years Bilag 3 set no target. `history`:
    the indicator's national rows of indicators.csv for the period's years."""
    history = history.sort_values("year")
    binding = history[history["target_kind"].isin(
        ["min_share", "min_count", "positive_development", "sandsynliggjort"])]
    met = binding.loc[binding["attained"] == "yes", "year"].tolist()
    not_met = binding.loc[binding["attained"] == "no", "year"].tolist()
    missing = binding.loc[~binding["attained"].isin(["yes", "no"]), "year"].tolist()
    free = history.loc[~history["year"].isin(binding["year"]), "year"].tolist()
    parts = []
    if len(binding) == 1:
        year = int(binding["year"].iloc[0])
        word = {"yes": "opfyldt", "no": "ikke opfyldt"}.get(binding["attained"].iloc[0])
        parts.append(f"Målet for {year} var {word}." if word else
                     f"For {year} foreligger der ikke tal, så målet kan ikke vurderes.")
    elif len(binding):
        judged = len(met) + len(not_met)
        if not not_met:
            parts.append(f"Målet var opfyldt i {_of_years(len(met), judged)}"
                         + (f" med tal ({years_text(met)})." if missing else "."))
        elif not met:
            parts.append(f"Målet var ikke opfyldt i nogen af de {count_word(judged)} år.")
        else:
            parts.append(f"Målet var opfyldt i {_of_years(len(met), judged)} "
                         f"({years_text(met)}), men ikke i {years_text(not_met)}.")
        if missing:
            parts.append(f"For {years_text(missing)} foreligger der ikke tal.")
    uncertain = history.loc[history["attained"].isin(["yes", "no"])
                            & (history["certainty"] == "straddles"), "year"].tolist()
    if uncertain:
        parts.append(f"I {years_text(uncertain)} var vurderingen ikke statistisk sikker.")
    if free:
        sentence = f"Bilag 3 fastsætter intet mål for {years_text(free)}"
        goal = operational_goal.rstrip(".")
        if goal and history["kind"].iloc[0] == "national_count":
            sentence += f", men det operationelle mål er at {goal[:1].lower()}{goal[1:]}"
        elif not len(binding):
            sentence += ", så udviklingen indgår ikke i målopfyldelsen"
        parts.append(sentence + ".")
    return " ".join(parts)


def development_sentence(period: Mapping) -> str:
    """The development from the period's first year with a figure to its last, with the
    interval built as the change from last year is (a row of period_indicators.csv)."""
    if _missing(period.get("first_year")) or _missing(period.get("last_year")):
        return ""
    first, last = int(period["first_year"]), int(period["last_year"])
    if period["kind"] in SURVEY_KINDS and not _missing(period.get("change")):
        change = period["change"]
        amount = points(change).lstrip("+−")
        interval, sure = _change_interval(period)
        if amount.split()[0] == "0":
            sentence = (f"Andelen var den samme i {last} som i {first}, afrundet til hele "
                        f"procentpoint{interval}.")
        else:
            verb = "steg" if change > 0 else "faldt"
            what = "en stigning" if change > 0 else "et fald"
            certainty = ("" if sure is None else
                         ", og udviklingen er statistisk sikker" if sure else
                         ", men udviklingen er ikke statistisk sikker")
            sentence = (f"Fra {first} til {last} {verb} andelen fra "
                        f"{percent(period['first_share'])} til "
                        f"{percent(period['last_share'])}, {what} på {amount}"
                        f"{certainty}{interval}.")
        if plain_text(period.get("note")):
            sentence += (" En del af udviklingen kan skyldes, at det ikke er de samme "
                         "biblioteker, der har deltaget i temasporet i de to år.")
        return sentence
    if period["kind"] == "national_count" and not _missing(period.get("value_change")):
        change = period["value_change"]
        verb = "steg" if change > 0 else "faldt" if change < 0 else "var uændret"
        more = (f"{number(change)} flere" if change > 0 else f"{number(-change)} færre"
                if change < 0 else "uændret")
        return (f"Fra {first} til {last} {verb} tallet fra {number(period['first_value'])} til "
                f"{number(period['last_value'])} ({more}, "
                f"{percent(period['value_change_pct'], 1, True)}).")
    return ""


def licence_period_sentence(licences: pd.DataFrame) -> str:
    """The licences over the period, per licence (national.csv's change since the first
    year, for the last year's rows): use and unique users, never added up across licences."""
    parts = []
    for measure, what in (("licence_use", "Brugen"), ("licence_users",
                                                       "Antallet af unikke brugere")):
        rows = licences[(licences["measure"] == measure) & (licences["licence"] != "I alt")
                        & licences["first_year"].notna()]
        if rows.empty:
            continue
        rows = rows.sort_values("licence", key=lambda c: c.str.casefold())
        first, last = int(rows["first_year"].min()), int(rows["year"].max())
        moved = _rose_for(int((rows["change_since_first"] > 0).sum()), len(rows))
        listed = danish_list(f"{r.licence} {percent(r.change_since_first_pct, 1, True)}"
                             for r in rows.itertuples())
        parts.append(f"{what} {moved} fra {first} til {last}: {listed}.")
    return " ".join(parts)


def goal_period_sentence(history: pd.DataFrame) -> str:
    """In how many years a goal was met, from its goals.csv rows for the period's years:
    'Resultatmålet var opfyldt i tre af de fire år (2021, 2023 og 2024), men ikke i 2022.'"""
    met = history.loc[history["attained"] == "yes", "year"].tolist()
    not_met = history.loc[history["attained"] == "no", "year"].tolist()
    incomplete = history.loc[history["attained"] == "incomplete", "year"].tolist()
    total = len(met) + len(not_met) + len(incomplete)
    if not total:
        return "Resultatmålet har ingen mål i perioden."
    if not not_met and not incomplete:
        return f"Resultatmålet var opfyldt i {_of_years(len(met), total)}."
    if not met:
        sentence = f"Resultatmålet var ikke opfyldt i nogen af de {count_word(total)} år"
    else:
        sentence = (f"Resultatmålet var opfyldt i {_of_years(len(met), total)} "
                    f"({years_text(met)}), men ikke i {years_text(not_met + incomplete)}")
    if incomplete:
        sentence += f"; for {years_text(incomplete)} mangler der tal"
    return sentence + "."
