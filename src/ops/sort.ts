import { isKeywords } from "../validation/arguments.js";
/**
 * sort, argsort, msort and topk. They permute values along one dim, so they are computed on the
 * host's typed arrays (no kernel; a permutation is data movement, not arithmetic), and their
 * gradient is PyTorch's value_selecting_reduction_backward: the output gradient scattered back
 * to the source positions.
 */
import { ValueError, IndexError } from "../errors.js";
import { allocate } from "../tensor/dtype.js";
import { normalizeDim, type Shape } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { scatter } from "./indexing.js";
import type { ValuesIndices } from "./reduce-extrema.js";
import { alongDim, selectFirst, valuesIndices } from "./rows.js";
import { defineMethods, emptyTensor, record } from "./support.js";
import { checkTensor } from "../validation/tensors.js";

/**
 * Ascending or descending order with NaN as the largest value (PyTorch's KeyValueCompAsc/Desc),
 * ties in their original order: PyTorch's CPU sort is a stable sort whatever `stable` says.
 */
function comparator(v: ArrayLike<number>, descending: boolean): (a: number, b: number) => number {
  return (a, b) => {
    const x = v[a]!;
    const y = v[b]!;
    const nx = Number.isNaN(x);
    const ny = Number.isNaN(y);
    if (nx || ny) {
      if (nx && ny) return 0;
      return (nx ? 1 : -1) * (descending ? -1 : 1);
    }
    if (x === y) return 0;
    return (x < y ? -1 : 1) * (descending ? -1 : 1);
  };
}

/**
 * Sorts every row along `d`, keeping the first `k` of each; returns values and int32 indices of
 * shape `outShape`, recorded for autograd.
 */
function sortRows(
  x: Tensor,
  d: number,
  k: number,
  descending: boolean,
  node: string,
  outShape: Shape,
): ValuesIndices {
  const { data, outer, n, inner } = alongDim(x, d);
  const values = allocate(x.dtype, outer * k * inner);
  const indices = new Int32Array(outer * k * inner);
  const row = new Float64Array(n);
  const order = Array.from({ length: n }, (_, i) => i);
  const withNaN = comparator(row, descending);
  // Rows without NaN compare by subtraction (`|| 0`: equal infinities subtract to NaN).
  const plain = descending
    ? (a: number, b: number) => row[b]! - row[a]! || 0
    : (a: number, b: number) => row[a]! - row[b]! || 0;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * n * inner + j;
      let hasNaN = false;
      for (let i = 0; i < n; i++) {
        const v = data[base + i * inner]!;
        row[i] = v;
        order[i] = i;
        if (v !== v) hasNaN = true;
      }
      const compare = hasNaN ? withNaN : plain;
      // A few of a long row (topk of logits): select; otherwise sort (Array.sort is stable).
      const first = k * 8 <= n ? selectFirst(n, k, compare) : order.sort(compare);
      const outBase = o * k * inner + j;
      for (let i = 0; i < k; i++) {
        values[outBase + i * inner] = row[first[i]!]!;
        indices[outBase + i * inner] = first[i]!;
      }
    }
  }
  const v = Tensor.fromData(values, outShape);
  const idx = Tensor.fromData(indices, outShape);
  const inShape = x.shape;
  record(
    node,
    v,
    [x],
    (g, [si]) => [x.ndim === 0 ? g : scatter(emptyTensor(inShape, g.dtype), d, si!, g)],
    [idx],
  );
  return valuesIndices(v, idx);
}

/** Options of sort/argsort (`stable` is accepted; the CPU sort is always stable, as PyTorch's). */
export interface SortOptions {
  dim?: number;
  descending?: boolean;
  stable?: boolean;
}

function parseSort(dimOrOptions?: number | SortOptions, descending?: boolean): SortOptions {
  if (isKeywords(dimOrOptions)) return dimOrOptions;
  return { dim: dimOrOptions, descending };
}

/**
 * The elements sorted along `dim` (default -1), ascending unless `descending`, as
 * `[values, indices]` with `.values`/`.indices` (like PyTorch's named tuple). NaN sorts as the
 * largest value; equal values keep their order. Indices are int32 (PyTorch: int64).
 *
 * @example
 * const [values, indices] = torch.sort(x, 1, true);
 * x.sort({ dim: 0, stable: true }).indices;
 */
