"""What a report is made from: one checked output folder and the chosen year.

The report reads the outputs exactly as the dashboard does (`load_outputs`, plus the
check that no input changed since the run), so it refuses the same missing, incomplete
or stale results, with a Danish message and the command that fixes it. Everything here
only selects rows; nothing computes a statistic.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from pipeline.errors import InputError, Problem
from pipeline.formatting import range_text
from pipeline.outputs.read import (
    RUN_COMMAND,
    Outputs,
    OutputUnavailable,
    load_outputs,
    stale_inputs,
)
from pipeline.reference import NATIONAL, Reference
from pipeline.report.sentences import danish_quotes

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

    def opgaver(self) -> list[str]:
        """The agreement's two core tasks (Materialeoverbygning, Temaspor), in order."""
        return list(dict.fromkeys(self.resultatmaal()["opgave"]))

    def operationelle_maal(self, resultatmaal_id: str) -> pd.DataFrame:
        """A resultatmål's operationelle mål, in the order of maal.csv."""
        maal = self.reference.maal
        return maal[(maal["level"] == "operationelt_maal")
                    & (maal["resultatmaal_id"] == resultatmaal_id)].set_index("maal_id",
                                                                               drop=False)

    def indicators_of_om(self, operationelt_maal_id: str) -> list[str]:
        """The ids of an operationelt mål's indicators, in catalogue order."""
        cat = self.reference.indicators
        return cat.loc[cat["operationelt_maal_id"] == operationelt_maal_id,
                       "indicator_id"].tolist()

    def number_of(self, maal_id: str) -> int:
        """A resultatmål's place in Bilag 3 (1-5): how the report names it in headings."""
        return int(self.reference.resultatmaal_name(maal_id).split()[-1])

    def theme_tracks(self) -> pd.DataFrame:
        """The minister's theme tracks (temaspor), in order."""
        tracks = self.reference.tracks.sort_values("order")
        return tracks[tracks["temaspor"] == "1"]

    def goal(self, maal_id: str) -> pd.Series | None:
        goals = self.goals
        rows = goals[(goals["maal_id"] == maal_id) & (goals["year"] == self.year)]
        return rows.iloc[0] if len(rows) else None

    @property
    def agreement_years(self) -> list[int]:
        """The agreement's years as targets.csv gives them (first to last, as the run wrote
        them to period_goals.csv)."""
        goals = self.outputs.period_goals
        if goals.empty:
            return []
        return list(range(int(goals["period_first"].min()), int(goals["period_last"].max()) + 1))

    def period_indicator(self, indicator_id: str) -> pd.Series | None:
        """An indicator's national row of period_indicators.csv."""
        rows = self.outputs.period_indicators
        rows = rows[(rows["indicator_id"] == indicator_id) & (rows["scope"] == NATIONAL)]
        return rows.iloc[0] if len(rows) else None

    def period_goal(self, maal_id: str) -> pd.Series | None:
        """A goal's row of period_goals.csv."""
        rows = self.outputs.period_goals
        rows = rows[rows["maal_id"] == maal_id]
        return rows.iloc[0] if len(rows) else None

    def goal_reasons(self, goal: pd.Series) -> dict[str, dict]:
        """Each indicator of a goal in the goal's year: its national row with the subject of
        its sentence (`subject`), or a stand-in marked `missing` where it has no row."""
        catalogue = self.catalogue()
        level = goal["level"]
        column = "operationelt_maal_id" if level == "operationelt_maal" else None
        ids = (catalogue.loc[catalogue[column] == goal["maal_id"], "indicator_id"].tolist()
               if column else self.indicators_of(goal["maal_id"]))
        year = int(goal["year"])
        rows = self.national[self.national["year"] == year].set_index("indicator_id")
        out = {}
        for ind in ids:
            subject = catalogue.at[ind, "report_subject"]
            if ind in rows.index:
                out[ind] = {**rows.loc[ind].to_dict(), "indicator_id": ind, "subject": subject}
            else:
                out[ind] = {"indicator_id": ind, "year": year, "subject": subject,
                            "missing": True, "attained": "n/a"}
        return out

    def sources(self) -> list[tuple[str, str]]:
        """(what, source) for each national measure the outputs name a source for."""
        series = self.series
        if "source" not in series:
            return []
        labels = self.reference.national_measures.set_index("measure")["label"]
        out = []
        for measure, part in series.groupby("measure", sort=False):
            names = [s for s in dict.fromkeys(part["source"].fillna("").astype(str)) if s]
            if names:
                out.append((labels.get(measure, measure), "; ".join(names)))
        return out

    def licences(self, year: int | None = None) -> pd.DataFrame:
        """The licence rows of national.csv for a year (default: the report year): use and
        unique users per licence, and the like-for-like total use ('I alt')."""
        series = self.series
        return series[(series["year"] == (year or self.year))
                      & series["measure"].isin(["licence_use", "licence_users"])]

    def measure_of(self, indicator_id: str) -> tuple[str, str]:
        """A national indicator's measure label ('Interurbanudlån i alt') and the source the
        national figures name for it ('' if none)."""
        measures = self.reference.national_measures
        mine = measures[measures["indicator_id"] == indicator_id]
        if mine.empty:
            return "", ""
        sources = dict(self.sources())
        label = mine["label"].iloc[0] if len(mine) == 1 else ""
        names = [sources[lab] for lab in mine["label"] if lab in sources]
        return label, "; ".join(dict.fromkeys(names))

    def unit_of(self, measure: str) -> str:
        """A national measure's unit ('udlån/visninger'), '' if unknown."""
        measures = self.reference.national_measures.set_index("measure")
        return str(measures.at[measure, "unit"]) if measure in measures.index else ""

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
    return ReportData(outputs=outputs, year=chosen, reference=report_reference(outputs.reference))


def report_reference(reference: Reference) -> Reference:
    """The reference with the indicators' labels and sentence subjects in Danish quotes
    (»Kultur for alle«), as a report prints them."""
    indicators = reference.indicators.copy()
    for column in ("label", "report_subject"):
        indicators[column] = indicators[column].map(danish_quotes)
    return replace(reference, indicators=indicators)


def load_period_data(out_dir: Path) -> ReportData:
    """The checked outputs for the period assessment: the report year is the agreement's
    last year. Raises ReportError when the outputs do not reach it yet."""
    data = load_report_data(out_dir)
    period = data.agreement_years
    if not period:
        raise ReportError("Resultaterne indeholder ingen aftaleperiode (targets.csv har ingen "
                          "mål).", _rerun_hint(out_dir, RUN_COMMAND))
    span = range_text(period)
    missing = [y for y in period if y not in data.outputs.years]
    if missing:
        raise ReportError(
            f"Perioden {span} kan ikke evalueres endnu: der er ingen resultater for "
            f"{', '.join(str(y) for y in missing)}.",
            "Læg årets survey-eksport ind, og kør pipelinen; lav så periodeevalueringen igen.")
    return load_report_data(out_dir, period[-1])


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
