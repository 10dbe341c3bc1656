import { isKeywords } from "../validation/arguments.js";
/**
 * Reductions. sum/mean live here; the other families have their own files (reduce-prod.ts,
 * reduce-extrema.ts, reduce-stats.ts), re-exported below so that every reduction can be
 * imported from this module.
 */
import { DTypeError } from "../errors.js";
import { isFloatingPoint, toDType, type DTypeLike } from "../tensor/dtype.js";
import { getBackend } from "../backend/registry.js";
import type { Tensor } from "../tensor/tensor.js";
import {
  expandReduced,
  parseReduceArgs,
  reduceKernel,
  type DimArg,
  type ReduceOptions,
} from "./reduce-common.js";
import { broadcastView, defineMethods, record, scalarTensor } from "./support.js";
import { traced } from "./trace.js";
import { checkTensor } from "../validation/tensors.js";

export { reducedShape, expandReduced, type DimArg, type ReduceOptions } from "./reduce-common.js";
/** @internal Shared with the other reduction modules; not in the published types. */
export { parseReduceArgs, reduceKernel } from "./reduce-common.js";
export * from "./reduce-prod.js";
export * from "./reduce-extrema.js";
export * from "./reduce-stats.js";

/** sum's and mean's dims, or their keywords including `dtype` (`x.sum({ dim: 1, dtype })`). */
export type SumMeanDimArg = DimArg | (ReduceOptions & { dtype?: DTypeLike });

/** The `dtype` keyword given in the options-object form, if any. */
function keywordDType(dim: SumMeanDimArg): DTypeLike | undefined {
  return isKeywords(dim) ? (dim as { dtype?: DTypeLike }).dtype : undefined;
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
  dim?: SumMeanDimArg,
  keepdim?: boolean,
  options: { dtype?: DTypeLike } = {},
): Tensor {
  checkTensor("sum", "input", x);
  const { dims, keepdim: keep, all } = parseReduceArgs(x, dim, keepdim);
  const dtype = options.dtype ?? keywordDType(dim);
  const outDType = dtype ? toDType(dtype) : isFloatingPoint(x.dtype) ? x.dtype : "int32";
  const input = x.dtype === outDType ? x : x.to(outDType);
  const out = reduceKernel("sum", input, dims, keep, outDType);
  const inShape = input.shape;
  // PyTorch's names: SumBackward0 for a sum over everything without dims, SumBackward1 with dims.
  return traced(
    "reduce",
    [input],
    record(all ? "SumBackward0" : "SumBackward1", out, [input], (g) => [
      expandReduced(g, inShape, dims, keep),
    ]),
    { op: "sum", dims, keepdim: keep },
  );
}

/**
 * Mean of all elements or over `dim`; floating-point inputs only, as in PyTorch.
 *
 * @example
 * x.mean({ dim: 0, keepdim: true });
 */
export function mean(
  x: Tensor,
  dim?: SumMeanDimArg,
  keepdim?: boolean,
  options: { dtype?: DTypeLike } = {},
): Tensor {
  checkTensor("mean", "input", x);
  const dtype = options.dtype ?? keywordDType(dim);
  const outDType = dtype ? toDType(dtype) : x.dtype;
  if (!isFloatingPoint(outDType)) {
    throw new DTypeError(
      `mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${x.dtype}`,
    );
  }
  const { dims, keepdim: keep, all } = parseReduceArgs(x, dim, keepdim);
  let count = 1;
  for (const d of dims) count *= x.shape[d]!;
  // One op (PyTorch's MeanBackward0/1) rather than sum().div(count): the same two kernels and the
  // same numbers (the sum rounded to the dtype, then divided), but one node to record and run.
  const input = x.dtype === outDType ? x : x.to(outDType);
  const out = reduceKernel("sum", input, dims, keep, outDType);
  getBackend().binary(
    "div",
    out.view_(),
    broadcastView(scalarTensor(count, outDType), out.shape),
    out.storage.data,
  );
  const inShape = input.shape;
  return traced(
    "reduce",
    [input],
    record(all ? "MeanBackward0" : "MeanBackward1", out, [input], (g) => [
      expandReduced(g.div(count), inShape, dims, keep),
    ]),
    { op: "mean", dims, keepdim: keep },
  );
}

declare module "../tensor/tensor.js" {
  interface Tensor {
    /** Sum of all elements or over `dim` (torch.sum). @example x.sum(1, true) */
    sum(dim?: SumMeanDimArg, keepdim?: boolean): Tensor;
    /** Mean of all elements or over `dim` (torch.mean). @example x.mean(0, true) */
    mean(dim?: SumMeanDimArg, keepdim?: boolean): Tensor;
  }
}

defineMethods({
  sum(this: Tensor, dim?: SumMeanDimArg, keepdim?: boolean) {
    return sum(this, dim, keepdim);
  },
  mean(this: Tensor, dim?: SumMeanDimArg, keepdim?: boolean) {
    return mean(this, dim, keepdim);
  },
});
