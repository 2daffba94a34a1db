#!/usr/bin/python3
"""Oracle values for src/preprocess, from scikit-learn 1.2.1, pandas 1.5.3 and NumPy.

Run with Debian's Python:  /usr/bin/python3 scripts/oracles/preprocess.py
Writes test/fixtures/preprocess/*.json (NaN as null). The TypeScript tests compare at 1e-9.

TargetEncoder appeared in scikit-learn 1.3, so its values come from `target_encode_reference`
below, written from the formulas of scikit-learn 1.3's `_target_encoder_fast.pyx`
(Micci-Barreca 2001, eqs. 5-7) and `_target_encoder.py` (cross fitting), with explicit folds.
"""

import json
import math
import os
import warnings

import numpy as np
import pandas as pd
import sklearn
from scipy import stats
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler, OneHotEncoder, OrdinalEncoder, RobustScaler, StandardScaler

assert sklearn.__version__ == "1.2.1", sklearn.__version__
warnings.filterwarnings("ignore")

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "preprocess")
os.makedirs(OUT, exist_ok=True)


def plain(v):
    """JSON-safe: arrays to lists, NaN/None to null, numpy scalars to Python."""
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, (np.ndarray, pd.Series)):
        return plain(np.asarray(v).tolist())
    if v is None or v is pd.NaT:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        return None if math.isnan(f) else f
    return v


def write(name, data):
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        json.dump(plain(data), f, separators=(",", ":"), allow_nan=False)
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


rng = np.random.default_rng(20240601)

# ---------------------------------------------------------------------------------------------
# Numeric data sets: NaN, constant columns, near-constant columns, ties, tiny samples.


def numeric_sets():
    sets = {}
    n = 40
    a = rng.normal(3, 2, size=(n, 5))
    a[rng.random((n, 5)) < 0.1] = np.nan
    a[:, 2] = 5.0  # constant
    a[3, 2] = np.nan
    a[:, 3] = np.round(a[:, 3])  # ties
    a[:, 4] = 1e6 + rng.normal(0, 1e-3, n)  # large offset, small spread
    t = rng.normal(3, 4, size=(12, 5))
    t[rng.random((12, 5)) < 0.15] = np.nan
    sets["mixed"] = (a, t)

    b = np.column_stack([np.full(9, 0.1), np.arange(9.0), np.full(9, np.nan), [1, 1, 2, 2, 2, 3, 3, 3, 3]])
    b[4, 1] = np.nan
    tb = np.array([[0.1, -5, 1, 0], [0.3, 20, np.nan, 9], [np.nan, 4, 2, 2]])
    sets["constant_and_empty"] = (b, tb)

    sets["even_count"] = (np.array([[1.0, 10], [2, 30], [4, 20], [8, 40]]), np.array([[0.0, 0], [3, 25]]))
    sets["one_row"] = (np.array([[2.5, -1.0]]), np.array([[3.0, 0.0], [2.5, -1]]))
    sets["two_rows"] = (np.array([[1.0, 7.0], [3.0, 7.0]]), np.array([[2.0, 8.0]]))
    return sets


