/**
 * PyTorch's float32 Box-Muller block for x86 AVX2 builds (normal_fill_16_AVX2 in
 * aten/src/ATen/native/cpu/DistributionKernels.cpp), with the float32 log and sincos it calls
 * (log256_ps and sincos256_ps from avx_mathfun.h, Cephes polynomials), replayed one float32
 * operation at a time. GCC compiles those intrinsics with -ffp-contract=fast under -mfma, so a
 * multiply whose only use is an add becomes one fused multiply-add: `fmaf` marks each such place.
 * PyTorch takes this path for contiguous float32 tensors of 16+ elements when it dispatches to
 * its AVX2 kernels (x86 builds on AVX2 machines, as Debian's here); its scalar fallback (ARM,
 * AVX-512 dispatch) uses libm's logf/cosf instead and differs in the last bits.
 */
import { fmaf } from "./fused.js";

const f = Math.fround;
const bits = new Float32Array(1);
const word = new Int32Array(bits.buffer);

const SQRTHF = f(Math.SQRT1_2); // Cephes SQRTHF
const LOG_P = [
  7.0376836292e-2, -1.151461031e-1, 1.167699874e-1, -1.2420140846e-1, 1.4249322787e-1,
  -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1,
].map(f);
const LOG_Q1 = f(-2.1219444e-4);
const LOG_Q2 = f(0.693359375);
const MIN_NORM_POS = 2 ** -126;

/** log256_ps for one lane: x > 0 (u1 = 1 - u lies in (0, 1]). */
export function logf(xIn: number): number {
  bits[0] = Math.max(xIn, MIN_NORM_POS);
  let e = f((word[0]! >>> 23) - 0x7f + 1);
  word[0] = (word[0]! & ~0x7f800000) | 0x3f000000; // mantissa, exponent of 0.5
  let x = bits[0]!;
  const below = x < SQRTHF;
  x = f(x - 1);
  if (below) {
    e = f(e - 1);
    x = f(x + bits[0]!);
  }
  const z = f(x * x);
  let y = fmaf(LOG_P[0]!, x, LOG_P[1]!);
  for (let k = 2; k < 9; k++) y = fmaf(y, x, LOG_P[k]!);
  y = f(y * x);
  y = fmaf(y, z, f(e * LOG_Q1));
  y = fmaf(-z, 0.5, y);
  x = f(x + y);
  return fmaf(e, LOG_Q2, x);
}

const FOPI = f(1.27323954473516);
const DP1 = f(-0.78515625);
const DP2 = f(-2.4187564849853515625e-4);
const DP3 = f(-3.774894977445941e-8);
const SIN_P = [-1.9515295891e-4, 8.3321608736e-3, -1.6666654611e-1].map(f);
const COS_P = [2.443315711809948e-5, -1.388731625493765e-3, 4.166664568298827e-2].map(f);

/** sincos256_ps for one lane, x >= 0 (theta = 2 pi u). Returns [sin, cos]. */
export function sincosf(x: number): [number, number] {
  let j = Math.trunc(f(x * FOPI));
  j = (j + 1) & ~1;
  const y = f(j);
  const sinSign = j & 4 ? -1 : 1;
  const sinPoly = (j & 2) === 0;
  const cosSign = (j - 2) & 4 ? 1 : -1;
  x = fmaf(y, DP1, x);
  x = fmaf(y, DP2, x);
  x = fmaf(y, DP3, x);
  const z = f(x * x);
  let c = fmaf(COS_P[0]!, z, COS_P[1]!);
  c = fmaf(c, z, COS_P[2]!);
  c = f(c * z);
  c = fmaf(c, z, -f(z * 0.5));
  c = f(c + 1);
  let s = fmaf(SIN_P[0]!, z, SIN_P[1]!);
  s = fmaf(s, z, SIN_P[2]!);
  s = f(s * z);
  s = fmaf(s, x, x);
  return sinPoly ? [sinSign * s, cosSign * c] : [sinSign * c, cosSign * s];
}

const TWO_PI = f(2 * Math.PI);

/** normal_fill_16_AVX2: data[start..start+16) from uniforms to normals, in float32. */
export function boxMuller16Avx2(
  data: Float32Array,
  start: number,
  mean: number,
  std: number,
): void {
  for (let j = start; j < start + 8; j++) {
    const u1 = f(1 - data[j]!);
    const u2 = data[j + 8]!;
    const radius = f(Math.sqrt(f(-2 * logf(u1))));
    const theta = f(TWO_PI * u2);
    const [sin, cos] = sincosf(theta);
    data[j] = fmaf(f(radius * cos), std, mean);
    data[j + 8] = fmaf(f(radius * sin), std, mean);
  }
}
