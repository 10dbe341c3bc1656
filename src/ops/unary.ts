import { checkTensor } from "../validation/tensors.js";
import type { UnaryOp } from "../backend/backend.js";
import { getBackend } from "../backend/registry.js";
import { DTypeError } from "../errors.js";
import { isFloatingPoint } from "../tensor/dtype.js";
import { Tensor } from "../tensor/tensor.js";
import { binaryKernel, sub } from "./binary.js";
import { defineMethods, outputTensor, record } from "./support.js";
import { traced } from "./trace.js";

/** The differentiable unary ops (the predicates live in compare.ts). */
export type MathOp = Exclude<UnaryOp, "logicalNot" | "isnan" | "isinf">;

interface UnaryRule {
  /** PyTorch's backward node name. */
  readonly node: string;
  /** Integer inputs are computed in float32 (exp, log, ...) rather than kept integral (neg, abs). */
  readonly floatResult: boolean;
  /** d(out)/d(x) times g, from the input x and the output y; null: the gradient is zero. */
  readonly grad: ((g: Tensor, x: Tensor, y: Tensor) => Tensor) | null;
  /** Which tensors the formula reads, so only those are saved. */
  readonly saves: "x" | "y" | "none";
}

/** 1 - y, exactly as -y + 1 rounds (negation is exact), in one op. */
const rsub = (y: Tensor): Tensor => sub(1, y);

/** Every unary op's gradient in one table (PyTorch's derivatives.yaml entries). */
const rules: { readonly [P in MathOp]: UnaryRule } = {
  neg: { node: "NegBackward0", floatResult: false, saves: "none", grad: (g) => g.neg() },
  abs: { node: "AbsBackward0", floatResult: false, saves: "x", grad: (g, x) => g.mul(x.sign()) },
  sign: { node: "SignBackward0", floatResult: false, saves: "none", grad: null },
  exp: { node: "ExpBackward0", floatResult: true, saves: "y", grad: (g, _x, y) => g.mul(y) },
  log: { node: "LogBackward0", floatResult: true, saves: "x", grad: (g, x) => g.div(x) },
  log1p: { node: "Log1PBackward0", floatResult: true, saves: "x", grad: (g, x) => g.div(x.add(1)) },
  expm1: {
    node: "Expm1Backward0",
    floatResult: true,
    saves: "y",
    grad: (g, _x, y) => g.mul(y.add(1)),
  },
  sqrt: {
    node: "SqrtBackward0",
    floatResult: true,
    saves: "y",
    grad: (g, _x, y) => g.div(y.mul(2)),
  },
  rsqrt: {
    node: "RsqrtBackward0",
    floatResult: true,
    saves: "y",
    grad: (g, _x, y) => g.mul(y.pow(3)).mul(-0.5),
  },
  reciprocal: {
    node: "ReciprocalBackward0",
    floatResult: true,
    saves: "y",
    grad: (g, _x, y) => g.mul(y.mul(y).neg()),
  },
  sin: { node: "SinBackward0", floatResult: true, saves: "x", grad: (g, x) => g.mul(x.cos()) },
  cos: {
    node: "CosBackward0",
    floatResult: true,
    saves: "x",
    grad: (g, x) => g.mul(x.sin().neg()),
  },
  tanh: {
    node: "TanhBackward0",
    floatResult: true,
    saves: "y",
    // 1 - y² as one rsub (not neg then add: the same single rounding, one op fewer).
    grad: (g, _x, y) => g.mul(rsub(y.mul(y))),
  },
  sigmoid: {
    node: "SigmoidBackward0",
    floatResult: true,
    saves: "y",
    grad: (g, _x, y) => g.mul(rsub(y).mul(y)),
  },
  // threshold_backward(grad, result, 0): the gradient passes where the output is positive.
  relu: {
    node: "ReluBackward0",
    floatResult: false,
    saves: "y",
    grad: (g, _x, y) => reluBackward(g, y),
  },
  erf: {
    node: "ErfBackward0",
    floatResult: true,
    saves: "x",
    grad: (g, x) =>
      g.mul(
        x
          .mul(x)
          .neg()
          .exp()
          .mul(2 / Math.sqrt(Math.PI)),
      ),
  },
  floor: { node: "FloorBackward0", floatResult: false, saves: "none", grad: null },
  ceil: { node: "CeilBackward0", floatResult: false, saves: "none", grad: null },
  round: { node: "RoundBackward0", floatResult: false, saves: "none", grad: null },
  trunc: { node: "TruncBackward0", floatResult: false, saves: "none", grad: null },
};

/** Applies a unary op from the table: kernel forward, table gradient. */
function unary(op: MathOp, x: Tensor): Tensor {
  checkTensor(op, "input", x);
  const rule = rules[op];
  if (x.dtype === "bool" && !rule.floatResult) {
    throw new DTypeError(
      `${op}: not supported for bool tensors; convert with .to("int32") or .float() first`,
    );
  }
  const input = rule.floatResult && !isFloatingPoint(x.dtype) ? x.to("float32") : x;
  const out = outputTensor(input.shape, input.dtype);
  getBackend().unary(op, input.view_(), out.storage.data);
  const grad = rule.grad;
  if (grad === null)
    return traced(
      "unary",
      [input],
      record(rule.node, out, [input], (g) => [g.mul(0)]),
      { op },
    );
  const saved = rule.saves === "x" ? [input] : rule.saves === "y" ? [out] : [];
  return traced(
    "unary",
    [input],
    record(
      rule.node,
      out,
      [input],
      (g, s) => [grad(g, rule.saves === "x" ? s[0]! : input, rule.saves === "y" ? s[0]! : out)],
      saved,
    ),
    { op },
  );
}

