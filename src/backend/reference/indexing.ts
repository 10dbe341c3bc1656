import type { StridedView } from "../backend.js";
import type { TypedArray } from "../../tensor/dtype.js";
import { forEachRow } from "./iterate.js";

/** `view` walked with `index`'s shape and its stride along `dim` zeroed (the index supplies it). */
function alongIndex(view: StridedView, dim: number, index: StridedView): StridedView {
  const strides = view.strides.slice();
  strides[dim] = 0;
  return { data: view.data, shape: index.shape, strides, offset: view.offset };
}

export function gather(x: StridedView, dim: number, index: StridedView, out: TypedArray): void {
  const X = x.data;
  const I = index.data;
  const step = x.strides[dim]!;
  forEachRow([index, alongIndex(x, dim, index)], (i, start, n, steps) => {
    const [si, sx] = steps as [number, number];
    for (let j = 0, oi = start[0]!, ox = start[1]!; j < n; j++, oi += si, ox += sx)
      out[i + j] = X[ox + I[oi]! * step]!;
  });
}

export function scatterAdd(
  dst: StridedView,
  dim: number,
  index: StridedView,
  src: StridedView,
): void {
  const D = dst.data;
  const I = index.data;
  const S = src.data;
  const step = dst.strides[dim]!;
  const srcView = { ...src, shape: index.shape };
  forEachRow([index, alongIndex(dst, dim, index), srcView], (_i, start, n, steps) => {
    const [si, sd, ss] = steps as [number, number, number];
    let [oi, od, os] = start as [number, number, number];
    for (let j = 0; j < n; j++, oi += si, od += sd, os += ss) D[od + I[oi]! * step] += S[os]!;
  });
}

export function scatter(dst: StridedView, dim: number, index: StridedView, src: StridedView): void {
  const D = dst.data;
  const I = index.data;
  const S = src.data;
  const step = dst.strides[dim]!;
  const srcView = { ...src, shape: index.shape };
  forEachRow([index, alongIndex(dst, dim, index), srcView], (_i, start, n, steps) => {
    const [si, sd, ss] = steps as [number, number, number];
    let [oi, od, os] = start as [number, number, number];
    for (let j = 0; j < n; j++, oi += si, od += sd, os += ss) D[od + I[oi]! * step] = S[os]!;
  });
}
