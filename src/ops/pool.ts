import { ShapeError, ValueError } from "../errors.js";
import { formatShape } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { pair, type Pair } from "./conv.js";
import { matmul } from "./linalg.js";
import { pad } from "./pad.js";
import { emptyTensor } from "./support.js";
import { traced } from "./trace.js";
import { unfoldWindows, windows2d, type WindowSpec } from "./unfold.js";
import { checkTensor } from "../validation/tensors.js";

/** Options of the 2-D pooling ops, as PyTorch's keyword arguments. */
export interface PoolOptions {
  /** Default: the kernel size. */
  stride?: Pair | null;
  padding?: Pair;
  dilation?: Pair;
  /** Round the output size up: a last, partial window is kept if it starts inside the input. */
  ceilMode?: boolean;
}

/**
 * PyTorch's pooling_output_shape: with ceil_mode the size rounds up, but the last window must
 * start inside the input or the left padding.
 */
function outputSize(size: number, k: number, s: number, p: number, d: number, ceil: boolean) {
  const o = Math.floor((size + 2 * p - d * (k - 1) - 1 + (ceil ? s - 1 : 0)) / s) + 1;
  return ceil && (o - 1) * s >= size + p ? o - 1 : o;
}

/**
 * @internal Validated window geometry of a pooling op (PyTorch's pool2d_shape_check wording).
 * `padding` is [left, right, top, bottom] for pad(): ceil mode adds to the right and bottom
 * what the last partial window needs.
 */
export function poolGeometry(op: string, input: Tensor, kernelSize: Pair, options: PoolOptions) {
  if ((input.ndim !== 3 && input.ndim !== 4) || input.numel() === 0) {
    throw new ShapeError(
      `${op}: non-empty 3D or 4D (batch mode) tensor expected for input, but got: ${formatShape(input.shape)}`,
    );
  }
  const kernel = pair(kernelSize, "kernel_size", op);
  const stride = pair(options.stride ?? kernel, "stride", op);
  const padding = pair(options.padding ?? 0, "padding", op);
  const dilation = pair(options.dilation ?? 1, "dilation", op);
  // PyTorch's pooling_output_shape refuses a zero stride before the shape check does.
  if (stride.some((s) => s === 0)) throw new ValueError(`${op}: stride should not be zero`);
  if (kernel.some((k) => k <= 0))
    throw new ValueError(
      `${op}: kernel size should be greater than zero, but got kH: ${kernel[0]} kW: ${kernel[1]}`,
    );
  if (stride.some((s) => s <= 0))
    throw new ValueError(
      `${op}: stride should be greater than zero, but got dH: ${stride[0]} dW: ${stride[1]}`,
    );
  if (dilation.some((s) => s <= 0))
    throw new ValueError(
      `${op}: dilation should be greater than zero, but got dilationH: ${dilation[0]} dilationW: ${dilation[1]}`,
    );
  if (padding.some((p) => p < 0))
    throw new ValueError(
      `${op}: pad must be non-negative, but got pad: ${padding.find((p) => p < 0)}`,
    );
  const bad = padding.findIndex((p, i) => p > kernel[i]! / 2);
  if (bad >= 0) {
    throw new ValueError(
      `${op}: pad should be at most half of kernel size, but got pad=${padding[bad]} and kernel_size=${kernel[bad]}`,
    );
  }
  const ceil = options.ceilMode ?? false;
  const [H, W] = input.shape.slice(-2) as [number, number];
  const oH = outputSize(H, kernel[0], stride[0], padding[0], dilation[0], ceil);
  const oW = outputSize(W, kernel[1], stride[1], padding[1], dilation[1], ceil);
  const C = input.shape[input.ndim - 3]!;
  if (oH <= 0 || oW <= 0) {
    throw new ShapeError(
      `${op}: Given input size: (${C}x${H}x${W}). Calculated output size: (${C}x${oH}x${oW}). Output size is too small`,
    );
  }
  // Extra right/bottom padding so that the last (ceil mode) window fits.
  const extraH = Math.max(
    0,
    (oH - 1) * stride[0] + dilation[0] * (kernel[0] - 1) + 1 - (H + 2 * padding[0]),
  );
  const extraW = Math.max(
    0,
    (oW - 1) * stride[1] + dilation[1] * (kernel[1] - 1) + 1 - (W + 2 * padding[1]),
  );
  const spec: WindowSpec = { kernel, stride, dilation };
  const sides: [number, number, number, number] = [
    padding[1],
    padding[1] + extraW,
    padding[0],
    padding[0] + extraH,
  ];
  return { spec, padding: sides, oH, oW, extra: extraH + extraW > 0 };
}

