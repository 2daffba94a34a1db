"""Oracle values for src/stats (descriptive statistics, hypothesis tests, OLS, logistic regression,
resampling, model comparison).

Run with Debian's Python (NumPy 1.24, SciPy 1.10, statsmodels 0.13, scikit-learn 1.2):

    /usr/bin/python3 scripts/oracles/stats.py

Writes test/fixtures/stats/{descriptive,tests,ols,logit,resampling,compare}.json. NaN is written
as null and infinities as the strings "Infinity"/"-Infinity"; the tests read them back.

Where SciPy computes in single precision (Shapiro-Wilk's AS R94) the fixture also holds a
double-precision evaluation of the same algorithm (`swilk_double` below), which is checked here
against SciPy to SciPy's precision before it is written.

The NIST StRD "Longley" certified values are recomputed exactly: the data are exact decimals, so
the normal equations can be solved in rational arithmetic (`fractions.Fraction`); square roots
for the standard errors use `decimal` with 50 digits. The script asserts that the recomputed
values agree with NIST's published certified values to all their digits (15 significant).
"""

import json
import math
import os
import warnings
from decimal import Decimal, getcontext
from fractions import Fraction

import mpmath as mp
import numpy as np
import pandas as pd
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy import special, stats
from scipy.stats import contingency
from scipy.stats._resampling import _bca_interval
from sklearn.metrics import roc_auc_score
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.diagnostic import het_breuschpagan, normal_ad
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.outliers_influence import variance_inflation_factor
from statsmodels.stats.stattools import durbin_watson, jarque_bera, omni_normtest
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

warnings.simplefilter("ignore")
ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
OUT = os.path.join(ROOT, "test", "fixtures", "stats")
rng = np.random.default_rng(20250214)


def clean(v):
    if isinstance(v, dict):
        return {k: clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple, np.ndarray)):
        return [clean(x) for x in v]
    if v is None or isinstance(v, (str, bool)):
        return v
    if isinstance(v, (np.bool_,)):
        return bool(v)
    v = float(v)
    if math.isnan(v):
        return None
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def write(name, obj):
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        json.dump(clean(obj), f, separators=(",", ":"))
    print(f"wrote {path} ({os.path.getsize(path) // 1024} KB)")


def dedupe(obj):
    """Stores each input array (5+ numbers) once under "arrays" and refers to it as "@name"."""
    arrays = {}
    index = {}

    def walk(v):
        if isinstance(v, dict):
            return {k: walk(x) for k, x in v.items()}
        if isinstance(v, (list, tuple, np.ndarray)):
            cv = clean(v)
            if len(cv) >= 5 and all(isinstance(x, float) or x is None for x in cv):
                key = json.dumps(cv)
                if key not in index:
                    index[key] = f"a{len(index)}"
                    arrays[index[key]] = cv
                return "@" + index[key]
            return [walk(x) for x in v]
        return v

    body = walk(obj)
    return {"arrays": arrays, **body}


def r3(x):
    return np.round(np.asarray(x, dtype=float), 3)


ALTS = ["two-sided", "less", "greater"]


def tppf(p, df):
    """Student's t quantile to full double precision (mpmath, 40 digits).

    SciPy 1.10's `stats.t.ppf`/`special.stdtrit` is off by up to a few 1e-9 relative for some df
    (e.g. 2.5e-9 at df = 43, p = 0.975), and a confidence bound near zero amplifies that; the
    fixture's t-based intervals therefore use this quantile, and the script checks they agree
    with SciPy's/statsmodels' own intervals to that precision.
    """
    mp.mp.dps = 40
    dfm, pm = mp.mpf(float(df)), mp.mpf(float(p))

    def cdf(t):
        tail = mp.betainc(dfm / 2, mp.mpf(1) / 2, 0, dfm / (dfm + t * t), regularized=True) / 2
        return 1 - tail if t > 0 else tail

    return float(mp.findroot(lambda t: cdf(t) - pm, mp.mpf(float(stats.t.ppf(p, df)))))


def t_interval(est, se, df, level, alt):
    if alt == "less":
        return [-math.inf, est + tppf(level, df) * se]
    if alt == "greater":
        return [est + tppf(1 - level, df) * se, math.inf]
    a = (1 - level) / 2
    return [est + tppf(a, df) * se, est + tppf(1 - a, df) * se]


def check_interval(mine, ref, halfwidth):
    for m, r in zip(mine, ref):
        if math.isinf(m) or math.isinf(r):
            assert m == r, (mine, ref)
        else:
            assert abs(m - r) <= 1e-7 * halfwidth, (mine, ref)

# ---------------------------------------------------------------------------------------------
# Descriptive statistics and quantiles

QMETHODS = [
    "inverted_cdf", "averaged_inverted_cdf", "closest_observation", "interpolated_inverted_cdf",
    "hazen", "weibull", "linear", "median_unbiased", "normal_unbiased", "lower", "higher",
    "nearest", "midpoint",
]
PS = [0, 0.01, 0.1, 0.25, 0.3, 0.5, 0.6, 0.75, 0.9, 0.99, 1]


