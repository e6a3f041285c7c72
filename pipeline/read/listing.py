"""Which files of a surveys folder are inputs: one rule for `run`, `check`, `add-year`,
and the freshness check of the dashboard and the report.

    surveys/
      <year>/                 a folder named as a year (four digits)
        codebook.csv          the year's codebook (name in any case)
        periode.csv|.xlsx     optional: the year's field period (see README)
        *.xlsx, *.csv         the exports
        erstattet/            add-year --replace's archive: never read
      national_figures.csv|.xlsx, judgements.csv|.xlsx
      SYNTETISKE_DEMODATA.txt marks the data as synthetic

- Names starting with ".", "~$" (Excel's lock files) or "__" (__MACOSX) are never
  inputs, at any level below the surveys folder (never above it: a project may live
  under a folder such as ~/.local).
- Suffixes and the fixed names are matched without regard to case
  (`national_figures.CSV`, `Codebook.csv`).
- A symbolic link counts as the file it points to; a link that points nowhere stops the
  run (it would otherwise be skipped unseen).
- Anything that looks like data but cannot be read as an input (an .xls, an export
  directly in the surveys folder, a folder in a year folder holding exports) stops the
  run, so that no export is ever skipped unseen. Other files are listed as not read.

The listing only looks at names and file types; reading is for `pipeline.read.surveys`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import InputError, Problem
from pipeline.files import YEAR_PATTERN, display_path

SKIPPED_PREFIXES = (".", "~$", "__")
EXPORT_SUFFIXES = {".xlsx", ".csv"}
UNSUPPORTED_SUFFIXES = {".xls", ".xlsm", ".xlsb", ".ods", ".numbers", ".tsv", ".json", ".sav"}
"""Data formats we do not read: an error, so that an export is never silently skipped."""
ROOT_INPUTS = ("national_figures", "judgements")
"""Input sheets that live in the surveys folder itself (see read/national_inputs.py)."""
CODEBOOK = "codebook.csv"
FIELD_PERIOD = "periode"
"""The optional file (periode.csv or .xlsx) that states a year's field period."""
BACKUP_FOLDER = "erstattet"
"""Where add-year --replace keeps the files it replaces, inside the year folder."""
SYNTHETIC_MARKER = "SYNTETISKE_DEMODATA.txt"


@dataclass
class YearFiles:
    """The input files of one year folder."""

    year: int
    folder: Path
    codebook: Path | None = None
    period: Path | None = None
    exports: list[Path] = field(default_factory=list)


@dataclass
class InputListing:
    """Every input file of a surveys folder, the files that are not inputs, and what
    stops a run before any file is read."""

    root: Path
    years: list[YearFiles] = field(default_factory=list)
    national: dict[str, Path] = field(default_factory=dict)
    """national_figures / judgements -> the file."""
    synthetic_marker: Path | None = None
    ignored: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def files(self) -> list[Path]:
        """Every input file, in reading order."""
        out: list[Path] = []
        for y in self.years:
            out += [p for p in (y.codebook, y.period) if p is not None] + y.exports
        out += [self.national[s] for s in ROOT_INPUTS if s in self.national]
        if self.synthetic_marker is not None:
            out.append(self.synthetic_marker)
        return out


def skipped(name: str) -> bool:
    """Hidden files and folders, Excel's lock files and archive clutter: never inputs."""
    return name.startswith(SKIPPED_PREFIXES)


