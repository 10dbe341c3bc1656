import { checkIntList } from "../validation/arguments.js";
import { DTypeError, ShapeError, ValueError } from "../errors.js";
import { formatShape } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { matmul } from "./linalg.js";
import { traced } from "./trace.js";
import { unfoldWindows, windowCount, windows2d, type WindowSpec } from "./unfold.js";
import { checkTensor } from "../validation/tensors.js";

/** A size given for both spatial dims or per dim. */
export type Pair = number | readonly [number, number];

/** Options of conv1d/conv2d, as PyTorch's keyword arguments. */
export interface ConvOptions {
  stride?: Pair;
  /** Zero padding per side, or "valid" (none) or "same" (output size = input size; stride 1 only). */
  padding?: Pair | "same" | "valid";
  dilation?: Pair;
  groups?: number;
}

export function pair(v: Pair, name: string, op: string): [number, number] {
  if (typeof v !== "number") checkIntList(op, name, v);
  const p: [number, number] = typeof v === "number" ? [v, v] : [v[0], v[1]];
  if (!p.every((x) => Number.isInteger(x)))
    throw new ValueError(`${op}: ${name} must be integers, got ${JSON.stringify(v)}`);
  return p;
}

/**
 * 2-D convolution (cross-correlation, as PyTorch) of input [N, C, H, W] (or [C, H, W]) with
 * weight [O, C / groups, kH, kW] and an optional bias [O]. Built from im2col windows and one
 * batched matrix product, so the gradient comes from theirs.
 *
 * @example
 * torch.conv2d(x, weight, bias, { stride: 1, padding: "same" });
 */
