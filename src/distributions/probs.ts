/** probs ↔ logits as torch.distributions.utils converts them. */
import type { DType } from "../tensor/dtype.js";
import type { Tensor } from "../tensor/tensor.js";

/** torch.finfo(dtype).eps. */
export function finfoEps(dtype: DType): number {
  return dtype === "float64" ? 2.220446049250313e-16 : 1.1920928955078125e-7;
}

/** torch.finfo(dtype).min. */
export function finfoMin(dtype: DType): number {
  return dtype === "float64" ? -Number.MAX_VALUE : -3.4028234663852886e38;
}

/** probs_to_logits: log(p) (binary: log(p) - log1p(-p)) of p clamped to [eps, 1 - eps]. */
export function probsToLogits(probs: Tensor, binary: boolean): Tensor {
  const eps = finfoEps(probs.dtype);
  const p = probs.clamp(eps, 1 - eps);
  return binary ? p.log().sub(p.neg().log1p()) : p.log();
}

/** logits_to_probs: sigmoid (binary) or softmax over the last dim. */
export function logitsToProbs(logits: Tensor, binary: boolean): Tensor {
  return binary ? logits.sigmoid() : logits.softmax(-1);
}
