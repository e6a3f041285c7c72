"""Bring in a new year's export (`add-year`) and confirm its codebook (`confirm-codebook`).

This is the file work around `codebook_match` (which holds the matching itself): check
the input, copy the export into `surveys/<year>/`, write the proposed `codebook.csv`,
and later mark its rows as confirmed. Every check runs before anything is written, so
bad input changes nothing on disk; a file that is replaced is kept (in
`<year>/erstattet/<time>/`), never overwritten.
"""

from __future__ import annotations

import csv
import difflib
import io
import os
import shutil
import textwrap
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pipeline.codebook_match import (
    CLOSE,
    CLOSE_THRESHOLD,
    EXACT,
    KnownHeader,
    Proposal,
    attach_value_labels,
    numeric_codes,
    propose,
    unmapped_keys,
)
from pipeline.errors import InputError, Problem
from pipeline.formatting import number
from pipeline.outputs import stage_file
from pipeline.readers import Table, read_table
from pipeline.reference import Reference, load_reference, normalise_text
from pipeline.survey import (
    CODEBOOK,
    CONFIRMED_COLUMN,
    CONFIRMED_WORDS,
    EXPORT_SUFFIXES,
    MATCH_COLUMN,
    UNSUPPORTED_SUFFIXES,
    YEAR_PATTERN,
    display_path,
    parse_value_labels,
    read_codebook,
)

BACKUP_FOLDER = "erstattet"
"""Where --replace keeps the files it replaces, inside the year folder (never read)."""
CATALOGUE = "spørgsmålskataloget"
CONFIRMED = "ja"
MANUAL = "manual"
DEFAULT_SURVEYS = Path("surveys")
CODEBOOK_COLUMNS = ["column", "key", "value_labels", MATCH_COLUMN, CONFIRMED_COLUMN]
TABLE_HEADER_WIDTH = 64


# ---------------------------------------------------------------------------- add-year


@dataclass
class AddYearResult:
    """What add-year did, for the summary printed to the analyst (and for tests)."""

    year: int
    surveys: Path
    export: Path
    """The export where it now lies, in the year folder."""
    copied: bool
    codebook: Path
    proposals: list[Proposal]
    unmapped: list[str]
    sources: list[str]
    """What the headers were compared with: years, then the question catalogue."""
    confirmed_all: bool
    backups: list[tuple[Path, Path]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

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
            "Året skal skrives med fire cifre.", "Skriv fx 2025.", value=text)])
    return int(str(text).strip())


