import type { StridedView } from "../backend.js";
import type { TypedArray } from "../../tensor/dtype.js";

/** The C side takes at most this many batch dims (GEMM_MAX_BATCH_DIMS in native/src/gemm.h). */
const MAX_BATCH_DIMS = 16;

// Reused for every call: the addon reads it synchronously, so one scratch array is enough and
// saves an allocation per product.
const params = new Float64Array(10 + 3 * MAX_BATCH_DIMS);

function isIndex(x: number): boolean {
  return Number.isSafeInteger(x) && x >= 0;
}

/** Highest element index the view touches (the view is non-empty, strides non-negative). */
function lastIndex(v: StridedView): number {
  let last = v.offset;
  for (let d = 0; d < v.shape.length; d++) last += (v.shape[d]! - 1) * v.strides[d]!;
  return last;
}

function sameBuffer(x: TypedArray, y: TypedArray): boolean {
  return x.buffer === y.buffer;
}

/**
 * Checks that a batched product can go to the native GEMM and packs its description, or returns
 * undefined (the caller then uses the reference kernel, which handles every remaining case).
 * Everything the C code relies on is established here: matching float dtypes, consistent shapes,
 * non-negative integer strides and offsets, every view inside its buffer, out of the right length
 * and not sharing memory with an input.
 */
export function gemmParams(
  a: StridedView,
  b: StridedView,
  out: TypedArray,
): Float64Array | undefined {
  const isF32 = out instanceof Float32Array;
  if (!isF32 && !(out instanceof Float64Array)) return undefined;
  if (a.data.constructor !== out.constructor || b.data.constructor !== out.constructor)
    return undefined;
  const nd = a.shape.length;
  if (nd < 2 || b.shape.length !== nd || nd - 2 > MAX_BATCH_DIMS) return undefined;
  if (a.strides.length !== nd || b.strides.length !== nd) return undefined;
  const m = a.shape[nd - 2]!;
  const k = a.shape[nd - 1]!;
  const n = b.shape[nd - 1]!;
  if (b.shape[nd - 2] !== k) return undefined;
  let batches = 1;
  for (let d = 0; d < nd; d++) {
    if (d < nd - 2 && a.shape[d] !== b.shape[d]) return undefined;
    if (!isIndex(a.shape[d]!) || !isIndex(b.shape[d]!)) return undefined;
    if (!isIndex(a.strides[d]!) || !isIndex(b.strides[d]!)) return undefined;
    if (d < nd - 2) batches *= a.shape[d]!;
  }
  if (!isIndex(a.offset) || !isIndex(b.offset)) return undefined;
  if (out.length !== batches * m * n) return undefined;
  if (batches > 0 && m > 0 && n > 0 && k > 0) {
    if (lastIndex(a) >= a.data.length || lastIndex(b) >= b.data.length) return undefined;
  }
  if (sameBuffer(out, a.data) || sameBuffer(out, b.data)) return undefined;
  params[0] = nd - 2;
  params[1] = m;
  params[2] = n;
  params[3] = k;
  params[4] = a.offset;
  params[5] = a.strides[nd - 2]!;
  params[6] = a.strides[nd - 1]!;
  params[7] = b.offset;
  params[8] = b.strides[nd - 2]!;
  params[9] = b.strides[nd - 1]!;
  for (let d = 0; d < nd - 2; d++) {
    params[10 + 3 * d] = a.shape[d]!;
    params[11 + 3 * d] = a.strides[d]!;
    params[12 + 3 * d] = b.strides[d]!;
  }
  return params;
}
