"""Interop check driven by test/io/safetensors-pytorch.test.ts.

Usage: tensors_roundtrip.py TORCHLET_FILE EXPECTED_JSON PYTORCH_FILE PYTORCH_JSON
Reads the torchlet-written file with PyTorch and checks it against EXPECTED_JSON, then writes a
PyTorch file plus the values PyTorch holds (PYTORCH_JSON) for torchlet to read and compare."""
import json
import math
import sys

import torch

from safetensors_io import load_file, save_file

torchlet_file, expected_json, pytorch_file, pytorch_json = sys.argv[1:5]
with open(expected_json) as f:
    expected = json.load(f)
loaded = load_file(torchlet_file)
assert sorted(loaded) == sorted(expected), (sorted(loaded), sorted(expected))
for name, spec in expected.items():
    t = loaded[name]
    assert list(t.shape) == spec["shape"], (name, list(t.shape), spec["shape"])
    assert str(t.dtype) == spec["torch_dtype"], (name, str(t.dtype), spec["torch_dtype"])
    for a, b in zip(t.reshape(-1).tolist(), spec["data"]):
        assert a == b or (b == "nan" and math.isnan(a)), (name, a, b)

g = torch.Generator().manual_seed(7)
tensors = {
    "w": torch.randn(3, 4, generator=g),
    "d": torch.randn(2, dtype=torch.float64, generator=g),
    "i64": torch.tensor([1, -2, 2**31 - 1]),
    "flags": torch.tensor([True, False, True]),
    "scalar": torch.tensor(2.5),
}
save_file(tensors, pytorch_file)
with open(pytorch_json, "w") as f:
    json.dump({k: {"shape": list(v.shape), "data": v.reshape(-1).tolist()} for k, v in tensors.items()}, f)
print("ok")
