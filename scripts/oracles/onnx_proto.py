"""Oracle bytes for Lathe's ONNX protobuf writer (src/export/onnx-proto.ts).

Run with Debian's Python: /usr/bin/python3 scripts/oracles/onnx_proto.py

Each case is a small model described as plain JSON in the shape of the TypeScript `ModelProto`
of src/export/onnx-proto.ts; this script builds the same model with `onnx.helper` (python3-onnx
1.12) and records the bytes `SerializeToString()` gives, after checking the model with
`onnx.checker`. The test encodes each description with `encodeModel` and requires the same bytes.

Numbers that JSON cannot hold are written as strings: "NaN", "Infinity", "-Infinity", "-0".

Writes test/fixtures/export/proto.json.
"""

import json
import math
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "export", "proto.json")

NP = {
    TensorProto.DOUBLE: np.float64,
    TensorProto.FLOAT: np.float32,
    TensorProto.INT64: np.int64,
    TensorProto.INT32: np.int32,
    TensorProto.INT8: np.int8,
    TensorProto.UINT8: np.uint8,
    TensorProto.BOOL: np.bool_,
}


def num(v):
    if isinstance(v, str):
        return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf, "-0": -0.0}[v]
    return v


def tensor(d):
    if d["dataType"] == TensorProto.STRING:
        arr = np.array([s.encode() for s in d["values"]], dtype=object).reshape(d["dims"])
    else:
        arr = np.array([num(v) for v in d["values"]], dtype=NP[d["dataType"]]).reshape(d["dims"])
    return numpy_helper.from_array(arr, d.get("name"))


def attribute(a):
    t, v = a["type"], a["value"]
    if t == "float":
        return helper.make_attribute(a["name"], float(num(v)))
    if t == "int":
        return helper.make_attribute(a["name"], int(v))
    if t == "string":
        return helper.make_attribute(a["name"], v)
    if t == "tensor":
        return helper.make_attribute(a["name"], tensor(v))
    if t == "graph":
        return helper.make_attribute(a["name"], graph(v))
    if t == "floats":
        return helper.make_attribute(a["name"], [float(num(x)) for x in v])
    if t == "ints":
        return helper.make_attribute(a["name"], [int(x) for x in v])
    if t == "strings":
        return helper.make_attribute(a["name"], v)
    raise ValueError(t)


def node(n):
    out = helper.make_node(n["opType"], n["inputs"], n["outputs"], name=n.get("name"), domain=n.get("domain"))
    out.attribute.extend(attribute(a) for a in n.get("attributes", []))
    if "docString" in n:
        out.doc_string = n["docString"]
    return out


def value_info(v):
    return helper.make_tensor_value_info(v["name"], v["elemType"], v.get("shape"), doc_string=v.get("docString", ""))


def graph(g):
    return helper.make_graph(
        [node(n) for n in g["nodes"]],
        g["name"],
        [value_info(v) for v in g["inputs"]],
        [value_info(v) for v in g["outputs"]],
        [tensor(t) for t in g.get("initializers", [])],
        doc_string=g.get("docString"),
    )


def model(m):
    out = helper.make_model(
        graph(m["graph"]),
        opset_imports=[helper.make_opsetid(o["domain"], o["version"]) for o in m["opsetImports"]],
        ir_version=m["irVersion"],
    )
    for key in ("producerName", "producerVersion", "domain", "docString"):
        if key in m:
            setattr(out, {"producerName": "producer_name", "producerVersion": "producer_version"}.get(key, key.replace("docString", "doc_string")), m[key])
    if "modelVersion" in m:
        out.model_version = m["modelVersion"]
    if "metadata" in m:
        helper.set_model_props(out, {e["key"]: e["value"] for e in m["metadata"]})
    return out


ML = {"domain": "ai.onnx.ml", "version": 3}
ON = {"domain": "", "version": 17}


def vi(name, elem, shape, doc=None):
    d = {"name": name, "elemType": elem, "shape": shape}
    if doc is not None:
        d["docString"] = doc
    return d


