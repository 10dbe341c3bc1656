import { isKeywords } from "../validation/arguments.js";
/**
 * max/min (with and without a dim), amax/amin and argmax/argmin. PyTorch's gradient conventions:
 * a full max/min shares the gradient evenly among tied elements (evenly_distribute_backward),
 * max/min over a dim sends it to the selected index only (value_selecting_reduction_backward),
 * amax/amin split it evenly among the ties of each group.
 */
import { arange } from "../tensor/create.js";
import { normalizeDim } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { maximum, minimum, where } from "./binary.js";
import {
  checkNonEmptyReduction,
  parseReduceArgs,
  reduceKernel,
  restoreReduced,
  type DimArg,
} from "./reduce-common.js";
import { defineMethods, record } from "./support.js";
import { checkTensor } from "../validation/tensors.js";

/**
 * What `max(dim)`/`min(dim)` return: destructure it (`const [values, indices] = x.max(1)`) or
 * read its fields (`x.max(1).values`), like PyTorch's named tuple.
 */
export type ValuesIndices = [Tensor, Tensor] & { values: Tensor; indices: Tensor };

/** The dim of max/min/argmax: `x.max(1)`, `x.max(1, true)`, `x.max({ dim: 1, keepdim: true })`. */
export type SingleDimArg = number | { dim: number; keepdim?: boolean };

type Extremum = "max" | "min";

function valuesIndices(values: Tensor, indices: Tensor): ValuesIndices {
  return Object.assign([values, indices] as [Tensor, Tensor], { values, indices });
}

function parseSingleDim(dimArg: SingleDimArg, keepdimArg?: boolean): [number, boolean] {
  if (!isKeywords(dimArg)) return [dimArg, keepdimArg ?? false];
  return [dimArg.dim, dimArg.keepdim ?? keepdimArg ?? false];
}

/** Max or min of all elements; the gradient is shared evenly among the elements equal to it. */
function extremumAll(op: Extremum, x: Tensor): Tensor {
  const { dims } = parseReduceArgs(x, undefined);
  checkNonEmptyReduction(op, x, dims, true);
  const out = reduceKernel(op, x, dims, false, x.dtype);
  return record(
    op === "max" ? "MaxBackward1" : "MinBackward1",
    out,
    [x],
    (g, [sx, so]) => {
      // A NaN result selects the NaN inputs (NaN != NaN).
      const mask = Number.isNaN(so!.item()) ? sx!.isnan() : sx!.eq(so!);
      return [where(mask, g.div(mask.sum()), 0)];
    },
    [x, out],
  );
}

/** Max or min over one dim, with the index of the first extremum (NaN counts as the extremum). */
function extremumDim(op: Extremum, x: Tensor, dimArg: SingleDimArg, keepArg?: boolean) {
  const [dim, keepdim] = parseSingleDim(dimArg, keepArg);
  const d = normalizeDim(dim, x.ndim);
  const dims = x.ndim === 0 ? [] : [d];
  checkNonEmptyReduction(op, x, dims, false);
  const values = reduceKernel(op, x, dims, keepdim, x.dtype);
  const indices = reduceKernel(op === "max" ? "argmax" : "argmin", x, dims, keepdim, "int32");
  const inShape = x.shape;
  record(
    op === "max" ? "MaxBackward0" : "MinBackward0",
    values,
    [x],
    (g, [idx]) => {
      if (dims.length === 0) return [g];
      // Scatter g to the selected index: a one-hot mask along `d` built by comparison.
      const positionShape = inShape.map((s, k) => (k === d ? s : 1));
      const positions = arange(inShape[d]!).reshape(positionShape);
      const mask = positions.eq(restoreReduced(idx!, dims, keepdim));
      return [where(mask, restoreReduced(g, dims, keepdim), 0)];
    },
    [indices],
  );
  return valuesIndices(values, indices);
}

/**
 * `max(x)`: the largest element. `max(x, dim, keepdim?)`: the largest along `dim` and its index,
 * as `[values, indices]` with `.values`/`.indices`. `max(x, other)`: elementwise `maximum`.
 * NaN propagates.
 *
 * @example
 * x.max(); const [values, indices] = x.max(1); x.max(1).values; x.max(y);
 */
export function max(x: Tensor): Tensor;
export function max(x: Tensor, other: Tensor): Tensor;
export function max(x: Tensor, dim: SingleDimArg, keepdim?: boolean): ValuesIndices;
export function max(
  x: Tensor,
  arg?: Tensor | SingleDimArg,
  keepdim?: boolean,
): Tensor | ValuesIndices {
  checkTensor("max", "input", x);
  if (arg === undefined) return extremumAll("max", x);
  if (arg instanceof Tensor) return maximum(x, arg);
  return extremumDim("max", x, arg, keepdim);
}

/**
 * `min(x)`, `min(x, dim, keepdim?)` (values and indices), `min(x, other)` (elementwise
 * `minimum`), as max.
 *
 * @example
 * x.min(); const [values, indices] = x.min(0);
 */
export function min(x: Tensor): Tensor;
export function min(x: Tensor, other: Tensor): Tensor;
export function min(x: Tensor, dim: SingleDimArg, keepdim?: boolean): ValuesIndices;
export function min(
  x: Tensor,
  arg?: Tensor | SingleDimArg,
  keepdim?: boolean,
): Tensor | ValuesIndices {
  checkTensor("min", "input", x);
  if (arg === undefined) return extremumAll("min", x);
  if (arg instanceof Tensor) return minimum(x, arg);
  return extremumDim("min", x, arg, keepdim);
}

