"""Oracle values for decision trees, random forests and extra trees (scikit-learn 1.2).

Run with Debian's Python: /usr/bin/python3 scripts/oracles/trees.py

Writes:
  test/fixtures/models/tree/datasets.json  shared datasets (also used by the cluster/PCA tests)
  test/fixtures/models/tree/trees.json     exact tree structures and test scores of single trees
  test/fixtures/models/forest/forests.json test scores of forests

Feature values are made exactly representable in float32 (scikit-learn grows trees on float32),
so both implementations see the same numbers and thresholds can be compared exactly.
"""

import base64
import json
import os

import numpy as np
import sklearn
from sklearn.datasets import (
    load_breast_cancer,
    load_diabetes,
    load_digits,
    load_iris,
    load_wine,
    make_classification,
    make_regression,
)
from sklearn.ensemble import (
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "models")
SEEDS = list(range(40))
RANDOM_SEEDS = list(range(200))
FOREST_SEEDS = list(range(10))


def f32(X):
    return np.asarray(X, dtype=np.float32).astype(np.float64)


def binary_fraction(X, bits=8):
    """Rounds to multiples of 2^-bits: exact in float32 for moderate magnitudes, short in JSON."""
    return f32(np.round(np.asarray(X) * (1 << bits)) / (1 << bits))


def datasets():
    out = {}
    X, y = load_breast_cancer(return_X_y=True)
    out["breast_cancer"] = ("classification", f32(X), y)
    X, y = load_digits(return_X_y=True)
    out["digits"] = ("classification", X.astype(np.float64), y)
    X, y = load_wine(return_X_y=True)
    out["wine"] = ("classification", f32(X), y)
    X, y = load_iris(return_X_y=True)
    out["iris"] = ("classification", f32(X), y)
    X, y = make_classification(
        n_samples=600, n_features=10, n_informative=5, n_redundant=2, n_classes=3, random_state=1
    )
    out["synthetic_classification"] = ("classification", binary_fraction(X), y)
    X, y = load_diabetes(return_X_y=True, scaled=False)
    out["diabetes"] = ("regression", f32(X), y.astype(np.float64))
    X, y = make_regression(n_samples=500, n_features=8, n_informative=5, noise=10.0, random_state=2)
    out["synthetic_regression"] = ("regression", binary_fraction(X), np.round(y, 3))
    return out


def encode_X(name, X):
    """Digits (integers 0..16): one character each, 'a' + value. Others: row-major float32,
    little-endian, base64 (exact: every value is a float32)."""
    if name == "digits":
        return {"chars": "".join(chr(97 + int(v)) for v in X.ravel())}
    assert np.array_equal(f32(X), X), name
    return {"f32": base64.b64encode(np.ascontiguousarray(X, dtype="<f4").tobytes()).decode("ascii")}


def tree_nodes(t):
    tr = t.tree_
    return {
        "feature": tr.feature.tolist(),
        "threshold": tr.threshold.tolist(),
        "left": tr.children_left.tolist(),
        "right": tr.children_right.tolist(),
        "nNodeSamples": tr.n_node_samples.tolist(),
        "impurity": tr.impurity.tolist(),
        "value": tr.value.reshape(tr.node_count, -1).ravel().tolist(),
        "featureImportances": t.feature_importances_.tolist(),
    }


def score(model, X, y):
    return float(model.score(X, y))


def main():
    data = datasets()
    ds_json = {}
    trees = {"sklearn": sklearn.__version__, "structures": [], "scores": []}
    forests = {"sklearn": sklearn.__version__, "scores": []}
    for name, (task, X, y) in data.items():
        idx = np.arange(len(y))
        train, test = train_test_split(
            idx, test_size=0.25, random_state=0, stratify=y if task == "classification" else None
        )
        mask = np.zeros(len(y), dtype=int)
        mask[test] = 1
        ds_json[name] = {
            "task": task,
            "rows": int(X.shape[0]),
            "cols": int(X.shape[1]),
            "X": encode_X(name, X),
            "y": [int(v) for v in y] if task == "classification" else [float(v) for v in y],
            "test": "".join(str(v) for v in mask),
        }
        Xtr, Xte, ytr, yte = X[train], X[test], y[train], y[test]
        clf = task == "classification"

        # Exact structures of shallow trees (compared node by node).
        for crit in ["gini", "entropy"] if clf else ["squared_error"]:
            alpha = {"classification": 0.01, "regression": 0.5}[task] * (1 if name != "diabetes" else 100)
            for params in [
                {"max_depth": 3},
                {"max_leaf_nodes": 6},
                {"max_depth": 4, "min_samples_leaf": 5},
                {"ccp_alpha": alpha},
            ]:
                Tree = DecisionTreeClassifier if clf else DecisionTreeRegressor
                t = Tree(criterion=crit, random_state=0, **params).fit(Xtr, ytr)
                trees["structures"].append(
                    {"dataset": name, "criterion": crit, "params": params, "tree": tree_nodes(t)}
                )

        # Test scores, averaged over seeds (single trees vary with the feature order on ties).
        Tree = DecisionTreeClassifier if clf else DecisionTreeRegressor
        for params in [{}, {"max_depth": 5}, {"splitter": "random"}]:
            # Random thresholds make single trees noisy: average over more seeds.
            seeds = RANDOM_SEEDS if params.get("splitter") == "random" else SEEDS
            s = [score(Tree(random_state=sd, **params).fit(Xtr, ytr), Xte, yte) for sd in seeds]
            trees["scores"].append({"dataset": name, "params": params, "seeds": len(seeds), "mean": float(np.mean(s))})

        RF = RandomForestClassifier if clf else RandomForestRegressor
        ET = ExtraTreesClassifier if clf else ExtraTreesRegressor
        for model, Cls, params in [
            ("RandomForest", RF, {"n_estimators": 100}),
            ("RandomForest", RF, {"n_estimators": 100, "max_features": "log2", "min_samples_leaf": 2}),
            ("ExtraTrees", ET, {"n_estimators": 100}),
        ]:
            s = []
            oob = []
            for sd in FOREST_SEEDS:
                m = Cls(random_state=sd, n_jobs=2, oob_score=model == "RandomForest", **params).fit(Xtr, ytr)
                s.append(score(m, Xte, yte))
                if model == "RandomForest":
                    oob.append(float(m.oob_score_))
            forests["scores"].append(
                {
                    "dataset": name,
                    "model": model,
                    "params": params,
                    "mean": float(np.mean(s)),
                    "each": s,
                    "oobMean": float(np.mean(oob)) if oob else None,
                }
            )

    def dump(path, obj):
        with open(path, "w") as fh:
            json.dump(obj, fh, separators=(",", ":"))
        print(path, os.path.getsize(path))

    dump(os.path.join(ROOT, "tree", "datasets.json"), ds_json)
    dump(os.path.join(ROOT, "tree", "trees.json"), trees)
    dump(os.path.join(ROOT, "forest", "forests.json"), forests)


if __name__ == "__main__":
    main()
