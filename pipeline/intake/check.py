"""`check`: everything `run` validates, without writing, summarised per year.

It is built on `run.read_inputs` and `run.compute_from`, the very reading and
validation `run` does, so check passes exactly when run would, and every file is read
once. The report is data (`CheckReport`); `pipeline.cli.console.format_check` puts it
into Danish text. What check adds to run's messages: per year, the
municipalities matched and which of the 98 did not answer, duplicates, questions the
codebook leaves out, columns read through numeric codes, and export columns the
codebook does not mention; and problems of one kind on many rows shown as one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipeline.clean import EXCLUSION_KINDS, NOT_COMPLETED_CODES
from pipeline.errors import InputError, Problem
from pipeline.files import display_path, year_folders
from pipeline.intake.codebook_match import numeric_codes
from pipeline.read.surveys import SurveyInput
from pipeline.read.surveyxact import STATUS_TEXT
from pipeline.reference import NATIONAL, Reference, load_reference
from pipeline.run import RunConfig, RunResult, compute_from, read_inputs

STATUS_OF_CODE = {code: STATUS_TEXT[n] for n, code in sorted(NOT_COMPLETED_CODES.items())}


@dataclass
class CodeFinding:
    """A column holding numeric codes that the codebook gives no answers for."""

    year: int
    key: str
    header: str
    codebook: str
    codebook_row: int
    codes: list[str]
    rows: int
    files: list[str]


@dataclass
class YearSummary:
    year: int
    files: list[str] = field(default_factory=list)
    population: int | None = None
    answering: int | None = None
    response_rate: float | None = None
    missing: list[str] = field(default_factory=list)
    """Municipalities (of the 98) with no response this year."""
    duplicates: list[str] = field(default_factory=list)
    not_completed: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    """SurveyXact responses left out as not completed: status words -> file -> the rows
    ("6 (Dragør)")."""
    closetime: bool = False
    """The response time (besvaret) is SurveyXact's closetime, as the codebook names none."""
    without_status: list[str] = field(default_factory=list)
    """SurveyXact exports without status columns (every row counted)."""
    excluded_other: list[str] = field(default_factory=list)
    blank_rows: int = 0
    unmapped: list[str] = field(default_factory=list)
    """Question keys of the catalogue that the year's codebook does not read."""
    unmapped_indicators: list[str] = field(default_factory=list)
    coded: list[str] = field(default_factory=list)
    """Keys whose answers are read through the codebook's value_labels."""
    unlisted_headers: list[str] = field(default_factory=list)
    """Export headers the codebook does not mention at all (so they are not read)."""
    without_target: bool = False
    """targets.csv has no target for the year: figures are computed, not judged."""


@dataclass
class CheckReport:
    surveys: Path
    targets: Path
    year: int | None
    years: list[int]
    ok: bool
    problems: list[Problem]
    summaries: list[YearSummary]
    code_findings: list[CodeFinding]
    synthetic: bool = False
    ignored: list[str] = field(default_factory=list)


def check_inputs(config: RunConfig, year: int | None = None,
                 reference: Reference | None = None) -> CheckReport:
    """Validate as `run` does and summarise; problems are returned, not raised."""
    reference = reference or load_reference()
    years = year_folders(config.surveys)
    if year is not None and year not in years:
        shown = ", ".join(map(str, years)) or "ingen"
        problem = Problem(
            f"Året {year} har ingen mappe i survey-mappen (årene er: {shown}).",
            f"Tjek årstallet, eller tilføj året med: python -m pipeline add-year {year} "
            "EKSPORTFIL.", file=display_path(config.surveys / str(year)),
            code="check.year_missing")
        return CheckReport(config.surveys, config.targets, year, years, False, [problem], [],
                           [])
    inputs = read_inputs(config, reference)
    problems = inputs.problems
    result: RunResult | None = None
    if not problems:
        try:
            result = compute_from(inputs, config, reference)
        except InputError as exc:
            problems = exc.problems
    survey = inputs.survey
    shown = [year] if year is not None else years
    summaries, findings = _diagnose(survey, result, shown, reference)
    synthetic = result.synthetic if result else bool(survey and survey.synthetic)
    ignored = result.ignored if result else (survey.ignored if survey else [])
    return CheckReport(config.surveys, config.targets, year, years, not problems, problems,
                       summaries, findings, synthetic, ignored)


