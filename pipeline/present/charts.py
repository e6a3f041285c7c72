"""Plotly figures of the pipeline's outputs, the same in the dashboard and the report.

Each function takes rows the pipeline wrote and returns a figure; none computes a
statistic. Shares are drawn in per cent with Danish separators (87 %, 0,87,
725.000); verdicts are in the hover text and legend words, not colour alone.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from pipeline.formatting import number, percent, points
from pipeline.outputs.write import SYNTHETIC_MARK
from pipeline.present.words import COLOURS, ci_label, indicator_verdict, interval_text, scope_label

FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=13)
NEGATIVE_COLOURS = ["#F0E442", "#E69F00", "#D55E00"]  # neutral -> most negative
POSITIVE_COLOURS = ["#56B4E9", "#0072B2"]  # positive -> most positive


def _layout(fig: go.Figure, title: str, height: int = 420) -> go.Figure:
    """Title top left, legend in a row under it, Danish separators (87,5 %; 725.000)."""
    fig.update_layout(title=dict(text=title, x=0, xanchor="left", y=0.98, yanchor="top",
                                 font=dict(size=15)),
                      separators=",.", font=FONT, height=height, template="plotly_white",
                      margin=dict(l=60, r=20, t=110, b=50),
                      legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0,
                                  font=dict(size=11)))
    return fig


def _pct(series: pd.Series) -> list:
    return [None if pd.isna(v) else float(v) * 100 for v in series]


def indicator_trend(rows: pd.DataFrame, title: str) -> go.Figure:
    """Share per year with its confidence interval, the non-response range behind it,
    and the target as a marker per year. `rows`: one indicator and scope, by year."""
    rows = rows.sort_values("year")
    years = rows["year"].astype(str).tolist()
    share = _pct(rows["share"])
    ci = ci_label(_confidence(rows))
    hover = [
        f"<b>{y}</b><br>Andel positive: {percent(s)}<br>"
        f"{ci}: {interval_text(lo, hi)}<br>"
        f"Frafaldsspænd: {interval_text(nlo, nhi)}<br>"
        f"Mål: {percent(t) if pd.notna(t) else 'intet'}<br>n = {number(n)}<br>"
        f"{indicator_verdict(a, c, r)}"
        for y, s, lo, hi, nlo, nhi, t, n, a, c, r in zip(
            years, rows["share"], rows["ci_low"], rows["ci_high"], rows["nonresponse_low"],
            rows["nonresponse_high"], rows["target"], rows["n_valid"], rows["attained"],
            rows["certainty"], rows["na_reason"], strict=True)]
    fig = go.Figure()
    fig.add_trace(go.Bar(
        x=years, y=[None if pd.isna(h) else (h - lo) * 100 for lo, h in
                    zip(rows["nonresponse_low"], rows["nonresponse_high"], strict=True)],
        base=_pct(rows["nonresponse_low"]), width=0.5, marker_color=COLOURS["range"],
        opacity=0.25, name="Frafaldsspænd (alle uden svar negative/positive)",
        hoverinfo="skip"))
    fig.add_trace(go.Scatter(
        x=years, y=share, mode="markers", marker=dict(size=11, color=COLOURS["met"]),
        error_y=dict(type="data", symmetric=False, thickness=2, width=8,
                     array=[None if pd.isna(h) or s is None else h * 100 - s
                            for h, s in zip(rows["ci_high"], share, strict=True)],
                     arrayminus=[None if pd.isna(lo) or s is None else s - lo * 100
                                 for lo, s in zip(rows["ci_low"], share, strict=True)]),
        name=f"Andel positive med {ci}", hovertext=hover,
        hoverinfo="text"))
    targets = rows["target"].where(rows["target_kind"] == "min_share")
    fig.add_trace(go.Scatter(
        x=years, y=_pct(targets), mode="markers+lines",
        line=dict(color=COLOURS["target"], dash="dot", width=1, shape="hvh"),
        marker=dict(symbol="line-ew-open", size=28, color=COLOURS["target"],
                    line=dict(width=3, color=COLOURS["target"])),
        name="Mål (Bilag 3)", hovertext=[f"Mål {y}: {percent(t)}" for y, t in
                                         zip(years, targets, strict=True)],
        hoverinfo="text"))
    fig.update_yaxes(title="Andel positive", range=[0, 105], ticksuffix=" %",
                     tickformat=",.0f")
    fig.update_xaxes(type="category", title=None)
    return _layout(fig, title)


def answer_distribution(rows: pd.DataFrame, title: str) -> go.Figure:
    """Diverging stacked bars per year: positive answers to the right of zero, the other
    valid answers to the left (shares of valid answers); 'Ved ikke', 'Ikke relevant'
    and blanks are not part of the share and are listed apart, as counts."""
    rows = rows.sort_values(["year", "answer_order"])
    years = sorted(rows["year"].unique())
    labels = [str(y) for y in years]
    valid = rows[rows["valid"]]
    answers = valid.drop_duplicates("answer")[["answer", "answer_order", "positive"]]
    positives = answers[answers["positive"]].sort_values("answer_order", ascending=False)
    negatives = answers[~answers["positive"]].sort_values("answer_order")
    fig = go.Figure()
    for colours, group, sign in ((NEGATIVE_COLOURS, negatives, -1),
                                 (POSITIVE_COLOURS, positives, 1)):
        for colour, answer in zip(colours, group["answer"], strict=False):
            part = valid[valid["answer"] == answer].set_index("year").reindex(years)
            fig.add_trace(go.Bar(
                y=labels, x=[sign * (v or 0) * 100 for v in part["share_of_valid"].fillna(0)],
                orientation="h", name=answer, marker_color=colour,
                hovertext=[f"{answer} {y}: {percent(s)} ({number(c)} svar)" for y, s, c in
                           zip(labels, part["share_of_valid"], part["count"], strict=True)],
                hoverinfo="text"))
    outside = rows[~rows["valid"]].groupby("year")["count"].sum().reindex(years, fill_value=0)
    fig.update_layout(barmode="relative")
    for position, n in enumerate(outside):
        # y is the category's position: a year-like label would be read as a number.
        fig.add_annotation(x=1.0, xref="paper", xanchor="left", y=position, showarrow=False,
                           text=f"Ved ikke/ubesvaret: {number(n)}", font=dict(size=11))
    fig.update_xaxes(range=[-100, 100], tickvals=[-100, -50, 0, 50, 100],
                     ticktext=["100 %", "50 %", "0", "50 %", "100 %"],
                     title="Andel af gyldige svar: ikke-positive ← | → positive")
    fig.update_yaxes(type="category", autorange="reversed")
    fig = _layout(fig, title, height=200 + 45 * len(years))
    fig.update_layout(margin=dict(r=170, t=130))
    return fig


def regions(rows: pd.DataFrame, title: str) -> go.Figure:
    """One indicator and year: each CB region's share with its (wide) interval and n,
    next to the whole country, and the target as a line."""
    rows = rows.copy()
    ci = ci_label(_confidence(rows))
    labels = [f"{scope_label(s)} (n = {number(n)})" for s, n in
              zip(rows["scope"], rows["n_valid"], strict=True)]
    share = _pct(rows["share"])
    colours = [COLOURS["target"] if s == "national" else COLOURS["met"] for s in rows["scope"]]
    fig = go.Figure(go.Scatter(
        x=share, y=labels, mode="markers", marker=dict(size=11, color=colours),
        error_x=dict(type="data", symmetric=False, thickness=2, width=6,
                     array=[None if pd.isna(h) or s is None else h * 100 - s
                            for h, s in zip(rows["ci_high"], share, strict=True)],
                     arrayminus=[None if pd.isna(lo) or s is None else s - lo * 100
                                 for lo, s in zip(rows["ci_low"], share, strict=True)]),
        hovertext=[f"{lab}<br>Andel positive: {percent(s)}<br>{ci}: "
                   f"{interval_text(lo, hi)}<br>{indicator_verdict(a, c, r)}"
                   for lab, s, lo, hi, a, c, r in zip(
                       labels, rows["share"], rows["ci_low"], rows["ci_high"], rows["attained"],
                       rows["certainty"], rows["na_reason"], strict=True)],
        hoverinfo="text", name=f"Andel positive med {ci}"))
    target = rows["target"].where(rows["target_kind"] == "min_share").dropna()
    if len(target):
        fig.add_vline(x=float(target.iloc[0]) * 100, line_dash="dot",
                      line_color=COLOURS["target"],
                      annotation_text=f"Mål {percent(target.iloc[0])}",
                      annotation_position="top")
    fig.update_xaxes(range=[0, 105], ticksuffix=" %", tickformat=",.0f",
                     title="Andel positive")
    fig.update_yaxes(autorange="reversed", title=None)
    return _layout(fig, title, height=140 + 40 * len(rows))


def national_count(rows: pd.DataFrame, targets: pd.DataFrame, title: str,
                   unit: str) -> go.Figure:
    """A national figure per year (e.g. interlibrary loans) with any count target."""
    rows = rows.sort_values("year")
    years = rows["year"].astype(str).tolist()
    fig = go.Figure(go.Scatter(
        x=years, y=rows["value"].astype(float), mode="lines+markers",
        marker=dict(size=10, color=COLOURS["met"]), name=unit.capitalize(),
        hovertext=[f"{y}: {number(v)} {unit}<br>Ændring: {number(c) if pd.notna(c) else '–'}"
                   f" ({percent(p, 1, True)})" for y, v, c, p in
                   zip(years, rows["value"], rows["value_change"], rows["value_change_pct"],
                       strict=True)],
        hoverinfo="text"))
    if not targets.empty:
        fig.add_trace(go.Scatter(
            x=targets["year"].astype(str), y=targets["target"].astype(float), mode="markers",
            marker=dict(symbol="line-ew-open", size=28, color=COLOURS["target"],
                        line=dict(width=3, color=COLOURS["target"])),
            name="Mål (Bilag 3)",
            hovertext=[f"Mål {y}: {number(t)}" for y, t in zip(targets["year"],
                                                                 targets["target"], strict=True)],
            hoverinfo="text"))
    fig.update_yaxes(title=unit.capitalize(), tickformat=",.0f", rangemode="tozero")
    fig.update_xaxes(type="category")
    return _layout(fig, title)


LINE_STYLES = [("circle", "solid"), ("square", "dash"), ("diamond", "dot"),
               ("triangle-up", "dashdot"), ("x", "longdash"), ("star", "longdashdot")]
"""Marker and dash per line, so lines are told apart in greyscale print too."""
YEAR_SYMBOLS = ["circle-open", "square-open", "diamond-open", "triangle-up-open", "x-thin-open"]
"""Marker per earlier year in the response-rate dot plot (the latest is a filled circle)."""


def licences(rows: pd.DataFrame, measure: str, title: str, unit: str = "") -> go.Figure:
    """Each licence's figure per year (one line each, with its own marker and dash), so a
    reader sees which licence drives the total; `unit` names the axis (udlån/visninger)."""
    rows = rows[(rows["measure"] == measure) & (rows["licence"] != "I alt")]
    fig = go.Figure()
    palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"]
    for i, (licence, part) in enumerate(rows.groupby("licence", sort=True)):
        part = part.sort_values("year")
        symbol, dash = LINE_STYLES[i % len(LINE_STYLES)]
        fig.add_trace(go.Scatter(
            x=part["year"].astype(str), y=part["value"].astype(float), mode="lines+markers",
            name=licence, line=dict(color=palette[i % len(palette)], dash=dash, width=2),
            marker=dict(symbol=symbol, size=9),
            hovertext=[f"{licence} {y}: {number(v)} ({percent(p, 1, True)})" for y, v, p in
                       zip(part["year"], part["value"], part["value_change_pct"], strict=True)],
            hoverinfo="text"))
    fig.update_yaxes(tickformat=",.0f", rangemode="tozero",
                     title=unit.capitalize() if unit else None)
    fig.update_xaxes(type="category")
    return _layout(fig, title)


def response_rates(rows: pd.DataFrame, title: str) -> go.Figure:
    """Response rate per scope (a row each) and year (a marker each, side by side), a dot
    plot that reads in greyscale: each year has its own marker, the latest is a filled
    circle with its rate written beside it."""
    fig = go.Figure()
    scopes = list(dict.fromkeys(rows["scope"]))
    years = sorted(rows["year"].unique())
    step = 0.7 / max(len(years), 1)
    position = {s: i for i, s in enumerate(scopes)}
    rates = rows["response_rate"].dropna()
    low = min(50.0, math.floor(float(rates.min()) * 10) * 10) if len(rates) else 0.0
    for k, year in enumerate(years):
        part = rows[rows["year"] == year]
        latest = k == len(years) - 1
        offset = (k - (len(years) - 1) / 2) * step
        fig.add_trace(go.Scatter(
            x=_pct(part["response_rate"]), y=[position[s] - offset for s in part["scope"]],
            mode="markers+text" if latest else "markers", name=str(year),
            marker=dict(symbol="circle" if latest else YEAR_SYMBOLS[k % len(YEAR_SYMBOLS)],
                        size=10 if latest else 8,
                        color=COLOURS["target"] if latest else COLOURS["neutral"],
                        line=dict(width=1.5)),
            text=[percent(r) for r in part["response_rate"]] if latest else None,
            textposition="middle right", textfont=dict(size=10),
            hovertext=[f"{scope_label(s)} {year}: {number(a)} af {number(p)} kommuner "
                       f"({percent(r)})" for s, a, p, r in
                       zip(part["scope"], part["municipalities_answering"], part["population"],
                           part["response_rate"], strict=True)],
            hoverinfo="text"))
    fig.update_xaxes(range=[low, 104], ticksuffix=" %", tickformat=",.0f", title="Svarprocent")
    fig.update_yaxes(tickvals=list(range(len(scopes))),
                     ticktext=[scope_label(s) for s in scopes], autorange="reversed",
                     showgrid=False, zeroline=False, title=None)
    return _layout(fig, title, height=170 + 48 * len(scopes))


SYNTHETIC_MARGIN = 28
"""Extra room under a chart of synthetic data for the notice, below everything else."""


def mark_synthetic(fig: go.Figure) -> go.Figure:
    """Write the demo-data notice into the figure itself, so that a downloaded or pasted
    chart of synthetic data still says so: bottom right, in a strip added under the chart,
    where it covers no legend, axis or figure."""
    margin = fig.layout.margin
    bottom = margin.b if margin.b is not None else 50
    fig.update_layout(margin=dict(b=bottom + SYNTHETIC_MARGIN),
                      height=(fig.layout.height or 420) + SYNTHETIC_MARGIN)
    fig.add_annotation(text=SYNTHETIC_MARK, xref="paper", yref="paper", x=1, y=0,
                       xanchor="right", yanchor="top", yshift=-(bottom + 4),
                       showarrow=False, font=dict(size=12, color=COLOURS["not_met"]))
    return fig


def change_text(change: object, low: object, high: object, confidence: object = 0.95) -> str:
    """'+3 procentpoint (95 %-KI −4 til +10)' for hover texts and tables."""
    if pd.isna(change):
        return "–"
    return (f"{points(change)} ({ci_label(confidence, short=True)} {points(low)} til "
            f"{points(high)})")


def _confidence(rows: pd.DataFrame) -> object:
    """The run's confidence level, as written in the rows (95 % if absent)."""
    if "confidence" in rows and rows["confidence"].notna().any():
        return rows["confidence"].dropna().iloc[0]
    return 0.95


