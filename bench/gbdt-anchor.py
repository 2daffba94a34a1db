#!/usr/bin/python3
"""One anchor run for bench/gbdt.ts: fit scikit-learn's HistGradientBoostingClassifier or XGBoost
(hist, lossguide, 31 leaves) on a dataset written by bench/gbdt.ts, and print one JSON line with
the fit time, the prediction throughput, the test AUC and the peak RSS.

Usage: gbdt-anchor.py sklearn|xgboost <data prefix> <threads>   (OMP_NUM_THREADS set by the caller)
"""
import json
import resource
import sys
import time

import numpy as np


def main():
    lib, prefix, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(prefix + ".json") as f:
        head = json.load(f)
    n, d = head["rows"], head["cols"]
    X = np.fromfile(prefix + ".X.f64", dtype="<f8").reshape(n, d)
    y = np.fromfile(prefix + ".y.f64", dtype="<f8")
    ntr = head["trainRows"]
    cat = head["categorical"]
    Xtr, ytr, Xte, yte = X[:ntr], y[:ntr], X[ntr:], y[ntr:]
    from sklearn.metrics import roc_auc_score

    if lib == "sklearn":
        from sklearn.ensemble import HistGradientBoostingClassifier

        if cat:
            # scikit-learn takes at most 255 categories: give it the same lumped codes Lathe's
            # fallback uses (most frequent 254 kept, the rest in one bin), computed outside the timing.
            for j in cat:
                col = X[:, j].astype(np.int64)
                counts = np.bincount(col[:ntr])
                order = sorted(np.flatnonzero(counts), key=lambda c: (-counts[c], c))
                kept = sorted(order[:254])
                remap = np.full(max(col.max() + 1, len(counts)), 254, dtype=np.int64)
                remap[kept] = np.arange(len(kept))
                X[:, j] = remap[col]
            Xtr, Xte = X[:ntr], X[ntr:]
        est = HistGradientBoostingClassifier(
            max_iter=100, learning_rate=0.1, max_leaf_nodes=31, max_bins=255, early_stopping=False,
            categorical_features=cat or None, random_state=0)
    else:
        import xgboost as xgb

        kw = {}
        if cat:
            kw = dict(enable_categorical=True, max_cat_to_onehot=1,
                      feature_types=["c" if j in cat else "q" for j in range(d)])
        est = xgb.XGBClassifier(
            n_estimators=100, learning_rate=0.1, tree_method="hist", grow_policy="lossguide", max_leaves=31,
            max_depth=0, max_bin=256, n_jobs=threads, min_child_weight=1e-3, **kw)
    t0 = time.perf_counter()
    c0 = resource.getrusage(resource.RUSAGE_SELF)
    est.fit(Xtr, ytr)
    fit = time.perf_counter() - t0
    c1 = resource.getrusage(resource.RUSAGE_SELF)
    fit_cpu = (c1.ru_utime - c0.ru_utime) + (c1.ru_stime - c0.ru_stime)
    t0 = time.perf_counter()
    c0 = resource.getrusage(resource.RUSAGE_SELF)
    p = est.predict_proba(Xte)[:, 1]
    pred = time.perf_counter() - t0
    c1 = resource.getrusage(resource.RUSAGE_SELF)
    pred_cpu = (c1.ru_utime - c0.ru_utime) + (c1.ru_stime - c0.ru_stime)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(dict(fit=fit, fitCpu=fit_cpu, predictRowsPerSec=len(yte) / pred, predictRowsPerCpuSec=len(yte) / pred_cpu, auc=roc_auc_score(yte, p), peakRssMB=rss)))


if __name__ == "__main__":
    main()
