"""One run: read every input, validate, compute every indicator and verdict, write outputs.

`read_inputs` reads every file once; `compute_from` does the rest but writing; `compute`
is the two (what `check` runs, reusing what was read); `run` adds the write. The steps,
each in its own module: read/ (exports, codebooks, national inputs, targets) ->
clean.py (validate and normalise) -> indicators.py + stats.py (shares and intervals) ->
national.py (national figures, judgements) -> attainment.py (verdicts, roll-up) ->
outputs/write.py.
"""

from __future__ import annotations

import platform
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import scipy

import pipeline
from pipeline import attainment, indicators, national, period, sources
from pipeline.clean import (
    EXCLUSION_KINDS,
    NOT_COMPLETED,
    CleanYear,
    clean_year,
    not_completed_exclusions,
)
from pipeline.errors import InputError, Problem, raise_if_any
from pipeline.field_period import YearTimes, default_period, field_period_problems
from pipeline.files import YEAR_PATTERN, InputFile, display_path, sha256
from pipeline.outputs.write import (
    SYNTHETIC_NOTICE,
    output_lock,
    tidy_outputs,
    to_csv_bytes,
    write_outputs,
)
from pipeline.read.national_inputs import NationalInputs, read_national_inputs
from pipeline.read.surveys import SurveyInput, SurveyYear, read_surveys
from pipeline.read.targets import check_complete, read_targets, uncovered_years
from pipeline.reference import NATIONAL, REFERENCE_DIR, Reference, load_reference

INDICATOR_COLUMNS = [
    "indicator_id", "resultatmaal_id", "operationelt_maal_id", "track", "kind", "label", "year",
    "scope", "population", "respondents", "eligible", "n_valid", "n_positive", "n_unknown",
    "population_eff", "share", "ci_low", "ci_high", "ci_method", "confidence",
    "nonresponse_low", "nonresponse_high", "prev_share", "change", "change_ci_low",
    "change_ci_high", "n_both_years", "value", "prev_value", "value_change",
    "value_change_pct", "development", "judgement", "evidence", "target_kind", "target",
    "attained", "certainty", "nonresponse_certainty", "na_reason", "note",
    "synthetic_demo_data",
]


@dataclass
class RunConfig:
    surveys: Path = Path("surveys")
    targets: Path = Path("targets.csv")
    out: Path = Path("output")
    ci_method: str = "auto"
    confidence: float = 0.95
    respondent_level: bool = False
    """Every row is a respondent (many per municipality): no de-duplication, no
    finite-population intervals. For other surveys and the benchmarks, not Bilag 3."""


@dataclass
class RunResult:
    indicators: pd.DataFrame
    goals: pd.DataFrame
    quality: pd.DataFrame
    excluded: pd.DataFrame
    distribution: pd.DataFrame
    intervals: pd.DataFrame
    goal_certainty: pd.DataFrame
    national: pd.DataFrame
    period_indicators: pd.DataFrame
    period_goals: pd.DataFrame
    responses: pd.DataFrame
    inputs: list[InputFile]
    synthetic: bool
    years: list[int]
    ignored: list[str] = field(default_factory=list)
    respondent_level: bool = False
    years_without_targets: list[int] = field(default_factory=list)
    """Survey years with no row in targets.csv (outside the agreement): no verdicts."""
    reference_dir: Path = REFERENCE_DIR.resolve()
    """The folder of reference files the figures were computed with."""
    sources: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=sources.SOURCE_COLUMNS))
    """Per indicator and year: Bilag 3's wording, the target's source, the question as
    the year's export worded it, the national figure's source."""
    answered: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=sources.ANSWERED_COLUMNS))
    """Per year and municipality: whether it answered (for the map; never an answer)."""

    def files(self) -> dict[str, bytes]:
        """Every output file's bytes. responses.csv (one row per response) is left out of
        respondent-level runs: there the rows are individual citizens, and copying
        millions of their answers next to the figures would add nothing but risk."""
        flag = {"synthetic_demo_data": self.synthetic}
        files = {
            "indicators.csv": to_csv_bytes(self.indicators),
            "goals.csv": to_csv_bytes(self.goals.assign(**flag)),
            "quality.csv": to_csv_bytes(self.quality.assign(**flag)),
            "excluded_rows.csv": to_csv_bytes(self.excluded.assign(**flag)),
            "distribution.csv": to_csv_bytes(self.distribution.assign(**flag)),
            "intervals.csv": to_csv_bytes(self.intervals.assign(**flag)),
            "goal_certainty.csv": to_csv_bytes(self.goal_certainty.assign(**flag)),
            "national.csv": to_csv_bytes(self.national.assign(**flag)),
            "sources.csv": to_csv_bytes(self.sources.assign(**flag)),
            "municipalities.csv": to_csv_bytes(self.answered.assign(**flag)),
            "period_indicators.csv": to_csv_bytes(self.period_indicators.assign(**flag)),
            "period_goals.csv": to_csv_bytes(self.period_goals.assign(**flag)),
        }
        if not self.respondent_level:
            files["responses.csv"] = to_csv_bytes(self.responses.assign(**flag))
        return files


