"""Confidence intervals for shares of a small, known population. Pure functions, vectorised.

The 98 municipal libraries are the whole population, so a year with 85 answers is
nearly a census. `hypergeometric` gives the exact interval for such a finite
population (of N_eff: the municipalities that may hold a valid answer); `wilson` and
`clopper-pearson` are the usual binomial intervals, for comparison and for surveys whose
population is unknown (respondent-level runs). The change from one year to the next is
built from the two years' level intervals (`mover_difference`). The README's method
section explains the choices; the functions here are referred to from it.
"""

from __future__ import annotations

import numpy as np
from scipy import stats


def _z(confidence: float) -> float:
    return float(stats.norm.ppf(1 - (1 - confidence) / 2))


def _arrays(*values: object) -> list[np.ndarray]:
    return [np.asarray(v, dtype=float) for v in values]


def wilson(x: object, n: object, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval; NaN where n = 0."""
    x, n = _arrays(x, n)
    z = _z(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = x / n
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def clopper_pearson(x: object, n: object,
                    confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Exact binomial (Clopper-Pearson) interval from beta quantiles; NaN where n = 0."""
    x, n = _arrays(x, n)
    alpha = 1 - confidence
    with np.errstate(divide="ignore", invalid="ignore"):
        low = np.where(x > 0, stats.beta.ppf(alpha / 2, x, n - x + 1), 0.0)
        high = np.where(x < n, stats.beta.ppf(1 - alpha / 2, x + 1, n - x), 1.0)
    empty = n <= 0
    return np.where(empty, np.nan, low), np.where(empty, np.nan, high)


def hypergeometric(x: object, n: object, population: object,
                   confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Exact interval for a share of a finite population of size N (sampling without
    replacement).

    For every possible number M = 0..N of positive municipalities in the population,
    M is kept when observing x or more, and x or fewer, positives in n draws both have
    probability of at least alpha/2; the interval is [min M / N, max M / N].

    P(X >= x | M) grows and P(X <= x | M) shrinks as M grows (the hypergeometric family
    is stochastically increasing in M), so the kept M form one run whose two ends are
    found by a vectorised binary search: about 2 log2(N) evaluations per cell instead of
    2 N. The lower end lies in [x, N] (at M = N the first tail is 1), the upper end in
    [x, N - (n - x)] (at M = x the second tail is 1; above N - (n - x) it is 0).
    """
    x, n, big_n = _arrays(x, n, population)
    shape = x.shape
    x, n, big_n = x.ravel(), n.ravel(), big_n.ravel()
    half_alpha = (1 - confidence) / 2 - 1e-12  # float noise on a tail of exactly alpha/2
    ok = (n > 0) & np.isfinite(x) & np.isfinite(big_n)
    xs, ns, bigs = x[ok], n[ok], big_n[ok]

    def upper_tail_ok(m: np.ndarray, cells: np.ndarray) -> np.ndarray:
        return stats.hypergeom.sf(xs[cells] - 1, bigs[cells], m, ns[cells]) >= half_alpha

    def lower_tail_ok(m: np.ndarray, cells: np.ndarray) -> np.ndarray:
        return stats.hypergeom.cdf(xs[cells], bigs[cells], m, ns[cells]) >= half_alpha

    low_m = _bisect(upper_tail_ok, xs, bigs, first=True)
    high_m = _bisect(lower_tail_ok, xs, bigs - (ns - xs), first=False)
    low, high = np.full(x.shape, np.nan), np.full(x.shape, np.nan)
    low[ok], high[ok] = low_m / bigs, high_m / bigs
    return low.reshape(shape), high.reshape(shape)


def _bisect(holds, lo: np.ndarray, hi: np.ndarray, first: bool) -> np.ndarray:
    """Per cell, among whole numbers M in [lo, hi] where `holds(M, cells)` is monotone
    (false then true if `first`, true then false otherwise): the first M where it holds,
    or the last. Only the cells still searching are evaluated each round."""
    lo, hi = lo.astype(float).copy(), hi.astype(float).copy()
    while True:
        cells = np.flatnonzero(lo < hi)
        if cells.size == 0:
            return lo
        if first:
            mid = np.floor((lo[cells] + hi[cells]) / 2)
            ok = holds(mid, cells)
            hi[cells] = np.where(ok, mid, hi[cells])
            lo[cells] = np.where(ok, lo[cells], mid + 1)
        else:
            mid = np.ceil((lo[cells] + hi[cells]) / 2)
            ok = holds(mid, cells)
            lo[cells] = np.where(ok, mid, lo[cells])
            hi[cells] = np.where(ok, hi[cells], mid - 1)


def interval(method: str, x: object, n: object, population: object = None,
             confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Dispatch on a method name of `pipeline.methods.CI_METHODS` (not `auto`: resolve
    that first)."""
    if method == "wilson":
        return wilson(x, n, confidence)
    if method == "clopper-pearson":
        return clopper_pearson(x, n, confidence)
    if method == "hypergeometric":
        return hypergeometric(x, n, population, confidence)
    raise ValueError(f"unknown interval method {method!r}")


def mover_difference(p1: object, low1: object, high1: object, p0: object, low0: object,
                     high0: object, step1: object = 0.0,
                     step0: object = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Interval for the change p1 - p0 by square-and-add (MOVER) of the two years' own
    level intervals (low, high), with no correlation term, clipped to [-1, 1].

    Built on each year's interval from the chosen method, so the change says the same as
    the levels: two exactly known shares give a zero-width interval at the exact change,
    and two disjoint level intervals give an interval without 0 (as long as each share
    lies inside its own interval). No paired (phi) correction: see the README.

    `step1`, `step0`: the lattice step of each year's interval (1/N_eff for the exact
    finite-population interval, whose ends are attainable shares M/N_eff; 0 for the
    continuous Wilson and Clopper-Pearson intervals and for a full response). Each end is
    then taken half a step further out (a continuity correction: square-and-add treats
    the ends as continuous), but never further than the plain sum of the two half-widths,
    so that disjoint level intervals still give a change without 0. With steps of 0 this
    is Newcombe's method 10 under Wilson."""
    p1, low1, high1, p0, low0, high0, step1, step0 = _arrays(p1, low1, high1, p0, low0,
                                                             high0, step1, step0)
    d = p1 - p0
    down1, up1, down0, up0 = p1 - low1, high1 - p1, p0 - low0, high0 - p0
    half1, half0 = step1 / 2, step0 / 2
    below = np.minimum(np.hypot(down1 + half1, up0 + half0), down1 + up0)
    above = np.minimum(np.hypot(up1 + half1, down0 + half0), up1 + down0)
    below = np.where((half1 == 0) & (half0 == 0), np.hypot(down1, up0), below)
    above = np.where((half1 == 0) & (half0 == 0), np.hypot(up1, down0), above)
    return np.clip(d - below, -1, 1), np.clip(d + above, -1, 1)


def newcombe_difference(x1: object, n1: object, x0: object, n0: object,
                        confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Newcombe's hybrid score interval for p1 - p0 (his method 10): square-and-add of
    Wilson limits. What `mover_difference` gives under `wilson`."""
    x1, n1, x0, n0 = _arrays(x1, n1, x0, n0)
    l1, u1 = wilson(x1, n1, confidence)
    l0, u0 = wilson(x0, n0, confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        p1, p0 = x1 / n1, x0 / n0
    return mover_difference(p1, l1, u1, p0, l0, u0)


def nonresponse_range(x: object, n_valid: object,
                      n_unknown: object) -> tuple[np.ndarray, np.ndarray]:
    """The share if every unknown answer (U = n_unknown) had been negative (low) or
    positive (high): [x / N_eff, (x + U) / N_eff] with N_eff = n_valid + U. Exact, with
    no model: it is arithmetic on counts. NaN where N_eff = 0."""
    x, n_valid, n_unknown = _arrays(x, n_valid, n_unknown)
    population_eff = n_valid + n_unknown
    with np.errstate(divide="ignore", invalid="ignore"):
        low = np.where(population_eff > 0, x / population_eff, np.nan)
        high = np.where(population_eff > 0, (x + n_unknown) / population_eff, np.nan)
    return low, high
