/**
 * PyTorch's CPU sampling transforms (ATen's TransformationHelper.h and cpu/DistributionTemplates.h
 * of 1.13), one draw at a time from a Generator. Each function consumes exactly the 32/64-bit
 * draws PyTorch's consumes, so that streams stay aligned after every call.
 */
import type { Generator } from "./generator.js";
import { boxMuller16Avx2 } from "./avx2-normal.js";
import { fma, fmaf } from "./fused.js";

const fround = Math.fround;
const TWO_PI = 2 * Math.PI;

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
 * float32 replays PyTorch's AVX2 kernel (avx2-normal.ts) bit for bit. float64 uses libm's
 * log/sin/cos: V8's and glibc's differ in the last ulp now and then, so values agree to ~1e-15.
 */
export function normalFill(
  g: Generator,
  data: Float32Array | Float64Array,
  mean: number,
  std: number,
): void {
  if (data instanceof Float32Array) {
    normalBlocks(data, () => uniformFloat32(g, 0, 1), boxMuller16Avx2, mean, std);
  } else {
    normalBlocks(data, () => uniformFloat64(g, 0, 1), boxMuller16, mean, std);
  }
}

function normalBlocks<A extends Float32Array | Float64Array>(
  data: A,
  uniform: () => number,
  block: (data: A, start: number, mean: number, std: number) => void,
  mean: number,
  std: number,
): void {
  const size = data.length;
  for (let i = 0; i < size; i++) data[i] = uniform();
  for (let i = 0; i + 16 <= size; i += 16) block(data, i, mean, std);
  if (size % 16 !== 0) {
    const start = size - 16;
    for (let i = 0; i < 16; i++) data[start + i] = uniform();
    block(data, start, mean, std);
  }
}

function boxMuller16(data: Float64Array, start: number, mean: number, std: number): void {
  for (let j = start; j < start + 8; j++) {
    const u1 = 1 - data[j]!; // [0, 1) -> (0, 1] for the log
    const u2 = data[j + 8]!;
    const radius = Math.sqrt(-2 * Math.log(u1));
    const theta = TWO_PI * u2;
    data[j] = fma(radius * Math.cos(theta), std, mean);
    data[j + 8] = fma(radius * Math.sin(theta), std, mean);
  }
}

/**
 * Bernoulli(p) as at::bernoulli_distribution<double>: a 53-bit uniform compared with p. This is
 * bernoulli_(p scalar), and so dropout, in PyTorch builds without MKL (Debian's, our reference);
 * pip wheels with MKL draw it from MKL's VSL stream instead, seeded by one random() draw.
 */
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
