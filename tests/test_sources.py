"""sources.csv and municipalities.csv: where each figure comes from, and who answered."""

from __future__ import annotations

import csv

from helpers import DEMO_SURVEYS, TARGETS

from pipeline.outputs.read import read_output
from pipeline.reference import load_reference

REF = load_reference()


def test_every_indicator_and_year_has_its_bilag3_wording_target_source_and_question(
        demo_output):
    sources = read_output(demo_output / "sources.csv")
    years = sorted(read_output(demo_output / "indicators.csv")["year"].unique())
    assert len(sources) == len(REF.indicators) * len(years)
    row = sources.set_index(["indicator_id", "year"])
    with open(TARGETS, encoding="utf-8") as fh:
        for t in csv.DictReader(fh):
            key = (t["indicator_id"], int(t["year"]))
            assert row.at[key, "target_text"] == t["bilag3_text"]
            assert row.at[key, "target_source"] == t["source"]
    catalogue = REF.indicators.set_index("indicator_id")
    assert (sources["bilag3_text"] == sources["indicator_id"].map(catalogue["bilag3_text"])).all()
    for year in years:  # the question as that year's export (its codebook) worded it
        with open(DEMO_SURVEYS / str(year) / "codebook.csv", encoding="utf-8-sig") as fh:
            header_of = {r["key"]: r["column"] for r in csv.DictReader(fh) if r["key"]}
        assert row.at[("MO-FYS", year), "question_text"] == header_of["tilfreds_fysisk"]
        assert row.at[("TS-LAES-STY", year), "participation_text"] == header_of["deltog_laes"]
    assert row.at[("MO-FYS", 2022), "question_text"] != row.at[("MO-FYS", 2023),
                                                                "question_text"]


def test_national_figures_carry_the_source_given_with_them(demo_output):
    sources = read_output(demo_output / "sources.csv").set_index(["indicator_id", "year"])
    with open(DEMO_SURVEYS / "national_figures.csv", encoding="utf-8") as fh:
        given = [r for r in csv.DictReader(fh)]
    loans = {r["source"] for r in given if r["measure"] == "interlibrary_loans"
             and r["year"] == "2024"}
    assert sources.at[("MO-IUL", 2024), "figure_source"] == "; ".join(sorted(loans))
    assert sources.at[("MO-IUL", 2024), "question_text"] == ""
    assert sources.at[("MO-FYS", 2024), "figure_source"] == ""


def test_who_answered_matches_the_quality_counts_and_holds_no_answer(demo_output):
    answered = read_output(demo_output / "municipalities.csv")
    quality = read_output(demo_output / "quality.csv")
    assert set(answered.columns) == {"year", "kommune_kode", "kommune", "centralbibliotek",
                                     "answered", "synthetic_demo_data"}
    for q in quality.itertuples():
        these = answered[answered["year"] == q.year]
        if q.scope != "national":
            these = these[these["centralbibliotek"] == q.scope]
        assert len(these) == q.population
        assert int(these["answered"].sum()) == q.municipalities_answering
        missing = set(these.loc[~these["answered"], "kommune"])
        assert missing == {m for m in q.municipalities_missing.split(", ") if m}
