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


def cv_section():
    from sklearn.datasets import load_breast_cancer, load_iris
    from sklearn.linear_model import LogisticRegression, Ridge
    from sklearn.model_selection import (
        cross_val_predict,
        cross_validate,
        learning_curve,
        validation_curve,
    )
    from sklearn.neighbors import KNeighborsClassifier

    rng = np.random.RandomState(3)
    # Regression: a linear signal with noise; values rounded so JSON holds them exactly.
    Xr = np.round(rng.normal(size=(60, 4)), 6)
    yr = np.round(Xr @ np.array([1.5, -2.0, 0.5, 0.0]) + 3 + rng.normal(scale=0.7, size=60), 6)
    # Multiclass: iris, 90 rows (every other row, then every third of the rest).
    iris = load_iris()
    idx = np.arange(0, 150, 5).tolist() + np.arange(1, 150, 5).tolist() + np.arange(2, 150, 5).tolist()
    idx = np.sort(idx)
    Xm, ym = iris.data[idx], iris.target[idx]
    # Binary: breast cancer, 150 rows, 5 standardised features, 0/1 labels (scikit-learn's
    # binary scorers take pos_label=1; Lathe's take the second sorted class, the same here).
    bc = load_breast_cancer()
    bidx = np.sort(np.random.RandomState(1).permutation(len(bc.target))[:150])
    Xb = bc.data[bidx][:, [0, 1, 4, 7, 20]]
    Xb = np.round((Xb - Xb.mean(0)) / Xb.std(0), 6)
    yb = bc.target[bidx]

    reg_scoring = ["r2", "explained_variance", "neg_mean_absolute_error", "neg_mean_squared_error",
                   "neg_root_mean_squared_error", "neg_median_absolute_error",
                   "neg_mean_absolute_percentage_error"]
    multi_scoring = ["accuracy", "balanced_accuracy", "f1_macro", "f1_micro", "f1_weighted",
                     "precision_macro", "recall_weighted", "neg_log_loss", "roc_auc_ovr",
                     "roc_auc_ovo", "roc_auc_ovr_weighted", "matthews_corrcoef"]
    bin_scoring = ["accuracy", "roc_auc", "average_precision", "neg_brier_score", "f1", "precision",
                   "recall", "neg_log_loss", "roc_auc_ovr"]

    def cvres(est, X, y, cv, scoring):
        r = cross_validate(est, X, y, cv=cv, scoring=scoring, return_train_score=True)
        return {"test": {s: nums(r["test_" + s]) for s in scoring},
                "train": {s: nums(r["train_" + s]) for s in scoring}}

    logistic = LogisticRegression(tol=1e-10, max_iter=10000)
    out = {
        "data": {
            "regression": {"X": Xr.tolist(), "y": yr.tolist()},
            "multiclass": {"X": Xm.tolist(), "y": ym.tolist()},
            "binary": {"X": Xb.tolist(), "y": yb.tolist()},
        },
        "ridge": cvres(Ridge(alpha=1.0), Xr, yr, KFold(5), reg_scoring),
        "knn": cvres(KNeighborsClassifier(5), Xm, ym, StratifiedKFold(3), multi_scoring),
        "logistic": cvres(logistic, Xb, yb, StratifiedKFold(4), bin_scoring),
        "default_score": {
            "ridge": nums(cross_validate(Ridge(), Xr, yr, cv=4)["test_score"]),
            "knn": nums(cross_validate(KNeighborsClassifier(3), Xm, ym, cv=3)["test_score"]),
        },
        "predict": {
            "ridge": nums(cross_val_predict(Ridge(alpha=2.0), Xr, yr, cv=KFold(3))),
            "knn_proba": nums(cross_val_predict(KNeighborsClassifier(4), Xm, ym, cv=StratifiedKFold(3),
                                                method="predict_proba")),
            "knn": cross_val_predict(KNeighborsClassifier(4), Xm, ym, cv=StratifiedKFold(3)).tolist(),
        },
    }
    lc = {}
    for name, sizes in [("fractions", [0.2, 0.5, 1.0]), ("counts", [3, 10, 20, 45])]:
        sz, tr, te = learning_curve(Ridge(alpha=0.5), Xr, yr, train_sizes=sizes, cv=KFold(4),
                                    scoring="neg_mean_squared_error")
        lc[name] = {"sizes": sizes, "abs": sz.tolist(), "train": [nums(r) for r in tr],
                    "test": [nums(r) for r in te]}
    sz, tr, te = learning_curve(KNeighborsClassifier(3), Xm, ym, train_sizes=[0.6, 0.8, 1.0], cv=3)
    lc["knn"] = {"sizes": [0.6, 0.8, 1.0], "abs": sz.tolist(), "train": [nums(r) for r in tr],
                 "test": [nums(r) for r in te]}
    out["learning_curve"] = lc
    tr, te = validation_curve(Ridge(), Xr, yr, param_name="alpha", param_range=[0.01, 1, 100],
                              cv=KFold(3), scoring="r2")
    vc = {"ridge": {"train": [nums(r) for r in tr], "test": [nums(r) for r in te]}}
    tr, te = validation_curve(KNeighborsClassifier(), Xm, ym, param_name="n_neighbors",
                              param_range=[1, 3, 7], cv=StratifiedKFold(3), scoring="f1_macro")
    vc["knn"] = {"train": [nums(r) for r in tr], "test": [nums(r) for r in te]}
    out["validation_curve"] = vc
    write("cv.json", out)


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    splitters()
    cv_section()
