"""Monte-Carlo coverage of the level and change intervals on synthetic populations of 98
municipalities, as the README's method section reports. Run from the repository folder:

    .venv/bin/python benchmarks/coverage.py            # the full grid (about a minute)
    .venv/bin/python benchmarks/coverage.py --quick    # a small grid

Each scenario fixes the true share in year 1 and its shift to year 2, how often a
municipality's answer is the same both years (agreement), the response rate, whether
non-response is persistent (the same municipalities tend not to answer), and how many
municipalities hold no valid answer ("Ved ikke", or did not take part in a track). Each
repetition draws a new population and a new response pattern (answers missing at random,
the intervals' assumption), computes the intervals exactly as the pipeline does (the
hypergeometric interval of x of v from N_eff = v + U, and the square-and-add change
interval with its half-step continuity correction) and checks whether they hold the
population's true share and true change.
`tests/test_coverage.py` (marked slow) runs a small grid and asserts at least 93 %.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline import stats  # noqa: E402

MUNICIPALITIES = 98
PERSISTENCE = 0.9
"""With persistent non-response, a municipality's response in year 2 repeats year 1's with
this probability (else it is drawn afresh at the year's rate)."""


@dataclass(frozen=True)
class Scenario:
    share: float  # true share of positive answers in year 1 (expected)
    shift: float  # year 2's share minus year 1's (expected)
    agreement: float  # probability that a municipality answers the same both years
    response: float  # response rate, both years
    persistent: bool  # non-response tends to hit the same municipalities both years
    no_answer: float  # share of municipalities holding no valid answer in a year

    def correlation(self) -> float:
        """The year-to-year correlation (phi) of a municipality's answers."""
        probs = self.joint()
        p1, p2 = self.share, self.share + self.shift
        denominator = (p1 * (1 - p1) * p2 * (1 - p2)) ** 0.5
        return float((probs[3] - p1 * p2) / denominator) if denominator else 0.0

    def joint(self) -> np.ndarray | None:
        """P(year 1, year 2) for answers (0, 0), (0, 1), (1, 0), (1, 1); None when the
        agreement cannot go with the two shares."""
        p1, p2, a = self.share, self.share + self.shift, self.agreement
        p10, p01 = (1 - a + p1 - p2) / 2, (1 - a - p1 + p2) / 2
        p11 = p1 - p10
        probs = np.array([1 - p11 - p10 - p01, p01, p10, p11])
        return probs if (probs >= -1e-12).all() and 0 <= p2 <= 1 else None


def coverage(scenario: Scenario, reps: int, rng: np.random.Generator,
             confidence: float = 0.95) -> tuple[float, float]:
    """(level coverage over both years, change coverage) of one scenario."""
    probs = scenario.joint()
    if probs is None:
        raise ValueError(f"infeasible scenario: {scenario}")
    shape = (reps, MUNICIPALITIES)
    pair = rng.choice(4, size=shape, p=np.clip(probs, 0, None) / np.clip(probs, 0, None).sum())
    answers = [(pair >= 2).astype(int), (pair % 2).astype(int)]  # year 1, year 2
    holds = [rng.random(shape) >= scenario.no_answer for _ in range(2)]
    responds1 = rng.random(shape) < scenario.response
    fresh = rng.random(shape) < scenario.response
    if scenario.persistent:
        responds2 = np.where(rng.random(shape) < PERSISTENCE, responds1, fresh)
    else:
        responds2 = fresh
    level_hits, shares, intervals, steps = [], [], [], []
    for year, responds in enumerate((responds1, responds2)):
        valid = responds & holds[year]
        v = valid.sum(axis=1)
        x = (valid & (answers[year] == 1)).sum(axis=1)
        unknown = (~responds).sum(axis=1)  # non-respondents may hold a valid answer or not
        truth = (holds[year] & (answers[year] == 1)).sum(axis=1) / holds[year].sum(axis=1)
        low, high = stats.hypergeometric(x, v, v + unknown, confidence)
        level_hits.append((low <= truth + 1e-12) & (truth <= high + 1e-12))
        with np.errstate(divide="ignore", invalid="ignore"):
            shares.append((x / v, truth))
        intervals.append((low, high))
        with np.errstate(divide="ignore", invalid="ignore"):
            steps.append(np.where(unknown > 0, 1 / (v + unknown), 0.0))
    (p1, t1), (p2, t2) = shares
    (l1, u1), (l2, u2) = intervals
    d_low, d_high = stats.mover_difference(p2, l2, u2, p1, l1, u1, steps[1], steps[0])
    change_hits = (d_low <= t2 - t1 + 1e-12) & (t2 - t1 <= d_high + 1e-12)
    usable = np.isfinite(p1) & np.isfinite(p2)
    level = np.mean(np.concatenate([hits[usable] for hits in level_hits]))
    return float(level), float(np.mean(change_hits[usable]))


def grid(quick: bool = False) -> list[Scenario]:
    """The scenarios: every combination that is possible (a low agreement cannot go with
    shares near 0 or 1)."""
    if quick:
        axes = ((0.5, 0.9), (0.05,), (0.5, 0.95), (0.6, 0.95), (False, True), (0.05, 0.3))
    else:
        axes = ((0.5, 0.75, 0.9), (0.0, 0.05), (0.5, 0.75, 0.95), (0.6, 0.75, 0.85, 0.9, 0.95),
                (False, True), (0.05, 0.3))
    scenarios = [Scenario(*values) for values in itertools.product(*axes)]
    return [s for s in scenarios if s.joint() is not None]


def run(quick: bool = False, reps: int | None = None,
        seed: int = 2024) -> list[tuple[Scenario, float, float]]:
    """(scenario, level coverage, change coverage) for every scenario of the grid."""
    reps = reps or (1000 if quick else 4000)
    rng = np.random.default_rng(seed)
    return [(s, *coverage(s, reps, rng)) for s in grid(quick)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a small grid, fewer draws")
    parser.add_argument("--reps", type=int, default=None, help="draws per scenario")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    results = run(args.quick, args.reps, args.seed)
    reps = args.reps or (1000 if args.quick else 4000)
    print(f"{len(results)} scenarios x {reps} draws, 95 % intervals, N = {MUNICIPALITIES}; "
          "coverage min-max (mean) over shares, shifts, agreement and no-answer shares")
    print("| response | non-response | level | change |")
    print("|---|---|---|---|")

    def spread(values: list[float]) -> str:
        return f"{min(values):.1%}-{max(values):.1%} ({np.mean(values):.1%})"

    for response, persistent in itertools.product(sorted({s.response for s, *_ in results}),
                                                  (False, True)):
        part = [(lv, ch) for s, lv, ch in results
                if s.response == response and s.persistent == persistent]
        lv, ch = zip(*part, strict=True)
        print(f"| {response:.0%} | {'persistent' if persistent else 'independent'} | "
              f"{spread(list(lv))} | {spread(list(ch))} |")
    print(f"| all | | {spread([lv for _, lv, _ in results])} | "
          f"{spread([ch for _, _, ch in results])} |")
    below = sorted((r for r in results if min(r[1], r[2]) < 0.93), key=lambda r: r[2])
    print(f"\nBelow 93 % ({len(below)} of {len(results)}):")
    for s, lv, ch in below:
        print(f"  change {ch:.1%}, level {lv:.1%}: share {s.share:.0%} -> "
              f"{s.share + s.shift:.0%}, agreement {s.agreement:.0%} (phi "
              f"{s.correlation():+.2f}), response {s.response:.0%} "
              f"{'persistent' if s.persistent else 'independent'}, no valid answer "
              f"{s.no_answer:.0%}")


if __name__ == "__main__":
    main()
