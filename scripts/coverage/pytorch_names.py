"""Lists PyTorch 1.13's public core names per namespace into docs/api/pytorch-1.13-names.json.

Run with Debian's python3-torch:  /usr/bin/python3 scripts/coverage/pytorch_names.py

scripts/coverage/report.ts maps these names to torchlet's and writes docs/api-coverage.md.

The filter, applied to every namespace (what "core names" means on that page):

1. Candidates are `dir(namespace)` (for `Tensor`: `dir(torch.Tensor)`).
2. Names starting with `_` (private and dunder) are left out.
3. Submodules are left out (the namespaces that matter are listed on their own).
4. Only callables (functions, builtins, classes) are kept, plus `torch.dtype` values in `torch`
   (`float32`, `int64`, ...). Constants (`torch.pi`, `torch.inf`), strings and docs notes go.
   `Tensor` is the one exception: its attributes (getset descriptors and properties: `shape`,
   `grad`, `requires_grad`, `T`, ...) are kept, since they are the Tensor API as much as methods.
5. Imports from elsewhere are left out: a Python-level function or class must be defined in the
   namespace's own package (`__module__` under e.g. `torch.nn` for `nn`, `torch.optim` for
   `optim`); builtins (C functions) are kept wherever they appear if their `__module__` is
   torch's (`torch`, `torch._C._nn`, `torch._C._linalg`, ...); for `torch` itself, classes from
   `torch._C` count as the package's (but see rule 8). This drops `typing` names, `math`,
   `warnings`, `bisect_right`, `F.Tensor`, `handle_torch_function`, `boolean_dispatch` and the
   like.
6. Device-, layout- and quantization-specific names are left out: a name one of whose
   lowercased `_`-parts equals a word of EXCLUDED_PARTS (cuda, cudnn, miopen, mkldnn, mkl,
   fbgemm, vulkan, mps, xpu, hip, ipu, xla, hpu, ort, nnpack, nvtx, sparse, quantized, qint,
   csr, ...) or starts with one of PREFIXES (cudnn, mkldnn, quantize, sparse, ...), a class whose
   lowercased name contains one of CLASS_WORDS (cuda, sparse, quant, storage, ...), plus the
   explicit EXCLUDED_NAMES (sparse-only tensor methods such as `indices`, `values`,
   `coalesce`; quantized ones such as `int_repr`, `q_scale`; profiler classes; helpers such as
   `F.has_torch_function` and `nn.factory_kwargs` that live in a namespace but are no user API).
7. Obvious deprecated aliases are left out (DEPRECATED below): the legacy type classes
   (`torch.FloatTensor`, ...), storages (`*Storage`), `nn.Container`, `torch.autograd.Variable`,
   the non-underscore `nn.init` functions that have an underscore twin (`normal` -> `normal_`),
   `F.upsample*` (-> `interpolate`), `nn.utils.clip_grad_norm` (-> `clip_grad_norm_`), and the
   linear-algebra functions 1.13 deprecates in favour of `torch.linalg` (`torch.solve`, `eig`,
   `symeig`, `lstsq`, `matrix_rank`, `chain_matmul`).
8. Internals: in `torch`, only the classes of TORCH_CLASSES are kept (the other classes are
   TorchScript/JIT internals from torch._C) and TORCH_INTERNAL plus the `*_copy` view-copy
   variants (operator-level helpers with no documentation) go; in `Tensor`, TENSOR_INTERNAL.
9. `torch.utils.data`'s datapipes API (beta in 1.13: `IterDataPipe`, `functional_datapipe`, ...)
   and the experimental `DataLoader2` are left out as not core.

Namespaces beyond the issue's list: `nn.utils.rnn` (packed sequences) and `fft`. Only top-level
names of each namespace count (`autograd.functional.jacobian`, `distributions.constraints` and
`nn.utils.parametrizations` are not listed).

The output maps each namespace ("torch", "Tensor", "nn", "nn.functional", ...) to its sorted names.
"""

import inspect
import json
import os
import sys
import types

import torch
import torch.distributions
import torch.fft
import torch.linalg
import torch.nn
import torch.nn.functional
import torch.nn.init
import torch.nn.utils
import torch.nn.utils.rnn
import torch.optim
import torch.optim.lr_scheduler
import torch.utils.data

