import { NotImplementedError, ShapeError, ValueError } from "../errors.js";
import { formatShape } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { pair, type Pair } from "./conv.js";
import { matmul } from "./linalg.js";
import { pad } from "./pad.js";
import { emptyTensor } from "./support.js";
import { unfoldWindows, windowCount, type WindowSpec } from "./unfold.js";

/** Options of the 2-D pooling ops, as PyTorch's keyword arguments. */
export interface PoolOptions {
  /** Default: the kernel size. */
  stride?: Pair | null;
  padding?: Pair;
  dilation?: Pair;
  ceilMode?: boolean;
}

/** @internal Validated window geometry and padding of a pooling op. */
export function poolGeometry(op: string, input: Tensor, kernelSize: Pair, options: PoolOptions) {
  if (input.ndim !== 3 && input.ndim !== 4) {
    throw new ShapeError(
      `${op}: Expected 3D or 4D (batch mode) tensor for input, but got: ${formatShape(input.shape)}`,
    );
  }
  if (options.ceilMode) throw new NotImplementedError(`${op}: ceilMode is not supported yet`);
  const kernel = pair(kernelSize, "kernel_size", op);
  const stride = pair(options.stride ?? kernel, "stride", op);
  const padding = pair(options.padding ?? 0, "padding", op);
  const dilation = pair(options.dilation ?? 1, "dilation", op);
  if (kernel.some((k) => k <= 0))
    throw new ValueError(
      `${op}: kernel_size must be greater than zero, but got ${JSON.stringify(kernelSize)}`,
    );
  if (stride.some((s) => s <= 0))
    throw new ValueError(
      `${op}: stride must be greater than zero, but got ${JSON.stringify(options.stride)}`,
    );
  if (padding.some((p, i) => p < 0 || p > kernel[i]! / 2)) {
    throw new ValueError(
      `${op}: pad should be at most half of effective kernel size, but got pad=${padding[0]}, kernel_size=${kernel[0]} and dilation=${dilation[0]}`,
    );
  }
  const [H, W] = input.shape.slice(-2) as [number, number];
  const oH = windowCount(H + 2 * padding[0], kernel[0], stride[0], dilation[0]);
  const oW = windowCount(W + 2 * padding[1], kernel[1], stride[1], dilation[1]);
  if (oH <= 0 || oW <= 0) {
    throw new ShapeError(
      `${op}: Given input size: (${input.shape.slice(0, -2).slice(-1)}x${H}x${W}). Calculated output size: (${input.shape.slice(0, -2).slice(-1)}x${oH}x${oW}). Output size is too small`,
    );
  }
  const spec: WindowSpec = { kernel, stride, dilation };
  return { spec, padding, oH, oW };
}

/**
 * 2-D average pooling over [N, C, H, W] (or [C, H, W]). With `countIncludePad` (default, as
 * PyTorch) zero padding counts in each window's average.
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
  const { spec, padding } = poolGeometry("avg_pool2d", input, kernelSize, options);
  const padded = padding.some((p) => p !== 0)
    ? pad(input, [padding[1], padding[1], padding[0], padding[0]])
    : input;
  const nd = input.ndim;
  // [..., kH, kW, oH, oW] summed over the window dims.
  const sums = unfoldWindows(padded, spec).sum([nd - 2, nd - 1]);
  if (options.divisorOverride !== undefined) return sums.div(options.divisorOverride);
  if (options.countIncludePad ?? true) return sums.div(spec.kernel[0] * spec.kernel[1]);
  const ones = emptyTensor(input.shape.slice(-2), input.dtype).fill_(1);
  const counts = unfoldWindows(
    pad(ones, [padding[1], padding[1], padding[0], padding[0]]),
    spec,
  ).sum([0, 1]);
  return sums.div(counts);
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
  return matmul(matmul(rows, input), cols.T);
}
