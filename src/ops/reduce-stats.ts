import { isKeywords } from "../validation/arguments.js";
/** Statistics and norms: var, std, logsumexp, norm. */
import { noGrad } from "../autograd/grad-mode.js";
import { DTypeError, ShapeError, ValueError } from "../errors.js";
import { zerosLike } from "../tensor/create.js";
import { isFloatingPoint } from "../tensor/dtype.js";
import { numel } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { where } from "./binary.js";
import {
  parseReduceArgs,
  reduceKernel,
  restoreReduced,
  type DimArg,
  type ReduceOptions,
} from "./reduce-common.js";
import { defineMethods, record } from "./support.js";
import { checkTensor } from "../validation/tensors.js";

/** var/std options: PyTorch's `correction` (default 1, Bessel's) or the older `unbiased` flag. */
export interface VarOptions extends ReduceOptions {
  /** Subtracted from the element count in the divisor (default 1). */
  correction?: number;
  /** `true`: correction 1, `false`: correction 0. */
  unbiased?: boolean;
}

function parseVarArgs(op: string, x: Tensor, dimArg: DimArg | VarOptions, keepdimArg?: boolean) {
  if (!isFloatingPoint(x.dtype)) {
    throw new DTypeError(
      `${op}(): std and var only support floating point and complex dtypes (got ${x.dtype})`,
    );
  }
  const opts: VarOptions = isKeywords(dimArg) ? (dimArg as VarOptions) : {};
  if (opts.correction !== undefined && opts.unbiased !== undefined) {
    throw new ValueError(`${op}(): pass either correction or unbiased, not both`);
  }
  const correction = opts.correction ?? (opts.unbiased === false ? 0 : 1);
  const { dims, keepdim } = parseReduceArgs(x, dimArg, keepdimArg);
  const count = numel(dims.map((d) => x.shape[d]!));
  // PyTorch divides by max(0, N - correction): one element with correction 1 gives NaN.
  return { dims, keepdim, dof: Math.max(0, count - correction) };
}

/** PyTorch's var_backward: (2 / dof) * grad * (x - mean(x)), written with differentiable ops. */
function varBackward(g: Tensor, x: Tensor, dims: readonly number[], dof: number): Tensor {
  const centered = dims.length === 0 ? x.sub(x) : x.sub(x.mean({ dim: dims, keepdim: true }));
  return g.mul(centered).mul(2 / dof);
}

function varForward(x: Tensor, dims: readonly number[], keepdim: boolean, dof: number): Tensor {
  return noGrad(() => {
    const centered = dims.length === 0 ? x.sub(x) : x.sub(x.mean({ dim: dims, keepdim: true }));
    const squares = centered.mul(centered);
    return (dims.length === 0 ? squares : squares.sum({ dim: dims, keepdim })).div(dof);
  });
}

/**
 * Variance over `dim` (a dim, a list, or all), with Bessel's correction by default.
 * Exported as `var` (a reserved word in JavaScript, so the local name is `variance`).
 *
 * @example
 * x.var(); x.var(1); x.var({ dim: 1, correction: 0, keepdim: true }); x.var({ unbiased: false });
 */
export function variance(x: Tensor, dim?: DimArg | VarOptions, keepdim?: boolean): Tensor {
  checkTensor("variance", "input", x);
  const { dims, keepdim: keep, dof } = parseVarArgs("var", x, dim, keepdim);
  const out = varForward(x, dims, keep, dof);
  return record(
    "VarBackward0",
    out,
    [x],
    (g, [sx]) => [varBackward(restoreReduced(g, dims, keep), sx!, dims, dof)],
    [x],
  );
}
export { variance as var };

/**
 * Standard deviation over `dim`, options as `var`. The gradient is 0 where the result is 0
 * (PyTorch's std_backward), not NaN.
 *
 * @example
 * x.std(0); x.std({ dim: [0, 1], unbiased: false });
 */
