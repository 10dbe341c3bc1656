import { NotImplementedError, ValueError } from "../errors.js";
import { record } from "../ops/support.js";
import { cat } from "../ops/join.js";
import { empty, eye, zeros } from "../tensor/create.js";
import type { Tensor } from "../tensor/tensor.js";
import { checkMatrix, fromDoubles, matrices, packParts, unpack } from "./batch.js";
import { inv } from "./inverse.js";
import { householderQR } from "./kernels/householder.js";

/** torch.linalg.qr's modes. */
export type QRMode = "reduced" | "complete" | "r";

/**
 * The QR decomposition of each matrix of `A` [..., m, n] by Householder reflections
 * (torch.linalg.qr): `[Q, R]` with Q orthonormal columns and R upper triangular, R's diagonal
 * signed as LAPACK's. `mode`: "reduced" (Q [..., m, k], R [..., k, n], k = min(m, n)),
 * "complete" (Q [..., m, m], R [..., m, n]) or "r" (R only, Q empty).
 *
 * @example
 * const [q, r] = torch.linalg.qr(a); // q.matmul(r) equals a
 */
export function qr(A: Tensor, mode: QRMode = "reduced"): [Q: Tensor, R: Tensor] {
  const op = "linalg.qr";
  const a = checkMatrix(op, "A", A);
  if (mode !== "reduced" && mode !== "complete" && mode !== "r") {
    throw new ValueError(
      `qr received unrecognized mode '${String(mode)}' but expected one of 'reduced' (default), 'r', or 'complete'`,
    );
  }
  const mats = matrices(a);
  const { m, n, batch } = mats;
  const k = Math.min(m, n);
  const qCols = mode === "complete" ? m : k;
  const rRows = mode === "complete" ? m : k;
  const parts: Float64Array[][] = [];
  for (let i = 0; i < mats.count; i++) {
    const { q, r } = householderQR(mats.at(i), m, n, qCols);
    parts.push([q, r.subarray(0, rRows * n)]);
  }
  const shapes = [
    [m, qCols],
    [rRows, n],
  ];
  const packed = fromDoubles(
    packParts(parts, mats.count),
    [...batch, m * qCols + rRows * n],
    a.dtype,
  );
  const node = record(
    "LinalgQrBackward0",
    packed,
    [a],
    (g, [sp]) => {
      if (mode === "r") {
        throw new NotImplementedError(
          "The derivative of linalg.qr depends on Q, which is not computed when mode='r'. Please use linalg.qr(A, mode='reduced') if you are going to differentiate through linalg.qr.",
        );
      }
      if (mode === "complete" && m > n) {
        throw new NotImplementedError(
          "The QR decomposition is not differentiable when mode='complete' and nrows > ncols.",
        );
      }
      const [q, r] = unpack(sp!, batch, shapes) as [Tensor, Tensor];
      const [gq, gr] = unpack(g, batch, shapes) as [Tensor, Tensor];
      return [qrBackward(gq, gr, q, r, m, n)];
    },
    [packed],
  );
  const [q, r] = unpack(node, batch, shapes) as [Tensor, Tensor];
  return [mode === "r" ? empty([0], { dtype: a.dtype }) : q, r];
}

/** PyTorch's linalg_qr_backward (FunctionsManual.cpp) for real inputs. */
function qrBackward(gq: Tensor, gr: Tensor, q: Tensor, r: Tensor, m: number, n: number): Tensor {
  const x = gr.matmul(r.mT).sub(q.mT.matmul(gq));
  if (m >= n) {
    // X + Xᵀ from the upper triangle, the diagonal counted once; then · R⁻ᵀ.
    const upper = x.triu();
    const sym = upper.add(upper.mT).sub(upper.mul(eye(n, { dtype: x.dtype })));
    return q.matmul(sym).add(gq).matmul(inv(r).mT);
  }
  // Wide: A = Q [R₁ R₂]; the square block R₁ carries Q.
  const neg = x.neg();
  const skew = neg.sub(neg.mT).tril();
  const r1 = r.narrow(-1, 0, m);
  const first = q.matmul(skew).matmul(inv(r1).mT);
  const pad = zeros([...first.shape.slice(0, -1), n - m], { dtype: x.dtype });
  return cat([first, pad], -1).add(q.matmul(gr));
}
