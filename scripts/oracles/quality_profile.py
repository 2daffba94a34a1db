"""Oracle values for src/quality (the data-quality report), from pandas / NumPy / SciPy.

Run with Debian's Python (pandas 1.5, NumPy 1.24, SciPy 1.10):

    /usr/bin/python3 scripts/oracles/quality_profile.py

Writes test/fixtures/quality/profile.json: a small table with every kind of column (and some
exact duplicate rows), and what pandas says about it — describe(), isna().sum(), nunique(),
skew(), value counts, duplicated(), corr() — plus the report's own definitions computed with
NumPy/SciPy (type-7 quantiles, MAD, IQR fences, robust z, histograms). Missing values are null.
"""

import json
import math
import os

import numpy as np
import pandas as pd
from scipy import stats

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
OUT = os.path.join(ROOT, "test", "fixtures", "quality")
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(7)
n = 400

PS = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99]
IQR_K, EXTREME_K, ROBUST_Z, ISOLATION = 1.5, 3.0, 3.5, 2.0


def with_nan(x, share):
    x = np.array(x, dtype=float)
    x[rng.random(len(x)) < share] = np.nan
    return x


def clean(v):
    if isinstance(v, (list, tuple, np.ndarray)):
        return [clean(x) for x in v]
    if v is None:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (str,)):
        return v
    v = float(v)
    return None if math.isnan(v) else v


base = rng.normal(50, 10, n)
frame = pd.DataFrame(
    {
        "height": with_nan(base, 0.07),
        "weight": with_nan(base * 1.5 + rng.normal(0, 3, n), 0.03),
        "age": rng.integers(18, 40, n).astype(float),
        "income": np.round(rng.lognormal(10, 0.6, n), 2),
        "delta": with_nan(rng.normal(0, 1, n) * np.where(rng.random(n) < 0.02, 40, 1), 0.05),
        "zeros": np.where(rng.random(n) < 0.3, 0.0, rng.normal(-2, 1, n)),
        "const": np.full(n, 7.0),
        "city": pd.Series(rng.choice(["Paris", "Lyon", "Nice", "Lille"], n, p=[0.5, 0.25, 0.15, 0.1])).where(
            rng.random(n) > 0.04
        ),
        "flag": pd.Series(rng.random(n) < 0.3).astype(object).where(rng.random(n) > 0.05),
    }
)
frame.loc[rng.random(n) < 0.01, "income"] = 9_999_999.0  # a few sentinel values
# Exact duplicate rows (missing cells included), appended at known places.
dups = frame.iloc[[3, 10, 10, 57, 200]].copy()
frame = pd.concat([frame, dups], ignore_index=True)
N = len(frame)

def isolated(v, skew):
    """Far-out values (beyond 3 IQR) past the first gap wider than 2 IQR, walking outwards from
    the last value inside the far fence, per side; on log values for positive data with skew > 1."""
    s = np.sort(v)
    if s[0] > 0 and skew is not None and skew > 1:
        s = np.log(s)
        q1, q3 = np.log(np.quantile(v, 0.25)), np.log(np.quantile(v, 0.75))
    else:
        q1, q3 = np.quantile(v, 0.25), np.quantile(v, 0.75)
    iqr = q3 - q1
    if iqr <= 0:
        return 0
    gap = ISOLATION * iqr
    total = 0
    inside = s[(s >= q1 - EXTREME_K * iqr) & (s <= q3 + EXTREME_K * iqr)]
    high = np.concatenate([[inside.max()], s[s > q3 + EXTREME_K * iqr]])
    jumps = np.flatnonzero(np.diff(high) > gap)
    if len(jumps):
        total += len(high) - 1 - jumps[0]
    low = np.concatenate([[inside.min()], s[s < q1 - EXTREME_K * iqr][::-1]])
    jumps = np.flatnonzero(-np.diff(low) > gap)
    if len(jumps):
        total += len(low) - 1 - jumps[0]
    return int(total)


