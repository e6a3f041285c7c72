"""Compute every survey indicator of the catalogue per year and scope. Pure.

For each indicator the catalogue says which question it reads, which answers count as
positive and, for the participant subgroups, which question selects the participants.
Counts are made for each CB region and summed to `national`; the statistics in
stats.py turn them into shares, intervals, ranges and changes.
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
    """`auto`: the exact finite-population interval where the population is known (all
    98, or a CB's municipalities); Wilson for participant subgroups, whose size is not
    (nor is it for respondent-level surveys). A forced `hypergeometric` also falls back
    to Wilson there, and the output says so."""
    unknown = kind == "participant_share" or not population_known
    if unknown and method in ("auto", "hypergeometric"):
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
    whether they are eligible (False for non-participants in the participant subgroups).

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
        eligible = (rows[ind.participation_key] == PARTICIPATED).fillna(False) \
            if ind.participation_key else pd.Series(True, index=rows.index)
        counted = _count_combinations(rows["year"], rows["centralbibliotek"],
                                      rows[ind.question_key], eligible.astype(bool))
        counted.insert(0, "indicator_id", ind.indicator_id)
        frames.append(counted)
    columns = ["indicator_id", "year", "centralbibliotek", "answer", "eligible", "count"]
    counted = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    return counted, pd.DataFrame(absent, columns=["indicator_id", "year", "note"])


def _codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes (-1 for missing) and the values they stand for."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(np.int64), values.cat.categories.to_numpy(object)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes.astype(np.int64), np.asarray(uniques, dtype=object)


def _count_combinations(year: pd.Series, cb: pd.Series, answer: pd.Series,
                        eligible: pd.Series) -> pd.DataFrame:
    """Rows per (year, CB, answer, eligible) with one np.bincount over combined integer
    codes: linear in the rows, with no sorting or hashing of strings."""
    y_codes, y_values = _codes(year)
    c_codes, c_values = _codes(cb)
    a_codes, a_values = _codes(answer)
    a_values = np.append(np.array([UNANSWERED], dtype=object), a_values)  # code 0: blank
    sizes = (len(y_values), len(c_values), len(a_values), 2)
    combined = np.ravel_multi_index((y_codes, c_codes, a_codes + 1,
                                     eligible.to_numpy(np.int64)), sizes)
    counts = np.bincount(combined, minlength=int(np.prod(sizes)))
    seen = np.flatnonzero(counts)
    yi, ci, ai, ei = np.unravel_index(seen, sizes)
    return pd.DataFrame({"year": y_values[yi].astype(int),
                         "centralbibliotek": c_values[ci].astype(str),
                         "answer": a_values[ai].astype(str), "eligible": ei.astype(bool),
                         "count": counts[seen]})


def _full_grid(pairs: pd.DataFrame, scopes: list[str]) -> pd.MultiIndex:
    """Every (indicator, year) pair crossed with every scope, so that a CB region with no
    respondents still gets a row (with zeros) instead of disappearing."""
    grid = pairs.merge(pd.DataFrame({"scope": scopes}), how="cross")
    return pd.MultiIndex.from_frame(grid[["indicator_id", "year", "scope"]])


def _add_national(per_cb: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    national = per_cb.groupby(by, observed=True).sum(numeric_only=True).reset_index()
    return pd.concat([national.assign(scope=NATIONAL), per_cb], ignore_index=True)


def survey_counts(counted: pd.DataFrame, absent: pd.DataFrame,
                  reference: Reference) -> pd.DataFrame:
    """Respondents, eligible, valid and positive answers per indicator, year and scope,
    from `answer_counts`.

    An indicator whose question is not in a year's codebook gets a row with no counts
    and a note, so that its absence shows (and makes the roll-up incomplete).
    """
    flags = answer_key(reference)[["indicator_id", "answer", "valid", "positive"]]
    rows = counted.merge(flags, on=["indicator_id", "answer"], how="left")
    rows["eligible_n"] = rows["count"].where(rows["eligible"], 0)
    rows["valid_n"] = rows["eligible_n"].where(rows["valid"].fillna(False).astype(bool), 0)
    rows["positive_n"] = rows["eligible_n"].where(rows["positive"].fillna(False).astype(bool), 0)
    per_cb = (rows.groupby(["indicator_id", "year", "centralbibliotek"])
              .agg(respondents=("count", "sum"), eligible=("eligible_n", "sum"),
                   n_valid=("valid_n", "sum"), n_positive=("positive_n", "sum"))
              .reset_index().rename(columns={"centralbibliotek": "scope"}))
    counts = _add_national(per_cb, ["indicator_id", "year"])
    scopes = [NATIONAL, *reference.centralbiblioteker]
    pairs = counted[["indicator_id", "year"]].drop_duplicates()
    counts = (counts.set_index(["indicator_id", "year", "scope"])
              .reindex(_full_grid(pairs, scopes), fill_value=0).reset_index())
    counts["note"] = ""
    if not absent.empty:
        missing = absent.merge(pd.DataFrame({"scope": scopes}), how="cross")
        counts = pd.concat([counts, missing], ignore_index=True)
    for col in ("respondents", "eligible", "n_valid", "n_positive"):
        counts[col] = counts[col].astype("Int64")
    return counts


def add_statistics(counts: pd.DataFrame, reference: Reference, method: str,
                   confidence: float, population_known: bool = True) -> pd.DataFrame:
    """Share, confidence interval, non-response range and change from the previous year.

    `population_known=False` (respondent-level surveys): the rows are not the
    municipalities, so no finite-population interval and no non-response range."""
    kind = counts["indicator_id"].map(reference.indicators.set_index("indicator_id")["kind"])
    out = counts.assign(kind=kind)
    population = reference.population()
    out["population"] = out["scope"].map(population).astype("Int64")
    x = out["n_positive"].to_numpy(dtype=float, na_value=np.nan)
    n = out["n_valid"].to_numpy(dtype=float, na_value=np.nan)
    big_n = out["population"].to_numpy(dtype=float)
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
    if method == "hypergeometric":
        forced = ((out["kind"] == "participant_share") | (not population_known)).to_numpy()
        out.loc[forced, "note"] = _join(out.loc[forced, "note"],
                                        "Populationen af deltagere er ukendt, så Wilson bruges "
                                        "i stedet for det hypergeometriske interval")

    # Non-response range: over all municipalities in scope, or, for the participant
    # subgroups, over the libraries that said they took part.
    eligible = np.where(out["kind"] == "participant_share",
                        out["eligible"].to_numpy(dtype=float, na_value=np.nan), big_n)
    low, high = stats.nonresponse_range(x, n, eligible)
    ok = (eligible > 0) & population_known
    out["nonresponse_low"] = np.where(ok, low, np.nan)
    out["nonresponse_high"] = np.where(ok, high, np.nan)

    previous = out[["indicator_id", "scope", "year", "n_positive", "n_valid", "share"]].copy()
    previous["year"] = previous["year"] + 1
    previous = previous.rename(columns={"n_positive": "prev_n_positive",
                                        "n_valid": "prev_n_valid", "share": "prev_share"})
    out = out.merge(previous, on=["indicator_id", "scope", "year"], how="left")
    x0 = out["prev_n_positive"].to_numpy(dtype=float, na_value=np.nan)
    n0 = out["prev_n_valid"].to_numpy(dtype=float, na_value=np.nan)
    x1 = out["n_positive"].to_numpy(dtype=float, na_value=np.nan)
    n1 = out["n_valid"].to_numpy(dtype=float, na_value=np.nan)
    both = (n0 > 0) & (n1 > 0)
    low, high = stats.newcombe_difference(x1, n1, x0, n0, confidence)
    out["change"] = np.where(both, out["share"] - out["prev_share"], np.nan)
    out["change_ci_low"] = np.where(both, low, np.nan)
    out["change_ci_high"] = np.where(both, high, np.nan)
    no_valid = (out["n_valid"] == 0).fillna(False).to_numpy()
    out.loc[no_valid, "note"] = _join(out.loc[no_valid, "note"], "Ingen gyldige svar")
    return out.drop(columns=["prev_n_positive", "prev_n_valid"])


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
    """The interval of every survey cell under each method the user may choose, so the
    dashboard can switch method without computing anything itself. `requested_method`
    is the user's choice, `ci_method` the one used (auto resolves per indicator)."""
    frames = []
    for method in CI_METHODS:
        with_ci = add_statistics(counts, reference, method, confidence, population_known)
        frames.append(with_ci[["indicator_id", "year", "scope", "share", "ci_method",
                               "confidence", "ci_low", "ci_high"]].assign(requested_method=method))
    out = pd.concat(frames, ignore_index=True)
    return out[["indicator_id", "year", "scope", "requested_method", "share", "ci_method",
                "confidence", "ci_low", "ci_high"]]
