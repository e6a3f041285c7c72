"""Read the analyst's `surveys/` folder: one folder per year with exports and a codebook.

Only the columns the codebook names are kept, renamed to question keys; every other
column of an export (names, e-mails, free-text comments) is dropped here, at the
edge, and never reaches a later step or an output.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from pipeline.errors import InputError, Problem, raise_if_any
from pipeline.field_period import FieldPeriod, default_period
from pipeline.files import InputFile, display_path, sha256
from pipeline.invisible import describe_hidden, skeleton
from pipeline.read.codebook import Codebook, read_codebook
from pipeline.read.codebook_consistency import codebook_contradictions
from pipeline.read.listing import (  # noqa: F401  (re-exported: where callers look for them)
    EXPORT_SUFFIXES,
    ROOT_INPUTS,
    SYNTHETIC_MARKER,
    UNSUPPORTED_SUFFIXES,
    InputListing,
    YearFiles,
    list_inputs,
    read_input,
)
from pipeline.read.period import read_field_period
from pipeline.read.surveyxact import SurveyXactYear, find_surveyxact, read_year_exports
from pipeline.read.tables import Table, clean_header, read_table, repaired_mojibake
from pipeline.reference import Reference


@dataclass
class SurveyYear:
    year: int
    folder: Path
    codebook: Codebook
    raw: pd.DataFrame
    """One row per export row: source_file, source_row and one text column per key."""
    blank_rows: dict[str, list[int]]
    """Rows with no content at all, per export file: skipped, and counted in quality.csv."""
    headers: dict[str, list[str]] = field(default_factory=dict)
    """Every export's headers as read, per file, so `check` can name the columns the
    codebook leaves out without reading the file again."""
    period: FieldPeriod | None = None
    """When the year's responses may be dated: periode.csv, or the default rule."""
    surveyxact: SurveyXactYear | None = None
    """The year's SurveyXact exports (their rows are in `raw` too): the responses left
    out as not completed, and which exports have status columns."""
    not_responses: frozenset[str] = frozenset()
    """Files of the year that hold no responses (SurveyXact's Structure and Labels), which
    may well be the same in two years."""


@dataclass
class SurveyInput:
    root: Path
    years: list[SurveyYear]
    inputs: list[InputFile]
    synthetic: bool
    ignored: list[str]
    listing: InputListing | None = None
    """Which files are inputs (one rule for run, check and the freshness check)."""


def read_surveys(root: Path, reference: Reference) -> SurveyInput:
    """Find and read every year folder; collect all problems before raising."""
    listing = list_inputs(root)
    raise_if_any(listing.problems)
    problems: list[Problem] = []
    years: list[SurveyYear] = []
    inputs: list[InputFile] = []
    for files in listing.years:
        try:
            year, year_inputs = _read_year(files, reference)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        years.append(year)
        inputs.extend(year_inputs)
    problems += same_exports(inputs, frozenset().union(*(y.not_responses for y in years)))
    problems += codebook_contradictions({y.year: y.codebook for y in years}, reference)
    raise_if_any(problems)
    marker = listing.synthetic_marker
    if marker is not None:
        data = read_input(marker)
        inputs.append(InputFile(display_path(marker), "synthetic_marker", sha256(data),
                                len(data)))
    return SurveyInput(root=root, years=years, inputs=inputs, synthetic=marker is not None,
                       ignored=[display_path(p) for p in listing.ignored], listing=listing)


def same_exports(inputs: list[InputFile], not_responses: frozenset[str] = frozenset()
                 ) -> list[Problem]:
    """The same export content (SHA-256) read twice: last year's file copied (or linked)
    into this year's folder, or one export saved under two names, would count its
    responses twice or in the wrong year. Files that hold no responses (`not_responses`:
    SurveyXact's Structure and Labels, the same for an unchanged questionnaire) aside."""
    seen: dict[str, InputFile] = {}
    problems = []
    for item in inputs:
        if item.kind != "survey_export" or item.path in not_responses:
            continue
        first = seen.setdefault(item.sha256, item)
        if first is item:
            continue
        first_year, year = Path(first.path).parent.name, Path(item.path).parent.name
        where = (f"både i {first_year} og i {year}" if first_year != year else
                 f"to gange i {year}")
        problems.append(Problem(
            f"Eksporten har nøjagtig samme indhold som {first.path} (samme SHA-256), så de samme "
            f"besvarelser ville blive talt {where}.",
            f"Slet den fil, der ikke hører til {year} (eller genvejen til den), og læg årets "
            "egen eksport i årsmappen; kør så igen.", file=item.path,
            code="surveys.same_export_twice"))
    return problems


