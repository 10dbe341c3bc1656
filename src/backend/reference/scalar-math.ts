/* eslint-disable no-loss-of-precision -- Cody's published coefficients, kept digit for digit */
import type { BinaryOp, UnaryOp } from "../backend.js";

/** erf to double precision (W. J. Cody's rational approximations, as in most libm's). */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 0.5) {
    const t = x * x;
    const p =
      (((0.185777706184603153 * t + 3.1611237438705656) * t + 113.864154151050156) * t +
        377.485237685302021) *
        t +
      3209.37758913846947;
    const q =
      (((t + 23.6012909523441209) * t + 244.024637934444173) * t + 1282.61652607737228) * t +
      2844.23683343917062;
    return (x * p) / q;
  }
  if (ax >= 6) return Math.sign(x);
  return Math.sign(x) * (1 - erfcPositive(ax));
}

function erfcPositive(x: number): number {
  if (x < 4) {
    const p =
      (((((((2.15311535474403846e-8 * x + 0.564188496988670089) * x + 8.88314979438837594) * x +
        66.1191906371416295) *
        x +
        298.635138197400131) *
        x +
        881.95222124176909) *
        x +
        1712.04761263407058) *
        x +
        2051.07837782607147) *
        x +
      1230.33935479799725;
    const q =
      (((((((x + 15.7449261107098347) * x + 117.693950891312499) * x + 537.181101862009858) * x +
        1621.38957456669019) *
        x +
        3290.79923573345963) *
        x +
        4362.61909014324716) *
        x +
        3439.36767414372164) *
        x +
      1230.33935480374942;
    return Math.exp(-x * x) * (p / q);
  }
  const z = 1 / (x * x);
  const p =
    ((((0.0163153871373020978 * z + 0.305326634961232344) * z + 0.360344899949804439) * z +
      0.125781726111229246) *
      z +
      0.0160837851487422766) *
      z +
    6.58749161529837803e-4;
  const q =
    ((((z + 2.56852019228982242) * z + 1.87295284992346725) * z + 0.527905102951428412) * z +
      0.0605183413124413191) *
      z +
    2.33520497626869185e-3;
  return (Math.exp(-x * x) / x) * (0.564189583547756287 - (z * p) / q);
}

/** Python/PyTorch remainder: the result has the sign of the divisor. */
function remainder(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}

/** Round half to even, as torch.round does. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export const unaryFns: Record<UnaryOp, (x: number) => number> = {
  neg: (x) => -x,
  abs: Math.abs,
  // PyTorch 1.13 computes sign as (0 < x) - (x < 0), so sign(NaN) is 0, not NaN.
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0),
  exp: Math.exp,
  log: Math.log,
  log1p: Math.log1p,
  expm1: Math.expm1,
  sqrt: Math.sqrt,
  rsqrt: (x) => 1 / Math.sqrt(x),
  reciprocal: (x) => 1 / x,
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  // Split on sign so exp never overflows: sigmoid(-1000) is 0, not NaN.
  sigmoid: (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
  relu: (x) => (x > 0 ? x : Number.isNaN(x) ? x : 0),
  erf,
  floor: Math.floor,
  ceil: Math.ceil,
  round: roundHalfEven,
  trunc: Math.trunc,
  logicalNot: (x) => (x === 0 ? 1 : 0),
  isnan: (x) => (Number.isNaN(x) ? 1 : 0),
  isinf: (x) => (x === Infinity || x === -Infinity ? 1 : 0),
};

export const binaryFns: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: (a, b) => Math.pow(a, b),
  maximum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)),
  minimum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b)),
  atan2: Math.atan2,
  remainder,
  eq: (a, b) => (a === b ? 1 : 0),
  ne: (a, b) => (a !== b ? 1 : 0),
  lt: (a, b) => (a < b ? 1 : 0),
  le: (a, b) => (a <= b ? 1 : 0),
  gt: (a, b) => (a > b ? 1 : 0),
  ge: (a, b) => (a >= b ? 1 : 0),
  logicalAnd: (a, b) => (a !== 0 && b !== 0 ? 1 : 0),
  logicalOr: (a, b) => (a !== 0 || b !== 0 ? 1 : 0),
  logicalXor: (a, b) => ((a !== 0) !== (b !== 0) ? 1 : 0),
  reluGrad: (g, y) => (y <= 0 ? 0 : g),
};

/** Ops whose integer results must stay integral (JS division would give fractions). */
export const integerBinaryFns: Partial<Record<BinaryOp, (a: number, b: number) => number>> = {
  // 32-bit wrap-around, as C's int arithmetic in PyTorch's int kernels.
  mul: (a, b) => Math.imul(a, b),
  pow: (a, b) =>
    b < 0 ? (a === 1 ? 1 : a === -1 ? (b % 2 === 0 ? 1 : -1) : 0) : Math.pow(a, b) | 0,
  remainder: (a, b) => remainder(a, b),
};
