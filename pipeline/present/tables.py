"""The tables people read: the goal matrix, indicator tables, data quality, rows left
out and input files, as `Table`s (Danish headings, the figures as numbers, and each
column's kind from `pipeline.present.columns`).

The dashboard shows `Table.shown()` and offers the figures as CSV and Excel
(`pipeline.present.downloads`); the report's workbook writes the same tables. Nothing
here computes a statistic: it only selects, renames and words what the pipeline wrote.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from pipeline.formatting import number, percent, percent_beside, points
from pipeline.present.columns import (
    CHANGE_PCT,
    COLUMNS,
    COUNT,
    POINTS,
    SHARE,
    TEXT,
    Column,
)
from pipeline.present.words import (
    STATUS_COLUMN_WORDS,
    goal_verdict,
    indicator_verdict,
    scope_label,
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
    (shares as fractions), so downloads keep them; `kinds` says how each column reads."""

    frame: pd.DataFrame
    kinds: dict[str, str]
    share_targets: list | None = None
    """Each row's share target (None where there is none), for `BESIDE_TARGET` columns."""

    @classmethod
    def of(cls, values: dict[str, Iterable], extra: Iterable[Column] = ()) -> Table:
        """Build from output-column keys to values, in order; headings and kinds come from
        COLUMNS (or `extra`, for a column no output has)."""
        specs = {**COLUMNS, **{c.key: c for c in extra}}
        frame = pd.DataFrame({specs[key].heading: list(v) for key, v in values.items()})
        return cls(frame, {specs[key].heading: specs[key].kind for key in values})

    def kind(self, heading: str) -> str:
        return self.kinds.get(heading, TEXT)

    def only(self, headings: list[str]) -> Table:
        """The same table with these columns only, in this order."""
        return Table(self.frame[headings], {h: self.kind(h) for h in headings},
                     self.share_targets)

    def add(self, heading: str, values: Iterable, kind: str = TEXT,
            before: str | None = None) -> Table:
        """A new column, at the end or before another one."""
        frame = self.frame.copy()
        at = frame.columns.get_loc(before) if before else len(frame.columns)
        frame.insert(at, heading, list(values))
        return Table(frame, {**self.kinds, heading: kind}, self.share_targets)

    def without(self, headings: Iterable[str]) -> Table:
        gone = set(headings)
        keep = [h for h in self.frame.columns if h not in gone]
        return self.only(keep)

    def shown(self) -> pd.DataFrame:
        """The figures as Danish text (87 %, 725.000, +3 procentpoint) for the screen."""
        out = self.frame.copy()
        targets = self.share_targets or [None] * len(out)
        for heading in out.columns:
            to_text = TO_TEXT.get(self.kind(heading))
            if heading in BESIDE_TARGET and self.kind(heading) == SHARE:
                out[heading] = [percent_beside(v, t)
                                for v, t in zip(out[heading], targets, strict=True)]
            elif to_text:
                out[heading] = out[heading].map(to_text)
        return out

    def __len__(self) -> int:
        return len(self.frame)


def goal_matrix(goals: pd.DataFrame, reference: Reference) -> Table:
    """Resultatmål (rows, grouped by opgave) x year (columns), each cell icon + word."""
    rm = goals[goals["level"] == "resultatmaal"]
    verdicts = rm.pivot(index="maal_id", columns="year", values="attained")
    maal = reference.maal.set_index("maal_id")
    table = Table.of({
        "opgave": maal.loc[verdicts.index, "opgave"].values,
        "resultatmaal": [f"{i}: {maal.at[i, 'short_label']}" for i in verdicts.index],
    })
    for year in verdicts.columns:
        table = table.add(str(year), [goal_verdict(v) for v in verdicts[year]])
    return table


def indicator_table(rows: pd.DataFrame, reference: Reference) -> Table:
    """Indicator rows (from indicators.csv) as people read them."""
    labels = reference.indicators.set_index("indicator_id")["label"]
    table = Table.of({
        "indicator_id": rows["indicator_id"].values,
        "label": rows["indicator_id"].map(labels).values,
        "year": rows["year"].values,
        "scope": rows["scope"].map(scope_label).values,
        "respondents": rows["respondents"].values,
        "n_valid": rows["n_valid"].values,
        "n_positive": rows["n_positive"].values,
        "share": rows["share"].values,
        "ci_low": rows["ci_low"].values,
        "ci_high": rows["ci_high"].values,
        "nonresponse_low": rows["nonresponse_low"].values,
        "nonresponse_high": rows["nonresponse_high"].values,
        "change": rows["change"].values,
        "value": rows["value"].values,
        "target": [target_text(k, t) for k, t in zip(rows["target_kind"], rows["target"],
                                                     strict=True)],
        "verdict": [indicator_verdict(a, c, r) for a, c, r in
                    zip(rows["attained"], rows["certainty"], rows["na_reason"], strict=True)],
        "note": rows["note"].values,
    })
    table.share_targets = [share_target(k, t) for k, t in
                           zip(rows["target_kind"], rows["target"], strict=True)]
    return table


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
