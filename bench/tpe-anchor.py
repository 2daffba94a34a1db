#!/usr/bin/python3
"""Anchor side of bench/tpe.ts: Optuna 3.1 (TPE or random sampler) + scikit-learn's
HistGradientBoosting on the same objective as Lathe's side — the same rows, the same folds, the
same search space, early stopping off.

  /usr/bin/python3 bench/tpe-anchor.py data OUT.json NAMES ROWS
      writes the bundled scikit-learn datasets NAMES (comma-separated; breast_cancer, diabetes,
      wine, digits), optionally subsampled to ROWS rows (0: all), as JSON.
  /usr/bin/python3 bench/tpe-anchor.py run CONFIG.json
      runs the studies described in CONFIG.json and prints one JSON line per (sampler, seed):
      {"sampler", "seed", "values": [trial values in order], "seconds"}.
  /usr/bin/python3 bench/tpe-anchor.py check CONFIG.json
      prints the CV score of each fixed configuration in CONFIG["configs"].
  /usr/bin/python3 bench/tpe-anchor.py synthetic CONFIG.json
      as run, on the cheap synthetic objective of bench/tpe.ts --synthetic (no model fits).
"""
import json
import sys
import time
import warnings

import numpy as np


def load(name):
    from sklearn import datasets

    if name == "breast_cancer":
        d = datasets.load_breast_cancer()
        return d.data, d.target, "binary"
    if name == "diabetes":
        d = datasets.load_diabetes()
        return d.data, d.target, "regression"
    if name == "wine":
        d = datasets.load_wine()
        return d.data, d.target, "multiclass"
    if name == "digits":
        d = datasets.load_digits()
        return d.data, d.target, "multiclass"
    raise SystemExit(f"unknown dataset {name}")


def write_data(out, names, rows):
    result = {}
    for name in names.split(","):
        X, y, task = load(name)
        if rows and rows < len(y):
            idx = np.sort(np.random.RandomState(0).permutation(len(y))[:rows])
            X, y = X[idx], y[idx]
        result[name] = {"X": X.tolist(), "y": y.tolist(), "task": task}
    with open(out, "w") as f:
        json.dump(result, f)


def estimator(task, params):
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

    cls = HistGradientBoostingRegressor if task == "regression" else HistGradientBoostingClassifier
    return cls(
        learning_rate=params["learningRate"],
        max_leaf_nodes=params["maxLeafNodes"],
        min_samples_leaf=params["minSamplesLeaf"],
        l2_regularization=params["l2Regularization"],
        max_iter=params["maxIter"],
        early_stopping=False,
        random_state=0,
    )


def cv_score(cfg, params):
    from sklearn.model_selection import cross_val_score

    X = np.asarray(cfg["X"])
    y = np.asarray(cfg["y"])
    folds = [(np.asarray(f["train"]), np.asarray(f["test"])) for f in cfg["folds"]]
    return float(cross_val_score(estimator(cfg["task"], params), X, y, cv=folds, scoring=cfg["scoring"]).mean())


def synthetic(p):
    """The same function as syntheticObjective in bench/tpe.ts (maximised; optimum 0)."""
    import math

    a = math.log10(p["learningRate"]) - math.log10(0.05)
    b = math.log2(p["maxLeafNodes"]) - math.log2(40)
    c = math.log10(p["minSamplesLeaf"]) - math.log10(20)
    d = math.log10(p["l2Regularization"]) + 2
    e = math.log(p["maxIter"]) - math.log(200)
    return -(a * a + b * b / 4 + c * c + 0.05 * d * d + e * e / 2 + 0.5 * a * e)


def run(cfg, objective_of=None):
    import optuna

    optuna.logging.set_verbosity(optuna.logging.ERROR)
    s = cfg["space"]
    score = objective_of or (lambda params: cv_score(cfg, params))

    def objective(trial):
        params = {
            "learningRate": trial.suggest_float("learningRate", *s["learningRate"], log=True),
            "maxLeafNodes": trial.suggest_int("maxLeafNodes", *s["maxLeafNodes"], log=True),
            "minSamplesLeaf": trial.suggest_int("minSamplesLeaf", *s["minSamplesLeaf"], log=True),
            "l2Regularization": trial.suggest_float("l2Regularization", *s["l2Regularization"], log=True),
            "maxIter": trial.suggest_int("maxIter", *s["maxIter"], log=True),
        }
        return score(params)

    for sampler_name in cfg["samplers"]:
        for seed in cfg["seeds"]:
            sampler = (
                optuna.samplers.TPESampler(seed=seed)
                if sampler_name == "tpe"
                else optuna.samplers.RandomSampler(seed=seed)
            )
            study = optuna.create_study(direction="maximize", sampler=sampler)
            for params in cfg.get("startup", {}).get(str(seed), []):
                study.enqueue_trial(params)
            t0 = time.perf_counter()
            study.optimize(objective, n_trials=cfg["nTrials"])
            seconds = time.perf_counter() - t0
            values = [t.value for t in study.trials]
            print(json.dumps({"sampler": sampler_name, "seed": seed, "values": values, "seconds": seconds}), flush=True)


def check(cfg):
    print(json.dumps([cv_score(cfg, p) for p in cfg["configs"]]))


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    if sys.argv[1] == "data":
        write_data(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        with open(sys.argv[2]) as f:
            config = json.load(f)
        if sys.argv[1] == "run":
            run(config)
        elif sys.argv[1] == "synthetic":
            run(config, synthetic)
        else:
            check(config)
