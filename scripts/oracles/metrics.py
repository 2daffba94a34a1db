"""Oracle values for src/metrics (scikit-learn 1.2.1).

Run with Debian's Python (scikit-learn 1.2.1, NumPy 1.24):

    /usr/bin/python3 scripts/oracles/metrics.py

Writes test/fixtures/metrics/{classification,curves,probabilistic,regression,clustering}.json.
Each file holds named data sets (arrays stored once) and cases:

    {"id", "fn": Lathe name, "args": [...], "options": {camelCase}, then one of
     "expect": scikit-learn's result, or "error": {"type", "message", "field"}, and
     "warnings": [[category, message], ...] (scikit-learn's UndefinedMetricWarning/UserWarning)}

An argument or option value "@set.key" refers to data set `set`, array `key`. Numbers that JSON
cannot hold are written as the strings "NaN", "Infinity", "-Infinity". Each case calls the
scikit-learn function named like the Lathe one (camelCase → snake_case, options likewise) unless
the case gives its own call (`sk`), e.g. for rootMeanSquaredError (mean_squared_error with
squared=False) or multiclass average precision (scikit-learn 1.3 semantics, computed here on the
label-binarized target).
"""

import json
import math
import os
import re
import warnings

import numpy as np
import sklearn
from sklearn import metrics as M
from sklearn.calibration import calibration_curve
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.preprocessing import label_binarize

assert sklearn.__version__ == "1.2.1", sklearn.__version__

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
OUT = os.path.join(ROOT, "test", "fixtures", "metrics")
os.makedirs(OUT, exist_ok=True)


# ---------------------------------------------------------------------------------------------
# JSON helpers


def clean(v):
    """Plain JSON values; NaN/±inf as strings; numpy scalars and arrays as Python numbers/lists."""
    if isinstance(v, dict):
        return {str(k): clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [clean(x) for x in v]
    if isinstance(v, np.ndarray):
        return [clean(x) for x in v.tolist()]
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        v = float(v)
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "Infinity" if v > 0 else "-Infinity"
        return v
    return v


def snake(name):
    return re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), name)


def unclean(v):
    if isinstance(v, str) and v in ("NaN", "Infinity", "-Infinity"):
        return float(v.replace("Infinity", "inf").replace("NaN", "nan"))
    return v


class Fixture:
    def __init__(self, name):
        self.name = name
        self.data = {}
        self.cases = []
        self.ids = set()

    def add_data(self, name, **arrays):
        self.data[name] = {k: clean(v) for k, v in arrays.items()}

    def resolve(self, v):
        """"@set.key" → numpy array (object dtype kept for strings); lists → numpy arrays."""
        if isinstance(v, str) and v.startswith("@"):
            s, k = v[1:].split(".")
            x = self.data[s][k]
            return np.array([[unclean(c) for c in r] for r in x]) if x and isinstance(x[0], list) else np.array(
                [unclean(c) for c in x]
            )
        if isinstance(v, list):
            return np.array(v)
        return unclean(v)

    def case(self, id, fn, args, options=None, sk=None, convert=None, field=None):
        """Runs scikit-learn on the case and records its result, warnings or error."""
        assert id not in self.ids, id
        self.ids.add(id)
        options = options or {}
        py_args = [self.resolve(a) for a in args]
        py_opts = {snake(k): self.resolve(v) for k, v in options.items()}
        call = sk or (lambda *a, **kw: getattr(M, snake(fn))(*a, **kw))
        entry = {"id": id, "fn": fn, "args": [clean(a) for a in args], "options": clean(options)}
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result = call(*py_args, **py_opts)
            except (ValueError, NotImplementedError, TypeError) as e:
                assert field is not None, f"{id}: scikit-learn raised {e!r}; give the expected field"
                entry["error"] = {"type": type(e).__name__, "message": str(e), "field": field}
                result = None
        if "error" not in entry:
            assert field is None, f"{id}: expected an error but scikit-learn returned {result!r}"
            entry["expect"] = clean(convert(result) if convert else result)
        entry["warnings"] = [
            [w.category.__name__, str(w.message)]
            for w in caught
            if issubclass(w.category, (UndefinedMetricWarning,)) or w.category is UserWarning
        ]
        self.cases.append(entry)

    def error_case(self, id, fn, args, options, field, note):
        """A case where Lathe raises and scikit-learn does not (documented deviation)."""
        assert id not in self.ids, id
        self.ids.add(id)
        self.cases.append(
            {
                "id": id,
                "fn": fn,
                "args": [clean(a) for a in args],
                "options": clean(options or {}),
                "error": {"type": "LatheOnly", "message": note, "field": field},
                "warnings": [],
            }
        )

    def write(self):
        path = os.path.join(OUT, f"{self.name}.json")
        with open(path, "w") as f:
            json.dump(
                {
                    "generator": "scripts/oracles/metrics.py",
                    "sklearn": sklearn.__version__,
                    "data": self.data,
                    "cases": self.cases,
                },
                f,
                separators=(",", ":"),
            )
        print(f"{path}: {len(self.cases)} cases, {os.path.getsize(path)} bytes")


def prfs(r):
    p, rc, f, s = r
    return {"precision": p, "recall": rc, "fbeta": f, "support": s}


def curve(*names):
    return lambda r: dict(zip(names, r))


rs = np.random.RandomState(20240611)


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


# ---------------------------------------------------------------------------------------------
# Data sets

# Binary: scores rounded to 2 decimals (many ties), predictions from a noisy threshold, weights.
n = 120
y_bin = (rs.rand(n) < 0.4).astype(int)
score_bin = np.round(np.clip(0.35 * y_bin + rs.normal(0.35, 0.2, n), 0, 1), 2)
pred_bin = (score_bin + rs.normal(0, 0.1, n) > 0.5).astype(int)
w_bin = np.round(rs.uniform(0.2, 3, n), 3)
w_bin_zero = w_bin.copy()
w_bin_zero[rs.rand(n) < 0.15] = 0.0
bin_data = dict(
    y=y_bin,
    pred=pred_bin,
    score=score_bin,
    w=w_bin,
    wz=w_bin_zero,
    ystr=np.where(y_bin == 1, "yes", "no"),
    predstr=np.where(pred_bin == 1, "yes", "no"),
    ypm=np.where(y_bin == 1, 1, -1),
    y12=y_bin + 1,
    ones=np.ones(n, dtype=int),
    zeros=np.zeros(n, dtype=int),
)

# Imbalanced binary, continuous scores (no ties).
m = 150
y_imb = (rs.rand(m) < 0.06).astype(int)
y_imb[:2] = 1
score_imb = rs.normal(0, 1, m) + 1.5 * y_imb
pred_imb = (score_imb > 1.2).astype(int)
imb_data = dict(y=y_imb, score=score_imb, pred=pred_imb)

