#!/usr/bin/python3
"""Oracle for Lathe's histogram gradient boosting (test/models/gbdt).

Trains scikit-learn 1.2's HistGradientBoostingClassifier/Regressor on fixed datasets with fixed
hyperparameters and a fixed split (row i is a test row iff i % 3 == 0), and records the test
metric. The synthetic datasets are generated from a recipe with a tiny integer PRNG (mulberry32)
and only +, -, *, / and comparisons, so test/models/gbdt/datasets.ts regenerates them bit for bit;
the real datasets (shipped with Debian's python3-sklearn) are stored in the fixture.

Run: /usr/bin/python3 scripts/oracles/gbdt.py   (writes test/fixtures/models/gbdt/*.json)
"""
import json
import os

import numpy as np
import sklearn
from sklearn.datasets import load_breast_cancer, load_diabetes, load_wine
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.metrics import mean_poisson_deviance, mean_squared_error, roc_auc_score

M = 0xFFFFFFFF
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "models", "gbdt")


class Gen:
    """mulberry32, as in datasets.ts."""

    def __init__(self, seed):
        self.a = seed & M

    def u(self):
        self.a = (self.a + 0x6D2B79F5) & M
        t = self.a
        t = ((t ^ (t >> 15)) * (t | 1)) & M
        t = (t ^ ((t + (((t ^ (t >> 7)) * (t | 61)) & M)) & M)) & M
        return ((t ^ (t >> 14)) & M) / 4294967296.0

    def normal(self):
        s = 0.0
        for _ in range(12):
            s = s + self.u()
        return s - 6.0


def features(g, n, d):
    X = np.empty((n, d))
    for i in range(n):
        for j in range(d):
            X[i, j] = g.normal()
    return X


def make(name):
    if name == "binary":
        g = Gen(1)
        n, d = 3000, 10
        X = features(g, n, d)
        y = np.empty(n)
        for i in range(n):
            x = X[i]
            s = 1.0 * x[0] - 0.8 * x[1] + 0.6 * x[2] + 0.5 * x[3] - 0.4 * x[4] + 0.5 * x[0] * x[1]
            y[i] = 1.0 if s + g.normal() > 0 else 0.0
        return X, y, []
    if name == "multiclass":
        g = Gen(2)
        n, d = 3000, 10
        X = features(g, n, d)
        W = [[1.0, 0.5, 0.0, -0.5, 0.3], [-0.5, 1.0, 0.7, 0.0, -0.3], [0.0, -0.6, -0.8, 0.9, 0.4]]
        y = np.empty(n)
        for i in range(n):
            best, bv = 0, -1e300
            for c in range(3):
                s = 0.0
                for j in range(5):
                    s = s + W[c][j] * X[i, j]
                s = s + 0.7 * g.normal()
                if s > bv:
                    best, bv = c, s
            y[i] = best
        return X, y, []
    if name == "regression":
        g = Gen(3)
        n, d = 3000, 8
        X = features(g, n, d)
        y = np.empty(n)
        for i in range(n):
            x = X[i]
            y[i] = 3.0 * x[0] - 2.0 * x[1] + x[2] * x[3] + 1.5 * abs(x[4]) + 0.5 * g.normal()
        return X, y, []
    if name == "missing":
        X, y, _ = make("binary")
        g = Gen(4)
        n, d = X.shape
        for i in range(n):
            for j in range(d):
                if g.u() < 0.2:
                    X[i, j] = np.nan
        return X, y, []
    if name == "highcard":
        g = Gen(5)
        n = 6000
        effA = [g.normal() for _ in range(400)]
        effB = [g.normal() for _ in range(200)]
        X = np.empty((n, 6))
        y = np.empty(n)
        for i in range(n):
            x0, x1, x2, x3 = g.normal(), g.normal(), g.normal(), g.normal()
            u = g.u()
            a = float(int(u * u * 400.0))
            b = float(int(g.u() * 200.0))
            X[i] = [x0, x1, a, x2, b, x3]
            s = effA[int(a)] + effB[int(b)] + x0 - 0.5 * x1 + g.normal()
            y[i] = 1.0 if s > 0 else 0.0
        return X, y, [2, 4]
    if name == "poisson":
        g = Gen(6)
        n, d = 3000, 6
        X = features(g, n, d)
        y = np.empty(n)
        for i in range(n):
            x = X[i]
            p = 0.3 + 0.1 * (x[0] + x[1] - x[2])
            p = min(max(p, 0.02), 0.95)
            c = 0
            for _ in range(8):
                if g.u() < p:
                    c += 1
            y[i] = float(c)
        return X, y, []
    raise ValueError(name)


