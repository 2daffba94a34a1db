#!/usr/bin/python3
"""One scikit-learn run for bench/metrics.ts: time each metric once on the data written by
bench/metrics.ts and print one JSON line {metric: {"seconds": s, "value": v}}.

Usage: metrics-anchor.py <data prefix> <rows> <classes>   (OMP_NUM_THREADS set by the caller)
"""
import json
import sys
import time

import numpy as np
from sklearn import metrics as M


def main():
    prefix, n, k = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    y = np.fromfile(prefix + ".y.f64", dtype="<f8")
    score = np.fromfile(prefix + ".score.f64", dtype="<f8")
    pred = np.fromfile(prefix + ".pred.f64", dtype="<f8")
    ymc = np.fromfile(prefix + ".ymc.f64", dtype="<f8")
    proba = np.fromfile(prefix + ".proba.f64", dtype="<f8").reshape(n, k)
    jobs = {
        "rocAucScore": lambda: M.roc_auc_score(y, score),
        "averagePrecisionScore": lambda: M.average_precision_score(y, score),
        "rocCurve": lambda: len(M.roc_curve(y, score)[0]),
        "f1Score": lambda: M.f1_score(y, pred),
        "accuracyScore": lambda: M.accuracy_score(y, pred),
        "logLoss": lambda: M.log_loss(y, score),
        "rocAucScore ovr (k classes)": lambda: M.roc_auc_score(ymc, proba, multi_class="ovr"),
    }
    out = {}
    for name, job in jobs.items():
        job()  # warm-up (lazy imports, caches)
        t0 = time.perf_counter()
        value = job()
        out[name] = {"seconds": time.perf_counter() - t0, "value": float(value)}
    print(json.dumps(out))


main()