@dataclass
class Inputs:
    """Every input as read (each file once), or the problems that stopped the reading.
    Reading stops at the first stage with problems (surveys, then targets, then the
    national inputs), so the user fixes the inputs in that order."""

    survey: SurveyInput | None = None
    targets: pd.DataFrame | None = None
    national: NationalInputs | None = None
    files: list[InputFile] = field(default_factory=list)
    """Every input file with its hash, for the manifest."""
    problems: list[Problem] = field(default_factory=list)


def read_inputs(config: RunConfig, reference: Reference) -> Inputs:
    """Read the surveys folder, the targets and the national inputs; never raises for
    bad input, so that `check` can report on what could be read."""
    inputs = Inputs()
    if not 0.5 <= config.confidence < 1:
        inputs.problems = [Problem("Konfidensniveauet skal ligge mellem 0,5 og 1.",
                                   "Brug fx --confidence 0.95.", value=config.confidence,
                                   code="run.confidence_invalid")]
        return inputs
    try:
        inputs.survey = read_surveys(config.surveys, reference)
        inputs.targets, targets_file = read_targets(config.targets, reference)
        years = [y.year for y in inputs.survey.years]
        check_complete(inputs.targets, years, reference, config.targets)
        found = inputs.survey.listing.national if inputs.survey.listing else None
        inputs.national = read_national_inputs(config.surveys, reference, years, found)
    except InputError as exc:
        inputs.problems = exc.problems
        return inputs
    inputs.files = [*inputs.survey.inputs, *inputs.national.inputs, targets_file]
    return inputs


def compute(config: RunConfig) -> RunResult:
    """Read, validate and compute; raises InputError (nothing written) on bad input."""
    reference = load_reference()
    inputs = read_inputs(config, reference)
    raise_if_any(inputs.problems)
    return compute_from(inputs, config, reference)


def compute_from(inputs: Inputs, config: RunConfig, reference: Reference) -> RunResult:
    """Everything after reading: clean, count, intervals, judge, roll up. Raises
    InputError when a value cannot be read (nothing written)."""
    survey, targets, nat_inputs = inputs.survey, inputs.targets, inputs.national
    assert survey is not None and targets is not None and nat_inputs is not None
    years = [y.year for y in survey.years]
    cleaned: dict[int, CleanYear] = {}
    problems: list[Problem] = []
    for year in survey.years:
        cleaned[year.year] = clean_year(year.raw, reference, year.codebook.value_labels(),
                                        respondent_level=config.respondent_level)
        problems += cleaned[year.year].problems
        if year.surveyxact is not None:
            cleaned[year.year].excluded = pd.concat([cleaned[year.year].excluded,
                                                     not_completed_exclusions(
                year.year, year.surveyxact.not_completed, reference)], ignore_index=True)
    problems = _field_period_problems(survey, cleaned) + problems
    raise_if_any(problems)

    responses = pd.concat([c.responses for c in cleaned.values()], ignore_index=True)
    keys_by_year = {y.year: y.codebook.keys for y in survey.years}
    counted, absent = indicators.answer_counts(responses, keys_by_year, reference)
    known = not config.respondent_level
    both = indicators.both_years(responses, keys_by_year, reference) if known else None
    counts = indicators.survey_counts(counted, absent, reference, both)
    survey_rows = indicators.add_statistics(counts, reference, config.ci_method,
                                            config.confidence, population_known=known)
    series = national.national_series(nat_inputs.figures, reference)
    national_rows = national.national_indicators(series, nat_inputs.judgements, years,
                                                 reference, nat_inputs.missing)
    judged = attainment.judge(pd.concat([survey_rows, national_rows], ignore_index=True),
                              targets)
    goals = attainment.roll_up(judged, reference, years)
    intervals = indicators.intervals_by_method(counts, reference, config.confidence,
                                               population_known=known).merge(
        targets[["indicator_id", "year", "target_kind", "target"]],
        on=["indicator_id", "year"], how="left")
    intervals["certainty"] = attainment.certainty(intervals)
    intervals["nonresponse_certainty"] = attainment.nonresponse_certainty(intervals)
    intervals = intervals.drop(columns=["target_kind", "target"])
    goal_certainty = attainment.goal_certainty(judged, intervals, reference, years)
    agreement = period.period_years(targets)
    return RunResult(
        indicators=_finish_indicators(judged, reference, survey.synthetic),
        goals=goals,
        quality=_quality(survey.years, cleaned, reference),
        excluded=pd.concat([c.excluded for c in cleaned.values()], ignore_index=True),
        distribution=indicators.answer_distribution(counted, reference),
        intervals=intervals,
        goal_certainty=goal_certainty,
        national=series,
        period_indicators=period.indicator_period(judged, agreement),
        period_goals=period.goal_period(goals, agreement),
        responses=responses,
        inputs=inputs.files,
        synthetic=survey.synthetic,
        years=years,
        ignored=survey.ignored,
        respondent_level=config.respondent_level,
        years_without_targets=uncovered_years(targets, years),
        reference_dir=reference.folder,
        sources=sources.indicator_sources(
            reference, years, {y.year: {e.key: e.column for e in y.codebook.entries if e.key}
                               for y in survey.years}, targets, nat_inputs.figures),
        answered=sources.answered_by_municipality(
            reference, {year: set(c.responses["kommune_kode"].dropna().astype(int))
                        for year, c in cleaned.items()}),
    )


