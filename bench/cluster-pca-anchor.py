#!/usr/bin/python3
"""One scikit-learn run for bench/cluster-pca.ts: KMeans (k=8, n_init=10, lloyd or elkan) or PCA
(full SVD, all components) on a dataset written by bench/forest-data.ts; prints one JSON line
with the fit and predict/transform wall and CPU seconds (CPU: the whole process, all threads),
throughput, the later calls' medians (early and steady: see later_calls), quality and peak RSS
(read before those calls).

Usage: cluster-pca-anchor.py <kmeans|kmeans-elkan|pca> <data prefix> <threads> [quick]
(quick, as bench/cluster-pca-run.ts: every row read once, then the fit sees the first 50 000 rows,
KMeans with n_init=2 and max_iter=5, then a 300 ms pause, then predict/transform on every row)
(OMP_NUM_THREADS / OPENBLAS_NUM_THREADS set by the caller)
"""
import json
import os
import re
import resource
import sys
import time

import numpy as np


def timed(fn):
    f0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    c0, t0 = time.process_time(), time.perf_counter()
    fn()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return wall, cpu, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - f0


WARM_BYTES = float(os.environ.get("BENCH_WARM_MB", "256")) * 2**20
WARM_CALLS = int(os.environ.get("BENCH_WARM_CALLS", "500"))
STEADY_CALLS = int(os.environ.get("BENCH_STEADY_CALLS", "10"))


def later_calls(fn):
    """The later calls, by the rule of laterCalls in cluster-pca-run.ts: `early`, the median of
    calls 11-20; `steady`, the median of STEADY_CALLS calls made once the results since the first
    call reach BENCH_WARM_MB or BENCH_WARM_CALLS calls. Returns (early, steady, calls); none with
    BENCH_STEADY_CALLS=0."""
    if STEADY_CALLS == 0:  # bench/cluster-pca-predict.ts: the first two calls only
        return None, None, 0
    t = []
    size = [0]

    def call():
        out = []
        t.append(timed(lambda: out.append(fn()))[0])
        size[0] += out[0].nbytes

    def mid(v):
        v = sorted(v)
        return v[len(v) // 2] if v else None

    for _ in range(20):
        call()
    early = mid(t[10:])
    while size[0] < WARM_BYTES and len(t) < WARM_CALLS:
        call()
    warm = len(t)
    for _ in range(STEADY_CALLS):
        call()
    return early, mid(t[warm:]), len(t)


def main():
    what, prefix = sys.argv[1], sys.argv[2]
    quick = len(sys.argv) > 4 and sys.argv[4] == "quick"
    with open(prefix + ".json") as f:
        head = json.load(f)
    X = np.fromfile(prefix + ".X.f64", dtype="<f8").reshape(head["rows"], head["cols"])
    Xfit = X[:50000] if quick else X
    if quick:
        float(X.sum())  # every row read once before the fit, as bench/cluster-pca-run.ts does

    def pause():
        if quick:
            time.sleep(0.3)
    if what.startswith("kmeans"):
        from sklearn.cluster import KMeans

        est = KMeans(
            n_clusters=8,
            n_init=2 if quick else 10,
            max_iter=5 if quick else 300,
            algorithm="elkan" if what == "kmeans-elkan" else "lloyd",
            random_state=0,
        )
        fit = timed(lambda: est.fit(Xfit))
        pause()
        pred = timed(lambda: est.predict(X))
        again = timed(lambda: est.predict(X))
        later = lambda: est.predict(X)  # noqa: E731
        quality = [float(est.inertia_)]
    else:
        from sklearn.decomposition import PCA

        est = PCA(svd_solver="full")
        fit = timed(lambda: est.fit(Xfit))
        pause()
        pred = timed(lambda: est.transform(X))
        again = timed(lambda: est.transform(X))
        later = lambda: est.transform(X)  # noqa: E731
        quality = est.explained_variance_ratio_[:5].tolist()
    # Peak resident memory from VmHWM (ru_maxrss survives exec: it could report the parent's).
    with open("/proc/self/status") as f:
        hwm = re.search(r"VmHWM:\s+(\d+) kB", f.read())
    # After the peak is read: the later calls' garbage is not the model's memory.
    early, steady, later_count = later_calls(later)
    print(json.dumps({
        "fit": fit[0],
        "fitCpu": fit[1],
        "predict": pred[0],
        "predictCpu": pred[1],
        "predictRowsPerSec": len(X) / pred[0],
        "predictFaults": pred[2],
        "again": again[0],
        "againCpu": again[1],
        "againFaults": again[2],
        "early": early,
        "steady": steady,
        "laterCalls": later_count,
        "quality": quality,
        "peakRssMB": int(hwm.group(1)) / 1024 if hwm else float("nan"),
    }))


if __name__ == "__main__":
    main()
