import type { StridedView } from "../backend.js";
import { isContiguous, numel } from "../../tensor/shape.js";

/**
 * Visits every element of `views` (all of the same shape) in row-major order and calls
 * `visit(i, offsets...)` with the running output index and each view's element offset. The
 * innermost dim is a plain loop; outer dims advance like an odometer. One call per element:
 * kernels that touch many elements use forEachRow instead.
 */
export function forEachOffset(
  views: readonly StridedView[],
  visit: (i: number, offsets: Int32Array) => void,
): void {
  const k = views.length;
  const offsets = new Int32Array(k);
  forEachRow(views, (i, start, n, steps) => {
    for (let v = 0; v < k; v++) offsets[v] = start[v]!;
    for (let j = 0; j < n; j++) {
      visit(i + j, offsets);
      for (let v = 0; v < k; v++) offsets[v] += steps[v]!;
    }
  });
}

/**
 * The dims of `views` (same shape) with size-1 dims dropped and neighbouring dims merged where
 * every view steps through them as through one dim (stride[d] = stride[d+1] * size[d+1]), so
 * that the innermost loop is as long as possible: a strided copy such as im2col's becomes a few
 * long rows instead of many short ones.
 */
function coalesce(views: readonly StridedView[]): { shape: number[]; strides: number[][] } {
  const shape: number[] = [];
  const strides: number[][] = views.map(() => []);
  const src = views[0]!.shape;
  for (let d = 0; d < src.length; d++) {
    const size = src[d]!;
    if (size === 1) continue;
    const last = shape.length - 1;
    const mergeable =
      last >= 0 && views.every((v, k) => strides[k]![last] === v.strides[d]! * size);
    if (mergeable) {
      shape[last] *= size;
      for (let k = 0; k < views.length; k++) strides[k]![last] = views[k]!.strides[d]!;
    } else {
      shape.push(size);
      for (let k = 0; k < views.length; k++) strides[k]!.push(views[k]!.strides[d]!);
    }
  }
  return { shape, strides };
}

/**
 * Visits `views` (all of the same shape) one row at a time in row-major order: `visit(i, start,
 * n, steps)` gets the output index of the row's first element, each view's offset of it, the
 * row's length and each view's step along it. Kernels loop over the row themselves, so the cost
 * of a call is paid per row, not per element.
 */
export function forEachRow(
  views: readonly StridedView[],
  visit: (i: number, start: Int32Array, n: number, steps: Int32Array) => void,
): void {
  const total = numel(views[0]!.shape);
  if (total === 0) return;
  const k = views.length;
  const start = new Int32Array(k);
  for (let v = 0; v < k; v++) start[v] = views[v]!.offset;
  const steps = new Int32Array(k);
  const shape0 = views[0]!.shape;
  if (shape0.length === 2) {
    // Matrices (most tensors of small models) need no coalescing: rows are the rows.
    const rows = shape0[0]!;
    const cols = shape0[1]!;
    for (let v = 0; v < k; v++) steps[v] = views[v]!.strides[1]!;
    for (let r = 0; r < rows; r++) {
      for (let v = 0; v < k; v++) start[v] = views[v]!.offset + r * views[v]!.strides[0]!;
      visit(r * cols, start, cols, steps);
    }
    return;
  }
  const { shape, strides } = coalesce(views);
  const nd = shape.length;
  if (nd === 0) {
    visit(0, start, 1, steps);
    return;
  }
  for (let v = 0; v < k; v++) steps[v] = strides[v]![nd - 1]!;
  const inner = shape[nd - 1]!;
  const counter = new Int32Array(nd);
  for (let i = 0; i < total; i += inner) {
    visit(i, start, inner, steps);
    // Advance the outer dims like an odometer.
    for (let d = nd - 2; d >= 0; d--) {
      counter[d]!++;
      for (let v = 0; v < k; v++) start[v] += strides[v]![d]!;
      if (counter[d]! < shape[d]!) break;
      for (let v = 0; v < k; v++) start[v] -= strides[v]![d]! * shape[d]!;
      counter[d] = 0;
    }
  }
}

/** True when the view covers its buffer from `offset` row-major with no gaps. */
export function isDense(view: StridedView): boolean {
  return isContiguous(view.shape, view.strides);
}
