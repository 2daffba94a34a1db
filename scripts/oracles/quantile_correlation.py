"""Oracle values for src/stats/quantile.ts and src/stats/correlation.ts.

Run with Debian's Python (NumPy 1.24, SciPy 1.10, pandas 1.5):

    /usr/bin/python3 scripts/oracles/quantile_correlation.py

Writes test/fixtures/stats/quantile.json and test/fixtures/stats/correlation.json. Missing
values are written as null (JSON has no NaN) and read back as NaN by the tests.
"""

import json
import math
import os

import numpy as np
import pandas as pd
from scipy import stats

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
OUT = os.path.join(ROOT, "test", "fixtures", "stats")
rng = np.random.default_rng(20240601)


def clean(v):
    if isinstance(v, (list, tuple, np.ndarray)):
        return [clean(x) for x in v]
    v = float(v)
    if math.isnan(v):
        return None
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def with_nan(x, share):
    x = np.array(x, dtype=float)
    mask = rng.random(len(x)) < share
    x[mask] = np.nan
    return x


PS = [0.0, 0.01, 0.05, 0.1, 0.25, 1 / 3, 0.5, 0.6, 0.75, 0.9, 0.95, 0.99, 1.0]

quantile_cases = {
    "small": np.array([1.0, 2.0, 3.0, 4.0]),
    "single": np.array([7.5]),
    "normal": rng.normal(10, 3, 997),
    "with_nan": with_nan(rng.normal(0, 1, 500), 0.1),
    "ties": rng.integers(0, 5, 300).astype(float),
    "negative_and_zero": np.concatenate([rng.normal(-5, 2, 2200), np.zeros(50), -np.zeros(50)]),
    "heavy_tail": rng.standard_cauchy(600),
    "large_radix": rng.lognormal(0, 2, 3000) * np.where(rng.random(3000) < 0.3, -1, 1),
    "integers_large": rng.integers(-1000, 1000, 2500).astype(float),
}

quantile_out = {"ps": PS, "cases": {}}
for name, x in quantile_cases.items():
    quantile_out["cases"][name] = {
        "values": clean(x),
        "quantiles": clean([np.nanquantile(x, p) for p in PS]),
    }

with open(os.path.join(OUT, "quantile.json"), "w") as f:
    json.dump(quantile_out, f)

# --- correlation ---------------------------------------------------------------------------
n = 400
base = rng.normal(0, 1, n)
pair_cases = {
    "linear_noise": (base, 2 * base + rng.normal(0, 0.5, n)),
    "monotone_nonlinear": (base, np.exp(base)),
    "ties": (rng.integers(0, 4, n).astype(float), rng.integers(0, 3, n).astype(float)),
    "negative": (base, -base**3 + rng.normal(0, 0.1, n)),
    "independent": (rng.normal(0, 1, n), rng.normal(0, 1, n)),
    "with_nan": (with_nan(base, 0.1), with_nan(base + rng.normal(0, 1, n), 0.15)),
    "with_nan_ties": (with_nan(rng.integers(0, 6, n).astype(float), 0.1), with_nan(rng.integers(0, 6, n).astype(float), 0.2)),
}


def nan_pair(x, y):
    keep = ~(np.isnan(x) | np.isnan(y))
    return x[keep], y[keep]


pairs = {}
for name, (x, y) in pair_cases.items():
    xs, ys = nan_pair(x, y)
    pairs[name] = {
        "x": clean(x),
        "y": clean(y),
        "pearson": clean(stats.pearsonr(xs, ys)[0]),
        "spearman": clean(stats.spearmanr(xs, ys)[0]),
    }

rank_cases = {
    "ties": np.array([10.0, 20.0, 10.0, 30.0, 20.0, 10.0]),
    "random_ties": rng.integers(0, 20, 200).astype(float),
    "continuous": rng.normal(0, 1, 200),
}
ranks = {name: {"x": clean(x), "ranks": clean(stats.rankdata(x, method="average"))} for name, x in rank_cases.items()}
x_nan = with_nan(rng.integers(0, 10, 100).astype(float), 0.2)
ranks["with_nan"] = {"x": clean(x_nan), "ranks": clean(pd.Series(x_nan).rank(method="average").to_numpy())}

# A frame with missing values, ties and a constant column: pandas' pairwise-complete matrix.
m = 300
a = rng.normal(0, 1, m)
frame = pd.DataFrame(
    {
        "a": with_nan(a, 0.05),
        "b": with_nan(a * 3 + rng.normal(0, 1, m), 0.1),
        "c": with_nan(rng.integers(0, 5, m).astype(float), 0.05),
        "d": rng.exponential(1, m),
        "const": np.full(m, 4.0),
    }
)
matrix = {
    "columns": list(frame.columns),
    "data": {c: clean(frame[c].to_numpy()) for c in frame.columns},
    "pearson": clean(frame.corr(method="pearson").to_numpy().ravel()),
    "spearman": clean(frame.corr(method="spearman").to_numpy().ravel()),
}

with open(os.path.join(OUT, "correlation.json"), "w") as f:
    json.dump({"pairs": pairs, "ranks": ranks, "matrix": matrix}, f)

print("wrote", os.path.join(OUT, "quantile.json"), "and correlation.json")
