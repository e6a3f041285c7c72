"""Everything the command line prints, in Danish, for analysts: the run's summary, the
check report, add-year's proposal table and confirm-codebook's account.

The commands compute nothing here; each function turns a result object of the core
(`RunResult`, `CheckReport`, `AddYearResult`, `ConfirmResult`) into text.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from pipeline.errors import HIDDEN_HINT, Problem, shown_value
from pipeline.files import display_path, surveys_argument
from pipeline.formatting import number, percent, row_ranges
from pipeline.intake.add_year import (
    CATALOGUE,
    AddYearResult,
    ConfirmResult,
    SurveyXactSummary,
)
from pipeline.intake.check import CheckReport, YearSummary
from pipeline.intake.codebook_match import CLOSE, CLOSE_THRESHOLD, EXACT, Proposal
from pipeline.outputs.write import SYNTHETIC_NOTICE
from pipeline.present.words import GOAL_WORDS
from pipeline.reference import NATIONAL, Reference, load_reference
from pipeline.run import RunResult

WIDTH = 100
MAX_VALUES = 8
TABLE_HEADER_WIDTH = 64


# --------------------------------------------------------------------------------- run


SHOWN_EXCLUSIONS = 5
STATUS_MISSING = ("En SurveyXact-eksport har ingen statuskolonner (statoverall_1–5), så alle "
                  "dens rækker er talt med, også besvarelser, der måske ikke er gennemført. "
                  "Eksportér datasættet igen med alle variable, så kun gennemførte "
                  "besvarelser tæller.")


def summarise(result: RunResult, out: Path) -> str:
    """What `run` prints: per year who answered and what was left out (with file and
    row), the binding verdicts, and where the outputs are."""
    lines = []
    if result.synthetic:
        lines.append(f"!! {SYNTHETIC_NOTICE}")
    national = result.quality[result.quality["scope"] == NATIONAL]
    for q in national.itertuples():
        lines.append(f"{q.year}: {q.municipalities_answering} af {q.population} kommuner svarede "
                     f"(svarprocent {percent(q.response_rate)}).")
        excluded = result.excluded[result.excluded["year"] == q.year]
        if q.status_columns == "no":
            lines += _wrap(f"  !! {STATUS_MISSING}", "", "     ")
        if len(excluded):
            noun = "række" if len(excluded) == 1 else "rækker"
            # When not every row is listed below, the counts per reason say what the rest are.
            why = f"{q.excluded_reasons}; " if len(excluded) > SHOWN_EXCLUSIONS else ""
            lines += _wrap(f"{len(excluded)} {noun} udeladt ({why}se excluded_rows.csv):",
                           "  ", "    ")
            for e in excluded.head(SHOWN_EXCLUSIONS).itertuples():
                lines.append(f"    {e.source_file}, række {e.source_row}: {e.reason}")
            if len(excluded) > SHOWN_EXCLUSIONS:
                lines.append(f"    ... og {len(excluded) - SHOWN_EXCLUSIONS} flere.")
    for year in result.years_without_targets:
        lines.append(f"Bemærk: targets.csv har ingen mål for {year} (året ligger uden for "
                     f"aftalen), så tallene for {year} er beregnet uden vurdering.")
    goals = result.goals[result.goals["level"] == "resultatmaal"]
    lines.append("Resultatmål (bindende roll-up):")
    reference = load_reference(result.reference_dir)
    for maal_id, rows in goals.groupby("maal_id", sort=True):
        verdicts = ", ".join(f"{r.year}: {GOAL_WORDS[r.attained]}" for r in rows.itertuples())
        lines.append(f"  {reference.resultatmaal_name(maal_id)}: {verdicts}")
    for path in result.ignored:
        lines.append(f"Bemærk: {path} er ikke en datafil og er ikke læst.")
    lines.append(f"Resultaterne er skrevet til {out}/ (se manifest.json for input-hashes).")
    return "\n".join(lines)


# ------------------------------------------------------------------------------- check


def format_check(report: CheckReport) -> str:
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
                         f"{surveys_argument(report.surveys)} --row {f.codebook_row} "
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
        if s.not_completed:
            n = sum(len(rows) for files in s.not_completed.values() for rows in files.values())
            lines += _wrap(f"Ikke gennemført: {n} {'besvarelse' if n == 1 else 'besvarelser'} "
                           "i SurveyXact-eksporten er udeladt, fordi kun gennemførte "
                           "besvarelser tæller:", "  ")
            for status, files in s.not_completed.items():
                n = sum(len(rows) for rows in files.values())
                where = "; ".join(f"{file} {'række' if len(rows) == 1 else 'rækkerne'} "
                                  f"{', '.join(rows)}" for file, rows in files.items())
                lines += _wrap(f"{status} ({n}): {where}", "    - ", "      ")
        for file in s.without_status:
            lines += _wrap(f"!! {file}: {STATUS_MISSING}", "  ", "     ")
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
    if s.closetime:
        lines += _wrap("Tidspunkt: SurveyXact's closetime (hvornår besvarelsen blev gennemført) "
                       "bruges som besvaret, når en kommune har svaret mere end én gang.", "  ")
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
    rows = row_ranges(sorted({p.row for p in group if p.row is not None}))
    values = list(dict.fromkeys(shown_value(p.value) for p in group if p.value is not None))
    shown = ", ".join(f'"{v}"' for v in values[:MAX_VALUES])
    if len(values) > MAX_VALUES:
        shown += f" og {len(values) - MAX_VALUES} andre"
    detail = f"{len(group)} gange, i {rows}" + (f", værdier {shown}" if values else "")
    message, hint = first.message, first.hint
    hidden = next((p.hidden_note() for p in group if p.hidden_note()), "")
    if hidden:
        message += f" {hidden}"
        hint += HIDDEN_HINT
    head = f"{where}: {message}" if where else message
    return f"{head}\n    {detail}.\n    Gør sådan: {hint}"


def _span(years: list[int]) -> str:
    if not years:
        return "ingen årsmapper"
    return f"året {years[0]}" if len(years) == 1 else f"årene {', '.join(map(str, years))}"


def _wrap(text: str, indent: str, subsequent: str | None = None) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent,
                         subsequent_indent=subsequent if subsequent is not None else indent + "  ",
                         break_on_hyphens=False, break_long_words=False)


# ---------------------------------------------------------- add-year and confirm-codebook


def format_add_year(result: AddYearResult) -> str:
    """The Danish summary of add-year: the table, what is missing, and the next commands."""
    lines: list[str] = []
    where = display_path(result.codebook)
    shown = display_path(result.export) if len(result.files) <= 1 else _and(
        [display_path(f) for f in result.files])
    if result.copied:
        lines.append(f"Eksporten er kopieret til {shown}.")
    else:
        lines.append(f"Eksporten ligger allerede i {shown}.")
    if result.surveyxact is not None:
        lines += _wrap(_surveyxact_lines(result.surveyxact), "", "  ")
    for old, kept in result.backups:
        lines.append(f"Den tidligere {old.name} er gemt som {display_path(kept)}.")
    sources = _and(result.sources)
    lines += ["", f"Forslag til {where} (overskrifterne er sammenlignet med {sources}):", ""]
    lines.append(f"{'række':>5}  {'nøgle':<20} {'sådan fundet':<22} {'ok?':<4}  "
                 "overskrift i eksporten")
    for p in result.proposals:
        ok = "ja" if p.confirmed else "TJEK"
        key = p.key or "(læses ikke)"
        head = p.header if len(p.header) <= TABLE_HEADER_WIDTH else \
            p.header[:TABLE_HEADER_WIDTH - 1] + "…"
        lines.append(f"{result.row_of(p):>5}  {key:<20} {_how(p):<22} {ok:<4}  {head}")
        for detail in _details(p):
            lines += textwrap.wrap(detail, 100, initial_indent=" " * 29,
                                   subsequent_indent=" " * 31)
    lines.append("")
    if result.unmapped:
        lines.append(f"Spørgsmål uden kolonne i eksporten (de får intet tal for {result.year}, "
                     f"medmindre en kolonne kobles til dem): {', '.join(result.unmapped)}.")
    else:
        lines.append("Alle spørgsmål i kataloget er koblet til en kolonne.")
    left_out = [p for p in result.proposals if not p.key]
    if left_out:
        unknown = [p for p in left_out if p.method not in (EXACT,)]
        known = [p for p in left_out if p.method == EXACT]
        if known:
            lines.append("Overskrifter, der ikke læses, som tidligere år (navne, e-mails, "
                         f"kommentarer o.l.): {', '.join(_q(p.header) for p in known)}.")
        if unknown:
            lines.append("Overskrifter uden match, som derfor ikke læses (tjek, at ingen af dem "
                         "er et spørgsmål): "
                         f"{', '.join(f'række {result.row_of(p)} {_q(p.header)}' for p in unknown)}"
                         ".")
    if "kommune" in result.unmapped:
        lines.append("!! Ingen kolonne er koblet til kommune; run kan ikke køre uden. Kobl "
                     "kommune-kolonnen med --row og --key kommune (se nedenfor).")
    lines += [f"Bemærk: {n}" for n in result.notes]
    lines += ["", *_next_steps(result)]
    return "\n".join(lines)


def _surveyxact_lines(sx: SurveyXactSummary) -> str:
    """What add-year says about a SurveyXact export: how its answers are read and which of
    its responses count."""
    text = ("SurveyXact-eksport: spørgsmålene er fundet via spørgsmålsteksterne i Structure, "
            "og svarkoderne oversættes via Labels (ingen value_labels at skrive). ")
    if not sx.has_status:
        return text + STATUS_MISSING
    left = ", ".join(f"{n} {status}" for status, n in sx.not_completed.items())
    text += (f"Den har {number(sx.responses)} besvarelser, hvoraf {number(sx.completed)} er "
             "gennemført og tæller" + (f"; de øvrige udelades ({left})." if left else "."))
    if sx.has_response_time:
        text += " closetime (hvornår besvarelsen blev gennemført) bruges som besvaret."
    return text


def _how(p: Proposal) -> str:
    source = f" ({p.source.source})" if p.source and p.source.source != CATALOGUE else (
        " (katalog)" if p.source else "")
    if p.method == EXACT:
        return f"præcis{source}"
    if p.method == CLOSE:
        return f"tæt {number(p.score, 2)}{source}"
    return "intet match"


def _details(p: Proposal) -> list[str]:
    out = []
    if p.method == CLOSE and p.source:
        out.append(f'ligner "{p.source.header}"')
    for note in p.notes:
        out.append(note)
    if p.guess:
        key, score = p.guess
        out.append(f"ligner mest {key} ({number(score, 2)}), men under grænsen "
                   f"{number(CLOSE_THRESHOLD, 2)}")
    return out


def _next_steps(result: AddYearResult) -> list[str]:
    year = result.year
    option = surveys_argument(result.surveys)
    base = f"python -m pipeline confirm-codebook {year}{option}"
    lines = ["Næste skridt:"]
    pending = result.pending
    if pending:
        rows = ", ".join(str(result.row_of(p)) for p in pending)
        noun = "række" if len(pending) == 1 else "rækker"
        lines.append(f"  {len(pending)} {noun} med en nøgle er gæt og skal bekræftes, før run "
                     f"og check vil køre (markeret TJEK: {noun} {rows}).")
        lines.append(f"  {'Godkend alle rækker som vist:':<32} {base}")
    example = next((p for p in result.proposals if p.guess), None) or \
        next((p for p in pending), None) or \
        next((p for p in result.proposals if not p.key), None)
    if example is not None:
        key = example.guess[0] if example.guess else "NØGLE"
        label = f"Ret en række, fx række {result.row_of(example)}:"
        lines.append(f"  {label:<32} {base} --row {result.row_of(example)} --key {key}")
    coded = [p for p in result.proposals if p.key and p.missing_codes]
    for p in coded:
        label = f"Giv svarkoder for række {result.row_of(p)}:"
        lines.append(f"  {label:<32} {base} --row {result.row_of(p)} --value-labels "
                     f'"{example_labels(p.key)}"  (tjek kodningen i survey-værktøjet)')
    lines.append(f"  {'Kontrollér derefter:':<32} python -m pipeline check --year {year}{option}")
    lines.append(f"  {'Beregn tallene:':<32} python -m pipeline run{option}")
    if result.confirmed_all:
        lines.insert(1, "  Alle rækker er bekræftet (--confirm).")
    return lines


def example_labels(key: str, reference: Reference | None = None) -> str:
    """A value_labels template from the scale's order (1-5, 9 = Ved ikke), for the hint."""
    reference = reference or load_reference()
    scale = reference.question_scale().get(key)
    if scale is None:
        return ""
    answers = reference.scale_answers(scale)
    valid = list(answers.loc[answers["valid"], "answer"])
    parts = [f"{i}={a}" for i, a in enumerate(valid, start=1)]
    if "Ved ikke" in set(answers["answer"]):
        parts.append("9=Ved ikke")
    return "; ".join(parts)


