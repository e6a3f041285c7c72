"""Numbers the Danish way (87 %, 0,87, 725.000), for notes, the dashboard and the report."""

from __future__ import annotations

import math


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value: object, decimals: int = 0) -> str:
    """725000 -> '725.000'; 0.875 with decimals=2 -> '0,88'."""
    if _missing(value):
        return "–"
    text = f"{float(value):,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def percent(share: object, decimals: int = 0, signed: bool = False) -> str:
    """0.87 -> '87 %'; with signed=True, 0.031 -> '+3 %' (for changes)."""
    if _missing(share):
        return "–"
    value = float(share)
    text = number(abs(value) * 100, decimals)
    if signed:
        sign = "+" if value > 0 else "−" if value < 0 else "±"
    else:
        sign = "−" if value < 0 else ""
    return f"{sign}{text} %"


def points(change: object, decimals: int = 0) -> str:
    """A change in share as percentage points: 0.031 -> '+3 procentpoint'."""
    if _missing(change):
        return "–"
    value = float(change) * 100
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    return f"{sign}{number(abs(value), decimals)} procentpoint"
