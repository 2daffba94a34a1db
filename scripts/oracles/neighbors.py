#!/usr/bin/python3
"""Oracle for Lathe's k-nearest-neighbour models (test/models/neighbors).

Fits scikit-learn 1.2's KNeighborsClassifier / KNeighborsRegressor on fixed train/test splits
(even rows train, odd rows query; a few cases train on every fourth row and query the rest) and records predictions, probabilities and kneighbors()
distances and indices, for brute force and the KD-tree, Euclidean and Manhattan metrics, uniform
and distance weights. Also records KDTree.get_arrays() (the row permutation and node bounds) so
the tree build itself is checked.

Datasets: scikit-learn's bundled iris, wine, breast cancer, digits and diabetes sets (subsampled
where large; stored exactly as fitted) and a small integer grid with many exactly tied distances,
which exercises the tie-breaking rules.

Run: OMP_NUM_THREADS=1 /usr/bin/python3 scripts/oracles/neighbors.py
     (writes test/fixtures/models/neighbors/*.json)
"""
import json
import os

import numpy as np
import sklearn
from sklearn.datasets import load_breast_cancer, load_diabetes, load_digits, load_iris, load_wine
from sklearn.neighbors import KDTree, KNeighborsClassifier, KNeighborsRegressor

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "models", "neighbors")


def tolist(a):
    a = np.asarray(a)
    if a.dtype.kind == "f" and np.all(a == np.round(a)):
        a = a.astype(np.int64)  # integer-valued data is stored without ".0" (same numbers, fewer bytes)
    return a.tolist()


def out(a):
    return np.vectorize(lambda v: float(f"{v:.12g}"), otypes=[float])(np.asarray(a, dtype=float)).tolist()


def subsample(X, y, n, seed):
    idx = np.sort(np.random.RandomState(seed).permutation(len(y))[:n])
    return X[idx], y[idx]


def datasets():
    d = {}
    X, y = load_iris(return_X_y=True)
    d["iris"] = (X, y)
    X, y = load_wine(return_X_y=True)
    d["wine"] = (X, y)
    X, y = load_breast_cancer(return_X_y=True)
    d["cancer"] = subsample(X, y, 150, 1)
    X, y = load_digits(return_X_y=True)
    d["digits"] = subsample(X, y, 300, 2)
    rng = np.random.RandomState(4)
    G = rng.randint(0, 4, size=(160, 3)).astype(float)  # many duplicate points and equal distances
    d["grid"] = (G, (G.sum(axis=1) + rng.randint(0, 2, 160)) % 3)
    X, y = load_diabetes(return_X_y=True)
    X, y = subsample(np.round(X, 5), y, 240, 3)
    d["diabetes"] = (X, y)
    return d


def split(X, y, step=2):
    """Every step-th row trains, the others query (step 2: even rows train, odd rows query)."""
    query = np.arange(len(y)) % step != 0
    return X[0::step], y[0::step], X[query], y[query]


def classifier_cases(d):
    cases = []
    grid = [
        ("iris", {}),
        ("iris", {"n_neighbors": 7, "weights": "distance"}),
        ("iris", {"algorithm": "brute"}),
        ("iris", {"algorithm": "brute", "metric": "manhattan", "n_neighbors": 4}),
        ("iris", {"p": 1, "leaf_size": 5}),
        ("wine", {"n_neighbors": 3}),
        ("wine", {"n_neighbors": 6, "weights": "distance", "algorithm": "brute"}),
        ("cancer", {"n_neighbors": 5}),
        ("cancer", {"n_neighbors": 8, "algorithm": "kd_tree", "leaf_size": 10}),
        ("digits", {"n_neighbors": 5}),
        ("digits", {"n_neighbors": 10, "weights": "distance", "metric": "manhattan"}),
        ("grid", {"n_neighbors": 6}),
        ("grid", {"n_neighbors": 6, "algorithm": "brute"}),
        ("grid", {"n_neighbors": 9, "weights": "distance", "leaf_size": 4}),
        ("grid", {"n_neighbors": 5, "metric": "manhattan", "leaf_size": 3}),
        ("grid", {"n_neighbors": 5, "metric": "manhattan", "algorithm": "brute"}),
        # More query rows than training rows: scikit-learn's brute force runs "parallel on X",
        # which orders tied neighbours differently from "parallel on Y".
        ("grid", {"n_neighbors": 5, "metric": "manhattan", "algorithm": "brute"}, 4),
        ("grid", {"n_neighbors": 7, "p": 1, "weights": "distance", "algorithm": "brute"}, 4),
    ]
    for data, params, *step in grid:
        X, y = d[data]
        Xtr, ytr, Xte, _ = split(X, y, *step)
        m = KNeighborsClassifier(**params).fit(Xtr, ytr)
        dist, ind = m.kneighbors(Xte)
        case = {
            "dataset": data,
            "params": params,
            "fitMethod": m._fit_method,
            "predict": tolist(m.predict(Xte)),
            "proba": out(m.predict_proba(Xte)),
            "distances": out(dist),
            "indices": tolist(ind),
        }
        if step:
            case["trainStep"] = step[0]
        if data in ("iris", "grid"):
            sdist, sind = m.kneighbors()
            case["selfDistances"] = out(sdist)
            case["selfIndices"] = tolist(sind)
        cases.append(case)
    return cases


def regressor_cases(d):
    cases = []
    for data, params in [
        ("diabetes", {}),
        ("diabetes", {"n_neighbors": 10, "weights": "distance"}),
        ("diabetes", {"n_neighbors": 12, "algorithm": "brute", "metric": "manhattan"}),
        ("grid", {"n_neighbors": 4, "weights": "distance"}),
    ]:
        X, y = d[data]
        Xtr, ytr, Xte, _ = split(X, y.astype(float))
        m = KNeighborsRegressor(**params).fit(Xtr, ytr)
        cases.append({"dataset": data, "params": params, "fitMethod": m._fit_method, "predict": out(m.predict(Xte))})
    return cases


def tree_cases(d):
    cases = []
    for data, leaf in [("iris", 30), ("iris", 4), ("wine", 7), ("grid", 3), ("diabetes", 20), ("digits", 15)]:
        X, _ = d[data]
        Xtr = X[0::2]
        _, idx, nodes, bounds = KDTree(Xtr, leaf_size=leaf).get_arrays()
        case = {
            "dataset": data,
            "leafSize": leaf,
            "idx": tolist(idx),
            "nNodes": int(len(nodes)),
            "isLeaf": [int(v) for v in nodes["is_leaf"]],
        }
        if X.shape[1] <= 4:
            case["lower"] = out(bounds[0])
            case["upper"] = out(bounds[1])
        cases.append(case)
    return cases


def main():
    os.makedirs(OUT, exist_ok=True)
    d = datasets()
    meta = {"sklearn": sklearn.__version__, "numpy": np.__version__}
    with open(os.path.join(OUT, "datasets.json"), "w") as f:
        json.dump({k: {"X": tolist(X), "y": tolist(y)} for k, (X, y) in d.items()}, f, separators=(",", ":"))
    with open(os.path.join(OUT, "neighbors.json"), "w") as f:
        json.dump(
            {"meta": meta, "classifier": classifier_cases(d), "regressor": regressor_cases(d), "trees": tree_cases(d)},
            f,
            separators=(",", ":"),
        )


if __name__ == "__main__":
    main()
