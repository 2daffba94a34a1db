"""Writes examples/wine.csv: the UCI Wine recognition data (178 wines, 13 chemical measurements,
3 cultivars) as bundled with scikit-learn (BSD-3-Clause). Original data: Forina, M. et al.,
PARVUS (1988), via the UCI Machine Learning Repository (CC BY 4.0).

Run with /usr/bin/python3 examples/make_wine.py from the repository root."""
import csv
import os

from sklearn.datasets import load_wine

data = load_wine()
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "wine.csv")
names = [n.replace("/", "_per_") for n in data.feature_names]
with open(out, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(names + ["cultivar"])
    for row, t in zip(data.data, data.target):
        w.writerow([repr(float(v)) if not float(v).is_integer() else str(float(v)) for v in row] + [f"class_{t}"])
print("wrote", out)
