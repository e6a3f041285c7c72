"""Compute every survey indicator of the catalogue per year and scope. Pure.

For each indicator the catalogue says which question it reads, which answers count as
positive and, for the participant indicators, which question selects the participants.
Counts are made for each CB region and summed to `national`; the statistics in
stats.py turn them into shares, intervals, ranges and changes.

The population of a share (README, method): of the N municipalities in a scope, v gave a
valid answer (x of them positive), some are known to hold no valid answer ("Ved ikke" or
"Ikke relevant"; for the participant indicators also "Nej" to taking part), and U are
unknown (no response, a blank answer; for participant indicators also a blank or "Ved
ikke" to taking part). N_eff = v + U is the population the share is drawn from.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline import stats
from pipeline.methods import CI_METHODS
from pipeline.reference import NATIONAL, SURVEY_KINDS, Reference

PARTICIPATED = "Ja"
UNANSWERED = "(ikke besvaret)"


def resolve_method(method: str, kind: str, population_known: bool = True) -> str:
    """`auto`: the exact finite-population interval (of N_eff municipalities), for the
    participant indicators too, whose N_eff is the largest population they can have (so
    their interval is conservative). Respondent-level surveys have no known population:
    `auto` and a forced `hypergeometric` use Wilson there, and the output says so."""
    if not population_known and method in ("auto", "hypergeometric"):
        return "wilson"
    return "hypergeometric" if method == "auto" else method


def answer_key(reference: Reference) -> pd.DataFrame:
    """Per survey indicator and possible answer: its order on the scale, whether it
    counts in the denominator (valid) and in the numerator (positive). Built from the
    catalogue and scales.csv, so the rule is data, visible in distribution.csv."""
    catalogue = reference.indicators[reference.indicators["kind"].isin(SURVEY_KINDS)]
    scale_of = reference.question_scale()
    frames = []
    for ind in catalogue.itertuples():
        scale = reference.scale_answers(scale_of[ind.question_key])
        positive = set(reference.positive_answers(ind.indicator_id))
        frames.append(pd.DataFrame({
            "indicator_id": ind.indicator_id,
            "answer": [*scale["answer"], UNANSWERED],
            "answer_order": range(1, len(scale) + 2),
            "valid": [*scale["valid"], False],
            "positive": [a in positive for a in scale["answer"]] + [False],
        }))
    return pd.concat(frames, ignore_index=True)


def answer_counts(responses: pd.DataFrame, keys_by_year: dict[int, list[str]],
                  reference: Reference) -> tuple[pd.DataFrame, pd.DataFrame]:
    """How many responses gave each answer, per survey indicator, year and CB region, and
    whether they are eligible (False for the participant indicators' respondents who did
    not say "Ja" to taking part) and whether their participation is unknown (blank or
    "Ved ikke": they may have taken part, so they count among the unknown U).

    Everything else (counts, shares, distributions) is derived from this small table, so
    the cost of a run grows with the number of responses only here, in one bincount per
    indicator. Returns (counted, absent): `absent` lists the indicator-years whose
    question is not in that year's codebook.
    """
    catalogue = reference.indicators[reference.indicators["kind"].isin(SURVEY_KINDS)]
    frames, absent = [], []
    for ind in catalogue.itertuples():
        needed = [k for k in (ind.question_key, ind.participation_key) if k]
        years = [y for y, keys in keys_by_year.items() if all(k in keys for k in needed)]
        for y, keys in keys_by_year.items():
            if y not in years:
                missing = next(k for k in needed if k not in keys)
                absent.append({"indicator_id": ind.indicator_id, "year": y,
                               "note": f"Spørgsmålet '{missing}' er ikke med i kodebogen "
                                       f"for {y}"})
        if not years:
            continue
        rows = responses[responses["year"].isin(years)]
        eligible, unknown = _participation(rows, ind.participation_key, reference)
        counted = _count_combinations(rows["year"], rows["centralbibliotek"],
                                      rows[ind.question_key], eligible, unknown)
        counted.insert(0, "indicator_id", ind.indicator_id)
        frames.append(counted)
    columns = ["indicator_id", "year", "centralbibliotek", "answer", "eligible",
               "participation_unknown", "count"]
    counted = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    return counted, pd.DataFrame(absent, columns=["indicator_id", "year", "note"])


def _participation(rows: pd.DataFrame, participation_key: str,
                   reference: Reference) -> tuple[pd.Series, pd.Series]:
    """Per response: eligible (took part, or no participation question) and whether its
    participation is unknown (neither of the participation scale's valid answers, "Ja"
    and "Nej": blank or "Ved ikke")."""
    if not participation_key:
        every = pd.Series(True, index=rows.index)
        return every, ~every
    stated = rows[participation_key]
    scale = reference.scale_answers(reference.question_scale()[participation_key])
    known = stated.isin(scale.loc[scale["valid"], "answer"]).fillna(False).astype(bool)
    return (stated == PARTICIPATED).fillna(False).astype(bool), ~known


def _codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes (-1 for missing) and the values they stand for."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(np.int64), values.cat.categories.to_numpy(object)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes.astype(np.int64), np.asarray(uniques, dtype=object)


def _count_combinations(year: pd.Series, cb: pd.Series, answer: pd.Series,
                        eligible: pd.Series, unknown: pd.Series) -> pd.DataFrame:
    """Rows per (year, CB, answer, eligible, participation unknown) with one np.bincount
    over combined integer codes: linear in the rows, with no sorting or hashing of
    strings."""
    y_codes, y_values = _codes(year)
    c_codes, c_values = _codes(cb)
    a_codes, a_values = _codes(answer)
    a_values = np.append(np.array([UNANSWERED], dtype=object), a_values)  # code 0: blank
    sizes = (len(y_values), len(c_values), len(a_values), 2, 2)
    combined = np.ravel_multi_index((y_codes, c_codes, a_codes + 1,
                                     eligible.to_numpy(np.int64),
                                     unknown.to_numpy(np.int64)), sizes)
    counts = np.bincount(combined, minlength=int(np.prod(sizes)))
    seen = np.flatnonzero(counts)
    yi, ci, ai, ei, ui = np.unravel_index(seen, sizes)
    return pd.DataFrame({"year": y_values[yi].astype(int),
                         "centralbibliotek": c_values[ci].astype(str),
                         "answer": a_values[ai].astype(str), "eligible": ei.astype(bool),
                         "participation_unknown": ui.astype(bool), "count": counts[seen]})


def _full_grid(pairs: pd.DataFrame, scopes: list[str]) -> pd.MultiIndex:
    """Every (indicator, year) pair crossed with every scope, so that a CB region with no
    respondents still gets a row (with zeros) instead of disappearing."""
    grid = pairs.merge(pd.DataFrame({"scope": scopes}), how="cross")
    return pd.MultiIndex.from_frame(grid[["indicator_id", "year", "scope"]])


def _add_national(per_cb: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    national = per_cb.groupby(by, observed=True).sum(numeric_only=True).reset_index()
    return pd.concat([national.assign(scope=NATIONAL), per_cb], ignore_index=True)


def survey_counts(counted: pd.DataFrame, absent: pd.DataFrame, reference: Reference,
                  both: pd.DataFrame | None = None) -> pd.DataFrame:
    """Respondents, eligible, valid (v), positive (x) and unknown (U) answers per
    indicator, year and scope, from `answer_counts`; `both` (from `both_years`) adds the
    municipalities with a valid answer in this year and the year before.

    U counts the municipalities of the scope that did not respond, the respondents who
    left the question blank and, for the participant indicators, the respondents whose
    participation is blank or "Ved ikke" (they may have taken part). An indicator whose
    question is not in a year's codebook gets a row with no counts and a note, so that
    its absence shows (and makes the roll-up incomplete).
    """
    flags = answer_key(reference)[["indicator_id", "answer", "valid", "positive"]]
    rows = counted.merge(flags, on=["indicator_id", "answer"], how="left")
    rows["eligible_n"] = rows["count"].where(rows["eligible"], 0)
    rows["valid_n"] = rows["eligible_n"].where(rows["valid"].fillna(False).astype(bool), 0)
    rows["positive_n"] = rows["eligible_n"].where(rows["positive"].fillna(False).astype(bool), 0)
    blank = rows["eligible"] & (rows["answer"] == UNANSWERED)
    rows["unknown_n"] = rows["count"].where(blank | rows["participation_unknown"], 0)
    per_cb = (rows.groupby(["indicator_id", "year", "centralbibliotek"])
              .agg(respondents=("count", "sum"), eligible=("eligible_n", "sum"),
                   n_valid=("valid_n", "sum"), n_positive=("positive_n", "sum"),
                   unknown_answered=("unknown_n", "sum"))
              .reset_index().rename(columns={"centralbibliotek": "scope"}))
    counts = _add_national(per_cb, ["indicator_id", "year"])
    scopes = [NATIONAL, *reference.centralbiblioteker]
    pairs = counted[["indicator_id", "year"]].drop_duplicates()
    counts = (counts.set_index(["indicator_id", "year", "scope"])
              .reindex(_full_grid(pairs, scopes), fill_value=0).reset_index())
    # Municipalities in scope without a response are unknown too. (In respondent-level
    # runs this is meaningless; add_statistics blanks it there.)
    not_responding = counts["scope"].map(reference.population()) - counts["respondents"]
    counts["n_unknown"] = not_responding + counts["unknown_answered"]
    counts = counts.drop(columns="unknown_answered")
    counts["note"] = ""
    if not absent.empty:
        missing = absent.merge(pd.DataFrame({"scope": scopes}), how="cross")
        counts = pd.concat([counts, missing], ignore_index=True)
    if both is not None:
        counts = counts.merge(both, on=["indicator_id", "year", "scope"], how="left")
    else:
        counts["n_both_years"] = pd.NA
    for col in ("respondents", "eligible", "n_valid", "n_positive", "n_unknown",
                "n_both_years"):
        counts[col] = counts[col].astype("Int64")
    return counts


def both_years(responses: pd.DataFrame, keys_by_year: dict[int, list[str]],
               reference: Reference) -> pd.DataFrame:
    """Per survey indicator, year and scope: how many municipalities gave a valid answer
    both this year and the year before (for participant indicators: took part and gave a
    valid answer both years). Only for years whose previous year asked the question too.

    Shown next to the change, so a reader sees how much of it rests on the same
    municipalities."""
    catalogue = reference.indicators[reference.indicators["kind"].isin(SURVEY_KINDS)]
    scale_of = reference.question_scale()
    scopes = [NATIONAL, *reference.centralbiblioteker]
    frames = []
    for ind in catalogue.itertuples():
        needed = [k for k in (ind.question_key, ind.participation_key) if k]
        years = sorted(y for y, keys in keys_by_year.items() if all(k in keys for k in needed))
        paired = [y for y in years if y - 1 in years]
        if not paired:
            continue
        rows = responses[responses["year"].isin(years)]
        scale = reference.scale_answers(scale_of[ind.question_key])
        valid = rows[ind.question_key].isin(scale.loc[scale["valid"], "answer"])
        eligible, _ = _participation(rows, ind.participation_key, reference)
        answered = rows.loc[(valid.fillna(False).astype(bool) & eligible).to_numpy(),
                            ["year", "kommune_kode", "centralbibliotek"]]
        answered = answered.assign(centralbibliotek=answered["centralbibliotek"].astype(str))
        before = answered[["year", "kommune_kode"]].assign(year=answered["year"] + 1)
        both = answered.merge(before, on=["year", "kommune_kode"])
        per_cb = (both.groupby(["year", "centralbibliotek"]).size()
                  .rename("n_both_years").reset_index()
                  .rename(columns={"centralbibliotek": "scope"}))
        counts = _add_national(per_cb, ["year"])
        grid = pd.MultiIndex.from_product([paired, scopes], names=["year", "scope"])
        counts = (counts.set_index(["year", "scope"])["n_both_years"]
                  .reindex(grid, fill_value=0).reset_index())
        frames.append(counts.assign(indicator_id=ind.indicator_id))
    columns = ["indicator_id", "year", "scope", "n_both_years"]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


CHANGE_OF_PARTICIPANTS = ("Ændringen kan til dels skyldes, at det ikke er de samme "
                          "biblioteker, der har deltaget i temasporet begge år")
FORCED_WILSON = ("Populationen er ukendt (besvarelser på respondentniveau), så Wilson bruges "
                 "i stedet for det hypergeometriske interval")


def add_statistics(counts: pd.DataFrame, reference: Reference, method: str,
                   confidence: float, population_known: bool = True) -> pd.DataFrame:
    """Share, confidence interval, non-response range and change from the previous year.

    The level interval is drawn from N_eff = v + U municipalities (`population_eff`); the
    change interval is the square-and-add of the two years' level intervals.
    `population_known=False` (respondent-level surveys): the rows are not the
    municipalities, so no N_eff, no finite-population interval, no non-response range."""
    kind = counts["indicator_id"].map(reference.indicators.set_index("indicator_id")["kind"])
    out = counts.assign(kind=kind)
    out["population"] = out["scope"].map(reference.population()).astype("Int64")
    if not population_known:
        out["n_unknown"] = pd.array([pd.NA] * len(out), dtype="Int64")
        out["n_both_years"] = pd.array([pd.NA] * len(out), dtype="Int64")
    out["population_eff"] = (out["n_valid"] + out["n_unknown"]).astype("Int64")
    x = out["n_positive"].to_numpy(dtype=float, na_value=np.nan)
    n = out["n_valid"].to_numpy(dtype=float, na_value=np.nan)
    unknown = out["n_unknown"].to_numpy(dtype=float, na_value=np.nan)
    big_n = out["population_eff"].to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share"] = np.where(n > 0, x / n, np.nan)
    out["ci_method"] = [resolve_method(method, k, population_known) for k in out["kind"]]
    out["ci_low"] = np.nan
    out["ci_high"] = np.nan
    for m in out["ci_method"].unique():
        rows = (out["ci_method"] == m).to_numpy() & (n > 0)
        if rows.any():
            low, high = stats.interval(m, x[rows], n[rows], big_n[rows], confidence)
            out.loc[rows, "ci_low"] = low
            out.loc[rows, "ci_high"] = high
    out["confidence"] = confidence
    if method == "hypergeometric" and not population_known:
        out["note"] = _join(out["note"], FORCED_WILSON)

    low, high = stats.nonresponse_range(x, n, unknown)
    ok = big_n > 0  # NaN (respondent level, question not asked) compares False
    out["nonresponse_low"] = np.where(ok, low, np.nan)
    out["nonresponse_high"] = np.where(ok, high, np.nan)
    out["lattice_step"] = lattice_step(out)
    return _add_change(out)


def lattice_step(rows: pd.DataFrame) -> np.ndarray:
    """The exact interval's ends are attainable shares M/N_eff, a lattice of step 1/N_eff;
    a change interval takes each end half a step further out where the share is not known
    exactly (`stats.mover_difference`). 0 for the continuous intervals and a full response.
    Needs ci_method, n_unknown and population_eff (the change from last year and over the
    agreement period use it alike)."""
    unknown = rows["n_unknown"].to_numpy(dtype=float, na_value=np.nan)
    big_n = rows["population_eff"].to_numpy(dtype=float, na_value=np.nan)
    on_lattice = (rows["ci_method"] == "hypergeometric").to_numpy() & (unknown > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(on_lattice, 1 / big_n, 0.0)


def _add_change(out: pd.DataFrame) -> pd.DataFrame:
    """The change from the year before (same scope) with the square-and-add interval of
    the two years' level intervals."""
    keys = ["indicator_id", "scope", "year"]
    previous = out[[*keys, "share", "ci_low", "ci_high", "lattice_step"]].copy()
    previous["year"] = previous["year"] + 1
    previous = previous.rename(columns={"share": "prev_share", "ci_low": "prev_ci_low",
                                        "ci_high": "prev_ci_high",
                                        "lattice_step": "prev_lattice_step"})
    out = out.merge(previous, on=keys, how="left")
    p1, l1, u1, p0, l0, u0, s1, s0 = (out[c].to_numpy(dtype=float) for c in (
        "share", "ci_low", "ci_high", "prev_share", "prev_ci_low", "prev_ci_high",
        "lattice_step", "prev_lattice_step"))
    both = np.isfinite(p1) & np.isfinite(p0) & np.isfinite(l1) & np.isfinite(l0)
    low, high = stats.mover_difference(p1, l1, u1, p0, l0, u0, np.nan_to_num(s1),
                                       np.nan_to_num(s0))
    out["change"] = np.where(both, p1 - p0, np.nan)
    out["change_ci_low"] = np.where(both, low, np.nan)
    out["change_ci_high"] = np.where(both, high, np.nan)
    participants = both & (out["kind"] == "participant_share").to_numpy()
    out.loc[participants, "note"] = _join(out.loc[participants, "note"], CHANGE_OF_PARTICIPANTS)
    no_valid = (out["n_valid"] == 0).fillna(False).to_numpy()
    out.loc[no_valid, "note"] = _join(out.loc[no_valid, "note"], "Ingen gyldige svar")
    return out.drop(columns=["prev_ci_low", "prev_ci_high", "lattice_step",
                             "prev_lattice_step"])


