import { checkNumber } from "../validation/arguments.js";
/**
 * In-place random initialisers as Tensor methods (`uniform_`, `normal_`, `bernoulli_`,
 * `random_`, `exponential_`), drawing from a Generator exactly as PyTorch's CPU kernels do: one
 * draw per element, in memory order (TensorIterator's order), with PyTorch's per-dtype transforms.
 */
import { isGradEnabled } from "../autograd/grad-mode.js";
import { AutogradError, DTypeError, NotImplementedError, ValueError } from "../errors.js";
import { defineMethods } from "../ops/support.js";
import { formatShape } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import type { DType } from "../tensor/dtype.js";
import {
  bernoulliDouble,
  bernoulliFloat,
  exponentialDouble,
  normalDouble,
  normalFill,
  randomFromTo,
  uniformFloat32,
  uniformFloat64,
} from "./distributions.js";
import { defaultGenerator, type Generator } from "./generator.js";

/** Options every random op takes. */
export interface GeneratorOptions {
  /** The generator to draw from; the default generator (torch.manualSeed) when omitted. */
  generator?: Generator;
}

const PYTORCH_NAMES: Record<DType, string> = {
  float32: "Float",
  float64: "Double",
  int32: "Long", // torchlet's int32 stands in for PyTorch's int64
  bool: "Bool",
};

/** @internal PyTorch's dispatch error for a kernel that has no version for `dtype`. */
export function requireFloat(kernel: string, dtype: DType): void {
  if (dtype !== "float32" && dtype !== "float64") {
    throw new DTypeError(`"${kernel}" not implemented for '${PYTORCH_NAMES[dtype]}'`);
  }
}

/**
 * The storage offsets of `t`'s elements in the order PyTorch's TensorIterator visits a lone
 * output: dims sorted by decreasing stride, i.e. memory order (row-major when contiguous).
 */
export function iterationOffsets(t: Tensor): Int32Array {
  const n = t.numel();
  const offsets = new Int32Array(n);
  if (t.isContiguous()) {
    for (let i = 0; i < n; i++) offsets[i] = t.offset + i;
    return offsets;
  }
  const dims = t.shape
    .map((size, d) => ({ size, stride: t.strides[d]! }))
    .filter((d) => d.size !== 1)
    .sort((a, b) => b.stride - a.stride);
  const index = new Array<number>(dims.length).fill(0);
  let offset = t.offset;
  for (let i = 0; i < n; i++) {
    offsets[i] = offset;
    for (let d = dims.length - 1; d >= 0; d--) {
      const dim = dims[d]!;
      if (++index[d]! < dim.size) {
        offset += dim.stride;
        break;
      }
      index[d] = 0;
      offset -= dim.stride * (dim.size - 1);
    }
  }
  return offsets;
}

/**
 * @internal Runs an in-place random fill: the leaf rule, one value per element from `draw` (in
 * iteration order), then the version bump. The new values depend on nothing, so any recorded
 * history of the tensor is dropped, as `fill_` does.
 */
export function fillWith(target: Tensor, draw: (i: number) => number): Tensor {
  if (isGradEnabled() && target.requiresGrad) {
    if (target.isLeaf) {
      throw new AutogradError(
        "a leaf Variable that requires grad is being used in an in-place operation.",
      );
    }
    if (target.base !== null) {
      throw new NotImplementedError(
        "in-place random fills of a view with autograd recording are not supported yet",
      );
    }
  }
  const data = target.storage.data;
  const offsets = iterationOffsets(target);
  for (let i = 0; i < offsets.length; i++) data[offsets[i]!] = draw(i);
  target.bumpVersion();
  if (isGradEnabled() && target.requiresGrad) target.gradFn = null;
  return target;
}

/** @internal uniform_ on any float tensor. */
export function uniformInto(t: Tensor, from: number, to: number, g: Generator): Tensor {
  requireFloat("check_uniform_bounds", t.dtype);
  checkNumber("uniform_", "from", from);
  checkNumber("uniform_", "to", to);
  if (from > to) {
    throw new ValueError(
      `uniform_ expects to return a [from, to) range, but found from=${from} > to=${to}`,
    );
  }
  if (t.dtype === "float32") {
    const f = Math.fround(from);
    const tt = Math.fround(to);
    return fillWith(t, () => uniformFloat32(g, f, tt));
  }
  return fillWith(t, () => uniformFloat64(g, from, to));
}

/** @internal normal_ on any float tensor. */
export function normalInto(t: Tensor, mean: number, std: number, g: Generator): Tensor {
  requireFloat("normal_kernel_cpu", t.dtype);
  checkNumber("normal_", "mean", mean);
  checkNumber("normal_", "std", std);
  if (!(std >= 0)) throw new ValueError(`normal expects std >= 0.0, but found std ${std}`);
  const n = t.numel();
  if (n >= 16 && t.isContiguous()) {
    // PyTorch's vectorised path: mean and std become the tensor's dtype first.
    const cast = t.dtype === "float32" ? Math.fround : (v: number) => v;
    const values = t.dtype === "float32" ? new Float32Array(n) : new Float64Array(n);
    normalFill(g, values, cast(mean), cast(std));
    return fillWith(t, (i) => values[i]!);
  }
  return fillWith(t, () => normalDouble(g, mean, std));
}