def add_year(surveys: Path, year_text: str, export: Path, *, replace: bool = False,
             confirm: bool = False, reference: Reference | None = None,
             now: datetime | None = None) -> AddYearResult:
    """Copy `export` into `surveys/<year>/` and write a proposed codebook.csv beside it."""
    reference = reference or load_reference()
    year = parse_year(year_text)
    data, table = _read_export(export)
    if not surveys.is_dir():
        raise InputError([Problem(
            "Survey-mappen findes ikke.",
            "Angiv den rigtige mappe med --surveys (den med en undermappe pr. år).",
            file=display_path(surveys))])
    folder = surveys / str(year)
    target = folder / export.name
    codebook = folder / CODEBOOK
    same_file = target.exists() and target.resolve() == export.resolve()
    if export.name.casefold() == CODEBOOK:
        raise InputError([Problem(
            f"Eksporten hedder {CODEBOOK}, som er navnet på kodebogen.",
            "Giv eksporten et andet navn, fx besvarelser_2025.csv.", file=display_path(export))])
    existing = [p for p in ([codebook] if same_file else [target, codebook]) if p.exists()]
    if existing and not replace:
        names = " og ".join(display_path(p) for p in existing)
        raise InputError([Problem(
            f"{names} findes allerede; add-year overskriver ikke filer.",
            "Vil du erstatte dem med den nye eksport og et nyt kodebogsforslag, så kør igen "
            f"med --replace (de gamle filer gemmes i {display_path(folder / BACKUP_FOLDER)}/). "
            "Er filen en ekstra eksport til et år, der allerede har en kodebog (fx sene "
            f"besvarelser med samme overskrifter), så læg den blot i {display_path(folder)}/ "
            "og kør check.", file=display_path(folder))])

    known, sources, notes = _known_headers(surveys, year, reference,
                                           replaced=codebook if codebook in existing else None)
    proposals = propose(table.headers, known)
    codes = {h: numeric_codes(table.cells[h]) for h in table.headers if h in table.cells}
    attach_value_labels(proposals, codes, set(reference.question_scale()))
    if confirm:
        for p in proposals:
            p.confirmed = True
    rows = [[p.header, p.key, p.value_labels, p.match_text, CONFIRMED if p.confirmed else ""]
            for p in proposals]
    writes = [(codebook, codebook_bytes(rows))]
    if not same_file:
        writes.insert(0, (target, data))
    backups = []
    if existing:
        stamp = (now or datetime.now()).strftime("%Y-%m-%d_%H%M%S")
        backup_dir = folder / BACKUP_FOLDER / stamp
        backups = [(p, backup_dir / p.name) for p in existing]
    _write_all(writes, backups)

    others = sorted(p for p in folder.iterdir() if p.is_file() and p != target
                    and p.suffix.lower() in EXPORT_SUFFIXES and p.name != CODEBOOK
                    and not p.name.startswith((".", "~$")))
    if others:
        notes.append(
            f"{display_path(folder)}/ har også {', '.join(p.name for p in others)}. run læser "
            "alle eksporter i mappen med samme kodebog; er det en ældre udgave, så flyt den ud.")
    if not same_file and _inside(export, surveys):
        notes.append(
            f"Den oprindelige fil {display_path(export)} ligger stadig i survey-mappen, hvor run "
            "også vil se den. Slet eller flyt den, nu hvor den er kopieret.")
    keys = list(reference.questions["key"])
    return AddYearResult(year, surveys, target, not same_file, codebook, proposals,
                         unmapped_keys(proposals, keys), sources, confirm, backups, notes)


def _read_export(export: Path) -> tuple[bytes, Table]:
    """Check the export before anything is written: exists, is .xlsx/.csv, can be read."""
    where = display_path(export)
    if not export.exists():
        raise InputError([Problem(
            "Eksportfilen findes ikke.",
            "Tjek stien og filnavnet (sæt anførselstegn om stier med mellemrum).", file=where)])
    if export.is_dir():
        raise InputError([Problem(
            "Stien er en mappe, ikke en eksportfil.",
            "Angiv selve filen (.xlsx eller .csv) fra survey-værktøjet.", file=where)])
    suffix = export.suffix.lower()
    if suffix in UNSUPPORTED_SUFFIXES:
        raise InputError([Problem(
            f'Eksporten er i formatet "{export.suffix}", som ikke kan læses.',
            "Åbn filen i Excel og gem den som .xlsx (Excel-projektmappe) eller .csv.",
            file=where)])
    if suffix not in EXPORT_SUFFIXES:
        raise InputError([Problem(
            f'Filtypen "{export.suffix or "(ingen)"}" er ikke en survey-eksport.',
            "Angiv eksporten som .xlsx (Excel-projektmappe) eller .csv.", file=where)])
    data = export.read_bytes()
    try:
        table = read_table(export, data)
    except InputError as exc:
        raise InputError([Problem(p.message, p.hint, where, p.row, p.column, p.value)
                          for p in exc.problems]) from None
    return data, table


