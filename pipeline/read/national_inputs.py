"""Read and check the two sheets in the surveys folder that are not survey exports.

- `national_figures.csv` (or .xlsx): year, measure, licence, value, source. National
  statistics: interlibrary loans, and per licence its use and unique users.
- `judgements.csv` (or .xlsx): year, indicator_id, status, evidence, agreed_figure,
  agreed_target. The yearly "sandsynliggjort" judgement per theme track.

The README shows an example of each. Checks follow the survey's standard: every
problem names file, row, column and value, and the run stops.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.errors import InputError, Problem, raise_if_any
from pipeline.files import InputFile, display_path, sha256
from pipeline.invisible import describe_hidden, lookalike
from pipeline.read.listing import list_inputs, read_input
from pipeline.read.tables import Table, parse_count, read_table
from pipeline.reference import Reference, normalise_text

FIGURE_COLUMNS = ["year", "measure", "licence", "value", "source"]
JUDGEMENT_COLUMNS = ["year", "indicator_id", "status", "evidence", "agreed_figure",
                     "agreed_target"]


@dataclass
class NationalInputs:
    figures: pd.DataFrame | None
    judgements: pd.DataFrame | None
    inputs: list[InputFile]
    missing: list[str]
    """Names of the sheets that were not found, for the notes in the output."""


def read_national_inputs(root: Path, reference: Reference, survey_years: list[int],
                         found: dict[str, Path] | None = None) -> NationalInputs:
    """`found`: the sheets as the surveys folder's listing found them (stem -> file);
    listed here when not given."""
    problems: list[Problem] = []
    inputs: list[InputFile] = []
    missing: list[str] = []
    frames: dict[str, pd.DataFrame | None] = {}
    if found is None:
        listing = list_inputs(root)
        found = listing.national
        problems += [p for p in listing.problems if p.code.startswith("national.")]
    for stem, reader in (("national_figures", _figures), ("judgements", _judgements)):
        path = found.get(stem)
        if path is None:
            frames[stem] = None
            missing.append(stem)
            continue
        try:
            data = read_input(path)
            table = read_table(path, data, rows_name="rækker med tal")
            frames[stem] = reader(table, reference, survey_years)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        inputs.append(InputFile(display_path(path), stem, sha256(data), len(data)))
    raise_if_any(problems)
    return NationalInputs(frames["national_figures"], frames["judgements"], inputs, missing)


def _columns(table: Table, expected: list[str], required: list[str]) -> pd.DataFrame:
    cells = table.cells.rename(columns={c: normalise_text(c) for c in table.cells.columns})
    missing = [c for c in required if c not in cells]
    if missing:
        raise InputError([Problem(
            f"Kolonnen/kolonnerne {', '.join(missing)} mangler.",
            f"Filen skal have overskrifterne {','.join(expected)} (se README).",
            file=display_path(table.path), row=1, value=lookalike(missing[0], cells.columns),
            code="national.columns_missing")])
    for c in expected:
        if c not in cells:
            cells[c] = ""
    return cells


def _year(text: str, survey_years: list[int], allow_baseline: bool) -> tuple[int | None, str]:
    """Check a year: it must have a survey; national figures may also hold the year just
    before the first survey, as the baseline for the first year's change."""
    if not text.isdigit():
        return None, "Året er ikke et årstal."
    year = int(text)
    baseline = min(survey_years) - 1 if survey_years else None
    if year in survey_years or (allow_baseline and year == baseline):
        return year, ""
    allowed = ", ".join(map(str, survey_years))
    extra = f" (og {baseline} som udgangspunkt)" if allow_baseline and baseline else ""
    return None, f"Året har ingen survey; år med survey er {allowed}{extra}."


def _figures(table: Table, reference: Reference, survey_years: list[int]) -> pd.DataFrame:
    where = display_path(table.path)
    cells = _columns(table, FIGURE_COLUMNS, ["year", "measure", "value"])
    measures = reference.national_measures.set_index("measure")
    problems: list[Problem] = []
    records = []
    seen: dict[tuple, int] = {}
    for row, r in cells.iterrows():
        row = int(row)
        year, why = _year(str(r["year"]).strip(), survey_years, allow_baseline=True)
        if year is None:
            problems.append(Problem(why, "Ret året, eller slet rækken.", where, row, "year",
                                    r["year"], code="national.year_invalid"))
            continue
        measure = normalise_text(r["measure"])
        if measure not in measures.index:
            problems.append(Problem(
                "Nøgletallet kendes ikke.",
                f"Brug et af: {', '.join(measures.index)} (se "
                "pipeline/reference/national_measures.csv).", where, row, "measure",
                r["measure"], code="national.measure_unknown"))
            continue
        licence = " ".join(str(r["licence"]).split())
        if describe_hidden(licence):
            problems.append(Problem(
                "Licensens navn indeholder et tegn, der ikke kan ses, så det ikke kan "
                "sammenlignes med de andre års navn.",
                "Ret licensens navn.", where, row, "licence", licence,
                code="national.licence_hidden_character"))
            continue
        per_licence = bool(measures.at[measure, "per_licence"])
        if per_licence and not licence:
            problems.append(Problem(f"'{measure}' opgøres pr. licens, men licensen mangler.",
                                    "Skriv licensens navn (fx eReolen) i kolonnen licence.",
                                    where, row, "licence", "", code="national.licence_missing"))
            continue
        if not per_licence and licence:
            problems.append(Problem(f"'{measure}' er et samlet nationalt tal uden licens.",
                                    "Lad kolonnen licence stå tom.", where, row, "licence",
                                    licence, code="national.licence_not_expected"))
            continue
        value = parse_count(str(r["value"]))
        if value is None:
            text = str(r["value"]).strip()
            negative = text.startswith(("-", "−"))
            problems.append(Problem(
                "Et antal kan ikke være negativt." if negative else
                "Værdien er ikke et helt antal.",
                "Skriv antallet som et helt, ikke-negativt tal, fx 725000 eller 725.000.",
                where, row, "value", text, code="national.value_invalid"))
            continue
        identity = (year, measure, licence_key(licence))
        if identity in seen:
            problems.append(Problem(
                f"Tallet for {measure} {licence} {year} står to gange (også række "
                f"{seen[identity]}).".replace("  ", " "),
                "Slet den ene række, så hvert tal kun står én gang.", where, row, "year", year,
                code="national.duplicate_row"))
            continue
        seen[identity] = row
        records.append({"year": year, "measure": measure, "licence": licence, "value": value,
                        "source": str(r["source"]).strip(), "source_file": where,
                        "source_row": row})
    raise_if_any(problems)
    return _one_spelling(pd.DataFrame.from_records(records))