def scaler_cases():
    cases = []
    specs = [
        ("StandardScaler", {}, {}),
        ("StandardScaler", {"withMean": False}, {"with_mean": False}),
        ("StandardScaler", {"withStd": False}, {"with_std": False}),
        ("StandardScaler", {"withMean": False, "withStd": False}, {"with_mean": False, "with_std": False}),
        ("MinMaxScaler", {}, {}),
        ("MinMaxScaler", {"featureRange": [-1, 3]}, {"feature_range": (-1, 3)}),
        ("MinMaxScaler", {"clip": True}, {"clip": True}),
        ("RobustScaler", {}, {}),
        ("RobustScaler", {"quantileRange": [10, 90]}, {"quantile_range": (10, 90)}),
        ("RobustScaler", {"quantileRange": [0, 100]}, {"quantile_range": (0, 100)}),
        ("RobustScaler", {"quantileRange": [25.5, 74.3]}, {"quantile_range": (25.5, 74.3)}),
        ("RobustScaler", {"quantileRange": [50, 50]}, {"quantile_range": (50, 50)}),
        ("RobustScaler", {"unitVariance": True}, {"unit_variance": True}),
        ("RobustScaler", {"withCentering": False}, {"with_centering": False}),
        ("RobustScaler", {"withScaling": False}, {"with_scaling": False}),
    ]
    classes = {"StandardScaler": StandardScaler, "MinMaxScaler": MinMaxScaler, "RobustScaler": RobustScaler}
    attrs = {
        "StandardScaler": ["mean_", "var_", "scale_", "n_samples_seen_"],
        "MinMaxScaler": ["data_min_", "data_max_", "data_range_", "scale_", "min_"],
        "RobustScaler": ["center_", "scale_"],
    }
    sets = numeric_sets()
    for set_name, (train, test) in sets.items():
        for cls, ours, theirs in specs:
            est = classes[cls](**theirs).fit(train)
            fitted = {}
            for a in attrs[cls]:
                v = getattr(est, a, None)
                if v is not None and np.ndim(v) == 0:
                    v = np.full(train.shape[1], v)
                fitted[a] = v
            cases.append(
                {
                    "name": f"{cls} {json.dumps(ours)} on {set_name}",
                    "transformer": cls,
                    "params": ours,
                    "set": set_name,
                    "fitted": fitted,
                    "train_out": est.transform(train),
                    "test_out": est.transform(test),
                }
            )
    return {"sets": {k: {"train": tr, "test": te} for k, (tr, te) in sets.items()}, "cases": cases}


# ---------------------------------------------------------------------------------------------
# SimpleImputer: numeric strategies, indicators, empty columns; strings.