def descriptive():
    datasets = {
        "normal40": r3(rng.normal(10, 3, 40)),
        "skewed25": r3(rng.exponential(2, 25)),
        "ties12": np.array([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8], dtype=float),
        "small4": np.array([2.5, -1.0, 7.25, 0.5]),
        "odd7": r3(rng.uniform(-5, 5, 7)),
        "heavy30": r3(rng.standard_t(2, 30)),
    }
    out = {"ps": PS, "methods": QMETHODS, "cases": {}}
    for name, x in datasets.items():
        out["cases"][name] = {
            "x": x,
            "mean": np.mean(x),
            "var": np.var(x, ddof=1),
            "var0": np.var(x, ddof=0),
            "std": np.std(x, ddof=1),
            "sem": stats.sem(x),
            "skew": stats.skew(x),
            "skewUnbiased": stats.skew(x, bias=False),
            "kurtosis": stats.kurtosis(x),
            "kurtosisUnbiased": stats.kurtosis(x, bias=False),
            "kurtosisPearson": stats.kurtosis(x, fisher=False),
            "mode": float(stats.mode(x, keepdims=False).mode),
            "modeCount": float(stats.mode(x, keepdims=False).count),
            "trim10": stats.trim_mean(x, 0.1),
            "trim25": stats.trim_mean(x, 0.25),
            "mad": stats.median_abs_deviation(x),
            "madNormal": stats.median_abs_deviation(x, scale="normal"),
            # a vector of probabilities: NumPy 1.24 mishandles some scalar ones (averaged_inverted_cdf at 0)
            "quantiles": {m: np.quantile(x, PS, method=m) for m in QMETHODS},
        }
    write("descriptive.json", out)


# ---------------------------------------------------------------------------------------------
# Hypothesis tests


def swilk_double(x):
    """AS R94 in double precision with exact normal quantiles (see the module docstring)."""
    C1 = [0.0, 0.221157, -0.147981, -2.07119, 4.434685, -2.706056]
    C2 = [0.0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633]
    C3 = [0.5440, -0.39978, 0.025054, -0.6714e-3]
    C4 = [1.3822, -0.77857, 0.062767, -0.0020322]
    C5 = [-1.5861, -0.31082, -0.083751, 0.0038915]
    C6 = [-0.4803, -0.082676, 0.0030302]
    G = [-2.273, 0.459]

    def poly(c, v):
        r = c[0]
        if len(c) == 1:
            return r
        p = v * c[-1]
        for j in range(len(c) - 2, 0, -1):
            p = (p + c[j]) * v
        return r + p

    y = np.sort(x - np.median(x))
    n = len(y)
    nn2 = n // 2
    if n == 3:
        a = np.array([math.sqrt(0.5)])
    else:
        m = np.array([special.ndtri((i - 0.375) / (n + 0.25)) for i in range(1, nn2 + 1)])
        summ2 = 2 * np.sum(m**2)
        ssumm2 = math.sqrt(summ2)
        rsn = 1 / math.sqrt(n)
        a1 = poly(C1, rsn) - m[0] / ssumm2
        a = m.copy()
        if n > 5:
            a2 = -m[1] / ssumm2 + poly(C2, rsn)
            fac = math.sqrt((summ2 - 2 * m[0] ** 2 - 2 * m[1] ** 2) / (1 - 2 * a1**2 - 2 * a2**2))
            a[0], a[1] = a1, a2
            a[2:] = -m[2:] / fac
        else:
            fac = math.sqrt((summ2 - 2 * m[0] ** 2) / (1 - 2 * a1**2))
            a[0] = a1
            a[1:] = -m[1:] / fac
    coef = np.zeros(n)
    for i in range(1, n + 1):
        j = n + 1 - i
        coef[i - 1] = 0.0 if i == j else math.copysign(1, i - j) * a[min(i, j) - 1]
    rng_ = y[-1] - y[0]
    xs = y / rng_
    asa = coef - coef.mean()
    xsx = xs - xs.mean()
    ssa, ssx, sax = np.sum(asa * asa), np.sum(xsx * xsx), np.sum(asa * xsx)
    ss = math.sqrt(ssa * ssx)
    w1 = (ss - sax) * (ss + sax) / (ssa * ssx)
    w = 1 - w1
    if n == 3:
        return w, max(0.0, 6 / math.pi * (math.asin(math.sqrt(w)) - math.pi / 3))
    yy = math.log(w1)
    xx = math.log(n)
    if n <= 11:
        gamma = poly(G, n)
        if yy >= gamma:
            return w, 1e-19
        yy = -math.log(gamma - yy)
        mm, s = poly(C3, n), math.exp(poly(C4, n))
    else:
        mm, s = poly(C5, xx), math.exp(poly(C6, xx))
    return w, stats.norm.sf((yy - mm) / s)


