"""Numbers the Danish way (87 %, 0,87, 725.000), for notes, the dashboard and the report:
a no-break space before the per cent sign, an en dash in ranges, a minus sign (−) for
negative changes.

Rounding is half up, as Excel shows numbers, so a share of exactly 12,5 % reads "13 %"
on screen, in the report and in the workbook alike.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u00a0"
"""Between a number and its per cent sign, so "87 %" never breaks across lines."""
EN_DASH = "–"
"""In ranges: "83–92 %"."""


def _value(value: object) -> float | None:
    """The number, or None for anything missing (None, NaN, pandas' NA)."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _rounded(value: float, decimals: int) -> Decimal:
    # 12 significant digits first, so 0.145 * 100 (= 14.4999...) rounds like 14.5.
    return Decimal(format(value, ".12g")).quantize(Decimal(1).scaleb(-decimals),
                                                   rounding=ROUND_HALF_UP)


def number(value: object, decimals: int = 0) -> str:
    """725000 -> '725.000'; 0.875 with decimals=2 -> '0,88'."""
    v = _value(value)
    if v is None:
        return "–"
    text = f"{_rounded(v, decimals):,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _signed(v: float, decimals: int, always: bool) -> tuple[str, str]:
    rounded = _rounded(v, decimals)
    text = number(abs(rounded), decimals)
    if rounded == 0:  # no change reads '0', with no sign ('±0' is not Danish style)
        return "", text
    if rounded < 0:
        return "−", text
    return ("+" if always else ""), text


def percent(share: object, decimals: int = 0, signed: bool = False) -> str:
    """0.87 -> '87 %'; with signed=True, 0.031 -> '+3 %' (for changes)."""
    v = _value(share)
    if v is None:
        return "–"
    sign, text = _signed(v * 100, decimals, signed)
    return f"{sign}{text}{NBSP}%"


def points(change: object, decimals: int = 0) -> str:
    """A change in share as percentage points: 0.031 -> '+3 procentpoint'; a change that
    rounds to nothing reads '0 procentpoint', never '−0' or '±0'."""
    v = _value(change)
    if v is None:
        return "–"
    sign, text = _signed(v * 100, decimals, True)
    return f"{sign}{text} procentpoint"


MAX_DECIMALS = 6
"""The outputs hold shares to 6 decimals; beyond that two figures are the same."""


def percent_beside(share: object, target: object, signed: bool = False) -> str:
    """A share (or an interval bound) shown next to its target: whole per cent, but with one
    decimal, or more until the two texts differ, when the whole-per-cent text would equal
    the target's while the value does not (0.8966 beside 0.90 -> '89,7 %', not '90 %'),
    so the verdict can always be read off the figures shown. A value exactly at the target
    stays whole ('90 %' meets a target of 90 %)."""
    return percent(share, beside_decimals(share, target), signed)


def beside_decimals(share: object, target: object) -> int:
    """How many decimals `percent_beside` shows `share` with beside `target` (0 when
    either is missing): an interval's two bounds share the larger count, '90,3–92,0 %'."""
    v, t = _value(share), _value(target)
    if v is None or t is None:
        return 0
    decimals = 0
    while (decimals < MAX_DECIMALS and round(v - t, MAX_DECIMALS + 2) != 0
           and percent(v, decimals) == percent(t, decimals)):
        decimals += 1
    return decimals


def range_text(values: Sequence[int]) -> str:
    """[2021, 2022, 2023, 2024] -> '2021–2024' (first to last, en dash); one value alone.
    How the agreement period and a run of result goals are named in headings."""
    return f"{values[0]}{EN_DASH}{values[-1]}" if len(values) > 1 else str(values[0])


def row_ranges(rows: list[int], max_runs: int | None = None) -> str:
    """[2, 3, 4, 9] -> 'rækkerne 2–4, 9' (the rows of a message, runs joined by an en
    dash); after `max_runs` runs, the rest are counted ('og 12 rækker mere')."""
    runs: list[list[int]] = []
    for r in rows:
        if runs and r == runs[-1][1] + 1:
            runs[-1][1] = r
        else:
            runs.append([r, r])
    shown = runs if max_runs is None else runs[:max_runs]
    text = ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in shown)
    rest = sum(b - a + 1 for a, b in runs[len(shown):])
    if rest:
        text += f" og {rest} {'række' if rest == 1 else 'rækker'} mere"
    return ("række " if len(rows) == 1 else "rækkerne ") + text


def shown_points(change: object, decimals: int = 0) -> float | None:
    """A change in share as the screen shows it, in percentage points rounded half up
    (0.004 -> 0.0, so it reads as no change), or None when missing."""
    v = _value(change)
    return None if v is None else float(_rounded(v * 100, decimals))
