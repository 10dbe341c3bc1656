// TEMPORARY stand-in until ops/activation lands (src/ops/activation.ts): minimal compositions of
// existing differentiable ops, so that nn compiles and its tests run. At merge, delete this file
// and re-export the real ops from src/nn/functional/activation.ts.
import { where } from "../../ops/binary.js";
import { reduceKernel } from "../../ops/reduce.js";
import { normalizeDim } from "../../tensor/shape.js";
import type { Tensor } from "../../tensor/tensor.js";

/** The max over `dim` (kept), as a constant: the shift cancels in (log-)softmax's gradient. */
function rowMax(x: Tensor, dim: number): Tensor {
  return reduceKernel("max", x, [dim], true, x.dtype);
}

export function softmax(x: Tensor, dim: number): Tensor {
  const d = normalizeDim(dim, x.ndim);
  const e = x.sub(rowMax(x, d)).exp();
  return e.div(e.sum(d, true));
}

export function logSoftmax(x: Tensor, dim: number): Tensor {
  const d = normalizeDim(dim, x.ndim);
  const shifted = x.sub(rowMax(x, d));
  return shifted.sub(shifted.exp().sum(d, true).log());
}

export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  return where(x.gt(0), x, x.mul(negativeSlope));
}

export function elu(x: Tensor, alpha = 1): Tensor {
  return where(x.gt(0), x, x.minimum(0).expm1().mul(alpha));
}

export function gelu(x: Tensor, approximate: "none" | "tanh" = "none"): Tensor {
  if (approximate === "tanh") {
    const inner = x.add(x.pow(3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
    return x.mul(0.5).mul(inner.tanh().add(1));
  }
  return x.mul(0.5).mul(x.mul(Math.SQRT1_2).erf().add(1));
}

export function silu(x: Tensor): Tensor {
  return x.mul(x.sigmoid());
}

export function softplus(x: Tensor, beta = 1, threshold = 20): Tensor {
  const bx = x.mul(beta);
  return where(bx.gt(threshold), x, bx.minimum(threshold).exp().log1p().div(beta));
}

export function hardtanh(x: Tensor, minVal = -1, maxVal = 1): Tensor {
  return x.clamp(minVal, maxVal);
}