def licence_key(name: str) -> str:
    """A licence name as names are compared across years, like municipality names: case,
    spaces (also non-breaking), hyphens for spaces and Unicode forms aside ("eReolen",
    "EReolen", "ereolen " are one licence; "eReolen Go" is another)."""
    return " ".join(normalise_text(name).replace("-", " ").split())


def _one_spelling(figures: pd.DataFrame) -> pd.DataFrame:
    """Every licence under one name in all years (its most frequent spelling; between
    equals, the earliest), so that the years compare like with like whatever the case or
    spacing each year."""
    if figures.empty or not (figures["licence"] != "").any():
        return figures
    key = figures["licence"].map(licence_key)
    spelled = figures.assign(_key=key).sort_values(["year", "source_row"])
    counts = spelled.groupby(["_key", "licence"], sort=False).size().reset_index(name="n")
    chosen = counts.sort_values("n", ascending=False, kind="stable").drop_duplicates(
        "_key").set_index("_key")["licence"]
    figures = figures.copy()
    figures["licence"] = key.map(chosen).where(figures["licence"] != "", "")
    return figures


def _judgements(table: Table, reference: Reference, survey_years: list[int]) -> pd.DataFrame:
    where = display_path(table.path)
    cells = _columns(table, JUDGEMENT_COLUMNS, ["year", "indicator_id", "status", "evidence"])
    judged = reference.indicators.loc[reference.indicators["kind"] == "judgement",
                                      "indicator_id"].tolist()
    statuses = {normalise_text(s): s for s in reference.judgement_statuses["status"]}
    problems: list[Problem] = []
    records = []
    seen: dict[tuple, int] = {}
    for row, r in cells.iterrows():
        row = int(row)
        year, why = _year(str(r["year"]).strip(), survey_years, allow_baseline=False)
        if year is None:
            problems.append(Problem(why, "Ret året, eller slet rækken.", where, row, "year",
                                    r["year"], code="judgements.year_invalid"))
            continue
        ind = str(r["indicator_id"]).strip().upper()
        if ind not in judged:
            problems.append(Problem("Indikatoren er ikke en af dem, der vurderes kvalitativt.",
                                    f"Brug et af: {', '.join(judged)}.", where, row,
                                    "indicator_id", r["indicator_id"],
                                    code="judgements.indicator_unknown"))
            continue
        status = statuses.get(normalise_text(r["status"]))
        if status is None:
            problems.append(Problem(
                "Status skal være et af de aftalte ord.",
                f"Skriv {' eller '.join(repr(s) for s in statuses.values())}.", where, row,
                "status", r["status"], code="judgements.status_unknown"))
            continue
        evidence = " ".join(str(r["evidence"]).split())
        if not evidence:
            problems.append(Problem("Vurderingen har ingen begrundelse.",
                                    "Skriv kort, hvad vurderingen bygger på (evidence).", where,
                                    row, "evidence", "", code="judgements.evidence_missing"))
            continue
        agreed = {}
        for col in ("agreed_figure", "agreed_target"):
            text = str(r[col]).strip()
            agreed[col] = parse_count(text) if text else None
            if text and agreed[col] is None:
                problems.append(Problem("Det aftalte nøgletal skal være et helt tal.",
                                        "Skriv tallet uden enhed, fx 1200, eller lad feltet stå "
                                        "tomt.", where, row, col, text,
                                        code="judgements.agreed_figure_invalid"))
        identity = (year, ind)
        if identity in seen:
            problems.append(Problem(
                f"Vurderingen for {ind} {year} står to gange (også række {seen[identity]}).",
                "Slet den ene række.", where, row, "indicator_id", ind,
                code="judgements.duplicate_row"))
            continue
        seen[identity] = row
        records.append({"year": year, "indicator_id": ind, "judgement": status,
                        "evidence": evidence, **agreed, "source_file": where, "source_row": row})
    raise_if_any(problems)
    return pd.DataFrame.from_records(records)
