#!/usr/bin/python3
"""One scikit-learn run for bench/forest.ts: fit RandomForestClassifier (100 trees, n_jobs=threads)
or DecisionTreeClassifier on a dataset written by bench/forest-data.ts, predict the test rows three
times (the first call is the cold one), and print one JSON line with the fit time, the prediction
throughput of the cold call and of the faster warm one, the process CPU time (all threads) of each,
the test accuracy and the peak RSS after fit and at the end.

Usage: forest-anchor.py <forest|tree> <data prefix> <threads> [rows] [offset] [columns]   (OMP_NUM_THREADS set by the caller)
"""
import json
import os
import resource
import sys
import time

import numpy as np


def main():
    what, prefix, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(prefix + ".json") as f:
        head = json.load(f)
    n, d = head["rows"], head["cols"]
    X = np.fromfile(prefix + ".X.f64", dtype="<f8").reshape(n, d)
    y = np.fromfile(prefix + ".y.f64", dtype="<f8")
    ntr = head["trainRows"]
    # An optional row limit takes that many rows (80% train / 20% test), from row `offset`.
    off = int(sys.argv[5]) if len(sys.argv) > 5 else 0
    if len(sys.argv) > 4:
        n = min(int(sys.argv[4]), n - off)
        ntr = int(n * 0.8)
    # BENCH_HOLDOUT=start:end — rows also scored after the timed calls (bench/forest.ts, one tree).
    ho = os.environ.get("BENCH_HOLDOUT")
    Xho, yho = None, None
    if ho:
        h0, h1 = (int(v) for v in ho.split(":"))
        Xho, yho = X[h0:h1], y[h0:h1]
    X, y = X[off:off + n], y[off:off + n]
    # An optional column order (comma-separated indices), applied before anything is timed.
    if len(sys.argv) > 6:
        order = [int(c) for c in sys.argv[6].split(",")]
        X = np.ascontiguousarray(X[:, order])
        if Xho is not None:
            Xho = np.ascontiguousarray(Xho[:, order])
    Xtr, ytr, Xte, yte = X[:ntr], y[:ntr], X[ntr:n], y[ntr:n]
    if what == "forest":
        from sklearn.ensemble import RandomForestClassifier

        est = RandomForestClassifier(n_estimators=100, n_jobs=threads, random_state=0)
    else:
        from sklearn.tree import DecisionTreeClassifier

        # ml-cart's stopping rule (a node of <= 3 rows is a leaf), as the Lathe side.
        est = DecisionTreeClassifier(random_state=0, min_samples_split=4)
    t0, c0 = time.perf_counter(), time.process_time()
    est.fit(Xtr, ytr)
    fit, fit_cpu = time.perf_counter() - t0, time.process_time() - c0
    peak_after_fit = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0, c0 = time.perf_counter(), time.process_time()
    p = est.predict(Xte)
    pred, pred_cpu = time.perf_counter() - t0, time.process_time() - c0
    warm = []
    for _ in range(2):
        t0, c0 = time.perf_counter(), time.process_time()
        est.predict(Xte)
        warm.append((time.perf_counter() - t0, time.process_time() - c0))
    best = min(warm)
    print(json.dumps({
        "fit": fit,
        "fitCpu": fit_cpu,
        "predictRowsPerSec": len(yte) / pred,
        "predictCpu": pred_cpu,
        "predictWarmRowsPerSec": len(yte) / best[0],
        "predictWarmCpu": best[1],
        "accuracy": float(np.mean(p == yte)),
        "holdoutAccuracy": None if Xho is None else float(np.mean(est.predict(Xho) == yho)),
        "peakRssAfterFitMB": peak_after_fit,
        "peakRssMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


if __name__ == "__main__":
    main()
