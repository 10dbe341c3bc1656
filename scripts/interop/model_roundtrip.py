"""Whole-model interop, run by test/io/model-interop.test.ts.

argv: DIR. Reads DIR/torchlet_mlp.ckpt.safetensors (a torchlet training checkpoint: the model
part under "model."), DIR/torchlet_cnn.safetensors (a plain state dict) and DIR/torchlet_io.safetensors
(input x and torchlet's outputs); loads them into the same architectures in PyTorch with
load_state_dict (strict) and checks the outputs. Then writes PyTorch-initialised state dicts and
their outputs on x to DIR/pytorch_{mlp,cnn}.safetensors and DIR/pytorch_io.safetensors."""
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "bench"))
sys.path.insert(0, os.path.dirname(__file__))
from fashion_mnist_pytorch import CNN, MLP  # noqa: E402
from safetensors_io import load_file, save_file  # noqa: E402

d = sys.argv[1]
io = load_file(os.path.join(d, "torchlet_io.safetensors"))
x = io["x"]
ckpt = load_file(os.path.join(d, "torchlet_mlp.ckpt.safetensors"))
states = {
    "mlp": {k[len("model.") :]: v for k, v in ckpt.items() if k.startswith("model.")},
    "cnn": load_file(os.path.join(d, "torchlet_cnn.safetensors")),
}
out = {"x": x}
for name, cls in (("mlp", MLP), ("cnn", CNN)):
    model = cls().eval()
    model.load_state_dict(states[name])  # strict: every key, every shape
    with torch.no_grad():
        y = model(x)
    diff = (y - io[name]).abs().max().item()
    if not torch.allclose(y, io[name], rtol=1e-5, atol=1e-5):
        sys.exit(f"{name}: PyTorch's output differs from torchlet's by {diff}")
    print(f"{name}: max |pytorch - torchlet| = {diff:.3g}")
    torch.manual_seed(123)
    fresh = cls().eval()
    save_file(fresh.state_dict(), os.path.join(d, f"pytorch_{name}.safetensors"))
    with torch.no_grad():
        out[name] = fresh(x)
save_file(out, os.path.join(d, "pytorch_io.safetensors"))