def _known_headers(surveys: Path, year: int, reference: Reference, *,
                   replaced: Path | None = None
                   ) -> tuple[list[KnownHeader], list[str], list[str]]:
    """Every header the other years' codebooks know (confirmed rows only), the nearest
    earlier year first, and the catalogue's wording last. The codebook being replaced (the
    same year's, with --replace) comes first: it holds the analyst's own confirmations."""
    years = sorted((int(p.name) for p in surveys.iterdir()
                    if p.is_dir() and YEAR_PATTERN.match(p.name) and int(p.name) != year
                    and (p / CODEBOOK).exists()),
                   key=lambda y: (y > year, abs(y - year)))
    codebooks = [(surveys / str(y) / CODEBOOK, str(y)) for y in years]
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
        labels = _labels_text(path)
        known += [KnownHeader(e.column, e.key, other, priority, labels.get(e.row, ""))
                  for e in codebook.entries if e.confirmed]
    known += [KnownHeader(text, key, CATALOGUE, len(codebooks)) for key, text in
              zip(reference.questions["key"], reference.questions["text"], strict=True)]
    return known, [*sources, CATALOGUE], notes


def _labels_text(path: Path) -> dict[int, str]:
    """The value_labels cells as written, by row (the codebook keeps them parsed)."""
    table = read_table(path, rows_name="rækker med overskrift og nøgle")
    columns = {normalise_text(h): h for h in table.cells.columns}
    if "value_labels" not in columns:
        return {}
    return {int(row): " ".join(text.split())
            for row, text in table.cells[columns["value_labels"]].items()}


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def codebook_bytes(rows: list[list[str]]) -> bytes:
    """A proposed codebook (rows of column, key, value_labels, match, confirmed) as a file,
    written the same way by add-year and by the dashboard's "Opdater data"."""
    return _csv_bytes(CODEBOOK_COLUMNS, rows)


def _csv_bytes(header: list[str], rows: list[list[str]], delimiter: str = ",",
               encoding: str = "utf-8", newline: str = "\n") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    text = buffer.getvalue()
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        return text.encode("utf-8-sig")


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


def format_add_year(result: AddYearResult) -> str:
    """The Danish summary of add-year: the table, what is missing, and the next commands."""
    lines: list[str] = []
    where = display_path(result.codebook)
    if result.copied:
        lines.append(f"Eksporten er kopieret til {display_path(result.export)}.")
    else:
        lines.append(f"Eksporten ligger allerede i {display_path(result.export)}.")
    for old, kept in result.backups:
        lines.append(f"Den tidligere {old.name} er gemt som {display_path(kept)}.")
    sources = _and(result.sources)
    lines += ["", f"Forslag til {where} (overskrifterne er sammenlignet med {sources}):", ""]
    lines.append(f"{'række':>5}  {'nøgle':<20} {'sådan fundet':<22} {'ok?':<4}  "
                 "overskrift i eksporten")
    for p in result.proposals:
        ok = "ja" if p.confirmed else "TJEK"
        key = p.key or "(læses ikke)"
        head = p.header if len(p.header) <= TABLE_HEADER_WIDTH else \
            p.header[:TABLE_HEADER_WIDTH - 1] + "…"
        lines.append(f"{result.row_of(p):>5}  {key:<20} {_how(p):<22} {ok:<4}  {head}")
        for detail in _details(p):
            lines += textwrap.wrap(detail, 100, initial_indent=" " * 29,
                                   subsequent_indent=" " * 31)
    lines.append("")
    if result.unmapped:
        lines.append(f"Spørgsmål uden kolonne i eksporten (de får intet tal for {result.year}, "
                     f"medmindre en kolonne kobles til dem): {', '.join(result.unmapped)}.")
    else:
        lines.append("Alle spørgsmål i kataloget er koblet til en kolonne.")
    left_out = [p for p in result.proposals if not p.key]
    if left_out:
        unknown = [p for p in left_out if p.method not in (EXACT,)]
        known = [p for p in left_out if p.method == EXACT]
        if known:
            lines.append("Overskrifter, der ikke læses, som tidligere år (navne, e-mails, "
                         f"kommentarer o.l.): {', '.join(_q(p.header) for p in known)}.")
        if unknown:
            lines.append("Overskrifter uden match, som derfor ikke læses (tjek, at ingen af dem "
                         "er et spørgsmål): "
                         f"{', '.join(f'række {result.row_of(p)} {_q(p.header)}' for p in unknown)}"
                         ".")
    if "kommune" in result.unmapped:
        lines.append("!! Ingen kolonne er koblet til kommune; run kan ikke køre uden. Kobl "
                     "kommune-kolonnen med --row og --key kommune (se nedenfor).")
    lines += [f"Bemærk: {n}" for n in result.notes]
    lines += ["", *_next_steps(result)]
    return "\n".join(lines)


