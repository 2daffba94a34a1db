# The scikit-learn side of bench/linear.ts: one fresh process fits LogisticRegression (defaults) on
# a dataset directory written by the bench (raw float64 X.f64 / y.f64 + meta.json), then scores the
# held-out rows; prints one JSON line. Run by the bench with OMP_NUM_THREADS / OPENBLAS_NUM_THREADS
# set to the thread count under test.
#
#   /usr/bin/python3 bench/linear-anchor.py DIR WARM_REPS LATER_CALLS
#
# "cold" = the first fit / predict_proba / predict in this process; "warm" = the fastest of the
# WARM_REPS repetitions that follow; "steady" = the median of 10 calls after LATER_CALLS more (the
# count the bench gives both sides). Each figure has wall time (perf_counter) and CPU time of the
# whole process, all threads (process_time).
import json
import re
import sys
import time
import warnings

import numpy as np
from sklearn.linear_model import LogisticRegression

warnings.simplefilter("ignore")
d = sys.argv[1]
warm_reps = int(sys.argv[2]) if len(sys.argv) > 2 else 2
later_calls = int(sys.argv[3]) if len(sys.argv) > 3 else 20
meta = json.load(open(d + "/meta.json"))
n, p, nt = meta["n"], meta["p"], meta["nTrain"]
X = np.fromfile(d + "/X.f64").reshape(n, p)
y = np.fromfile(d + "/y.f64")
Xtr, Xte, ytr = X[:nt], X[nt:], y[:nt]


def rss_mb(field):
    status = open("/proc/self/status").read()
    return int(re.search(field + r":\s+(\d+) kB", status).group(1)) / 1024


rss_loaded = rss_mb("VmRSS")


def timed(f):
    w0, c0 = time.perf_counter(), time.process_time()
    out = f()
    return out, {"wall": (time.perf_counter() - w0) * 1e3, "cpu": (time.process_time() - c0) * 1e3}


model, fit_cold = timed(lambda: LogisticRegression().fit(Xtr, ytr))
proba, proba_cold = timed(lambda: model.predict_proba(Xte))
pred, predict_cold = timed(lambda: model.predict(Xte))
warm = {"fit": [], "proba": [], "predict": []}
for _ in range(warm_reps):
    warm["fit"].append(timed(lambda: LogisticRegression().fit(Xtr, ytr))[1])
    warm["proba"].append(timed(lambda: model.predict_proba(Xte))[1])
    warm["predict"].append(timed(lambda: model.predict(Xte))[1])


def fastest(runs):
    return {"wall": min(r["wall"] for r in runs), "cpu": min(r["cpu"] for r in runs)}


def steady(f):
    """After later_calls untimed calls, the median wall and CPU time of 10 more."""
    for _ in range(later_calls):
        f()
    runs = [timed(f)[1] for _ in range(10)]
    return {k: sorted(r[k] for r in runs)[5] for k in ("wall", "cpu")}


peak_rss = rss_mb("VmHWM")  # before the later calls, as the Lathe side
steady_proba = steady(lambda: model.predict_proba(Xte))
steady_predict = steady(lambda: model.predict(Xte))


print(
    json.dumps(
        {
            "fit": {"cold": fit_cold, "warm": fastest(warm["fit"])},
            "proba": {"cold": proba_cold, "warm": fastest(warm["proba"]), "steady": steady_proba},
            "predict": {"cold": predict_cold, "warm": fastest(warm["predict"]), "steady": steady_predict},
            "accuracy": float(np.mean(pred == y[nt:])),
            "nIter": int(model.n_iter_[0]),
            "coef": model.coef_.ravel().tolist() + model.intercept_.ravel().tolist(),
            "rssLoadedMb": rss_loaded,
            "peakRssMb": peak_rss,
        }
    )
)
