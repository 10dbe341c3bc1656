/**
 * Matrix helpers written as composites of differentiable ops: addmm, baddbmm, diag, diagonal,
 * trace and meshgrid.
 */
import { ShapeError, ValueError } from "../errors.js";
import { arange, eye } from "../tensor/create.js";
import { normalizeDim } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { where } from "./binary.js";
import { inPlace } from "./inplace.js";
import { bmm, mm } from "./linalg.js";
import { pad } from "./pad.js";
import { defineMethods } from "./support.js";
import { checkTensor, checkTensorList } from "../validation/tensors.js";

/** The scale factors of addmm/baddbmm: `beta * input + alpha * (product)`. */
export interface AddmmOptions {
  beta?: number;
  alpha?: number;
}

/** beta * input + alpha * product, with PyTorch's rule that beta = 0 ignores input (NaN too). */
function scaledSum(input: Tensor, product: Tensor, { beta = 1, alpha = 1 }: AddmmOptions): Tensor {
  const base = input.expand(product.shape); // PyTorch's expand error for a bad input shape
  const scaled = alpha === 1 ? product : product.mul(alpha);
  if (beta === 0) return scaled;
  return (beta === 1 ? base : base.mul(beta)).add(scaled);
}

/**
 * `beta * input + alpha * (mat1 @ mat2)` for 2-D mat1 and mat2 (torch.addmm); `input`
 * broadcasts to the product's shape.
 *
 * @example
 * torch.addmm(bias, x, w); torch.addmm(c, a, b, { beta: 0.5, alpha: 2 });
 */
export function addmm(
  input: Tensor,
  mat1: Tensor,
  mat2: Tensor,
  options: AddmmOptions = {},
): Tensor {
  checkTensor("addmm", "input", input);
  checkTensor("addmm", "mat1", mat1);
  checkTensor("addmm", "mat2", mat2);
  if (mat1.ndim !== 2) throw new ShapeError(`mat1 must be a matrix, got ${mat1.ndim}-D tensor`);
  if (mat2.ndim !== 2) throw new ShapeError(`mat2 must be a matrix, got ${mat2.ndim}-D tensor`);
  return scaledSum(input, mm(mat1, mat2), options);
}

/**
 * `beta * input + alpha * (batch1 @ batch2)` for 3-D batches (torch.baddbmm).
 *
 * @example
 * torch.baddbmm(mask, q, k.transpose(1, 2), { beta: 1, alpha: 1 / Math.sqrt(d) });
 */
export function baddbmm(
  input: Tensor,
  batch1: Tensor,
  batch2: Tensor,
  options: AddmmOptions = {},
): Tensor {
  checkTensor("baddbmm", "input", input);
  checkTensor("baddbmm", "batch1", batch1);
  checkTensor("baddbmm", "batch2", batch2);
  return scaledSum(input, bmm(batch1, batch2), options);
}

/**
 * The `offset` diagonal of the last two dims, as a new last dim: where(mask, x, 0) summed over
 * the columns, then narrowed to the rows the diagonal crosses.
 */
function diagonalOf(x: Tensor, offset: number): Tensor {
  const r = x.shape[x.ndim - 2]!;
  const c = x.shape[x.ndim - 1]!;
  const length = Math.max(0, offset >= 0 ? Math.min(r, c - offset) : Math.min(r + offset, c));
  // mask[i][j]: j - i == offset.
  const mask = arange(c).unsqueeze(0).sub(arange(r).unsqueeze(1)).eq(offset);
  const start = length === 0 ? 0 : offset >= 0 ? 0 : -offset;
  return where(mask, x, 0).sum(-1).narrow(-1, start, length);
}

/**
 * The `offset` diagonal of the (dim1, dim2) planes (torch.diagonal), as the last dim of the
 * result (> 0 above the main diagonal, < 0 below). PyTorch returns a view; this is a copy.
 *
 * @example
 * torch.diagonal(torch.eye(3)); // [1, 1, 1]
 * torch.diagonal(batch, { offset: 1, dim1: -2, dim2: -1 });
 */
export function diagonal(
  x: Tensor,
  options: { offset?: number; dim1?: number; dim2?: number } = {},
): Tensor {
  checkTensor("diagonal", "input", x);
  const { offset = 0 } = options;
  const d1 = normalizeDim(options.dim1 ?? 0, x.ndim);
  const d2 = normalizeDim(options.dim2 ?? 1, x.ndim);
  if (d1 === d2) {
    throw new ValueError(
      `diagonal dimensions cannot be identical ${options.dim1 ?? 0}, ${options.dim2 ?? 1}`,
    );
  }
  const rest = x.shape.map((_, k) => k).filter((k) => k !== d1 && k !== d2);
  return diagonalOf(x.permute([...rest, d1, d2]), offset);
}

/**
 * torch.diag: a 1-D input becomes a square matrix with it on the `diagonal`-th diagonal; a 2-D
 * input gives its `diagonal`-th diagonal as 1-D (0 the main one, > 0 above, < 0 below).
 *
 * @example
 * torch.diag(torch.tensor([1, 2])); // [[1, 0], [0, 2]]
 * torch.diag(m, 1);
 */