# Maps: the municipalities' boundaries drawn as filled polygons (go.Scatter with
# fill="toself") on plain axes, so a map needs no base map from the internet (Plotly's
# geo maps fetch one) and draws the same in the browser and in the report's PNGs.
MAP_LATITUDE = 56.0
"""Denmark's middle latitude: a degree of longitude is cos(56°) of a degree of latitude."""
BORNHOLM = 400
BORNHOLM_SHIFT = (-2.35, 2.0)
"""Bornholm is drawn in a box north-east of Zealand (as Danish maps do), not 2° east."""
CB_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"]
"""Okabe-Ito hues for the six CB regions (in kommuner.csv's order), told apart by
colour-blind readers; each region is also named on the map."""
SHARE_SCALE = [[0.0, "#EFF3FF"], [0.5, "#6BAED6"], [1.0, "#08306B"]]
"""Light to dark blue: a higher share is darker, also in greyscale."""
NO_ANSWER_FILL = "#FFFFFF"


def _outer_rings(geometry: dict) -> list[list[list[float]]]:
    """The outer ring of each polygon (holes are left out: the municipality inside a
    hole, Frederiksberg in København, is drawn on top, as maps are drawn smallest last)."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    return [polygon[0] for polygon in geometry["coordinates"]]


def _ring_area_centroid(ring: list[list[float]]) -> tuple[float, float, float]:
    """Area (in square degrees) and centroid of a ring, by the shoelace formula."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if area == 0:
        return 0.0, ring[0][0], ring[0][1]
    return abs(area) / 2, cx / (3 * area), cy / (3 * area)


