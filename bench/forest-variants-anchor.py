#!/usr/bin/python3
"""scikit-learn's side of bench/forest-variants.ts: fits a forest variant `fits` times on the digits
data and prints {"fits": [seconds, ...]}.

Usage: forest-variants-anchor.py <variant> <data prefix> <fits> <threads>
"""
import json
import sys
import time

import numpy as np
from sklearn.ensemble import (ExtraTreesClassifier, ExtraTreesRegressor, RandomForestClassifier,
                              RandomForestRegressor)


def main():
    variant, prefix, n_fits, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    with open(prefix + ".json") as f:
        head = json.load(f)
    X = np.fromfile(prefix + ".X.f64", dtype="<f8").reshape(head["rows"], head["cols"])
    y = np.fromfile(prefix + ".y.f64", dtype="<f8")
    ntr = head["trainRows"]
    Xtr, ytr = X[:ntr], y[:ntr]
    base = dict(n_estimators=100, n_jobs=threads, random_state=0)
    make = {
        "rf-gini": lambda: RandomForestClassifier(**base),
        "rf-entropy": lambda: RandomForestClassifier(criterion="entropy", **base),
        "rf-all": lambda: RandomForestClassifier(max_features=None, **base),
        "rf-reg": lambda: RandomForestRegressor(**base),
        "et": lambda: ExtraTreesClassifier(**base),
        "et-reg": lambda: ExtraTreesRegressor(**base),
    }[variant]
    fits = []
    for _ in range(n_fits):
        est = make()
        t0 = time.perf_counter()
        est.fit(Xtr, ytr)
        fits.append(time.perf_counter() - t0)
    print(json.dumps({"fits": fits}))


if __name__ == "__main__":
    main()
