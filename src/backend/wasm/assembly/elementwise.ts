// Elementwise float32 kernels over contiguous rows. The JS side collapses a tensor to
// [rows, cols] with each operand's column stride 0 (broadcast) or 1 (contiguous), which covers
// same-shape, bias-row, per-row-scalar (softmax's x - max) and scalar operands.
import { exp2x, log2x, sigmoid2x, tanh2x } from "./math";

// Op codes shared with kernels.ts (keep in sync).
const ADD = 0, SUB = 1, MUL = 2, DIV = 3, MAX = 4, MIN = 5;

// @ts-ignore: decorator
@inline function apply(op: i32, x: v128, y: v128): v128 {
  switch (op) {
    case ADD: return f32x4.add(x, y);
    case SUB: return f32x4.sub(x, y);
    case MUL: return f32x4.mul(x, y);
    case DIV: return f32x4.div(x, y);
    case MAX: return f32x4.max(x, y);
    default: return f32x4.min(x, y);
  }
}

// @ts-ignore: decorator
@inline function apply1(op: i32, x: f32, y: f32): f32 {
  return f32x4.extract_lane(apply(op, f32x4.splat(x), f32x4.splat(y)), 0);
}

/** out[i, j] = a[i*sa0 + j*sa1] op b[i*sb0 + j*sb1] with sa1, sb1 in {0, 1}. */
export function binaryF32(
  op: i32, rows: i32, cols: i32,
  a: usize, sa0: i32, sa1: i32,
  b: usize, sb0: i32, sb1: i32,
  out: usize,
): void {
  let o = out;
  for (let i = 0; i < rows; i++) {
    const pa = a + <usize>(i * sa0) * 4;
    const pb = b + <usize>(i * sb0) * 4;
    const xs = v128.load32_splat(pa);
    const ys = v128.load32_splat(pb);
    let j = 0;
    if (sa1 == 1 && sb1 == 1) {
      for (; j + 4 <= cols; j += 4) v128.store(o + <usize>j * 4, apply(op, v128.load(pa + <usize>j * 4), v128.load(pb + <usize>j * 4)));
    } else if (sa1 == 1) {
      for (; j + 4 <= cols; j += 4) v128.store(o + <usize>j * 4, apply(op, v128.load(pa + <usize>j * 4), ys));
    } else if (sb1 == 1) {
      for (; j + 4 <= cols; j += 4) v128.store(o + <usize>j * 4, apply(op, xs, v128.load(pb + <usize>j * 4)));
    } else {
      const v = apply(op, xs, ys);
      for (; j + 4 <= cols; j += 4) v128.store(o + <usize>j * 4, v);
    }
    for (; j < cols; j++) {
      store<f32>(o + <usize>j * 4, apply1(op, load<f32>(pa + <usize>(j * sa1) * 4), load<f32>(pb + <usize>(j * sb1) * 4)));
    }
    o += <usize>cols * 4;
  }
}

const NEG = 0, ABS = 1, SQRT = 2, RSQRT = 3, RECIP = 4, RELU = 5, FLOOR = 6, CEIL = 7, ROUND = 8,
  TRUNC = 9, EXP = 10, LOG = 11, SIGMOID = 12, TANH = 13;

// @ts-ignore: decorator
@inline function f64op(op: i32, x: v128): v128 {
  switch (op) {
    case EXP: return exp2x(x);
    case LOG: return log2x(x);
    case SIGMOID: return sigmoid2x(x);
    default: return tanh2x(x);
  }
}

// @ts-ignore: decorator
@inline function f32op(op: i32, x: v128): v128 {
  switch (op) {
    case NEG: return f32x4.neg(x);
    case ABS: return f32x4.abs(x);
    case SQRT: return f32x4.sqrt(x);
    case RSQRT: return f32x4.div(f32x4.splat(1), f32x4.sqrt(x));
    case RECIP: return f32x4.div(f32x4.splat(1), x);
    case RELU: return f32x4.max(x, f32x4.splat(0)); // max propagates NaN, as PyTorch's relu
    case FLOOR: return f32x4.floor(x);
    case CEIL: return f32x4.ceil(x);
    case ROUND: return f32x4.nearest(x); // ties to even, as torch.round
    default: return f32x4.trunc(x);
  }
}