def _how(p: Proposal) -> str:
    source = f" ({p.source.source})" if p.source and p.source.source != CATALOGUE else (
        " (katalog)" if p.source else "")
    if p.method == EXACT:
        return f"præcis{source}"
    if p.method == CLOSE:
        return f"tæt {number(p.score, 2)}{source}"
    return "intet match"


def _details(p: Proposal) -> list[str]:
    out = []
    if p.method == CLOSE and p.source:
        out.append(f'ligner "{p.source.header}"')
    for note in p.notes:
        out.append(note)
    if p.guess:
        key, score = p.guess
        out.append(f"ligner mest {key} ({number(score, 2)}), men under grænsen "
                   f"{number(CLOSE_THRESHOLD, 2)}")
    return out


def _next_steps(result: AddYearResult) -> list[str]:
    year = result.year
    option = surveys_option(result.surveys)
    base = f"python -m pipeline confirm-codebook {year}{option}"
    lines = ["Næste skridt:"]
    pending = result.pending
    if pending:
        rows = ", ".join(str(result.row_of(p)) for p in pending)
        noun = "række" if len(pending) == 1 else "rækker"
        lines.append(f"  {len(pending)} {noun} med en nøgle er gæt og skal bekræftes, før run "
                     f"og check vil køre (markeret TJEK: {noun} {rows}).")
        lines.append(f"  {'Godkend alle rækker som vist:':<32} {base}")
    example = next((p for p in result.proposals if p.guess), None) or \
        next((p for p in pending), None) or \
        next((p for p in result.proposals if not p.key), None)
    if example is not None:
        key = example.guess[0] if example.guess else "NØGLE"
        label = f"Ret en række, fx række {result.row_of(example)}:"
        lines.append(f"  {label:<32} {base} --row {result.row_of(example)} --key {key}")
    coded = [p for p in result.proposals if p.key and any(
        n.startswith("talkoder uden") for n in p.notes)]
    for p in coded:
        label = f"Giv svarkoder for række {result.row_of(p)}:"
        lines.append(f"  {label:<32} {base} --row {result.row_of(p)} --value-labels "
                     f'"{example_labels(p.key)}"  (tjek kodningen i survey-værktøjet)')
    lines.append(f"  {'Kontrollér derefter:':<32} python -m pipeline check --year {year}{option}")
    lines.append(f"  {'Beregn tallene:':<32} python -m pipeline run{option}")
    if result.confirmed_all:
        lines.insert(1, "  Alle rækker er bekræftet (--confirm).")
    return lines


def example_labels(key: str, reference: Reference | None = None) -> str:
    """A value_labels template from the scale's order (1-5, 9 = Ved ikke), for the hint."""
    reference = reference or load_reference()
    scale = reference.question_scale().get(key)
    if scale is None:
        return ""
    answers = reference.scale_answers(scale)
    valid = list(answers.loc[answers["valid"], "answer"])
    parts = [f"{i}={a}" for i, a in enumerate(valid, start=1)]
    if "Ved ikke" in set(answers["answer"]):
        parts.append("9=Ved ikke")
    return "; ".join(parts)


def surveys_option(surveys: Path) -> str:
    """The `--surveys` option to repeat in a suggested command (none for the default)."""
    shown = display_path(surveys)
    if Path(shown) == DEFAULT_SURVEYS:
        return ""
    return f' --surveys "{shown}"' if " " in shown else f" --surveys {shown}"


