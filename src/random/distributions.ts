/**
 * PyTorch's CPU sampling transforms (ATen's TransformationHelper.h and cpu/DistributionTemplates.h
 * of 1.13), one draw at a time from a Generator. Each function consumes exactly the 32/64-bit
 * draws PyTorch's consumes, so that streams stay aligned after every call.
 */
import type { Generator } from "./generator.js";

const fround = Math.fround;
const TWO_PI = 2 * Math.PI;

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
  const err = p - (s - v) + (c - v); // exact s - (p + c) with the sign flipped (two-sum)
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

/**
 * A float32 in [from, to): 24 random bits scaled by 2^-24, then `x * (to - from) + from` in
 * float32 (at::uniform_real_distribution<float>; from/to are already float32). PyTorch's build
 * contracts the multiply-add into one FMA (GCC's default -ffp-contract=fast), so we round once.
 */
export function uniformFloat32(g: Generator, from: number, to: number): number {
  const x = (g.random() & 0xffffff) * 2 ** -24;
  return fmaf(x, fround(to - from), from);
}

/** A float64 in [from, to): 53 bits of random64() scaled by 2^-53 (uniform_real<double>). */
export function uniformFloat64(g: Generator, from: number, to: number): number {
  return fma(g.random53() * 2 ** -53, to - from, from);
}

/**
 * One sample of at::normal_distribution<double>: Box-Muller over two uniform doubles, whose
 * second result is cached in the generator and returned by the next call (then scaled by that
 * call's mean and std), exactly as PyTorch does.
 */
export function normalDouble(g: Generator, mean: number, std: number): number {
  if (g.nextDoubleNormal !== null) {
    const cached = g.nextDoubleNormal;
    g.nextDoubleNormal = null;
    return fma(cached, std, mean);
  }
  const u1 = uniformFloat64(g, 0, 1);
  const u2 = uniformFloat64(g, 0, 1);
  const r = Math.sqrt(-2 * Math.log(1 - u2));
  const theta = TWO_PI * u1;
  g.nextDoubleNormal = r * Math.sin(theta);
  return fma(r * Math.cos(theta), std, mean);
}

/**
 * PyTorch's normal_fill for a contiguous float tensor of 16 or more elements: uniform draws for
 * every element, Box-Muller over blocks of 16 (element j pairs with j + 8), and, when the size is
 * not a multiple of 16, fresh draws for the last 16 elements, transformed again.
 *
 * float64 matches PyTorch to the last bit or so (libm differences). For float32, PyTorch's AVX2
 * kernel uses float32 polynomial log/sincos (avx_mathfun.h) and FMA; this computes in float64 and
 * rounds, so values agree to about 1e-6 relative, not bitwise.
 */
export function normalFill(
  g: Generator,
  data: Float32Array | Float64Array,
  mean: number,
  std: number,
): void {
  const size = data.length;
  const uniform = data instanceof Float32Array ? uniformFloat32 : uniformFloat64;
  for (let i = 0; i < size; i++) data[i] = uniform(g, 0, 1);
  for (let i = 0; i + 16 <= size; i += 16) boxMuller16(data, i, mean, std);
  if (size % 16 !== 0) {
    const start = size - 16;
    for (let i = 0; i < 16; i++) data[start + i] = uniform(g, 0, 1);
    boxMuller16(data, start, mean, std);
  }
}

function boxMuller16(
  data: Float32Array | Float64Array,
  start: number,
  mean: number,
  std: number,
): void {
  for (let j = start; j < start + 8; j++) {
    const u1 = 1 - data[j]!; // [0, 1) -> (0, 1] for the log
    const u2 = data[j + 8]!;
    const radius = Math.sqrt(-2 * Math.log(u1));
    const theta = TWO_PI * u2;
    data[j] = fma(radius * Math.cos(theta), std, mean);
    data[j + 8] = fma(radius * Math.sin(theta), std, mean);
  }
}

/** Bernoulli(p) as at::bernoulli_distribution<double>: a 53-bit uniform compared with p. */
export function bernoulliDouble(g: Generator, p: number): number {
  return uniformFloat64(g, 0, 1) < p ? 1 : 0;
}

/** Bernoulli(p) as at::bernoulli_distribution<float> (a float32 p tensor): 24-bit uniform. */
export function bernoulliFloat(g: Generator, p: number): number {
  return uniformFloat32(g, 0, 1) < p ? 1 : 0;
}

/**
 * An integer in [base, base + range) as uniform_int_from_to_distribution: `random() % range`,
 * or `random64() % range` when the range needs 2^32 or more (float and int64 outputs only).
 */
export function randomFromTo(g: Generator, range: number, base: number): number {
  if (range >= 2 ** 32) return Number(g.random64() % BigInt(range)) + base;
  return (g.random() % range) + base;
}

/**
 * Exponential(lambda) as PyTorch's CPU kernel without MKL: `-1/lambda * log(1 - u)` with a
 * 53-bit uniform u (at::exponential_distribution<double>).
 */
export function exponentialDouble(g: Generator, lambda: number): number {
  return (-1 / lambda) * Math.log(1 - uniformFloat64(g, 0, 1));
}
