import { getBackend } from "../backend/registry.js";
import { device as toDevice, type DeviceLike } from "../tensor/device.js";
import {
  isDTypeLike,
  isFloatingPoint,
  toDType,
  type DType,
  type DTypeLike,
} from "../tensor/dtype.js";
import { Tensor } from "../tensor/tensor.js";
import { defineMethods, outputTensor, record } from "./support.js";
import { parseToArgs, type ToArg, type ToOptions } from "./to-args.js";

export type { ToOptions } from "./to-args.js";
import { traced } from "./trace.js";
import { checkTensor } from "../validation/tensors.js";

declare module "../tensor/tensor.js" {
  interface Tensor {
    /**
     * This tensor on `device` and/or in `dtype`, PyTorch's overloads: `to(dtype)`,
     * `to(device, dtype?)`, `to(other)` (other's device and dtype), `to({ device, dtype, copy })`.
     * Returns this tensor itself when nothing changes and `copy` is not asked for.
     *
     * @example
     * x.to("float64"); x.to("cpu"); x.to(torch.device("cpu"), "float64"); x.to(y);
     */
    to(dtype: DTypeLike, options?: ToOptions): Tensor;
    to(device: DeviceLike, dtype?: DTypeLike, options?: ToOptions): Tensor;
    to(other: Tensor, options?: ToOptions): Tensor;
    to(options: ToOptions & { device?: DeviceLike; dtype?: DTypeLike }): Tensor;
    /**
     * This tensor on the CPU: itself, since CPU is where it already is (torch.Tensor.cpu).
     *
     * @example
     * const y = x.cpu() // x itself: tensors live on the CPU
     */
    cpu(): Tensor;
    /**
     * PyTorch's `cuda()`: a DeviceError, torchlet has no CUDA backend.
     *
     * @example
     * x.cuda() // throws DeviceError: torchlet has no CUDA device
     */
    cuda(): Tensor;
    /**
     * A copy with its own storage, contiguous (torch.Tensor.clone); differentiable.
     *
     * @example
     * const y = x.clone()
     */
    clone(): Tensor;
    /** This tensor if contiguous, else a contiguous copy. @example x.t().contiguous() */
    contiguous(): Tensor;
    /** `to("float32")`. @example labels.float() */
    float(): Tensor;
    /** `to("float64")`. @example x.double().dtype // "float64" */
    double(): Tensor;
    /**
     * `to("int32")` (torchlet's integer dtype; PyTorch's long()).
     *
     * @example
     * labels.long().dtype // "int64"
     */
    long(): Tensor;
    /** `to("int32")`. @example x.int().dtype // "int32" */
    int(): Tensor;
    /** `to("bool")`. @example x.gt(0).bool() */
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

/**
 * `x` converted to `dtype` (and/or moved to a device, see Tensor.to); returns `x` itself when
 * nothing changes, as PyTorch does.
 *
 * @example
 * const y = torch.to(x, "float64");
 */
export function to(x: Tensor, a: ToArg, b?: DTypeLike | ToOptions, c?: ToOptions): Tensor {
  checkTensor("to", "input", x);
  // The common call, x.to("float64"), skips the overload parsing.
  if (b === undefined && typeof a === "string" && isDTypeLike(a)) {
    const target = toDType(a);
    return target === x.dtype ? x : copyAs(x, target, "ToCopyBackward0");
  }
  const { device, dtype, copy } = parseToArgs(a, b, c);
  // Only the CPU exists yet, so a device never asks for a move; a second device (WebGPU)
  // transfers here when `device` differs from `x.device`.
  void device;
  const target = dtype ?? x.dtype;
  if (target === x.dtype && !copy) return x;
  return copyAs(x, target, "ToCopyBackward0");
}

/** A contiguous copy of `x` with its own storage. @example const y = torch.clone(x) */
export function clone(x: Tensor): Tensor {
  checkTensor("clone", "input", x);
  return copyAs(x, x.dtype, "CloneBackward0");
}

/** `x` if it is contiguous, else a contiguous copy. @example const y = torch.contiguous(x.t()); */
export function contiguous(x: Tensor): Tensor {
  checkTensor("contiguous", "input", x);
  return x.isContiguous() ? x : copyAs(x, x.dtype, "CloneBackward0");
}

defineMethods({
  to(this: Tensor, a: ToArg, b?: DTypeLike | ToOptions, c?: ToOptions) {
    return to(this, a, b, c);
  },
  cpu(this: Tensor) {
    return this;
  },
  cuda(this: Tensor): Tensor {
    toDevice("cuda");
    return this;
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
