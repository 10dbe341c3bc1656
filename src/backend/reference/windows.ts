import type { StridedView, Windows2d } from "../backend.js";
import type { TypedArray } from "../../tensor/dtype.js";

/**
 * The window kernels of convolution and pooling as PyTorch's CPU loops write them
 * (aten/src/ATen/native/im2col.h, DilatedMaxPooling.cpp): one loop per dim, padding tested per
 * position.
 */

export function im2col(x: StridedView, w: Windows2d, out: TypedArray): void {
  const X = x.data;
  const [P, H, W] = x.shape as [number, number, number];
  const [sP, sH, sW] = x.strides as [number, number, number];
  const [oH, oW] = w.output;
  const [kH, kW] = w.kernel;
  let i = 0;
  for (let p = 0; p < P; p++)
    for (let kh = 0; kh < kH; kh++)
      for (let kw = 0; kw < kW; kw++)
        for (let oh = 0; oh < oH; oh++) {
          const h = oh * w.stride[0] - w.padding[0] + kh * w.dilation[0];
          for (let ow = 0; ow < oW; ow++) {
            const c = ow * w.stride[1] - w.padding[1] + kw * w.dilation[1];
            const inside = h >= 0 && h < H && c >= 0 && c < W;
            out[i++] = inside ? X[x.offset + p * sP + h * sH + c * sW]! : 0;
          }
        }
}

export function col2im(cols: StridedView, w: Windows2d, out: TypedArray): void {
  const C = cols.data;
  const [P, kH, kW, oH, oW] = cols.shape as [number, number, number, number, number];
  const [sP, sKH, sKW, sOH, sOW] = cols.strides as [number, number, number, number, number];
  const [H, W] = w.input;
  out.fill(0);
  for (let p = 0; p < P; p++)
    for (let kh = 0; kh < kH; kh++)
      for (let kw = 0; kw < kW; kw++)
        for (let oh = 0; oh < oH; oh++) {
          const h = oh * w.stride[0] - w.padding[0] + kh * w.dilation[0];
          if (h < 0 || h >= H) continue;
          for (let ow = 0; ow < oW; ow++) {
            const c = ow * w.stride[1] - w.padding[1] + kw * w.dilation[1];
            if (c < 0 || c >= W) continue;
            out[(p * H + h) * W + c] +=
              C[cols.offset + p * sP + kh * sKH + kw * sKW + oh * sOH + ow * sOW]!;
          }
        }
}

export function maxPool2d(
  x: StridedView,
  w: Windows2d,
  values: TypedArray,
  indices: Int32Array,
): void {
  const X = x.data;
  const [P, H, W] = x.shape as [number, number, number];
  const [sP, sH, sW] = x.strides as [number, number, number];
  const [oH, oW] = w.output;
  const [dH, dW] = w.dilation;
  let i = 0;
  for (let p = 0; p < P; p++)
    for (let oh = 0; oh < oH; oh++)
      for (let ow = 0; ow < oW; ow++) {
        let hStart = oh * w.stride[0] - w.padding[0];
        let wStart = ow * w.stride[1] - w.padding[1];
        const hEnd = Math.min(hStart + (w.kernel[0] - 1) * dH + 1, H);
        const wEnd = Math.min(wStart + (w.kernel[1] - 1) * dW + 1, W);
        while (hStart < 0) hStart += dH;
        while (wStart < 0) wStart += dW;
        let best = -Infinity;
        let at = hStart * W + wStart;
        for (let h = hStart; h < hEnd; h += dH)
          for (let c = wStart; c < wEnd; c += dW) {
            const v = X[x.offset + p * sP + h * sH + c * sW]!;
            if (v > best || Number.isNaN(v)) {
              best = v;
              at = h * W + c;
            }
          }
        values[i] = best;
        indices[i++] = at;
      }
}
