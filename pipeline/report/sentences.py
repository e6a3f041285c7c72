"""The report's drafted Danish sentences, one per indicator, goal and year. Pure.

Each function takes one row the pipeline wrote (indicators.csv or goals.csv) and puts
it into words with the dashboard's number formats (87 %, 725.000, "83-92 %"), so the
draft says what the dashboard shows. The subject of an indicator's sentence is the
catalogue's `report_subject` (pipeline/reference/indicators.csv): change the wording
there, not here. Nothing here computes a statistic.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from pipeline.formatting import number, percent, percent_beside, points
from pipeline.present.words import ci_label, interval_text, share_target, target_text
from pipeline.reference import SURVEY_KINDS

UNCERTAIN_MET = (" Opfyldelsen er dog usikker: målet ligger inden for konfidensintervallet, "
                 "så den sande andel kan også ligge under målet.")
UNCERTAIN_NOT_MET = (" Vurderingen er dog usikker: målet ligger inden for "
                     "konfidensintervallet, så den sande andel kan også nå målet.")


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


def danish_list(items: Iterable[str]) -> str:
    """['a', 'b', 'c'] -> 'a, b og c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} og {items[-1]}"


def _verdict(attained: str) -> str:
    return "opfyldt" if attained == "yes" else "ikke opfyldt"


def _confidence(row: Mapping) -> str:
    """'95 %-konfidensinterval' (the run's level, 95 % unless chosen otherwise)."""
    return ci_label(row.get("confidence"))


def _no_target(row: Mapping, noun: str = "tallet") -> str:
    year = int(row["year"])
    if row.get("target_kind") == "none":
        return f"Bilag 3 fastsætter intet mål for {year}, så {noun} indgår ikke i målopfyldelsen."
    return f"Der er ikke registreret et mål for {year}, så {noun} indgår ikke i målopfyldelsen."


def _no_data(row: Mapping, subject: str, verb: str = "opgøres") -> str:
    """No figure: say why (the row's note, else its na_reason) and what it means."""
    year = int(row["year"])
    why = plain_text(row.get("note")) or plain_text(row.get("na_reason")) or "Der er ingen data"
    sentence = f"{subject} kan ikke {verb} for {year}. Årsag: {end_sentence(why)}"
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
        sentence += f" Bilag 3 fastsætter heller intet mål for {year}."
    else:
        sentence += f" Der er heller ikke registreret et mål for {year}."
    return sentence


def _share(row: Mapping, subject: str) -> str:
    if _missing(row.get("share")):
        return _no_data(row, subject)
    year = int(row["year"])
    target = share_target(row.get("target_kind"), row.get("target"))
    figure = (f"{subject} er {percent_beside(row['share'], target)} ({_confidence(row)} "
              f"{interval_text(row['ci_low'], row['ci_high'], target)})")
    if row["attained"] not in ("yes", "no"):
        return f"{figure}. {_no_target(row)}"
    sentence = (f"{figure}, og målet på {percent(row['target'])} for {year} er dermed "
                f"{_verdict(row['attained'])}.")
    if row.get("certainty") == "straddles":
        sentence += UNCERTAIN_MET if row["attained"] == "yes" else UNCERTAIN_NOT_MET
    return sentence


def _count(row: Mapping, subject: str) -> str:
    if _missing(row.get("value")):
        return _no_data(row, subject)
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
        return f"{figure}. {_no_target(row)}"
    return (f"{figure}, og målet på {number(row['target'])} for {year} er dermed "
            f"{_verdict(row['attained'])}.")


def _trend(row: Mapping, subject: str, totals: Mapping[str, Mapping]) -> str:
    """The licences: use in total and users per licence, as the row's note gives them
    (unique users of different licences are never added up). A direction word only where
    a `positive_development` target gives a verdict; its rule is then in the note."""
    development = row.get("development")
    if _missing(development):
        return _no_data(row, subject)
    year = int(row["year"])
    figures = end_sentence(plain_text(row.get("note")))
    if row["attained"] in ("yes", "no"):
        direction = "positiv" if development == "up" else "ikke positiv"
        return (f"{subject} er {direction} i {year}: {figures} Målet om en positiv udvikling "
                f"er dermed {_verdict(row['attained'])}.")
    return f"{subject} i {year}: {figures} {_no_target(row, 'udviklingen')}"


def _judgement(row: Mapping, subject: str) -> str:
    judgement = plain_text(row.get("judgement"))
    if not judgement:
        return _no_data(row, subject, verb="vurderes")
    year = int(row["year"])
    if row["attained"] in ("yes", "no"):
        sentence = f"{subject} er {judgement} i {year}, og målet er dermed " \
                   f"{_verdict(row['attained'])}."
    else:
        sentence = f"{subject} er {judgement} i {year}. {_no_target(row, 'vurderingen')}"
    if plain_text(row.get("evidence")):
        sentence += f" Begrundelse: {end_sentence(plain_text(row['evidence']))}"
    if plain_text(row.get("note")):
        sentence += f" {end_sentence(plain_text(row['note']))}"
    return sentence


def indicator_sentence(row: Mapping, subject: str,
                       licence_totals: Mapping[str, Mapping] | None = None) -> str:
    """The drafted sentence for one indicator row of indicators.csv, e.g.
    'Tilfredshedsgraden for den fysiske del af materialeoverbygningen er 88 %
    (95 %-konfidensinterval 83-92 %), og målet på 85 % for 2023 er dermed opfyldt.'

    `licence_totals` (measure -> the year's "I alt" row of national.csv) gives the
    licence indicator its figures for use and users."""
    kind = row["kind"]
    if kind in SURVEY_KINDS:
        return _share(row, subject)
    if kind == "national_count":
        return _count(row, subject)
    if kind == "national_trend":
        return _trend(row, subject, licence_totals or {})
    if kind == "judgement":
        return _judgement(row, subject)
    raise ValueError(f"unknown indicator kind: {kind}")


