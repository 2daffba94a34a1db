#!/usr/bin/python3
"""Oracle for Lathe's naive Bayes classifiers (test/models/bayes).

Fits scikit-learn 1.2's GaussianNB and MultinomialNB on fixed train/test splits (even rows train,
odd rows test) and records the fitted statistics, predictions and probabilities.

Datasets: scikit-learn's bundled iris, wine, breast cancer (subsampled) and digits (subsampled;
pixel counts 0..16, the classic multinomial example) sets, and a synthetic Poisson count matrix
with a fixed seed. All are stored exactly as fitted.

Run: OMP_NUM_THREADS=1 /usr/bin/python3 scripts/oracles/bayes.py
     (writes test/fixtures/models/bayes/*.json)
"""
import json
import os
import warnings

import numpy as np
import sklearn
from sklearn.datasets import load_breast_cancer, load_digits, load_iris, load_wine
from sklearn.naive_bayes import GaussianNB, MultinomialNB

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "models", "bayes")


def tolist(a):
    a = np.asarray(a)
    if a.dtype.kind == "f" and np.all(a == np.round(a)):
        a = a.astype(np.int64)
    return a.tolist()


def out(a):
    return np.vectorize(lambda v: float(f"{v:.12g}"), otypes=[float])(np.asarray(a, dtype=float)).tolist()


def subsample(X, y, n, seed):
    idx = np.sort(np.random.RandomState(seed).permutation(len(y))[:n])
    return X[idx], y[idx]


def datasets():
    d = {}
    d["iris"] = load_iris(return_X_y=True)
    d["wine"] = load_wine(return_X_y=True)
    d["cancer"] = subsample(*load_breast_cancer(return_X_y=True), 200, 1)
    d["digits"] = subsample(*load_digits(return_X_y=True), 300, 2)
    rng = np.random.RandomState(9)
    y = rng.randint(0, 3, 200)
    rates = np.array([[1, 3, 0.5, 2, 1, 0.2], [2, 1, 1, 0.5, 3, 0.2], [0.5, 0.5, 2, 2, 1, 1.5]])
    d["counts"] = (rng.poisson(rates[y]).astype(float), y)
    # One feature, constant in the training rows (the even ones): NumPy reduces an n x 1 array
    # pairwise, so 0.1 fifteen times has mean 0.1 and variance 0; a running sum drifts, and the
    # variance's rounding noise then decides the far-off test rows.
    pattern = [0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 1, 1, 0]
    X1 = np.array([[0.1] if i % 2 == 0 else [[3.0], [1.0], [2.0]][(i // 2) % 3] for i in range(30)])
    y1 = np.array([pattern[i // 2] if i % 2 == 0 else 0 for i in range(30)])
    d["constant1"] = (X1, y1)
    return d


def weights(n, seed):
    return np.round(np.random.RandomState(seed).uniform(0.2, 2.0, n), 3)


def cases(d):
    out_cases = []

    def add(model, data, params, sw_seed=None, weightless_class=None):
        X, y = d[data]
        Xtr, ytr, Xte = X[0::2], y[0::2], X[1::2]
        sw = None if sw_seed is None else weights(len(ytr), sw_seed)
        if weightless_class is not None:
            # Weights summing to ~0 (np.isclose(total, 0)): the class keeps mean 0, variance epsilon.
            sw[ytr == weightless_class] = 1e-10
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            m = model(**params).fit(Xtr, ytr, sample_weight=sw)
        case = {
            "model": model.__name__,
            "dataset": data,
            "params": params,
            "sampleWeight": None if sw is None else tolist(sw),
            "predict": tolist(m.predict(Xte)),
            "logProba": out(m.predict_log_proba(Xte)),
            "classCount": out(m.class_count_),
        }
        if model is GaussianNB:
            case.update(theta=out(m.theta_), var=out(m.var_), classPrior=out(m.class_prior_), epsilon=float(m.epsilon_))
        else:
            case.update(featureLogProb=out(m.feature_log_prob_), classLogPrior=out(m.class_log_prior_))
        out_cases.append(case)

    add(GaussianNB, "iris", {})
    add(GaussianNB, "wine", {})
    add(GaussianNB, "cancer", {"var_smoothing": 1e-6})
    add(GaussianNB, "wine", {"priors": [0.2, 0.5, 0.3]})
    add(GaussianNB, "iris", {}, sw_seed=1)
    add(GaussianNB, "digits", {"var_smoothing": 1e-2})
    add(GaussianNB, "constant1", {"var_smoothing": 1e-3})
    add(GaussianNB, "constant1", {"var_smoothing": 1e-3}, sw_seed=3)
    add(GaussianNB, "iris", {}, sw_seed=4, weightless_class=0)
    add(MultinomialNB, "digits", {})
    add(MultinomialNB, "digits", {"alpha": 0.1, "fit_prior": False})
    add(MultinomialNB, "counts", {})
    add(MultinomialNB, "counts", {"alpha": 2.5, "class_prior": [0.5, 0.3, 0.2]})
    add(MultinomialNB, "counts", {"alpha": 0.5}, sw_seed=2)
    add(MultinomialNB, "iris", {"alpha": 1e-12})
    return out_cases


def main():
    os.makedirs(OUT, exist_ok=True)
    d = datasets()
    meta = {"sklearn": sklearn.__version__, "numpy": np.__version__}
    with open(os.path.join(OUT, "datasets.json"), "w") as f:
        json.dump({k: {"X": tolist(X), "y": tolist(y)} for k, (X, y) in d.items()}, f, separators=(",", ":"))
    with open(os.path.join(OUT, "naive-bayes.json"), "w") as f:
        json.dump({"meta": meta, "cases": cases(d)}, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