def _q(text: str) -> str:
    return f'"{text}"'


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} og {items[-1]}"


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
                     reference: Reference | None = None) -> ConfirmResult:
    """Mark the codebook's rows as confirmed: all of them, or one row (optionally giving it
    another key or value labels). Nothing is written if the change would add a problem."""
    reference = reference or load_reference()
    year = parse_year(year_text)
    path = surveys / str(year) / CODEBOOK
    where = display_path(path)
    if not path.exists():
        raise InputError([Problem(
            f"Året {year} har ingen kodebog.",
            f"Kør først: python -m pipeline add-year {year} EKSPORTFIL{surveys_option(surveys)}",
            file=where)])
    if row is None and (key is not None or value_labels is not None):
        raise InputError([Problem(
            "--key og --value-labels gælder én række, men der er ingen --row.",
            "Angiv rækken, fx --row 7 --key tydelighed (rækkenumrene står i tabellen fra "
            "add-year og i fejlbeskederne).", file=where)])
    data = path.read_bytes()
    table = read_table(path, data, rows_name="rækker med overskrift og nøgle")
    headers = list(table.headers)
    columns = {normalise_text(h): i for i, h in enumerate(headers)}
    if "column" not in columns or "key" not in columns:
        raise InputError([Problem("Kodebogen mangler kolonnerne column og key.",
                                  "Kodebogen skal have overskrifterne column,key.",
                                  file=where, row=1)])
    width = len(headers)
    body = {int(i): [str(v) for v in cells] for i, cells in table.cells.iterrows()}
    for name in ("value_labels", CONFIRMED_COLUMN):
        if name not in columns and (name == CONFIRMED_COLUMN or value_labels is not None):
            columns[name] = width
            headers.append(name)
            width += 1
            fill = CONFIRMED if name == CONFIRMED_COLUMN else ""
            for cells in body.values():  # without the column every row counted as confirmed
                cells.append(fill)
    col = {name: columns[name] for name in ("column", "key", "value_labels", CONFIRMED_COLUMN,
                                            MATCH_COLUMN) if name in columns}

    def is_confirmed(cells: list[str]) -> bool:
        return normalise_text(cells[col[CONFIRMED_COLUMN]]) in CONFIRMED_WORDS

    changes: list[str] = []
    if row is None:
        targets = list(body)
    else:
        if row not in body:
            rows = sorted(body)
            raise InputError([Problem(
                f"Kodebogen har ingen række {row}.",
                f"Brug et rækkenummer mellem {rows[0]} og {rows[-1]} (rækken med overskrifterne "
                "er række 1).", file=where, value=row)])
        targets = [row]
        cells = body[row]
        if key is not None:
            changes += _change_key(cells, col, body, row, key, reference, where)
        if value_labels is not None:
            new_key = normalise_text(cells[col["key"]])
            _, label_problems = parse_value_labels(
                value_labels, reference.question_scale().get(new_key), reference, where, row)
            if label_problems:
                raise InputError(label_problems)
            cells[col["value_labels"]] = " ".join(value_labels.split())
            changes.append(f"række {row}: value_labels er nu {_q(cells[col['value_labels']])}.")
    newly = [(r, body[r][col["column"]], normalise_text(body[r][col["key"]]))
             for r in targets if not is_confirmed(body[r])]
    for r in targets:
        body[r][col[CONFIRMED_COLUMN]] = CONFIRMED

    lines = sorted([*body, *table.blank_rows])
    rows_out = [body.get(r, [""] * width) for r in lines]
    newline = "\r\n" if b"\r\n" in data else "\n"
    encoding = "utf-8-sig" if table.encoding == "utf-8-sig" else (table.encoding or "utf-8")
    new_data = _csv_bytes(headers, rows_out, table.delimiter or ",", encoding, newline)

    before = _codebook_problems(path, reference, data)
    after = _codebook_problems(path, reference, new_data)
    added = [p for p in after if p.format() not in {b.format() for b in before}]
    if added:
        raise InputError(added)
    _write_all([(path, new_data)], [])

    pending = [(r, cells[col["column"]], normalise_text(cells[col["key"]]))
               for r, cells in sorted(body.items())
               if normalise_text(cells[col["key"]]) and not is_confirmed(cells)]
    mapped = {normalise_text(cells[col["key"]]) for cells in body.values()}
    unmapped = [k for k in reference.questions["key"] if k not in mapped]
    return ConfirmResult(year, surveys, path, changes, newly, pending, unmapped, after)


