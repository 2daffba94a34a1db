#!/usr/bin/python3
"""Oracle for Lathe's model selection and search (test/select).

Sections (each writes one JSON file under test/fixtures/select/):

- splitters.json: scikit-learn 1.2's KFold, StratifiedKFold, GroupKFold and TimeSeriesSplit
  folds (unshuffled, so they are deterministic) on small fixed inputs, index for index; the
  train/test sizes of train_test_split (_validate_shuffle_split).
- cv.json: cross_validate / cross_val_predict / learning_curve / validation_curve scores of
  deterministic estimators (Ridge, LogisticRegression, KNeighborsClassifier,
  DecisionTreeRegressor) with named scorers on fixed data and unshuffled folds.
- parzen.json: Optuna 3.1's TPE internals on fixed observations: the Parzen estimator's weights,
  mus and sigmas, its log-density at fixed points (float, log-float, int, log-int, stepped float
  and categorical distributions) — as Optuna 3.1 computes it, and with each kernel's −log σ term
  that later releases restored ("normalized") — the truncated-normal ppf/logpdf, gamma and the
  observation weights, and the below/above split of a history with pruned trials.
- pruners.json: Optuna 3.1's MedianPruner / PercentilePruner and SuccessiveHalvingPruner
  decisions on scripted studies (trials added with given intermediate values).
- fanova.json: Optuna 3.1's fANOVA tree computations (total variance and the marginal variance of
  each feature) on trees of a scikit-learn RandomForestRegressor, with the trees' structure so
  Lathe can evaluate the same trees.

Run: OMP_NUM_THREADS=1 /usr/bin/python3 scripts/oracles/select.py
"""
import json
import math
import os
import warnings

import numpy as np
import sklearn
from sklearn.model_selection import (
    GroupKFold,
    KFold,
    StratifiedKFold,
    TimeSeriesSplit,
)

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "select")
os.makedirs(OUT, exist_ok=True)


def write(name, obj):
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        json.dump(obj, f, separators=(",", ":"))
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


def num(v):
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def nums(a):
    return [num(v) for v in np.asarray(a, dtype=float).ravel()]


def folds(splitter, X, y=None, groups=None):
    return [
        {"train": train.tolist(), "test": test.tolist()}
        for train, test in splitter.split(X, y, groups)
    ]


def splitters():
    rng = np.random.RandomState(0)
    cases = []
    for n in [7, 10, 23]:
        X = np.zeros((n, 1))
        for k in [2, 3, 5]:
            if k <= n:
                cases.append({"kind": "KFold", "n": n, "nSplits": k, "folds": folds(KFold(k), X)})
    # Stratified: imbalanced, string labels, labels in an order that differs from sorted order.
    strat = [
        ["b", "a", "a", "b", "c", "a", "c", "a", "b", "a", "a", "c", "b", "a", "a"],
        [1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 0, 1],
        rng.randint(0, 4, size=40).tolist(),
        (["x"] * 3 + ["y"] * 9 + ["z"] * 5) * 2,
    ]
    for y in strat:
        X = np.zeros((len(y), 1))
        for k in [2, 3]:
            cases.append(
                {"kind": "StratifiedKFold", "n": len(y), "nSplits": k, "y": y,
                 "folds": folds(StratifiedKFold(k), X, y)}
            )
    # Groups: distinct sizes (so the greedy order has no ties), a few ties among <= 16 groups
    # (NumPy's argsort is an insertion sort there, i.e. stable) and ties among more groups.
    group_sets = [
        [0] * 5 + [1] * 2 + [2] * 7 + [3] * 1 + [4] * 3 + [5] * 4,
        ["u", "v", "v", "w", "w", "w", "x", "x", "y", "y", "y", "y", "z", "u", "x"],
        [3, 3, 1, 1, 2, 2, 4, 5, 5, 6, 6, 6, 7, 7],
        # More than 16 groups with ties: NumPy's argsort is an (unstable) introsort there.
        np.repeat(np.arange(20), 2).tolist(),
        np.random.RandomState(1).permutation(np.repeat(np.arange(40), [1, 2, 3, 2] * 10)).tolist(),
    ]
    for g in group_sets:
        X = np.zeros((len(g), 1))
        for k in [2, 3]:
            cases.append(
                {"kind": "GroupKFold", "n": len(g), "nSplits": k, "groups": g,
                 "folds": folds(GroupKFold(k), X, None, g)}
            )
    for n, opts in [
        (12, {}),
        (20, {"n_splits": 3}),
        (20, {"n_splits": 3, "gap": 2}),
        (20, {"n_splits": 4, "test_size": 3}),
        (25, {"n_splits": 3, "max_train_size": 5}),
        (30, {"n_splits": 5, "test_size": 2, "gap": 3, "max_train_size": 8}),
    ]:
        X = np.zeros((n, 1))
        tss = TimeSeriesSplit(**opts)
        cases.append(
            {"kind": "TimeSeriesSplit", "n": n,
             "options": {"nSplits": opts.get("n_splits", 5), "testSize": opts.get("test_size"),
                         "gap": opts.get("gap", 0), "maxTrainSize": opts.get("max_train_size")},
             "folds": folds(tss, X)}
        )
    from sklearn.model_selection._split import _validate_shuffle_split

    sizes = []
    for n, test, train in [
        (10, None, None), (10, 0.3, None), (10, None, 0.6), (11, 0.33, 0.5), (100, 7, None),
        (100, None, 13), (100, 0.2, 30), (7, 0.1, None), (13, 0.25, None), (1000, 0.123, None),
    ]:
        n_train, n_test = _validate_shuffle_split(n, test, train, default_test_size=0.25)
        sizes.append({"n": n, "testSize": test, "trainSize": train, "nTrain": int(n_train),
                      "nTest": int(n_test)})
    write("splitters.json", {"sklearn": sklearn.__version__, "cases": cases, "sizes": sizes})


