/**
 * What every op file uses: operand conversion and promotion, output allocation, graph recording
 * and method attachment. Ops validate here, at the public boundary, once; kernels trust them.
 */
import { isGradEnabled } from "../autograd/grad-mode.js";
import { FunctionNode, type BackwardFn, type InputMeta, type Node } from "../autograd/node.js";
import { gradientEdge } from "../autograd/engine.js";
import type { StridedView } from "../backend/backend.js";
import {
  allocate,
  allocateForOverwrite,
  isFloatingPoint,
  resultType,
  scalarDType,
  type DType,
  type PromotionKind,
} from "../tensor/dtype.js";
import {
  broadcastShapes,
  broadcastStrides,
  numel,
  shapesEqual,
  type Shape,
} from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { ArgumentTypeError, AutogradError } from "../errors.js";
import { pyTypeName } from "../validation/arguments.js";

/** A tensor, or a plain number/boolean standing for a 0-d tensor (a Python scalar). */
export type TensorLike = Tensor | number | boolean;

/** A new contiguous tensor of `dtype` and `shape`, zero-filled, for a kernel to write into. */
export function emptyTensor(shape: Shape, dtype: DType): Tensor {
  return Tensor.fromData(allocate(dtype, numel(shape)), shape);
}

/**
 * @internal A tensor for a kernel to write every element of (binary, unary, matmul, cast
 * outputs): its storage may start with arbitrary bytes, so never use it for anything read
 * before being fully written (zeros, accumulators, padding).
 */
export function outputTensor(shape: Shape, dtype: DType): Tensor {
  return Tensor.fromData(allocateForOverwrite(dtype, numel(shape)), shape);
}

/** A 0-d tensor holding a JavaScript value. */
export function scalarTensor(value: number | boolean, dtype: DType = scalarDType(value)): Tensor {
  const t = emptyTensor([], dtype);
  t.storage.data[0] =
    typeof value === "boolean" ? Number(value) : dtype === "bool" ? Number(value !== 0) : value;
  return t;
}

function promotionKind(x: TensorLike): { dtype: DType; kind: PromotionKind } {
  if (x instanceof Tensor) return { dtype: x.dtype, kind: x.ndim === 0 ? "zeroDim" : "tensor" };
  return { dtype: scalarDType(x), kind: "scalar" };
}

/** PyTorch's result dtype of an op over these operands (torch.result_type). */
export function resultTypeOf(...operands: TensorLike[]): DType {
  if (operands.length === 2) {
    const fast = sameTypeResult(operands[0]!, operands[1]!);
    if (fast !== null) return fast;
  }
  return resultType(operands.map(promotionKind));
}

/**
 * The result dtype of the common binary cases without building promotion records (this runs for
 * every op): two tensors of one dtype keep it, and a floating tensor (or any tensor with a bool)
 * keeps its dtype against a plain number, since a Python scalar never outranks a tensor of its
 * category or above. Null: take the general rule.
 */
function sameTypeResult(a: TensorLike, b: TensorLike): DType | null {
  if (a instanceof Tensor) {
    const da = a.dtype;
    if (b instanceof Tensor) return b.dtype === da ? da : null;
    return typeof b === "boolean" || isFloatingPoint(da) ? da : null;
  }
  if (b instanceof Tensor) {
    const db = b.dtype;
    return typeof a === "boolean" || isFloatingPoint(db) ? db : null;
  }
  return null;
}

/**
 * Refuses an operand that is neither a tensor nor a number/boolean (a string, an object,
 * undefined), which would otherwise turn into NaN or be coerced.
 */
export function checkScalarOperand(op: string, name: string, x: unknown): void {
  if (typeof x !== "number" && typeof x !== "boolean") {
    throw new ArgumentTypeError(
      `${op}(): argument '${name}' must be Tensor or Number, not ${pyTypeName(x)}`,
    );
  }
}