def map_shapes(boundaries: dict) -> pd.DataFrame:
    """One row per municipality: kode, x and y (the outline, rings separated by
    None, Bornholm moved into its box), area and centroid, largest first (the drawing
    order)."""
    records = []
    for feature in boundaries["features"]:
        kode = int(feature["properties"]["kode"])
        dx, dy = BORNHOLM_SHIFT if kode == BORNHOLM else (0.0, 0.0)
        xs: list[float | None] = []
        ys: list[float | None] = []
        area = sx = sy = 0.0
        for ring in _outer_rings(feature["geometry"]):
            a, cx, cy = _ring_area_centroid(ring)
            area, sx, sy = area + a, sx + a * cx, sy + a * cy
            xs += [p[0] + dx for p in ring] + [None]
            ys += [p[1] + dy for p in ring] + [None]
        records.append({"kode": kode, "x": xs, "y": ys,
                        "area": area, "cx": sx / area + dx, "cy": sy / area + dy})
    return pd.DataFrame.from_records(records).sort_values("area", ascending=False,
                                                          ignore_index=True)


def _map_layout(fig: go.Figure, title: str, attribution: str, height: int) -> go.Figure:
    """Plain axes at Denmark's aspect ratio, no grid, Bornholm's box, the attribution
    (CC BY) inside the picture, so a downloaded or printed map still carries it."""
    fig.add_shape(type="rect", x0=12.2, x1=13.0, y0=56.9, y1=57.4,
                  line=dict(color="#595959", width=1))
    fig.update_xaxes(visible=False, range=[7.9, 13.1])
    fig.update_yaxes(visible=False, range=[54.45, 57.85], scaleanchor="x",
                     scaleratio=1 / math.cos(math.radians(MAP_LATITUDE)))
    fig.add_annotation(text=attribution, xref="paper", yref="paper", x=0, y=0,
                       xanchor="left", yanchor="top", yshift=2, showarrow=False,
                       font=dict(size=10, color="#595959"))
    fig = _layout(fig, title, height=height)
    fig.update_layout(margin=dict(l=10, r=10, t=70, b=40), hovermode="closest",
                      plot_bgcolor="white",
                      legend=dict(orientation="h", x=0, xanchor="left", y=-0.06,
                                  yanchor="top", font=dict(size=11)))
    return fig


