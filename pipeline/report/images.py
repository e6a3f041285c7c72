"""The report's charts: the dashboard's own Plotly figures (pipeline/charts.py), drawn
to PNG for the Word document and for pasting elsewhere.

Static export uses Kaleido 1.x, which drives the system's Chromium (headless, no
network: plotly.js comes from the installed plotly package and MathJax is switched off).
One browser draws every chart of a report, so the start-up cost is paid once.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go

from pipeline.present import charts
from pipeline.reference import SURVEY_KINDS
from pipeline.report.data import ReportData, ReportError

WIDTH = 700
"""Layout width in pixels: the dashboard's fonts stay readable at 16 cm on A4."""
SCALE = 2
QUALITY_CHART = "svarprocent"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def browser_path() -> str | None:
    """The Chromium (or Chrome) Kaleido will draw with: $BROWSER_PATH, else the first on
    PATH; None if there is none (then no chart can be drawn)."""
    return os.environ.get("BROWSER_PATH") or next(
        (path for name in BROWSERS if (path := shutil.which(name))), None)


@dataclass(frozen=True)
class Chart:
    name: str
    """File name without .png, numbered in the document's order: '01_MO-FYS_udvikling'."""
    indicator_id: str
    """The indicator the chart belongs to; '' for the data-quality chart."""
    figure: go.Figure


def _indicator_figures(data: ReportData, indicator_id: str,
                       kind: str) -> list[tuple[str, go.Figure]]:
    """The dashboard's charts for one indicator (track page), up to the report year."""
    if kind in SURVEY_KINDS:
        rows = data.history(indicator_id)
        if rows["share"].isna().all():
            return []
        return [("udvikling", charts.indicator_trend(rows, f"{indicator_id}: andel positive "
                                                            "pr. år"))]
    series = data.series
    if kind == "national_count":
        measures = data.reference.national_measures.set_index("indicator_id")
        measure = measures.at[indicator_id, "measure"]
        loans = series[series["measure"] == measure]
        if loans.empty:
            return []
        rows = data.history(indicator_id)
        targets = rows[rows["target_kind"] == "min_count"][["year", "target"]]
        return [("udvikling", charts.national_count(loans, targets,
                                                    measures.at[indicator_id, "label"],
                                                    measures.at[indicator_id, "unit"]))]
    if kind == "national_trend":
        out = []
        for measure, name, title in (("licence_use", "brug", "Brug pr. licens"),
                                     ("licence_users", "brugere", "Unikke brugere pr. licens")):
            if ((series["measure"] == measure) & (series["licence"] != "I alt")).any():
                out.append((name, charts.licences(series, measure, title)))
        return out
    return []  # judgements have no chart


def report_charts(data: ReportData) -> list[Chart]:
    """Every chart of the report, in the document's order (by resultatmål and indicator,
    then the response rates)."""
    catalogue = data.catalogue()
    found: list[tuple[str, str, go.Figure]] = []
    for goal in data.resultatmaal().index:
        for ind in data.indicators_of(goal):
            for suffix, fig in _indicator_figures(data, ind, catalogue.at[ind, "kind"]):
                found.append((f"{ind}_{suffix}", ind, fig))
    if not data.quality.empty:
        found.append((QUALITY_CHART, "", charts.response_rates(
            data.quality, "Svarprocent pr. år og område")))
    if data.synthetic:  # a pasted chart must still say it shows demo data
        found = [(name, ind, charts.mark_synthetic(fig)) for name, ind, fig in found]
    return [Chart(f"{i:02d}_{name}", ind, fig) for i, (name, ind, fig) in
            enumerate(found, start=1)]


def render_png(figures: list[Chart]) -> dict[str, bytes]:
    """Each chart as PNG bytes (name -> bytes), drawn by one headless Chromium."""
    if not figures:
        return {}
    import kaleido

    with tempfile.TemporaryDirectory(prefix="beretning-figurer-") as tmp:
        specs = [{"fig": c.figure, "path": Path(tmp) / f"{c.name}.png",
                  "opts": {"format": "png", "width": WIDTH, "scale": SCALE,
                           "height": int(c.figure.layout.height or 420)}}
                 for c in figures]
        try:
            kaleido.write_fig_from_object_sync(specs, kopts={"mathjax": False},
                                               cancel_on_error=True)
        except Exception as exc:  # no browser, or it failed: say so in Danish
            raise ReportError(
                f"Diagrammerne kunne ikke tegnes ({type(exc).__name__}: "
                f"{str(exc).strip()[:300]}).",
                "Diagrammerne tegnes med Chromium. Installér systemets Chromium (Debian/Ubuntu: "
                "apt-get install chromium), eller peg på en anden Chromium/Chrome med "
                "miljøvariablen BROWSER_PATH, og lav rapporten igen.") from exc
        return {c.name: (Path(tmp) / f"{c.name}.png").read_bytes() for c in figures}


def png_zip(images: dict[str, bytes], folder: str) -> bytes:
    """The PNGs in one zip file (inside `folder`/), for the dashboard's download."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in images.items():
            archive.writestr(f"{folder}/{name}.png", data)
    return buffer.getvalue()


def by_indicator(figures: list[Chart], images: dict[str, bytes]) -> dict[str, list[bytes]]:
    """indicator id -> its PNGs in order ('' holds the data-quality chart)."""
    out: dict[str, list[bytes]] = {}
    for chart in figures:
        if chart.name in images:
            out.setdefault(chart.indicator_id, []).append(images[chart.name])
    return out
