/**
 * Max pooling, composed from differentiable ops: pad with -Infinity, unfold the windows, pick one
 * position per window, and gather it (so the gradient goes to that position only, as PyTorch's
 * max_pool2d_with_indices_backward).
 */
import { noGrad } from "../autograd/grad-mode.js";
import { DTypeError, ShapeError } from "../errors.js";
import { isFloatingPoint, type DType } from "../tensor/dtype.js";
import { formatShape } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import type { Pair } from "./conv.js";
import { where } from "./binary.js";
import { pad } from "./pad.js";
import { avgPool2d, poolGeometry, type PoolOptions } from "./pool.js";
import { emptyTensor } from "./support.js";
import { unfoldWindows, type WindowSpec } from "./unfold.js";

/** Options of maxPool2d (PyTorch's keyword arguments). */
export interface MaxPoolOptions extends PoolOptions {
  /** Also return each maximum's flat index h * W + w into its input plane. */
  returnIndices?: boolean;
}

/** What maxPool with `returnIndices` gives: `[values, indices]`, also as fields. */
export type PooledIndices = [Tensor, Tensor] & { values: Tensor; indices: Tensor };

const PYTORCH_NAMES: Record<DType, string> = {
  float32: "Float",
  float64: "Double",
  int32: "Long",
  bool: "Bool",
};

/**
 * 2-D max pooling over [N, C, H, W] (or [C, H, W]). As PyTorch, each window's maximum is its
 * FIRST largest element in row-major window order, except that NaN wins (the last NaN of the
 * window); the gradient goes to that element only.
 *
 * @example
 * torch.maxPool2d(x, 2);
 * const [values, indices] = torch.maxPool2d(x, 3, { stride: 2, padding: 1, returnIndices: true });
 */
export function maxPool2d(
  input: Tensor,
  kernelSize: Pair,
  options: MaxPoolOptions & { returnIndices: true },
): PooledIndices;
export function maxPool2d(
  input: Tensor,
  kernelSize: Pair,
  options?: MaxPoolOptions & { returnIndices?: false },
): Tensor;
export function maxPool2d(
  input: Tensor,
  kernelSize: Pair,
  options?: MaxPoolOptions,
): Tensor | PooledIndices;
export function maxPool2d(
  input: Tensor,
  kernelSize: Pair,
  options: MaxPoolOptions = {},
): Tensor | PooledIndices {
  if (!isFloatingPoint(input.dtype))
    throw new DTypeError(`"max_pool2d" not implemented for '${PYTORCH_NAMES[input.dtype]}'`);
  const { spec, padding, oH, oW } = poolGeometry("max_pool2d", input, kernelSize, options);
  const nd = input.ndim;
  const [H, W] = input.shape.slice(-2) as [number, number];
  const K = spec.kernel[0] * spec.kernel[1];
  const lead = input.shape.slice(0, -2);
  const padded = padding.some((p) => p !== 0) ? pad(input, padding, -Infinity) : input;
  // [..., K, oH, oW]: window position p = kh * kW + kw, row-major as PyTorch scans it.
  const windows = unfoldWindows(padded, spec).reshape([...lead, K, oH, oW]);
  const table = positionTable(H, W, padding, spec, oH, oW);
  const choice = noGrad(() => chooseInWindows(windows, table, nd - 2));
  const values = windows.gather(nd - 2, choice).squeeze(nd - 2);
  if (!(options.returnIndices ?? false)) return values;
  const indices = noGrad(() =>
    table
      .expand([...lead, K, oH, oW])
      .gather(nd - 2, choice)
      .squeeze(nd - 2),
  );
  return Object.assign([values, indices] as [Tensor, Tensor], { values, indices });
}

/**
 * The window position PyTorch's loop keeps: `val > maxval || isnan(val)` scanning in order from
 * maxval = -inf and the first in-input position. So ties give the first, NaN the last NaN, and
 * a window of -inf (and padding) its first position inside the input.
 */