def imputer_cases():
    cases = []
    train = np.array(
        [
            [1.0, np.nan, 3.0, np.nan, 7.0],
            [np.nan, 2.0, 3.0, np.nan, 7.0],
            [4.0, 2.0, np.nan, np.nan, 8.0],
            [4.0, 5.0, 1.0, np.nan, 8.0],
            [10.0, 5.0, 1.0, np.nan, 9.0],
            [2.0, np.nan, 3.0, np.nan, 6.5],
        ]
    )
    test = np.array([[np.nan, np.nan, np.nan, np.nan, np.nan], [3.0, 1.0, 2.0, 4.0, np.nan], [5, 5, 5, 5, 5]])
    specs = [
        ({"strategy": "mean"}, {"strategy": "mean"}),
        ({"strategy": "median"}, {"strategy": "median"}),
        ({"strategy": "most_frequent"}, {"strategy": "most_frequent"}),
        ({"strategy": "constant"}, {"strategy": "constant"}),
        ({"strategy": "constant", "fillValue": 7.5}, {"strategy": "constant", "fill_value": 7.5}),
        ({"strategy": "mean", "addIndicator": True}, {"strategy": "mean", "add_indicator": True}),
        ({"strategy": "median", "addIndicator": True}, {"strategy": "median", "add_indicator": True}),
        ({"strategy": "median", "keepEmptyFeatures": True}, {"strategy": "median", "keep_empty_features": True}),
        (
            {"strategy": "most_frequent", "keepEmptyFeatures": True, "addIndicator": True},
            {"strategy": "most_frequent", "keep_empty_features": True, "add_indicator": True},
        ),
    ]
    big = rng.normal(0, 1, size=(51, 3))
    big[rng.random((51, 3)) < 0.2] = np.nan
    big[:, 2] = np.round(big[:, 2] * 2)
    big_test = rng.normal(0, 1, size=(7, 3))
    big_test[0, :] = np.nan
    # One column whose large values cancel: NumPy sums an n x 1 array pairwise (mean 12/7), not one
    # value after another (16/7), so the mean depends on the order of the additions.
    cancelling = np.array([np.nan, 1e16, 3, 1, np.nan, 3, 3, np.nan, 3, -1e16, np.nan])[:, None]
    sets = {
        "small": (train, test),
        "random": (big, big_test),
        "cancelling": (cancelling, np.array([[np.nan], [5.0]])),
    }
    for set_name, (tr, te) in sets.items():
        for ours, theirs in specs:
            est = SimpleImputer(**theirs).fit(tr)
            cases.append(
                {
                    "name": f"SimpleImputer {json.dumps(ours)} on {set_name}",
                    "params": ours,
                    "set": set_name,
                    "statistics": est.statistics_,
                    "names_out": list(est.get_feature_names_out([f"x{j}" for j in range(tr.shape[1])])),
                    "train_out": est.transform(tr),
                    "test_out": est.transform(te),
                }
            )
    # Strings (object arrays, NaN missing).
    s_train = np.array(
        [["b", "x"], ["a", np.nan], [np.nan, "y"], ["b", "y"], ["a", "x"], ["c", np.nan]], dtype=object
    )
    s_test = np.array([[np.nan, np.nan], ["z", "x"]], dtype=object)
    # A tie between "ｚ" (U+FF5A) and "😀" (U+1F600): the smaller by code point, "ｚ", wins.
    u_train = np.array([["ｚ"], ["😀"], [np.nan], ["😀"], ["ｚ"], ["a"]], dtype=object)
    u_test = np.array([[np.nan], ["é"]], dtype=object)
    string_cases = []
    for ours, theirs, s_train, s_test in [
        ({"strategy": "most_frequent"}, {"strategy": "most_frequent"}, u_train, u_test),
    ] + [(ours, theirs, s_train, s_test) for ours, theirs in [
        ({"strategy": "most_frequent"}, {"strategy": "most_frequent"}),
        ({"strategy": "constant"}, {"strategy": "constant"}),
        ({"strategy": "constant", "fillValue": "UNK"}, {"strategy": "constant", "fill_value": "UNK"}),
        ({"strategy": "most_frequent", "addIndicator": True}, {"strategy": "most_frequent", "add_indicator": True}),
    ]]:
        est = SimpleImputer(missing_values=np.nan, **theirs).fit(s_train)
        string_cases.append(
            {
                "name": f"SimpleImputer strings {json.dumps(ours)}",
                "params": ours,
                "train": s_train,
                "test": s_test,
                "statistics": list(est.statistics_),
                "train_out": est.transform(s_train),
                "test_out": est.transform(s_test),
            }
        )
    return {"sets": {k: {"train": tr, "test": te} for k, (tr, te) in sets.items()}, "cases": cases}, string_cases


# ---------------------------------------------------------------------------------------------
# OneHotEncoder and OrdinalEncoder.


def category_of(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, (np.floating, float)):
        return float(v)
    if isinstance(v, (np.integer, int)):
        return int(v)
    return str(v)


def encoder_data():
    cities = np.array(["Paris", "Lyon", "Nice", "Lille", "Brest", "Metz"], dtype=object)
    p = np.array([0.4, 0.25, 0.15, 0.1, 0.06, 0.04])
    n = 60
    city = cities[rng.choice(6, size=n, p=p)].astype(object)
    city[rng.random(n) < 0.08] = np.nan
    size = np.array(["S", "M", "L"], dtype=object)[rng.choice(3, size=n, p=[0.5, 0.45, 0.05])]
    code = rng.choice([1.0, 2.0, 3.0, 5.0], size=n, p=[0.5, 0.3, 0.15, 0.05])
    code[rng.random(n) < 0.05] = np.nan
    flag = np.array(["yes", "no"], dtype=object)[rng.choice(2, size=n, p=[0.7, 0.3])]
    train = {"city": city, "size": size, "code": code, "flag": flag}
    test = {
        "city": np.array(["Paris", "Berlin", np.nan, "Metz", "Lyon", "Brest"], dtype=object),
        "size": np.array(["M", "L", "XL", "S", "S", "M"], dtype=object),
        "code": np.array([2.0, 4.0, np.nan, 5.0, 1.0, 3.0]),
        "flag": np.array(["no", "yes", "yes", "maybe", "no", "yes"], dtype=object),
    }
    return train, test


def frame(cols, names):
    return pd.DataFrame({k: cols[k] for k in names})


