"""The charts read in greyscale and on a phone, and the synthetic-data mark covers nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.outputs.read import load_outputs
from pipeline.present import charts


@pytest.fixture(scope="module")
def outputs(demo_output: Path):
    return load_outputs(demo_output)


def test_the_mark_is_a_subtitle_and_the_legend_sits_at_the_bottom(outputs):
    ind = outputs.indicators
    rows = ind[(ind["indicator_id"] == "MO-FYS") & (ind["scope"] == "national")]
    fig = charts.mark_synthetic(charts.indicator_trend(rows, "MO-FYS"))
    assert fig.layout.title.subtitle.text == charts.SYNTHETIC_MARK
    assert not fig.layout.annotations  # nothing floats over the plot or the legend
    legend = fig.layout.legend
    assert (legend.yref, legend.y, legend.yanchor) == ("container", 0, "bottom")
    title = fig.layout.title  # above the plot area, pushing it down however many lines
    assert title.automargin and (title.yref, title.y, title.yanchor) == ("paper", 1, "bottom")


def test_long_titles_are_broken_between_words_for_a_phone():
    title = "TS-LAES-STY: andel positive pr. år blandt de deltagende biblioteker, hele landet"
    lines = charts.wrap_title(title).split("<br>")
    assert len(lines) > 1 and all(len(line) <= charts.TITLE_CHARACTERS for line in lines)
    assert " ".join(lines) == title


def test_the_distribution_legend_follows_the_scale_and_hatches_the_non_positive(outputs):
    dist = outputs.distribution
    dist = dist[(dist["indicator_id"] == "MO-FYS") & (dist["scope"] == "national")]
    fig = charts.answer_distribution(dist, "MO-FYS")
    ranked = [t.name for t in sorted(fig.data, key=lambda t: t.legendrank)]
    assert ranked == ["Meget tilfreds", "Tilfreds", "Hverken tilfreds eller utilfreds",
                      "Utilfreds", "Meget utilfreds"]
    patterns = {t.name: t.marker.pattern.shape for t in fig.data}
    assert patterns["Meget tilfreds"] == patterns["Tilfreds"] == ""
    negative = [patterns[a] for a in ranked[2:]]
    assert all(negative) and len(set(negative)) == 3
    # 'Ved ikke'/blank counts are under each year's label, not in a margin annotation
    assert all("ved ikke" in text for text in fig.layout.yaxis.ticktext)
    assert not fig.layout.annotations


def test_lines_differ_in_colour_marker_and_dash(outputs):
    fig = charts.licences(outputs.national, "licence_use", "Brug pr. licens", "udlån")
    styles = [(t.line.color, t.marker.symbol, t.line.dash) for t in fig.data]
    assert len(styles) >= 3
    for part in zip(*styles, strict=True):
        assert len(set(part)) == len(styles)
    assert fig.layout.yaxis.title.text == "Udlån"


def test_the_regional_chart_says_the_target_binds_the_country(outputs):
    ind = outputs.indicators
    rows = ind[(ind["indicator_id"] == "MO-FYS") & (ind["year"] == 2024)]
    fig = charts.regions(rows, "MO-FYS 2024")
    target = [t for t in fig.data if t.mode == "lines"]
    assert len(target) == 1 and "bindende for hele landet" in target[0].name
    points = fig.data[0]
    assert points.marker.symbol[0] == "diamond" and set(points.marker.symbol[1:]) == {"circle"}
    assert all("til orientering" in h for h in points.hovertext[1:])
    assert "til orientering" not in points.hovertext[0]


def test_response_rates_are_a_dot_plot_with_a_marker_shape_per_year(outputs):
    fig = charts.response_rates(outputs.quality, "Svarprocent")
    assert {t.type for t in fig.data} == {"scatter"}
    assert len({t.marker.symbol for t in fig.data}) == len(fig.data) == 4
