/** The functional forms of nn's layers (torch.nn.functional.linear, dropout, layer_norm, ...). */
import { checkIntList, checkNumber } from "../../validation/arguments.js";
import { noGrad } from "../../autograd/grad-mode.js";
import { IndexError, ShapeError, DTypeError, ValueError } from "../../errors.js";
import { where } from "../../ops/binary.js";
import { addmmLinear } from "../../ops/linalg.js";
import { traced } from "../../ops/trace.js";
import { zeros } from "../../tensor/create.js";
import { isFloatingPoint } from "../../tensor/dtype.js";
import { numel } from "../../tensor/shape.js";
import type { Tensor } from "../../tensor/tensor.js";
import { bernoulliFill } from "../init-random.js";
import { torchSize } from "../state-dict.js";
import { checkOptionalTensor, checkTensor } from "../../validation/tensors.js";

/**
 * x @ weight^T + bias over the last dim of x (torch.nn.functional.linear).
 *
 * @example
 * F.linear(x, weight, bias); // x [N, in], weight [out, in] -> [N, out]
 */
export function linear(x: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  checkTensor("linear", "input", x);
  checkTensor("linear", "weight", weight);
  // A batch of vectors with a bias (every Linear layer in training) is one fused op, as PyTorch's
  // addmm; anything else, including every error case, takes the composite below.
  if (
    bias !== null &&
    x.ndim === 2 &&
    weight.ndim === 2 &&
    bias.ndim === 1 &&
    x.shape[1] === weight.shape[1] &&
    bias.shape[0] === weight.shape[0] &&
    isFloatingPoint(x.dtype) &&
    x.dtype === weight.dtype &&
    x.dtype === bias.dtype
  ) {
    return addmmLinear(x, weight, bias);
  }
  // Flatten leading dims so that a wrong feature size gives mm's "mat1 and mat2" message.
  const lead = x.shape.slice(0, -1);
  const out2d = x.ndim > 2 ? x.reshape(-1, x.shape[x.ndim - 1]!).matmul(weight.t()) : null;
  let out = out2d ? out2d.reshape([...lead, weight.shape[0]!]) : x.matmul(weight.t());
  if (bias !== null) out = out.add(bias);
  return traced("linear", bias === null ? [x, weight] : [x, weight, bias], out, {});
}

/** The functional dropouts' keywords. */
export interface DropoutOptions {
  p?: number;
  training?: boolean;
}

/** PyTorch's `dropout(x, p, training)` positionally, or its keywords as an object. */
function dropoutOptions(p: number | DropoutOptions, training?: boolean): DropoutOptions {
  return typeof p === "number" ? { p, training } : p;
}

/** Checks a dropout probability with PyTorch's message. */
export function checkDropoutP(p: number): void {
  checkNumber("dropout", "p", p);
  if (!(p >= 0 && p <= 1)) {
    throw new ValueError(`dropout probability has to be between 0 and 1, but got ${p}`);
  }
}

/**
 * Zeroes each element with probability `p` and scales the rest by 1/(1-p) when `training`;
 * the identity otherwise (torch.nn.functional.dropout).
 *
 * @example
 * F.dropout(x, { p: 0.2, training: true }); F.dropout(x, 0.2, this.training);
 */
export function dropout(
  x: Tensor,
  pOrOptions: number | DropoutOptions = {},
  training?: boolean,
): Tensor {
  checkTensor("dropout", "input", x);
  const options = dropoutOptions(pOrOptions, training);
  const p = options.p ?? 0.5;
  checkDropoutP(p);
  if (!(options.training ?? true) || p === 0) return x;
  if (!isFloatingPoint(x.dtype)) {
    throw new DTypeError(`dropout: expected a floating point input, got ${x.dtype}`);
  }
  if (p === 1) return x.mul(0);
  const mask = noGrad(() => bernoulliFill(zeros(x.shape, { dtype: x.dtype }), 1 - p));
  return x.mul(mask.div(1 - p));
}