export function std(x: Tensor, dim?: DimArg | VarOptions, keepdim?: boolean): Tensor {
  checkTensor("std", "input", x);
  const { dims, keepdim: keep, dof } = parseVarArgs("std", x, dim, keepdim);
  const out = noGrad(() => varForward(x, dims, keep, dof).sqrt());
  return record(
    "StdBackward0",
    out,
    [x],
    (g, [sx, so]) => {
      const safe = where(so!.eq(0), 1, so!);
      const gVar = where(so!.eq(0), 0, g.div(safe.mul(2)));
      return [varBackward(restoreReduced(gVar, dims, keep), sx!, dims, dof)];
    },
    [x, out],
  );
}

/**
 * log(sum(exp(x))) over `dim` (required, as in PyTorch), computed stably by subtracting the
 * (detached) maximum first. Integer inputs give float32.
 *
 * @example
 * torch.logsumexp(x, 1); x.logsumexp({ dim: -1, keepdim: true });
 */
export function logsumexp(x: Tensor, dim: DimArg, keepdim?: boolean): Tensor {
  checkTensor("logsumexp", "input", x);
  if (dim === undefined) throw new ValueError("logsumexp(): dim is required (a dim or a list)");
  const input = isFloatingPoint(x.dtype) ? x : x.to("float32");
  const { dims, keepdim: keep } = parseReduceArgs(input, dim, keepdim);
  // The shift is a constant to autograd; infinite maxima are replaced by 0 (PyTorch does the
  // same) so that inf - inf does not make NaN, and an empty dim gives -inf.
  const empty = dims.some((d) => input.shape[d] === 0);
  const shift = noGrad(() => {
    const m = reduceKernel("max", input, dims, true, input.dtype);
    return empty ? zerosLike(m) : where(m.isinf(), 0, m);
  });
  const out = noGrad(() => {
    const summed = input.sub(shift).exp().sum({ dim: dims, keepdim: keep });
    return summed.log().add(keep ? shift : shift.squeeze(dims));
  });
  // PyTorch's logsumexp_backward: grad * exp(x - result) (its float32 rounding included).
  return record(
    "LogsumexpBackward0",
    out,
    [input],
    (g, [sx, so]) => [
      restoreReduced(g, dims, keep).mul(sx!.sub(restoreReduced(so!, dims, keep)).exp()),
    ],
    [input, out],
  );
}

/** The order of a norm: a number (Infinity and -Infinity too) or "fro" (the 2-norm). */
export type NormOrder = number | "fro";

/** norm's options: `x.norm({ p: 1, dim: 1, keepdim: true })`. */
export interface NormOptions extends ReduceOptions {
  p?: NormOrder;
}

/** Forward of the vector p-norm (no autograd). */
function pNorm(x: Tensor, p: number, dims: readonly number[], keepdim: boolean): Tensor {
  const over = { dim: dims, keepdim };
  const a = x.abs();
  if (p === Infinity) return reduceKernel("max", a, dims, keepdim, x.dtype);
  if (p === -Infinity) return reduceKernel("min", a, dims, keepdim, x.dtype);
  if (p === 0) return x.ne(0).sum(over).to(x.dtype);
  if (p === 1) return a.sum(over);
  if (p === 2) return x.mul(x).sum(over).sqrt();
  return a
    .pow(p)
    .sum(over)
    .pow(1 / p);
}

/** PyTorch's norm_backward (FunctionsManual.cpp), case by case, with differentiable ops. */
function normBackward(g: Tensor, x: Tensor, norm: Tensor, p: number, dims: number[]): Tensor {
  const zeroNorm = norm.eq(0);
  if (p === 0) return zerosLike(x);
  if (p === 1) return x.sign().mul(g);
  if (p === 2) return g.mul(where(zeroNorm, 0, x.div(where(zeroNorm, 1, norm))));
  if (!Number.isFinite(p)) {
    const a = x.abs();
    const mask = a.eq(norm).logicalOr(a.isnan());
    return x.sign().mul(g.div(mask.sum({ dim: dims, keepdim: true })).mul(mask));
  }
  if (p < 1) {
    // |x|^(p-1) is infinite at 0, where PyTorch's gradient is 0.
    const zero = x.eq(0);
    const scaled = x.sign().mul(where(zero, 0, where(zero, 1, x.abs()).pow(p - 1)));
    return scaled.mul(g).mul(norm.pow(1 - p));
  }
  const scaled = p < 2 ? x.sign().mul(x.abs().pow(p - 1)) : x.mul(x.abs().pow(p - 2));
  const scale = where(zeroNorm, 0, g.div(where(zeroNorm, 1, norm).pow(p - 1)));
  return scaled.mul(scale);
}

