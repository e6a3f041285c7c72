"""What a report is made from: one checked output folder and the chosen year.

The report reads the outputs exactly as the dashboard does (`load_outputs`, plus the
check that no input changed since the run), so it refuses the same missing, incomplete
or stale results, with a Danish message and the command that fixes it. Everything here
only selects rows; nothing computes a statistic.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.errors import InputError, Problem
from pipeline.outputs.read import (
    RUN_COMMAND,
    Outputs,
    OutputUnavailable,
    load_outputs,
    stale_inputs,
)
from pipeline.reference import NATIONAL, Reference

DEFAULT_OUT = Path("output")


class ReportError(InputError):
    """The report cannot be made; says why and what to do, in Danish (exit code 1)."""

    def __init__(self, message: str, hint: str, untouched: bool = True):
        self.untouched = untouched
        super().__init__([Problem(message, hint, code="report.unavailable")])

    def format(self) -> str:
        problem = self.problems[0]
        kept = " Tidligere rapportfiler er urørte." if self.untouched else ""
        return (f"Rapporten er ikke lavet: {problem.message}{kept}\n"
                f"    Gør sådan: {problem.hint}")


@dataclass(frozen=True)
class ReportData:
    """The outputs, cut to the report's year: tables hold that year and the years before
    it (a 2023 report does not show 2024), `year` is the year reported on."""

    outputs: Outputs
    year: int
    reference: Reference

    @property
    def synthetic(self) -> bool:
        return self.outputs.synthetic

    @property
    def years(self) -> list[int]:
        return [y for y in self.outputs.years if y <= self.year]

    def _upto(self, table: pd.DataFrame) -> pd.DataFrame:
        return table[table["year"] <= self.year]

    @property
    def indicators(self) -> pd.DataFrame:
        """Every indicator row (all scopes) up to the report year."""
        return self._upto(self.outputs.indicators)

    @property
    def national(self) -> pd.DataFrame:
        """National-scope indicator rows up to the report year."""
        rows = self.indicators
        return rows[rows["scope"] == NATIONAL]

    @property
    def goals(self) -> pd.DataFrame:
        return self._upto(self.outputs.goals)

    @property
    def series(self) -> pd.DataFrame:
        """national.csv up to the report year (the baseline year before the first survey
        year included, as in the dashboard's charts)."""
        return self._upto(self.outputs.national)

    @property
    def quality(self) -> pd.DataFrame:
        return self._upto(self.outputs.quality)

    def history(self, indicator_id: str) -> pd.DataFrame:
        """One indicator's national rows, by year."""
        rows = self.national
        return rows[rows["indicator_id"] == indicator_id].sort_values("year")

    def row(self, indicator_id: str) -> pd.Series | None:
        """One indicator's national row in the report year, or None if it has none."""
        rows = self.history(indicator_id)
        rows = rows[rows["year"] == self.year]
        return rows.iloc[0] if len(rows) else None

    def catalogue(self) -> pd.DataFrame:
        """The indicator catalogue (label, kind, report_subject, ...) by id, in order."""
        return self.reference.indicators.set_index("indicator_id", drop=False)

    def indicators_of(self, resultatmaal_id: str) -> list[str]:
        """The ids of a resultatmål's indicators, in catalogue order."""
        maal = self.reference.maal
        oms = maal.loc[(maal["level"] == "operationelt_maal")
                       & (maal["resultatmaal_id"] == resultatmaal_id), "maal_id"]
        cat = self.reference.indicators
        return cat.loc[cat["operationelt_maal_id"].isin(oms), "indicator_id"].tolist()

    def resultatmaal(self) -> pd.DataFrame:
        maal = self.reference.maal
        return maal[maal["level"] == "resultatmaal"].set_index("maal_id", drop=False)

    def goal(self, maal_id: str) -> pd.Series | None:
        goals = self.goals
        rows = goals[(goals["maal_id"] == maal_id) & (goals["year"] == self.year)]
        return rows.iloc[0] if len(rows) else None

    def licence_totals(self) -> dict[str, pd.Series]:
        """The like-for-like licence totals (licence "I alt") of the report year by
        measure, as national.csv holds them, for the licence sentence."""
        series = self.series
        rows = series[(series["year"] == self.year) & (series["licence"] == "I alt")]
        return {r["measure"]: r for _, r in rows.iterrows()}


def _rerun_hint(out_dir: Path, command: str) -> str:
    extra = "" if out_dir == DEFAULT_OUT else f" --out {out_dir}"
    return f"Kør pipelinen, og lav så rapporten igen: {command}{extra}"


def load_report_data(out_dir: Path, year: int | str | None = None) -> ReportData:
    """The checked outputs in `out_dir` and the year to report on (default: the latest).
    Raises ReportError for missing, incomplete or stale outputs and unknown years."""
    try:
        outputs = load_outputs(out_dir)
    except OutputUnavailable as problem:
        raise ReportError(problem.message, _rerun_hint(out_dir, problem.command)) from None
    changed = stale_inputs(outputs.manifest)
    if changed:
        shown = "; ".join(changed[:8]) + (" ..." if len(changed) > 8 else "")
        raise ReportError(
            f"Inputtet er ændret, siden resultaterne blev beregnet, så tallene er forældede: "
            f"{shown}.", _rerun_hint(out_dir, RUN_COMMAND))
    years = outputs.years
    if not years:
        raise ReportError(f"Resultaterne i {out_dir}/ indeholder ingen år.",
                          _rerun_hint(out_dir, RUN_COMMAND))
    chosen = years[-1] if year is None else _parse_year(year, years)
    return ReportData(outputs=outputs, year=chosen, reference=outputs.reference)


def _parse_year(year: int | str, years: list[int]) -> int:
    listed = ", ".join(str(y) for y in years)
    try:
        value = int(str(year).strip())
    except ValueError:
        raise ReportError(f'"{year}" er ikke et årstal.',
                          f"Vælg et af årene i resultaterne: {listed}.") from None
    if value not in years:
        raise ReportError(f"Der er ingen resultater for {value}.",
                          f"Vælg et af årene i resultaterne: {listed}; eller læg årets "
                          "survey-eksport ind og kør pipelinen.")
    return value
