"""Read the analyst's `surveys/` folder: one folder per year with exports and a codebook.

Only the columns the codebook names are kept, renamed to question keys; every other
column of an export (names, e-mails, free-text comments) is dropped here, at the
edge, and never reaches a later step or an output.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipeline.errors import InputError, Problem, raise_if_any
from pipeline.readers import Table, clean_header, read_table, repaired_mojibake, sha256
from pipeline.reference import Reference, normalise_text

CODEBOOK = "codebook.csv"
SYNTHETIC_MARKER = "SYNTETISKE_DEMODATA.txt"
EXPORT_SUFFIXES = {".xlsx", ".csv"}
UNSUPPORTED_SUFFIXES = {".xls", ".xlsm", ".xlsb", ".ods", ".numbers", ".tsv", ".json", ".sav"}
"""Data formats we do not read: an error, so that an export is never silently skipped."""
ROOT_INPUTS = ("national_figures", "judgements")
"""Input sheets that live in the surveys folder itself (see national.py)."""
YEAR_PATTERN = re.compile(r"^(19|20)\d\d$")
MATCH_COLUMN = "match"
CONFIRMED_COLUMN = "confirmed"
CONFIRMED_WORDS = {"ja", "j", "yes", "x"}
"""What counts as confirmed in the codebook's `confirmed` column (the README says: ja)."""


@dataclass(frozen=True)
class InputFile:
    """An input the figures depend on, recorded in the manifest with its hash."""

    path: str
    kind: str
    sha256: str
    bytes: int


@dataclass
class CodebookEntry:
    column: str
    key: str
    value_labels: dict[str, str] = field(default_factory=dict)
    row: int = 0
    match: str = ""
    """How add-year proposed the row (`exact`, `close (0.87)`, `none`), for the analyst."""
    confirmed: bool = True
    """False only when the codebook has a `confirmed` column and the row is not marked."""


@dataclass
class Codebook:
    path: Path
    entries: list[CodebookEntry]

    @property
    def keys(self) -> list[str]:
        return [e.key for e in self.entries if e.key]

    def value_labels(self) -> dict[str, dict[str, str]]:
        return {e.key: e.value_labels for e in self.entries if e.key and e.value_labels}


@dataclass
class SurveyYear:
    year: int
    folder: Path
    codebook: Codebook
    raw: pd.DataFrame
    """One row per export row: source_file, source_row and one text column per key."""
    blank_rows: dict[str, list[int]]
    """Rows with no content at all, per export file: skipped, and counted in quality.csv."""


@dataclass
class SurveyInput:
    root: Path
    years: list[SurveyYear]
    inputs: list[InputFile]
    synthetic: bool
    ignored: list[str]


