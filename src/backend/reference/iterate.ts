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
  const k = views.length;
  const strides: number[][] = [];
  for (let v = 0; v < k; v++) strides.push([]);
  const src = views[0]!.shape;
  for (let d = 0; d < src.length; d++) {
    const size = src[d]!;
    if (size === 1) continue;
    const last = shape.length - 1;
    let mergeable = last >= 0;
    for (let v = 0; v < k && mergeable; v++) {
      mergeable = strides[v]![last] === views[v]!.strides[d]! * size;
    }
    if (mergeable) {
      shape[last] *= size;
      for (let v = 0; v < k; v++) strides[v]![last] = views[v]!.strides[d]!;
    } else {
      shape.push(size);
      for (let v = 0; v < k; v++) strides[v]!.push(views[v]!.strides[d]!);
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
  visit: (i: number, start: readonly number[], n: number, steps: readonly number[]) => void,
): void {
  const k = views.length;
  const view0 = views[0]!;
  const start: number[] = [];
  const steps: number[] = [];
  // Rank 0 and 1 (most tensors of small models' reductions and updates) need no coalescing.
  if (view0.shape.length <= 1) {
    const n = view0.shape.length === 0 ? 1 : view0.shape[0]!;
    if (n === 0) return;
    for (let v = 0; v < k; v++) {
      start.push(views[v]!.offset);
      steps.push(view0.shape.length === 0 ? 0 : views[v]!.strides[0]!);
    }
    visit(0, start, n, steps);
    return;
  }
  for (const s of view0.shape) if (s === 0) return;
  for (let v = 0; v < k; v++) start.push(views[v]!.offset);
  const { shape, strides } = coalesce(views);
  const nd = shape.length;
  if (nd === 0) {
    for (let v = 0; v < k; v++) steps.push(0);
    visit(0, start, 1, steps);
    return;
  }
  for (let v = 0; v < k; v++) steps.push(strides[v]![nd - 1]!);
  const inner = shape[nd - 1]!;
  const total = numel(shape);
  const counter = new Array<number>(nd).fill(0);
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
