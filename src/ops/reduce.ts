import type { ReduceOp } from "../backend/backend.js";
import { getBackend } from "../backend/registry.js";
import { DTypeError } from "../errors.js";
import { isFloatingPoint, toDType, type DType, type DTypeLike } from "../tensor/dtype.js";
import { normalizeDims, numel } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { defineMethods, emptyTensor, record } from "./support.js";

/** Which dims to reduce and whether to keep them as size 1 (PyTorch's dim/keepdim). */
export interface ReduceOptions {
  dim?: number | readonly number[];
  keepdim?: boolean;
}

/** Reductions accept `x.sum()`, `x.sum(1)`, `x.sum([0, 1], true)` and `x.sum({ dim: 1, keepdim: true })`. */
export type DimArg = number | readonly number[] | ReduceOptions | undefined;

/** @internal Normalises the dim/keepdim arguments of a reduction. */
export function parseReduceArgs(
  x: Tensor,
  dimArg: DimArg,
  keepdimArg?: boolean,
): { dims: number[]; keepdim: boolean; all: boolean } {
  let dim: number | readonly number[] | undefined;
  let keepdim = keepdimArg ?? false;
  if (typeof dimArg === "object" && !Array.isArray(dimArg)) {
    const opts = dimArg as ReduceOptions;
    dim = opts.dim;
    keepdim = opts.keepdim ?? keepdim;
  } else dim = dimArg as number | readonly number[] | undefined;
  // An empty dim list reduces over everything, as in PyTorch.
  const all = dim === undefined || (Array.isArray(dim) && dim.length === 0);
  const dims = normalizeDims(all ? undefined : dim, x.ndim).sort((a, b) => a - b);
  return { dims, keepdim, all };
}

/** The output shape of reducing `dims` of `shape`. */
export function reducedShape(
  shape: readonly number[],
  dims: readonly number[],
  keepdim: boolean,
): number[] {
  const out: number[] = [];
  shape.forEach((s, d) => {
    if (!dims.includes(d)) out.push(s);
    else if (keepdim) out.push(1);
  });
  return out;
}

/** @internal Runs a reduction kernel over `dims` into a new tensor. */
export function reduceKernel(
  op: ReduceOp,
  x: Tensor,
  dims: readonly number[],
  keepdim: boolean,
  outDType: DType,
): Tensor {
  const out = emptyTensor(reducedShape(x.shape, dims, keepdim), outDType);
  getBackend().reduce(op, x.view_(), dims, out.storage.data);
  return out;
}

/** The gradient of a reduction's output, broadcast back over the input's shape. */
export function expandReduced(
  g: Tensor,
  inputShape: readonly number[],
  dims: readonly number[],
  keepdim: boolean,
): Tensor {
  let grad = g;
  if (!keepdim) for (const d of dims) grad = grad.unsqueeze(d);
  return grad.expand(inputShape);
}

/**
 * Sum of all elements, or over `dim` (a dim or list), keeping reduced dims if `keepdim`.
 * Integer and bool inputs sum to int32 (PyTorch: int64).
 *
 * @example
 * x.sum(); x.sum(1); x.sum({ dim: [0, 1], keepdim: true });
 */
export function sum(
  x: Tensor,
  dim?: DimArg,
  keepdim?: boolean,
  options: { dtype?: DTypeLike } = {},
): Tensor {
  const { dims, keepdim: keep } = parseReduceArgs(x, dim, keepdim);
  const outDType = options.dtype
    ? toDType(options.dtype)
    : isFloatingPoint(x.dtype)
      ? x.dtype
      : "int32";
  const input = x.dtype === outDType ? x : x.to(outDType);
  const out = reduceKernel("sum", input, dims, keep, outDType);
  const inShape = input.shape;
  return record("SumBackward1", out, [input], (g) => [expandReduced(g, inShape, dims, keep)]);
}

/**
 * Mean of all elements or over `dim`; floating-point inputs only, as in PyTorch.
 *
 * @example
 * x.mean({ dim: 0, keepdim: true });
 */
export function mean(
  x: Tensor,
  dim?: DimArg,
  keepdim?: boolean,
  options: { dtype?: DTypeLike } = {},
): Tensor {
  const outDType = options.dtype ? toDType(options.dtype) : x.dtype;
  if (!isFloatingPoint(outDType)) {
    throw new DTypeError(
      `mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${x.dtype}`,
    );
  }
  const { dims, keepdim: keep } = parseReduceArgs(x, dim, keepdim);
  const count = numel(dims.map((d) => x.shape[d]!));
  return sum(x, dims, keep, { dtype: outDType }).div(count);
}

declare module "../tensor/tensor.js" {
  interface Tensor {
    sum(dim?: DimArg, keepdim?: boolean): Tensor;
    mean(dim?: DimArg, keepdim?: boolean): Tensor;
  }
}

defineMethods({
  sum(this: Tensor, dim?: DimArg, keepdim?: boolean) {
    return sum(this, dim, keepdim);
  },
  mean(this: Tensor, dim?: DimArg, keepdim?: boolean) {
    return mean(this, dim, keepdim);
  },
});
