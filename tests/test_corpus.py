"""The bad-input corpus: every case in tests/corpus/ run through `python -m pipeline run`
as a user runs it (from the folder holding surveys/ and targets.csv), against an output
folder holding a good earlier run.

Each case folder holds the small input files and `expected.txt`: for a refused input the
exact text the user sees (exit code 1), for an accepted one the summary lines that must
be printed. `cases.csv` lists every case with its exit code, whether it must give the
same figures as the valid base case, and what it is. A refused case must leave the
previous outputs byte for byte as they were; an accepted one must write a complete set
in which nothing from the export's unread columns (names, e-mails, comments) appears.
The two large cases are generated here into tmp_path, never committed.
"""

from __future__ import annotations

import contextlib
import csv
import shlex
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result
from helpers import TARGETS, run_cli, snapshot, tree, unread_tables

from pipeline.outputs.read import load_outputs, stale_inputs
from pipeline.read.listing import list_inputs
from pipeline.read.tables import clean_header, read_table

CORPUS = Path(__file__).parent / "corpus"
BASE = CORPUS / "valid-base" / "surveys" / "2024"
with open(CORPUS / "cases.csv", newline="", encoding="utf-8") as _fh:
    CASES = {row["case"]: row for row in csv.DictReader(_fh)}
FIGURES = ("indicators.csv", "goals.csv", "distribution.csv")
MAX_COMMITTED_BYTES = 20_000


def base_rows() -> list[list[str]]:
    """The valid base export: header and five responses."""
    with open(BASE / "export.csv", newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh, delimiter=";"))


