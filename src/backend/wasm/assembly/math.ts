// Vector exp/log/tanh/sigmoid for float32 tensors, computed in float64x2 lanes and rounded once to
// float32 at the end. Working in float64 makes the float32 result correctly rounded in all but
// rare halfway cases (the reference backend computes Math.exp in float64 and rounds the same way),
// and removes float32's special cases: float32 denormals are normal in float64 and float32's
// overflow and underflow thresholds are far inside float64's range.

const LOG2E: f64 = 1.4426950408889634;
const LN2_HI: f64 = 6.93147180369123816490e-1;
const LN2_LO: f64 = 1.90821492927058770002e-10;

/** exp on two float64 lanes, |relative error| < 1e-11 (Taylor to degree 10 on |r| <= ln2/2). */
// @ts-ignore: decorator
@inline export function exp2x(x: v128): v128 {
  // Clamp so 2^n stays a normal float64; NaN passes through min/max (wasm propagates NaN).
  x = f64x2.min(f64x2.max(x, f64x2.splat(-708.0)), f64x2.splat(709.0));
  const n = f64x2.nearest(f64x2.mul(x, f64x2.splat(LOG2E)));
  let r = f64x2.sub(x, f64x2.mul(n, f64x2.splat(LN2_HI)));
  r = f64x2.sub(r, f64x2.mul(n, f64x2.splat(LN2_LO)));
  let p = f64x2.splat(1.0 / 3628800.0);
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 362880.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 40320.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 5040.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 720.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 120.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 24.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 6.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(0.5));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0));
  // 2^n built from its exponent bits; NaN lanes give garbage here but p is already NaN.
  const ni = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(n));
  const scale = i64x2.shl(i64x2.add(ni, i64x2.splat(1023)), 52);
  return f64x2.mul(p, scale);
}

/** Natural log on two float64 lanes holding float32 values (so never denormal). */
// @ts-ignore: decorator
@inline export function log2x(x: v128): v128 {
  // x = 2^e * m with m in [sqrt(1/2), sqrt(2)); log m = 2 atanh(s), s = (m-1)/(m+1), |s| < 0.172.
  const bits = x;
  let e = i64x2.sub(i64x2.shr_u(bits, 52), i64x2.splat(1023));
  let m = v128.or(v128.and(bits, i64x2.splat(0x000fffffffffffff)), i64x2.splat(0x3ff0000000000000));
  const big = f64x2.gt(m, f64x2.splat(1.4142135623730951));
  m = v128.bitselect(f64x2.mul(m, f64x2.splat(0.5)), m, big);
  e = i64x2.sub(e, big); // big lanes are all-ones = -1
  const s = f64x2.div(f64x2.sub(m, f64x2.splat(1.0)), f64x2.add(m, f64x2.splat(1.0)));
  const s2 = f64x2.mul(s, s);
  let p = f64x2.splat(1.0 / 13.0);
  p = f64x2.add(f64x2.mul(p, s2), f64x2.splat(1.0 / 11.0));
  p = f64x2.add(f64x2.mul(p, s2), f64x2.splat(1.0 / 9.0));
  p = f64x2.add(f64x2.mul(p, s2), f64x2.splat(1.0 / 7.0));
  p = f64x2.add(f64x2.mul(p, s2), f64x2.splat(1.0 / 5.0));
  p = f64x2.add(f64x2.mul(p, s2), f64x2.splat(1.0 / 3.0));
  p = f64x2.add(f64x2.mul(p, s2), f64x2.splat(1.0));
  const lm = f64x2.mul(f64x2.mul(p, s), f64x2.splat(2.0));
  // e fits in 32 bits: narrow the two i64 lanes to i32 and convert.
  const e32 = i32x4.shuffle(e, e, 0, 2, 0, 2);
  const ef = f64x2.convert_low_i32x4_s(e32);
  let y = f64x2.add(f64x2.mul(ef, f64x2.splat(LN2_HI)), f64x2.add(lm, f64x2.mul(ef, f64x2.splat(LN2_LO))));
  // Special cases: log(0) = -inf, log(x<0) = NaN, log(inf) = inf, log(NaN) = NaN.
  y = v128.bitselect(f64x2.splat(-Infinity), y, f64x2.eq(x, f64x2.splat(0.0)));
  y = v128.bitselect(f64x2.splat(NaN), y, f64x2.lt(x, f64x2.splat(0.0)));
  y = v128.bitselect(x, y, v128.or(f64x2.ne(x, x), f64x2.eq(x, f64x2.splat(Infinity))));
  return y;
}

// @ts-ignore: decorator
@inline export function sigmoid2x(x: v128): v128 {
  const one = f64x2.splat(1.0);
  return f64x2.div(one, f64x2.add(one, exp2x(f64x2.neg(x))));
}

// @ts-ignore: decorator
@inline export function tanh2x(x: v128): v128 {
  // tanh|x| = 1 - 2/(e^{2|x|}+1); below 1e-4 that cancels, and tanh x = x to 3e-9 relative there.
  const ax = f64x2.abs(x);
  const one = f64x2.splat(1.0);
  const t = f64x2.sub(one, f64x2.div(f64x2.splat(2.0), f64x2.add(exp2x(f64x2.add(ax, ax)), one)));
  const signed = v128.or(t, v128.and(x, i64x2.splat(0x8000000000000000)));
  return v128.bitselect(x, signed, f64x2.lt(ax, f64x2.splat(1e-4)));
}
