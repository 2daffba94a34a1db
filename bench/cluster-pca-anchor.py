#!/usr/bin/python3
"""One scikit-learn run for bench/cluster-pca.ts: KMeans (k=8, n_init=10, lloyd or elkan) or PCA
(full SVD, all components) on a dataset written by bench/forest-data.ts; prints one JSON line
with the fit time, predict/transform throughput, quality and peak RSS.

Usage: cluster-pca-anchor.py <kmeans|kmeans-elkan|pca> <data prefix> <threads>   (OMP_NUM_THREADS set by the caller)
"""
import json
import resource
import sys
import time

import numpy as np


def main():
    what, prefix = sys.argv[1], sys.argv[2]
    with open(prefix + ".json") as f:
        head = json.load(f)
    X = np.fromfile(prefix + ".X.f64", dtype="<f8").reshape(head["rows"], head["cols"])
    if what.startswith("kmeans"):
        from sklearn.cluster import KMeans

        est = KMeans(n_clusters=8, n_init=10, algorithm="elkan" if what == "kmeans-elkan" else "lloyd", random_state=0)
        t0 = time.perf_counter()
        est.fit(X)
        fit = time.perf_counter() - t0
        t0 = time.perf_counter()
        est.predict(X)
        quality = [float(est.inertia_)]
    else:
        from sklearn.decomposition import PCA

        est = PCA(svd_solver="full")
        t0 = time.perf_counter()
        est.fit(X)
        fit = time.perf_counter() - t0
        t0 = time.perf_counter()
        est.transform(X)
        quality = est.explained_variance_ratio_[:5].tolist()
    pred = time.perf_counter() - t0
    print(json.dumps({
        "fit": fit,
        "predictRowsPerSec": len(X) / pred,
        "quality": quality,
        "peakRssMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


if __name__ == "__main__":
    main()