def tests():
    out = {}
    a20 = r3(rng.normal(0.5, 1.2, 20))
    b25 = r3(rng.normal(0.0, 2.0, 25))
    c15 = r3(rng.normal(0.2, 1.0, 15))
    paired_x = r3(rng.normal(5, 1, 18))
    paired_y = r3(paired_x + rng.normal(0.3, 0.6, 18))

    # t-tests
    tt = []
    for alt in ALTS:
        for level in (0.95, 0.9):
            r = stats.ttest_1samp(a20, 0.3, alternative=alt)
            ci = r.confidence_interval(level)
            se = np.std(a20, ddof=1) / math.sqrt(len(a20))
            mine = t_interval(np.mean(a20), se, r.df, level, alt)
            check_interval(mine, [ci.low, ci.high], se)
            tt.append({"kind": "one", "x": a20, "mu": 0.3, "alternative": alt, "level": level,
                       "t": r.statistic, "p": r.pvalue, "df": r.df, "ci": mine,
                       "d": (np.mean(a20) - 0.3) / np.std(a20, ddof=1)})
            for equal in (True, False):
                r = stats.ttest_ind(a20, b25, equal_var=equal, alternative=alt)
                cm = CompareMeans(DescrStatsW(a20), DescrStatsW(b25))
                ci = cm.tconfint_diff(alpha=1 - level, alternative={"two-sided": "two-sided", "less": "smaller", "greater": "larger"}[alt],
                                      usevar="pooled" if equal else "unequal")
                n1, n2 = len(a20), len(b25)
                v1, v2 = np.var(a20, ddof=1), np.var(b25, ddof=1)
                sd = math.sqrt(((n1 - 1) * v1 + (n2 - 1) * v2) / (n1 + n2 - 2)) if equal else math.sqrt((v1 + v2) / 2)
                df = (n1 + n2 - 2) if equal else (v1 / n1 + v2 / n2) ** 2 / ((v1 / n1) ** 2 / (n1 - 1) + (v2 / n2) ** 2 / (n2 - 1))
                se = sd * math.sqrt(1 / n1 + 1 / n2) if equal else math.sqrt(v1 / n1 + v2 / n2)
                mine = t_interval(np.mean(a20) - np.mean(b25), se, df, level, alt)
                check_interval(mine, list(ci), se)
                tt.append({"kind": "student" if equal else "welch", "x": a20, "y": b25, "alternative": alt, "level": level,
                           "t": r.statistic, "p": r.pvalue, "df": df, "ci": mine, "d": (np.mean(a20) - np.mean(b25)) / sd})
            r = stats.ttest_rel(paired_x, paired_y, alternative=alt)
            ci = r.confidence_interval(level)
            d = paired_x - paired_y
            se = np.std(d, ddof=1) / math.sqrt(len(d))
            mine = t_interval(np.mean(d), se, r.df, level, alt)
            check_interval(mine, [ci.low, ci.high], se)
            tt.append({"kind": "paired", "x": paired_x, "y": paired_y, "alternative": alt, "level": level,
                       "t": r.statistic, "p": r.pvalue, "df": r.df, "ci": mine, "d": np.mean(d) / np.std(d, ddof=1)})
    out["ttest"] = tt

    # Mann-Whitney U
    mw = []
    samples = {
        "exact_small": (np.array([19, 22, 16, 29, 24.0]), np.array([20, 11, 17, 12.0])),
        "exact_7x30": (r3(rng.normal(1, 1, 7)), r3(rng.normal(0, 1, 30))),
        "ties_small": (np.array([1, 2, 2, 3, 4, 4.0]), np.array([2, 3, 5, 5, 6, 7.0])),
        "large": (r3(rng.normal(0.3, 1, 40)), r3(rng.normal(0, 1, 35))),
        "large_ties": (np.round(rng.normal(0.3, 1, 50), 1), np.round(rng.normal(0, 1, 45), 1)),
    }
    for name, (x, y) in samples.items():
        for alt in ALTS:
            for method in ("auto", "asymptotic", "exact"):
                if method == "exact" and name.startswith("large"):
                    continue
                for cont in (True, False):
                    if not cont and method == "exact":
                        continue
                    r = stats.mannwhitneyu(x, y, alternative=alt, method=method, use_continuity=cont)
                    mw.append({"name": name, "x": x, "y": y, "alternative": alt, "method": method, "continuity": cont,
                               "U": r.statistic, "p": r.pvalue})
    out["mannwhitney"] = mw

    # Wilcoxon signed-rank
    wx = []
    d_exact = r3(rng.normal(0.4, 1, 15))
    d_zero = np.array([0.5, -1.2, 0, 2.3, 1.1, 0, -0.4, 3.2, 1.7, -0.9, 2.2, 0.8])
    d_ties = np.array([1, -2, 2, 3, -1, 4, 2, 5, -3, 1, 6, 2.0])
    d_large = r3(rng.normal(0.2, 1, 60))
    for name, d in {"exact": d_exact, "zeros": d_zero, "ties": d_ties, "large": d_large}.items():
        for alt in ALTS:
            for zm in ("wilcox", "pratt", "zsplit"):
                for corr in (False, True):
                    method = "approx" if name in ("zeros", "ties", "large") else "auto"
                    if zm != "wilcox" and name == "exact":
                        continue
                    r = stats.wilcoxon(d, zero_method=zm, correction=corr, alternative=alt, method=method)
                    wx.append({"name": name, "d": d, "alternative": alt, "zeroMethod": zm, "correction": corr,
                               "method": method, "T": r.statistic, "p": r.pvalue})
    # paired form
    r = stats.wilcoxon(paired_x, paired_y)
    wx.append({"name": "paired", "x": paired_x, "y": paired_y, "alternative": "two-sided", "zeroMethod": "wilcox",
               "correction": False, "method": "auto", "T": r.statistic, "p": r.pvalue})
    out["wilcoxon"] = wx

    # Kruskal-Wallis, ANOVA, Levene
    g1 = np.round(rng.normal(0, 1, 12), 1)
    g2 = np.round(rng.normal(0.5, 1.5, 15), 1)
    g3 = np.round(rng.normal(1, 1, 9), 1)
    groups = [g1, g2, g3]
    k = stats.kruskal(*groups)
    f = stats.f_oneway(*groups)
    allv = np.concatenate(groups)
    ssb = sum(len(g) * (g.mean() - allv.mean()) ** 2 for g in groups)
    sst = np.sum((allv - allv.mean()) ** 2)
    out["groups"] = {
        "groups": groups,
        "kruskal": {"H": k.statistic, "p": k.pvalue},
        "anova": {"F": f.statistic, "p": f.pvalue, "eta2": ssb / sst},
        "levene": {c: dict(zip(["W", "p"], stats.levene(*groups, center=c))) for c in ("median", "mean", "trimmed")},
        "leveneTrim20": dict(zip(["W", "p"], stats.levene(*groups, center="trimmed", proportiontocut=0.2))),
    }

    # chi-square and Fisher
    obs = np.array([18, 25, 30, 27])
    exp = np.array([25, 25, 25, 25])
    out["chisquare"] = [
        {"observed": obs, "stat": stats.chisquare(obs).statistic, "p": stats.chisquare(obs).pvalue, "ddof": 0},
        {"observed": obs, "expected": [20, 30, 25, 25], "stat": stats.chisquare(obs, [20, 30, 25, 25]).statistic,
         "p": stats.chisquare(obs, [20, 30, 25, 25]).pvalue, "ddof": 0},
        {"observed": obs, "ddof": 1, "stat": stats.chisquare(obs, ddof=1).statistic, "p": stats.chisquare(obs, ddof=1).pvalue},
        {"observed": obs, "lambda": "log-likelihood", "ddof": 0,
         "stat": stats.power_divergence(obs, lambda_="log-likelihood").statistic,
         "p": stats.power_divergence(obs, lambda_="log-likelihood").pvalue},
    ]
    tables = {"t2x2": [[12, 5], [7, 15]], "t2x3": [[10, 20, 30], [25, 15, 12]], "t3x3": [[5, 9, 12], [8, 4, 10], [12, 6, 3]],
              "t2x2small": [[3, 1], [1, 3]]}
    ct = []
    for name, t in tables.items():
        for corr in (True, False):
            for lam in (None, "log-likelihood"):
                r = stats.chi2_contingency(t, correction=corr, lambda_=lam)
                ct.append({"name": name, "table": t, "correction": corr, "lambda": lam or "pearson",
                           "stat": r[0], "p": r[1], "df": r[2], "expected": np.array(r[3]).ravel(),
                           "cramer": contingency.association(t, method="cramer")})
    out["contingency"] = ct
    fish = []
    # [[12, 12], [10, 14]] and [[9, 7], [5, 7]]: equal row or column totals, so the two-sided p-value
    # must count the mirror-image table as equally likely.
    for t in ([[8, 2], [1, 5]], [[12, 5], [7, 15]], [[0, 5], [6, 4]], [[20, 15], [12, 30]], [[3, 0], [0, 4]], [[2, 7], [8, 2]],
              [[12, 12], [10, 14]], [[9, 7], [5, 7]]):
        for alt in ALTS:
            r = stats.fisher_exact(t, alternative=alt)
            orr = contingency.odds_ratio(t, kind="conditional")
            ci = orr.confidence_interval(0.95, alternative=alt)
            fish.append({"table": t, "alternative": alt, "oddsRatio": r[0], "p": r[1],
                         "conditional": orr.statistic, "ci": [ci.low, ci.high]})
    out["fisher"] = fish

    # Kolmogorov-Smirnov
    ks1 = []
    for n, loc, scale, shift in ((10, 0, 1, 0.3), (30, 2, 3, 0.0), (60, 0, 1, 0.4), (140, 0, 1, 0.05), (500, 1, 2, 0.1), (1000, 0, 1, 0.02)):
        x = r3(rng.normal(loc + shift * scale, scale, n))
        for alt in ALTS:
            for method in ("auto", "exact", "asymp", "approx"):
                if alt != "two-sided" and method != "auto":
                    continue
                r = stats.ks_1samp(x, stats.norm(loc, scale).cdf, alternative=alt, method=method)
                ks1.append({"x": x, "dist": "normal", "loc": loc, "scale": scale, "alternative": alt, "method": method,
                            "D": r.statistic, "p": r.pvalue})
    xu = r3(rng.uniform(0, 2, 25))
    r = stats.ks_1samp(xu, stats.uniform(0, 2).cdf)
    ks1.append({"x": xu, "dist": "uniform", "loc": 0, "scale": 2, "alternative": "two-sided", "method": "auto", "D": r.statistic, "p": r.pvalue})
    xe = r3(rng.exponential(1.5, 40))
    r = stats.ks_1samp(xe, stats.expon(0, 1).cdf)
    ks1.append({"x": xe, "dist": "exponential", "loc": 0, "scale": 1, "alternative": "two-sided", "method": "auto", "D": r.statistic, "p": r.pvalue})
    out["ks1"] = ks1
    ks2 = []
    for n1, n2, shift in ((20, 30, 0.5), (25, 25, 0.6), (8, 12, 1.0), (300, 400, 0.15), (60, 45, 0.0)):
        x = r3(rng.normal(shift, 1, n1))
        y = r3(rng.normal(0, 1, n2))
        for alt in ALTS:
            for method in ("auto", "asymp"):
                r = stats.ks_2samp(x, y, alternative=alt, method=method)
                ks2.append({"x": x, "y": y, "alternative": alt, "method": method, "D": r.statistic, "p": r.pvalue})
    out["ks2"] = ks2

    # Normality
    sw = []
    for n, gen in ((3, "normal"), (5, "normal"), (10, "normal"), (11, "exp"), (12, "normal"), (30, "uniform"),
                   (100, "normal"), (100, "exp"), (1000, "normal")):
        x = r3({"normal": rng.normal(5, 2, n), "exp": rng.exponential(1, n), "uniform": rng.uniform(0, 1, n)}[gen])
        w, p = stats.shapiro(x)
        wd, pd_ = swilk_double(x)
        assert abs(wd - w) / w < 5e-6, (n, w, wd)
        assert abs(pd_ - p) <= 2e-2 * p + 1e-7, (n, p, pd_)
        sw.append({"x": x, "W": w, "p": p, "Wdouble": wd, "pdouble": pd_})
    out["shapiro"] = sw
    ad = []
    for n, gen in ((15, "normal"), (40, "exp"), (200, "normal"), (30, "t")):
        x = r3({"normal": rng.normal(0, 1, n), "exp": rng.exponential(2, n), "t": rng.standard_t(3, n)}[gen])
        for dist in ("norm", "expon"):
            xx = np.abs(x) if dist == "expon" else x
            r = stats.anderson(xx, dist=dist)
            rec = {"x": xx, "dist": "normal" if dist == "norm" else "exponential", "A2": r.statistic,
                   "critical": r.critical_values, "sig": r.significance_level}
            if dist == "norm":
                rec["p"] = normal_ad(xx)[1]
            ad.append(rec)
    out["anderson"] = ad
    nt = []
    for n in (8, 20, 60):
        x = r3(rng.gamma(3, 1, n))
        rec = {"x": x, "normaltest": list(stats.normaltest(x)), "jb": list(stats.jarque_bera(x))}
        for alt in ALTS:
            rec["skew_" + alt] = list(stats.skewtest(x, alternative=alt))
            rec["kurt_" + alt] = list(stats.kurtosistest(x, alternative=alt))
        nt.append(rec)
    out["normtests"] = nt

    # Correlation tests
    cx = r3(rng.normal(0, 1, 25))
    cy = r3(0.4 * cx + rng.normal(0, 1, 25))
    kx = np.array([1, 4, 2, 8, 5, 7, 3, 6, 9, 10, 12, 11.0])
    ky = np.array([2, 3, 1, 7, 6, 8, 4, 5, 10, 9, 11, 12.0])
    tx = np.round(rng.normal(0, 1, 40), 0)
    ty = np.round(tx + rng.normal(0, 1, 40), 0)
    lx = r3(rng.normal(0, 1, 50))
    ly = r3(0.2 * lx + rng.normal(0, 1, 50))
    corr = []
    for name, (x, y) in {"normal25": (cx, cy), "exact12": (kx, ky), "ties40": (tx, ty), "n50": (lx, ly)}.items():
        for alt in ALTS:
            pr = stats.pearsonr(x, y, alternative=alt)
            pci = pr.confidence_interval(0.95)
            sr = stats.spearmanr(x, y, alternative=alt)
            kr = stats.kendalltau(x, y, alternative=alt)
            n = len(x)
            zs = math.atanh(sr.statistic)
            h = special.ndtri(0.975)
            corr.append({"name": name, "x": x, "y": y, "alternative": alt,
                         "pearson": [pr.statistic, pr.pvalue], "pearsonCI": [pci.low, pci.high],
                         "spearman": [sr.statistic, sr.pvalue],
                         "spearmanCI2": [math.tanh(zs - h * math.sqrt(1.06 / (n - 3))), math.tanh(zs + h * math.sqrt(1.06 / (n - 3)))],
                         "kendall": [kr.statistic, kr.pvalue]})
    # Kendall exact vs asymptotic explicitly, n > 33 without ties
    x40 = rng.permutation(40).astype(float)
    y40 = x40 + rng.normal(0, 8, 40)
    for method in ("exact", "asymptotic"):
        kr = stats.kendalltau(x40, y40, method=method)
        corr.append({"name": f"kendall_{method}", "x": x40, "y": r3(y40), "alternative": "two-sided", "kendallMethod": method,
                     "kendall": list(stats.kendalltau(x40, r3(y40), method=method))})
    out["correlation"] = corr

    # Multiple testing
    pv = np.array([0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216, 0.5, 0.9])
    pv = rng.permutation(pv)
    out["multitest"] = {"p": pv, "methods": {m: {"adjusted": multipletests(pv, alpha=0.05, method=m)[1],
                                                 "reject": multipletests(pv, alpha=0.05, method=m)[0].tolist()}
                                             for m in ("bonferroni", "holm", "fdr_bh", "fdr_by")}}
    write("tests.json", dedupe(out))


