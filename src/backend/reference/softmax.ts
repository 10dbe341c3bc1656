import type { SoftmaxOp, StridedView } from "../backend.js";
import type { TypedArray } from "../../tensor/dtype.js";
import { forEachOffset } from "./iterate.js";

/**
 * Softmax and log-softmax along `dim`, one row (the elements along dim at one position of the
 * other dims) at a time: m = max, s = sum(exp(x - m)) in double, then exp(x - m) / s or
 * (x - m) - log(s). The max skips NaN on purpose: a NaN (or +Infinity, or an all -Infinity
 * row) makes some x - m NaN, hence s and the whole row NaN, which is PyTorch's answer.
 */
export function softmax(op: SoftmaxOp, x: StridedView, dim: number, out: TypedArray): void {
  const { shape, strides } = x;
  const size = shape[dim]!;
  const step = strides[dim]!;
  if (size === 0) return;
  let inner = 1;
  for (let d = dim + 1; d < shape.length; d++) inner *= shape[d]!;
  // The other dims, walked in row-major order: row i starts at out[(i - i % inner) * size + i % inner].
  const rows: StridedView = {
    data: x.data,
    shape: shape.filter((_, d) => d !== dim),
    strides: strides.filter((_, d) => d !== dim),
    offset: x.offset,
  };
  const X = x.data;
  const log = op === "logSoftmax";
  forEachOffset([rows], (i, offsets) => {
    const start = offsets[0]!;
    const j = i % inner;
    const o0 = (i - j) * size + j;
    let m = -Infinity;
    for (let k = 0, p = start; k < size; k++, p += step) if (X[p]! > m) m = X[p]!;
    let s = 0;
    for (let k = 0, p = start, o = o0; k < size; k++, p += step, o += inner) {
      const e = Math.exp(X[p]! - m);
      s += e;
      if (!log) out[o] = e;
    }
    if (log) {
      const ls = Math.log(s);
      for (let k = 0, p = start, o = o0; k < size; k++, p += step, o += inner)
        out[o] = X[p]! - m - ls;
    } else {
      for (let k = 0, o = o0; k < size; k++, o += inner) out[o] = out[o]! / s;
    }
  });
}
