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
from pipeline.files import YEAR_PATTERN, InputFile, display_path, sha256
from pipeline.read.codebook import CODEBOOK, Codebook, read_codebook
from pipeline.read.surveyxact import SurveyXactYear, find_surveyxact, read_year_exports
from pipeline.read.tables import Table, clean_header, read_table, repaired_mojibake
from pipeline.reference import Reference

SYNTHETIC_MARKER = "SYNTETISKE_DEMODATA.txt"
EXPORT_SUFFIXES = {".xlsx", ".csv"}
UNSUPPORTED_SUFFIXES = {".xls", ".xlsm", ".xlsb", ".ods", ".numbers", ".tsv", ".json", ".sav"}
"""Data formats we do not read: an error, so that an export is never silently skipped."""
ROOT_INPUTS = ("national_figures", "judgements")
"""Input sheets that live in the surveys folder itself (see national.py)."""


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
    surveyxact: SurveyXactYear | None = None
    """The year's SurveyXact exports (their rows are in `raw` too): the responses left
    out as not completed, and which exports have status columns."""


@dataclass
class SurveyInput:
    root: Path
    years: list[SurveyYear]
    inputs: list[InputFile]
    synthetic: bool
    ignored: list[str]


def read_surveys(root: Path, reference: Reference) -> SurveyInput:
    """Find and read every year folder; collect all problems before raising."""
    if not root.is_dir():
        raise InputError([Problem(
            "Mappen med survey-data findes ikke.",
            "Angiv den rigtige mappe med --surveys, eller opret den med én undermappe pr. år.",
            file=display_path(root), code="surveys.folder_missing")])
    problems: list[Problem] = []
    ignored: list[str] = []
    year_dirs: list[Path] = []
    for entry in sorted(root.iterdir()):
        if entry.name.startswith((".", "~$", "__")):
            continue
        if entry.is_dir():
            if YEAR_PATTERN.match(entry.name):
                year_dirs.append(entry)
            else:
                problems.append(Problem(
                    "Mappenavnet er ikke et årstal; hver undermappe i survey-mappen skal hedde "
                    "et år (fx 2024).",
                    "Omdøb mappen til årstallet for besvarelserne, eller flyt den ud af "
                    "survey-mappen.", file=display_path(entry), code="surveys.folder_not_a_year"))
        elif entry.suffix.lower() in EXPORT_SUFFIXES | UNSUPPORTED_SUFFIXES:
            if entry.stem not in ROOT_INPUTS:
                problems.append(Problem(
                    "Datafilen ligger direkte i survey-mappen og hører ikke til noget år.",
                    f"Læg eksporter i en undermappe pr. år (fx {display_path(root)}/2024/). Kun "
                    "national_figures og judgements ligger i selve survey-mappen.",
                    file=display_path(entry), code="surveys.data_file_outside_year"))
        elif entry.name != SYNTHETIC_MARKER:
            ignored.append(display_path(entry))
    if not year_dirs and not problems:
        problems.append(Problem(
            "Survey-mappen indeholder ingen årsmapper.",
            "Opret en mappe pr. år (fx 2024/) med eksporten og codebook.csv.",
            file=display_path(root), code="surveys.no_year_folders"))
    raise_if_any(problems)

    years: list[SurveyYear] = []
    inputs: list[InputFile] = []
    for folder in year_dirs:
        try:
            year, year_inputs, year_ignored = _read_year(folder, reference)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        years.append(year)
        inputs.extend(year_inputs)
        ignored.extend(year_ignored)
    raise_if_any(problems)
    return SurveyInput(root=root, years=years, inputs=inputs,
                       synthetic=(root / SYNTHETIC_MARKER).exists(), ignored=ignored)


def _read_year(folder: Path, reference: Reference) -> tuple[SurveyYear, list[InputFile], list[str]]:
    year = int(folder.name)
    codebook_path = folder / CODEBOOK
    if not codebook_path.exists():
        raise InputError([Problem(
            f"Året {year} har ingen {CODEBOOK}, så kolonnerne i eksporten kan ikke kobles til "
            "spørgsmålene.",
            f"Opret {CODEBOOK} med kolonnerne column,key (fx ved at kopiere sidste års og rette "
            "overskrifterne), eller brug 'python -m pipeline add-year'.",
            file=display_path(folder), code="surveys.year_without_codebook")])
    codebook_bytes = codebook_path.read_bytes()
    codebook = read_codebook(codebook_path, reference, codebook_bytes)
    inputs = [InputFile(display_path(codebook_path), "codebook", sha256(codebook_bytes),
                        len(codebook_bytes))]
    exports: list[Path] = []
    ignored: list[str] = []
    problems: list[Problem] = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith((".", "~$")) or entry == codebook_path or entry.is_dir():
            continue
        suffix = entry.suffix.lower()
        if suffix in EXPORT_SUFFIXES:
            exports.append(entry)
        elif suffix in UNSUPPORTED_SUFFIXES:
            problems.append(Problem(
                f'Eksporten er i formatet "{entry.suffix}", som ikke kan læses.',
                "Åbn filen i Excel og gem den som .xlsx (Excel-projektmappe) eller .csv.",
                file=display_path(entry), code="export.format_unsupported"))
        else:
            ignored.append(display_path(entry))
    if not exports and not problems:
        problems.append(Problem(
            f"Året {year} har en kodebog, men ingen eksport (.xlsx eller .csv).",
            "Læg survey-eksporten i årsmappen.", file=display_path(folder),
            code="surveys.year_without_export"))
    raise_if_any(problems)

    surveyxact, exports = find_surveyxact(exports)
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
        data = path.read_bytes()
        try:
            table = read_table(path, data, header_names=[e.column for e in codebook.entries
                                                         if e.key])
            frames.append(_apply_codebook(table, codebook))
        except InputError as exc:
            problems.extend(_with_display_paths(exc.problems))
            continue
        blank_rows[display_path(path)] = table.blank_rows
        headers[display_path(path)] = table.headers
        inputs.append(InputFile(display_path(path), "survey_export", sha256(data), len(data)))
    raise_if_any(problems)
    raw = pd.concat(frames, ignore_index=True).sort_values("source_file", kind="stable",
                                                           ignore_index=True)
    if "besvaret" in raw:  # closetime of a SurveyXact export beside a plain one without
        raw["besvaret"] = raw["besvaret"].fillna("")
    raw.insert(0, "year", year)
    return SurveyYear(year, folder, codebook, raw, blank_rows, headers,
                      sx_year if surveyxact else None), inputs, ignored


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
