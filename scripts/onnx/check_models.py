"""Validates ONNX files with onnx.checker (full_check: shape inference too) and prints, per file,
its initializers, inputs, outputs (with dims) and op types as one JSON line. Used by test/onnx."""
import json
import sys

import onnx


def dims(v):
    def one(d):
        if d.HasField("dim_param"):
            return d.dim_param
        return d.dim_value if d.HasField("dim_value") else None

    return [one(d) for d in v.type.tensor_type.shape.dim]


for path in sys.argv[1:]:
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    g = model.graph
    print(json.dumps({
        "opset": model.opset_import[0].version,
        "initializers": [t.name for t in g.initializer],
        "inputs": [[v.name, dims(v)] for v in g.input],
        "outputs": [[v.name, dims(v)] for v in g.output],
        "ops": [n.op_type for n in g.node],
    }))