EXCLUDED_PARTS = (
    "cuda", "cudnn", "miopen", "mkldnn", "mkl", "fbgemm", "vulkan", "mps", "xpu", "hip", "ipu",
    "xla", "hpu", "ort", "nnpack", "nvtx", "sparse", "quantized", "qint", "quint", "qscheme",
    "csr", "csc", "bsr", "bsc", "dequantize",
)  # fmt: skip
PREFIXES = ("cudnn", "miopen", "mkldnn", "fbgemm", "quantize", "qint", "quint", "vulkan", "sparse")
CLASS_WORDS = ("cuda", "sparse", "quant", "qint", "quint", "storage")

EXCLUDED_NAMES = {
    # sparse-only
    "indices", "values", "coalesce", "is_coalesced", "to_dense", "dense_dim", "crow_indices",
    "col_indices", "ccol_indices", "row_indices", "smm", "sspaddmm", "hspmm", "spmm",
    # quantized-only
    "int_repr", "dequantize", "q_scale", "q_zero_point", "q_per_channel_scales",
    "q_per_channel_zero_points", "q_per_channel_axis", "fake_quantize_per_tensor_affine",
    # profiler (autograd)
    "ProfilerActivity", "ProfilerConfig", "ProfilerEvent", "ProfilerState", "DeviceType",
    "kineto_available", "SavedTensor",
    # helpers that live in the namespace but are no user API
    "factory_kwargs", "assert_int_or_pair", "has_torch_function", "has_torch_function_unary",
    "has_torch_function_variadic", "PackedSequence_", "bind", "invert_permutation", "variable",
}  # fmt: skip

# torch's classes are only these; every other class in `dir(torch)` comes from torch._C and is a
# TorchScript/JIT/dispatcher internal (Graph, AliasDb, FunctionSchema, ScriptModule, ...).
TORCH_CLASSES = {"Tensor", "Size", "Generator", "device", "dtype", "finfo", "iinfo", "layout",
                 "memory_format", "inference_mode", "no_grad", "enable_grad", "set_grad_enabled",
                 "autocast"}  # fmt: skip

# Undocumented operator-level internals that `dir(torch)` shows (backward helpers, fused RNN
# cells, functionalization `*_copy` variants, TorchScript hooks). Names ending in `_copy` go too.
TORCH_INTERNAL = {
    "batch_norm_backward_elemt", "batch_norm_backward_reduce", "batch_norm_elemt",
    "batch_norm_gather_stats", "batch_norm_gather_stats_with_counts", "batch_norm_stats",
    "batch_norm_update_stats", "native_batch_norm", "native_channel_shuffle", "native_dropout",
    "native_group_norm", "native_layer_norm", "native_norm", "autocast_decrement_nesting",
    "autocast_increment_nesting", "clear_autocast_cache", "fork", "wait", "import_ir_module",
    "import_ir_module_from_buffer", "parse_ir", "parse_schema", "parse_type_comment",
    "merge_type_from_type_comment", "unify_type_list", "classproperty", "candidate", "obj",
    "read_vitals", "set_vital", "vitals_enabled", "prepare_multiprocessing_environment",
    "get_file_path", "init_num_threads", "compiled_with_cxx11_abi", "dsmm", "hsmm", "saddmm",
    "choose_qparams_optimized", "fused_moving_avg_obs_fake_quant", "segment_reduce",
    "grid_sampler", "grid_sampler_2d", "grid_sampler_3d", "affine_grid_generator",
    "constant_pad_nd", "convolution", "embedding_renorm_", "feature_dropout", "feature_dropout_",
    "gru", "gru_cell", "lstm", "lstm_cell", "rnn_relu", "rnn_relu_cell", "rnn_tanh",
    "rnn_tanh_cell", "norm_except_dim", "frobenius_norm", "unsafe_chunk", "unsafe_split",
    "unsafe_split_with_sizes", "align_tensors", "is_distributed", "from_file",
    "is_anomaly_check_nan_enabled", "get_autocast_cpu_dtype", "get_autocast_gpu_dtype",
    "is_autocast_cache_enabled", "is_autocast_cpu_enabled", "is_autocast_enabled",
    "set_autocast_cache_enabled", "set_autocast_cpu_dtype", "set_autocast_cpu_enabled",
    "set_autocast_enabled", "set_autocast_gpu_dtype", "rsub", "scalar_tensor", "split_with_sizes",
}  # fmt: skip

# Tensor members that are internal or deprecated (Variable-era `volatile`, `reinforce`, `resize`).
TENSOR_INTERNAL = {"reinforce", "volatile", "output_nr", "record_stream", "resize", "map2_",
                   "unsafe_chunk", "unsafe_split", "unsafe_split_with_sizes", "storage",
                   "storage_offset", "storage_type", "is_set_to", "set_", "is_distributed"}  # fmt: skip

