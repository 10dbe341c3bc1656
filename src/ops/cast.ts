import { getBackend } from "../backend/registry.js";
import { isFloatingPoint, toDType, type DType, type DTypeLike } from "../tensor/dtype.js";
import { Tensor } from "../tensor/tensor.js";
import { defineMethods, outputTensor, record } from "./support.js";
import { traced } from "./trace.js";

declare module "../tensor/tensor.js" {
  interface Tensor {
    /** This tensor converted to `dtype` (itself if it already has it). @example x.to("float64") */
    to(dtype: DTypeLike): Tensor;
    /** A copy with its own storage, contiguous (torch.Tensor.clone); differentiable. */
    clone(): Tensor;
    /** This tensor if contiguous, else a contiguous copy. */
    contiguous(): Tensor;
    /** `to("float32")`. */
    float(): Tensor;
    /** `to("float64")`. */
    double(): Tensor;
    /** `to("int32")` (torchlet's integer dtype; PyTorch's long()). */
    long(): Tensor;
    /** `to("int32")`. */
    int(): Tensor;
    /** `to("bool")`. */
    bool(): Tensor;
  }
}

/** A contiguous copy of `x` in `dtype`, recorded for autograd. */
function copyAs(x: Tensor, dtype: DType, name: string): Tensor {
  const out = outputTensor(x.shape, dtype);
  getBackend().copy(x.view_(), out.view_());
  const fromDType = x.dtype;
  // An integer or bool result is not differentiable: PyTorch leaves it out of the graph.
  if (!isFloatingPoint(dtype)) return traced("cast", [x], out, { dtype });
  const y = record(name, out, [x], (g) => [g.dtype === fromDType ? g : g.to(fromDType)]);
  return traced("cast", [x], y, { dtype });
}

/** `x` converted to `dtype`; returns `x` itself when nothing changes, as PyTorch does. */
export function to(x: Tensor, dtype: DTypeLike): Tensor {
  const target = toDType(dtype);
  return target === x.dtype ? x : copyAs(x, target, "ToCopyBackward0");
}

/** A contiguous copy of `x` with its own storage. @example const y = torch.clone(x) */
export function clone(x: Tensor): Tensor {
  return copyAs(x, x.dtype, "CloneBackward0");
}

/** `x` if it is contiguous, else a contiguous copy. */
export function contiguous(x: Tensor): Tensor {
  return x.isContiguous() ? x : copyAs(x, x.dtype, "CloneBackward0");
}

defineMethods({
  to(this: Tensor, dtype: DTypeLike) {
    return to(this, dtype);
  },
  clone(this: Tensor) {
    return clone(this);
  },
  contiguous(this: Tensor) {
    return contiguous(this);
  },
  float(this: Tensor) {
    return to(this, "float32");
  },
  double(this: Tensor) {
    return to(this, "float64");
  },
  long(this: Tensor) {
    return to(this, "int32");
  },
  int(this: Tensor) {
    return to(this, "int32");
  },
  bool(this: Tensor) {
    return to(this, "bool");
  },
});