# ---------------------------------------------------------------------------------------------
# OLS

NIST_LONGLEY = {
    # NIST StRD, Longley (1967): certified values, 15 significant digits.
    "coef": ["-3482258.63459582", "15.0618722713733", "-0.358191792925910E-01", "-2.02022980381683",
             "-1.03322686717359", "-0.511041056535807E-01", "1829.15146461355"],
    "se": ["890420.383607373", "84.9149257747669", "0.334910077722432E-01", "0.488399681651699",
           "0.214274163161675", "0.226073200069370", "455.478499142212"],
    "residualSD": "304.854073561965",
    "rSquared": "0.995479004577296",
    "fStatistic": "330.285339234588",
}


def longley_exact(d):
    cols = ["GNPDEFL", "GNP", "UNEMP", "ARMED", "POP", "YEAR"]
    n = len(d)
    X = [[Fraction(1)] + [Fraction(str(d[c].iloc[i])) for c in cols] for i in range(n)]
    y = [Fraction(str(d["TOTEMP"].iloc[i])) for i in range(n)]
    p = len(X[0])
    # XtX and Xty, then Gauss-Jordan on rationals (exact)
    A = [[sum(X[k][i] * X[k][j] for k in range(n)) for j in range(p)] for i in range(p)]
    b = [sum(X[k][i] * y[k] for k in range(n)) for i in range(p)]
    M = [A[i] + [Fraction(int(i == j)) for j in range(p)] + [b[i]] for i in range(p)]
    for c in range(p):
        piv = next(r for r in range(c, p) if M[r][c] != 0)
        M[c], M[piv] = M[piv], M[c]
        pv = M[c][c]
        M[c] = [v / pv for v in M[c]]
        for r in range(p):
            if r != c and M[r][c] != 0:
                f = M[r][c]
                M[r] = [vr - f * vc for vr, vc in zip(M[r], M[c])]
    inv = [row[p:2 * p] for row in M]
    beta = [row[2 * p] for row in M]
    resid = [y[k] - sum(X[k][j] * beta[j] for j in range(p)) for k in range(n)]
    ssr = sum(e * e for e in resid)
    ybar = sum(y) / n
    sst = sum((v - ybar) ** 2 for v in y)
    s2 = ssr / (n - p)
    getcontext().prec = 50
    dec = lambda fr: Decimal(fr.numerator) / Decimal(fr.denominator)  # noqa: E731
    se = [(dec(s2 * inv[j][j])).sqrt() for j in range(p)]
    r2 = 1 - ssr / sst
    fstat = ((sst - ssr) / (p - 1)) / s2
    # heteroscedasticity-robust standard errors, exactly: (X'X)^-1 X' diag(w) X (X'X)^-1
    lev = [sum(X[k][i] * inv[i][j] * X[k][j] for i in range(p) for j in range(p)) for k in range(n)]
    hc = {}
    for kind in ("HC0", "HC1", "HC2", "HC3"):
        w = [resid[k] ** 2 / ((1 - lev[k]) ** {"HC0": 0, "HC1": 0, "HC2": 1, "HC3": 2}[kind]) for k in range(n)]
        meat = [[sum(X[k][i] * w[k] * X[k][j] for k in range(n)) for j in range(p)] for i in range(p)]
        t1 = [[sum(inv[i][a] * meat[a][j] for a in range(p)) for j in range(p)] for i in range(p)]
        cov = [[sum(t1[i][a] * inv[a][j] for a in range(p)) for j in range(p)] for i in range(p)]
        scale = Fraction(n, n - p) if kind == "HC1" else Fraction(1)
        hc[kind] = [format((dec(cov[j][j] * scale)).sqrt(), ".25g") for j in range(p)]
    exact = {
        "hc": hc,
        "coef": [format(dec(v), ".25g") for v in beta],
        "se": [format(v, ".25g") for v in se],
        "residualSD": format(dec(s2).sqrt(), ".25g"),
        "rSquared": format(dec(r2), ".25g"),
        "fStatistic": format(dec(fstat), ".25g"),
    }
    # The recomputation reproduces NIST's certified digits.
    for key in ("coef", "se"):
        for mine, cert in zip(exact[key], NIST_LONGLEY[key]):
            assert abs(Decimal(mine) - Decimal(cert)) <= abs(Decimal(cert)) * Decimal("1e-14"), (key, mine, cert)
    for key in ("residualSD", "rSquared", "fStatistic"):
        assert abs(Decimal(exact[key]) - Decimal(NIST_LONGLEY[key])) <= abs(Decimal(NIST_LONGLEY[key])) * Decimal("1e-14"), key
    return exact