def display_path(path: Path) -> str:
    """Paths in messages and outputs: relative to the working folder where possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def read_surveys(root: Path, reference: Reference) -> SurveyInput:
    """Find and read every year folder; collect all problems before raising."""
    if not root.is_dir():
        raise InputError([Problem(
            "Mappen med survey-data findes ikke.",
            "Angiv den rigtige mappe med --surveys, eller opret den med én undermappe pr. år.",
            file=display_path(root))])
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
                    "survey-mappen.", file=display_path(entry)))
        elif entry.suffix.lower() in EXPORT_SUFFIXES | UNSUPPORTED_SUFFIXES:
            if entry.stem not in ROOT_INPUTS:
                problems.append(Problem(
                    "Datafilen ligger direkte i survey-mappen og hører ikke til noget år.",
                    f"Læg eksporter i en undermappe pr. år (fx {display_path(root)}/2024/). Kun "
                    "national_figures og judgements ligger i selve survey-mappen.",
                    file=display_path(entry)))
        elif entry.name != SYNTHETIC_MARKER:
            ignored.append(display_path(entry))
    if not year_dirs and not problems:
        problems.append(Problem(
            "Survey-mappen indeholder ingen årsmapper.",
            "Opret en mappe pr. år (fx 2024/) med eksporten og codebook.csv.",
            file=display_path(root)))
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
            file=display_path(folder))])
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
                file=display_path(entry)))
        else:
            ignored.append(display_path(entry))
    if not exports and not problems:
        problems.append(Problem(
            f"Året {year} har en kodebog, men ingen eksport (.xlsx eller .csv).",
            "Læg survey-eksporten i årsmappen.", file=display_path(folder)))
    raise_if_any(problems)

    frames: list[pd.DataFrame] = []
    blank_rows: dict[str, list[int]] = {}
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
        inputs.append(InputFile(display_path(path), "survey_export", sha256(data), len(data)))
    raise_if_any(problems)
    raw = pd.concat(frames, ignore_index=True)
    raw.insert(0, "year", year)
    return SurveyYear(year, folder, codebook, raw, blank_rows), inputs, ignored


def _with_display_paths(problems: list[Problem]) -> list[Problem]:
    out = []
    for p in problems:
        if p.file:
            p = Problem(p.message, p.hint, display_path(Path(p.file)), p.row, p.column, p.value)
        out.append(p)
    return out


def read_codebook(path: Path, reference: Reference, data: bytes | None = None, *,
                  require_confirmed: bool = True) -> Codebook:
    """Read and check a codebook: known keys, each key and header once, kommune present.

    A codebook proposed by add-year has a `confirmed` column; a row that reads a column
    as a question key but is not confirmed stops the run (unless `require_confirmed` is
    False, for add-year itself), so that a guessed match never becomes a figure unseen.
    Codebooks without the column are taken as confirmed.
    """
    table = read_table(path, data, rows_name="rækker med overskrift og nøgle")
    where = display_path(path)
    columns = {normalise_text(h): h for h in table.cells.columns}
    missing = [c for c in ("column", "key") if c not in columns]
    if missing:
        raise InputError([Problem(
            f"Kodebogen mangler kolonnen/kolonnerne {', '.join(missing)}.",
            "Kodebogen skal have overskrifterne column,key (og evt. value_labels).",
            file=where, row=1)])
    known_keys = set(reference.questions["key"])
    scale_of = reference.question_scale()
    problems: list[Problem] = []
    entries: list[CodebookEntry] = []
    seen_columns: dict[str, int] = {}
    seen_keys: dict[str, int] = {}
    labels_col = columns.get("value_labels")
    match_col = columns.get(MATCH_COLUMN)
    confirmed_col = columns.get(CONFIRMED_COLUMN)
    for row, cells in table.cells.iterrows():
        column = " ".join(str(cells[columns["column"]]).split())
        key = normalise_text(cells[columns["key"]])
        if not column:
            problems.append(Problem("Rækken har en nøgle, men ingen kolonneoverskrift.",
                                    "Skriv eksportens overskrift i kolonnen 'column', eller "
                                    "slet rækken.", file=where, row=row, column="column"))
            continue
        if key and key not in known_keys:
            close = difflib.get_close_matches(key, sorted(known_keys), n=3)
            suggestion = f" Mente du: {', '.join(close)}?" if close else ""
            problems.append(Problem(
                f"Nøglen findes ikke blandt spørgsmålene.{suggestion}",
                "Brug en af nøglerne i pipeline/reference/questions.csv, eller lad 'key' stå "
                "tom for en kolonne der ikke skal bruges.", file=where, row=row, column="key",
                value=cells[columns["key"]]))
            continue
        if column in seen_columns:
            problems.append(Problem(
                f"Overskriften står to gange i kodebogen (også i række {seen_columns[column]}).",
                "Slet den ene række.", file=where, row=row, column="column", value=column))
            continue
        seen_columns[column] = row
        if key and key in seen_keys:
            problems.append(Problem(
                f'To overskrifter er koblet til nøglen "{key}" (også række {seen_keys[key]}).',
                "Hver nøgle må kun komme fra én kolonne i eksporten: ret den ene række, eller "
                "lad dens 'key' stå tom.", file=where, row=row, column="key", value=key))
            continue
        if key:
            seen_keys[key] = row
        value_labels: dict[str, str] = {}
        if labels_col and str(cells[labels_col]).strip():
            value_labels, label_problems = parse_value_labels(
                str(cells[labels_col]), scale_of.get(key), reference, where, row)
            problems.extend(label_problems)
        match = " ".join(str(cells[match_col]).split()) if match_col else ""
        confirmed = (confirmed_col is None
                     or normalise_text(cells[confirmed_col]) in CONFIRMED_WORDS)
        if key and not confirmed and require_confirmed:
            problems.append(_unconfirmed(path, where, int(row), column, key, match,
                                         str(cells[confirmed_col]).strip()))
        entries.append(CodebookEntry(column, key, value_labels, int(row), match, confirmed))
    if not problems and "kommune" not in seen_keys:
        problems.append(Problem(
            "Kodebogen kobler ingen kolonne til nøglen 'kommune', så besvarelserne kan ikke "
            "knyttes til en kommune.",
            "Tilføj en række med eksportens kommune-overskrift og key = kommune.", file=where))
    raise_if_any(problems)
    return Codebook(path, entries)


def _unconfirmed(path: Path, where: str, row: int, column: str, key: str, match: str,
                 value: str) -> Problem:
    """The analyst has not yet looked at a proposed row: say which, and the command to use."""
    how = f" (match: {match})" if match else ""
    year = path.parent.name if YEAR_PATTERN.match(path.parent.name) else "ÅR"
    surveys = display_path(path.parent.parent)
    option = "" if surveys == "surveys" else f" --surveys {_quoted(surveys)}"
    command = f"python -m pipeline confirm-codebook {year}{option}"
    return Problem(
        f'Rækken er ikke bekræftet: overskriften "{column}" er foreslået læst som nøglen '
        f'"{key}"{how}.',
        f'Er forslaget rigtigt, så kør "{command}" (bekræfter alle rækker), eller skriv ja i '
        f'kolonnen confirmed. Er det forkert, så kør "{command} --row {row} --key NØGLE" med '
        'den rigtige nøgle (--key "" hvis kolonnen ikke skal læses).',
        file=where, row=row, column=CONFIRMED_COLUMN, value=value or None)


def _quoted(text: str) -> str:
    return f'"{text}"' if " " in text else text


def parse_value_labels(text: str, scale: str | None, reference: Reference, where: str,
                       row: int) -> tuple[dict[str, str], list[Problem]]:
    """Parse `1=Meget tilfreds; 2=Tilfreds; 9=Ved ikke` into code -> answer on the scale."""
    problems: list[Problem] = []
    labels: dict[str, str] = {}
    if scale is None:
        return {}, [Problem("Svarkoder (value_labels) kan kun gives for spørgsmål med en "
                            "svarskala.", "Slet value_labels i rækken.", file=where, row=row,
                            column="value_labels", value=text)]
    answers = {normalise_text(a): a for a in reference.scale_answers(scale)["answer"]}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        code, sep, label = part.partition("=")
        if not sep or not code.strip():
            problems.append(Problem(
                'Svarkoderne skal skrives som "kode=svar", adskilt af semikolon.',
                'Skriv fx "1=Meget tilfreds; 2=Tilfreds; 9=Ved ikke".', file=where, row=row,
                column="value_labels", value=part))
            continue
        answer = answers.get(normalise_text(label))
        if answer is None:
            problems.append(Problem(
                f'Svaret findes ikke på skalaen "{scale}".',
                f"Brug et af svarene: {', '.join(answers.values())}.", file=where, row=row,
                column="value_labels", value=label.strip()))
            continue
        labels[normalise_text(code)] = answer
    return labels, problems


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
            "kør igen.", file=where))
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
                column=entry.column))
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
            hint + ".", file=where, column=entry.column))
    raise_if_any(problems)
    frame = table.cells[list(selected)].rename(columns=selected)
    frame = frame.reset_index().rename(columns={"row": "source_row"})
    frame.insert(0, "source_file", display_path(table.path))
    return frame