numeric_cols = ["height", "weight", "age", "income", "delta", "zeros", "const"]
numeric = {}
for c in numeric_cols:
    x = frame[c].to_numpy(dtype=float)
    v = x[~np.isnan(x)]
    q1, q3 = np.quantile(v, 0.25), np.quantile(v, 0.75)
    iqr = q3 - q1
    med = np.median(v)
    mad = stats.median_abs_deviation(v, scale=1.0)
    if mad > 0:
        z = 0.6745 * (v - med) / mad
        scale = "mad"
    else:
        meanad = np.mean(np.abs(v - med))
        z = (v - med) / (1.253314 * meanad) if meanad > 0 else np.zeros_like(v)
        scale = "meanad" if meanad > 0 else "none"
    integers = bool(np.all(np.mod(v, 1) == 0))
    if v.min() == v.max():
        edges = np.array([v.min() - 0.5, v.max() + 0.5])
    elif integers and v.max() - v.min() + 1 <= 30:
        edges = np.arange(v.min() - 0.5, v.max() + 1.0, 1.0)
    else:
        edges = np.histogram_bin_edges(v, bins="sturges")
        if len(edges) - 1 > 30:
            edges = np.histogram_bin_edges(v, bins=30)
    counts, _ = np.histogram(v, bins=edges)
    vc = pd.Series(v).value_counts()
    top = sorted(vc.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    s = frame[c]
    s_skew = float(s.skew())
    numeric[c] = {
        "count": int(s.count()),
        "missing": int(s.isna().sum()),
        "distinct": int(s.nunique()),
        "mean": float(s.mean()),
        "std": clean(s.std()),
        "min": float(s.min()),
        "max": float(s.max()),
        "sum": float(s.sum()),
        "skew": clean(s.skew()),
        "describe": {k: float(vv) for k, vv in s.describe().items()},
        "quantiles": [float(np.quantile(v, p)) for p in PS],
        "median": float(med),
        "iqr": float(iqr),
        "mad": float(mad),
        "zeros": int(np.sum(v == 0)),
        "negatives": int(np.sum(v < 0)),
        "integers": integers,
        "iqrCount": int(np.sum((v < q1 - IQR_K * iqr) | (v > q3 + IQR_K * iqr))),
        "extremeCount": int(np.sum((v < q1 - EXTREME_K * iqr) | (v > q3 + EXTREME_K * iqr))),
        "isolatedCount": isolated(v, None if math.isnan(s_skew) else s_skew),
        "robustZCount": int(np.sum(np.abs(z) > ROBUST_Z)),
        "robustZScale": scale,
        "histogram": {"edges": [float(e) for e in edges], "counts": [int(k) for k in counts]},
        "top": [{"value": float(k), "count": int(cnt)} for k, cnt in top],
    }

categorical = {}
for c in ["city", "flag"]:
    s = frame[c]
    vc = s.value_counts(dropna=True)
    top = sorted(vc.items(), key=lambda kv: (-kv[1], str(kv[0])))
    categorical[c] = {
        "count": int(s.count()),
        "missing": int(s.isna().sum()),
        "distinct": int(s.nunique()),
        "top": [{"value": clean(k), "count": int(cnt)} for k, cnt in top],
    }

dup_mask = frame.duplicated()
corr_cols = ["height", "weight", "age", "income", "delta", "zeros", "flag"]
corr_frame = frame[corr_cols].astype(float)
fixture = {
    "rows": N,
    "columns": {c: clean(frame[c].tolist()) for c in frame.columns},
    "types": {**{c: "numeric" for c in numeric_cols}, "city": "categorical", "flag": "boolean"},
    "numeric": numeric,
    "categorical": categorical,
    "duplicates": {"count": int(dup_mask.sum()), "rows": [int(i) for i in np.flatnonzero(dup_mask)]},
    "missingCells": int(frame.isna().sum().sum()),
    "correlation": {
        "columns": corr_cols,
        "pearson": clean(corr_frame.corr(method="pearson").to_numpy().ravel()),
        "spearman": clean(corr_frame.corr(method="spearman").to_numpy().ravel()),
    },
}

with open(os.path.join(OUT, "profile.json"), "w") as f:
    json.dump(fixture, f)
print("wrote", os.path.join(OUT, "profile.json"))
