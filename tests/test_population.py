"""The population of a share (README, method), checked by brute force against its definition.

For each municipality the test decides from its raw answers, in the plainest code, whether
it gave a valid answer, is known to hold none, or is unknown; then it enumerates every
population consistent with the data (each unknown municipality turns out positive,
negative or without a valid answer) and compares the pipeline's counts, N_eff and
non-response range with what those populations allow.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import indicators, stats
from pipeline.reference import NATIONAL, load_reference

REF = load_reference()
SCOPE = "Odense"  # 9 municipalities: every consistent population can be enumerated
KOMMUNER = REF.kommuner.loc[REF.kommuner["centralbibliotek"] == SCOPE, "kode"].tolist()
DEGREE = ["I meget høj grad", "I høj grad", "I nogen grad", "I mindre grad", "Slet ikke",
          "Ved ikke", "Ikke relevant", None]
POSITIVE = {"I meget høj grad", "I høj grad"}
VALID = {"I meget høj grad", "I høj grad", "I nogen grad", "I mindre grad", "Slet ikke"}
PARTICIPATION = ["Ja", "Nej", "Ved ikke", None]
YEARS = (2023, 2024)
KEYS = ["kommune", "tydelighed", "deltog_laes", "styrker_laes"]
SURVEY, PARTICIPANT = "MO-TYD", "TS-LAES-STY"


@st.composite
def municipality(draw):
    """One municipality's year: no response (None), or its answers (skip logic kept:
    styrker is asked only after 'Ja')."""
    if not draw(st.booleans()) and draw(st.booleans()):
        return None
    took_part = draw(st.sampled_from(PARTICIPATION))
    return {"tydelighed": draw(st.sampled_from(DEGREE)), "deltog_laes": took_part,
            "styrker_laes": draw(st.sampled_from(DEGREE)) if took_part == "Ja" else None}


surveys = st.fixed_dictionaries({y: st.lists(municipality(), min_size=len(KOMMUNER),
                                             max_size=len(KOMMUNER)) for y in YEARS})


def classify(answers: dict | None, indicator: str) -> str:
    """The definition: 'positive'/'negative' (a valid answer), 'none' (known to hold no
    valid answer) or 'unknown'."""
    if answers is None:
        return "unknown"  # did not respond
    if indicator == PARTICIPANT:
        took_part = answers["deltog_laes"]
        if took_part == "Nej":
            return "none"
        if took_part != "Ja":  # blank or "Ved ikke": may have taken part
            return "unknown"
        answer = answers["styrker_laes"]
    else:
        answer = answers["tydelighed"]
    if answer is None:
        return "unknown"
    if answer not in VALID:
        return "none"  # "Ved ikke" / "Ikke relevant"
    return "positive" if answer in POSITIVE else "negative"


def consistent_shares(kinds: list[str]) -> tuple[list[float], list[int]]:
    """The share and population size of every population consistent with the data: any
    number a of the unknown municipalities may turn out positive and b negative (the rest
    hold no valid answer); which ones does not change the share."""
    known_pos = kinds.count("positive")
    known_valid = known_pos + kinds.count("negative")
    unknown = kinds.count("unknown")
    shares, sizes = [], []
    for a, b in itertools.product(range(unknown + 1), repeat=2):
        size = known_valid + a + b
        if a + b <= unknown and size:
            shares.append((known_pos + a) / size)
            sizes.append(size)
    return shares, sizes


def pipeline_rows(data: dict[int, list]) -> pd.DataFrame:
    records = [{"year": year, "kommune_kode": kode, "centralbibliotek": SCOPE, **answers}
               for year, rows in data.items() for kode, answers in zip(KOMMUNER, rows,
                                                                       strict=True)
               if answers is not None]
    responses = pd.DataFrame.from_records(
        records, columns=["year", "kommune_kode", "centralbibliotek", *KEYS[1:]])
    keys_by_year = {year: KEYS for year in YEARS}
    counted, absent = indicators.answer_counts(responses, keys_by_year, REF)
    both = indicators.both_years(responses, keys_by_year, REF)
    counts = indicators.survey_counts(counted, absent, REF, both)
    out = indicators.add_statistics(counts, REF, "auto", 0.95)
    return out.set_index(["indicator_id", "year", "scope"])


@pytest.mark.slow
@settings(max_examples=50, deadline=None)
@given(surveys)
def test_counts_population_and_nonresponse_range_follow_the_definition(data):
    out = pipeline_rows(data)
    others = len(REF.kommuner) - len(KOMMUNER)  # no responses outside the scope
    for indicator in (SURVEY, PARTICIPANT):
        for year in YEARS:
            kinds = [classify(a, indicator) for a in data[year]]
            x, v = kinds.count("positive"), kinds.count("positive") + kinds.count("negative")
            unknown = kinds.count("unknown")
            shares, sizes = consistent_shares(kinds)
            for scope, extra in ((SCOPE, 0), (NATIONAL, others)):
                row = out.loc[(indicator, year, scope)]
                assert (row.n_valid, row.n_positive) == (v, x)
                assert row.n_unknown == unknown + extra
                assert row.population_eff == v + unknown + extra
                if row.population_eff == 0:
                    assert np.isnan(row.nonresponse_low) and np.isnan(row.ci_low)
                    continue
                if scope == SCOPE:  # the largest population, and its extreme shares
                    assert row.population_eff == max(sizes)
                    assert row.nonresponse_low == pytest.approx(min(shares), abs=1e-12)
                    assert row.nonresponse_high == pytest.approx(max(shares), abs=1e-12)
                if v:
                    low, high = stats.hypergeometric([x], [v], [v + unknown + extra])
                    assert (row.ci_low, row.ci_high) == (low[0], high[0])
                    assert row.ci_method == "hypergeometric"
                    if unknown + extra == 0:  # a full response: the share itself
                        assert row.ci_low == row.ci_high == x / v
        # municipalities with a valid answer in both years
        valid = [[classify(a, indicator) in ("positive", "negative") for a in data[y]]
                 for y in YEARS]
        expected = sum(a and b for a, b in zip(*valid, strict=True))
        assert out.loc[(indicator, 2024, SCOPE), "n_both_years"] == expected
        assert out.loc[(indicator, 2024, NATIONAL), "n_both_years"] == expected
        assert pd.isna(out.loc[(indicator, 2023, SCOPE), "n_both_years"])  # no 2022


def test_participants_change_carries_a_note_about_who_took_part():
    data = {y: [{"tydelighed": "I høj grad", "deltog_laes": "Ja",
                 "styrker_laes": "I høj grad"}] * len(KOMMUNER) for y in YEARS}
    out = pipeline_rows(data)
    assert indicators.CHANGE_OF_PARTICIPANTS in out.loc[(PARTICIPANT, 2024, SCOPE), "note"]
    assert indicators.CHANGE_OF_PARTICIPANTS not in out.loc[(SURVEY, 2024, SCOPE), "note"]
    assert indicators.CHANGE_OF_PARTICIPANTS not in out.loc[(PARTICIPANT, 2023, SCOPE), "note"]
    full = out.loc[(PARTICIPANT, 2024, SCOPE)]  # the whole region answered both years
    assert (full.change, full.change_ci_low, full.change_ci_high) == (0, 0, 0)