/**
 * Zeroes whole channels: each (sample, channel) slice is kept with probability 1 - p and scaled
 * by 1/(1-p) (torch.nn.functional.dropout2d). As PyTorch 1.13's feature_dropout, the noise has
 * shape [d0, d1, 1, ...], drawn as `empty.bernoulli_(1 - p).div_(1 - p)`, so the masks match
 * PyTorch's for the same seed. Like PyTorch 1.13, a 3-D input is read as [N, C, L] (not as an
 * unbatched [C, H, W]); see https://github.com/pytorch/pytorch/issues/77081.
 *
 * @example
 * F.dropout2d(x, { p: 0.25, training: true }); // x [N, C, H, W]
 */
export function dropout2d(
  x: Tensor,
  pOrOptions: number | DropoutOptions = {},
  training?: boolean,
): Tensor {
  checkTensor("dropout2d", "input", x);
  const options = dropoutOptions(pOrOptions, training);
  const p = options.p ?? 0.5;
  checkDropoutP(p);
  if (!(options.training ?? true) || p === 0 || x.numel() === 0) return x;
  if (x.ndim < 2)
    throw new ShapeError("Feature dropout requires at least 2 dimensions in the input");
  if (!isFloatingPoint(x.dtype)) {
    throw new DTypeError(`dropout2d: expected a floating point input, got ${x.dtype}`);
  }
  if (p === 1) return x.mul(0);
  const shape = x.shape.map((s, d) => (d < 2 ? s : 1));
  const noise = noGrad(() => bernoulliFill(zeros(shape, { dtype: x.dtype }), 1 - p).div(1 - p));
  return x.mul(noise);
}

/**
 * Normalises over the trailing `normalizedShape` dims with biased variance, then scales by
 * `weight` and shifts by `bias` (torch.nn.functional.layer_norm).
 *
 * @example
 * F.layerNorm(x, [4], { weight, bias, eps: 1e-5 });
 */
export function layerNorm(
  x: Tensor,
  normalizedShape: readonly number[],
  options: { weight?: Tensor | null; bias?: Tensor | null; eps?: number } = {},
): Tensor {
  checkTensor("layerNorm", "input", x);
  checkIntList("layer_norm", "normalized_shape", normalizedShape);
  const k = normalizedShape.length;
  const tail = x.shape.slice(x.ndim - k);
  if (k === 0 || x.ndim < k || tail.some((s, i) => s !== normalizedShape[i])) {
    throw new ShapeError(
      `Given normalized_shape=[${normalizedShape.join(", ")}], expected input with shape ` +
        `[*, ${normalizedShape.join(", ")}], but got input of size[${x.shape.join(", ")}]`,
    );
  }
  const dims = Array.from({ length: k }, (_, i) => x.ndim - k + i);
  const mean = x.mean(dims, true);
  const centered = x.sub(mean);
  const variance = centered.mul(centered).mean(dims, true);
  let out = centered.mul(variance.add(options.eps ?? 1e-5).rsqrt());
  if (options.weight) out = out.mul(options.weight);
  if (options.bias) out = out.add(options.bias);
  const affine = [options.weight, options.bias].filter((t): t is Tensor => !!t);
  return traced("layerNorm", [x, ...affine], out, {
    normalizedShape: [...normalizedShape],
    eps: options.eps ?? 1e-5,
    hasWeight: !!options.weight,
    hasBias: !!options.bias,
  });
}

/** Options of `batchNorm`. */
export interface BatchNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  training?: boolean;
  /** Weight of the new batch in the running average; null: cumulative average. */
  momentum?: number | null;
  eps?: number;
  /** With momentum null, the number of batches seen including this one (sets the average's weight). */
  numBatchesTracked?: number;
}

/**
 * Batch normalisation over dim 1 of [N, C] or [N, C, L] (torch.nn.functional.batch_norm).
 * In training it normalises with the batch's biased variance and updates the running stats in
 * place with the unbiased one; otherwise it uses the running stats.
 *
 * @example
 * F.batchNorm(x, runningMean, runningVar, { weight, bias, training: true });
 */
