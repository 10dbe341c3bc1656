/**
 * Value-dependent ops computed on the host: unique, bucketize, searchsorted, and
 * repeatInterleave (a composite: indexSelect with an index built from the repeats).
 */
import { DTypeError, ShapeError, ValueError } from "../errors.js";
import { allocate } from "../tensor/dtype.js";
import { formatShape, normalizeDim } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { indexSelect } from "./indexing.js";
import { alongDim } from "./rows.js";
import { defineMethods, scalarTensor } from "./support.js";
import { checkTensor } from "../validation/tensors.js";

// ---- unique -------------------------------------------------------------------------------------

/** Options of unique; the results are sorted whatever `sorted` says (PyTorch: unspecified). */
export interface UniqueOptions {
  sorted?: boolean;
  returnInverse?: boolean;
  returnCounts?: boolean;
  /** Unique slices along this dim instead of unique elements of the flattened tensor. */
  dim?: number;
}

/** What unique returns with `returnInverse` or `returnCounts`: PyTorch's tuple, with names. */
export type UniqueResult = Tensor[] & { values: Tensor; inverse?: Tensor; counts?: Tensor };

/**
 * The distinct elements of `x` in ascending order (torch.unique), or its distinct slices along
 * `dim`; with `returnInverse` also where each element (slice) went, with `returnCounts` how
 * often each occurs. Not differentiable, as in PyTorch.
 *
 * @example
 * torch.unique(torch.tensor([3, 1, 3])); // tensor([1, 3])
 * const [values, inverse, counts] = torch.unique(x, { returnInverse: true, returnCounts: true });
 */
export function unique(
  x: Tensor,
  options?: UniqueOptions & { returnInverse?: false; returnCounts?: false },
): Tensor;
export function unique(x: Tensor, options: UniqueOptions): Tensor | UniqueResult;
export function unique(x: Tensor, options: UniqueOptions = {}): Tensor | UniqueResult {
  checkTensor("unique", "input", x);
  let values: Tensor;
  let inverse: Tensor;
  let countsT: Tensor;

  if (options.dim === undefined) {
    const data = x.toArray();
    const order = Array.from({ length: data.length }, (_, i) => i);
    order.sort((a, b) => (data[a]! < data[b]! ? -1 : data[a]! > data[b]! ? 1 : a - b));
    const inv = new Int32Array(data.length);
    const out: number[] = [];
    const counts: number[] = [];
    for (const i of order) {
      if (out.length === 0 || data[i] !== out[out.length - 1]) {
        out.push(data[i]!);
        counts.push(0);
      }
      inv[i] = out.length - 1;
      counts[counts.length - 1]!++;
    }
    const buffer = allocate(x.dtype, out.length);
    buffer.set(out);
    values = Tensor.fromData(buffer, [out.length]);
    inverse = Tensor.fromData(inv, x.shape);
    countsT = Tensor.fromData(Int32Array.from(counts), [counts.length]);
  } else {
    const d = normalizeDim(options.dim, x.ndim);
    const { data, outer, n, inner } = alongDim(x, d);
    // Slice s along d: the elements (o, s, j) for all o, j; compared in (o, j) row-major order.
    const len = outer * inner;
    const starts = Array.from({ length: n }, (_, s) => s * inner);
    const at = (s: number, k: number) =>
      starts[s]! + Math.floor(k / inner) * n * inner + (k % inner);
    const cmp = (a: number, b: number) => {
      for (let k = 0; k < len; k++) {
        const u = data[at(a, k)]!;
        const v = data[at(b, k)]!;
        if (u !== v) return u < v ? -1 : 1;
      }
      return 0;
    };
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => cmp(a, b) || a - b);
    const kept: number[] = [];
    const counts: number[] = [];
    const inv = new Int32Array(n);
    for (const s of order) {
      if (kept.length === 0 || cmp(kept[kept.length - 1]!, s) !== 0) {
        kept.push(s);
        counts.push(0);
      }
      inv[s] = kept.length - 1;
      counts[counts.length - 1]!++;
    }
    values = indexSelect(x.detach(), d, Tensor.fromData(Int32Array.from(kept), [kept.length]));
    inverse = Tensor.fromData(inv, [n]);
    countsT = Tensor.fromData(Int32Array.from(counts), [counts.length]);
  }
  if (!options.returnInverse && !options.returnCounts) return values;
  const parts = [values];
  if (options.returnInverse) parts.push(inverse);
  if (options.returnCounts) parts.push(countsT);
  return Object.assign(parts, {
    values,
    ...(options.returnInverse ? { inverse } : {}),
    ...(options.returnCounts ? { counts: countsT } : {}),
  });
}

