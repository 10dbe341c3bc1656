/**
 * Cholesky–Banachiewicz on the lower triangle of one row-major n×n matrix, in double precision.
 * Returns L, or the order of the first leading minor that is not positive-definite (LAPACK's
 * potrf info).
 */
export function choleskyLower(a: Float64Array, n: number): { l: Float64Array; info: number } {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) {
        // NaN fails too, as in potrf.
        if (!(s > 0)) return { l, info: i + 1 };
        l[i * n + i] = Math.sqrt(s);
      } else {
        l[i * n + j] = s / l[j * n + j]!;
      }
    }
  }
  return { l, info: 0 };
}