/**
 * The vector p-norm over `dim` (a dim, a list, or all): p = 2 by default, any number
 * including Infinity (max |x|), -Infinity (min |x|) and 0 (count of non-zeros), or "fro".
 * Gradients follow PyTorch at zero (0 for p = 2, not NaN).
 *
 * @example
 * x.norm(); x.norm(1); x.norm(Infinity, 1, true); x.norm({ p: "fro", dim: [0, 1] });
 */
export function norm(
  x: Tensor,
  p: NormOrder | NormOptions = 2,
  dim?: number | readonly number[],
  keepdim?: boolean,
): Tensor {
  checkTensor("norm", "input", x);
  const opts: NormOptions = isKeywords(p) ? p : { p, dim, keepdim };
  const order = opts.p ?? 2;
  if (!isFloatingPoint(x.dtype)) {
    throw new DTypeError(
      `norm(): input dtype should be either floating point or complex. Got ${x.dtype} instead.`,
    );
  }
  const { dims, keepdim: keep, all } = parseReduceArgs(x, opts.dim, opts.keepdim);
  if (order === "fro" && !all && dims.length > 2) {
    throw new ShapeError(
      `norm(): Expected at most 2 dimensions, but got ${dims.length} dimensions instead.`,
    );
  }
  const pv = order === "fro" ? 2 : order;
  if (typeof pv !== "number" || Number.isNaN(pv)) {
    throw new ValueError(`norm(): p must be a number or "fro", got ${String(order)}`);
  }
  const out = noGrad(() => pNorm(x, pv, dims, keep));
  return record(
    "NormBackward1",
    out,
    [x],
    (g, [sx, so]) => [
      normBackward(restoreReduced(g, dims, keep), sx!, restoreReduced(so!, dims, keep), pv, dims),
    ],
    [x, out],
  );
}

declare module "../tensor/tensor.js" {
  interface Tensor {
    /**
     * Variance over `dim` or all elements, with Bessel's correction by default (torch.var).
     *
     * @example
     * x.var(0)
     */
    var(dim?: DimArg | VarOptions, keepdim?: boolean): Tensor;
    /** Standard deviation over `dim` or all elements (torch.std). @example x.std(0) */
    std(dim?: DimArg | VarOptions, keepdim?: boolean): Tensor;
    /** log(sum(exp(x))) over `dim`, computed stably (torch.logsumexp). @example x.logsumexp(1) */
    logsumexp(dim: DimArg, keepdim?: boolean): Tensor;
    /** The vector p-norm over `dim` or all elements (torch.norm). @example x.norm(2, 1) */
    norm(p?: NormOrder | NormOptions, dim?: number | readonly number[], keepdim?: boolean): Tensor;
  }
}

defineMethods({
  var(this: Tensor, dim?: DimArg | VarOptions, keepdim?: boolean) {
    return variance(this, dim, keepdim);
  },
  std(this: Tensor, dim?: DimArg | VarOptions, keepdim?: boolean) {
    return std(this, dim, keepdim);
  },
  logsumexp(this: Tensor, dim: DimArg, keepdim?: boolean) {
    return logsumexp(this, dim, keepdim);
  },
  norm(
    this: Tensor,
    p?: NormOrder | NormOptions,
    dim?: number | readonly number[],
    keepdim?: boolean,
  ) {
    return norm(this, p, dim, keepdim);
  },
});