# Multiclass: 4 classes, probabilities from noisy logits (coarse, so some rows tie).
k = 4
nm = 150
y_mc = rs.randint(0, k, nm)
logits = np.round(rs.normal(0, 1, (nm, k)) + 1.6 * np.eye(k)[y_mc], 1)
proba_mc = softmax(logits)
pred_mc = np.where(rs.rand(nm) < 0.7, y_mc, rs.randint(0, k, nm))
w_mc = np.round(rs.uniform(0.5, 2, nm), 2)
names = np.array(["ant", "bee", "cat", "dog"])
# y_true lacks class 3 while y_pred has it; class 2 is never predicted.
y_miss = np.where(y_mc == 3, 0, y_mc)
pred_miss = np.where(pred_mc == 2, 3, pred_mc)
mc_data = dict(
    y=y_mc,
    pred=pred_mc,
    proba=proba_mc,
    w=w_mc,
    ystr=names[y_mc],
    predstr=names[pred_mc],
    ymiss=y_miss,
    predmiss=pred_miss,
    const=np.full(nm, 2),
)

# Three string classes with probabilities, and a y_true lacking one class (labels needed).
n3 = 90
y3 = rs.randint(0, 3, n3)
proba3 = softmax(rs.normal(0, 1.2, (n3, 3)) + 1.2 * np.eye(3)[y3])
names3 = np.array(["high", "low", "mid"])
y3_two = np.where(y3 == 2, 0, y3)
mc3_data = dict(y=names3[y3], proba=proba3, ycodes=y3, ytwo=names3[y3_two])

# Probabilities with exact 0 and 1 (clipping), unnormalised rows.
p01 = np.array([0.0, 1.0, 0.3, 1.0, 0.0, 0.7, 0.5, 1.0])
y01 = np.array([0, 1, 1, 0, 1, 0, 1, 1])
raw = np.abs(rs.normal(1, 0.5, (8, 3)))
yraw = np.array([0, 1, 2, 2, 1, 0, 0, 2])

# Regression.
nr = 100
yr = rs.normal(3, 2, nr)
pr = yr + rs.normal(0, 0.8, nr)
yr2 = np.column_stack([yr, rs.normal(-1, 5, nr)])
pr2 = yr2 + rs.normal(0, [0.8, 2.5], (nr, 2))
wr = np.round(rs.uniform(0.1, 2, nr), 2)
yr_zero = yr.copy()
yr_zero[::10] = 0.0
reg_data = dict(y=yr, pred=pr, y2=yr2, pred2=pr2, w=wr, yzero=yr_zero, yint=np.round(yr), predint=np.round(pr))

# Clustering: three blobs in 3-D, labels from a noisy assignment.
nb = 90
centers = np.array([[0, 0, 0], [4, 4, 0], [0, 5, 5]], dtype=float)
blob = rs.randint(0, 3, nb)
X = centers[blob] + rs.normal(0, 1.3, (nb, 3))
lab = np.where(rs.rand(nb) < 0.85, blob, rs.randint(0, 3, nb))
lab_single = lab.copy()
lab_single[0] = 7  # a singleton cluster
clu_data = dict(X=X, lab=lab, labstr=np.array(["x", "y", "z"])[lab], single=lab_single, blob=blob)

# Partitions for the agreement scores.
npart = 200
pt = rs.randint(0, 4, npart)
pp = np.where(rs.rand(npart) < 0.6, pt, rs.randint(0, 5, npart))
big_t = rs.randint(0, 6, 3000)
big_p = np.where(rs.rand(3000) < 0.5, big_t, rs.randint(0, 8, 3000))
part_data = dict(
    t=pt,
    p=pp,
    tstr=np.array(["a", "b", "c", "d"])[pt],
    perm=(pt + 1) % 4,
    rand=rs.randint(0, 3, npart),
    one=np.zeros(npart, dtype=int),
    bigt=big_t,
    bigp=big_p,
    cont=np.round(rs.normal(0, 1, npart), 1),
)

# ---------------------------------------------------------------------------------------------
# classification.json

F = Fixture("classification")
F.add_data("bin", **{k: bin_data[k] for k in ("y", "pred", "w", "ystr", "predstr", "ypm", "ones", "zeros")})
F.add_data("mc", **{k: mc_data[k] for k in ("y", "pred", "w", "ystr", "predstr", "ymiss", "predmiss", "const")})

for fn in ("accuracyScore", "balancedAccuracyScore", "matthewsCorrcoef", "cohenKappaScore"):
    F.case(f"{fn}/bin", fn, ["@bin.y", "@bin.pred"])
    F.case(f"{fn}/bin-str", fn, ["@bin.ystr", "@bin.predstr"])
    F.case(f"{fn}/mc", fn, ["@mc.y", "@mc.pred"])
    F.case(f"{fn}/mc-str", fn, ["@mc.ystr", "@mc.predstr"])
    F.case(f"{fn}/mc-weighted", fn, ["@mc.y", "@mc.pred"], {"sampleWeight": "@mc.w"})
    F.case(f"{fn}/mc-missing", fn, ["@mc.ymiss", "@mc.predmiss"])
F.case("accuracyScore/count", "accuracyScore", ["@mc.y", "@mc.pred"], {"normalize": False})
F.case("accuracyScore/count-weighted", "accuracyScore", ["@mc.y", "@mc.pred"], {"normalize": False, "sampleWeight": "@mc.w"})
F.case("accuracyScore/bools", "accuracyScore", [[True, False, True, True], [True, True, False, True]])
F.case("balancedAccuracyScore/adjusted", "balancedAccuracyScore", ["@mc.y", "@mc.pred"], {"adjusted": True})
F.case("balancedAccuracyScore/adjusted-missing", "balancedAccuracyScore", ["@mc.ymiss", "@mc.predmiss"], {"adjusted": True})
F.case("matthewsCorrcoef/constant-pred", "matthewsCorrcoef", ["@mc.y", "@mc.const"])
F.case("matthewsCorrcoef/bin-weighted", "matthewsCorrcoef", ["@bin.y", "@bin.pred"], {"sampleWeight": "@bin.w"})
# A constant labeling with fractional weights: scikit-learn's margins come from the confusion
# matrix, so the undefined case is exactly 0 (summed sample by sample it was NaN or 1e-8).
# Booleans as labels, posLabel and labels options (they count as 0/1, like boolean labelings).
BT, BP = [False, True, True, False, True], [False, True, False, False, True]
F.case("f1Score/bools-posLabel-true", "f1Score", [BT, BP], {"posLabel": True})
F.case("f1Score/bools-posLabel-false", "f1Score", [BT, BP], {"posLabel": False})
F.case("recallScore/bools-labels-macro", "recallScore", [BT, BP], {"labels": [True, False], "average": "macro"})
# posLabel True with another average: True == 1 in Python, so scikit-learn does not warn that it is ignored.
F.case("precisionScore/bools-posLabel-true-macro", "precisionScore", [BT, BP], {"posLabel": True, "average": "macro"})
F.case("f1Score/bools-posLabel-true-none", "f1Score", [BT, BP], {"posLabel": True, "average": None})
# posLabel False with another average: ignored with a warning that prints it as Python does (False).
F.case("precisionScore/bools-posLabel-false-micro", "precisionScore", [BT, BP], {"posLabel": False, "average": "micro"})
F.case("confusionMatrix/bools-labels", "confusionMatrix", [BT, BP], {"labels": [True, False]})
F.case("cohenKappaScore/bools-labels", "cohenKappaScore", [BT, BP], {"labels": [False, True]})
F.case("matthewsCorrcoef/constant-true-fractional-weights", "matthewsCorrcoef", [[0, 0, 0], [0, 1, 1]], {"sampleWeight": [0.1, 0.2, 0.3]})
F.case("matthewsCorrcoef/constant-pred-fractional-weights", "matthewsCorrcoef", [[0, 1, 1, 2], [1, 1, 1, 1]], {"sampleWeight": [0.1, 0.2, 0.3, 0.7]})
F.case("matthewsCorrcoef/mc-constant-true-weighted", "matthewsCorrcoef", ["@mc.const", "@mc.pred"], {"sampleWeight": "@mc.w"})
for wt in ("linear", "quadratic"):
    F.case(f"cohenKappaScore/{wt}", "cohenKappaScore", ["@mc.y", "@mc.pred"], {"weights": wt})
    F.case(f"cohenKappaScore/{wt}-weighted", "cohenKappaScore", ["@mc.y", "@mc.pred"], {"weights": wt, "sampleWeight": "@mc.w"})