export function batchNorm(
  x: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  options: BatchNormOptions = {},
): Tensor {
  checkTensor("batchNorm", "input", x);
  checkOptionalTensor("batchNorm", "running_mean", runningMean);
  checkOptionalTensor("batchNorm", "running_var", runningVar);
  const training = options.training ?? false;
  const eps = options.eps ?? 1e-5;
  if (x.ndim < 2) {
    throw new ShapeError(`batch_norm: expected an input of at least 2 dims, got ${x.ndim}D`);
  }
  const c = x.shape[1]!;
  const dims = [0, ...Array.from({ length: x.ndim - 2 }, (_, i) => i + 2)];
  const count = numel(x.shape) / c;
  const bshape = [1, c, ...Array.from({ length: x.ndim - 2 }, () => 1)];
  let mean: Tensor;
  let variance: Tensor;
  if (training || runningMean === null || runningVar === null) {
    if (training && count <= 1) {
      throw new ValueError(
        `Expected more than 1 value per channel when training, got input size ${torchSize(x.shape)}`,
      );
    }
    mean = x.mean(dims, true);
    const centered = x.sub(mean);
    variance = centered.mul(centered).mean(dims, true);
    if (training && runningMean !== null && runningVar !== null) {
      const m =
        options.momentum === null
          ? 1 / (options.numBatchesTracked ?? 1)
          : (options.momentum ?? 0.1);
      noGrad(() => {
        runningMean.mul_(1 - m).add_(mean.detach().reshape(c).mul(m));
        const unbiased = variance
          .detach()
          .reshape(c)
          .mul(count / (count - 1));
        runningVar.mul_(1 - m).add_(unbiased.mul(m));
      });
    }
  } else {
    mean = runningMean.reshape(bshape);
    variance = runningVar.reshape(bshape);
  }
  let out = x.sub(mean).mul(variance.add(eps).rsqrt());
  if (options.weight) out = out.mul(options.weight.reshape(bshape));
  if (options.bias) out = out.add(options.bias.reshape(bshape));
  // Eval mode with running stats is ONNX's BatchNormalization; batch statistics stay composite.
  if (training || runningMean === null || runningVar === null) return out;
  const affine = [options.weight, options.bias].filter((t): t is Tensor => !!t);
  return traced("batchNorm", [x, runningMean, runningVar, ...affine], out, {
    eps,
    hasWeight: !!options.weight,
    hasBias: !!options.bias,
  });
}

/**
 * Rows of `weight` picked by integer `indices` (any shape): output [...indices.shape, dim]
 * (torch.nn.functional.embedding). The `paddingIdx` row gets no gradient.
 *
 * @example
 * F.embedding(torch.tensor([[0, 2]]), weight); // [1, 2, dim]
 */
export function embedding(
  indices: Tensor,
  weight: Tensor,
  options: { paddingIdx?: number | null } = {},
): Tensor {
  checkTensor("embedding", "indices", indices);
  checkTensor("embedding", "weight", weight);
  if (indices.dtype !== "int32") {
    throw new DTypeError(
      `Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got ${indices.dtype} instead (while checking arguments for embedding)`,
    );
  }
  const num = weight.shape[0]!;
  for (const v of indices.toArray()) {
    if (v < 0 || v >= num) {
      throw new IndexError(
        `index out of range in self (embedding index ${v} is not in [0, ${num}) for a weight of ${num} rows)`,
      );
    }
  }
  const flat = indices.reshape(-1);
  let rows = weight.indexSelect(0, flat);
  const pad = options.paddingIdx ?? null;
  if (pad !== null) {
    // Rows read at the padding index pass no gradient, so the padding row never trains (PyTorch).
    const p = pad < 0 ? pad + num : pad;
    const isPad = noGrad(() => flat.eq(p).reshape(-1, 1));
    rows = where(isPad, rows.detach(), rows);
  }
  return traced(
    "embedding",
    [weight, indices],
    rows.reshape([...indices.shape, weight.shape[1]!]),
    {},
  );
}
