"""Turn one year's raw export rows into clean responses: one per municipality, answers
on their scales. Pure: takes frames, returns frames and the problems found.

Nothing is dropped or changed silently: a value that cannot be read is a `Problem`
(the run stops), and a row left out (a duplicate, a row with neither municipality nor
answers) is listed in `excluded` with its reason, and ends up in excluded_rows.csv.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from pipeline.errors import Problem
from pipeline.reference import Reference, normalise_kommune, normalise_text

TIMESTAMP_FORMATS = (
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d",
    "%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M", "%d-%m-%Y",
    "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y",
    "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y",
)
"""Accepted timestamp spellings: ISO as written by Excel, and Danish day-first forms."""

CODE_PATTERN = re.compile(r"^\d+(\.0+)?$")
EXCLUDED_COLUMNS = ["year", "source_file", "source_row", "kommune_kode", "reason"]


@dataclass
class CleanYear:
    responses: pd.DataFrame
    """year, kommune_kode, kommune, centralbibliotek, source_file, source_row, besvaret, keys"""
    excluded: pd.DataFrame
    """year, source_file, source_row, kommune_kode, reason"""
    duplicates: int
    problems: list[Problem]


def clean_year(raw: pd.DataFrame, reference: Reference,
               value_labels: dict[str, dict[str, str]] | None = None) -> CleanYear:
    """Validate and normalise one year's rows; see the module docstring for the rules."""
    value_labels = value_labels or {}
    scale_of = reference.question_scale()
    answer_keys = [k for k in raw.columns if k in scale_of]
    problems: list[Problem] = []

    kommune_text = raw["kommune"].astype(str).str.strip()
    has_answer = (raw[answer_keys].astype(str).apply(lambda c: c.str.strip() != "")
                  .any(axis=1) if answer_keys else pd.Series(False, index=raw.index))
    no_kommune = kommune_text == ""
    empty = no_kommune & ~has_answer
    excluded = _excluded(raw[empty], "Hverken kommune eller svar udfyldt (tom besvarelse)")
    for i in raw.index[no_kommune & has_answer]:
        problems.append(Problem(
            "Besvarelsen har svar, men ingen kommune.",
            "Udfyld kommunen i eksporten (navn eller 3-cifret kode), eller slet rækken hvis den "
            "ikke er en rigtig besvarelse.", file=raw.at[i, "source_file"],
            row=int(raw.at[i, "source_row"]), column="kommune"))
    rows = raw[~no_kommune].copy()

    kode, kommune_problems = _resolve_kommune(rows, reference)
    problems += kommune_problems
    rows["kommune_kode"] = kode

    for key in answer_keys:
        rows[key], key_problems = _normalise_answers(rows, key, scale_of[key], reference,
                                                     value_labels.get(key, {}))
        problems += key_problems

    if "besvaret" in rows:
        rows["besvaret"], time_problems = _parse_timestamps(rows)
        problems += time_problems
    else:
        rows["besvaret"] = pd.NaT

    problems += _check_skip_logic(rows, reference)
    if problems:
        return CleanYear(pd.DataFrame(), excluded, 0, problems)

    kept, duplicates = _drop_duplicates(rows)
    excluded = pd.concat([excluded, duplicates], ignore_index=True)
    kommuner = reference.kommuner.set_index("kode")
    kept["kommune"] = kept["kommune_kode"].map(kommuner["navn"])
    kept["centralbibliotek"] = kept["kommune_kode"].map(kommuner["centralbibliotek"])
    ordered = ["year", "kommune_kode", "kommune", "centralbibliotek", "source_file",
               "source_row", "besvaret", *answer_keys]
    kept = kept[ordered].sort_values("kommune_kode").reset_index(drop=True)
    return CleanYear(kept, excluded, len(duplicates), [])


def _excluded(rows: pd.DataFrame, reason: str | pd.Series) -> pd.DataFrame:
    out = pd.DataFrame({
        "year": rows["year"].astype(int),
        "source_file": rows["source_file"],
        "source_row": rows["source_row"].astype(int),
        "kommune_kode": rows.get("kommune_kode", pd.NA),
        "reason": reason,
    })
    return out[EXCLUDED_COLUMNS].reset_index(drop=True)


def _resolve_kommune(rows: pd.DataFrame, reference: Reference) -> tuple[pd.Series, list[Problem]]:
    lookup = reference.kommune_lookup()
    values = rows["kommune"].astype(str)
    unique = values.unique()
    resolved = {}
    for v in unique:
        key = normalise_kommune(v)
        if CODE_PATTERN.match(key):
            key = str(int(float(key)))
        resolved[v] = lookup.get(key)
    kode = values.map(resolved)
    problems = []
    for i in rows.index[kode.isna()]:
        value = rows.at[i, "kommune"]
        key = normalise_kommune(value)
        if CODE_PATTERN.match(key):
            message = f"Kommunekoden {int(float(key))} er ikke en af de 98 kommuners koder."
            hint = ("Ret koden i eksporten; de gyldige koder står i "
                    "pipeline/reference/kommuner.csv.")
        else:
            close = reference.closest_kommuner(value)
            maybe = f" Mente du: {', '.join(close)}?" if close else ""
            message = f"Kommunen kan ikke genkendes som en af de 98 kommuner.{maybe}"
            hint = ("Ret stavemåden i eksporten, eller tilføj stavemåden som alias i "
                    "pipeline/reference/kommune_aliases.csv, og kør igen.")
        problems.append(Problem(message, hint, file=rows.at[i, "source_file"],
                                row=int(rows.at[i, "source_row"]), column="kommune",
                                value=value))
    return kode.astype("Int64"), problems


