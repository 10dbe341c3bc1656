import type { StridedView } from "../backend.js";
import { isContiguous, numel } from "../../tensor/shape.js";

/**
 * Visits every element of `views` (all of the same shape) in row-major order and calls
 * `visit(i, offsets...)` with the running output index and each view's element offset. The
 * innermost dim is a plain loop; outer dims advance like an odometer.
 */
export function forEachOffset(
  views: readonly StridedView[],
  visit: (i: number, offsets: Int32Array) => void,
): void {
  const shape = views[0]!.shape;
  const n = numel(shape);
  if (n === 0) return;
  const nd = shape.length;
  const k = views.length;
  const offsets = new Int32Array(k);
  for (let v = 0; v < k; v++) offsets[v] = views[v]!.offset;
  if (nd === 0) {
    visit(0, offsets);
    return;
  }
  const inner = shape[nd - 1]!;
  const innerStrides = views.map((v) => v.strides[nd - 1]!);
  const counter = new Int32Array(nd);
  const base = Int32Array.from(offsets);
  for (let i = 0; i < n;) {
    for (let v = 0; v < k; v++) offsets[v] = base[v]!;
    for (let j = 0; j < inner; j++, i++) {
      visit(i, offsets);
      for (let v = 0; v < k; v++) offsets[v] += innerStrides[v]!;
    }
    for (let d = nd - 2; d >= 0; d--) {
      counter[d]!++;
      for (let v = 0; v < k; v++) base[v] += views[v]!.strides[d]!;
      if (counter[d]! < shape[d]!) break;
      for (let v = 0; v < k; v++) base[v] -= views[v]!.strides[d]! * shape[d]!;
      counter[d] = 0;
    }
  }
}

/** True when the view covers its buffer from `offset` row-major with no gaps. */
export function isDense(view: StridedView): boolean {
  return isContiguous(view.shape, view.strides);
}
