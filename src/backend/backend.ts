import type { TypedArray } from "../tensor/dtype.js";
import type { Shape } from "../tensor/shape.js";

/**
 * How a kernel sees a tensor: a buffer, sizes, strides (in elements; 0 for a broadcast dim) and
 * an offset. Kernels never see autograd, dtype promotion or user input: the ops layer has already
 * validated shapes, promoted dtypes and broadcast every operand to the output's shape.
 */
export interface StridedView {
  readonly data: TypedArray;
  readonly shape: Shape;
  readonly strides: readonly number[];
  readonly offset: number;
}

/** Elementwise functions of one argument. Output dtype is the input's, except the predicates. */
export type UnaryOp =
  | "neg"
  | "abs"
  | "sign"
  | "exp"
  | "log"
  | "log1p"
  | "expm1"
  | "sqrt"
  | "rsqrt"
  | "reciprocal"
  | "sin"
  | "cos"
  | "tanh"
  | "sigmoid"
  | "relu"
  | "erf"
  | "floor"
  | "ceil"
  | "round"
  | "trunc"
  /** Predicates: output is bool. */
  | "logicalNot"
  | "isnan"
  | "isinf";

/** Elementwise functions of two arguments of the same dtype. Comparisons and logicals give bool. */
export type BinaryOp =
  | "add"
  | "sub"
  | "mul"
  | "div"
  | "pow"
  | "maximum"
  | "minimum"
  | "atan2"
  | "remainder"
  | "eq"
  | "ne"
  | "lt"
  | "le"
  | "gt"
  | "ge"
  | "logicalAnd"
  | "logicalOr"
  | "logicalXor";

/** Reductions over a set of axes. argmax/argmin give int32 indices (row-major within the reduced axes). */
export type ReduceOp = "sum" | "prod" | "max" | "min" | "argmax" | "argmin";

/**
 * The kernels a backend provides. Every output argument is a contiguous buffer of the output's
 * shape unless it is a StridedView; kernels write only inside it. All CPU backends (reference,
 * WebAssembly, native) share the same JavaScript-owned typed-array storage, so tensors move
 * between them freely; a fast backend overrides the kernels it accelerates and inherits the rest
 * from the reference backend.
 */
export interface Backend {
  readonly name: string;
  /** out[i] = op(x[i]) for every element of x (row-major order). */
  unary(op: UnaryOp, x: StridedView, out: TypedArray): void;
  /** out[i] = op(a[i], b[i]); a and b have the output's shape (broadcast through 0 strides). */
  binary(op: BinaryOp, a: StridedView, b: StridedView, out: TypedArray): void;
  /** out[i] = cond[i] ? a[i] : b[i]; all three have the output's shape. */
  where(cond: StridedView, a: StridedView, b: StridedView, out: TypedArray): void;
  /** Reduces x over `axes` (sorted, distinct); out has x's shape without those axes. */
  reduce(op: ReduceOp, x: StridedView, axes: readonly number[], out: TypedArray): void;
  /** Batched matrix product: a is [...batch, m, k], b is [...batch, k, n], out is [...batch, m, n]. */
  matmul(a: StridedView, b: StridedView, out: TypedArray): void;
  /** dst[i] = src[i], converting dtype (to bool: x != 0); src and dst have the same shape. */
  copy(src: StridedView, dst: StridedView): void;
  /** dst[i] = value for every element of the view. */
  fill(dst: StridedView, value: number): void;
  /** out[i][j][k] = x[i][index[i][j][k]][k] for dim = 1 (torch.gather); out has index's shape. */
  gather(x: StridedView, dim: number, index: StridedView, out: TypedArray): void;
  /** dst[i][index[i][j][k]][k] += src[i][j][k] for dim = 1 (torch.scatter_add_), in place. */
  scatterAdd(dst: StridedView, dim: number, index: StridedView, src: StridedView): void;
  /** torch.scatter_ (no reduction): dst[...index...] = src[...]. */
  scatter(dst: StridedView, dim: number, index: StridedView, src: StridedView): void;
}