def _normalise_answers(rows: pd.DataFrame, key: str, scale: str, reference: Reference,
                       labels: dict[str, str]) -> tuple[pd.Series, list[Problem]]:
    """Map each distinct answer text to its scale label once, then the column at once."""
    answers = {normalise_text(a): a for a in reference.scale_answers(scale)["answer"]}
    values = rows[key].astype(str)
    mapping: dict[str, object] = {}
    unreadable: dict[str, str] = {}
    for v in values.unique():
        norm = normalise_text(v)
        if norm == "":
            mapping[v] = pd.NA
        elif norm in answers:
            mapping[v] = answers[norm]
        elif labels and _code_key(norm) in labels:
            mapping[v] = labels[_code_key(norm)]
        else:
            mapping[v] = None
            unreadable[v] = norm
    problems = []
    if unreadable:
        bad = values.isin(list(unreadable))
        for i in rows.index[bad]:
            v = rows.at[i, key]
            if CODE_PATTERN.match(unreadable[v]) and not labels:
                message = ("Svaret er en talkode, men kodebogen siger ikke, hvilket svar koden "
                           "står for.")
                hint = (f"Tilføj value_labels i kodebogens række for '{key}', fx "
                        '"1=Meget tilfreds; 2=Tilfreds; 9=Ved ikke" (se README).')
            else:
                message = f'Svaret findes ikke på skalaen "{scale}" for spørgsmålet \'{key}\'.'
                hint = f"Gyldige svar er: {', '.join(answers.values())}. Ret svaret i eksporten."
                if labels:
                    hint += f" Talkoder i kodebogen: {', '.join(sorted(labels))}."
            problems.append(Problem(message, hint, file=rows.at[i, "source_file"],
                                    row=int(rows.at[i, "source_row"]), column=key, value=v))
    return values.map(mapping).astype(object), problems


def _code_key(norm: str) -> str:
    return str(int(float(norm))) if CODE_PATTERN.match(norm) else norm


def _parse_timestamps(rows: pd.DataFrame) -> tuple[pd.Series, list[Problem]]:
    text = rows["besvaret"].astype(str).str.strip()
    parsed = pd.Series(pd.NaT, index=rows.index, dtype="datetime64[ns]")
    for fmt in TIMESTAMP_FORMATS:
        todo = parsed.isna() & (text != "")
        if not todo.any():
            break
        parsed[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce")
    problems = [
        Problem("Tidspunktet for besvarelsen kan ikke læses som dato og tid.",
                "Skriv tidspunktet som 2024-03-15 14:30 eller 15-03-2024 14:30, eller lad "
                "feltet stå tomt.", file=rows.at[i, "source_file"],
                row=int(rows.at[i, "source_row"]), column="besvaret", value=rows.at[i, "besvaret"])
        for i in rows.index[parsed.isna() & (text != "")]
    ]
    return parsed, problems


def _check_skip_logic(rows: pd.DataFrame, reference: Reference) -> list[Problem]:
    """`styrker_*` is asked only of libraries that took part (deltog = Ja)."""
    problems = []
    participant = reference.indicators[reference.indicators["participation_key"] != ""]
    for question, participation in zip(participant["question_key"],
                                       participant["participation_key"], strict=True):
        if question not in rows or participation not in rows:
            continue
        answered = rows[question].notna()
        took_part = rows[participation] == "Ja"
        for i in rows.index[answered & ~took_part]:
            stated = rows.at[i, participation]
            state = "ikke besvaret" if pd.isna(stated) else f'"{stated}"'
            problems.append(Problem(
                f"'{question}' er besvaret, men deltagelsesspørgsmålet '{participation}' er "
                f"{state}; spørgsmålet stilles kun til biblioteker, der har svaret Ja.",
                f"Tjek besvarelsen: ret '{participation}' til Ja, eller slet svaret i "
                f"'{question}'.", file=rows.at[i, "source_file"],
                row=int(rows.at[i, "source_row"]), column=question, value=rows.at[i, question]))
    return problems


def _drop_duplicates(rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keep each municipality's latest response: the latest `besvaret`, or the last row
    (in file and row order) where there is no timestamp."""
    rows = rows.assign(_order=range(len(rows)))
    rows = rows.sort_values(["kommune_kode", "besvaret", "_order"], na_position="first",
                            kind="stable")
    last = ~rows.duplicated("kommune_kode", keep="last")
    kept = rows[last]
    dropped = rows[~last]
    if dropped.empty:
        return kept.drop(columns="_order"), _excluded(dropped, "")
    winner = kept.set_index("kommune_kode")
    reason = dropped["kommune_kode"].map(
        lambda k: "Dublet: kommunen har en senere besvarelse ({}, række {}), som bruges"
        .format(winner.at[k, "source_file"], winner.at[k, "source_row"]))
    return kept.drop(columns="_order"), _excluded(dropped, reason)
