"""Bring in a new year's export (`add-year`) and confirm its codebook (`confirm-codebook`).

This is the file work around `codebook_match` (which holds the matching itself): check
the input, copy the export into `surveys/<year>/`, write the proposed `codebook.csv`,
and later mark its rows as confirmed. Every check runs before anything is written, so
bad input changes nothing on disk; a file that is replaced is kept (in
`<year>/erstattet/<time>/`), never overwritten.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from pipeline.errors import InputError, Problem
from pipeline.files import YEAR_PATTERN, display_path, stage_file, surveys_argument
from pipeline.intake.codebook_match import (
    KnownHeader,
    Proposal,
    attach_value_labels,
    numeric_codes,
    propose,
    unmapped_keys,
)
from pipeline.read.codebook import (
    CODEBOOK,
    CONFIRMED,
    CodebookSheet,
    codebook_bytes,
    codebook_problems,
    read_codebook,
)
from pipeline.read.listing import (
    BACKUP_FOLDER,
    EXPORT_SUFFIXES,
    UNSUPPORTED_SUFFIXES,
    list_inputs,
    read_input,
)
from pipeline.read.surveyxact import (
    STATUS_TEXT,
    SurveyXactExport,
    find_surveyxact,
    read_surveyxact,
)
from pipeline.read.tables import Table, read_table
from pipeline.reference import Reference, load_reference, normalise_text

CATALOGUE = "spørgsmålskataloget"


# ---------------------------------------------------------------------------- add-year


@dataclass
class SurveyXactSummary:
    """A SurveyXact export's responses as add-year shows them: how many count."""

    responses: int
    completed: int
    not_completed: dict[str, int]
    """Status words -> responses (Nogle svar: 3, ...)."""
    has_status: bool
    has_response_time: bool