def _region_labels(fig: go.Figure, shapes: pd.DataFrame, kommuner: pd.DataFrame,
                   texts: dict[str, str]) -> None:
    """Each CB region named on the map with its figure (so the map never relies on colour
    alone): a label pointing at the area-weighted middle of the region's mainland
    municipalities, pushed outwards from the middle of the country so neighbouring
    regions' labels do not cover each other."""
    cb_of = kommuner.set_index("kode")["centralbibliotek"]
    placed = shapes[shapes["kode"] != BORNHOLM].assign(cb=lambda d: d["kode"].map(cb_of))
    middle_x = float((placed["cx"] * placed["area"]).sum() / placed["area"].sum())
    middle_y = float((placed["cy"] * placed["area"]).sum() / placed["area"].sum())
    stretch = 1 / math.cos(math.radians(MAP_LATITUDE))
    for cb, part in placed.groupby("cb", sort=False):
        weight = part["area"] / part["area"].sum()
        x, y = float((part["cx"] * weight).sum()), float((part["cy"] * weight).sum())
        dx, dy = x - middle_x, (y - middle_y) * stretch
        length = math.hypot(dx, dy) or 1.0
        fig.add_annotation(x=x, y=y, text=texts.get(cb, cb), showarrow=True, arrowhead=0,
                           arrowwidth=1, arrowcolor="#000000", standoff=2,
                           ax=36 * dx / length, ay=-36 * dy / length,
                           font=dict(size=10, color="#000000"),
                           bgcolor="rgba(255,255,255,0.9)", bordercolor="#595959",
                           borderwidth=1, borderpad=2)


