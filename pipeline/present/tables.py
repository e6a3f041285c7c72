"""The tables people read: the goal matrix, indicator tables, data quality, rows left
out and input files, as `Table`s (Danish headings, the figures as numbers, and each
column's kind from `pipeline.present.columns`).

The dashboard shows `Table.shown()` and offers the figures as CSV and Excel
(`pipeline.present.downloads`); the report's workbook writes the same tables. Nothing
here computes a statistic: it only selects, renames and words what the pipeline wrote.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from pipeline.formatting import number, percent, percent_beside, points
from pipeline.present.columns import (
    CHANGE_PCT,
    COLUMNS,
    COUNT,
    INTEGER,
    POINTS,
    SHARE,
    TEXT,
    Column,
)
from pipeline.present.words import (
    STATUS_COLUMN_WORDS,
    ci_label,
    ci_method_text,
    goal_cell,
    interval_text,
    scope_label,
    scoped_verdict,
    share_target,
    target_text,
)
from pipeline.reference import Reference

TO_TEXT = {
    SHARE: percent,
    CHANGE_PCT: lambda v: percent(v, 1, signed=True),
    POINTS: points,
    COUNT: number,
}
"""How a column of each kind reads on screen (INTEGER and TEXT stay as they are)."""
BESIDE_TARGET = {COLUMNS[key].heading for key in ("share", "ci_low", "ci_high",
                                                  "nonresponse_low", "nonresponse_high")}
"""Shares read against the row's target: shown with a decimal where a whole per cent
would read like the target (`percent_beside`)."""


@dataclass
class Table:
    """A table for people: `frame` has the Danish headings and the figures as numbers
    (shares as fractions), so downloads keep them; `kinds` says how each column reads.
    A column mixing kinds (a target: a share, a count or words) gives each row's kind in
    `row_kinds`. `hidden` columns are in the downloads but not on the screen (the interval
    method, the confidence level, the synthetic-data flag)."""

    frame: pd.DataFrame
    kinds: dict[str, str]
    row_kinds: dict[str, list[str]] = field(default_factory=dict)
    hidden: frozenset[str] = frozenset()
    share_targets: list | None = None
    """Each row's share target (None where there is none), for `BESIDE_TARGET` columns."""

    @classmethod
    def of(cls, values: dict[str, Iterable], extra: Iterable[Column] = ()) -> Table:
        """Build from output-column keys to values, in order; headings and kinds come from
        COLUMNS (or `extra`, for a column no output has)."""
        specs = {**COLUMNS, **{c.key: c for c in extra}}
        frame = pd.DataFrame({specs[key].heading: list(v) for key, v in values.items()})
        return cls(frame, {specs[key].heading: specs[key].kind for key in values})

    @classmethod
    def concat(cls, tables: list[Table]) -> Table:
        """Tables with the same columns, one under the other."""
        first = tables[0]
        return cls(pd.concat([t.frame for t in tables], ignore_index=True), dict(first.kinds),
                   {h: [k for t in tables for k in t.cell_kinds(h)] for h in first.row_kinds},
                   first.hidden,
                   [x for t in tables for x in (t.share_targets or [None] * len(t))])

    def kind(self, heading: str) -> str:
        return self.kinds.get(heading, TEXT)

    def cell_kinds(self, heading: str) -> list[str]:
        """The kind of each cell of a column (the column's kind, or its rows' kinds)."""
        return self.row_kinds.get(heading) or [self.kind(heading)] * len(self.frame)

    def _with(self, frame: pd.DataFrame) -> Table:
        keep = set(frame.columns)
        return Table(frame, {h: self.kind(h) for h in frame.columns},
                     {h: k for h, k in self.row_kinds.items() if h in keep},
                     frozenset(h for h in self.hidden if h in keep), self.share_targets)

    def only(self, headings: list[str]) -> Table:
        """The same table with these columns only, in this order."""
        return self._with(self.frame[headings])

    def rows(self, mask: Iterable[bool]) -> Table:
        """The same table with the rows where `mask` is true."""
        keep = list(mask)
        table = self._with(self.frame[keep].reset_index(drop=True))
        table.row_kinds = {h: [k for k, m in zip(kinds, keep, strict=True) if m]
                           for h, kinds in table.row_kinds.items()}
        if self.share_targets is not None:
            table.share_targets = [t for t, m in zip(self.share_targets, keep, strict=True)
                                   if m]
        return table

    def add(self, heading: str, values: Iterable, kind: str = TEXT,
            before: str | None = None, hidden: bool = False) -> Table:
        """A new column, at the end or before another one (`hidden`: downloads only)."""
        frame = self.frame.copy()
        at = frame.columns.get_loc(before) if before else len(frame.columns)
        frame.insert(at, heading, list(values))
        return Table(frame, {**self.kinds, heading: kind}, dict(self.row_kinds),
                     self.hidden | ({heading} if hidden else set()), self.share_targets)

    def without_empty(self) -> Table:
        """The same table without columns that show nothing in any row (all '–' or
        empty): a column that is always empty tells the reader nothing."""
        shown = self.shown()
        empty = [h for h in shown.columns
                 if all(str(v).strip() in ("", "–", "nan", "<NA>", "None") for v in shown[h])]
        return self.without(empty)

    def without(self, headings: Iterable[str]) -> Table:
        gone = set(headings)
        keep = [h for h in self.frame.columns if h not in gone]
        return self.only(keep)

    def shown(self, with_hidden: bool = False) -> pd.DataFrame:
        """The figures as Danish text (87 %, 725.000, +3 procentpoint) for the screen,
        without the hidden columns unless `with_hidden` (a download sizes its columns by
        every column it writes); shares beside a target keep a decimal where a whole per
        cent would read like the target."""
        out = self.frame[[h for h in self.frame.columns
                          if with_hidden or h not in self.hidden]].copy()
        targets = self.share_targets or [None] * len(out)
        for heading in out.columns:
            kinds = self.cell_kinds(heading)
            if heading in BESIDE_TARGET:
                out[heading] = [percent_beside(v, t) if k == SHARE else
                                (TO_TEXT[k](v) if k in TO_TEXT else v)
                                for v, k, t in zip(out[heading], kinds, targets, strict=True)]
                continue
            out[heading] = [TO_TEXT[k](v) if k in TO_TEXT else v
                            for v, k in zip(out[heading], kinds, strict=True)]
        return out

    def __len__(self) -> int:
        return len(self.frame)


