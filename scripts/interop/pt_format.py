"""Interop check of PyTorch's own file format, driven by test/io/pt-format-pytorch.test.ts.

Usage:
  pt_format.py write DIR   PyTorch writes DIR/pytorch_*.pt with torch.save, and DIR/pytorch_*.json
                           with the values PyTorch holds (tensors with dtype, shape, stride,
                           storage offset and data), for torchlet to load and compare.
  pt_format.py read DIR    PyTorch loads DIR/torchlet_*.pt with torch.load and checks them
                           against DIR/torchlet_*.json (what torchlet saved).
"""
import collections
import json
import math
import os
import sys

import torch

mode, folder = sys.argv[1:3]


def number(v):
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
    return v


def enc(v):
    """A value as JSON, tensors with their layout."""
    if isinstance(v, torch.Tensor):
        return {
            "$tensor": {
                "dtype": str(v.dtype).replace("torch.", ""),
                "shape": list(v.shape),
                "stride": list(v.stride()),
                "offset": v.storage_offset(),
                "storage": v.storage().data_ptr(),
                "data": [number(x) for x in v.detach().contiguous().reshape(-1).tolist()],
                "requires_grad": v.requires_grad,
                "parameter": isinstance(v, torch.nn.Parameter),
            }
        }
    if isinstance(v, dict):
        return {"$dict": [[k, enc(x)] for k, x in v.items()]}
    if isinstance(v, tuple):
        return {"$tuple": [enc(x) for x in v]}
    if isinstance(v, list):
        return [enc(x) for x in v]
    if isinstance(v, bytes):
        return {"$bytes": list(v)}
    return number(v)


def model():
    torch.manual_seed(0)
    return torch.nn.Sequential(
        torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.BatchNorm1d(3), torch.nn.Linear(3, 2)
    )


def batch(step):
    g = torch.Generator().manual_seed(100 + step)
    return torch.randn(5, 4, generator=g), torch.randn(5, 2, generator=g)


def train(net, opt, steps):
    for step in steps:
        x, y = batch(step)
        opt.zero_grad()
        torch.nn.functional.mse_loss(net(x), y).backward()
        opt.step()


def save(name, obj):
    torch.save(obj, os.path.join(folder, f"pytorch_{name}.pt"))
    with open(os.path.join(folder, f"pytorch_{name}.json"), "w") as f:
        json.dump(enc(obj), f)


class Evil:
    """What a hostile file holds: an object whose unpickling runs a command."""

    def __init__(self, func, arg):
        self.func, self.arg = func, arg

    def __reduce__(self):
        return (self.func, (self.arg,))


