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
  | "logicalXor"
  /**
   * PyTorch's threshold_backward(a, b, 0), ReLU's gradient: a where b > 0 or b is NaN, else 0
   * (a the incoming gradient, b the ReLU output).
   */
  | "reluGrad";

/**
 * Where the windows of a 2-D convolution or pooling lie in [P, H, W] planes: window (oh, ow)
 * covers input rows oh * stride[0] - padding[0] + kh * dilation[0] (kh < kernel[0]) and the
 * columns likewise. Positions outside [0, H) x [0, W) are implicit padding: zero for im2col,
 * dropped for col2im, skipped by max pooling. So asymmetric or ceil-mode padding needs no more
 * than the output size.
 */
export interface Windows2d {
  /** Input plane [H, W]. */
  readonly input: readonly [number, number];
  /** Windows down and across, [oH, oW]. */
  readonly output: readonly [number, number];
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly dilation: readonly [number, number];
  /** Padding before the first row and column, [top, left]. */
  readonly padding: readonly [number, number];
}

/** The two ops of the softmax kernel: exp(x - m) / s, or its log (x - m) - log(s). */
export type SoftmaxOp = "softmax" | "logSoftmax";

/** Reductions over a set of axes. argmax/argmin give int32 indices (row-major within the reduced axes). */
export type ReduceOp = "sum" | "prod" | "max" | "min" | "argmax" | "argmin";

/**
 * The kernels a backend provides. Every output argument is a contiguous buffer of the output's
 * shape unless it is a StridedView; kernels write only inside it, and write every element of it
 * (outputs may start as unzeroed memory: allocateForOverwrite in src/tensor/dtype.ts). All CPU
 * backends (reference, WebAssembly, native) share the same JavaScript-owned typed-array storage,
 * so tensors move between them freely; a fast backend overrides the kernels it accelerates and inherits the rest
 * from the reference backend.
 */
export interface Backend {
  readonly name: string;
  /** out[i] = op(x[i]) for every element of x (row-major order). */
  unary(op: UnaryOp, x: StridedView, out: TypedArray): void;
  /** out[i] = op(a[i], b[i]); a and b have the output's shape (broadcast through 0 strides). */
  binary(op: BinaryOp, a: StridedView, b: StridedView, out: TypedArray): void;
  /**
   * out[i] = a[i] + alpha * b[i] for floating dtypes, with alpha rounded to the output dtype and
   * one rounding of the result (PyTorch's add kernel with alpha: `fmadd(other, alpha, self)`);
   * a and b have the output's shape (broadcast through 0 strides). The in-place `add_(g, {alpha})`
   * of every optimizer step lands here.
   */
  addScaled(a: StridedView, b: StridedView, alpha: number, out: TypedArray): void;
  /** out[i] = cond[i] ? a[i] : b[i]; all three have the output's shape. */
  where(cond: StridedView, a: StridedView, b: StridedView, out: TypedArray): void;
  /** Reduces x over `axes` (sorted, distinct); out has x's shape without those axes. */
  reduce(op: ReduceOp, x: StridedView, axes: readonly number[], out: TypedArray): void;
  /**
   * Softmax or log-softmax of a floating x along `dim` (< x's rank); out is contiguous with x's
   * shape. Per row along dim: m = max, s = sum(exp(x - m)), then out = exp(x - m) / s or
   * (x - m) - log(s). A row holding NaN or +Infinity, or only -Infinity, has NaN in x - m, so s is
   * NaN and so is the whole row, as in PyTorch.
   */
  softmax(op: SoftmaxOp, x: StridedView, dim: number, out: TypedArray): void;
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
  /**
   * im2col: x [P, H, W] -> out [P, kH, kW, oH, oW], out[p][kh][kw][oh][ow] = x at window (oh, ow)'s
   * position (kh, kw), or 0 in padding.
   */
  im2col(x: StridedView, windows: Windows2d, out: TypedArray): void;
  /**
   * col2im, the adjoint of im2col: cols [P, kH, kW, oH, oW] -> out [P, H, W], each input
   * position the sum of the window elements that cover it (0 where none does).
   */
  col2im(cols: StridedView, windows: Windows2d, out: TypedArray): void;
  /**
   * Max pooling of x [P, H, W] (PyTorch's max_pool2d_with_indices): values [P, oH, oW] and, in
   * indices, each maximum's flat position h * W + w in its plane. PyTorch's rule: scan the
   * window's in-input positions in row-major order from -Infinity and the first of them, and
   * take `v > max || isNaN(v)`: ties give the first, NaN the last NaN, all -Infinity the first.
   */
  maxPool2d(x: StridedView, windows: Windows2d, values: TypedArray, indices: Int32Array): void;
}