def missing_class_decision(logistic):
    """cross_val_predict(method="decision_function") when a fold's training rows miss a class:
    4 classes, fold 0 tests every row of class 3, so its model knows 3 classes and class 3's
    column is np.finfo(float).min there (with a RuntimeWarning)."""
    from sklearn.model_selection import cross_val_predict

    rng = np.random.RandomState(11)
    X = np.round(rng.normal(size=(40, 3)), 6)
    y = np.arange(40) % 4
    t0 = np.flatnonzero(y == 3)
    rest = np.flatnonzero(y != 3)
    tests = [t0, rest[:15], rest[15:]]
    folds = [(np.setdiff1d(np.arange(40), t), t) for t in tests]
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        d = cross_val_predict(logistic, X, y, cv=folds, method="decision_function")
    return {
        "X": X.tolist(),
        "y": y.tolist(),
        "folds": [{"train": tr.tolist(), "test": te.tolist()} for tr, te in folds],
        "decision": nums(d),
        "warned": any(issubclass(x.category, RuntimeWarning) for x in w),
    }


def cv_section():
    from sklearn.datasets import load_breast_cancer, load_iris
    from sklearn.linear_model import LogisticRegression, Ridge
    from sklearn.model_selection import (
        cross_val_predict,
        cross_validate,
        learning_curve,
        validation_curve,
    )
    from sklearn.neighbors import KNeighborsClassifier

    rng = np.random.RandomState(3)
    # Regression: a linear signal with noise; values rounded so JSON holds them exactly.
    Xr = np.round(rng.normal(size=(60, 4)), 6)
    yr = np.round(Xr @ np.array([1.5, -2.0, 0.5, 0.0]) + 3 + rng.normal(scale=0.7, size=60), 6)
    # Multiclass: iris, 90 rows (every other row, then every third of the rest).
    iris = load_iris()
    idx = np.arange(0, 150, 5).tolist() + np.arange(1, 150, 5).tolist() + np.arange(2, 150, 5).tolist()
    idx = np.sort(idx)
    Xm, ym = iris.data[idx], iris.target[idx]
    # Binary: breast cancer, 150 rows, 5 standardised features, 0/1 labels (scikit-learn's
    # binary scorers take pos_label=1; Lathe's take the second sorted class, the same here).
    bc = load_breast_cancer()
    bidx = np.sort(np.random.RandomState(1).permutation(len(bc.target))[:150])
    Xb = bc.data[bidx][:, [0, 1, 4, 7, 20]]
    Xb = np.round((Xb - Xb.mean(0)) / Xb.std(0), 6)
    yb = bc.target[bidx]

    reg_scoring = ["r2", "explained_variance", "neg_mean_absolute_error", "neg_mean_squared_error",
                   "neg_root_mean_squared_error", "neg_median_absolute_error",
                   "neg_mean_absolute_percentage_error"]
    multi_scoring = ["accuracy", "balanced_accuracy", "f1_macro", "f1_micro", "f1_weighted",
                     "precision_macro", "recall_weighted", "neg_log_loss", "roc_auc_ovr",
                     "roc_auc_ovo", "roc_auc_ovr_weighted", "matthews_corrcoef"]
    bin_scoring = ["accuracy", "roc_auc", "average_precision", "neg_brier_score", "f1", "precision",
                   "recall", "neg_log_loss", "roc_auc_ovr"]

    def cvres(est, X, y, cv, scoring):
        r = cross_validate(est, X, y, cv=cv, scoring=scoring, return_train_score=True)
        return {"test": {s: nums(r["test_" + s]) for s in scoring},
                "train": {s: nums(r["train_" + s]) for s in scoring}}

    logistic = LogisticRegression(tol=1e-10, max_iter=10000)
    out = {
        "data": {
            "regression": {"X": Xr.tolist(), "y": yr.tolist()},
            "multiclass": {"X": Xm.tolist(), "y": ym.tolist()},
            "binary": {"X": Xb.tolist(), "y": yb.tolist()},
        },
        "ridge": cvres(Ridge(alpha=1.0), Xr, yr, KFold(5), reg_scoring),
        "knn": cvres(KNeighborsClassifier(5), Xm, ym, StratifiedKFold(3), multi_scoring),
        "logistic": cvres(logistic, Xb, yb, StratifiedKFold(4), bin_scoring),
        "default_score": {
            "ridge": nums(cross_validate(Ridge(), Xr, yr, cv=4)["test_score"]),
            "knn": nums(cross_validate(KNeighborsClassifier(3), Xm, ym, cv=3)["test_score"]),
        },
        "predict": {
            "ridge": nums(cross_val_predict(Ridge(alpha=2.0), Xr, yr, cv=KFold(3))),
            "knn_proba": nums(cross_val_predict(KNeighborsClassifier(4), Xm, ym, cv=StratifiedKFold(3),
                                                method="predict_proba")),
            "knn": cross_val_predict(KNeighborsClassifier(4), Xm, ym, cv=StratifiedKFold(3)).tolist(),
            # method="decision_function": binary (1-D, the second class's score); multiclass (one
            # column per class) is missing_class's folds 1 and 2 (scaled data: on unscaled iris
            # scikit-learn's lbfgs stops on its ftol, 1e-4 short of tol).
            "logistic_decision_binary": nums(cross_val_predict(logistic, Xb, yb, cv=StratifiedKFold(4),
                                                               method="decision_function")),
            "missing_class": missing_class_decision(logistic),
        },
    }
    lc = {}
    for name, sizes in [("fractions", [0.2, 0.5, 1.0]), ("counts", [3, 10, 20, 45])]:
        sz, tr, te = learning_curve(Ridge(alpha=0.5), Xr, yr, train_sizes=sizes, cv=KFold(4),
                                    scoring="neg_mean_squared_error")
        lc[name] = {"sizes": sizes, "abs": sz.tolist(), "train": [nums(r) for r in tr],
                    "test": [nums(r) for r in te]}
    sz, tr, te = learning_curve(KNeighborsClassifier(3), Xm, ym, train_sizes=[0.6, 0.8, 1.0], cv=3)
    lc["knn"] = {"sizes": [0.6, 0.8, 1.0], "abs": sz.tolist(), "train": [nums(r) for r in tr],
                 "test": [nums(r) for r in te]}
    out["learning_curve"] = lc
    tr, te = validation_curve(Ridge(), Xr, yr, param_name="alpha", param_range=[0.01, 1, 100],
                              cv=KFold(3), scoring="r2")
    vc = {"ridge": {"train": [nums(r) for r in tr], "test": [nums(r) for r in te]}}
    tr, te = validation_curve(KNeighborsClassifier(), Xm, ym, param_name="n_neighbors",
                              param_range=[1, 3, 7], cv=StratifiedKFold(3), scoring="f1_macro")
    vc["knn"] = {"train": [nums(r) for r in tr], "test": [nums(r) for r in te]}
    out["validation_curve"] = vc
    # A scorer that fails on one fold (roc_auc_ovr on a test fold holding two of the three
    # classes) scores NaN there with a warning; the other folds keep their scores.
    n = len(ym)
    rows = np.arange(n)
    tests = [rows[rows % 3 == 0], rows[(rows >= 45) & (rows % 2 == 0)], rows[rows % 3 == 1]]
    folds = [(np.setdiff1d(rows, t), t) for t in tests]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = cross_validate(KNeighborsClassifier(5), Xm, ym, cv=folds, scoring=["accuracy", "roc_auc_ovr"],
                           return_train_score=True)
        tr, te = validation_curve(KNeighborsClassifier(), Xm, ym, param_name="n_neighbors",
                                  param_range=[3, 5], cv=folds, scoring="roc_auc_ovr")
    out["scoring_failure"] = {
        "folds": [{"train": a.tolist(), "test": b.tolist()} for a, b in folds],
        "cross_validate": {"test": {s: nums(r["test_" + s]) for s in ["accuracy", "roc_auc_ovr"]},
                           "train": {s: nums(r["train_" + s]) for s in ["accuracy", "roc_auc_ovr"]}},
        "validation_curve": {"train": [nums(x) for x in tr], "test": [nums(x) for x in te]},
    }
    # Regression scorers on a classifier score the (numeric) labels themselves, not their codes:
    # labels 0, 1, 5 are not evenly spaced, so codes 0, 1, 2 would give other errors.
    y015 = np.array([0, 1, 5])[ym]
    r = cross_validate(KNeighborsClassifier(3), Xm, y015, cv=StratifiedKFold(3),
                       scoring=["neg_mean_squared_error", "r2", "neg_mean_absolute_error"])
    out["regression_scorers_on_labels"] = {
        "y": y015.tolist(),
        "test": {s: nums(r["test_" + s]) for s in ["neg_mean_squared_error", "r2", "neg_mean_absolute_error"]},
    }
    write("cv.json", out)


