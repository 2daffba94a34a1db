#!/usr/bin/python3
"""One SciPy/statsmodels run for bench/stats.ts: time each job once on the data written by
bench/stats.ts and print one JSON line {job: {"seconds": s, "value": v}}.

Usage: stats-anchor.py <data prefix> <rows> <model rows>   (OMP_NUM_THREADS set by the caller)
"""
import gc
import json
import sys
import time
import warnings

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from scipy import stats
from statsmodels.stats.diagnostic import het_breuschpagan
from statsmodels.stats.outliers_influence import variance_inflation_factor

warnings.simplefilter("ignore")


def main():
    prefix, n, m = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    x = np.fromfile(prefix + ".x.f64", dtype="<f8")
    y = np.fromfile(prefix + ".y.f64", dtype="<f8")
    half = n // 2
    df = pd.DataFrame({
        "y": np.fromfile(prefix + ".ry.f64", dtype="<f8"),
        "x1": np.fromfile(prefix + ".x1.f64", dtype="<f8"),
        "x2": np.fromfile(prefix + ".x2.f64", dtype="<f8"),
        "x3": np.fromfile(prefix + ".x3.f64", dtype="<f8"),
        "g": np.array(["a", "b", "c", "d"])[np.fromfile(prefix + ".g.f64", dtype="<f8").astype(int)],
        "yb": np.fromfile(prefix + ".yb.f64", dtype="<f8"),
    })
    small = x[:1000]

    def ols():
        r = smf.ols("y ~ x1 + x2 + x3 + C(g) + x1:x2", df).fit()
        r.summary()  # coefficients, tests, intervals, Durbin-Watson, omnibus, Jarque-Bera, condition number
        het_breuschpagan(r.resid, r.model.exog)
        for j in range(1, r.model.exog.shape[1]):
            variance_inflation_factor(r.model.exog, j)
        return r.rsquared

    def logit():
        r = smf.logit("yb ~ x1 + x2 + x3 + C(g)", df).fit(disp=0)
        r.summary()
        return r.llf

    jobs = {
        "describe": lambda: (stats.describe(x), np.percentile(x, [25, 50, 75]), stats.median_abs_deviation(x), stats.trim_mean(x, 0.1))[0].mean,
        "welch t-test": lambda: stats.ttest_ind(x[:half], y[half:], equal_var=False).statistic,
        "mann-whitney": lambda: stats.mannwhitneyu(x[:half], y[half:]).statistic,
        "spearman": lambda: stats.spearmanr(x, y).statistic,
        "kendall": lambda: stats.kendalltau(x[:m], y[:m]).statistic,
        "ks two-sample": lambda: stats.ks_2samp(x[:half], y[half:]).statistic,
        "shapiro (5000)": lambda: float(stats.shapiro(x[:5000]).statistic),
        "ols + diagnostics": ols,
        "logit": logit,
        "bootstrap BCa (1000 rows, 9999)": lambda: stats.bootstrap((small,), np.mean, method="BCa", random_state=1).confidence_interval.low,
    }
    out = {}
    for name, job in jobs.items():
        if name not in ("ols + diagnostics", "logit", "bootstrap BCa (1000 rows, 9999)"):
            job()  # warm-up (the slow jobs are not repeated)
        gc.collect()
        t0 = time.process_time()  # CPU time, as the Lathe side measures it
        value = job()
        out[name] = {"seconds": time.process_time() - t0, "value": float(value)}
    print(json.dumps(out))


main()