def lump(col, cap):
    """Lathe's fallback for a categorical column with more than `cap` categories."""
    codes = col.astype(int)
    counts = np.bincount(codes)
    present = [c for c in range(len(counts)) if counts[c] > 0]
    if len(present) <= cap:
        return col.copy()
    by_freq = sorted(present, key=lambda c: (-counts[c], c))
    kept = sorted(by_freq[: cap - 1])
    remap = {c: b for b, c in enumerate(kept)}
    return np.array([remap.get(c, cap - 1) for c in codes], dtype=float)


BASE = dict(max_iter=100, learning_rate=0.1, max_leaf_nodes=31, min_samples_leaf=20, max_bins=255, early_stopping=False)

CASES = [
    dict(name="binary", data="binary", task="binary", params={}),
    dict(name="binary-depth-l2", data="binary", task="binary", params=dict(max_depth=4, l2_regularization=1.0, learning_rate=0.2, max_iter=60)),
    dict(name="multiclass", data="multiclass", task="multiclass", params={}),
    dict(name="regression", data="regression", task="regression", params={}),
    dict(name="regression-absolute", data="regression", task="regression", params=dict(loss="absolute_error")),
    dict(name="poisson", data="poisson", task="poisson", params=dict(loss="poisson")),
    dict(name="missing", data="missing", task="binary", params={}),
    dict(name="highcard", data="highcard", task="binary", params=dict(categorical=True)),
    dict(name="binary-balanced", data="binary", task="binary", params=dict(class_weight="balanced", min_samples_leaf=5)),
    dict(name="breast-cancer", data="breast_cancer", task="binary", params={}),
    dict(name="diabetes", data="diabetes", task="regression", params=dict(max_iter=50, min_samples_leaf=10)),
    dict(name="wine", data="wine", task="multiclass", params=dict(max_iter=50, min_samples_leaf=5)),
]

CAMEL = dict(max_iter="maxIter", learning_rate="learningRate", max_leaf_nodes="maxLeafNodes", min_samples_leaf="minSamplesLeaf",
             max_bins="maxBins", max_depth="maxDepth", l2_regularization="l2Regularization", loss="loss", class_weight="classWeight")


def real(name):
    if name == "breast_cancer":
        d = load_breast_cancer()
    elif name == "diabetes":
        d = load_diabetes(scaled=False)
    else:
        d = load_wine()
    return d.data.astype(float), d.target.astype(float)


def main():
    out = dict(sklearn=sklearn.__version__, split="row i is a test row iff i % 3 == 0", cases=[])
    real_data = {}
    cache = {}
    for case in CASES:
        name = case["data"]
        if name in ("breast_cancer", "diabetes", "wine"):
            X, y = real(name)
            cat = []
            real_data[name] = dict(X=X.tolist(), y=y.tolist())
        else:
            if name not in cache:
                cache[name] = make(name)
            X, y, cat = cache[name]
        test = np.arange(len(y)) % 3 == 0
        params = dict(BASE)
        p = dict(case["params"])
        categorical = p.pop("categorical", False)
        params.update(p)
        Xs = X.copy()
        if categorical:
            for j in cat:
                Xs[:, j] = lump(X[:, j], 255)
            params["categorical_features"] = cat
        Est = HistGradientBoostingRegressor if case["task"] in ("regression", "poisson") else HistGradientBoostingClassifier
        est = Est(random_state=0, **params).fit(Xs[~test], y[~test])
        if case["task"] == "binary":
            value = roc_auc_score(y[test], est.predict_proba(Xs[test])[:, 1])
            metric = "auc"
        elif case["task"] == "multiclass":
            value = roc_auc_score(y[test], est.predict_proba(Xs[test]), multi_class="ovr", average="macro")
            metric = "auc_ovr_macro"
        elif case["task"] == "poisson":
            value = mean_poisson_deviance(y[test], est.predict(Xs[test]))
            metric = "poisson_deviance"
        else:
            value = mean_squared_error(y[test], est.predict(Xs[test])) ** 0.5
            metric = "rmse"
        lathe = {CAMEL[k]: v for k, v in params.items() if k in CAMEL}
        lathe["earlyStopping"] = False
        if categorical:
            lathe["categoricalFeatures"] = cat
        out["cases"].append(dict(name=case["name"], data=name, task=case["task"], metric=metric, value=value,
                                 params=lathe, nTrainRows=int((~test).sum()), nTestRows=int(test.sum())))
        print(f"{case['name']:22s} {metric:16s} {value:.6f}")
    with open(os.path.join(OUT, "oracle.json"), "w") as f:
        json.dump(out, f, indent=1)
    with open(os.path.join(OUT, "real-data.json"), "w") as f:
        json.dump(real_data, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
