/**
 * Householder QR (LAPACK's geqrf + orgqr, unblocked) on one row-major m×n matrix in double
 * precision. The reflectors follow dlarfg: beta = -sign(alpha)·‖x‖, so R's diagonal has
 * LAPACK's signs and Q, R equal LAPACK's to rounding.
 */
export function householderQR(
  a: Float64Array,
  m: number,
  n: number,
  qCols: number,
): { q: Float64Array; r: Float64Array } {
  const r = Float64Array.from(a);
  const k = Math.min(m, n);
  const vs: Float64Array[] = [];
  const taus: number[] = [];
  for (let j = 0; j < k; j++) {
    const alpha = r[j * n + j]!;
    let xnorm2 = 0;
    for (let i = j + 1; i < m; i++) xnorm2 += r[i * n + j]! ** 2;
    const v = new Float64Array(m);
    v[j] = 1;
    if (xnorm2 === 0) {
      vs.push(v);
      taus.push(0);
      continue;
    }
    const beta = -Math.sign(alpha || 1) * Math.hypot(alpha, Math.sqrt(xnorm2));
    const tau = (beta - alpha) / beta;
    const scale = 1 / (alpha - beta);
    for (let i = j + 1; i < m; i++) v[i] = r[i * n + j]! * scale;
    // Apply H = I - tau v vᵀ to the trailing columns.
    for (let c = j + 1; c < n; c++) {
      let s = 0;
      for (let i = j; i < m; i++) s += v[i]! * r[i * n + c]!;
      s *= tau;
      for (let i = j; i < m; i++) r[i * n + c]! -= s * v[i]!;
    }
    r[j * n + j] = beta;
    for (let i = j + 1; i < m; i++) r[i * n + j] = 0;
    vs.push(v);
    taus.push(tau);
  }
  // Q = H_0 H_1 … H_{k-1} applied to the first qCols columns of the identity.
  const q = new Float64Array(m * qCols);
  for (let i = 0; i < Math.min(m, qCols); i++) q[i * qCols + i] = 1;
  for (let j = k - 1; j >= 0; j--) {
    const v = vs[j]!;
    const tau = taus[j]!;
    if (tau === 0) continue;
    for (let c = 0; c < qCols; c++) {
      let s = 0;
      for (let i = j; i < m; i++) s += v[i]! * q[i * qCols + c]!;
      s *= tau;
      for (let i = j; i < m; i++) q[i * qCols + c]! -= s * v[i]!;
    }
  }
  return { q, r };
}
