"""Property tests: exports as different tools and hands write them give exactly the
figures of the clean export, or a refusal that names file, row and column. Never a crash,
never a silently different figure.

Each example draws a small clean export (a few municipalities and their answers) and a
twin with the same responses written differently: other accepted spellings of the
municipalities (case, spaces, "Kommune", aliases, the code as text or number), answers in
random case with stray spaces, extra columns the codebook does not read (formula-like
text, names, e-mails), shuffled columns and rows, blank rows, and another file format,
delimiter or encoding. Both go through `pipeline.run.compute` in-process. A second
property breaks one cell (or one header) and expects an InputError pointing at it.
"""

from __future__ import annotations

import csv
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from helpers import TARGETS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from pipeline.errors import InputError
from pipeline.reference import load_reference, normalise_kommune, normalise_text
from pipeline.run import RunConfig, RunResult, compute

REF = load_reference()
LOOKUP = REF.kommune_lookup()
NAMES = REF.kommuner.set_index("kode")["navn"].to_dict()
ALIASES = REF.aliases.groupby("kode")["alias"].apply(list).to_dict()
CODES = [101, 147, 169, 173, 185, 316, 400, 430, 461, 492, 657, 751, 851]
"""Municipalities with hyphens, æøå, aliases and codes below 100... and in every CB region."""
SATISFACTION = REF.scale_answers("satisfaction")["answer"].tolist()
DEGREE = REF.scale_answers("degree")["answer"].tolist()
HEADERS = {
    "kommune": "Kommune",
    "besvaret": "Afsluttet",
    "tilfreds_fysisk": "Hvor tilfreds er I med den fysiske del af materialeoverbygningen?",
    "tydelighed": "I hvilken grad oplever I tydelighed om det samlede tilbud?",
    "deltog_laes": "Har biblioteket deltaget aktivt i læsesporet?",
    "styrker_laes": "Har deltagelsen styrket bibliotekets arbejde (læsesporet)?",
}
KEYS = list(HEADERS)
SCALE_OF = {"tilfreds_fysisk": SATISFACTION, "tydelighed": DEGREE,
            "deltog_laes": ["Ja", "Nej", "Ved ikke"], "styrker_laes": DEGREE}
TEXT = "abcdeæøåÆØÅ XYZ0123456789=+-@'\";,.:!?()"
"""Free text in the unread columns: formula starts, quotes and delimiters included; all of
it encodable in Windows-1252, as real exports in that encoding are."""
PERSONAL = ["Birte Bogorm", "birte@example.org", "+45 20 30 40 50", "Ring efter kl. 14",
            "=HYPERLINK(\"http://evil.example\",\"klik\")", "@SUM(A1:A9)", "-  punkt"]
CLEAN_CACHE: dict[tuple, RunResult] = {}


@dataclass
class Export:
    """An export to write: header, rows (cells as text or numbers) and how to write it."""

    header: list[str]
    rows: list[list[object]]
    fmt: str = "csv"
    delimiter: str = ";"
    encoding: str = "utf-8"
    codebook: list[tuple[str, str]] | None = None

    def write(self, root: Path) -> Path:
        folder = root / "2024"
        folder.mkdir(parents=True)
        with open(folder / "codebook.csv", "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["column", "key"])
            writer.writerows(self.codebook or [(HEADERS[k], k) for k in KEYS])
        table = [self.header, *self.rows]
        if self.fmt == "xlsx":
            wb = Workbook()
            for row in table:
                wb.active.append(row)
            path = folder / "export.xlsx"
            wb.save(path)
            return path
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=self.delimiter, lineterminator="\r\n").writerows(
            [[str(c) for c in row] for row in table])
        path = folder / "export.csv"
        path.write_bytes(buffer.getvalue().encode(self.encoding))
        return path


def run(export: Export) -> RunResult:
    with tempfile.TemporaryDirectory() as tmp:
        export.write(Path(tmp) / "surveys")
        return compute(RunConfig(surveys=Path(tmp) / "surveys", targets=TARGETS,
                                 out=Path(tmp) / "out"))


@st.composite
def responses(draw) -> list[dict[str, str]]:
    """A clean year: distinct municipalities, answers on their scales, skip logic kept."""
    codes = draw(st.lists(st.sampled_from(CODES), min_size=2, max_size=7, unique=True))
    rows = []
    for day, code in enumerate(codes, start=1):
        took_part = draw(st.sampled_from(["Ja", "Nej", "Ved ikke", ""]))
        rows.append({
            "kommune": NAMES[code], "besvaret": f"2024-03-{day:02d} 10:{day:02d}",
            "tilfreds_fysisk": draw(st.sampled_from([*SATISFACTION, ""])),
            "tydelighed": draw(st.sampled_from([*DEGREE, ""])),
            "deltog_laes": took_part,
            "styrker_laes": draw(st.sampled_from([*DEGREE, ""])) if took_part == "Ja" else "",
        })
    return rows


def clean_export(rows: list[dict[str, str]]) -> Export:
    return Export([HEADERS[k] for k in KEYS], [[r[k] for k in KEYS] for r in rows])


def clean_result(rows: list[dict[str, str]]) -> RunResult:
    key = tuple(tuple(r.values()) for r in rows)
    if key not in CLEAN_CACHE:
        CLEAN_CACHE[key] = run(clean_export(rows))
    return CLEAN_CACHE[key]


def spelling(draw, code: int, fmt: str) -> object:
    """Any accepted way of writing the municipality."""
    name = NAMES[code]
    options = [name, name.upper(), name.lower(), f"  {name} ", f"{name} Kommune",
               f"{name.lower()} kommune", name.replace("-", " "), str(code), f"{code:03d}",
               *ALIASES.get(code, [])]
    if fmt == "xlsx":
        options += [code, float(code)]  # a number cell, as Excel stores a code
    return draw(st.sampled_from(options))


