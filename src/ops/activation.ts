import { isKeywords } from "../validation/arguments.js";
/**
 * Activation functions, each a composite of differentiable ops (no kernels, no gradient
 * formulas of their own), except softmax and logSoftmax: one backend kernel call computes each
 * row's max, sum of exponentials and output (instead of five kernels and their temporaries), and
 * their gradients are PyTorch's formulas on the saved output. Where PyTorch defines a gradient at
 * a kink, the `where` branches are chosen to give the same one: leakyRelu and elu take the
 * negative-side slope at 0, hardtanh passes the gradient only strictly inside (min, max)
 * (PyTorch's hardtanh_backward).
 */
import type { SoftmaxOp } from "../backend/backend.js";
import { getBackend } from "../backend/registry.js";
import { DTypeError, ValueError } from "../errors.js";
import { isFloatingPoint } from "../tensor/dtype.js";
import type { Tensor } from "../tensor/tensor.js";
import { where } from "./binary.js";
import { parseReduceArgs } from "./reduce-common.js";
import { defineMethods, outputTensor, record } from "./support.js";
import { traced } from "./trace.js";
import { checkTensor } from "../validation/tensors.js";

function requireFloat(op: string, x: Tensor): void {
  if (!isFloatingPoint(x.dtype)) {
    throw new DTypeError(
      `${op}(): expected a floating point tensor, got ${x.dtype} (PyTorch: not implemented for integer dtypes); convert with .float()`,
    );
  }
}

/**
 * max(x, 0) + negativeSlope * min(x, 0); the gradient at 0 is negativeSlope, as in PyTorch.
 *
 * @example
 * torch.leakyRelu(x, 0.2); F.leakyRelu(x, { negativeSlope: 0.2 });
 */
export function leakyRelu(x: Tensor, slope?: number | { negativeSlope?: number }): Tensor {
  checkTensor("leakyRelu", "input", x);
  requireFloat("leaky_relu", x);
  const negativeSlope = (isKeywords(slope) ? slope.negativeSlope : slope) ?? 0.01;
  return traced("leakyRelu", [x], where(x.gt(0), x, x.mul(negativeSlope)), { negativeSlope });
}

/** A copy of x with its positive entries replaced by 0, so exp() of it cannot overflow. */
function nonPositivePart(x: Tensor): Tensor {
  return where(x.gt(0), 0, x);
}

/**
 * x for x > 0, alpha * (exp(x) - 1) otherwise; the gradient at 0 is alpha, as in PyTorch.
 *
 * @example
 * torch.elu(x); torch.elu(x, 0.5); F.elu(x, { alpha: 0.5 });
 */
export function elu(x: Tensor, alphaArg?: number | { alpha?: number }): Tensor {
  checkTensor("elu", "input", x);
  requireFloat("elu", x);
  const alpha = (isKeywords(alphaArg) ? alphaArg.alpha : alphaArg) ?? 1;
  const y = where(x.gt(0), x, nonPositivePart(x).expm1().mul(alpha));
  return traced("elu", [x], y, { alpha });
}

/** gelu's options: the exact erf form ("none", default) or the tanh approximation. */
export interface GeluOptions {
  approximate?: "none" | "tanh";
}

/**
 * x * Phi(x), Phi the standard normal CDF: exact (erf) or PyTorch's tanh approximation.
 *
 * @example
 * torch.gelu(x); torch.gelu(x, { approximate: "tanh" });
 */