def parzen_section():
    import optuna
    from optuna import distributions as D
    from optuna.samplers._tpe import _truncnorm as tn
    from optuna.samplers._tpe.parzen_estimator import _ParzenEstimator, _ParzenEstimatorParameters
    from optuna.samplers._tpe.sampler import (
        _split_observation_pairs,
        default_gamma,
        default_weights,
    )

    def params(multivariate=False, **kw):
        return _ParzenEstimatorParameters(
            kw.get("consider_prior", True), kw.get("prior_weight", 1.0),
            kw.get("consider_magic_clip", True), kw.get("consider_endpoints", False),
            default_weights, multivariate)

    def corrected_log_pdf(pe, samples_dict):
        # Optuna 3.1's log_pdf, with the density's -log(sigma) term that later releases restored.
        samples_dict = pe._transform_to_uniform(samples_dict)
        n_samples = next(iter(samples_dict.values())).size
        comp = np.zeros((n_samples, len(pe._weights)))
        for name, dist in pe._search_space.items():
            x = samples_dict[name]
            if isinstance(dist, D.CategoricalDistribution):
                comp += np.log(pe._categorical_weights[name].T[x.astype(int), :])
                continue
            low, high, q = pe._low[name], pe._high[name], pe._q[name]
            mus, sigmas = pe._mus[name], pe._sigmas[name]
            if q is None:
                comp += tn.logpdf(x[:, None], (low - mus) / sigmas, (high - mus) / sigmas,
                                  loc=mus, scale=sigmas) - np.log(sigmas)
            else:
                upper = np.minimum(x + q / 2.0, high)
                lower = np.maximum(x - q / 2.0, low)
                comp += tn._log_gauss_mass((lower[:, None] - mus) / sigmas,
                                           (upper[:, None] - mus) / sigmas) - tn._log_gauss_mass(
                    (low - mus) / sigmas, (high - mus) / sigmas)
        w = comp + np.log(pe._weights)
        m = w.max(axis=1)
        return np.log(np.exp(w - m[:, None]).sum(axis=1)) + m

    rng = np.random.RandomState(11)
    cases = []

    def add(name, space, obs, samples, multivariate=False, **kw):
        pe = _ParzenEstimator({k: np.asarray(v, dtype=float) for k, v in obs.items()}, space,
                              params(multivariate, **kw))
        spaces = {}
        for k, d in space.items():
            if isinstance(d, D.CategoricalDistribution):
                spaces[k] = {"type": "categorical", "choices": list(d.choices)}
            elif isinstance(d, D.IntDistribution):
                spaces[k] = {"type": "int", "low": d.low, "high": d.high, "log": d.log, "step": d.step}
            else:
                spaces[k] = {"type": "float", "low": d.low, "high": d.high, "log": d.log, "step": d.step}
        case = {
            "name": name, "space": spaces, "multivariate": multivariate, "options": kw,
            "observations": {k: list(map(float, v)) for k, v in obs.items()},
            "weights": nums(pe._weights),
            "numeric": {}, "categorical": {},
            "samples": {k: list(map(float, v)) for k, v in samples.items()},
            "logPdf": nums(pe.log_pdf({k: np.asarray(v, dtype=int if isinstance(space[k], D.CategoricalDistribution) else float) for k, v in samples.items()})),
            "logPdfNormalized": nums(corrected_log_pdf(pe, {k: np.asarray(v, dtype=float) for k, v in samples.items()})),
        }
        for k, d in space.items():
            if isinstance(d, D.CategoricalDistribution):
                case["categorical"][k] = [nums(r) for r in pe._categorical_weights[k]]
            else:
                case["numeric"][k] = {"low": num(pe._low[k]), "high": num(pe._high[k]),
                                      "q": None if pe._q[k] is None else num(pe._q[k]),
                                      "mus": nums(pe._mus[k]), "sigmas": nums(pe._sigmas[k])}
        cases.append(case)

    add("float", {"x": D.FloatDistribution(-5, 5)},
        {"x": [0.3, -2.0, 4.5, 1.1, 1.1, -4.9]}, {"x": [-5, -1.2, 0, 0.31, 2.5, 5]})
    add("float-log", {"lr": D.FloatDistribution(1e-3, 10, log=True)},
        {"lr": [0.01, 0.2, 3.0, 0.05]}, {"lr": [0.001, 0.004, 0.05, 0.9, 9.99]})
    add("int", {"n": D.IntDistribution(1, 20)}, {"n": [3, 3, 7, 19, 1]}, {"n": [1, 2, 3, 10, 20]})
    add("int-log", {"leaves": D.IntDistribution(2, 512, log=True)},
        {"leaves": [31, 8, 200, 64, 2]}, {"leaves": [2, 3, 31, 100, 512]})
    add("float-step", {"f": D.FloatDistribution(0, 1, step=0.1)},
        {"f": [0.2, 0.5, 0.5, 0.9]}, {"f": [0.0, 0.1, 0.5, 0.7, 1.0]})
    add("categorical", {"c": D.CategoricalDistribution(["a", "b", "c", "d"])},
        {"c": [0, 2, 2, 3, 0, 0]}, {"c": [0, 1, 2, 3]})
    add("empty", {"x": D.FloatDistribution(0, 2)}, {"x": []}, {"x": [0, 0.5, 1.9]})
    many = rng.uniform(-3, 3, size=40).round(6).tolist()
    add("ramp-weights", {"x": D.FloatDistribution(-3, 3)}, {"x": many}, {"x": [-2.5, 0, 1, 2.9]})
    add("no-prior-endpoints", {"x": D.FloatDistribution(0, 10)}, {"x": [1, 4, 9]},
        {"x": [0.5, 4, 9.5]}, consider_prior=False, consider_endpoints=True)
    add("multivariate", {"x": D.FloatDistribution(-1, 1), "k": D.IntDistribution(0, 8),
                         "c": D.CategoricalDistribution([True, False])},
        {"x": [0.1, -0.5, 0.9, 0.0, 0.3], "k": [1, 5, 8, 0, 2], "c": [0, 1, 1, 0, 0]},
        {"x": [-0.9, 0.1, 0.5], "k": [0, 2, 8], "c": [0, 1, 0]}, multivariate=True)

    qs = [1e-6, 0.01, 0.3, 0.5, 0.77, 0.999]
    bounds = [(-1.0, 1.0), (-3.0, -0.5), (0.2, 4.0), (-30.0, -25.0), (5.0, 40.0), (-0.1, 0.0)]
    ppf = [{"q": q, "a": a, "b": b, "value": num(tn.ppf(np.array([q]), a, b)[0])}
           for q in qs for a, b in bounds]
    pts = [-40.0, -21.0, -20.0, -8.0, -1.5, -0.2, 0.0, 0.3, 2.0, 6.0, 6.5, 12.0]
    log_ndtr = [{"a": a, "value": num(tn._log_ndtr_single(a))} for a in pts]
    mass = [{"a": a, "b": b, "value": num(tn._log_gauss_mass(np.array([a]), np.array([b]))[0])}
            for a, b in bounds + [(-0.5, 0.5), (-8.0, 8.0), (3.0, 3.5)]]
    logpdf = [{"x": x, "a": a, "b": b, "loc": loc, "scale": sc,
               "value": num(tn.logpdf(np.array([x]), a, b, loc=loc, scale=sc)[0]),
               "normalized": num(tn.logpdf(np.array([x]), a, b, loc=loc, scale=sc)[0] - math.log(sc))}
              for x, a, b, loc, sc in [(0.2, -1, 1, 0, 1), (1.5, -2, 3, 1, 0.5), (-3, -10, 0.5, 2, 2),
                                        (4.0, -1, 1, 0, 1)]]
    erf = [{"x": x, "erf": math.erf(x), "erfc": math.erfc(x)}
           for x in [-7, -3.1, -2, -0.9, -0.3, 1e-9, 0.5, 0.84, 1.0, 1.3, 2.5, 2.9, 4.0, 5.9, 6.1, 27, 30]]
    split_cases = []
    for scores, n_below in [
        ([(-math.inf, 0.5), (-math.inf, 0.1), (-math.inf, 0.9), (-math.inf, 0.1)], 2),
        ([(-math.inf, 3.0), (-2, 1.0), (-math.inf, 2.0), (-4, 0.5), (1, 0.0), (-2, math.inf),
          (-math.inf, 2.0), (math.inf, math.inf)], 3),
    ]:
        below, above = _split_observation_pairs([(st, [v]) for st, v in scores], n_below, None)
        split_cases.append({"scores": [[num(a), num(b)] for a, b in scores], "nBelow": n_below,
                            "below": below.tolist(), "above": above.tolist()})
    write("parzen.json", {
        "optuna": optuna.__version__, "cases": cases, "ppf": ppf, "logNdtr": log_ndtr,
        "logGaussMass": mass, "logpdf": logpdf, "erf": erf,
        "gamma": [[n, default_gamma(n)] for n in [0, 1, 9, 10, 11, 100, 249, 250, 251, 1000]],
        "weights": {str(n): nums(default_weights(n)) for n in [0, 1, 24, 25, 26, 30, 60]},
        "split": split_cases,
    })


