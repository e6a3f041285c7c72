"""The report's charts: the dashboard's own Plotly figures (pipeline/charts.py), drawn
to PNG for the Word document and for pasting elsewhere.

Static export uses Kaleido 1.x, which drives the system's Chromium (headless, no
network: plotly.js comes from the installed plotly package and MathJax is switched off).
One browser draws every chart of a report, so the start-up cost is paid once.
"""

from __future__ import annotations

import io
import math
import os
import shutil
import tempfile
import textwrap
import zipfile
from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go

from pipeline.formatting import EN_DASH, range_text
from pipeline.present import charts
from pipeline.reference import (
    BOUNDARIES_ATTRIBUTION,
    NATIONAL,
    SURVEY_KINDS,
    municipality_boundaries,
)
from pipeline.report.data import ReportData, ReportError

WIDTH = 700
"""Layout width in pixels: the dashboard's fonts stay readable at 16 cm on A4."""
SCALE = 2
TREND_HEIGHT = 270
LICENCE_HEIGHT = 380
"""Pixels: a trend chart 14 cm wide in the document is then about 6 cm high, so the chart,
its caption and the first lines of its text rarely leave much of a page blank."""
TITLE_CHARACTERS = 90
MAP_HEIGHT = 480
"""A map is drawn HALF_WIDTH wide and printed a little under half the text width, two a
row and three rows a page."""
HALF_WIDTH = 500
"""Pixels: a chart printed half the text width (maps, the two licence charts) is drawn
narrower with larger text, so its text stays legible at that size."""
HALF_FONT = 15
MAP_TITLE_CHARACTERS = 48
REGION_MAPS = "regions"
"""The `indicator_id` of the CB-region maps (they belong to the CB-region section)."""
"""A chart title longer than this is broken into lines, so it fits the chart's width."""
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
    title: str = ""
    """The chart's title as plain text: the document's caption under the picture."""
    width: int = WIDTH
    """Pixels: WIDTH for a chart across the page, HALF_WIDTH for one of two side by side."""


@dataclass(frozen=True)
class Picture:
    """A drawn chart for the document: its caption title and PNG bytes."""

    title: str
    png: bytes


def for_print(fig: go.Figure, height: int, width: int = WIDTH) -> go.Figure:
    """The dashboard's figure at the report's size: low enough that a chart, its caption
    and the first lines of its text fit on a page, with a little less room above."""
    lines = (fig.layout.title.text or "").count("<br>") + 1
    names = [t.name for t in fig.data if t.name and t.showlegend is not False]
    size = fig.layout.legend.font.size or 11
    needed = sum(len(n) * size * 0.57 + 45 for n in names)
    rows = max(1, math.ceil(needed / (width - 80)))
    top = 12 + 21 * lines + (size * 2 + 1) * rows
    fig.update_layout(height=height + 21 * (lines - 1), margin=dict(t=top),
                      width=width if width != WIDTH else None)
    return place_title(fig)


def place_title(fig: go.Figure) -> go.Figure:
    """Put a title of one or more lines (<br>) fully inside the top margin: Plotly anchors
    a several-line title at its first line, so 'top' would cut the first line off."""
    text = fig.layout.title.text or ""
    size = fig.layout.title.font.size or 15
    lines = text.count("<br>") + 1
    height = fig.layout.height or 420
    fig.update_layout(title=dict(yref="container", yanchor="middle",
                                 y=1 - (6 + lines * size * 1.3 / 2) / height))
    return fig


def wrapped(title: str, width: int = TITLE_CHARACTERS) -> str:
    """A chart title broken into lines (<br>) that fit the chart's width."""
    return "<br>".join(textwrap.wrap(title, width)) or title