def make_50_mb_export(year_folder: Path) -> None:
    """The base responses with 300 long free-text columns the codebook does not read:
    about 50 MB, and the same figures as the base."""
    head, *rows = base_rows()
    text = ("Lang fritekst om bibliotekets samarbejde med centralbiblioteket. " * 600)[:34_000]
    with open(year_folder / "export.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow([*head, *(f"Fritekst {i}" for i in range(1, 301))])
        for row in rows:
            writer.writerow([*row, *([text] * 300)])
    assert (year_folder / "export.csv").stat().st_size > 50_000_000


def make_10_000_row_export(year_folder: Path) -> None:
    """10,000 rows with valid municipalities and answers: all years, or a citizen survey,
    but clearly not one response per library."""
    from pipeline.reference import load_reference

    head, *rows = base_rows()
    names = load_reference().kommuner["navn"].tolist()
    with open(year_folder / "export.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(head)
        for i in range(10_000):
            answers = rows[i % len(rows)][3:]
            writer.writerow([f"Respondent {i}", f"r{i}@example.org", names[i % len(names)],
                             *answers])


GENERATED: dict[str, Callable[[Path], None]] = {
    "export-50-mb": make_50_mb_export,
    "export-10000-rows": make_10_000_row_export,
}


def prepare(case: str, where: Path) -> None:
    """Copy a case's inputs to `where` (with the repository's targets.csv unless the case
    has its own) and generate its large export if it has one. Symbolic links are copied
    as links (a case may hold one that points nowhere)."""
    shutil.copytree(CORPUS / case, where, dirs_exist_ok=True, symlinks=True,
                    ignore=shutil.ignore_patterns("expected*"))
    if not (where / "targets.csv").exists():
        shutil.copy(TARGETS, where / "targets.csv")
    if case in GENERATED:
        GENERATED[case](where / "surveys" / "2024")


def run_here(arguments: str = "") -> Result:
    """`python -m pipeline run` in the current folder, with relative paths as typed; a
    case's `arguments` (e.g. `--out surveys/2024`) replace the defaults they name."""
    options = {"--surveys": "surveys", "--targets": "targets.csv", "--out": "output"}
    words = shlex.split(arguments)
    options.update(zip(words[::2], words[1::2], strict=True))
    return run_cli("run", *(w for pair in options.items() for w in pair))


@pytest.fixture(scope="module")
def base_figures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The figures of the valid base case, which the equivalent cases must reproduce."""
    where = tmp_path_factory.mktemp("base")
    prepare("valid-base", where)
    with contextlib.chdir(where):
        result = run_here()
    assert result.exit_code == 0, result.output
    return {name: (where / "output" / name).read_bytes() for name in FIGURES}


def unread_values(where: Path) -> set[str]:
    """Every text in the exports' columns the codebook does not read (names, e-mails,
    phone numbers, comments): none of it may reach an output."""
    values: set[str] = set()
    for year in list_inputs(where / "surveys").years:
        codebook = read_table(year.codebook).cells
        read = {clean_header(c) for c, k in zip(codebook["column"], codebook["key"],
                                                 strict=True) if k.strip()}
        for table in unread_tables(year.exports, read):
            for column in table.cells.columns:
                if column not in read:
                    values |= {v.strip() for v in table.cells[column] if len(v.strip()) >= 4}
    return values


def output_texts(out: Path) -> Iterator[tuple[str, str]]:
    for path in sorted(out.iterdir()):
        if path.is_file():
            yield path.name, path.read_bytes().decode("utf-8", errors="replace")


def test_the_corpus_is_complete_and_small():
    folders = {p.name for p in CORPUS.iterdir() if p.is_dir()}
    assert folders == set(CASES)
    assert len(CASES) >= 30
    for case in CASES:
        assert (CORPUS / case / "expected.txt").read_text(encoding="utf-8").strip(), case
    for path in CORPUS.rglob("*"):  # large inputs are generated by the test, not committed
        assert not path.is_file() or path.stat().st_size < MAX_COMMITTED_BYTES, path
    for case in GENERATED:
        assert sorted(p.name for p in (CORPUS / case / "surveys" / "2024").iterdir()) == \
            ["codebook.csv"]


FAST_CASES = {"valid-base", "answer-outside-scale", "codebook-swapped-across-years",
              "same-export-in-two-years", "xlsx-hidden-row", "empty-resubmission-after-full-answer",
              "answer-zero-width-space", "out-inside-surveys", "surveyxact-xlsx",
              "target-row-missing"}
"""One case or two of each kind, for the fast edit-test loop (`pytest -m "not slow"`); the
full test command runs every case."""


@pytest.mark.parametrize("case", [c if c in FAST_CASES else pytest.param(c, marks=pytest.mark.slow)
                                  for c in sorted(CASES)])
def test_corpus_case(case: str, tmp_path: Path, previous_output: Path,
                     monkeypatch: pytest.MonkeyPatch, base_figures: dict[str, bytes]):
    info = CASES[case]
    prepare(case, tmp_path)
    monkeypatch.chdir(tmp_path)
    before = snapshot(previous_output)
    inputs_before = tree(tmp_path / "surveys")
    result = run_here(info["arguments"])
    expected = (CORPUS / case / "expected.txt").read_text(encoding="utf-8")
    assert result.exit_code == int(info["exit_code"]), result.output
    assert "Traceback" not in result.output and "Uventet fejl" not in result.output
    assert tree(tmp_path / "surveys") == inputs_before  # the inputs are never written to
    if info["also_check"]:  # check passes exactly when run does, and says the same
        checked = run_cli("check", "--surveys", "surveys", "--targets", "targets.csv")
        assert checked.exit_code == result.exit_code, checked.output
        assert "Traceback" not in checked.output and "Uventet fejl" not in checked.output
    if result.exit_code != 0:
        assert result.output == expected
        assert "Gør sådan:" in result.output
        assert snapshot(previous_output) == before  # nothing written, nothing half-written
        assert not list(previous_output.glob(".staging-*"))
        return
    lines = result.output.splitlines()
    for line in expected.splitlines():
        assert line in lines, (line, result.output)
    outputs = load_outputs(previous_output)  # a complete set: every hash matches
    assert outputs.years == [y.year for y in list_inputs(tmp_path / "surveys").years]
    assert stale_inputs(outputs.manifest) == []  # run and the freshness check agree
    if info["same_figures_as"]:
        for name in FIGURES:
            assert (previous_output / name).read_bytes() == base_figures[name], name
    for expected_file in sorted((CORPUS / case).glob("expected_*")):
        name = expected_file.name.removeprefix("expected_")
        assert (previous_output / name).read_bytes() == expected_file.read_bytes(), name
    secrets = unread_values(tmp_path)
    assert secrets, case  # every accepted case has names, e-mails or comments to keep out
    for name, text in output_texts(previous_output):
        for secret in secrets:
            assert secret not in text, (secret[:60], name)


def test_the_fast_sample_names_real_cases():
    assert set(CASES) >= FAST_CASES
