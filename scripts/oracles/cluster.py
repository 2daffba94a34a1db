"""Oracle values for KMeans and DBSCAN (scikit-learn 1.2).

Run with Debian's Python: /usr/bin/python3 scripts/oracles/cluster.py
(after scripts/oracles/trees.py, whose datasets.json it reuses).

Writes test/fixtures/models/cluster/cluster.json:
  datasets  extra data (blobs, moons) as float32 base64, row-major
  kmeansExact  KMeans from given initial centers: centers, inertia, n_iter, labels (lloyd, elkan)
  kmeansQuality  default KMeans (k-means++, n_init=10) over seeds: inertia and purity
  kmeansEdge  small inline cases from given centers: empty clusters re-seeded in NumPy's
              argpartition order, one-column data (NumPy's pairwise column mean), weights
  dbscan  labels for several eps / min_samples / metric settings
"""

import base64
import json
import os

import numpy as np
import sklearn
from sklearn.cluster import DBSCAN, KMeans
from sklearn.datasets import make_blobs, make_moons

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "models")


def f32(X):
    return np.asarray(X, dtype=np.float32).astype(np.float64)


def b64(X):
    return base64.b64encode(np.ascontiguousarray(X, dtype="<f4").tobytes()).decode("ascii")


def load_shared():
    with open(os.path.join(ROOT, "tree", "datasets.json")) as fh:
        raw = json.load(fh)
    out = {}
    for name in ["iris", "wine", "breast_cancer", "digits"]:
        r = raw[name]
        if "chars" in r["X"]:
            X = np.array([ord(c) - 97 for c in r["X"]["chars"]], dtype=np.float64)
        else:
            X = np.frombuffer(base64.b64decode(r["X"]["f32"]), dtype="<f4").astype(np.float64)
        out[name] = (X.reshape(r["rows"], r["cols"]), np.array(r["y"]))
    return out


def purity(labels, y):
    total = 0
    for c in np.unique(labels):
        total += np.bincount(y[labels == c]).max()
    return total / len(y)


def kmeans_edge_cases():
    """Small cases whose result hinges on scikit-learn's arithmetic: far initial centers leave
    clusters empty, re-seeded with the rows np.argpartition puts last (not the farthest in
    order); one column, whose mean NumPy sums pairwise; centers averaged as sum * (1 / w)."""
    rng = np.random.default_rng(7)
    cases = []
    X = rng.random((8, 5))
    cases.append(("relocate", X, X.max(0) + 10 + rng.random((6, 5)) * 5, None, 1e-4))
    X = 1e4 + rng.random((13, 2)) * 10
    cases.append(("relocate-offset", X, X.max(0) + 10 + rng.random((8, 2)) * 5, None, 1e-4))
    X = rng.random((60, 1))
    cases.append(("one-column", X, 1 + rng.random((60, 1)), None, 0.0))
    X = rng.integers(0, 4, (30, 3)).astype(float) + rng.random((30, 3))
    cases.append(("weighted", X, X.max(0) + 5 + rng.random((5, 3)), rng.random(30) * 3, 1e-4))
    X = np.array([[4.776378127577745], [-6.530890494867238]])
    cases.append(("weighted-k1", X, X[:1], np.array([3.0, 0.0]), 0.0))
    out = []
    for name, X, init, w, tol in cases:
        for algorithm in ["lloyd", "elkan"]:
            if len(init) == 1 and algorithm == "elkan":
                continue  # scikit-learn switches to lloyd (with a warning) for one cluster
            km = KMeans(n_clusters=len(init), init=init, n_init=1, algorithm=algorithm, tol=tol)
            km.fit(X, sample_weight=w)
            out.append(
                {
                    "name": name,
                    "algorithm": algorithm,
                    "X": X.tolist(),
                    "init": init.tolist(),
                    "sampleWeight": None if w is None else w.tolist(),
                    "tol": tol,
                    "labels": km.labels_.tolist(),
                    "centers": km.cluster_centers_.ravel().tolist(),
                    "inertia": float(km.inertia_),
                    "nIter": int(km.n_iter_),
                }
            )
    return out