F.case("cohenKappaScore/labels", "cohenKappaScore", ["@mc.y", "@mc.pred"], {"labels": [3, 1, 0]})
F.case("cohenKappaScore/same-constant", "cohenKappaScore", [[1, 1, 1], [1, 1, 1]])
# Four classes (16 cells): scikit-learn's np.sum adds the cells pairwise, and its kappa is exactly 0
# here; summed cell by cell it was 1.1e-16.
F.case(
    "cohenKappaScore/exact-zero-pairwise",
    "cohenKappaScore",
    [[-3, -3, 997, -3], [1997, 1997, 3997, 1997]],
    {"sampleWeight": [0, 0, 1.6346722240238627, 1.9261171611354124]},
)

for fn in ("precisionScore", "recallScore", "f1Score"):
    F.case(f"{fn}/binary", fn, ["@bin.y", "@bin.pred"])
    F.case(f"{fn}/binary-pos0", fn, ["@bin.y", "@bin.pred"], {"posLabel": 0})
    F.case(f"{fn}/binary-str", fn, ["@bin.ystr", "@bin.predstr"], {"posLabel": "yes"})
    F.case(f"{fn}/binary-pm", fn, ["@bin.ypm", "@bin.pred"], {"average": "macro"})
    F.case(f"{fn}/binary-weighted", fn, ["@bin.y", "@bin.pred"], {"sampleWeight": "@bin.w"})
    for avg in ("micro", "macro", "weighted", None):
        F.case(f"{fn}/mc-{avg}", fn, ["@mc.y", "@mc.pred"], {"average": avg})
        F.case(f"{fn}/mc-str-{avg}", fn, ["@mc.ystr", "@mc.predstr"], {"average": avg})
        F.case(f"{fn}/mc-missing-{avg}", fn, ["@mc.ymiss", "@mc.predmiss"], {"average": avg})
        F.case(f"{fn}/mc-weighted-{avg}", fn, ["@mc.y", "@mc.pred"], {"average": avg, "sampleWeight": "@mc.w"})
    for zd in (0, 1):
        F.case(f"{fn}/mc-missing-zd{zd}", fn, ["@mc.ymiss", "@mc.predmiss"], {"average": "macro", "zeroDivision": zd})
        F.case(f"{fn}/mc-missing-zd{zd}-none", fn, ["@mc.ymiss", "@mc.predmiss"], {"average": None, "zeroDivision": zd})
    F.case(f"{fn}/labels-subset", fn, ["@mc.y", "@mc.pred"], {"average": "micro", "labels": [3, 1]})
    F.case(f"{fn}/labels-absent", fn, ["@mc.y", "@mc.pred"], {"average": None, "labels": [2, 9, 0]})
    F.case(f"{fn}/weighted-no-support", fn, ["@mc.y", "@mc.pred"], {"average": "weighted", "labels": [9]})
    F.case(f"{fn}/all-negative", fn, ["@bin.zeros", "@bin.zeros"])
    F.case(f"{fn}/all-negative-zd1", fn, ["@bin.zeros", "@bin.zeros"], {"zeroDivision": 1})
    F.case(f"{fn}/single-str-class", fn, [["a", "a", "a"], ["a", "a", "a"]])
    F.case(f"{fn}/pos-label-ignored", fn, ["@mc.y", "@mc.pred"], {"average": "macro", "posLabel": 2})
    F.case(f"{fn}/err-binary-on-mc", fn, ["@mc.y", "@mc.pred"], field="average")
    F.case(f"{fn}/err-pos-label", fn, ["@bin.y", "@bin.pred"], {"posLabel": 2}, field="posLabel")
    F.case(f"{fn}/err-str-pos-label", fn, ["@bin.ystr", "@bin.predstr"], field="posLabel")
for beta in (0, 0.5, 2, "Infinity"):
    F.case(f"fbetaScore/beta-{beta}", "fbetaScore", ["@mc.y", "@mc.pred"], {"beta": beta, "average": "macro"})
    F.case(f"fbetaScore/beta-{beta}-binary", "fbetaScore", ["@bin.y", "@bin.pred"], {"beta": beta})
F.case("fbetaScore/missing-none", "fbetaScore", ["@mc.ymiss", "@mc.predmiss"], {"beta": 2, "average": None})
F.case("fbetaScore/err-negative-beta", "fbetaScore", ["@bin.y", "@bin.pred"], {"beta": -1}, field="beta")

for avg in (None, "micro", "macro", "weighted", "binary"):
    F.case(f"precisionRecallFscoreSupport/bin-{avg}", "precisionRecallFscoreSupport", ["@bin.y", "@bin.pred"], {"average": avg}, convert=prfs)
for avg in (None, "micro", "macro", "weighted"):
    F.case(f"precisionRecallFscoreSupport/mc-missing-{avg}", "precisionRecallFscoreSupport", ["@mc.ymiss", "@mc.predmiss"], {"average": avg}, convert=prfs)
    F.case(f"precisionRecallFscoreSupport/mc-weighted-{avg}", "precisionRecallFscoreSupport", ["@mc.ystr", "@mc.predstr"], {"average": avg, "sampleWeight": "@mc.w", "beta": 0.5}, convert=prfs)
