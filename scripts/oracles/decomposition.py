"""Oracle values for PCA (scikit-learn 1.2, svd_solver='full').

Run with Debian's Python: /usr/bin/python3 scripts/oracles/decomposition.py
(after scripts/oracles/trees.py, whose datasets.json it reuses).

Writes test/fixtures/models/decomposition/pca.json: per dataset and nComponents setting, the
components (svd_flip signs), explained variance (and ratio), singular values, mean, noise
variance, and the (whitened) projections and reconstructions of the first rows. The
"collinear_*" datasets (generated here, written into the fixture) have columns that are nearly
sums of others, so that their small singular values are 1e-3 to 1e-7 of the largest: there the
eigenvectors of XᵀX lose the small axes, which Lathe's PCA refines. "wide_scaled" (also written
into the fixture) does the same to the eigenvectors of XXᵀ, the route for fewer rows than columns.
For these generated sets the fixture also holds the axes from an SVD to 40 digits (mpmath,
Debian's python3-mpmath), the reference where scikit-learn's own axes are less accurate than 1e-9.
"""

import base64
import json
import os

import mpmath
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


def collinear(noise, seed):
    """200 × 8: six normal columns and two that are sums of them plus `noise`-sized noise."""
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(200, 6)) * np.array([1.0, 3.0, 0.5, 2.0, 1.0, 10.0]) + 5.0
    x6 = A[:, 0] + noise * rng.normal(size=200)
    x7 = A[:, 1] - A[:, 2] + 0.5 * noise * rng.normal(size=200)
    return np.column_stack([A, x6, x7])


def wide_scaled(seed):
    """17 × 22 (fewer rows than columns): normal columns scaled by 10⁰ to 10⁻⁸, column 1 three
    times column 0 plus 1e-6-sized noise — small singular values that XXᵀ loses as XᵀX does."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(17, 22)) * 10.0 ** -rng.integers(0, 9, size=22)
    X[:, 1] = 3 * X[:, 0] + 1e-6 * rng.normal(size=17)
    return X


def exact_axes(X, signs_like):
    """The right singular vectors of the centred X computed with 40 significant digits (mpmath),
    rounded to float64, each signed as the matching row of `signs_like` — the reference for axes
    whose SVD in float64 (scikit-learn's included) is accurate to less than 1e-9."""
    mpmath.mp.dps = 40
    n, d = X.shape
    A = mpmath.matrix(n, d)
    for j in range(d):
        col = [mpmath.mpf(float(v)) for v in X[:, j]]
        mean = mpmath.fsum(col) / n
        for i in range(n):
            A[i, j] = col[i] - mean
    _, _, V = mpmath.svd_r(A)
    out = []
    for k, ref in enumerate(signs_like):
        v = np.array([float(V[k, j]) for j in range(d)])
        out.append(v if np.dot(v, ref) >= 0 else -v)
    return np.array(out)


def main():
    data = load_shared()
    for name, noise, seed in [("collinear_1e-3", 1e-3, 1), ("collinear_1e-5", 1e-5, 2), ("collinear_1e-7", 1e-7, 3)]:
        data[name] = collinear(noise, seed)
    data["wide_scaled"] = wide_scaled(3)
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
        # Nearly collinear columns.
        ("collinear_1e-3", None, False),
        ("collinear_1e-5", None, True),
        ("collinear_1e-7", None, False),
        # (Not whitened: a whitened projection on a 1e-7 axis divides rounding error by ~1e-7 on either side.)
        ("collinear_1e-7", 7, False),
        # Wide and badly scaled.
        ("wide_scaled", None, False),
        ("wide_scaled", 6, True),
    ]
    data["digits_head"] = data["digits"][:40]
    data["breast_cancer_head"] = data["breast_cancer"][:12]
    generated = {"collinear_1e-3", "collinear_1e-5", "collinear_1e-7", "wide_scaled"}
    out = {"sklearn": sklearn.__version__, "cases": []}
    for name, nc, whiten in cases:
        X = data[name]
        pca = PCA(n_components=nc, whiten=whiten, svd_solver="full").fit(X)
        full = PCA(svd_solver="full").fit(X)
        Z = pca.transform(X[:5])
        out["cases"].append(
            {
                "dataset": name,
                **(
                    {
                        "X": X.ravel().tolist(),
                        "cols": int(X.shape[1]),
                        "exactComponents": exact_axes(X, pca.components_).ravel().tolist(),
                    }
                    if name in generated
                    else {}
                ),
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
