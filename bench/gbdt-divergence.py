#!/usr/bin/python3
"""Dumps scikit-learn 1.2's HistGradientBoostingClassifier internals on one breast_cancer fold, for
comparison with Lathe's (bench/gbdt-divergence.ts reads this file and dumps Lathe's side).

  /usr/bin/python3 bench/gbdt-divergence.py OUT.json [CONFIG_INDEX] [FOLD]

CONFIG_INDEX picks one of the fixed configurations of bench/tpe.ts (0 or 1); FOLD one of the three
unshuffled stratified folds. Written: the data, the fold's rows, the bin thresholds, the baseline, the
first iteration's gradients and hessians (as the float32 arrays scikit-learn trains on), every
tree's nodes, and the raw predictions after every iteration on the training and test rows.
"""
import json
import sys

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold

CONFIGS = [
    dict(learning_rate=0.1, max_leaf_nodes=31, min_samples_leaf=20, l2_regularization=1e-6, max_iter=50),
    dict(learning_rate=0.03, max_leaf_nodes=8, min_samples_leaf=50, l2_regularization=1.0, max_iter=100),
]


def main():
    out = sys.argv[1]
    ci = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    fi = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    d = load_breast_cancer()
    X, y = d.data, d.target
    train, test = list(StratifiedKFold(3).split(X, y))[fi]
    est = HistGradientBoostingClassifier(early_stopping=False, random_state=0, **CONFIGS[ci])
    est.fit(X[train], y[train])
    base = float(est._baseline_prediction.ravel()[0])
    n = len(train)
    raw0 = np.full(n, base)
    g = np.empty(n, dtype=np.float32)
    h = np.empty(n, dtype=np.float32)
    est._loss.gradient_hessian(
        y_true=y[train].astype(np.float64), raw_prediction=raw0, gradient_out=g, hessian_out=h
    )
    trees = []
    for it in est._predictors:
        nodes = it[0].nodes
        trees.append(
            {
                k: nodes[k].tolist()
                for k in (
                    "value", "count", "feature_idx", "num_threshold", "missing_go_to_left",
                    "left", "right", "gain", "is_leaf", "bin_threshold",
                )
            }
        )
    stage_train = [s.ravel().tolist() for s in est.staged_decision_function(X[train])]
    stage_test = [s.ravel().tolist() for s in est.staged_decision_function(X[test])]
    result = {
        "config": CONFIGS[ci],
        "X": X.tolist(),
        "y": y.tolist(),
        "fold": fi,
        "train": train.tolist(),
        "test": test.tolist(),
        "thresholds": [t.tolist() for t in est._bin_mapper.bin_thresholds_],
        "baseline": base,
        "grad0": g.astype(np.float64).tolist(),
        "hess0": h.astype(np.float64).tolist(),
        "trees": trees,
        "stageTrain": stage_train,
        "stageTest": stage_test,
        "auc": float(roc_auc_score(y[test], est.decision_function(X[test]))),
    }
    with open(out, "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