F.case("precisionRecallFscoreSupport/weighted-no-support", "precisionRecallFscoreSupport", ["@mc.y", "@mc.pred"], {"average": "weighted", "labels": [9]}, convert=prfs)
F.case("precisionRecallFscoreSupport/weighted-no-support-pred", "precisionRecallFscoreSupport", [[0, 1, 1], [0, 2, 2]], {"average": "weighted", "labels": [2], "zeroDivision": 1}, convert=prfs)
F.case("precisionRecallFscoreSupport/labels-order", "precisionRecallFscoreSupport", ["@mc.ystr", "@mc.predstr"], {"labels": ["dog", "ant"]}, convert=prfs)
F.case("precisionRecallFscoreSupport/err-zero-division", "precisionRecallFscoreSupport", ["@bin.y", "@bin.pred"], {"zeroDivision": 2}, field="zeroDivision")

# Shared input errors (scikit-learn's messages differ; the field is what Lathe names).
F.case("accuracyScore/err-length", "accuracyScore", [[0, 1, 1], [0, 1]], field="yPred")
F.case("accuracyScore/err-continuous", "accuracyScore", [[0.5, 1.0], [0.5, 1.0]], field="yTrue")
F.case("confusionMatrix/err-labels-not-in-true", "confusionMatrix", ["@mc.y", "@mc.pred"], {"labels": [7, 8]}, field="labels")
F.case("confusionMatrix/err-labels-empty", "confusionMatrix", ["@mc.y", "@mc.pred"], {"labels": []}, field="labels")
F.case("confusionMatrix/err-normalize", "confusionMatrix", ["@mc.y", "@mc.pred"], {"normalize": "rows"}, field="normalize")

cm = lambda r: r.tolist()  # noqa: E731
F.case("confusionMatrix/bin", "confusionMatrix", ["@bin.y", "@bin.pred"], convert=cm)
F.case("confusionMatrix/mc", "confusionMatrix", ["@mc.y", "@mc.pred"], convert=cm)
F.case("confusionMatrix/mc-str", "confusionMatrix", ["@mc.ystr", "@mc.predstr"], convert=cm)
F.case("confusionMatrix/labels-reorder", "confusionMatrix", ["@mc.ystr", "@mc.predstr"], {"labels": ["dog", "bee", "ant", "cat"]}, convert=cm)
F.case("confusionMatrix/labels-subset", "confusionMatrix", ["@mc.y", "@mc.pred"], {"labels": [2, 0]}, convert=cm)
F.case("confusionMatrix/weighted", "confusionMatrix", ["@mc.y", "@mc.pred"], {"sampleWeight": "@mc.w"}, convert=cm)
for norm in ("true", "pred", "all"):
    F.case(f"confusionMatrix/norm-{norm}", "confusionMatrix", ["@mc.ymiss", "@mc.predmiss"], {"normalize": norm}, convert=cm)
    F.case(f"confusionMatrix/norm-{norm}-weighted", "confusionMatrix", ["@mc.y", "@mc.pred"], {"normalize": norm, "sampleWeight": "@mc.w"}, convert=cm)


def report(yt, yp, **kw):
    """Both outputs of classification_report; warnings are recorded from the first call only."""
    d = M.classification_report(yt, yp, output_dict=True, **kw)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        text = M.classification_report(yt, yp, **kw)
    return {"dict": d, "text": text}


F.case("classificationReport/bin", "classificationReport", ["@bin.y", "@bin.pred"], sk=report)
F.case("classificationReport/mc-str", "classificationReport", ["@mc.ystr", "@mc.predstr"], sk=report)
F.case("classificationReport/mc-missing", "classificationReport", ["@mc.ymiss", "@mc.predmiss"], sk=report)
F.case("classificationReport/labels-subset", "classificationReport", ["@mc.y", "@mc.pred"], {"labels": [3, 1]}, sk=report)
F.case("classificationReport/labels-all-reordered", "classificationReport", ["@mc.y", "@mc.pred"], {"labels": [3, 2, 1, 0]}, sk=report)
F.case("classificationReport/target-names", "classificationReport", ["@mc.y", "@mc.pred"], {"targetNames": ["zero", "one", "two", "a-long-class-name"]}, sk=report)
F.case("classificationReport/weighted", "classificationReport", ["@mc.y", "@mc.pred"], {"sampleWeight": "@mc.w", "digits": 4}, sk=report)
F.case("classificationReport/zd1", "classificationReport", ["@mc.ymiss", "@mc.predmiss"], {"zeroDivision": 1, "digits": 3}, sk=report)
# No sample predicted correctly: scikit-learn's supports become floats ("2.0").
F.case("classificationReport/none-correct", "classificationReport", [[0, 0], [1, 1]], sk=report)
# Weighted supports rebuilt as tp + fn (3.0329999999999995, not 3.033).
F.case("classificationReport/weighted-support-rounding", "classificationReport", [[-1, -1, -1], [-1, 1, 1]], {"sampleWeight": [0.526, 1.976, 0.531], "zeroDivision": 0}, sk=report)
F.case("precisionRecallFscoreSupport/weighted-support-rounding", "precisionRecallFscoreSupport", [[-1, -1, -1], [-1, 1, 1]], {"sampleWeight": [0.526, 1.976, 0.531], "zeroDivision": 0}, convert=prfs)
# Boolean classes are named True / False ('%s' % label on a bool array), also through labels.
F.case("classificationReport/bools", "classificationReport", [BT, BP], sk=report)
F.case("classificationReport/bools-labels", "classificationReport", [BT, BP], {"labels": [True, False]}, sk=report)
F.case("classificationReport/ints-bool-labels", "classificationReport", [[0, 1, 1, 0], [0, 1, 0, 0]], {"labels": [True, False]}, sk=report)
F.case("classificationReport/ties", "classificationReport", [[0, 0, 0, 0, 0, 0, 0, 0, 1, 1], [0, 0, 0, 0, 0, 0, 0, 1, 1, 0]], {"digits": 2}, sk=report)
# Names are padded by code points, as Python counts them: an emoji is one character, not two
# UTF-16 units (the widest name sets the first column's width).
F.case("classificationReport/emoji-names", "classificationReport", [["\U0001F600\U0001F600\U0001F600\U0001F600\U0001F600\U0001F600\U0001F600", "B", "B"], ["\U0001F600\U0001F600\U0001F600\U0001F600\U0001F600\U0001F600\U0001F600", "B", "\U0001F600\U0001F600\U0001F600\U0001F600\U0001F600\U0001F600\U0001F600"]], sk=report)
F.case("classificationReport/emoji-target-names", "classificationReport", [[0, 1, 1], [0, 1, 0]], {"targetNames": ["\U0001F431 cat", "\U0001F436\U0001F436\U0001F436\U0001F436\U0001F436\U0001F436\U0001F436 dog"]}, sk=report)
F.case("classificationReport/err-target-names", "classificationReport", ["@mc.y", "@mc.pred"], {"targetNames": ["a", "b"]}, sk=report, field="targetNames")
F.write()

