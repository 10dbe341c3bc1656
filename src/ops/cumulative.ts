import { isKeywords } from "../validation/arguments.js";
/**
 * Scans along one dim: cumsum, cumprod, logcumsumexp, cummax, cummin. The forward is one sequential loop per row
 * on the host, as PyTorch's cpu_cum_base_kernel: float32 accumulates in double (acc_type) and
 * rounds each output once. Gradients are composites of the scans themselves, so they are
 * differentiable again.
 */
import { isGradEnabled } from "../autograd/grad-mode.js";
import { DTypeError } from "../errors.js";
import { allocate, isFloatingPoint, toDType, type DType, type DTypeLike } from "../tensor/dtype.js";
import { normalizeDim } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { where } from "./binary.js";
import { inPlace } from "./inplace.js";
import { flip, triu } from "./rearrange.js";
import { scatterAdd } from "./indexing.js";
import type { ValuesIndices } from "./reduce-extrema.js";
import { alongDim, savedSelf, valuesIndices } from "./rows.js";
import { defineMethods, emptyTensor, record } from "./support.js";
import { eye, ones } from "../tensor/create.js";
import { checkTensor } from "../validation/tensors.js";

type Scan = "sum" | "prod" | "logsumexp";

/** PyTorch's _log_add_exp_helper: log(e^x + e^y), exact for -inf/inf pairs. */
function logAddExp(x: number, y: number): number {
  const min = Number.isNaN(y) ? y : Math.min(x, y);
  const max = Number.isNaN(y) ? y : Math.max(x, y);
  if (min !== max || Number.isFinite(min)) return max + Math.log1p(Math.exp(min - max));
  return x;
}

/** One scan along `d` of `x` (already of the output dtype), into a new contiguous tensor. */
function scanKernel(op: Scan, x: Tensor, d: number): Tensor {
  const { data, outer, n, inner } = alongDim(x, d);
  const out = allocate(x.dtype, data.length);
  // One loop per op: the accumulator update is the hot line.
  const step =
    op === "sum"
      ? (acc: number, v: number) => acc + v
      : op === "prod"
        ? (acc: number, v: number) => acc * v
        : (acc: number, v: number) => logAddExp(v, acc);
  const init = op === "sum" ? 0 : op === "prod" ? 1 : -Infinity;
  for (let o = 0; o < outer; o++) {
    const rowBase = o * n * inner;
    for (let j = 0; j < inner; j++) {
      let acc = init;
      for (let i = 0, at = rowBase + j; i < n; i++, at += inner) {
        acc = step(acc, data[at]!);
        out[at] = acc;
      }
    }
  }
  return Tensor.fromData(out, x.shape);
}

/** PyTorch's result dtype of cumsum/cumprod: `dtype` if given, integers and bool to int64. */
function scanDType(x: Tensor, dtype: DTypeLike | undefined): DType {
  if (dtype !== undefined) return toDType(dtype);
  return isFloatingPoint(x.dtype) ? x.dtype : "int32";
}

/** Sum of `g` over positions j >= i along `d`, at every i. */
const reverseCumsum = (g: Tensor, d: number): Tensor => flip(cumsum(flip(g, d), d), d);

/** Options of cumsum/cumprod: the dim, and the dtype to compute and return in. */
export interface ScanOptions {
  dim: number;
  dtype?: DTypeLike;
}

function parseScan(dimOrOptions: number | ScanOptions, dtype?: DTypeLike): ScanOptions {
  return isKeywords(dimOrOptions) ? dimOrOptions : { dim: dimOrOptions, dtype };
}

/**
 * The running sum along `dim` (torch.cumsum). Integer and bool inputs give int32 (PyTorch:
 * int64) unless `dtype` says otherwise.
 *
 * @example
 * torch.cumsum(torch.tensor([1, 2, 3]), 0); // tensor([1, 3, 6])
 * x.cumsum({ dim: 1, dtype: "float64" });
 */
export function cumsum(x: Tensor, dimOrOptions: number | ScanOptions, dtype?: DTypeLike): Tensor {
  checkTensor("cumsum", "input", x);
  const opts = parseScan(dimOrOptions, dtype);
  const d = normalizeDim(opts.dim, x.ndim);
  const outDType = scanDType(x, opts.dtype);
  const input = x.dtype === outDType ? x : x.to(outDType);
  const out = scanKernel("sum", input, d);
  return record("CumsumBackward0", out, [input], (g) => [reverseCumsum(g, d)]);
}