def goal_matrix(goals: pd.DataFrame, reference: Reference,
                certainty: pd.DataFrame | None = None) -> Table:
    """Resultatmål (rows, grouped by opgave) x year (columns), each cell icon + word;
    with `certainty` (goal_certainty.csv's rows for one interval method), a verdict that
    rests on an indicator whose interval contains its target is marked "(usikkert)"."""
    rm = goals[goals["level"] == "resultatmaal"]
    verdicts = rm.pivot(index="maal_id", columns="year", values="attained")
    unsure = None
    if certainty is not None:
        unsure = certainty[certainty["level"] == "resultatmaal"].pivot(
            index="maal_id", columns="year", values="uncertain").reindex(
            index=verdicts.index, columns=verdicts.columns)
    maal = reference.maal.set_index("maal_id")
    table = Table.of({
        "opgave": maal.loc[verdicts.index, "opgave"].values,
        "resultatmaal": [f"{reference.resultatmaal_name(i)}: {maal.at[i, 'short_label']}"
                         for i in verdicts.index],
    })
    for year in verdicts.columns:
        flags = unsure[year] if unsure is not None else [False] * len(verdicts)
        table = table.add(str(year), [goal_cell(v, bool(u) if pd.notna(u) else False)
                                      for v, u in zip(verdicts[year], flags, strict=True)])
    return table


def target_cells(kinds: Iterable, targets: Iterable) -> tuple[list, list[str]]:
    """The target as a number where it is one (a share as a fraction, a count), else in
    words, with each cell's kind: downloads keep the number, the screen shows 85 %."""
    values: list = []
    cell_kinds: list[str] = []
    for kind, target in zip(kinds, targets, strict=True):
        if kind == "min_share" and pd.notna(target):
            values.append(float(target))
            cell_kinds.append(SHARE)
        elif kind == "min_count" and pd.notna(target):
            values.append(int(target))
            cell_kinds.append(COUNT)
        else:
            values.append(target_text(kind, target))
            cell_kinds.append(TEXT)
    return values, cell_kinds


def verdicts(rows: pd.DataFrame) -> list[str]:
    """Each row's verdict in words, a CB region's marked as for orientation only."""
    return [scoped_verdict(a, c, r, s) for a, c, r, s in
            zip(rows["attained"], rows["certainty"], rows["na_reason"], rows["scope"],
                strict=True)]


def indicator_table(rows: pd.DataFrame, reference: Reference) -> Table:
    """Indicator rows (from indicators.csv) as people read them; a CB region's verdict is
    marked as for orientation only."""
    labels = reference.indicators.set_index("indicator_id")["label"]
    targets, target_kinds = target_cells(rows["target_kind"], rows["target"])
    table = Table.of({
        "indicator_id": rows["indicator_id"].values,
        "label": rows["indicator_id"].map(labels).values,
        "year": rows["year"].values,
        "scope": rows["scope"].map(scope_label).values,
        "respondents": rows["respondents"].astype("Int64").values,
        "n_valid": rows["n_valid"].astype("Int64").values,
        "n_positive": rows["n_positive"].astype("Int64").values,
        "share": rows["share"].values,
        "ci_low": rows["ci_low"].values,
        "ci_high": rows["ci_high"].values,
        "nonresponse_low": rows["nonresponse_low"].values,
        "nonresponse_high": rows["nonresponse_high"].values,
        "change": rows["change"].values,
        "value": rows["value"].values,
        "target": targets,
        "verdict": verdicts(rows),
        "note": rows["note"].values,
    })
    table.row_kinds[COLUMNS["target"].heading] = target_kinds
    table.share_targets = [share_target(k, t) for k, t in
                           zip(rows["target_kind"], rows["target"], strict=True)]
    return table