def change_sentence(row: Mapping) -> str:
    """The change in a share from the year before, in words with its interval; empty
    when there is no change to report."""
    change = row.get("change")
    if _missing(change):
        return ""
    previous = int(row["year"]) - 1
    amount = points(change)[1:]  # '+3 procentpoint' -> '3 procentpoint'
    if amount.split()[0] == "0":
        return f"Andelen er uændret fra {previous} (afrundet til hele procentpoint)."
    what = "en stigning" if change > 0 else "et fald"
    sentence = f"Det er {what} på {amount} fra {previous}"
    low, high = row.get("change_ci_low"), row.get("change_ci_high")
    if _missing(low) or _missing(high):
        return f"{sentence}."
    sentence += (f" ({_confidence(row)} for ændringen: {points(low)} til "
                 f"{points(high)}).")
    if low <= 0 <= high:
        sentence += " Intervallet omfatter 0, så ændringen kan skyldes tilfældig variation."
    return sentence


def goal_ids(listing: object) -> list[str]:
    """The indicator ids of a goals.csv list ('MO-DIG (why; more); MO-SAM' -> ids)."""
    text = plain_text(listing)
    ids, depth, current = [], 0, ""
    for char in text + ";":
        depth += (char == "(") - (char == ")")
        if char == ";" and depth == 0:
            if current.strip():
                ids.append(current.strip().split(" (")[0])
            current = ""
        else:
            current += char
    return ids


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


def count_word(n: int) -> str:
    return COUNT_WORDS.get(n, str(n))


def lower_first(text: str) -> str:
    """A subject inside a sentence: 'Andelen af …' -> 'andelen af …'."""
    return text[:1].lower() + text[1:]


def verdict_word(row: Mapping) -> str:
    """'Opfyldt', 'Ikke opfyldt', or why there is no verdict ('Intet mål i Bilag 3 …')."""
    if row["attained"] == "yes":
        return "Opfyldt"
    if row["attained"] == "no":
        return "Ikke opfyldt"
    return plain_text(row.get("na_reason")) or "Intet mål"


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
    year = int(row["year"])
    if row.get("missing") or row["attained"] not in ("yes", "no"):
        return f"der ikke foreligger tal for {year} for {subject.rstrip(',')}"
    kind = row["kind"]
    if kind in SURVEY_KINDS:
        return f"{subject} er {percent(row['share'])}, mod et mål på {percent(row['target'])}"
    if kind == "national_count":
        return f"{subject} er {number(row['value'])}, mod et mål på {number(row['target'])}"
    if kind == "national_trend":
        return f"{subject.rstrip(',')} ikke er positiv"
    return f"{subject.rstrip(',')} ikke er sandsynliggjort"


def _subjects(rows: Iterable[Mapping]) -> str:
    return danish_list(lower_first(r["subject"]).rstrip(",") for r in rows)


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
                    f"{danish_list(shortfall(r) for r in not_met)}.")
        unsure = [r for r in uncertain if r in not_met]
        if unsure:
            sentence += (f" For {_subjects(unsure)} kan det dog ikke udelukkes, at den reelle "
                         "andel når målet, da målet ligger inden for konfidensintervallet.")
        if missing:
            sentence += f" Desuden foreligger der ikke tal for {_subjects(missing)}."
        return sentence
    if attained == "incomplete":
        return (f"Resultatmålet kan ikke erklæres opfyldt for {year}, fordi "
                f"{danish_list(shortfall(r) for r in missing)}.")
    return (f"Bilag 3 fastsætter intet mål for {year} for resultatmålets nøgletal og "
            "indikatorer, så resultatmålet vurderes ikke.")


def summary_sentences(goals: Iterable[Mapping], year: int, labels: Mapping[str, str],
                      reasons) -> tuple[str, list[tuple[str, str]]]:
    """The executive summary: 'I 2024 er tre af de fem resultatmål i bilag 3 opfyldt.' and,
    for each goal not met (or not to be declared met), its Bilag 3 wording and why.
    `labels` maps a goal id to its wording, `reasons(goal)` gives the rows for
    `goal_sentence`."""
    goals = list(goals)
    met = [g for g in goals if g["attained"] == "yes"]
    held = [g for g in goals if g["attained"] in ("no", "incomplete")]
    total = len(goals)
    if len(met) == total:
        lead = f"I {year} er alle {count_word(total)} resultatmål i bilag 3 opfyldt."
    elif not met:
        lead = f"I {year} er ingen af de {count_word(total)} resultatmål i bilag 3 opfyldt."
    else:
        lead = (f"I {year} er {count_word(len(met))} af de {count_word(total)} resultatmål i "
                "bilag 3 opfyldt.")
    not_met = [g for g in held if g["attained"] == "no"]
    incomplete = [g for g in held if g["attained"] == "incomplete"]
    if not_met:
        lead += (" Resultatmålet herunder er ikke opfyldt:" if len(not_met) == 1 else
                 f" Disse {count_word(len(not_met))} resultatmål er ikke opfyldt:")
    if incomplete:
        lead += (" For ét resultatmål mangler der tal." if len(incomplete) == 1 else
                 f" For {count_word(len(incomplete))} resultatmål mangler der tal.")
    items = []
    for goal in held:
        why = goal_sentence(goal, reasons(goal))
        items.append((f"»{labels[goal['maal_id']].rstrip('.')}«", why))
    return lead, items