/**
 * d cumprod / dx with zeros in x: grad_k = sum_{j >= k} g_j prod_{i <= j, i != k} x_i, as an
 * n-by-n composite over (k, j) pairs (PyTorch's cumprod_backward has the same cost in this case).
 */
function cumprodGradWithZeros(g: Tensor, x: Tensor, d: number): Tensor {
  const n = x.shape[d]!;
  // xk[..., k, i, ...] = x_i with x_k replaced by 1; its cumprod over i gives the products.
  const pairShape = [...x.shape.slice(0, d), n, ...x.shape.slice(d)];
  const eyeShape = pairShape.map((s, k) => (k === d || k === d + 1 ? s : 1));
  const diagonal = eye(n, { dtype: "bool" }).reshape(eyeShape);
  const xk = where(diagonal, 1, x.unsqueeze(d).expand(pairShape));
  const products = cumprod(xk, d + 1);
  const upper = triu(ones([n, n], { dtype: "bool" })).reshape(eyeShape); // j >= k
  return where(upper, products.mul(g.unsqueeze(d)), 0).sum(d + 1);
}

/**
 * The running product along `dim` (torch.cumprod); gradient as PyTorch's, zeros included.
 *
 * @example
 * torch.cumprod(torch.tensor([1, 2, 3]), 0); // tensor([1, 2, 6])
 */
export function cumprod(x: Tensor, dimOrOptions: number | ScanOptions, dtype?: DTypeLike): Tensor {
  checkTensor("cumprod", "input", x);
  const opts = parseScan(dimOrOptions, dtype);
  const d = normalizeDim(opts.dim, x.ndim);
  const outDType = scanDType(x, opts.dtype);
  const input = x.dtype === outDType ? x : x.to(outDType);
  const out = scanKernel("prod", input, d);
  return record(
    "CumprodBackward0",
    out,
    [input],
    (g, [sx, so]) => {
      if (sx!.ndim === 0 || sx!.numel() === 0) return [g];
      if (sx!.eq(0).sum().item() === 0) return [reverseCumsum(g.mul(so!), d).div(sx!)];
      return [cumprodGradWithZeros(g, sx!, d)];
    },
    [input, out],
  );
}

/** logcumsumexp's gradient over (k, j) pairs: sum_{j >= k} g_j exp(x_k - out_j). */
function logcumsumexpGradPairs(g: Tensor, x: Tensor, out: Tensor, d: number): Tensor {
  if (x.ndim === 0) return g;
  const n = x.shape[d]!;
  const maskShape = [...x.shape.slice(0, d), n, n, ...x.shape.slice(d + 1)].map((s, k) =>
    k === d || k === d + 1 ? s : 1,
  );
  const upper = triu(ones([n, n], { dtype: "bool" })).reshape(maskShape); // j >= k
  // The mask comes before exp, so that the unused j < k terms cannot overflow.
  const diff = where(upper, x.unsqueeze(d + 1).sub(out.unsqueeze(d)), -Infinity);
  return diff
    .exp()
    .mul(g.unsqueeze(d))
    .sum(d + 1);
}

/**
 * log(cumsum(exp(x))) along `dim`, computed stably (torch.logcumsumexp); floating inputs only.
 *
 * @example
 * torch.logcumsumexp(x, -1);
 */
export function logcumsumexp(x: Tensor, dim: number): Tensor {
  checkTensor("logcumsumexp", "input", x);
  const d = normalizeDim(dim, x.ndim);
  if (!isFloatingPoint(x.dtype)) {
    throw new DTypeError(`"logcumsumexp_out_cpu" not implemented for 'Long'`);
  }
  const out = scanKernel("logsumexp", x, d);
  return record(
    "LogcumsumexpBackward0",
    out,
    [x],
    (g, [sx, so]) => {
      // grad_k = sum_{j>=k} g_j exp(x_k - out_j). When the gradient is itself recorded
      // (createGraph) it is the n-by-n composite, differentiable everywhere.
      if (isGradEnabled()) return [logcumsumexpGradPairs(g, sx!, so!, d)];
      // Otherwise O(n): split by the sign of g, each part a reverse logcumsumexp of
      // log|g_j| - out_j, as PyTorch's logcumsumexp_backward.
      const part = (w: Tensor): Tensor => {
        const logs = w.log().sub(so!);
        return flip(logcumsumexp(flip(logs, d), d), d)
          .add(sx!)
          .exp();
      };
      return [part(g.relu()).sub(part(g.neg().relu()))];
    },
    [x, out],
  );
}