export function diag(x: Tensor, diagonal = 0): Tensor {
  checkTensor("diag", "input", x);
  if (x.ndim === 2) return diagonalOf(x, diagonal);
  if (x.ndim !== 1) throw new ShapeError("matrix or a vector expected");
  const n = x.shape[0]!;
  const square = where(eye(n, { dtype: "bool" }), x, 0);
  const k = Math.abs(diagonal);
  // Above the main diagonal: k zero columns on the left and k zero rows at the bottom.
  return diagonal >= 0 ? pad(square, [k, 0, 0, k]) : pad(square, [0, k, k, 0]);
}

/**
 * The sum of a matrix's main diagonal (torch.trace); integers sum to int32 (PyTorch: int64).
 *
 * @example
 * torch.trace(torch.eye(3)); // tensor(3.)
 */
export function trace(x: Tensor): Tensor {
  checkTensor("trace", "input", x);
  if (x.ndim !== 2) {
    throw new ShapeError(`trace: expected a matrix, but got tensor with dim ${x.ndim}`);
  }
  return diagonalOf(x, 0).sum();
}

/**
 * Coordinate grids from 1-D (or 0-d) tensors (torch.meshgrid): with `indexing: "ij"` output i
 * varies along dim i; with "xy" the first two dims are swapped (NumPy's Cartesian order).
 * PyTorch 1.13 defaults to "ij". The outputs are expanded views, as in PyTorch.
 *
 * @example
 * const [gy, gx] = torch.meshgrid([torch.arange(3), torch.arange(4)], { indexing: "ij" });
 */
export function meshgrid(
  tensors: readonly Tensor[],
  options: { indexing?: "ij" | "xy" } = {},
): Tensor[] {
  checkTensorList("meshgrid", "tensors", tensors);
  const indexing = options.indexing ?? "ij";
  if (indexing !== "ij" && indexing !== "xy") {
    throw new ValueError(
      `torch.meshgrid: indexing must be one of "xy" or "ij", but received: ${String(indexing)}`,
    );
  }
  if (tensors.length === 0) throw new ValueError("meshgrid expects a non-empty TensorList");
  for (const t of tensors) {
    if (t.ndim > 1) {
      throw new ShapeError(
        `torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got:  ${t.shape.join("  ")}`,
      );
    }
  }
  const sizes = tensors.map((t) => t.numel());
  // "xy": the first two inputs vary along dims 1 and 0.
  const swap = indexing === "xy" && tensors.length >= 2;
  const dimOf = (i: number): number => (swap && i < 2 ? 1 - i : i);
  const shape = tensors.map((_, d) => sizes[tensors.findIndex((__, i) => dimOf(i) === d)]!);
  return tensors.map((t, i) => {
    const view = shape.map((_, d) => (d === dimOf(i) ? sizes[i]! : 1));
    return t.reshape(view).expand(shape);
  });
}

declare module "../tensor/tensor.js" {
  interface Tensor {
    /** `torch.addmm(this, mat1, mat2, options)`. @example bias.addmm(x, w.t()) // bias + x @ w^T */
    addmm(mat1: Tensor, mat2: Tensor, options?: AddmmOptions): Tensor;
    /** In-place addmm. @example out.addmm_(a, b, { beta: 0.5, alpha: 2 }) */
    addmm_(mat1: Tensor, mat2: Tensor, options?: AddmmOptions): this;
    /**
     * `torch.baddbmm(this, batch1, batch2, options)`.
     *
     * @example
     * c.baddbmm(a, b) // c + a @ b, batched
     */
    baddbmm(batch1: Tensor, batch2: Tensor, options?: AddmmOptions): Tensor;
    /** In-place baddbmm. @example c.baddbmm_(a, b, { beta: 0 }) */
    baddbmm_(batch1: Tensor, batch2: Tensor, options?: AddmmOptions): this;
    /** `torch.diag(this, diagonal)`. @example torch.tensor([1, 2]).diag() // 2x2 diagonal matrix */
    diag(diagonal?: number): Tensor;
    /** `torch.trace(this)`. @example torch.eye(3).trace() // 3 */
    trace(): Tensor;
    /** `torch.diagonal(this, options)`. @example torch.eye(3).diagonal() // [1, 1, 1] */
    diagonal(options?: { offset?: number; dim1?: number; dim2?: number }): Tensor;
  }
}

defineMethods({
  addmm(this: Tensor, mat1: Tensor, mat2: Tensor, options?: AddmmOptions) {
    return addmm(this, mat1, mat2, options);
  },
  addmm_(this: Tensor, mat1: Tensor, mat2: Tensor, options?: AddmmOptions) {
    return inPlace("addmm_", this, () => addmm(this, mat1, mat2, options));
  },
  baddbmm(this: Tensor, batch1: Tensor, batch2: Tensor, options?: AddmmOptions) {
    return baddbmm(this, batch1, batch2, options);
  },
  baddbmm_(this: Tensor, batch1: Tensor, batch2: Tensor, options?: AddmmOptions) {
    return inPlace("baddbmm_", this, () => baddbmm(this, batch1, batch2, options));
  },
  diag(this: Tensor, diagonal?: number) {
    return diag(this, diagonal);
  },
  trace(this: Tensor) {
    return trace(this);
  },
  diagonal(this: Tensor, options?: { offset?: number; dim1?: number; dim2?: number }) {
    return diagonal(this, options);
  },
});
