#!/usr/bin/python3
"""Oracle for Lathe's HistGradientBoostingClassifier iteration by iteration (test/models/gbdt).

Fits scikit-learn 1.2's HistGradientBoostingClassifier on breast_cancer with the two fixed
configurations of bench/tpe.ts' "objective agreement" line, on each of the three unshuffled
stratified folds (StratifiedKFold(3), the folds of the bench), early stopping off, and records:

- the first tree (feature, bin threshold and row count of every node, in depth-first order);
- after every iteration, the mean raw prediction (decision function) over the training rows and
  over the test rows, and the raw predictions of a few test rows;
- the raw predictions of every test row after the last iteration, and the fold's ROC AUC;
- the mean AUC over the folds (the bench's objective).

The data is breast_cancer as stored in real-data.json (written by gbdt.py, checked here to be the
same).

Also written: Python's heapq pop order on a sequence of pushes and pops of nodes with many equal
gains (scikit-learn's grower keeps splittable nodes in a heapq, largest gain first), and two small
datasets of 4-level integer features on which that order decides the trees: two nodes tie in gain
and only the one the heap pops first is split (a priority queue that takes the first pushed of
equal nodes grows other trees on 7 of the first 400 seeds of this recipe; seeds 266 and 344 kept).

Run: /usr/bin/python3 scripts/oracles/gbdt_staged.py
"""
import heapq
import json
import os

import numpy as np
import sklearn
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "models", "gbdt")

CONFIGS = [
    dict(learning_rate=0.1, max_leaf_nodes=31, min_samples_leaf=20, l2_regularization=1e-6, max_iter=50),
    dict(learning_rate=0.03, max_leaf_nodes=8, min_samples_leaf=50, l2_regularization=1.0, max_iter=100),
]
CAMEL = dict(learning_rate="learningRate", max_leaf_nodes="maxLeafNodes", min_samples_leaf="minSamplesLeaf",
             l2_regularization="l2Regularization", max_iter="maxIter")
# Test rows (positions within the fold's test rows) whose raw predictions are kept at every iteration.
WATCH = [0, 94, 188]


class Node:
    """A splittable node as scikit-learn's TreeNode compares them (larger gain first)."""

    def __init__(self, ident, gain):
        self.ident = ident
        self.gain = gain

    def __lt__(self, other):
        return self.gain > other.gain


def heap_order():
    """Pushes and pops (2 pushes, then 1 pop, ...) of gains drawn from 4 values; the popped ids."""
    rng = np.random.RandomState(3)
    gains = rng.choice([0.5, 1.0, 2.0, 3.0], size=200).tolist()
    ops, popped, heap, k = [], [], [], 0
    for step in range(300):
        if k < len(gains) and (step % 3 != 2 or not heap):
            heapq.heappush(heap, Node(k, gains[k]))
            ops.append(k)
            k += 1
        elif heap:
            popped.append(heapq.heappop(heap).ident)
            ops.append(-1)
    while heap:
        popped.append(heapq.heappop(heap).ident)
        ops.append(-1)
    return dict(gains=gains, ops=ops, popped=popped)


def tie_case(seed):
    rng = np.random.RandomState(seed)
    X = rng.randint(0, 4, size=(140, 5)).astype(float)
    y = (rng.rand(140) < 0.2 + 0.1 * X[:, 0]).astype(float)
    params = dict(learning_rate=0.1, max_leaf_nodes=31, min_samples_leaf=2, l2_regularization=0.0, max_iter=3)
    est = HistGradientBoostingClassifier(early_stopping=False, random_state=0, **params).fit(X, y)
    return dict(seed=seed, X=X.astype(int).tolist(), y=y.astype(int).tolist(),
                params={CAMEL[k]: v for k, v in params.items()},
                nodes=[len(p[0].nodes) for p in est._predictors],
                raw=est.decision_function(X).tolist())


def main():
    with open(os.path.join(OUT, "real-data.json")) as f:
        stored = json.load(f)["breast_cancer"]
    X = np.asarray(stored["X"], dtype=float)
    y = np.asarray(stored["y"], dtype=float)
    d = load_breast_cancer()
    assert np.array_equal(X, d.data) and np.array_equal(y, d.target), "real-data.json is stale: run gbdt.py"
    folds = list(StratifiedKFold(3).split(X, y))
    cases = []
    for params in CONFIGS:
        aucs = []
        for fi, (train, test) in enumerate(folds):
            est = HistGradientBoostingClassifier(early_stopping=False, random_state=0, **params)
            est.fit(X[train], y[train])
            nodes = est._predictors[0][0].nodes
            first = [
                [-1 if n["is_leaf"] else int(n["feature_idx"]), int(n["bin_threshold"]), int(n["count"])]
                for n in nodes
            ]
            mean_train, mean_test, watched = [], [], []
            for s_tr, s_te in zip(est.staged_decision_function(X[train]), est.staged_decision_function(X[test])):
                mean_train.append(float(np.mean(s_tr)))
                mean_test.append(float(np.mean(s_te)))
                watched.append([float(s_te[i]) for i in WATCH])
            raw = est.decision_function(X[test])
            auc = float(roc_auc_score(y[test], raw))
            aucs.append(auc)
            cases.append(dict(
                params={CAMEL[k]: v for k, v in params.items()},
                fold=fi,
                test=test.tolist(),
                baseline=float(est._baseline_prediction.ravel()[0]),
                firstTree=first,
                meanRawTrain=mean_train,
                meanRawTest=mean_test,
                watchedRows=WATCH,
                watchedRaw=watched,
                finalRawTest=raw.tolist(),
                auc=auc,
            ))
            print(f"{params} fold {fi}: AUC {auc:.6f}, {len(nodes)} nodes in the first tree")
        print(f"  mean AUC {np.mean(aucs):.6f}")
    out = dict(sklearn=sklearn.__version__, data="breast_cancer (real-data.json)",
               folds="StratifiedKFold(3), unshuffled", cases=cases,
               meanAuc=[float(np.mean([c["auc"] for c in cases[3 * i:3 * i + 3]])) for i in range(len(CONFIGS))],
               heap=heap_order(), ties=[tie_case(266), tie_case(344)])
    with open(os.path.join(OUT, "staged.json"), "w") as f:
        json.dump(out, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