def messy(draw, answer: str) -> str:
    """The same answer in random case, with stray (also non-breaking) spaces."""
    if not answer:
        return draw(st.sampled_from(["", " ", "  "]))
    cased = "".join(c.upper() if draw(st.booleans()) else c.lower() for c in answer)
    cased = cased.replace(" ", draw(st.sampled_from([" ", "  ", "\u00a0"])))
    return draw(st.sampled_from(["", " ", "\u00a0"])) + cased + draw(st.sampled_from(["", "  "]))


def timestamp(draw, text: str) -> str:
    """The completion time in another accepted format."""
    when = pd.Timestamp(text)
    return when.strftime(draw(st.sampled_from(["%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M",
                                               "%d.%m.%Y %H:%M", "%Y-%m-%dT%H:%M:%S"])))


@st.composite
def twins(draw) -> tuple[list[dict[str, str]], Export]:
    rows = draw(responses())
    fmt = draw(st.sampled_from(["csv", "csv", "xlsx"]))
    n_extra = draw(st.integers(0, 4))
    extra = [f"Ekstra {i}: {draw(st.sampled_from(['Navn', 'E-mail', 'Kommentar', 'IP']))}"
             for i in range(n_extra)]
    header = [HEADERS[k] for k in KEYS] + extra
    body: list[list[object]] = []
    for r in rows:
        cells: list[object] = [spelling(draw, LOOKUP[normalise_kommune(r["kommune"])], fmt),
                               timestamp(draw, r["besvaret"])]
        cells += [messy(draw, r[k]) for k in KEYS[2:]]
        cells += [draw(st.one_of(st.sampled_from(PERSONAL), st.text(TEXT, max_size=20)))
                  for _ in extra]
        body.append(cells)
    for _ in range(draw(st.integers(0, 2))):  # blank rows, or rows with only a comment
        filler = draw(st.sampled_from(["", "kun en kommentar"]))
        body.insert(draw(st.integers(0, len(body))), [""] * len(KEYS) + [filler] * n_extra)
    order = draw(st.permutations(range(len(header))))
    header = [draw(st.sampled_from([h, f" {h} ", h.replace(" ", "  ", 1)])) for h in header]
    header = [header[i] for i in order]
    body = [[row[i] for i in order] for row in draw(st.permutations(body))]
    codebook = [(HEADERS[k], k) for k in KEYS]
    codebook += [(h, "") for h in extra if draw(st.booleans())]  # listed with no key, or not
    codebook = draw(st.permutations(codebook))
    export = Export(header, body, fmt, draw(st.sampled_from([";", ",", "\t"])),
                    draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"])),
                    list(codebook))
    return rows, export


@pytest.mark.slow
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(twins())
def test_an_export_written_differently_gives_exactly_the_same_figures(pair):
    rows, export = pair
    clean, messy_result = clean_result(rows), run(export)
    for name in ("indicators", "goals", "distribution"):
        pd.testing.assert_frame_equal(getattr(messy_result, name), getattr(clean, name),
                                      obj=name)


def not_a_municipality(text: str) -> bool:
    key = normalise_kommune(text)
    return bool(key) and key not in LOOKUP and not (key.isdigit() and int(key) in NAMES)


@st.composite
def broken(draw) -> tuple[Export, int | None, str]:
    """A clean export with one cell (or the header of one key) made unreadable; returns it
    with the Excel row and the column (key or header) a problem must point at."""
    rows = draw(responses())
    export = clean_export(rows)
    export.fmt = draw(st.sampled_from(["csv", "xlsx"]))
    i = draw(st.integers(0, len(rows) - 1))
    kind = draw(st.sampled_from(["kommune", "code", "answer", "skip", "header"]))
    if kind == "kommune":
        value = draw(st.text(TEXT, min_size=1, max_size=15).filter(not_a_municipality))
        export.rows[i][0], column = value, "kommune"
    elif kind == "code":
        code = draw(st.integers(1, 999).filter(lambda c: c not in NAMES))
        export.rows[i][0], column = draw(st.sampled_from([str(code), f"{code:03d}"])), "kommune"
    elif kind == "answer":
        key = draw(st.sampled_from(["tilfreds_fysisk", "tydelighed", "deltog_laes"]))
        answers = {normalise_text(a) for a in SCALE_OF[key]}
        value = draw(st.text(TEXT, min_size=1, max_size=15).filter(
            lambda t: normalise_text(t) and normalise_text(t) not in answers))
        export.rows[i][KEYS.index(key)], column = value, key
    elif kind == "skip":  # styrker answered by a library that did not take part
        export.rows[i][KEYS.index("deltog_laes")] = draw(st.sampled_from(["Nej", "", "Ved ikke"]))
        export.rows[i][KEYS.index("styrker_laes")] = draw(st.sampled_from(DEGREE))
        column = "styrker_laes"
    else:
        key = draw(st.sampled_from(KEYS))
        export.header[KEYS.index(key)] += draw(st.sampled_from([" (ny)", "?", " 2024"]))
        return export, None, HEADERS[key]
    return export, i + 2, column


@pytest.mark.slow
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(broken())
def test_a_broken_cell_is_refused_with_file_row_and_column(case):
    export, row, column = case
    try:
        run(export)
    except InputError as exc:
        problems = exc.problems
    else:
        raise AssertionError("the broken export was accepted")
    assert problems and all(p.hint and p.file for p in problems)
    name = "export.xlsx" if export.fmt == "xlsx" else "export.csv"
    assert any(p.file.endswith(name) and p.row == row and p.column == column
               for p in problems), [p.format() for p in problems]