def ols_record(formula, data, cov_types=("nonrobust", "HC0", "HC1", "HC2", "HC3")):
    rec = {"formula": formula}
    for ct in cov_types:
        m = smf.ols(formula, data).fit(cov_type=ct)
        ci = np.asarray(m.conf_int(0.05))
        ci90 = np.asarray(m.conf_int(0.10))
        if m.use_t:  # recompute with the exact t quantile (see tppf), after checking against statsmodels
            for arr, a in ((ci, 0.05), (ci90, 0.10)):
                q = tppf(1 - a / 2, m.df_resid)
                exact = np.column_stack([m.params - q * m.bse, m.params + q * m.bse])
                assert np.all(np.abs(exact - arr) <= 1e-7 * np.asarray(m.bse)[:, None])
                arr[:] = exact
        rec[ct] = {
            "bse": m.bse.values, "t": m.tvalues.values, "p": m.pvalues.values, "ci": ci.ravel(), "ci90": ci90.ravel(),
            "f": m.fvalue, "fp": m.f_pvalue, "useT": bool(m.use_t),
        }
    m = smf.ols(formula, data).fit()
    exog = m.model.exog
    resid = m.resid.values
    jb = jarque_bera(resid)
    omni = omni_normtest(resid)
    bp = het_breuschpagan(resid, exog) if exog.shape[1] > 1 else [None] * 4
    names = m.model.exog_names
    vif = {names[j]: variance_inflation_factor(exog, j) for j in range(exog.shape[1]) if names[j] != "Intercept" and exog.shape[1] > 1}
    rec.update({
        "names": names, "params": m.params.values, "nobs": m.nobs, "dfModel": m.df_model, "dfResid": m.df_resid,
        "kConstant": m.k_constant, "r2": m.rsquared, "adjR2": m.rsquared_adj, "llf": m.llf, "aic": m.aic, "bic": m.bic,
        "ssr": m.ssr, "ess": m.ess, "scale": m.scale, "cond": m.condition_number, "minEig": m.eigenvals[-1],
        "dw": durbin_watson(resid), "jb": jb[0], "jbp": jb[1], "skew": jb[2], "kurtosis": jb[3],
        "omnibus": omni[0], "omnibusP": omni[1], "bp": list(bp), "vif": vif,
        "cov": np.asarray(m.cov_params()).ravel(), "fitted": m.fittedvalues.values, "rows": [int(i) for i in m.model.data.row_labels],
    })
    return rec


