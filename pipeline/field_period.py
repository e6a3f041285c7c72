"""Is each year's data really that year's? The responses' own times against the years'
field periods. Pure: takes the dated rows per year, returns problems.

A survey year's **field period** is when its responses may be dated:

- stated by the analyst in the year folder's `periode.csv` (start and end date, both
  included), or else
- the default: from 1 January of the survey year to 30 June of the next year. The survey
  about a year is answered during that year or early the next, before the joint report on
  it is due (30 June); a response dated earlier is last year's, one dated later is next
  year's.

Three checks, so that last year's data in this year's folder never counts unseen:

1. A response dated outside its year's field period is refused (file, rows, dates).
2. Two yearly surveys cannot run at the same time: a response dated inside the period in
   which another year's responses were given (that year's stated period, or the span from
   its first to its last response) is refused. This catches an "all responses" export, or
   last year's file, when the survey runs early in the next year and the default periods
   of two years overlap. A stated period is trusted over a span; a span that holds the
   other year's whole span is the one with the foreign rows.
3. When every other year (at least two) was answered in the same calendar year relative
   to its survey year (all during it, or all early the next), a year answered the other
   way is refused: its file is most likely the next or the previous year's (the
   default period alone cannot tell "2025's early answers" from "2024's late ones").

Responses without a time are not checked (the same export in two years is caught by its
hash, see `read.surveys`); empty responses are left out anyway and not checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from pipeline.errors import Problem
from pipeline.formatting import row_ranges

DEFAULT_END_MONTH_DAY = (6, 30)
"""The default field period of year Y ends on this day of year Y + 1 (the joint report
on year Y is due 30 June)."""
MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
          "september", "oktober", "november", "december")
MAX_ROWS_SHOWN = 12


@dataclass(frozen=True)
class FieldPeriod:
    start: date
    end: date
    """Both days included."""
    source: str
    """The periode.csv it was stated in, or "" for the default."""

    @property
    def stated(self) -> bool:
        return bool(self.source)

    def bounds(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        return (pd.Timestamp(self.start),
                pd.Timestamp(self.end) + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1))

    def text(self) -> str:
        how = f"ifølge {self.source}" if self.stated else "standardreglen"
        return f"{day_text(self.start)} – {day_text(self.end)}, {how}"


def default_period(year: int) -> FieldPeriod:
    month, day = DEFAULT_END_MONTH_DAY
    return FieldPeriod(date(year, 1, 1), date(year + 1, month, day), "")


def day_text(day: date | datetime | pd.Timestamp) -> str:
    """1. marts 2024, as a Danish text says a date."""
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def _span_text(times: pd.Series) -> str:
    first, last = times.min(), times.max()
    if first.date() == last.date():
        return day_text(first)
    return f"{day_text(first)} – {day_text(last)}"


@dataclass
class YearTimes:
    """One survey year as the check sees it."""

    year: int
    period: FieldPeriod
    dated: pd.DataFrame
    """source_file, source_row, besvaret (a timestamp) of every response with answers."""


def field_period_problems(years: list[YearTimes]) -> list[Problem]:
    """The checks of the module docstring, for every year."""
    problems = _overlapping_statements(years)
    inside: dict[int, pd.DataFrame] = {}
    for y in years:
        low, high = y.period.bounds()
        times = y.dated["besvaret"]
        outside = (times < low) | (times > high)
        inside[y.year] = y.dated[~outside]
        problems += _per_file(y.dated[outside], lambda rows, y=y: (
            f"er dateret {_span_text(rows['besvaret'])}, uden for {y.year}s "
            f"svarperiode ({y.period.text()}), så {_they(rows)} sandsynligvis til et andet år.",
            _hint(y.year, y.period)), "response.outside_field_period")
    spans = {y.year: _span(y, inside[y.year]) for y in years}
    named: dict[int, set] = {y.year: set() for y in years}
    for y in years:
        for other in years:
            if other.year == y.year or spans[other.year] is None or spans[y.year] is None:
                continue
            if not _may_hold_foreign_rows(y, other, spans):
                continue
            low, high = spans[other.year]
            rows = inside[y.year]
            within = rows[(rows["besvaret"] >= low) & (rows["besvaret"] <= high)]
            named[y.year] |= set(within.index)
            when = (other.period.text() if other.period.stated else
                    f"{_span_text(pd.Series([low, high]))}, fra første til sidste besvarelse "
                    f"i {other.year}s mappe")
            problems += _per_file(within, lambda rows, y=y, other=other, when=when: (
                f"er dateret {_span_text(rows['besvaret'])}, altså i den periode, "
                f"hvor besvarelserne til {other.year} er givet ({when}). To årlige "
                "undersøgelser kan ikke være i gang samtidig, så det ligner besvarelser til "
                f"{other.year} (eller en eksport med flere års besvarelser).",
                _hint(y.year, y.period, other.year)), "response.in_other_years_period")
    return problems + _off_schedule(years, inside, named)


def _off_schedule(years: list[YearTimes], inside: dict[int, pd.DataFrame],
                  named: dict[int, set]) -> list[Problem]:
    """Check 3: a year answered in another calendar year, relative to its survey year, than
    every other year (at least two, all alike) was: the others were answered during their
    year and this one early the next, or the reverse. Then its file is most likely the
    next or the previous year's. A year with a stated period is not judged (its period
    says when it ran)."""
    usual: dict[int, int] = {}
    for y in years:
        if y.period.stated:
            usual[y.year] = y.period.start.year - y.year
        elif not inside[y.year].empty:
            usual[y.year] = int((inside[y.year]["besvaret"].dt.year - y.year).mode().iloc[0])
    problems = []
    for y in years:
        others = {z: off for z, off in usual.items() if z != y.year}
        if y.period.stated or y.year not in usual or len(others) < 2 \
                or len(set(others.values())) != 1:
            continue
        expected = next(iter(others.values()))
        if usual[y.year] == expected:
            continue
        rows = inside[y.year]
        rows = rows[((rows["besvaret"].dt.year - y.year) != expected).to_numpy()]
        rows = rows.drop(index=[i for i in rows.index if i in named[y.year]])
        when = "samme år" if expected == 0 else "året efter"
        which = "næste" if usual[y.year] > expected else "forrige"
        listed = ", ".join(map(str, sorted(others)))
        problems += _per_file(rows, lambda rows, y=y, when=when, which=which, listed=listed: (
            f"er dateret {_span_text(rows['besvaret'])}, men besvarelserne til de andre år "
            f"({listed}) er givet {when}, som undersøgelsen handler om. Det ligner {which} års "
            "besvarelser.", _hint(y.year, y.period)), "response.off_schedule")
    return problems


def _they(rows: pd.DataFrame) -> str:
    return "den hører" if len(rows) == 1 else "de hører"


def _span(y: YearTimes, rows: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """When the year's responses were given: the stated period, or first to last."""
    if y.period.stated:
        return y.period.bounds()
    if rows.empty:
        return None
    return rows["besvaret"].min(), rows["besvaret"].max()


