"""Oracle values for the far tails and quantiles of src/stats/distributions.ts.

Run with Debian's Python (SciPy 1.10, mpmath):

    /usr/bin/python3 scripts/oracles/distribution_tails.py

Writes test/fixtures/stats/distribution-tails.json. The truth is mpmath at 50 digits on the
exact binary value of each double argument; SciPy's value is stored beside it where it is only
a reference (SciPy 1.10's F survival function is itself off by up to 1e-8 relative in far tails,
so the tests check against mpmath).
"""

import json
import os

import mpmath as mp
from scipy import stats

mp.mp.dps = 50
ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
OUT = os.path.join(ROOT, "test", "fixtures", "stats", "distribution-tails.json")


def ibeta(a, b, x):
    """Regularized I_x(a, b) by mpmath; the hypergeometric series with more terms where mpmath's
    default gives up (x near 1, or large a and b): x^a y^b/(a B(a, b))·2F1(a + b, 1; a + 1; x), a
    series of positive terms for x below the mean a/(a + b)."""
    a, b, x = mp.mpf(a), mp.mpf(b), mp.mpf(x)
    try:
        return mp.betainc(a, b, 0, x, regularized=True)
    except (mp.libmp.NoConvergence, ValueError):
        y = 1 - x
        pre = mp.exp(a * mp.log(x) + b * mp.log(y) - mp.log(a) - mp.log(mp.beta(a, b)))
        return pre * mp.hyp2f1(a + b, 1, a + 1, x, maxterms=10**7)


def f_sf(f, d1, d2):
    f, d1, d2 = mp.mpf(f), mp.mpf(d1), mp.mpf(d2)
    return ibeta(d2 / 2, d1 / 2, d2 / (d2 + d1 * f))


def t_sf(t, df):
    t, df = mp.mpf(t), mp.mpf(df)
    return ibeta(df / 2, mp.mpf(1) / 2, df / (df + t * t)) / 2


def num(v):
    return float(mp.nstr(v, 20))


F_CASES = [
    (48.1, 30, 1e5),  # @stdlib: 0 (its binomial sum underflows)
    (57.8928, 29, 7690),  # @stdlib: 0
    (39.6732, 37, 163000),  # @stdlib: 1.6e-7 relative
    (25.1215, 14, 5160000),  # @stdlib: 8e-11 relative
    (2.10731, 38, 9350000),  # @stdlib: 2e-10 relative at p ≈ 8e-5
    (1.02547, 2800000, 6160000),
    (1e300, 1, 1),
    (1e308, 10, 0.01),  # d1·f/d2 overflows: @stdlib gave 0
    (0.5, 3, 7),
    (0.001426, 0.141, 15600),
]

T_SF_CASES = [
    (1e200, 1),  # t² overflows: @stdlib gives 0
    (1e300, 0.5),
    (1e30, 20),
    (41.8571, 2640),
    (5.03723, 42400000),
]

CHI_SF_CASES = [
    (8014630, 7890000),  # Lathe's large-x series: 6.6e-12 relative (log1p(d) − d cancelled)
    (6523830, 6410000),
    (4451130, 4360000),
    (121479, 104000),
]

# Pearson's exact p-value 2·I_{(1−|r|)/2}(n/2 − 1, n/2 − 1): from the rounded x = (1 − |r|)/2
# and 1 − x, @stdlib's (and SciPy's) lose ~a·ε — 4.7e-11 (SciPy 1.6e-9) for n = 1.28e6.
PEARSON_CASES = [
    (1280275, 0.028926166),
    (1767228, 0.017702453),
    (1660090, 0.02282308),
    (61674, 0.14613769),
    (5, 0.9),
    (3, 0.5),
]

T_PPF_CASES = [
    (1e-300, 1),  # @stdlib: −∞; the truth is −1/(πp) to 1e-600
    (1.632e-206, 1),
    (0.3, 1),
    (1e-300, 2),
    (0.025, 2),
    (1e-300, 3),
    (2.421e-149, 4),
    (1e-300, 30),
    (1.482e-79, 0.492),  # @stdlib: −∞
    (5.868e-226, 0.751),  # @stdlib: −∞
    (7.008e-30, 0.156),  # @stdlib: −∞
]


def t_ppf(p, df):
    """The lower quantile (p < ½): the root of log P(T > −t) = log p in log t, from the tail's
    leading term; for 1 degree of freedom checked against tan(π(p − ½)) = −1/tan(πp)."""
    p, df = mp.mpf(p), mp.mpf(df)
    a = df / 2
    log_x = (mp.log(p * df) + mp.log(mp.beta(a, mp.mpf(1) / 2))) / a
    u0 = max((mp.log(df) - log_x) / 2, mp.mpf(-1))
    u = mp.findroot(lambda v: mp.log(t_sf(mp.exp(v), df)) - mp.log(p), u0, tol=mp.mpf(10) ** -40)
    t = -mp.exp(u)
    if df == 1:
        assert abs(t * mp.tan(mp.pi * p) + 1) < mp.mpf(10) ** -30  # tan(π(p − ½)) = −1/tan(πp)
    return t


out = {
    "fSf": [{"f": f, "d1": d1, "d2": d2, "p": num(f_sf(f, d1, d2)), "scipy": float(stats.f.sf(f, d1, d2))}
            for f, d1, d2 in F_CASES],
    "tPpf": [{"p": p, "df": df, "t": num(t_ppf(p, df)), "scipy": float(stats.t.ppf(p, df))} for p, df in T_PPF_CASES],
    "chiSf": [{"x": x, "df": df, "p": num(mp.gammainc(mp.mpf(df) / 2, mp.mpf(x) / 2, mp.inf, regularized=True)),
               "scipy": float(stats.chi2.sf(x, df))} for x, df in CHI_SF_CASES],
    "pearson": [{"n": n, "r": r, "p": num(2 * ibeta(mp.mpf(n) / 2 - 1, mp.mpf(n) / 2 - 1, (1 - mp.mpf(r)) / 2))}
                for n, r in PEARSON_CASES],
    "tSf": [{"t": t, "df": df, "p": num(t_sf(t, df)), "scipy": float(stats.t.sf(t, df))} for t, df in T_SF_CASES],
}

with open(OUT, "w") as fh:
    json.dump(out, fh, indent=1)
print(f"wrote {OUT}")
