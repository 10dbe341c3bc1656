import type { StridedView } from "../backend.js";
import type { TypedArray } from "../../tensor/dtype.js";
import { forEachOffset } from "./iterate.js";

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
  forEachOffset([index, alongIndex(x, dim, index)], (i, off) => {
    out[i] = X[off[1]! + I[off[0]!]! * step]!;
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
  forEachOffset([index, alongIndex(dst, dim, index), srcView], (_i, off) => {
    D[off[1]! + I[off[0]!]! * step] += S[off[2]!]!;
  });
}

export function scatter(dst: StridedView, dim: number, index: StridedView, src: StridedView): void {
  const D = dst.data;
  const I = index.data;
  const S = src.data;
  const step = dst.strides[dim]!;
  const srcView = { ...src, shape: index.shape };
  forEachOffset([index, alongIndex(dst, dim, index), srcView], (_i, off) => {
    D[off[1]! + I[off[0]!]! * step] = S[off[2]!]!;
  });
}