def onehot_cases():
    train, test = encoder_data()
    known_test = {k: v[[0, 4, 5]] for k, v in test.items()}  # rows whose values were all seen in fit
    for k in known_test:
        seen = set(category_of(x) for x in train[k])
        assert all(category_of(x) in seen for x in known_test[k]), k
    specs = [
        ({}, {}, ["city", "size", "flag"], "known"),
        ({"handleUnknown": "ignore"}, {"handle_unknown": "ignore"}, ["city", "size", "code", "flag"], "all"),
        ({"handleUnknown": "ignore", "drop": "first"}, {"handle_unknown": "ignore", "drop": "first"}, ["city", "size", "flag"], "all"),
        ({"handleUnknown": "ignore", "drop": "if_binary"}, {"handle_unknown": "ignore", "drop": "if_binary"}, ["city", "size", "flag"], "all"),
        ({"handleUnknown": "infrequent_if_exist", "minFrequency": 5}, {"handle_unknown": "infrequent_if_exist", "min_frequency": 5}, ["city", "size", "code", "flag"], "all"),
        ({"handleUnknown": "infrequent_if_exist", "minFrequency": 0.1}, {"handle_unknown": "infrequent_if_exist", "min_frequency": 0.1}, ["city", "size", "code"], "all"),
        ({"handleUnknown": "infrequent_if_exist", "maxCategories": 3}, {"handle_unknown": "infrequent_if_exist", "max_categories": 3}, ["city", "size", "code", "flag"], "all"),
        ({"handleUnknown": "ignore", "maxCategories": 3}, {"handle_unknown": "ignore", "max_categories": 3}, ["city", "code"], "all"),
        ({"handleUnknown": "infrequent_if_exist", "minFrequency": 4, "maxCategories": 4}, {"handle_unknown": "infrequent_if_exist", "min_frequency": 4, "max_categories": 4}, ["city", "size", "code"], "all"),
        ({"handleUnknown": "infrequent_if_exist", "maxCategories": 2, "drop": "if_binary"}, {"handle_unknown": "infrequent_if_exist", "max_categories": 2, "drop": "if_binary"}, ["city", "size", "flag"], "all"),
        ({"handleUnknown": "infrequent_if_exist", "minFrequency": 6, "drop": "first"}, {"handle_unknown": "infrequent_if_exist", "min_frequency": 6, "drop": "first"}, ["city", "size", "code"], "all"),
        ({"maxCategories": 1}, {"max_categories": 1}, ["city", "size"], "known"),
        ({"handleUnknown": "ignore", "categories": [["Paris", "Lyon", "Zurich"], ["S", "M", "L"]]}, {"handle_unknown": "ignore", "categories": [["Paris", "Lyon", "Zurich"], ["S", "M", "L"]]}, ["city", "size"], "all"),
    ]
    # Characters above U+FFFF sort by code point, after U+E000-U+FFFF (JavaScript's `<` on UTF-16
    # code units would put them first).
    unicode_train = {"word": np.array(["ｚ", "😀", "a", "é", np.nan, "😀", "ｚ", "~", "\U0001F4A9"], dtype=object)}
    unicode_test = {"word": np.array(["😀", "ｚ", "é", "\U0001F4A9"], dtype=object)}
    cases = []
    for ours, theirs, cols, which in specs + [({}, {}, ["word"], "unicode")]:
        X = frame(unicode_train if which == "unicode" else train, cols)
        T = frame(unicode_test if which == "unicode" else known_test if which == "known" else test, cols)
        enc = OneHotEncoder(sparse_output=False, **theirs).fit(X)
        outputs = []
        for i, c in enumerate(cols):
            for cat in enc._compute_transformed_categories(i):
                outputs.append([c, "__infrequent__" if cat == "infrequent_sklearn" else category_of(cat)])
        infrequent = getattr(enc, "infrequent_categories_", None) if enc._infrequent_enabled else None
        cases.append(
            {
                "name": f"OneHotEncoder {json.dumps(ours)} on {cols}",
                "params": ours,
                "columns": cols,
                "train": {c: [category_of(v) for v in X[c]] for c in cols},
                "test": {c: [category_of(v) for v in T[c]] for c in cols},
                "categories": [[category_of(v) for v in cats] for cats in enc.categories_],
                "infrequent": None if infrequent is None else [None if x is None else [category_of(v) for v in x] for x in infrequent],
                "outputs": outputs,
                "train_out": enc.transform(X),
                "test_out": enc.transform(T),
            }
        )
    return cases