# ---------------------------------------------------------------------------------------------
# curves.json

C = Fixture("curves")
C.add_data("bin", **{k: bin_data[k] for k in ("y", "score", "w", "wz", "ystr", "ypm", "y12", "ones", "zeros")})
C.add_data("imb", **imb_data)
C.add_data("mc", y=y_mc, proba=proba_mc, w=w_mc, ystr=names[y_mc])
C.add_data("mc3", **mc3_data)
roc = curve("fpr", "tpr", "thresholds")
prc = curve("precision", "recall", "thresholds")

C.case("rocCurve/bin", "rocCurve", ["@bin.y", "@bin.score"], convert=roc)
C.case("rocCurve/bin-all-points", "rocCurve", ["@bin.y", "@bin.score"], {"dropIntermediate": False}, convert=roc)
C.case("rocCurve/bin-weighted", "rocCurve", ["@bin.y", "@bin.score"], {"sampleWeight": "@bin.w"}, convert=roc)
C.case("rocCurve/bin-zero-weights", "rocCurve", ["@bin.y", "@bin.score"], {"sampleWeight": "@bin.wz"}, convert=roc)
C.case("rocCurve/bin-pm", "rocCurve", ["@bin.ypm", "@bin.score"], convert=roc)
C.case("rocCurve/bin-str", "rocCurve", ["@bin.ystr", "@bin.score"], {"posLabel": "yes"}, convert=roc)
C.case("rocCurve/pos0", "rocCurve", ["@bin.y", "@bin.score"], {"posLabel": 0}, convert=roc)
C.case("rocCurve/imb", "rocCurve", ["@imb.y", "@imb.score"], convert=roc)
C.case("rocCurve/mc-pos", "rocCurve", ["@mc.y", [r[2] for r in proba_mc.tolist()]], {"posLabel": 2}, convert=roc)
C.case("rocCurve/no-negatives", "rocCurve", ["@bin.ones", "@bin.score"], convert=roc)
C.case("rocCurve/no-positives", "rocCurve", ["@bin.zeros", "@bin.score"], convert=roc)
C.case("rocCurve/small", "rocCurve", [[0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]], convert=roc)
C.case("rocCurve/err-str-no-pos", "rocCurve", ["@bin.ystr", "@bin.score"], field="posLabel")
C.case("rocCurve/err-y12-no-pos", "rocCurve", ["@bin.y12", "@bin.score"], field="posLabel")
C.case("rocCurve/err-mc-no-pos", "rocCurve", ["@mc.y", [r[2] for r in proba_mc.tolist()]], field="posLabel")
C.case("rocCurve/err-nan", "rocCurve", [[0, 1, 1], [0.2, "NaN", 0.4]], field="yScore")

C.case("rocAucScore/bin", "rocAucScore", ["@bin.y", "@bin.score"])
C.case("rocAucScore/bin-weighted", "rocAucScore", ["@bin.y", "@bin.score"], {"sampleWeight": "@bin.w"})
C.case("rocAucScore/bin-zero-weights", "rocAucScore", ["@bin.y", "@bin.score"], {"sampleWeight": "@bin.wz"})
C.case("rocAucScore/bin-str", "rocAucScore", ["@bin.ystr", "@bin.score"])
C.case("rocAucScore/bin-y12", "rocAucScore", ["@bin.y12", "@bin.score"])
C.case("rocAucScore/imb", "rocAucScore", ["@imb.y", "@imb.score"])
for mf in (0.05, 0.3, 0.5, 1):
    C.case(f"rocAucScore/max-fpr-{mf}", "rocAucScore", ["@bin.y", "@bin.score"], {"maxFpr": mf})
C.case("rocAucScore/max-fpr-weighted", "rocAucScore", ["@imb.y", "@imb.score"], {"maxFpr": 0.2})
# Both classes occur but every negative has weight 0: fpr is NaN, and scikit-learn's partial AUC
# raises (one point left); without maxFpr it returns NaN.
C.case("rocAucScore/max-fpr-no-weighted-negatives", "rocAucScore", [[1, -1, 1], [0.3, 0.2, 0.6]], {"sampleWeight": [1, 0, 2], "maxFpr": 0.5}, field="sampleWeight")
C.case("rocAucScore/no-weighted-negatives", "rocAucScore", [[1, -1, 1], [0.3, 0.2, 0.6]], {"sampleWeight": [1, 0, 2]})
C.case(
    "rocAucScore/bin-two-columns",
    "rocAucScore",
    ["@bin.y", [[1 - s, s] for s in score_bin.tolist()]],
    sk=lambda y, s, **kw: M.roc_auc_score(y, s[:, 1], **kw),
)
for mc in ("ovr", "ovo"):
    for avg in ("macro", "weighted"):
        C.case(f"rocAucScore/mc-{mc}-{avg}", "rocAucScore", ["@mc.y", "@mc.proba"], {"multiClass": mc, "average": avg})
        C.case(f"rocAucScore/mc-str-{mc}-{avg}", "rocAucScore", ["@mc.ystr", "@mc.proba"], {"multiClass": mc, "average": avg})
        C.case(f"rocAucScore/mc3-labels-{mc}-{avg}", "rocAucScore", ["@mc3.y", "@mc3.proba"], {"multiClass": mc, "average": avg, "labels": ["high", "low", "mid"]})
C.case("rocAucScore/mc-ovr-micro", "rocAucScore", ["@mc.y", "@mc.proba"], {"multiClass": "ovr", "average": "micro"})
C.case("rocAucScore/mc-ovr-none", "rocAucScore", ["@mc.y", "@mc.proba"], {"multiClass": "ovr", "average": None})
C.case("rocAucScore/mc-ovr-weighted-sw", "rocAucScore", ["@mc.y", "@mc.proba"], {"multiClass": "ovr", "average": "weighted", "sampleWeight": "@mc.w"})
C.case("rocAucScore/mc-ovr-micro-sw", "rocAucScore", ["@mc.y", "@mc.proba"], {"multiClass": "ovr", "average": "micro", "sampleWeight": "@mc.w"})
C.case("rocAucScore/mc3-missing-class-ovo", "rocAucScore", ["@mc3.ytwo", "@mc3.proba"], {"multiClass": "ovo", "labels": ["high", "low", "mid"]})
C.case("rocAucScore/err-one-class", "rocAucScore", ["@bin.ones", "@bin.score"], field="yTrue")
C.case("rocAucScore/err-multi-class-raise", "rocAucScore", ["@mc.y", "@mc.proba"], field="multiClass")
C.case("rocAucScore/err-ovo-weights", "rocAucScore", ["@mc.y", "@mc.proba"], {"multiClass": "ovo", "sampleWeight": "@mc.w"}, field="sampleWeight")
C.case("rocAucScore/err-not-proba", "rocAucScore", ["@mc.y", (proba_mc * 1.1).tolist()], {"multiClass": "ovr"}, field="yScore")
C.case("rocAucScore/err-max-fpr", "rocAucScore", ["@bin.y", "@bin.score"], {"maxFpr": 1.5}, field="maxFpr")
C.case("rocAucScore/err-max-fpr-mc", "rocAucScore", ["@mc.y", "@mc.proba"], {"multiClass": "ovr", "maxFpr": 0.5}, field="maxFpr")
C.case("rocAucScore/err-columns", "rocAucScore", ["@mc3.ytwo", "@mc3.proba"], {"multiClass": "ovr"}, field="yScore")
C.case("rocAucScore/err-ovr-absent-class", "rocAucScore", ["@mc3.ytwo", "@mc3.proba"], {"multiClass": "ovr", "labels": ["high", "low", "mid"]}, field="yTrue")
C.case("rocAucScore/err-labels-unordered", "rocAucScore", ["@mc3.y", "@mc3.proba"], {"multiClass": "ovr", "labels": ["low", "high", "mid"]}, field="labels")
C.case("rocAucScore/err-ovo-none", "rocAucScore", ["@mc.y", "@mc.proba"], {"multiClass": "ovo", "average": None}, field="average")