// @ts-ignore: decorator
@inline function unaryVec(op: i32, x: v128): v128 {
  if (op < EXP) return f32op(op, x);
  // Two float64x2 halves, then back to float32 with one rounding each.
  const lo = f64op(op, f64x2.promote_low_f32x4(x));
  const hi = f64op(op, f64x2.promote_low_f32x4(i32x4.shuffle(x, x, 2, 3, 2, 3)));
  const l = f32x4.demote_f64x2_zero(lo);
  const h = f32x4.demote_f64x2_zero(hi);
  return i32x4.shuffle(l, h, 0, 1, 4, 5);
}

/** out[i] = op(x[i]) for n contiguous float32s. */
export function unaryF32(op: i32, n: i32, x: usize, out: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(out + <usize>i * 4, unaryVec(op, v128.load(x + <usize>i * 4)));
  for (; i < n; i++) {
    store<f32>(out + <usize>i * 4, f32x4.extract_lane(unaryVec(op, f32x4.splat(load<f32>(x + <usize>i * 4))), 0));
  }
}

/** out[r] = sum or max of x[r, 0..cols) (contiguous rows); sums accumulate in float64. */
export function reduceRowsF32(isMax: bool, rows: i32, cols: i32, x: usize, out: usize): void {
  for (let r = 0; r < rows; r++) {
    const p = x + <usize>(r * cols) * 4;
    let j = 0;
    if (isMax) {
      let m = f32x4.splat(-Infinity);
      for (; j + 4 <= cols; j += 4) m = f32x4.max(m, v128.load(p + <usize>j * 4));
      let s = max(max(f32x4.extract_lane(m, 0), f32x4.extract_lane(m, 1)), max(f32x4.extract_lane(m, 2), f32x4.extract_lane(m, 3)));
      for (; j < cols; j++) s = max(s, load<f32>(p + <usize>j * 4));
      store<f32>(out + <usize>r * 4, s);
    } else {
      let a0 = f64x2.splat(0), a1 = f64x2.splat(0);
      for (; j + 4 <= cols; j += 4) {
        const v = v128.load(p + <usize>j * 4);
        a0 = f64x2.add(a0, f64x2.promote_low_f32x4(v));
        a1 = f64x2.add(a1, f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 2, 3)));
      }
      const a = f64x2.add(a0, a1);
      let s = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
      for (; j < cols; j++) s += <f64>load<f32>(p + <usize>j * 4);
      store<f32>(out + <usize>r * 4, <f32>s);
    }
  }
}

/** out[c] = sum or max over rows of x[0..rows, c] (contiguous rows); `acc` is cols float64s of scratch. */
export function reduceColsF32(isMax: bool, rows: i32, cols: i32, x: usize, out: usize, acc: usize): void {
  if (isMax) {
    memory.copy(out, x, <usize>cols * 4);
    for (let r = 1; r < rows; r++) {
      const p = x + <usize>(r * cols) * 4;
      let j = 0;
      for (; j + 4 <= cols; j += 4) v128.store(out + <usize>j * 4, f32x4.max(v128.load(out + <usize>j * 4), v128.load(p + <usize>j * 4)));
      for (; j < cols; j++) store<f32>(out + <usize>j * 4, max(load<f32>(out + <usize>j * 4), load<f32>(p + <usize>j * 4)));
    }
    return;
  }
  memory.fill(acc, 0, <usize>cols * 8);
  for (let r = 0; r < rows; r++) {
    const p = x + <usize>(r * cols) * 4;
    let j = 0;
    for (; j + 2 <= cols; j += 2) {
      const q = acc + <usize>j * 8;
      v128.store(q, f64x2.add(v128.load(q), f64x2.promote_low_f32x4(v128.load64_zero(p + <usize>j * 4))));
    }
    for (; j < cols; j++) {
      const q = acc + <usize>j * 8;
      store<f64>(q, load<f64>(q) + <f64>load<f32>(p + <usize>j * 4));
    }
  }
  for (let j = 0; j < cols; j++) store<f32>(out + <usize>j * 4, <f32>load<f64>(acc + <usize>j * 8));
}