def ordinal_cases():
    train, test = encoder_data()
    specs = [
        ({}, {}, ["city", "size", "code"], False),
        ({"encodedMissingValue": -1}, {"encoded_missing_value": -1}, ["city", "code"], False),
        ({"handleUnknown": "use_encoded_value", "unknownValue": -1}, {"handle_unknown": "use_encoded_value", "unknown_value": -1}, ["city", "size", "code", "flag"], True),
        ({"handleUnknown": "use_encoded_value", "unknownValue": None, "encodedMissingValue": -2, "unknownNaN": True}, {"handle_unknown": "use_encoded_value", "unknown_value": np.nan, "encoded_missing_value": -2}, ["city", "code"], True),
        ({"handleUnknown": "use_encoded_value", "unknownValue": 99, "categories": [["Paris", "Lyon"], ["L", "M", "S"]]}, {"handle_unknown": "use_encoded_value", "unknown_value": 99, "categories": [["Paris", "Lyon"], ["L", "M", "S"]]}, ["city", "size"], True),
    ]
    unicode_train = {"word": np.array(["ｚ", "😀", "a", "é", np.nan, "😀", "~", "\U0001F4A9"], dtype=object)}
    unicode_test = {"word": np.array(["\U0001F4A9", "ｚ", np.nan, "😀"], dtype=object)}
    specs.append(({}, {}, ["word"], "unicode"))
    cases = []
    known = [0, 4]
    for ours, theirs, cols, unknown in specs:
        if unknown == "unicode":
            X, T = frame(unicode_train, cols), frame(unicode_test, cols)
        else:
            X = frame(train, cols)
            T = frame(test, cols) if unknown else frame({k: v[known] for k, v in test.items()}, cols)
        enc = OrdinalEncoder(**theirs).fit(X)
        cases.append(
            {
                "name": f"OrdinalEncoder {json.dumps(ours)} on {cols}",
                "params": ours,
                "columns": cols,
                "train": {c: [category_of(v) for v in X[c]] for c in cols},
                "test": {c: [category_of(v) for v in T[c]] for c in cols},
                "categories": [[category_of(v) for v in cats] for cats in enc.categories_],
                "train_out": enc.transform(X),
                "test_out": enc.transform(T),
            }
        )
    return cases


# ---------------------------------------------------------------------------------------------
# TargetEncoder reference (scikit-learn 1.3 semantics, from the formulas).


def sorted_categories(values):
    present = [v for v in values if v is not None]
    cats = sorted(set(present))
    if any(v is None for v in values):
        cats.append(None)
    return cats


def encode_auto(codes, y, n_cats, y_mean, y_var):
    """Eq. 5-6 of Micci-Barreca: lambda = var*n / (var*n + ssd/n); enc = lambda*mean_c + (1-lambda)*mean."""
    enc = np.empty(n_cats)
    for c in range(n_cats):
        yc = y[codes == c]
        n = len(yc)
        if n == 0:
            enc[c] = y_mean
            continue
        mean_c = yc.sum() / n
        ssd = ((yc - mean_c) ** 2).sum()
        with np.errstate(all="ignore"):
            lam = (y_var * n) / (y_var * n + ssd / n)
        enc[c] = y_mean if np.isnan(lam) else lam * mean_c + (1 - lam) * y_mean
    return enc


def encode_smooth(codes, y, n_cats, y_mean, smooth):
    """Eq. 7: (sum_c + smooth*mean) / (n_c + smooth); the mean when there is nothing to average."""
    enc = np.empty(n_cats)
    for c in range(n_cats):
        yc = y[codes == c]
        den = len(yc) + smooth
        enc[c] = y_mean if den == 0 else (yc.sum() + smooth * y_mean) / den
    return enc


