"""Turn one year's raw export rows into clean responses: one per municipality, answers
on their scales. Pure: takes frames, returns frames and the problems found.

Nothing is dropped or changed silently: a value that cannot be read is a `Problem`
(the run stops), and a row left out (a duplicate, a row without a single answer) is
listed in `excluded` with its reason, and ends up in excluded_rows.csv.

An empty response (a municipality, perhaps a time, but no answer: a started survey, or a
resubmission that lost its answers) is no answer: it is left out before duplicates are
resolved, so it never replaces a municipality's answer and never counts as the
municipality answering.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline.errors import Problem
from pipeline.formatting import number
from pipeline.read.surveyxact import COMPLETED, STATUS_TEXT
from pipeline.read.tables import repaired_mojibake
from pipeline.reference import Reference, normalise_kommune, normalise_text

TIMESTAMP_FORMATS = (
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d",
    "%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M", "%d-%m-%Y",
    "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y",
    "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y",
)
"""Accepted timestamp spellings: ISO as written by Excel, and Danish day-first forms."""

CODE_PATTERN = re.compile(r"^\d+(\.0+)?$")
MAX_ROW_PROBLEMS = 20
"""Rows reported one by one per kind of problem; the rest are summed up in one line, so
that an export that is wrong throughout gives a readable message (and a quick one)."""
EXCLUDED_COLUMNS = ["year", "source_file", "source_row", "kommune_kode", "reason_code", "reason"]
NOT_COMPLETED = "not_completed"
NOT_COMPLETED_CODES = {1: "not_completed_new", 2: "not_completed_distributed",
                       3: "not_completed_partial", 5: "not_completed_declined"}
"""A SurveyXact response that was not completed, by its status (statoverall_N)."""
EXCLUSION_KINDS = {
    "empty_response": "Hverken kommune eller svar udfyldt (tom besvarelse)",
    "no_answers": "Kommune uden svar (tom besvarelse)",
    "duplicate": "Dublet",
    **{code: f"Ikke gennemført ({STATUS_TEXT[n]})" for n, code in NOT_COMPLETED_CODES.items()},
}
"""Why a row is left out (excluded_rows.csv `reason_code`), with the short Danish words
quality.csv counts it under; `reason` says it in full for the row."""
MAX_ROWS_PER_MUNICIPALITY = 2
"""A year with more non-blank rows than this many per municipality is not one response per
library (all years in one file, test answers, a survey of citizens): it is refused, unless
the run is told it is respondent-level. A few duplicates stay well below."""
FORMULA = re.compile(r"\s*(=|@|\+\s*[^\d\s])")
"""A cell that starts like a spreadsheet formula (a phone number's + is no formula)."""


@dataclass
class CleanYear:
    responses: pd.DataFrame
    """year, kommune_kode, kommune, centralbibliotek, source_file, source_row, besvaret, keys"""
    excluded: pd.DataFrame
    """year, source_file, source_row, kommune_kode, reason_code, reason"""
    duplicates: int
    problems: list[Problem]
    dated: pd.DataFrame | None = None
    """source_file, source_row, besvaret of every row with answers and a readable time
    (duplicates included), for the field-period check across years."""


def clean_year(raw: pd.DataFrame, reference: Reference,
               value_labels: dict[str, dict[str, str]] | None = None,
               respondent_level: bool = False) -> CleanYear:
    """Validate and normalise one year's rows; see the module docstring for the rules.

    `respondent_level` keeps every row (a survey of many respondents per municipality,
    e.g. citizens) instead of one response per municipality.
    """
    value_labels = value_labels or {}
    scale_of = reference.question_scale()
    answer_keys = [k for k in raw.columns if k in scale_of]
    problems: list[Problem] = []

    # Answers are put on their scales first: each column is recoded once per distinct
    # value (a million rows hold a few dozen distinct answers).
    answers: dict[str, pd.Series] = {}
    answer_problems: list[Problem] = []
    for key in answer_keys:
        answers[key], key_problems = _normalise_answers(raw, key, scale_of[key], reference,
                                                        value_labels.get(key, {}))
        answer_problems += key_problems
    filled = _filled(raw, answer_keys)
    no_kommune = raw["kommune"].astype(str).str.strip() == ""
    empty = no_kommune & ~filled
    no_answers = ~no_kommune & ~filled
    if not respondent_level:
        too_many = _too_many_rows(raw[filled], len(reference.kommuner))
        if too_many:
            return CleanYear(pd.DataFrame(), _excluded(raw.iloc[:0], "", ""), 0, [too_many])
    excluded = _excluded(raw[empty], "empty_response", EXCLUSION_KINDS["empty_response"])
    problems += _per_row(raw, raw.index[no_kommune & filled], "kommune", lambda i: Problem(
        "Besvarelsen har svar, men ingen kommune.",
        "Udfyld kommunen i eksporten (navn eller 3-cifret kode), eller slet rækken hvis den "
        "ikke er en rigtig besvarelse.", file=raw.at[i, "source_file"],
        row=int(raw.at[i, "source_row"]), column="kommune", code="response.kommune_missing"))
    excluded = pd.concat([excluded, _without_answers(raw[no_answers], reference)],
                         ignore_index=True)
    rows = raw[filled & ~no_kommune].copy() if not filled.all() or no_kommune.any() \
        else raw.copy(deep=False)

    kode, kommune_problems = _resolve_kommune(rows, reference)
    problems += kommune_problems
    rows["kommune_kode"] = kode

    for key in answer_keys:
        rows[key] = answers[key][rows.index]
    problems += answer_problems

    if "besvaret" in rows:
        rows["besvaret"], time_problems = _parse_timestamps(rows)
        problems += time_problems
    else:
        rows["besvaret"] = pd.NaT

    problems += _check_skip_logic(rows, reference)
    dated = rows.loc[rows["besvaret"].notna(), ["source_file", "source_row", "besvaret"]]
    if problems:
        return CleanYear(pd.DataFrame(), excluded, 0, problems, dated)

    if respondent_level:
        kept, duplicates = rows, _excluded(rows.iloc[:0], "", "")
    else:
        kept, duplicates = _drop_duplicates(rows)
    excluded = pd.concat([excluded, duplicates], ignore_index=True)
    kept = kept.assign(**_kommune_columns(kept["kommune_kode"], reference))
    ordered = ["year", "kommune_kode", "kommune", "centralbibliotek", "source_file",
               "source_row", "besvaret", *answer_keys]
    kept = kept[ordered].sort_values("kommune_kode", kind="stable").reset_index(drop=True)
    return CleanYear(kept, excluded, len(duplicates), [], dated)


def _filled(raw: pd.DataFrame, answer_keys: list[str]) -> pd.Series:
    """Rows with at least one answer cell that is not blank (any answer counts, also "Ved
    ikke", and also one off the scale, which stops the run anyway)."""
    filled = np.zeros(len(raw), bool)
    for key in answer_keys:
        codes, uniques = pd.factorize(raw[key].astype(str))
        blank = np.array([normalise_text(u) == "" for u in uniques] + [True])
        filled |= ~blank.take(codes)
    return pd.Series(filled, index=raw.index)


def _without_answers(rows: pd.DataFrame, reference: Reference) -> pd.DataFrame:
    """Rows with a municipality but no answer, for excluded_rows.csv: the municipality's
    code where it can be read (an unreadable one does not stop the run: the row counts for
    nothing)."""
    if rows.empty:
        return _excluded(rows, "no_answers", "")
    kode, _ = _resolve_kommune(rows, reference)
    rows = rows.assign(kommune_kode=kode)
    when = rows["besvaret"].astype(str).str.strip() if "besvaret" in rows else None
    reason = EXCLUSION_KINDS["no_answers"] + ": intet spørgsmål er besvaret, så rækken " \
        "tæller ikke som svar og erstatter ingen af kommunens besvarelser"
    if when is not None:
        reason = when.map(lambda t, r=reason: f"{r} (tidspunkt {t})" if t else r)
    return _excluded(rows, "no_answers", reason)


def _too_many_rows(rows: pd.DataFrame, population: int) -> Problem | None:
    """Far more rows than municipalities: say so once, instead of dropping thousands of
    rows as duplicates (or listing each one's problems)."""
    limit = MAX_ROWS_PER_MUNICIPALITY * population
    if len(rows) <= limit:
        return None
    per_file = rows["source_file"].value_counts(sort=False)
    year = int(rows["year"].iloc[0])
    files = "" if len(per_file) == 1 else " (" + ", ".join(
        f"{name}: {number(n)}" for name, n in per_file.items()) + ")"
    return Problem(
        f"Året {year} har {number(len(rows))} besvarelser{files}, men der er kun "
        f"{population} kommuner, og hver kommune svarer én gang (højst {limit} rækker "
        "accepteres).",
        "Tjek at eksporten kun indeholder årets besvarelser fra folkebibliotekerne (ikke fx "
        "alle år, testbesvarelser eller en borgerundersøgelse), og eksportér den igen. Er det "
        "en undersøgelse med mange besvarelser pr. kommune, så kør med --respondent-level "
        "(tallene kan så ikke bruges som Bilag 3-tal).",
        file=per_file.index[0] if len(per_file) == 1 else None, code="export.too_many_rows")


def _looks_like_formula(value: object) -> bool:
    return bool(FORMULA.match(str(value)))


def _mojibake_note(value: object) -> str:
    """A sentence for a value that is mis-decoded UTF-8 ("Ã†rÃ¸" for "Ærø"), else ''."""
    fixed = repaired_mojibake(str(value))
    if fixed is None:
        return ""
    return (f' Teksten har forkert tegnsæt: "{str(value).strip()}" skulle nok have været '
            f'"{fixed.strip()}".')


MOJIBAKE_HINT = ("Eksportér filen igen fra survey-værktøjet og læg den i årsmappen uden at "
                 "åbne og gemme den først (den er gemt med forkert tegnsæt), og kør igen.")


def _per_row(rows: pd.DataFrame, index: pd.Index, column: str,
             build: Callable[[object], Problem]) -> list[Problem]:
    """One Problem per bad row, up to MAX_ROW_PROBLEMS, then one line for the rest."""
    problems = [build(i) for i in index[:MAX_ROW_PROBLEMS]]
    rest = index[MAX_ROW_PROBLEMS:]
    if len(rest):
        examples = ", ".join(str(int(rows.at[i, "source_row"])) for i in rest[:5])
        problems.append(Problem(
            f"Samme problem i yderligere {len(rest)} rækker (fx række {examples}).",
            "Ret problemet i hele kolonnen (det er sandsynligvis systematisk: en forkert "
            "kolonne, et andet format eller talkoder), og kør igen.",
            file=rows.at[rest[0], "source_file"], column=column, code="rows.more_of_the_same"))
    return problems


def _excluded(rows: pd.DataFrame, reason_code: str | pd.Series,
              reason: str | pd.Series) -> pd.DataFrame:
    out = pd.DataFrame({
        "year": rows["year"].astype(int),
        "source_file": rows["source_file"],
        "source_row": rows["source_row"].astype(int),
        "kommune_kode": rows.get("kommune_kode", pd.NA),
        "reason_code": reason_code,
        "reason": reason,
    })
    return out[EXCLUDED_COLUMNS].reset_index(drop=True)


def not_completed_exclusions(year: int, rows: pd.DataFrame,
                             reference: Reference) -> pd.DataFrame:
    """SurveyXact responses that were not completed, as rows of excluded_rows.csv: left out
    because only completed responses count, each with its status in words. The
    municipality is named where the export has one that is known, so that the rows count
    in their region; none is required (a response never begun has none)."""
    if rows.empty:
        return _excluded(rows.assign(year=year), "", "")
    lookup = reference.kommune_lookup()
    kode = pd.array([_kommune_code(str(v), lookup) for v in rows["kommune"]], dtype="Int64")
    kode[kode == -1] = pd.NA
    status = rows["status"].astype(int)
    assert not (status == COMPLETED).any()
    reason = status.map(lambda n: f"Ikke gennemført: status {STATUS_TEXT[n]} i SurveyXact; "
                                  "kun gennemførte besvarelser tæller")
    return _excluded(rows.assign(year=year, kommune_kode=kode), status.map(NOT_COMPLETED_CODES),
                     reason)


def _recode(values: pd.Series, decide: Callable[[str], object]) -> tuple[np.ndarray, np.ndarray]:
    """Decide once per distinct value, then spread the decisions to all rows (a million
    rows hold a few dozen distinct answers). Returns (per-row results, codes)."""
    codes, uniques = pd.factorize(values.astype(str))
    decided = np.array([decide(u) for u in uniques] + [None], dtype=object)
    return decided.take(codes), codes


def _kommune_columns(kode: pd.Series, reference: Reference) -> dict[str, pd.Categorical]:
    """Official name and CB region per row, as categoricals (small and fast to group)."""
    kommuner = reference.kommuner.set_index("kode")
    positions = kommuner.index.get_indexer(kode.to_numpy(dtype="int64", na_value=-1))
    return {"kommune": pd.Categorical.from_codes(positions, kommuner["navn"].tolist()),
            "centralbibliotek": pd.Categorical.from_codes(
                pd.Index(reference.centralbiblioteker).get_indexer(
                    kommuner["centralbibliotek"].to_numpy()[positions]),
                reference.centralbiblioteker)}


def _kommune_code(value: str, lookup: dict[str, int]) -> int:
    """A municipality's code from a name or code as written; -1 when it is none of them."""
    key = normalise_kommune(value)
    if CODE_PATTERN.match(key):
        key = str(int(float(key)))
    return lookup.get(key, -1)


def _resolve_kommune(rows: pd.DataFrame, reference: Reference) -> tuple[pd.Series, list[Problem]]:
    lookup = reference.kommune_lookup()
    decided, _ = _recode(rows["kommune"], lambda value: _kommune_code(value, lookup))
    kode = pd.array(decided.astype("int64"), dtype="Int64")
    kode[kode == -1] = pd.NA
    kode = pd.Series(kode, index=rows.index)

    def problem(i: object) -> Problem:
        value = rows.at[i, "kommune"]
        key = normalise_kommune(value)
        if CODE_PATTERN.match(key):
            message = f"Kommunekoden {int(float(key))} er ikke en af de 98 kommuners koder."
            code = "response.kommune_code_unknown"
            hint = ("Ret koden i eksporten; de gyldige koder står i "
                    "pipeline/reference/kommuner.csv.")
        elif _looks_like_formula(value):
            message = "Cellen indeholder en formel, ikke en kommune."
            code = "response.kommune_formula"
            hint = ("Skriv kommunens navn eller 3-cifrede kode i cellen i stedet for formlen "
                    "(i Excel: kopiér kolonnen og indsæt som værdier), og kør igen.")
        elif _mojibake_note(value):
            message = "Kommunen kan ikke genkendes." + _mojibake_note(value)
            code = "response.kommune_mojibake"
            hint = MOJIBAKE_HINT
        else:
            close = reference.closest_kommuner(value)
            maybe = f" Mente du: {', '.join(close)}?" if close else ""
            message = f"Kommunen kan ikke genkendes som en af de 98 kommuner.{maybe}"
            code = "response.kommune_unknown"
            hint = ("Ret stavemåden i eksporten, eller tilføj stavemåden som alias i "
                    "pipeline/reference/kommune_aliases.csv, og kør igen.")
        return Problem(message, hint, file=rows.at[i, "source_file"],
                       row=int(rows.at[i, "source_row"]), column="kommune", value=value,
                       code=code)

    return kode, _per_row(rows, rows.index[kode.isna().to_numpy()], "kommune", problem)


def _normalise_answers(rows: pd.DataFrame, key: str, scale: str, reference: Reference,
                       labels: dict[str, str]) -> tuple[pd.Series, list[Problem]]:
    """Each distinct answer text -> its label on the scale (or a numeric code through the
    codebook's value labels); the column comes back as a categorical of the scale."""
    names = reference.scale_answers(scale)["answer"].tolist()
    answers = {normalise_text(a): a for a in names}

    position = {name: i for i, name in enumerate(names)}
    blank, unknown = -1, -2

    def decide(value: str) -> int:
        norm = normalise_text(value)
        if norm == "":
            return blank
        if norm in answers:
            return position[answers[norm]]
        if labels and _code_key(norm) in labels:
            return position[labels[_code_key(norm)]]
        return unknown

    decided, _ = _recode(rows[key], decide)
    codes = decided.astype(np.int16)
    unreadable = codes == unknown
    column = pd.Series(pd.Categorical.from_codes(np.where(unreadable, blank, codes), names),
                       index=rows.index)
    if not unreadable.any():
        return column, []
    example = f"1={names[0]}; 2={names[1]}; 9=Ved ikke"

    def problem(i: object) -> Problem:
        v = rows.at[i, key]
        if CODE_PATTERN.match(normalise_text(v)) and not labels:
            message = ("Svaret er en talkode, men kodebogen siger ikke, hvilket svar koden "
                       "står for.")
            code = "response.code_without_label"
            hint = (f"Tilføj value_labels i kodebogens række for '{key}', fx "
                    f'"{example}" (se README).')
        elif _looks_like_formula(v):
            message = f"Cellen indeholder en formel, ikke et svar på spørgsmålet '{key}'."
            code = "response.answer_formula"
            hint = (f"Skriv svaret som tekst i stedet for formlen; gyldige svar er: "
                    f"{', '.join(names)}.")
        elif _mojibake_note(v):
            message = (f'Svaret findes ikke på skalaen "{scale}" for spørgsmålet \'{key}\'.'
                       + _mojibake_note(v))
            code = "response.answer_mojibake"
            hint = MOJIBAKE_HINT
        else:
            message = f'Svaret findes ikke på skalaen "{scale}" for spørgsmålet \'{key}\'.'
            code = "response.answer_off_scale"
            hint = f"Gyldige svar er: {', '.join(names)}. Ret svaret i eksporten."
            if labels:
                hint += f" Talkoder i kodebogen: {', '.join(sorted(labels))}."
        return Problem(message, hint, file=rows.at[i, "source_file"],
                       row=int(rows.at[i, "source_row"]), column=key, value=v, code=code)

    return column, _per_row(rows, rows.index[unreadable], key, problem)


def _code_key(norm: str) -> str:
    return str(int(float(norm))) if CODE_PATTERN.match(norm) else norm


def _parse_timestamps(rows: pd.DataFrame) -> tuple[pd.Series, list[Problem]]:
    """Try each accepted format on the distinct texts, then spread to all rows."""
    codes, uniques = pd.factorize(rows["besvaret"].astype(str).str.strip())
    text = pd.Series(uniques, dtype=object)
    parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    for fmt in TIMESTAMP_FORMATS:
        todo = parsed.isna() & (text != "")
        if not todo.any():
            break
        parsed[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce")
    failed = (parsed.isna() & (text != "")).to_numpy()
    per_row = pd.Series(np.append(parsed.to_numpy(), np.datetime64("NaT")).take(codes),
                        index=rows.index)
    bad = rows.index[np.append(failed, False).take(codes)]
    problems = _per_row(rows, bad, "besvaret", lambda i: Problem(
        "Cellen indeholder en formel, ikke et tidspunkt." if _looks_like_formula(
            rows.at[i, "besvaret"]) else
        "Tidspunktet for besvarelsen kan ikke læses som dato og tid.",
        "Skriv tidspunktet som 2024-03-15 14:30 eller 15-03-2024 14:30, eller lad feltet stå "
        "tomt.", file=rows.at[i, "source_file"], row=int(rows.at[i, "source_row"]),
        column="besvaret", value=rows.at[i, "besvaret"], code="response.timestamp_unreadable"))
    return per_row, problems


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

        def problem(i: object, question: str = question,
                    participation: str = participation) -> Problem:
            stated = rows.at[i, participation]
            state = "ikke besvaret" if pd.isna(stated) else f'"{stated}"'
            return Problem(
                f"'{question}' er besvaret, men deltagelsesspørgsmålet '{participation}' er "
                f"{state}; spørgsmålet stilles kun til biblioteker, der har svaret Ja.",
                f"Tjek besvarelsen: ret '{participation}' til Ja, eller slet svaret i "
                f"'{question}'.", file=rows.at[i, "source_file"],
                row=int(rows.at[i, "source_row"]), column=question, value=rows.at[i, question],
                code="response.skip_logic")

        problems += _per_row(rows, rows.index[answered & ~took_part], question, problem)
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
        return kept.drop(columns="_order"), _excluded(dropped, "", "")
    winner = kept.set_index("kommune_kode")
    reason = dropped["kommune_kode"].map(
        lambda k: "Dublet: kommunen har en senere besvarelse ({}, række {}), som bruges"
        .format(winner.at[k, "source_file"], winner.at[k, "source_row"]))
    return kept.drop(columns="_order"), _excluded(dropped, "duplicate", reason)