export function conv2d(
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null = null,
  options: ConvOptions = {},
): Tensor {
  checkTensor("conv2d", "input", input);
  checkTensor("conv2d", "weight", weight);
  const op = "conv2d";
  if (input.ndim === 3) return conv2d(input.unsqueeze(0), weight, bias, options).squeeze(0);
  if (input.ndim !== 4) {
    throw new ShapeError(
      `Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: ${formatShape(input.shape)}`,
    );
  }
  if (weight.ndim !== 4)
    throw new ShapeError(
      `${op}: expected weight to be 4-dimensional, but got weight of size ${formatShape(weight.shape)}`,
    );
  if (input.dtype !== weight.dtype || (bias && bias.dtype !== input.dtype)) {
    throw new DTypeError(
      `${op}: expected input, weight and bias to have the same dtype, but got input ${input.dtype}, weight ${weight.dtype}${bias ? `, bias ${bias.dtype}` : ""}`,
    );
  }
  const groups = options.groups ?? 1;
  const stride = pair(options.stride ?? 1, "stride", op);
  const dilation = pair(options.dilation ?? 1, "dilation", op);
  if (stride.some((s) => s <= 0)) throw new ValueError("non-positive stride is not supported");
  if (dilation.some((s) => s <= 0)) throw new ValueError("dilation should be greater than zero");
  if (!Number.isInteger(groups) || groups <= 0)
    throw new ValueError("non-positive groups is not supported");
  const [N, C, H, W] = input.shape as [number, number, number, number];
  const [O, Cg, kH, kW] = weight.shape as [number, number, number, number];
  if (C !== Cg * groups) {
    throw new ShapeError(
      `Given groups=${groups}, weight of size ${formatShape(weight.shape)}, expected input${formatShape(input.shape)} to have ${Cg * groups} channels, but got ${C} channels instead`,
    );
  }
  if (O % groups !== 0)
    throw new ShapeError(`${op}: out_channels (${O}) must be divisible by groups (${groups})`);
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== O)) {
    throw new ShapeError(
      `Given weight of size ${formatShape(weight.shape)}, expected bias to be 1-dimensional with ${O} elements, but got bias of size ${formatShape(bias.shape)} instead`,
    );
  }
  // Padding as [left, right, top, bottom] for pad().
  let padding: [number, number, number, number];
  const p = options.padding ?? 0;
  if (p === "valid") padding = [0, 0, 0, 0];
  else if (p === "same") {
    if (stride.some((s) => s !== 1))
      throw new ValueError("padding='same' is not supported for strided convolutions");
    const totalH = dilation[0] * (kH - 1);
    const totalW = dilation[1] * (kW - 1);
    // PyTorch pads the extra element of an odd total on the right/bottom.
    padding = [
      Math.floor(totalW / 2),
      totalW - Math.floor(totalW / 2),
      Math.floor(totalH / 2),
      totalH - Math.floor(totalH / 2),
    ];
  } else {
    const [ph, pw] = pair(p, "padding", op);
    if (ph < 0 || pw < 0) throw new ValueError("negative padding is not supported");
    padding = [pw, pw, ph, ph];
  }
  const paddedH = H + padding[2] + padding[3];
  const paddedW = W + padding[0] + padding[1];
  const effKH = dilation[0] * (kH - 1) + 1;
  const effKW = dilation[1] * (kW - 1) + 1;
  if (paddedH < effKH || paddedW < effKW) {
    throw new ShapeError(
      `Calculated padded input size per channel: (${paddedH} x ${paddedW}). Kernel size: (${effKH} x ${effKW}). Kernel size can't be greater than actual input size`,
    );
  }
  const spec: WindowSpec = { kernel: [kH, kW], stride, dilation };
  const oH = windowCount(paddedH, kH, stride[0], dilation[0]);
  const oW = windowCount(paddedW, kW, stride[1], dilation[1]);
  // im2col pads implicitly: only the top/left padding and the output size are needed.
  const windows = windows2d([H, W], spec, [padding[2], padding[0]], [oH, oW]);
  const K = Cg * kH * kW;
  // [N, C, kH, kW, oH, oW] -> [N, groups, C/groups * kH * kW, oH * oW]
  const cols = unfoldWindows(input, windows).reshape(N, groups, K, oH * oW);
  const w = weight.reshape(groups, O / groups, K);
  let out = matmul(w, cols).reshape(N, O, oH, oW);
  if (bias) out = out.add(bias.reshape(1, O, 1, 1));
  return traced("conv", bias ? [input, weight, bias] : [input, weight], out, {
    stride,
    pads: [padding[2], padding[0], padding[3], padding[1]],
    dilation,
    groups,
  });
}

/** Options of conv1d: as conv2d's, with single sizes. */
export interface Conv1dOptions {
  stride?: number;
  padding?: number | "same" | "valid";
  dilation?: number;
  groups?: number;
}

/**
 * 1-D convolution of input [N, C, L] (or [C, L]) with weight [O, C / groups, k].
 *
 * @example
 * torch.conv1d(x, weight, bias, { padding: 1 });
 */
export function conv1d(
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null = null,
  options: Conv1dOptions = {},
): Tensor {
  checkTensor("conv1d", "input", input);
  checkTensor("conv1d", "weight", weight);
  if (input.ndim === 2) return conv1d(input.unsqueeze(0), weight, bias, options).squeeze(0);
  if (input.ndim !== 3) {
    throw new ShapeError(
      `Expected 2D (unbatched) or 3D (batched) input to conv1d, but got input of size: ${formatShape(input.shape)}`,
    );
  }
  if (weight.ndim !== 3)
    throw new ShapeError(
      `conv1d: expected weight to be 3-dimensional, but got weight of size ${formatShape(weight.shape)}`,
    );
  const p = options.padding ?? 0;
  const out = conv2d(input.unsqueeze(2), weight.unsqueeze(2), bias, {
    stride: [1, options.stride ?? 1],
    padding: typeof p === "number" ? [0, p] : p,
    dilation: [1, options.dilation ?? 1],
    groups: options.groups ?? 1,
  });
  return out.squeeze(2);
}
