"""Oracle values for PCA (scikit-learn 1.2, svd_solver='full').

Run with Debian's Python: /usr/bin/python3 scripts/oracles/decomposition.py
(after scripts/oracles/trees.py, whose datasets.json it reuses).

Writes test/fixtures/models/decomposition/pca.json: per dataset and nComponents setting, the
components (svd_flip signs), explained variance (and ratio), singular values, mean, noise
variance, and the (whitened) projections and reconstructions of the first rows.
"""

import base64
import json
import os

import numpy as np
import sklearn
from sklearn.decomposition import PCA

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "models")


def load_shared():
    with open(os.path.join(ROOT, "tree", "datasets.json")) as fh:
        raw = json.load(fh)
    out = {}
    for name, r in raw.items():
        if "chars" in r["X"]:
            X = np.array([ord(c) - 97 for c in r["X"]["chars"]], dtype=np.float64)
        else:
            X = np.frombuffer(base64.b64decode(r["X"]["f32"]), dtype="<f4").astype(np.float64)
        out[name] = X.reshape(r["rows"], r["cols"])
    return out


def main():
    data = load_shared()
    cases = [
        ("iris", None, False),
        ("iris", 2, True),
        ("wine", 0.9, False),
        ("wine", "mle", False),
        ("breast_cancer", 5, True),
        ("breast_cancer", None, False),
        ("diabetes", "mle", True),
        ("synthetic_regression", None, True),
        ("synthetic_classification", 0.75, False),
        ("digits", 12, False),
        # Wide: fewer rows than columns.
        ("digits_head", None, False),
        ("breast_cancer_head", 0.99, True),
    ]
    data["digits_head"] = data["digits"][:40]
    data["breast_cancer_head"] = data["breast_cancer"][:12]
    out = {"sklearn": sklearn.__version__, "cases": []}
    for name, nc, whiten in cases:
        X = data[name]
        pca = PCA(n_components=nc, whiten=whiten, svd_solver="full").fit(X)
        full = PCA(svd_solver="full").fit(X)
        Z = pca.transform(X[:5])
        out["cases"].append(
            {
                "dataset": name,
                "rows": int(X.shape[0]),
                "nComponents": nc,
                "whiten": whiten,
                "kept": int(pca.n_components_),
                "components": pca.components_.ravel().tolist(),
                "explainedVariance": pca.explained_variance_.tolist(),
                "explainedVarianceRatio": pca.explained_variance_ratio_.tolist(),
                "singularValues": pca.singular_values_.tolist(),
                "mean": pca.mean_.tolist(),
                "noiseVariance": float(pca.noise_variance_),
                "fullSpectrum": full.explained_variance_.tolist(),
                "transformHead": Z.ravel().tolist(),
                "inverseHead": pca.inverse_transform(Z).ravel().tolist(),
            }
        )
        print(name, nc, whiten, "kept", pca.n_components_)
    path = os.path.join(ROOT, "decomposition", "pca.json")
    with open(path, "w") as fh:
        json.dump(out, fh, separators=(",", ":"))
    print(path, os.path.getsize(path))


if __name__ == "__main__":
    main()
