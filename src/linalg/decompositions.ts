/**
 * The spectral decompositions: eigh / eigvalsh (cyclic Jacobi) and svd / svdvals (one-sided
 * Jacobi), with PyTorch's gradients (linalg_eig_backward, svd_backward in FunctionsManual.cpp).
 */
import { ValueError } from "../errors.js";
import { record } from "../ops/support.js";
import { eye } from "../tensor/create.js";
import type { Tensor } from "../tensor/tensor.js";
import { checkMatrix, checkSquare, fromDoubles, matrices, packParts, unpack } from "./batch.js";
import { jacobiEigh, jacobiSvdTall } from "./kernels/jacobi.js";

function transposed(a: Float64Array, rows: number, cols: number): Float64Array {
  const t = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = a[i * cols + j]!;
  return t;
}

/** v [..., n] on the diagonal of [..., n, n] (torch.diag_embed), differentiably. */
function diagEmbed(v: Tensor): Tensor {
  return v.unsqueeze(-1).mul(eye(v.shape[v.ndim - 1]!, { dtype: v.dtype }));
}

/** The symmetric matrix that `uplo`'s triangle of a describes. */
function symmetric(a: Float64Array, n: number, uplo: "L" | "U"): Float64Array {
  const s = Float64Array.from(a);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const v = uplo === "L" ? a[i * n + j]! : a[j * n + i]!;
      s[i * n + j] = v;
      s[j * n + i] = v;
    }
  }
  return s;
}

function checkUplo(uplo: string): "L" | "U" {
  const u = uplo.toUpperCase();
  if (uplo.length !== 1 || (u !== "L" && u !== "U")) {
    throw new ValueError(`Expected UPLO argument to be 'L' or 'U', but got ${uplo}`);
  }
  return u;
}

function eighParts(op: string, A: Tensor, uplo: string) {
  const a = checkSquare(op, A);
  const u = checkUplo(uplo);
  const mats = matrices(a);
  const n = mats.n;
  const parts: Float64Array[][] = [];
  for (let i = 0; i < mats.count; i++) {
    const { w, v } = jacobiEigh(symmetric(mats.at(i), n, u), n);
    parts.push([w, v]);
  }
  return { a, n, batch: mats.batch, packed: packParts(parts, mats.count) };
}

/** PyTorch's linalg_eig_backward for a hermitian input: V (skew(VᵀgV)/E + diag(gL)) Vᵀ. */
function eighBackward(gl: Tensor, gv: Tensor, l: Tensor, v: Tensor): Tensor {
  const vtgv = v.mT.matmul(gv);
  const skew = vtgv.sub(vtgv.mT).mul(0.5);
  const n = l.shape[l.ndim - 1]!;
  const one = eye(n, { dtype: l.dtype });
  // E_ij = L_j - L_i, with ones on the diagonal (where skew is 0 and gL goes).
  const e = l.unsqueeze(-2).sub(l.unsqueeze(-1)).add(one);
  const inner = skew.div(e).add(diagEmbed(gl));
  return v.matmul(inner).matmul(v.mT);
}

/**
 * The eigenvalues (ascending) and orthonormal eigenvectors (columns) of each symmetric matrix
 * of `A` [..., n, n] (torch.linalg.eigh), read from its lower (`UPLO` "L", the default) or
 * upper triangle. Eigenvectors are unique up to sign only.
 *
 * @example
 * const [values, vectors] = torch.linalg.eigh(a);
 */
export function eigh(
  A: Tensor,
  UPLO: "L" | "U" = "L",
): [eigenvalues: Tensor, eigenvectors: Tensor] {
  const { a, n, batch, packed } = eighParts("linalg.eigh", A, UPLO);
  const shapes = [[n], [n, n]];
  const p = fromDoubles(packed, [...batch, n + n * n], a.dtype);
  const node = record(
    "LinalgEighBackward0",
    p,
    [a],
    (g, [sp]) => {
      const [l, v] = unpack(sp!, batch, shapes) as [Tensor, Tensor];
      const [gl, gv] = unpack(g, batch, shapes) as [Tensor, Tensor];
      return [eighBackward(gl, gv, l, v)];
    },
    [p],
  );
  const [l, v] = unpack(node, batch, shapes) as [Tensor, Tensor];
  return [l, v];
}

/**
 * The eigenvalues (ascending) of each symmetric matrix of `A` (torch.linalg.eigvalsh).
 *
 * @example
 * torch.linalg.eigvalsh(torch.tensor([[2, 1], [1, 2]], { dtype: "float64" })); // [1, 3]
 */
export function eigvalsh(A: Tensor, UPLO: "L" | "U" = "L"): Tensor {
  checkSquare("linalg.eigvalsh", A);
  const [l, v] = eigh(A, UPLO);
  // Its own node, V diag(g) Vᵀ, so that no division by eigenvalue gaps enters the first
  // derivative (PyTorch's gL-only path); V stays differentiable for second derivatives.
  return record(
    "LinalgEighBackward0",
    l.detach().contiguous(),
    [A],
    (g, [sv]) => [sv!.mul(g.unsqueeze(-2)).matmul(sv!.mT)],
    [v],
  );
}