CASES = [
    {
        "name": "add-two-doubles",
        "model": {
            "irVersion": 8,
            "producerName": "lathe",
            "producerVersion": "0.1.0",
            "opsetImports": [ON],
            "graph": {
                "name": "g",
                "nodes": [{"inputs": ["a", "b"], "outputs": ["y"], "name": "Add_0", "opType": "Add"}],
                "inputs": [vi("a", TensorProto.DOUBLE, ["N", 1]), vi("b", TensorProto.DOUBLE, ["N", 1])],
                "outputs": [vi("y", TensorProto.DOUBLE, ["N", 1])],
            },
        },
    },
    {
        "name": "initializers-of-every-type",
        "model": {
            "irVersion": 8,
            "producerName": "lathe",
            "opsetImports": [ON],
            "docString": "all initializer types",
            "graph": {
                "name": "consts",
                "docString": "constants",
                "nodes": [
                    {"inputs": ["d", "x"], "outputs": ["y"], "name": "Mul_0", "opType": "Mul"},
                    {"inputs": ["s", "i"], "outputs": ["z"], "name": "Gather_1", "opType": "Gather",
                     "attributes": [{"name": "axis", "type": "int", "value": 0}]},
                ],
                "initializers": [
                    {"name": "d", "dims": [2, 3], "dataType": TensorProto.DOUBLE,
                     "values": [1.5, -2.25, "NaN", "Infinity", "-0", 1e-300]},
                    {"name": "f", "dims": [3], "dataType": TensorProto.FLOAT, "values": [0.1, -3.5, "-Infinity"]},
                    {"name": "i", "dims": [4], "dataType": TensorProto.INT64, "values": [0, -1, 2 ** 40, -(2 ** 40)]},
                    {"name": "i32", "dims": [2], "dataType": TensorProto.INT32, "values": [-7, 123456]},
                    {"name": "b", "dims": [3], "dataType": TensorProto.BOOL, "values": [1, 0, 1]},
                    {"name": "s", "dims": [3], "dataType": TensorProto.STRING, "values": ["yes", "", "Zürich ☃"]},
                    {"name": "scalar", "dims": [], "dataType": TensorProto.DOUBLE, "values": [42.0]},
                ],
                "inputs": [vi("x", TensorProto.DOUBLE, ["N", 3], "a doc")],
                "outputs": [vi("y", TensorProto.DOUBLE, [2, 3]), vi("z", TensorProto.STRING, [4])],
            },
        },
    },
    {
        "name": "ml-attributes",
        "model": {
            "irVersion": 8,
            "producerName": "lathe",
            "producerVersion": "0.1.0",
            "opsetImports": [ON, ML],
            "metadata": [{"key": "lathe.kind", "value": "regressor"}, {"key": "b", "value": "ünïcode"}],
            "graph": {
                "name": "trees",
                "nodes": [
                    {
                        "inputs": ["X"],
                        "outputs": ["Y"],
                        "name": "TreeEnsembleRegressor_0",
                        "opType": "TreeEnsembleRegressor",
                        "domain": "ai.onnx.ml",
                        "attributes": sorted(
                            [
                                {"name": "aggregate_function", "type": "string", "value": "SUM"},
                                {"name": "n_targets", "type": "int", "value": 1},
                                {"name": "nodes_falsenodeids", "type": "ints", "value": [2, 0, 0]},
                                {"name": "nodes_featureids", "type": "ints", "value": [1, 0, 0]},
                                {"name": "nodes_missing_value_tracks_true", "type": "ints", "value": [1, 0, 0]},
                                {"name": "nodes_modes", "type": "strings", "value": ["BRANCH_LEQ", "LEAF", "LEAF"]},
                                {"name": "nodes_nodeids", "type": "ints", "value": [0, 1, 2]},
                                {"name": "nodes_treeids", "type": "ints", "value": [0, 0, 0]},
                                {"name": "nodes_truenodeids", "type": "ints", "value": [1, 0, 0]},
                                {"name": "nodes_values_as_tensor", "type": "tensor",
                                 "value": {"dims": [3], "dataType": TensorProto.DOUBLE, "values": [0.25, 0, 0]}},
                                {"name": "post_transform", "type": "string", "value": "NONE"},
                                {"name": "target_ids", "type": "ints", "value": [0, 0]},
                                {"name": "target_nodeids", "type": "ints", "value": [1, 2]},
                                {"name": "target_treeids", "type": "ints", "value": [0, 0]},
                                {"name": "target_weights", "type": "floats", "value": [0.0, 1.0]},
                            ],
                            key=lambda a: a["name"],
                        ),
                    },
                    {
                        "inputs": ["S"],
                        "outputs": ["L"],
                        "name": "LabelEncoder_1",
                        "opType": "LabelEncoder",
                        "domain": "ai.onnx.ml",
                        "attributes": [
                            {"name": "default_int64", "type": "int", "value": -1},
                            {"name": "keys_strings", "type": "strings", "value": ["a", "", "c"]},
                            {"name": "values_int64s", "type": "ints", "value": [3, -2, 0]},
                        ],
                    },
                    {
                        "inputs": ["Y"],
                        "outputs": ["Z"],
                        "name": "LeakyRelu_2",
                        "opType": "LeakyRelu",
                        "docString": "a node doc",
                        "attributes": [{"name": "alpha", "type": "float", "value": 0.3}],
                    },
                ],
                "inputs": [vi("X", TensorProto.DOUBLE, ["N", 2]), vi("S", TensorProto.STRING, ["N", 1])],
                "outputs": [vi("Z", TensorProto.FLOAT, ["N", 1]), vi("L", TensorProto.INT64, ["N", 1])],
            },
        },
    },
]


def main():
    cases = []
    for case in CASES:
        m = model(case["model"])
        onnx.checker.check_model(m, full_check=True)
        cases.append({"name": case["name"], "model": case["model"], "hex": m.SerializeToString().hex()})
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump({"generator": f"onnx {onnx.__version__}", "cases": cases}, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {OUT}: {len(cases)} cases")


if __name__ == "__main__":
    main()
