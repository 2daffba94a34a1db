#!/usr/bin/python3
"""One scikit-learn run for bench/preprocess.ts: time each preprocessing job (fit + transform) once
on the data written by bench/preprocess.ts and print one JSON line
{job: {"seconds": s, "value": checksum}} (the checksum is the NaN-ignoring sum of the output).

Usage: preprocess-anchor.py <data prefix> <rows>   (OMP_NUM_THREADS set by the caller)
"""
import json
import sys
import time

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, RobustScaler, StandardScaler


def main():
    prefix, n = sys.argv[1], int(sys.argv[2])
    X = np.fromfile(prefix + ".num.f64", dtype="<f8").reshape(n, -1)
    codes = np.fromfile(prefix + ".cat.i32", dtype="<i4").reshape(n, -1)
    ms = np.fromfile(prefix + ".date.f64", dtype="<f8")
    cats = {}
    for j in range(codes.shape[1]):
        labels = np.array([f"c{k}" for k in range(codes[:, j].max() + 1)], dtype=object)
        col = labels[np.maximum(codes[:, j], 0)]
        col[codes[:, j] < 0] = np.nan
        cats[f"cat{j}"] = col
    frame = pd.DataFrame({**{f"num{j}": X[:, j] for j in range(X.shape[1])}, **cats})
    cat_frame = pd.DataFrame(cats)
    num_cols = [f"num{j}" for j in range(X.shape[1])]
    jobs = {
        "StandardScaler": lambda: StandardScaler().fit(X).transform(X),
        "RobustScaler": lambda: RobustScaler().fit(X).transform(X),
        "SimpleImputer median": lambda: SimpleImputer(strategy="median").fit(X).transform(X),
        "OneHotEncoder": lambda: OneHotEncoder(handle_unknown="ignore", sparse_output=False).fit(cat_frame).transform(cat_frame),
        "OrdinalEncoder": lambda: OrdinalEncoder().fit(cat_frame).transform(cat_frame),
        "date parts": lambda: date_parts(ms),
        "ColumnTransformer": lambda: ColumnTransformer(
            [
                ("num", Pipeline([("impute", SimpleImputer(strategy="median", add_indicator=True)), ("scale", StandardScaler())]), num_cols),
                ("cat", Pipeline([("impute", SimpleImputer(strategy="most_frequent")), ("encode", OneHotEncoder(handle_unknown="ignore", sparse_output=False))]), list(cats)),
            ]
        ).fit(frame).transform(frame),
    }
    out = {}
    for name, job in jobs.items():
        t0 = time.perf_counter()
        value = job()
        out[name] = {"seconds": time.perf_counter() - t0, "value": float(np.nansum(value))}
    print(json.dumps(out))


def date_parts(ms):
    s = pd.Series(pd.to_datetime(ms, unit="ms", utc=True))
    return np.column_stack([s.dt.year, s.dt.month, s.dt.day, s.dt.dayofweek]).astype(float)


main()