/**
 * Running max or min along `d` with the index where it was reached: PyTorch's cummax_helper
 * takes a new value on `>=` (`<=` for min), so ties move the index forward, and NaN sticks.
 */
function cumExtremum(op: "max" | "min", x: Tensor, dim: number): ValuesIndices {
  const d = normalizeDim(dim, x.ndim);
  const { data, outer, n, inner } = alongDim(x, d);
  const values = allocate(x.dtype, data.length);
  const indices = new Int32Array(data.length);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      let best = 0;
      let at = 0;
      for (let i = 0; i < n; i++) {
        const k = o * n * inner + i * inner + j;
        const v = data[k]!;
        const better = op === "max" ? v >= best : v <= best;
        if (i === 0 || Number.isNaN(v) || (!Number.isNaN(best) && better)) {
          best = v;
          at = i;
        }
        values[k] = best;
        indices[k] = at;
      }
    }
  }
  const v = Tensor.fromData(values, x.shape);
  const idx = Tensor.fromData(indices, x.shape);
  const shape = x.shape;
  record(
    op === "max" ? "CummaxBackward0" : "CumminBackward0",
    v,
    [x],
    (g, [si]) => [x.ndim === 0 ? g : scatterAdd(emptyTensor(shape, g.dtype), d, si!, g)],
    [idx],
  );
  return valuesIndices(v, idx);
}

/**
 * The running maximum along `dim` and the index where each was reached (torch.cummax), as
 * `[values, indices]` with `.values`/`.indices`; equal values move the index to the later one,
 * NaN propagates.
 *
 * @example
 * const [values, indices] = torch.cummax(torch.tensor([1, 3, 2, 3]), 0); // [1,3,3,3], [0,1,1,3]
 */
export function cummax(x: Tensor, dim: number): ValuesIndices {
  checkTensor("cummax", "input", x);
  return cumExtremum("max", x, dim);
}

/**
 * The running minimum along `dim` and its indices (torch.cummin), as cummax.
 *
 * @example
 * const { values, indices } = torch.cummin(torch.tensor([3, 1, 2]), 0); // values [3, 1, 1]
 */
export function cummin(x: Tensor, dim: number): ValuesIndices {
  checkTensor("cummin", "input", x);
  return cumExtremum("min", x, dim);
}

declare module "../tensor/tensor.js" {
  interface Tensor {
    /** `torch.cumsum(this, dim)`. @example x.cumsum(0) */
    cumsum(dimOrOptions: number | ScanOptions, dtype?: DTypeLike): Tensor;
    /** In-place cumsum. @example x.cumsum_(0) */
    cumsum_(dimOrOptions: number | ScanOptions, dtype?: DTypeLike): this;
    /** `torch.cumprod(this, dim)`. @example x.cumprod(1) */
    cumprod(dimOrOptions: number | ScanOptions, dtype?: DTypeLike): Tensor;
    /** In-place cumprod. @example x.cumprod_(0) */
    cumprod_(dimOrOptions: number | ScanOptions, dtype?: DTypeLike): this;
    /** `torch.logcumsumexp(this, dim)`. @example x.logcumsumexp(0) */
    logcumsumexp(dim: number): Tensor;
    /** `torch.cummax(this, dim)`. @example const { values, indices } = x.cummax(0) */
    cummax(dim: number): ValuesIndices;
    /** `torch.cummin(this, dim)`. @example const { values, indices } = x.cummin(0) */
    cummin(dim: number): ValuesIndices;
  }
}

defineMethods({
  cumsum(this: Tensor, dimOrOptions: number | ScanOptions, dtype?: DTypeLike) {
    return cumsum(this, dimOrOptions, dtype);
  },
  cumsum_(this: Tensor, dimOrOptions: number | ScanOptions, dtype?: DTypeLike) {
    return inPlace("cumsum_", this, () => cumsum(this, dimOrOptions, dtype));
  },
  cumprod(this: Tensor, dimOrOptions: number | ScanOptions, dtype?: DTypeLike) {
    return cumprod(this, dimOrOptions, dtype);
  },
  cumprod_(this: Tensor, dimOrOptions: number | ScanOptions, dtype?: DTypeLike) {
    return inPlace("cumprod_", this, () => cumprod(savedSelf(this), dimOrOptions, dtype));
  },
  logcumsumexp(this: Tensor, dim: number) {
    return logcumsumexp(this, dim);
  },
  cummax(this: Tensor, dim: number) {
    return cummax(this, dim);
  },
  cummin(this: Tensor, dim: number) {
    return cummin(this, dim);
  },
});