// ---- bucketize / searchsorted -------------------------------------------------------------------

/** The first index in `seq[base .. base + n)` whose value is >= v (left) or > v (right). */
function bound(seq: ArrayLike<number>, base: number, n: number, v: number, right: boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const s = seq[base + mid]!;
    if (right ? !(s > v) : s < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Options of searchsorted/bucketize. */
export interface SearchOptions {
  /** Upper bound (first index with a larger value) instead of lower bound. */
  right?: boolean;
  /** searchsorted's alternative to `right`: "left" or "right". */
  side?: "left" | "right";
  /** Indices that sort an unsorted sequence along its last dim (searchsorted only). */
  sorter?: Tensor;
}

function asValues(values: Tensor | number, like: Tensor): Tensor {
  return values instanceof Tensor ? values : scalarTensor(values, like.dtype);
}

/**
 * For each value, the index at which it would be inserted into the sorted last dim of
 * `sortedSequence` to keep it sorted (torch.searchsorted): the first position whose element is
 * >= the value, or > it with `right: true` / `side: "right"`. A 1-D sequence serves every
 * value; an N-D one pairs its leading dims with the values'. int32 indices (PyTorch: int64).
 *
 * @example
 * torch.searchsorted(torch.tensor([1, 3, 5, 7]), torch.tensor([3, 6])); // [1, 3]
 */
export function searchsorted(
  sortedSequence: Tensor,
  values: Tensor | number,
  options: SearchOptions = {},
): Tensor {
  checkTensor("searchsorted", "sortedSequence", sortedSequence);
  const { side, sorter } = options;
  if (side !== undefined && side !== "left" && side !== "right") {
    throw new ValueError(
      `torch.searchsorted(): side can only be 'left' or 'right' but got ${String(side)}`,
    );
  }
  if (side !== undefined && options.right !== undefined && (side === "right") !== options.right) {
    throw new ValueError(
      `torch.searchsorted(): side and right can't be set to opposites, got side of ${side} while right was ${options.right ? "True" : "False"}`,
    );
  }
  const right = options.right ?? side === "right";
  const v = asValues(values, sortedSequence);
  const seqShape = sortedSequence.shape;
  const lead = seqShape.slice(0, -1);
  if (
    sortedSequence.ndim !== 1 &&
    (v.ndim !== sortedSequence.ndim || lead.some((s, k) => s !== v.shape[k]))
  ) {
    throw new ShapeError(
      `torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 dimensions of boundaries tensor and input value tensor must match, but we got boundaries tensor ${formatShape(seqShape)} and input value tensor ${formatShape(v.shape)}`,
    );
  }
  const seq = sorter ? sortedSequence.gather(-1, sorter).toArray() : sortedSequence.toArray();
  const n = seqShape[seqShape.length - 1] ?? 1;
  const vals = v.toArray();
  const perRow = sortedSequence.ndim === 1 ? vals.length : (v.shape[v.ndim - 1] ?? 1);
  const out = new Int32Array(vals.length);
  for (let i = 0; i < vals.length; i++) {
    const base = sortedSequence.ndim === 1 ? 0 : Math.floor(i / perRow) * n;
    out[i] = bound(seq, base, n, vals[i]!, right);
  }
  return Tensor.fromData(out, v.shape);
}

/**
 * The index of the bucket of each value among sorted 1-D `boundaries` (torch.bucketize):
 * i with `boundaries[i-1] < x <= boundaries[i]`, or `boundaries[i-1] <= x < boundaries[i]` with
 * `right: true`. int32 indices (PyTorch: int64).
 *
 * @example
 * torch.bucketize(torch.tensor([0.5, 2, 9]), torch.tensor([1, 2, 5])); // [0, 1, 3]
 */
export function bucketize(
  input: Tensor | number,
  boundaries: Tensor,
  options: { right?: boolean } = {},
): Tensor {
  checkTensor("bucketize", "boundaries", boundaries);
  if (boundaries.ndim !== 1) {
    throw new ShapeError(`boundaries tensor must be 1 dimension, but got dim(${boundaries.ndim})`);
  }
  return searchsorted(boundaries, input, { right: options.right ?? false });
}

// ---- repeatInterleave ---------------------------------------------------------------------------

/** The index [0 x r0, 1 x r1, ...] for repeats r (int32, validated). */
function repeatIndex(repeats: ArrayLike<number>): Tensor {
  let total = 0;
  for (let i = 0; i < repeats.length; i++) {
    if (repeats[i]! < 0) throw new ValueError("repeats can not be negative");
    total += repeats[i]!;
  }
  const index = new Int32Array(total);
  let at = 0;
  for (let i = 0; i < repeats.length; i++) index.fill(i, at, (at += repeats[i]!));
  return Tensor.fromData(index, [total]);
}

/**
 * Each element (or slice along `dim`) repeated `repeats` times, in place (torch.repeat_interleave):
 * `repeats` is a number or a 1-D int tensor with one count per slice. Without `dim` the input
 * is flattened. With only an int tensor, `repeatInterleave(r)` gives `[0 x r0, 1 x r1, ...]`.
 *
 * @example
 * torch.repeatInterleave(torch.tensor([1, 2]), 2); // [1, 1, 2, 2]
 * torch.repeatInterleave(x, torch.tensor([1, 2]), 0);
 */
export function repeatInterleave(x: Tensor, repeats?: number | Tensor, dim?: number): Tensor {
  checkTensor("repeatInterleave", "input", x);
  if (repeats === undefined) {
    if (x.ndim !== 1) throw new ShapeError("repeat_interleave only accept 1D vector as repeat");
    if (x.dtype !== "int32") {
      throw new DTypeError("repeats has to be Long tensor");
    }
    return repeatIndex(x.toArray());
  }
  const input = dim === undefined ? x.reshape(-1) : x;
  const d = dim === undefined ? 0 : normalizeDim(dim, x.ndim);
  const size = input.ndim === 0 ? 1 : input.shape[d]!;
  let counts: ArrayLike<number>;
  if (typeof repeats === "number") {
    if (repeats < 0) throw new ValueError("repeats can not be negative");
    counts = new Int32Array(size).fill(repeats);
  } else {
    if (repeats.ndim > 1) throw new ShapeError("repeat_interleave only accept 1D vector as repeat");
    const r = repeats.toArray();
    if (r.length === 1 && size !== 1) counts = new Int32Array(size).fill(r[0]!);
    else if (r.length !== size) {
      throw new ShapeError("repeats must have the same size as input along dim");
    } else counts = r;
  }
  return indexSelect(input.ndim === 0 ? input.reshape(1) : input, d, repeatIndex(counts));
}

declare module "../tensor/tensor.js" {
  interface Tensor {
    /** `torch.unique(this, options)`. @example torch.tensor([3, 1, 3]).unique() // [1, 3] */
    unique(options?: UniqueOptions & { returnInverse?: false; returnCounts?: false }): Tensor;
    unique(options: UniqueOptions): Tensor | UniqueResult;
    /** `torch.repeatInterleave(this, repeats, dim)`. @example x.repeatInterleave(2, 0) */
    repeatInterleave(repeats?: number | Tensor, dim?: number): Tensor;
  }
}

defineMethods({
  unique(this: Tensor, options: UniqueOptions = {}) {
    return unique(this, options);
  },
  repeatInterleave(this: Tensor, repeats?: number | Tensor, dim?: number) {
    return repeatInterleave(this, repeats, dim);
  },
});
