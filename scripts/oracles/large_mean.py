"""Oracle values for the t-tests, one-way ANOVA and Levene's test on data with a large mean and a
tiny spread (3e5 ± 1e-3), where a mean rounded to the nearest double moves the statistics by ~1e-7
relative.

Run with Debian's Python (SciPy 1.10, mpmath):

    /usr/bin/python3 scripts/oracles/large_mean.py

Writes test/fixtures/stats/large-mean.json. The truth is mpmath at 50 digits on the exact binary
values of the data; SciPy's statistic is stored beside it (it rounds its means the same way, so it
is only a reference).
"""

import json
import math
import os

import mpmath as mp
import numpy as np
from scipy import stats

mp.mp.dps = 50
ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
OUT = os.path.join(ROOT, "test", "fixtures", "stats", "large-mean.json")
rng = np.random.default_rng(20261128)


def sample(n, centre, spread):
    return [float(v) for v in centre + spread * rng.standard_normal(n)]


def mean(x):
    return mp.fsum(mp.mpf(v) for v in x) / len(x)


def ss(x, m=None):
    m = mean(x) if m is None else m
    return mp.fsum((mp.mpf(v) - m) ** 2 for v in x)


def num(v):
    return float(mp.nstr(v, 20))


def one_sample(x, mu):
    n = len(x)
    return (mean(x) - mp.mpf(mu)) / mp.sqrt(ss(x) / (n - 1) / n)


def student(x, y):
    n1, n2 = len(x), len(y)
    sp = (ss(x) + ss(y)) / (n1 + n2 - 2)
    return (mean(x) - mean(y)) / mp.sqrt(sp * (mp.mpf(1) / n1 + mp.mpf(1) / n2))


def welch(x, y):
    n1, n2 = len(x), len(y)
    return (mean(x) - mean(y)) / mp.sqrt(ss(x) / (n1 - 1) / n1 + ss(y) / (n2 - 1) / n2)


def paired(x, y):
    return one_sample([mp.mpf(a) - mp.mpf(b) for a, b in zip(x, y)], 0)


def anova(groups):
    allv = [v for g in groups for v in g]
    grand = mean(allv)
    ssb = mp.fsum(len(g) * (mean(g) - grand) ** 2 for g in groups)
    ssw = mp.fsum(ss(g) for g in groups)
    k, N = len(groups), len(allv)
    return (ssb / (k - 1)) / (ssw / (N - k))


def median(g):
    s = sorted(mp.mpf(v) for v in g)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def levene(groups, center):
    if center == "trimmed":
        cut = []
        for g in groups:
            s = sorted(g)
            lo = int(math.floor(0.05 * len(s)))
            cut.append(s[lo:len(s) - lo])
        groups = cut
    z = []
    for g in groups:
        c = median(g) if center == "median" else mean(g)
        z.append([abs(mp.mpf(v) - c) for v in g])
    return anova(z)


x = sample(25, 3e5, 1e-3)
y = sample(30, 3e5 + 4e-4, 1.5e-3)
yp = [v + 3e-4 + 2e-4 * e for v, e in zip(x, rng.standard_normal(25))]
groups = [sample(12, 3e5, 1e-3), sample(15, 3e5 + 5e-4, 1e-3), sample(10, 3e5 - 2e-4, 2e-3)]

# A mean difference small against the spread of the differences (t ≈ −7.6e-4): a residual
# Σ(d − mean)/n would be rounding noise of ½ ulp(d)/n here (6e-14 of t).
small_x = [8.027220767175246, 7.606271833924615, 6.901271396338641]
small_y = [7.8305795908742635, 7.829184176483351, 6.875278813929151]

out = {
    "smallMean": {"x": small_x, "y": small_y, "t": num(paired(small_x, small_y)),
                  "scipy": float(stats.ttest_rel(small_x, small_y).statistic)},
    "x": x,
    "y": y,
    "yPaired": yp,
    "groups": groups,
    "mu": 3e5,
    "oneSample": {"t": num(one_sample(x, 3e5)), "scipy": float(stats.ttest_1samp(x, 3e5).statistic)},
    "student": {"t": num(student(x, y)), "scipy": float(stats.ttest_ind(x, y).statistic)},
    "welch": {"t": num(welch(x, y)), "scipy": float(stats.ttest_ind(x, y, equal_var=False).statistic)},
    "paired": {"t": num(paired(x, yp)), "scipy": float(stats.ttest_rel(x, yp).statistic)},
    "anova": {"f": num(anova(groups)), "scipy": float(stats.f_oneway(*groups).statistic)},
    "levene": {c: {"w": num(levene(groups, c)), "scipy": float(stats.levene(*groups, center=c).statistic)}
               for c in ("median", "mean", "trimmed")},
}

with open(OUT, "w") as fh:
    json.dump(out, fh)
print(f"wrote {OUT}")
