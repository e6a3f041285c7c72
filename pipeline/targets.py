"""Read and check targets.csv: the binding targets of Bilag 3, one row per indicator and year."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.errors import InputError, Problem, raise_if_any
from pipeline.national_inputs import parse_count
from pipeline.readers import read_table
from pipeline.reference import Reference, normalise_text
from pipeline.survey import display_path

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


def read_targets(path: Path, reference: Reference) -> pd.DataFrame:
    """Return indicator_id, year, target_kind, target (float or NaN), bilag3_text, source."""
    where = display_path(path)
    if not path.exists():
        raise InputError([Problem("Filen med målene findes ikke.",
                                  "Angiv den rigtige fil med --targets (standard: targets.csv).",
                                  file=where)])
    table = read_table(path, rows_name="mål")
    cells = table.cells.rename(columns={c: normalise_text(c) for c in table.cells.columns})
    missing = [c for c in COLUMNS[:4] if c not in cells]
    if missing:
        raise InputError([Problem(f"Kolonnen/kolonnerne {', '.join(missing)} mangler.",
                                  f"targets.csv skal have kolonnerne {','.join(COLUMNS)}.",
                                  file=where, row=1)])
    kinds = reference.indicators.set_index("indicator_id")["kind"]
    problems: list[Problem] = []
    records = []
    seen: dict[tuple[str, int], int] = {}
    for row, cells_row in cells.iterrows():
        ind = str(cells_row["indicator_id"]).strip()
        year_text = str(cells_row["year"]).strip()
        kind = normalise_text(cells_row["target_kind"])
        target_text = str(cells_row["target"]).strip()

        def problem(message: str, hint: str, column: str, value: object,
                    _row: int = int(row)) -> None:
            problems.append(Problem(message, hint, file=where, row=_row, column=column,
                                    value=value))

        if ind not in kinds:
            problem("Indikatoren findes ikke i indikatorkataloget.",
                    "Brug et id fra pipeline/reference/indicators.csv (fx MO-FYS).",
                    "indicator_id", ind)
            continue
        if not year_text.isdigit():
            problem("Året er ikke et årstal.", "Skriv året med fire cifre, fx 2024.", "year",
                    year_text)
            continue
        year = int(year_text)
        if (ind, year) in seen:
            problem(f"Målet for {ind} i {year} står to gange (også i række {seen[ind, year]}).",
                    "Slet den ene række, så hvert mål kun står én gang.", "indicator_id", ind)
            continue
        seen[ind, year] = int(row)
        if kind not in KINDS_FOR_INDICATOR[kinds[ind]]:
            problem(f"Måltypen passer ikke til indikatoren (en {kinds[ind]}).",
                    "Brug en af: " + ", ".join(sorted(KINDS_FOR_INDICATOR[kinds[ind]])) + ".",
                    "target_kind", cells_row["target_kind"])
            continue
        target = float("nan")
        if kind == "min_count":  # 725000 or, the Danish way, 725.000: never 725
            count = parse_count(target_text)
            if count is None:
                problem("Et måltal for et antal skal være et helt, ikke-negativt tal.",
                        "Skriv fx 725000 eller 725.000.", "target", target_text)
                continue
            target = float(count)
        elif kind == "min_share":
            try:
                target = float(target_text.replace(",", "."))
            except ValueError:
                problem("Målet er ikke et tal.", _number_hint(target_text), "target",
                        target_text)
                continue
            if not 0 <= target <= 1:
                problem("En andel skal ligge mellem 0 og 1 (fx 0.85 for 85 %).",
                        _share_hint(target), "target", target_text)
                continue
        elif target_text:
            problem(f'Måltypen "{kind}" har ingen talværdi, men feltet target er udfyldt.',
                    "Lad target stå tomt, eller ret måltypen.", "target", target_text)
            continue
        records.append({"indicator_id": ind, "year": year, "target_kind": kind,
                        "target": target,
                        "bilag3_text": str(cells_row.get("bilag3_text", "")).strip(),
                        "source": str(cells_row.get("source", "")).strip()})
    raise_if_any(problems)
    return pd.DataFrame.from_records(records, columns=COLUMNS)


def check_complete(targets: pd.DataFrame, years: list[int], reference: Reference,
                   path: Path) -> list[int]:
    """Every indicator needs a row for every survey year that targets.csv covers (a target,
    or `none` where Bilag 3 has no figure): a missing row would otherwise silently mean
    "no target" and could turn a goal "Opfyldt". Raises InputError with one problem per
    missing indicator and year.

    A survey year with no rows at all lies outside the agreement (e.g. a new year's export
    before a new agreement): its figures are computed without verdicts, and the years are
    returned so that the run can say so."""
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
    return [year for year in years if year not in target_years]