def _may_hold_foreign_rows(y: YearTimes, other: YearTimes,
                           spans: dict[int, tuple | None]) -> bool:
    """Whether y's rows inside other's span are to be named: never when y's period is
    stated (its rows are then within it by check 1); and not when y's span lies strictly
    inside other's unstated span (then other is the one holding foreign rows)."""
    if y.period.stated:
        return False
    if other.period.stated:
        return True
    (a, b), (c, d) = spans[y.year], spans[other.year]
    other_holds_mine = c <= a and b <= d and (c, d) != (a, b)
    return not other_holds_mine


def _overlapping_statements(years: list[YearTimes]) -> list[Problem]:
    stated = sorted((y for y in years if y.period.stated), key=lambda y: y.year)
    problems = []
    for i, y in enumerate(stated):
        for other in stated[:i]:
            if y.period.start <= other.period.end and other.period.start <= y.period.end:
                problems.append(Problem(
                    f"Svarperioden for {y.year} ({y.period.text()}) overlapper svarperioden for "
                    f"{other.year} ({other.period.text()}); to årlige undersøgelser kan ikke "
                    "være i gang samtidig.",
                    "Ret start- eller slutdatoen i den ene periode.csv, så perioderne ikke "
                    "overlapper, og kør igen.", file=y.period.source, code="period.overlap"))
    return problems


def _hint(year: int, period: FieldPeriod, other: int | None = None) -> str:
    belongs = (f"til {other}" if other else "til et andet år")
    text = (f"Tjek, at filen er eksporten for {year} og ikke hører {belongs} (fx sidste års "
            "fil, eller en eksport med alle års besvarelser); fjern de rækker eller den fil, "
            f"der ikke hører til {year}, og kør igen.")
    if period.stated:
        return text + f" Er datoerne rigtige, så ret svarperioden i {period.source}."
    return text + (f" Er datoerne rigtige, så skriv årets svarperiode i periode.csv i "
                   f"{year}s mappe (kolonnerne start,end; se README).")


def _per_file(rows: pd.DataFrame, words, code: str) -> list[Problem]:
    """One problem per file: its rows (as Excel shows them) and their dates."""
    problems = []
    for file, group in rows.groupby("source_file", sort=True):
        numbers = sorted(int(r) for r in group["source_row"])
        message, hint = words(group)
        problems.append(Problem(f"{_rows_text(numbers)} {message}", hint, file=str(file),
                                column="besvaret", code=code))
    return problems


def _rows_text(rows: list[int]) -> str:
    """[2, 3, 4, 9] -> 'Rækkerne 2–4, 9'."""
    return row_ranges(rows, MAX_ROWS_SHOWN).capitalize()