def region_share_map(boundaries: dict, kommuner: pd.DataFrame, rows: pd.DataFrame,
                     title: str, attribution: str) -> go.Figure:
    """The 98 municipalities shaded by their CB region's share for one indicator and year
    (darker = higher), each region named with its share and n. `rows`: the indicator's
    rows of indicators.csv for one year (a scope per CB region; the national row is
    ignored here). A region without a figure is left white and says so."""
    shapes = map_shapes(boundaries)
    share_of = dict(zip(rows["scope"], rows["share"], strict=True))
    n_of = dict(zip(rows["scope"], rows["n_valid"], strict=True))
    cb_of = kommuner.set_index("kode")["centralbibliotek"]
    name_of = kommuner.set_index("kode")["navn"]
    shares = [float(share_of[cb]) for cb in dict.fromkeys(cb_of)
              if cb in share_of and pd.notna(share_of[cb])]
    low = min(0.5, math.floor(min(shares) * 10) / 10) if shares else 0.0
    fig = go.Figure()
    for shape in shapes.itertuples():
        cb = cb_of[shape.kode]
        share = share_of.get(cb)
        known = share is not None and pd.notna(share)
        colour = (sample_colorscale(SHARE_SCALE, (float(share) - low) / (1 - low))[0]
                  if known else NO_ANSWER_FILL)
        fig.add_trace(go.Scatter(
            x=shape.x, y=shape.y, fill="toself", fillcolor=colour, mode="lines",
            line=dict(color="#FFFFFF" if known else "#595959", width=0.6),
            hoveron="fills", showlegend=False,
            name=f"{name_of[shape.kode]} ({scope_label(cb)}): "
                 + (f"{percent(share)} (n = {number(n_of.get(cb))})" if known
                    else "intet tal")))
    fig.add_trace(go.Scatter(
        x=[None], y=[None], mode="markers", showlegend=False, hoverinfo="skip",
        marker=dict(colorscale=SHARE_SCALE, cmin=low * 100, cmax=100, color=[low * 100],
                    colorbar=dict(title=dict(text="Andel positive", side="right"),
                                  ticksuffix=" %", tickformat=",.0f", thickness=12,
                                  len=0.6))))
    labels = {cb: f"{cb}<br>" + (percent(share_of[cb])
                                  if cb in share_of and pd.notna(share_of[cb]) else "intet tal")
              for cb in dict.fromkeys(cb_of)}
    _region_labels(fig, shapes, kommuner, labels)
    return _map_layout(fig, title, attribution, height=620)