def _read_year(files: YearFiles, reference: Reference) -> tuple[SurveyYear, list[InputFile]]:
    assert files.codebook is not None  # the listing refuses a year without one
    codebook_path = files.codebook
    codebook_bytes = read_input(codebook_path)
    codebook = read_codebook(codebook_path, reference, codebook_bytes)
    inputs = [InputFile(display_path(codebook_path), "codebook", sha256(codebook_bytes),
                        len(codebook_bytes))]
    problems: list[Problem] = []
    surveyxact, exports = find_surveyxact(files.exports)
    sx_year = SurveyXactYear()
    if surveyxact:
        try:
            sx_year = read_year_exports(surveyxact, codebook)
        except InputError as exc:
            problems.extend(exc.problems)
    frames: list[pd.DataFrame] = list(sx_year.frames)
    blank_rows: dict[str, list[int]] = dict(sx_year.blank_rows)
    headers: dict[str, list[str]] = dict(sx_year.headers)
    inputs += sx_year.inputs
    for path in exports:
        try:
            data = read_input(path)
            table = read_table(path, data, header_names=[e.column for e in codebook.entries
                                                         if e.key])
            frames.append(_apply_codebook(table, codebook))
        except InputError as exc:
            problems.extend(_with_display_paths(exc.problems))
            continue
        blank_rows[display_path(path)] = table.blank_rows
        headers[display_path(path)] = table.headers
        inputs.append(InputFile(display_path(path), "survey_export", sha256(data), len(data)))
    period, period_inputs = _field_period(files, problems)
    inputs += period_inputs
    raise_if_any(problems)
    raw = pd.concat(frames, ignore_index=True).sort_values("source_file", kind="stable",
                                                           ignore_index=True)
    if "besvaret" in raw:  # closetime of a SurveyXact export beside a plain one without
        raw["besvaret"] = raw["besvaret"].fillna("")
    raw.insert(0, "year", files.year)
    not_responses = frozenset(display_path(p) for f in surveyxact for p in f.paths
                              if p != f.source)
    return SurveyYear(files.year, files.folder, codebook, raw, blank_rows, headers, period,
                      sx_year if surveyxact else None, not_responses), inputs


def _field_period(files: YearFiles, problems: list[Problem]
                  ) -> tuple[FieldPeriod | None, list[InputFile]]:
    """The year's stated field period (periode.csv), else the default rule."""
    if files.period is None:
        return default_period(files.year), []
    try:
        data = read_input(files.period)
        period = read_field_period(files.period, data, files.year)
    except InputError as exc:
        problems.extend(_with_display_paths(exc.problems))
        return None, []
    return period, [InputFile(display_path(files.period), "field_period", sha256(data),
                              len(data))]


def _with_display_paths(problems: list[Problem]) -> list[Problem]:
    return [replace(p, file=display_path(Path(p.file))) if p.file else p for p in problems]


def _garbled_headers(table: Table, codebook: Codebook) -> list[tuple[str, str]]:
    """Export headers that are a codebook header in mis-decoded UTF-8 ("lÃ¦sesporet"):
    (header, what it should be), so that the cause is named instead of each header."""
    wanted = {e.column for e in codebook.entries if e.key} - set(table.headers)
    out = []
    for header in table.headers:
        fixed = repaired_mojibake(header)
        if fixed is not None and clean_header(fixed) in wanted:
            out.append((header, clean_header(fixed)))
    return out


