"""Read and check targets.csv: the binding targets of Bilag 3, one row per indicator and year."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.errors import InputError, Problem, raise_if_any
from pipeline.files import InputFile, display_path, sha256
from pipeline.invisible import lookalike
from pipeline.read.listing import read_input
from pipeline.read.tables import parse_count, read_table
from pipeline.reference import Reference, normalise_text

TARGET_KINDS = {
    "min_share": "the share of positive answers must be at least `target` (a fraction 0-1)",
    "min_count": "the national figure must be at least `target` (a whole number)",
    "positive_development": ("the like-for-like total use of the licences and the users of "
                             "every licence reported in both years must rise from the year "
                             "before (users of different licences are never summed)"),
    "sandsynliggjort": "SLKS and the CBs must judge the value 'sandsynliggjort'",
    "none": "no target that year: the figure is shown, with no verdict",
}
KINDS_FOR_INDICATOR = {
    "survey_share": {"min_share", "none"},
    "participant_share": {"min_share", "none"},
    "national_count": {"min_count", "none"},
    "national_trend": {"positive_development", "none"},
    "judgement": {"sandsynliggjort", "none"},
}
COLUMNS = ["indicator_id", "year", "target_kind", "target", "bilag3_text", "source"]


def _number_hint(text: str) -> str:
    """'75 %' is a share written as a percentage: say what to write instead."""
    percent = text.removesuffix("%").strip().replace(",", ".")
    try:
        value = float(percent)
    except ValueError:
        return "Skriv målet som tal, fx 0.85 for 85 %."
    if text.endswith("%") and 0 <= value <= 100:
        return f"Skriv andelen som brøk uden procenttegn: {text} skrives {value / 100:g}."
    return "Skriv målet som tal, fx 0.85 for 85 %."


def _share_hint(target: float) -> str:
    if 1 < target <= 100 and target.is_integer():
        return (f"Det ligner en procent: skriv {target / 100:g} for {target:g} %. Andele skrives "
                "som brøk (85 % skrives 0.85).")
    return ("Skriv målet som brøk mellem 0 og 1 (85 % skrives 0.85); et mål over 1 (100 %) "
            "kan aldrig nås.")


def read_targets(path: Path, reference: Reference) -> tuple[pd.DataFrame, InputFile]:
    """The targets (indicator_id, year, target_kind, target as a float or NaN,
    bilag3_text, source) and the file with its hash, for the manifest."""
    where = display_path(path)
    if not path.exists():
        raise InputError([Problem("Filen med målene findes ikke.",
                                  "Angiv den rigtige fil med --targets (standard: targets.csv).",
                                  file=where, code="targets.file_missing")])
    data = read_input(path)
    table = read_table(path, data, rows_name="mål")
    cells = table.cells.rename(columns={c: normalise_text(c) for c in table.cells.columns})
    missing = [c for c in COLUMNS[:4] if c not in cells]
    if missing:
        raise InputError([Problem(f"Kolonnen/kolonnerne {', '.join(missing)} mangler.",
                                  f"targets.csv skal have kolonnerne {','.join(COLUMNS)}.",
                                  file=where, row=1, value=lookalike(missing[0], cells.columns),
                                  code="targets.columns_missing")])
    kinds = reference.indicators.set_index("indicator_id")["kind"].to_dict()
    problems: list[Problem] = []
    records = []
    seen: dict[tuple[str, int], int] = {}
    for row, cells_row in cells.iterrows():
        try:
            records.append(_target(_Cell(where, int(row)), cells_row, kinds, seen))
        except InputError as exc:
            problems += exc.problems
    raise_if_any(problems)
    return (pd.DataFrame.from_records(records, columns=COLUMNS),
            InputFile(where, "targets", sha256(data), len(data)))


@dataclass(frozen=True)
class _Cell:
    """Where in targets.csv a row is, to refuse one of its cells with file and row."""

    file: str
    row: int

    def refuse(self, message: str, hint: str, column: str, value: object,
               code: str) -> InputError:
        return InputError([Problem(message, hint, file=self.file, row=self.row,
                                   column=column, value=value, code=code)])


def _target(at: _Cell, cells: pd.Series, kinds: dict[str, str],
            seen: dict[tuple[str, int], int]) -> dict:
    """One row checked and parsed; raises InputError for the first thing wrong in it."""
    ind = str(cells["indicator_id"]).strip()
    year_text = str(cells["year"]).strip()
    kind = normalise_text(cells["target_kind"])
    if ind not in kinds:
        raise at.refuse("Indikatoren findes ikke i indikatorkataloget.",
                          "Brug et id fra pipeline/reference/indicators.csv (fx MO-FYS).",
                          "indicator_id", ind, "targets.indicator_unknown")
    if not year_text.isdigit():
        raise at.refuse("Året er ikke et årstal.", "Skriv året med fire cifre, fx 2024.",
                          "year", year_text, "targets.year_invalid")
    year = int(year_text)
    if (ind, year) in seen:
        raise at.refuse(
            f"Målet for {ind} i {year} står to gange (også i række {seen[ind, year]}).",
            "Slet den ene række, så hvert mål kun står én gang.", "indicator_id", ind,
            "targets.duplicate_row")
    seen[ind, year] = at.row
    allowed = KINDS_FOR_INDICATOR[kinds[ind]]
    if kind not in allowed:
        raise at.refuse(f"Måltypen passer ikke til indikatoren (en {kinds[ind]}).",
                          "Brug en af: " + ", ".join(sorted(allowed)) + ".", "target_kind",
                          cells["target_kind"], "targets.kind_invalid")
    return {"indicator_id": ind, "year": year, "target_kind": kind,
            "target": _target_value(at, kind, str(cells["target"]).strip()),
            "bilag3_text": str(cells.get("bilag3_text", "")).strip(),
            "source": str(cells.get("source", "")).strip()}


def _target_value(at: _Cell, kind: str, text: str) -> float:
    """The target as a number: a count for min_count (725000 or, the Danish way,
    725.000: never 725), a fraction 0-1 for min_share, none for the other kinds."""
    if kind == "min_count":
        count = parse_count(text)
        if count is None:
            raise at.refuse("Et måltal for et antal skal være et helt, ikke-negativt tal.",
                              "Skriv fx 725000 eller 725.000.", "target", text,
                              "targets.count_invalid")
        return float(count)
    if kind == "min_share":
        try:
            target = float(text.replace(",", "."))
        except ValueError:
            raise at.refuse("Målet er ikke et tal.", _number_hint(text), "target", text,
                              "targets.share_not_a_number") from None
        if not 0 <= target <= 1:
            raise at.refuse("En andel skal ligge mellem 0 og 1 (fx 0.85 for 85 %).",
                              _share_hint(target), "target", text, "targets.share_out_of_range")
        return target
    if text:
        raise at.refuse(f'Måltypen "{kind}" har ingen talværdi, men feltet target er udfyldt.',
                          "Lad target stå tomt, eller ret måltypen.", "target", text,
                          "targets.value_not_expected")
    return float("nan")


def check_complete(targets: pd.DataFrame, years: list[int], reference: Reference,
                   path: Path) -> None:
    """Every indicator needs a row for every survey year that targets.csv covers (a target,
    or `none` where Bilag 3 has no figure): a missing row would otherwise silently mean
    "no target" and could turn a goal "Opfyldt". Raises InputError with one problem per
    missing indicator and year.

    A survey year with no rows at all lies outside the agreement (e.g. a new year's export
    before a new agreement): its figures are computed without verdicts, and the years are
    listed by `uncovered_years`, so that the run can say so."""
    where = display_path(path)
    catalogue = reference.indicators.set_index("indicator_id")
    covered = set(zip(targets["indicator_id"], targets["year"], strict=True))
    target_years = set(targets["year"])
    problems = []
    for year in years:
        if year not in target_years:
            continue
        for ind, info in catalogue.iterrows():
            if (ind, year) in covered:
                continue
            problems.append(Problem(
                f"Der mangler en række for {ind} ({info['label']}) i {year}. Uden den "
                f"ville indikatoren stå uden mål, og resultatmålet kunne fejlagtigt blive "
                f"opfyldt.",
                f"Tilføj en række med målet fra Bilag 3 for {year}, eller, hvis Bilag 3 ikke "
                f"har et tal for året, en række med måltypen none: "
                f"{ind},{year},none,,n/a,Bilag 3",
                file=where, code="targets.missing_row"))
    raise_if_any(problems)


def uncovered_years(targets: pd.DataFrame, years: list[int]) -> list[int]:
    """The survey years without a single row in targets.csv (outside the agreement)."""
    covered = set(targets["year"])
    return [year for year in years if year not in covered]