def list_inputs(root: Path) -> InputListing:
    """The inputs of the surveys folder `root`; never raises (problems are listed)."""
    listing = InputListing(root)
    problems = listing.problems
    if not root.is_dir():
        what = ("er en fil, ikke en mappe" if root.exists() else "findes ikke")
        problems.append(Problem(
            f"Mappen med survey-data {what}.",
            "Angiv den rigtige mappe med --surveys, eller opret den med én undermappe pr. år.",
            file=display_path(root), code="surveys.folder_missing"))
        return listing
    year_dirs: list[Path] = []
    for entry in _entries(root, problems):
        if entry.is_dir():
            if YEAR_PATTERN.match(entry.name):
                year_dirs.append(entry)
            else:
                problems.append(Problem(
                    "Mappenavnet er ikke et årstal; hver undermappe i survey-mappen skal hedde "
                    "et år (fx 2024).",
                    "Omdøb mappen til årstallet for besvarelserne, eller flyt den ud af "
                    "survey-mappen.", file=display_path(entry), code="surveys.folder_not_a_year"))
            continue
        suffix = entry.suffix.lower()
        stem = entry.stem.casefold()
        if stem in ROOT_INPUTS and suffix in EXPORT_SUFFIXES:
            if stem in listing.national:
                problems.append(Problem(
                    f"Både {listing.national[stem].name} og {entry.name} findes; det er uklart "
                    "hvilken der gælder.", "Slet den ene fil.", file=display_path(root),
                    code="national.csv_and_xlsx"))
            listing.national[stem] = entry
        elif stem in ROOT_INPUTS and suffix in UNSUPPORTED_SUFFIXES:
            problems.append(Problem(
                f'Filen er i formatet "{entry.suffix}", som ikke kan læses.',
                "Åbn filen i Excel og gem den som .xlsx (Excel-projektmappe) eller .csv.",
                file=display_path(entry), code="national.format_unsupported"))
        elif suffix in EXPORT_SUFFIXES | UNSUPPORTED_SUFFIXES:
            problems.append(Problem(
                "Datafilen ligger direkte i survey-mappen og hører ikke til noget år.",
                f"Læg eksporter i en undermappe pr. år (fx {display_path(root)}/2024/). Kun "
                "national_figures og judgements ligger i selve survey-mappen.",
                file=display_path(entry), code="surveys.data_file_outside_year"))
        elif entry.name.casefold() == SYNTHETIC_MARKER.casefold():
            listing.synthetic_marker = entry
        else:
            listing.ignored.append(entry)
    if not year_dirs and not problems:
        problems.append(Problem(
            "Survey-mappen indeholder ingen årsmapper.",
            "Opret en mappe pr. år (fx 2024/) med eksporten og codebook.csv.",
            file=display_path(root), code="surveys.no_year_folders"))
    for folder in year_dirs:
        listing.years.append(_year_files(folder, listing))
    return listing


def _entries(folder: Path, problems: list[Problem]) -> list[Path]:
    """A folder's entries that may be inputs, sorted by name; unreadable folders, links
    that point nowhere and names that are not text become problems."""
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:
        problems.append(unreadable(folder, exc))
        return []
    out = []
    for entry in entries:
        if skipped(entry.name):
            continue
        if not _name_is_text(entry.name):
            problems.append(Problem(
                "Filnavnet indeholder tegn, som ikke kan læses (det er ikke gyldig UTF-8; "
                "typisk en fil pakket ud af en zip-fil fra et andet styresystem).",
                "Omdøb filen, så navnet kun har almindelige bogstaver, og kør igen.",
                file=display_path(entry).encode("utf-8", "surrogateescape").decode(
                    "utf-8", "replace"), code="file.name_unreadable"))
            continue
        try:
            exists = entry.exists()
        except OSError as exc:  # a link loop, or no access
            problems.append(unreadable(entry, exc))
            continue
        if not exists:
            target = os.readlink(entry) if entry.is_symlink() else "?"
            problems.append(Problem(
                f'Filen er en genvej (symbolsk link) til "{target}", som ikke findes.',
                "Slet genvejen, eller læg den rigtige fil i mappen i stedet, og kør igen.",
                file=display_path(entry), code="file.broken_link"))
            continue
        out.append(entry)
    return out