def _lookalike_header(header: str, headers: list[str]) -> str | None:
    """An export header that looks exactly like the codebook's, but differs by a character
    no one can see (a zero-width space, a soft hyphen, a letter of another alphabet)."""
    if not (describe_hidden(header) or any(describe_hidden(h) for h in headers)):
        return None
    wanted = skeleton(header)
    return next((h for h in headers if h != header and skeleton(h) == wanted), None)


def _lookalike_problem(entry, export_header: str, table: Table, codebook: Codebook) -> Problem:
    """Name the invisible difference, on the side that has it."""
    if describe_hidden(export_header):
        return Problem(
            f"Eksportens overskrift ser ud som kodebogens overskrift for nøglen '{entry.key}', "
            "men er ikke den samme.",
            "Skriv overskriften forfra i eksporten (eller eksportér igen), så den er præcis som "
            f"i kodebogens række {entry.row} ({display_path(codebook.path)}), og kør igen.",
            file=str(table.path), row=1, value=export_header,
            code="export.header_hidden_character")
    return Problem(
        f"Kodebogens overskrift for nøglen '{entry.key}' ser ud som eksportens, men er ikke den "
        "samme.",
        "Skriv overskriften forfra i kodebogen (kopiér den ikke), så den er præcis som i "
        "eksporten, og kør igen.", file=display_path(codebook.path), row=entry.row,
        column="column", value=entry.column, code="codebook.header_hidden_character")


def _apply_codebook(table: Table, codebook: Codebook) -> pd.DataFrame:
    """Keep the codebook's columns, renamed to keys; the rest of the export is dropped."""
    where = str(table.path)
    problems: list[Problem] = []
    selected: dict[str, str] = {}
    garbled = _garbled_headers(table, codebook)
    if garbled:
        header, meant = garbled[0]
        problems.append(Problem(
            f'Eksportens tekst har forkert tegnsæt: overskriften "{header}" skulle have været '
            f'"{meant}" (æ, ø og å er blevet til fx Ã¦, Ã¸ og Ã¥), og det samme gælder '
            "sandsynligvis kommuner og svar.",
            "Filen er på et tidspunkt åbnet med forkert tegnsæt og gemt igen. Eksportér den igen "
            "fra survey-værktøjet og læg den i årsmappen uden at åbne og gemme den først, og "
            "kør igen.", file=where, code="export.mojibake_headers"))
    for entry in codebook.entries:
        if not entry.key or entry.column in {meant for _, meant in garbled}:
            continue
        count = table.headers.count(entry.column)
        if count == 1:
            selected[entry.column] = entry.key
            continue
        if count > 1:
            problems.append(Problem(
                f"Overskriften findes {count} gange i eksporten, så det er uklart hvilken "
                "kolonne der er svaret.",
                "Omdøb eller slet de ekstra kolonner i eksporten.", file=where, row=1,
                column=entry.column, code="export.header_twice"))
            continue
        lookalike = _lookalike_header(entry.column, table.headers)
        if lookalike is not None:
            problems.append(_lookalike_problem(entry, lookalike, table, codebook))
            continue
        close = difflib.get_close_matches(entry.column, [h for h in table.headers if h], n=2,
                                          cutoff=0.6)
        hint = (f"Ret overskriften i kodebogens række {entry.row} "
                f"({display_path(codebook.path)}), så den står præcis som i eksporten")
        if close:
            hint += f' (tættest i eksporten: "{close[0]}")'
        if table.other_sheets:
            hint += (f'. Kun det første ark ("{table.sheet}") læses; eksporten har også arkene '
                     f"{', '.join(table.other_sheets)}: flyt data til det første ark")
        problems.append(Problem(
            f"Kodebogens overskrift for nøglen '{entry.key}' findes ikke i eksporten.",
            hint + ".", file=where, column=entry.column, code="export.header_missing"))
    raise_if_any(problems)
    frame = table.cells[list(selected)].rename(columns=selected)
    frame = frame.reset_index().rename(columns={"row": "source_row"})
    frame.insert(0, "source_file", display_path(table.path))
    return frame
