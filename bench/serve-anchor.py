"""The anchor of bench/serve.ts: a FastAPI server (uvicorn, one process) scoring with a
scikit-learn pipeline over the Open Inference Protocol's JSON, as MLServer's and KServe's
scikit-learn runtimes do — the same route and request/response shapes as `lathe serve`.

  /usr/bin/python3 bench/serve-anchor.py <train.csv> <target> <port>

Trains the pipeline on the CSV first (numeric columns: median imputation + standardisation;
text columns: most-frequent imputation + one-hot, unknown categories ignored; booleans as 0/1;
logistic regression), then serves POST /v2/models/m/infer until killed. Prints "ready <port>"
on stdout once listening.
"""
import sys

import numpy as np
import pandas as pd
import uvicorn
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

path, target, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = pd.read_csv(path)
y = data.pop(target).astype(str)
X = data
numeric = [c for c in X.columns if X[c].dtype.kind in "fi" or X[c].dtype.kind == "b"]
text = [c for c in X.columns if c not in numeric]
for c in numeric:
    X[c] = X[c].astype(float)
model = Pipeline(
    [
        (
            "prep",
            ColumnTransformer(
                [
                    ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
                    (
                        "cat",
                        make_pipeline(
                            SimpleImputer(strategy="most_frequent"),
                            OneHotEncoder(handle_unknown="ignore"),
                        ),
                        text,
                    ),
                ]
            ),
        ),
        ("clf", LogisticRegression(max_iter=1000)),
    ]
).fit(X, y)
columns = list(X.columns)

app = FastAPI()


@app.post("/v2/models/m/infer")
async def infer(request: Request):
    body = await request.json()
    try:
        frame = pd.DataFrame({t["name"]: t["data"] for t in body["inputs"]})[columns]
    except (KeyError, TypeError) as e:
        raise HTTPException(status_code=400, detail=f"bad request: {e}")
    for c in numeric:
        frame[c] = pd.to_numeric(frame[c], errors="raise").astype(float)
    pred = model.predict(frame)
    return JSONResponse(
        {
            "model_name": "m",
            "model_version": "1",
            "id": body.get("id", ""),
            "outputs": [
                {"name": "prediction", "datatype": "BYTES", "shape": [len(pred)], "data": pred.tolist()}
            ],
        }
    )


@app.on_event("startup")
async def ready():
    print(f"ready {port}", flush=True)


uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