def with_method_columns(table: Table, rows: pd.DataFrame) -> Table:
    """The interval method each row's interval was computed with and the confidence level,
    as (hidden) columns: the downloads say how the intervals were made."""
    methods = [ci_method_text(m) if pd.notna(lo) else "" for m, lo in
               zip(rows["ci_method"], rows["ci_low"], strict=True)]
    table = table.add("Intervalmetode", methods, hidden=True)
    return table.add("Konfidensniveau", rows["confidence"].values, SHARE, hidden=True)


def region_table(rows: pd.DataFrame) -> Table:
    """One indicator and year for the country and the six CB regions, narrow enough to
    sit beside the map: no repeated description, no column that is always empty, the
    interval in one column (its bounds as numbers in the downloads)."""
    targets, target_kinds = target_cells(rows["target_kind"], rows["target"])
    level = rows["confidence"].dropna()
    table = Table.of({
        "scope": rows["scope"].map(scope_label).values,
        "n_valid": rows["n_valid"].astype("Int64").values,
        "share": rows["share"].values,
        "interval": [interval_text(lo, hi, share_target(k, t)) for lo, hi, k, t in
                     zip(rows["ci_low"], rows["ci_high"], rows["target_kind"], rows["target"],
                         strict=True)],
        "target": targets,
        "verdict": verdicts(rows),
        "change": rows["change"].values,
    }, extra=[Column("interval", ci_label(level.iloc[0] if len(level) else 0.95, short=True)),
              Column("n_valid", "n", COUNT)])
    table.row_kinds[COLUMNS["target"].heading] = target_kinds
    table.share_targets = [share_target(k, t) for k, t in
                           zip(rows["target_kind"], rows["target"], strict=True)]
    table = table.add(COLUMNS["ci_low"].heading, rows["ci_low"].values, SHARE, hidden=True)
    return table.add(COLUMNS["ci_high"].heading, rows["ci_high"].values, SHARE, hidden=True)


def licence_table(national: pd.DataFrame, measures: pd.DataFrame) -> Table:
    """national.csv's licence rows: each licence's use and users with the change from the
    year before and from the first year with a figure."""
    rows = national[national["licence"].astype(str) != ""]
    labels = measures["label"] if "label" in measures else pd.Series(dtype=str)
    return Table.of({
        "licence": rows["licence"].values,
        "measure": rows["measure"].map(labels).fillna(rows["measure"]).values,
        "value": rows["value"].values,
        "value_change": rows["value_change"].values,
        "value_change_pct": rows["value_change_pct"].values,
        "first_year": rows["first_year"].astype("Int64").values,
        "change_since_first_pct": rows["change_since_first_pct"].values,
    }, extra=[Column("licence", "Licens"), Column("measure", "Opgørelse"),
              Column("first_year", "Første år", INTEGER),
              Column("change_since_first_pct", "Ændring siden første år", CHANGE_PCT)])


def quality_table(quality: pd.DataFrame) -> Table:
    """quality.csv per year and scope."""
    return Table.of({
        "year": quality["year"].values,
        "scope": quality["scope"].map(scope_label).values,
        "population": quality["population"].values,
        "municipalities_answering": quality["municipalities_answering"].values,
        "response_rate": quality["response_rate"].values,
        "duplicates_dropped": quality["duplicates_dropped"].values,
        "rows_excluded": quality["rows_excluded"].values,
        "excluded_reasons": quality["excluded_reasons"].fillna("").values,
        "municipalities_missing": quality["municipalities_missing"].fillna("").values,
        "not_completed": quality.get("not_completed", pd.Series(pd.NA, quality.index)).values,
        "status_columns": quality.get("status_columns", pd.Series("", quality.index))
        .fillna("").map(STATUS_COLUMN_WORDS).values,
    })


def excluded_table(excluded: pd.DataFrame, reference: Reference) -> Table:
    """excluded_rows.csv: each row left out, with its file, row, municipality and why."""
    names = reference.kommuner.set_index("kode")["navn"]
    return Table.of({
        "source_file": excluded["source_file"].values,
        "source_row": excluded["source_row"].values,
        "kommune": excluded["kommune_kode"].map(names).fillna("–").values,
        "reason": excluded["reason"].values,
    })


def input_files_table(manifest: dict) -> Table:
    """The manifest's input files with their SHA-256 (what the figures come from)."""
    files = manifest.get("inputs", [])
    return Table.of({key: [f[key] for f in files] for key in ("path", "kind", "sha256",
                                                               "bytes")})
