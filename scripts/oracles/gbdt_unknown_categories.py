#!/usr/bin/python3
"""Oracle for how Lathe's histogram gradient boosting routes categories unseen in training
(test/models/gbdt/unknown-categories.test.ts).

scikit-learn 1.2 treats an unknown category at predict time — a code not seen in fit, a negative
code — as a missing value: it goes where the split sends missing values (learned when the column
had missing values in fit, else the child with more samples). A fractional code is truncated.
Codes of 256 and more are left out: scikit-learn casts codes to a byte (256 reads as 0), which
Lathe does not copy.

The training data are stored in the fixture (small; NaN written as null), with the probe rows and
scikit-learn's predictions on them.

Run: /usr/bin/python3 scripts/oracles/gbdt_unknown_categories.py
     (writes test/fixtures/models/gbdt/unknown-categories.json)
"""
import json
import os

import numpy as np
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "models", "gbdt")


def data(seed, n):
    rng = np.random.RandomState(seed)
    a = rng.randint(0, 8, n).astype(float)  # categorical, with missing values
    a[rng.rand(n) < 0.12] = np.nan
    b = rng.randint(0, 6, n).astype(float)  # categorical, no missing values
    x = np.round(rng.randn(n), 3)
    effect_a = np.where(np.isnan(a), 3.0, np.nan_to_num(a) % 3)
    y = effect_a + (b == 2) * 2.0 - (b == 4) + x + np.round(rng.randn(n) * 0.3, 3)
    return np.column_stack([a, b, x]), y


def probes(X):
    """Every known code, NaN, and unknown codes (in the bitsets' range, beyond it, negative,
    fractional), in each categorical column, with the other columns from training rows."""
    values = [0, 1, 2, 3, 4, 5, 6, 7, np.nan, 8, 9, 13, 31, 32, 40, 100, 255, -1, -0.5, 0.5, 2.7, 7.9]
    rows = []
    for j in (0, 1):
        for k, v in enumerate(values):
            r = X[(7 * k + 3 * j) % len(X)].copy()
            r[j] = v
            rows.append(r)
    return np.array(rows)


def plain(a):
    """A float matrix as lists, NaN as None (JSON has no NaN)."""
    return [[None if np.isnan(v) else float(v) for v in row] for row in np.atleast_2d(a)]


def main():
    params = dict(max_iter=12, learning_rate=0.3, max_depth=3, early_stopping=False, random_state=0)
    cases = []
    X, y = data(0, 600)
    P = probes(X)
    reg = HistGradientBoostingRegressor(categorical_features=[0, 1], **params).fit(X, y)
    cases.append(dict(task="regression", X=plain(X), y=y.tolist(), probes=plain(P),
                      predict=reg.predict(P).tolist()))
    yc = (y > np.median(y)).astype(int)
    clf = HistGradientBoostingClassifier(categorical_features=[0, 1], **params).fit(X, yc)
    cases.append(dict(task="binary", X=plain(X), y=yc.tolist(), probes=plain(P),
                      predict_proba=clf.predict_proba(P)[:, 1].tolist()))
    lathe = dict(maxIter=12, learningRate=0.3, maxDepth=3, earlyStopping=False, categoricalFeatures=[0, 1])
    out = dict(sklearn=sklearn.__version__, params=lathe, cases=cases)
    with open(os.path.join(OUT, "unknown-categories.json"), "w") as f:
        json.dump(out, f, allow_nan=False)
    print("wrote", len(cases), "cases,", len(P), "probe rows each")


if __name__ == "__main__":
    main()