def write():
    net = model()
    save("state_dict", net.state_dict())
    for name, make in [
        ("sgd", lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, weight_decay=0.01)),
        ("adam", lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.8, 0.95))),
    ]:
        net = model()
        opt = make(net.parameters())
        train(net, opt, range(3))
        save(f"{name}_model", net.state_dict())
        save(f"{name}_optimizer", opt.state_dict())
        train(net, opt, [3])
        save(f"{name}_model_after", net.state_dict())
    x, y = batch(3)
    save("batch3", {"x": x, "y": y})

    base = torch.arange(24, dtype=torch.float32).reshape(4, 6)
    save(
        "views",
        {
            "base": base,
            "t": base.t(),
            "slice": base[1:3, ::2],
            "row": base[2],
            "expanded": torch.tensor([[1.0], [2.0], [3.0]]).expand(3, 4),
            "scalar": torch.tensor(2.5),
            "empty": torch.zeros(0, 3),
        },
    )
    g = torch.Generator().manual_seed(3)
    x = torch.randn(2, 3, generator=g) * 100
    save(
        "dtypes",
        {
            "float32": x,
            "float64": x.double(),
            "float16": x.half(),
            "bfloat16": x.bfloat16(),
            "int64": torch.tensor([-(2**31), 0, 2**31 - 1]),
            "int32": torch.tensor([-7, 0, 7], dtype=torch.int32),
            "int16": torch.tensor([-32768, 5, 32767], dtype=torch.int16),
            "int8": torch.tensor([-128, 5, 127], dtype=torch.int8),
            "uint8": torch.tensor([0, 5, 255], dtype=torch.uint8),
            "bool": torch.tensor([True, False, True]),
        },
    )
    od = collections.OrderedDict()
    od["b"] = 1
    od["a"] = torch.ones(2)
    save(
        "nested",
        {
            "epoch": 3,
            "lr": 0.1,
            "name": "run-1",
            "none": None,
            "flag": True,
            "list": [1, 2.5, [3, "x", [None]]],
            "tuple": (1, (2, 3)),
            "ordered": od,
            "bytes": b"\x00\xffab",
            "big": 2**40,
            "neg": -70000,
            "inf": float("inf"),
            "int_keys": {0: "zero", 7: "seven"},
            "param": torch.nn.Parameter(torch.tensor([1.5, -2.0])),
            "shared": [od["a"], od["a"]],
        },
    )
    # Other pickle protocols (FRAME, MEMOIZE, SHORT_BINUNICODE, SHORT_BINBYTES, ...).
    for protocol in (0, 1, 3, 4, 5):
        nested = torch.load(os.path.join(folder, "pytorch_nested.pt"))
        torch.save(nested, os.path.join(folder, f"pytorch_nested_p{protocol}.pt"), pickle_protocol=protocol)
    torch.save(torch.tensor([2**40]), os.path.join(folder, "pytorch_int64_overflow.pt"))
    torch.save(torch.zeros(2, dtype=torch.complex64), os.path.join(folder, "pytorch_complex.pt"))
    torch.save({"x": Evil(os.system, "echo pwned")}, os.path.join(folder, "pytorch_evil_system.pt"))
    torch.save({"x": Evil(eval, "1+1")}, os.path.join(folder, "pytorch_evil_eval.pt"))
    torch.save(torch.nn.Linear(2, 2), os.path.join(folder, "pytorch_evil_module.pt"))

    # The same archive re-zipped by Python's zipfile: zip64 headers, no alignment; and deflated.
    import zipfile

    src = zipfile.ZipFile(os.path.join(folder, "pytorch_views.pt"))
    for name, method in [("zip64", zipfile.ZIP_STORED), ("deflated", zipfile.ZIP_DEFLATED)]:
        with zipfile.ZipFile(os.path.join(folder, f"pytorch_{name}.pt"), "w", method) as dst:
            for info in src.infolist():
                with dst.open(info.filename, "w", force_zip64=True) as out:
                    out.write(src.read(info.filename))
    torch.save({"a": torch.ones(2)}, os.path.join(folder, "pytorch_legacy.pt"), _use_new_zipfile_serialization=False)

    import torchvision

    torch.manual_seed(0)
    resnet = torchvision.models.resnet18().eval()
    # Random running statistics, so that eval-mode batch norm is not the identity.
    with torch.no_grad():
        for m in resnet.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.running_mean.uniform_(-0.1, 0.1)
                m.running_var.uniform_(0.5, 1.5)
    torch.save(resnet.state_dict(), os.path.join(folder, "pytorch_resnet18.pt"))
    x = torch.randn(2, 3, 64, 64, generator=torch.Generator().manual_seed(5))
    with torch.no_grad():
        y = resnet(x)
    torch.save({"x": x, "y": y}, os.path.join(folder, "pytorch_resnet18_io.pt"))