def pruner_section():
    import optuna
    from optuna.pruners import MedianPruner, PercentilePruner, SuccessiveHalvingPruner

    optuna.logging.set_verbosity(optuna.logging.ERROR)

    def scenario(pruner, direction, n_trials, n_steps, seed):
        r = np.random.RandomState(seed)
        study = optuna.create_study(direction=direction, pruner=pruner)
        events = []
        running = []
        # Interleave: start trials in pairs; each reports step by step; prune decisions recorded.
        for t in range(n_trials):
            trial = study.ask()
            running.append(trial)
            events.append({"op": "ask", "trial": trial.number})
            if len(running) < 2 and t < n_trials - 1:
                continue
            for step in range(n_steps):
                for tr in list(running):
                    v = float(np.round(r.normal(loc=tr.number % 3, scale=1.0), 4))
                    tr.report(v, step)
                    p = tr.should_prune()
                    events.append({"op": "report", "trial": tr.number, "value": v, "step": step,
                                   "prune": bool(p)})
                    if p:
                        study.tell(tr, state=optuna.trial.TrialState.PRUNED)
                        events.append({"op": "pruned", "trial": tr.number})
                        running.remove(tr)
            for tr in running:
                final = float(np.round(r.normal(loc=tr.number % 3), 4))
                study.tell(tr, final)
                events.append({"op": "complete", "trial": tr.number, "value": final})
            running = []
        return events

    out = {
        "median": {"options": {"nStartupTrials": 2, "nWarmupSteps": 1},
                   "direction": "maximize",
                   "events": scenario(MedianPruner(n_startup_trials=2, n_warmup_steps=1),
                                      "maximize", 14, 5, 1)},
        "median-min": {"options": {"nStartupTrials": 3, "intervalSteps": 2},
                       "direction": "minimize",
                       "events": scenario(MedianPruner(n_startup_trials=3, interval_steps=2),
                                          "minimize", 12, 6, 2)},
        "percentile": {"percentile": 25, "options": {"nStartupTrials": 1, "nMinTrials": 3},
                       "direction": "maximize",
                       "events": scenario(PercentilePruner(25, n_startup_trials=1, n_min_trials=3),
                                          "maximize", 12, 4, 3)},
        "asha": {"options": {"minResource": 1, "reductionFactor": 2}, "direction": "maximize",
                 "events": scenario(SuccessiveHalvingPruner(min_resource=1, reduction_factor=2),
                                    "maximize", 16, 9, 4)},
        "asha-min": {"options": {"minResource": 2, "reductionFactor": 3, "minEarlyStoppingRate": 1,
                                 "bootstrapCount": 1},
                     "direction": "minimize",
                     "events": scenario(SuccessiveHalvingPruner(min_resource=2, reduction_factor=3,
                                                                min_early_stopping_rate=1,
                                                                bootstrap_count=1),
                                        "minimize", 14, 20, 5)},
        "asha-auto": {"options": {}, "direction": "maximize",
                      "events": scenario(SuccessiveHalvingPruner(), "maximize", 12, 5, 6)},
    }
    write("pruners.json", out)