def target_encode_reference(columns, y_cols, smooth, rows=None):
    """Encodings of each column (x each target column) learnt on `rows` (all when None)."""
    out = []
    for values in columns:
        cats = sorted_categories(values)
        index = {c: i for i, c in enumerate(cats)}
        codes = np.array([index[v] for v in values])
        if rows is not None:
            codes = codes[rows]
        for y in y_cols:
            yy = y if rows is None else y[rows]
            y_mean = yy.mean()
            if smooth == "auto":
                out.append(encode_auto(codes, yy, len(cats), y_mean, yy.var()))
            else:
                out.append(encode_smooth(codes, yy, len(cats), y_mean, smooth))
    return out


def target_cases():
    train, test = encoder_data()
    n = len(train["city"])
    cols = ["city", "code"]
    columns = [[category_of(v) for v in train[c]] for c in cols]
    test_columns = [[category_of(v) for v in test[c]] for c in cols]
    x0 = rng.normal(size=n)
    targets = {
        "continuous": (x0 * 3 + np.array([len(str(c)) for c in train["city"]]), "continuous"),
        "binary": (np.where(x0 + (train["size"] == "S") > 0.3, "yes", "no"), "binary"),
        "multiclass": (np.array(["a", "b", "c"], dtype=object)[rng.choice(3, size=n)], "multiclass"),
    }
    folds = rng.permutation(np.arange(n) % 5)
    cases = []
    for tname, (y_raw, kind) in targets.items():
        if kind == "continuous":
            classes = None
            y_cols = [y_raw.astype(float)]
        else:
            classes = sorted(set(y_raw.tolist()))
            if kind == "binary":
                y_cols = [np.array([classes.index(v) for v in y_raw], dtype=float)]
            else:
                y_cols = [np.array([1.0 if v == c else 0.0 for v in y_raw]) for c in classes]
        for smooth in ["auto", 5.0, 0.0]:
            k = len(y_cols)
            encodings = target_encode_reference(columns, y_cols, smooth)
            means = [y.mean() for y in y_cols]
            cats = [sorted_categories(v) for v in columns]
            # transform: unknown categories -> target mean
            test_out = np.empty((len(test_columns[0]), len(cols) * k))
            for j, values in enumerate(test_columns):
                index = {c: i for i, c in enumerate(cats[j])}
                for cls in range(k):
                    enc = encodings[j * k + cls]
                    for i, v in enumerate(values):
                        test_out[i, j * k + cls] = enc[index[v]] if v in index else means[cls]
            # cross fitting with the given folds
            cross = np.empty((n, len(cols) * k))
            for f in range(5):
                tr = np.flatnonzero(folds != f)
                te = np.flatnonzero(folds == f)
                enc_f = target_encode_reference(columns, y_cols, smooth, rows=tr)
                for j, values in enumerate(columns):
                    index = {c: i for i, c in enumerate(cats[j])}
                    for cls in range(k):
                        mean_f = y_cols[cls][tr].mean()
                        for i in te:
                            # every category of the column exists in the full fit; those absent from
                            # the training folds got the fold mean inside encode_*
                            cross[i, j * k + cls] = enc_f[j * k + cls][index[values[i]]]
            cases.append(
                {
                    "name": f"TargetEncoder {tname} smooth={smooth}",
                    "params": {"smooth": smooth, "targetType": kind},
                    "columns": cols,
                    "train": {c: columns[j] for j, c in enumerate(cols)},
                    "test": {c: test_columns[j] for j, c in enumerate(cols)},
                    "y": y_raw.tolist() if kind != "continuous" else y_cols[0],
                    "folds": folds,
                    "classes": classes,
                    "categories": cats,
                    "encodings": encodings,
                    "target_mean": means,
                    "test_out": test_out,
                    "cross_out": cross,
                }
            )
    return cases


# ---------------------------------------------------------------------------------------------
# Date parts (pandas), cyclic encodings from the documented formulas.