C.case("precisionRecallCurve/bin", "precisionRecallCurve", ["@bin.y", "@bin.score"], convert=prc)
C.case("precisionRecallCurve/bin-weighted", "precisionRecallCurve", ["@bin.y", "@bin.score"], {"sampleWeight": "@bin.wz"}, convert=prc)
C.case("precisionRecallCurve/bin-str", "precisionRecallCurve", ["@bin.ystr", "@bin.score"], {"posLabel": "no"}, convert=prc)
C.case("precisionRecallCurve/imb", "precisionRecallCurve", ["@imb.y", "@imb.score"], convert=prc)
C.case("precisionRecallCurve/no-positives", "precisionRecallCurve", ["@bin.zeros", "@bin.score"], convert=prc)
C.case("precisionRecallCurve/small", "precisionRecallCurve", [[0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]], convert=prc)

C.case("averagePrecisionScore/bin", "averagePrecisionScore", ["@bin.y", "@bin.score"])
C.case("averagePrecisionScore/bin-weighted", "averagePrecisionScore", ["@bin.y", "@bin.score"], {"sampleWeight": "@bin.wz"})
C.case("averagePrecisionScore/pos0", "averagePrecisionScore", ["@bin.y", "@bin.score"], {"posLabel": 0})
C.case("averagePrecisionScore/bin-str", "averagePrecisionScore", ["@bin.ystr", "@bin.score"], {"posLabel": "yes"})
C.case("averagePrecisionScore/imb", "averagePrecisionScore", ["@imb.y", "@imb.score"])
C.case("averagePrecisionScore/no-positives", "averagePrecisionScore", ["@bin.zeros", "@bin.score"])
C.case("averagePrecisionScore/err-pos-label", "averagePrecisionScore", ["@bin.ystr", "@bin.score"], field="posLabel")
# One string class and the default pos_label=1: y_true == 1 is a scalar and scikit-learn 1.2 fails
# (TypeError); an absent label of the data's type is let through (no positives, AP 0).
C.case("averagePrecisionScore/err-str-one-class", "averagePrecisionScore", [["neg", "neg"], [0.4, 0.2]], field="posLabel")
C.case("averagePrecisionScore/err-num-one-class-str-pos", "averagePrecisionScore", [[0, 0], [0.4, 0.2]], {"posLabel": "a"}, field="posLabel")
C.case("averagePrecisionScore/str-one-class-absent-pos", "averagePrecisionScore", [["neg", "neg"], [0.4, 0.2]], {"posLabel": "pos"})


def ap_multiclass(y, s, average="macro", sample_weight=None):
    """scikit-learn 1.3's multiclass average precision: one-vs-rest on the binarized target."""
    return M.average_precision_score(label_binarize(y, classes=np.unique(y)), s, average=average, sample_weight=sample_weight)


# posLabel True for a multiclass target: True == 1, so scikit-learn does not raise.
C.case(
    "averagePrecisionScore/mc-posLabel-true",
    "averagePrecisionScore",
    ["@mc.y", "@mc.proba"],
    {"posLabel": True},
    sk=lambda y, s, pos_label: M.average_precision_score(label_binarize(y, classes=np.unique(y)), s, pos_label=pos_label),
)
for avg in ("macro", "micro", "weighted", None):
    C.case(f"averagePrecisionScore/mc-{avg}", "averagePrecisionScore", ["@mc.y", "@mc.proba"], {"average": avg}, sk=ap_multiclass)
    C.case(f"averagePrecisionScore/mc-str-{avg}-sw", "averagePrecisionScore", ["@mc.ystr", "@mc.proba"], {"average": avg, "sampleWeight": "@mc.w"}, sk=ap_multiclass)

cal = lambda r: {"probTrue": r[0], "probPred": r[1]}  # noqa: E731
prob_bin = np.clip(score_bin, 0, 1)
for strat in ("uniform", "quantile"):
    for nb_ in (3, 5, 10):
        C.case(f"calibrationCurve/{strat}-{nb_}", "calibrationCurve", ["@bin.y", "@bin.score"], {"nBins": nb_, "strategy": strat}, sk=calibration_curve, convert=cal)
    C.case(f"calibrationCurve/{strat}-imb", "calibrationCurve", ["@imb.y", (1 / (1 + np.exp(-imb_data["score"]))).tolist()], {"nBins": 8, "strategy": strat}, sk=calibration_curve, convert=cal)
C.case("calibrationCurve/str", "calibrationCurve", ["@bin.ystr", "@bin.score"], {"posLabel": "yes"}, sk=calibration_curve, convert=cal)
C.case("calibrationCurve/edges", "calibrationCurve", [[0, 1, 0, 1, 1, 0], [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]], {"nBins": 5}, sk=calibration_curve, convert=cal)
C.case("calibrationCurve/err-range", "calibrationCurve", [[0, 1, 1], [0.2, 1.2, 0.4]], sk=calibration_curve, field="yProb")
C.case("calibrationCurve/err-str", "calibrationCurve", ["@bin.ystr", "@bin.score"], sk=calibration_curve, field="posLabel")
C.case("calibrationCurve/err-mc", "calibrationCurve", [[0, 1, 2], [0.2, 0.3, 0.4]], {"posLabel": 1}, sk=calibration_curve, field="yTrue")
C.write()

# ---------------------------------------------------------------------------------------------
# probabilistic.json

P = Fixture("probabilistic")
P.add_data("bin", y=y_bin, p=score_bin, w=w_bin, ystr=bin_data["ystr"], ypm=bin_data["ypm"], y12=bin_data["y12"])
P.add_data("mc", y=y_mc, proba=proba_mc, w=w_mc, ystr=names[y_mc])
P.add_data("mc3", **mc3_data)
P.add_data("edge", p01=p01, y01=y01, raw=raw, yraw=yraw)

