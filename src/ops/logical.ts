import { isKeywords } from "../validation/arguments.js";
/**
 * any, all (composites of comparisons and sum) and nonzero/argwhere (a host scan: the output
 * size depends on the values).
 */
import { normalizeDim } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import type { SingleDimArg } from "./reduce-extrema.js";
import { defineMethods } from "./support.js";
import { checkTensor } from "../validation/tensors.js";

/** The dim of any/all (a 0-d tensor accepts 0 and -1 and reduces nothing). */
function parseDim(x: Tensor, dim?: SingleDimArg, keepdim?: boolean) {
  if (dim === undefined || dim === null) return { dim: undefined, keepdim: false };
  const [d, k] = isKeywords(dim) ? [dim.dim, dim.keepdim ?? keepdim] : [dim, keepdim];
  const wrapped = normalizeDim(d, x.ndim);
  return { dim: x.ndim === 0 ? undefined : wrapped, keepdim: k ?? false };
}

/**
 * Whether any element is nonzero (NaN counts as nonzero), over everything or along `dim`; a
 * bool tensor. An empty reduction gives false.
 *
 * @example
 * torch.any(x.isnan()); x.any(1); x.any({ dim: 0, keepdim: true });
 */
export function any(x: Tensor, dim?: SingleDimArg, keepdim?: boolean): Tensor {
  checkTensor("any", "input", x);
  const p = parseDim(x, dim, keepdim);
  return x.ne(0).sum(p.dim, p.keepdim).gt(0);
}

/**
 * Whether every element is nonzero, over everything or along `dim`; a bool tensor. An empty
 * reduction gives true.
 *
 * @example
 * torch.all(x.gt(0)); x.all(-1);
 */
export function all(x: Tensor, dim?: SingleDimArg, keepdim?: boolean): Tensor {
  checkTensor("all", "input", x);
  const p = parseDim(x, dim, keepdim);
  return x.eq(0).sum(p.dim, p.keepdim).eq(0);
}

/** The row-major multi-indices of the nonzero elements, as an [n, ndim] int32 tensor. */
function nonzeroIndices(x: Tensor): Tensor {
  const data = x.toArray();
  const nd = x.ndim;
  const shape = x.shape;
  const hits: number[] = [];
  let count = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i] === 0) continue;
    count++;
    let rest = i;
    const at = hits.length;
    for (let d = nd - 1; d >= 0; d--) {
      hits[at + d] = rest % shape[d]!;
      rest = Math.floor(rest / shape[d]!);
    }
  }
  return Tensor.fromData(Int32Array.from(hits), [count, nd]);
}

/**
 * The indices of the nonzero elements (torch.nonzero): an [n, ndim] int32 tensor in row-major
 * order, or with `asTuple` one 1-D tensor per dim (a 0-d input counts as 1-d).
 *
 * @example
 * torch.nonzero(torch.tensor([0, 3, 0, 4])); // [[1], [3]]
 * const [rows, cols] = torch.nonzero(mask, { asTuple: true });
 */
export function nonzero(x: Tensor): Tensor;
export function nonzero(x: Tensor, options: { asTuple: true }): Tensor[];
export function nonzero(x: Tensor, options: { asTuple?: boolean }): Tensor | Tensor[];
export function nonzero(x: Tensor, options: { asTuple?: boolean } = {}): Tensor | Tensor[] {
  checkTensor("nonzero", "input", x);
  if (!options.asTuple) return nonzeroIndices(x);
  const idx = nonzeroIndices(x.ndim === 0 ? x.reshape(1) : x);
  return Array.from({ length: idx.shape[1]! }, (_, d) => idx.select(1, d).contiguous());
}

/** `nonzero(x)` (torch.argwhere). @example torch.argwhere(x.gt(0)) */
export function argwhere(x: Tensor): Tensor {
  checkTensor("argwhere", "input", x);
  return nonzeroIndices(x);
}

declare module "../tensor/tensor.js" {
  interface Tensor {
    /** `torch.any(this, ...)`. @example x.isnan().any() */
    any(dim?: SingleDimArg, keepdim?: boolean): Tensor;
    /** `torch.all(this, ...)`. @example mask.all() */
    all(dim?: SingleDimArg, keepdim?: boolean): Tensor;
    /** `torch.nonzero(this)`. @example mask.nonzero() */
    nonzero(): Tensor;
    nonzero(options: { asTuple: true }): Tensor[];
    nonzero(options: { asTuple?: boolean }): Tensor | Tensor[];
    /** `torch.argwhere(this)`. @example torch.tensor([0, 3, 0, 5]).argwhere() // [[1], [3]] */
    argwhere(): Tensor;
  }
}

defineMethods({
  any(this: Tensor, dim?: SingleDimArg, keepdim?: boolean) {
    return any(this, dim, keepdim);
  },
  all(this: Tensor, dim?: SingleDimArg, keepdim?: boolean) {
    return all(this, dim, keepdim);
  },
  nonzero(this: Tensor, options: { asTuple?: boolean } = {}) {
    return nonzero(this, options);
  },
  argwhere(this: Tensor) {
    return argwhere(this);
  },
});