def _diagnose(survey: SurveyInput | None, result: RunResult | None, years: list[int],
              reference: Reference) -> tuple[list[YearSummary], list[CodeFinding]]:
    summaries = {y: YearSummary(y) for y in years}
    findings: list[CodeFinding] = []
    scale_of = reference.question_scale()
    catalogue = list(reference.questions["key"])
    indicators = reference.indicators
    for survey_year in survey.years if survey else []:
        if survey_year.year not in summaries:
            continue
        s = summaries[survey_year.year]
        codebook = survey_year.codebook
        raw = survey_year.raw
        s.files = sorted({*raw["source_file"].unique(), *survey_year.headers})
        if survey_year.surveyxact is not None:
            s.without_status = [f for f, has in survey_year.surveyxact.status_columns.items()
                                if not has]
        s.unmapped = [k for k in catalogue if k not in codebook.keys and k not in raw]
        s.closetime = "besvaret" in raw and "besvaret" not in codebook.keys
        s.unmapped_indicators = sorted(set(indicators.loc[
            indicators["question_key"].isin(s.unmapped)
            | indicators["participation_key"].isin(s.unmapped), "indicator_id"]))
        s.coded = [e.key for e in codebook.entries if e.key and e.value_labels]
        for e in codebook.entries:
            if not e.key or e.value_labels or e.key not in scale_of or e.key not in raw:
                continue
            codes = numeric_codes(raw[e.key].astype(str).unique())
            if codes:
                has_code = raw[e.key].astype(str).map(lambda v: bool(numeric_codes([v])))
                findings.append(CodeFinding(
                    survey_year.year, e.key, e.column, display_path(codebook.path), e.row,
                    sorted(codes, key=lambda c: (len(c), c)), int(has_code.sum()),
                    sorted(raw.loc[has_code, "source_file"].unique())))
        listed = {e.column for e in codebook.entries}
        for file in s.files:
            s.unlisted_headers += [h for h in survey_year.headers.get(file, [])
                                   if h and h not in listed and h not in s.unlisted_headers]
    if result is not None:
        _add_counts(summaries, result, reference)
        for s in summaries.values():  # in the statuses' own order
            s.not_completed = {w: s.not_completed[w] for w in STATUS_OF_CODE.values()
                               if w in s.not_completed}
    return [summaries[y] for y in years], findings


def _add_counts(summaries: dict[int, YearSummary], result: RunResult,
                reference: Reference) -> None:
    names = reference.kommuner.set_index("kode")["navn"]
    quality = result.quality[result.quality["scope"] == NATIONAL]
    for q in quality.itertuples():
        if q.year not in summaries:
            continue
        s = summaries[q.year]
        s.population, s.answering = int(q.population), int(q.municipalities_answering)
        s.response_rate = float(q.response_rate)
        s.missing = [m for m in str(q.municipalities_missing).split(", ") if m]
        s.blank_rows = 0 if pd.isna(q.blank_rows_skipped) else int(q.blank_rows_skipped)
        excluded = result.excluded[result.excluded["year"] == q.year]
        for e in excluded.itertuples():
            who = names.get(e.kommune_kode, "") if pd.notna(e.kommune_kode) else ""
            text = f"{e.source_file} række {e.source_row}" + (f" ({who})" if who else "")
            if e.reason_code == "duplicate":
                detail = str(e.reason).removeprefix(f"{EXCLUSION_KINDS['duplicate']}: ")
                s.duplicates.append(f"{text}: {detail}")
            elif e.reason_code in STATUS_OF_CODE:
                rows = s.not_completed.setdefault(STATUS_OF_CODE[e.reason_code], {})
                rows.setdefault(e.source_file, []).append(
                    f"{e.source_row}" + (f" ({who})" if who else ""))
            else:
                s.excluded_other.append(f"{text}: {e.reason}")
        rows = result.indicators[(result.indicators["year"] == q.year)
                                 & (result.indicators["scope"] == NATIONAL)]
        s.without_target = bool(len(rows)) and bool(rows["target_kind"].isna().all()
                                                    | (rows["target_kind"] == "").all())
