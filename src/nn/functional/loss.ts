/** Regression and binary losses (torch.nn.functional.mse_loss, l1_loss, ..., kl_div). */
import { ShapeError, ValueError } from "../../errors.js";
import { where } from "../../ops/binary.js";
import { shapesEqual } from "../../tensor/shape.js";
import type { Tensor } from "../../tensor/tensor.js";
import { torchSize } from "../state-dict.js";
import {
  checkReduction,
  reduce,
  warnIfBroadcasting,
  warnOnce,
  type ReductionOptions,
} from "./reduction.js";
import { setGradEnabled } from "../../autograd/grad-mode.js";
import type { BackwardFn } from "../../autograd/node.js";
import { record } from "../../ops/support.js";
import { checkTensor } from "../../validation/tensors.js";

/**
 * Mean squared error (x - y)^2, reduced. Different but broadcastable shapes warn and broadcast.
 *
 * @example
 * F.mseLoss(pred, target); F.mseLoss(pred, target, { reduction: "sum" });
 */
export function mseLoss(input: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor {
  checkTensor("mseLoss", "input", input);
  checkTensor("mseLoss", "target", target);
  warnIfBroadcasting(input, target);
  const reduction = checkReduction(options.reduction ?? "mean");
  if (!shapesEqual(input.shape, target.shape) || input.dtype !== target.dtype) {
    // PyTorch broadcasts (and promotes) first; the composite records those steps as it does.
    const d = input.sub(target);
    return reduce(d.mul(d), reduction);
  }
  // One op with one backward node, as PyTorch's mse_loss (MseLossBackward0): the forward is the
  // same (a - b)², reduced; recording it as one node spares the sub/mul/mean nodes and their
  // five backward ops per training step.
  const previous = setGradEnabled(false);
  let out: Tensor;
  try {
    const d = input.sub(target);
    out = reduce(d.mul(d), reduction);
  } finally {
    setGradEnabled(previous);
  }
  const norm = reduction === "mean" ? 2 / input.numel() : 2;
  return record(
    "MseLossBackward0",
    out,
    [input, target],
    mseBackward(norm, input.requiresGrad, target.requiresGrad),
    [input, target],
  );
}

/**
 * mse_loss_backward: norm * (a - b) * grad, rounded in that order (PyTorch's CPU kernel), with
 * norm = 2 / numel for the mean; the target's gradient swaps a and b.
 */
function mseBackward(norm: number, inputGrad: boolean, targetGrad: boolean): BackwardFn {
  return (g, [input, target]) => [
    inputGrad ? input!.sub(target!).mul(norm).mul(g) : null,
    targetGrad ? target!.sub(input!).mul(norm).mul(g) : null,
  ];
}

/** Mean absolute error |x - y|, reduced. @example F.l1Loss(pred, target) */
export function l1Loss(input: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor {
  checkTensor("l1Loss", "input", input);
  checkTensor("l1Loss", "target", target);
  warnIfBroadcasting(input, target);
  return reduce(input.sub(target).abs(), options.reduction);
}

/**
 * 0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta (beta = 0 is the L1 loss).
 *
 * @example
 * F.smoothL1Loss(pred, target, { beta: 0.5 });
 */
export function smoothL1Loss(
  input: Tensor,
  target: Tensor,
  options: ReductionOptions & { beta?: number } = {},
): Tensor {
  checkTensor("smoothL1Loss", "input", input);
  checkTensor("smoothL1Loss", "target", target);
  const beta = options.beta ?? 1;
  if (beta < 0) throw new ValueError("smooth_l1_loss does not support negative values for beta.");
  warnIfBroadcasting(input, target);
  const d = input.sub(target);
  const a = d.abs();
  if (beta === 0) return reduce(a, options.reduction);
  return reduce(where(a.lt(beta), d.mul(d).mul(0.5 / beta), a.sub(0.5 * beta)), options.reduction);
}

/**
 * 0.5 d^2 where |d| <= delta, else delta (|d| - 0.5 delta).
 *
 * @example
 * F.huberLoss(pred, target, { delta: 2 });
 */
export function huberLoss(
  input: Tensor,
  target: Tensor,
  options: ReductionOptions & { delta?: number } = {},
): Tensor {
  checkTensor("huberLoss", "input", input);
  checkTensor("huberLoss", "target", target);
  const delta = options.delta ?? 1;
  if (!(delta > 0)) {
    throw new ValueError("huber_loss does not support non-positive values for delta.");
  }
  warnIfBroadcasting(input, target);
  const d = input.sub(target);
  const a = d.abs();
  return reduce(
    where(a.lt(delta), d.mul(d).mul(0.5), a.sub(0.5 * delta).mul(delta)),
    options.reduction,
  );
}

/**
 * Binary cross entropy of probabilities: -w (y log x + (1 - y) log(1 - x)), each log clamped at
 * -100 as PyTorch does so that x = 0 or 1 gives a finite loss.
 *
 * @example
 * F.binaryCrossEntropy(torch.sigmoid(logits), target);
 */
export function binaryCrossEntropy(
  input: Tensor,
  target: Tensor,
  options: ReductionOptions & { weight?: Tensor | null } = {},
): Tensor {
  checkTensor("binaryCrossEntropy", "input", input);
  checkTensor("binaryCrossEntropy", "target", target);
  if (!shapesEqual(input.shape, target.shape)) {
    throw new ValueError(
      `Using a target size (${torchSize(target.shape)}) that is different to the input size ` +
        `(${torchSize(input.shape)}) is deprecated. Please ensure they have the same size.`,
    );
  }
  if (input.toArray().some((v) => !(v >= 0 && v <= 1))) {
    throw new ValueError("all elements of input should be between 0 and 1");
  }
  const logX = input.log().clamp(-100);
  const log1mX = input.neg().log1p().clamp(-100);
  let loss = target.mul(logX).add(target.neg().add(1).mul(log1mX)).neg();
  if (options.weight) loss = loss.mul(options.weight);
  return reduce(loss, options.reduction);
}

/**
 * Binary cross entropy on logits, computed stably (no overflow for |logits| ~ 100):
 * (1 - y) x + l (log(e^-m + e^(-x-m)) + m) with m = max(-x, 0) and l = 1 + (posWeight - 1) y.
 *
 * @example
 * F.binaryCrossEntropyWithLogits(logits, target, { posWeight: torch.tensor([3]) });
 */
export function binaryCrossEntropyWithLogits(
  input: Tensor,
  target: Tensor,
  options: ReductionOptions & { weight?: Tensor | null; posWeight?: Tensor | null } = {},
): Tensor {
  checkTensor("binaryCrossEntropyWithLogits", "input", input);
  checkTensor("binaryCrossEntropyWithLogits", "target", target);
  if (!shapesEqual(input.shape, target.shape)) {
    throw new ValueError(
      `Target size (${torchSize(target.shape)}) must be the same as input size (${torchSize(input.shape)})`,
    );
  }
  const m = input.neg().clamp(0);
  // log(1 + e^-x) = log(e^-m + e^(-x-m)) + m, with both exponents <= 0.
  const softplusNeg = m.neg().exp().add(input.neg().sub(m).exp()).log().add(m);
  const oneMinusY = target.neg().add(1);
  let loss: Tensor;
  if (options.posWeight) {
    const logWeight = options.posWeight.sub(1).mul(target).add(1);
    loss = oneMinusY.mul(input).add(logWeight.mul(softplusNeg));
  } else {
    loss = oneMinusY.mul(input).add(softplusNeg);
  }
  if (options.weight) loss = loss.mul(options.weight);
  return reduce(loss, options.reduction);
}

/** KL divergence's reductions add "batchmean" (the sum divided by the batch size). */
export type KLDivReduction = "mean" | "batchmean" | "sum" | "none";

/**
 * Pointwise KL divergence target * (log target - input), with `input` in log space (and
 * `target` too when `logTarget`).
 *
 * @example
 * F.klDiv(logQ, p, { reduction: "batchmean" });
 */
export function klDiv(
  input: Tensor,
  target: Tensor,
  options: { reduction?: KLDivReduction; logTarget?: boolean } = {},
): Tensor {
  checkTensor("klDiv", "input", input);
  checkTensor("klDiv", "target", target);
  const reduction = options.reduction ?? "mean";
  let loss: Tensor;
  if (options.logTarget) {
    loss = target.exp().mul(target.sub(input));
  } else {
    // xlogy(t, t) is 0 at t = 0; the safe log keeps NaN out of the masked branch's gradient.
    const zero = target.eq(0);
    const safeLog = where(zero, 1, target).log();
    loss = where(zero, 0, target.mul(safeLog)).sub(target.mul(input));
  }
  if (reduction === "batchmean") {
    if (input.ndim === 0) return loss.sum();
    return loss.sum().div(input.shape[0]!);
  }
  if (reduction === "mean") {
    warnOnce(
      "reduction: 'mean' divides the total loss by both the batch size and the support size." +
        "'batchmean' divides only by the batch size, and aligns with the KL div math definition." +
        "'mean' will be changed to behave the same as 'batchmean' in the next major release.",
    );
  }
  return reduce(loss, reduction);
}

/** @internal For classification.ts: PyTorch's message for a target of the wrong rank. */
export function targetSizeError(expected: readonly number[], got: readonly number[]): ShapeError {
  return new ShapeError(`Expected target size [${expected.join(", ")}], got [${got.join(", ")}]`);
}
