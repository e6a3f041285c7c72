"""Do the years' codebooks agree? The same header text must be read as the same question
key every year, and a header worded exactly as a question of the catalogue
(`pipeline/reference/questions.csv`) must be read as that question.

A 2024 codebook that reads "Hvor tilfreds er I med den fysiske del ...?" as
`tilfreds_digital`, where 2023 read it as `tilfreds_fysisk`, would swap two indicators
without a word. Such a row is refused, naming the other years, unless the analyst has
confirmed that the header really means something else this year: `confirmed` =
"ny betydning" in the row (`confirm-codebook ÅR --row N --new-meaning` writes it). A row
so marked is left out of the comparison; a disagreement is resolved when one of its two
sides is marked.

The same holds for numeric codes: where two years read the same header as the same key
through `value_labels`, a code must mean the same answer in both (a scale turned upside
down would flip a verdict).

Headers are compared as a reader sees them: case, spaces, punctuation and invisible
characters aside. Only rows that read a key are compared (a column not read in one year
is no claim about what it means).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pipeline.errors import Problem
from pipeline.files import display_path, surveys_argument
from pipeline.invisible import skeleton
from pipeline.read.codebook import NEW_MEANING, Codebook, CodebookEntry
from pipeline.reference import Reference

_NOT_WORD = re.compile(r"[\W_]+")


def header_text(header: str) -> str:
    """A header as compared across years: what a reader sees, punctuation aside."""
    return " ".join(_NOT_WORD.sub(" ", skeleton(header)).split())


@dataclass(frozen=True)
class _Row:
    year: int
    codebook: Codebook
    entry: CodebookEntry


def codebook_contradictions(codebooks: dict[int, Codebook],
                            reference: Reference) -> list[Problem]:
    """Every codebook row that reads a header as another key than other years' codebooks
    do, or than the catalogue's wording says, and is not confirmed as a new meaning."""
    by_text: dict[str, list[_Row]] = {}
    for year, codebook in sorted(codebooks.items()):
        for entry in codebook.entries:
            if entry.key:
                by_text.setdefault(header_text(entry.column), []).append(
                    _Row(year, codebook, entry))
    problems = []
    for rows in by_text.values():
        problems += _disagreements(rows) or _label_disagreements(rows)
    catalogue = {header_text(text): key for key, text in
                 zip(reference.questions["key"], reference.questions["text"], strict=True)}
    flagged = {(p.file, p.row) for p in problems}
    for rows in by_text.values():
        for row in rows:
            meant = catalogue.get(header_text(row.entry.column))
            if (display_path(row.codebook.path), row.entry.row) in flagged:
                continue
            if meant and meant != row.entry.key and not row.entry.new_meaning:
                problems.append(_problem(
                    row, f'Overskriften er ordret spørgsmålsteksten for "{meant}" i '
                         f'spørgsmålskataloget, men kodebogen læser den som "{row.entry.key}".',
                    meant, "codebook.contradicts_catalogue"))
    return sorted(problems, key=lambda p: (p.file or "", p.row or 0))


def _disagreements(rows: list[_Row]) -> list[Problem]:
    """Rows of one header text read as different keys: the rows whose key is the
    minority (between equals, the later years), unless marked as a new meaning."""
    counted = [r for r in rows if not r.entry.new_meaning]
    keys = Counter(r.entry.key for r in counted)
    if len(keys) < 2:
        return []
    first_year = {k: min(r.year for r in counted if r.entry.key == k) for k in keys}
    majority = max(keys, key=lambda k: (keys[k], -first_year[k]))
    problems = []
    for row in counted:
        if row.entry.key == majority:
            continue
        others = sorted({r.year for r in counted if r.entry.key == majority})
        years = ", ".join(map(str, others))
        problems.append(_problem(
            row, f'Kodebogen læser overskriften som "{row.entry.key}", men samme overskrift '
                 f'læses som "{majority}" i {years} ({_where(counted, majority)}).',
            majority, "codebook.contradicts_other_year"))
    return problems


def _label_disagreements(rows: list[_Row]) -> list[Problem]:
    """Rows of one header text and key whose value_labels give a numeric code another
    answer than an earlier year's (a scale turned upside down: 1 = Meget tilfreds one year,
    1 = Meget utilfreds the next)."""
    labelled = sorted((r for r in rows if r.entry.value_labels and not r.entry.new_meaning),
                      key=lambda r: r.year)
    if len(labelled) < 2:
        return []
    first = labelled[0]
    problems = []
    for row in labelled[1:]:
        differ = [code for code, answer in row.entry.value_labels.items()
                  if code in first.entry.value_labels
                  and first.entry.value_labels[code] != answer]
        if not differ:
            continue
        shown = "; ".join(f'{c} = "{row.entry.value_labels[c]}" her, men '
                          f'"{first.entry.value_labels[c]}" i {first.year}' for c in differ[:3])
        command = (f"python -m pipeline confirm-codebook {row.year}"
                   f"{surveys_argument(row.codebook.path.parent.parent)} --row {row.entry.row}")
        problems.append(Problem(
            f"Svarkoderne (value_labels) betyder noget andet end for samme overskrift i "
            f"{first.year} ({_where([first], first.entry.key)}): {shown}. Ellers ville "
            "svarene blive vendt om.",
            "Tjek kodningen i survey-værktøjet for begge år, og ret value_labels: "
            f'"{command} --value-labels ...". Er kodningen virkelig ændret i {row.year}, så '
            f'bekræft det: "{command} --new-meaning".', file=display_path(row.codebook.path),
            row=row.entry.row, column="value_labels", value=row.entry.value_labels_text,
            code="codebook.value_labels_contradict_other_year"))
    return problems


def _where(rows: list[_Row], key: str) -> str:
    row = next(r for r in rows if r.entry.key == key)
    return f"{display_path(row.codebook.path)}, række {row.entry.row}"


def _problem(row: _Row, message: str, other_key: str, code: str) -> Problem:
    path = row.codebook.path
    command = (f"python -m pipeline confirm-codebook {row.year}"
               f"{surveys_argument(path.parent.parent)} --row {row.entry.row}")
    return Problem(
        message + " Ellers ville svarene tælle med i en anden indikator end de andre år.",
        f'Er nøglen forkert, så ret den: "{command} --key {other_key}". Betyder overskriften '
        f'virkelig noget andet i {row.year}, så bekræft det: "{command} --new-meaning" '
        f'(skriver "{NEW_MEANING}" i kolonnen confirmed).',
        file=display_path(path), row=row.entry.row, column="key", value=row.entry.key,
        code=code)
