/**
 * Shared helpers of the row-wise host ops (sort, topk, scans, unique, multinomial): the block
 * layout of one dim, the `[values, indices]` result, a stable partial selection, and the saved
 * input of in-place ops. Not re-exported from the package.
 */
import { isGradEnabled } from "../autograd/grad-mode.js";
import type { Tensor } from "../tensor/tensor.js";
import type { ValuesIndices } from "./reduce-extrema.js";

/** `x`'s elements viewed as `outer` blocks of `n` elements `inner` apart along `dim`. */
export interface DimLayout {
  readonly data: ArrayLike<number>;
  readonly outer: number;
  readonly n: number;
  readonly inner: number;
}

/** @internal The contiguous elements of `x` with the block structure of dim `d` (0-d: n = 1). */
export function alongDim(x: Tensor, d: number): DimLayout {
  const shape = x.shape;
  const n = x.ndim === 0 ? 1 : shape[d]!;
  let outer = 1;
  let inner = 1;
  for (let k = 0; k < d; k++) outer *= shape[k]!;
  for (let k = d + 1; k < shape.length; k++) inner *= shape[k]!;
  return { data: x.toArray(), outer, n, inner };
}

/** @internal `[values, indices]` with `.values`/`.indices`, as max(dim) returns them. */
export function valuesIndices(values: Tensor, indices: Tensor): ValuesIndices {
  return Object.assign([values, indices] as [Tensor, Tensor], { values, indices });
}

/**
 * @internal The positions of the `k` first elements of `row` in the order of `compare` (a
 * stable order: equal elements keep index order), without sorting the whole row: a sorted list
 * of the best k so far, which most elements of a long row fail to enter. The same result as a
 * stable sort followed by taking k.
 */
export function selectFirst(
  n: number,
  k: number,
  compare: (a: number, b: number) => number,
): number[] {
  const best: number[] = [];
  if (k === 0) return best;
  for (let i = 0; i < n; i++) {
    if (best.length === k && compare(i, best[k - 1]!) >= 0) continue;
    // Insert after every element that is not after i (upper bound): stable for ties.
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compare(best[mid]!, i) <= 0) lo = mid + 1;
      else hi = mid;
    }
    best.splice(lo, 0, i);
    if (best.length > k) best.pop();
  }
  return best;
}

/**
 * @internal The input of an in-place op whose gradient reads the old value: a recorded clone
 * when autograd is recording (PyTorch saves `original_self` the same way), else itself.
 */
export function savedSelf(x: Tensor): Tensor {
  return isGradEnabled() && x.requiresGrad ? x.clone() : x;
}