def fanova_section():
    from optuna.importance._fanova._tree import _FanovaTree
    from sklearn.ensemble import RandomForestRegressor

    rng = np.random.RandomState(7)
    n = 60
    x0 = rng.uniform(0, 1, n)
    x1 = rng.uniform(-2, 2, n)
    cat = rng.randint(0, 3, n)  # a categorical parameter with 3 choices, one-hot (columns 2..4)
    onehot = np.eye(3)[cat]
    X = np.column_stack([x0, x1, onehot]).round(6)
    y = (np.sin(6 * x0) + 0.3 * x1 ** 2 + np.array([0.0, 1.0, -0.5])[cat]).round(6)
    spaces = np.array([[0.0, 1.0], [-2.0, 2.0], [0.0, 1.0], [0.0, 1.0], [0.0, 1.0]])
    forest = RandomForestRegressor(n_estimators=5, max_depth=6, random_state=0).fit(X, y)
    trees = []
    for est in forest.estimators_:
        t = est.tree_
        ft = _FanovaTree(t, spaces)
        trees.append({
            "left": t.children_left.tolist(), "right": t.children_right.tolist(),
            "feature": t.feature.tolist(), "threshold": nums(t.threshold),
            "value": nums(t.value.ravel()),
            "variance": num(ft.variance),
            "marginal": [num(ft.get_marginal_variance(np.array([0]))),
                         num(ft.get_marginal_variance(np.array([1]))),
                         num(ft.get_marginal_variance(np.array([2, 3, 4])))],
        })
    write("fanova.json", {"spaces": spaces.tolist(), "groups": [[0], [1], [2, 3, 4]], "trees": trees})


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    splitters()
    cv_section()
    parzen_section()
    pruner_section()
    fanova_section()