declare module "../tensor/tensor.js" {
  interface Tensor {
    /** -x elementwise (torch.neg). @example x.neg() */
    neg(): Tensor;
    /** |x| elementwise (torch.abs). @example x.abs() */
    abs(): Tensor;
    /** -1, 0 or 1 elementwise (torch.sign). @example x.sign() */
    sign(): Tensor;
    /** e^x elementwise (torch.exp). @example x.exp() */
    exp(): Tensor;
    /** Natural logarithm elementwise (torch.log). @example x.log() */
    log(): Tensor;
    /** log(1 + x) elementwise, accurate near 0 (torch.log1p). @example x.log1p() */
    log1p(): Tensor;
    /** e^x - 1 elementwise, accurate near 0 (torch.expm1). @example x.expm1() */
    expm1(): Tensor;
    /** Square root elementwise (torch.sqrt). @example x.sqrt() */
    sqrt(): Tensor;
    /** 1 / sqrt(x) elementwise (torch.rsqrt). @example x.rsqrt() */
    rsqrt(): Tensor;
    /** 1 / x elementwise (torch.reciprocal). @example x.reciprocal() */
    reciprocal(): Tensor;
    /** Sine elementwise (torch.sin). @example x.sin() */
    sin(): Tensor;
    /** Cosine elementwise (torch.cos). @example x.cos() */
    cos(): Tensor;
    /** Hyperbolic tangent elementwise (torch.tanh). @example x.tanh() */
    tanh(): Tensor;
    /** 1 / (1 + e^-x) elementwise (torch.sigmoid). @example logits.sigmoid() */
    sigmoid(): Tensor;
    /** max(x, 0) elementwise (torch.relu). @example x.relu() */
    relu(): Tensor;
    /** The error function elementwise (torch.erf). @example x.erf() */
    erf(): Tensor;
    /** Rounds down elementwise (torch.floor). @example x.floor() */
    floor(): Tensor;
    /** Rounds up elementwise (torch.ceil). @example x.ceil() */
    ceil(): Tensor;
    /** Rounds half to even elementwise (torch.round). @example x.round() */
    round(): Tensor;
    /** Rounds toward zero elementwise (torch.trunc). @example x.trunc() */
    trunc(): Tensor;
  }
}

/** -x. @example torch.neg(x) */
export const neg = (x: Tensor): Tensor => unary("neg", x);
/** |x|; gradient sign(x) (0 at 0). @example torch.abs(x) */
export const abs = (x: Tensor): Tensor => unary("abs", x);
/** -1, 0 or 1. @example torch.sign(x) */
export const sign = (x: Tensor): Tensor => unary("sign", x);
/** e^x. @example torch.exp(x) */
export const exp = (x: Tensor): Tensor => unary("exp", x);
/** Natural logarithm. @example torch.log(x) */
export const log = (x: Tensor): Tensor => unary("log", x);
/** log(1 + x), accurate near 0. @example torch.log1p(x) */
export const log1p = (x: Tensor): Tensor => unary("log1p", x);
/** e^x - 1, accurate near 0. @example torch.expm1(x) */
export const expm1 = (x: Tensor): Tensor => unary("expm1", x);
/** Square root. @example torch.sqrt(x) */
export const sqrt = (x: Tensor): Tensor => unary("sqrt", x);
/** 1 / sqrt(x). @example torch.rsqrt(x) */
export const rsqrt = (x: Tensor): Tensor => unary("rsqrt", x);
/** 1 / x. @example torch.reciprocal(x) */
export const reciprocal = (x: Tensor): Tensor => unary("reciprocal", x);
/** Sine. @example torch.sin(x) */
export const sin = (x: Tensor): Tensor => unary("sin", x);
/** Cosine. @example torch.cos(x) */
export const cos = (x: Tensor): Tensor => unary("cos", x);
/** Hyperbolic tangent. @example torch.tanh(x) */
export const tanh = (x: Tensor): Tensor => unary("tanh", x);
/** 1 / (1 + e^-x), stable for large |x|. @example torch.sigmoid(x) */
export const sigmoid = (x: Tensor): Tensor => unary("sigmoid", x);
/**
 * @internal ReLU's gradient as one kernel (PyTorch's threshold_backward(g, y, 0)): g where the
 * output y is positive (or NaN), else 0. Linear in g, so its own gradient is the same mask.
 */
export function reluBackward(g: Tensor, y: Tensor): Tensor {
  const out = binaryKernel("reluGrad", g, y, g.shape, g.dtype);
  return record("ThresholdBackwardBackward0", out, [g], (gg) => [reluBackward(gg, y)]);
}

/** max(x, 0). @example torch.relu(x) */
export const relu = (x: Tensor): Tensor => unary("relu", x);
/** The error function. @example torch.erf(x) */
export const erf = (x: Tensor): Tensor => unary("erf", x);
/** Round down (gradient 0). @example torch.floor(x) */
export const floor = (x: Tensor): Tensor => unary("floor", x);
/** Round up (gradient 0). @example torch.ceil(x) */
export const ceil = (x: Tensor): Tensor => unary("ceil", x);
/** Round half to even (gradient 0). @example torch.round(x) */
export const round = (x: Tensor): Tensor => unary("round", x);
/** Round toward zero (gradient 0). @example torch.trunc(x) */
export const trunc = (x: Tensor): Tensor => unary("trunc", x);

const methods: Record<string, (this: Tensor) => Tensor> = {};
for (const op of Object.keys(rules) as MathOp[]) {
  methods[op] = function (this: Tensor) {
    return unary(op, this);
  };
}
defineMethods(methods);