@dataclass
class AddYearResult:
    """What add-year did, for the summary printed to the analyst (and for tests)."""

    year: int
    surveys: Path
    export: Path
    """The export where it now lies, in the year folder (a SurveyXact CSV export: its
    dataset.csv)."""
    copied: bool
    codebook: Path
    proposals: list[Proposal]
    unmapped: list[str]
    sources: list[str]
    """What the headers were compared with: years, then the question catalogue."""
    confirmed_all: bool
    backups: list[tuple[Path, Path]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    """Every file of the export in the year folder (three for SurveyXact's CSV files)."""
    surveyxact: SurveyXactSummary | None = None
    """What a SurveyXact export holds besides the proposals: its responses by status."""

    def row_of(self, proposal: Proposal) -> int:
        """The codebook row (as in Excel: the header is row 1) of a proposal."""
        return self.proposals.index(proposal) + 2

    @property
    def pending(self) -> list[Proposal]:
        """Rows with a key that the analyst must still confirm before the pipeline runs."""
        return [p for p in self.proposals if p.key and not p.confirmed]


def parse_year(text: str) -> int:
    """A survey year as the folder is named: four digits, 1900-2099."""
    if not YEAR_PATTERN.match(str(text).strip()):
        raise InputError([Problem(
            "Året skal skrives med fire cifre.", "Skriv fx 2025.", value=text,
            code="year.invalid")])
    return int(str(text).strip())


def add_year(surveys: Path, year_text: str, export: Path | Sequence[Path], *,
             replace: bool = False, confirm: bool = False,
             reference: Reference | None = None,
             now: datetime | None = None) -> AddYearResult:
    """Copy the export into `surveys/<year>/` and write a proposed codebook.csv beside it.

    `export` is one file (.xlsx or .csv), or a SurveyXact export given as its three CSV
    files or the folder that holds them; a workbook with SurveyXact's sheets is one too.
    """
    reference = reference or load_reference()
    year = parse_year(year_text)
    read = _read_export(_export_files(export))
    if not surveys.is_dir():
        raise InputError([Problem(
            "Survey-mappen findes ikke.",
            "Angiv den rigtige mappe med --surveys (den med en undermappe pr. år).",
            file=display_path(surveys), code="surveys.folder_missing")])
    folder = surveys / str(year)
    codebook = folder / CODEBOOK
    targets = {path: folder / path.name for path in read.data}
    same = {p for p, t in targets.items() if t.exists() and t.resolve() == p.resolve()}
    existing = _files_to_replace(folder, list(read.data),
                                 [codebook, *(t for p, t in targets.items() if p not in same)],
                                 replace)
    known, sources, notes = _known_headers(surveys, year, reference,
                                           replaced=codebook if codebook in existing else None)
    proposals = _proposals(read, known, reference, confirm)
    rows = [[p.header, p.key, p.value_labels, p.match_text, CONFIRMED if p.confirmed else ""]
            for p in proposals]
    writes = [(targets[p], data) for p, data in read.data.items() if p not in same]
    writes.append((codebook, codebook_bytes(rows)))
    stamp = (now or datetime.now()).strftime("%Y-%m-%d_%H%M%S")
    backups = [(p, folder / BACKUP_FOLDER / stamp / p.name) for p in existing]
    _write_all(writes, backups)
    main = read.main
    notes += _notes_after(surveys, folder, main, list(targets.values()), main in same)
    keys = list(reference.questions["key"])
    if read.surveyxact is not None and read.surveyxact.has_response_time:
        keys.remove("besvaret")  # closetime is the response time, with no codebook row
    return AddYearResult(year, surveys, targets[main], main not in same, codebook, proposals,
                         unmapped_keys(proposals, keys), sources, confirm, backups, notes,
                         list(targets.values()), _summary(read.surveyxact))


def _files_to_replace(folder: Path, exports: list[Path], targets: list[Path],
                      replace: bool) -> list[Path]:
    """The files add-year would write over: refused unless --replace (then they are kept
    in the year's `erstattet/` folder)."""
    for export in exports:
        if export.name.casefold() == CODEBOOK:
            raise InputError([Problem(
                f"Eksporten hedder {CODEBOOK}, som er navnet på kodebogen.",
                "Giv eksporten et andet navn, fx besvarelser_2025.csv.",
                file=display_path(export), code="add_year.export_named_codebook")])
    existing = [p for p in targets if p.exists()]
    if existing and not replace:
        names = " og ".join(display_path(p) for p in existing)
        raise InputError([Problem(
            f"{names} findes allerede; add-year overskriver ikke filer.",
            "Vil du erstatte dem med den nye eksport og et nyt kodebogsforslag, så kør igen "
            f"med --replace (de gamle filer gemmes i {display_path(folder / BACKUP_FOLDER)}/). "
            "Er filen en ekstra eksport til et år, der allerede har en kodebog (fx sene "
            f"besvarelser med samme overskrifter), så læg den blot i {display_path(folder)}/ "
            "og kør check.", file=display_path(folder), code="add_year.would_overwrite")])
    return existing


def _proposals(read: ReadExport, known: list[KnownHeader], reference: Reference,
               confirm: bool) -> list[Proposal]:
    """The proposed codebook rows for the export's headers, value labels carried over
    where a column holds numeric codes; all confirmed with --confirm. A SurveyXact
    variable is proposed by its question text (compared with the earlier years'), or by
    its variable name where the text does not name it alone."""
    if read.surveyxact is not None:
        columns = surveyxact_columns(read.surveyxact)
        proposals = propose(list(columns), known, wordings={
            c: text for c, text in columns.items() if text != c})
    else:
        table = read.table
        assert table is not None
        proposals = propose(table.headers, known)
        codes = {h: numeric_codes(table.cells[h]) for h in table.headers if h in table.cells}
        attach_value_labels(proposals, codes, set(reference.question_scale()))
    if confirm:
        for p in proposals:
            p.confirmed = True
    return proposals


def surveyxact_columns(export: SurveyXactExport) -> dict[str, str]:
    """Codebook column -> the question text it is compared by, for every variable of a
    SurveyXact export a codebook may name (SurveyXact's own variables left out): the
    question text where it names that variable alone, else the variable name."""
    texts = {h: export.variables[h].text if h in export.variables else ""
             for h in export.answer_headers()}
    named = export.headers_for(t for t in texts.values() if t)
    columns: dict[str, str] = {}
    for header, text in texts.items():
        alone = bool(text) and named.get(header) == text and list(texts.values()).count(text) == 1
        columns[text if alone else header] = text or header
    return columns


def _summary(export: SurveyXactExport | None) -> SurveyXactSummary | None:
    if export is None:
        return None
    status = export.status
    left_out = status.loc[~status["completed"], "status_text"].value_counts()
    return SurveyXactSummary(len(status), int(status["completed"].sum()),
                             {w: int(left_out[w]) for w in STATUS_TEXT.values()
                              if w in left_out}, export.has_status, export.has_response_time)


def _notes_after(surveys: Path, folder: Path, export: Path, targets: list[Path],
                 same_file: bool) -> list[str]:
    """What the analyst should know about the folder now: other exports beside the new
    one, and the original file left inside the surveys folder."""
    notes = []
    listed = next((y for y in list_inputs(surveys).years if y.folder == folder), None)
    others = [p for p in (listed.exports if listed else []) if p not in targets]
    if others:
        notes.append(
            f"{display_path(folder)}/ har også {', '.join(p.name for p in others)}. run læser "
            "alle eksporter i mappen med samme kodebog; er det en ældre udgave, så flyt den ud.")
    if not same_file and _inside(export, surveys):
        notes.append(
            f"Den oprindelige fil {display_path(export)} ligger stadig i survey-mappen, hvor run "
            "også vil se den. Slet eller flyt den, nu hvor den er kopieret.")
    return notes


@dataclass
class ReadExport:
    """The export add-year brings in, read before anything is written."""

    data: dict[Path, bytes]
    """Every file of the export with its bytes, in the order given."""
    main: Path
    """The file named in messages: the export, a SurveyXact workbook or its dataset.csv."""
    table: Table | None = None
    """A plain export, as read."""
    surveyxact: SurveyXactExport | None = None
    """A SurveyXact export, as read (no column yet: Structure tells what each one is)."""


def _export_files(export: Path | Sequence[Path]) -> list[Path]:
    """The files given: one, several (SurveyXact's three CSV files), or the files of a
    folder that holds a SurveyXact export."""
    paths = [export] if isinstance(export, Path) else list(export)
    if len(paths) == 1 and paths[0].is_dir():
        inside = sorted(p for p in paths[0].iterdir() if p.is_file()
                        and p.suffix.lower() in EXPORT_SUFFIXES
                        and not p.name.startswith((".", "~$")))
        found, _ = find_surveyxact(inside)
        if len(found) != 1:
            raise InputError([Problem(
                "Mappen indeholder ikke én SurveyXact-eksport (dataset.csv, structure.csv og "
                "labels.csv)." if not found else
                f"Mappen indeholder {len(found)} SurveyXact-eksporter; add-year tager én ad "
                "gangen.",
                "Angiv selve eksportfilen (.xlsx eller .csv), eller en mappe med netop de tre "
                "CSV-filer fra én SurveyXact-eksport.", file=display_path(paths[0]),
                code="add_year.export_is_folder")])
        return list(found[0].paths)
    return paths


def _read_export(paths: list[Path]) -> ReadExport:
    """Check the export before anything is written: exists, is .xlsx/.csv, can be read."""
    for export in paths:
        _check_export_file(export)
    surveyxact, plain = find_surveyxact(paths)
    if len(surveyxact) + len(plain) > 1:
        raise InputError([Problem(
            f"Der er angivet {len(paths)} filer, men de er ikke én SurveyXact-eksport "
            "(dataset.csv, structure.csv og labels.csv).",
            "Angiv én eksport ad gangen: én fil (.xlsx eller .csv), eller SurveyXact's tre "
            "CSV-filer fra samme udtræk.", file=", ".join(display_path(p) for p in paths),
            code="add_year.several_exports")])
    data = {p: read_input(p) for p in paths}
    try:
        if surveyxact:
            files = surveyxact[0]
            return ReadExport(data, files.source,
                              surveyxact=read_surveyxact(files, data=data))
        return ReadExport(data, plain[0], table=read_table(plain[0], data[plain[0]]))
    except InputError as exc:
        raise InputError([replace(p, file=display_path(Path(p.file))) if p.file else p
                          for p in exc.problems]) from None


def _check_export_file(export: Path) -> None:
    where = display_path(export)
    if not export.exists():
        raise InputError([Problem(
            "Eksportfilen findes ikke.",
            "Tjek stien og filnavnet (sæt anførselstegn om stier med mellemrum).", file=where,
            code="add_year.export_missing")])
    if export.is_dir():
        raise InputError([Problem(
            "Stien er en mappe, ikke en eksportfil.",
            "Angiv selve filen (.xlsx eller .csv) fra survey-værktøjet.", file=where,
            code="add_year.export_is_folder")])
    suffix = export.suffix.lower()
    if suffix in UNSUPPORTED_SUFFIXES:
        raise InputError([Problem(
            f'Eksporten er i formatet "{export.suffix}", som ikke kan læses.',
            "Åbn filen i Excel og gem den som .xlsx (Excel-projektmappe) eller .csv.",
            file=where, code="export.format_unsupported")])
    if suffix not in EXPORT_SUFFIXES:
        raise InputError([Problem(
            f'Filtypen "{export.suffix or "(ingen)"}" er ikke en survey-eksport.',
            "Angiv eksporten som .xlsx (Excel-projektmappe) eller .csv.", file=where,
            code="add_year.export_suffix")])


def _known_headers(surveys: Path, year: int, reference: Reference, *,
                   replaced: Path | None = None
                   ) -> tuple[list[KnownHeader], list[str], list[str]]:
    """Every header the other years' codebooks know (confirmed rows only), the nearest
    earlier year first, and the catalogue's wording last. The codebook being replaced (the
    same year's, with --replace) comes first: it holds the analyst's own confirmations."""
    found = {y.year: y.codebook for y in list_inputs(surveys).years
             if y.year != year and y.codebook is not None}
    years = sorted(found, key=lambda y: (y > year, abs(y - year)))
    codebooks = [(found[y], str(y)) for y in years]
    if replaced is not None:
        codebooks.insert(0, (replaced, f"gl. {year}"))
    known: list[KnownHeader] = []
    sources: list[str] = []
    notes: list[str] = []
    for priority, (path, other) in enumerate(codebooks):
        try:
            codebook = read_codebook(path, reference, require_confirmed=False)
        except InputError as exc:
            notes.append(f"Kodebogen {display_path(path)} kunne ikke læses og er ikke brugt "
                         f"({exc.problems[0].message}).")
            continue
        sources.append(other if path != replaced else f"{other} (den erstattede kodebog)")
        known += [KnownHeader(e.column, e.key, other, priority, e.value_labels_text)
                  for e in codebook.entries if e.confirmed]
        # A SurveyXact year's codebook may name variables (s_3): their question texts are
        # what a new export's texts are compared with.
        texts = _question_texts(path.parent, [e.column for e in codebook.entries])
        known += [KnownHeader(texts[e.column], e.key, other, priority, e.value_labels_text)
                  for e in codebook.entries if e.confirmed and e.column in texts]
    known += [KnownHeader(text, key, CATALOGUE, len(codebooks)) for key, text in
              zip(reference.questions["key"], reference.questions["text"], strict=True)]
    return known, [*sources, CATALOGUE], notes


def _question_texts(folder: Path, columns: list[str]) -> dict[str, str]:
    """Codebook column -> the question text of the variable it names, where a SurveyXact
    export in the folder names it by something else than that text (a variable name).
    An export that cannot be read adds nothing: its year's codebook still counts."""
    files = [p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in EXPORT_SUFFIXES]
    texts: dict[str, str] = {}
    for export_files in find_surveyxact(files)[0]:
        try:
            export = read_surveyxact(export_files)
        except InputError:
            continue
        for header, column in export.headers_for(columns).items():
            text = export.variables[header].text if header in export.variables else ""
            if text and normalise_text(text) != normalise_text(column):
                texts.setdefault(column, text)
    return texts


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def _write_all(writes: list[tuple[Path, bytes]], backups: list[tuple[Path, Path]]) -> None:
    """Write every file to a temporary name first, then move old files aside and the new
    ones in place: a failure while writing leaves the folder as it was."""
    temps: list[tuple[Path, Path]] = []
    try:
        for path, data in writes:
            temps.append((stage_file(path, data), path))
    except BaseException:
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)
        raise
    for old, kept in backups:
        kept.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(old, kept)
    for tmp, path in temps:
        os.replace(tmp, path)


