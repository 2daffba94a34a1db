#!/usr/bin/python3
"""Oracle for the baseline (the best constant raw prediction) of Lathe's histogram gradient
boosting (test/models/gbdt/baseline.test.ts).

scikit-learn 1.2's `BaseLoss.fit_intercept_only` takes `np.average(y, weights=w)` — NumPy's
pairwise sums (in blocks of 8192 values, as `np.add.reduce` runs them) of w·y and of w — then
clips and links it. When the weighted mean is close to 1 (a binary target whose other class has
tiny weights) the log-odds log(p / (1 − p)) magnifies the last bit of p by 1 / (1 − p), so the
order of the additions shows in the raw predictions. The early-stopping scores are
`np.average` of the per-row losses too (`scores`: squared and absolute error, weighted or not,
scored on the training data). Each case records scikit-learn's
`_baseline_prediction` after a fit of one iteration; one case (found by differential testing,
49 rows with weights 1e-300, 1e-10 and 1) also records the decision function of a fit.

Run: /usr/bin/python3 scripts/oracles/gbdt_baseline.py
     (writes test/fixtures/models/gbdt/baseline.json)
"""
import json
import os

import numpy as np
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "models", "gbdt")


def baseline_cases():
    rng = np.random.RandomState(0)
    cases = []
    for n in (49, 200, 9000):
        # binary, other class with tiny weights: p close to 1
        y = (rng.rand(n) < 0.95).astype(float)
        w = rng.choice([1e-300, 1e-10, 0.3, 1.0, 1.7], n)
        w[y == 0] = rng.choice([1e-300, 1e-10], int((y == 0).sum()))
        cases.append(dict(task="binary", y=y.tolist(), w=w.tolist()))
        if n > 8192:  # one case past NumPy's reduction block
            continue
        # the same unweighted (p = count / n: exact sums, but the case pins the division)
        cases.append(dict(task="binary", y=y.tolist(), w=None))
        # regression: large offset, weights of many magnitudes
        yr = np.round(1e8 + rng.randn(n) * 1e3, 2)
        wr = rng.choice([1e-10, 0.3, 1.0, 1.7, 1e5], n)
        cases.append(dict(task="regression", loss="squared_error", y=yr.tolist(), w=wr.tolist()))
        cases.append(dict(task="regression", loss="squared_error", y=yr.tolist(), w=None))
        yp = rng.poisson(3.0, n).astype(float)
        cases.append(dict(task="regression", loss="poisson", y=yp.tolist(), w=wr.tolist()))
        # multiclass, weighted
        ym = rng.randint(0, 4, n).astype(float)
        wm = rng.choice([1e-10, 0.3, 1.0, 1.7, 1e5], n)
        cases.append(dict(task="multiclass", y=ym.tolist(), w=wm.tolist()))
    for c in cases:
        X = np.arange(len(c["y"]), dtype=float)[:, None]
        w = None if c["w"] is None else np.array(c["w"])
        params = dict(max_iter=1, early_stopping=False, random_state=0)
        if c["task"] == "regression":
            est = HistGradientBoostingRegressor(loss=c["loss"], **params)
        else:
            est = HistGradientBoostingClassifier(**params)
        est.fit(X, np.array(c["y"]), sample_weight=w)
        c["baseline"] = [float(v) for v in np.ravel(est._baseline_prediction)]
    return cases


def found_case():
    """Differential-testing case (seed 2430): binary, 49 rows, the two rows of class 0 weighted
    1e-10 and 1e-300 (the weights are the harness's, coded a = 1e-300, b = 1e-10, c = 1); the
    features do not matter (no tree splits: every gradient is ~0)."""
    rng = np.random.RandomState(2430)
    n = 49
    X = np.column_stack([rng.randn(n), rng.randint(0, 4, n).astype(float), rng.randn(n), rng.randn(n)])
    y = np.ones(n)
    y[[2, 31]] = 0.0
    code = "aabbccccaacccaaccabacbaaabbbbcbacccbbbcbbbcababaa"
    w = np.array([{"a": 1e-300, "b": 1e-10, "c": 1.0}[ch] for ch in code])
    params = dict(max_iter=6, learning_rate=1.0, max_leaf_nodes=3, max_depth=2, min_samples_leaf=2, max_bins=10)
    clf = HistGradientBoostingClassifier(early_stopping=False, random_state=0, **params).fit(X, y, sample_weight=w)
    Xt = X[:10]
    lathe = dict(maxIter=6, learningRate=1.0, maxLeafNodes=3, maxDepth=2, minSamplesLeaf=2, maxBins=10,
                 earlyStopping=False)
    return dict(params=lathe, X=X.tolist(), y=y.tolist(), w=w.tolist(), Xt=Xt.tolist(),
                baseline=[float(v) for v in np.ravel(clf._baseline_prediction)],
                decision=clf.decision_function(Xt).tolist())


def score_cases():
    """Early-stopping scores on the training data (validation_fraction=None): scikit-learn's
    `np.average` of the per-row losses (pairwise sums) — squared and absolute error bit for bit."""
    rng = np.random.RandomState(7)
    out = []
    for loss in ("squared_error", "absolute_error"):
        for weighted in (False, True):
            n = 150
            X = np.round(rng.randn(n, 3), 2)
            y = np.round(3.0 * X[:, 0] - X[:, 1] * X[:, 2] + rng.randn(n), 3)
            w = np.round(rng.uniform(0.1, 3.0, n), 3) if weighted else None
            params = dict(max_iter=8, learning_rate=0.5, max_leaf_nodes=5, min_samples_leaf=5)
            est = HistGradientBoostingRegressor(loss=loss, early_stopping=True, validation_fraction=None,
                                                n_iter_no_change=50, random_state=0, **params)
            est.fit(X, y, sample_weight=w)
            lathe = dict(loss=loss, maxIter=8, learningRate=0.5, maxLeafNodes=5, minSamplesLeaf=5,
                         earlyStopping=True, validationFraction=None, nIterNoChange=50)
            out.append(dict(params=lathe, X=X.tolist(), y=y.tolist(), w=None if w is None else w.tolist(),
                            train_score=est.train_score_.tolist()))
    return out


def main():
    out = dict(sklearn=sklearn.__version__, cases=baseline_cases(), fit=found_case(), scores=score_cases())
    with open(os.path.join(OUT, "baseline.json"), "w") as f:
        json.dump(out, f, allow_nan=False)
    print("wrote", len(out["cases"]), "baseline cases and one fit")


if __name__ == "__main__":
    main()