def check(actual, expected, where):
    """Compares a loaded value with the JSON torchlet wrote of what it saved."""
    if isinstance(expected, dict) and "$tensor" in expected:
        spec = expected["$tensor"]
        assert isinstance(actual, torch.Tensor), (where, type(actual))
        assert str(actual.dtype) == "torch." + spec["dtype"], (where, actual.dtype, spec["dtype"])
        assert list(actual.shape) == spec["shape"], (where, actual.shape, spec["shape"])
        assert list(actual.stride()) == spec["stride"], (where, actual.stride(), spec["stride"])
        assert actual.storage_offset() == spec["offset"], (where, actual.storage_offset())
        assert actual.requires_grad == spec["requires_grad"], where
        assert isinstance(actual, torch.nn.Parameter) == spec["parameter"], where
        for a, b in zip(actual.detach().contiguous().reshape(-1).tolist(), spec["data"], strict=True):
            assert a == b or (b == "nan" and math.isnan(a)), (where, a, b)
    elif isinstance(expected, dict) and "$dict" in expected:
        assert isinstance(actual, dict), (where, type(actual))
        assert list(actual.keys()) == [k for k, _ in expected["$dict"]], (where, list(actual.keys()))
        for k, v in expected["$dict"]:
            check(actual[k], v, f"{where}.{k}")
    elif isinstance(expected, dict) and "$tuple" in expected:
        assert isinstance(actual, tuple), (where, type(actual))
        assert len(actual) == len(expected["$tuple"]), where
        for i, (a, b) in enumerate(zip(actual, expected["$tuple"])):
            check(a, b, f"{where}[{i}]")
    elif isinstance(expected, dict) and "$bytes" in expected:
        assert actual == bytes(expected["$bytes"]), (where, actual)
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), (where, actual)
        for i, (a, b) in enumerate(zip(actual, expected)):
            check(a, b, f"{where}[{i}]")
    elif expected in ("nan", "inf", "-inf"):
        assert isinstance(actual, float), (where, actual)
        assert math.isnan(actual) if expected == "nan" else actual == float(expected), (where, actual)
    else:
        assert type(actual) is type(expected) or isinstance(actual, float), (where, actual, expected)
        assert actual == expected, (where, actual, expected)


def read():
    names = sorted(f[len("torchlet_") : -3] for f in os.listdir(folder) if f.startswith("torchlet_") and f.endswith(".pt"))
    assert names, "no torchlet_*.pt files"
    for name in names:
        path = os.path.join(folder, f"torchlet_{name}.pt")
        with open(os.path.join(folder, f"torchlet_{name}.json")) as f:
            expected = json.load(f)
        value = torch.load(path)
        check(value, expected, name)
        print(f"{name}: torch.load equal")
        try:
            torch.load(path, weights_only=True)
            print(f"{name}: weights_only=True loads")
        except Exception as e:  # PyTorch 1.13's weights_only unpickler has no BINFLOAT
            print(f"{name}: weights_only=True fails in {torch.__version__}: {e}")
        if name == "views":
            ptrs = {k: v.storage().data_ptr() for k, v in value.items()}
            assert ptrs["base"] == ptrs["t"] == ptrs["slice"] == ptrs["row"], ptrs
            value["base"][0, 1] = -1
            assert value["t"][1, 0] == -1, "views share memory after torch.load"
            print("views: storage shared")
        if name == "checkpoint":
            # The optimizer state loads into PyTorch's optimizer, which can step from it.
            net = model()
            net.load_state_dict(value["model"])
            opt = torch.optim.Adam(net.parameters(), lr=0.01)
            opt.load_state_dict(value["optimizer"])
            assert opt.param_groups[0]["betas"] == (0.8, 0.95), opt.param_groups[0]["betas"]
            assert float(opt.state[net[0].weight]["step"]) == 3
            train(net, opt, [3])
            sgd = torch.optim.SGD(model().parameters(), lr=0.1, momentum=0.9)
            sgd.load_state_dict(value["sgd"])
            print("checkpoint: Adam and SGD state load into PyTorch's optimizers and step")
        if name == "state_dict":
            net = model()
            net.load_state_dict(value)
            print("state_dict: loads into the PyTorch model")


write() if mode == "write" else read()
