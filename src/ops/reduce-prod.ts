import { noGrad } from "../autograd/grad-mode.js";
import { getBackend } from "../backend/registry.js";
import { ValueError } from "../errors.js";
import { isFloatingPoint, toDType, type DTypeLike } from "../tensor/dtype.js";
import { numel } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { parseReduceArgs, reduceKernel, restoreReduced } from "./reduce-common.js";
import { defineMethods, emptyTensor, record } from "./support.js";
import { checkTensor } from "../validation/tensors.js";

/** prod takes one dim, as in PyTorch: `x.prod()`, `x.prod(1)`, `x.prod({ dim: 1, keepdim: true })`. */
export type ProdDimArg = number | { dim?: number; keepdim?: boolean } | undefined;

/**
 * `t` moved by `s` places along its last dim (right for s > 0, left for s < 0), the vacated
 * places holding `fill`. Differentiable: its gradient is the opposite shift with fill 0.
 */
function shiftLast(t: Tensor, s: number, fill: number): Tensor {
  const k = t.shape[t.ndim - 1]!;
  const out = emptyTensor(t.shape, t.dtype);
  getBackend().fill(out.view_(), fill);
  const n = k - Math.abs(s);
  if (n > 0) {
    const [src, dst] = noGrad(() =>
      s >= 0 ? [t.slice(-1, 0, n), out.slice(-1, s, k)] : [t.slice(-1, -s, k), out.slice(-1, 0, n)],
    );
    getBackend().copy(src.view_(), dst.view_());
  }
  return record("ShiftBackward", out, [t], (g) => [shiftLast(g, -s, 0)]);
}

/** Exclusive cumulative product along the last dim, forward or from the end (log-step scan). */
function exclusiveCumprod(t: Tensor, reverse: boolean): Tensor {
  const k = t.shape[t.ndim - 1]!;
  const dir = reverse ? -1 : 1;
  let acc = shiftLast(t, dir, 1);
  for (let s = 1; s < k; s *= 2) acc = acc.mul(shiftLast(acc, dir * s, 1));
  return acc;
}

/**
 * For every element, the product of the other elements of its group over `dims`, without
 * dividing: exact with zeros in the input and differentiable again (PyTorch's
 * prod_safe_zeros_backward, which multiplies exclusive cumprods from both ends).
 */
function productOfOthers(x: Tensor, dims: readonly number[]): Tensor {
  const kept = x.shape.map((_, d) => d).filter((d) => !dims.includes(d));
  const perm = [...kept, ...dims];
  const moved = x.permute(perm);
  const k = numel(dims.map((d) => x.shape[d]!));
  const flat = moved.reshape([...kept.map((d) => x.shape[d]!), k]);
  const others = exclusiveCumprod(flat, false).mul(exclusiveCumprod(flat, true));
  const inverse = new Array<number>(perm.length);
  perm.forEach((d, i) => (inverse[d] = i));
  return others.reshape(moved.shape).permute(inverse);
}

/**
 * Product of all elements, or over one `dim`. Integer and bool inputs give int32 (PyTorch:
 * int64). The gradient is exact with zeros in the input, as PyTorch's prod_backward.
 *
 * @example
 * x.prod(); x.prod(1); x.prod({ dim: 0, keepdim: true });
 */
export function prod(
  x: Tensor,
  dim?: ProdDimArg,
  keepdim?: boolean,
  options: { dtype?: DTypeLike } = {},
): Tensor {
  checkTensor("prod", "input", x);
  if (Array.isArray(dim)) {
    throw new ValueError("prod(): dim must be a single int (PyTorch's prod takes one dim)");
  }
  const { dims, keepdim: keep } = parseReduceArgs(x, dim, keepdim);
  const outDType = options.dtype
    ? toDType(options.dtype)
    : isFloatingPoint(x.dtype)
      ? x.dtype
      : "int32";
  const input = x.dtype === outDType ? x : x.to(outDType);
  const out = reduceKernel("prod", input, dims, keep, outDType);
  return record(
    "ProdBackward0",
    out,
    [input],
    (g, [sx, so]) => {
      if (sx!.ndim === 0) return [g];
      const grad = restoreReduced(g, dims, keep);
      const hasZero = sx!.toArray().some((v) => v === 0);
      // Without zeros PyTorch uses result / input; with any zero, the product of the others.
      if (!hasZero) return [grad.mul(restoreReduced(so!, dims, keep).div(sx!))];
      return [grad.mul(productOfOthers(sx!, dims))];
    },
    [input, out],
  );
}

declare module "../tensor/tensor.js" {
  interface Tensor {
    /** Product of all elements or over one dim. @example x.prod(1) */
    prod(dim?: ProdDimArg, keepdim?: boolean): Tensor;
  }
}

defineMethods({
  prod(this: Tensor, dim?: ProdDimArg, keepdim?: boolean) {
    return prod(this, dim, keepdim);
  },
});