def _field_period_problems(survey: SurveyInput, cleaned: dict[int, CleanYear]) -> list[Problem]:
    """Responses dated outside their year's field period, or in another year's (last
    year's data in this year's folder): see `pipeline.field_period`."""
    return field_period_problems([
        YearTimes(y.year, y.period or default_period(y.year), cleaned[y.year].dated)
        for y in survey.years if cleaned[y.year].dated is not None])


def run(config: RunConfig) -> RunResult:
    """Compute, then write every output to `config.out` (all or nothing)."""
    raise_if_any(out_folder_problems(config))
    tidy_outputs(config.out)
    result = compute(config)
    with output_lock(config.out):
        write_outputs(config.out, result.files(), manifest(config, result))
    return result


def out_folder_problems(config: RunConfig) -> list[Problem]:
    """An output folder inside the surveys folder would be read as input by the next run
    (as a folder that is not a year, or as exports in a year folder): refused before
    anything is read or written."""
    out, surveys = config.out.resolve(), config.surveys.resolve()
    if out != surveys and not out.is_relative_to(surveys):
        return []
    year = next((p for p in (out, *out.parents) if p.parent == surveys), None)
    where = (f"årsmappen {year.name}" if year is not None and YEAR_PATTERN.match(year.name)
             else "survey-mappen")
    return [Problem(
        f"Outputmappen ligger i {where}, som run læser input fra: resultaterne ville blive "
        "læst som input ved næste kørsel.",
        "Vælg en outputmappe uden for survey-mappen, fx --out output (standard), og kør igen.",
        file=display_path(config.out), code="run.out_inside_surveys")]


def manifest(config: RunConfig, result: RunResult) -> dict:
    folder = result.reference_dir
    reference_files = sorted(folder.glob("*.csv"))
    shown = "pipeline/reference" if folder == REFERENCE_DIR.resolve() else str(folder)
    return {
        "tool": "maalopfyldelse",
        "version": pipeline.__version__,
        "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "synthetic_demo_data": result.synthetic,
        "working_directory": str(Path.cwd().resolve()),
        "notice": SYNTHETIC_NOTICE if result.synthetic else "",
        "parameters": {"surveys": display_path(config.surveys),
                       "targets": display_path(config.targets),
                       "ci_method": config.ci_method, "confidence": config.confidence,
                       "respondent_level": config.respondent_level},
        "years": result.years,
        "inputs": [vars(i) for i in result.inputs],
        "reference_dir": str(folder),
        "reference": [{"path": f"{shown}/{p.name}", "sha256": sha256(p.read_bytes())}
                      for p in reference_files],
        "ignored_files": result.ignored,
        "environment": {"python": platform.python_version(), "pandas": pd.__version__,
                        "scipy": scipy.__version__},
    }


