#!/usr/bin/python3
"""Oracle for Lathe's model selection and search (test/select).

Sections (each writes one JSON file under test/fixtures/select/):

- splitters.json: scikit-learn 1.2's KFold, StratifiedKFold, GroupKFold and TimeSeriesSplit
  folds (unshuffled, so they are deterministic) on small fixed inputs, index for index; the
  train/test sizes of train_test_split (_validate_shuffle_split).
- cv.json: cross_validate / cross_val_predict / learning_curve / validation_curve scores of
  deterministic estimators (Ridge, LogisticRegression, KNeighborsClassifier,
  DecisionTreeRegressor) with named scorers on fixed data and unshuffled folds.
- parzen.json: Optuna 3.1's TPE internals on fixed observations: the Parzen estimator's weights,
  mus and sigmas, its log-density at fixed points (float, log-float, int, log-int, stepped float
  and categorical distributions), the truncated-normal ppf/logpdf, gamma and the observation
  weights, and the below/above split of a history with pruned trials.
- pruners.json: Optuna 3.1's MedianPruner / PercentilePruner and SuccessiveHalvingPruner
  decisions on scripted studies (trials added with given intermediate values).
- fanova.json: Optuna 3.1's fANOVA tree computations (total variance and the marginal variance of
  each feature) on trees of a scikit-learn RandomForestRegressor, with the trees' structure so
  Lathe can evaluate the same trees.

Run: OMP_NUM_THREADS=1 /usr/bin/python3 scripts/oracles/select.py
"""
import json
import math
import os
import warnings

import numpy as np
import sklearn
from sklearn.model_selection import (
    GroupKFold,
    KFold,
    StratifiedKFold,
    TimeSeriesSplit,
)

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "select")
os.makedirs(OUT, exist_ok=True)


def write(name, obj):
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        json.dump(obj, f, separators=(",", ":"))
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


def num(v):
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def nums(a):
    return [num(v) for v in np.asarray(a, dtype=float).ravel()]


def folds(splitter, X, y=None, groups=None):
    return [
        {"train": train.tolist(), "test": test.tolist()}
        for train, test in splitter.split(X, y, groups)
    ]


def splitters():
    rng = np.random.RandomState(0)
    cases = []
    for n in [7, 10, 23]:
        X = np.zeros((n, 1))
        for k in [2, 3, 5]:
            if k <= n:
                cases.append({"kind": "KFold", "n": n, "nSplits": k, "folds": folds(KFold(k), X)})
    # Stratified: imbalanced, string labels, labels in an order that differs from sorted order.
    strat = [
        ["b", "a", "a", "b", "c", "a", "c", "a", "b", "a", "a", "c", "b", "a", "a"],
        [1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 0, 1],
        rng.randint(0, 4, size=40).tolist(),
        (["x"] * 3 + ["y"] * 9 + ["z"] * 5) * 2,
    ]
    for y in strat:
        X = np.zeros((len(y), 1))
        for k in [2, 3]:
            cases.append(
                {"kind": "StratifiedKFold", "n": len(y), "nSplits": k, "y": y,
                 "folds": folds(StratifiedKFold(k), X, y)}
            )
    # Groups: distinct sizes (so the greedy order has no ties) and a few ties among <= 16 groups
    # (NumPy's argsort is an insertion sort there, i.e. stable).
    group_sets = [
        [0] * 5 + [1] * 2 + [2] * 7 + [3] * 1 + [4] * 3 + [5] * 4,
        ["u", "v", "v", "w", "w", "w", "x", "x", "y", "y", "y", "y", "z", "u", "x"],
        [3, 3, 1, 1, 2, 2, 4, 5, 5, 6, 6, 6, 7, 7],
    ]
    for g in group_sets:
        X = np.zeros((len(g), 1))
        for k in [2, 3]:
            cases.append(
                {"kind": "GroupKFold", "n": len(g), "nSplits": k, "groups": g,
                 "folds": folds(GroupKFold(k), X, None, g)}
            )
    for n, opts in [
        (12, {}),
        (20, {"n_splits": 3}),
        (20, {"n_splits": 3, "gap": 2}),
        (20, {"n_splits": 4, "test_size": 3}),
        (25, {"n_splits": 3, "max_train_size": 5}),
        (30, {"n_splits": 5, "test_size": 2, "gap": 3, "max_train_size": 8}),
    ]:
        X = np.zeros((n, 1))
        tss = TimeSeriesSplit(**opts)
        cases.append(
            {"kind": "TimeSeriesSplit", "n": n,
             "options": {"nSplits": opts.get("n_splits", 5), "testSize": opts.get("test_size"),
                         "gap": opts.get("gap", 0), "maxTrainSize": opts.get("max_train_size")},
             "folds": folds(tss, X)}
        )
    from sklearn.model_selection._split import _validate_shuffle_split

    sizes = []
    for n, test, train in [
        (10, None, None), (10, 0.3, None), (10, None, 0.6), (11, 0.33, 0.5), (100, 7, None),
        (100, None, 13), (100, 0.2, 30), (7, 0.1, None), (13, 0.25, None), (1000, 0.123, None),
    ]:
        n_train, n_test = _validate_shuffle_split(n, test, train, default_test_size=0.25)
        sizes.append({"n": n, "testSize": test, "trainSize": train, "nTrain": int(n_train),
                      "nTest": int(n_test)})
    write("splitters.json", {"sklearn": sklearn.__version__, "cases": cases, "sizes": sizes})


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    splitters()