def _name_is_text(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _year_files(folder: Path, listing: InputListing) -> YearFiles:
    """One year folder: its codebook, field period and exports (see the module docstring)."""
    files = YearFiles(int(folder.name), folder)
    problems = listing.problems
    before = len(problems)
    for entry in _entries(folder, problems):
        name = entry.name.casefold()
        if entry.is_dir():
            if name == BACKUP_FOLDER:
                continue
            data = _data_files_below(entry)
            if data:
                problems.append(Problem(
                    f"Mappen ligger i en årsmappe og indeholder datafiler ({data[0].name}"
                    f"{' m.fl.' if len(data) > 1 else ''}), men undermapper læses ikke.",
                    "Læg eksporter, der skal tælle, direkte i årsmappen, og flyt mappen ud af "
                    f"survey-mappen (eller omdøb den til {BACKUP_FOLDER}, hvis den er et arkiv, "
                    "der aldrig skal læses).", file=display_path(entry),
                    code="surveys.subfolder_in_year"))
            else:
                listing.ignored.append(entry)
            continue
        suffix = entry.suffix.lower()
        stem = entry.stem.casefold()
        if stem == Path(CODEBOOK).stem:
            if suffix != ".csv":
                problems.append(Problem(
                    f'Kodebogen skal være en .csv-fil, men er gemt som "{entry.suffix}".',
                    f'Gem den som CSV med navnet {CODEBOOK} (i Excel: Gem som > "CSV UTF-8").',
                    file=display_path(entry), code="codebook.not_csv"))
            elif files.codebook is not None:
                problems.append(_two_files(files.codebook, entry, "surveys.codebook_twice"))
            else:
                files.codebook = entry
        elif stem == FIELD_PERIOD and suffix in EXPORT_SUFFIXES:
            if files.period is not None:
                problems.append(_two_files(files.period, entry, "surveys.period_twice"))
            else:
                files.period = entry
        elif suffix in EXPORT_SUFFIXES:
            files.exports.append(entry)
        elif suffix in UNSUPPORTED_SUFFIXES:
            problems.append(Problem(
                f'Eksporten er i formatet "{entry.suffix}", som ikke kan læses.',
                "Åbn filen i Excel og gem den som .xlsx (Excel-projektmappe) eller .csv.",
                file=display_path(entry), code="export.format_unsupported"))
        else:
            listing.ignored.append(entry)
    if files.codebook is None:
        problems.append(Problem(
            f"Året {files.year} har ingen {CODEBOOK}, så kolonnerne i eksporten kan ikke kobles "
            "til spørgsmålene.",
            f"Opret {CODEBOOK} med kolonnerne column,key (fx ved at kopiere sidste års og rette "
            "overskrifterne), eller brug 'python -m pipeline add-year'.",
            file=display_path(folder), code="surveys.year_without_codebook"))
    elif not files.exports and len(problems) == before:
        problems.append(Problem(
            f"Året {files.year} har en kodebog, men ingen eksport (.xlsx eller .csv).",
            "Læg survey-eksporten i årsmappen.", file=display_path(folder),
            code="surveys.year_without_export"))
    return files


def _two_files(first: Path, second: Path, code: str) -> Problem:
    return Problem(
        f"Både {first.name} og {second.name} findes; det er uklart hvilken der gælder.",
        "Slet den ene fil.", file=display_path(first.parent), code=code)


def _data_files_below(folder: Path) -> list[Path]:
    """Data files anywhere below a folder (hidden ones aside)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if not skipped(d)]
        found += [Path(dirpath) / f for f in sorted(filenames) if not skipped(f)
                  and Path(f).suffix.lower() in EXPORT_SUFFIXES | UNSUPPORTED_SUFFIXES]
    return found


def unreadable(path: Path, exc: OSError) -> Problem:
    """A file or folder the operating system will not let us read."""
    why = exc.strerror or type(exc).__name__
    return Problem(
        f"Filen eller mappen kan ikke læses ({why}).",
        "Tjek at filen findes, at du har adgang til den, og at den ikke er åben og låst i et "
        "andet program; kør så igen.", file=display_path(path), code="file.unreadable")


def read_input(path: Path) -> bytes:
    """An input file's bytes, or an InputError that says why it cannot be read (no
    access, a folder where a file should be, a link that points nowhere)."""
    if path.is_dir():
        raise InputError([Problem(
            "Stien er en mappe, men skal være en fil.",
            "Angiv selve filen (fx targets.csv), ikke mappen den ligger i.",
            file=display_path(path), code="file.is_folder")])
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError([unreadable(path, exc)]) from None