/** @internal bernoulli_ with a probability per element (`p` broadcast to `t`) or one for all. */
export function bernoulliInto(t: Tensor, p: number | Tensor, g: Generator): Tensor {
  if (typeof p === "number") {
    if (!(p >= 0 && p <= 1)) {
      throw new ValueError(`bernoulli_ expects p to be in [0, 1], but got p=${p}`);
    }
    return fillWith(t, () => bernoulliDouble(g, p));
  }
  requireFloat("bernoulli_tensor_cpu_p_", p.dtype);
  const probs = p.expand(t.shape).contiguous().toArray();
  if (probs.some((v) => !(v >= 0 && v <= 1))) {
    throw new ValueError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.");
  }
  if (!t.isContiguous() && p.numel() > 1) {
    throw new NotImplementedError(
      `bernoulli_: a probability tensor with a non-contiguous output of shape ${formatShape(t.shape)} is not supported yet`,
    );
  }
  const draw = p.dtype === "float32" ? bernoulliFloat : bernoulliDouble;
  return fillWith(t, (i) => draw(g, probs[i]!));
}

/** @internal random_(from, to): integers in [from, to), as uniform_int_from_to_distribution. */
export function randomInto(t: Tensor, from: number, to: number, g: Generator): Tensor {
  checkNumber("random_", "from", from, { integer: true });
  checkNumber("random_", "to", to, { integer: true });
  if (!(from < to)) {
    throw new ValueError(
      `random_ expects 'from' to be less than 'to', but got from=${from} >= to=${to}`,
    );
  }
  // torchlet's int32 really is 32 bits here, so PyTorch's messages for int32 apply.
  const [lo, hi, name] = t.dtype === "bool" ? [0, 1, "bool"] : [-(2 ** 31), 2 ** 31 - 1, "int"];
  if (t.dtype === "bool" || t.dtype === "int32") {
    if (from < lo) throw new ValueError(`from is out of bounds for ${name}`);
    if (to - 1 > hi) throw new ValueError(`to - 1 is out of bounds for ${name}`);
  }
  // int32 stands for int64: a range of 2^32 or more would need random64(), but cannot occur here.
  return fillWith(t, () => randomFromTo(g, to - from, from));
}

declare module "../tensor/tensor.js" {
  interface Tensor {
    /**
     * Fills with uniform samples from [from, to) (torch.Tensor.uniform_).
     * @example torch.empty(4, 3).uniform_(-0.5, 0.5);
     */
    uniform_(from?: number, to?: number, options?: GeneratorOptions): this;
    /**
     * Fills with normal samples (torch.Tensor.normal_).
     * @example torch.empty(2, 2).normal_(0, 0.02);
     */
    normal_(mean?: number, std?: number, options?: GeneratorOptions): this;
    /**
     * Fills with 0/1 samples, 1 with probability p (a number, or a tensor broadcast to this one).
     * @example torch.empty(8).bernoulli_(0.9); // a dropout keep-mask
     */
    bernoulli_(p?: number | Tensor, options?: GeneratorOptions): this;
    /**
     * Fills with integers from [from, to), or [0, to) given one bound (torch.Tensor.random_).
     * @example torch.zeros(5, { dtype: "int64" }).random_(0, 10);
     */
    random_(fromOrTo: number, to?: number, options?: GeneratorOptions): this;
    /**
     * Fills with exponential samples of rate lambd (torch.Tensor.exponential_).
     * @example torch.empty(3).exponential_(2);
     */
    exponential_(lambd?: number, options?: GeneratorOptions): this;
  }
}

defineMethods({
  uniform_(this: Tensor, from = 0, to = 1, options: GeneratorOptions = {}) {
    return uniformInto(this, from, to, options.generator ?? defaultGenerator);
  },
  normal_(this: Tensor, mean = 0, std = 1, options: GeneratorOptions = {}) {
    return normalInto(this, mean, std, options.generator ?? defaultGenerator);
  },
  bernoulli_(this: Tensor, p: number | Tensor = 0.5, options: GeneratorOptions = {}) {
    return bernoulliInto(this, p, options.generator ?? defaultGenerator);
  },
  random_(this: Tensor, fromOrTo: number, to?: number, options: GeneratorOptions = {}) {
    const [from, end] = to === undefined ? [0, fromOrTo] : [fromOrTo, to];
    return randomInto(this, from, end, options.generator ?? defaultGenerator);
  },
  exponential_(this: Tensor, lambd = 1, options: GeneratorOptions = {}) {
    requireFloat("exponential_cpu", this.dtype);
    if (!(lambd >= 0)) {
      throw new ValueError(`exponential_ expects lambda >= 0.0, but found lambda=${lambd}`);
    }
    const g = options.generator ?? defaultGenerator;
    return fillWith(this, () => exponentialDouble(g, lambd));
  },
});
