"""`check`: everything `run` validates, without writing, summarised per year in Danish.

It is built on `run.compute`, the very validation `run` does, so check passes exactly
when run would. The report is data (`CheckReport`) with a text rendering, so that a
dashboard page can show the same. What check adds to run's messages: per year, the
municipalities matched and which of the 98 did not answer, duplicates, questions the
codebook leaves out, columns read through numeric codes, and export columns the
codebook does not mention; and problems of one kind on many rows shown as one.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipeline.add_year import example_labels, surveys_option
from pipeline.codebook_match import numeric_codes
from pipeline.errors import InputError, Problem
from pipeline.formatting import percent
from pipeline.presentation import SYNTHETIC_NOTICE
from pipeline.readers import read_table
from pipeline.reference import NATIONAL, Reference, load_reference
from pipeline.run import RunConfig, RunResult, compute
from pipeline.survey import YEAR_PATTERN, SurveyInput, display_path, read_surveys

WIDTH = 100
MAX_VALUES = 8


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

    def format(self) -> str:
        return format_report(self)


def check_inputs(config: RunConfig, year: int | None = None,
                 reference: Reference | None = None) -> CheckReport:
    """Validate as `run` does and summarise; problems are returned, not raised."""
    reference = reference or load_reference()
    years = _year_folders(config.surveys)
    if year is not None and year not in years:
        shown = ", ".join(map(str, years)) or "ingen"
        problem = Problem(
            f"Året {year} har ingen mappe i survey-mappen (årene er: {shown}).",
            f"Tjek årstallet, eller tilføj året med: python -m pipeline add-year {year} "
            "EKSPORTFIL.", file=display_path(config.surveys / str(year)))
        return CheckReport(config.surveys, config.targets, year, years, False, [problem], [],
                           [])
    problems: list[Problem] = []
    result: RunResult | None = None
    try:
        result = compute(config)
    except InputError as exc:
        problems = exc.problems
    try:
        survey: SurveyInput | None = read_surveys(config.surveys, reference)
    except InputError:
        survey = None  # its problems are among those of compute
    shown = [year] if year is not None else years
    summaries, findings = _diagnose(survey, result, shown, reference)
    synthetic = result.synthetic if result else bool(survey and survey.synthetic)
    ignored = result.ignored if result else (survey.ignored if survey else [])
    return CheckReport(config.surveys, config.targets, year, years, not problems, problems,
                       summaries, findings, synthetic, ignored)


def _year_folders(root: Path) -> list[int]:
    if not root.is_dir():
        return []
    return sorted(int(p.name) for p in root.iterdir() if p.is_dir() and YEAR_PATTERN.match(p.name))


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
        s.files = sorted(raw["source_file"].unique())
        s.unmapped = [k for k in catalogue if k not in codebook.keys]
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
            try:
                headers = read_table(Path(file)).headers
            except (InputError, OSError):
                continue
            s.unlisted_headers += [h for h in headers if h and h not in listed
                                   and h not in s.unlisted_headers]
    if result is not None:
        _add_counts(summaries, result, reference)
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
            reason = str(e.reason)
            if reason.startswith("Dublet"):
                s.duplicates.append(f"{text}: {reason.removeprefix('Dublet: ')}")
            else:
                s.excluded_other.append(f"{text}: {reason}")
        rows = result.indicators[(result.indicators["year"] == q.year)
                                 & (result.indicators["scope"] == NATIONAL)]
        s.without_target = bool(len(rows)) and bool(rows["target_kind"].isna().all()
                                                    | (rows["target_kind"] == "").all())


# ------------------------------------------------------------------------------ text


def format_report(report: CheckReport) -> str:
    """The report in Danish, as `python -m pipeline check` prints it."""
    lines: list[str] = []
    years = _span(report.years)
    lines.append(f"Kontrol af {display_path(report.surveys)} ({years}) og "
                 f"{display_path(report.targets)}, som run ville læse dem. Intet er skrevet.")
    if report.year is not None and report.year in report.years:
        lines.append(f"--year {report.year}: rapporten viser kun {report.year}, men alle år er "
                     "kontrolleret, fordi run læser dem alle.")
    if report.synthetic:
        lines.append(f"!! {SYNTHETIC_NOTICE}")
    for s in report.summaries:
        lines += ["", *_year_lines(s, report.ok)]
    if report.code_findings:
        lines += ["", "Talkoder uden svarkoder (value_labels):"]
        for f in report.code_findings:
            lines += _wrap(
                f'{f.year}, kolonnen "{f.header}" (nøglen {f.key}, række {f.codebook_row} i '
                f"{f.codebook}): {f.rows} svar er talkoder ({', '.join(f.codes)}), men "
                "kodebogen siger ikke, hvilket svar hver kode står for.", "  - ", "    ")
            lines.append("    Gør sådan: tjek kodningen i survey-værktøjet, og giv svarkoderne, "
                         "fx sådan:")
            lines.append(f"      python -m pipeline confirm-codebook {f.year}"
                         f"{surveys_option(report.surveys)} --row {f.codebook_row} "
                         f'--value-labels "{example_labels(f.key)}"')
    for path in report.ignored:
        lines.append(f"Bemærk: {path} er ikke en datafil og læses ikke.")
    lines.append("")
    if report.ok:
        lines.append("Resultat: OK. run vil køre uden fejl på disse data.")
        return "\n".join(lines)
    groups = group_problems(report.problems)
    n = len(report.problems)
    noun = "problem" if n == 1 else "problemer"
    kinds = f" af {len(groups)} slags" if 1 < len(groups) < n else (
        " af samme slags" if len(groups) == 1 < n else "")
    lines.append(f"{n} {noun}{kinds} skal rettes, før run kan køre:")
    for group in groups:
        lines.append(f"  - {_format_group(group)}")
    lines.append("")
    lines.append("Resultat: FEJL. run vil stoppe; ret problemerne ovenfor, og kør check igen.")
    return "\n".join(lines)


def _year_lines(s: YearSummary, ok: bool) -> list[str]:
    files = ", ".join(s.files)
    lines = [f"{s.year}" + (f"  ({files})" if files else "")]
    if s.answering is not None:
        lines += _wrap(f"Kommuner: {s.answering} af {s.population} svarede (svarprocent "
                       f"{percent(s.response_rate)}); alle besvarelser er koblet til en af de "
                       f"{s.population} kommuner.", "  ")
        if s.missing:
            lines += _wrap(f"Ikke svaret ({len(s.missing)}): {', '.join(s.missing)}.", "  ",
                           "    ")
        n = len(s.duplicates)
        lines += _wrap("Dubletter: ingen." if not n else
                       f"Dubletter: {n} {'besvarelse' if n == 1 else 'besvarelser'} udeladt, "
                       "fordi kommunen svarede igen:", "  ")
        lines += [x for d in s.duplicates for x in _wrap(d, "    - ", "      ")]
        if s.excluded_other:
            lines.append(f"  Andre udeladte rækker: {len(s.excluded_other)}")
            lines += [x for d in s.excluded_other for x in _wrap(d, "    - ", "      ")]
        if s.blank_rows:
            lines.append(f"  Helt tomme rækker sprunget over: {s.blank_rows}.")
        lines.append("  Svar: alle svar ligger på skalaerne.")
        if s.without_target:
            lines.append(f"  Mål: targets.csv har ingen mål for {s.year}; tallene beregnes, men "
                         "vurderes ikke.")
    elif not ok:
        lines.append("  (kommuner og dubletter tælles, når problemerne nedenfor er rettet)")
    if s.unmapped:
        effect = (f" {', '.join(s.unmapped_indicators)} får derfor intet tal for {s.year}."
                  if s.unmapped_indicators else "")
        lines += _wrap(f"Kodebog: spørgsmål uden kolonne: {', '.join(s.unmapped)}.{effect}",
                       "  ", "    ")
    elif s.files:
        lines.append("  Kodebog: alle spørgsmål i kataloget er koblet til en kolonne.")
    if s.coded:
        lines += _wrap(f"Talkoder: læses via value_labels for {', '.join(s.coded)}.", "  ",
                       "    ")
    if s.unlisted_headers:
        shown = ", ".join(f'"{h}"' for h in s.unlisted_headers)
        lines += _wrap(f"Kolonner i eksporten, som kodebogen ikke nævner (læses ikke): {shown}. "
                       "Er en af dem et spørgsmål, så tilføj den i kodebogen.", "  ", "    ")
    return lines


def group_problems(problems: list[Problem]) -> list[list[Problem]]:
    """Problems of one kind (same file, column, message, hint) together, in first-seen order,
    so 98 rows with the same code problem read as one finding."""
    groups: dict[tuple, list[Problem]] = {}
    for p in problems:
        groups.setdefault((p.file, p.column, p.message, p.hint), []).append(p)
    return list(groups.values())


def _format_group(group: list[Problem]) -> str:
    if len(group) == 1:
        return group[0].format()
    first = group[0]
    where = ", ".join(x for x in (first.file, f'kolonne "{first.column}"' if first.column
                                   else "") if x)
    rows = _ranges(sorted({p.row for p in group if p.row is not None}))
    values = list(dict.fromkeys(str(p.value) for p in group if p.value is not None))
    shown = ", ".join(f'"{v}"' for v in values[:MAX_VALUES])
    if len(values) > MAX_VALUES:
        shown += f" og {len(values) - MAX_VALUES} andre"
    detail = f"{len(group)} gange, i {rows}" + (f", værdier {shown}" if values else "")
    head = f"{where}: {first.message}" if where else first.message
    return f"{head}\n    {detail}.\n    Gør sådan: {first.hint}"


def _ranges(rows: list[int]) -> str:
    """[2, 3, 4, 9] -> 'rækkerne 2-4, 9'."""
    runs: list[list[int]] = []
    for r in rows:
        if runs and r == runs[-1][1] + 1:
            runs[-1][1] = r
        else:
            runs.append([r, r])
    text = ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)
    return ("række " if len(rows) == 1 else "rækkerne ") + text


def _span(years: list[int]) -> str:
    if not years:
        return "ingen årsmapper"
    return f"året {years[0]}" if len(years) == 1 else f"årene {', '.join(map(str, years))}"


def _wrap(text: str, indent: str, subsequent: str | None = None) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent,
                         subsequent_indent=subsequent if subsequent is not None else indent + "  ",
                         break_on_hyphens=False, break_long_words=False)
