#!/usr/bin/python3
"""Anchor side of bench/queue.ts: Optuna 3.1's distributed optimisation — several processes
sharing one study through a storage (here JournalFileStorage, Optuna's multi-process file storage;
RDB storage needs a driver Debian's Optuna does not bring) — each process running trials of
scikit-learn's HistGradientBoostingClassifier with 3-fold stratified CV (roc_auc), random sampler.

  /usr/bin/python3 bench/queue-anchor.py DATA.csv TRIALS PROCESSES MAX_ITER SEED

Prints one JSON line: {"seconds", "trials", "best", "processes"}. Each process is started with
OMP_NUM_THREADS=1, so PROCESSES processes use PROCESSES cores, as Lathe's worker threads do.
"""
import json
import os
import subprocess
import sys
import tempfile
import time


def objective_factory(X, y, max_iter):
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    folds = StratifiedKFold(n_splits=3)

    def objective(trial):
        est = HistGradientBoostingClassifier(
            max_iter=max_iter,
            early_stopping=False,
            learning_rate=trial.suggest_float("learningRate", 0.02, 0.3, log=True),
            max_leaf_nodes=trial.suggest_int("maxLeafNodes", 8, 64, log=True),
            min_samples_leaf=trial.suggest_int("minSamplesLeaf", 5, 50, log=True),
            l2_regularization=trial.suggest_float("l2Regularization", 1e-6, 1.0, log=True),
        )
        return cross_val_score(est, X, y, cv=folds, scoring="roc_auc").mean()

    return objective


def worker(data, journal, study_name, trials, max_iter, seed):
    import numpy as np
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    d = np.loadtxt(data, delimiter=",", skiprows=1)
    X, y = d[:, :-1], d[:, -1].astype(int)
    storage = optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(journal))
    study = optuna.load_study(study_name=study_name, storage=storage, sampler=optuna.samplers.RandomSampler(seed=seed))
    study.optimize(objective_factory(X, y, max_iter), n_trials=trials)


def main():
    if sys.argv[1] == "worker":
        _, _, data, journal, name, trials, max_iter, seed = sys.argv
        worker(data, journal, name, int(trials), int(max_iter), int(seed))
        return
    data, trials, processes, max_iter, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        journal = os.path.join(tmp, "journal.log")
        storage = optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(journal))
        study = optuna.create_study(study_name="bench", storage=storage, direction="maximize")
        env = dict(os.environ, OMP_NUM_THREADS="1")
        share = [trials // processes + (1 if i < trials % processes else 0) for i in range(processes)]
        t0 = time.perf_counter()
        procs = [
            subprocess.Popen(
                [sys.executable, __file__, "worker", data, journal, "bench", str(share[i]), max_iter, str(seed * 100 + i)],
                env=env,
            )
            for i in range(processes)
        ]
        for p in procs:
            if p.wait() != 0:
                raise SystemExit(f"an Optuna worker exited {p.returncode}")
        seconds = time.perf_counter() - t0
        study = optuna.load_study(study_name="bench", storage=storage)
        done = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
        print(json.dumps({"seconds": seconds, "trials": len(done), "best": study.best_value, "processes": processes}))


if __name__ == "__main__":
    main()