def main():
    data = load_shared()
    Xb, yb = make_blobs(n_samples=1000, centers=5, n_features=6, cluster_std=1.5, random_state=3)
    Xb = f32(Xb)
    Xm, ym = make_moons(n_samples=500, noise=0.08, random_state=4)
    Xm = f32(Xm)
    data["blobs"] = (Xb, yb)
    data["moons"] = (Xm, ym)
    out = {
        "sklearn": sklearn.__version__,
        "datasets": {
            "blobs": {"rows": 1000, "cols": 6, "f32": b64(Xb), "y": yb.tolist()},
            "moons": {"rows": 500, "cols": 2, "f32": b64(Xm), "y": ym.tolist()},
        },
        "kmeansExact": [],
        "kmeansQuality": [],
        "kmeansEdge": kmeans_edge_cases(),
        "dbscan": [],
    }
    ks = {"iris": 3, "wine": 3, "breast_cancer": 2, "digits": 10, "blobs": 5}
    for name, k in ks.items():
        X, y = data[name]
        # Explicit, deliberately poor initial centers (evenly spaced rows) so runs take several
        # iterations; both algorithms must land on the same centers.
        rows = np.linspace(0, len(X) - 1, k).astype(int)
        init = X[rows]
        for algorithm in ["lloyd", "elkan"]:
            km = KMeans(n_clusters=k, init=init, n_init=1, algorithm=algorithm).fit(X)
            out["kmeansExact"].append(
                {
                    "dataset": name,
                    "k": k,
                    "algorithm": algorithm,
                    "initRows": rows.tolist(),
                    "centers": km.cluster_centers_.ravel().tolist(),
                    "inertia": float(km.inertia_),
                    "nIter": int(km.n_iter_),
                    "labels": "".join(chr(97 + int(v)) for v in km.labels_),
                }
            )
        inertias, purities = [], []
        for seed in range(5):
            km = KMeans(n_clusters=k, n_init=10, random_state=seed).fit(X)
            inertias.append(float(km.inertia_))
            purities.append(float(purity(km.labels_, y)))
        out["kmeansQuality"].append(
            {
                "dataset": name,
                "k": k,
                "inertiaMean": float(np.mean(inertias)),
                "inertiaMin": float(np.min(inertias)),
                "purityMean": float(np.mean(purities)),
            }
        )

    for name, eps, ms, metric in [
        ("moons", 0.1, 5, "euclidean"),
        ("moons", 0.15, 10, "manhattan"),
        ("blobs", 3.0, 5, "euclidean"),
        ("blobs", 6.0, 8, "manhattan"),
        ("iris", 0.4, 5, "euclidean"),
        ("iris", 0.55, 3, "manhattan"),
        ("wine", 40.0, 4, "euclidean"),
        ("digits", 21.0, 5, "euclidean"),
    ]:
        X, _ = data[name]
        labels = DBSCAN(eps=eps, min_samples=ms, metric=metric).fit(X).labels_
        db = DBSCAN(eps=eps, min_samples=ms, metric=metric).fit(X)
        out["dbscan"].append(
            {
                "dataset": name,
                "eps": eps,
                "minSamples": ms,
                "metric": metric,
                "labels": labels.tolist(),
                "coreSampleIndices": db.core_sample_indices_.tolist(),
                "nClusters": int(labels.max() + 1),
                "nNoise": int((labels == -1).sum()),
            }
        )
        print(name, eps, metric, "clusters", int(labels.max() + 1), "noise", int((labels == -1).sum()))

    path = os.path.join(ROOT, "cluster", "cluster.json")
    with open(path, "w") as fh:
        json.dump(out, fh, separators=(",", ":"))
    print(path, os.path.getsize(path))


if __name__ == "__main__":
    main()
