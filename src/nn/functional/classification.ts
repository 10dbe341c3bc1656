/** Classification losses over class scores (torch.nn.functional.nll_loss, cross_entropy). */
import { noGrad } from "../../autograd/grad-mode.js";
import { DTypeError, IndexError, ShapeError, ValueError } from "../../errors.js";
import { where } from "../../ops/binary.js";
import { isFloatingPoint } from "../../tensor/dtype.js";
import { shapesEqual } from "../../tensor/shape.js";
import type { Tensor } from "../../tensor/tensor.js";
import { targetSizeError } from "./loss.js";
import { checkReduction, type ReductionOptions } from "./reduction.js";
import { logSoftmax } from "../../ops/activation.js";
import { checkTensor } from "../../validation/tensors.js";

/** Options of `nllLoss`. */
export interface NLLLossOptions extends ReductionOptions {
  /** A weight per class ([C]); the weighted mean divides by the weights of the used targets. */
  weight?: Tensor | null;
  /** A target value that contributes neither loss nor gradient (default -100). */
  ignoreIndex?: number;
}

/** Options of `crossEntropy`. */
export interface CrossEntropyOptions extends NLLLossOptions {
  /** Mixes the target with the uniform distribution: (1 - s) target + s / C. */
  labelSmoothing?: number;
}

/** The class dim of scores: 0 for one unbatched sample [C], else 1 ([N, C, d1, ...]). */
function classDimOf(input: Tensor): number {
  return input.ndim === 1 ? 0 : 1;
}

/** A shape of input's rank with C at the class dim and 1 elsewhere, to broadcast per-class values. */
function classShape(input: Tensor): number[] {
  const d = classDimOf(input);
  return input.shape.map((s, i) => (i === d ? s : 1));
}

function checkIndexTarget(input: Tensor, target: Tensor, weight: Tensor | null, ignore: number) {
  if (input.ndim === 0) throw new ShapeError("input tensor should be 1D or 2D");
  if (target.dtype !== "int32") {
    const found = { float32: "Float", float64: "Double", bool: "Bool", int32: "Int" }[target.dtype];
    throw new DTypeError(`expected scalar type Long but found ${found}`);
  }
  const c = input.shape[classDimOf(input)]!;
  if (input.ndim === 1) {
    if (target.ndim !== 0) {
      throw new ShapeError("0D or 1D target tensor expected, multi-target not supported");
    }
  } else {
    if (target.ndim === 0 || input.shape[0] !== target.shape[0]) {
      throw new ValueError(
        `Expected input batch_size (${input.shape[0]}) to match target batch_size (${target.ndim === 0 ? 0 : target.shape[0]}).`,
      );
    }
    const expected = [input.shape[0]!, ...input.shape.slice(2)];
    if (!shapesEqual(expected, target.shape)) {
      if (input.ndim === 2) {
        throw new ShapeError("0D or 1D target tensor expected, multi-target not supported");
      }
      throw targetSizeError(expected, target.shape);
    }
  }
  if (weight && weight.numel() !== c) {
    throw new ShapeError(
      `weight tensor should be defined either for all ${c} classes or no classes but got weight tensor of shape: [${weight.shape.join(", ")}]`,
    );
  }
  for (const t of target.toArray()) {
    if (t !== ignore && (t < 0 || t >= c)) {
      throw new IndexError(
        `Target ${t} is out of bounds. (expected a class index in [0, ${c}) for ${c} classes)`,
      );
    }
  }
}

/**
 * The target's class index, with ignored targets (which may lie outside [0, C)) sent to class 0
 * so that gather can read them; their loss is masked out by the caller.
 */
function safeTarget(target: Tensor, ignore: number): Tensor {
  return noGrad(() => where(target.eq(ignore), 0, target));
}

/** input[..., target, ...] along the class dim: PyTorch's gather at the target. */
function pickTarget(input: Tensor, target: Tensor, ignore: number): Tensor {
  const d = classDimOf(input);
  return input.gather(d, safeTarget(target, ignore).unsqueeze(d)).squeeze(d);
}

/** weight[target] with the target's shape (weight is [C]). */
function weightAtTarget(weight: Tensor, target: Tensor, ignore: number): Tensor {
  const t = safeTarget(target, ignore);
  return noGrad(() => weight.indexSelect(0, t.reshape(-1)).reshape(t.shape));
}