def _indicator_figures(data: ReportData, indicator_id: str,
                       kind: str) -> list[tuple[str, str, go.Figure]]:
    """The dashboard's charts for one indicator (track page), up to the report year, as
    (file suffix, title, figure)."""
    label = data.catalogue().at[indicator_id, "label"]
    span = range_text(data.years)
    if kind in SURVEY_KINDS:
        rows = data.history(indicator_id)
        if rows["share"].isna().all():
            return []
        title = f"{label}, {span}"  # the y axis says it is the share positive
        return [("udvikling", title, for_print(charts.indicator_trend(rows, wrapped(title)),
                                                 TREND_HEIGHT))]
    series = data.series
    if kind == "national_count":
        measures = data.reference.national_measures.set_index("indicator_id")
        measure = measures.at[indicator_id, "measure"]
        loans = series[series["measure"] == measure]
        if loans.empty:
            return []
        rows = data.history(indicator_id)
        targets = rows[rows["target_kind"] == "min_count"][["year", "target"]]
        first = int(loans["year"].min())
        title = f"{measures.at[indicator_id, 'label']} {first}{EN_DASH}{data.year}"
        return [("udvikling", title, for_print(charts.national_count(
            loans, targets, wrapped(title), measures.at[indicator_id, "unit"]), TREND_HEIGHT))]
    if kind == "national_trend":
        out = []
        measures = data.reference.national_measures.set_index("measure")
        for measure, name, what in (("licence_use", "brug", "Brug"),
                                    ("licence_users", "brugere", "Unikke brugere")):
            rows = series[(series["measure"] == measure) & (series["licence"] != "I alt")]
            if rows.empty:
                continue
            first = int(rows["year"].min())
            title = f"{what} pr. licens {first}{EN_DASH}{data.year}"
            fig = charts.licences(series, measure, title, measures.at[measure, "unit"])
            fig.update_layout(font=dict(size=HALF_FONT), legend_font_size=HALF_FONT - 2,
                              title_font_size=HALF_FONT + 1)
            out.append((name, title, for_print(fig, LICENCE_HEIGHT, HALF_WIDTH)))
        return out
    return []  # judgements have no chart


def _region_maps(data: ReportData) -> list[tuple[str, str, str, go.Figure]]:
    """A small map per survey indicator of the report year: each CB region shaded by its
    share (the dashboard's map), for the document's CB-region section ('regions')."""
    boundaries = municipality_boundaries(data.reference.folder)
    rows = data.indicators
    rows = rows[(rows["year"] == data.year) & rows["kind"].isin(SURVEY_KINDS)
                & (rows["scope"] != NATIONAL)]
    out = []
    for ind in data.catalogue()["indicator_id"]:
        mine = rows[rows["indicator_id"] == ind]
        if mine.empty or mine["share"].isna().all():
            continue
        title = f"{data.catalogue().at[ind, 'label']}, {data.year}"
        fig = charts.region_share_map(boundaries, data.reference.kommuner, mine,
                                      wrapped(title, MAP_TITLE_CHARACTERS),
                                      BOUNDARIES_ATTRIBUTION)
        fig.update_layout(height=MAP_HEIGHT, width=HALF_WIDTH, font=dict(size=HALF_FONT),
                          title_font=dict(size=HALF_FONT + 2), margin=dict(t=80))
        fig.update_annotations(font_size=15)
        place_title(fig)
        out.append((f"{ind}_kort", REGION_MAPS, title, fig))
    return out


def report_charts(data: ReportData) -> list[Chart]:
    """Every chart of the report, in the document's order (by resultatmål and indicator,
    then the response rates)."""
    catalogue = data.catalogue()
    found: list[tuple[str, str, str, go.Figure]] = []
    for goal in data.resultatmaal().index:
        for ind in data.indicators_of(goal):
            for suffix, title, fig in _indicator_figures(data, ind, catalogue.at[ind, "kind"]):
                found.append((f"{ind}_{suffix}", ind, title, fig))
    found += _region_maps(data)
    if not data.quality.empty:
        title = "Svarprocent pr. år og område"
        found.append((QUALITY_CHART, "", title, charts.response_rates(data.quality, title)))
    if data.synthetic:  # a pasted chart must still say it shows demo data
        found = [(name, ind, title, charts.mark_synthetic(fig))
                 for name, ind, title, fig in found]
    return [Chart(f"{i:02d}_{name}", ind, fig, title, int(fig.layout.width or WIDTH))
            for i, (name, ind, title, fig) in enumerate(found, start=1)]


def render_png(figures: list[Chart]) -> dict[str, bytes]:
    """Each chart as PNG bytes (name -> bytes), drawn by one headless Chromium."""
    if not figures:
        return {}
    import kaleido

    with tempfile.TemporaryDirectory(prefix="beretning-figurer-") as tmp:
        specs = [{"fig": c.figure, "path": Path(tmp) / f"{c.name}.png",
                  "opts": {"format": "png", "scale": SCALE,
                           "width": c.width,
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


def by_indicator(figures: list[Chart], images: dict[str, bytes]) -> dict[str, list[Picture]]:
    """indicator id -> its drawn charts in order ('' holds the data-quality chart)."""
    out: dict[str, list[Picture]] = {}
    for chart in figures:
        if chart.name in images:
            out.setdefault(chart.indicator_id, []).append(Picture(chart.title,
                                                                  images[chart.name]))
    return out
