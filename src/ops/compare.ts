import { getBackend } from "../backend/registry.js";
import { Tensor } from "../tensor/tensor.js";
import { binaryKernel } from "./binary.js";
import { defineMethods, emptyTensor, promoteOperands, type TensorLike } from "./support.js";
import { traced, type CompareOp, type UnaryPredicate } from "./trace.js";
import { checkTensor } from "../validation/tensors.js";

declare module "../tensor/tensor.js" {
  interface Tensor {
    /** Elementwise ==, as a bool tensor. */
    eq(other: TensorLike): Tensor;
    /** Elementwise !=. */
    ne(other: TensorLike): Tensor;
    /** Elementwise <. */
    lt(other: TensorLike): Tensor;
    /** Elementwise <=. */
    le(other: TensorLike): Tensor;
    /** Elementwise >. */
    gt(other: TensorLike): Tensor;
    /** Elementwise >=. */
    ge(other: TensorLike): Tensor;
    /** Elementwise logical and (nonzero is true). */
    logicalAnd(other: TensorLike): Tensor;
    /** Elementwise logical or. */
    logicalOr(other: TensorLike): Tensor;
    /** Elementwise logical xor. */
    logicalXor(other: TensorLike): Tensor;
    /** Elementwise logical not. */
    logicalNot(): Tensor;
    /** True where NaN. */
    isnan(): Tensor;
    /** True where +-Infinity. */
    isinf(): Tensor;
    /** True where finite. */
    isfinite(): Tensor;
  }
}

/** A comparison or logical op: computes in the promoted dtype, answers bool. Not differentiable. */
function predicate(op: CompareOp): (a: TensorLike, b: TensorLike) => Tensor {
  return (a, b) => {
    const { a: x, b: y, shape } = promoteOperands(a, b, undefined, op);
    return traced("compare", [x, y], binaryKernel(op, x, y, shape, "bool"), { op });
  };
}

function unaryPredicate(op: UnaryPredicate): (x: Tensor) => Tensor {
  return (x) => {
    checkTensor(op, "input", x);
    const out = emptyTensor(x.shape, "bool");
    getBackend().unary(op, x.view_(), out.storage.data);
    return traced("predicate", [x], out, { op });
  };
}

/** Elementwise `a == b` (bool). @example torch.eq(x, 0) */
export const eq = predicate("eq");
/** Elementwise `a != b` (bool). */
export const ne = predicate("ne");
/** Elementwise `a < b` (bool). */
export const lt = predicate("lt");
/** Elementwise `a <= b` (bool). */
export const le = predicate("le");
/** Elementwise `a > b` (bool). */
export const gt = predicate("gt");
/** Elementwise `a >= b` (bool). */
export const ge = predicate("ge");
/** Elementwise logical and (bool). */
export const logicalAnd = predicate("logicalAnd");
/** Elementwise logical or (bool). */
export const logicalOr = predicate("logicalOr");
/** Elementwise logical xor (bool). */
export const logicalXor = predicate("logicalXor");
/** Elementwise logical not (bool). */
export const logicalNot = unaryPredicate("logicalNot");
/** True where NaN. */
export const isnan = unaryPredicate("isnan");
/** True where infinite. */
export const isinf = unaryPredicate("isinf");
/** True where finite (neither NaN nor infinite). */
export function isfinite(x: Tensor): Tensor {
  checkTensor("isfinite", "input", x);
  return logicalNot(logicalOr(isnan(x), isinf(x)));
}

defineMethods({
  eq(this: Tensor, o: TensorLike) {
    return eq(this, o);
  },
  ne(this: Tensor, o: TensorLike) {
    return ne(this, o);
  },
  lt(this: Tensor, o: TensorLike) {
    return lt(this, o);
  },
  le(this: Tensor, o: TensorLike) {
    return le(this, o);
  },
  gt(this: Tensor, o: TensorLike) {
    return gt(this, o);
  },
  ge(this: Tensor, o: TensorLike) {
    return ge(this, o);
  },
  logicalAnd(this: Tensor, o: TensorLike) {
    return logicalAnd(this, o);
  },
  logicalOr(this: Tensor, o: TensorLike) {
    return logicalOr(this, o);
  },
  logicalXor(this: Tensor, o: TensorLike) {
    return logicalXor(this, o);
  },
  logicalNot(this: Tensor) {
    return logicalNot(this);
  },
  isnan(this: Tensor) {
    return isnan(this);
  },
  isinf(this: Tensor) {
    return isinf(this);
  },
  isfinite(this: Tensor) {
    return isfinite(this);
  },
});
