"""The short Danish summary printed after a run: what was read, what was left out (with
file and row), and the binding verdicts."""

from __future__ import annotations

from pathlib import Path

from pipeline.formatting import percent
from pipeline.presentation import GOAL_WORDS, SYNTHETIC_NOTICE
from pipeline.reference import NATIONAL
from pipeline.run import RunResult

SHOWN_EXCLUSIONS = 5


def summarise(result: RunResult, out: Path) -> str:
    lines = []
    if result.synthetic:
        lines.append(f"!! {SYNTHETIC_NOTICE}")
    national = result.quality[result.quality["scope"] == NATIONAL]
    for q in national.itertuples():
        lines.append(f"{q.year}: {q.municipalities_answering} af {q.population} kommuner svarede "
                     f"(svarprocent {percent(q.response_rate)}).")
        excluded = result.excluded[result.excluded["year"] == q.year]
        if len(excluded):
            noun = "række" if len(excluded) == 1 else "rækker"
            lines.append(f"  {len(excluded)} {noun} udeladt (se excluded_rows.csv):")
            for e in excluded.head(SHOWN_EXCLUSIONS).itertuples():
                lines.append(f"    {e.source_file}, række {e.source_row}: {e.reason}")
            if len(excluded) > SHOWN_EXCLUSIONS:
                lines.append(f"    ... og {len(excluded) - SHOWN_EXCLUSIONS} flere.")
    for year in result.years_without_targets:
        lines.append(f"Bemærk: targets.csv har ingen mål for {year} (året ligger uden for "
                     f"aftalen), så tallene for {year} er beregnet uden vurdering.")
    goals = result.goals[result.goals["level"] == "resultatmaal"]
    lines.append("Resultatmål (bindende roll-up):")
    for maal_id, rows in goals.groupby("maal_id", sort=True):
        verdicts = ", ".join(f"{r.year}: {GOAL_WORDS[r.attained]}" for r in rows.itertuples())
        lines.append(f"  {maal_id}: {verdicts}")
    for path in result.ignored:
        lines.append(f"Bemærk: {path} er ikke en datafil og er ikke læst.")
    lines.append(f"Resultaterne er skrevet til {out}/ (se manifest.json for input-hashes).")
    return "\n".join(lines)