def response_map(boundaries: dict, kommuner: pd.DataFrame, answered: pd.DataFrame,
                 title: str, attribution: str) -> go.Figure:
    """Which municipalities answered the survey in a year: answering municipalities in
    their CB region's colour, the others white, hatched and crossed (never colour alone).
    `answered`: kommune_kode and answered (bool) for one year; only whether a municipality
    answered, never what it answered."""
    shapes = map_shapes(boundaries)
    cb_of = kommuner.set_index("kode")["centralbibliotek"]
    name_of = kommuner.set_index("kode")["navn"]
    regions = list(dict.fromkeys(kommuner["centralbibliotek"]))
    colour_of = dict(zip(regions, CB_COLOURS, strict=False))
    did = dict(zip(answered["kommune_kode"].astype(int), answered["answered"].astype(bool),
                   strict=True))
    fig = go.Figure()
    for shape in shapes.itertuples():
        cb, yes = cb_of[shape.kode], did.get(shape.kode, False)
        fig.add_trace(go.Scatter(
            x=shape.x, y=shape.y, fill="toself", mode="lines",
            fillcolor=colour_of[cb] if yes else NO_ANSWER_FILL,
            fillpattern=None if yes else dict(shape="/", fgcolor="#767676", size=6,
                                              solidity=0.2),
            line=dict(color="#FFFFFF" if yes else "#595959", width=0.6),
            hoveron="fills", showlegend=False,
            name=f"{name_of[shape.kode]} ({scope_label(cb)}): "
                 + ("svarede" if yes else "svarede ikke")))
    missing = shapes[~shapes["kode"].map(did).fillna(False).astype(bool)]
    fig.add_trace(go.Scatter(
        x=missing["cx"], y=missing["cy"], mode="markers", name="Svarede ikke (×, skraveret)",
        marker=dict(symbol="x-thin-open", size=7, color="#000000", line=dict(width=1.5)),
        hovertext=[f"{name_of[k]} ({scope_label(cb_of[k])}): svarede ikke"
                   for k in missing["kode"]],
        hoverinfo="text"))
    for cb in regions:
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=scope_label(cb),
                                 marker=dict(symbol="square", size=12,
                                             color=colour_of[cb])))
    counts = {cb: (sum(did.get(k, False) for k in part["kode"]), len(part))
              for cb, part in kommuner.groupby("centralbibliotek", sort=False)}
    _region_labels(fig, shapes, kommuner,
                   {cb: f"{cb}<br>{a} af {n}"
                    for cb, (a, n) in counts.items()})
    return _map_layout(fig, title, attribution, height=620)
