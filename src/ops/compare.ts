import { getBackend } from "../backend/registry.js";
import { Tensor } from "../tensor/tensor.js";
import { binaryKernel } from "./binary.js";
import { defineMethods, emptyTensor, promoteOperands, type TensorLike } from "./support.js";
import { traced, type CompareOp, type UnaryPredicate } from "./trace.js";
import { checkTensor } from "../validation/tensors.js";

declare module "../tensor/tensor.js" {
  interface Tensor {
    /** Elementwise ==, as a bool tensor. @example pred.eq(target).sum() */
    eq(other: TensorLike): Tensor;
    /** Elementwise !=. @example x.ne(0) */
    ne(other: TensorLike): Tensor;
    /** Elementwise <. @example x.lt(0) */
    lt(other: TensorLike): Tensor;
    /** Elementwise <=. @example x.le(1) */
    le(other: TensorLike): Tensor;
    /** Elementwise >. @example x.gt(0) */
    gt(other: TensorLike): Tensor;
    /** Elementwise >=. @example x.ge(0) */
    ge(other: TensorLike): Tensor;
    /** Elementwise logical and (nonzero is true). @example a.logicalAnd(b) */
    logicalAnd(other: TensorLike): Tensor;
    /** Elementwise logical or. @example a.logicalOr(b) */
    logicalOr(other: TensorLike): Tensor;
    /** Elementwise logical xor. @example a.logicalXor(b) */
    logicalXor(other: TensorLike): Tensor;
    /** Elementwise logical not. @example mask.logicalNot() */
    logicalNot(): Tensor;
    /** True where NaN. @example x.isnan().any() */
    isnan(): Tensor;
    /** True where +-Infinity. @example x.isinf() */
    isinf(): Tensor;
    /** True where finite. @example x.isfinite().all() */
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
/** Elementwise `a != b` (bool). @example torch.ne(x, 0) */
export const ne = predicate("ne");
/** Elementwise `a < b` (bool). @example torch.lt(x, 0) */
export const lt = predicate("lt");
/** Elementwise `a <= b` (bool). @example torch.le(x, 0) */
export const le = predicate("le");
/** Elementwise `a > b` (bool). @example torch.gt(x, 0) */
export const gt = predicate("gt");
/** Elementwise `a >= b` (bool). @example torch.ge(x, 0) */
export const ge = predicate("ge");
/** Elementwise logical and (bool). @example torch.logicalAnd(x.gt(0), x.lt(1)) */
export const logicalAnd = predicate("logicalAnd");
/** Elementwise logical or (bool). @example torch.logicalOr(x.lt(0), x.gt(1)) */
export const logicalOr = predicate("logicalOr");
/** Elementwise logical xor (bool). @example torch.logicalXor(a, b) */
export const logicalXor = predicate("logicalXor");
/** Elementwise logical not (bool). @example torch.logicalNot(mask) */
export const logicalNot = unaryPredicate("logicalNot");
/** True where NaN. @example torch.isnan(torch.tensor([1, NaN])) // [false, true] */
export const isnan = unaryPredicate("isnan");
/** True where infinite. @example torch.isinf(torch.tensor([1, Infinity])) // [false, true] */
export const isinf = unaryPredicate("isinf");
/**
 * True where finite (neither NaN nor infinite).
 *
 * @example
 * torch.isfinite(torch.tensor([1, NaN, Infinity])); // [true, false, false]
 */
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
