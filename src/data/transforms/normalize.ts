/** Normalize: (x - mean) / std per channel, as torchvision's. */
import { DTypeError, ShapeError, ValueError } from "../../errors.js";
import { tensor } from "../../tensor/create.js";
import type { Tensor } from "../../tensor/tensor.js";
import { formatShape } from "../../tensor/shape.js";
import { torchName } from "../../tensor/dtype.js";
import "../../ops/index.js";
import type { Transform } from "./compose.js";
import { checkTensor } from "../../validation/tensors.js";

/**
 * Normalizes a float tensor image [..., C, H, W] channel by channel: `(x - mean[c]) / std[c]`
 * in the tensor's dtype (torchvision.transforms.Normalize). With `inplace` the input is
 * overwritten.
 *
 * @example
 * transforms.Normalize([0.1307], [0.3081]); // MNIST's mean and std
 */
export function Normalize(
  mean: number | readonly number[],
  std: number | readonly number[],
  options: { inplace?: boolean } = {},
): Transform<Tensor, Tensor> {
  return (x) => normalize(x, mean, std, options);
}

/**
 * Normalize as a function (torchvision.transforms.functional.normalize).
 *
 * @example
 * const y = torch.data.transforms.normalize(img, [0.5], [0.5]);
 */
export function normalize(
  x: Tensor,
  mean: number | readonly number[],
  std: number | readonly number[],
  options: { inplace?: boolean } = {},
): Tensor {
  checkTensor("normalize", "input", x);
  if (x.dtype !== "float32" && x.dtype !== "float64") {
    throw new DTypeError(`Input tensor should be a float tensor. Got ${torchName(x.dtype)}.`);
  }
  if (x.ndim < 3) {
    throw new ShapeError(
      `Expected tensor to be a tensor image of size (..., C, H, W). Got tensor.size() = ${formatShape(x.shape)}`,
    );
  }
  const m = tensor(typeof mean === "number" ? mean : [...mean], { dtype: x.dtype });
  const s = tensor(typeof std === "number" ? std : [...std], { dtype: x.dtype });
  if (s.toArray().some((v) => v === 0)) {
    throw new ValueError(
      `std evaluated to zero after conversion to ${torchName(x.dtype)}, leading to division by zero.`,
    );
  }
  const m3 = m.ndim === 1 ? m.view(-1, 1, 1) : m;
  const s3 = s.ndim === 1 ? s.view(-1, 1, 1) : s;
  if (!options.inplace) return x.sub(m3).div(s3);
  return x.sub_(m3).div_(s3);
}