def _q(text: str) -> str:
    return f'"{text}"'


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} og {items[-1]}"




def format_confirm(result: ConfirmResult) -> str:
    """The Danish summary of confirm-codebook: what changed, and what is still open."""
    option = surveys_argument(result.surveys)
    lines = [f"Kodebogen {display_path(result.codebook)} er gemt."]
    lines += [f"  {c}" for c in result.changes]
    for r, header, key in result.confirmed_rows:
        lines.append(f"  Bekræftet: række {r}: {_q(header)} -> {key or '(læses ikke)'}")
    if not result.confirmed_rows and not result.changes:
        lines.append("  Intet at ændre: rækkerne var allerede bekræftet.")
    if result.pending:
        lines.append("Mangler stadig bekræftelse:")
        lines += [f"  række {r}: {_q(h)} -> {k}" for r, h, k in result.pending]
        lines.append(f"  Bekræft alle: python -m pipeline confirm-codebook {result.year}{option}")
    if result.unmapped:
        lines.append(f"Spørgsmål uden kolonne i {result.year} (får intet tal): "
                     f"{', '.join(result.unmapped)}.")
    if result.problems:
        lines.append("Kodebogen har stadig problemer, som run vil stoppe ved:")
        lines += [f"  - {p.format()}" for p in result.problems]
    if not result.pending and not result.problems:
        lines.append(f"Næste skridt: python -m pipeline check --year {result.year}{option}   "
                     f"og derefter   python -m pipeline run{option}")
    return "\n".join(lines)