/**
 * 2-D average pooling over [N, C, H, W] (or [C, H, W]). With `countIncludePad` (default, as
 * PyTorch) zero padding counts in each window's average; in ceil mode the part of the last
 * window beyond the padding never counts (PyTorch's divisor rule).
 *
 * @example
 * torch.avgPool2d(x, 2);
 */
export function avgPool2d(
  input: Tensor,
  kernelSize: Pair,
  options: Omit<PoolOptions, "dilation"> & {
    countIncludePad?: boolean;
    divisorOverride?: number;
  } = {},
): Tensor {
  checkTensor("avgPool2d", "input", input);
  const { spec, padding, oH, oW, extra } = poolGeometry("avg_pool2d", input, kernelSize, {
    ...options,
    dilation: 1,
  });
  const [H, W] = input.shape.slice(-2) as [number, number];
  const [l, , t] = padding;
  const nd = input.ndim;
  // [..., kH, kW, oH, oW] (zero padded) summed over the window dims.
  const sums = unfoldWindows(input, windows2d([H, W], spec, [t, l], [oH, oW])).sum([
    nd - 2,
    nd - 1,
  ]);
  const includePad = options.countIncludePad ?? true;
  const pooled = (out: Tensor): Tensor =>
    options.divisorOverride !== undefined
      ? traced("unsupported", [input], out, { op: "avg_pool2d with divisor_override" })
      : traced("avgPool", [input], out, {
          kernelSize: spec.kernel,
          stride: spec.stride,
          padding: [t, l],
          ceilMode: options.ceilMode ?? false,
          countIncludePad: includePad,
        });
  if (options.divisorOverride !== undefined) return pooled(sums.div(options.divisorOverride));
  if (includePad && !extra) return pooled(sums.div(spec.kernel[0] * spec.kernel[1]));
  // Divisor per window: its input cells, plus its padding cells when they count.
  // The part of a ceil-mode window beyond the padding is implicit zero padding here.
  const ones = emptyTensor([H, W], input.dtype).fill_(1);
  const region = pad(ones, [l, l, t, t], includePad ? 1 : 0);
  const size: [number, number] = [H + 2 * t, W + 2 * l];
  const counts = unfoldWindows(region, windows2d(size, spec, [0, 0], [oH, oW])).sum([0, 1]);
  return pooled(sums.div(counts));
}

/** PyTorch's adaptive pooling windows: [floor(i*in/out), ceil((i+1)*in/out)). */
function adaptiveAverageMatrix(inSize: number, outSize: number, like: Tensor): Tensor {
  const m = emptyTensor([outSize, inSize], like.dtype);
  const data = m.storage.data;
  for (let i = 0; i < outSize; i++) {
    const start = Math.floor((i * inSize) / outSize);
    const end = Math.ceil(((i + 1) * inSize) / outSize);
    for (let j = start; j < end; j++) data[i * inSize + j] = 1 / (end - start);
  }
  return m;
}

/**
 * 2-D adaptive average pooling to `outputSize` (a number, a pair, or null in a pair to keep that
 * size), as two averaging matrix products.
 *
 * @example
 * torch.adaptiveAvgPool2d(x, [1, 1]); // global average pooling
 */
export function adaptiveAvgPool2d(
  input: Tensor,
  outputSize: number | readonly [number | null, number | null],
): Tensor {
  checkTensor("adaptiveAvgPool2d", "input", input);
  if (input.ndim !== 3 && input.ndim !== 4) {
    throw new ShapeError(
      `adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got ${formatShape(input.shape)}`,
    );
  }
  const [H, W] = input.shape.slice(-2) as [number, number];
  if (H === 0 || W === 0)
    throw new ShapeError(
      `adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes ${formatShape(input.shape)}`,
    );
  const size = typeof outputSize === "number" ? [outputSize, outputSize] : outputSize;
  const oH = size[0] ?? H;
  const oW = size[1] ?? W;
  if (!(oH > 0 && oW > 0))
    throw new ValueError(
      `adaptive_avg_pool2d: output size must be positive, got ${JSON.stringify(outputSize)}`,
    );
  const rows = adaptiveAverageMatrix(H, oH, input);
  const cols = adaptiveAverageMatrix(W, oW, input);
  return traced("adaptiveAvgPool", [input], matmul(matmul(rows, input), cols.T), {
    outputSize: [oH, oW],
  });
}
