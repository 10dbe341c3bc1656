/**
 * Transposed convolution (the adjoint of conv2d in its input, "fractionally strided"
 * convolution), composed from existing differentiable ops: one batched matrix product of the
 * transposed weight with the input gives every output window's columns, and col2im (foldWindows)
 * sums the overlapping windows into the output plane. Gradients come from theirs.
 */
import { checkOptionalTensor, checkTensor } from "../validation/tensors.js";
import { DTypeError, ShapeError, ValueError } from "../errors.js";
import { formatShape } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { pair, type Pair } from "./conv.js";
import { matmul } from "./linalg.js";
import { foldWindows, windows2d } from "./unfold.js";

/** Options of convTranspose2d, as PyTorch's keyword arguments. */
export interface ConvTransposeOptions {
  stride?: Pair;
  /** Implicit zero padding removed from both sides of the output: dilation * (k - 1) - padding. */
  padding?: Pair;
  /** Extra size added to one side of the output (smaller than stride or dilation). */
  outputPadding?: Pair;
  groups?: number;
  dilation?: Pair;
}

/** Options of convTranspose1d: as convTranspose2d's, with single sizes. */
export interface ConvTranspose1dOptions {
  stride?: number;
  padding?: number;
  outputPadding?: number;
  groups?: number;
  dilation?: number;
}

/**
 * 2-D transposed convolution of input [N, C, H, W] (or [C, H, W]) with weight
 * [C, O / groups, kH, kW] and an optional bias [O] (torch.nn.functional.conv_transpose2d).
 * Output size per dim: (H - 1) * stride - 2 * padding + dilation * (k - 1) + outputPadding + 1.
 *
 * @example
 * nn.F.convTranspose2d(x, weight, null, { stride: 2, padding: 1, outputPadding: 1 });
 */
export function convTranspose2d(
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null = null,
  options: ConvTransposeOptions = {},
): Tensor {
  checkTensor("conv_transpose2d", "input", input);
  checkTensor("conv_transpose2d", "weight", weight);
  checkOptionalTensor("conv_transpose2d", "bias", bias);
  const op = "conv_transpose2d";
  if (input.ndim === 3) {
    return convTranspose2d(input.unsqueeze(0), weight, bias, options).squeeze(0);
  }
  if (input.ndim !== 4) {
    throw new ShapeError(
      `Expected 3D (unbatched) or 4D (batched) input to conv_transpose2d, but got input of size: ${formatShape(input.shape)}`,
    );
  }
  if (weight.ndim !== 4) {
    throw new ShapeError(
      `${op}: expected weight to be 4-dimensional, but got weight of size ${formatShape(weight.shape)}`,
    );
  }
  if (input.dtype !== weight.dtype || (bias && bias.dtype !== input.dtype)) {
    throw new DTypeError(
      `${op}: expected input, weight and bias to have the same dtype, but got input ${input.dtype}, weight ${weight.dtype}${bias ? `, bias ${bias.dtype}` : ""}`,
    );
  }
  const groups = options.groups ?? 1;
  const stride = pair(options.stride ?? 1, "stride", op);
  const padding = pair(options.padding ?? 0, "padding", op);
  const outPad = pair(options.outputPadding ?? 0, "output_padding", op);
  const dilation = pair(options.dilation ?? 1, "dilation", op);
  if (stride.some((s) => s <= 0)) throw new ValueError("non-positive stride is not supported");
  if (dilation.some((s) => s <= 0)) throw new ValueError("dilation should be greater than zero");
  if (padding.some((s) => s < 0)) throw new ValueError("negative padding is not supported");
  if (outPad.some((s) => s < 0)) throw new ValueError("negative output_padding is not supported");
  if (!Number.isInteger(groups) || groups <= 0)
    throw new ValueError("non-positive groups is not supported");
  const [N, C, H, W] = input.shape as [number, number, number, number];
  const [Cw, Og, kH, kW] = weight.shape as [number, number, number, number];
  if (C !== Cw || Cw % groups !== 0) {
    throw new ShapeError(
      `Given transposed=1, weight of size ${formatShape(weight.shape)}, expected input${formatShape(input.shape)} to have ${Cw} channels, but got ${C} channels instead`,
    );
  }
  const O = Og * groups;
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== O)) {
    throw new ShapeError(
      `Given transposed=1, weight of size ${formatShape(weight.shape)}, expected bias to be 1-dimensional with ${O} elements, but got bias of size ${formatShape(bias.shape)} instead`,
    );
  }
  if (outPad.some((p, i) => p >= stride[i]! && p >= dilation[i]!)) {
    throw new ValueError(
      `output padding must be smaller than either stride or dilation, but got output_padding_height: ${outPad[0]} output_padding_width: ${outPad[1]} stride_height: ${stride[0]} stride_width: ${stride[1]} dilation_height: ${dilation[0]} dilation_width: ${dilation[1]}`,
    );
  }
  const oH = (H - 1) * stride[0] - 2 * padding[0] + dilation[0] * (kH - 1) + outPad[0] + 1;
  const oW = (W - 1) * stride[1] - 2 * padding[1] + dilation[1] * (kW - 1) + outPad[1] + 1;
  if (oH < 1 || oW < 1) {
    throw new ShapeError(
      `Given input size per channel: (${H} x ${W}). Calculated output size per channel: (${oH} x ${oW}). Output size is too small`,
    );
  }
  const Cg = C / groups;
  // cols[n, g] = weight[g]^T @ x[n, g]: [O/g * kH * kW, H * W], the output window at each input
  // position; col2im adds the windows (which overlap when stride < kernel) into [oH, oW].
  const x = input.reshape(N, groups, Cg, H * W);
  const w = weight.reshape(groups, Cg, Og * kH * kW).transpose(1, 2);
  const cols = matmul(w, x).reshape(N, O, kH, kW, H, W);
  const windows = windows2d([oH, oW], { kernel: [kH, kW], stride, dilation }, padding, [H, W]);
  let out = foldWindows(cols, windows);
  if (bias) out = out.add(bias.reshape(1, O, 1, 1));
  return out;
}

/**
 * 1-D transposed convolution of input [N, C, L] (or [C, L]) with weight [C, O / groups, k]
 * (torch.nn.functional.conv_transpose1d).
 *
 * @example
 * nn.F.convTranspose1d(x, weight, bias, { stride: 2 });
 */
export function convTranspose1d(
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null = null,
  options: ConvTranspose1dOptions = {},
): Tensor {
  checkTensor("conv_transpose1d", "input", input);
  checkTensor("conv_transpose1d", "weight", weight);
  checkOptionalTensor("conv_transpose1d", "bias", bias);
  if (input.ndim === 2) {
    return convTranspose1d(input.unsqueeze(0), weight, bias, options).squeeze(0);
  }
  if (input.ndim !== 3) {
    throw new ShapeError(
      `Expected 2D (unbatched) or 3D (batched) input to conv_transpose1d, but got input of size: ${formatShape(input.shape)}`,
    );
  }
  if (weight.ndim !== 3) {
    throw new ShapeError(
      `conv_transpose1d: expected weight to be 3-dimensional, but got weight of size ${formatShape(weight.shape)}`,
    );
  }
  const out = convTranspose2d(input.unsqueeze(2), weight.unsqueeze(2), bias, {
    stride: [1, options.stride ?? 1],
    padding: [0, options.padding ?? 0],
    outputPadding: [0, options.outputPadding ?? 0],
    dilation: [1, options.dilation ?? 1],
    groups: options.groups ?? 1,
  });
  return out.squeeze(2);
}
