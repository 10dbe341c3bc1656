/** torch.nn.functional.normalize and cosine_similarity, as composites. */
import { clamp } from "../../ops/clamp.js";
import { broadcastShapes } from "../../tensor/shape.js";
import type { Tensor } from "../../tensor/tensor.js";
import { checkTensor } from "../../validation/tensors.js";

/** Options of normalize: the norm's order, the dim, and the smallest denominator. */
export interface NormalizeOptions {
  /** Default 2. */
  p?: number;
  /** Default 1. */
  dim?: number;
  /** Default 1e-12. */
  eps?: number;
}

/**
 * `x / max(||x||_p, eps)` along `dim` (torch.nn.functional.normalize).
 *
 * @example
 * F.normalize(embeddings, { dim: -1 });
 */
export function normalize(x: Tensor, options: NormalizeOptions = {}): Tensor {
  checkTensor("normalize", "input", x);
  const { p = 2, dim = 1, eps = 1e-12 } = options;
  return x.div(clamp(x.norm(p, dim, true), eps).expandAs(x));
}

/**
 * The cosine of the angle between `x1` and `x2` along `dim` (default 1), broadcasting
 * (torch.nn.functional.cosine_similarity). As PyTorch 1.13: each squared norm is clamped to at
 * least eps² without changing the gradient (a no-grad in-place clamp there), then
 * `sum(x1 * x2 / sqrt(|x1|² |x2|²))`.
 *
 * @example
 * F.cosineSimilarity(a, b, { dim: -1 });
 */
export function cosineSimilarity(
  x1: Tensor,
  x2: Tensor,
  options: { dim?: number; eps?: number } = {},
): Tensor {
  checkTensor("cosineSimilarity", "x1", x1);
  checkTensor("cosineSimilarity", "x2", x2);
  const { dim = 1, eps = 1e-8 } = options;
  const shape = broadcastShapes(x1.shape, x2.shape);
  const a = x1.expand(shape);
  const b = x2.expand(shape);
  const squaredNorm = (t: Tensor): Tensor => {
    const s = t.square().sum(dim, true);
    // The clamped value with the unclamped gradient, as PyTorch's NoGradGuard clamp_min_.
    return s.add(
      clamp(s, eps * eps)
        .sub(s)
        .detach(),
    );
  };
  const denom = squaredNorm(a).mul(squaredNorm(b)).rsqrt();
  return a.mul(b).mul(denom).sum(dim);
}