/** amax/amin: over several dims; the gradient is split evenly among each group's ties. */
function aExtremum(op: "amax" | "amin", x: Tensor, dim: DimArg, keepdimArg?: boolean): Tensor {
  const { dims, keepdim, all } = parseReduceArgs(x, dim, keepdimArg);
  checkNonEmptyReduction(op, x, dims, all);
  const out = reduceKernel(op === "amax" ? "max" : "min", x, dims, keepdim, x.dtype);
  return record(
    op === "amax" ? "AmaxBackward0" : "AminBackward0",
    out,
    [x],
    (g, [sx, so]) => {
      const mask = sx!.eq(restoreReduced(so!, dims, keepdim));
      // PyTorch's scale_grad_by_count: (grad / count) * mask (NaN where a group has no match).
      const count = mask.sum({ dim: dims, keepdim: true });
      return [restoreReduced(g, dims, keepdim).div(count).mul(mask)];
    },
    [x, out],
  );
}

/**
 * The largest values over `dim` (a dim, a list, or all), without indices.
 *
 * @example
 * x.amax([0, 1]); x.amax({ dim: -1, keepdim: true });
 */
export function amax(x: Tensor, dim?: DimArg, keepdim?: boolean): Tensor {
  checkTensor("amax", "input", x);
  return aExtremum("amax", x, dim, keepdim);
}

/** The smallest values over `dim` (a dim, a list, or all). @example x.amin(1) */
export function amin(x: Tensor, dim?: DimArg, keepdim?: boolean): Tensor {
  checkTensor("amin", "input", x);
  return aExtremum("amin", x, dim, keepdim);
}

function argExtremum(
  op: "argmax" | "argmin",
  x: Tensor,
  dim?: SingleDimArg,
  keepdimArg?: boolean,
): Tensor {
  const [d, keepdim] =
    dim === undefined ? [undefined, keepdimArg ?? false] : parseSingleDim(dim, keepdimArg);
  const { dims, all } = parseReduceArgs(x, d);
  checkNonEmptyReduction(op, x, dims, all);
  // Without a dim, the kernel's row-major index over all dims is the flattened index.
  return reduceKernel(op, x, dims, keepdim, "int32");
}

/**
 * Index of the largest element: flattened without `dim`, along `dim` with it (int32; PyTorch:
 * int64). Ties give the first index; NaN counts as the largest.
 *
 * @example
 * x.argmax(); x.argmax(1); x.argmax({ dim: 1, keepdim: true });
 */
export function argmax(x: Tensor, dim?: SingleDimArg, keepdim?: boolean): Tensor {
  checkTensor("argmax", "input", x);
  return argExtremum("argmax", x, dim, keepdim);
}

/** Index of the smallest element, as argmax. @example x.argmin(0) */
export function argmin(x: Tensor, dim?: SingleDimArg, keepdim?: boolean): Tensor {
  checkTensor("argmin", "input", x);
  return argExtremum("argmin", x, dim, keepdim);
}

declare module "../tensor/tensor.js" {
  interface Tensor {
    /**
     * The largest element; with `dim`, values and indices along it; with a tensor, the elementwise maximum (torch.max).
     *
     * @example
     * const { values, indices } = x.max(1)
     */
    max(): Tensor;
    max(other: Tensor): Tensor;
    max(dim: SingleDimArg, keepdim?: boolean): ValuesIndices;
    /**
     * The smallest element; with `dim`, values and indices along it; with a tensor, the elementwise minimum (torch.min).
     *
     * @example
     * const { values, indices } = x.min(1)
     */
    min(): Tensor;
    min(other: Tensor): Tensor;
    min(dim: SingleDimArg, keepdim?: boolean): ValuesIndices;
    /** The largest values over `dim` (torch.amax). @example x.amax(1) */
    amax(dim?: DimArg, keepdim?: boolean): Tensor;
    /** The smallest values over `dim` (torch.amin). @example x.amin(1) */
    amin(dim?: DimArg, keepdim?: boolean): Tensor;
    /**
     * Index of the largest element, flattened or along `dim` (torch.argmax).
     *
     * @example
     * logits.argmax(1)
     */
    argmax(dim?: SingleDimArg, keepdim?: boolean): Tensor;
    /**
     * Index of the smallest element, flattened or along `dim` (torch.argmin).
     *
     * @example
     * x.argmin(0)
     */
    argmin(dim?: SingleDimArg, keepdim?: boolean): Tensor;
  }
}

defineMethods({
  max(this: Tensor, arg?: Tensor | SingleDimArg, keepdim?: boolean) {
    return max(this, arg as SingleDimArg, keepdim);
  },
  min(this: Tensor, arg?: Tensor | SingleDimArg, keepdim?: boolean) {
    return min(this, arg as SingleDimArg, keepdim);
  },
  amax(this: Tensor, dim?: DimArg, keepdim?: boolean) {
    return amax(this, dim, keepdim);
  },
  amin(this: Tensor, dim?: DimArg, keepdim?: boolean) {
    return amin(this, dim, keepdim);
  },
  argmax(this: Tensor, dim?: SingleDimArg, keepdim?: boolean) {
    return argmax(this, dim, keepdim);
  },
  argmin(this: Tensor, dim?: SingleDimArg, keepdim?: boolean) {
    return argmin(this, dim, keepdim);
  },
});