def _change_key(cells: list[str], col: dict[str, int], body: dict[int, list[str]], row: int,
                key: str, reference: Reference, where: str) -> list[str]:
    new_key = "" if key.strip() in ("", "-") else normalise_text(key)
    known = list(reference.questions["key"])
    if new_key and new_key not in known:
        close = difflib.get_close_matches(new_key, known, n=3)
        maybe = f" Mente du: {', '.join(close)}?" if close else ""
        raise InputError([Problem(
            f"Nøglen findes ikke blandt spørgsmålene.{maybe}",
            f"Brug en af nøglerne: {', '.join(known)}; eller --key \"\" for en kolonne, der "
            "ikke skal læses.", file=where, row=row, column="key", value=key)])
    for other, other_cells in body.items():
        if other != row and new_key and normalise_text(other_cells[col["key"]]) == new_key:
            raise InputError([Problem(
                f'Nøglen {new_key} er allerede koblet til række {other} '
                f'("{other_cells[col["column"]]}"); hver nøgle må kun komme fra én kolonne.',
                f"Fjern den først fra række {other} med --row {other} --key \"\", og kør så "
                "kommandoen igen.", file=where, row=row, column="key", value=key)])
    old_key = normalise_text(cells[col["key"]])
    if new_key == old_key:
        return []
    cells[col["key"]] = new_key
    if MATCH_COLUMN in col:
        cells[col[MATCH_COLUMN]] = MANUAL
    header = cells[col["column"]]
    changes = [f"række {row}: {_q(header)} læses nu som {new_key or '(læses ikke)'} "
               f"(før: {old_key or 'læses ikke'})."]
    labels = cells[col["value_labels"]].strip() if "value_labels" in col else ""
    if labels:
        _, problems = parse_value_labels(labels, reference.question_scale().get(new_key),
                                         reference, where, row)
        if problems or not new_key:
            cells[col["value_labels"]] = ""
            changes.append(f"række {row}: value_labels {_q(labels)} passede ikke til den nye "
                           "nøgle og er fjernet.")
    return changes


def _codebook_problems(path: Path, reference: Reference, data: bytes) -> list[Problem]:
    try:
        read_codebook(path, reference, data, require_confirmed=False)
    except InputError as exc:
        return exc.problems
    return []


def format_confirm(result: ConfirmResult) -> str:
    """The Danish summary of confirm-codebook: what changed, and what is still open."""
    option = surveys_option(result.surveys)
    lines = [f"Kodebogen {display_path(result.codebook)} er gemt."]
    lines += [f"  {c}" for c in result.changes]
    for r, header, key in result.confirmed_rows:
        lines.append(f"  Bekræftet: række {r}: {_q(header)} -> {key or '(læses ikke)'}")
    if not result.confirmed_rows and not result.changes:
        lines.append("  Intet at ændre: rækkerne var allerede bekræftet.")
    if result.pending:
        lines.append("Mangler stadig bekræftelse:")
        lines += [f"  række {r}: {_q(h)} -> {k}" for r, h, k in result.pending]
        lines.append(f"  Bekræft alle: python -m pipeline confirm-codebook {result.year}{option}")
    if result.unmapped:
        lines.append(f"Spørgsmål uden kolonne i {result.year} (får intet tal): "
                     f"{', '.join(result.unmapped)}.")
    if result.problems:
        lines.append("Kodebogen har stadig problemer, som run vil stoppe ved:")
        lines += [f"  - {p.format()}" for p in result.problems]
    if not result.pending and not result.problems:
        lines.append(f"Næste skridt: python -m pipeline check --year {result.year}{option}   "
                     f"og derefter   python -m pipeline run{option}")
    return "\n".join(lines)
