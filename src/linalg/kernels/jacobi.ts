/**
 * Cyclic Jacobi for a symmetric row-major n×n matrix in double precision: eigenvalues ascending
 * (as LAPACK's syevd gives them) and orthonormal eigenvectors in the columns of v.
 */
export function jacobiEigh(a: Float64Array, n: number): { w: Float64Array; v: Float64Array } {
  const s = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let total = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const x = s[i * n + j]! ** 2;
        total += x;
        if (i !== j) off += x;
      }
    }
    if (off <= 1e-32 * total || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = s[p * n + q]!;
        if (apq === 0) continue;
        const theta = (s[q * n + q]! - s[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let k = 0; k < n; k++) {
          const skp = s[k * n + p]!;
          const skq = s[k * n + q]!;
          s[k * n + p] = c * skp - sn * skq;
          s[k * n + q] = sn * skp + c * skq;
        }
        for (let k = 0; k < n; k++) {
          const spk = s[p * n + k]!;
          const sqk = s[q * n + k]!;
          s[p * n + k] = c * spk - sn * sqk;
          s[q * n + k] = sn * spk + c * sqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - sn * vkq;
          v[k * n + q] = sn * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (x, y) => s[x * n + x]! - s[y * n + y]!,
  );
  const w = new Float64Array(n);
  const vs = new Float64Array(n * n);
  order.forEach((src, dst) => {
    w[dst] = s[src * n + src]!;
    for (let k = 0; k < n; k++) vs[k * n + dst] = v[k * n + src]!;
  });
  return { w, v: vs };
}

/**
 * One-sided (Hestenes) Jacobi SVD of a row-major m×n matrix with m ≥ n: singular values
 * descending, U m×uCols (uCols = n, or m for full matrices: completed to an orthonormal basis),
 * V n×n in columns.
 */
export function jacobiSvdTall(
  a: Float64Array,
  m: number,
  n: number,
  uCols: number,
): { s: Float64Array; u: Float64Array; v: Float64Array } {
  const w = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < m; i++) {
          const x = w[i * n + p]!;
          const y = w[i * n + q]!;
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || Math.abs(gamma) <= 1e-17 * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const sn = c * t;
        for (let i = 0; i < m; i++) {
          const x = w[i * n + p]!;
          const y = w[i * n + q]!;
          w[i * n + p] = c * x - sn * y;
          w[i * n + q] = sn * x + c * y;
        }
        for (let i = 0; i < n; i++) {
          const x = v[i * n + p]!;
          const y = v[i * n + q]!;
          v[i * n + p] = c * x - sn * y;
          v[i * n + q] = sn * x + c * y;
        }
      }
    }
    if (!rotated) break;
  }
  const norms = Array.from({ length: n }, (_, j) => {
    let t = 0;
    for (let i = 0; i < m; i++) t += w[i * n + j]! ** 2;
    return Math.sqrt(t);
  });
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => norms[y]! - norms[x]!);
  const s = new Float64Array(n);
  const u = new Float64Array(m * uCols);
  const vs = new Float64Array(n * n);
  const filled = new Array<boolean>(uCols).fill(false);
  order.forEach((src, dst) => {
    const sv = norms[src]!;
    s[dst] = sv;
    for (let k = 0; k < n; k++) vs[k * n + dst] = v[k * n + src]!;
    filled[dst] = sv > 0;
    if (sv > 0) for (let i = 0; i < m; i++) u[i * uCols + dst] = w[i * n + src]! / sv;
  });
  // Columns with no singular value behind them (zero ones, or the m - n of full matrices):
  // orthonormal completion by Gram-Schmidt (twice) against the unit vectors.
  let unit = 0;
  for (let c = 0; c < uCols; c++) {
    if (filled[c]) continue;
    for (; unit < m; unit++) {
      const col = new Float64Array(m);
      col[unit] = 1;
      for (let pass = 0; pass < 2; pass++) {
        for (let o = 0; o < uCols; o++) {
          if (o === c || !filled[o]) continue;
          let d = 0;
          for (let i = 0; i < m; i++) d += u[i * uCols + o]! * col[i]!;
          for (let i = 0; i < m; i++) col[i]! -= d * u[i * uCols + o]!;
        }
      }
      const len = Math.hypot(...col);
      if (len > 1e-8) {
        for (let i = 0; i < m; i++) u[i * uCols + c] = col[i]! / len;
        filled[c] = true;
        unit++;
        break;
      }
    }
  }
  return { s, u, v: vs };
}