export function sort(
  x: Tensor,
  dimOrOptions?: number | SortOptions,
  descending?: boolean,
): ValuesIndices {
  checkTensor("sort", "input", x);
  const opts = parseSort(dimOrOptions, descending);
  const d = normalizeDim(opts.dim ?? -1, x.ndim);
  const n = x.ndim === 0 ? 1 : x.shape[d]!;
  return sortRows(x, d, n, opts.descending ?? false, "SortBackward0", x.shape);
}

/**
 * The indices that sort `x` along `dim` (default -1): `sort(x, ...).indices`.
 *
 * @example
 * torch.argsort(torch.tensor([3, 1, 2])); // tensor([1, 2, 0])
 */
export function argsort(
  x: Tensor,
  dimOrOptions?: number | SortOptions,
  descending?: boolean,
): Tensor {
  checkTensor("argsort", "input", x);
  return sort(x, dimOrOptions, descending).indices;
}

/** The elements sorted along dim 0 (torch.msort), values only. @example torch.msort(x) */
export function msort(x: Tensor): Tensor {
  checkTensor("msort", "input", x);
  return sort(x, 0).values;
}

/** Options of topk. */
export interface TopkOptions {
  dim?: number;
  largest?: boolean;
  sorted?: boolean;
}

/**
 * The `k` largest (or, with `largest: false`, smallest) elements along `dim` (default -1) and
 * their indices, as `[values, indices]`, in sorted order. NaN counts as the largest. Ties keep
 * index order; PyTorch's partial sort leaves their order unspecified, and so does `sorted:
 * false` (here the order is always sorted).
 *
 * @example
 * const [values, indices] = torch.topk(logits, 5);
 * logits.topk(2, { dim: 0, largest: false });
 */
export function topk(
  x: Tensor,
  k: number,
  dimOrOptions?: number | TopkOptions,
  largest?: boolean,
  sorted?: boolean,
): ValuesIndices {
  checkTensor("topk", "input", x);
  const opts: TopkOptions = isKeywords(dimOrOptions)
    ? dimOrOptions
    : { dim: dimOrOptions, largest, sorted };
  const d = normalizeDim(opts.dim ?? -1, x.ndim);
  const n = x.ndim === 0 ? 1 : x.shape[d]!;
  if (!Number.isInteger(k)) throw new ValueError(`topk(): k must be an integer, got ${k}`);
  if (k < 0 || k > n) throw new IndexError("selected index k out of range");
  const outShape = x.ndim === 0 ? [] : x.shape.map((s, i) => (i === d ? k : s));
  return sortRows(x, d, k, opts.largest ?? true, "TopkBackward0", outShape);
}

declare module "../tensor/tensor.js" {
  interface Tensor {
    /** `torch.sort(this, ...)`. @example const [v, i] = x.sort(-1, true); */
    sort(dimOrOptions?: number | SortOptions, descending?: boolean): ValuesIndices;
    /** `torch.argsort(this, ...)`. @example x.argsort({ descending: true }) */
    argsort(dimOrOptions?: number | SortOptions, descending?: boolean): Tensor;
    /** `torch.msort(this)`. @example x.msort() */
    msort(): Tensor;
    /** `torch.topk(this, k, ...)`. @example const [v, i] = x.topk(3); */
    topk(
      k: number,
      dimOrOptions?: number | TopkOptions,
      largest?: boolean,
      sorted?: boolean,
    ): ValuesIndices;
  }
}

defineMethods({
  sort(this: Tensor, dimOrOptions?: number | SortOptions, descending?: boolean) {
    return sort(this, dimOrOptions, descending);
  },
  argsort(this: Tensor, dimOrOptions?: number | SortOptions, descending?: boolean) {
    return argsort(this, dimOrOptions, descending);
  },
  msort(this: Tensor) {
    return msort(this);
  },
  topk(
    this: Tensor,
    k: number,
    dimOrOptions?: number | TopkOptions,
    largest?: boolean,
    sorted?: boolean,
  ) {
    return topk(this, k, dimOrOptions, largest, sorted);
  },
});
