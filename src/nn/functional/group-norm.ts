import { checkTensor } from "../../validation/tensors.js";
import { checkNumber } from "../../validation/arguments.js";
import { IndexError, ShapeError } from "../../errors.js";
import { formatShape } from "../../tensor/shape.js";
import type { Tensor } from "../../tensor/tensor.js";

/** Options of `groupNorm`. */
export interface GroupNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  eps?: number;
}

/**
 * Group normalization (torch.nn.functional.group_norm): the channels of x [N, C, *] split into
 * `numGroups` groups, each normalised over its channels and spatial positions by its mean and
 * biased variance, then scaled and shifted per channel by weight and bias [C].
 *
 * @example
 * nn.F.groupNorm(x, 2, { weight, bias, eps: 1e-5 });
 */
export function groupNorm(x: Tensor, numGroups: number, options: GroupNormOptions = {}): Tensor {
  checkTensor("group_norm", "input", x);
  checkNumber("group_norm", "num_groups", numGroups, { integer: true });
  if (x.ndim < 2) {
    // PyTorch reads input.size(1) first.
    const n = Math.max(x.ndim, 1);
    throw new IndexError(
      `Dimension out of range (expected to be in range of [-${n}, ${n - 1}], but got 1)`,
    );
  }
  const [N, C] = x.shape as [number, number];
  if (!Number.isInteger(numGroups) || numGroups <= 0 || C % numGroups !== 0) {
    throw new ShapeError(
      `Expected number of channels in input to be divisible by num_groups, but got input of shape ${formatShape(x.shape)} and num_groups=${numGroups}`,
    );
  }
  for (const [what, t] of [
    ["weight", options.weight],
    ["bias", options.bias],
  ] as const) {
    if (t && (t.ndim !== 1 || t.shape[0] !== C)) {
      throw new ShapeError(
        `Expected ${what} to be a vector of size equal to the number of channels in input, but got ${what} of shape ${formatShape(t.shape)} and input of shape ${formatShape(x.shape)}`,
      );
    }
  }
  const grouped = x.reshape(N, numGroups, -1);
  const mean = grouped.mean(2, true);
  const centered = grouped.sub(mean);
  const variance = centered.mul(centered).mean(2, true);
  let out = centered.mul(variance.add(options.eps ?? 1e-5).rsqrt()).reshape(x.shape);
  const perChannel = [1, C, ...new Array<number>(x.ndim - 2).fill(1)];
  if (options.weight) out = out.mul(options.weight.reshape(perChannel));
  if (options.bias) out = out.add(options.bias.reshape(perChannel));
  return out;
}
