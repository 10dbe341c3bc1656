/**
 * Fused multiply-add, emulated. PyTorch's CPU kernels are built by GCC with -ffp-contract=fast, so
 * `x * (to - from) + from` and friends round once, not twice; matching its bits needs the same.
 */
const fround = Math.fround;

/**
 * fmaf(a, b, c) for float32 a, b, c: `a * b + c` rounded once to float32. The product is exact in
 * float64; the float64 sum can only mislead when it lands exactly halfway between two float32s,
 * and then the sign of its rounding error says which way the exact sum lies.
 */
export function fmaf(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const r = fround(s);
  if (r === s) return r;
  const other = 2 * s - r;
  if (fround(other) !== other) return r; // not a halfway case
  const v = s - p;
  const err = p - (s - v) + (c - v); // (p + c) - s, exactly (two-sum)
  if (err === 0) return r; // a true tie: fround already rounded to even
  return err > 0 ? Math.max(r, other) : Math.min(r, other);
}

const SPLIT = 134217729; // 2^27 + 1, Dekker's splitter

/** The rounding error of a * b: a * b - fl(a * b), exactly (Dekker's two-product). */
function productError(a: number, b: number, p: number): number {
  const ca = SPLIT * a;
  const ahi = ca - (ca - a);
  const alo = a - ahi;
  const cb = SPLIT * b;
  const bhi = cb - (cb - b);
  const blo = b - bhi;
  return ahi * bhi - p + ahi * blo + alo * bhi + alo * blo;
}

/**
 * fma(a, b, c) in float64: `a * b + c` with the product's rounding error carried into the sum, as
 * the hardware FMA PyTorch's compiler emits for `x * (to - from) + from`. (Off by one ulp only in
 * rare double-rounding cases.)
 */
export function fma(a: number, b: number, c: number): number {
  const p = a * b;
  if (!Number.isFinite(p) || p === 0) return p + c;
  const pe = productError(a, b, p);
  const s = p + c;
  const v = s - p;
  const se = p - (s - v) + (c - v);
  return s + (se + pe);
}
