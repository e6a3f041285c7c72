"""One run: read every input, validate, compute every indicator and verdict, write outputs.

`compute` does everything but writing (it is what `check` runs); `run` adds the write.
The steps, each in its own module: survey.py (read exports) -> clean.py (validate and
normalise) -> indicators.py + stats.py (shares and intervals) -> national_inputs.py +
national.py (national figures, judgements) -> attainment.py (verdicts, roll-up) ->
outputs.py (write).
"""

from __future__ import annotations

import platform
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import scipy

import pipeline
from pipeline import attainment, indicators, national
from pipeline.clean import CleanYear, clean_year
from pipeline.errors import InputError, Problem
from pipeline.national_inputs import read_national_inputs
from pipeline.outputs import output_lock, to_csv_bytes, write_outputs
from pipeline.presentation import SYNTHETIC_NOTICE
from pipeline.readers import sha256
from pipeline.reference import NATIONAL, REFERENCE_DIR, Reference, load_reference
from pipeline.survey import InputFile, display_path, read_surveys
from pipeline.targets import check_complete, read_targets

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
    responses: pd.DataFrame
    inputs: list[InputFile]
    synthetic: bool
    years: list[int]
    ignored: list[str] = field(default_factory=list)
    respondent_level: bool = False
    years_without_targets: list[int] = field(default_factory=list)
    """Survey years with no row in targets.csv (outside the agreement): no verdicts."""

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
        }
        if not self.respondent_level:
            files["responses.csv"] = to_csv_bytes(self.responses.assign(**flag))
        return files


def compute(config: RunConfig) -> RunResult:
    """Read, validate and compute; raises InputError (nothing written) on bad input."""
    if not 0.5 <= config.confidence < 1:
        raise InputError([Problem("Konfidensniveauet skal ligge mellem 0,5 og 1.",
                                  "Brug fx --confidence 0.95.", value=config.confidence)])
    reference = load_reference()
    survey = read_surveys(config.surveys, reference)
    targets = read_targets(config.targets, reference)
    years = [y.year for y in survey.years]
    without_targets = check_complete(targets, years, reference, config.targets)
    nat_inputs = read_national_inputs(config.surveys, reference, years)

    cleaned: dict[int, CleanYear] = {}
    problems: list[Problem] = []
    for year in survey.years:
        cleaned[year.year] = clean_year(year.raw, reference, year.codebook.value_labels(),
                                        respondent_level=config.respondent_level)
        problems += cleaned[year.year].problems
    if problems:
        raise InputError(problems)

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
    target_file = config.targets
    inputs = [*survey.inputs, *nat_inputs.inputs,
              InputFile(display_path(target_file), "targets", sha256(target_file.read_bytes()),
                        target_file.stat().st_size)]
    return RunResult(
        indicators=_finish_indicators(judged, reference, survey.synthetic),
        goals=goals,
        quality=_quality(survey.years, cleaned, reference),
        excluded=pd.concat([c.excluded for c in cleaned.values()], ignore_index=True),
        distribution=indicators.answer_distribution(counted, reference),
        intervals=intervals,
        goal_certainty=goal_certainty,
        national=series,
        responses=responses,
        inputs=inputs,
        synthetic=survey.synthetic,
        years=years,
        ignored=survey.ignored,
        respondent_level=config.respondent_level,
        years_without_targets=without_targets,
    )


def run(config: RunConfig) -> RunResult:
    """Compute, then write every output to `config.out` (all or nothing)."""
    result = compute(config)
    with output_lock(config.out):
        write_outputs(config.out, result.files(), manifest(config, result))
    return result


def manifest(config: RunConfig, result: RunResult) -> dict:
    reference_files = sorted(REFERENCE_DIR.glob("*.csv"))
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
        "reference": [{"path": f"pipeline/reference/{p.name}", "sha256": sha256(p.read_bytes())}
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
                           reason_kind=excl["reason"].str.split(":").str[0],
                           duplicate=excl["reason"].str.startswith("Dublet"))
        per_scope = {}
        for scope in scopes:
            in_scope = slice(None) if scope == NATIONAL else \
                (kommuner["centralbibliotek"] == scope).to_numpy()
            e = excl if scope == NATIONAL else excl[excl["scope"] == scope]
            per_scope[scope] = (answered[in_scope], kommuner.loc[in_scope, "navn"], e)
        rows_per_cb = resp.groupby("centralbibliotek", observed=False).size()
        blank = sum(len(v) for v in survey_year.blank_rows.values())
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
            })
        frames.append(pd.DataFrame.from_records(records))
    out = pd.concat(frames, ignore_index=True)
    out["blank_rows_skipped"] = out["blank_rows_skipped"].astype("Int64")
    return out
