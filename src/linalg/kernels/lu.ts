/**
 * LU with partial pivoting (LAPACK's getrf, unblocked) on one row-major n×n matrix in double
 * precision: the pivot of a column is its first entry of largest magnitude, as idamax picks it.
 */
export interface LU {
  /** L (unit lower, below the diagonal) and U (on and above it), row-major. */
  lu: Float64Array;
  /** The row swapped with row i at step i. */
  pivots: Int32Array;
  /** 0, or the 1-based index of the first zero diagonal element of U (LAPACK's info). */
  info: number;
}

export function luFactor(a: Float64Array, n: number): LU {
  const lu = Float64Array.from(a);
  const pivots = new Int32Array(n);
  let info = 0;
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(lu[k * n + k]!);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(lu[i * n + k]!);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    pivots[k] = p;
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = lu[k * n + j]!;
        lu[k * n + j] = lu[p * n + j]!;
        lu[p * n + j] = t;
      }
    }
    const pivot = lu[k * n + k]!;
    if (pivot === 0) {
      if (info === 0) info = k + 1;
      continue;
    }
    for (let i = k + 1; i < n; i++) {
      const f = (lu[i * n + k]! /= pivot);
      if (f === 0) continue;
      for (let j = k + 1; j < n; j++) lu[i * n + j]! -= f * lu[k * n + j]!;
    }
  }
  return { lu, pivots, info };
}

/** det = sign · Π diag(U), the sign flipped by each row swap; slogdet's (sign, log|det|). */
export function luDet(f: LU, n: number): { sign: number; logabs: number; det: number } {
  let swaps = 1;
  let prod = 1;
  let sign = 1;
  let logabs = 0;
  for (let k = 0; k < n; k++) {
    const u = f.lu[k * n + k]!;
    if (f.pivots[k] !== k) swaps = -swaps;
    if (u < 0) sign = -sign;
    prod *= u;
    logabs += Math.log(Math.abs(u));
  }
  if (f.info !== 0) return { sign: 0, logabs: -Infinity, det: swaps * prod };
  return { sign: sign * swaps, logabs, det: swaps * prod };
}

/** Solves A X = B for the k columns of row-major B (n×k) with A's factorization. */
export function luSolve(f: LU, n: number, b: Float64Array, k: number): Float64Array {
  const x = Float64Array.from(b);
  const lu = f.lu;
  for (let i = 0; i < n; i++) {
    const p = f.pivots[i]!;
    if (p !== i) {
      for (let j = 0; j < k; j++) {
        const t = x[i * k + j]!;
        x[i * k + j] = x[p * k + j]!;
        x[p * k + j] = t;
      }
    }
  }
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < i; r++) {
      const l = lu[i * n + r]!;
      if (l !== 0) for (let j = 0; j < k; j++) x[i * k + j]! -= l * x[r * k + j]!;
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let r = i + 1; r < n; r++) {
      const u = lu[i * n + r]!;
      if (u !== 0) for (let j = 0; j < k; j++) x[i * k + j]! -= u * x[r * k + j]!;
    }
    const d = lu[i * n + i]!;
    for (let j = 0; j < k; j++) x[i * k + j]! /= d;
  }
  return x;
}