function svdParts(op: string, A: Tensor, full: boolean) {
  const a = checkMatrix(op, "A", A);
  const mats = matrices(a);
  const { m, n, batch } = mats;
  const k = Math.min(m, n);
  const uCols = full ? m : k;
  const vRows = full ? n : k;
  const parts: Float64Array[][] = [];
  for (let i = 0; i < mats.count; i++) {
    if (m >= n) {
      const { s, u, v } = jacobiSvdTall(mats.at(i), m, n, uCols);
      parts.push([u, s, transposed(v, n, n)]);
    } else {
      // Aᵀ = U' S V'ᵀ, so A = V' S U'ᵀ.
      const { s, u, v } = jacobiSvdTall(transposed(mats.at(i), m, n), n, m, vRows);
      parts.push([v, s, transposed(u, n, vRows)]);
    }
  }
  const shapes = [[m, uCols], [k], [vRows, n]];
  const total = m * uCols + k + vRows * n;
  return {
    a,
    m,
    n,
    k,
    batch,
    shapes,
    packed: fromDoubles(packParts(parts, mats.count), [...batch, total], a.dtype),
  };
}

/** PyTorch's svd_backward for real inputs with reduced U [m, k] and Vh [k, n]. */
function svdBackward(
  gu: Tensor,
  gs: Tensor,
  gvh: Tensor,
  u: Tensor,
  s: Tensor,
  vh: Tensor,
): Tensor {
  const m = u.shape[u.ndim - 2]!;
  const n = vh.shape[vh.ndim - 1]!;
  const k = s.shape[s.ndim - 1]!;
  const v = vh.mT;
  const gv = gvh.mT;
  const skew = (x: Tensor): Tensor => x.sub(x.mT);
  const uhgu = skew(u.mT.matmul(gu));
  const vhgv = skew(vh.matmul(gv));
  const s2 = s.mul(s);
  // E_ij = S_j² - S_i², ones on the diagonal.
  const e = s2
    .unsqueeze(-2)
    .sub(s2.unsqueeze(-1))
    .add(eye(k, { dtype: s.dtype }));
  let ga = uhgu.mul(s.unsqueeze(-2)).add(s.unsqueeze(-1).mul(vhgv)).div(e).add(diagEmbed(gs));
  if (m > n) {
    ga = u.matmul(ga);
    const gusinv = gu.div(s.unsqueeze(-2));
    ga = ga.add(gusinv).sub(u.matmul(u.mT.matmul(gusinv)));
    return ga.matmul(vh);
  }
  if (m < n) {
    ga = ga.matmul(vh);
    const sinvgvh = gvh.div(s.unsqueeze(-1));
    ga = ga.add(sinvgvh).sub(sinvgvh.matmul(v).matmul(vh));
    return u.matmul(ga);
  }
  return u.matmul(ga).matmul(vh);
}

/**
 * The singular value decomposition A = U diag(S) Vh of each matrix of `A` [..., m, n]
 * (torch.linalg.svd), singular values descending. `fullMatrices` (default true, as PyTorch)
 * gives U [..., m, m] and Vh [..., n, n]; false gives U [..., m, k], Vh [..., k, n],
 * k = min(m, n). Singular vectors are unique up to sign only; the gradient needs distinct
 * singular values.
 *
 * @example
 * const [u, s, vh] = torch.linalg.svd(a, { fullMatrices: false });
 */
export function svd(
  A: Tensor,
  options: { fullMatrices?: boolean } = {},
): [U: Tensor, S: Tensor, Vh: Tensor] {
  const full = options.fullMatrices ?? true;
  const { a, k, batch, shapes, packed } = svdParts("linalg.svd", A, full);
  const node = record(
    "LinalgSvdBackward0",
    packed,
    [a],
    (g, [sp]) => {
      const [u, s, vh] = unpack(sp!, batch, shapes) as [Tensor, Tensor, Tensor];
      const [gu, gs, gvh] = unpack(g, batch, shapes) as [Tensor, Tensor, Tensor];
      // A full U's extra columns and Vh's extra rows say nothing about A: they are dropped.
      const cols = (t: Tensor) => (full ? t.narrow(-1, 0, k) : t);
      const rows = (t: Tensor) => (full ? t.narrow(-2, 0, k) : t);
      return [svdBackward(cols(gu), gs, rows(gvh), cols(u), s, rows(vh))];
    },
    [packed],
  );
  const [u, s, vh] = unpack(node, batch, shapes) as [Tensor, Tensor, Tensor];
  return [u, s, vh];
}

/**
 * The singular values (descending) of each matrix of `A` (torch.linalg.svdvals); its gradient
 * U diag(gS) Vh is defined everywhere.
 *
 * @example
 * torch.linalg.svdvals(torch.tensor([[3, 0], [0, -4]], { dtype: "float64" })); // [4, 3]
 */
export function svdvals(A: Tensor): Tensor {
  checkMatrix("linalg.svdvals", "A", A);
  const [u, s, vh] = svd(A, { fullMatrices: false });
  // U diag(gS) Vh on its own node (no division by singular-value gaps); U and Vh stay
  // differentiable for second derivatives.
  return record(
    "LinalgSvdBackward0",
    s.detach().contiguous(),
    [A],
    (g, [su, svh]) => [su!.mul(g.unsqueeze(-2)).matmul(svh!)],
    [u, vh],
  );
}