export function gelu(x: Tensor, options: GeluOptions = {}): Tensor {
  checkTensor("gelu", "input", x);
  requireFloat("gelu", x);
  const approximate = options.approximate ?? "none";
  if (approximate === "none") {
    const y = x.mul(0.5).mul(x.mul(Math.SQRT1_2).erf().add(1));
    return traced("gelu", [x], y, { approximate });
  }
  if (approximate !== "tanh") {
    throw new ValueError(
      `gelu(): approximate must be "none" or "tanh", got "${String(approximate)}"`,
    );
  }
  const inner = x.add(x.mul(x).mul(x).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
  return traced("gelu", [x], x.mul(0.5).mul(inner.tanh().add(1)), { approximate });
}

/** x * sigmoid(x) (also called swish). @example torch.silu(x) */
export function silu(x: Tensor): Tensor {
  checkTensor("silu", "input", x);
  requireFloat("silu", x);
  return x.mul(x.sigmoid());
}

/** softplus's options: log(1 + exp(beta * x)) / beta, linear where beta * x > threshold. */
export interface SoftplusOptions {
  beta?: number;
  threshold?: number;
}

/**
 * A smooth relu: log(1 + exp(beta * x)) / beta, and x itself where beta * x > threshold.
 *
 * @example
 * torch.softplus(x); torch.softplus(x, { beta: 2, threshold: 10 });
 */
export function softplus(x: Tensor, options: SoftplusOptions = {}): Tensor {
  checkTensor("softplus", "input", x);
  requireFloat("softplus", x);
  const beta = options.beta ?? 1;
  const threshold = options.threshold ?? 20;
  const scaled = x.mul(beta);
  const linear = scaled.gt(threshold);
  // The exp branch sees 0 where it is not used, so it never overflows into a NaN gradient.
  const y = where(linear, x, where(linear, 0, scaled).exp().log1p().div(beta));
  return traced("softplus", [x], y, { beta, threshold });
}

/**
 * x clamped to [minVal, maxVal]; the gradient passes only strictly inside, as in PyTorch.
 *
 * @example
 * torch.hardtanh(x); torch.hardtanh(x, 0, 6); F.hardtanh(x, { minVal: 0, maxVal: 6 });
 */
export function hardtanh(
  x: Tensor,
  min?: number | { minVal?: number; maxVal?: number },
  max?: number,
): Tensor {
  checkTensor("hardtanh", "input", x);
  requireFloat("hardtanh", x);
  const minVal = (isKeywords(min) ? min.minVal : min) ?? -1;
  const maxVal = (isKeywords(min) ? min.maxVal : max) ?? 1;
  // NaN fails both tests and passes through, as in PyTorch.
  return where(x.le(minVal), minVal, where(x.ge(maxVal), maxVal, x));
}

/** min(max(x, 0), 6), PyTorch's hardtanh(x, 0, 6) (gradient 0 at 0 and at 6). @example torch.relu6(x) */
export function relu6(x: Tensor): Tensor {
  checkTensor("relu6", "input", x);
  return hardtanh(x, 0, 6);
}

/** x * tanh(softplus(x)). @example torch.mish(x) */
export function mish(x: Tensor): Tensor {
  checkTensor("mish", "input", x);
  requireFloat("mish", x);
  return x.mul(softplus(x).tanh());
}

/** The dim of softmax-like ops, positional or by keyword (`F.softmax(x, { dim: 1 })`). */
export type SoftmaxDim = number | { dim: number };

/** The dim of softmax-like ops, which PyTorch requires. */
function softmaxDims(op: string, x: Tensor, dimArg: SoftmaxDim | undefined): number[] {
  const dim = isKeywords(dimArg) ? dimArg.dim : dimArg;
  if (dim === undefined) {
    throw new ValueError(
      `${op}(): dim is required (the dim that sums to 1), e.g. x.${op === "softmax" ? "softmax" : "logSoftmax"}(-1)`,
    );
  }
  requireFloat(op, x);
  return parseReduceArgs(x, dim).dims;
}

/**
 * The backend's softmax kernel over `dim` into a new tensor of x's shape and dtype; a 0-d x is
 * one row of one element.
 */
function softmaxKernel(op: SoftmaxOp, x: Tensor, dims: readonly number[]): Tensor {
  const out = outputTensor(x.shape, x.dtype);
  const view = x.ndim === 0 ? { ...x.view_(), shape: [1], strides: [1] } : x.view_();
  getBackend().softmax(op, view, dims[0] ?? 0, out.storage.data);
  return out;
}

/**
 * exp(x) / sum(exp(x)) over `dim`, stable for large inputs (the max is subtracted first). The
 * gradient is PyTorch's softmax_backward_data, y * (g - sum(g * y)), written with tensor ops on
 * the saved output so that it is itself differentiable.
 *
 * @example
 * torch.softmax(logits, -1); logits.softmax(1); F.softmax(logits, { dim: 1 });
 */
export function softmax(x: Tensor, dim: SoftmaxDim): Tensor {
  checkTensor("softmax", "input", x);
  const dims = softmaxDims("softmax", x, dim);
  const y = softmaxKernel("softmax", x, dims);
  const out = record(
    "SoftmaxBackward0",
    y,
    [x],
    (g, [out]) => [out!.mul(g.sub(g.mul(out!).sum({ dim: dims, keepdim: true })))],
    [y],
  );
  return traced("softmax", [x], out, { dim: dims[0] ?? 0 });
}

/**
 * log(softmax(x)) over `dim`, computed as (x - max) - log(sum(exp(x - max))): finite for
 * inputs like 1000 and -1000 where the naive form gives -inf or NaN. The gradient is PyTorch's
 * log_softmax_backward_data, g - exp(y) * sum(g), on the saved output.
 *
 * @example
 * torch.logSoftmax(logits, -1);
 */
export function logSoftmax(x: Tensor, dim: SoftmaxDim): Tensor {
  checkTensor("logSoftmax", "input", x);
  const dims = softmaxDims("log_softmax", x, dim);
  const y = softmaxKernel("logSoftmax", x, dims);
  const out = record(
    "LogSoftmaxBackward0",
    y,
    [x],
    (g, [out]) => [g.sub(out!.exp().mul(g.sum({ dim: dims, keepdim: true })))],
    [y],
  );
  return traced("logSoftmax", [x], out, { dim: dims[0] ?? 0 });
}

declare module "../tensor/tensor.js" {
  interface Tensor {
    /** Leaky ReLU (torch.nn.functional.leaky_relu). @example x.leakyRelu(0.2) */
    leakyRelu(negativeSlope?: number | { negativeSlope?: number }): Tensor;
    /** ELU activation (torch.nn.functional.elu). @example x.elu(1.0) */
    elu(alpha?: number | { alpha?: number }): Tensor;
    /**
     * GELU activation, exact or tanh-approximated (torch.nn.functional.gelu).
     *
     * @example
     * x.gelu({ approximate: "tanh" })
     */
    gelu(options?: GeluOptions): Tensor;
    /** SiLU (swish) activation, x * sigmoid(x) (torch.nn.functional.silu). @example x.silu() */
    silu(): Tensor;
    /**
     * Softplus, log(1 + exp(beta * x)) / beta (torch.nn.functional.softplus).
     *
     * @example
     * x.softplus({ beta: 2 })
     */
    softplus(options?: SoftplusOptions): Tensor;
    /** Clamps to [minVal, maxVal] (torch.nn.functional.hardtanh). @example x.hardtanh(-1, 1) */
    hardtanh(minVal?: number | { minVal?: number; maxVal?: number }, maxVal?: number): Tensor;
    /** min(max(x, 0), 6) elementwise (torch.nn.functional.relu6). @example x.relu6() */
    relu6(): Tensor;
    /** Mish activation, x * tanh(softplus(x)) (torch.nn.functional.mish). @example x.mish() */
    mish(): Tensor;
    /**
     * exp(x) / sum(exp(x)) over `dim`, computed stably (torch.softmax).
     *
     * @example
     * logits.softmax(-1)
     */
    softmax(dim: SoftmaxDim): Tensor;
    /**
     * log(softmax(x)) over `dim`, computed stably (torch.log_softmax).
     *
     * @example
     * logits.logSoftmax(1)
     */
    logSoftmax(dim: SoftmaxDim): Tensor;
  }
}

defineMethods({
  leakyRelu(this: Tensor, negativeSlope?: number | { negativeSlope?: number }) {
    return leakyRelu(this, negativeSlope);
  },
  elu(this: Tensor, alpha?: number | { alpha?: number }) {
    return elu(this, alpha);
  },
  gelu(this: Tensor, options?: GeluOptions) {
    return gelu(this, options);
  },
  silu(this: Tensor) {
    return silu(this);
  },
  softplus(this: Tensor, options?: SoftplusOptions) {
    return softplus(this, options);
  },
  hardtanh(this: Tensor, minVal?: number | { minVal?: number; maxVal?: number }, maxVal?: number) {
    return hardtanh(this, minVal, maxVal);
  },
  relu6(this: Tensor) {
    return relu6(this);
  },
  mish(this: Tensor) {
    return mish(this);
  },
  softmax(this: Tensor, dim: SoftmaxDim) {
    return softmax(this, dim);
  },
  logSoftmax(this: Tensor, dim: SoftmaxDim) {
    return logSoftmax(this, dim);
  },
});
