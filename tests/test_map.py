"""The map of the 98 municipalities: drawn from the bundled DAGI boundaries as filled
polygons (no base map from the internet), shaded by the regional share, and the view of
which municipalities answered."""

from __future__ import annotations

import io
import shutil

import pandas as pd
import plotly.graph_objects as go
import pytest
from PIL import Image

from pipeline.formatting import percent
from pipeline.present import charts
from pipeline.reference import (
    BOUNDARIES_ATTRIBUTION,
    NATIONAL,
    load_reference,
    municipality_boundaries,
)

REF = load_reference()
BOUNDARIES = municipality_boundaries()


def regional_rows(shares: dict[str, float | None]) -> pd.DataFrame:
    """Rows as indicators.csv has them for one indicator and year."""
    scopes = [NATIONAL, *shares]
    values = [0.8, *shares.values()]
    return pd.DataFrame({"scope": scopes, "share": [float("nan") if v is None else v
                                                    for v in values],
                         "n_valid": [80, *([9] * len(shares))]})


def fills(fig: go.Figure) -> list[go.Scatter]:
    return [t for t in fig.data if t.fill == "toself"]


def luminance(hex_or_rgb: str) -> float:
    text = hex_or_rgb.strip()
    if text.startswith("#"):
        rgb = [int(text[i:i + 2], 16) for i in (1, 3, 5)]
    else:
        rgb = [float(v) for v in text[text.index("(") + 1:-1].split(",")[:3]]
    return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]


def test_the_boundaries_are_the_98_municipalities_of_the_reference():
    codes = {int(f["properties"]["kode"]) for f in BOUNDARIES["features"]}
    assert codes == set(REF.kommuner["kode"])
    names = {int(f["properties"]["kode"]): f["properties"]["navn"]
             for f in BOUNDARIES["features"]}
    assert names[101] == "København" and names[400] == "Bornholm"


def test_a_copied_reference_folder_without_boundaries_falls_back_to_the_package(tmp_path):
    assert municipality_boundaries(tmp_path) is BOUNDARIES


def test_the_share_map_shades_each_municipality_by_its_region_and_names_the_regions():
    cbs = REF.centralbiblioteker
    shares = dict(zip(cbs, [0.95, 0.60, 0.70, 0.80, 0.85, 0.90], strict=True))
    fig = charts.region_share_map(BOUNDARIES, REF.kommuner, regional_rows(shares),
                                  "MO-FYS 2024", BOUNDARIES_ATTRIBUTION)
    polygons = fills(fig)
    assert len(polygons) == 98
    assert all(t.type == "scatter" for t in fig.data)  # no geo trace: no base map download
    cb_of = REF.kommuner.set_index("navn")["centralbibliotek"]
    colour = {}
    for t in polygons:
        name = t.name.split(" (")[0]
        colour.setdefault(cb_of[name], set()).add(t.fillcolor)
    assert all(len(c) == 1 for c in colour.values())  # one shade per region
    darkness = {cb: luminance(next(iter(c))) for cb, c in colour.items()}
    assert sorted(cbs, key=darkness.get) == sorted(cbs, key=shares.get, reverse=True)
    labels = [a.text for a in fig.layout.annotations]
    for cb, share in shares.items():
        assert any(cb in text and percent(share) in text for text in labels), cb
    assert BOUNDARIES_ATTRIBUTION in labels


def test_a_region_without_a_figure_is_left_white_and_says_so():
    cbs = REF.centralbiblioteker
    shares = {cb: 0.8 for cb in cbs} | {"Odense": None}
    fig = charts.region_share_map(BOUNDARIES, REF.kommuner, regional_rows(shares), "x",
                                  BOUNDARIES_ATTRIBUTION)
    odense = [t for t in fills(fig) if "CB Odense" in t.name]
    assert len(odense) == 9 and {t.fillcolor for t in odense} == {charts.NO_ANSWER_FILL}
    assert all("intet tal" in t.name for t in odense)
    assert any(a.text.startswith("Odense") and "intet tal" in a.text
               for a in fig.layout.annotations)


def test_the_response_map_shows_who_answered_and_never_by_colour_alone():
    missing = {101, 400, 851}
    answered = pd.DataFrame({"kommune_kode": REF.kommuner["kode"],
                             "answered": ~REF.kommuner["kode"].isin(missing)})
    fig = charts.response_map(BOUNDARIES, REF.kommuner, answered, "2024",
                              BOUNDARIES_ATTRIBUTION)
    polygons = fills(fig)
    hatched = {t.name.split(" (")[0] for t in polygons if t.fillpattern.shape}
    names = REF.kommuner.set_index("kode")["navn"]
    assert hatched == {names[k] for k in missing}
    crosses = [t for t in fig.data if t.mode == "markers" and t.x[0] is not None]
    assert len(crosses) == 1 and len(crosses[0].x) == len(missing)
    labels = [a.text for a in fig.layout.annotations]
    assert any(a.startswith("Gentofte") and "27 af 28" in a for a in labels)
    assert any(a.startswith("Aalborg") and "10 af 11" in a for a in labels)
    # Only whether a municipality answered: no answer of any kind is in the figure.
    assert "tilfreds" not in fig.to_json().lower()


def test_bornholm_is_drawn_in_its_box_north_east_of_zealand():
    shapes = charts.map_shapes(BOUNDARIES).set_index("kode")
    bornholm = shapes.loc[charts.BORNHOLM]
    xs = [x for x in bornholm["x"] if x is not None]
    ys = [y for y in bornholm["y"] if y is not None]
    box = next(s for s in charts.region_share_map(
        BOUNDARIES, REF.kommuner, regional_rows({cb: 0.8 for cb in REF.centralbiblioteker}),
        "x", BOUNDARIES_ATTRIBUTION).layout.shapes)
    assert box.x0 < min(xs) and max(xs) < box.x1 and box.y0 < min(ys) and max(ys) < box.y1
    assert shapes["area"].is_monotonic_decreasing  # largest first, smallest on top
    order = list(charts.map_shapes(BOUNDARIES)["kode"])
    assert order.index(147) > order.index(101)  # Frederiksberg drawn after København


@pytest.mark.slow
def test_the_map_draws_to_png_as_the_report_does():
    """Kaleido draws with the installed plotly.js (MathJax off); no trace needs a base map."""
    if shutil.which("chromium") is None:
        pytest.skip("Chromium is not installed (apt-get install chromium); CI installs it.")
    from pipeline.report.images import Chart, render_png

    fig = charts.region_share_map(
        BOUNDARIES, REF.kommuner, regional_rows({cb: 0.8 for cb in REF.centralbiblioteker}),
        "Kort", BOUNDARIES_ATTRIBUTION)
    png = render_png([Chart("kort", "", fig)])["kort"]
    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20)
    assert colours and len(colours) > 50  # polygons, labels and text, not a blank page
