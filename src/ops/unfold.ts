/**
 * Sliding windows over the last two dims (im2col), the primitive convolution and pooling are
 * built from: x [..., H, W] -> [..., kH, kW, oH, oW]. Forward is one strided copy; backward adds
 * every window's gradient back into its input positions (windows may overlap).
 */
import { getBackend } from "../backend/registry.js";
import { allocate } from "../tensor/dtype.js";
import { numel } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { emptyTensor, record } from "./support.js";

/** Window geometry over the last two dims. */
export interface WindowSpec {
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly dilation: readonly [number, number];
}

export function windowCount(
  size: number,
  kernel: number,
  stride: number,
  dilation: number,
): number {
  return Math.floor((size - dilation * (kernel - 1) - 1) / stride) + 1;
}

/** [..., H, W] -> [..., kH, kW, oH, oW] (no padding: pad first). */
export function unfoldWindows(x: Tensor, spec: WindowSpec): Tensor {
  const nd = x.ndim;
  const [H, W] = [x.shape[nd - 2]!, x.shape[nd - 1]!];
  const [kH, kW] = spec.kernel;
  const oH = windowCount(H, kH, spec.stride[0], spec.dilation[0]);
  const oW = windowCount(W, kW, spec.stride[1], spec.dilation[1]);
  const lead = x.shape.slice(0, nd - 2);
  const [sH, sW] = [x.strides[nd - 2]!, x.strides[nd - 1]!];
  const windows = {
    data: x.storage.data,
    shape: [...lead, kH, kW, oH, oW],
    strides: [
      ...x.strides.slice(0, nd - 2),
      sH * spec.dilation[0],
      sW * spec.dilation[1],
      sH * spec.stride[0],
      sW * spec.stride[1],
    ],
    offset: x.offset,
  };
  const out = emptyTensor(windows.shape, x.dtype);
  getBackend().copy(windows, out.view_());
  const inShape = x.shape;
  return record("Im2ColBackward0", out, [x], (g) => [foldWindows(g, inShape, spec)]);
}

/** The adjoint of unfoldWindows: sums [..., kH, kW, oH, oW] back into [..., H, W]. */
export function foldWindows(g: Tensor, inShape: readonly number[], spec: WindowSpec): Tensor {
  const nd = inShape.length;
  const [H, W] = [inShape[nd - 2]!, inShape[nd - 1]!];
  const lead = inShape.slice(0, nd - 2);
  const planes = numel(lead);
  const index = windowIndex(H, W, spec);
  const out = emptyTensor(inShape, g.dtype);
  const src = g.contiguous();
  // Each plane [H*W] receives its windows [kH*kW*oH*oW] through the same index (stride 0).
  getBackend().scatterAdd(
    { data: out.storage.data, shape: [planes, H * W], strides: [H * W, 1], offset: 0 },
    1,
    { data: index, shape: [planes, index.length], strides: [0, 1], offset: 0 },
    {
      data: src.storage.data,
      shape: [planes, index.length],
      strides: [index.length, 1],
      offset: src.offset,
    },
  );
  return record("Col2ImBackward0", out, [g], (gg) => [unfoldWindows(gg, spec)]);
}

const indexCache = new Map<string, Int32Array>();

/** For each window element (kh, kw, oh, ow), its flat input position h * W + w. */
function windowIndex(H: number, W: number, spec: WindowSpec): Int32Array {
  const key = `${H},${W},${spec.kernel},${spec.stride},${spec.dilation}`;
  const cached = indexCache.get(key);
  if (cached) return cached;
  const [kH, kW] = spec.kernel;
  const oH = windowCount(H, kH, spec.stride[0], spec.dilation[0]);
  const oW = windowCount(W, kW, spec.stride[1], spec.dilation[1]);
  const index = allocate("int32", kH * kW * oH * oW);
  let i = 0;
  for (let a = 0; a < kH; a++)
    for (let b = 0; b < kW; b++)
      for (let p = 0; p < oH; p++)
        for (let q = 0; q < oW; q++)
          index[i++] =
            (p * spec.stride[0] + a * spec.dilation[0]) * W +
            q * spec.stride[1] +
            b * spec.dilation[1];
  if (indexCache.size > 64) indexCache.clear();
  indexCache.set(key, index);
  return index;
}

/** @internal For tests. */
export function clearWindowIndexCache(): void {
  indexCache.clear();
}
