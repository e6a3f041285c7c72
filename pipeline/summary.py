"""The short Danish summary printed after a run: what was read, what was left out, verdicts."""

from __future__ import annotations

from pathlib import Path

from pipeline.formatting import percent
from pipeline.presentation import SYNTHETIC_NOTICE
from pipeline.reference import NATIONAL
from pipeline.run import RunResult

VERDICT_WORDS = {"yes": "Opfyldt", "no": "Ikke opfyldt", "incomplete": "Ufuldstændig",
                 "n/a": "Intet mål"}


def summarise(result: RunResult, out: Path) -> str:
    lines = []
    if result.synthetic:
        lines.append(f"!! {SYNTHETIC_NOTICE}")
    national = result.quality[result.quality["scope"] == NATIONAL]
    for q in national.itertuples():
        extra = f", {q.rows_excluded} rækker udeladt ({q.excluded_reasons})" if q.rows_excluded \
            else ""
        lines.append(f"{q.year}: {q.municipalities_answering} af {q.population} kommuner svarede "
                     f"(svarprocent {percent(q.response_rate)}){extra}.")
    goals = result.goals[result.goals["level"] == "resultatmaal"]
    lines.append("Resultatmål (bindende roll-up):")
    for maal_id, rows in goals.groupby("maal_id", sort=True):
        verdicts = ", ".join(f"{r.year}: {VERDICT_WORDS[r.attained]}" for r in rows.itertuples())
        lines.append(f"  {maal_id}: {verdicts}")
    for path in result.ignored:
        lines.append(f"Bemærk: {path} er ikke en datafil og er ikke læst.")
    lines.append(f"Resultaterne er skrevet til {out}/ (se manifest.json for input-hashes).")
    return "\n".join(lines)
