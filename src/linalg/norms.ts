/**
 * linalg.vectorNorm, matrixNorm and norm, composed from differentiable ops (the p-norm
 * reduction, abs/sum/amax, svdvals), so their gradients are those ops' gradients.
 */
import { DTypeError, ShapeError, ValueError } from "../errors.js";
import { norm as pNorm } from "../ops/reduce-stats.js";
import { isFloatingPoint } from "../tensor/dtype.js";
import type { Tensor } from "../tensor/tensor.js";
import { checkTensor } from "../validation/tensors.js";
import { torchName } from "./batch.js";
import { svdvals } from "./decompositions.js";

/** Options of linalg.vectorNorm. */
export interface VectorNormOptions {
  /** Dims to reduce over (all when omitted, the input flattened). */
  dim?: number | readonly number[];
  keepdim?: boolean;
}

/** A matrix norm's order: "fro", "nuc", ±1, ±2, ±Infinity. */
export type MatrixNormOrder = "fro" | "nuc" | number;

/** Options of linalg.matrixNorm. */
export interface MatrixNormOptions {
  /** The two dims holding the matrices (default [-2, -1]). */
  dim?: readonly [number, number];
  keepdim?: boolean;
}

function checkFloat(op: string, x: Tensor): void {
  if (!isFloatingPoint(x.dtype)) {
    throw new DTypeError(
      `${op}: Expected a floating point or complex tensor as input. Got ${torchName(x.dtype)}`,
    );
  }
}

/**
 * The vector `ord`-norm of `x` over `dim` (torch.linalg.vector_norm): ord 2 by default, any
 * real number, Infinity (max |x|), -Infinity (min |x|) or 0 (the count of non-zeros).
 *
 * @example
 * torch.linalg.vectorNorm(torch.tensor([3, 4])); // 5
 * torch.linalg.vectorNorm(x, 1, { dim: 1, keepdim: true });
 */
export function vectorNorm(x: Tensor, ord = 2, options: VectorNormOptions = {}): Tensor {
  const op = "linalg.vector_norm";
  const t = checkTensor(op, "x", x);
  checkFloat(op, t);
  if (typeof ord !== "number" || Number.isNaN(ord)) {
    throw new ValueError(`${op}: ord must be a number, got ${String(ord)}`);
  }
  const dims =
    options.dim === undefined
      ? undefined
      : typeof options.dim === "number"
        ? [options.dim]
        : [...options.dim];
  if (t.numel() === 0 && ord < 0) {
    throw new ShapeError(
      `${op} cannot compute the ${ord} norm on an empty tensor because the operation does not have an identity`,
    );
  }
  return pNorm(t, { p: ord, dim: dims, keepdim: options.keepdim ?? false });
}

function moveToEnd(a: Tensor, d0: number, d1: number): Tensor {
  const rest = Array.from({ length: a.ndim }, (_, i) => i).filter((i) => i !== d0 && i !== d1);
  return a.permute([...rest, d0, d1]);
}

/**
 * The matrix norm of each matrix of `A` over the two dims `dim` (torch.linalg.matrix_norm):
 * "fro" (default), "nuc" (sum of singular values), 2 / -2 (largest / smallest singular value),
 * 1 / -1 (max / min column sum of |A|), Infinity / -Infinity (max / min row sum).
 *
 * @example
 * torch.linalg.matrixNorm(a); // Frobenius
 * torch.linalg.matrixNorm(a, "nuc");
 */
export function matrixNorm(
  A: Tensor,
  ord: MatrixNormOrder = "fro",
  options: MatrixNormOptions = {},
): Tensor {
  const op = "linalg.matrix_norm";
  const a = checkTensor(op, "A", A);
  if (a.ndim < 2)
    throw new ShapeError(`${op}: The input tensor A must have at least 2 dimensions.`);
  checkFloat(op, a);
  const keepdim = options.keepdim ?? false;
  const dim: readonly number[] = options.dim ?? [-2, -1];
  if (dim.length !== 2) throw new ShapeError(`${op}: dim must be a 2-tuple. Got ${dim.join(" ")}`);
  const [r0, r1] = dim as [number, number];
  const d0 = r0 < 0 ? r0 + a.ndim : r0;
  const d1 = r1 < 0 ? r1 + a.ndim : r1;
  if (d0 === d1 || d0 < 0 || d1 < 0 || d0 >= a.ndim || d1 >= a.ndim) {
    throw new ShapeError(`${op}: dims must be different. Got (${r0}, ${r1})`);
  }
  if (ord === "fro") return vectorNorm(a, 2, { dim: [d0, d1], keepdim });
  const restore = (t: Tensor): Tensor =>
    keepdim ? t.unsqueeze(Math.min(d0, d1)).unsqueeze(Math.max(d0, d1)) : t;
  if (ord === "nuc") return restore(svdvals(moveToEnd(a, d0, d1)).sum(-1));
  const abs = Math.abs(ord);
  if (abs === 2) {
    const s = svdvals(moveToEnd(a, d0, d1));
    return restore(ord > 0 ? s.amax(-1) : s.amin(-1));
  }
  if (abs === 1 || abs === Infinity) {
    // 1: columns summed over the row dim; Infinity: rows summed over the column dim.
    const [sumDim, extDim] = abs === 1 ? [d0, d1] : [d1, d0];
    const sums = a.abs().sum(sumDim, true);
    const ext = ord > 0 ? sums.amax(extDim, true) : sums.amin(extDim, true);
    return keepdim
      ? ext
      : ext.squeeze([d0, d1].sort((x, y) => y - x)[0]!).squeeze(Math.min(d0, d1));
  }
  throw new ValueError(`${op}: Order ${String(ord)} not supported.`);
}

/**
 * A vector or a matrix norm (torch.linalg.norm): with `dim` of two dims, a string `ord`, or a
 * 2-d input and no `dim`, a matrix norm; otherwise a vector norm (the input flattened when
 * neither `ord` nor `dim` is given).
 *
 * @example
 * torch.linalg.norm(x); // 2-norm of all elements
 * torch.linalg.norm(a, "nuc");
 */
export function norm(
  A: Tensor,
  ord?: MatrixNormOrder,
  options: { dim?: number | readonly number[]; keepdim?: boolean } = {},
): Tensor {
  const op = "linalg.norm";
  const a = checkTensor(op, "A", A);
  const keepdim = options.keepdim ?? false;
  const dims =
    options.dim === undefined
      ? undefined
      : typeof options.dim === "number"
        ? [options.dim]
        : [...options.dim];
  // As PyTorch: a string order is always a matrix norm; no order is the vector 2-norm.
  if (typeof ord === "string")
    return matrixNorm(a, ord, { dim: (dims ?? [-2, -1]) as unknown as [number, number], keepdim });
  if (ord === undefined) return vectorNorm(a, 2, { dim: dims, keepdim });
  if (dims === undefined && a.ndim !== 1 && a.ndim !== 2) {
    throw new ShapeError(
      `${op}: If dim is not specified but ord is, the input must be 1D or 2D. Got ${a.ndim}D.`,
    );
  }
  const over = dims ?? (a.ndim === 2 ? [-2, -1] : [0]);
  if (over.length === 2) return matrixNorm(a, ord, { dim: [over[0]!, over[1]!], keepdim });
  return vectorNorm(a, ord, { dim: over, keepdim });
}