def ols():
    longley = sm.datasets.longley.load_pandas().data
    n = 60
    g = rng.choice(["a", "b", "c"], n)
    h = rng.choice(["u", "v"], n)
    x1 = r3(rng.normal(0, 1, n))
    x2 = r3(rng.uniform(1, 5, n))
    y = r3(1 + 2 * x1 - 0.5 * x2 + (g == "b") * 1.5 - (g == "c") + 0.8 * x1 * x2 + rng.normal(0, 1 + 0.5 * np.abs(x1), n))
    y = y.astype(float)
    x1m = x1.astype(float).copy()
    x1m[[3, 17]] = np.nan
    gm = g.astype(object).copy()
    gm[[8]] = None
    df = pd.DataFrame({"y": y, "x1": x1, "x2": x2, "g": g, "h": h, "x1m": x1m, "gm": gm, "n": rng.integers(1, 4, n).astype(float)})
    frame = {c: [None if (isinstance(v, float) and math.isnan(v)) else v for v in df[c].tolist()] for c in df.columns}
    cases = [ols_record(f, df) for f in [
        "y ~ x1 + x2",
        "y ~ x1 + x2 + C(g) + x1:x2",
        "y ~ x1*x2 + g",
        "y ~ C(g) + C(h) + C(g):C(h)",
        "y ~ x1:C(g)",
        "y ~ x1 + x2 - 1",
        "y ~ C(g) - 1",
        "y ~ C(g, Treatment('b')) + np.log(x2) + I(x1 ** 2)",
        "y ~ x1m + gm + x2",
        "y ~ C(n) + x1",
        "y ~ (x1 + x2 + g)**2",
    ]]
    long_rec = ols_record("TOTEMP ~ GNPDEFL + GNP + UNEMP + ARMED + POP + YEAR", longley)
    write("ols.json", {
        "frame": frame,
        "cases": cases,
        "longley": {"data": {c: longley[c].tolist() for c in longley.columns}, "statsmodels": long_rec,
                    "certified": NIST_LONGLEY, "exact": longley_exact(longley)},
    })


