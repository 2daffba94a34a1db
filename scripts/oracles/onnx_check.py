"""Checks ONNX files with Debian's python3-onnx: `onnx.checker.check_model(full_check=True)`
(which also runs shape inference) on each file given.

Run: /usr/bin/python3 scripts/oracles/onnx_check.py model.onnx [more.onnx …]

Prints one JSON document: {"onnx": version, "results": [{"path", "ok", "error"?, "opsets", "ir_version"}]}
and exits 0 when every file passes, 1 otherwise. The export tests call it when `import onnx`
works (CI may not have python3-onnx; the tests then skip with a note).
"""

import json
import sys

import onnx


def check(path):
    out = {"path": path}
    try:
        model = onnx.load(path)
        out["ir_version"] = model.ir_version
        out["opsets"] = {o.domain or "ai.onnx": o.version for o in model.opset_import}
        onnx.checker.check_model(model, full_check=True)
        out["ok"] = True
    except Exception as e:  # report every failure, keep checking the other files
        out["ok"] = False
        out["error"] = f"{type(e).__name__}: {e}"
    return out


def main(paths):
    results = [check(p) for p in paths]
    json.dump({"onnx": onnx.__version__, "results": results}, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