P.case("logLoss/bin", "logLoss", ["@bin.y", "@bin.p"])
P.case("logLoss/bin-two-columns", "logLoss", ["@bin.y", [[1 - s, s] for s in score_bin.tolist()]])
P.case("logLoss/bin-str", "logLoss", ["@bin.ystr", "@bin.p"])
P.case("logLoss/bools-labels", "logLoss", [[False, True, True, False], [0.2, 0.7, 0.6, 0.1]], {"labels": [False, True]})
P.case("brierScoreLoss/bools-posLabel", "brierScoreLoss", [[False, True, True, False], [0.2, 0.7, 0.6, 0.1]], {"posLabel": True})
P.case("logLoss/bin-weighted", "logLoss", ["@bin.y", "@bin.p"], {"sampleWeight": "@bin.w"})
P.case("logLoss/bin-sum", "logLoss", ["@bin.y", "@bin.p"], {"normalize": False})
P.case("logLoss/bin-sum-weighted", "logLoss", ["@bin.y", "@bin.p"], {"normalize": False, "sampleWeight": "@bin.w"})
P.case("logLoss/mc", "logLoss", ["@mc.y", "@mc.proba"])
P.case("logLoss/mc-str-weighted", "logLoss", ["@mc.ystr", "@mc.proba"], {"sampleWeight": "@mc.w"})
P.case("logLoss/mc3-labels", "logLoss", ["@mc3.ytwo", "@mc3.proba"], {"labels": ["mid", "low", "high"]})
P.case("logLoss/clip-auto", "logLoss", ["@edge.y01", "@edge.p01"])
P.case("logLoss/clip-eps", "logLoss", ["@edge.y01", "@edge.p01"], {"eps": 1e-3})
P.case("logLoss/unnormalised", "logLoss", ["@edge.yraw", "@edge.raw"])
P.case("logLoss/one-label-with-labels", "logLoss", [[1, 1, 1], [0.9, 0.8, 0.6]], {"labels": [0, 1]})
P.case("logLoss/err-one-label", "logLoss", [[1, 1, 1], [0.9, 0.8, 0.6]], field="yTrue")
P.case("logLoss/err-columns", "logLoss", ["@mc3.ytwo", "@mc3.proba"], field="yPred")
P.case("logLoss/err-one-label-in-labels", "logLoss", [[1, 1, 1], [0.9, 0.8, 0.6]], {"labels": [1]}, field="labels")
P.error_case(
    "logLoss/err-label-not-in-labels",
    "logLoss",
    [["a", "c"], [[0.3, 0.7], [0.4, 0.6]]],
    {"labels": ["a", "b"]},
    "yTrue",
    "scikit-learn 1.2 scores the unknown label 'c' as if it were class 'a'; Lathe raises.",
)

P.case("brierScoreLoss/bin", "brierScoreLoss", ["@bin.y", "@bin.p"])
P.case("brierScoreLoss/bin-weighted", "brierScoreLoss", ["@bin.y", "@bin.p"], {"sampleWeight": "@bin.w"})
P.case("brierScoreLoss/pos0", "brierScoreLoss", ["@bin.y", "@bin.p"], {"posLabel": 0})
P.case("brierScoreLoss/pm", "brierScoreLoss", ["@bin.ypm", "@bin.p"])
P.case("brierScoreLoss/y12", "brierScoreLoss", ["@bin.y12", "@bin.p"])
P.case("brierScoreLoss/str", "brierScoreLoss", ["@bin.ystr", "@bin.p"], {"posLabel": "yes"})
P.case("brierScoreLoss/single-class", "brierScoreLoss", [[0, 0, 0], [0.1, 0.5, 0.2]])
P.case("brierScoreLoss/err-gt1", "brierScoreLoss", [[0, 1], [0.2, 1.5]], field="yProb")
P.case("brierScoreLoss/err-lt0", "brierScoreLoss", [[0, 1], [-0.2, 0.5]], field="yProb")
P.case("brierScoreLoss/err-mc", "brierScoreLoss", [[0, 1, 2], [0.2, 0.5, 0.1]], field="yTrue")
P.case("brierScoreLoss/err-str", "brierScoreLoss", ["@bin.ystr", "@bin.p"], field="posLabel")
P.write()

# ---------------------------------------------------------------------------------------------
# regression.json

R = Fixture("regression")
R.add_data("r", **reg_data)
R.add_data("const", y=[2.0, 2.0, 2.0, 2.0], same=[2.0, 2.0, 2.0, 2.0], off=[2.0, 2.5, 2.0, 1.0])
R.add_data("const2", y=[[1.0, 2.0], [1.0, 3.0], [1.0, 5.0]], p=[[1.0, 2.5], [1.5, 2.5], [1.0, 4.0]])


def rmse(y, p, **kw):
    return M.mean_squared_error(y, p, squared=False, **kw)


REG = {
    "meanAbsoluteError": None,
    "meanSquaredError": None,
    "rootMeanSquaredError": rmse,
    "meanAbsolutePercentageError": None,
    "medianAbsoluteError": None,
    "r2Score": None,
    "explainedVarianceScore": None,
}
for fn, sk in REG.items():
    R.case(f"{fn}/1d", fn, ["@r.y", "@r.pred"], sk=sk)
    R.case(f"{fn}/1d-weighted", fn, ["@r.y", "@r.pred"], {"sampleWeight": "@r.w"}, sk=sk)
    R.case(f"{fn}/ints", fn, ["@r.yint", "@r.predint"], sk=sk)
    R.case(f"{fn}/odd-n", fn, [[1.0, 4.0, 2.5], [1.5, 3.0, 2.0]], sk=sk)
    R.case(f"{fn}/2d-uniform", fn, ["@r.y2", "@r.pred2"], sk=sk)
    R.case(f"{fn}/2d-raw", fn, ["@r.y2", "@r.pred2"], {"multioutput": "raw_values"}, sk=sk)
    R.case(f"{fn}/2d-weights", fn, ["@r.y2", "@r.pred2"], {"multioutput": [0.3, 0.7]}, sk=sk)
    R.case(f"{fn}/2d-weighted-raw", fn, ["@r.y2", "@r.pred2"], {"multioutput": "raw_values", "sampleWeight": "@r.w"}, sk=sk)
    R.case(f"{fn}/err-length", fn, [[1.0, 2.0, 3.0], [1.0, 2.0]], sk=sk, field="yPred")
    R.case(f"{fn}/err-nan", fn, [[1.0, "NaN", 3.0], [1.0, 2.0, 3.0]], sk=sk, field="yTrue")
    R.case(f"{fn}/err-weights-1d", fn, ["@r.y", "@r.pred"], {"multioutput": [0.5, 0.5]}, sk=sk, field="multioutput")
    R.case(f"{fn}/err-weights-count", fn, ["@r.y2", "@r.pred2"], {"multioutput": [1, 2, 3]}, sk=sk, field="multioutput")
    R.case(f"{fn}/err-outputs", fn, ["@r.y2", "@r.pred"], sk=sk, field="yPred")
