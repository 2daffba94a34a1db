"""Oracle for Lathe's stratified split: the per-class train/test counts of scikit-learn's
StratifiedShuffleSplit (which do not depend on the random state unless remainders tie; when they
tie, every outcome seen over 200 random states is listed). Also ShuffleSplit's test size.
Writes test/fixtures/data/split.json. Run: /usr/bin/python3 scripts/oracles/data_split.py"""
import json
import os

import numpy as np
import sklearn
from sklearn.model_selection import ShuffleSplit, StratifiedShuffleSplit

cases = [
    {"counts": [50, 30, 20], "test_size": 0.2},
    {"counts": [7, 3], "test_size": 0.3},
    {"counts": [33, 33, 34], "test_size": 0.25},
    {"counts": [2, 2, 2, 5], "test_size": 0.45},
    {"counts": [1000, 13], "test_size": 0.1},
    {"counts": [10, 10, 10], "test_size": 0.5},
    {"counts": [5, 7, 11, 13], "test_size": 7},
]
out = {"sklearn": sklearn.__version__, "stratified": [], "shuffle": []}
for case in cases:
    y = np.repeat(np.arange(len(case["counts"])), case["counts"])
    outcomes = set()
    for rs in range(200):
        sss = StratifiedShuffleSplit(n_splits=1, test_size=case["test_size"], random_state=rs)
        train, test = next(sss.split(np.zeros(len(y)), y))
        outcomes.add((tuple(int(c) for c in np.bincount(y[train], minlength=len(case["counts"]))),
                      tuple(int(c) for c in np.bincount(y[test], minlength=len(case["counts"])))))
    out["stratified"].append({**case, "outcomes": [{"train": list(a), "test": list(b)} for a, b in sorted(outcomes)]})
for n, ts in [(10, 0.25), (100, 0.2), (7, 0.5), (1000, 0.333), (50, 3)]:
    train, test = next(ShuffleSplit(n_splits=1, test_size=ts, random_state=0).split(np.zeros(n)))
    out["shuffle"].append({"n": n, "test_size": ts, "n_train": len(train), "n_test": len(test)})
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "test", "fixtures", "data", "split.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
print("wrote", os.path.normpath(path))