# ---------------------------------------------------------------------------------------------
# Logistic regression


def logit():
    spector = sm.datasets.spector.load_pandas().data
    n = 120
    x1 = r3(rng.normal(0, 1, n))
    x2 = r3(rng.normal(0, 1, n))
    g = rng.choice(["p", "q", "r"], n)
    eta = -0.3 + 1.2 * x1 - 0.7 * x2 + (g == "q") * 0.8
    yy = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(float)
    df = pd.DataFrame({"y": yy, "x1": x1, "x2": x2, "g": g, "label": np.where(yy == 1, "yes", "no")})
    cases = []
    for formula, data in (("GRADE ~ GPA + TUCE + PSI", spector), ("y ~ x1 + x2 + C(g)", df), ("y ~ x1 * x2", df)):
        m = smf.logit(formula, data).fit(disp=0, method="newton", tol=1e-12, maxiter=100)
        cases.append({
            "formula": formula, "data": {c: data[c].tolist() for c in data.columns},
            "names": m.model.exog_names, "params": m.params.values, "bse": m.bse.values, "z": m.tvalues.values,
            "p": m.pvalues.values, "ci": np.asarray(m.conf_int()).ravel(), "oddsCI": np.exp(np.asarray(m.conf_int())).ravel(),
            "llf": m.llf, "llnull": m.llnull, "llr": m.llr, "llrp": m.llr_pvalue, "prsq": m.prsquared, "aic": m.aic, "bic": m.bic,
            "dfModel": m.df_model, "dfResid": m.df_resid, "cov": np.asarray(m.cov_params()).ravel(),
        })
    write("logit.json", {"cases": cases})


# ---------------------------------------------------------------------------------------------
# Resampling


def resampling():
    x = r3(rng.lognormal(0, 0.8, 30))
    y = r3(rng.lognormal(0.3, 0.8, 24))
    B = 999
    cases = []
    stat_fns = {
        "mean": lambda *s, axis=-1: np.mean(s[0], axis=axis),
        "std": lambda *s, axis=-1: np.std(s[0], ddof=1, axis=axis),
        "diffmeans": lambda *s, axis=-1: np.mean(s[0], axis=axis) - np.mean(s[1], axis=axis),
    }
    for name, fn in stat_fns.items():
        data = (x,) if name != "diffmeans" else (x, y)
        boot = []
        for _ in range(B):
            res = [d[rng.integers(0, len(d), len(d))] for d in data]
            boot.append(fn(*res))
        boot = np.array(boot)
        est = fn(*data)
        rec = {"name": name, "data": list(data), "estimate": est, "bootstrap": boot}
        for level in (0.95, 0.9):
            a = (1 - level) / 2
            a1, a2, ahat = _bca_interval(data, fn, axis=-1, alpha=a, theta_hat_b=boot[None, :] if False else boot, batch=None)
            rec[f"bca{int(level * 100)}"] = [np.percentile(boot, a1 * 100), np.percentile(boot, a2 * 100), float(ahat)]
            rec[f"percentile{int(level * 100)}"] = [np.percentile(boot, a * 100), np.percentile(boot, (1 - a) * 100)]
            lo, hi = rec[f"percentile{int(level * 100)}"]
            rec[f"basic{int(level * 100)}"] = [2 * est - hi, 2 * est - lo]
        rec["se"] = np.std(boot, ddof=1)
        cases.append(rec)
    # exact permutation tests
    px = np.array([3.1, 4.7, 2.2, 5.9, 4.4, 3.8])
    py = np.array([2.0, 1.7, 3.3, 2.9, 1.1])
    pz = np.array([1.5, 2.6, 0.9, 3.7])
    perms = []

    def dm(a, b, axis=-1):
        return np.mean(a, axis=axis) - np.mean(b, axis=axis)

    def fstat(*s, axis=-1):
        return stats.f_oneway(*s, axis=axis).statistic

    def mean1(a, axis=-1):
        return np.mean(a, axis=axis)

    def corr(a, b, axis=-1):
        return stats.pearsonr(a, b)[0] if a.ndim == 1 else np.array([stats.pearsonr(ai, bi)[0] for ai, bi in zip(a, b)])

    for alt in ALTS:
        r = stats.permutation_test((px, py), dm, permutation_type="independent", alternative=alt, vectorized=True)
        perms.append({"type": "independent", "stat": "diffmeans", "data": [px, py], "alternative": alt, "statistic": r.statistic, "p": r.pvalue})
        r = stats.permutation_test((px[:5], py), dm, permutation_type="samples", alternative=alt, vectorized=True)
        perms.append({"type": "samples", "stat": "diffmeans", "data": [px[:5], py], "alternative": alt, "statistic": r.statistic, "p": r.pvalue})
        r = stats.permutation_test((px - 3.5,), mean1, permutation_type="samples", alternative=alt, vectorized=True)
        perms.append({"type": "samples", "stat": "mean", "data": [px - 3.5], "alternative": alt, "statistic": r.statistic, "p": r.pvalue})
        r = stats.permutation_test((px[:5], py), corr, permutation_type="pairings", alternative=alt, vectorized=False, n_resamples=20000)
        perms.append({"type": "pairings", "stat": "pearson", "data": [px[:5], py], "alternative": alt, "statistic": r.statistic, "p": r.pvalue,
                      "nResamples": 20000})
    # 10!/(4!3!3!) = 4200 arrangements: enumerated exactly
    g3 = (px[:4], py[:3], pz[:3])
    r = stats.permutation_test(g3, fstat, permutation_type="independent", alternative="greater", vectorized=True)
    perms.append({"type": "independent", "stat": "anovaF", "data": list(g3), "alternative": "greater", "statistic": r.statistic, "p": r.pvalue})
    write("resampling.json", {"bootstrap": cases, "permutation": perms})