DEPRECATED = {
    "torch": {"solve", "eig", "symeig", "lstsq", "matrix_rank", "chain_matmul"},
    "Tensor": {"solve", "eig", "symeig", "lstsq", "matrix_rank"},
    "nn": {"Container"},
    "nn.functional": {"upsample", "upsample_bilinear", "upsample_nearest"},
    "nn.utils": {"clip_grad_norm"},
    "autograd": {"Variable", "NestedIOFunction"},
}

NAMESPACES = {
    "torch": (torch, "torch"),
    "Tensor": (torch.Tensor, "torch"),
    "nn": (torch.nn, "torch.nn"),
    "nn.functional": (torch.nn.functional, "torch.nn.functional"),
    "nn.init": (torch.nn.init, "torch.nn.init"),
    "nn.utils": (torch.nn.utils, "torch.nn.utils"),
    "nn.utils.rnn": (torch.nn.utils.rnn, "torch.nn.utils.rnn"),
    "optim": (torch.optim, "torch.optim"),
    "optim.lr_scheduler": (torch.optim.lr_scheduler, "torch.optim.lr_scheduler"),
    "utils.data": (torch.utils.data, "torch.utils.data"),
    "autograd": (torch.autograd, "torch.autograd"),
    "linalg": (torch.linalg, "torch.linalg"),
    "fft": (torch.fft, "torch.fft"),
    "distributions": (torch.distributions, "torch.distributions"),
}


def device_specific(name):
    """A `_`-part equal to an excluded word, or starting with a long one (see rule 6)."""
    parts = name.lower().split("_")
    if any(p in EXCLUDED_PARTS or p.startswith(PREFIXES) for p in parts):
        return True
    low = name.lower()
    return name[:1].isupper() and any(x in low for x in CLASS_WORDS)


def legacy(ns, name):
    if ns == "torch" and name.endswith("Tensor") and name != "Tensor":
        return True  # FloatTensor, LongTensor, ...: legacy type constructors
    if ns == "nn.init" and not name.endswith("_") and hasattr(torch.nn.init, name + "_"):
        return True  # nn.init.normal -> normal_
    if "DataPipe" in name or "datapipe" in name or name in {
        "DataChunk",
        "argument_validation",
        "non_deterministic",
        "runtime_validation",
        "runtime_validation_disabled",
        "guaranteed_datapipes_determinism",
        "DataLoader2",
    }:
        return True  # datapipes (beta) and the experimental DataLoader2
    if ns == "torch" and (name in TORCH_INTERNAL or name.endswith("_copy")):
        return True
    if ns == "Tensor" and name in TENSOR_INTERNAL:
        return True
    return name in DEPRECATED.get(ns, set())


def own(obj, package):
    """Defined in this namespace's package (see rule 5 of the module docstring)."""
    module = getattr(obj, "__module__", None) or ""
    if isinstance(obj, (types.BuiltinFunctionType, types.BuiltinMethodType)):
        return module == "" or module.startswith("torch")
    if module == package or module.startswith(package + "."):
        return True
    return package == "torch" and inspect.isclass(obj) and module.startswith("torch._C")


def names_of(ns, target, package):
    out = []
    for name in dir(target):
        if name.startswith("_") or name in EXCLUDED_NAMES:
            continue
        if device_specific(name) or legacy(ns, name):
            continue
        if ns == "Tensor":
            raw = inspect.getattr_static(target, name)
            attribute = isinstance(raw, (types.GetSetDescriptorType, property))
            if not (attribute or callable(getattr(target, name))):
                continue
            out.append(name)
            continue
        obj = getattr(target, name)
        if isinstance(obj, types.ModuleType):
            continue
        if isinstance(obj, torch.dtype):
            if ns == "torch":
                out.append(name)
            continue
        if not callable(obj) or not own(obj, package):
            continue
        if ns == "torch" and inspect.isclass(obj) and name not in TORCH_CLASSES:
            continue
        out.append(name)
    return sorted(out)


def main():
    result = {"pytorch": torch.__version__, "namespaces": {}}
    for ns, (target, package) in NAMESPACES.items():
        result["namespaces"][ns] = names_of(ns, target, package)
    root = os.path.join(os.path.dirname(__file__), "..", "..")
    path = os.path.join(root, "docs", "api", "pytorch-1.13-names.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    for ns, names in result["namespaces"].items():
        print(f"{ns}: {len(names)}", file=sys.stderr)


if __name__ == "__main__":
    main()
