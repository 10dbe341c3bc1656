/**
 * Max pooling: the backend's maxPool2d kernel finds each window's maximum and its flat index, and
 * the gradient is scattered back to those positions (PyTorch's max_pool2d_with_indices and its
 * backward).
 */
import { getBackend } from "../backend/registry.js";
import { DTypeError, ShapeError } from "../errors.js";
import { isFloatingPoint, type DType } from "../tensor/dtype.js";
import { formatShape, numel } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import type { Pair } from "./conv.js";
import { scatterAdd } from "./indexing.js";
import { avgPool2d, poolGeometry, type PoolOptions } from "./pool.js";
import { emptyTensor, record } from "./support.js";
import { traced } from "./trace.js";
import { planesView, windows2d } from "./unfold.js";
import { checkTensor } from "../validation/tensors.js";

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
  checkTensor("maxPool2d", "input", input);
  if (!isFloatingPoint(input.dtype))
    throw new DTypeError(`"max_pool2d" not implemented for '${PYTORCH_NAMES[input.dtype]}'`);
  const { spec, padding, oH, oW } = poolGeometry("max_pool2d", input, kernelSize, options);
  const [H, W] = input.shape.slice(-2) as [number, number];
  const lead = input.shape.slice(0, -2);
  const windows = windows2d([H, W], spec, [padding[2], padding[0]], [oH, oW]);
  const values = emptyTensor([...lead, oH, oW], input.dtype);
  const indices = emptyTensor([...lead, oH, oW], "int32");
  getBackend().maxPool2d(
    planesView(input),
    windows,
    values.storage.data,
    indices.storage.data as Int32Array,
  );
  // The gradient goes to each window's maximum only: a scatter-add at the flat indices, which is
  // differentiable in the gradient (its backward is a gather), so double backward works.
  const P = numel(lead);
  const out = record("MaxPool2DWithIndicesBackward0", values, [input], (g) => [
    scatterAdd(
      emptyTensor([P, H * W], g.dtype),
      1,
      indices.reshape([P, oH * oW]),
      g.reshape([P, oH * oW]),
    ).reshape(input.shape),
  ]);
  traced("maxPool", [input], out, {
    kernelSize: spec.kernel,
    stride: spec.stride,
    padding: [padding[2], padding[0]],
    dilation: spec.dilation,
    ceilMode: options.ceilMode ?? false,
  });
  if (!(options.returnIndices ?? false)) return out;
  // ONNX numbers MaxPool's indices over the whole tensor, not per plane: no mapping.
  traced("unsupported", [input], indices, { op: "max_pool2d_with_indices" });
  return Object.assign([out, indices] as [Tensor, Tensor], { values: out, indices });
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
  checkTensor("maxPool1d", "input", input);
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
  checkTensor("avgPool1d", "input", input);
  check1d("avg_pool1d", input);
  const opts = as2d(options);
  return avgPool2d(input.unsqueeze(-2), [1, kernelSize], {
    stride: opts.stride ?? [1, kernelSize],
    padding: opts.padding!,
    ceilMode: opts.ceilMode!,
    countIncludePad: options.countIncludePad ?? true,
  }).squeeze(-2);
}
