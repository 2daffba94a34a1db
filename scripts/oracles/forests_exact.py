"""Oracle values for forests whose trees are deterministic (scikit-learn 1.2).

Run with Debian's Python: /usr/bin/python3 scripts/oracles/forests_exact.py

With bootstrap=False and every feature searched at every split, each tree of a random forest is
the full CART tree on all rows, so on data without tied splits the forest is the same in both
libraries whatever their random generators: predictions, probabilities and feature importances
can be compared exactly. The script keeps only cases whose trees scikit-learn grew identically
(a tie would show as trees that differ with the feature order).

Writes test/fixtures/models/forest/exact.json.
"""

import json
import os

import numpy as np
import sklearn
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "models", "forest", "exact.json")


def short(X, bits=12):
    """Multiples of 2^-bits: exact in float32 (scikit-learn's trees) and short in JSON."""
    return np.asarray(np.round(np.asarray(X) * (1 << bits)) / (1 << bits), dtype=np.float32).astype(np.float64)


def datasets():
    r = np.random.RandomState(7)
    out = {}
    X = short(r.normal(size=(160, 3)) * 3)
    out["reg3"] = (X, short(X @ [1.0, -2.0, 0.5] + 2 * np.sin(X[:, 0]) + r.normal(size=160), 6), short(r.normal(size=(60, 3)) * 3))
    X = short(r.normal(size=(120, 1)) * 3)
    out["reg1"] = (X, short(np.sin(X[:, 0]) * 5 + r.normal(size=120), 6), short(r.normal(size=(60, 1)) * 3))
    X = short(r.normal(size=(150, 1)) * 3)
    s = X[:, 0] + r.normal(size=150)
    names = np.array(["zeta", "alpha", "Mid"])
    out["str1"] = (X, names[np.digitize(s, [-1.0, 1.5])], short(r.normal(size=(60, 1)) * 3))
    X = short(r.normal(size=(200, 3)) * 3)
    s = X @ [1.0, 0.7, -0.4] + r.normal(size=200)
    out["bin3"] = (X, (s > 0.5).astype(int), short(r.normal(size=(60, 3)) * 3))
    return out


CASES = [
    ("reg1", {}, None),
    ("reg1", {}, "int"),
    ("reg3", {"min_samples_leaf": 4}, None),
    ("reg3", {"max_leaf_nodes": 12}, None),
    ("reg3", {"min_samples_split": 0.1}, None),
    ("reg3", {"min_impurity_decrease": 0.5}, None),
    ("str1", {}, None),
    ("str1", {"criterion": "entropy"}, None),
    ("str1", {"class_weight": "balanced"}, None),
    ("str1", {"class_weight": "balanced_subsample"}, None),
    ("str1", {"class_weight": {"zeta": 1.0, "alpha": 2.5, "Mid": 0.5}}, None),
    ("str1", {"max_leaf_nodes": 8}, "int"),
    ("str1", {"min_samples_leaf": 3}, None),
    ("bin3", {"max_depth": 3}, None),
    ("bin3", {"max_depth": 3}, "int"),
    ("bin3", {"max_leaf_nodes": 10, "class_weight": "balanced_subsample"}, None),
]


def main():
    data = datasets()
    out = {"sklearn": sklearn.__version__, "datasets": {}, "cases": []}
    for name, (X, y, Xt) in data.items():
        out["datasets"][name] = {"X": X.tolist(), "y": y.tolist(), "Xtest": Xt.tolist()}
    for name, params, weights in CASES:
        X, y, Xt = data[name]
        reg = name.startswith("reg")
        sw = np.random.RandomState(3).randint(1, 4, size=len(y)).astype(float) if weights == "int" else None
        Model = RandomForestRegressor if reg else RandomForestClassifier
        m = Model(n_estimators=5, bootstrap=False, max_features=None, random_state=0, **params).fit(X, y, sample_weight=sw)
        t0 = m.estimators_[0].tree_
        same = all(
            np.array_equal(e.tree_.feature, t0.feature) and np.array_equal(e.tree_.threshold, t0.threshold)
            for e in m.estimators_
        )
        if not same:
            print("skipped (tied splits: the trees differ with the feature order):", name, params, weights)
            continue
        case = {
            "dataset": name,
            "params": params,
            "sampleWeight": None if sw is None else sw.tolist(),
            "nodes": int(t0.node_count),
            "predict": m.predict(Xt).tolist(),
            "featureImportances": m.feature_importances_.tolist(),
        }
        if not reg:
            case["classes"] = m.classes_.tolist()
            case["predictProba"] = m.predict_proba(Xt).tolist()
        out["cases"].append(case)
    with open(OUT, "w") as fh:
        json.dump(out, fh, separators=(",", ":"))
    print(OUT, os.path.getsize(OUT))


if __name__ == "__main__":
    main()