R.case("meanAbsolutePercentageError/zero-true", "meanAbsolutePercentageError", ["@r.yzero", "@r.pred"])
R.case("medianAbsoluteError/even-weighted-ties", "medianAbsoluteError", [[1.0, 2.0, 3.0, 4.0], [1.5, 2.5, 3.5, 4.5]], {"sampleWeight": [1, 1, 1, 1]})
R.case("medianAbsoluteError/weighted-step", "medianAbsoluteError", [[0.0, 0.0, 0.0, 0.0], [1.0, 2.0, 3.0, 4.0]], {"sampleWeight": [1, 1, 1, 5]})
for fn in ("r2Score", "explainedVarianceScore"):
    R.case(f"{fn}/2d-variance-weighted", fn, ["@r.y2", "@r.pred2"], {"multioutput": "variance_weighted"})
    R.case(f"{fn}/const-perfect", fn, ["@const.y", "@const.same"])
    R.case(f"{fn}/const-imperfect", fn, ["@const.y", "@const.off"])
    R.case(f"{fn}/const-perfect-not-finite", fn, ["@const.y", "@const.same"], {"forceFinite": False})
    R.case(f"{fn}/const-imperfect-not-finite", fn, ["@const.y", "@const.off"], {"forceFinite": False})
    R.case(f"{fn}/const-column-raw", fn, ["@const2.y", "@const2.p"], {"multioutput": "raw_values"})
    R.case(f"{fn}/const-column-variance-weighted", fn, ["@const2.y", "@const2.p"], {"multioutput": "variance_weighted"})
    R.case(f"{fn}/all-const-variance-weighted", fn, [[[1.0, 2.0], [1.0, 2.0]], [[1.0, 2.5], [1.0, 2.0]]], {"multioutput": "variance_weighted"})
R.case("r2Score/one-sample", "r2Score", [[1.0], [2.0]])
# A constant yTrue of ten 0.1s: NumPy sums a single output pairwise, so its mean is exactly 0.1
# and the scores take the constant-yTrue branch (summed one by one the mean is
# 0.09999999999999999, and R² was −5.2e31).
TENTHS, FIFTHS = [0.1] * 10, [0.2] * 10
for fn in ("r2Score", "explainedVarianceScore"):
    R.case(f"{fn}/const-tenths", fn, [TENTHS, FIFTHS])
    R.case(f"{fn}/const-tenths-weighted", fn, [TENTHS, FIFTHS], {"sampleWeight": [1.0] * 10})
R.case("meanAbsoluteError/err-variance-weighted", "meanAbsoluteError", ["@r.y2", "@r.pred2"], {"multioutput": "variance_weighted"}, field="multioutput")
R.write()

# ---------------------------------------------------------------------------------------------
# clustering.json

K = Fixture("clustering")
K.add_data("c", **clu_data)
K.add_data("p", **part_data)
K.add_data("tiny", X=[[0.0, 0.0], [0.0, 1.0], [5.0, 5.0], [5.0, 6.0]], lab=[0, 0, 1, 1], same=[[1.0, 1.0], [1.0, 1.0], [3.0, 3.0], [3.0, 3.0]])

for fn in ("silhouetteScore", "silhouetteSamples", "daviesBouldinScore", "calinskiHarabaszScore"):
    K.case(f"{fn}/blobs", fn, ["@c.X", "@c.lab"])
    K.case(f"{fn}/blobs-true", fn, ["@c.X", "@c.blob"])
    K.case(f"{fn}/str", fn, ["@c.X", "@c.labstr"])
    K.case(f"{fn}/singleton", fn, ["@c.X", "@c.single"])
    K.case(f"{fn}/tiny", fn, ["@tiny.X", "@tiny.lab"])
    K.case(f"{fn}/duplicates", fn, ["@tiny.same", "@tiny.lab"])
    K.case(f"{fn}/err-one-label", fn, ["@tiny.X", [0, 0, 0, 0]], field="labels")
    K.case(f"{fn}/err-n-labels", fn, ["@tiny.X", [0, 1, 2, 3]], field="labels")

PAIR = (
    "adjustedRandScore",
    "randScore",
    "mutualInfoScore",
    "normalizedMutualInfoScore",
    "adjustedMutualInfoScore",
    "homogeneityScore",
    "completenessScore",
    "vMeasureScore",
    "fowlkesMallowsScore",
)
for fn in PAIR:
    K.case(f"{fn}/noisy", fn, ["@p.t", "@p.p"])
    K.case(f"{fn}/str-vs-int", fn, ["@p.tstr", "@p.p"])
    K.case(f"{fn}/permuted", fn, ["@p.t", "@p.perm"])
    K.case(f"{fn}/random", fn, ["@p.t", "@p.rand"])
    K.case(f"{fn}/one-vs-many", fn, ["@p.one", "@p.t"])
    K.case(f"{fn}/both-one", fn, ["@p.one", "@p.one"])
    K.case(f"{fn}/big", fn, ["@p.bigt", "@p.bigp"])
    K.case(f"{fn}/continuous", fn, ["@p.cont", "@p.t"])
    K.case(f"{fn}/all-singletons", fn, [[0, 1, 2, 3], [0, 0, 1, 1]])
    K.case(f"{fn}/err-length", fn, [[0, 1, 2], [0, 1]], field="labelsPred")
for method in ("min", "geometric", "arithmetic", "max"):
    for fn in ("normalizedMutualInfoScore", "adjustedMutualInfoScore"):
        K.case(f"{fn}/{method}", fn, ["@p.t", "@p.p"], {"averageMethod": method})
        K.case(f"{fn}/{method}-random", fn, ["@p.t", "@p.rand"], {"averageMethod": method})
K.case("vMeasureScore/beta", "vMeasureScore", ["@p.t", "@p.p"], {"beta": 0.4})
# Every cluster a repeated point whose NumPy mean is exact (pairwise: ten 0.1s average to 0.1):
# scikit-learn's within-cluster dispersion is exactly 0 and the index 1; summed one by one the
# mean was 0.09999999999999999 and the index 3.8e34.
K.case("calinskiHarabaszScore/repeated-tenths", "calinskiHarabaszScore", [[[0.1]] * 10 + [[1.0]] * 10, [0] * 10 + [1] * 10])
K.case("calinskiHarabaszScore/repeated-tenths-2d", "calinskiHarabaszScore", [[[0.1, 2.0]] * 10 + [[1.0, 0.5]] * 9 + [[1.0, 0.7]], [0] * 10 + [1] * 10])
# Squared distances overflow: every ratio is inf/inf; np.max propagates the NaN.
K.case("daviesBouldinScore/overflow", "daviesBouldinScore", [[[1e200], [1.0], [2.0], [3.0]], [0, 0, 1, 1]])
K.write()
