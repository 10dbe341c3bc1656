import { record } from "../ops/support.js";
import type { Tensor } from "../tensor/tensor.js";
import { checkSquare, failed, fromDoubles, matrices } from "./batch.js";
import { inv } from "./inverse.js";
import { choleskyLower } from "./kernels/cholesky.js";

/** L with A = L Lᵀ, read from A's lower triangle. */
function lowerFactor(op: string, a: Tensor): Tensor {
  const mats = matrices(a);
  const n = mats.n;
  const out = new Float64Array(mats.count * n * n);
  for (let i = 0; i < mats.count; i++) {
    const { l, info } = choleskyLower(mats.at(i), n);
    if (info !== 0) {
      failed(
        op,
        a.ndim > 2,
        i,
        `The factorization could not be completed because the input is not positive-definite (the leading minor of order ${info} is not positive-definite).`,
      );
    }
    out.set(l, i * n * n);
  }
  const result = fromDoubles(out, a.shape, a.dtype);
  // PyTorch's cholesky_backward: Φ(Lᵀ gL) symmetrised, then L⁻ᵀ · L⁻¹ on either side.
  return record(
    "LinalgCholeskyExBackward0",
    result,
    [a],
    (g, [l]) => {
      const inner = l!.mT.matmul(g).tril();
      const sym = inner.add(inner.tril(-1).mT).mul(0.5);
      const li = inv(l!);
      return [li.mT.matmul(sym).matmul(li)];
    },
    [result],
  );
}

/**
 * The Cholesky factor of each symmetric positive-definite matrix of `A` [..., n, n]
 * (torch.linalg.cholesky): lower L with A = L Lᵀ from A's lower triangle, or with
 * `upper: true` upper U with A = Uᵀ U from A's upper triangle.
 *
 * @example
 * const a = torch.tensor([[4, 2], [2, 3]], { dtype: "float64" });
 * torch.linalg.cholesky(a); // [[2, 0], [1, 1.4142...]]
 */
export function cholesky(A: Tensor, options: { upper?: boolean } = {}): Tensor {
  const op = "linalg.cholesky";
  const a = checkSquare(op, A);
  // The upper factor of A is the transposed lower factor of Aᵀ (whose lower triangle is A's upper).
  return options.upper === true ? lowerFactor(op, a.mT).mT : lowerFactor(op, a);
}
