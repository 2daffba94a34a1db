"""Oracle values for src/stats/drift.ts: the drift tests of a reference and a current sample.

    /usr/bin/python3 scripts/oracles/drift.py

Writes test/fixtures/stats/drift.json. Every value comes from SciPy 1.10
(`scipy.stats.wasserstein_distance`, `scipy.spatial.distance.jensenshannon`, `scipy.stats.ks_2samp`,
`scipy.stats.chisquare`), applied with the rule of Evidently's data drift preset that
`columnDrift` documents: numeric columns with more than 5 distinct reference values get KS (a
reference of at most 1000 values) or the Wasserstein distance divided by the reference's standard
deviation (ddof 0); other columns get chi-square of the current counts against the reference
proportions scaled to the current total (at most 1000) or the Jensen-Shannon distance of the two
count vectors over the sorted union of levels. Missing values (NaN, None) are left out first.
"""

import json
import math
import os

import numpy as np
from scipy import stats
from scipy.spatial.distance import jensenshannon

rng = np.random.default_rng(20261128)
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "stats", "drift.json")


def clean(xs):
    return [None if (isinstance(x, float) and math.isnan(x)) else x for x in xs]


def drift(ref, cur):
    numeric = all(isinstance(v, (int, float)) or v is None for v in ref)
    if numeric:
        a = np.array([v for v in ref if v is not None and not math.isnan(v)], dtype=float)
        b = np.array([v for v in cur if v is not None and not math.isnan(v)], dtype=float)
        if len(np.unique(a)) > 5:
            if len(a) > 1000:
                d = stats.wasserstein_distance(a, b) / np.std(a)
                return {"test": "wasserstein", "statistic": d, "pValue": None, "drifted": bool(d >= 0.1)}
            t = stats.ks_2samp(a, b)
            return {"test": "ks", "statistic": t.statistic, "pValue": t.pvalue, "drifted": bool(t.pvalue < 0.05)}
        ref = [repr_num(v) for v in a]
        cur = [repr_num(v) for v in b]
    else:
        ref = [v for v in ref if v is not None]
        cur = [v for v in cur if v is not None]
    levels = sorted(set(ref) | set(cur))
    r = np.array([ref.count(l) for l in levels], dtype=float)
    c = np.array([cur.count(l) for l in levels], dtype=float)
    if len(ref) > 1000:
        d = jensenshannon(r, c)
        return {"test": "jensenshannon", "statistic": d, "pValue": None, "drifted": bool(d >= 0.1)}
    if np.any((r == 0) & (c > 0)):
        return {"test": "chisquare", "statistic": "Infinity", "pValue": 0.0, "drifted": True}
    keep = r > 0
    if keep.sum() < 2:
        return {"test": "chisquare", "statistic": 0.0, "pValue": 1.0, "drifted": False}
    t = stats.chisquare(c[keep], r[keep] * len(cur) / len(ref))
    return {"test": "chisquare", "statistic": t.statistic, "pValue": t.pvalue, "drifted": bool(t.pvalue < 0.05)}


def repr_num(v):
    # JavaScript's String(number) for the values used here (integers and short decimals).
    return str(int(v)) if float(v).is_integer() else repr(float(v))


cases = []


def add(name, ref, cur):
    cases.append({"name": name, "reference": clean(list(ref)), "current": clean(list(cur)), **drift(list(ref), list(cur))})


add("ks, same distribution", rng.normal(0, 1, 400).round(6), rng.normal(0, 1, 300).round(6))
add("ks, shifted", rng.normal(0, 1, 400).round(6), rng.normal(0.4, 1, 300).round(6))
add("ks, with missing values", list(rng.normal(5, 2, 200).round(4)) + [float("nan")] * 20, list(rng.normal(5, 2, 150).round(4)) + [float("nan")] * 5)
add("wasserstein, same", rng.normal(10, 3, 2000).round(5), rng.normal(10, 3, 500).round(5))
add("wasserstein, scaled", rng.normal(10, 3, 2000).round(5), rng.normal(10, 4.5, 500).round(5))
add("wasserstein, ties", rng.integers(0, 40, 1500).astype(float), rng.integers(5, 45, 700).astype(float))
add("chisquare, same", rng.choice(["a", "b", "c"], 600, p=[0.5, 0.3, 0.2]), rng.choice(["a", "b", "c"], 400, p=[0.5, 0.3, 0.2]))
add("chisquare, moved", rng.choice(["a", "b", "c"], 600, p=[0.5, 0.3, 0.2]), rng.choice(["a", "b", "c"], 400, p=[0.3, 0.3, 0.4]))
add("chisquare, a level missing from current", rng.choice(["a", "b", "c"], 300), rng.choice(["a", "b"], 200))
add("chisquare, a new level", rng.choice(["a", "b"], 300), list(rng.choice(["a", "b"], 200)) + ["z"])
add("chisquare, with missing", list(rng.choice(["x", "y"], 300)) + [None] * 30, list(rng.choice(["x", "y"], 100, p=[0.8, 0.2])) + [None] * 3)
add("chisquare, one level", ["k"] * 50, ["k"] * 20)
add("numeric with 3 levels (chisquare)", rng.integers(0, 3, 500).astype(float), rng.integers(0, 3, 300).astype(float))
add("numeric 0/1, moved (chisquare)", (rng.random(800) < 0.3).astype(float), (rng.random(400) < 0.5).astype(float))
add("jensenshannon, same", rng.choice(["p", "q", "r", "s"], 3000), rng.choice(["p", "q", "r", "s"], 800))
add("jensenshannon, moved", rng.choice(["p", "q", "r", "s"], 3000, p=[0.4, 0.3, 0.2, 0.1]), rng.choice(["p", "q", "r", "s"], 800, p=[0.1, 0.2, 0.3, 0.4]))
add("jensenshannon, a new level", rng.choice(["p", "q"], 1200), list(rng.choice(["p", "q"], 300)) + ["new"] * 40)
add("numeric 4 levels, large (jensenshannon)", rng.integers(1, 5, 2500).astype(float), rng.integers(2, 6, 600).astype(float))

distances = []
for i in range(12):
    n1, n2 = int(rng.integers(1, 60)), int(rng.integers(1, 60))
    u = rng.normal(0, 1 + i, n1).round(3 if i % 2 else 8)
    v = rng.exponential(1 + i, n2).round(3 if i % 3 else 8)
    distances.append({"u": list(u), "v": list(v), "wasserstein": stats.wasserstein_distance(u, v)})
js = []
for i in range(10):
    k = int(rng.integers(2, 9))
    p = rng.integers(0, 30, k).astype(float)
    q = rng.integers(0, 30, k).astype(float)
    p[0] += 1
    q[-1] += 1
    js.append({"p": list(p), "q": list(q), "distance": jensenshannon(p, q)})

with open(OUT, "w") as f:
    json.dump({"scipy": __import__("scipy").__version__, "cases": cases, "wasserstein": distances, "jensenshannon": js}, f)
print(f"wrote {OUT}: {len(cases)} drift cases, {len(distances)} Wasserstein, {len(js)} Jensen-Shannon")