function chooseInWindows(windows: Tensor, table: Tensor, dim: number): Tensor {
  const [best, first] = windows.max(dim, true);
  const data = best.contiguous().storage.data;
  let special = false;
  for (let i = 0; i < data.length && !special; i++) special = !(data[i]! > -Infinity);
  if (!special) return first;
  const K = windows.shape[dim]!;
  const pos = emptyTensor([K, 1, 1], "int32");
  for (let p = 0; p < K; p++) pos.storage.data[p] = p;
  const lastNaN = where(windows.isnan(), pos, -1).amax(dim, true);
  // Padding positions hold -1 in the table: the first position inside the input.
  const firstInside = where(table.ge(0), pos, K).amin(0, true);
  return where(best.isnan(), lastNaN, where(best.eq(-Infinity), firstInside, first));
}

/** [K, oH, oW] int32: each window position's flat input index h * W + w, or -1 in padding. */
function positionTable(
  H: number,
  W: number,
  padding: readonly [number, number, number, number],
  spec: WindowSpec,
  oH: number,
  oW: number,
): Tensor {
  const [kH, kW] = spec.kernel;
  const [left, , top] = padding;
  const out = emptyTensor([kH * kW, oH, oW], "int32");
  const data = out.storage.data;
  let i = 0;
  for (let a = 0; a < kH; a++)
    for (let b = 0; b < kW; b++)
      for (let p = 0; p < oH; p++)
        for (let q = 0; q < oW; q++) {
          const h = p * spec.stride[0] + a * spec.dilation[0] - top;
          const w = q * spec.stride[1] + b * spec.dilation[1] - left;
          data[i++] = h >= 0 && h < H && w >= 0 && w < W ? h * W + w : -1;
        }
  return out;
}

/** Options of the 1-D pooling ops: as the 2-D ones, with single sizes. */
export interface Pool1dOptions {
  stride?: number | null;
  padding?: number;
  dilation?: number;
  ceilMode?: boolean;
}

function check1d(op: string, input: Tensor): void {
  if (input.ndim !== 2 && input.ndim !== 3) {
    throw new ShapeError(
      `${op}: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, but got:${formatShape(input.shape)}`,
    );
  }
}

/** A 1-D size as the [1, k] pair of the 2-D op that computes it. */
function as2d(options: Pool1dOptions): PoolOptions {
  return {
    stride: options.stride == null ? null : [1, options.stride],
    padding: [0, options.padding ?? 0],
    dilation: [1, options.dilation ?? 1],
    ceilMode: options.ceilMode ?? false,
  };
}

/**
 * 1-D max pooling over [N, C, L] (or [C, L]), through maxPool2d on [N, C, 1, L].
 *
 * @example
 * torch.maxPool1d(x, 2);
 */
export function maxPool1d(
  input: Tensor,
  kernelSize: number,
  options: Pool1dOptions & { returnIndices: true },
): PooledIndices;
export function maxPool1d(
  input: Tensor,
  kernelSize: number,
  options?: Pool1dOptions & { returnIndices?: false },
): Tensor;
export function maxPool1d(
  input: Tensor,
  kernelSize: number,
  options: Pool1dOptions & { returnIndices?: boolean } = {},
): Tensor | PooledIndices {
  check1d("max_pool1d", input);
  const opts: PoolOptions = as2d(options);
  const stride = opts.stride ?? [1, kernelSize];
  const [values, indices] = maxPool2d(input.unsqueeze(-2), [1, kernelSize], {
    ...opts,
    stride,
    returnIndices: true,
  });
  const v = values.squeeze(-2);
  if (!(options.returnIndices ?? false)) return v;
  const i = indices.squeeze(-2);
  return Object.assign([v, i] as [Tensor, Tensor], { values: v, indices: i });
}

/**
 * 1-D average pooling over [N, C, L] (or [C, L]), through avgPool2d on [N, C, 1, L].
 *
 * @example
 * torch.avgPool1d(x, 3, { stride: 2 });
 */
export function avgPool1d(
  input: Tensor,
  kernelSize: number,
  options: Omit<Pool1dOptions, "dilation"> & { countIncludePad?: boolean } = {},
): Tensor {
  check1d("avg_pool1d", input);
  const opts = as2d(options);
  return avgPool2d(input.unsqueeze(-2), [1, kernelSize], {
    stride: opts.stride ?? [1, kernelSize],
    padding: opts.padding!,
    ceilMode: opts.ceilMode!,
    countIncludePad: options.countIncludePad ?? true,
  }).squeeze(-2);
}