def _join(existing: pd.Series, text: str) -> pd.Series:
    return existing.fillna("").map(lambda e: f"{e}; {text}" if e else text)


def answer_distribution(counted: pd.DataFrame, reference: Reference) -> pd.DataFrame:
    """Count of each answer per survey indicator, year and scope, for the stacked bars,
    from `answer_counts`. Participant indicators count only participants' answers, like
    their share does.
    """
    answers = counted
    per_cb = (answers[answers["eligible"]]
              .groupby(["indicator_id", "year", "centralbibliotek", "answer"])["count"].sum()
              .reset_index().rename(columns={"centralbibliotek": "scope"}))
    dist = _add_national(per_cb, ["indicator_id", "year", "answer"])
    key = answer_key(reference)
    scopes = [NATIONAL, *reference.centralbiblioteker]
    pairs = answers[["indicator_id", "year"]].drop_duplicates()
    grid = (pairs.merge(pd.DataFrame({"scope": scopes}), how="cross")
            .merge(key, on="indicator_id"))
    dist = grid.merge(dist, on=["indicator_id", "year", "scope", "answer"], how="left")
    dist["count"] = dist["count"].fillna(0).astype(int)
    group = dist.groupby(["indicator_id", "year", "scope"])["count"]
    valid_total = dist["count"].where(dist["valid"], 0).groupby(
        [dist["indicator_id"], dist["year"], dist["scope"]]).transform("sum")
    with np.errstate(divide="ignore", invalid="ignore"):
        dist["share_of_valid"] = np.where(dist["valid"] & (valid_total > 0),
                                          dist["count"] / valid_total, np.nan)
        dist["share_of_all"] = dist["count"] / group.transform("sum").replace(0, np.nan)
    return dist[["indicator_id", "year", "scope", "answer", "answer_order", "valid", "positive",
                 "count", "share_of_valid", "share_of_all"]]


def intervals_by_method(counts: pd.DataFrame, reference: Reference, confidence: float,
                        population_known: bool = True) -> pd.DataFrame:
    """Every survey cell's level interval and change interval under each method the user
    may choose, so the dashboard can switch method without computing anything itself.
    `requested_method` is the user's choice, `ci_method` the one used (auto resolves per
    indicator). The share, change and non-response range do not depend on the method and
    are repeated for convenience."""
    columns = ["indicator_id", "year", "scope", "requested_method", "share", "ci_method",
               "confidence", "ci_low", "ci_high", "nonresponse_low", "nonresponse_high",
               "change", "change_ci_low", "change_ci_high"]
    frames = []
    for method in CI_METHODS:
        with_ci = add_statistics(counts, reference, method, confidence, population_known)
        frames.append(with_ci.assign(requested_method=method)[columns])
    return pd.concat(frames, ignore_index=True)