# ---------------------------------------------------------------------- confirm-codebook


@dataclass
class ConfirmResult:
    """What confirm-codebook changed, and what is still open."""

    year: int
    surveys: Path
    codebook: Path
    changes: list[str]
    confirmed_rows: list[tuple[int, str, str]]
    """Rows this call confirmed: (row, header, key)."""
    pending: list[tuple[int, str, str]]
    """Rows with a key that are still not confirmed: (row, header, key)."""
    unmapped: list[str]
    problems: list[Problem]
    """Problems the codebook still has (that run would stop at), other than confirmation."""


def confirm_codebook(surveys: Path, year_text: str, row: int | None = None,
                     key: str | None = None, value_labels: str | None = None, *,
                     new_meaning: bool = False,
                     reference: Reference | None = None) -> ConfirmResult:
    """Mark the codebook's rows as confirmed: all of them, or one row (optionally giving it
    another key or value labels, or confirming that its header means something else this
    year than in other years: `new_meaning`). Nothing is written if the change would add a
    problem."""
    reference = reference or load_reference()
    year = parse_year(year_text)
    path = surveys / str(year) / CODEBOOK
    if not path.exists():
        raise InputError([Problem(
            f"Året {year} har ingen kodebog.",
            f"Kør først: python -m pipeline add-year {year} EKSPORTFIL{surveys_argument(surveys)}",
            file=display_path(path), code="codebook.missing")])
    if row is None and (key is not None or value_labels is not None or new_meaning):
        raise InputError([Problem(
            "--key, --value-labels og --new-meaning gælder én række, men der er ingen --row.",
            "Angiv rækken, fx --row 7 --key tydelighed (rækkenumrene står i tabellen fra "
            "add-year og i fejlbeskederne).", file=display_path(path),
            code="confirm.row_missing")])
    sheet = CodebookSheet.read(path, with_value_labels=value_labels is not None)
    changes: list[str] = []
    if row is not None:
        sheet.check_row(row)
        if key is not None:
            changes += sheet.set_key(row, key, reference)
        if value_labels is not None:
            changes += sheet.set_value_labels(row, value_labels, reference)
        if new_meaning:
            changes += sheet.mark_new_meaning(row)
    newly = sheet.confirm(list(sheet.body) if row is None else [row])
    new_data = sheet.to_bytes()
    before = codebook_problems(path, reference, sheet.data)
    after = codebook_problems(path, reference, new_data)
    added = [p for p in after if p.format() not in {b.format() for b in before}]
    if added:
        raise InputError(added)
    _write_all([(path, new_data)], [])
    unmapped = [k for k in reference.questions["key"] if k not in sheet.mapped_keys()]
    exports = [p for p in path.parent.iterdir() if p.suffix.lower() in EXPORT_SUFFIXES]
    if "besvaret" in unmapped and find_surveyxact(exports)[0]:
        unmapped.remove("besvaret")  # a SurveyXact export's closetime is the response time
    return ConfirmResult(year, surveys, path, changes, newly, sheet.pending(), unmapped, after)
