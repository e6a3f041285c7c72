"""The interval methods agree with independent references and behave as intervals should."""

from __future__ import annotations

from math import comb

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from pipeline import stats

CELLS = [(x, n) for n in (1, 2, 5, 9, 13, 28, 50, 85, 98) for x in range(0, n + 1, max(1, n // 7))]


@pytest.mark.parametrize("confidence", [0.9, 0.95, 0.99])
def test_wilson_matches_statsmodels(confidence):
    x, n = np.array(CELLS).T
    low, high = stats.wilson(x, n, confidence)
    ref_low, ref_high = proportion_confint(x, n, alpha=1 - confidence, method="wilson")
    np.testing.assert_allclose(low, np.clip(ref_low, 0, 1), atol=1e-9)
    np.testing.assert_allclose(high, np.clip(ref_high, 0, 1), atol=1e-9)


@pytest.mark.parametrize("confidence", [0.9, 0.95, 0.99])
def test_clopper_pearson_matches_statsmodels(confidence):
    x, n = np.array(CELLS).T
    low, high = stats.clopper_pearson(x, n, confidence)
    ref_low, ref_high = proportion_confint(x, n, alpha=1 - confidence, method="beta")
    np.testing.assert_allclose(low, ref_low, atol=1e-9)
    np.testing.assert_allclose(high, ref_high, atol=1e-9)


def brute_force_hypergeometric(x: int, n: int, big_n: int, confidence: float) -> tuple:
    """The definition, written out with exact integer binomials: keep every M for which
    neither tail probability of the observed x is below alpha/2."""
    alpha = 1 - confidence
    kept = []
    for m in range(big_n + 1):
        total = comb(big_n, n)
        pmf = [comb(m, k) * comb(big_n - m, n - k) / total for k in range(n + 1)]
        if sum(pmf[x:]) >= alpha / 2 - 1e-12 and sum(pmf[: x + 1]) >= alpha / 2 - 1e-12:
            kept.append(m)
    return min(kept) / big_n, max(kept) / big_n


@pytest.mark.parametrize("big_n", [9, 13, 28, 98])
@pytest.mark.parametrize("confidence", [0.9, 0.95])
def test_hypergeometric_matches_brute_force(big_n, confidence):
    cells = [(x, n) for n in sorted({1, 3, big_n // 2, big_n - 2, big_n}) if n > 0
             for x in range(0, n + 1, max(1, n // 5))]
    x, n = np.array(cells).T
    low, high = stats.hypergeometric(x, n, np.full(len(x), big_n), confidence)
    expected = np.array([brute_force_hypergeometric(int(a), int(b), big_n, confidence)
                         for a, b in cells])
    np.testing.assert_allclose(low, expected[:, 0], atol=1e-12)
    np.testing.assert_allclose(high, expected[:, 1], atol=1e-12)


def test_hypergeometric_interval_holds_a_nearest_attainable_share():
    low, high = stats.hypergeometric([1], [80], [81])
    assert (low[0], high[0]) == (1 / 81, 1 / 81)


def test_hypergeometric_census_has_no_sampling_error():
    low, high = stats.hypergeometric([70], [98], [98])
    assert low[0] == high[0] == pytest.approx(70 / 98)


def test_newcombe_matches_statsmodels():
    pairs = [(70, 85, 60, 80), (5, 9, 8, 9), (0, 10, 3, 12), (40, 40, 30, 41)]
    for x1, n1, x0, n0 in pairs:
        low, high = stats.newcombe_difference(x1, n1, x0, n0)
        ref = confint_proportions_2indep(x1, n1, x0, n0, method="newcomb", compare="diff")
        assert low == pytest.approx(ref[0], abs=1e-9)
        assert high == pytest.approx(ref[1], abs=1e-9)


def test_square_and_add_of_wilson_limits_is_newcombes_method_10():
    """Newcombe (1998), Statistics in Medicine 17:873-890, table II, example (a):
    56/70 - 48/80 has the hybrid score interval 0.0524 to 0.3339."""
    l1, u1 = stats.wilson([56], [70])
    l0, u0 = stats.wilson([48], [80])
    low, high = stats.mover_difference(56 / 70, l1, u1, 48 / 80, l0, u0)
    assert (round(low.item(), 4), round(high.item(), 4)) == (0.0524, 0.3339)
    low, high = stats.newcombe_difference(56, 70, 48, 80)
    assert (round(low.item(), 4), round(high.item(), 4)) == (0.0524, 0.3339)


def test_a_full_response_in_both_years_gives_the_exact_change():
    """U = 0 both years: each level interval is the share itself, so the change interval
    has zero width at the exact change (MO-LIC-FORM Odense: 5/9 -> 7/9)."""
    (l1,), (u1,) = stats.hypergeometric([7], [9], [9])
    (l0,), (u0,) = stats.hypergeometric([5], [9], [9])
    assert l1 == u1 == 7 / 9 and l0 == u0 == 5 / 9
    low, high = stats.mover_difference(7 / 9, l1, u1, 5 / 9, l0, u0)
    assert low.item() == high.item() == 7 / 9 - 5 / 9


@pytest.mark.parametrize("x, n, big_n", [(70, 80, 98), (8, 8, 9), (0, 5, 9), (30, 30, 30)])
def test_identical_years_give_a_change_of_exactly_zero(x, n, big_n):
    (low,), (high,) = stats.hypergeometric([x], [n], [big_n])
    d_low, d_high = (v.item() for v in stats.mover_difference(x / n, low, high, x / n, low,
                                                               high))
    assert d_low <= 0 <= d_high
    assert d_low == pytest.approx(-d_high)  # symmetric around the exact change 0
    if n == big_n:  # a full response: no uncertainty at all
        assert d_low == d_high == 0


@st.composite
def two_years(draw):
    big_n = draw(st.integers(1, 98))
    cells = []
    for _ in range(2):
        n = draw(st.integers(1, big_n))
        cells.append((draw(st.integers(0, n)), n))
    return big_n, cells


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(two_years(), st.sampled_from(["wilson", "clopper-pearson", "hypergeometric"]))
def test_change_interval_agrees_with_the_level_intervals(case, method):
    """The change interval holds the change, lies in [-1, 1], and excludes 0 whenever
    the two level intervals are disjoint (each share inside its own interval: the
    README's 1/N lattice edge case aside)."""
    big_n, ((x1, n1), (x0, n0)) = case
    (l1,), (u1,) = stats.interval(method, [x1], [n1], [big_n])
    (l0,), (u0,) = stats.interval(method, [x0], [n0], [big_n])
    p1, p0 = x1 / n1, x0 / n0
    low, high = (v.item() for v in stats.mover_difference(p1, l1, u1, p0, l0, u0))
    assert -1 <= low <= p1 - p0 + 1e-12 and p1 - p0 - 1e-12 <= high <= 1
    inside = l1 <= p1 <= u1 and l0 <= p0 <= u0
    if inside and l1 > u0:
        assert low > 0
    if inside and u1 < l0:
        assert high < 0


def test_change_interval_is_clipped_to_minus_one_to_one():
    """Only a share just outside its own lattice interval (the 1/N edge case) can push the
    square-and-add beyond [-1, 1]: p1 = 1 with u1 = 0.99, p0 = 0 with l0 = 0.01."""
    low, high = stats.mover_difference([1.0], [0.98], [0.99], [0.0], [0.01], [0.02])
    assert high[0] == 1.0 and low[0] < 1.0
    low, high = stats.mover_difference([0.0], [0.01], [0.02], [1.0], [0.98], [0.99])
    assert low[0] == -1.0 and high[0] > -1.0


def test_nonresponse_range_is_the_all_negative_and_all_positive_share():
    """x = 60 positive of v = 80 valid, U = 18 unknown: N_eff = 98."""
    low, high = stats.nonresponse_range([60], [80], [18])
    assert low[0] == pytest.approx(60 / 98)
    assert high[0] == pytest.approx((60 + 18) / 98)
    low, high = stats.nonresponse_range([8], [8], [0])  # known exactly
    assert low[0] == high[0] == 1.0
    low, high = stats.nonresponse_range([0], [0], [0])  # nobody could hold an answer
    assert np.isnan(low[0]) and np.isnan(high[0])


def test_finite_population_intervals_cover_the_true_share():
    """95 % intervals from samples of a population of 98 cover the true share in at
    least 93 % of draws (seeded; the exact interval is conservative by design)."""
    rng = np.random.default_rng(7)
    big_n, draws = 98, 400
    for positives in (49, 78, 90):
        population = np.array([1] * positives + [0] * (big_n - positives))
        for n in (40, 70, 85):
            x = np.array([rng.choice(population, n, replace=False).sum() for _ in range(draws)])
            low, high = stats.hypergeometric(x, np.full(draws, n), np.full(draws, big_n))
            truth = positives / big_n
            coverage = np.mean((low <= truth + 1e-12) & (truth <= high + 1e-12))
            assert coverage >= 0.93, (positives, n, coverage)


@st.composite
def cells(draw):
    big_n = draw(st.integers(1, 98))
    n = draw(st.integers(1, big_n))
    x = draw(st.integers(0, n))
    return x, n, big_n


METHODS = ["wilson", "clopper-pearson", "hypergeometric"]


@settings(max_examples=150, deadline=None)
@given(cells(), st.sampled_from(METHODS))
def test_interval_contains_share_and_lies_in_unit_range(cell, method):
    """The exact finite-population interval is made of attainable population shares M/N,
    so it contains the sample share to within one step 1/N (e.g. x=1, n=80, N=81 gives
    [1/81, 1/81] around 1/80); the binomial intervals contain it exactly."""
    x, n, big_n = cell
    low, high = stats.interval(method, [x], [n], [big_n], 0.95)
    slack = 1 / big_n if method == "hypergeometric" else 0
    assert 0 <= low[0] <= x / n + slack + 1e-12
    assert x / n - slack - 1e-12 <= high[0] <= 1


@settings(max_examples=150, deadline=None)
@given(cells(), st.sampled_from(METHODS), st.floats(0.5, 0.98), st.floats(0.001, 0.019))
def test_interval_widens_when_confidence_rises(cell, method, confidence, step):
    x, n, big_n = cell
    low1, high1 = stats.interval(method, [x], [n], [big_n], confidence)
    low2, high2 = stats.interval(method, [x], [n], [big_n], confidence + step)
    assert low2[0] <= low1[0] + 1e-12
    assert high2[0] >= high1[0] - 1e-12


def test_no_valid_answers_gives_no_interval():
    for method in METHODS:
        low, high = stats.interval(method, [0], [0], [98], 0.95)
        assert np.isnan(low[0]) and np.isnan(high[0])