/** `x` as a tensor of `dtype`: scalars are wrapped, tensors cast (differentiably) if needed. */
export function asTensor(x: TensorLike, dtype: DType): Tensor {
  if (x instanceof Tensor) return x.dtype === dtype ? x : x.to(dtype);
  return scalarTensor(x, dtype);
}

/** The kernel's view of `t` broadcast to `shape`. */
export function broadcastView(t: Tensor, shape: Shape): StridedView {
  if (shapesEqual(t.shape, shape)) return t.view_();
  return {
    data: t.storage.data,
    shape,
    strides: broadcastStrides(t.shape, t.strides, shape),
    offset: t.offset,
  };
}

/** Operands of a broadcasting op: promoted to one dtype, with the broadcast output shape. */
export function promoteOperands(
  a: TensorLike,
  b: TensorLike,
  computeDType?: DType,
  op = "binary op",
): { a: Tensor; b: Tensor; shape: number[]; dtype: DType } {
  if (!(a instanceof Tensor)) checkScalarOperand(op, "input", a);
  if (!(b instanceof Tensor)) checkScalarOperand(op, "other", b);
  computeDType ??= resultTypeOf(a, b);
  const ta = asTensor(a, computeDType);
  const tb = asTensor(b, computeDType);
  // Same shapes (the common case) need no broadcasting pass.
  const shape = shapesEqual(ta.shape, tb.shape)
    ? [...ta.shape]
    : broadcastShapes(ta.shape, tb.shape);
  return { a: ta, b: tb, shape, dtype: computeDType };
}

/**
 * Records `out` as the result of op `name` over `inputs` when grad mode is on and some input
 * requires grad. `backward` gets the output gradient and `saved` (checked against in-place
 * modification) and returns one gradient per input.
 */
export function record(
  name: string,
  out: Tensor,
  inputs: readonly Tensor[],
  backward: BackwardFn,
  saved: readonly Tensor[] = [],
): Tensor {
  if (!isGradEnabled()) return out;
  let any = false;
  let inference = false;
  for (const t of inputs) {
    if (t.requiresGrad) any = true;
    if (t.storage.inference) inference = true;
  }
  if (!any) return out;
  if (inference) {
    // PyTorch refuses only ops that save the inference tensor; torchlet refuses any recorded op.
    throw new AutogradError(
      "Inference tensors cannot be saved for backward. To work around you can make a clone to get a normal tensor and use it in autograd.",
    );
  }
  const n = inputs.length;
  const next = new Array<Node | null>(n);
  const meta = new Array<InputMeta>(n);
  for (let i = 0; i < n; i++) {
    const t = inputs[i]!;
    next[i] = gradientEdge(t);
    meta[i] = { shape: t.shape, dtype: t.dtype };
  }
  out.gradFn = new FunctionNode(name, next, meta, backward, saved, out);
  return out;
}

/** Sums `grad` down to `shape`, undoing broadcasting (PyTorch's sum_to). */
export function reduceToShape(grad: Tensor, shape: Shape): Tensor {
  if (shapesEqual(grad.shape, shape)) return grad;
  const lead = grad.ndim - shape.length;
  const dims: number[] = [];
  for (let d = 0; d < grad.ndim; d++) {
    if (d < lead || (shape[d - lead] === 1 && grad.shape[d] !== 1)) dims.push(d);
  }
  const summed = dims.length ? grad.sum({ dim: dims, keepdim: true }) : grad;
  return summed.reshape(shape);
}

/**
 * Adds methods to Tensor.prototype; the matching `declare module` block in the op's file gives
 * them their types.
 */
export function defineMethods(
  methods: Record<string, (this: Tensor, ...args: never[]) => unknown>,
): void {
  for (const [name, fn] of Object.entries(methods)) {
    Object.defineProperty(Tensor.prototype, name, {
      value: fn,
      writable: true,
      configurable: true,
    });
  }
}