def _finish_indicators(judged: pd.DataFrame, reference: Reference,
                       synthetic: bool) -> pd.DataFrame:
    catalogue = reference.indicators.merge(
        reference.maal[["maal_id", "resultatmaal_id"]],
        left_on="operationelt_maal_id", right_on="maal_id")
    meta = catalogue[["indicator_id", "resultatmaal_id", "operationelt_maal_id", "track",
                      "label"]]
    out = judged.drop(columns=[c for c in ("track", "label") if c in judged]).merge(
        meta, on="indicator_id", how="left")
    out["synthetic_demo_data"] = synthetic
    for col in INDICATOR_COLUMNS:
        if col not in out:
            out[col] = pd.NA
    for col in ("evidence", "note", "na_reason", "certainty", "nonresponse_certainty",
                "development", "judgement"):
        out[col] = out[col].fillna("")
    for col in ("value", "prev_value", "value_change"):  # counts, never fractions
        out[col] = pd.to_numeric(out[col]).round().astype("Int64")
    order = {i: n for n, i in enumerate(reference.indicators["indicator_id"])}
    scopes = {s: n for n, s in enumerate([NATIONAL, *reference.centralbiblioteker])}
    out = out.sort_values(["indicator_id", "year", "scope"],
                          key=lambda c: c.map(order) if c.name == "indicator_id" else (
                              c.map(scopes) if c.name == "scope" else c))
    return out[INDICATOR_COLUMNS].reset_index(drop=True)


def _quality(years: list, cleaned: dict[int, CleanYear], reference: Reference) -> pd.DataFrame:
    """Per year and scope: what was read, who answered, what was left out and why."""
    kommuner = reference.kommuner
    scopes = [NATIONAL, *reference.centralbiblioteker]
    cb_of = kommuner.set_index("kode")["centralbibliotek"]
    frames = []
    for survey_year in years:
        year = survey_year.year
        resp, excl = cleaned[year].responses, cleaned[year].excluded
        answered = kommuner["kode"].isin(resp["kommune_kode"].unique())
        excl = excl.assign(scope=excl["kommune_kode"].map(cb_of),
                           reason_kind=excl["reason_code"].map(EXCLUSION_KINDS),
                           duplicate=excl["reason_code"] == "duplicate")
        per_scope = {}
        for scope in scopes:
            in_scope = slice(None) if scope == NATIONAL else \
                (kommuner["centralbibliotek"] == scope).to_numpy()
            e = excl if scope == NATIONAL else excl[excl["scope"] == scope]
            per_scope[scope] = (answered[in_scope], kommuner.loc[in_scope, "navn"], e)
        rows_per_cb = resp.groupby("centralbibliotek", observed=False).size()
        blank = sum(len(v) for v in survey_year.blank_rows.values())
        status_columns = _status_columns(survey_year)
        knows_status = survey_year.surveyxact is not None and any(
            survey_year.surveyxact.status_columns.values())
        records = []
        for scope, (ans, names, e) in per_scope.items():
            population = len(names)
            reasons = e["reason_kind"].value_counts()
            rows = len(resp) if scope == NATIONAL else int(rows_per_cb.get(scope, 0))
            records.append({
                "year": year, "scope": scope, "population": population,
                "files": len(survey_year.blank_rows),
                "responses_read": rows + len(e),
                "municipalities_answering": int(ans.sum()),
                "response_rate": int(ans.sum()) / population,
                "duplicates_dropped": int(e["duplicate"].sum()),
                "rows_excluded": len(e),
                "excluded_reasons": "; ".join(f"{n} × {why}" for why, n in reasons.items()),
                "blank_rows_skipped": blank if scope == NATIONAL else pd.NA,
                "municipalities_missing": ", ".join(names[~ans.to_numpy()]),
                "not_completed": int(e["reason_code"].str.startswith(NOT_COMPLETED).sum())
                if knows_status else pd.NA,
                "status_columns": status_columns,
            })
        frames.append(pd.DataFrame.from_records(records))
    out = pd.concat(frames, ignore_index=True)
    out["blank_rows_skipped"] = out["blank_rows_skipped"].astype("Int64")
    out["not_completed"] = out["not_completed"].astype("Int64")
    return out


def _status_columns(survey_year: SurveyYear) -> str:
    """quality.csv's `status_columns`: "yes" when the year's SurveyXact exports all have
    status columns (only completed responses are counted), "no" when one has none (all its
    rows are counted), "" for a year of plain exports (which hold what the analyst
    exported)."""
    surveyxact = survey_year.surveyxact
    if surveyxact is None:
        return ""
    return "yes" if all(surveyxact.status_columns.values()) else "no"
