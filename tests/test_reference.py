"""Reference data: the 98 municipalities, their spellings, the catalogue and the targets."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import TARGETS

from pipeline.read.targets import read_targets
from pipeline.reference import NATIONAL, load_reference, normalise_kommune

REF = load_reference()


def test_98_municipalities_in_six_cb_regions():
    assert REF.kommuner["kode"].is_unique and len(REF.kommuner) == 98
    assert REF.population() == {NATIONAL: 98, "Gentofte": 28, "Roskilde": 18, "Odense": 9,
                                "Vejle": 13, "Herning": 19, "Aalborg": 11}
    by_name = REF.kommuner.set_index("navn")["centralbibliotek"]
    assert by_name["Bornholm"] == "Roskilde" and by_name["Middelfart"] == "Vejle"


@pytest.mark.parametrize("spelling, kode", [
    ("København", 101), ("Københavns Kommune", 101), ("  KØBENHAVNS  kommune ", 101),
    ("Aarhus", 751), ("Århus", 751), ("Aarhus Kommune", 751),
    ("Aabenraa", 580), ("Åbenrå", 580),
    ("Høje-Taastrup", 169), ("Høje Taastrup", 169), ("høje-taastrup kommune", 169),
    ("Nordfyns", 480), ("Nordfyn", 480), ("Nordfyns Kommune", 480),
    ("Vesthimmerlands", 820), ("Vesthimmerland", 820),
    ("Faaborg-Midtfyn", 430), ("Faaborg Midtfyn", 430),
    ("Bornholms Regionskommune", 400), ("Lyngby-Taarbæk", 173),
    ("101", 101), ("0101", 101), ("751", 751),
])
def test_spellings_real_exports_use_resolve(spelling, kode):
    lookup = REF.kommune_lookup()
    key = normalise_kommune(spelling)
    key = str(int(key)) if key.isdigit() else key
    assert lookup[key] == kode


def test_every_alias_points_at_a_real_municipality_and_none_is_ambiguous():
    lookup = REF.kommune_lookup()
    assert set(REF.aliases["kode"]) <= set(REF.kommuner["kode"])
    for alias, kode in zip(REF.aliases["alias"], REF.aliases["kode"], strict=True):
        assert lookup[normalise_kommune(alias)] == kode
    names = REF.kommuner["navn"].map(normalise_kommune)
    assert names.is_unique


def test_closest_names_are_suggested():
    assert REF.closest_kommuner("Gentofe")[0] == "Gentofte"
    assert "Aarhus" in REF.closest_kommuner("Arhuus")


def test_catalogue_covers_every_bilag3_indicator_with_its_goal():
    ids = {"MO-FYS", "MO-DIG", "MO-LIC-BRUG", "MO-LIC-FORM", "MO-IUL", "MO-TYD", "MO-SAM",
           "TS-LAES-REL", "TS-KULT-REL", "TS-DIGI-REL", "TS-LAES-STY", "TS-KULT-STY",
           "TS-DIGI-STY", "TS-LAES-VAE", "TS-KULT-VAE", "TS-DIGI-VAE", "TS-SAMMENH"}
    cat = REF.indicators
    assert set(cat["indicator_id"]) == ids
    assert set(cat["operationelt_maal_id"]) <= set(REF.maal["maal_id"])
    keys = set(REF.questions["key"])
    survey = cat[cat["kind"].isin(["survey_share", "participant_share"])]
    assert set(survey["question_key"]) <= keys
    participants = cat[cat["kind"] == "participant_share"]
    assert participants["participation_key"].str.startswith("deltog_").all()
    for row in survey.itertuples():
        scale = REF.scale_answers(REF.question_scale()[row.question_key])
        positive = row.positive_answers.split("|")
        assert set(positive) <= set(scale.query("valid")["answer"]), row.indicator_id


# Bilag 3 (rev. september 2022), transcribed from the seed text independently of
# targets.csv: percent targets per indicator for 2021-2024.
BILAG3_PERCENT = {
    "MO-FYS": (80, 83, 85, 90), "MO-DIG": (80, 70, 72, 75), "MO-LIC-FORM": (80, 70, 72, 75),
    "MO-TYD": (75, 70, 72, 75), "MO-SAM": (75, 70, 72, 75),
    "TS-LAES-REL": (70, 80, 85, 90), "TS-KULT-REL": (45, 60, 75, 80),
    "TS-DIGI-REL": (45, 55, 65, 75), "TS-LAES-STY": (50, 75, 80, 90),
    "TS-KULT-STY": (50, 65, 65, 70), "TS-DIGI-STY": (50, 75, 65, 70),
    "TS-SAMMENH": (70, 80, 85, 90),
}


def test_targets_csv_is_bilag3():
    targets = read_targets(TARGETS, REF)[0].set_index(["indicator_id", "year"])
    assert len(targets) == 17 * 4
    for ind, percents in BILAG3_PERCENT.items():
        for year, pct in zip(range(2021, 2025), percents, strict=True):
            assert targets.loc[(ind, year), "target_kind"] == "min_share"
            assert targets.loc[(ind, year), "target"] == pytest.approx(pct / 100)
    assert targets.loc[("MO-IUL", 2024), "target"] == 725_000
    assert (targets.loc["MO-IUL"].loc[[2021, 2022, 2023], "target_kind"] == "none").all()
    assert (targets.loc["MO-LIC-BRUG", "target_kind"] == "none").all()  # Bilag 3: n/a
    for ind in ("TS-LAES-VAE", "TS-KULT-VAE", "TS-DIGI-VAE"):
        assert (targets.loc[ind, "target_kind"] == "sandsynliggjort").all()
    assert targets["source"].str.contains("Bilag 3").all()
    assert not pd.isna(targets["bilag3_text"]).any()