/**
 * Negative log likelihood of class indices under log-probabilities `input` ([C], [N, C] or
 * [N, C, d1, ...]; target [], [N] or [N, d1, ...]): -weight[t] * input[t].
 *
 * @example
 * F.nllLoss(F.logSoftmax(logits, 1), labels, { ignoreIndex: 0 });
 */
export function nllLoss(input: Tensor, target: Tensor, options: NLLLossOptions = {}): Tensor {
  checkTensor("nllLoss", "input", input);
  checkTensor("nllLoss", "target", target);
  const reduction = checkReduction(options.reduction ?? "mean");
  const ignore = options.ignoreIndex ?? -100;
  const weight = options.weight ?? null;
  checkIndexTarget(input, target, weight, ignore);
  const picked = pickTarget(input, target, ignore);
  const used = noGrad(() => target.ne(ignore).to(input.dtype));
  const w = weight ? noGrad(() => weightAtTarget(weight, target, ignore).mul(used)) : used;
  const loss = picked.mul(w).neg();
  if (reduction === "none") return loss;
  if (reduction === "sum") return loss.sum();
  const total = w.sum();
  // Every target ignored: PyTorch's value is 0/0 = nan but its gradient is 0, not nan.
  if (total.item() === 0) return loss.sum().mul(0).add(NaN);
  return loss.sum().div(total);
}

/**
 * Cross entropy of raw scores `input` against class indices (int32 target, as nllLoss) or
 * class probabilities (a float target of input's shape): logSoftmax over the class dim, then
 * the negative log likelihood.
 *
 * @example
 * F.crossEntropy(logits, labels, { labelSmoothing: 0.1 });
 */
export function crossEntropy(
  input: Tensor,
  target: Tensor,
  options: CrossEntropyOptions = {},
): Tensor {
  checkTensor("crossEntropy", "input", input);
  checkTensor("crossEntropy", "target", target);
  const reduction = checkReduction(options.reduction ?? "mean");
  const ignore = options.ignoreIndex ?? -100;
  const smoothing = options.labelSmoothing ?? 0;
  const weight = options.weight ?? null;
  if (!(smoothing >= 0 && smoothing <= 1)) {
    throw new ValueError(`label_smoothing must be between 0.0 and 1.0. Got: ${smoothing}`);
  }
  if (input.ndim === 0) throw new ShapeError("input tensor should be 1D or 2D");
  const d = classDimOf(input);
  const c = input.shape[d]!;
  const wc = weight ? weight.reshape(classShape(input)) : null;
  if (isFloatingPoint(target.dtype)) {
    if (!shapesEqual(input.shape, target.shape)) {
      // Not probabilities, so PyTorch reads class indices: a target of the right rank fails on
      // its dtype, one of another rank on its rank.
      if (input.ndim <= 2 && target.ndim !== input.ndim - 1) {
        throw new ShapeError("0D or 1D target tensor expected, multi-target not supported");
      }
      checkIndexTarget(input, target, weight, ignore);
    }
    if (ignore !== -100) {
      throw new ValueError("ignore_index is not supported for floating point target");
    }
    if (weight && weight.numel() !== c) {
      throw new ShapeError(
        `weight tensor should be defined either for all ${c} classes or no classes but got weight tensor of shape: [${weight.shape.join(", ")}]`,
      );
    }
    const t = smoothing > 0 ? target.mul(1 - smoothing).add(smoothing / c) : target;
    let logp = logSoftmax(input, d);
    if (wc) logp = logp.mul(wc);
    const loss = logp.mul(t).sum(d).neg();
    if (reduction === "none") return loss;
    if (reduction === "sum") return loss.sum();
    return loss.sum().div(input.numel() / c);
  }
  checkIndexTarget(input, target, weight, ignore);
  const logp = logSoftmax(input, d);
  const nll = nllLoss(logp, target, { weight, ignoreIndex: ignore, reduction });
  if (smoothing === 0) return nll;
  const used = noGrad(() => target.ne(ignore).to(input.dtype));
  const smooth = (wc ? logp.mul(wc) : logp).sum(d).neg().mul(used);
  let ret: Tensor;
  if (reduction === "none") ret = smooth;
  else if (reduction === "sum") ret = smooth.sum();
  else if (wc) {
    const wt = weightAtTarget(wc.reshape(-1), target, ignore);
    ret = smooth.sum().div(noGrad(() => wt.mul(used).sum()));
  } else ret = smooth.sum().div(used.sum());
  return nll.mul(1 - smoothing).add(ret.mul(smoothing / c));
}