# ---------------------------------------------------------------------------------------------
# Model comparison


def delong_reference(y, sa, sb):
    """Fast DeLong (Sun & Xu 2014), written independently with NumPy/SciPy ranks."""
    y = np.asarray(y)
    order = np.argsort(-y, kind="mergesort")
    m = int(y.sum())
    preds = np.vstack([np.asarray(sa)[order], np.asarray(sb)[order]])
    pos, neg = preds[:, :m], preds[:, m:]
    n = neg.shape[1]
    tx = np.vstack([stats.rankdata(r) for r in pos])
    ty = np.vstack([stats.rankdata(r) for r in neg])
    tz = np.vstack([stats.rankdata(r) for r in preds])
    aucs = tz[:, :m].sum(axis=1) / m / n - (m + 1.0) / 2.0 / n
    v01 = (tz[:, :m] - tx) / n
    v10 = 1.0 - (tz[:, m:] - ty) / m
    cov = np.cov(v01) / m + np.cov(v10) / n
    var = cov[0, 0] + cov[1, 1] - 2 * cov[0, 1]
    z = (aucs[0] - aucs[1]) / math.sqrt(var)
    return aucs, cov, z


def compare():
    k = 10
    a = r3(rng.normal(0.82, 0.02, k))
    b = r3(a - rng.normal(0.01, 0.015, k))
    n_train, n_test = 900, 100
    d = a - b
    out = {"nadeau": []}
    for alt in ALTS:
        corr = (1 / k + n_test / n_train) * np.var(d, ddof=1)
        t = np.mean(d) / math.sqrt(corr)
        p = {"two-sided": 2 * stats.t.sf(abs(t), k - 1), "less": stats.t.cdf(t, k - 1), "greater": stats.t.sf(t, k - 1)}[alt]
        q = stats.t.ppf(0.975, k - 1)
        out["nadeau"].append({"a": a, "b": b, "nTrain": n_train, "nTest": n_test, "alternative": alt, "t": t, "p": p,
                              "ci95": [np.mean(d) - q * math.sqrt(corr), np.mean(d) + q * math.sqrt(corr)]})
    a52 = r3(rng.normal(0.8, 0.03, (5, 2)))
    b52 = r3(a52 - rng.normal(0.015, 0.02, (5, 2)))
    dd = a52 - b52
    s2 = ((dd - dd.mean(axis=1, keepdims=True)) ** 2).sum(axis=1)
    t52 = dd[0, 0] / math.sqrt(s2.sum() / 5)
    f52 = (dd**2).sum() / (2 * s2.sum())
    out["fiveByTwo"] = {"a": a52, "b": b52, "t": t52, "p": 2 * stats.t.sf(abs(t52), 5), "f": f52, "fp": stats.f.sf(f52, 10, 5)}
    n = 200
    yt = rng.integers(0, 2, n)
    pa = np.where(rng.random(n) < 0.85, yt, 1 - yt)
    pb = np.where(rng.random(n) < 0.78, yt, 1 - yt)
    mc = []
    for exact, corr in ((True, True), (False, True), (False, False)):
        both = np.sum((pa == yt) & (pb == yt))
        oa = np.sum((pa == yt) & (pb != yt))
        ob = np.sum((pa != yt) & (pb == yt))
        ne = np.sum((pa != yt) & (pb != yt))
        r = mcnemar([[both, oa], [ob, ne]], exact=exact, correction=corr)
        mc.append({"exact": exact, "correction": corr, "stat": r.statistic, "p": r.pvalue})
    out["mcnemar"] = {"yTrue": yt, "predA": pa, "predB": pb, "cases": mc}
    n = 150
    yd = rng.integers(0, 2, n)
    sa = r3(yd * 0.9 + rng.normal(0, 0.6, n))
    sb = r3(yd * 0.6 + rng.normal(0, 0.6, n))
    sb[:10] = np.round(sb[:10], 1)  # some ties
    aucs, cov, z = delong_reference(yd, sa, sb)
    assert abs(aucs[0] - roc_auc_score(yd, sa)) < 1e-12 and abs(aucs[1] - roc_auc_score(yd, sb)) < 1e-12
    se = math.sqrt(cov[0, 0] + cov[1, 1] - 2 * cov[0, 1])
    q = special.ndtri(0.975)
    out["delong"] = {"yTrue": yd, "a": sa, "b": sb, "aucA": aucs[0], "aucB": aucs[1], "varA": cov[0, 0], "varB": cov[1, 1],
                     "cov": cov[0, 1], "z": z, "p": 2 * stats.norm.sf(abs(z)),
                     "ci": [aucs[0] - aucs[1] - q * se, aucs[0] - aucs[1] + q * se]}
    write("compare.json", out)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    descriptive()
    tests()
    ols()
    logit()
    resampling()
    compare()
