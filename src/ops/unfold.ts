/**
 * Sliding windows over the last two dims (im2col), the primitive convolution and pooling are
 * built from: x [..., H, W] -> [..., kH, kW, oH, oW], with implicit zero padding. Forward is the
 * backend's im2col; backward its col2im, which adds every window's gradient back into its input
 * positions (windows may overlap); and col2im's backward is im2col again.
 */
import type { StridedView, Windows2d } from "../backend/backend.js";
import { getBackend } from "../backend/registry.js";
import { numel } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
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

/**
 * The windows of `spec` over [H, W] planes with `padding` [top, left] before them. The output
 * size defaults to what symmetric padding gives; pass it when the padding after differs (conv's
 * "same", pooling's ceil mode).
 */
export function windows2d(
  input: readonly [number, number],
  spec: WindowSpec,
  padding: readonly [number, number] = [0, 0],
  output?: readonly [number, number],
): Windows2d {
  const out = output ?? [
    windowCount(input[0] + 2 * padding[0], spec.kernel[0], spec.stride[0], spec.dilation[0]),
    windowCount(input[1] + 2 * padding[1], spec.kernel[1], spec.stride[1], spec.dilation[1]),
  ];
  return { ...spec, input, output: out, padding };
}

/**
 * `x` [..., H, W] as the [P, H, W] planes the window kernels take: a view when the leading dims
 * step as one, else a contiguous copy.
 */
export function planesView(x: Tensor): StridedView {
  const nd = x.ndim;
  let t = x;
  for (let d = 0; d < nd - 3; d++) {
    if (x.strides[d] !== x.strides[d + 1]! * x.shape[d + 1]! && x.shape[d] !== 1) {
      t = x.contiguous();
      break;
    }
  }
  const P = numel(x.shape.slice(0, nd - 2));
  return {
    data: t.storage.data,
    shape: [P, x.shape[nd - 2]!, x.shape[nd - 1]!],
    strides: [nd > 2 ? t.strides[nd - 3]! : 0, t.strides[nd - 2]!, t.strides[nd - 1]!],
    offset: t.offset,
  };
}

/** [..., H, W] -> [..., kH, kW, oH, oW] (zero where a window reaches into the padding). */
export function unfoldWindows(x: Tensor, windows: Windows2d): Tensor {
  const lead = x.shape.slice(0, x.ndim - 2);
  const out = emptyTensor([...lead, ...windows.kernel, ...windows.output], x.dtype);
  getBackend().im2col(planesView(x), windows, out.storage.data);
  return record("Im2ColBackward0", out, [x], (g) => [foldWindows(g, windows)]);
}

/** The adjoint of unfoldWindows: sums [..., kH, kW, oH, oW] back into [..., H, W]. */
export function foldWindows(g: Tensor, windows: Windows2d): Tensor {
  const nd = g.ndim;
  const lead = g.shape.slice(0, nd - 4);
  const out = emptyTensor([...lead, ...windows.input], g.dtype);
  const src = g.contiguous();
  const P = numel(lead);
  const K = numel(g.shape.slice(nd - 4));
  const shape = [P, ...g.shape.slice(nd - 4)];
  const strides = [K, ...src.strides.slice(nd - 4)];
  getBackend().col2im(
    { data: src.storage.data, shape, strides, offset: src.offset },
    windows,
    out.storage.data,
  );
  return record("Col2ImBackward0", out, [g], (gg) => [unfoldWindows(gg, windows)]);
}