def date_cases():
    lo = pd.Timestamp("1899-03-01").value // 10**6
    hi = pd.Timestamp("2101-01-01").value // 10**6
    ms = rng.integers(lo, hi, size=80).astype(float)
    extra = [
        "2000-02-29T23:59:59.999Z",
        "1900-02-28T12:00:00Z",
        "2024-12-31T00:00:00Z",
        "2023-01-01T00:00:00Z",
        "1969-12-31T23:00:00Z",
        "1970-01-01T00:00:00Z",
        "2100-03-01T06:30:00Z",
    ]
    ms = np.concatenate([ms, [pd.Timestamp(s).value // 10**6 for s in extra], [np.nan]])
    s = pd.Series(pd.to_datetime(ms, unit="ms", utc=True))
    parts = {
        "year": s.dt.year,
        "month": s.dt.month,
        "day": s.dt.day,
        "weekday": s.dt.dayofweek,
        "hour": s.dt.hour,
        "dayofyear": s.dt.dayofyear,
    }
    periods = {
        "month": (12, 1),
        "day": (s.dt.days_in_month, 1),
        "weekday": (7, 0),
        "hour": (24, 0),
        "dayofyear": (np.where(s.dt.is_leap_year, 366, 365), 1),
    }
    cyclic = {}
    for name, (period, start) in periods.items():
        angle = 2 * np.pi * (parts[name].astype(float) - start) / np.asarray(period, dtype=float)
        cyclic[name] = {"sin": np.asarray(np.sin(angle)), "cos": np.asarray(np.cos(angle))}
    return {"ms": ms, "parts": {k: v.astype(float).to_numpy() for k, v in parts.items()}, "cyclic": cyclic}


# ---------------------------------------------------------------------------------------------
# ColumnTransformer + Pipeline end to end.


def column_transformer_cases():
    n = 50
    train = pd.DataFrame(
        {
            "age": rng.normal(40, 12, n).round(),
            "income": rng.lognormal(10, 0.5, n),
            "city": np.array(["Paris", "Lyon", "Nice"], dtype=object)[rng.choice(3, n)],
            "visits": rng.poisson(3, n).astype(float),
        }
    )
    train.loc[rng.random(n) < 0.1, "age"] = np.nan
    train.loc[rng.random(n) < 0.1, "city"] = np.nan
    test = pd.DataFrame(
        {
            "age": [np.nan, 30.0, 55.0],
            "income": [20000.0, np.nan, 50000.0],
            "city": np.array(["Lyon", "Berlin", np.nan], dtype=object),
            "visits": [1.0, 0.0, 10.0],
        }
    )
    ct = ColumnTransformer(
        [
            (
                "num",
                Pipeline([("impute", SimpleImputer(strategy="median", add_indicator=True)), ("scale", StandardScaler())]),
                ["age", "income"],
            ),
            (
                "cat",
                Pipeline(
                    [
                        ("impute", SimpleImputer(strategy="most_frequent")),
                        ("encode", OneHotEncoder(handle_unknown="ignore", sparse_output=False)),
                    ]
                ),
                ["city"],
            ),
        ],
        remainder="passthrough",
        verbose_feature_names_out=False,
    )
    ct.fit(train)

    def cols(df):
        return {c: [category_of(v) for v in df[c]] for c in df.columns}

    return {
        "train": cols(train),
        "test": cols(test),
        "names_out": list(ct.get_feature_names_out()),
        "train_out": ct.transform(train),
        "test_out": ct.transform(test),
    }


if __name__ == "__main__":
    write("scalers.json", scaler_cases())
    numeric, strings = imputer_cases()
    write("imputer.json", {"numeric": numeric, "strings": strings})
    write("one-hot.json", {"cases": onehot_cases()})
    write("ordinal.json", {"cases": ordinal_cases()})
    write("target-encoder.json", {"cases": target_cases()})
    write("date-parts.json", date_cases())
    write("column-transformer.json", column_transformer_cases())
    _ = stats  # SciPy is what RobustScaler(unit_variance=True) uses for norm.ppf
