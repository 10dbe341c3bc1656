import { isKeywords } from "../validation/arguments.js";
/** What every reduction shares: dim/keepdim parsing, output shapes, kernels, gradient broadcast. */
import type { ReduceOp } from "../backend/backend.js";
import { getBackend } from "../backend/registry.js";
import { IndexError, ShapeError } from "../errors.js";
import type { DType } from "../tensor/dtype.js";
import { normalizeDims } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { emptyTensor } from "./support.js";

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
  if (isKeywords(dimArg)) {
    const opts = dimArg as ReduceOptions;
    dim = opts.dim;
    keepdim = opts.keepdim ?? keepdim;
  } else dim = dimArg as number | readonly number[] | undefined;
  dim ??= undefined; // null is PyTorch's dim=None: every dim
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
  return restoreReduced(g, dims, keepdim).expand(inputShape);
}

/** A reduction's output with its reduced dims back as size 1 (PyTorch's restore_reduced_dims). */
export function restoreReduced(t: Tensor, dims: readonly number[], keepdim: boolean): Tensor {
  let out = t;
  if (!keepdim) for (const d of dims) out = out.unsqueeze(d);
  return out;
}

/**
 * The errors of max/min/amax/argmax-like reductions, which have no identity element: PyTorch
 * refuses to reduce over an empty dim, and an empty tensor without a dim.
 */
export function checkNonEmptyReduction(
  op: string,
  x: Tensor,
  dims: readonly number[],
  all: boolean,
): void {
  if (all && x.numel() === 0) {
    // PyTorch raises IndexError for argmax/argmin and RuntimeError for the others.
    const message = `${op}(): Expected reduction dim to be specified for input.numel() == 0.`;
    if (op.startsWith("arg")) throw new IndexError(message);
    throw new ShapeError(`${message} Specify the reduction dim with the 'dim' argument.`);
  }
  for (const d of dims) {
    if (x.shape[d] === 0) {
      throw new IndexError(`${op}(): Expected reduction dim ${d} to have non-zero size.`);
    }
  }
}
